#!/bin/sh
# https.sh: lib/https and the MTA-STS policy fetch against local HTTPS
# servers, offline.
#
#   sh tests/https/https.sh DRIVER [PYTHON] [OPENSSL]    (from the repo root)
#
# Makes a throwaway trusted CA, an untrusted CA and four server
# certificates with the openssl command, starts tests/https/server.py on
# 127.0.0.1 (free ports chosen by the kernel), and runs DRIVER
# (tests/https/https_driver.c), which fetches through inkan with the CA
# file and a resolve override pointing every name at those ports. Exits
# 77 (skipped) when python3 or openssl is missing, 1 when a case failed.
# tests/https/tls.sh has the certificate and server helpers.
set -u

driver=${1:?usage: https.sh DRIVER [PYTHON] [OPENSSL]}
py=${2:-/usr/bin/python3}
openssl=${3:-openssl}
https_dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/https/tls.sh
. "$https_dir/tls.sh"

if why=$(tls_missing); then
	echo "skip: $why"
	exit 77
fi
if [ ! -x "$driver" ]; then
	echo "https.sh: $driver is missing" >&2
	exit 1
fi

# ---- certificates ----------------------------------------------------------
tls_init
make_ca ca
make_ca otherca
sans=""
for b in good redirect notfound html nocontenttype useragent bigcl \
	bigclose bigchunked limit lie short garbage close slow; do
	sans="${sans:+$sans,}DNS:mta-sts.$b.test"
done
make_cert good ca "$sans"
make_cert untrusted otherca DNS:mta-sts.untrusted.test
make_cert wrongname ca DNS:mta-sts.other.test
# Valid for a day in 2020, from the trusted CA.
: >"$tmp/index.txt"
echo 01 >"$tmp/serial"
SAN=DNS:mta-sts.expired.test gen req -new -config "$tmp/openssl.cnf" \
	-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$tmp/expired.key" -out "$tmp/expired.csr" -subj "/CN=expired"
SAN=DNS:mta-sts.expired.test gen ca -batch -notext \
	-config "$tmp/openssl.cnf" -name testca -cert "$tmp/ca.pem" \
	-keyfile "$tmp/ca.key" -in "$tmp/expired.csr" -out "$tmp/expired.pem" \
	-startdate 20200101000000Z -enddate 20200102000000Z \
	-extfile "$tmp/openssl.cnf" -extensions server

# ---- servers ---------------------------------------------------------------
tls_serve
good="" untrusted="" wrongname="" expired="" plain="" hang="" closed=""
# shellcheck source=/dev/null
. "$tmp/ports"

"$driver" "$tmp/ca.pem" "$good" "$untrusted" "$wrongname" "$expired" \
	"$plain" "$hang" "$closed"
