#!/bin/bash
# interrupt.sh - stages stopped as `timeout -s TERM 60 make demo` stops
# them, and stopped again while they clean up: SIGTERM to the whole
# process group, then a second one 0.3 s later, at a few points of a run.
# Each must exit by the signal and leave nothing of its run behind: no
# namespace, no process (its cgroup gone, and whatever ran in its
# namespaces when it was signalled gone, start-stop-daemon's daemon
# included), and its own last check passed.
# Run as root from the repository (make test).
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

# Whether a forwarder runs in namespace NS.
fwd_in() { # NS
	local p
	for p in $(ip netns pids "$1" 2>/dev/null); do
		[ "$(readlink "/proc/$p/exe")" = "$BIN" ] && return 0
	done
	return 1
}

# Whether none of PIDS runs any more: gone, or a zombie (dead, waiting
# for a parent that may be a slow init to reap it).
all_gone() { # PIDS...
	local p state
	for p in "$@"; do
		state=$(sed -n 's/^[0-9]* (.*) \([A-Z]\) .*/\1/p' "/proc/$p/stat" 2>/dev/null)
		[ -z "$state" ] || [ "$state" = Z ] || { echo "     still running: $p"; return 1; }
	done
	return 0
}

# Runs COMMAND as RUN_ID=$RUN_ID-NAME in a process group of its own,
# signals the group WHEN (after so many seconds, once its first namespace
# exists (ns), or once a forwarder runs in its net0, whoever started it)
# and again 0.3 s later, and checks what is left once it has gone (30 s at
# most).
t_interrupt() { # NAME WHEN COMMAND...
	local name=$1 id=$RUN_ID-$1 when=$2 pid procs ns
	shift 2
	RUN_ID=$id setsid "$@" >"$TMP/$name.out" 2>&1 &
	pid=$!
	if [ "$when" = fwd ]; then
		for _ in $(seq 300); do fwd_in "$id-net0" && break; sleep 0.1; done
		check "$name: a forwarder ran before the signal" fwd_in "$id-net0"
	elif [ "$when" = ns ]; then
		# Not a fixed delay: make demo first checks its packages, which a
		# loaded machine may not finish within a second.
		for _ in $(seq 300); do ip netns list | grep -q "^$id-" && break; sleep 0.1; done
		check "$name: its topology was up before the signal" eval 'ip netns list | grep -q "^$id-"'
		sleep 0.5
	else
		sleep "$when"
	fi
	# Whatever runs in its namespaces now, in its process group or not.
	for ns in $(ip netns list | awk '{print $1}' | grep "^$id-"); do
		procs="$procs $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"
	done
	kill -TERM -- "-$pid"
	sleep 0.3
	kill -TERM -- "-$pid" 2>/dev/null
	pid_wait "$pid" 300
	# make dies at once; the script it ran may still be cleaning up.
	for _ in $(seq 100); do
		{ [ -n "$CG" ] && [ -d "$CG/$id" ]; } || break
		sleep 0.1
	done
	check "$name: stops on the signal within 30 s (exit $PID_STATUS)" [ "$PID_STATUS" = 143 ]
	check "$name: its own last check finds nothing left" grep -q "^ok   cleanup: nothing left behind" "$TMP/$name.out"
	check "$name: no namespace of its run" eval '! ip netns list | grep -q "^$id-"'
	# shellcheck disable=SC2086
	check "$name: every process that ran in its namespaces is gone" all_gone $procs
	check "$name: no process of its run (its cgroup is gone)" \
		eval '[ -z "$CG" ] || [ ! -d "$CG/$id" ]'
}

[ -n "$CG" ] || skip "interrupt: processes" "no writable cgroup2 mount: only the pids the test knows are killed"
t_interrupt demo ns make -s -C "$TOP" demo
t_interrupt integration-2s 2 "$TOP/tests/integration.sh"
t_interrupt integration-5s 5 "$TOP/tests/integration.sh"
t_interrupt lifecycle-4s 4 "$TOP/tests/lifecycle.sh"
# start-stop-daemon's forwarder: in a session of its own, no signal to
# the group reaches it.
t_interrupt ops-sysvinit fwd env TESTS=t_sysvinit_sh "$TOP/tests/ops.sh"
summary interrupt
[ "$failed" = 0 ]
