#!/bin/bash
# demo.sh - the newcomer's first look (make demo, as root): the seed's
# topology in throwaway namespaces, the forwarder on it, a few pings, what
# it printed and what arrived on the far side. Cleans up and ends by itself.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

say "1. The seed's topology: in_intf/out_intf in $NS_ROOT, veth_in_intf/veth_out_intf in $NS_NET0"
topo_seed || exit 1
ip -n "$NS_ROOT" -br link; ip -n "$NS_NET0" -br link

say "2. xdp_redirect_map veth_in_intf veth_out_intf (in $NS_NET0)"
fwd_start veth_in_intf veth_out_intf || { cat "$TMP/err"; exit 1; }
cat "$TMP/err"

say "3. ping -c 5 10.10.10.2 from in_intf (neighbour ee:11:ee:11:ee:11), tcpdump on out_intf"
in_root timeout 10 tcpdump -c 5 -eni out_intf icmp >"$TMP/cap" 2>"$TMP/cap.err" &
CAP_PID=$!
wait_for "listening on" "$TMP/cap.err" 50 || { cat "$TMP/cap.err"; exit 1; }
in_root ping -c 5 -i 0.5 -W 1 10.10.10.2 >/dev/null
wait "$CAP_PID"
cat "$TMP/cap"
sleep 1.2

say "4. What the forwarder printed (stdout), then stopped with SIGINT"
fwd_stop INT
cat "$TMP/out"
tail -n 1 "$TMP/err"
in_mac=$(ip -n "$NS_ROOT" -br link show in_intf | awk '{print $3}')
n=$(grep -c "ee:11:ee:11:ee:11 > $in_mac" "$TMP/cap")
if [ "$n" != 5 ] || [ "$FWD_STATUS" != 0 ]; then
	say "FAILED: $n of 5 pings left out_intf with the MACs swapped; the forwarder exited $FWD_STATUS."
	exit 1
fi
say "5 of 5 pings left out_intf from ee:11:ee:11:ee:11 to in_intf's $in_mac: the MACs were swapped. Cleaning up."
