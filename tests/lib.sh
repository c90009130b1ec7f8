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

summary() { # STAGE
	echo "$1: $passed passed, $failed failed, $skipped skipped"
}

cleanup() {
	fwd_kill
	ip netns del "$NS_ROOT" 2>/dev/null
	ip netns del "$NS_NET0" 2>/dev/null
	ip netns list 2>/dev/null | awk '{print $1}' | grep "^$RUN_ID-" | xargs -r -n1 ip netns del
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_root() { ip netns exec "$NS_ROOT" "$@"; }
in_net0() { ip netns exec "$NS_NET0" "$@"; }

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
	ip netns del "$NS_ROOT" 2>/dev/null
	ip netns del "$NS_NET0" 2>/dev/null
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

fwd_kill() {
	[ -n "$FWD_PID" ] || return 0
	kill -KILL "$FWD_PID" 2>/dev/null
	wait "$FWD_PID" 2>/dev/null
	FWD_PID=
}

# Sends SIG and waits up to 10 s for the exit; sets FWD_STATUS (124
# when it had to be killed).
fwd_stop() {
	local i
	kill -"$1" "$FWD_PID"
	for i in $(seq 100); do
		kill -0 "$FWD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$FWD_PID" 2>/dev/null; then
		fwd_kill
		FWD_STATUS=124
		return
	fi
	wait "$FWD_PID"
	FWD_STATUS=$?
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

recv_wait() { wait "$RECV_PID"; }

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
