#!/bin/sh
# spf.sh: `inkan spf` on examples/demo.zone, offline. Usage:
#   sh tests/cli/spf.sh /path/to/inkan     (from the repository root)
# The zone's example.com says "v=spf1 include:_spf.example.net -all", and
# _spf.example.net allows 192.0.2.0/25; timeout.example.com's TXT lookups
# time out (a ";! TIMEOUT" directive). Prints each check, got/want for a
# failure, and "N passed, N failed" at the end.
set -u

inkan=${1:?usage: spf.sh /path/to/inkan}
zone=examples/demo.zone
. tests/cli/lib.sh

run "mx1's address passes for a@example.com" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender a@example.com
first "the first line is the result" pass

run "--explain shows the trace" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender a@example.com --explain
first "the first line is still the result" pass
has "the trace shows the include" "include:_spf.example.net"
has "the trace shows the range that matched" "ip4:192.0.2.0/25"
has "the include's own steps are indented one level deeper" \
	"    ip4:192.0.2.0/25: match"
has "--explain shows the Received-SPF field" "Received-SPF: pass"

run "an address outside the include fails (exit 0)" 0 \
	spf --zone "$zone" --ip 198.51.100.1 --sender a@example.com
first "the result is fail" fail
has "a fail comes with its explanation" "explanation: "

run "IPv6 inside the include passes" 0 \
	spf --zone "$zone" --ip 2001:db8::25 --sender a@example.com
first "IPv6 pass" pass

run "--json prints one object" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender a@example.com --json
json_code "JSON keys (every key the issue asks for)" '
keys = ("result identity domain mechanism explanation dns_lookups "
        "void_lookups trace reason received_spf").split()
print(" ".join(k for k in keys if k not in o) or "all there")' "all there"
json_code "JSON values" '
print(o["result"], o["identity"], o["domain"], o["mechanism"], o["dns_lookups"])' \
	"pass mailfrom example.com include:_spf.example.net 1"
json_code "JSON trace steps" '
kinds = {"record", "dns", "term", "limit", "result"}
t = o["trace"]
print(len(t) > 0 and all(s["kind"] in kinds and isinstance(s["depth"], int)
      and "domain" in s and isinstance(s["text"], str) for s in t),
      max(s["depth"] for s in t))' "True 1"
json_code "JSON Received-SPF" 'print(o["received_spf"].split()[:2])' \
	"['Received-SPF:', 'pass']"

run "--json for a fail has the explanation" 0 \
	spf --zone "$zone" --ip 198.51.100.1 --sender a@example.com --json
json_code "JSON fail" 'print(o["result"], o["mechanism"], bool(o["explanation"]))' \
	"fail -all True"

run "the null reverse-path is checked as postmaster@HELO" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender '' --helo example.com --json
json_code "HELO identity" 'print(o["result"], o["identity"], o["domain"], o["sender"])' \
	"pass helo example.com postmaster@example.com"

run "'<>' is the null reverse-path too" 0 \
	spf --zone "$zone" --ip 198.51.100.1 --sender '<>' --helo example.com
first "'<>' with a HELO outside the policy fails" fail

run "a TIMEOUT on the sender's TXT gives temperror (exit 0)" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender a@timeout.example.com
first "temperror" temperror

run "a domain without SPF gives none" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender a@mx1.example.com
first "none" none

# Hostile bytes in the sender: never raw on the terminal, valid JSON.
hostile=$(printf 'a@ex\377\001\033[31m.com')
run "a sender with control and non-UTF-8 bytes still gets a verdict" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender "$hostile"
if LC_ALL=C grep -q "$(printf '[\001\033\200-\377]')" "$tmp/out"; then
	bad "escaped output" "$(od -c "$tmp/out" | head -5)" "no raw bytes"
else
	ok "no control or non-ASCII byte reaches the output"
fi
run "the same as JSON" 0 \
	spf --zone "$zone" --ip 192.0.2.10 --sender "$hostile" --json
json_code "JSON with hostile bytes parses" 'print(o["result"], o["identity"])' \
	"none mailfrom"

run "missing --ip is a usage error (64)" 64 \
	spf --zone "$zone" --sender a@example.com
run "missing --sender is a usage error (64)" 64 \
	spf --zone "$zone" --ip 192.0.2.10
run "a null reverse-path without --helo is a usage error (64)" 64 \
	spf --zone "$zone" --ip 192.0.2.10 --sender ''
run "an unknown option is a usage error (64)" 64 \
	spf --zone "$zone" --ip 192.0.2.10 --sender a@example.com --frob
run "--ip without a value is a usage error (64)" 64 \
	spf --zone "$zone" --sender a@example.com --ip
run "an address that does not parse exits 65" 65 \
	spf --zone "$zone" --ip 192.0.2.300 --sender a@example.com
run "a missing zone file exits 66" 66 \
	spf --zone "$tmp/no-such.zone" --ip 192.0.2.10 --sender a@example.com

run "spf --help" 0 spf --help
has "the help shows the usage" "inkan spf --ip ADDR --sender ADDR"
run "spf is in the command list" 0 --help
has "inkan --help lists spf" "  spf "

finish
