/* wrong_types.c - names of the contract with the wrong types: the error
 * must say which and what the contract wants. */
#include "bpf_defs.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} rxcnt SEC(".maps");

SEC("xdp")
int xdp_redirect_map(struct xdp_md *ctx)
{
	__u32 key = 0;

	(void)ctx;
	return bpf_map_lookup_elem(&tx_port, &key) && bpf_map_lookup_elem(&rxcnt, &key) ?
	       XDP_PASS : XDP_DROP;
}

SEC("xdp/devmap")
int xdp_dummy(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
