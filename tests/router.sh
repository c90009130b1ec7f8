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
in_host() { local ns; ns=$(host_ns "$1"); shift; ip netns exec "$ns" "$@"; }
mac_r() { in_net0 "$PKTIO" mac "r$1"; }
mac_e() { in_host "$1" "$PKTIO" mac "e$1"; }

router_down() {
	fwd_kill
	ip netns list 2>/dev/null | awk '{print $1}' | grep "^$RUN_ID-" | xargs -r -n1 ip netns del
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

t_egress_refusals() {
	topo_router 2 || { fail egress_refusals topology; return; }
	in_net0 "$BIN" --dst-mac 00:00:00:00:00:00 r0 r1 >/dev/null 2>"$TMP/err"
	check "egress_refusals: a zero MAC is a usage error" [ $? = 2 ]
	in_net0 "$BIN" --dst-mac 02:00:00:00:00:0 r0 r1 >/dev/null 2>"$TMP/err"
	check "egress_refusals: a short MAC is a usage error" [ $? = 2 ]
	check "egress_refusals: and says what a MAC looks like" grep -q "is not \[PORT=\]MAC" "$TMP/err"
	in_net0 "$BIN" --dst-mac r0=02:00:00:00:00:01 r0 r1 >/dev/null 2>"$TMP/err"
	check "egress_refusals: --dst-mac for a port that is not OUT" [ $? = 2 ]
	check "egress_refusals: names it" grep -q "r0: --dst-mac names a port that is not OUT" "$TMP/err"
	check "egress_refusals: nothing attached" eval '! has_xdp "$NS_R" r0 && ! has_xdp "$NS_R" r1'
	router_down
}

t_jumbo_native() { t_jumbo jumbo_native; }
t_jumbo_generic() { t_jumbo jumbo_generic -S; }

# TESTS="t_jumbo_native" runs a few.
for t in ${TESTS:-t_jumbo_native t_jumbo_generic t_egress_swap t_egress_next_hop t_egress_jumbo \
	 t_egress_generic t_egress_new_mac t_egress_refusals}; do
	$t
done
summary router
[ "$failed" = 0 ]
