#!/bin/sh
# authres.sh: the Authentication-Results fields inkan writes, read by a
# real peer: Debian's python3-authres (authres 1.2) through PYTHON.
# Messages go through `inkan verify` over examples/demo.zone (a pass, a
# failing DKIM signature with a quoted reason, the null reverse-path, a
# spoofed From); each field is parsed by authres.AuthenticationResultsHeader
# .parse() (a FeatureContext), with the extension methods (dmarc, arc) registered, and every
# result's method, result, reason and properties must match what inkan's
# --json output says. Exit 77 (skipped) when PYTHON lacks authres.
# Usage (from the repository root):
#   sh tests/interop/authres.sh /path/to/inkan /usr/bin/python3
set -u

inkan=${1:?usage: authres.sh /path/to/inkan PYTHON}
py=${2:?usage: authres.sh /path/to/inkan PYTHON}
zone=examples/demo.zone
if ! "$py" -c 'import authres' 2>/dev/null; then
	echo "skipped: $py has no authres module (python3-authres)"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

printf '%s\n' 'From: Alice <alice@example.com>' 'To: Bob <bob@example.net>' \
	'Subject: Lunch?' 'Message-ID: <interop-1@example.com>' '' \
	'Noon at the usual place?' >"$tmp/msg.eml"
"$inkan" dkim sign --domain example.com --selector sel1 \
	--key examples/demo-dkim-sel1.private "$tmp/msg.eml" >"$tmp/signed.eml" ||
	exit 1
sed 's/Noon/Nine/' "$tmp/signed.eml" >"$tmp/tampered.eml"
printf '%s\n' 'From: ceo@example.com' 'Subject: pay' '' 'now' >"$tmp/spoof.eml"

# check NAME FILE ARGS...: inkan verify --json, then authres parses the
# field and the two are compared.
check() {
	name=$1
	file=$2
	shift 2
	if ! "$inkan" verify --zone "$zone" --authserv-id mx.example.net \
		--json "$@" "$file" >"$tmp/out.json" 2>"$tmp/err"; then
		echo "FAIL $name: inkan verify failed: $(cat "$tmp/err")"
		failed=$((failed + 1))
		return
	fi
	if "$py" - "$tmp/out.json" >"$tmp/py.out" 2>&1 <<'EOF'; then
import json, sys
import authres, authres.dmarc, authres.arc

j = json.load(open(sys.argv[1]))
field = j["authentication_results"].replace("\r\n", "\n").rstrip("\n")
ctx = authres.FeatureContext(authres.dmarc, authres.arc)
parsed = ctx.parse(field)
problems = []
if parsed.authserv_id != "mx.example.net":
    problems.append("authserv_id %r" % parsed.authserv_id)
by_method = {}
for r in parsed.results:
    by_method.setdefault(r.method, []).append(r)
def props(r):
    return {"%s.%s" % (p.type, p.name): p.value for p in r.properties}
spf = by_method.get("spf", [None])[0]
if spf is None or spf.result != j["spf"]["result"]:
    problems.append("spf %r" % (spf and spf.result))
dk = by_method.get("dkim", [])
if j["dkim"]:
    if len(dk) != len(j["dkim"]):
        problems.append("%d dkim results, want %d" % (len(dk), len(j["dkim"])))
    for r, s in zip(dk, j["dkim"]):
        p = props(r)
        if r.result != s["result"] or p.get("header.d") != s["domain"] or \
                p.get("header.s") != s["selector"] or \
                p.get("header.i") != s["identity"]:
            problems.append("dkim %s %r" % (r.result, p))
        if s["result"] != "pass" and r.reason != s["reason"]:
            problems.append("dkim reason %r, want %r" % (r.reason, s["reason"]))
elif len(dk) != 1 or dk[0].result != "none":
    problems.append("want dkim=none")
dm = by_method.get("dmarc", [None])[0]
if dm is None or dm.result != j["dmarc"]["result"] or \
        props(dm).get("header.from") != j["dmarc"]["domain"]:
    problems.append("dmarc %r" % (dm and str(dm)))
arc = by_method.get("arc", [None])[0]
if arc is None or arc.result != j["arc"]["result"]:
    problems.append("arc %r" % (arc and str(arc)))
if problems:
    print("; ".join(problems))
    print(field)
    sys.exit(1)
print("%d results" % len(parsed.results))
EOF
		echo "ok   $name ($(cat "$tmp/py.out"))"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		sed 's/^/    /' "$tmp/py.out"
		failed=$((failed + 1))
	fi
}

check "pass" "$tmp/signed.eml" --ip 192.0.2.10 --helo mx1.example.com \
	--mail-from alice@example.com
check "dkim fail with a quoted reason" "$tmp/tampered.eml" \
	--ip 203.0.113.9 --helo mail.example.org --mail-from alice@example.com
check "null reverse-path (smtp.helo)" "$tmp/signed.eml" --ip 192.0.2.10 \
	--helo mx1.example.com --mail-from ''
check "spoofed From, unsigned (dkim=none)" "$tmp/spoof.eml" \
	--ip 198.51.100.25 --helo out.bulk.example.net \
	--mail-from news@bulk.example.net

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
