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
	local peers=$1 i n
	shift
	fwd_start "$@" || return 1
	for i in $peers; do
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

t_jumbo_native() { t_jumbo jumbo_native; }
t_jumbo_generic() { t_jumbo jumbo_generic -S; }

# TESTS="t_jumbo_native" runs a few.
for t in ${TESTS:-t_jumbo_native t_jumbo_generic}; do
	$t
done
summary router
[ "$failed" = 0 ]
