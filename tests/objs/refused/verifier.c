/* verifier.c - reads the packet without a bounds check: the kernel
 * refuses it, and --check must say the verifier's reason. */
#include "../bpf_defs.h"

SEC("xdp")
int xdp_unchecked(struct xdp_md *ctx)
{
	return *(int *)(long)ctx->data;
}

char _license[] SEC("license") = "GPL";
