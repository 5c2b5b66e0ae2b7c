#!/bin/sh
# setup.sh: `inkan setup` writes keys, zone, policy and plan, and
# `inkan check --zone DIR/zone` on them grades A, the best grade offline,
# and finds only what the plan says is left (DMARC at p=none with rua=,
# MTA-STS in testing: both low; DNSSEC, which a zone file cannot show:
# info); once the plan's last steps are applied (p=reject, mode enforce)
# only info findings are left. Usage (from the repository root):
#   sh tests/cli/setup.sh /path/to/inkan
set -u

inkan=${1:?usage: setup.sh /path/to/inkan}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

fail() {
	echo "FAIL: $1"
	echo "  got:  $2"
	echo "  want: $3"
	if [ -s "$tmp/err" ]; then
		sed 's/^/    /' "$tmp/err"
	fi
	failed=$((failed + 1))
}

ok() {
	passed=$((passed + 1))
}

run() {
	what=$1
	want=$2
	shift 2
	echo "check: $what"
	"$inkan" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok
	else
		fail "$what: exit status" "$got" "$want"
	fi
}

# json WHAT PROGRAM WANT
json() {
	got=$(python3 -c "import json, sys
o = json.load(sys.stdin)
ids = sorted(x['id'] + ':' + x['severity'] for x in o['findings'])
$2" <"$tmp/out" 2>&1)
	if [ "$got" = "$3" ]; then
		ok
	else
		fail "$1" "$got" "$3"
	fi
}

out=$tmp/new
run "setup writes a new domain's records" 0 setup new.example \
	--mx mx1.new.example --mx mx2.new.example --ip 192.0.2.50 \
	--ip 2001:db8::50 --report-to postmaster@new.example --out "$out"
echo "check: every file is there, the keys readable by the owner only"
rsa=$(cd "$out" && ls rsa*.private 2>/dev/null | sed 's/\.private$//')
ed=$(cd "$out" && ls ed*.private 2>/dev/null | sed 's/\.private$//')
if [ -s "$out/zone" ] && [ -s "$out/mta-sts.txt" ] && [ -s "$out/plan.txt" ] &&
	[ -n "$rsa" ] && [ -n "$ed" ] &&
	[ "$(stat -c %a "$out/$rsa.private")" = 600 ] &&
	[ "$(stat -c %a "$out/$ed.private")" = 600 ]; then
	ok
else
	fail "files" "$(ls -l "$out")" "zone mta-sts.txt plan.txt and two keys of mode 600"
fi
echo "check: the zone has each record, BIMI commented out"
if grep -q '^new.example. IN TXT "v=spf1 mx ip4:192.0.2.50 ip6:2001:db8::50 -all"$' "$out/zone" &&
	grep -q '^_dmarc.new.example. IN TXT "v=DMARC1; p=none; rua=mailto:postmaster@new.example"$' "$out/zone" &&
	grep -q '^_mta-sts.new.example. IN TXT "v=STSv1; id=' "$out/zone" &&
	grep -q '^_smtp._tls.new.example. IN TXT "v=TLSRPTv1; rua=mailto:postmaster@new.example"$' "$out/zone" &&
	grep -q "^$rsa._domainkey.new.example. IN TXT" "$out/zone" &&
	grep -q "^$ed._domainkey.new.example. IN TXT ( \"v=DKIM1; k=ed25519; p=" "$out/zone" &&
	grep -q '^; default._bimi.new.example. IN TXT "v=BIMI1;' "$out/zone" &&
	grep -q '^mx: mx2.new.example$' "$out/mta-sts.txt"; then
	ok
else
	fail "zone records" "$(cat "$out/zone")" "MX, SPF, DKIM x2, DMARC p=none, MTA-STS, TLS-RPT, BIMI commented"
fi
echo "check: the plan goes from none to quarantine to reject"
if grep -q 'p=quarantine' "$out/plan.txt" && grep -q 'p=reject' "$out/plan.txt"; then
	ok
else
	fail "plan" "$(cat "$out/plan.txt")" "p=quarantine then p=reject"
fi

check() {
	"$inkan" check --zone "$out/zone" new.example --selector "$rsa" \
		--selector "$ed" --mta-sts-policy "new.example=$out/mta-sts.txt" \
		--json "$@"
}
echo "check: inkan check on the output, as plan.txt says"
check >"$tmp/out" 2>"$tmp/err" && ok || fail "check runs" "$?" 0
json "graded A, only what the plan leaves for later" 'print(o["grade"], " ".join(ids))' \
	"A bimi.missing:info dmarc.policy-none:low dnssec.unknown-offline:info mta-sts.testing:low"
json "both DKIM keys found, RSA 2048 and Ed25519" \
	'print(sorted((k["type"], k["bits"]) for k in o["facts"]["dkim"]))' \
	"[('ed25519', 256), ('rsa', 2048)]"

echo "check: with the plan done (p=reject, mode enforce) only info is left"
sed -i 's/p=none;/p=reject;/' "$out/zone"
sed -i 's/^mode: testing$/mode: enforce/' "$out/mta-sts.txt"
check >"$tmp/out" 2>"$tmp/err" && ok || fail "check runs" "$?" 0
json "graded A, nothing above info" 'print(o["grade"], " ".join(ids))' \
	"A bimi.missing:info dnssec.unknown-offline:info"

echo "check: a zone that declares SECURE is checked for DNSSEC as online"
printf ';! SECURE new.example.\n' >>"$out/zone"
check >"$tmp/out" 2>"$tmp/err" && ok || fail "check runs" "$?" 0
json "signed: DANE is looked for" 'print(o["grade"], " ".join(ids), o["facts"]["dnssec"])' \
	"A bimi.missing:info dnssec.no-dane:info True"

run "setup refuses to overwrite (73)" 73 setup new.example --mx mx1.new.example --out "$out"
run "setup without --mx is a usage error (64)" 64 setup new.example --out "$tmp/x"
run "setup with a bad domain is a usage error (64)" 64 setup 'a b' --mx m.a --out "$tmp/x"
run "setup with a bad address is a usage error (64)" 64 \
	setup a.example --mx m.a.example --ip 300.1.1.1 --out "$tmp/x"
run "setup with a bad report address is a usage error (64)" 64 \
	setup a.example --mx m.a.example --report-to 'x"@a.example' --out "$tmp/x"
run "setup --help" 0 setup --help

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
