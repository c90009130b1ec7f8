#!/bin/sh
# tests/obj.sh - objects built the way people build them, and by others:
# --check --obj loads what is in scope and names what is not; the objects
# that meet the contract forward real frames between namespaces.
#
#   src: vs0 ==veth== in0 [fwd: xdp_redirect_map --obj X in0 out0] out0 ==veth== vd0 :dst
#
# Needs root; run by `make test-obj`. Prints "obj: N passed, M failed, K skipped".
set -u
cd "$(dirname "$0")/.."

BIN=./xdp_redirect_map
PKTIO=tests/pktio
OBJS=${OBJ_DIR:-build/objs/bpfel}
FRAMES=50
SRC=xrm-obj-src-$$
FWD=xrm-obj-fwd-$$
DST=xrm-obj-dst-$$
TMP=$(mktemp -d)
pass=0 fail=0 skipped=0
fwd_pid=

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }

cleanup() {
	[ -n "$fwd_pid" ] && kill "$fwd_pid" 2>/dev/null && wait "$fwd_pid" 2>/dev/null
	for ns in "$SRC" "$FWD" "$DST"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# check_ok NAME OBJ WANT: --check [--obj OBJ] exits 0 and prints WANT.
check_ok() {
	if ! "$BIN" --check ${2:+--obj "$2"} >"$TMP/out" 2>"$TMP/err"; then
		bad "$1" "exit $?: $(cat "$TMP/err")"
	elif ! grep -q "$3" "$TMP/out"; then
		bad "$1" "no '$3' in: $(cat "$TMP/out")"
	else
		ok "$1"
	fi
}

# refused NAME WANT COMMAND...: exits 1 and says WANT on stderr.
refused() {
	name=$1 want=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne 1 ]; then
		bad "$name" "exit $rc, expected 1"
	elif ! grep -q "$want" "$TMP/err"; then
		bad "$name" "no '$want' in: $(cat "$TMP/err")"
	else
		ok "$name"
	fi
}

checks() {
	check_ok check_btf_maps "$OBJS/btf_maps.o" "xdp_redirect_map: .* insns, translated"
	check_ok check_btf_maps_rodata "$OBJS/btf_maps.o" "map .rodata: array, .*read-only"
	check_ok check_legacy "$OBJS/legacy.o" "map .data.stats: array"
	check_ok check_legacy_nobtf "$OBJS/legacy_nobtf.o" "accepted by the kernel"
	check_ok check_multi_skips_tc "$OBJS/multi.o" 'tc_pass: skipped: section "tc" is not XDP'
	check_ok check_multi_devmap "$OBJS/multi.o" 'xdp_egress: .*"xdp/devmap"'
	check_ok check_multi_callback "$OBJS/multi.o" "xdp_second: 32 insns"
	check_ok check_embedded "" "accepted by the kernel"
	if tests/btf_spoil "$OBJS/btf_maps.o" "$TMP/spoiled.o"; then
		check_ok check_btf_refused_loads_without "$TMP/spoiled.o" "accepted by the kernel"
		if grep -q "refused the object's BTF, loading without it" "$TMP/err"; then
			ok check_btf_refused_said_once
		else
			bad check_btf_refused_said_once "no notice in: $(cat "$TMP/err")"
		fi
	else
		bad check_btf_refused "tests/btf_spoil failed"
	fi
	refused check_other_endian "endian, this machine is not" \
		"$BIN" --check --obj "$OBJS"/legacy_bpf*b.o
	refused refused_kfunc "externs (kfuncs, ksyms, kconfig) are not supported" \
		"$BIN" --check --obj "$OBJS/refused/kfunc.o"
	refused refused_core "CO-RE relocations are not supported" \
		"$BIN" --check --obj "$OBJS/refused/core.o"
	check_ok check_map_init "$OBJS/map_init.o" "accepted by the kernel"
	check_ok check_no_license_loads "$OBJS/no_license.o" "accepted by the kernel"
	refused refused_gpl_helper_says_what_to_change \
		'license "Proprietary" is not GPL-compatible: helper bpf_perf_event_output needs one' \
		"$BIN" --check --obj "$OBJS/refused/gpl_only.o"
	check_ok check_map_in_map "$OBJS/maps_of_maps.o" "map per_cpu_lru: array_of_maps, key 4 B, value 4 B"
	conventions
	check_sloppy_sections
	check_not_regular
	refused refused_by_verifier "program xdp_unchecked: load failed: Permission denied: .*outside of the packet" \
		"$BIN" --check --obj "$OBJS/refused/verifier.o"
	refused check_missing_file "cannot open: No such file" "$BIN" --check --obj "$TMP/none.o"
	refused check_not_elf "not an ELF file" "$BIN" --check --obj "$0"
	: >"$TMP/empty.o"
	refused check_empty_file "file of 0 bytes is shorter than an ELF header" \
		"$BIN" --check --obj "$TMP/empty.o"
	truncate -s 17M "$TMP/huge.o"
	refused check_file_over_16mib "larger than 16 MiB" "$BIN" --check --obj "$TMP/huge.o"
	refused check_directory "not a regular file (directory)" "$BIN" --check --obj "$TMP"
}

# libbpf_conv.o: what libbpf settles at load, asked of the kernel alike.
conventions() {
	possible=$(awk -F- '{ print $NF + 1 }' /sys/devices/system/cpu/possible)
	check_ok conv_loads "$OBJS/libbpf_conv.o" "accepted by the kernel"
	check_ok conv_perf_event_array_one_per_cpu "$OBJS/libbpf_conv.o" \
		"map events: perf_event_array, key 4 B, value 4 B, $possible entries"
	ring=$(getconf PAGESIZE)
	while [ "$ring" -le 5000 ]; do
		ring=$((ring * 2))
	done
	check_ok conv_ringbuf_rounded_to_pages "$OBJS/libbpf_conv.o" \
		"map ring: ringbuf, key 0 B, value 0 B, $ring entries"
	check_ok conv_frags "$OBJS/libbpf_conv.o" 'program xdp_ring: .*(section "xdp.frags")'
	check_ok conv_hidden_subprog_is_static "$OBJS/libbpf_conv.o" "program xdp_perf: .* insns"
	check_ok conv_optional_not_loaded "$OBJS/libbpf_conv.o" \
		'program xdp_optional: skipped: section "?xdp" loaded only on request'
}

# Sections libbpf 0.x took by their "xdp" prefix, which 1.x refuses.
check_sloppy_sections() {
	check_ok sloppy_plain_xdp_loads "$OBJS/xdp_sloppy.o" "program xdp_plain: .* insns"
	check_ok sloppy_named_as_unknown "$OBJS/xdp_sloppy.o" \
		'program xdp_old_style: skipped: section "xdp_prog" is not a section name libbpf 1.x knows'
}

# A FIFO or a device as --obj: refused by its type at once, never
# waited on (a FIFO's open would block without O_NONBLOCK).
check_not_regular() {
	mkfifo "$TMP/fifo"
	start=$(date +%s)
	refused check_fifo "not a regular file (FIFO)" timeout 5 "$BIN" --check --obj "$TMP/fifo"
	took=$(( $(date +%s) - start ))
	if [ "$took" -le 1 ]; then
		ok check_fifo_at_once
	else
		bad check_fifo_at_once "took $took s"
	fi
	refused check_char_device "not a regular file (character device)" \
		"$BIN" --check --obj /dev/null
}

# The corpus of others' objects (tests/objs/corpus/MANIFEST): each gives
# the verdict written there; where bpftool is installed, every object
# libbpf loads we load too, or refuse for a reason doc/loader.md lists
# as out of scope. libbpf pins some maps under /sys/fs/bpf: it gets a
# bpffs of its own there, in a mount namespace that ends with it.
corpus() {
	have_bpftool=
	if ! command -v bpftool >/dev/null 2>&1; then
		skip corpus_vs_libbpf "bpftool not installed (apt-get install bpftool): verdicts checked against the MANIFEST only"
	elif ! command -v unshare >/dev/null 2>&1; then
		skip corpus_vs_libbpf "no unshare for a bpffs of libbpf's own"
	else
		have_bpftool=y
	fi
	# The objects are little-endian: a big-endian machine must refuse
	# each by its byte order (and libbpf is not asked).
	big=
	[ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ] || big=y
	[ -z "$big" ] || have_bpftool=
	grep -v '^#' tests/objs/corpus/MANIFEST | while IFS='	' read -r o _ _ _ _ want _ _; do
		[ -z "$big" ] || want="refuse: object is little-endian, this machine is not"
		corpus_one "$o" "$want"
	done >"$TMP/corpus"
	cat "$TMP/corpus"
	pass=$((pass + $(grep -c '^ok ' "$TMP/corpus")))
	fail=$((fail + $(grep -c '^FAIL ' "$TMP/corpus")))
}

corpus_one() {
	f=tests/objs/corpus/$1
	"$BIN" --check --obj "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	case $2 in
	load)	if [ "$rc" -eq 0 ] && grep -q "accepted by the kernel" "$TMP/out"; then
			ok "corpus $1"
		else
			bad "corpus $1" "exit $rc, want load: $(cat "$TMP/err")"
		fi ;;
	refuse:*)
		why=${2#refuse: }
		if [ "$rc" -eq 1 ] && grep -qF "$why" "$TMP/err"; then
			ok "corpus $1 (refused: $why)"
		else
			bad "corpus $1" "exit $rc, want 1 and '$why': $(cat "$TMP/err")"
		fi ;;
	*)	bad "corpus $1" "MANIFEST verdict '$2'" ;;
	esac
	[ -n "$have_bpftool" ] || return 0
	unshare -m sh -c 'mount -t bpf none /sys/fs/bpf && mkdir /sys/fs/bpf/p &&
		bpftool prog loadall "$1" /sys/fs/bpf/p' sh "$f" >"$TMP/libbpf" 2>&1
	lrc=$?
	if [ "$lrc" -ne 0 ] || [ "$rc" -eq 0 ]; then
		ok "corpus $1 against libbpf (libbpf exit $lrc, ours $rc)"
	elif grep -qF "$(corpus_reason)" doc/loader.md; then
		ok "corpus $1 against libbpf (libbpf loads it; ours refuses, out of scope: $(corpus_reason))"
	else
		bad "corpus $1 against libbpf" "libbpf loads it, ours refuses for a reason doc/loader.md does not list: $(cat "$TMP/err")"
	fi
}

# The reason in our one line, past "xdp_redirect_map: FILE: " and any
# program name, up to the first ':' of what follows.
corpus_reason() {
	grep -v 'pinning ignored\|refused the object' "$TMP/err" | head -n 1 |
		sed -e 's/^xdp_redirect_map: [^:]*: //' -e 's/^program [^:]*: //' -e 's/^[^ ]*+[0-9]*: //' |
		cut -d: -f1
}

# Objects others compiled: Debian's xdp-tools and libxdp1.
others() {
	dir=$(ls -d /usr/lib/*/bpf 2>/dev/null | head -n 1)
	if [ -z "$dir" ] || [ ! -f "$dir/xdp-dispatcher.o" ]; then
		skip xdp_tools_objects "xdp-tools and libxdp1 not installed (apt-get install xdp-tools libxdp1)"
		return
	fi
	check_ok xdp_dispatcher "$dir/xdp-dispatcher.o" "accepted by the kernel"
	for o in "$dir"/*.o; do
		n=xdp_tools_$(basename "$o" .o)
		"$BIN" --check --obj "$o" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		if [ "$rc" -eq 0 ] && grep -q "accepted by the kernel" "$TMP/out"; then
			ok "$n"
		elif [ "$rc" -eq 1 ] && grep -q "not supported" "$TMP/err"; then
			ok "$n (refused: $(sed 's/.*: //' "$TMP/err" | head -n 1))"
		else
			bad "$n" "exit $rc: $(cat "$TMP/err")"
		fi
	done
}

topology() {
	ip netns add "$SRC" && ip netns add "$FWD" && ip netns add "$DST" &&
	ip -n "$FWD" link add in0 type veth peer name vs0 netns "$SRC" &&
	ip -n "$FWD" link add out0 type veth peer name vd0 netns "$DST" &&
	ip -n "$SRC" link set vs0 up && ip -n "$FWD" link set in0 up &&
	ip -n "$FWD" link set out0 up && ip -n "$DST" link set vd0 up
}

# forward NAME OBJ: FRAMES frames from vs0 arrive on vd0, MACs swapped.
forward() {
	name=$1
	: >"$TMP/fwd.err"
	ip netns exec "$FWD" "$BIN" -q --obj "$2" in0 out0 2>"$TMP/fwd.err" &
	fwd_pid=$!
	# Ready once IN is attached and OUT's veth peer has GRO, which the
	# forwarder turns on right after (frames before that are dropped).
	i=0
	while ! grep -q "in0: attached" "$TMP/fwd.err" || ! grep -q "GRO on" "$TMP/fwd.err"; do
		[ $i -lt 50 ] || break
		sleep 0.1
		i=$((i + 1))
	done
	forward_send "$name"
	kill "$fwd_pid" 2>/dev/null
	wait "$fwd_pid" 2>/dev/null
	fwd_pid=
}

forward_send() {
	in_mac=$(ip netns exec "$FWD" "$PKTIO" mac in0)
	src_mac=$(ip netns exec "$SRC" "$PKTIO" mac vs0)
	: >"$TMP/recv.err"
	ip netns exec "$DST" "$PKTIO" recv vd0 3000 "$FRAMES" >"$TMP/recv" 2>"$TMP/recv.err" &
	recv_pid=$!
	i=0
	while ! grep -q ready "$TMP/recv.err" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ip netns exec "$SRC" "$PKTIO" send vs0 "$FRAMES" 64 "$in_mac" >/dev/null
	wait "$recv_pid"
	got=$(grep -c "^$src_mac $in_mac [0-9]* [0-9]* OK$" "$TMP/recv")
	if [ "$got" -eq "$FRAMES" ] && grep -q "^received $FRAMES$" "$TMP/recv"; then
		ok "$1"
	else
		bad "$1" "$got of $FRAMES frames with swapped MACs; receiver: $(tail -n 2 "$TMP/recv" "$TMP/recv.err"); forwarder: $(cat "$TMP/fwd.err")"
	fi
}

if [ "$(id -u)" -ne 0 ]; then
	skip obj "needs root"
else
	checks
	corpus
	others
	if topology; then
		refused contract_names_what_is_missing "program xdp_redirect_map: missing" \
			ip netns exec "$FWD" "$BIN" --obj "$OBJS/multi.o" in0 out0
		refused contract_names_missing_map "map tx_port: missing" \
			ip netns exec "$FWD" "$BIN" --obj "$OBJS/multi.o" in0 out0
		refused contract_names_wrong_map_type \
			"map tx_port: array of 4-byte keys, 4-byte values, 1 entries: the contract wants a devmap" \
			ip netns exec "$FWD" "$BIN" --obj "$OBJS/wrong_types.o" in0 out0
		refused contract_names_wrong_value_size \
			"map rxcnt: percpu_array of 4-byte keys, 4-byte values, 1 entries: the contract wants a percpu_array of 4-byte keys and 8- or 16-byte values" \
			ip netns exec "$FWD" "$BIN" --obj "$OBJS/wrong_types.o" in0 out0
		refused contract_names_wrong_prog_type "program xdp_dummy: not a plain XDP program" \
			ip netns exec "$FWD" "$BIN" --obj "$OBJS/wrong_types.o" in0 out0
		# A run, not --check: the object's failure is exit 1, never 2.
		refused run_fifo_obj_exits_1 "not a regular file (FIFO)" \
			timeout 5 ip netns exec "$FWD" "$BIN" --obj "$TMP/fifo" in0 out0
		refused run_corrupt_obj_exits_1 "not an ELF file" \
			ip netns exec "$FWD" "$BIN" --obj "$0" in0 out0
		for o in legacy_nobtf btf_maps legacy; do
			forward "forward_$o" "$OBJS/$o.o"
		done
		forward forward_btf_refused "$TMP/spoiled.o"
		if grep -q "refused the object's BTF, loading without it" "$TMP/fwd.err"; then
			ok forward_btf_refused_said
		else
			bad forward_btf_refused_said "no notice in: $(cat "$TMP/fwd.err")"
		fi
	else
		bad topology "cannot build the namespaces"
	fi
fi
echo "obj: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
