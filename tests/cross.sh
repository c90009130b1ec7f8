#!/bin/bash
# cross.sh - the cross builds of issues 5 and 15: for each target, the
# static binary is built with musl, has no program interpreter, carries a
# BPF object of its own byte order, starts under qemu-user and is at most
# SIZE_MAX_BYTES stripped; the unit tests are built for it and run under
# QEMU. The native build (x86_64 in CI) is held to the same size and
# shown to use musl's own printf.
# Run from anywhere; installs nothing (tests/deps.sh test does).
# Ends with "cross: N passed, M failed, K skipped".
#
#   tests/cross.sh [TRIPLET...]     default: the four targets below
#
# The size limit (README "Size"): small because it does little, not
# because it replaces libc.

TOP=$(cd "$(dirname "$0")/.." && pwd)
TARGETS=${*:-mips-linux-gnu mipsel-linux-gnu arm-linux-gnueabihf aarch64-linux-gnu}
SIZE_MAX_BYTES=131072
LOG=$(mktemp -d /tmp/xrm-cross.XXXXXX)
trap 'rm -rf "$LOG"' EXIT
passed=0 failed=0 skipped=0
SIZES=

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; }

# A build of musl, static, at most SIZE_MAX_BYTES stripped: name, the
# binary, its stripped copy.
size_check() {
	local n=$1 bin=$2 stripped=$3 size

	size=$(stat -c %s "$stripped")
	SIZES="$SIZES$n $size"$'\n'
	if readelf -n "$bin" | grep -q NT_GNU_ABI_TAG; then
		fail "$n: musl" "linked with glibc"
	else
		ok "$n: musl"
	fi
	if readelf -lW "$bin" | grep -qE 'INTERP|DYNAMIC'; then
		fail "$n: static" "has a program interpreter or dynamic section"
	else
		ok "$n: static"
	fi
	if [ "$size" -le $SIZE_MAX_BYTES ]; then
		ok "$n: $size bytes stripped, at most $SIZE_MAX_BYTES"
	else
		fail "$n: size" "$size bytes stripped, more than $SIZE_MAX_BYTES"
	fi
}

# The native build, which make and make install ship; its printf is
# musl's own (no project file defines one).
native_size() {
	local n

	n="$(uname -m)-native"
	if ! make -s -C "$TOP" xdp_redirect_map >"$LOG/native.build" 2>&1; then
		fail "$n: build" "$(tail -1 "$LOG/native.build")"
		return
	fi
	strip -o "$LOG/native.stripped" "$TOP/xdp_redirect_map"
	size_check "$n" "$TOP/xdp_redirect_map" "$LOG/native.stripped"
	if nm "$TOP/xdp_redirect_map" | grep -qE ' t printf_core$' &&
	   nm "$TOP/xdp_redirect_map" | grep -qE ' T vfprintf$'; then
		ok "$n: musl's printf family (printf_core, vfprintf)"
	else
		fail "$n: musl's printf family (printf_core, vfprintf)"
	fi
}

# The byte at offset off of file, as a number.
byte_at() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

# The BPF object inside the binary is the second ELF64 header in it (the
# first, for 64-bit targets, is the binary's own at offset 0); its
# EI_DATA must match the binary's.
embedded_order_ok() {
	local bin=$1 off
	off=$(grep -obUaP '\x7fELF\x02' "$bin" | cut -d: -f1 | awk '$1 > 0 { print; exit }')
	[ -n "$off" ] && [ "$(byte_at "$bin" $((off + 5)))" = "$(byte_at "$bin" 5)" ]
}

cross_one() {
	local t=$1 arch=${1%%-*} n=$1 qemu order bin
	bin=$TOP/xdp_redirect_map.$n
	qemu=qemu-$arch-static
	if ! command -v "$t-gcc" >/dev/null; then
		skip "$n" "no $t-gcc (sh tests/deps.sh test)"
		return
	fi
	if ! make -C "$TOP" -j2 CROSS_COMPILE="$t-" >"$LOG/$n.build" 2>&1; then
		fail "$n: build" "$(tail -1 "$LOG/$n.build")"
		return
	fi
	ok "$n: build"
	if embedded_order_ok "$bin"; then
		ok "$n: embedded BPF object in the target's byte order"
	else
		fail "$n: embedded BPF object in the target's byte order"
	fi
	"$t-strip" -o "$LOG/$n.stripped" "$bin"
	size_check "$n" "$bin" "$LOG/$n.stripped"
	if ! command -v "$qemu" >/dev/null; then
		skip "$n: under QEMU" "no $qemu (qemu-user-static)"
		return
	fi
	if "$qemu" "$bin" --version >"$LOG/$n.version" 2>&1 &&
	   grep -q '[0-9]' "$LOG/$n.version"; then
		ok "$n: starts under QEMU ($(head -1 "$LOG/$n.version"))"
	else
		fail "$n: starts under QEMU" "$(head -1 "$LOG/$n.version")"
	fi
	order=little-endian
	[ "$(byte_at "$bin" 5)" = 2 ] && order=big-endian
	if grep -q "for $t (musl), BPF object $order" "$LOG/$n.version"; then
		ok "$n: --version names the target, its libc and the object's byte order"
	else
		fail "$n: --version names the target, its libc and the object's byte order" "$(head -1 "$LOG/$n.version")"
	fi
	if make -C "$TOP" -j2 test-unit CROSS_COMPILE="$t-" >"$LOG/$n.unit" 2>&1 &&
	   grep -qE '^unit: [0-9]+ passed, 0 failed' "$LOG/$n.unit"; then
		ok "$n: unit tests under QEMU ($(grep '^unit:' "$LOG/$n.unit"))"
	else
		grep -E '^FAIL|check failed' "$LOG/$n.unit" | head -20
		fail "$n: unit tests under QEMU" "$(grep '^unit:' "$LOG/$n.unit" || tail -1 "$LOG/$n.unit")"
	fi
}

[ $# = 0 ] && native_size
for t in $TARGETS; do
	cross_one "$t"
done
if [ -n "$SIZES" ]; then
	echo "target stripped-bytes"
	printf '%s' "$SIZES" | column -t
fi
echo "cross: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
