#!/bin/sh
# dmarc.sh: `inkan dmarc` on tests/data/dmarc/treewalk.zone, offline. Usage:
#   sh tests/cli/dmarc.sh /path/to/inkan     (from the repository root)
# The zone publishes DMARC records at example.com (and some of its
# subdomains), bank.example (psd=y) and org.example; _dmarc.slow.example.com
# times out (a ";! TIMEOUT" directive). Prints each check, got/want for a
# failure, and "N passed, N failed" at the end.
set -u

inkan=${1:?usage: dmarc.sh /path/to/inkan}
zone=tests/data/dmarc/treewalk.zone
. tests/cli/lib.sh

run "a subdomain gets its Organizational Domain's record" 0 \
	dmarc lookup --zone "$zone" a.mail.example.com
first "the first line is the status" found
has "where the record was found" "policy domain: example.com (sp=, or np="
has "the Organizational Domain" "organizational domain: example.com"
has "the first query, NXDOMAIN" "1. _dmarc.a.mail.example.com: nxdomain"
has "the record of mail.example.com is seen but not used" \
	"2. _dmarc.mail.example.com: record: v=DMARC1; p=none"
has "the parsed record" "p=reject sp=quarantine np=reject adkim=s aspf=r"
has "its rua" "rua: mailto:dmarc@example.com"

run "--json prints one object" 0 \
	dmarc lookup --zone "$zone" a.mail.example.com --json
json_code "JSON keys" '
keys = ("status domain method policy_domain author_is_policy_domain record "
        "org_domain reason steps warnings").split()
print(" ".join(k for k in keys if k not in o) or "all there")' "all there"
json_code "JSON values" '
print(o["status"], o["method"], o["policy_domain"], o["org_domain"],
      o["record"]["p"], o["record"]["sp"], o["record"]["adkim"],
      o["record"]["rua"][0]["address"])' \
	"found treewalk example.com example.com reject quarantine s dmarc@example.com"
json_code "JSON steps" '
print([(s["name"], s["outcome"]) for s in o["steps"]])' \
	"[('_dmarc.a.mail.example.com', 'nxdomain'), ('_dmarc.mail.example.com', 'record'), ('_dmarc.example.com', 'record'), ('_dmarc.com', 'nxdomain')]"

run "the domain's own record" 0 dmarc lookup --zone "$zone" mail.example.com
has "p= applies" "policy domain: mail.example.com (the domain itself"

run "RFC 9989 B.4.3: under a PSD" 0 \
	dmarc lookup --zone "$zone" mail.mega.bank.example --json
json_code "the PSD's record, the org domain one label below it" '
print(o["policy_domain"], o["org_domain"], o["steps"][-1]["psd"])' \
	"bank.example mega.bank.example y"

run "psd=n stops the walk" 0 dmarc lookup --zone "$zone" host.dept.org.example
has "psd=n is shown" "_dmarc.dept.org.example: record psd=n"
has "the Organizational Domain is the psd=n domain" \
	"organizational domain: dept.org.example"

run "13 labels: 8 queries" 0 \
	dmarc lookup --zone "$zone" a.b.c.d.e.f.g.h.i.j.k.example.com --json
json_code "the label-skipping rule of RFC 9989 4.10" '
print(len(o["steps"]), o["steps"][1]["name"])' "8 _dmarc.g.h.i.j.k.example.com"

run "two DMARC records at one name" 0 \
	dmarc lookup --zone "$zone" twice.example.com
has "both discarded" "several: 2 records start with v=DMARC1"

run "warnings" 0 dmarc lookup --zone "$zone" split.example.com
has "the obsolete pct" "_dmarc.split.example.com: obsolete tag pct=50"
has "the unknown tag" 'unknown tag "foo" ignored'
has "the size of a rua" "(obsolete size limit 10485760 bytes)"

run "a record without a usable policy" 0 \
	dmarc lookup --zone "$zone" nop.example.com
has "is said" "no DMARC processing"

run "no record anywhere" 0 dmarc lookup --zone "$zone" mail.example.net
first "none" none
has "its own Organizational Domain" "organizational domain: mail.example.net"

run "a timeout gives temperror (exit 0)" 0 \
	dmarc lookup --zone "$zone" x.slow.example.com
first "temperror" temperror
has "which query" "_dmarc.slow.example.com failed temporarily"

run "--rfc7489: the domain, then the PSL's Organizational Domain" 0 \
	dmarc lookup --zone "$zone" --rfc7489 a.mail.example.com --json
json_code "two queries" '
print(o["method"], o["policy_domain"], [s["name"] for s in o["steps"]])' \
	"psl example.com ['_dmarc.a.mail.example.com', '_dmarc.example.com']"

run "record: parse without DNS" 0 \
	dmarc record "v=DMARC1; p=reject; pct=50; rua=mailto:a@example.com!5k"
has "the policy" "p=reject"
has "the warning" "warning: obsolete tag pct=50"
run "record --json" 0 dmarc record "v=DMARC1; p=bogus" --json
json_code "no usable policy" 'print(o["applied"], o["p"], len(o["warnings"]))' \
	"False absent 2"
run "not a DMARC record exits 65" 65 dmarc record "v=spf1 -all"

# Hostile bytes in a domain: refused, and never raw on the terminal.
hostile=$(printf 'ex\377\001\033[31m.com')
run "a domain with control bytes is not a domain name (65)" 65 \
	dmarc lookup --zone "$zone" "$hostile"
if LC_ALL=C grep -q "$(printf '[\001\033]')" "$tmp/out" "$tmp/err"; then
	bad "escaped output" "$(od -c "$tmp/err" | head -5)" "no raw bytes"
else
	ok "no control byte reaches the output or the error"
fi

run "an empty label exits 65" 65 dmarc lookup --zone "$zone" a..example.com
run "no DOMAIN is a usage error (64)" 64 dmarc lookup --zone "$zone"
run "two DOMAINs are a usage error (64)" 64 \
	dmarc lookup --zone "$zone" a.example b.example
run "an unknown option is a usage error (64)" 64 \
	dmarc lookup --zone "$zone" --frob example.com
run "--psl without --rfc7489 is a usage error (64)" 64 \
	dmarc lookup --zone "$zone" --psl x.dat example.com
run "an unknown subcommand is a usage error (64)" 64 dmarc frob
run "a missing zone file exits 66" 66 \
	dmarc lookup --zone "$tmp/no-such.zone" example.com
run "a missing public suffix list exits 66" 66 \
	dmarc lookup --zone "$zone" --rfc7489 --psl "$tmp/no.dat" example.com

run "dmarc --help" 0 dmarc --help
has "the help shows the usage" "inkan dmarc lookup DOMAIN"
run "dmarc is in the command list" 0 --help
has "inkan --help lists dmarc" "  dmarc "

finish
