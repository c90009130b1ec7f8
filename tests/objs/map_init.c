/* map_init.c - initial values as libbpf gives them: a map of maps whose
 * slot 0 holds another map of the object, and a prog array whose slots
 * hold two of its programs (relocations in .maps). */
#include "bpf_defs.h"

#define __array(name, val) typeof(val) *name[]

static long (*bpf_tail_call)(void *ctx, void *map, __u32 index) = (void *)BPF_FUNC_tail_call;

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = { .values = { &inner } };

SEC("xdp")
int xdp_drop_it(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_DROP;
}

SEC("xdp")
int xdp_pass_it(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jumps SEC(".maps") = { .values = { [1] = (void *)&xdp_drop_it, [3] = (void *)&xdp_pass_it } };

SEC("xdp")
int xdp_outer(struct xdp_md *ctx)
{
	__u32 key = 0;

	bpf_tail_call(ctx, &jumps, 1);
	return bpf_map_lookup_elem(&outer, &key) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
