# tests/bench/report.sh - sourced by run.sh: medians of the samples in S,
# as JSON and as a Markdown table.

# Median of sample $1, or "null" when there is none.
median() {
	[ -n "${S[$1]:-}" ] || { echo null; return; }
	printf '%s\n' ${S[$1]} | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (!NR) print "null"
			else if (NR % 2) print v[(NR + 1) / 2]
			else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# Median of sample $1 with $2 decimals, "-" when there is none.
med() {
	awk -v v="$(median $1)" -v d=$2 'BEGIN { if (v == "null") print "-"; else printf("%." d "f\n", v) }'
}

sum() {
	printf '%s\n' ${S[$1]:-} | awk '{ s += $1 } END { print s + 0 }'
}

count() {
	printf '%s\n' ${S[$1]:-} | awk 'NF { n++ } END { print n + 0 }'
}

machine_cpu() {
	sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1
}

# yes/no for "$1 $2 $3" compared by awk.
holds() {
	awk -v a="$1" -v b="$3" "BEGIN { print (a != \"null\" && a $2 b) ? \"yes\" : \"no\" }"
}

report_json() {
	printf '{\n  "machine": {"cpu": "%s", "cpus": %s, "kernel": "%s", ' \
		"$(machine_cpu)" "$(nproc)" "$(uname -r)"
	printf '"load_average_start": %s, "load_average_end": %s},\n' "$LOAD_START" "$LOAD_END"
	printf '  "config": {"rounds": %s, "live_frames_per_run": %s, "batch": %s, ' \
		"$ROUNDS" "$FRAMES" "$BATCH"
	printf '"alone_repeat": %s, "blast_seconds": %s, "frame_sizes": [%s], ' \
		"$REPEAT" "$BLAST_S" "$(echo $SIZES | tr ' ' ',')"
	printf '"extras": []},\n'
	printf '  "program": {"xdp_redirect_map": {"xlated_insns": %s, "jited_bytes": %s}, ' \
		"$(kv xlated_insns ${S[prog_fwd]})" "$(kv jited_bytes ${S[prog_fwd]})"
	printf '"xdp_redirect_map_bytes": {"xlated_insns": %s, "jited_bytes": %s}, ' \
		"$(kv xlated_insns ${S[prog_fwd_bytes]})" "$(kv jited_bytes ${S[prog_fwd_bytes]})"
	printf '"floor": {"xlated_insns": %s, "jited_bytes": %s}},\n' \
		"$(kv xlated_insns ${S[prog_floor]})" "$(kv jited_bytes ${S[prog_floor]})"
	printf '  "stripped_bytes": %s,\n' "$SIZE_BYTES"
	printf '  "refused": {%s},\n' "$(json_refused)"
	printf '  "count_exact_rounds": %s,\n' "$(sum count_exact)"
	printf '  "targets": {"floor_ratio_0.98": "%s", "check_cpu_under_1ms": "%s", ' \
		"$(holds "$(median live1_ratio)" ">=" 0.98)" "$(holds "$(median check_cpu_ms)" "<" 1)"
	printf '"rss_under_512kib": "%s", "stripped_at_most_128kib": "%s"},\n' \
		"$(holds "$(median rss_kib)" "<" 512)" "$(holds "$SIZE_BYTES" "<=" 131072)"
	printf '  "median": {%s},\n' "$(json_samples json_median)"
	printf '  "samples": {%s}\n}\n' "$(json_samples json_list)"
}

json_median() {
	median $1
}

json_list() {
	echo "[$(echo ${S[$1]} | tr ' ' ',')]"
}

# "name": value for each sample, value by the function $1.
json_samples() {
	local k sep=

	for k in $(printf '%s\n' "${!S[@]}" | grep -v '^prog_' | sort); do
		printf '%s"%s": %s' "$sep" "$k" "$($1 $k)"
		sep=', '
	done
}

# The median of a real-frame sample, or "refused" (why: under the table).
real_cell() {
	if [ -n "${REFUSED[$1]:-}" ] && [ -z "${S[$1]:-}" ]; then
		echo refused
	else
		med $1 3
	fi
}

report_refused() {
	local k

	for k in $(printf '%s\n' "${!REFUSED[@]}" | sort); do
		printf 'Refused (%s): the kernel said "%s".\n' "$k" "${REFUSED[$k]}"
	done
}

report_real_rows() {
	local size

	for size in $SIZES; do
		printf '| Real %s-byte frames, native XDP, Mpps | %s | floor %s | %s |\n' $size \
			"$(real_cell real${size}_native)" "$(real_cell real${size}_floor)" \
			"$(med real${size}_native_floor 3)"
		printf '| Real %s-byte frames, native XDP, Mpps | %s | bridge %s | %s |\n' $size \
			"$(real_cell real${size}_native)" "$(real_cell real${size}_bridge)" \
			"$(med real${size}_native_bridge 3)"
		printf '| Real %s-byte frames, generic XDP (-S), Mpps | %s | bridge %s | %s |\n' $size \
			"$(real_cell real${size}_generic)" "$(real_cell real${size}_bridge)" \
			"$(med real${size}_generic_bridge 3)"
		printf '| Real %s-byte frames, native, -X (egress program), Mpps | %s | floor %s | %s |\n' \
			$size "$(real_cell real${size}_egress)" "$(real_cell real${size}_floor)" \
			"$(med real${size}_egress_floor 3)"
		printf '| Real %s-byte frames, native, -b (program of -b and pairs), Mpps | %s | floor %s | %s |\n' \
			$size "$(real_cell real${size}_pairs)" "$(real_cell real${size}_floor)" \
			"$(med real${size}_pairs_floor 3)"
	done
}

json_refused() {
	local k sep=

	for k in $(printf '%s\n' "${!REFUSED[@]}" | sort); do
		printf '%s"%s": "%s"' "$sep" "$k" "$(echo "${REFUSED[$k]}" | tr -d '"\\')"
		sep=', '
	done
}

report_md() {
	printf 'Machine: %s, %s CPUs, Linux %s; load average %s at start, %s at end.\n' \
		"$(machine_cpu)" "$(nproc)" "$(uname -r)" "$LOAD_START" "$LOAD_END"
	printf '%s rounds; medians; rates are frames per CPU second of the CPU doing the work.\n' \
		"$ROUNDS"
	printf 'Default mode: frames counted, not bytes; no egress program, no tracepoint counters '
	printf '(no extras on). The --json rows: bytes counted and the tracepoint counters on.\n\n'
	printf '| Measure | xdp_redirect_map | Reference | Ratio |\n|---|---:|---:|---:|\n'
	printf '| Live frames, 1 CPU, Mpps | %s | floor %s | %s |\n' \
		"$(med live1_fwd 2)" "$(med live1_floor 2)" "$(med live1_ratio 3)"
	printf '| Live frames, %s CPUs at once, Mpps | %s | floor %s | %s |\n' "$(nproc)" \
		"$(med live_all_fwd 2)" "$(med live_all_floor 2)" "$(med live_all_ratio 3)"
	printf '| Count exact with %s CPUs at once | %s of %s rounds | | |\n' "$(nproc)" \
		"$(sum count_exact)" "$(count count_exact)"
	printf '| Program alone, ns per frame | %s | floor %s | +%s ns |\n' \
		"$(med alone_fwd 2)" "$(med alone_floor 2)" "$(med alone_extra_ns 2)"
	printf '| Live frames, 1 CPU, --json (bytes, tracepoints), Mpps | %s | floor %s | %s |\n' \
		"$(med live1_fwd_bytes 2)" "$(med live1_floor_bytes 2)" "$(med live1_ratio_bytes 3)"
	printf '| Program alone, --json (bytes), ns per frame | %s | floor %s | +%s ns |\n' \
		"$(med alone_fwd_bytes 2)" "$(med alone_floor_bytes 2)" "$(med alone_extra_ns_bytes 2)"
	report_real_rows
	printf '| Exec to attached, native / generic, ms | %s / %s | | |\n' \
		"$(med attach_native_ms 2)" "$(med attach_generic_ms 2)"
	printf '| `--check` (load only), CPU ms (wall ms) | %s (%s) | `--version` %s | |\n' \
		"$(med check_cpu_ms 3)" "$(med check_wall_ms 3)" "$(med version_cpu_ms 3)"
	printf '| Resident memory while forwarding, KiB | %s | target < 512 | |\n' "$(med rss_kib 0)"
	printf '| Stripped size, bytes | %s | target <= 131072 | |\n' "$SIZE_BYTES"
	printf '| Program: translated insns / JITed bytes | %s / %s | floor %s / %s | |\n' \
		"$(kv xlated_insns ${S[prog_fwd]})" "$(kv jited_bytes ${S[prog_fwd]})" \
		"$(kv xlated_insns ${S[prog_floor]})" "$(kv jited_bytes ${S[prog_floor]})"
	printf '| Program with bytes counted (-e, --json): translated insns / JITed bytes | %s / %s | | |\n' \
		"$(kv xlated_insns ${S[prog_fwd_bytes]})" "$(kv jited_bytes ${S[prog_fwd_bytes]})"
	printf '\n'
	report_refused
	printf 'Targets: 0.98 of the floor: %s; --check under 1 ms CPU: %s; ' \
		"$(holds "$(median live1_ratio)" ">=" 0.98)" "$(holds "$(median check_cpu_ms)" "<" 1)"
	printf 'RSS under 512 KiB: %s; at most 128 KiB stripped: %s.\n' \
		"$(holds "$(median rss_kib)" "<" 512)" "$(holds "$SIZE_BYTES" "<=" 131072)"
}
