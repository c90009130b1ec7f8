#!/bin/bash
# interrupt.sh - stages stopped as `timeout -s TERM 60 make demo` stops
# them, and stopped again while they clean up: SIGTERM to the whole
# process group, then a second one 0.3 s later, at a few points of a run.
# Each must exit by the signal and leave nothing of its run behind: no
# namespace, no process (its cgroup gone), and its own last check passed.
# Run as root from the repository (make test).
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib.sh"

# Runs COMMAND as RUN_ID=$RUN_ID-ID in a process group of its own, signals
# the group after DELAY seconds and again 0.3 s later, and checks what is
# left once it has gone (30 s at most).
t_interrupt() { # ID DELAY COMMAND...
	local name=$1 id=$RUN_ID-$1 delay=$2 pid
	shift 2
	RUN_ID=$id setsid "$@" >"$TMP/$name.out" 2>&1 &
	pid=$!
	sleep "$delay"
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
	check "$name: no process of its run (its cgroup is gone)" \
		eval '[ -z "$CG" ] || [ ! -d "$CG/$id" ]'
}

[ -n "$CG" ] || skip "interrupt: processes" "no writable cgroup2 mount: only the pids the test knows are killed"
t_interrupt demo-1s 1 make -s -C "$TOP" demo
t_interrupt integration-2s 2 "$TOP/tests/integration.sh"
t_interrupt integration-5s 5 "$TOP/tests/integration.sh"
t_interrupt lifecycle-4s 4 "$TOP/tests/lifecycle.sh"
summary interrupt
[ "$failed" = 0 ]
