#!/bin/bash
# mutate.sh - make mutate: plants each mutant of tests/mutants in a copy
# of the tree (never this one), runs the stages that should catch it,
# cheapest first, until one fails (the mutant is killed), and prints the
# kill rate and every survivor. A survivor is a missing test, unless the
# list says why the mutant is equivalent. A mutant whose text no longer
# occurs once in its file, or that does not build, is a FAIL to fix.
#
#   tests/mutate.sh                 every mutant (as root, like make test)
#   MUTATE_SAMPLE=N tests/mutate.sh N of those the unit stage should kill,
#                                   spread evenly over the list (CI)
#   MUTANTS='nl-seq elf-range' tests/mutate.sh   those by id
#
# Ends with "mutate: N passed, M failed" (passed: killed or equivalent).
TOP=$(cd "$(dirname "$0")/.." && pwd)
LIST=$TOP/tests/mutants
STAGE_SECONDS=400	# a stage hung by a mutant is killed: that counts as a kill
WORK=$(mktemp -d /tmp/xrm-mutate.XXXXXX)
TREE=$WORK/tree ORIG=$WORK/orig
killed=0 survived=0 equivalent=0 broken=0 total=0

cleanup() {
	trap '' INT TERM HUP
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'trap "" INT TERM HUP; exit 143' INT TERM HUP

# The copy: the tree as it is, build outputs included so that a mutant
# rebuilds only what it touches; ORIG keeps each file as it was.
copy_tree() {
	mkdir -p "$TREE" "$ORIG"
	tar -C "$TOP" --exclude=./.git -cf - . | tar -C "$TREE" -xf - || return 1
	tar -C "$TOP" --exclude=./.git --exclude=./build -cf - . | tar -C "$ORIG" -xf -
}

# FILE's text with FROM, which must occur exactly once, replaced by TO;
# \n and \t in either stand for a newline and a tab.
plant() { # FILE FROM TO
	FROM=$2 TO=$3 perl -0777 -i -pe '
		my ($f, $t) = ($ENV{FROM}, $ENV{TO});
		s/\\n/\n/g, s/\\t/\t/g for $f, $t;
		my $n = () = /\Q$f\E/g;
		die "occurs $n times\n" if $n != 1;
		s/\Q$f\E/$t/;' "$TREE/$1"
}

stage_run() { # STAGE
	local cmd
	case $1 in
	unit)		cmd="make -s test-unit" ;;
	sanitize)	cmd="make -s test-sanitize" ;;
	prog-run)	cmd="make -s test-prog-run" ;;
	strict-align)	cmd="make -s test-strict-align" ;;
	obj)		cmd="make -s test-obj" ;;
	integration|lifecycle|ops|router|security|guard|predict)
			cmd="tests/$1.sh" ;;
	*)		echo "unknown stage $1"; return 2 ;;
	esac
	# timeout signals its whole process group: the stage and all it runs.
	# shellcheck disable=SC2086
	(cd "$TREE" && RUN_ID=$RUN_ID timeout -s TERM -k 10 "$STAGE_SECONDS" $cmd)
}

# What a stage killed by the timeout's KILL (a mutant that blocks the
# forwarder's stop signals, say) had no time to remove: its namespaces and
# its cgroup (tests/lib.sh names both after RUN_ID).
stage_sweep() {
	local ns cg pid
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$RUN_ID-"); do
		ip netns del "$ns"
	done
	while read -r cg; do
		while read -r pid; do kill -KILL "$pid"; done <"$cg/cgroup.procs"
		sleep 0.5
		rmdir "$cg"
	done < <(find /sys/fs/cgroup -maxdepth 4 -type d -name "$RUN_ID" 2>/dev/null)
}

# One mutant: planted, built, its stages run, the file restored.
mutant() { # ID FILE STAGES FROM TO [NOTE]
	local id=$1 file=$2 stages=$3 note=$6 s by='' rc
	total=$((total + 1))
	if ! plant "$file" "$4" "$5" 2>"$WORK/plant.err"; then
		broken=$((broken + 1))
		echo "FAIL $id: $file: the text to mutate $(cat "$WORK/plant.err"): $4"
		cp "$ORIG/$file" "$TREE/$file"
		return
	fi
	if ! (cd "$TREE" && make -s xdp_redirect_map tests/pktio) >"$WORK/build.log" 2>&1; then
		broken=$((broken + 1))
		echo "FAIL $id: $file: the mutant does not build"
		sed 's/^/     /' "$WORK/build.log" | grep -v lto | head -n 5
	else
		for s in ${stages//,/ }; do
			RUN_ID=xrmmut$$-$total
			stage_run "$s" >"$WORK/stage.log" 2>&1
			rc=$?
			stage_sweep
			if [ "$rc" != 0 ]; then
				by=$s
				break
			fi
		done
		if [ -n "$by" ]; then
			killed=$((killed + 1))
			echo "ok   $id: killed by $by"
		elif [ -n "$note" ]; then
			equivalent=$((equivalent + 1))
			echo "ok   $id: survives, listed as ${note}"
		else
			survived=$((survived + 1))
			echo "FAIL $id: SURVIVED $stages: $file: '$4' -> '$5'"
		fi
	fi
	cp -p "$ORIG/$file" "$TREE/$file"
	touch "$TREE/$file"
}

# The mutants chosen: by id, an even sample of N, or all.
select_mutants() {
	local n
	grep -v '^#' "$LIST" | grep -v '^$' >"$WORK/all"
	n=$(wc -l <"$WORK/all")
	if [ -n "$MUTANTS" ]; then
		for id in $MUTANTS; do grep "^$id	" "$WORK/all"; done
	elif [ -n "$MUTATE_SAMPLE" ]; then
		# From those the unit stage should kill: a minute at most each.
		grep -P '^[^\t]*\t[^\t]*\tunit' "$WORK/all" >"$WORK/cheap"
		n=$(wc -l <"$WORK/cheap")
		awk -v n="$n" -v k="$MUTATE_SAMPLE" 'int((NR - 1) * k / n) != int(NR * k / n)' "$WORK/cheap"
	else
		cat "$WORK/all"
	fi
}

copy_tree || { echo "mutate: 0 passed, 1 failed (cannot copy the tree)"; exit 1; }
(cd "$TREE" && make -s xdp_redirect_map tests/pktio >/dev/null 2>&1)
select_mutants >"$WORK/chosen"
while IFS=$'\t' read -r id file stages from to note; do
	mutant "$id" "$file" "$stages" "$from" "$to" "$note" </dev/null
done <"$WORK/chosen"
scored=$((total - equivalent - broken))
echo "killed $killed of $scored mutants ($((scored ? killed * 100 / scored : 0)) %);" \
	"$equivalent equivalent, $survived survived, $broken to fix"
echo "mutate: $((killed + equivalent)) passed, $((survived + broken)) failed"
[ $((survived + broken)) = 0 ]
