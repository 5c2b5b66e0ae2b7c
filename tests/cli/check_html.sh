#!/bin/sh
# check_html.sh: the HTML report of `inkan check --html`, opened in a real
# browser: headless Debian chromium renders each page and dumps its DOM,
# which must show the grade and every finding id of the same run's JSON.
# Usage: sh tests/cli/check_html.sh /path/to/inkan   (from the repo root)
# Exits 77 (skipped) when chromium is not installed.
set -u

inkan=${1:?usage: check_html.sh /path/to/inkan}
zone=examples/demo.zone
browser=""
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "skipped: chromium is not installed (apt-get install chromium)"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

fail() {
	echo "FAIL: $1"
	echo "  got:  $2"
	echo "  want: $3"
	failed=$((failed + 1))
}

# page DOMAIN [ARGS...]: renders DOMAIN's report and checks its DOM.
page() {
	d=$1
	shift
	echo "check: $d: the rendered page shows the grade and every finding"
	if ! "$inkan" check --zone "$zone" "$d" "$@" --json \
		--html "$tmp/$d.html" >"$tmp/$d.json" 2>"$tmp/err"; then
		fail "$d: inkan check" "$(cat "$tmp/err")" "exit 0"
		return
	fi
	# --no-sandbox: the tests may run as root, which the sandbox refuses.
	# The profile directory is the test's own, so no state is shared.
	if ! "$browser" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/profile" --dump-dom \
		"file://$tmp/$d.html" >"$tmp/$d.dom" 2>"$tmp/browser.err"; then
		fail "$d: chromium" "$(tail -3 "$tmp/browser.err")" "a DOM"
		return
	fi
	got=$(python3 -c "import json, re, sys
o = json.load(open(sys.argv[1]))
dom = open(sys.argv[2]).read()
missing = []
m = re.search(r'<span[^>]*id=\"grade\"[^>]*>([A-F])</span>', dom)
if not m or m.group(1) != o['grade']:
    missing.append('grade ' + o['grade'])
text = re.sub(r'<[^>]*>', ' ', dom)
for x in o['findings']:
    if x['id'] not in text:
        missing.append(x['id'])
print(len(o['findings']), 'findings,', 'missing: ' + ' '.join(missing) if missing else 'all shown')
" "$tmp/$d.json" "$tmp/$d.dom" 2>&1)
	case "$got" in
	*"all shown") passed=$((passed + 1)) ;;
	*) fail "$d: DOM" "$got" "grade and every finding id shown" ;;
	esac
	echo "  $got"
	# Nothing but the page itself: no script ran, nothing was loaded.
	echo "check: $d: no script, no external resource"
	if grep -qi '<script\|<link\|src=\|url(' "$tmp/$d.html"; then
		fail "$d: self-contained" "$(grep -oi '<script\|<link\|src=\|url(' "$tmp/$d.html" | head -3)" "none"
	else
		passed=$((passed + 1))
	fi
}

page good.example
page open.example
page lookups.example
page bimi-nodmarc.example
page stsmismatch.example \
	--mta-sts-policy stsmismatch.example=examples/mta-sts/stsmismatch.example.txt

# Markup in DNS is shown as text, never rendered as elements.
printf '%s\n' '$ORIGIN evil.test.' '@ MX 10 mx' 'mx A 192.0.2.1' \
	'@ TXT "v=spf1 <img id=pwned src=x> -all"' \
	'_dmarc TXT "v=DMARC1; p=none; rua=mailto:\"><b id=bold>@evil.test"' \
	>"$tmp/evil.zone"
echo "check: markup from DNS stays text in the rendered page"
"$inkan" check --zone "$tmp/evil.zone" evil.test --html "$tmp/evil.html" \
	>/dev/null 2>&1
"$browser" --headless --no-sandbox --disable-gpu \
	--user-data-dir="$tmp/profile" --dump-dom "file://$tmp/evil.html" \
	>"$tmp/evil.dom" 2>/dev/null
if grep -q '&lt;img id=pwned' "$tmp/evil.dom" &&
	! grep -q '<img' "$tmp/evil.dom" && ! grep -q '<b id' "$tmp/evil.dom"; then
	passed=$((passed + 1))
else
	fail "escaped markup" "$(grep -o '.\{20\}img.\{20\}' "$tmp/evil.dom" | head -2)" "&lt;img as text"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
