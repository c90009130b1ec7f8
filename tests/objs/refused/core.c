/* core.c - a CO-RE field access (preserve_access_index): refused. */
#include "../bpf_defs.h"

struct xdp_md___mine {
	__u32 data;
	__u32 data_end;
} __attribute__((preserve_access_index));

SEC("xdp")
int xdp_core(struct xdp_md___mine *ctx)
{
	return ctx->data_end > ctx->data ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
