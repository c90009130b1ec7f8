#!/bin/bash
# tests/bench/run.sh - `make bench` (as root): xdp_redirect_map beside the
# floor and the alternatives, in a throwaway topology removed on exit.
#
#   netns src        netns fwd                                 netns sink
#   s0 ==veth== in0 [xdp_redirect_map] out0 ==veth== k0 [count, XDP_DROP]
#               fl0 [floor] ==veth== fl1
#
# Live frames: xdpgen injects frames at in0 through the program attached
# there (BPF_PROG_TEST_RUN, BPF_F_TEST_XDP_LIVE_FRAMES), and through the
# floor, a bare bpf_redirect_map on the forwarder's own devmap attached
# to the spare fl0; the frames leave by out0 and are counted and dropped
# at k0, which costs little. Real frames: blast sends from s0 (AF_PACKET,
# sendmmsg, PACKET_QDISC_BYPASS) and k0 counts what arrives, through the
# forwarder in native and in generic mode and through a Linux bridge.
#
# Each round measures every candidate back to back, in an order that
# alternates between rounds; ratios are taken within a round and their
# median is quoted. Rates are frames per CPU second of the CPU that does
# all the work (injecting thread or sender, which also runs the softirq
# path), so that other tenants of a shared machine do not move them;
# wall-clock rates are in the JSON too.
#
# Environment: BENCH_ROUNDS (9), BENCH_FRAMES (live frames per run and
# CPU, 4000000), BENCH_BATCH (64), BENCH_REPEAT (program-alone runs,
# 20000000), BENCH_BLAST_S (seconds per real-frame run, 1), BENCH_SIZES
# (real frame sizes, "60 1514 9014"), BENCH_CHECKS (--check runs per round, 5),
# BENCH_JSON (build/bench.json), BENCH_MD (build/bench.md).
set -u

ROUNDS=${BENCH_ROUNDS:-9}
FRAMES=${BENCH_FRAMES:-4000000}
BATCH=${BENCH_BATCH:-64}
REPEAT=${BENCH_REPEAT:-20000000}
BLAST_S=${BENCH_BLAST_S:-1}
SIZES=${BENCH_SIZES:-60 1514 9014}
CHECKS=${BENCH_CHECKS:-5}
JSON=${BENCH_JSON:-build/bench.json}
MD=${BENCH_MD:-build/bench.md}
XRM=$PWD/xdp_redirect_map
GEN=$PWD/tests/bench/xdpgen
BLAST=$PWD/tests/bench/blast
TAG=xrmb$$
TMP=$(mktemp -d /tmp/xrm-bench.XXXXXX)
FWD_PID=
GEN_PID=
declare -A S	# samples: name -> space-separated values
declare -A REFUSED	# sample -> why the kernel refused to attach
# The largest frame of a 1500-byte MTU: larger sizes are jumbo frames.
FRAME_STD_BYTES=1514

# The forwarder's last words help most when a step fails.
die() {
	cat "$TMP/fwd.log" "$TMP/gen.err" 2>/dev/null | sed 's/^/bench: last forwarder log: /' >&2
	echo "bench: $*" >&2
	exit 1
}

nsx() {
	local ns=$1
	shift
	ip netns exec "$TAG-$ns" "$@"
}

# The value of KEY in a line of key=value pairs.
kv() {
	local key=$1
	shift
	printf '%s\n' $* | sed -n "s/^$key=//p"
}

add() {
	S[$1]="${S[$1]:-} $2"
}

# Sample $1 in milliseconds, from $2 microseconds.
add_ms() {
	add $1 "$(awk -v us=$2 'BEGIN { printf "%.3f", us / 1000 }')"
}

# SIGINT, then the forwarder's exit status: 0 once it has removed
# everything it attached.
fwd_stop() {
	local err=0

	[ -n "$FWD_PID" ] && kill -INT "$FWD_PID" 2>/dev/null
	[ -n "$GEN_PID" ] && { wait "$GEN_PID" || err=1; }
	FWD_PID=
	GEN_PID=
	[ $err = 0 ] || cat "$TMP/fwd.log" >&2
	return $err
}

cleanup() {
	local ns

	fwd_stop
	for ns in src fwd sink; do
		ip netns del "$TAG-$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}

# ---- topology ----

# Veths with a queue per CPU, so that frames redirected on each CPU have
# a ring and a NAPI of their own at the far end.
topology() {
	local q="numtxqueues $(nproc) numrxqueues $(nproc)" ns

	for ns in src fwd sink; do
		ip netns add "$TAG-$ns" || return 1
		# No IPv6: nothing of the kernel's own may add to the counts.
		nsx $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
	ip -n $TAG-src link add s0 $q type veth peer name in0 $q netns $TAG-fwd &&
	ip -n $TAG-fwd link add out0 $q type veth peer name k0 $q netns $TAG-sink &&
	ip -n $TAG-fwd link add fl0 type veth peer name fl1 &&
	ip -n $TAG-src link set s0 up && ip -n $TAG-sink link set k0 up &&
	ip -n $TAG-fwd link set in0 up && ip -n $TAG-fwd link set out0 up &&
	ip -n $TAG-fwd link set fl0 up && ip -n $TAG-fwd link set fl1 up &&
	nsx sink $GEN drop k0 >/dev/null
}

# Starts the forwarder from $2 to out0 with the options that follow
# (-q, or --json for the program that counts bytes) and records into
# sample $1 how long it took from exec until $2 had its program.
fwd_start() {
	local key=$1 in=$2 out i
	shift 2

	: >"$TMP/attach"
	nsx fwd $GEN attach-time $in 5000 "$TMP/fwd.log" $XRM "$@" $in out0 \
		>"$TMP/attach" 2>"$TMP/gen.err" &
	GEN_PID=$!
	for i in $(seq 600); do
		out=$(cat "$TMP/attach")
		[ -n "$out" ] && break
		kill -0 $GEN_PID 2>/dev/null || break
		sleep 0.01
	done
	FWD_PID=$(kv pid $out)
	[ -n "$FWD_PID" ] || return 1
	add_ms $key $(kv attach_us $out)
}

sink_count() {
	kv frames $(nsx sink $GEN count k0)
}

# ---- live frames ----

# One live run through the program on $1 from CPU $3 (or all): its rate
# per CPU second into sample $2, the wall-clock rate into $2_wall, and
# xdpgen's line into LIVE.
live_one() {
	LIVE=$(nsx fwd $GEN live $1 $FRAMES $BATCH $3 in0) || return 1
	add $2 "$(kv mpps_cpu $LIVE)"
	add $2_wall "$(kv mpps $LIVE)"
}

# All CPUs through the forwarder: its count must grow by exactly the
# frames injected. Samples end in $1.
live_all_counted() {
	local before after frames

	before=$(kv frames $(nsx fwd $GEN count in0))
	live_one in0 live_all_fwd$1 all || return 1
	after=$(kv frames $(nsx fwd $GEN count in0))
	frames=$(kv frames $LIVE)
	add count_injected$1 "$frames"
	add count_counted$1 "$((after - before))"
	[ "$((after - before))" = "$frames" ] && add count_exact$1 1 || add count_exact$1 0
}

# Ratio of the last samples of $1 and $2 into sample $3 (none when one
# of them has no samples: a refused jumbo size).
ratio_last() {
	local a=${S[$1]:-} b=${S[$2]:-}

	[ -n "$a" ] && [ -n "$b" ] || return 0
	a=${a##* }
	b=${b##* }
	add $3 "$(awk -v a=$a -v b=$b 'BEGIN { printf "%.4f", a / b }')"
}

alone_one() {
	local line

	line=$(nsx fwd $GEN alone $1 $REPEAT) || return 1
	add $2 "$(kv ns_per_frame $line)"
}

# The forwarder (in0) and the floor (fl0) back to back, in the order $1;
# sample names end in $2.
live_measures() {
	local c

	for c in $1; do
		case $c in
		fwd) live_one in0 live1_fwd$2 0 ;;
		floor) live_one fl0 live1_floor$2 0 ;;
		esac || return 1
	done
	for c in $1; do
		case $c in
		fwd) live_all_counted "$2" ;;
		floor) live_one fl0 live_all_floor$2 all ;;
		esac || return 1
	done
	for c in $1; do
		case $c in
		fwd) alone_one in0 alone_fwd$2 ;;
		floor) alone_one fl0 alone_floor$2 ;;
		esac || return 1
	done
}

# The forwarder started with the options after $2 beside the floor, in
# the order $1; sample names end in $2: "" for the default mode (-q: no
# bytes counted), "_bytes" for --json, whose program counts bytes too.
live_round() {
	local order=$1 sfx=$2
	shift 2

	fwd_start attach_native_ms$sfx in0 -N "$@" || return 1
	nsx fwd $GEN floor in0 fl0 >/dev/null || return 1
	live_measures "$order" "$sfx" || return 1
	add rss_kib$sfx "$(awk '/^VmRSS:/ { print $2 }' /proc/$FWD_PID/status)"
	[ -n "${S[prog_fwd$sfx]:-}" ] || S[prog_fwd$sfx]=$(nsx fwd $GEN info in0)
	[ -n "${S[prog_floor]:-}" ] || S[prog_floor]=$(nsx fwd $GEN info fl0)
	nsx fwd ip link set dev fl0 xdp off || return 1
	fwd_stop || return 1
	ratio_last live1_fwd$sfx live1_floor$sfx live1_ratio$sfx
	ratio_last live_all_fwd$sfx live_all_floor$sfx live_all_ratio$sfx
	add alone_extra_ns$sfx "$(awk -v a=${S[alone_fwd$sfx]##* } -v b=${S[alone_floor$sfx]##* } \
		'BEGIN { printf "%.3f", a - b }')"
}

# ---- real frames ----

# Frames of $2 bytes from s0 for BLAST_S seconds; what k0 counted per
# CPU second of the sender into sample $1.
blast_one() {
	local before after line

	before=$(sink_count)
	line=$(nsx src $BLAST s0 $BLAST_S $2 0) || return 1
	after=$(sink_count)
	add $1 "$(awk -v n=$((after - before)) -v ns=$(kv cpu_ns $line) \
		'BEGIN { printf "%.4f", n * 1000 / ns }')"
	add $1_wall "$(awk -v n=$((after - before)) -v ns=$(kv ns $line) \
		'BEGIN { printf "%.4f", n * 1000 / ns }')"
}

bridge_up() {
	nsx fwd ip link add br0 type bridge &&
	nsx fwd ip link set in0 master br0 && nsx fwd ip link set out0 master br0 &&
	nsx fwd ip link set br0 up
}

# The floor on in0, on the devmap of a forwarder from fl0 to out0.
floor_up() {
	fwd_start attach_spare_ms fl0 -N -q && nsx fwd $GEN floor fl0 in0 >/dev/null
}

# Starts a forwarder with the command after $1 and $2, blasts frames of
# $2 bytes into sample $1, stops it. For jumbo frames a refusal to attach
# is a result: native XDP on a veth takes an MTU over about 3.5 KiB only
# from a program loaded with BPF_F_XDP_HAS_FRAGS, which the forwarder's
# is not; the kernel's reason goes into REFUSED.
real_fwd() {
	local sample=$1 size=$2 err=0
	shift 2

	if ! "$@"; then
		fwd_stop 2>/dev/null
		[ $size -gt $FRAME_STD_BYTES ] || return 1
		REFUSED[$sample]=$(sed -n 's/^xdp_redirect_map: .*: attach failed: //p' \
			"$TMP/fwd.log" | head -n1)
		return 0
	fi
	blast_one $sample $size || err=1
	[ "${sample%_floor}" = "$sample" ] || nsx fwd ip link set dev in0 xdp off || err=1
	fwd_stop || err=1
	return $err
}

# The mode's setup, one blast, the setup undone; fails if any step does.
real_one() {
	local c=$1 size=$2 err=0

	case $c in
	native) real_fwd real${size}_native $size fwd_start attach_native_ms in0 -N -q ;;
	generic) real_fwd real${size}_generic $size fwd_start attach_generic_ms in0 -S -q ;;
	floor) real_fwd real${size}_floor $size floor_up ;;
	# The router modes: the devmap egress program (-X), and the hash-keyed
	# program that -b and several pairs run (here -b, frames one way).
	egress) real_fwd real${size}_egress $size fwd_start attach_egress_ms in0 -N -X -q ;;
	pairs) real_fwd real${size}_pairs $size fwd_start attach_pairs_ms in0 -N -b -q ;;
	bridge) bridge_up && blast_one real${size}_bridge $size || err=1
		nsx fwd ip link del br0 || err=1
		return $err ;;
	esac
}

# The MTU that frames of $1 bytes need on every link of the path.
mtu_set() {
	local mtu=$(($1 > FRAME_STD_BYTES ? $1 - 14 : 1500))

	nsx src ip link set dev s0 mtu $mtu && nsx fwd ip link set dev in0 mtu $mtu &&
	nsx fwd ip link set dev out0 mtu $mtu && nsx sink ip link set dev k0 mtu $mtu
}

real_round() {
	local order=$1 size c

	for size in $SIZES; do
		mtu_set $size || return 1
		for c in $order; do
			real_one $c $size || return 1
		done
		ratio_last real${size}_native real${size}_floor real${size}_native_floor
		ratio_last real${size}_native real${size}_bridge real${size}_native_bridge
		ratio_last real${size}_generic real${size}_bridge real${size}_generic_bridge
		ratio_last real${size}_egress real${size}_floor real${size}_egress_floor
		ratio_last real${size}_pairs real${size}_floor real${size}_pairs_floor
	done
	mtu_set $FRAME_STD_BYTES
}

# ---- load only, size ----

# --check, and --version for the cost of exec and exit alone.
check_round() {
	local i line

	for i in $(seq $CHECKS); do
		line=$($GEN cpu-time $XRM --check) || return 1
		add_ms check_cpu_ms $(kv cpu_us $line)
		add_ms check_wall_ms $(kv wall_us $line)
		line=$($GEN cpu-time $XRM --version) || return 1
		add_ms version_cpu_ms $(kv cpu_us $line)
	done
}

. "$(dirname "$0")/report.sh"

main() {
	local r order

	[ "$(id -u)" = 0 ] || die "needs root (network namespaces, bpf)"
	for f in $XRM $GEN $BLAST; do
		[ -x $f ] || die "$f missing: run make bench"
	done
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
	LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
	topology || die "cannot build the topology"
	for r in $(seq $ROUNDS); do
		# Alternate which candidate goes first: drift then favours none.
		if [ $((r % 2)) = 1 ]; then order="fwd floor"; else order="floor fwd"; fi
		live_round "$order" "" -q || die "live frames, round $r"
		live_round "$order" _bytes --json || die "live frames with bytes, round $r"
		case $((r % 4)) in
		1) order="native floor generic bridge egress pairs" ;;
		2) order="floor generic bridge egress pairs native" ;;
		3) order="generic bridge egress pairs native floor" ;;
		0) order="bridge egress pairs native floor generic" ;;
		esac
		real_round "$order" || die "real frames, round $r"
		check_round || die "--check, round $r"
		echo "bench: round $r of $ROUNDS done" >&2
	done
	LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
	strip -o "$TMP/stripped" $XRM || die "strip"
	SIZE_BYTES=$(stat -c %s "$TMP/stripped")
	mkdir -p "$(dirname "$JSON")" "$(dirname "$MD")"
	report_json >"$JSON"
	report_md | tee "$MD"
	echo "bench: wrote $JSON and $MD" >&2
}

main "$@"
