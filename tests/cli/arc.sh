#!/bin/sh
# arc.sh: `inkan arc seal|verify`, offline: the test keys of tests/data/arc
# are published through tests/data/arc/keys.zone. A message is sealed by
# two forwarders (RSA, then Ed25519), verified after each, tampered with,
# and sealed again. Usage (from the repository root):
#   sh tests/cli/arc.sh /path/to/inkan
# Prints one line per check and `N passed, N failed`; exits 1 on failure.
set -u

inkan=${1:?usage: arc.sh /path/to/inkan}
data=tests/data/arc
zone=$data/keys.zone
. tests/cli/lib.sh

seal_rsa() {
	"$inkan" arc seal --zone "$zone" --domain example.org \
		--selector arc2026 --key "$data/arc2026.private" \
		--authserv-id mx.example.org "$@"
}

seal_ed() {
	"$inkan" arc seal --zone "$zone" --domain forwarder.example \
		--selector ed2026 --key "$data/ed2026.private" \
		--authserv-id fw.forwarder.example "$@"
}

# ---- no chain -----------------------------------------------------------------
run "verify a message without ARC" 0 arc verify --zone "$zone" \
	"$data/message.eml" &&
	first_prefix "no ARC Sets: none" "none:"

# ---- first forwarder ----------------------------------------------------------
if seal_rsa "$data/message.eml" >"$tmp/s1.eml" 2>"$tmp/err"; then
	ok "seal i=1 (rsa-sha256)"
else
	bad "seal i=1 (rsa-sha256)" "exit $?" "0"
fi
cp "$tmp/s1.eml" "$tmp/out"
count "one ARC Set added" '^ARC-(Seal|Message-Signature|Authentication-Results):' 3
has "the AS says cv=none" "cv=none"
has "the AAR copies our A-R" "ARC-Authentication-Results: i=1; mx.example.org; spf=pass"
if grep -q "other.example" "$tmp/s1.eml" && ! sed -n '/^ARC-Auth/,/^[^ ]/p' \
	"$tmp/s1.eml" | grep -q "spf=fail"; then
	ok "another authserv-id's A-R stays out of the AAR"
else
	bad "another authserv-id's A-R stays out of the AAR" \
		"$(sed -n '/^ARC-Auth/,/^[^ ]/p' "$tmp/s1.eml")" "no spf=fail"
fi
if tail -n +1 "$tmp/s1.eml" | grep -q "^Hello,$"; then
	ok "the message follows the new fields unchanged"
else
	bad "the message follows the new fields unchanged" "no body" "Hello,"
fi
run "verify after one seal" 0 arc verify --zone "$zone" "$tmp/s1.eml" &&
	first_prefix "one seal: pass" "pass:" &&
	has "one seal: 1 instance" "(instances 1, oldest-pass 0)" &&
	count "one seal: one line per instance" '^i=[0-9]+:' 1

# ---- second forwarder ----------------------------------------------------------
if seal_ed --results "arc=pass header.oldest-pass=0" "$tmp/s1.eml" \
	>"$tmp/s2.eml" 2>"$tmp/err"; then
	ok "seal i=2 (ed25519-sha256, own results)"
else
	bad "seal i=2 (ed25519-sha256, own results)" "exit $?" "0"
fi
cp "$tmp/s2.eml" "$tmp/out"
has "the second AS says cv=pass" "cv=pass"
has "the AAR is the caller's" \
	"ARC-Authentication-Results: i=2; fw.forwarder.example; arc=pass"
run "verify after two seals" 0 arc verify --zone "$zone" "$tmp/s2.eml" &&
	first_prefix "two seals: pass" "pass:" &&
	has "two seals: 2 instances" "(instances 2, oldest-pass 0)" &&
	has "two seals: the Ed25519 seal" \
		"i=2: seal pass d=forwarder.example s=ed2026 a=ed25519-sha256 cv=pass"
run "verify --json" 0 arc verify --zone "$zone" --json "$tmp/s2.eml" &&
	has "json: cv" '"cv": "pass"' &&
	has "json: instances" '"instances": 2' &&
	has "json: oldest_pass" '"oldest_pass": 0' &&
	has "json: the A-R words" '"authres": "arc=pass header.oldest-pass=0"' &&
	has "json: the AAR payload" '"aar": "fw.forwarder.example; arc=pass'

# CRLF input: the same chain, read as it is.
sed 's/$/\r/' "$tmp/s2.eml" >"$tmp/s2crlf.eml"
run "verify CRLF input" 0 arc verify --zone "$zone" "$tmp/s2crlf.eml" &&
	first_prefix "CRLF: pass" "pass:"

# ---- tampering ----------------------------------------------------------------
sed 's/^this message goes through two forwarders\.$/this message was changed./' \
	"$tmp/s2.eml" >"$tmp/body.eml"
run "verify with the body changed" 0 arc verify --zone "$zone" \
	"$tmp/body.eml" &&
	first_prefix "body changed: fail" "fail:" &&
	has "body changed: why" "body hash mismatch"
sed 's/^ARC-Authentication-Results: i=1; mx.example.org; spf=pass/ARC-Authentication-Results: i=1; mx.example.org; spf=none/' \
	"$tmp/s2.eml" >"$tmp/aar.eml"
run "verify with the first AAR changed" 0 arc verify --zone "$zone" \
	"$tmp/aar.eml" &&
	first_prefix "AAR changed: fail" "fail:" &&
	has "AAR changed: a seal does not verify" "does not verify"
sed 's/^Subject: arc.sh test$/Subject: arc.sh changed/' "$tmp/s2.eml" \
	>"$tmp/subj.eml"
run "verify with the Subject changed" 0 arc verify --zone "$zone" \
	"$tmp/subj.eml" && first_prefix "Subject changed: fail" "fail:"

# A broken chain is sealed with cv=fail (RFC 8617 5.1.2) ...
if seal_rsa "$tmp/body.eml" >"$tmp/s3.eml" 2>"$tmp/err"; then
	ok "seal a failed chain"
else
	bad "seal a failed chain" "exit $?" "0"
fi
cp "$tmp/s3.eml" "$tmp/out"
has "the new AS says cv=fail" "cv=fail"
has "the new set is i=3" "ARC-Authentication-Results: i=3;"
run "verify the cv=fail chain" 0 arc verify --zone "$zone" "$tmp/s3.eml" &&
	first_prefix "cv=fail chain: fail" "fail:" &&
	has "cv=fail chain: why" "says cv=fail"
# ... and is not continued (RFC 8617 5.1 step 2).
if seal_ed "$tmp/s3.eml" >"$tmp/s4.eml" 2>"$tmp/err" &&
	cmp -s "$tmp/s3.eml" "$tmp/s4.eml" && grep -q "not sealed" "$tmp/err"; then
	ok "a chain whose newest seal failed is not sealed again"
else
	bad "a chain whose newest seal failed is not sealed again" \
		"$(diff "$tmp/s3.eml" "$tmp/s4.eml" | head -5)" "unchanged"
fi

# ---- a missing key ------------------------------------------------------------
: >"$tmp/empty.zone"
run "verify without the keys" 0 arc verify --zone "$tmp/empty.zone" \
	"$tmp/s1.eml" &&
	first_prefix "no key: fail" "fail:" &&
	has "no key: why" "no key for the signature"

# ---- usage and input errors ---------------------------------------------------
run "seal without --authserv-id (64)" 64 arc seal --zone "$zone" \
	--domain example.org --selector arc2026 --key "$data/arc2026.private" \
	"$data/message.eml"
run "seal with h= naming ARC-Seal (64)" 64 arc seal --zone "$zone" \
	--domain example.org --selector arc2026 --key "$data/arc2026.private" \
	--authserv-id mx.example.org --headers from:arc-seal "$data/message.eml"
run "seal with a bad --timestamp (64)" 64 arc seal --zone "$zone" \
	--domain example.org --selector arc2026 --key "$data/arc2026.private" \
	--authserv-id mx.example.org --timestamp soon "$data/message.eml"
run "seal with a missing key file (66)" 66 arc seal --zone "$zone" \
	--domain example.org --selector arc2026 --key "$tmp/nokey" \
	--authserv-id mx.example.org "$data/message.eml"
run "seal with a key that is not a key (65)" 65 arc seal --zone "$zone" \
	--domain example.org --selector arc2026 --key "$data/message.eml" \
	--authserv-id mx.example.org "$data/message.eml"
run "verify a missing file (66)" 66 arc verify --zone "$zone" "$tmp/nofile"
run "verify two files (64)" 64 arc verify --zone "$zone" "$tmp/s1.eml" \
	"$tmp/s2.eml"
run "unknown arc command (64)" 64 arc check
run "arc --help" 0 arc --help && has "help names seal" "inkan arc seal"

# ---- the same chain through dkimpy's ARC validator ----------------------------
if "$py" -c 'import dkim' 2>/dev/null; then
	cat >"$tmp/peer.py" <<'EOF'
import re, sys
import dkim
recs = {}
for m in re.finditer(r'^(\S+)\. IN TXT \((.*?)\)', open(sys.argv[1]).read(), re.M):
    recs[m.group(1)] = ''.join(re.findall(r'"([^"]*)"', m.group(2))).encode()
def dnsfunc(name, timeout=5):
    n = name.decode() if isinstance(name, bytes) else name
    return recs.get(n.rstrip('.'))
msg = open(sys.argv[2], 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
cv, _, reason = dkim.arc_verify(msg, dnsfunc=dnsfunc)
print((cv or b'none').decode(), reason)
EOF
	# dkimpy's ARC has no Ed25519: the RSA seal only.
	got=$("$py" "$tmp/peer.py" "$zone" "$tmp/s1.eml" 2>&1)
	case $got in
	pass*) ok "dkimpy validates our RSA seal" ;;
	*) bad "dkimpy validates our RSA seal" "$got" "pass" ;;
	esac
	# Two RSA seals: dkimpy checks our AS over a chain of two sets.
	seal_rsa --authserv-id mx2.example.org "$tmp/s1.eml" \
		>"$tmp/rsa2.eml" 2>"$tmp/err"
	got=$("$py" "$tmp/peer.py" "$zone" "$tmp/rsa2.eml" 2>&1)
	case $got in
	pass*) ok "dkimpy validates our chain of two RSA seals" ;;
	*) bad "dkimpy validates our chain of two RSA seals" "$got" "pass" ;;
	esac
	sed 's/^this message goes through two forwarders\.$/changed./' \
		"$tmp/s1.eml" >"$tmp/body1.eml"
	got=$("$py" "$tmp/peer.py" "$zone" "$tmp/body1.eml" 2>&1)
	case $got in
	fail*) ok "dkimpy agrees the changed body fails" ;;
	*) bad "dkimpy agrees the changed body fails" "$got" "fail" ;;
	esac
	# dkimpy seals first; we validate and seal on top; dkimpy checks.
	cat >"$tmp/peer_seal.py" <<'EOF'
import sys
import dkim
key = open(sys.argv[1], 'rb').read()
msg = open(sys.argv[2], 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
hdrs = dkim.arc_sign(msg, b'arc2026', b'example.org', key, b'mx.example.org',
                     include_headers=[b'from', b'to', b'subject', b'date'])
sys.stdout.buffer.write((b''.join(hdrs) + msg).replace(b'\r\n', b'\n'))
EOF
	if "$py" "$tmp/peer_seal.py" "$data/arc2026.private" \
		"$data/message.eml" >"$tmp/py1.eml" 2>"$tmp/err"; then
		run "verify dkimpy's seal" 0 arc verify --zone "$zone" \
			"$tmp/py1.eml" && first_prefix "dkimpy's seal: pass" "pass:"
		seal_rsa --authserv-id mx2.example.org "$tmp/py1.eml" \
			>"$tmp/py2.eml" 2>"$tmp/err"
		got=$("$py" "$tmp/peer.py" "$zone" "$tmp/py2.eml" 2>&1)
		case $got in
		pass*) ok "dkimpy validates our seal over its own" ;;
		*) bad "dkimpy validates our seal over its own" "$got" "pass" ;;
		esac
	else
		bad "dkimpy seals the message" "$(cat "$tmp/err")" "a sealed message"
	fi
else
	echo "skip dkimpy interop: $py has no dkim module"
fi

finish
