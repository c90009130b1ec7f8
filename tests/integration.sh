#!/bin/bash
# integration.sh - the forwarder on the seed's topology, with real frames.
# Run as root from the repository (make test). Every test builds its own
# topology in namespaces named after this run and removes it.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

FOREIGN_OBJ=$TMP/foreign.o

# The seed's own check: ping from in_intf, tcpdump on out_intf, MACs swapped.
t_seed_ping() {
	local mac
	if ! command -v tcpdump >/dev/null || ! command -v ping >/dev/null; then
		skip seed_ping "tcpdump or ping not installed"; return
	fi
	topo_seed || { fail seed_ping "topology"; return; }
	fwd_start veth_in_intf veth_out_intf || { fail seed_ping "did not attach: $(cat "$TMP/err")"; return; }
	mac=$(in_root "$PKTIO" mac in_intf)
	in_root timeout 10 tcpdump -c 5 -w "$TMP/seed.pcap" -ni out_intf icmp 2>"$TMP/td.err" &
	local td=$!
	wait_for "listening" "$TMP/td.err" 50
	in_root ping -c 5 -i 0.2 -W 1 10.10.10.2 >/dev/null
	pid_wait "$td" 120
	fwd_stop INT
	local got
	got=$(tcpdump -enr "$TMP/seed.pcap" 2>/dev/null | grep -c "ee:11:ee:11:ee:11 > $mac, ethertype IPv4.*ICMP echo request")
	check "seed_ping: 5 echo requests reach out_intf with swapped MACs" [ "$got" = 5 ]
	check "seed_ping: the forwarder counted 5" [ "$(total_of)" = 5 ]
	topo_down
}

# Frames from pktio: bytes, order and count checked on the far side.
t_frames() {
	local mac n=50
	topo_seed || { fail frames "topology"; return; }
	fwd_start veth_in_intf veth_out_intf || { fail frames "did not attach: $(cat "$TMP/err")"; return; }
	mac=$(in_root "$PKTIO" mac in_intf)
	recv_start "$NS_ROOT" out_intf 1000 "$TMP/recv"
	in_root "$PKTIO" send in_intf $n 128 >/dev/null
	recv_wait
	fwd_stop TERM
	check "frames: $n received on out_intf" grep -qx "received $n" "$TMP/recv"
	check "frames: every frame has dst=in_intf src=ee:11:ee:11:ee:11 and intact payload" \
		[ "$(grep -c "^$mac ee:11:ee:11:ee:11 [0-9]* 128 OK$" "$TMP/recv")" = $n ]
	check "frames: in order" [ "$(awk 'NF==5 {print $3}' "$TMP/recv" | tr '\n' ' ')" = "$(seq -s ' ' 0 $((n - 1))) " ]
	check "frames: the forwarder counted $n" [ "$(total_of)" = $n ]
	topo_down
}

# Frames arriving on OUT go to the stack untouched, uncounted.
t_out_passes() {
	local mac
	topo_seed || { fail out_passes "topology"; return; }
	fwd_start veth_in_intf veth_out_intf || { fail out_passes "did not attach"; return; }
	mac=$(in_root "$PKTIO" mac out_intf)
	recv_start "$NS_NET0" veth_out_intf 500 "$TMP/recv"
	in_root "$PKTIO" send out_intf 7 >/dev/null
	recv_wait
	fwd_stop INT
	check "out_passes: 7 frames reach veth_out_intf unmodified" \
		[ "$(grep -c "^ee:11:ee:11:ee:11 $mac [0-9]* 64 OK$" "$TMP/recv")" = 7 ]
	check "out_passes: none counted" [ "$(total_of)" = 0 ]
	topo_down
}

# Each stop signal: exit 0, both programs gone, the peer's GRO restored.
t_stop_signal() { # SIG
	topo_seed || { fail "stop_$1" "topology"; return; }
	fwd_start veth_in_intf veth_out_intf || { fail "stop_$1" "did not attach"; return; }
	check "stop_$1: GRO on at out_intf while forwarding" [ "$(gro_of "$NS_ROOT" out_intf)" = on ]
	fwd_stop "$1"
	check "stop_$1: exit status 0" [ "$FWD_STATUS" = 0 ]
	check "stop_$1: nothing attached to veth_in_intf" eval '! has_xdp "$NS_NET0" veth_in_intf'
	check "stop_$1: nothing attached to veth_out_intf" eval '! has_xdp "$NS_NET0" veth_out_intf'
	check "stop_$1: GRO off again at out_intf" [ "$(gro_of "$NS_ROOT" out_intf)" = off ]
	check "stop_$1: last line names the signal" grep -q "stopped by $1" "$TMP/err"
	topo_down
}

# A reader that goes away: SIGPIPE from a real pipe is a clean stop too.
t_stop_pipe_reader() {
	topo_seed || { fail stop_pipe_reader "topology"; return; }
	: >"$TMP/err"
	timeout 15 ip netns exec "$NS_NET0" sh -c \
		"'$BIN' veth_in_intf veth_out_intf 2>'$TMP/err' | head -n 1 >/dev/null"
	check "stop_pipe_reader: the forwarder stops soon after its reader exits" [ $? = 0 ]
	check "stop_pipe_reader: stopped by SIGPIPE" grep -q "stopped by SIGPIPE" "$TMP/err"
	check "stop_pipe_reader: nothing left attached" \
		eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	topo_down
}

# Generic mode (-S) forwards through the ordinary transmit path: no GRO fix.
t_generic() {
	local mac
	topo_seed || { fail generic "topology"; return; }
	fwd_start -S veth_in_intf veth_out_intf || { fail generic "did not attach: $(cat "$TMP/err")"; return; }
	check "generic: reports generic mode" grep -q "veth_in_intf: attached xdp_redirect_map (generic mode" "$TMP/err"
	check "generic: peer GRO untouched" [ "$(gro_of "$NS_ROOT" out_intf)" = off ]
	mac=$(in_root "$PKTIO" mac in_intf)
	recv_start "$NS_ROOT" out_intf 1000 "$TMP/recv"
	in_root "$PKTIO" send in_intf 20 >/dev/null
	recv_wait
	fwd_stop INT
	check "generic: 20 frames arrive with swapped MACs" \
		[ "$(grep -c "^$mac ee:11:ee:11:ee:11 [0-9]* 64 OK$" "$TMP/recv")" = 20 ]
	check "generic: nothing left attached" eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	topo_down
}

# A peer that already takes redirects (GRO on) is left as it is.
t_peer_gro_already_on() {
	topo_seed || { fail peer_gro_on "topology"; return; }
	in_root ethtool -K out_intf gro on
	fwd_start veth_in_intf veth_out_intf || { fail peer_gro_on "did not attach"; return; }
	fwd_stop INT
	check "peer_gro_on: no change announced" eval '! grep -q "turned GRO on" "$TMP/err"'
	check "peer_gro_on: the user's GRO setting stays on" [ "$(gro_of "$NS_ROOT" out_intf)" = on ]
	topo_down
}

# Somebody else's program on IN is never replaced without -F.
t_no_clobber() {
	topo_seed || { fail no_clobber "topology"; return; }
	ip -n "$NS_NET0" link set dev veth_in_intf xdp object "$FOREIGN_OBJ" section xdp ||
		{ fail no_clobber "cannot attach the foreign program"; return; }
	local id
	id=$(ip -n "$NS_NET0" -d link show dev veth_in_intf | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
	in_net0 "$BIN" veth_in_intf veth_out_intf >"$TMP/out" 2>"$TMP/err"
	check "no_clobber: exit status 1" [ $? = 1 ]
	check "no_clobber: names the program and -F" grep -q "veth_in_intf: already has XDP program $id (foreign); -F replaces it" "$TMP/err"
	check "no_clobber: the foreign program is still attached" \
		eval 'ip -n "$NS_NET0" -d link show dev veth_in_intf | grep -q "prog/xdp id $id "'
	check "no_clobber: nothing of ours left on OUT" eval '! has_xdp "$NS_NET0" veth_out_intf'
	fwd_start -F veth_in_intf veth_out_intf
	check "no_clobber: -F replaces it" grep -q "veth_in_intf: attached xdp_redirect_map" "$TMP/err"
	fwd_stop INT
	topo_down
}

t_usage() {
	"$BIN" >/dev/null 2>&1; check "usage: no interfaces is exit 2" [ $? = 2 ]
	"$BIN" -i 0 a b >/dev/null 2>&1; check "usage: bad interval is exit 2" [ $? = 2 ]
	"$BIN" --bogus a b >/dev/null 2>&1; check "usage: unknown option is exit 2" [ $? = 2 ]
	"$BIN" -h | grep -q "usage: xdp_redirect_map"; check "usage: -h prints usage" [ $? = 0 ]
	"$BIN" -V | grep -q "^xdp_redirect_map "; check "usage: -V prints the version" [ $? = 0 ]
	topo_seed
	in_net0 "$BIN" nosuch0 veth_out_intf >/dev/null 2>"$TMP/err"
	check "usage: missing IN is exit 1" [ $? = 1 ]
	check "usage: missing IN is named" grep -qx "xdp_redirect_map: nosuch0: no such interface" "$TMP/err"
	in_net0 "$BIN" veth_in_intf_way_too_long veth_out_intf >/dev/null 2>"$TMP/err"
	check "usage: a name over 15 characters is exit 2" [ $? = 2 ]
	check "usage: a name over 15 characters is refused by name" grep -q "veth_in_intf_way_too_long: interface name longer than 15" "$TMP/err"
	local idx
	idx=$(cat "/sys/class/net/lo/ifindex")
	in_net0 "$BIN" "$idx" lo >/dev/null 2>"$TMP/err"
	check "usage: IN equal to OUT by index and name is exit 2" [ $? = 2 ]
	check "usage: IN equal to OUT by index and name is refused" grep -q "same interface" "$TMP/err"
	check "usage: and leaves nothing attached" eval '! has_xdp "$NS_NET0" lo'
	topo_down
}

t_check() {
	"$BIN" --check >"$TMP/out" 2>"$TMP/err"
	check "check: the kernel accepts the embedded object" [ $? = 0 ]
	check "check: says so" grep -q "accepted by the kernel" "$TMP/out"
}

clang -O2 -target bpf -Wall -I"$TOP/build/uapi" -c "$TOP/tests/objs/foreign.c" -o "$FOREIGN_OBJ" ||
	echo "cannot build the foreign test object"
for t in t_usage t_check t_seed_ping t_frames t_out_passes t_generic t_peer_gro_already_on \
	 t_no_clobber t_stop_pipe_reader; do
	$t
done
for sig in INT TERM HUP PIPE; do
	t_stop_signal "SIG$sig"
done
summary integration
[ "$failed" = 0 ]
