# lib.sh - shared by the integration tests: counters, the seed's topology
# in namespaces unique to the run, and cleanup that runs however the test
# ends. Sourced; expects $TOP (the repository) to be set.

BIN=${BIN:-$TOP/xdp_redirect_map}
PKTIO=${PKTIO:-$TOP/tests/pktio}
RUN_ID=${RUN_ID:-xrm$$}
NS_ROOT=$RUN_ID-root		# the seed's root-namespace side
NS_NET0=$RUN_ID-net0		# the seed's net0
TMP=$(mktemp -d /tmp/xrm-test.XXXXXX)
passed=0 failed=0 skipped=0
FWD_PID=

ok()   { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; }
check() { # NAME CONDITION-COMMAND...
	local name=$1; shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}

# Cleanup first, then its own check, so that what a stage left behind
# counts in the line that closes it.
summary() { # STAGE
	cleanup
	leftovers_check
	echo "$1: $passed passed, $failed failed, $skipped skipped"
}

# ---- cleanup that cannot be cut short ----
# Every process a test starts lives in a cgroup (v2) of the run's own, so
# that cleanup kills all it caused, start-stop-daemon's daemons and
# forwarders re-parented to init included, by membership rather than by
# name. Without a writable cgroup2 mount, the pids the tests know of and
# the pid files under $TMP are all there is to go by.
CG='' CG_HOME='' CLEANED=''

cg_enter() {
	local root path
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	path=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ -n "$root" ] && [ -n "$path" ] || return 0
	CG_HOME=$root${path%/}
	mkdir "$CG_HOME/$RUN_ID" 2>/dev/null || return 0
	if echo $$ >"$CG_HOME/$RUN_ID/cgroup.procs" 2>/dev/null; then
		CG=$CG_HOME/$RUN_ID
	else
		rmdir "$CG_HOME/$RUN_ID"
	fi
}

# Kills the cgroup's processes until it can be removed (bounded: 5 s),
# after moving this shell out of it. Our own children are reaped first:
# a zombie keeps its cgroup busy.
cg_kill() {
	local i pid
	[ -n "$CG" ] && [ -d "$CG" ] || return 0
	echo $$ >"$CG_HOME/cgroup.procs"
	for i in $(seq 50); do
		if [ -e "$CG/cgroup.kill" ]; then
			echo 1 >"$CG/cgroup.kill"
		else
			while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$CG/cgroup.procs"
		fi
		wait 2>/dev/null
		rmdir "$CG" 2>/dev/null && return 0
		sleep 0.1
	done
}

pids_kill() {
	local f
	for f in "$TMP"/*.pid; do
		[ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	[ -n "$RECV_PID" ] && kill -KILL "$RECV_PID" 2>/dev/null
	fwd_kill
	# shellcheck disable=SC2046
	kill -KILL $(jobs -p) 2>/dev/null
	wait 2>/dev/null
}

# A namespace of the run, with its XDP program ids noted for the last
# check, and the files under /run/xdp_redirect_map named after it (a
# killed forwarder's) removed first: once it is gone, its inode number is
# another new namespace's, maybe another run's.
ns_del() { # NS
	local ino
	ino=$(stat -L -c %i "/run/netns/$1" 2>/dev/null) || return 0
	ip -n "$1" -d link show 2>/dev/null |
		sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' >>"$LEFT/prog-ids"
	rm -f /run/xdp_redirect_map/*@"$ino"
	ip netns del "$1"
}

ns_del_ours() {
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$RUN_ID-"); do
		ns_del "$ns"
	done
}

# Runs once, with INT, TERM and HUP ignored (by the commands it runs too):
# a second signal cannot cut it short.
cleanup() {
	trap '' INT TERM HUP
	[ -n "$CLEANED" ] && return 0
	CLEANED=1
	cg_kill
	pids_kill
	ns_del_ours
	rm -rf "$TMP"
}

# Nothing the run made is left: namespaces, processes, $TMP, XDP programs
# (freed once their links went; the kernel takes a moment). The files
# under /run went with their namespaces (ns_del).
leftovers_check() {
	local left='' id i
	ip netns list 2>/dev/null | awk '{print $1}' | grep -q "^$RUN_ID-" &&
		left="$left namespaces"
	[ -z "$CG" ] || [ ! -d "$CG" ] || left="$left processes"
	[ ! -e "$TMP" ] || left="$left $TMP"
	if command -v bpftool >/dev/null; then
		while read -r id; do
			for i in $(seq 50); do
				bpftool prog show id "$id" >/dev/null 2>&1 || break
				sleep 0.1
			done
			bpftool prog show id "$id" >/dev/null 2>&1 && left="$left program-$id"
		done < <(sort -u "$LEFT/prog-ids")
	fi
	rm -rf "$LEFT"
	if [ -z "$left" ]; then
		ok "cleanup: nothing left behind"
		return 0
	fi
	fail "cleanup: nothing left behind" "left:$left"
	return 1
}

# After a signal, or an exit without summary (demo.sh), the exit status
# tells of leftovers.
on_exit() {
	local rc=$?
	cleanup
	[ -d "$LEFT" ] || exit "$rc"
	leftovers_check >&2 || exit 1
	exit "$rc"
}

# What the last check needs outlives $TMP.
LEFT=$(mktemp -d /tmp/xrm-left.XXXXXX)
: >"$LEFT/prog-ids"
cg_enter
trap on_exit EXIT
trap 'trap "" INT TERM HUP; exit 130' INT
trap 'trap "" INT TERM HUP; exit 143' TERM
trap 'trap "" INT TERM HUP; exit 129' HUP

# Bounded: a command that should end (a forwarder that should refuse to
# start, say) but hangs fails its test in 30 s instead of hanging the
# stage. --foreground keeps it in the stage's process group, for signals.
in_root() { timeout --foreground -k 2 30 ip netns exec "$NS_ROOT" "$@"; }
in_net0() { timeout --foreground -k 2 30 ip netns exec "$NS_NET0" "$@"; }

# A namespace that stays silent: no IPv6 autoconfiguration frames to
# disturb the counts.
ns_add() {
	ip netns add "$1" || return 1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$1" link set lo up
}

# The seed's commands, with its root namespace made a namespace too.
# TOPO_IFINDEX=N numbers the four interfaces from N instead of letting the
# kernel pick (tracepoints are global: ifindexes no other test uses).
topo_seed() {
	local i=${TOPO_IFINDEX:-}
	topo_down
	ns_add "$NS_ROOT" && ns_add "$NS_NET0" || return 1
	ip -n "$NS_ROOT" link add in_intf ${i:+index $i} type veth \
		peer name veth_in_intf ${i:+index $((i + 1))} &&
	ip -n "$NS_ROOT" link add out_intf ${i:+index $((i + 2))} type veth \
		peer name veth_out_intf ${i:+index $((i + 3))} &&
	ip -n "$NS_ROOT" link set veth_in_intf netns "$NS_NET0" &&
	ip -n "$NS_ROOT" link set veth_out_intf netns "$NS_NET0" &&
	ip -n "$NS_ROOT" link set in_intf up &&
	ip -n "$NS_ROOT" link set out_intf up &&
	ip -n "$NS_NET0" link set veth_in_intf up &&
	ip -n "$NS_NET0" link set veth_out_intf up &&
	ip -n "$NS_ROOT" address add 10.10.10.1/24 dev in_intf &&
	ip -n "$NS_ROOT" neigh add 10.10.10.2 lladdr ee:11:ee:11:ee:11 dev in_intf
}

topo_down() {
	fwd_kill
	ns_del "$NS_ROOT"
	ns_del "$NS_NET0"
	return 0
}

# Starts the forwarder in net0 with ARGS; its output goes to $TMP/out and
# $TMP/err. Waits until IN (the first IN, with -b or several pairs) is
# attached, or the forwarder exits.
fwd_start() {
	: >"$TMP/out"; : >"$TMP/err"
	# Not through in_net0: $! must be the forwarder, not a subshell.
	ip netns exec "$NS_NET0" "$BIN" "$@" >"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	wait_for "attached xdp_redirect_map\|attached xdp_pairs" "$TMP/err" 50
}

# The forwarder in net0 with tracefs mounted: ip netns exec gives it a
# mount namespace of its own (with a fresh /sys), so the mount goes with
# it. exec keeps $! the forwarder's pid.
fwd_start_tracefs() { # ARGS...
	: >"$TMP/out"; : >"$TMP/err"
	ip netns exec "$NS_NET0" sh -c 'mount -t tracefs nodev /sys/kernel/tracing && exec "$@"' \
		sh "$BIN" "$@" >"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	wait_for "attached xdp_redirect_map\|attached xdp_pairs" "$TMP/err" 50
}

# Waits up to 4 s until the forwarder has printed N lines on stdout.
wait_for_lines() { # N
	local i
	for i in $(seq 40); do
		[ "$(wc -l <"$TMP/out")" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

fwd_kill() {
	[ -n "$FWD_PID" ] || return 0
	kill -KILL "$FWD_PID" 2>/dev/null
	wait "$FWD_PID" 2>/dev/null
	FWD_PID=
}

# Sends SIG and waits up to 10 s for the exit; sets FWD_STATUS (124
# when it had to be killed).
fwd_stop() {
	kill -"$1" "$FWD_PID"
	pid_wait "$FWD_PID" 100
	FWD_STATUS=$PID_STATUS
	FWD_PID=
}

wait_for() { # PATTERN FILE TENTHS
	local i=0
	while [ "$i" -lt "$3" ]; do
		grep -q "$1" "$2" 2>/dev/null && return 0
		[ -n "$FWD_PID" ] && ! kill -0 "$FWD_PID" 2>/dev/null && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Receives on IFACE in NS until TIMEOUT_MS passes without a frame.
recv_start() { # NS IFACE TIMEOUT_MS OUTFILE
	: >"$4.err"
	ip netns exec "$1" "$PKTIO" recv "$2" "$3" >"$4" 2>"$4.err" &
	RECV_PID=$!
	wait_for ready "$4.err" 30
}

# Every wait is bounded: a receiver that never sees silence (frames in a
# loop) is killed after 20 s, and the test fails on what it got.
recv_wait() { pid_wait "$RECV_PID" 200; RECV_PID=; }

# Waits up to TENTHS for PID, a child of this shell, then kills it;
# PID_STATUS is its exit status, 124 when it had to be killed.
pid_wait() { # PID TENTHS
	local i
	for i in $(seq "$2"); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		PID_STATUS=124
		return 1
	fi
	wait "$1"
	PID_STATUS=$?
	return "$PID_STATUS"
}

# The forwarder's files under /run for the ports of namespace NS.
run_files() { # NS
	ls /run/xdp_redirect_map/*@"$(stat -L -c %i "/run/netns/$1")" 2>/dev/null
}

# Whether a link has any XDP program attached.
has_xdp() { # NS IFACE
	ip -n "$1" -d link show dev "$2" | grep -q "prog/xdp"
}

gro_of() { # NS IFACE
	ip netns exec "$1" ethtool -k "$2" | awk '/^generic-receive-offload:/ {print $2}'
}

total_of() { # the total the forwarder reports when it stops
	sed -n 's/.*: \([0-9]*\) frames forwarded.*/\1/p' "$TMP/err"
}
