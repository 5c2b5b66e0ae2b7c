#!/bin/sh
# dkim.sh: `inkan dkim keygen|sign|verify`, offline: keys are generated
# into a temporary directory and published through a zone file made from
# the keygen output. Usage (from the repository root):
#   sh tests/cli/dkim.sh /path/to/inkan
# Prints one line per check and `N passed, N failed`; exits 1 on failure.
set -u

inkan=${1:?usage: dkim.sh /path/to/inkan}
. tests/cli/lib.sh

keys=$tmp/keys
mkdir "$keys"

# ---- keygen ----------------------------------------------------------------
run "keygen rsa" 0 dkim keygen --algorithm rsa --domain example.com \
	--selector rsa1 --out "$keys" &&
	has "keygen rsa prints the zone line" \
		'rsa1._domainkey.example.com. IN TXT ( "v=DKIM1; k=rsa; p=MII'
run "keygen ed25519" 0 dkim keygen --algorithm=ed25519 \
	--domain=example.com --selector=ed1 --out="$keys" &&
	has "keygen ed25519 prints the zone line" \
		'ed1._domainkey.example.com. IN TXT ( "v=DKIM1; k=ed25519; p='

for f in rsa1.private rsa1.txt ed1.private ed1.txt; do
	if [ -s "$keys/$f" ]; then ok "keygen wrote $f"; else
		bad "keygen wrote $f" "missing or empty" "$keys/$f"
	fi
done
mode=$(stat -c %a "$keys/rsa1.private" 2>/dev/null)
[ "$mode" = 600 ] && ok "the private key is mode 0600" ||
	bad "the private key is mode 0600" "$mode" 600
# RFC 1035 3.3.14: no character-string over 255 bytes (2048-bit RSA's
# record needs two).
longest=$($py -c '
import re, sys
print(max(len(s) for s in re.findall(r"\"([^\"]*)\"", open(sys.argv[1]).read())))
' "$keys/rsa1.txt" 2>&1)
[ "$longest" -le 255 ] 2>/dev/null && ok "TXT strings are at most 255 bytes" ||
	bad "TXT strings are at most 255 bytes" "$longest" "<= 255"

run "keygen refuses to overwrite a key (73)" 73 dkim keygen \
	--algorithm rsa --domain example.com --selector rsa1 --out "$keys"
: >"$keys/stale.txt"
run "keygen refuses when only S.txt exists (73)" 73 dkim keygen \
	--algorithm ed25519 --domain example.com --selector stale --out "$keys"
if [ -e "$keys/stale.private" ]; then
	bad "no private key is left without its record" "stale.private exists" \
		"no stale.private"
else
	ok "no private key is left without its record"
fi
rm -f "$keys/stale.txt"
run "keygen creates a missing --out DIR/ (0700)" 0 dkim keygen \
	--algorithm ed25519 --domain example.com --selector fresh \
	--out "$tmp/newdir/"
if [ -f "$tmp/newdir/fresh.private" ] &&
	[ "$(stat -c %a "$tmp/newdir")" = 700 ]; then
	ok "the new directory holds the key and is private"
else
	bad "the new directory holds the key and is private" \
		"$(ls -ld "$tmp/newdir" 2>&1)" "drwx------ with fresh.private"
fi
: >"$tmp/notadir"
run "keygen --out onto a file (73)" 73 dkim keygen \
	--algorithm ed25519 --domain example.com --selector x \
	--out "$tmp/notadir"
run "keygen --bits is for RSA only (64)" 64 dkim keygen \
	--algorithm ed25519 --bits 2048 --domain example.com --selector x \
	--out "$keys"
run "keygen --bits 512 is refused (64)" 64 dkim keygen --algorithm rsa \
	--bits 512 --domain example.com --selector x --out "$keys"
run "keygen unknown algorithm (64)" 64 dkim keygen --algorithm dsa \
	--domain example.com --selector x --out "$keys"
run "keygen a selector with a slash (64)" 64 dkim keygen --algorithm rsa \
	--domain example.com --selector ../x --out "$keys"

cat "$keys/rsa1.txt" "$keys/ed1.txt" >"$tmp/keys.zone"

# ---- sign and verify --------------------------------------------------------
cat >"$tmp/msg.eml" <<'EOF'
From: Alice <alice@example.com>
To: Bob <bob@example.net>
Subject: dkim.sh test
Date: Mon, 23 Nov 2026 04:00:00 +0000
Message-ID: <dkim-sh-1@example.com>

Hello Bob,

this line ends in spaces   
and this one in a tab	

-- 
Alice
EOF

run "sign with both keys (LF input)" 0 dkim sign --domain example.com \
	--selector rsa1 --key "$keys/rsa1.private" \
	--selector ed1 --key "$keys/ed1.private" "$tmp/msg.eml"
cp "$tmp/out" "$tmp/signed.eml"
count "two DKIM-Signature fields in front" '^DKIM-Signature:' 2
if grep -q "$(printf '\r')" "$tmp/signed.eml"; then
	bad "LF input gives LF output" "a CR in the output" "no CR"
else
	ok "LF input gives LF output"
fi
# The message follows the signatures unchanged.
n=$(wc -l <"$tmp/msg.eml")
if tail -n "$n" "$tmp/signed.eml" | cmp -s - "$tmp/msg.eml"; then
	ok "the message follows unchanged"
else
	bad "the message follows unchanged" "different bytes" "msg.eml"
fi

run "verify the signed message" 0 dkim verify "$tmp/signed.eml" \
	--zone "$tmp/keys.zone"
count "two passes" '^pass d=example.com s=(rsa1|ed1) ' 2
has "rsa-sha256 in the output" 'a=rsa-sha256'
has "ed25519-sha256 in the output" 'a=ed25519-sha256'

run "verify from standard input" 0 dkim verify --zone "$tmp/keys.zone" - \
	<"$tmp/signed.eml"
count "two passes from stdin" '^pass ' 2

sed 's/^Alice$/Mallory/' "$tmp/signed.eml" >"$tmp/tampered.eml"
run "verify a tampered body" 0 dkim verify "$tmp/tampered.eml" \
	--zone "$tmp/keys.zone"
count "both signatures fail" '^fail ' 2
has "the reason names the body hash" 'body hash'

# CRLF input: signed and verified as it is, signatures end in CRLF.
sed 's/$/\r/' "$tmp/msg.eml" >"$tmp/msg-crlf.eml"
run "sign CRLF input with the ed25519 key, simple/simple" 0 dkim sign \
	--domain example.com --selector ed1 --key "$keys/ed1.private" \
	--canon simple/simple "$tmp/msg-crlf.eml"
cp "$tmp/out" "$tmp/signed-crlf.eml"
if head -n 1 "$tmp/signed-crlf.eml" | grep -q "$(printf '\r')\$"; then
	ok "CRLF input gives CRLF signature lines"
else
	bad "CRLF input gives CRLF signature lines" "$(head -n 1 "$tmp/signed-crlf.eml")" "a line ending in CR LF"
fi
has "c=simple/simple" 'c=simple/simple'
run "verify the CRLF message" 0 dkim verify "$tmp/signed-crlf.eml" \
	--zone "$tmp/keys.zone"
count "one pass" '^pass d=example.com s=ed1 ' 1

run "sign with --headers" 0 dkim sign --domain example.com --selector rsa1 \
	--key "$keys/rsa1.private" --headers from:to:subject --canon relaxed \
	"$tmp/msg.eml"
cp "$tmp/out" "$tmp/signed-h.eml"
run "verify the --headers message" 0 dkim verify "$tmp/signed-h.eml" \
	--zone "$tmp/keys.zone"
count "it passes" '^pass ' 1

run "verify an unsigned message" 0 dkim verify "$tmp/msg.eml" \
	--zone "$tmp/keys.zone"
has "no signature: none" 'none'

# ---- JSON ---------------------------------------------------------------------
run "verify --json" 0 dkim verify --json "$tmp/signed.eml" \
	--zone "$tmp/keys.zone"
got=$($py -c '
import json, sys
o = json.load(sys.stdin)
print(" ".join(sorted(s["result"] + "/" + s["algorithm"] + "/" + s["domain"]
    + "/" + str(s["testing"]) for s in o["signatures"])))
' <"$tmp/out" 2>&1)
want="pass/ed25519-sha256/example.com/False pass/rsa-sha256/example.com/False"
[ "$got" = "$want" ] && ok "the JSON parses, two passes" ||
	bad "the JSON parses, two passes" "$got" "$want"

run "verify --json, tampered" 0 dkim verify --json "$tmp/tampered.eml" \
	--zone "$tmp/keys.zone"
got=$($py -c '
import json, sys
o = json.load(sys.stdin)
print(",".join(s["result"] for s in o["signatures"]), all(s["reason"] for s in o["signatures"]))
' <"$tmp/out" 2>&1)
[ "$got" = "fail,fail True" ] && ok "JSON: two fails with reasons" ||
	bad "JSON: two fails with reasons" "$got" "fail,fail True"

# ---- usage errors and input errors -----------------------------------------
run "dkim without a subcommand (64)" 64 dkim
run "an unknown subcommand (64)" 64 dkim frobnicate
run "verify with an unknown option (64)" 64 dkim verify --frob x
run "verify with two files (64)" 64 dkim verify a b
run "sign without --key (64)" 64 dkim sign --domain example.com \
	--selector s "$tmp/msg.eml"
run "two keys with one selector (64)" 64 dkim sign --domain example.com \
	--selector rsa1 --key "$keys/rsa1.private" --key "$keys/ed1.private" \
	"$tmp/msg.eml"
run "sign with a bad --canon (64)" 64 dkim sign --domain example.com \
	--selector rsa1 --key "$keys/rsa1.private" --canon loose "$tmp/msg.eml"
run "sign --domain without a value (64)" 64 dkim sign --domain
run "keygen without --out (64)" 64 dkim keygen --algorithm rsa \
	--domain example.com --selector s
run "verify a missing file (66)" 66 dkim verify "$tmp/no-such.eml" \
	--zone "$tmp/keys.zone"
run "sign with a missing key (66)" 66 dkim sign --domain example.com \
	--selector s --key "$tmp/no-such.key" "$tmp/msg.eml"
printf 'not a key\n' >"$tmp/junk.key"
run "sign with a file that is not a key (65)" 65 dkim sign \
	--domain example.com --selector s --key "$tmp/junk.key" "$tmp/msg.eml"
run "dkim --help" 0 dkim --help && has "the help shows the usage" \
	'inkan dkim verify [FILE|-]'

finish
