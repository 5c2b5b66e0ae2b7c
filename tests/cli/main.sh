#!/bin/sh
# main.sh: the inkan command's global behaviour: --help, --version, usage
# errors and their exit status (sysexits.h). Usage: main.sh PATH-TO-INKAN
set -u
inkan=${1:?usage: main.sh PATH-TO-INKAN}
passed=0
failed=0

# check NAME WANT-STATUS WANT-PATTERN -- ARGS...: runs inkan ARGS, checks
# the exit status and that stdout+stderr match the extended regex.
check() {
	name=$1 want=$2 pat=$3
	shift 4
	out=$("$inkan" "$@" 2>&1)
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL $name: exit status got $got, want $want"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	elif ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
		echo "FAIL $name: output does not match /$pat/:"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	else
		echo "ok   $name"
		passed=$((passed + 1))
	fi
}

check "--help lists commands" 0 '^usage: inkan' -- --help
check "--version" 0 '^inkan [0-9]+\.[0-9]+\.[0-9]+$' -- --version
check "no command is a usage error" 64 '^usage: inkan' --
check "unknown command" 64 "unknown command 'frobnicate'" -- frobnicate
check "--zone needs a file" 64 '--zone needs a FILE' -- --version --zone
check "--zone= needs a file" 64 '--zone= needs a FILE' -- --zone= --version
check "--zone with --overlay" 64 'cannot be combined' -- \
	--zone a.zone --overlay b.zone --version

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
