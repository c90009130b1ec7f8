#!/bin/bash
# strict_align.sh - every program we ship, and those of the test objects
# in build/objs/, load with BPF_F_STRICT_ALIGNMENT (as on a MIPS router),
# and a MAC swap with a misaligned 32-bit access is refused, which shows
# the check can fail. Needs root and the host's bpf(2).
# Run by make test-strict-align, which builds what it needs.
# Ends with "strict-align: N passed, M failed, K skipped".
#
#   tests/strict_align.sh SHIPPED-OBJECT...

TOP=$(cd "$(dirname "$0")/.." && pwd)
SA=$TOP/tests/strict_align
OBJ_DIR=${OBJ_DIR:-build/objs/bpfel}
MISALIGNED=$TOP/$OBJ_DIR/misaligned.o
case $OBJ_DIR in *bpfel) OTHER_ORDER=bpfeb ;; *) OTHER_ORDER=bpfel ;; esac
OUT=$(mktemp /tmp/xrm-strict.XXXXXX)
trap 'rm -f "$OUT"' EXIT
passed=0 failed=0 skipped=0

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; }

# Runs strict_align on one object; its exit status, its lines indented.
run() {
	"$SA" "$1" >"$OUT" 2>&1
	local rc=$?
	sed 's/^/     /' "$OUT"
	return $rc
}

if [ "$(id -u)" != 0 ]; then
	skip "strict alignment" "needs root for bpf(2)"
elif [ $# = 0 ]; then
	fail "strict alignment" "no shipped object given"
else
	for o in "$@"; do
		run "$o"
		rc=$?
		if [ $rc = 0 ] && grep -q '^ok ' "$OUT" && ! grep -qE '^(FAIL|SKIP) ' "$OUT"; then
			ok "${o#"$TOP"/}: every program loads with strict alignment"
		else
			fail "${o#"$TOP"/}: every program loads with strict alignment" "exit $rc"
		fi
	done
	run "$MISALIGNED"
	rc=$?
	if [ $rc = 1 ] && grep -q '^FAIL xdp_misaligned_swap' "$OUT"; then
		ok "misaligned MAC swap: loads without the flag, refused with it"
	else
		fail "misaligned MAC swap: loads without the flag, refused with it" "exit $rc"
	fi
	for o in "$TOP/$OBJ_DIR"/*.o; do
		[ "$o" = "$MISALIGNED" ] && continue
		# The one object built for the other byte order (legacy_bpfeb.o
		# in build/objs/bpfel) is for the loader's refusal, not the kernel.
		case $o in *_"$OTHER_ORDER".o)
			skip "${o#"$TOP"/}" "built for the other byte order"; continue ;;
		esac
		run "$o"
		rc=$?
		if [ $rc = 0 ]; then
			ok "${o#"$TOP"/}: every program loads, also with strict alignment"
		else
			fail "${o#"$TOP"/}: every program loads, also with strict alignment" "exit $rc"
		fi
	done
fi
echo "strict-align: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
