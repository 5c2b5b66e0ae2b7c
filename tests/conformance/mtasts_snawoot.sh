#!/bin/sh
# mtasts_snawoot.sh: runs the MTA-STS conformance driver
# (tests/conformance/mtasts_snawoot.c) with real HTTPS servers for the
# certificate cases of the mta-sts-snawoot suite.
#
#   sh tests/conformance/mtasts_snawoot.sh DRIVER [PYTHON] [OPENSSL]
#
# The suite's README says what upstream's harness makes at test time:
# bad-cert1.loc's certificate is signed by a CA the client does not trust,
# bad-cert2.loc's names bad-cert2.loc instead of mta-sts.bad-cert2.loc.
# This makes those two with the openssl command, plus a correct one for
# good.loc (the control: the same path must fetch a good policy), and
# serves each from tests/https/server.py on 127.0.0.1. The driver writes
# each nginx.conf site's response into the sites directory, and fetches
# those sites through inkan_mtasts_policy_fetch() with the trusted CA
# file and a resolve override to the server's port. When python3 or
# openssl is missing, the driver runs without servers and skips the
# certificate cases, saying why. The exit status is the driver's.
set -u

driver=${1:?usage: mtasts_snawoot.sh DRIVER [PYTHON] [OPENSSL]}
py=${2:-/usr/bin/python3}
openssl=${3:-openssl}
https_dir=$(cd "$(dirname "$0")/../https" && pwd)
# shellcheck source=tests/https/tls.sh
. "$https_dir/tls.sh"

if [ ! -x "$driver" ]; then
	echo "mtasts_snawoot.sh: $driver is missing" >&2
	exit 1
fi
if why=$(tls_missing); then
	"$driver" --no-https "$why"
	exit
fi

tls_init
make_ca ca
make_ca untrusted-ca
make_cert good.loc ca DNS:mta-sts.good.loc
make_cert bad-cert1.loc untrusted-ca DNS:mta-sts.bad-cert1.loc
make_cert bad-cert2.loc ca DNS:bad-cert2.loc
mkdir "$tmp/sites" || exit 1
tls_serve --sites "$tmp/sites" good.loc bad-cert1.loc bad-cert2.loc

# The ports file has one "domain=port" line per server.
# shellcheck disable=SC2046
"$driver" "$tmp/ca.pem" "$tmp/sites" $(cat "$tmp/ports")
