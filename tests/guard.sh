#!/bin/bash
# guard.sh - the run-time guard against the black holes of issue #19,
# each built for real on the seed's topology: OUT's MTU under the frames,
# a veth OUT whose peer has neither XDP nor GRO and that the forwarder may
# not change, OUT with carrier off while up. For each: the line that names
# the port and the cause within 2 s of the first lost frame, the later
# frames captured at IN's stack, the lost count against what the far side
# missed, and forwarding back after the mend. A flood that overloads OUT
# does not trip it, and its drops are shown apart from the lost. With -b,
# a hole in one direction trips that direction's guard only. Run as root
# from the repository.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

# Frames are sent 1 ms apart: about 1000/s, a rate every receiver keeps
# up with (no frame lost to a full socket queue), so that the counts add
# up exactly.
GAP_US=1000
# The detection window: two statistics periods of 1 s, and the most
# frames sent in it.
WINDOW_S=2
WINDOW_FRAMES=$((WINDOW_S * 1000000 / GAP_US))

in_range() { [ "$2" -ge "$1" ] && [ "$2" -le "$3" ]; } # LOW X HIGH

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The topology, tracefs for the forwarder, and its start. Tracepoints
# count by ifindex: numbers no other test uses.
GUARD_IFINDEX=$((40000 + $$ % 20000 * 4))
guard_topo() {
	TOPO_IFINDEX=$GUARD_IFINDEX topo_seed || return 1
	in_net0 sh -c 'mount -t tracefs nodev /sys/kernel/tracing && [ -d /sys/kernel/tracing/events/xdp ]'
}

# Receivers on both sides: IN's stack (veth_in_intf) and the far side
# (out_intf). Each stops after 1.5 s without a frame.
recv_both() { # NAME
	ip netns exec "$NS_NET0" "$PKTIO" recv veth_in_intf 1500 >"$TMP/$1.in" 2>"$TMP/$1.in.err" &
	RECV_IN=$!
	ip netns exec "$NS_ROOT" "$PKTIO" recv out_intf 1500 >"$TMP/$1.far" 2>"$TMP/$1.far.err" &
	RECV_FAR=$!
	wait_for ready "$TMP/$1.in.err" 30 && wait_for ready "$TMP/$1.far.err" 30
}

recv_both_wait() {
	pid_wait "$RECV_IN" 300
	pid_wait "$RECV_FAR" 300
}

received() { # FILE: how many test frames it took
	sed -n 's/^received \([0-9]*\)$/\1/p' "$1"
}

# The default line's "(M lost)" and "(K to IN's stack)", summed over the
# lines printed so far, once one more tick has come.
line_sum() { # lost|to IN's stack
	local n
	n=$(wc -l <"$TMP/out")
	wait_for_lines $((n + 1))
	grep -o "[0-9]* $1" "$TMP/out" | awk '{ s += $1 } END { print s + 0 }'
}

# Sends N frames of SIZE from in_intf in the background; T0 is when.
send_bg() { # N SIZE
	T0=$(now_ms)
	in_root "$PKTIO" send in_intf "$1" "$2" -g $GAP_US >/dev/null &
	SEND_PID=$!
}

send_fg() { in_root "$PKTIO" send in_intf "$@" >/dev/null; } # N SIZE [-g USEC]

# The trip line: within 2 s of the first lost frame (sent at T0), naming
# the port and the errno.
check_trip() { # NAME ERRNO-REGEX
	local t e
	wait_for "veth_out_intf: redirects from veth_in_intf fail with \($2\)" "$TMP/err" 50
	t=$(( $(now_ms) - T0 ))
	e=$(sed -n 's/.*veth_in_intf fail with \([A-Z]*\) .*/\1/p' "$TMP/err")
	check "$1: the trip is said within ${WINDOW_S} s of the first lost frame (${t} ms, ${e:-no errno})" \
		[ "$t" -le $((WINDOW_S * 1000)) ]
	check "$1: said once, with the port, the errno, its meaning and the rate lost" \
		[ "$(grep -c "veth_out_intf: redirects from veth_in_intf fail with \($2\) (.*), [0-9]* frames/s lost: the guard sends them to veth_in_intf's stack; retry in 1 s" "$TMP/err")" = 1 ]
}

# The hole's frames: none on the far side, the ones after the trip at
# IN's stack, and the lost count the forwarder reports is what IN's stack
# did not get, no more than the detection window's.
check_hole() { # NAME N
	local in far lost saved min=$(($2 - WINDOW_FRAMES))
	in=$(received "$TMP/$1.in") far=$(received "$TMP/$1.far")
	lost=$(line_sum lost) saved=$(line_sum "to IN's stack")
	check "$1: no frame reaches the far side while the hole is open ($far)" [ "$far" = 0 ]
	check "$1: the frames after the detection window reach IN's stack ($in of $2)" \
		in_range $((min > 1 ? min : 1)) "${in:-0}" "$2"
	check "$1: frames lost + frames at IN's stack = frames sent ($lost + $in = $2)" \
		[ "$((lost + in))" = "$2" ]
	check "$1: lost only in the detection window (0 < $lost <= $WINDOW_FRAMES)" \
		in_range 1 "${lost:-0}" $WINDOW_FRAMES
	# As in t_no_xmit: a frame or two at each slot change fall in the
	# period on its other side.
	check "$1: the frames the guard saved are those IN's stack got, but for a slot change's frames ($saved, $in)" \
		in_range $((in - 10)) "${saved:-0}" $((in + 10))
}

# After the mend, within two retry intervals (the first is 1 s), the
# frames reach the far side again, and the forwarder says so.
check_mended() { # NAME N SIZE
	local far
	sleep 2
	recv_both "$1-mended" || { fail "$1" "receivers"; return; }
	check "$1: $2 frames sent after the mend" send_fg "$2" "$3" -g $GAP_US
	recv_both_wait
	far=$(received "$TMP/$1-mended.far")
	check "$1: 2 s after the mend, all $2 frames reach the far side ($far)" [ "$far" = "$2" ]
	check "$1: none at IN's stack" [ "$(received "$TMP/$1-mended.in")" = 0 ]
	check "$1: forwarding again, said once" \
		[ "$(grep -c "veth_out_intf: forwarding from veth_in_intf again" "$TMP/err")" = 1 ]
}

# Black hole 2: OUT's MTU under the frames (EMSGSIZE); mended by raising
# it. In generic mode (-S) too, where OUT's transmits are not traced.
guard_mtu() { # NAME [OPTION]
	local n=3000 name=$1
	shift
	guard_topo || { fail "$name" topology; topo_down; return; }
	fwd_start_tracefs "$@" veth_in_intf veth_out_intf || { fail "$name" "did not attach: $(cat "$TMP/err")"; return; }
	check "$name: the hole: OUT's MTU 500" ip -n "$NS_NET0" link set veth_out_intf mtu 500
	recv_both "$name" || { fail "$name" receivers; return; }
	send_bg $n 1000
	check_trip "$name" EMSGSIZE
	check "$name: all frames sent" wait "$SEND_PID"
	recv_both_wait
	check_hole "$name" $n
	check "$name: --status shows the empty slot, and that the guard emptied it" \
		eval 'in_net0 "$BIN" --status veth_in_intf | grep -q "to: nothing (the guard emptied the slot: .*EMSGSIZE"'
	check "$name: the mend: OUT's MTU 1500" ip -n "$NS_NET0" link set veth_out_intf mtu 1500
	check_mended "$name" 500 1000
	fwd_stop INT
	check "$name: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

t_mtu() { guard_mtu mtu; }
t_mtu_generic() { guard_mtu mtu_generic -S; }

# Black hole 3: OUT up, but its carrier off (its veth peer set down: no
# link event says OUT is down); mended by setting the peer up.
t_carrier() {
	local n=3000 name=carrier
	guard_topo || { fail carrier topology; topo_down; return; }
	fwd_start_tracefs veth_in_intf veth_out_intf || { fail carrier "did not attach: $(cat "$TMP/err")"; return; }
	check "carrier: the hole: OUT's peer down" ip -n "$NS_ROOT" link set out_intf down
	check "carrier: OUT still up, without carrier" \
		eval 'ip -n "$NS_NET0" link show veth_out_intf | grep -q "NO-CARRIER.*,UP"'
	recv_both carrier || { fail carrier receivers; return; }
	send_bg $n 200
	check_trip carrier "ENXIO\|EOPNOTSUPP\|ENETDOWN"
	check "carrier: ENXIO, if that is the errno, is said to mean a peer that is down" \
		eval '! grep -q "fail with ENXIO" "$TMP/err" || grep -q "fail with ENXIO (a veth whose peer is down" "$TMP/err"'
	check "$name: all frames sent" wait "$SEND_PID"
	recv_both_wait
	check_hole carrier $n
	check "carrier: the mend: OUT's peer up" ip -n "$NS_ROOT" link set out_intf up
	check_mended carrier 500 200
	fwd_stop INT
	check "carrier: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# Black hole 1: a veth OUT whose peer has neither XDP nor GRO, and that
# the forwarder may not change: without CAP_SYS_ADMIN it cannot enter the
# peer's namespace (it says so and carries on). Mended by the peer's
# owner turning GRO on. No cheap check sees this hole: retries are
# trials, each losing up to a period of frames, at 1, 2, 4 ... s.
t_peer_napi() {
	local n=1500 t far name=peer_napi
	guard_topo || { fail peer_napi topology; topo_down; return; }
	: >"$TMP/out"; : >"$TMP/err"
	ip netns exec "$NS_NET0" sh -c 'mount -t tracefs nodev /sys/kernel/tracing &&
		exec setpriv --bounding-set -sys_admin "$@"' sh "$BIN" veth_in_intf veth_out_intf \
		>"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	wait_for "attached xdp_redirect_map" "$TMP/err" 50 || { fail peer_napi "did not attach: $(cat "$TMP/err")"; return; }
	check "peer_napi: the peer is left as it is" [ "$(gro_of "$NS_ROOT" out_intf)" = off ]
	recv_both peer_napi || { fail peer_napi receivers; return; }
	send_bg $n 200
	check_trip peer_napi "EOPNOTSUPP\|ENXIO"
	check "$name: all frames sent" wait "$SEND_PID"
	recv_both_wait
	check_hole peer_napi $n
	# At the mend, some 5 s after the trip, the wait is at most 4 s:
	# forwarding is back within two of those, under traffic.
	check "peer_napi: the mend: GRO on at the peer" in_root ethtool -K out_intf gro on
	t=$(now_ms)
	recv_both peer_napi-mended || { fail peer_napi receivers; return; }
	in_root "$PKTIO" send in_intf 10000 200 -g $GAP_US >/dev/null &
	SEND_PID=$!
	wait_for "veth_out_intf: forwarding from veth_in_intf again" "$TMP/err" 100
	t=$(( $(now_ms) - t ))
	check "peer_napi: forwarding again within two retry intervals of the mend (${t} ms <= 8000)" \
		[ "$t" -le 8000 ]
	check "$name: all frames sent" wait "$SEND_PID"
	recv_both_wait
	far=$(received "$TMP/peer_napi-mended.far")
	check "peer_napi: frames reach the far side again ($far)" [ "${far:-0}" -gt 1000 ]
	fwd_stop INT
	check "peer_napi: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# A flood, as fast as pktio sends: OUT may drop what its ring cannot
# hold (drops with err 0), which is overload, not a hole: no trip.
# A target without ndo_xdp_xmit (a bridge, whose XDP is generic only):
# every redirect fails with EOPNOTSUPP. Nothing mends it.
t_no_xmit() {
	local n=3000 in saved name=no_xmit
	guard_topo || { fail no_xmit topology; topo_down; return; }
	if ! ip -n "$NS_NET0" link add br0 type bridge; then
		skip no_xmit "this kernel has no bridge devices"; topo_down; return
	fi
	check "no_xmit: br0 up" ip -n "$NS_NET0" link set br0 up
	fwd_start_tracefs --json veth_in_intf br0 || { fail no_xmit "did not attach: $(cat "$TMP/err")"; return; }
	ip netns exec "$NS_NET0" "$PKTIO" recv veth_in_intf 1500 >"$TMP/no_xmit.in" 2>"$TMP/no_xmit.in.err" &
	RECV_IN=$!
	wait_for ready "$TMP/no_xmit.in.err" 30
	send_bg $n 200
	wait_for "br0: redirects from veth_in_intf fail with EOPNOTSUPP" "$TMP/err" 50
	check "no_xmit: the trip is said within ${WINDOW_S} s, EOPNOTSUPP named" \
		[ "$(( $(now_ms) - T0 ))" -le $((WINDOW_S * 1000)) ]
	check "$name: all frames sent" wait "$SEND_PID"
	pid_wait "$RECV_IN" 300
	in=$(received "$TMP/no_xmit.in")
	check "no_xmit: the frames after the detection window reach IN's stack ($in of $n)" \
		in_range $((n - WINDOW_FRAMES)) "${in:-0}" $n
	wait_for_lines $(($(wc -l <"$TMP/out") + 1))
	tail -n 1 "$TMP/out" >"$TMP/no_xmit.json"
	# Nothing the guard can see tells this hole: after the traffic it
	# may be in a trial that no frame has judged yet.
	check "no_xmit: --json says the guard tripped (or tries again)" \
		grep -qE '"guard":"(tripped|trial)"' "$TMP/no_xmit.json"
	# A frame that arrives between a tick's reading of the counts and its
	# change of the slot falls in the period on the other side of it: a
	# frame or two at each trip and retry (1 frame a ms here), more when
	# the machine is loaded.
	saved=$(sed -n 's/.*"saved_total":\([0-9]*\)}.*/\1/p' "$TMP/no_xmit.json")
	check "no_xmit: --json's saved_total is what IN's stack got, but for a slot change's frames ($saved, $in)" \
		in_range $((in - 10)) "${saved:-0}" $((in + 10))
	check "no_xmit: failed + frames at IN's stack = frames sent" \
		grep -q "\"err_total\":$((n - in))," "$TMP/no_xmit.json"
	fwd_stop INT
	topo_down
}

# The drops are shown apart from the lost ("D dropped by OUT"), and
# the last line's count of them is the lines' sum.
t_flood() {
	local n=200000 in far lost dropped
	guard_topo || { fail flood topology; topo_down; return; }
	fwd_start_tracefs veth_in_intf veth_out_intf || { fail flood "did not attach: $(cat "$TMP/err")"; return; }
	# OUT's peer polls in a thread of its own, which falls behind the
	# softirq that fills its ring.
	in_root sh -c 'echo 1 >/sys/class/net/out_intf/threaded'
	recv_both flood || { fail flood receivers; return; }
	check "flood: $n frames sent" send_fg $n 64
	recv_both_wait
	lost=$(line_sum lost) dropped=$(line_sum "dropped by OUT")
	in=$(received "$TMP/flood.in") far=$(received "$TMP/flood.far")
	check "flood: no trip" eval '! grep -q "the guard sends" "$TMP/err"'
	check "flood: nothing at IN's stack" [ "$in" = 0 ]
	check "flood: no frame lost, the drops are OUT's ($lost lost)" [ "$lost" = 0 ]
	fwd_stop INT
	if [ "$dropped" = 0 ]; then
		skip "flood: overload" "OUT's ring never overflowed at this rate ($far frames out)"
	else
		ok "flood: OUT overloaded ($dropped dropped by OUT, $far out)"
		check "flood: the last line counts them apart ($dropped)" \
			grep -q "stopped by SIGINT: [0-9]* frames forwarded in [0-9.]* s ($dropped dropped by OUT)" "$TMP/err"
	fi
	topo_down
}

# --status tells the guard's empty slot from a down OUT by IN's record:
# during a trip, after the mend, with OUT down, once the instance is
# killed (its record is then not believed), and never through a link
# planted in the record's place. The files it plants are named after this
# run's namespace, and go with it (ns_del).
status_has() { in_net0 "$BIN" --status veth_in_intf | grep -qF -- "$1"; } # TEXT

t_status() {
	local rec line empty="to: nothing (empty devmap slot: frames go to IN's stack; OUT is down or gone, or the guard emptied it)"
	guard_topo || { fail status topology; topo_down; return; }
	fwd_start_tracefs veth_in_intf veth_out_intf || { fail status "did not attach: $(cat "$TMP/err")"; return; }
	rec=$(run_files "$NS_NET0" | grep '/veth_in_intf@')
	check "status: the hole: OUT's MTU 500" ip -n "$NS_NET0" link set veth_out_intf mtu 500
	send_bg 2000 1000
	check "status: the trip" wait_for "veth_out_intf: redirects from veth_in_intf fail with EMSGSIZE" "$TMP/err" 50
	check "status: IN's record names the guard, OUT and the errno" grep -qx "guard veth_out_intf [0-9]*" "$rec"
	line=$(grep "^guard" "$rec")
	check "status: during the trip, the guard's empty slot and why" status_has "to: nothing (the guard emptied the slot: redirects into veth_out_intf failed with EMSGSIZE, the frame is over OUT's MTU; frames go to IN's stack)"
	check "status: all frames sent" wait "$SEND_PID"
	check "status: the mend: OUT's MTU 1500" ip -n "$NS_NET0" link set veth_out_intf mtu 1500
	send_bg 3000 1000
	check "status: forwarding again" wait_for "veth_out_intf: forwarding from veth_in_intf again" "$TMP/err" 50
	check "status: after the mend, the guard's line is gone from IN's record" eval '! grep -q "^guard" "$rec"'
	check "status: after the mend, OUT again" status_has "  to veth_out_intf (ifindex "
	check "status: all frames sent after the mend" wait "$SEND_PID"
	check "status: OUT down" ip -n "$NS_NET0" link set veth_out_intf down
	check "status: OUT down, said" wait_for "veth_out_intf: down" "$TMP/err" 50
	check "status: with OUT down, not the guard's slot" status_has "to: nothing (empty devmap slot: OUT is down or gone; frames go to IN's stack)"
	check "status: OUT up" ip -n "$NS_NET0" link set veth_out_intf up
	check "status: OUT up, said" wait_for "veth_out_intf: up (ifindex" "$TMP/err" 50
	# Tripped again (said only the first time), then killed: the record
	# stays, its writer gone, and the slot with the program.
	check "status: the hole again" ip -n "$NS_NET0" link set veth_out_intf mtu 500
	send_bg 2000 1000
	check "status: tripped again, recorded" wait_for "^guard veth_out_intf" "$rec" 50
	check "status: all frames sent the second time" wait "$SEND_PID"
	fwd_kill
	cp "$rec" "$TMP/killed.rec"
	check "status: a killed instance's record is not believed" status_has "$empty"
	# A record as a live instance would write it (pid: this shell) is
	# believed as a file, not through a link.
	printf 'pid %s\n%s\nend\n' $$ "$line" >"$TMP/status.rec"
	check "status: a record of a live writer, planted as root's file" \
		eval 'rm -f "$rec" && install -m 600 "$TMP/status.rec" "$rec"'
	check "status: such a file is read" status_has "the guard emptied the slot: redirects into veth_out_intf"
	check "status: the same record through a symlink" eval 'rm -f "$rec" && ln -s "$TMP/status.rec" "$rec"'
	check "status: the symlink is not followed" status_has "$empty"
	# A restart reads the killed instance's record, guard line and all,
	# takes its program over and inherits no guard.
	check "status: the killed instance's record back" \
		eval 'rm -f "$rec" && install -m 600 "$TMP/killed.rec" "$rec"'
	fwd_start_tracefs veth_in_intf veth_out_intf
	check "status: a restart takes the killed instance's program over" \
		grep -q "veth_in_intf: attached xdp_redirect_map .*, replacing the one an earlier instance left" "$TMP/err"
	check "status: and records no guard of its own" eval '! grep -q "^guard" "$rec"'
	fwd_stop INT
	check "status: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# -b: a hole in one direction only. veth_out_intf's MTU 500 refuses
# veth_in_intf's 1000-byte frames (EMSGSIZE), while out_intf's 200-byte
# frames go the other way through it. The first direction's guard trips
# and its frames reach veth_in_intf's stack; the other forwards every
# frame meanwhile; the mend brings the first back.
t_bidir() {
	local n=3000 back far_b stack_b name=bidir
	guard_topo || { fail bidir topology; topo_down; return; }
	fwd_start_tracefs -b veth_in_intf veth_out_intf || { fail bidir "did not attach: $(cat "$TMP/err")"; return; }
	check "bidir: no line says the guard is off" eval '! grep -q "guard: off" "$TMP/err"'
	check "bidir: the hole: OUT's MTU 500" ip -n "$NS_NET0" link set veth_out_intf mtu 500
	recv_both bidir || { fail bidir receivers; return; }
	ip netns exec "$NS_ROOT" "$PKTIO" recv in_intf 1500 >"$TMP/bidir.back" 2>"$TMP/bidir.back.err" &
	local recv_back=$!
	ip netns exec "$NS_NET0" "$PKTIO" recv veth_out_intf 1500 >"$TMP/bidir.back_stack" 2>"$TMP/bidir.back_stack.err" &
	local recv_back_stack=$!
	wait_for ready "$TMP/bidir.back.err" 30 && wait_for ready "$TMP/bidir.back_stack.err" 30
	in_root "$PKTIO" send out_intf $n 200 -g $GAP_US >/dev/null &
	back=$!
	send_bg $n 1000
	check_trip bidir EMSGSIZE
	check "bidir: all frames sent one way" wait "$SEND_PID"
	check "bidir: and the other" wait "$back"
	recv_both_wait
	pid_wait "$recv_back" 300
	pid_wait "$recv_back_stack" 300
	far_b=$(received "$TMP/bidir.back") stack_b=$(received "$TMP/bidir.back_stack")
	check "bidir: the other direction's guard did not trip" \
		eval '! grep -q "veth_in_intf: redirects from veth_out_intf" "$TMP/err"'
	check "bidir: the other direction forwarded every frame meanwhile ($far_b of $n)" \
		[ "$far_b" = $n ]
	check "bidir: none of them at its IN's stack ($stack_b)" [ "$stack_b" = 0 ]
	check_hole bidir $n
	check "bidir: the mend: OUT's MTU 1500" ip -n "$NS_NET0" link set veth_out_intf mtu 1500
	check_mended bidir 500 1000
	fwd_stop INT
	check "bidir: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# The running forwarder's tracepoint filter (a hash of 4-byte keys and
# 12-byte values, found among its fds): its keys, IN's ifindexes, one a
# line.
tp_filter_keys() {
	local f id=
	for f in /proc/"$FWD_PID"/fdinfo/*; do
		grep -qx "map_type:	1" "$f" && grep -qx "value_size:	12" "$f" &&
			id=$(sed -n 's/^map_id:\t//p' "$f")
	done
	[ -n "$id" ] && bpftool -j map dump id "$id" |
		jq -r '.[].key | map(ltrimstr("0x")) | reverse | join("")' |
		while read -r k; do echo $((16#$k)); done
}

# IN removed and made again with a new ifindex: the filter follows it (the
# old key deleted), and the guard still sees the new IN's failures.
t_replug() {
	local n=3000 name=replug new=$((GUARD_IFINDEX + 80000))
	guard_topo || { fail replug topology; topo_down; return; }
	fwd_start_tracefs veth_in_intf veth_out_intf || { fail replug "did not attach: $(cat "$TMP/err")"; return; }
	check "replug: the filter holds IN's ifindex" [ "$(tp_filter_keys)" = $((GUARD_IFINDEX + 1)) ]
	check "replug: IN removed" ip -n "$NS_NET0" link del veth_in_intf
	check "replug: said gone" wait_for "veth_in_intf: gone" "$TMP/err" 20
	# Made as topo_seed does: ip keeps the peer's index only when the
	# first end has one too.
	check "replug: IN made again, ifindex $new" eval 'ip -n "$NS_ROOT" link add in_intf \
		index $((new - 1)) type veth peer name veth_in_intf index $new &&
		ip -n "$NS_ROOT" link set veth_in_intf netns "$NS_NET0"'
	check "replug: both ends up" eval 'ip -n "$NS_ROOT" link set in_intf up &&
		ip -n "$NS_NET0" link set veth_in_intf up'
	check "replug: IN back" wait_for "veth_in_intf: \(back\|here\) (ifindex $new)" "$TMP/err" 20
	sleep 0.2
	check "replug: the filter holds the new ifindex only ($(tp_filter_keys | xargs))" \
		[ "$(tp_filter_keys)" = $new ]
	check "replug: the hole: OUT's MTU 500" ip -n "$NS_NET0" link set veth_out_intf mtu 500
	recv_both replug || { fail replug receivers; return; }
	send_bg $n 1000
	check_trip replug EMSGSIZE
	check "replug: all frames sent" wait "$SEND_PID"
	recv_both_wait
	check_hole replug $n
	fwd_stop INT
	check "replug: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

# Blind: no tracefs (routers' kernels often lack it), so the guard sees
# only OUT's transmit count. A pair that forwards does not trip it; OUT's
# MTU under the frames does, within 2 s, and later frames reach IN's
# stack; the mend brings forwarding back. Without an errno it cannot wait
# for the MTU to change: its trials come at 1, 2, 4 s, each losing a
# period's frames, so the frames at IN's stack are held to some, not to
# all but the window's.
t_blind() {
	local n=500 in far saved name=blind
	guard_topo || { fail blind topology; topo_down; return; }
	fwd_start veth_in_intf veth_out_intf || { fail blind "did not attach: $(cat "$TMP/err")"; return; }
	check "blind: says the guard sees only OUT's transmit count" \
		grep -q "tracefs: the guard sees only OUT's transmit count: not mounted" "$TMP/err"
	recv_both blind-ok || { fail blind receivers; return; }
	check "blind: $n frames sent while OUT works" send_fg $n 200 -g $GAP_US
	recv_both_wait
	far=$(received "$TMP/blind-ok.far")
	check "blind: all reach the far side ($far), none tripped the guard" \
		eval '[ "$far" = $n ] && ! grep -q "the guard sends" "$TMP/err"'
	check "blind: the hole: OUT's MTU 500" ip -n "$NS_NET0" link set veth_out_intf mtu 500
	recv_both blind || { fail blind receivers; return; }
	send_bg 3000 1000
	wait_for "veth_out_intf: sent none of the frames redirected from veth_in_intf (no xdp tracepoints to tell why), [0-9]* frames/s: the guard sends them to veth_in_intf's stack; retry in 1 s" "$TMP/err" 50
	t=$(( $(now_ms) - T0 ))
	check "blind: the trip is said within ${WINDOW_S} s of the first lost frame (${t} ms)" \
		[ "$t" -le $((WINDOW_S * 1000)) ]
	check "blind: all frames sent" wait "$SEND_PID"
	recv_both_wait
	in=$(received "$TMP/blind.in") far=$(received "$TMP/blind.far") saved=$(line_sum "to IN's stack")
	check "blind: no frame reaches the far side while the hole is open ($far)" [ "$far" = 0 ]
	check "blind: frames after the trip reach IN's stack ($in of 3000)" in_range 1 "${in:-0}" 3000
	check "blind: the frames the guard saved are those IN's stack got, but for a slot change's frames ($saved, $in)" \
		in_range $((in - 10)) "${saved:-0}" $((in + 10))
	check "blind: the mend: OUT's MTU 1500" ip -n "$NS_NET0" link set veth_out_intf mtu 1500
	sleep 4
	check_mended blind 500 200
	fwd_stop INT
	check "blind: exit status 0" [ "$FWD_STATUS" = 0 ]
	topo_down
}

for t in ${TESTS:-t_mtu t_mtu_generic t_carrier t_peer_napi t_no_xmit t_flood t_status t_bidir t_replug t_blind}; do
	$t
done
summary guard
[ "$failed" = 0 ]
