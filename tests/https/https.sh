#!/bin/sh
# https.sh: lib/https and the MTA-STS policy fetch against local HTTPS
# servers, offline.
#
#   sh tests/https/https.sh DRIVER [PYTHON] [OPENSSL]    (from the repo root)
#
# Makes a throwaway trusted CA, an untrusted CA and three server
# certificates with the openssl command, starts tests/https/server.py on
# 127.0.0.1 (free ports chosen by the kernel), and runs DRIVER
# (tests/https/https_driver.c), which fetches through inkan with the CA
# file and a resolve override pointing every name at those ports. Exits
# 77 (skipped) when python3 or openssl is missing, 1 when a case failed.
set -u

driver=${1:?usage: https.sh DRIVER [PYTHON] [OPENSSL]}
py=${2:-/usr/bin/python3}
openssl=${3:-openssl}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 1
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if [ ! -x "$py" ]; then
	echo "skip: $py is missing"
	exit 77
fi
if ! command -v "$openssl" >/dev/null 2>&1; then
	echo "skip: the openssl command is missing"
	exit 77
fi
if [ ! -x "$driver" ]; then
	echo "https.sh: $driver is missing" >&2
	exit 1
fi

# ---- certificates ----------------------------------------------------------
# One config for everything: the CA and server extensions are chosen with
# -extensions, the names through the SAN environment variable, openssl ca's
# files are in CADIR.
CADIR=$tmp
export CADIR
cat >"$tmp/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = inkan test
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
authorityKeyIdentifier = keyid
# openssl ca, only for the expired certificate (x509 -req cannot backdate).
[testca]
database = $ENV::CADIR/index.txt
new_certs_dir = $ENV::CADIR
serial = $ENV::CADIR/serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
commonName = supplied
CNF

gen() {
	"$openssl" "$@" >>"$tmp/openssl.log" 2>&1 || {
		echo "https.sh: openssl $1 failed:" >&2
		cat "$tmp/openssl.log" >&2
		exit 1
	}
}

# make_ca NAME
make_ca() {
	SAN=DNS:unused gen req -x509 -config "$tmp/openssl.cnf" \
		-extensions ca -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 \
		-subj "/CN=inkan test $1"
}

# make_cert NAME CA SAN
make_cert() {
	SAN=$3 gen req -new -config "$tmp/openssl.cnf" -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=$1"
	SAN=$3 gen x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" \
		-CAkey "$tmp/$2.key" -set_serial "$(date +%s%N | cut -c1-15)" \
		-days 2 -extfile "$tmp/openssl.cnf" -extensions server \
		-out "$tmp/$1.pem"
}

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
"$py" "$here/server.py" "$tmp" "$tmp/ports" 2>"$tmp/server.log" &
server_pid=$!
tries=0
while [ ! -s "$tmp/ports" ]; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "https.sh: server.py exited:" >&2
		cat "$tmp/server.log" >&2
		exit 1
	fi
	tries=$((tries + 1))
	if [ "$tries" -gt 300 ]; then
		echo "https.sh: server.py wrote no ports" >&2
		exit 1
	fi
	sleep 0.1
done
good="" untrusted="" wrongname="" expired="" plain="" hang="" closed=""
# shellcheck source=/dev/null
. "$tmp/ports"

"$driver" "$tmp/ca.pem" "$good" "$untrusted" "$wrongname" "$expired" \
	"$plain" "$hang" "$closed"
