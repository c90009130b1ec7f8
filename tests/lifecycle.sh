#!/bin/bash
# lifecycle.sh - what a router's init system and its interfaces do to the
# forwarder: second instances, kill -9 and restart, --detach, interfaces
# that go down, vanish and come back, --wait, privileges. Each test fails
# if the behaviour it names is missing.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

MAC_IN=
send_and_count() { # COUNT [GAP_US] -> frames that reached out_intf swapped
	recv_start "$NS_ROOT" out_intf 800 "$TMP/recv"
	in_root "$PKTIO" send in_intf "$1" 64 ee:11:ee:11:ee:11 ${2:+-g "$2"} >/dev/null
	recv_wait
	MAC_IN=$(in_root "$PKTIO" mac in_intf)
	grep -c "^$MAC_IN ee:11:ee:11:ee:11 .* OK$" "$TMP/recv"
}

# A hot-plugged pair: the seed's veth made again, with new ifindexes.
veth_back() { # ROOT-SIDE NET0-SIDE
	ip -n "$NS_ROOT" link add "$1" type veth peer name "$2" &&
	ip -n "$NS_ROOT" link set "$2" netns "$NS_NET0" &&
	ip -n "$NS_ROOT" link set "$1" up &&
	ip -n "$NS_NET0" link set "$2" up
}

prog_id_of() { # NS IFACE
	ip -n "$1" -d link show dev "$2" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
}

t_second_instance() {
	topo_seed || { fail second_instance topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail second_instance "did not attach"; return; }
	in_net0 "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "second_instance: refused with exit 1" [ $? = 1 ]
	check "second_instance: names the running one" grep -q "veth_in_intf: in use by a running xdp_redirect_map (pid $FWD_PID)" "$TMP/err2"
	in_net0 "$BIN" veth_in_intf lo >/dev/null 2>"$TMP/err2"
	check "second_instance: also when only one port is shared" [ $? = 1 ]
	check "second_instance: the first keeps forwarding" [ "$(send_and_count 10)" = 10 ]
	check "second_instance: a lock file per port under /run" [ "$(run_files "$NS_NET0" | wc -l)" = 2 ]
	fwd_stop INT
	check "second_instance: the first stops cleanly" [ "$FWD_STATUS" = 0 ]
	check "second_instance: and removes its files under /run" [ -z "$(run_files "$NS_NET0")" ]
	topo_down
}

t_kill9_restart() {
	local old new
	topo_seed || { fail kill9 topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail kill9 "did not attach"; return; }
	fwd_kill
	old=$(prog_id_of "$NS_NET0" veth_in_intf)
	check "kill9: programs stay attached" [ -n "$old" ]
	check "kill9: and keep forwarding" [ "$(send_and_count 10)" = 10 ]
	# Restart while frames flow: every frame must reach OUT, so IN never
	# stood bare (a frame then would go to IN's own stack instead).
	recv_start "$NS_ROOT" out_intf 1500 "$TMP/recv"
	in_root "$PKTIO" send in_intf 1500 64 ee:11:ee:11:ee:11 -g 1000 >/dev/null &
	local sender=$!
	sleep 0.3
	fwd_start veth_in_intf veth_out_intf
	pid_wait "$sender" 100
	recv_wait
	new=$(prog_id_of "$NS_NET0" veth_in_intf)
	check "kill9: a restart comes up and takes over" grep -q "veth_in_intf: attached xdp_redirect_map (native mode, program id $new), replacing the one an earlier instance left" "$TMP/err"
	check "kill9: the new program replaced the old" eval '[ -n "$new" ] && [ "$new" != "$old" ]'
	MAC_IN=$(in_root "$PKTIO" mac in_intf)
	check "kill9: no frame lost during the takeover (1500 sent)" \
		[ "$(grep -c "^$MAC_IN ee:11:ee:11:ee:11 .* OK$" "$TMP/recv")" = 1500 ]
	check "kill9: it inherits the peer's GRO to undo" grep -q "turned on by an earlier instance" "$TMP/err"
	fwd_stop TERM
	check "kill9: the restarted one stops cleanly" [ "$FWD_STATUS" = 0 ]
	check "kill9: nothing left attached" eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	check "kill9: GRO off again at the peer" [ "$(gro_of "$NS_ROOT" out_intf)" = off ]
	topo_down
}

t_detach() {
	topo_seed || { fail detach topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail detach "did not attach"; return; }
	in_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "detach: refused while an instance runs" [ $? = 1 ]
	fwd_kill
	in_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "detach: exit 0 after a kill -9" [ $? = 0 ]
	check "detach: both programs removed" eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	check "detach: GRO off again at the peer" [ "$(gro_of "$NS_ROOT" out_intf)" = off ]
	ip -n "$NS_NET0" link set dev veth_in_intf xdp object "$SAMENAME_OBJ" section xdp
	in_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "detach: a program of the same name that is not ours stays" has_xdp "$NS_NET0" veth_in_intf
	check "detach: and is named" grep -q "veth_in_intf: already has XDP program" "$TMP/err2"
	topo_down
}

# BCC's example names its program xdp_redirect_map too: a name is no proof.
t_same_name_not_ours() {
	topo_seed || { fail same_name topology; return; }
	ip -n "$NS_NET0" link set dev veth_in_intf xdp object "$SAMENAME_OBJ" section xdp
	in_net0 "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "same_name: a foreign xdp_redirect_map is not taken over" [ $? = 1 ]
	check "same_name: it stays attached" has_xdp "$NS_NET0" veth_in_intf
	topo_down
}

t_out_down_up() {
	topo_seed || { fail out_down topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail out_down "did not attach"; return; }
	ip -n "$NS_NET0" link set veth_out_intf down
	check "out_down: announced" wait_for "veth_out_intf: down: frames on veth_in_intf go to its own stack" "$TMP/err" 20
	check "out_down: nothing reaches out_intf" [ "$(send_and_count 10)" = 0 ]
	ip -n "$NS_NET0" link set veth_out_intf up
	check "out_up: announced" wait_for "veth_out_intf: up (ifindex [0-9]*): forwarding again" "$TMP/err" 20
	check "out_up: forwarding again" [ "$(send_and_count 10)" = 10 ]
	fwd_stop INT
	check "out_up: clean stop" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# A hot-plugged OUT: the veth pair removed and made again, new ifindexes.
t_out_replug() {
	topo_seed || { fail out_replug topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail out_replug "did not attach"; return; }
	ip -n "$NS_NET0" link del veth_out_intf
	check "out_replug: gone announced" wait_for "veth_out_intf: gone" "$TMP/err" 20
	veth_back out_intf veth_out_intf
	check "out_replug: back within a second" wait_for "veth_out_intf: up (ifindex" "$TMP/err" 10
	check "out_replug: our program on the new OUT" has_xdp "$NS_NET0" veth_out_intf
	check "out_replug: the new peer got GRO" wait_for "turned GRO on at its veth peer out_intf" "$TMP/err" 10
	check "out_replug: forwarding again" [ "$(send_and_count 10)" = 10 ]
	fwd_stop INT
	check "out_replug: nothing left attached" eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	topo_down
}

t_in_replug() {
	topo_seed || { fail in_replug topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail in_replug "did not attach"; return; }
	ip -n "$NS_NET0" link del veth_in_intf
	check "in_replug: gone announced" wait_for "veth_in_intf: gone" "$TMP/err" 20
	veth_back in_intf veth_in_intf
	check "in_replug: re-attached within a second" wait_for "veth_in_intf: attached xdp_redirect_map" "$TMP/err" 10
	check "in_replug: forwarding again" [ "$(send_and_count 10)" = 10 ]
	fwd_stop INT
	check "in_replug: clean stop" [ "$FWD_STATUS" = 0 ]
	topo_down
}

t_wait() {
	topo_seed || { fail wait topology; return; }
	ip -n "$NS_NET0" link del veth_out_intf
	in_net0 "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "wait: without --wait a missing OUT is exit 1" [ $? = 1 ]
	: >"$TMP/err"
	ip netns exec "$NS_NET0" "$BIN" --wait veth_in_intf veth_out_intf >"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	check "wait: says it waits" wait_for "veth_out_intf: not there yet: waiting for it" "$TMP/err" 20
	veth_back out_intf veth_out_intf
	check "wait: attaches OUT when it appears" wait_for "veth_out_intf: up (ifindex" "$TMP/err" 20
	check "wait: forwards" [ "$(send_and_count 10)" = 10 ]
	fwd_stop INT
	check "wait: clean stop" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# A bridge has no XDP in its driver: -N fails, the default gets generic.
t_modes() {
	topo_seed || { fail modes topology; return; }
	ip -n "$NS_NET0" link add dum0 type bridge
	ip -n "$NS_NET0" link set dum0 up
	in_net0 "$BIN" -N dum0 veth_out_intf >/dev/null 2>"$TMP/err"
	check "modes: -N on a driver without XDP is exit 1" [ $? = 1 ]
	check "modes: with the kernel's reason" grep -q "dum0: attach failed: .*" "$TMP/err"
	check "modes: and nothing half-attached on OUT" eval '! has_xdp "$NS_NET0" veth_out_intf'
	fwd_start dum0 veth_out_intf
	check "modes: the kernel picks generic for a bridge" grep -q "dum0: attached xdp_redirect_map (generic mode" "$TMP/err"
	fwd_stop INT
	topo_down
}

t_privileges() {
	if ! command -v setpriv >/dev/null; then skip privileges "setpriv not installed"; return; fi
	topo_seed || { fail privileges topology; return; }
	in_net0 setpriv --bounding-set -net_admin "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "privileges: without CAP_NET_ADMIN exit 1" [ $? = 1 ]
	check "privileges: names CAP_NET_ADMIN" grep -q "CAP_NET_ADMIN needed" "$TMP/err"
	in_net0 setpriv --bounding-set -bpf,-sys_admin "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "privileges: without CAP_BPF exit 1" [ $? = 1 ]
	check "privileges: without CAP_BPF names it" grep -q "CAP_BPF needed" "$TMP/err"
	check "privileges: nothing attached" eval '! has_xdp "$NS_NET0" veth_in_intf'
	topo_down
}

# Someone replaced our program while we ran: the stop detaches only its
# own (XDP_FLAGS_REPLACE), leaves theirs, and says so.
t_replaced_under_us() {
	local theirs
	topo_seed || { fail replaced topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail replaced "did not attach"; return; }
	ip -force -n "$NS_NET0" link set dev veth_in_intf xdpdrv object "$SAMENAME_OBJ" section xdp
	theirs=$(prog_id_of "$NS_NET0" veth_in_intf)
	fwd_stop TERM
	check "replaced: the stop says it leaves theirs" \
		grep -q "veth_in_intf: left as it is: another program replaced ours" "$TMP/err"
	check "replaced: their program stays" eval '[ -n "$theirs" ] && [ "$(prog_id_of "$NS_NET0" veth_in_intf)" = "$theirs" ]'
	check "replaced: ours is gone from OUT" eval '! has_xdp "$NS_NET0" veth_out_intf'
	topo_down
}

# The peer whose GRO we turned on moved to another namespace: the stop
# cannot turn it off again, says so and exits 1 (not 0, as if all was
# undone).
t_peer_moved() {
	topo_seed || { fail peer_moved topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail peer_moved "did not attach"; return; }
	ns_add "$RUN_ID-other" || { fail peer_moved "namespace"; return; }
	ip -n "$NS_ROOT" link set out_intf netns "$RUN_ID-other"
	fwd_stop TERM
	check "peer_moved: the stop exits 1" [ "$FWD_STATUS" = 1 ]
	check "peer_moved: and names the peer" grep -q "out_intf: cannot turn GRO off again" "$TMP/err"
	check "peer_moved: nothing left attached" eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	ns_del "$RUN_ID-other"
	topo_down
}

# Taking over a killed instance's programs needs their fds by id
# (CAP_SYS_ADMIN): without it the record says they are ours, and the
# refusal says what is missing rather than "already has XDP program".
t_kill9_no_sys_admin() {
	if ! command -v setpriv >/dev/null; then skip kill9_no_sys_admin "setpriv not installed"; return; fi
	topo_seed || { fail kill9_no_sys_admin topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail kill9_no_sys_admin "did not attach"; return; }
	fwd_kill
	in_net0 setpriv --bounding-set -sys_admin "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "kill9_no_sys_admin: exit 1" [ $? = 1 ]
	check "kill9_no_sys_admin: names what the takeover needs" \
		grep -q "cannot take over the program an earlier instance left (CAP_SYS_ADMIN needed)" "$TMP/err2"
	check "kill9_no_sys_admin: the killed one's programs stay" has_xdp "$NS_NET0" veth_in_intf
	topo_down
}

t_same_port() {
	topo_seed || { fail same_port topology; return; }
	in_net0 "$BIN" veth_in_intf veth_in_intf >/dev/null 2>&1
	check "same_port: IN equal to OUT is exit 2" [ $? = 2 ]
	local idx
	idx=$(ip -n "$NS_NET0" -o link show veth_in_intf | cut -d: -f1)
	in_net0 "$BIN" "$idx" veth_in_intf >/dev/null 2>&1
	check "same_port: also by ifindex" [ $? = 2 ]
	check "same_port: nothing attached" eval '! has_xdp "$NS_NET0" veth_in_intf'
	topo_down
}

t_output() {
	topo_seed || { fail output topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail output "did not attach"; return; }
	sleep 2.5
	check "output: statistics reach a file line by line while running" [ "$(grep -c ' pkt/s$' "$TMP/out")" -ge 2 ]
	check "output: events on stderr, not stdout" eval '! grep -q attached "$TMP/out"'
	fwd_stop INT
	check "output: a last line with the total and run time" grep -qE "stopped by SIGINT: 0 frames forwarded in [0-9]+\.[0-9]{3} s$" "$TMP/err"
	topo_down
}

# Events lost to a full socket (ENOBUFS) are made up for by a resync: the
# forwarder is frozen while OUT is replaced amid hundreds of other link
# events, then must notice the new OUT all the same.
t_event_overflow() {
	local i
	topo_seed || { fail event_overflow topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail event_overflow "did not attach"; return; }
	kill -STOP "$FWD_PID"
	# First fill the socket, so that the events about OUT are the lost ones.
	for i in $(seq 300); do echo "link add ovf$i type veth peer name ovp$i"; done |
		ip -n "$NS_NET0" -batch -
	ip -n "$NS_NET0" link del veth_out_intf
	veth_back out_intf veth_out_intf
	kill -CONT "$FWD_PID"
	check "event_overflow: the new OUT is found after lost events" wait_for "veth_out_intf: up (ifindex" "$TMP/err" 30
	check "event_overflow: forwarding again" [ "$(send_and_count 10)" = 10 ]
	fwd_stop INT
	check "event_overflow: clean stop" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# A jumbo MTU: from 5.18 (multi-buffer XDP) it attaches in native mode; an
# older kernel refuses it, with the driver's reason and ours (which MTU
# is the limit), and leaves no half-configured port.
# Multi-buffer XDP as the kernel answers the forwarder's own probe
# (--check's "kernel:" line), not as its version suggests.
kernel_has_frags() {
	"$BIN" --check 2>/dev/null | grep -q "^kernel: .*xdp_frags yes"
}

t_mtu() {
	topo_seed || { fail mtu topology; return; }
	ip -n "$NS_ROOT" link set in_intf mtu 9000
	ip -n "$NS_NET0" link set veth_in_intf mtu 9000
	if kernel_has_frags; then
		fwd_start veth_in_intf veth_out_intf
		check "mtu: 9000 attaches in native mode (multi-buffer XDP)" \
			grep -q "veth_in_intf: attached xdp_redirect_map (native mode" "$TMP/err"
		fwd_stop INT
		check "mtu: clean stop" [ "$FWD_STATUS" = 0 ]
	else
		in_net0 "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
		check "mtu: refused with exit 1" [ $? = 1 ]
		check "mtu: with the kernel's message and the limit" \
			grep -q "veth_in_intf: attach failed: .*MTU.*(MTU 9000: .*about 3500 on veth" "$TMP/err"
		check "mtu: nothing left on OUT" eval '! has_xdp "$NS_NET0" veth_out_intf'
	fi
	topo_down
}

SAMENAME_OBJ=$TMP/samename.o
clang -O2 -target bpf -Wall -I"$TOP/build/uapi" -DFOREIGN_NAME=xdp_redirect_map \
	-c "$TOP/tests/objs/foreign.c" -o "$SAMENAME_OBJ" || echo "cannot build the same-name object"
# TESTS="t_wait t_modes" runs a few.
for t in ${TESTS:-t_second_instance t_kill9_restart t_detach t_same_name_not_ours t_out_down_up \
	 t_out_replug t_in_replug t_event_overflow t_wait t_modes t_mtu t_privileges t_replaced_under_us t_peer_moved t_kill9_no_sys_admin t_same_port t_output}; do
	$t
done
summary lifecycle
[ "$failed" = 0 ]
