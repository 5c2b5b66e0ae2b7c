# tls.sh: what the local HTTPS tests share, sourced by tests/https/https.sh
# and tests/conformance/mtasts_snawoot.sh (not a test itself): throwaway
# certificates made with the openssl command, and tests/https/server.py
# started on 127.0.0.1.
#
#	py=/usr/bin/python3 openssl=openssl https_dir=$PWD/tests/https
#	. "$https_dir/tls.sh"
#	if why=$(tls_missing); then echo "skip: $why"; exit 77; fi
#	tls_init                       # $tmp, removed on exit with the server
#	make_ca ca
#	make_cert good ca DNS:mta-sts.good.test
#	tls_serve good                 # the ports, "name=port" lines, in $tmp/ports
#
# The caller sets py (the python3 to run server.py with), openssl (the
# openssl command) and https_dir (the absolute path of tests/https).
# shellcheck shell=sh disable=SC2154
tmp=""
server_pid=""

# Prints why the tests cannot run and returns 0 when python3 or openssl
# is missing; returns 1 when both are there.
tls_missing() {
	if [ ! -x "$py" ]; then
		echo "$py is missing"
		return 0
	fi
	if ! command -v "$openssl" >/dev/null 2>&1; then
		echo "the openssl command is missing"
		return 0
	fi
	return 1
}

tls_cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	if [ -n "$tmp" ]; then
		rm -rf "$tmp"
	fi
}

# Makes $tmp (removed on exit, with the server stopped) and the openssl
# config every certificate is made with.
tls_init() {
	tmp=$(mktemp -d) || exit 1
	trap tls_cleanup EXIT
	trap 'exit 1' INT TERM
	# One config for everything: the CA and server extensions are chosen
	# with -extensions, the names through the SAN environment variable,
	# openssl ca's files are in CADIR.
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
# openssl ca, only for a backdated certificate (x509 -req cannot backdate).
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
}

# gen ARGS...: the openssl command; its output goes to $tmp/openssl.log,
# shown when it fails (and the test ends).
gen() {
	"$openssl" "$@" >>"$tmp/openssl.log" 2>&1 || {
		echo "tls.sh: openssl $1 failed:" >&2
		cat "$tmp/openssl.log" >&2
		exit 1
	}
}

# make_ca NAME: a CA, $tmp/NAME.pem and its key $tmp/NAME.key.
make_ca() {
	SAN=DNS:unused gen req -x509 -config "$tmp/openssl.cnf" \
		-extensions ca -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 \
		-subj "/CN=inkan test $1"
}

# make_cert NAME CA SAN: a server certificate $tmp/NAME.pem (key
# $tmp/NAME.key) signed by CA, valid for the names of SAN
# ("DNS:a.test,DNS:b.test").
make_cert() {
	SAN=$3 gen req -new -config "$tmp/openssl.cnf" -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/CN=$1"
	SAN=$3 gen x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" \
		-CAkey "$tmp/$2.key" -set_serial "$(date +%s%N | cut -c1-15)" \
		-days 2 -extfile "$tmp/openssl.cnf" -extensions server \
		-out "$tmp/$1.pem"
}

# tls_serve [--sites DIR] [NAME...]: starts server.py on the certificates
# of $tmp (see its usage) and waits until it has written $tmp/ports.
tls_serve() {
	"$py" "$https_dir/server.py" "$tmp" "$tmp/ports" "$@" \
		2>"$tmp/server.log" &
	server_pid=$!
	tries=0
	while [ ! -s "$tmp/ports" ]; do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			echo "tls.sh: server.py exited:" >&2
			cat "$tmp/server.log" >&2
			exit 1
		fi
		tries=$((tries + 1))
		if [ "$tries" -gt 300 ]; then
			echo "tls.sh: server.py wrote no ports" >&2
			exit 1
		fi
		sleep 0.1
	done
}
