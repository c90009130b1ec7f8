#!/bin/bash
# router.sh - the forwarder as a router runs it, on throwaway router-like
# topologies: a namespace for the router whose ports r0, r1, ... are
# veths to one host namespace each (h0 with e0, h1 with e1, ...). Hosts
# send real frames to their router port's MAC, as to a gateway, and the
# far host captures them: the MACs are checked against what each mode
# promises and the payload byte for byte (pktio's OK). Jumbo frames go
# with an MTU of 9000 on every interface.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

NS_R=$RUN_ID-r
NS_NET0=$NS_R			# lib.sh's fwd_start runs the forwarder there
JUMBO_MTU=9000
JUMBO_BYTES=9014		# a whole frame at that MTU, without FCS

host_ns() { echo "$RUN_ID-h$1"; }
in_host() { local ns; ns=$(host_ns "$1"); shift; timeout --foreground -k 2 30 ip netns exec "$ns" "$@"; }
mac_r() { in_net0 "$PKTIO" mac "r$1"; }
mac_e() { in_host "$1" "$PKTIO" mac "e$1"; }

router_down() {
	fwd_kill
	ns_del_ours
	return 0
}

# N host namespaces on router ports r0..rN-1, every link at MTU (1500).
topo_router() { # N [MTU]
	local i ns mtu=${2:-1500}
	router_down
	ns_add "$NS_R" || return 1
	for i in $(seq 0 $(($1 - 1))); do
		ns=$(host_ns "$i")
		ns_add "$ns" &&
		ip -n "$NS_R" link add "r$i" mtu "$mtu" type veth peer name "e$i" netns "$ns" mtu "$mtu" &&
		ip -n "$NS_R" link set "r$i" up &&
		ip -n "$ns" link set "e$i" up || return 1
	done
}

# Starts the forwarder with ARGS and waits until it set everything up: the
# last IN attached and, in native mode, GRO on at the veth peers (e*) it
# redirects into.
router_start() { # PEERS-NEEDING-GRO ARGS...
	local peers=$1
	shift
	fwd_start "$@" || return 1
	router_start_wait_gro "$peers"
}

router_start_wait_gro() { # PEERS
	local i n
	for i in $1; do
		for n in $(seq 50); do
			[ "$(gro_of "$(host_ns "$i")" "e$i")" = on ] && break
			sleep 0.1
		done
	done
}

# Host FROM sends COUNT frames of SIZE to its router port; host TO
# captures. Leaves the receiver's lines in $TMP/recv.
send_across() { # FROM TO COUNT SIZE
	local ns
	ns=$(host_ns "$2")
	recv_start "$ns" "e$2" 1000 "$TMP/recv"
	in_host "$1" "$PKTIO" send "e$1" "$3" "$4" "$(mac_r "$1")" >/dev/null
	recv_wait
}

frames_with() { # DST SRC SIZE -> frames in $TMP/recv with these MACs, size, intact
	grep -c "^$1 $2 [0-9]* $3 OK$" "$TMP/recv"
}

# The seed's MAC swap on jumbo frames: an MTU of 9000 everywhere needs
# programs loaded with BPF_F_XDP_HAS_FRAGS, or veth refuses to attach.
t_jumbo() { # NAME [OPTIONS]
	local name=$1 n=50 peers=1
	shift
	[ "$1" = -S ] && peers=
	topo_router 2 $JUMBO_MTU || { fail "$name" topology; return; }
	router_start "$peers" "$@" r0 r1 || { fail "$name" "did not attach: $(cat "$TMP/err")"; return; }
	send_across 0 1 $n $JUMBO_BYTES
	fwd_stop INT
	check "$name: $n frames of $JUMBO_BYTES bytes reach e1 swapped, payload intact" \
		[ "$(frames_with "$(mac_e 0)" "$(mac_r 0)" $JUMBO_BYTES)" = $n ]
	check "$name: the forwarder counted $n" [ "$(total_of)" = $n ]
	check "$name: clean stop" [ "$FWD_STATUS" = 0 ]
	router_down
}

# -X: frames leave r1 with r1's own MAC as the source; the destination is
# the swap's (e0) or, with --dst-mac, the next hop's (e1). MTU and frame
# size as given: the egress program rides along on jumbo frames too.
t_egress() { # NAME MTU SIZE OPTIONS...
	local name=$1 mtu=$2 size=$3 n=50 peers=1 dst a args=()
	shift 3
	topo_router 2 "$mtu" || { fail "$name" topology; return; }
	dst=$(mac_e 0)
	for a in "$@"; do	# @e1 stands for e1's MAC, known once e1 exists
		case $a in
		-S) peers= ;;
		@e1) a=$(mac_e 1); dst=$a ;;
		esac
		args+=("$a")
	done
	router_start "$peers" "${args[@]}" r0 r1 ||
		{ fail "$name" "did not attach: $(cat "$TMP/err")"; return; }
	check "$name: says what frames leave r1 with" \
		grep -q "r1: frames leave with source $(mac_r 1) (its own), destination" "$TMP/err"
	send_across 0 1 $n "$size"
	fwd_stop INT
	check "$name: $n frames reach e1 with src=r1 dst=$dst, payload intact" \
		[ "$(frames_with "$dst" "$(mac_r 1)" "$size")" = $n ]
	check "$name: the forwarder counted $n" [ "$(total_of)" = $n ]
	check "$name: clean stop" [ "$FWD_STATUS" = 0 ]
	router_down
}

t_egress_swap() { t_egress egress_swap 1500 64 -X; }
t_egress_next_hop() { t_egress egress_next_hop 1500 1514 --dst-mac @e1; }
t_egress_jumbo() { t_egress egress_jumbo $JUMBO_MTU $JUMBO_BYTES -X --dst-mac @e1; }
t_egress_generic() { t_egress egress_generic $JUMBO_MTU $JUMBO_BYTES -S --dst-mac @e1; }

# OUT's MAC is read again when it changes and when OUT comes back.
t_egress_new_mac() {
	topo_router 2 || { fail egress_new_mac topology; return; }
	router_start 1 -X r0 r1 || { fail egress_new_mac "did not attach"; return; }
	ip -n "$NS_R" link set r1 address 02:00:00:00:01:01
	check "egress_new_mac: a changed MAC is announced" \
		wait_for "r1: frames leave with source 02:00:00:00:01:01" "$TMP/err" 20
	send_across 0 1 10 64
	check "egress_new_mac: and used" [ "$(frames_with "$(mac_e 0)" 02:00:00:00:01:01 64)" = 10 ]
	ip -n "$NS_R" link del r1
	wait_for "r1: gone" "$TMP/err" 20
	ip -n "$NS_R" link add r1 address 02:00:00:00:01:02 type veth peer name e1 \
		netns "$(host_ns 1)"
	ip -n "$NS_R" link set r1 up
	ip -n "$(host_ns 1)" link set e1 up
	check "egress_new_mac: a re-plugged OUT's MAC is announced" \
		wait_for "r1: frames leave with source 02:00:00:00:01:02" "$TMP/err" 20
	wait_for "r1: up (ifindex" "$TMP/err" 20
	router_start_wait_gro 1
	send_across 0 1 10 64
	check "egress_new_mac: and used" [ "$(frames_with "$(mac_e 0)" 02:00:00:00:01:02 64)" = 10 ]
	fwd_stop INT
	router_down
}

# A veth peer that is down when the forwarder starts (or when OUT is
# plugged in) gets GRO once it is up: turned on while down, it would
# not take redirected frames after coming up.
t_peer_comes_up() {
	topo_router 2 || { fail peer_comes_up topology; return; }
	ip -n "$(host_ns 1)" link set e1 down
	fwd_start r0 r1 || { fail peer_comes_up "did not attach"; return; }
	sleep 0.3
	check "peer_comes_up: no GRO at a down peer" [ "$(gro_of "$(host_ns 1)" e1)" = off ]
	ip -n "$(host_ns 1)" link set e1 up
	check "peer_comes_up: GRO once it is up" \
		wait_for "turned GRO on at its veth peer e1" "$TMP/err" 20
	send_across 0 1 10 64
	check "peer_comes_up: forwarding" [ "$(frames_with "$(mac_e 0)" "$(mac_r 0)" 64)" = 10 ]
	fwd_stop INT
	check "peer_comes_up: GRO off again at exit" [ "$(gro_of "$(host_ns 1)" e1)" = off ]
	router_down
}

t_egress_refusals() {
	topo_router 2 || { fail egress_refusals topology; return; }
	in_net0 "$BIN" --dst-mac 00:00:00:00:00:00 r0 r1 >/dev/null 2>"$TMP/err"
	check "egress_refusals: a zero MAC is a usage error" [ $? = 2 ]
	in_net0 "$BIN" --dst-mac 02:00:00:00:00:0 r0 r1 >/dev/null 2>"$TMP/err"
	check "egress_refusals: a short MAC is a usage error" [ $? = 2 ]
	check "egress_refusals: and says what a MAC looks like" grep -q "is not \[PORT=\]MAC" "$TMP/err"
	in_net0 "$BIN" --dst-mac r0=02:00:00:00:00:01 r0 r1 >/dev/null 2>"$TMP/err"
	check "egress_refusals: --dst-mac for a port that is not OUT" [ $? = 2 ]
	check "egress_refusals: names it" grep -q "r0: --dst-mac names a port that is not an OUT" "$TMP/err"
	check "egress_refusals: nothing attached" eval '! has_xdp "$NS_R" r0 && ! has_xdp "$NS_R" r1'
	router_down
}

# The rates of one direction, summed over the statistics lines: each
# line's rate is the frames of about a second, so the sum is the count
# give or take one for a tick that came late.
rate_sum() { # IN OUT
	sed -n "s/.*$1>$2 \([0-9]*\) pkt\/s.*/\1/p" "$TMP/out" | awk '{s += $1} END {print s + 0}'
}

# Rates summed against a count: a rate is the period's frames over its
# measured length, which a loaded machine stretches past the interval,
# so the sum may fall short but never exceed the count by more than
# rounding. From 60 %: a direction counted as the other, or not at all,
# still fails (the exact totals are bidir_json's).
rates_near() { [ "$1" -ge $(($2 * 6 / 10)) ] && [ "$1" -le $(($2 + 1)) ]; }

# -b: r0 to r1 and r1 to r0 at once, counted apart.
t_bidir() { # NAME MTU SIZE [OPTIONS]
	local name=$1 mtu=$2 size=$3 a b a_src=r0 b_src=r1
	shift 3
	topo_router 2 "$mtu" || { fail "$name" topology; return; }
	a=$(mac_e 1) b=$(mac_e 0)
	if [ "$1" = -X ]; then	# next hops e1 behind r1, e0 behind r0
		set -- --dst-mac "r1=$a" --dst-mac "r0=$b"
		a_src=r1 b_src=r0
	else
		a=$(mac_e 0) b=$(mac_e 1)
	fi
	router_start "0 1" -b "$@" r0 r1 || { fail "$name" "did not attach: $(cat "$TMP/err")"; return; }
	send_across 0 1 20 "$size"
	check "$name: 20 frames h0 -> h1 arrive as promised" \
		[ "$(frames_with "$a" "$(in_net0 "$PKTIO" mac $a_src)" "$size")" = 20 ]
	send_across 1 0 40 "$size"
	check "$name: 40 frames h1 -> h0 arrive as promised" \
		[ "$(frames_with "$b" "$(in_net0 "$PKTIO" mac $b_src)" "$size")" = 40 ]
	sleep 1.2
	fwd_stop INT
	check "$name: statistics per direction" \
		grep -qE '^r0>r1 [0-9]+ pkt/s  r1>r0 [0-9]+ pkt/s$' "$TMP/out"
	check "$name: r0>r1 counted 20 (rates summed: $(rate_sum r0 r1))" rates_near "$(rate_sum r0 r1)" 20
	check "$name: r1>r0 counted 40 (rates summed: $(rate_sum r1 r0))" rates_near "$(rate_sum r1 r0)" 40
	check "$name: the total is exact" [ "$(total_of)" = 60 ]
	check "$name: nothing left attached, GRO off again" eval \
		'! has_xdp "$NS_R" r0 && ! has_xdp "$NS_R" r1 && [ "$(gro_of "$(host_ns 0)" e0)" = off ]'
	router_down
}

# After a kill -9: a restart with ARGS while h0 sends 1000 frames to r0,
# a millisecond apart; those that reach e1 are in $TMP/recv.
restart_under_traffic() { # PEERS ARGS...
	local sender
	recv_start "$(host_ns 1)" e1 1500 "$TMP/recv"
	in_host 0 "$PKTIO" send e0 1000 64 "$(mac_r 0)" -g 1000 >/dev/null &
	sender=$!
	sleep 0.3
	router_start "$@"
	pid_wait "$sender" 100
	recv_wait
}

# -b through kill -9 and a restart under traffic: the first port taken
# over redirects into the other before that one is taken over too.
t_bidir_restart() {
	topo_router 2 || { fail bidir_restart topology; return; }
	router_start "0 1" -b r0 r1 || { fail bidir_restart "did not attach"; return; }
	fwd_kill
	restart_under_traffic "0 1" -b r0 r1
	check "bidir_restart: both ports taken over" \
		[ "$(grep -c "replacing the one an earlier instance left" "$TMP/err")" = 2 ]
	check "bidir_restart: no frame lost meanwhile (1000 sent)" \
		[ "$(frames_with "$(mac_e 0)" "$(mac_r 0)" 64)" = 1000 ]
	fwd_stop INT
	check "bidir_restart: clean stop" [ "$FWD_STATUS" = 0 ]
	router_down
}

# --json with -b: an object per direction and interval, the same keys
# as for one pair; the last of each has the direction's exact totals.
t_bidir_json() {
	topo_router 2 || { fail bidir_json topology; return; }
	router_start "0 1" -b -X --json r0 r1 || { fail bidir_json "did not attach"; return; }
	send_across 0 1 20 100
	send_across 1 0 40 100
	in_net0 "$BIN" --status r1 >"$TMP/status" 2>&1
	check "bidir_json: --status r1 finds its OUT in tx_pairs" \
		grep -q "^  to r0 (ifindex [0-9]*): xdp_pairs" "$TMP/status"
	check "bidir_json: and its count in rxcnt_pairs" \
		grep -qx "  counted: 40 frames, 4000 bytes" "$TMP/status"
	sleep 1.2
	fwd_stop INT
	check "bidir_json: objects for r0>r1 and r1>r0 each interval" [ \
		"$(grep -c '"in":"r0","out":"r1"' "$TMP/out")" = "$(grep -c '"in":"r1","out":"r0"' "$TMP/out")" ]
	check "bidir_json: r0>r1 totals 20 frames of 100 bytes" eval 'grep "\"in\":\"r0\"" "$TMP/out" |
		tail -n 1 | grep -q "\"frames_total\":20,.*\"bytes_total\":2000[,}]"'
	check "bidir_json: r1>r0 totals 40 frames of 100 bytes" eval 'grep "\"in\":\"r1\"" "$TMP/out" |
		tail -n 1 | grep -q "\"frames_total\":40,.*\"bytes_total\":4000[,}]"'
	router_down
}

t_bidir_swap() { t_bidir bidir_swap 1500 64; }
t_bidir_jumbo_egress() { t_bidir bidir_jumbo_egress $JUMBO_MTU $JUMBO_BYTES -X; }

# Two pairs in one process, one program and one devmap: r0 to r1, r2 to r3.
t_pairs() {
	topo_router 4 || { fail pairs topology; return; }
	router_start "1 3" r0 r1 r2 r3 || { fail pairs "did not attach: $(cat "$TMP/err")"; return; }
	check "pairs: one program on both INs" [ "$(prog_id_of r0)" = "$(prog_id_of r2)" ]
	send_across 0 1 20 1514
	check "pairs: 20 frames h0 -> h1 swapped" [ "$(frames_with "$(mac_e 0)" "$(mac_r 0)" 1514)" = 20 ]
	send_across 2 3 30 1514
	check "pairs: 30 frames h2 -> h3 swapped" [ "$(frames_with "$(mac_e 2)" "$(mac_r 2)" 1514)" = 30 ]
	send_across 0 3 10 64
	check "pairs: nothing of h0's reaches h3" grep -qx "received 0" "$TMP/recv"
	sleep 1.2
	fwd_stop INT
	check "pairs: statistics per pair" grep -qE '^r0>r1 [0-9]+ pkt/s  r2>r3 [0-9]+ pkt/s$' "$TMP/out"
	check "pairs: r0>r1 counted 30 (rates summed: $(rate_sum r0 r1))" rates_near "$(rate_sum r0 r1)" 30
	check "pairs: r2>r3 counted 30 (rates summed: $(rate_sum r2 r3))" rates_near "$(rate_sum r2 r3)" 30
	check "pairs: the total is exact" [ "$(total_of)" = 60 ]
	check "pairs: nothing left attached" eval '! has_xdp "$NS_R" r0 && ! has_xdp "$NS_R" r1 &&
		! has_xdp "$NS_R" r2 && ! has_xdp "$NS_R" r3'
	router_down
}

# One OUT for two INs, with -X and the next hop behind it.
t_pairs_shared_out() {
	local e2
	topo_router 3 || { fail pairs_shared_out topology; return; }
	e2=$(mac_e 2)
	router_start 2 --dst-mac "r2=$e2" r0 r2 r1 r2 ||
		{ fail pairs_shared_out "did not attach: $(cat "$TMP/err")"; return; }
	check "pairs_shared_out: r2 carries xdp_dummy, once" \
		[ "$(grep -c "r2: attached xdp_dummy" "$TMP/err")" = 1 ]
	send_across 0 2 20 64
	check "pairs_shared_out: h0's 20 frames leave r2 from r2 to e2" \
		[ "$(frames_with "$e2" "$(mac_r 2)" 64)" = 20 ]
	send_across 1 2 30 64
	check "pairs_shared_out: h1's 30 too" [ "$(frames_with "$e2" "$(mac_r 2)" 64)" = 30 ]
	fwd_stop INT
	check "pairs_shared_out: the total is exact" [ "$(total_of)" = 50 ]
	router_down
}

prog_id_of() { # IFACE in the router
	ip -n "$NS_R" -d link show dev "$1" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p'
}

# Re-creates router port rI and its host end eI, as a hot-plug does.
replug() { # I
	ip -n "$NS_R" link del "r$1"
	wait_for "r$1: gone" "$TMP/err" 20
	ip -n "$NS_R" link add "r$1" type veth peer name "e$1" netns "$(host_ns "$1")"
	ip -n "$NS_R" link set "r$1" up
	ip -n "$(host_ns "$1")" link set "e$1" up
}

count_across() { # FROM TO COUNT -> frames of FROM's that reached TO swapped
	send_across "$1" "$2" "$3" 64
	frames_with "$(mac_e "$1")" "$(mac_r "$1")" 64
}

# Every lifecycle rule holds per port, with two pairs in one process.
t_pairs_lifecycle() {
	topo_router 4 || { fail pairs_lifecycle topology; return; }
	router_start "1 3" r0 r1 r2 r3 || { fail pairs_lifecycle "did not attach"; return; }
	in_net0 "$BIN" r3 r0 >/dev/null 2>"$TMP/err2"
	check "pairs_lifecycle: a second instance on one port is exit 1" [ $? = 1 ]
	check "pairs_lifecycle: a second instance on one port is refused" \
		grep -q "r3: in use by a running xdp_redirect_map (pid $FWD_PID)" "$TMP/err2"
	check "pairs_lifecycle: both pairs forward" \
		eval '[ "$(count_across 0 1 10)" = 10 ] && [ "$(count_across 2 3 10)" = 10 ]'
	ip -n "$NS_R" link set r1 down
	check "pairs_lifecycle: r1 down is announced for r0" \
		wait_for "r1: down: frames on r0 go to its own stack" "$TMP/err" 20
	check "pairs_lifecycle: r0's frames stop, r2's go on" \
		eval '[ "$(count_across 0 1 10)" = 0 ] && [ "$(count_across 2 3 10)" = 10 ]'
	ip -n "$NS_R" link set r1 up
	wait_for "r1: up (ifindex" "$TMP/err" 20
	check "pairs_lifecycle: r1 up: r0 forwards again" [ "$(count_across 0 1 10)" = 10 ]
	replug 2
	check "pairs_lifecycle: a re-plugged IN gets the program again" \
		wait_for "r2: attached xdp_pairs" "$TMP/err" 20
	check "pairs_lifecycle: and forwards" [ "$(count_across 2 3 10)" = 10 ]
	fwd_kill
	check "pairs_lifecycle: after kill -9 both pairs still forward" \
		eval '[ "$(count_across 0 1 10)" = 10 ] && [ "$(count_across 2 3 10)" = 10 ]'
	t_pairs_restart
	router_down
}

# The restart after the kill: every port taken over in one step, r0's
# frames all through while it happens; then a clean stop.
t_pairs_restart() {
	restart_under_traffic "1 3" r0 r1 r2 r3
	check "pairs_lifecycle: a restart takes over every port" \
		[ "$(grep -c "replacing the one an earlier instance left" "$TMP/err")" = 4 ]
	check "pairs_lifecycle: no frame of r0's lost meanwhile (1000 sent)" \
		[ "$(frames_with "$(mac_e 0)" "$(mac_r 0)" 64)" = 1000 ]
	check "pairs_lifecycle: the restarted one forwards r2's" [ "$(count_across 2 3 10)" = 10 ]
	fwd_stop TERM
	check "pairs_lifecycle: clean stop" [ "$FWD_STATUS" = 0 ]
	check "pairs_lifecycle: nothing left attached" eval '! has_xdp "$NS_R" r0 &&
		! has_xdp "$NS_R" r1 && ! has_xdp "$NS_R" r2 && ! has_xdp "$NS_R" r3'
	check "pairs_lifecycle: GRO off again at e1 and e3" \
		eval '[ "$(gro_of "$(host_ns 1)" e1)" = off ] && [ "$(gro_of "$(host_ns 3)" e3)" = off ]'
}

# Counting survives a re-plugged IN; --detach after kill -9 clears all.
t_pairs_count_detach() {
	topo_router 4 || { fail pairs_count_detach topology; return; }
	router_start "1 3" r0 r1 r2 r3 || { fail pairs_count_detach "did not attach"; return; }
	count_across 2 3 10 >/dev/null
	replug 2
	wait_for "r2: attached xdp_pairs" "$TMP/err" 20
	count_across 2 3 15 >/dev/null
	count_across 0 1 5 >/dev/null
	fwd_stop INT
	check "pairs_count_detach: frames before and after the re-plug counted (30)" \
		[ "$(total_of)" = 30 ]
	router_start "1 3" r0 r1 r2 r3
	fwd_kill
	in_net0 "$BIN" --detach r0 r1 r2 r3 >/dev/null 2>"$TMP/err2"
	check "pairs_count_detach: --detach exit 0" [ $? = 0 ]
	check "pairs_count_detach: removes every port's program" eval '! has_xdp "$NS_R" r0 &&
		! has_xdp "$NS_R" r1 && ! has_xdp "$NS_R" r2 && ! has_xdp "$NS_R" r3'
	check "pairs_count_detach: and GRO at the peers" \
		eval '[ "$(gro_of "$(host_ns 1)" e1)" = off ] && [ "$(gro_of "$(host_ns 3)" e3)" = off ]'
	router_down
}

t_pairs_refusals() {
	topo_router 3 || { fail pairs_refusals topology; return; }
	in_net0 "$BIN" r0 r1 r0 r2 >/dev/null 2>"$TMP/err"
	check "pairs_refusals: an IN in two pairs is a usage error" [ $? = 2 ]
	in_net0 "$BIN" r0 r1 "$(ip -n "$NS_R" -o link show r1 | cut -d: -f1)" r2 >/dev/null 2>"$TMP/err"
	check "pairs_refusals: so is one port under two words" [ $? = 2 ]
	check "pairs_refusals: which says so" grep -q "r1: the same interface is named twice" "$TMP/err"
	in_net0 "$BIN" --dst-mac 02:00:00:00:00:01 r0 r1 r2 r0 >/dev/null 2>"$TMP/err"
	check "pairs_refusals: a bare --dst-mac with two OUTs" grep -q "needs a single OUT" "$TMP/err"
	check "pairs_refusals: nothing attached" eval '! has_xdp "$NS_R" r0 && ! has_xdp "$NS_R" r1'
	router_down
}

# --check loads every program of the object, the optional parts too,
# as a run with the same options would.
t_check() {
	local with without
	"$BIN" --check >"$TMP/out" 2>&1
	check "check: the kernel takes xdp_pairs and its maps" eval 'grep -q "^program xdp_pairs: " \
		"$TMP/out" && grep -q "^map tx_pairs: devmap_hash" "$TMP/out"'
	check "check: and xdp_egress, a devmap program" \
		grep -q '^program xdp_egress: .*(section "xdp/devmap")' "$TMP/out"
	"$BIN" --check -e >"$TMP/out_e" 2>&1
	with=$(sed -n 's/^program xdp_redirect_map: .*translated \([0-9]*\) B.*/\1/p' "$TMP/out_e")
	without=$(sed -n 's/^program xdp_redirect_map: .*translated \([0-9]*\) B.*/\1/p' "$TMP/out")
	# frame_bytes alone is 20 instructions of 8 bytes.
	check "check: without -e and --json the kernel runs no byte counting ($without B, $with B with -e)" \
		eval '[ -n "$without" ] && [ -n "$with" ] && [ $((without + 160)) -le "$with" ]'
}

# Bytes of jumbo frames: the program sees only their first buffer, the
# IP header gives the rest.
t_jumbo_bytes() {
	local line pkt bit
	topo_router 2 $JUMBO_MTU || { fail jumbo_bytes topology; return; }
	router_start 1 --json r0 r1 || { fail jumbo_bytes "did not attach"; return; }
	send_across 0 1 10 $JUMBO_BYTES
	sleep 1.2
	fwd_stop INT
	check "jumbo_bytes: 10 frames of $JUMBO_BYTES bytes counted as such" \
		eval 'tail -n 1 "$TMP/out" | grep -q "\"frames_total\":10,.*\"bytes_total\":$((10 * JUMBO_BYTES))[,}]"'
	# -e: the bit rate of the same frames, in each interval.
	router_start 1 -e r0 r1 || { fail jumbo_bytes "did not attach with -e"; router_down; return; }
	in_host 0 "$PKTIO" send e0 1500 $JUMBO_BYTES "$(mac_r 0)" -g 1000 >/dev/null
	fwd_stop INT
	line=$(sort -n "$TMP/out" | tail -n 1)
	pkt=$(echo "$line" | awk '{print $1}'); bit=$(echo "$line" | awk '{print $3}')
	check "jumbo_bytes: -e: bit/s is pkt/s times $JUMBO_BYTES * 8 ($line)" \
		eval '[ "$pkt" -gt 0 ] && [ $((bit - pkt * JUMBO_BYTES * 8)) -le $((JUMBO_BYTES * 8)) ] &&
		      [ $((pkt * JUMBO_BYTES * 8 - bit)) -le $((JUMBO_BYTES * 8)) ]'
	# Without -e and --json: frames only, and --status does not say 0 bytes.
	router_start 1 r0 r1 || { fail jumbo_bytes "did not attach"; router_down; return; }
	send_across 0 1 10 $JUMBO_BYTES
	in_net0 "$BIN" --status r0 >"$TMP/status" 2>&1
	check "jumbo_bytes: default mode: --status counts frames, says bytes are not counted" \
		grep -qx "  counted: 10 frames (bytes are counted only with -e or --json)" "$TMP/status"
	fwd_stop INT
	router_down
}

t_jumbo_native() { t_jumbo jumbo_native; }
t_jumbo_generic() { t_jumbo jumbo_generic -S; }

# TESTS="t_jumbo_native" runs a few.
for t in ${TESTS:-t_check t_jumbo_native t_jumbo_generic t_jumbo_bytes t_egress_swap t_egress_next_hop t_egress_jumbo \
	 t_egress_generic t_egress_new_mac t_egress_refusals t_peer_comes_up t_bidir_swap \
	 t_bidir_jumbo_egress t_bidir_restart t_bidir_json t_pairs t_pairs_shared_out t_pairs_lifecycle t_pairs_count_detach \
	 t_pairs_refusals}; do
	$t
done
summary router
[ "$failed" = 0 ]
