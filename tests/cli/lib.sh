# lib.sh: the checks the tests/cli scripts share. A script sets inkan (the
# binary under test) and sources this file from the repository root:
#   inkan=${1:?usage: NAME.sh /path/to/inkan}
#   . tests/cli/lib.sh
# It gets a temporary directory $tmp (removed on exit), $py (Debian's
# python3, which has the modules the checks use), the counters and the
# checks below; each check prints "ok   NAME", or "FAIL NAME" with got,
# want and the last stderr. The script ends with `finish`.

py=/usr/bin/python3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# ok [NAME]: counts a pass (and says so when NAME is given).
ok() {
	if [ $# -gt 0 ]; then
		echo "ok   $1"
	fi
	passed=$((passed + 1))
}

# bad NAME GOT WANT: counts a failure and shows why.
bad() {
	echo "FAIL $1"
	echo "  got:  $2"
	echo "  want: $3"
	if [ -s "$tmp/err" ]; then
		echo "  stderr:"
		sed 's/^/    /' "$tmp/err"
	fi
	failed=$((failed + 1))
}

# run NAME WANT-STATUS ARGS...: runs inkan with stdout to $tmp/out and
# stderr to $tmp/err; the exit status is a check. Returns 1 when it is not
# as wanted, so that `run ... && has ...` skips what depends on it.
run() {
	name=$1
	want=$2
	shift 2
	"$inkan" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit status" "$got" "$want"
		return 1
	fi
	ok "$name"
}

# has NAME TEXT: the last output contains TEXT.
has() {
	if grep -F -e "$2" "$tmp/out" >/dev/null; then
		ok "$1"
	else
		bad "$1" "$(head -c 600 "$tmp/out")" "output containing $2"
	fi
}

# first NAME LINE: the last output's first line is LINE.
first() {
	line=$(head -n 1 "$tmp/out")
	if [ "$line" = "$2" ]; then
		ok "$1"
	else
		bad "$1" "$line" "$2"
	fi
}

# first_prefix NAME TEXT: the last output's first line starts with TEXT.
first_prefix() {
	line=$(head -n 1 "$tmp/out")
	case $line in
	"$2"*) ok "$1" ;;
	*) bad "$1" "$line" "a first line starting with $2" ;;
	esac
}

# count NAME PATTERN WANT: the last output has WANT lines matching PATTERN.
count() {
	got=$(grep -c -E -e "$2" "$tmp/out")
	if [ "$got" -eq "$3" ]; then
		ok "$1"
	else
		bad "$1" "$got lines /$2/ in: $(head -c 400 "$tmp/out")" "$3"
	fi
}

# json NAME EXPR WANT: the Python expression EXPR over the last output,
# parsed as JSON into j, gives WANT (printed with str()).
json() {
	got=$($py -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))
' "$tmp/out" "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		ok "$1"
	else
		bad "$1" "$got" "$3"
	fi
}

# json_code NAME CODE WANT: the Python statements CODE, with the last
# output parsed as JSON into o, print WANT.
json_code() {
	got=$($py -c "import json, sys
o = json.load(sys.stdin)
$2" <"$tmp/out" 2>&1)
	if [ "$got" = "$3" ]; then
		ok "$1"
	else
		bad "$1" "$got" "$3"
	fi
}

# finish: prints the counts; the script's exit status (1 on a failure).
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
