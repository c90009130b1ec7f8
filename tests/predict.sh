#!/bin/bash
# predict.sh - what --check IN OUT and the forwarder say before attaching
# (xdp_features.c), on the seed's topology, each prediction then held
# against real frames: what is predicted to arrive arrives, what is
# predicted lost is lost. Run as root from the repository.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

# --check in net0; stdout in $TMP/out, stderr in $TMP/err, status in $CHECK_STATUS.
check_ports() { # ARGS...
	in_net0 "$@" "$BIN" --check veth_in_intf veth_out_intf >"$TMP/out" 2>"$TMP/err"
	CHECK_STATUS=$?
}

# COUNT frames of SIZE bytes from in_intf; how many arrive at out_intf
# lands in $TMP/recv ("received N").
frames_through() { # COUNT SIZE
	recv_start "$NS_ROOT" out_intf 1000 "$TMP/recv"
	in_root "$PKTIO" send in_intf "$1" "$2" >/dev/null
	recv_wait
}

# The seed's OUT: its peer out_intf has neither XDP nor GRO. --check says
# the forwarder will give it GRO, and changes nothing; the forwarder says
# so before attaching, does it, and the frames arrive.
t_peer_fixed() {
	topo_seed || { fail peer_fixed topology; return; }
	check_ports
	check "peer_fixed: --check IN OUT exits 0" [ "$CHECK_STATUS" = 0 ]
	check "peer_fixed: IN natively, from xdp-features" \
		grep -qx "port veth_in_intf: native XDP yes (xdp-features), transmits redirected frames: - (IN only)" "$TMP/out"
	check "peer_fixed: OUT's peer predicted to get GRO" \
		grep -qx "port veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: yes, once the forwarder gives its veth peer GRO" "$TMP/out"
	check "peer_fixed: --check changed nothing" \
		eval '[ "$(gro_of "$NS_ROOT" out_intf)" = off ] && ! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	fwd_start veth_in_intf veth_out_intf || { fail peer_fixed "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	frames_through 20 128
	fwd_stop INT
	check "peer_fixed: the forwarder says it before attaching" \
		[ "$(grep -n "veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: yes, once" "$TMP/err" | cut -d: -f1)" \
		  -lt "$(grep -n "attached xdp_redirect_map" "$TMP/err" | cut -d: -f1)" ]
	check "peer_fixed: and not as a warning" eval '! grep -q "warning" "$TMP/err"'
	check "peer_fixed: it gave the peer GRO" grep -q "turned GRO on at its veth peer out_intf" "$TMP/err"
	check "peer_fixed: the 20 frames arrive" grep -qx "received 20" "$TMP/recv"
	topo_down
}

# The same peer where it cannot be changed (no CAP_SYS_ADMIN to enter its
# namespace): a black hole, predicted by --check and warned of by the
# forwarder, which still runs; none of the frames arrive.
t_peer_black_hole() {
	topo_seed || { fail peer_black_hole topology; return; }
	check_ports setpriv --bounding-set -sys_admin
	check "peer_black_hole: --check exits 0" [ "$CHECK_STATUS" = 0 ]
	check "peer_black_hole: --check predicts the black hole and why" \
		grep -qx "port veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: no: black hole: its veth peer has no XDP or GRO and is out of reach: CAP_SYS_ADMIN needed" "$TMP/out"
	: >"$TMP/err"
	ip netns exec "$NS_NET0" setpriv --bounding-set -sys_admin "$BIN" veth_in_intf veth_out_intf \
		>"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	wait_for "attached xdp_redirect_map" "$TMP/err" 50 ||
		{ fail peer_black_hole "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	frames_through 20 128
	fwd_stop INT
	check "peer_black_hole: the forwarder warns, naming the port and the cause" \
		grep -qx "xdp_redirect_map: veth_out_intf: warning: native XDP yes (xdp-features), transmits redirected frames: no: black hole: its veth peer has no XDP or GRO and is out of reach: CAP_SYS_ADMIN needed" "$TMP/err"
	check "peer_black_hole: and runs all the same" [ "$FWD_STATUS" = 0 ]
	check "peer_black_hole: as predicted, no frame arrives" grep -qx "received 0" "$TMP/recv"
	topo_down
}

# OUT's MTU under IN's: frames over OUT's MTU + 18 fail with -EMSGSIZE
# (xdp_ok_fwd_dev); smaller ones pass.
t_mtu() {
	topo_seed || { fail mtu topology; return; }
	in_root ethtool -K out_intf gro on
	ip -n "$NS_NET0" link set veth_out_intf mtu 1400
	check_ports
	check "mtu: --check exits 0" [ "$CHECK_STATUS" = 0 ]
	check "mtu: --check predicts the loss of frames over 1418 bytes" \
		grep -qx "port veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: no: black hole for frames over 1418 bytes (MTU 1400, veth_in_intf's 1500)" "$TMP/out"
	fwd_start veth_in_intf veth_out_intf || { fail mtu "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	frames_through 10 1418
	cp "$TMP/recv" "$TMP/recv-small"
	frames_through 10 1419
	fwd_stop INT
	check "mtu: the forwarder warns before attaching" \
		[ "$(grep -n "veth_out_intf: warning: .*black hole for frames over 1418 bytes (MTU 1400" "$TMP/err" | cut -d: -f1)" \
		  -lt "$(grep -n "attached xdp_redirect_map" "$TMP/err" | cut -d: -f1)" ]
	check "mtu: as predicted, 10 frames of 1418 bytes arrive" grep -qx "received 10" "$TMP/recv-small"
	check "mtu: and none of 1419" grep -qx "received 0" "$TMP/recv"
	check "mtu: the forwarder counted all 20" [ "$(total_of)" = 20 ]
	topo_down
}

# Everything fine: GRO on at the peer, equal MTUs. No warning, and the
# frames arrive; with -S the answer is the stack's path, needing no GRO.
t_ok() {
	topo_seed || { fail ok topology; return; }
	in_root ethtool -K out_intf gro on
	check_ports
	check "ok: --check exits 0" [ "$CHECK_STATUS" = 0 ]
	check "ok: OUT transmits, from xdp-features" \
		grep -qx "port veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: yes" "$TMP/out"
	check "ok: no black hole on any line" eval '! grep -q "black hole" "$TMP/out"'
	fwd_start veth_in_intf veth_out_intf || { fail ok "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	frames_through 20 1514
	fwd_stop INT
	check "ok: the forwarder's line for OUT" \
		grep -qx "xdp_redirect_map: veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: yes" "$TMP/err"
	check "ok: no warning" eval '! grep -q "warning" "$TMP/err"'
	check "ok: 20 full-size frames arrive" grep -qx "received 20" "$TMP/recv"
	in_root ethtool -K out_intf gro off
	in_net0 "$BIN" --check -S veth_in_intf veth_out_intf >"$TMP/out" 2>"$TMP/err"
	check "ok: -S: through the stack, no GRO needed" \
		grep -qx "port veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: yes" "$TMP/out"
	topo_down
}

t_missing() {
	topo_seed || { fail missing topology; return; }
	in_net0 "$BIN" --check veth_in_intf nosuch0 >"$TMP/out" 2>"$TMP/err"
	check "missing: --check IN OUT with OUT missing exits 1" [ $? = 1 ]
	check "missing: naming it" grep -qx "xdp_redirect_map: nosuch0: cannot read: No such device" "$TMP/err"
	check "missing: no port line" eval '! grep -q "^port " "$TMP/out"'
	topo_down
}

# OUT made again (new ifindexes), its peer out_intf left in the root
# namespace: with gro, GRO turned on there before the forwarder sees OUT,
# and once out_intf is up (at a down veth the kernel does not make its
# peer a redirect target).
out_back() { # [gro]
	ip -n "$NS_ROOT" link add out_intf type veth peer name veth_out_intf &&
	ip -n "$NS_ROOT" link set out_intf up &&
	{ [ -z "$1" ] || in_root ethtool -K out_intf gro on; } &&
	ip -n "$NS_ROOT" link set veth_out_intf netns "$NS_NET0" &&
	ip -n "$NS_NET0" link set veth_out_intf up
}

# Waits up to TENTHS for PATTERN to occur N times in FILE.
wait_count() { # PATTERN FILE N TENTHS
	local i
	for i in $(seq "$4"); do
		[ "$(grep -c "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# The line number of PATTERN's Nth occurrence in $TMP/err, 0 for none.
line_of() { # PATTERN N
	grep -n "$1" "$TMP/err" | sed -n "${2}s/:.*//p" | grep . || echo 0
}

# OUT removed while the forwarder runs (--wait, no CAP_SYS_ADMIN) and
# made again as another device: a peer without XDP or GRO, out of reach.
# The warning is said after it comes back and before it is attached, the
# frames are lost as it says; OUT flapping back to that same device says
# nothing again; OUT back with GRO at its peer says so, and frames arrive.
PEER_HOLE="veth_out_intf: warning: native XDP yes (xdp-features), transmits redirected frames: no: black hole: its veth peer has no XDP or GRO and is out of reach: CAP_SYS_ADMIN needed"
OUT_YES="veth_out_intf: native XDP yes (xdp-features), transmits redirected frames: yes$"
t_replug() {
	topo_seed || { fail replug topology; return; }
	in_root ethtool -K out_intf gro on
	: >"$TMP/err"
	ip netns exec "$NS_NET0" setpriv --bounding-set -sys_admin "$BIN" --wait veth_in_intf veth_out_intf \
		>"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	wait_for "attached xdp_redirect_map" "$TMP/err" 50 ||
		{ fail replug "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	check "replug: OUT fine at the start" grep -q "$OUT_YES" "$TMP/err"
	ip -n "$NS_NET0" link del veth_out_intf
	check "replug: gone" wait_for "veth_out_intf: gone" "$TMP/err" 20
	out_back
	check "replug: back as another device" wait_count "veth_out_intf: up (ifindex" "$TMP/err" 1 30
	frames_through 20 128
	check "replug: the warning, said once" [ "$(grep -c "$PEER_HOLE" "$TMP/err")" = 1 ]
	check "replug: after OUT came back" \
		[ "$(line_of "veth_out_intf: back (ifindex" 1)" -lt "$(line_of "$PEER_HOLE" 1)" ]
	check "replug: before it was attached again" \
		[ "$(line_of "$PEER_HOLE" 1)" -lt "$(line_of "veth_out_intf: attached" 2)" ]
	check "replug: as predicted, no frame arrives" grep -qx "received 0" "$TMP/recv"

	ip -n "$NS_NET0" link del veth_out_intf
	check "replug: gone again" wait_count "veth_out_intf: gone" "$TMP/err" 2 20
	out_back
	check "replug: back as the same device" wait_count "veth_out_intf: up (ifindex" "$TMP/err" 2 30
	check "replug: the flap says no line again" [ "$(grep -c "$PEER_HOLE" "$TMP/err")" = 1 ]

	ip -n "$NS_NET0" link del veth_out_intf
	check "replug: gone a third time" wait_count "veth_out_intf: gone" "$TMP/err" 3 20
	out_back gro
	check "replug: back with GRO at its peer" wait_count "veth_out_intf: up (ifindex" "$TMP/err" 3 30
	frames_through 20 128
	fwd_stop INT
	check "replug: says it transmits again" [ "$(grep -c "$OUT_YES" "$TMP/err")" = 2 ]
	check "replug: as predicted, the 20 frames arrive" grep -qx "received 20" "$TMP/recv"
	check "replug: a clean stop" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# IN made again with a larger MTU: OUT's answer weighs IN's MTU, so OUT's
# line is said again, before IN is attached; the frames between the MTUs
# are lost as it says.
t_in_mtu() {
	topo_seed || { fail in_mtu topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail in_mtu "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	ip -n "$NS_NET0" link del veth_in_intf
	check "in_mtu: gone" wait_for "veth_in_intf: gone" "$TMP/err" 20
	ip -n "$NS_ROOT" link add in_intf mtu 2000 type veth peer name veth_in_intf mtu 2000 &&
	ip -n "$NS_ROOT" link set veth_in_intf netns "$NS_NET0" &&
	ip -n "$NS_ROOT" link set in_intf up &&
	ip -n "$NS_NET0" link set veth_in_intf up
	check "in_mtu: IN attached again" wait_count "veth_in_intf: attached xdp_redirect_map" "$TMP/err" 2 30
	frames_through 10 1518
	cp "$TMP/recv" "$TMP/recv-small"
	frames_through 10 1519
	fwd_stop INT
	local warn="veth_out_intf: warning: .*black hole for frames over 1518 bytes (MTU 1500, veth_in_intf's 2000)"
	check "in_mtu: OUT's line said again, after IN is back" \
		[ "$(line_of "veth_in_intf: back (ifindex" 1)" -lt "$(line_of "$warn" 1)" ]
	check "in_mtu: before IN is attached" \
		[ "$(line_of "$warn" 1)" -lt "$(line_of "veth_in_intf: attached" 2)" ]
	check "in_mtu: IN's own line, unchanged, not again" \
		[ "$(grep -c "veth_in_intf: native XDP" "$TMP/err")" = 1 ]
	check "in_mtu: as predicted, 10 frames of 1518 bytes arrive" grep -qx "received 10" "$TMP/recv-small"
	check "in_mtu: and none of 1519" grep -qx "received 0" "$TMP/recv"
	topo_down
}

# OUT missing at the start (--wait): no line for it then; its line when
# it comes the first time.
t_wait_first() {
	topo_seed || { fail wait_first topology; return; }
	ip -n "$NS_NET0" link del veth_out_intf
	fwd_start --wait veth_in_intf veth_out_intf ||
		{ fail wait_first "did not attach: $(cat "$TMP/err")"; topo_down; return; }
	check "wait_first: no line for OUT before it is there" eval '! grep -q "veth_out_intf: .*native XDP" "$TMP/err"'
	out_back gro
	check "wait_first: OUT attached when it comes" wait_for "veth_out_intf: up (ifindex" "$TMP/err" 30
	frames_through 20 128
	fwd_stop INT
	check "wait_first: its line, once it is here" \
		[ "$(line_of "veth_out_intf: here (ifindex" 1)" -lt "$(line_of "$OUT_YES" 1)" ]
	check "wait_first: the 20 frames arrive" grep -qx "received 20" "$TMP/recv"
	topo_down
}

for t in t_peer_fixed t_peer_black_hole t_mtu t_ok t_missing t_replug t_in_mtu t_wait_first; do
	$t
done
summary predict
[ "$failed" = 0 ]
