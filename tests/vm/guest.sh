#!/bin/sh
# tests/vm/guest.sh - PID 1 of a test guest (BusyBox ash), packed as /init
# by tests/vm/run.sh. Builds the seed's topology, runs the forwarder's
# integration tests against this kernel, prints one line per test on the
# console and a summary, and powers the machine off.
#
#   init ns:  in_intf  <-veth->  veth_in_intf   \  net0: xdp_redirect_map
#             out_intf <-veth->  veth_out_intf  /        veth_in_intf veth_out_intf
#
# pktio sends test frames from in_intf and captures them on out_intf. The
# guest is thrown away after one run, so the namespace can keep the seed's
# name; the host never sees it. Lines the host reads: "ok NAME",
# "FAIL NAME: why", "SKIP NAME: why", "guest: totals: ...",
# "guest: done".

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /run/netns /tmp
# VM_DEBUG=1 on the host puts "vmdebug" on the kernel command line.
grep -qw vmdebug /proc/cmdline && set -x

NS=/run/netns/net0
JIT=/proc/sys/net/core/bpf_jit_enable
FRAMES=200
# Idle time after the last test frame before the receiver gives up; the
# first frame of a run under emulation can take a while.
RECV_IDLE_MS=1500
PASSED=0 FAILED=0 SKIPPED=0

# What README's kernel table promises this kernel, from its release: the
# forwarder probes instead, and these tests hold its answers to the table.
# A test may read the version; the forwarder must not.
REL=$(uname -r)
KVER=$(( ${REL%%.*} * 1000 + $(echo "$REL" | cut -d. -f2 | sed 's/[^0-9].*//') ))
since() { [ "$KVER" -ge $(( ${1%%.*} * 1000 + ${1#*.} )) ]; }
yes_since() { since "$1" && echo yes || echo no; }

ok() { echo "ok $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP $1: $2"; SKIPPED=$((SKIPPED + 1)); }
in_ns() { nsenter --net="$NS" "$@"; }

# Whether process PID still runs; one that exited and waits to be reaped
# (a zombie) does not.
alive() {
	state=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ]
}

# Waits up to TENTHS tenths of a second for PATTERN in FILE; gives up
# early once process PID, if given, has exited.
wait_for() {
	n=0
	while [ "$n" -lt "$3" ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		[ -n "${4:-}" ] && ! alive "$4" && return 1
		usleep 100000
		n=$((n + 1))
	done
	return 1
}

# Waits up to TENTHS tenths of a second for process PID to exit.
wait_gone() {
	n=0
	while alive "$1"; do
		[ "$n" -lt "$2" ] || return 1
		usleep 100000
		n=$((n + 1))
	done
}

# Each module in the order run.sh wrote (dependencies first).
load_modules() {
	while read -r ko; do
		insmod "/lib/modules/$ko" || { fail veth_module "insmod $ko failed"; return 1; }
	done </lib/modules/order
	ok veth_module
}

topology() {
	# No IPv6 on the test links: router solicitations from in_intf would
	# pass the forwarder and spoil its exact count.
	[ -f /proc/sys/net/ipv6/conf/default/disable_ipv6 ] &&
		echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
	touch "$NS" && unshare --net="$NS" true &&
		nsveth add in_intf veth_in_intf "$NS" &&
		nsveth add out_intf veth_out_intf "$NS" &&
		ip link set in_intf up && ip link set out_intf up &&
		in_ns ip link set lo up &&
		in_ns ip link set veth_in_intf up &&
		in_ns ip link set veth_out_intf up ||
		{ fail topology "could not build namespaces and veth pairs"; return 1; }
	ok topology
}

# Sets the JIT to 0 or 1; fails where the kernel forbids it. A kernel
# without a JIT (no sysctl) runs every program in its interpreter: "off".
jit_set() {
	[ ! -f "$JIT" ] && [ "$1" = 0 ] && return 0
	[ -f "$JIT" ] && echo "$1" >"$JIT" 2>/dev/null && [ "$(cat "$JIT")" = "$1" ]
}

jit_why() {
	[ -f "$JIT" ] || { echo "kernel has no BPF JIT ($JIT missing)"; return; }
	echo "bpf_jit_enable cannot be set to $1 (JIT always on?)"
}

check() { # NAME JIT
	jit_set "$2" || { skip "$1" "$(jit_why "$2")"; return; }
	out=$(xdp_redirect_map --check 2>&1)
	case "$out" in
	*"accepted by the kernel"*) ok "$1" ;;
	*) fail "$1" "$(echo "$out" | tail -n 1)" ;;
	esac
}

# Starts the forwarder in net0 with extra options $@ and waits until it
# forwards; FWD holds its pid, stdout and stderr go to /tmp/fwd.out and
# /tmp/fwd.err. "Forwards" is its first statistics line: the loop runs
# only once everything is set up, and "attached" comes before the GRO fix
# at OUT's peer and the devmap slot.
fwd_start() {
	# Gone before the start: the wait below must not read the last run's.
	rm -f /tmp/fwd.out /tmp/fwd.err
	# nsenter itself, not in_ns: $! must be the forwarder's pid (nsenter
	# execs it without a fork), not that of a subshell running a function,
	# which as a background job ignores SIGINT.
	nsenter --net="$NS" xdp_redirect_map "$@" veth_in_intf veth_out_intf \
		>/tmp/fwd.out 2>/tmp/fwd.err &
	FWD=$!
	wait_for /tmp/fwd.out "pkt/s" 100 "$FWD" && return 0
	kill -INT "$FWD" 2>/dev/null
	wait "$FWD"
	return 1
}

# Stops the forwarder with signal $1; fails (reason in WHY) unless it
# exits 0 and leaves no program on either interface. Runs in the shell
# that started the forwarder: only that one can wait for it.
fwd_stop() {
	kill -"$1" "$FWD"
	# Bounded: a forwarder that ignores the signal fails here, in 10 s,
	# not when the host kills the whole guest.
	wait_gone "$FWD" 100 ||
		{ kill -KILL "$FWD"; wait "$FWD"; WHY="still running 10 s after SIG$1"; return 1; }
	wait "$FWD" || { WHY="exit status $?: $(tail -n 1 /tmp/fwd.err)"; return 1; }
	grep -q "stopped by SIG$1" /tmp/fwd.err || { WHY="no 'stopped by SIG$1'"; return 1; }
	for i in veth_in_intf veth_out_intf; do
		x=$(in_ns nsveth xdp "$i")
		[ "$x" = none ] || { WHY="$i still has XDP: $x"; return 1; }
	done
}

# The seed's check: FRAMES frames from in_intf arrive on out_intf, each
# with its MACs swapped and its payload intact, none lost, none extra, and
# the forwarder counts exactly as many.
forward_check() { # MODE_WORD
	mac=$(pktio mac in_intf)
	rm -f /tmp/recv.err
	pktio recv out_intf "$RECV_IDLE_MS" >/tmp/recv.out 2>/tmp/recv.err &
	rcv=$!
	wait_for /tmp/recv.err ready 50 "$rcv" || WHY="receiver not ready"
	pktio send in_intf "$FRAMES" >/dev/null || WHY="pktio send failed"
	wait "$rcv"
	fwd_stop INT && [ -z "$WHY" ] || return 1
	grep -q "$1 mode" /tmp/fwd.err || { WHY="not in $1 mode: $(head -n 2 /tmp/fwd.err)"; return 1; }
	good=$(grep -c "^$mac ee:11:ee:11:ee:11 [0-9]* [0-9]* OK\$" /tmp/recv.out)
	got=$(tail -n 1 /tmp/recv.out)
	[ "$good" = "$FRAMES" ] && [ "$got" = "received $FRAMES" ] ||
		{ WHY="$got, $good with swapped MACs, of $FRAMES sent; first: $(head -n 1 /tmp/recv.out)"; return 1; }
	[ "$(awk 'NF == 5 { print $3 }' /tmp/recv.out | tr '\n' ' ')" = "$(seq -s ' ' 0 $((FRAMES - 1))) " ] ||
		{ WHY="frames out of order"; return 1; }
	grep -q ": $FRAMES frames forwarded" /tmp/fwd.err ||
		{ WHY="forwarder count: $(tail -n 1 /tmp/fwd.err)"; return 1; }
}

forward() { # NAME JIT MODE_WORD [OPTIONS]
	name=$1 jit=$2 mode=$3 WHY=
	shift 3
	jit_set "$jit" || { skip "$name" "$(jit_why "$jit")"; return; }
	fwd_start "$@" || { fail "$name" "not forwarding: $(tail -n 1 /tmp/fwd.err)"; return; }
	forward_check "$mode" && ok "$name" || fail "$name" "$WHY"
}

# What gives out_intf NAPI: GRO since 5.13, before it an XDP program.
peer_napi() {
	if since 5.13; then
		nsveth gro out_intf
	else
		[ "$(nsveth xdp out_intf)" = none ] && echo off || echo on
	fi
}

# Native mode on a veth OUT gives its peer (out_intf, in the other
# namespace) NAPI while forwarding: GRO on, or before 5.13 an XDP
# program; each stop signal must undo it.
stop() { # SIGNAL
	WHY=
	fwd_start || { fail "stop_$1" "not forwarding: $(tail -n 1 /tmp/fwd.err)"; return; }
	[ "$(peer_napi)" = on ] || WHY="out_intf has no NAPI (GRO or XDP) while forwarding"
	fwd_stop "$1" && [ -z "$WHY" ] || { fail "stop_$1" "$WHY"; return; }
	[ "$(peer_napi)" = off ] && ok "stop_$1" || fail "stop_$1" "GRO or XDP still at out_intf"
}

# A statistics reader that goes away: SIGPIPE from a real pipe stops the
# forwarder as cleanly as a signal sent by hand.
stop_pipe_reader() {
	rm -f /tmp/fwd.err
	timeout 30 nsenter --net="$NS" sh -c \
		'xdp_redirect_map veth_in_intf veth_out_intf 2>/tmp/fwd.err | head -n 1 >/dev/null' ||
		{ fail stop_pipe_reader "not stopped within 30 s: $(tail -n 1 /tmp/fwd.err)"; return; }
	grep -q "stopped by SIGPIPE" /tmp/fwd.err ||
		{ fail stop_pipe_reader "$(tail -n 1 /tmp/fwd.err)"; return; }
	for i in veth_in_intf veth_out_intf; do
		x=$(in_ns nsveth xdp "$i")
		[ "$x" = none ] || { fail stop_pipe_reader "$i still has XDP: $x"; return; }
	done
	ok stop_pipe_reader
}

# Frames arriving on OUT go to the stack untouched (xdp_dummy passes
# them) and are not counted.
out_passes() {
	WHY=
	fwd_start || { fail out_passes "not forwarding: $(tail -n 1 /tmp/fwd.err)"; return; }
	mac=$(pktio mac out_intf)
	rm -f /tmp/recv.err
	in_ns pktio recv veth_out_intf "$RECV_IDLE_MS" >/tmp/recv.out 2>/tmp/recv.err &
	rcv=$!
	wait_for /tmp/recv.err ready 50 "$rcv" || WHY="receiver not ready"
	pktio send out_intf 7 >/dev/null || WHY="pktio send failed"
	wait "$rcv"
	fwd_stop INT && [ -z "$WHY" ] || { fail out_passes "$WHY"; return; }
	[ "$(grep -c "^ee:11:ee:11:ee:11 $mac [0-9]* 64 OK\$" /tmp/recv.out)" = 7 ] ||
		{ fail out_passes "$(tail -n 1 /tmp/recv.out), want 7 unmodified"; return; }
	grep -q ": 0 frames forwarded" /tmp/fwd.err && ok out_passes ||
		fail out_passes "counted: $(tail -n 1 /tmp/fwd.err)"
}

# Frames streaming in while the forwarder starts are each either passed
# to IN's stack (before it forwards) or forwarded; none may vanish. A
# redirect into a veth whose peer has neither XDP nor GRO yet is dropped
# by the kernel without a word, so the devmap slot must be filled only
# after the GRO fix.
start_no_loss() {
	sent=1500
	rm -f /tmp/recv.err /tmp/stack.err
	# OUT's receiver sees its first frame only once the forwarder is up,
	# which on 5.10 under emulation (probes, the peer's XDP program) can
	# take longer than RECV_IDLE_MS: it waits twice as long.
	pktio recv out_intf $((2 * RECV_IDLE_MS)) >/tmp/recv.out 2>/tmp/recv.err &
	rcv=$!
	in_ns pktio recv veth_in_intf "$RECV_IDLE_MS" >/tmp/stack.out 2>/tmp/stack.err &
	stk=$!
	wait_for /tmp/recv.err ready 50 "$rcv" && wait_for /tmp/stack.err ready 50 "$stk" ||
		{ fail start_no_loss "receivers not ready"; return; }
	pktio send in_intf "$sent" 64 ee:11:ee:11:ee:11 -g 1000 >/dev/null &
	snd=$!
	usleep 200000
	nsenter --net="$NS" xdp_redirect_map -q veth_in_intf veth_out_intf \
		>/tmp/fwd.out 2>/tmp/fwd.err &
	FWD=$!
	wait "$snd"
	wait "$rcv"
	wait "$stk"
	WHY=
	fwd_stop INT || { fail start_no_loss "$WHY"; return; }
	fwd=$(sed -n 's/^received //p' /tmp/recv.out)
	stack=$(sed -n 's/^received //p' /tmp/stack.out)
	[ "${fwd:-0}" -gt 0 ] && [ $((${fwd:-0} + ${stack:-0})) = "$sent" ] && ok start_no_loss ||
		fail start_no_loss "of $sent: $fwd forwarded, $stack to IN's stack, $((sent - ${fwd:-0} - ${stack:-0})) lost"
}

# A second forwarder on the same pair is refused, saying who holds it, and
# takes nothing away from the first, which still stops cleanly. Who holds
# it: the kernel's answer to XDP_FLAGS_UPDATE_IF_NOEXIST (the attached
# program), or, with per-port lock files, the running instance.
busy() {
	WHY=
	fwd_start || { fail busy "not forwarding: $(tail -n 1 /tmp/fwd.err)"; return; }
	# Bounded: a second forwarder that is wrongly let in runs until killed.
	timeout 20 nsenter --net="$NS" xdp_redirect_map -q veth_in_intf veth_out_intf \
		>/dev/null 2>/tmp/busy.err
	rc=$?
	grep -qE "already has XDP program [0-9]+ \(xdp_dummy\); -F replaces it|in use by a running xdp_redirect_map \(pid $FWD\)" \
		/tmp/busy.err && [ "$rc" = 1 ] || WHY="second forwarder: exit $rc: $(tail -n 1 /tmp/busy.err)"
	x=$(in_ns nsveth xdp veth_in_intf)
	[ "$x" != none ] || WHY="the refused forwarder detached the first one's program"
	fwd_stop INT && [ -z "$WHY" ] && ok busy || fail busy "$WHY"
}

# A forwarder killed with -9 leaves its programs and the peer's NAPI (GRO,
# or the XDP program before 5.13) in place, recorded in its port files: a
# restart takes them over and removes them at exit; --detach after
# another kill -9 removes them too.
kill9() { # NAME, then "restart" or "detach"
	WHY=
	fwd_start || { fail "$1" "not forwarding: $(tail -n 1 /tmp/fwd.err)"; return; }
	kill -KILL "$FWD"
	wait "$FWD"
	[ "$(peer_napi)" = on ] || WHY="out_intf lost its NAPI with the kill"
	if [ "$2" = restart ]; then
		fwd_start || { fail "$1" "restart not forwarding: $(tail -n 1 /tmp/fwd.err)"; return; }
		grep -q "by an earlier instance" /tmp/fwd.err ||
			WHY=${WHY:-"restart did not inherit the NAPI of the peer: $(head -n 3 /tmp/fwd.err | tr '\n' '|')"}
		first=$WHY
		fwd_stop INT || first=${first:-$WHY}
		WHY=$first
	else
		in_ns xdp_redirect_map --detach veth_in_intf veth_out_intf 2>/tmp/fwd.err ||
			WHY="${WHY:-detach exit $?: $(tail -n 1 /tmp/fwd.err)}"
		for i in veth_in_intf veth_out_intf; do
			x=$(in_ns nsveth xdp "$i")
			[ "$x" = none ] || WHY="${WHY:-$i still has XDP after --detach: $x}"
		done
	fi
	[ "$(peer_napi)" = off ] || WHY="${WHY:-GRO or XDP still at out_intf}"
	[ -z "$WHY" ] && ok "$1" || fail "$1" "$WHY"
}

# --check's "kernel:" line, what the forwarder's probes found, against
# README's table for this release.
features() {
	line=$(xdp_redirect_map --check 2>&1 | sed -n 's/^kernel: //p')
	want="redirect_fallback yes devmap_hash yes devmap_prog yes veth_gro $(yes_since 5.13) xdp_frags $(yes_since 5.18)"
	[ "$line" = "$want" ] && ok features || fail features "found '$line', want '$want'"
}

# Maps are charged to RLIMIT_MEMLOCK before 5.11: with the limit at 0
# they are made only because the forwarder raises it.
memlock() {
	# shellcheck disable=SC3045 # BusyBox ash has ulimit -l
	out=$(ulimit -l 0 && xdp_redirect_map --check 2>&1)
	case "$out" in
	*"accepted by the kernel"*) ok memlock ;;
	*) fail memlock "with ulimit -l 0: $(echo "$out" | tail -n 1)" ;;
	esac
}

# A 9000-byte MTU: before 5.18 (no BPF_F_XDP_HAS_FRAGS) native XDP on a
# veth is refused and the forwarder names the MTU; since, it forwards.
jumbo() {
	ip link set in_intf mtu 9000 && in_ns ip link set veth_in_intf mtu 9000 ||
		{ fail jumbo "cannot set MTU 9000"; return; }
	WHY=
	if since 5.18; then
		fwd_start && fwd_stop INT || WHY="not forwarding at MTU 9000: $(tail -n 1 /tmp/fwd.err)"
	else
		timeout 20 nsenter --net="$NS" xdp_redirect_map -q veth_in_intf veth_out_intf \
			>/dev/null 2>/tmp/fwd.err
		rc=$?
		[ "$rc" = 1 ] && grep -q "MTU 9000: before 5.18" /tmp/fwd.err ||
			WHY="exit $rc, want 1 naming MTU 9000: $(tail -n 1 /tmp/fwd.err)"
	fi
	ip link set in_intf mtu 1500
	in_ns ip link set veth_in_intf mtu 1500
	x=$(in_ns nsveth xdp veth_in_intf)
	[ "$x" = none ] || WHY="${WHY:-veth_in_intf still has XDP: $x}"
	[ -z "$WHY" ] && ok jumbo || fail jumbo "$WHY"
}

run_tests() {
	echo "guest: $(uname -m) $(uname -r), booted in $(cut -d' ' -f1 /proc/uptime) s"
	load_modules && topology || return
	check check_jit_off 0
	check check_jit_on 1
	features
	memlock
	forward forward_native_jit_on 1 native
	# What the forwarder says on this kernel, for the record.
	sed 's/^/guest: | /' /tmp/fwd.err
	forward forward_native_jit_off 0 native
	forward forward_generic 0 generic -S
	jit_set 1
	out_passes
	for sig in INT TERM HUP PIPE; do
		stop "$sig"
	done
	stop_pipe_reader
	start_no_loss
	busy
	kill9 kill9_restart restart
	kill9 kill9_detach detach
	jumbo
}

run_tests
echo "guest: totals: $PASSED ok, $FAILED FAIL, $SKIPPED SKIP"
echo "guest: done in $(cut -d' ' -f1 /proc/uptime) s"
sync
poweroff -f
