/* legacy.c - the contract in the older style: maps as struct bpf_map_def
 * in "maps", a named data section, a config in .rodata, and the MAC swap
 * in a static subprogram that a global one calls. */
#include "bpf_defs.h"

struct bpf_map_def SEC("maps") tx_port = {
	.type = BPF_MAP_TYPE_DEVMAP,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 1,
};

struct bpf_map_def SEC("maps") rxcnt = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

/* Bytes of the header to check before touching it: 14, from .rodata. */
static const volatile __u32 eth_hlen = 14;
__u64 redirected SEC(".data.stats");
__u64 dropped SEC(".data.stats");

static __noinline void swap16(__u16 *a, __u16 *b)
{
	__u16 t = *a;

	*a = *b;
	*b = t;
}

__noinline int swap_macs(struct xdp_md *ctx)
{
	__u16 *h = (void *)(long)ctx->data;

	if ((void *)(h + 6) > (void *)(long)ctx->data_end)
		return -1;
	swap16(&h[0], &h[3]);
	swap16(&h[1], &h[4]);
	swap16(&h[2], &h[5]);
	return 0;
}

SEC("xdp")
int xdp_redirect_map(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *n;

	if ((void *)(long)ctx->data + eth_hlen > (void *)(long)ctx->data_end) {
		dropped++;
		return XDP_DROP;
	}
	n = bpf_map_lookup_elem(&rxcnt, &key);
	if (n)
		*n += 1;
	if (swap_macs(ctx))
		return XDP_DROP;
	redirected++;
	return bpf_redirect_map(&tx_port, 0, XDP_PASS);
}

SEC("xdp")
int xdp_dummy(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
