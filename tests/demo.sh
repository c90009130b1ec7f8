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
if command -v tcpdump >/dev/null; then
	in_root timeout 8 tcpdump -c 5 -eni out_intf icmp 2>/dev/null &
	sleep 1
fi
in_root ping -c 5 -i 0.5 -W 1 10.10.10.2 >/dev/null
wait $(jobs -p | grep -v "^$FWD_PID$") 2>/dev/null
sleep 1.2

say "4. What the forwarder printed (stdout), then stopped with SIGINT"
fwd_stop INT
cat "$TMP/out"
tail -n 1 "$TMP/err"
say "Frames left out_intf with source ee:11:ee:11:ee:11: the MACs were swapped. Cleaning up."
