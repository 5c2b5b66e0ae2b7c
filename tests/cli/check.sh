#!/bin/sh
# check.sh: `inkan check` on the demo world of examples/demo.zone, offline.
# Usage: sh tests/cli/check.sh /path/to/inkan   (from the repository root)
# good.example is graded A; each other domain has one planted mistake,
# which must be found with the right severity and a fix that says what to
# publish. Prints each check, got/want for a failure, and
# "N passed, N failed" at the end.
set -u

inkan=${1:?usage: check.sh /path/to/inkan}
zone=examples/demo.zone
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

fail() {
	echo "FAIL: $1"
	echo "  got:  $2"
	echo "  want: $3"
	if [ -s "$tmp/err" ]; then
		echo "  stderr:"
		sed 's/^/    /' "$tmp/err"
	fi
	failed=$((failed + 1))
}

ok() {
	passed=$((passed + 1))
}

# run WHAT WANT_STATUS ARGS...: runs inkan; the exit status is a check.
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

# has WHAT TEXT: the last output contains TEXT.
has() {
	if grep -F -e "$2" "$tmp/out" >/dev/null; then
		ok
	else
		fail "$1" "$(head -c 400 "$tmp/out")" "output containing $2"
	fi
}

# json WHAT PROGRAM WANT: python3 PROGRAM on the last output prints WANT.
json() {
	got=$(python3 -c "import json, sys
o = json.load(sys.stdin)
def f(i):
    return [x for x in o['findings'] if x['id'] == i]
$2" <"$tmp/out" 2>&1)
	if [ "$got" = "$3" ]; then
		ok
	else
		fail "$1" "$got" "$3"
	fi
}

# planted DOMAIN ID SEVERITY FIX_TEXT [GRADE]: the JSON report of DOMAIN
# has finding ID at SEVERITY whose fix contains FIX_TEXT.
planted() {
	run "$1: the report runs" 0 check --zone "$zone" "$1" --json
	json "$1: $2 is $3 and its fix says $4" "
x = f('$2')
print(len(x), x and x[0]['severity'], x and '''$4''' in x[0]['fix'])" \
		"1 $3 True"
	if [ $# -ge 5 ]; then
		json "$1: grade" "print(o['grade'])" "$5"
	fi
}

# The same world without examples/mta-sts/ beside it: the policies can
# then be neither fetched (offline) nor found beside the zone file.
alone="$tmp/alone.zone"
cp "$zone" "$alone"

run "good.example: text report" 0 check --zone "$zone" good.example
has "good.example is graded A" "good.example: grade A"
has "its policy is read from examples/mta-sts/" "MTA-STS: v=STSv1"
run "good.example, no policy beside the zone: text report" 0 \
	check --zone "$alone" good.example
has "still graded A" "good.example: grade A"
has "the offline skip is said" "mta-sts.policy-skipped"
echo "check: no colour when stdout is not a terminal"
if grep -q "$(printf '\033')" "$tmp/out"; then
	fail "no escape sequences" "$(od -c "$tmp/out" | head -3)" "none"
else
	ok
fi

run "good.example: JSON" 0 check --zone "$zone" good.example --json
json "JSON has domain, grade, findings with every field" "
keys = {'id', 'severity', 'area', 'message', 'evidence', 'fix'}
print(o['domain'], o['grade'], all(set(x) == keys for x in o['findings']))" \
	"good.example A True"
json "good.example: nothing above info" \
	"print([x['id'] for x in o['findings'] if x['severity'] != 'info'])" "[]"
json "good.example: the facts" \
	"fa = o['facts']; print(fa['mx'][0]['host'], fa['dkim'][0]['selector'], fa['dkim'][0]['bits'], fa['dnssec'], fa['offline'])" \
	"mx1.good.example default 2048 True True"

run "good.example with its policy given: still A, nothing skipped" 0 \
	check --zone "$zone" good.example --json \
	--mta-sts-policy good.example=examples/mta-sts/good.example.txt
json "policy used" \
	"print(o['grade'], f('mta-sts.policy-skipped'), bool(o['facts']['mta_sts_policy']))" \
	"A [] True"

planted nodmarc.example dmarc.missing high \
	'_dmarc.nodmarc.example. IN TXT "v=DMARC1; p=none; rua=mailto:' C
planted monitor.example dmarc.policy-none-no-reports medium \
	'IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc-reports@monitor.example"' B
json "monitor.example: the plan adds rua= and goes through quarantine" \
	"x = f('dmarc.policy-none-no-reports')[0]['fix']
print('p=none; rua=mailto:dmarc-reports@monitor.example' in x, 'p=quarantine' in x, f('dmarc.no-rua'))" \
	"True True []"
planted lookups.example spf.too-many-lookups high 'ip4:/ip6:' C
json "lookups.example: 13 lookups counted through the includes" \
	"print(o['facts']['spf_dns_lookups'], 'include:s10.lookups.example (2)' in f('spf.too-many-lookups')[0]['evidence'])" \
	"13 True"
planted open.example spf.pass-all critical 'open.example. IN TXT "v=spf1 mx -all"' F
planted weakdkim.example dkim.rsa-1024 medium '--bits 2048' B
planted bimi-nodmarc.example bimi.dmarc-not-enforced medium 'p=reject' B
planted nomail.example mx.null info '' A

run "stsmismatch.example offline, no policy: skipped" 0 \
	check --zone "$alone" stsmismatch.example --json
json "the mismatch cannot be seen without the policy" \
	"print(len(f('mta-sts.policy-skipped')), f('mta-sts.mx-mismatch'))" "1 []"
run "stsmismatch.example, its policy beside the zone" 0 \
	check --zone "$zone" stsmismatch.example --json
json "found through examples/mta-sts/stsmismatch.example.txt" \
	"print(o['grade'], [x['severity'] for x in f('mta-sts.mx-mismatch')])" \
	"C ['high']"
run "stsmismatch.example with its policy given" 0 \
	check --zone "$alone" stsmismatch.example --json \
	--mta-sts-policy stsmismatch.example=examples/mta-sts/stsmismatch.example.txt
json "the uncovered MX is found, high, with the mx: line to add" "
x = f('mta-sts.mx-mismatch')[0]
print(x['severity'], 'mx2.backup-mail.example' in x['message'], '\"mx: mx2.backup-mail.example\"' in x['fix'], o['grade'])" \
	"high True True C"

run "--fail-on high: a high finding exits 1" 1 \
	check --zone "$zone" nodmarc.example --fail-on high
run "--fail-on high: only medium findings exit 0" 0 \
	check --zone "$zone" monitor.example --fail-on high
run "--fail-on medium: a medium finding exits 1" 1 \
	check --zone "$zone" monitor.example --fail-on medium
run "--fail-on critical: +all exits 1" 1 \
	check --zone "$zone" open.example --fail-on critical
run "--fail-on low: good.example exits 0" 0 \
	check --zone "$zone" good.example --fail-on low
run "--fail-on info: good.example has info findings, exits 1" 1 \
	check --zone "$zone" good.example --fail-on info

run "--html writes a page" 0 \
	check --zone "$zone" open.example --html "$tmp/open.html"
echo "check: the page has the grade and the finding"
if grep -q 'id="grade">F<' "$tmp/open.html" &&
	grep -q 'spf.pass-all' "$tmp/open.html" &&
	! grep -q '<script' "$tmp/open.html"; then
	ok
else
	fail "HTML page" "$(head -c 300 "$tmp/open.html")" "grade F, spf.pass-all, no script"
fi

# A hostile zone: markup and control bytes in records stay escaped.
printf '%s\n' '$ORIGIN evil.test.' '@ MX 10 mx' 'mx A 192.0.2.1' \
	'@ TXT "v=spf1 <img src=x> \033[31m -all"' \
	'_dmarc TXT "v=DMARC1; p=none; rua=mailto:\"><b>@evil.test"' \
	>"$tmp/evil.zone"
run "a hostile zone still gives a report" 0 \
	check --zone "$tmp/evil.zone" evil.test --html "$tmp/evil.html"
echo "check: no raw control byte on the terminal, no markup in the page"
if LC_ALL=C grep -q "$(printf '[\001-\010\033\200-\377]')" "$tmp/out" ||
	grep -q '<img' "$tmp/evil.html" || grep -q '<b>' "$tmp/evil.html"; then
	fail "escaped output" "$(grep -n 'img\|<b>' "$tmp/evil.html" | head -3)" "escaped"
else
	ok
fi
run "the same as JSON parses" 0 check --zone "$tmp/evil.zone" evil.test --json
json "hostile JSON" "print(o['domain'], len(f('spf.syntax')))" "evil.test 1"

# --state: the MTA-STS id= and policy kept between runs (RFC 8461 5.1:
# senders refetch a cached policy only when id= changes).
state="$tmp/state"
run "--state: the first run" 0 check --zone "$zone" good.example \
	--state "$state" --json
json "--state: nothing to compare the first time" \
	"print(len(f('mta-sts.id-unchanged') + f('mta-sts.id-changed') + f('mta-sts.policy-changed')))" \
	"0"
if [ -f "$state/good.example.mta-sts" ] &&
	[ "$(sed -n 1p "$state/good.example.mta-sts")" = "20261123T000000" ] &&
	tail -n +2 "$state/good.example.mta-sts" |
	cmp -s - examples/mta-sts/good.example.txt; then
	ok
else
	fail "--state: the state file is the id, then the policy" \
		"$(head -c 300 "$state/good.example.mta-sts" 2>&1)" \
		"20261123T000000, then examples/mta-sts/good.example.txt"
fi
run "--state: the second run" 0 check --zone "$zone" good.example \
	--state "$state" --json
json "--state: no change seen" \
	"print(len(f('mta-sts.id-unchanged') + f('mta-sts.id-changed') + f('mta-sts.policy-changed')), o['grade'])" \
	"0 A"
{ cat examples/mta-sts/good.example.txt; echo "mx: mx2.good.example"; } \
	>"$tmp/changed.txt"
run "--state: the policy changed, the id= did not" 0 check --zone "$zone" \
	good.example --state "$state" --json \
	--mta-sts-policy "good.example=$tmp/changed.txt"
json "--state: mta-sts.id-unchanged is high, its fix a new id=" "
import re
x = f('mta-sts.id-unchanged')
m = x and re.search(r'id=([0-9]{8}T[0-9]{6})', x[0]['fix'])
print(len(x), x and x[0]['severity'], bool(m) and m.group(1) != '20261123T000000',
      x and 'mx mx2.good.example added' in x[0]['evidence'])" \
	"1 high True True"
echo "check: --state: a policy given with --mta-sts-policy is not kept"
if tail -n +2 "$state/good.example.mta-sts" |
	cmp -s - examples/mta-sts/good.example.txt; then
	ok
else
	fail "--state: the kept policy is still the published one" \
		"$(head -c 300 "$state/good.example.mta-sts" 2>&1)" \
		"examples/mta-sts/good.example.txt"
fi
run "--state with a domain that is not a host name is a usage error (64)" 64 \
	check --zone "$zone" '../x' --state "$state"
if [ ! -e "$tmp/x.mta-sts" ]; then ok; else
	fail "--state: nothing leaves DIR" "$tmp/x.mta-sts" "absent"
fi

run "no DOMAIN is a usage error (64)" 64 check --zone "$zone"
run "two domains is a usage error (64)" 64 check --zone "$zone" a.example b.example
run "a name that is not a domain is a usage error (64)" 64 \
	check --zone "$zone" 'a b.example'
run "--fail-on with an unknown severity is a usage error (64)" 64 \
	check --zone "$zone" good.example --fail-on severe
run "--mta-sts-policy without = is a usage error (64)" 64 \
	check --zone "$zone" good.example --mta-sts-policy good.example
run "--mta-sts-policy with a missing file exits 66" 66 \
	check --zone "$zone" good.example --mta-sts-policy "good.example=$tmp/none"
run "an unknown option is a usage error (64)" 64 \
	check --zone "$zone" good.example --frob
run "a missing zone file exits 66" 66 check --zone "$tmp/none.zone" good.example
run "--html to a directory that does not exist exits 73" 73 \
	check --zone "$zone" good.example --html "$tmp/no/dir/x.html"

run "check --help" 0 check --help
has "the help shows the usage" "inkan check DOMAIN"
run "check is in the command list" 0 --help
has "inkan --help lists check" "  check "

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
