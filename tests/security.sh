#!/bin/bash
# security.sh - what a hostile local user or bad luck can do to the
# forwarder, done as they would do it: an unprivileged user (nobody) who
# plants links and files and takes locks, a root-owned service run with
# too few capabilities, and SIGKILL at every system call of start-up
# (strace fault injection). Each test fails if the defence it names is
# missing.
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

LOCK_DIR=/run/xdp_redirect_map
NOBODY=65534
as_nobody() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$@"; }
# A user's directory for planted files: world-writable and sticky, as /tmp.
PUB=$TMP/pub
SYMLINKS_WAS=$(sysctl -n fs.protected_symlinks)
USER_PIDS=

sec_cleanup() {
	local p
	for p in $USER_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	sysctl -qw fs.protected_symlinks="$SYMLINKS_WAS"
	cleanup
}
trap sec_cleanup EXIT

# The lock files of the test's network namespace.
lock_files() { ls "$LOCK_DIR"/*@"$(stat -L -c %i "/run/netns/$NS_NET0")" 2>/dev/null; }

# A run expected to end by itself; one that goes on is stopped after 10 s (124).
run_net0() { timeout -s INT 10 ip netns exec "$NS_NET0" "$@"; }

nothing_left() { # no program on IN or OUT, GRO off at the peer as before
	! has_xdp "$NS_NET0" veth_in_intf && ! has_xdp "$NS_NET0" veth_out_intf &&
		[ "$(gro_of "$NS_ROOT" out_intf)" = off ]
}

t_pidfile_planted() {
	local victim=$TMP/victim pf=$PUB/x.pid
	topo_seed || { fail pidfile_planted topology; return; }
	chmod go+x "$TMP" && mkdir -p "$PUB" && chmod 1777 "$PUB"
	echo precious >"$victim"
	sysctl -qw fs.protected_symlinks=0
	# What the user plants must be there, or the checks below prove nothing.
	as_nobody ln -s "$victim" "$pf.tmp" && as_nobody sh -c "echo 1 >$PUB/y.pid.tmp" ||
		{ fail pidfile_planted "the user could not plant the files"; return; }
	fwd_start --pidfile "$pf" veth_in_intf veth_out_intf || { fail pidfile_planted "did not attach"; return; }
	check "pidfile_planted: a link at PATH.tmp is not written through" [ "$(cat "$victim")" = precious ]
	check "pidfile_planted: the pid file holds the pid" [ "$(cat "$pf")" = "$FWD_PID" ]
	check "pidfile_planted: owned by root" [ "$(stat -c %u "$pf")" = 0 ]
	check "pidfile_planted: the planted link stays as it was" [ "$(readlink "$pf.tmp")" = "$victim" ]
	fwd_stop TERM
	check "pidfile_planted: removed at exit" [ ! -e "$pf" ]
	fwd_start --pidfile "$PUB/y.pid" veth_in_intf veth_out_intf || { fail pidfile_planted "did not attach"; return; }
	check "pidfile_planted: a user's PATH.tmp is not used" eval '[ "$(stat -c %u "$PUB/y.pid")" = 0 ] && [ "$(stat -c %u:%s "$PUB/y.pid.tmp")" = $NOBODY:2 ]'
	# A later instance wrote its own file there: ours is gone, theirs stays.
	echo 4242 >"$PUB/y.pid.new" && mv "$PUB/y.pid.new" "$PUB/y.pid"
	fwd_stop TERM
	check "pidfile_planted: another's pid file is not removed at exit" [ "$(cat "$PUB/y.pid")" = 4242 ]
	as_nobody ln -s "$victim" "$PUB/z.pid" || { fail pidfile_planted "the user could not plant z.pid"; return; }
	run_net0 "$BIN" --pidfile "$PUB/z.pid" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "pidfile_planted: a link as PATH is refused with exit 1" [ $? = 1 ]
	check "pidfile_planted: in one line" eval '[ "$(grep -c "z.pid: not a regular file" "$TMP/err")" = 1 ]'
	check "pidfile_planted: the link and its target untouched" eval '[ -L "$PUB/z.pid" ] && [ "$(cat "$victim")" = precious ]'
	mknod "$PUB/dev" c 1 3
	run_net0 "$BIN" --pidfile "$PUB/dev" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "pidfile_planted: a device node is refused, left a device" eval '[ -c "$PUB/dev" ] && grep -q "dev: not a regular file" "$TMP/err"'
	check "pidfile_planted: nothing left after the refusals" nothing_left
	sysctl -qw fs.protected_symlinks="$SYMLINKS_WAS"
	topo_down
}

# An older version made the directory 0755 and the file 0644: a user who
# opened the file then holds a shared flock on it still.
user_flock() { # FILE
	chmod 0755 "$LOCK_DIR" && chmod 0644 "$1"
	as_nobody flock -s "$1" sleep 60 &
	USER_PIDS="$USER_PIDS $!"
	sleep 0.3
	chmod 0700 "$LOCK_DIR"
}

# Whether someone holds a lock on FILE (an exclusive one is refused).
as_nobody_holds() { ! flock -x -n "$1" true; }

t_lock_files() {
	local f
	topo_seed || { fail lock_files topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail lock_files "did not attach"; return; }
	check "lock_files: the directory is root's, 0700" [ "$(stat -c %u:%a "$LOCK_DIR")" = 0:700 ]
	check "lock_files: the files 0600" eval '[ "$(lock_files | xargs stat -c %a | sort -u)" = 600 ]'
	f=$(lock_files | grep veth_in_intf)
	as_nobody flock -s -n "$f" true 2>/dev/null
	check "lock_files: a user cannot open one to lock it" [ $? != 0 ]
	fwd_kill
	user_flock "$f"
	check "lock_files: (the user holds a shared lock)" as_nobody_holds "$f"
	run_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err"
	check "lock_files: a user's flock does not block --detach" [ $? = 0 ]
	check "lock_files: which removed everything" nothing_left
	fwd_start veth_in_intf veth_out_intf || { fail lock_files "did not attach"; return; }
	fwd_kill
	f=$(lock_files | grep veth_in_intf)
	user_flock "$f"
	fwd_start veth_in_intf veth_out_intf
	check "lock_files: a user's flock does not block a restart" grep -q "veth_in_intf: attached xdp_redirect_map" "$TMP/err"
	check "lock_files: the restart's files are 0600 again" eval '[ "$(lock_files | xargs stat -c %a | sort -u)" = 600 ]'
	fwd_stop TERM
	check "lock_files: clean stop" [ "$FWD_STATUS" = 0 ]
	check "lock_files: nothing left, no file left" eval 'nothing_left && [ -z "$(lock_files)" ]'
	topo_down
}

# The lock directory as others could have made it, in a mount namespace
# of the test's own: /run there is a tmpfs with the namespaces bound in.
# The forwarder runs a second, then is stopped by its pid if still running;
# the directory's mode then goes to $TMP/own/mode.
in_own_run() { # SETUP-COMMANDS -> prints the forwarder's exit status
	rm -f "$TMP/own/mode"
	unshare -m --propagation private sh -c '
		mkdir -p "$0/netns" && mount --rbind /run/netns "$0/netns" &&
		mount -t tmpfs none /run && mkdir /run/netns &&
		mount --rbind "$0/netns" /run/netns && eval "$1" || exit
		ip netns exec "$2" "$3" veth_in_intf veth_out_intf >/dev/null 2>"$0/err" &
		p=$!
		sleep 1
		stat -c %a /run/xdp_redirect_map >"$0/mode"
		kill -INT $p 2>/dev/null
		wait $p
		echo $?' "$TMP/own" "$1" "$NS_NET0" "$BIN"
}

t_lock_dir() {
	topo_seed || { fail lock_dir topology; return; }
	check "lock_dir: a symlink is refused, exit 1" \
		[ "$(in_own_run "mkdir /run/elsewhere && ln -s /run/elsewhere $LOCK_DIR")" = 1 ]
	check "lock_dir: with one line why" eval '[ "$(wc -l <"$TMP/own/err")" = 1 ] && grep -q "symlink" "$TMP/own/err"'
	check "lock_dir: writable by others is refused" \
		[ "$(in_own_run "mkdir -m 1777 $LOCK_DIR")" = 1 ]
	check "lock_dir: with one line why" eval '[ "$(wc -l <"$TMP/own/err")" = 1 ] && grep -q "writable by other users" "$TMP/own/err"'
	check "lock_dir: another user's is refused" \
		[ "$(in_own_run "mkdir -m 0700 $LOCK_DIR && chown $NOBODY $LOCK_DIR")" = 1 ]
	check "lock_dir: with one line why" grep -q "owned by another user" "$TMP/own/err"
	check "lock_dir: an older version's 0755 is taken, the run stops cleanly" \
		[ "$(in_own_run "mkdir -m 0755 $LOCK_DIR")" = 0 ]
	check "lock_dir: now 0700" [ "$(cat "$TMP/own/mode" 2>/dev/null)" = 700 ]
	check "lock_dir: nothing left after the refusals" nothing_left
	topo_down
}

# Non-root with every capability the run needs: no lock directory it may
# use, so no single-instance guarantee, so no run.
t_nonroot_second() {
	local caps=+net_admin,+bpf,+sys_admin,+perfmon
	topo_seed || { fail nonroot_second topology; return; }
	fwd_start veth_in_intf veth_out_intf || { fail nonroot_second "did not attach"; return; }
	run_net0 setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups --inh-caps=$caps \
		--ambient-caps=$caps "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "nonroot_second: refused with exit 1" [ $? = 1 ]
	check "nonroot_second: in one line naming the lock directory" \
		eval '[ "$(wc -l <"$TMP/err2")" = 1 ] && grep -q "^xdp_redirect_map: $LOCK_DIR: .*refused" "$TMP/err2"'
	check "nonroot_second: the first keeps its programs" [ "$(send_and_count 10)" = 10 ]
	fwd_stop TERM
	check "nonroot_second: the first stops cleanly" eval '[ "$FWD_STATUS" = 0 ] && nothing_left'
	topo_down
}

MAC_IN=
send_and_count() { # COUNT -> frames that reached out_intf swapped
	recv_start "$NS_ROOT" out_intf 800 "$TMP/recv"
	in_root "$PKTIO" send in_intf "$1" 64 ee:11:ee:11:ee:11 >/dev/null
	recv_wait
	MAC_IN=$(in_root "$PKTIO" mac in_intf)
	grep -c "^$MAC_IN ee:11:ee:11:ee:11 .* OK$" "$TMP/recv"
}

# SIGKILL at each system call of start-up from the first record of
# intent to IN attached, each followed by --detach: nothing may stay.
t_kill_each_syscall() {
	local lines first last k name n st bad= alive=
	if ! command -v strace >/dev/null; then fail kill_each_syscall "strace not installed"; return; fi
	topo_seed || { fail kill_each_syscall topology; return; }
	timeout -s INT 2 ip netns exec "$NS_NET0" strace -s 100 -o "$TMP/trace" "$BIN" -q \
		veth_in_intf veth_out_intf >/dev/null 2>&1
	first=$(grep -n -m1 "^pwrite64(" "$TMP/trace" | cut -d: -f1)
	last=$(grep -n -m1 "attached xdp_redirect_map" "$TMP/trace" | cut -d: -f1)
	check "kill_each_syscall: start-up traced" eval '[ -n "$first" ] && [ -n "$last" ] && nothing_left'
	[ -n "$first" ] && [ -n "$last" ] || { topo_down; return; }
	for k in $(seq "$first" "$last"); do
		name=$(sed -n "${k}s/(.*//p" "$TMP/trace")
		n=$(head -n "$k" "$TMP/trace" | grep -c "^$name(")
		# Redirected as a whole, so that bash does not announce each kill.
		{ timeout -s INT 10 ip netns exec "$NS_NET0" strace -o /dev/null -e trace="$name" \
			-e inject="$name":signal=SIGKILL:when="$n" "$BIN" -q veth_in_intf veth_out_intf \
			>/dev/null; st=$?; } 2>/dev/null
		[ "$st" = 137 ] || alive="$alive $name#$n"
		run_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2" &&
			nothing_left && [ -z "$(lock_files)" ] || bad="$bad $name#$n"
		ip netns exec "$NS_ROOT" ethtool -K out_intf gro off 2>/dev/null
		ip -n "$NS_NET0" link set veth_in_intf xdp off 2>/dev/null
		ip -n "$NS_NET0" link set veth_out_intf xdp off 2>/dev/null
		run_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>&1
	done
	lines=$((last - first + 1))
	check "kill_each_syscall: each run was killed where asked${alive:+ (not at:$alive)}" [ -z "$alive" ]
	check "kill_each_syscall: --detach after a kill at each of $lines calls leaves nothing${bad:+ (not after:$bad)}" [ -z "$bad" ]
	topo_down
}

# A start that fails after taking the locks keeps the killed instance's
# records: --detach then still turns the peer's GRO off.
t_failed_start_keeps_records() {
	topo_seed || { fail failed_start topology; return; }
	head -c 4096 /dev/urandom >"$TMP/bad.o"
	fwd_start veth_in_intf veth_out_intf || { fail failed_start "did not attach"; return; }
	fwd_kill
	run_net0 "$BIN" --obj "$TMP/bad.o" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "failed_start: a bad object exits 1" [ $? = 1 ]
	run_net0 setpriv --bounding-set -sys_admin "$BIN" veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "failed_start: a takeover without CAP_SYS_ADMIN is refused, exit 1" [ $? = 1 ]
	# Besides the ports' lines of the prediction, said before the attach.
	grep -v ": native XDP " "$TMP/err2" >"$TMP/err3"
	check "failed_start: in one line naming CAP_SYS_ADMIN" \
		eval '[ "$(wc -l <"$TMP/err3")" = 1 ] && grep -q "CAP_SYS_ADMIN needed" "$TMP/err3"'
	check "failed_start: without a misleading -F" eval '! grep -q -- "-F replaces it" "$TMP/err2"'
	run_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>"$TMP/err2"
	check "failed_start: --detach afterwards exits 0" [ $? = 0 ]
	check "failed_start: and leaves nothing, GRO off" nothing_left
	topo_down
}

t_perfmon() {
	topo_seed || { fail perfmon topology; return; }
	: >"$TMP/out"; : >"$TMP/err"
	ip netns exec "$NS_NET0" setpriv --bounding-set -perfmon,-sys_admin "$BIN" -e \
		veth_in_intf veth_out_intf >"$TMP/out" 2>"$TMP/err" &
	FWD_PID=$!
	check "perfmon: -e without CAP_PERFMON attaches" wait_for "attached xdp_redirect_map" "$TMP/err" 50
	check "perfmon: one warning naming CAP_PERFMON" [ "$(grep -c CAP_PERFMON "$TMP/err")" = 1 ]
	sleep 1.5
	check "perfmon: the run goes on, lines without bit/s" eval 'grep -qx "[0-9]* pkt/s" "$TMP/out" && ! grep -q bit/s "$TMP/out"'
	fwd_stop INT
	check "perfmon: clean stop" eval '[ "$FWD_STATUS" = 0 ] && ! has_xdp "$NS_NET0" veth_in_intf'
	topo_down
}

t_exit_status() {
	topo_seed || { fail exit_status topology; return; }
	head -c 4096 /dev/urandom >"$TMP/bad.o"
	: >"$TMP/empty.o"
	run_net0 "$BIN" --obj "$TMP/bad.o" veth_in_intf veth_out_intf >/dev/null 2>&1
	check "exit_status: a corrupt object is 1 in a run" [ $? = 1 ]
	run_net0 "$BIN" --check --obj "$TMP/bad.o" >/dev/null 2>&1
	check "exit_status: and under --check" [ $? = 1 ]
	run_net0 "$BIN" --obj "$TMP/empty.o" veth_in_intf veth_out_intf >/dev/null 2>&1
	check "exit_status: an empty object is 1 in a run" [ $? = 1 ]
	run_net0 "$BIN" --check --obj "$TMP/empty.o" >/dev/null 2>&1
	check "exit_status: and under --check" [ $? = 1 ]
	run_net0 "$BIN" -i ' 5' veth_in_intf veth_out_intf >/dev/null 2>&1
	check "exit_status: interval ' 5' is a usage error" [ $? = 2 ]
	run_net0 "$BIN" -i +5 veth_in_intf veth_out_intf >/dev/null 2>&1
	check "exit_status: interval '+5' too" [ $? = 2 ]
	run_net0 "$BIN" veth_in_intf_way_too_long veth_out_intf >/dev/null 2>&1
	check "exit_status: a name over 15 characters is a usage error" [ $? = 2 ]
	check "exit_status: nothing attached" nothing_left
	topo_down
}

t_small() {
	local idx i pid0=0
	topo_seed || { fail small topology; return; }
	as_nobody "$BIN" --check >/dev/null 2>"$TMP/err2"
	check "small: --check unprivileged exits 1" [ $? = 1 ]
	check "small: naming CAP_BPF" grep -q "CAP_BPF needed" "$TMP/err2"
	fwd_start veth_in_intf veth_out_intf || { fail small "did not attach"; return; }
	idx=$(ip -n "$NS_NET0" -o link show veth_in_intf | cut -d: -f1)
	run_net0 "$BIN" --status "$idx" >"$TMP/status" 2>&1
	check "small: --status takes an ifindex" grep -q "^veth_in_intf (ifindex $idx): xdp_redirect_ma" "$TMP/status"
	fwd_stop INT
	# Two instances started together: the loser names the winner's pid.
	for i in 1 2 3 4 5 6; do
		ip netns exec "$NS_NET0" "$BIN" -q veth_in_intf veth_out_intf >/dev/null 2>"$TMP/a" &
		local a=$!
		ip netns exec "$NS_NET0" "$BIN" -q veth_in_intf veth_out_intf >/dev/null 2>"$TMP/b" &
		local b=$!
		sleep 0.5
		kill -INT $a $b 2>/dev/null; wait $a $b
		grep -q "(pid 0)" "$TMP/a" "$TMP/b" && pid0=$((pid0 + 1))
	done
	check "small: a simultaneous start never names pid 0" [ "$pid0" = 0 ]
	check "small: nothing left" nothing_left
	topo_down
}

# Needs loader.c's non-blocking open (issue 14 item 5, the loader's part).
t_fifo_obj() {
	local t0 t1 st
	topo_seed || { fail fifo_obj topology; return; }
	mkfifo "$TMP/fifo.o"
	t0=$(date +%s%N)
	{ timeout -s KILL 5 ip netns exec "$NS_NET0" "$BIN" --obj "$TMP/fifo.o" veth_in_intf \
		veth_out_intf >/dev/null 2>"$TMP/err2"; st=$?; } 2>/dev/null
	t1=$(date +%s%N)
	# Whatever it did, it must not wait on the FIFO for a writer.
	(exec 3<>"$TMP/fifo.o") 2>/dev/null
	check "fifo_obj: a FIFO --obj exits 1" [ "$st" = 1 ]
	check "fifo_obj: within a second" [ $(((t1 - t0) / 1000000)) -lt 1000 ]
	check "fifo_obj: with one line" [ "$(wc -l <"$TMP/err2")" = 1 ]
	check "fifo_obj: nothing left, no lock file" eval 'nothing_left && [ -z "$(lock_files)" ]'
	# What a killed run left in the shared lock directory goes.
	run_net0 "$BIN" --detach veth_in_intf veth_out_intf >/dev/null 2>&1
	topo_down
}

# TESTS="t_lock_files" runs a few.
for t in ${TESTS:-t_pidfile_planted t_lock_files t_lock_dir t_nonroot_second t_kill_each_syscall \
	 t_failed_start_keeps_records t_perfmon t_exit_status t_small t_fifo_obj}; do
	$t
done
summary security
[ "$failed" = 0 ]
