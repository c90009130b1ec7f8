#!/bin/bash
# ops.sh - what init systems and monitoring use: the init scripts in
# contrib/ (shellcheck, systemd-analyze, the sysvinit script driven for
# real, the procd script's UCI handling), --pidfile, --json, -e, --status,
# --syslog, --version, the man page and make install. Run as root from the
# repository (make test).
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

SYSV=$TOP/contrib/sysvinit/xdp_redirect_map
PROCD=$TOP/contrib/openwrt/xdp_redirect_map.init
UNIT=$TOP/contrib/systemd/xdp_redirect_map@.service

# Frames sent on in_intf that reach out_intf with swapped MACs.
send_and_count() { # COUNT [SIZE]
	local mac
	recv_start "$NS_ROOT" out_intf 800 "$TMP/recv"
	in_root "$PKTIO" send in_intf "$1" "${2:-64}" ee:11:ee:11:ee:11 >/dev/null
	recv_wait
	mac=$(in_root "$PKTIO" mac in_intf)
	grep -c "^$mac ee:11:ee:11:ee:11 .* OK$" "$TMP/recv"
}

t_shellcheck() {
	if ! command -v shellcheck >/dev/null; then
		skip shellcheck "shellcheck not installed (apt-get install shellcheck)"; return
	fi
	check "shellcheck: sysvinit script and its defaults" shellcheck -x "$SYSV"
	check "shellcheck: procd script (ash)" shellcheck "$PROCD"
	check "shellcheck: the tests of this stage" shellcheck -x -e SC1091,SC2317,SC2016,SC2034 "$TOP/tests/ops.sh"
}

t_systemd_unit() {
	local dir=$TMP/unit
	if ! command -v systemd-analyze >/dev/null; then
		skip systemd_unit "systemd-analyze not installed (no systemd here)"; return
	fi
	# verify wants the binary at the unit's path: a copy pointing at ours.
	mkdir -p "$dir"
	sed "s|/usr/sbin/xdp_redirect_map|$BIN|" "$UNIT" >"$dir/xdp_redirect_map@.service"
	MANPATH=$TMP/install/usr/share/man systemd-analyze verify \
		"$dir/xdp_redirect_map@test.service" >"$TMP/verify" 2>&1
	check "systemd_unit: systemd-analyze verify is silent" [ ! -s "$TMP/verify" ]
	[ -s "$TMP/verify" ] && cat "$TMP/verify"
	check "systemd_unit: Type=simple, restarted on failure" \
		eval 'grep -qx "Type=simple" "$UNIT" && grep -qx "Restart=on-failure" "$UNIT"'
	check "systemd_unit: exactly the four capabilities" grep -qx \
		"CapabilityBoundingSet=CAP_NET_ADMIN CAP_BPF CAP_SYS_ADMIN CAP_PERFMON" "$UNIT"
}

# The sysvinit script, run in net0 with its paths pointed at this build:
# SSD_DIR, when set, puts another start-stop-daemon (BusyBox's) first.
sysv() { # SHELL ACTION
	timeout --foreground -k 2 30 ip netns exec "$NS_NET0" env ${SSD_DIR:+PATH="$SSD_DIR:$PATH"} DAEMON="$BIN" \
		CONFIG="$TMP/default" PIDDIR="$TMP" "$1" "$SYSV" "$2"
}

t_sysvinit() { # NAME SHELL
	local n=$1 sh=$2 pf=$TMP/xdp_redirect_map.veth_in_intf.pid pid out
	topo_seed || { fail "$n" topology; return; }
	printf 'PAIRS="veth_in_intf:veth_out_intf"\nOPTIONS="-q"\n' >"$TMP/default"
	out=$(sysv "$sh" start)
	check "$n: start exits 0" [ $? = 0 ]
	check "$n: start says started with the pid" eval '[[ "$out" == "veth_in_intf -> veth_out_intf: started (pid "*")" ]]'
	pid=$(cat "$pf" 2>/dev/null)
	check "$n: the pid file names the running forwarder" eval '[ -n "$pid" ] && [ "$(readlink /proc/$pid/exe)" = "$BIN" ]'
	check "$n: no temporary pid file left" [ ! -e "$pf.starting" ]
	check "$n: both programs attached" eval 'has_xdp "$NS_NET0" veth_in_intf && has_xdp "$NS_NET0" veth_out_intf'
	check "$n: frames forwarded while started" [ "$(send_and_count 20)" = 20 ]
	out=$(sysv "$sh" start)
	check "$n: a second start is a no-op" eval '[ "$out" = "veth_in_intf: already running" ]'
	out=$(sysv "$sh" status)
	check "$n: status exits 0 while running" [ $? = 0 ]
	check "$n: status names the pid" eval '[[ "$out" == *"running (pid $pid)"* ]]'
	check "$n: status shows the programs and the counters (--status)" \
		eval '[[ "$out" == *"xdp_redirect_ma, program id "*"counted: 20 frames (bytes are counted only with -e or --json)"* ]]'
	out=$(sysv "$sh" stop)
	check "$n: stop exits 0" [ $? = 0 ]
	check "$n: stop waits for the exit" eval '[ "$out" = "veth_in_intf: stopped" ] && ! kill -0 "$pid" 2>/dev/null'
	check "$n: the pid file is removed" [ ! -e "$pf" ]
	check "$n: nothing attached after stop" eval '! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf'
	check "$n: GRO off again at the peer" [ "$(gro_of "$NS_ROOT" out_intf)" = off ]
	sysv "$sh" status >/dev/null
	check "$n: status exits 3 when stopped" [ $? = 3 ]
	# A start that fails is reported at once, not after the timeout.
	ip -n "$NS_NET0" link set dev veth_in_intf xdp object "$FOREIGN_OBJ" section xdp
	SECONDS=0
	out=$(sysv "$sh" start)
	check "$n: a failed start exits 1" [ $? = 1 ]
	check "$n: and says so within 3 s" eval '[ "$SECONDS" -lt 3 ] && [[ "$out" == *"failed to start"* ]]'
	check "$n: leaves no pid file" eval '[ ! -e "$pf" ] && [ ! -e "$pf.starting" ]'
	topo_down
}

t_sysvinit_sh() { t_sysvinit sysvinit sh; }

t_sysvinit_busybox() {
	if ! command -v busybox >/dev/null; then
		skip sysv_busybox "busybox not installed (apt-get install busybox)"; return
	fi
	SSD_DIR=$TMP/busybox
	mkdir -p "$SSD_DIR"
	ln -sf "$(command -v busybox)" "$SSD_DIR/start-stop-daemon"
	ln -sf "$(command -v busybox)" "$SSD_DIR/sh"
	ln -sf "$(command -v busybox)" "$SSD_DIR/sleep"
	t_sysvinit sysv_busybox "$SSD_DIR/sh"
	SSD_DIR=
}

# The procd script with OpenWrt's functions stubbed: UCI read from a file
# by a small parser, procd_* calls written down.
procd_run() { # UCI-FILE
	UCI_FILE=$1 sh -c '
		uci_parse() {
			sed -n "s/^config \([a-z]*\) '"'"'\(.*\)'"'"'$/S \1 \2/p; s/^[[:space:]]*option \([a-z_]*\) '"'"'\(.*\)'"'"'$/O \1 \2/p" "$UCI_FILE"
		}
		config_load() { :; }
		config_foreach() { # FUNC TYPE
			uci_parse | while read -r k t s; do [ "$k $t" = "S $2" ] && "$1" "$s"; done
		}
		config_get() { # VAR SECTION OPTION [DEFAULT]
			local v
			v=$(uci_parse | awk -v s="$2" -v o="$3" "\$1==\"S\" {in_s=(\$3==s)} in_s && \$1==\"O\" && \$2==o {print \$3}")
			eval "$1=\${v:-\$4}"
		}
		config_get_bool() {
			config_get "$@"
			case $(eval echo "\$$1") in 1|on|true|yes|enabled) eval "$1=1";; *) eval "$1=0";; esac
		}
		procd_open_instance() { printf "instance %s:" "$1"; }
		procd_set_param() { [ "$1" = command ] && { shift; printf " %s" "$@"; }; [ "$1" = respawn ] && printf " [respawn]"; [ "$1" = stderr ] && printf " [stderr]"; return 0; }
		procd_close_instance() { echo; }
		. "$0"
		start_service
	' "$PROCD" 2>&1
}

t_procd() {
	local out
	out=$(procd_run "$TOP/contrib/openwrt/xdp_redirect_map.config")
	check "procd: the shipped config starts nothing (its pair is disabled)" [ -z "$out" ]
	cat >"$TMP/uci" <<-'UCI'
	config pair 'one'
		option in 'eth0'
		option out 'eth1'
		option mode 'native'
	config pair 'off'
		option in 'eth2'
		option out 'eth3'
		option enabled '0'
	config pair 'gen'
		option in 'eth4'
		option out 'eth5'
		option mode 'generic'
		option enabled '1'
	config pair 'dflt'
		option in 'eth6'
		option out 'eth7'
	config pair 'bad'
		option in 'eth8'
		option out 'eth9'
		option mode 'fast'
	config pair 'half'
		option in 'eth10'
	UCI
	out=$(procd_run "$TMP/uci")
	echo "$out" >"$TMP/procd.out"
	check "procd: a native pair, respawned, stderr to logd" grep -qx \
		"instance one: /usr/sbin/xdp_redirect_map --wait -q -N eth0 eth1 \[respawn\] \[stderr\]" "$TMP/procd.out"
	check "procd: a disabled pair is not started" eval '! grep -q eth2 "$TMP/procd.out"'
	check "procd: generic mode is -S" grep -q "^instance gen: .* -q -S eth4 eth5 " "$TMP/procd.out"
	check "procd: mode auto by default" grep -q "^instance dflt: .* -q eth6 eth7 " "$TMP/procd.out"
	check "procd: a bad mode is named and not started" eval 'grep -q "mode .fast. is not auto, native or generic" "$TMP/procd.out" && ! grep -q "instance bad" "$TMP/procd.out"'
	check "procd: a section without out is named" grep -q "section half: needs both" "$TMP/procd.out"
}

t_pidfile() {
	local pf=$TMP/fwd.pid
	topo_seed || { fail pidfile topology; return; }
	ip -n "$NS_NET0" link set dev veth_in_intf xdp object "$FOREIGN_OBJ" section xdp
	in_net0 "$BIN" --pidfile "$pf" veth_in_intf veth_out_intf >/dev/null 2>&1
	check "pidfile: not written when the start fails" [ ! -e "$pf" ]
	ip -n "$NS_NET0" link set dev veth_in_intf xdp off
	fwd_start --pidfile "$pf" veth_in_intf veth_out_intf || { fail pidfile "did not attach"; return; }
	check "pidfile: written once attached, with the pid" eval '[ "$(cat "$pf")" = "$FWD_PID" ]'
	check "pidfile: no temporary file left" [ ! -e "$pf.tmp" ]
	fwd_stop TERM
	check "pidfile: removed at exit" [ ! -e "$pf" ]
	fwd_start --pidfile "$pf" veth_in_intf veth_out_intf
	echo 1 >"$pf"
	fwd_stop TERM
	check "pidfile: one that names another process is left alone" eval '[ "$(cat "$pf")" = 1 ]'
	in_net0 "$BIN" --pidfile "$TMP/nosuchdir/x.pid" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "pidfile: an unwritable one is exit 1" [ $? = 1 ]
	check "pidfile: named, and nothing left attached" eval 'grep -q "nosuchdir/x.pid: cannot write the pid file" "$TMP/err" && ! has_xdp "$NS_NET0" veth_in_intf'
	topo_down
}

# A JSON parser: jq, or python3's json module.
json_field() { # FIELD < LINE
	if command -v jq >/dev/null; then jq -e -r ".$1"; else python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; fi
}

t_json() {
	local n=25 size=200 line sum=0 ok_lines=0 lines
	topo_seed || { fail json topology; return; }
	fwd_start --json veth_in_intf veth_out_intf || { fail json "did not attach"; return; }
	check "json: frames forwarded" [ "$(send_and_count $n $size)" = $n ]
	sleep 1.2
	fwd_stop INT
	lines=$(wc -l <"$TMP/out")
	while read -r line; do
		echo "$line" | json_field frames >/dev/null 2>&1 && ok_lines=$((ok_lines + 1))
		sum=$((sum + $(echo "$line" | json_field frames)))
	done <"$TMP/out"
	check "json: every line is one JSON object ($lines lines)" eval '[ "$lines" -ge 1 ] && [ "$ok_lines" = "$lines" ]'
	line=$(tail -n 1 "$TMP/out")
	check "json: the interfaces" eval '[ "$(echo "$line" | json_field in)" = veth_in_intf ] && [ "$(echo "$line" | json_field out)" = veth_out_intf ]'
	check "json: frames in the intervals add up to the $n sent" [ "$sum" = $n ]
	check "json: frames_total $n" [ "$(echo "$line" | json_field frames_total)" = $n ]
	check "json: bytes_total is $n frames of $size bytes" [ "$(echo "$line" | json_field bytes_total)" = $((n * size)) ]
	check "json: the time is now, in seconds" eval '[ "$(echo "$line" | json_field time | cut -d. -f1)" -ge $(($(date +%s) - 10)) ]'
	check "json: the interval in ms" eval '[ "$(echo "$line" | json_field interval_ms)" -ge 900 ]'
	topo_down
}

# Interface names may hold '"' and '\': escaped, the line still parses.
t_json_names() {
	local qname='q"\x'
	topo_seed || { fail json_names topology; return; }
	ip -n "$NS_NET0" link add "$qname" type veth peer name qpeer
	ip -n "$NS_NET0" link set "$qname" up
	ip -n "$NS_NET0" link set qpeer up
	fwd_start --json "$qname" veth_out_intf || { fail json_names "did not attach: $(cat "$TMP/err")"; return; }
	wait_for "time" "$TMP/out" 30
	fwd_stop INT
	check "json_names: a name with a quote and a backslash comes out whole" \
		eval '[ "$(head -n 1 "$TMP/out" | json_field in)" = "$qname" ]'
	topo_down
}

t_extended() {
	local size=300 line pkt bit
	topo_seed || { fail extended topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail extended "did not attach"; return; }
	wait_for pkt "$TMP/out" 30
	fwd_stop INT
	check "extended: without -e the line is exactly N pkt/s" grep -qxE "[0-9]+ pkt/s" "$TMP/out"
	fwd_start -e veth_in_intf veth_out_intf || { fail extended "did not attach"; return; }
	in_root "$PKTIO" send in_intf 2000 $size ee:11:ee:11:ee:11 -g 1000 >/dev/null
	fwd_stop INT
	check "extended: -e adds the bit rate" grep -qE "^[0-9]+ pkt/s [0-9]+ bit/s" "$TMP/out"
	line=$(sort -n "$TMP/out" | tail -n 1)
	pkt=$(echo "$line" | awk '{print $1}'); bit=$(echo "$line" | awk '{print $3}')
	# Both rates are over the same interval: bits = frames * size * 8,
	# each rounded on its own.
	check "extended: bit/s is pkt/s times $size * 8 ($line)" \
		eval '[ "$pkt" -gt 0 ] && [ $((bit - pkt * size * 8)) -le $((size * 8)) ] && [ $((pkt * size * 8 - bit)) -le $((size * 8)) ]'
	topo_down
}

t_status() {
	local in_id out_id
	topo_seed || { fail status topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail status "did not attach"; return; }
	send_and_count 30 100 >/dev/null
	in_id=$(ip -n "$NS_NET0" -d link show dev veth_in_intf | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
	out_id=$(ip -n "$NS_NET0" -d link show dev veth_out_intf | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
	in_net0 "$BIN" --status veth_in_intf >"$TMP/status" 2>&1
	check "status: exit 0 while running" [ $? = 0 ]
	check "status: IN's program id and mode" grep -qE "^veth_in_intf \(ifindex [0-9]+\): xdp_redirect_ma, program id $in_id, native mode$" "$TMP/status"
	check "status: OUT, from the devmap, with its program" grep -qE "^  to veth_out_intf \(ifindex [0-9]+\): xdp_dummy, program id $out_id, native mode$" "$TMP/status"
	# Without -e and --json the program counts no bytes: status says so
	# rather than show a false 0.
	check "status: the running instance's counters, frames only" \
		grep -qx "  counted: 30 frames (bytes are counted only with -e or --json)" "$TMP/status"
	fwd_stop INT
	fwd_start -e veth_in_intf veth_out_intf || { fail status "did not attach with -e"; return; }
	send_and_count 30 100 >/dev/null
	in_net0 "$BIN" --status veth_in_intf >"$TMP/status" 2>&1
	check "status: with -e, frames and bytes" grep -qx "  counted: 30 frames, 3000 bytes" "$TMP/status"
	# After kill -9 the programs keep forwarding: status still sees them.
	fwd_kill
	send_and_count 5 100 >/dev/null
	in_net0 "$BIN" --status veth_in_intf >"$TMP/status" 2>&1
	check "status: counters of programs a killed instance left" grep -qx "  counted: 35 frames, 3500 bytes" "$TMP/status"
	in_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>&1
	in_net0 "$BIN" --status veth_in_intf >"$TMP/status" 2>&1
	check "status: exit 1 with nothing attached" [ $? = 1 ]
	check "status: says so" grep -qE "^veth_in_intf \(ifindex [0-9]+\): no XDP program$" "$TMP/status"
	in_net0 "$BIN" --status nosuch0 >/dev/null 2>"$TMP/err"
	check "status: a missing interface is named" grep -qx "xdp_redirect_map: nosuch0: no such interface" "$TMP/err"
	"$BIN" --status a b >/dev/null 2>&1
	check "status: takes one interface (exit 2 otherwise)" [ $? = 2 ]
	topo_down
}

t_version() {
	local order=little-endian
	[ "$(od -An -tu1 -j5 -N1 "$BIN" | tr -d ' ')" = 2 ] && order=big-endian
	"$BIN" --version >"$TMP/version"
	check "version: names the version, the target and its libc" \
		grep -qE "^xdp_redirect_map [0-9][^ ]* for [a-z0-9_]+-[a-z0-9_-]+ \((musl|glibc)\), " "$TMP/version"
	check "version: the embedded object's byte order is the binary's ($order)" \
		grep -q "BPF object $order (bpf[el][el])$" "$TMP/version"
}

# Every option of --help documented in the man page, and the page clean
# for groff's warnings.
t_man() {
	local opt missing='' heads
	if ! command -v groff >/dev/null; then skip man "groff not installed"; return; fi
	groff -man -ww -z "$TOP/xdp_redirect_map.8" >"$TMP/groff" 2>&1
	check "man: groff -ww finds nothing to warn about" [ ! -s "$TMP/groff" ]
	# The line after each .TP: an option's heading.
	heads=$(awk '/^\.TP/ { getline; print }' "$TOP/xdp_redirect_map.8" | sed 's/\\-/-/g')
	for opt in $("$BIN" --help | grep -oE -- '--[a-z-]+' | sort -u); do
		echo "$heads" | grep -qE -- "(^| |\")$opt( |\"|$)" || missing="$missing $opt"
	done
	check "man: documents every option of --help${missing:+ (missing:$missing)}" [ -z "$missing" ]
}

t_install() {
	local d=$TMP/install
	make -s -C "$TOP" install DESTDIR="$d" PREFIX=/usr >"$TMP/install.log" 2>&1
	check "install: make install with DESTDIR and PREFIX" [ $? = 0 ]
	check "install: the binary in PREFIX/sbin, runnable" eval '"$d/usr/sbin/xdp_redirect_map" --version >/dev/null'
	check "install: stripped" eval '! readelf -S "$d/usr/sbin/xdp_redirect_map" | grep -q "\.symtab"'
	check "install: the man page in PREFIX/share/man/man8" cmp -s "$TOP/xdp_redirect_map.8" "$d/usr/share/man/man8/xdp_redirect_map.8"
	check "install: nothing outside DESTDIR" eval '[ "$(find "$d" -type f | wc -l)" = 2 ]'
	if command -v man >/dev/null; then
		MANPATH=$d/usr/share/man man -P cat xdp_redirect_map 2>/dev/null | grep -q "forward every frame"
		check "install: man finds the page under the installed MANPATH" [ $? = 0 ]
	fi
	make -s -C "$TOP" uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
	check "install: uninstall removes both" eval '[ "$(find "$d" -type f | wc -l)" = 0 ]'
	make -s -C "$TOP" install DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
}

# A syslog daemon of the test's own: a datagram socket in DIR/log, one
# line per message into FILE, for 30 s at most.
syslog_listen() { # DIR FILE
	mkdir -p "$1"
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1] + "/log")
s.settimeout(30)
with open(sys.argv[2], "w") as f:
    while True:
        try:
            d = s.recv(4096)
        except socket.timeout:
            break
        f.write(d.decode() + "\n")
        f.flush()
' "$1" "$2" &
	LISTENER=$!
	for _ in $(seq 30); do [ -S "$1/log" ] && return 0; sleep 0.1; done
	return 1
}

# The forwarder in net0 with DIR mounted on /dev, in a mount namespace
# of its own: the machine's /dev/log and its log are not touched. exec
# all the way down, so that $! is the forwarder.
fwd_start_devdir() { # DIR ARGS...
	local dir=$1
	shift
	: >"$TMP/out"; : >"$TMP/err"
	unshare -m --propagation private sh -c 'mount --bind "$0" /dev && exec "$@"' "$dir" \
		ip netns exec "$NS_NET0" "$BIN" "$@" >"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
}

# An object the verifier refuses: --check says why in syslog only,
# nothing on stderr (its table, when there is one, is stdout's); exit 1,
# not 2.
t_syslog_refused() { # DIR LOG
	local st
	unshare -m --propagation private sh -c 'mount --bind "$0" /dev && exec "$@"' "$1" \
		"$BIN" --check --syslog --obj "$REFUSED_OBJ" >"$TMP/out" 2>"$TMP/err"
	st=$?
	check "syslog: --check of a refused object exits 1" [ "$st" = 1 ]
	check "syslog: the verifier's reason as LOG_ERR" wait_for \
		"^<27>xdp_redirect_map\[[0-9]*\]: .*verifier.o: program xdp_unchecked: load failed: .*outside of the packet" "$2" 30
	check "syslog: --check's refusal, nothing on stderr" [ ! -s "$TMP/err" ]
	check "syslog: and not on stdout either" eval '! grep -q "load failed" "$TMP/out"'
}

t_syslog() {
	local log=$TMP/syslog
	if ! command -v python3 >/dev/null || ! command -v unshare >/dev/null; then
		skip syslog "python3 or unshare not installed"; return
	fi
	topo_seed || { fail syslog topology; return; }
	syslog_listen "$TMP/dev" "$log" || { fail syslog "no listener"; return; }
	fwd_start_devdir "$TMP/dev" --syslog veth_in_intf veth_out_intf
	check "syslog: events go to syslog" wait_for "attached xdp_redirect_map" "$log" 50
	wait_for "pkt/s" "$TMP/out" 30
	fwd_stop TERM
	check "syslog: as LOG_DAEMON|LOG_NOTICE with our name and pid" \
		grep -qE "^<29>xdp_redirect_map\[[0-9]+\]: veth_in_intf: attached xdp_redirect_map \(native mode" "$log"
	check "syslog: the stop line too" grep -qE "^<29>xdp_redirect_map\[[0-9]+\]: stopped by SIGTERM: 0 frames forwarded in" "$log"
	check "syslog: nothing on stderr" [ ! -s "$TMP/err" ]
	check "syslog: statistics stay on stdout" grep -qx "0 pkt/s" "$TMP/out"
	ip -n "$NS_NET0" link set dev veth_in_intf xdp object "$FOREIGN_OBJ" section xdp
	fwd_start_devdir "$TMP/dev" --syslog veth_in_intf veth_out_intf
	pid_wait "$FWD_PID" 100
	FWD_PID=
	check "syslog: errors as LOG_DAEMON|LOG_ERR" \
		grep -qE "^<27>xdp_redirect_map\[[0-9]+\]: veth_in_intf: already has XDP program [0-9]+ \(foreign\)" "$log"
	mkdir -p "$TMP/nolog"
	fwd_start_devdir "$TMP/nolog" --syslog veth_in_intf veth_out_intf
	pid_wait "$FWD_PID" 100
	FWD_PID=
	check "syslog: without a daemon the line goes to stderr" grep -q "^xdp_redirect_map: veth_in_intf: already has XDP program" "$TMP/err"
	t_syslog_refused "$TMP/dev" "$log"
	kill "$LISTENER" 2>/dev/null
	wait "$LISTENER" 2>/dev/null
	topo_down
}

last_json() { # FIELD: of the last line, once one more was printed
	local n
	n=$(wc -l <"$TMP/out")
	wait_for_lines $((n + 1))
	tail -n 1 "$TMP/out" | json_field "$1"
}

t_tracepoints_missing() {
	topo_seed || { fail tp_missing topology; return; }
	# ip netns exec mounts a fresh /sys: no tracefs in it.
	fwd_start -e veth_in_intf veth_out_intf || { fail tp_missing "did not attach"; return; }
	check "tp_missing: -e says once that tracefs is missing" \
		grep -qx "xdp_redirect_map: tracefs: no err/s or xmit/s; the guard sees only OUT's transmit count: not mounted (/sys/kernel/tracing)" "$TMP/err"
	wait_for_lines 2
	fwd_stop INT
	check "tp_missing: and carries on without those columns" grep -qxE "[0-9]+ pkt/s [0-9]+ bit/s" "$TMP/out"
	check "tp_missing: exit 0" [ "$FWD_STATUS" = 0 ]
	check "tp_missing: said once" [ "$(grep -c tracefs "$TMP/err")" = 1 ]
	topo_down
}

t_tracepoints() {
	TOPO_IFINDEX=$((20000 + $$ % 20000 * 4)) topo_seed || { fail tracepoints topology; return; }
	if ! in_net0 sh -c 'mount -t tracefs nodev /sys/kernel/tracing && [ -d /sys/kernel/tracing/events/xdp ]'; then
		skip tracepoints "tracefs cannot be mounted or has no xdp events"; topo_down; return
	fi
	# --no-guard: the holes made below are for the counts to see, not to be mended.
	fwd_start_tracefs --no-guard --json veth_in_intf veth_out_intf || { fail tracepoints "did not attach: $(cat "$TMP/err")"; return; }
	check "tracepoints: attached without a word" eval '[ "$(grep -vc "attached\|GRO\|: native XDP " "$TMP/err")" = 0 ]'
	check "tracepoints: 300 frames forwarded" [ "$(send_and_count 300)" = 300 ]
	check "tracepoints: xmit_total counts what OUT's driver took" [ "$(last_json xmit_total)" = 300 ]
	check "tracepoints: no errors" [ "$(last_json err_total)" = 0 ]
	# Frames from OUT's side and a second pair in the same namespace
	# must not count: the programs are filtered to this pair.
	ip -n "$NS_NET0" link add xa type veth peer name xb
	ip -n "$NS_NET0" link add xc type veth peer name xd
	for l in xa xb xc xd; do ip -n "$NS_NET0" link set "$l" up; done
	ip netns exec "$NS_NET0" "$BIN" -q xa xc >/dev/null 2>"$TMP/err_other" &
	local other=$!
	# A second forwarder that failed to attach would make the next
	# check pass for want of transmits.
	check "tracepoints: the second pair's forwarder attached" \
		wait_for "xa: attached xdp_redirect_map" "$TMP/err_other" 50
	in_net0 "$PKTIO" send xb 200 >/dev/null
	in_root "$PKTIO" send out_intf 50 >/dev/null
	sleep 0.3
	check "tracepoints: another pair's transmits are not counted" [ "$(last_json xmit_total)" = 300 ]
	kill "$other"
	pid_wait "$other" 100
	check "tracepoints: the second pair's forwarder stops cleanly" [ "$PID_STATUS" = 0 ]
	# The peer loses GRO: veth drops redirected frames (EOPNOTSUPP in
	# xdp_redirect_err since 6.3, ENXIO in xdp_devmap_xmit before).
	in_root ethtool -K out_intf gro off
	check "tracepoints: nothing arrives without GRO at the peer" [ "$(send_and_count 200)" = 0 ]
	check "tracepoints: 200 failures counted" [ "$(last_json err_total)" = 200 ]
	check "tracepoints: the errno named, with what it means" \
		grep -qE "veth_out_intf: redirected frames fail with (EOPNOTSUPP|ENXIO): .*neither XDP nor GRO" "$TMP/err"
	in_root ethtool -K out_intf gro on
	# A frame over OUT's MTU: EMSGSIZE.
	ip -n "$NS_NET0" link set veth_out_intf mtu 500
	check "tracepoints: frames over OUT's MTU do not arrive" [ "$(send_and_count 100 1000)" = 0 ]
	check "tracepoints: 100 more failures counted" [ "$(last_json err_total)" = 300 ]
	check "tracepoints: EMSGSIZE named" grep -q "veth_out_intf: redirected frames fail with EMSGSIZE: .*MTU" "$TMP/err"
	check "tracepoints: last_errno in the interval's object" grep -q '"last_errno":90' "$TMP/out"
	fwd_stop INT
	check "tracepoints: clean stop" [ "$FWD_STATUS" = 0 ]
	fwd_start_tracefs -e veth_in_intf veth_out_intf
	wait_for_lines 1
	fwd_stop INT
	check "tracepoints: -e shows err/s, xmit/s and drop/s" grep -qxE "[0-9]+ pkt/s [0-9]+ bit/s [0-9]+ err/s [0-9]+ xmit/s [0-9]+ drop/s" "$TMP/out"
	topo_down
}

# The forwarder with tracefs as a kernel without xdp_devmap_xmit's field
# "sent": the three events' id and format files copied to DIR, that field
# renamed, and DIR bound over tracefs in the forwarder's own mount
# namespace (ip netns exec makes one), gone with it.
fwd_start_tracefs_without_sent() { # DIR ARGS...
	local dir=$1
	shift
	: >"$TMP/out"; : >"$TMP/err"
	ip netns exec "$NS_NET0" sh -c 't=/sys/kernel/tracing/events/xdp
		mount -t tracefs nodev /sys/kernel/tracing || exit 1
		for e in xdp_redirect_err xdp_redirect_map_err xdp_devmap_xmit; do
			[ -d "$t/$e" ] || continue
			mkdir -p "$0/events/xdp/$e" &&
			cat "$t/$e/id" >"$0/events/xdp/$e/id" &&
			sed "s/ sent;/ sent_x;/" "$t/$e/format" >"$0/events/xdp/$e/format" || exit 1
		done
		mount --bind "$0" /sys/kernel/tracing && exec "$@"' \
		"$dir" "$BIN" "$@" >"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
}

t_tracepoints_field_missing() {
	topo_seed || { fail tp_field topology; return; }
	if ! in_net0 sh -c 'mount -t tracefs nodev /sys/kernel/tracing && [ -d /sys/kernel/tracing/events/xdp/xdp_devmap_xmit ]'; then
		skip tp_field "tracefs cannot be mounted or has no xdp events"; topo_down; return
	fi
	fwd_start_tracefs_without_sent "$TMP/tracefs" -e veth_in_intf veth_out_intf
	if ! wait_for "attached xdp_redirect_map" "$TMP/err" 50; then
		fail tp_field "did not attach: $(cat "$TMP/err")"; topo_down; return
	fi
	wait_for_lines 2
	fwd_stop INT
	check "tp_field: the field the kernel lacks named in one line" \
		grep -qx "xdp_redirect_map: xdp_devmap_xmit: no err/s or xmit/s; the guard sees only OUT's transmit count: xrm_tp_xmit: xdp_devmap_xmit.sent: not in the running kernel" "$TMP/err"
	check "tp_field: said once, nothing else" \
		eval '[ "$(grep -vc "attached\|GRO\|stopped by SIGINT\|: native XDP " "$TMP/err")" = 1 ]'
	check "tp_field: and carries on without those columns" grep -qxE "[0-9]+ pkt/s [0-9]+ bit/s" "$TMP/out"
	check "tp_field: exit 0" [ "$FWD_STATUS" = 0 ]
	rm -rf "$TMP/tracefs"
	topo_down
}

FOREIGN_OBJ=$TMP/foreign.o REFUSED_OBJ=$TMP/verifier.o
for o in foreign refused/verifier; do
	clang -O2 -target bpf -Wall -I"$TOP/build/uapi" -c "$TOP/tests/objs/$o.c" -o "$TMP/${o#*/}.o" ||
		echo "cannot build the test object $o"
done
# TESTS="t_procd t_shellcheck" runs a few.
for t in ${TESTS:-t_version t_man t_install t_shellcheck t_systemd_unit t_procd t_sysvinit_sh t_sysvinit_busybox \
	 t_pidfile t_json t_json_names t_extended t_status t_syslog \
	 t_tracepoints_missing t_tracepoints t_tracepoints_field_missing}; do
	$t
done
summary ops
[ "$failed" = 0 ]
