/* map_in_map.c - an array of maps with its initial value: refused. */
#include "../bpf_defs.h"

#define __array(name, val) typeof(val) *name[]

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = { .values = { &inner } };

SEC("xdp")
int xdp_outer(struct xdp_md *ctx)
{
	__u32 key = 0;

	(void)ctx;
	return bpf_map_lookup_elem(&outer, &key) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
