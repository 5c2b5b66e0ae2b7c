#!/bin/sh
# dns.sh: `inkan dns lookup` on examples/demo.zone, offline. Usage:
#   sh tests/cli/dns.sh /path/to/inkan     (from the repository root)
# Prints what each check does; stops at the first failure with got/want.
set -u

inkan=${1:?usage: dns.sh /path/to/inkan}
zone=examples/demo.zone
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0

fail() {
	echo "FAIL: $1"
	echo "  got:  $2"
	echo "  want: $3"
	if [ -s "$tmp/err" ]; then
		echo "  stderr:"
		sed 's/^/    /' "$tmp/err"
	fi
	echo "$passed passed, 1 failed"
	exit 1
}

# run WHAT WANT_STATUS ARGS...: runs inkan, checks its exit status.
run() {
	what=$1
	want=$2
	shift 2
	echo "check: $what"
	"$inkan" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "$what: exit status" "$got" "$want"
}

# has WHAT TEXT: the last output contains TEXT.
has() {
	grep -F -e "$2" "$tmp/out" >/dev/null ||
		fail "$1" "$(head -c 300 "$tmp/out")" "output containing $2"
	passed=$((passed + 1))
}

run "TXT at example.com answers from the zone" 0 \
	dns lookup example.com TXT --zone "$zone"
has "the SPF record is in the answer" \
	'"v=spf1 include:_spf.example.net -all"'
has "the answer says NOERROR and insecure" 'TXT: NOERROR (insecure)'

run "the TIMEOUT directive gives TIMEOUT (exit 0)" 0 \
	dns lookup timeout.example.com TXT --zone "$zone"
has "rcode TIMEOUT" 'TXT: TIMEOUT'

run "the SERVFAIL directive covers every type" 0 \
	dns lookup broken.example.com AAAA --zone "$zone"
has "rcode SERVFAIL" 'AAAA: SERVFAIL'

run "a missing name gives NXDOMAIN (exit 0)" 0 \
	dns lookup missing.example.com A --zone "$zone"
has "rcode NXDOMAIN" 'A: NXDOMAIN'

run "a name without the type gives NODATA" 0 \
	dns lookup mx1.example.com TXT --zone "$zone"
has "rcode NODATA" 'TXT: NODATA'

run "MX records print preference and exchange" 0 \
	dns lookup example.com MX --zone="$zone"
has "MX 10 mx1" '10 mx1.example.com.'

run "TLSA prints usage, selector, matching type and data" 0 \
	dns lookup _25._tcp.mx1.example.com TLSA --zone "$zone"
has "TLSA 3 1 1" '3 1 1 '

run "a CNAME is followed" 0 dns lookup www.example.com A --zone "$zone"
has "the chain is shown" 'www.example.com. CNAME example.com.'
has "the address at its end" '192.0.2.80'

run "--json prints one object" 0 \
	dns lookup sel1._domainkey.example.com TXT --zone "$zone" --json
echo "check: the JSON parses and has rcode, and joined DKIM text"
got=$(python3 -c '
import json, sys
a = json.load(sys.stdin)
r = a["records"][0]
print(a["rcode"], a["secure"], len(r["strings"]), r["text"].startswith("v=DKIM1; k=rsa; p=MII"))
' <"$tmp/out" 2>&1)
[ "$got" = "NOERROR False 3 True" ] ||
	fail "JSON fields" "$got" "NOERROR False 3 True"
passed=$((passed + 1))

run "--json for a TIMEOUT" 0 \
	dns lookup timeout.example.com TXT --json --zone "$zone"
got=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["rcode"])' \
	<"$tmp/out" 2>&1)
[ "$got" = "TIMEOUT" ] || fail "JSON rcode" "$got" "TIMEOUT"
passed=$((passed + 1))

run "an unknown type is a usage error (64)" 64 \
	dns lookup example.com BOGUS --zone "$zone"
passed=$((passed + 1))
run "a query type (ANY) is a usage error (64)" 64 \
	dns lookup example.com ANY --zone "$zone"
passed=$((passed + 1))
run "a missing TYPE is a usage error (64)" 64 \
	dns lookup example.com --zone "$zone"
passed=$((passed + 1))
run "an invalid name is a usage error (64)" 64 \
	dns lookup 'a..example.com' A --zone "$zone"
passed=$((passed + 1))
run "an unknown subcommand is a usage error (64)" 64 dns frobnicate
passed=$((passed + 1))

run "a missing zone file exits 66" 66 \
	dns lookup example.com A --zone "$tmp/no-such.zone"
passed=$((passed + 1))

printf 'ok.example.com. 300 IN A 192.0.2.1\n\nbad.example.com. 300 IN A 192.0.2\n' \
	>"$tmp/bad.zone"
run "a zone file that does not parse exits 65" 65 \
	dns lookup example.com A --zone "$tmp/bad.zone"
echo "check: the error names file:line"
grep -F "$tmp/bad.zone:3:" "$tmp/err" >/dev/null ||
	fail "file:line in the error" "$(cat "$tmp/err")" "$tmp/bad.zone:3: ..."
passed=$((passed + 1))

printf '$INCLUDE /etc/hostname\n' >"$tmp/include.zone"
run "\$INCLUDE is refused (65)" 65 \
	dns lookup example.com A --zone "$tmp/include.zone"
passed=$((passed + 1))

run "dns --help" 0 dns --help
has "the help shows the usage" 'inkan dns lookup NAME TYPE'

echo "$passed passed, 0 failed"
