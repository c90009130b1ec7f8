/* maps_of_maps.c - maps of maps as libbpf takes them: the maps the slots
 * hold described by __array(values, struct {...}), no initial values
 * (user space fills the slots, as Katran does), and a prog array whose
 * values are programs. */
#include "bpf_defs.h"

#define __array(name, val) typeof(val) *name[]

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_LRU_HASH);
		__type(key, __u32);
		__type(value, __u64);
		__uint(max_entries, 128);
	});
} per_cpu_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps");

static long (*bpf_tail_call)(void *ctx, void *map, __u32 index) = (void *)BPF_FUNC_tail_call;

SEC("xdp")
int xdp_lru(struct xdp_md *ctx)
{
	__u32 key = 0;
	void *lru = bpf_map_lookup_elem(&per_cpu_lru, &key);
	__u64 *seen;

	if (!lru)
		return XDP_PASS;
	seen = bpf_map_lookup_elem(lru, &key);
	if (seen)
		(*seen)++;
	bpf_tail_call(ctx, &jumps, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
