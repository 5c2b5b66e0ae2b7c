#!/bin/sh
# verify.sh: `inkan verify`, offline over examples/demo.zone: a message
# signed with the demo key (examples/demo-dkim-sel1.private, selector sel1)
# from mx1 (192.0.2.10, which example.com's SPF permits) passes SPF, DKIM
# and DMARC; the same message with its body changed and sent from an
# address SPF does not permit fails DKIM and DMARC and gets p=reject; a
# From of example.com sent by bulk.example.net (whose SPF passes) is not
# aligned and fails DMARC. Usage (from the repository root):
#   sh tests/cli/verify.sh /path/to/inkan
# Prints one line per check and `N passed, N failed`; exits 1 on failure.
set -u

inkan=${1:?usage: verify.sh /path/to/inkan}
zone=examples/demo.zone
. tests/cli/lib.sh

printf '%s\n' 'From: Alice <alice@example.com>' 'To: Bob <bob@example.net>' \
	'Subject: Lunch?' 'Date: Mon, 23 Nov 2026 12:00:00 +0000' \
	'Message-ID: <verify-1@example.com>' '' 'Noon at the usual place?' \
	>"$tmp/msg.eml"
if ! "$inkan" dkim sign --domain example.com --selector sel1 \
	--key examples/demo-dkim-sel1.private "$tmp/msg.eml" \
	>"$tmp/signed.eml" 2>"$tmp/err"; then
	bad "signing with the demo key" "$(cat "$tmp/err")" "a signed message"
	finish
	exit 1
fi

# ---- pass ------------------------------------------------------------------
env_ok="--ip 192.0.2.10 --helo mx1.example.com --mail-from alice@example.com"
# shellcheck disable=SC2086
run "signed, from mx1" 0 verify --zone "$zone" $env_ok "$tmp/signed.eml" &&
	has "the field starts with the default authserv-id" \
		'Authentication-Results: localhost;' &&
	has "spf=pass for MAIL FROM" 'spf=pass smtp.mailfrom=alice@example.com;' &&
	has "dkim=pass with header.d and header.s" \
		'dkim=pass header.d=example.com header.i=@example.com header.s=sel1' &&
	has "arc=none (no ARC set)" 'arc=none;' &&
	has "dmarc=pass with header.from and policy.dmarc (RFC 9989 9.1)" \
		'dmarc=pass header.from=example.com policy.dmarc=reject' &&
	has "the disposition line" 'DMARC disposition: pass (dmarc=pass, p=reject'

# The same from standard input, with --authserv-id, as CRLF.
sed 's/$/\r/' "$tmp/signed.eml" >"$tmp/signed-crlf.eml"
# shellcheck disable=SC2086
run "CRLF from standard input" 0 verify --zone "$zone" $env_ok \
	--authserv-id mx.example.net - <"$tmp/signed-crlf.eml" &&
	has "--authserv-id is written" 'Authentication-Results: mx.example.net;' &&
	has "CRLF: dkim=pass" 'dkim=pass header.d=example.com' &&
	has "CRLF: dmarc=pass" 'dmarc=pass header.from=example.com'
if grep -q "$(printf '\r')" "$tmp/out"; then
	bad "the printed field has no CR" "a CR" "LF lines"
else
	ok "the printed field has no CR"
fi

# ---- --json ----------------------------------------------------------------
# shellcheck disable=SC2086
run "--json" 0 verify --zone "$zone" $env_ok --json "$tmp/signed.eml" &&
	json "json spf.result" 'j["spf"]["result"]' pass &&
	json "json spf.domain" 'j["spf"]["domain"]' example.com &&
	json "json dkim has one signature" 'len(j["dkim"])' 1 &&
	json "json dkim[0]" 'j["dkim"][0]["result"] + " " + j["dkim"][0]["domain"] + " " + j["dkim"][0]["selector"]' \
		"pass example.com sel1" &&
	json "json arc.result" 'j["arc"]["result"]' none &&
	json "json dmarc.result" 'j["dmarc"]["result"]' pass &&
	json "json dmarc.domain" 'j["dmarc"]["domain"]' example.com &&
	json "json dmarc.policy" 'j["dmarc"]["policy"]' reject &&
	json "json dmarc.disposition" 'j["dmarc"]["disposition"]' pass &&
	json "json dmarc.alignment" \
		'(j["dmarc"]["alignment"]["dkim"], j["dmarc"]["alignment"]["spf"], j["dmarc"]["alignment"]["dkim_domain"])' \
		"(True, True, 'example.com')" &&
	json "json authentication_results" \
		'j["authentication_results"].startswith("Authentication-Results: localhost;") and "dmarc=pass" in j["authentication_results"]' \
		True

# ---- a changed body, from an address SPF does not permit --------------------
sed 's/Noon/Nine/' "$tmp/signed.eml" >"$tmp/tampered.eml"
run "tampered body" 0 verify --zone "$zone" --ip 203.0.113.9 \
	--helo mail.example.org --mail-from alice@example.com \
	"$tmp/tampered.eml" &&
	has "spf=fail for an address outside the policy" \
		'spf=fail smtp.mailfrom=alice@example.com' &&
	has "dkim=fail with the reason" 'dkim=fail reason=' &&
	has "dmarc=fail, policy.dmarc=reject" \
		'dmarc=fail header.from=example.com policy.dmarc=reject' &&
	has "disposition reject" 'DMARC disposition: reject (dmarc=fail'
run "tampered body, --json" 0 verify --zone "$zone" --ip 203.0.113.9 \
	--helo mail.example.org --mail-from alice@example.com --json \
	"$tmp/tampered.eml" &&
	json "json tampered: dkim fail" 'j["dkim"][0]["result"]' fail &&
	json "json tampered: dmarc fail, reject" \
		'j["dmarc"]["result"] + " " + j["dmarc"]["disposition"]' \
		"fail reject"

# ---- a spoofed From: example.com sent by bulk.example.net -------------------
printf '%s\n' 'From: The CEO <ceo@example.com>' 'To: Bob <bob@example.net>' \
	'Subject: Urgent wire transfer' 'Message-ID: <spoof-1@bulk.example.net>' \
	'' 'Please pay the attached invoice today.' >"$tmp/spoof.eml"
run "spoofed From" 0 verify --zone "$zone" --ip 198.51.100.25 \
	--helo out.bulk.example.net --mail-from news@bulk.example.net --json \
	"$tmp/spoof.eml" &&
	json "spoof: SPF passes for bulk.example.net" \
		'j["spf"]["result"] + " " + j["spf"]["domain"]' \
		"pass bulk.example.net" &&
	json "spoof: no DKIM signature" 'len(j["dkim"])' 0 &&
	json "spoof: nothing aligned" \
		'(j["dmarc"]["alignment"]["spf"], j["dmarc"]["alignment"]["dkim"])' \
		"(False, False)" &&
	json "spoof: dmarc fail, reject" \
		'j["dmarc"]["result"] + " " + j["dmarc"]["disposition"]' \
		"fail reject" &&
	json "spoof: dkim=none in the field" \
		'"dkim=none" in j["authentication_results"]' True

# ---- the null reverse-path: SPF checks the HELO name ------------------------
run "null reverse-path" 0 verify --zone "$zone" --ip 192.0.2.10 \
	--helo mx1.example.com --mail-from '' "$tmp/signed.eml" &&
	has "spf for the HELO identity" 'smtp.helo=mx1.example.com' &&
	has "DKIM still makes DMARC pass" 'dmarc=pass header.from=example.com'

# ---- errors ----------------------------------------------------------------
run "no --ip (64)" 64 verify --zone "$zone" --helo h --mail-from a@b \
	"$tmp/signed.eml"
run "a bad --ip (65)" 65 verify --zone "$zone" --ip 300.1.1.1 --helo h \
	--mail-from a@b "$tmp/signed.eml"
run "an unknown option (64)" 64 verify --zone "$zone" --bogus
run "a missing file (66)" 66 verify --zone "$zone" --ip 192.0.2.10 \
	--helo h --mail-from a@b "$tmp/no-such.eml"
printf 'no colon here\nFrom: a@example.com\n\nbody\n' >"$tmp/bad.eml"
run "a malformed header section (65)" 65 verify --zone "$zone" \
	--ip 192.0.2.10 --helo h --mail-from a@b "$tmp/bad.eml"
run "verify --help" 0 verify --help && has "the help shows the usage" \
	'usage: inkan verify --ip ADDR --helo NAME --mail-from ADDR'

finish
