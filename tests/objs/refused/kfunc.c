/* kfunc.c - calls a kernel function through BTF (an extern in .ksyms):
 * refused, by name. */
#include "../bpf_defs.h"

extern int bpf_kfunc_call_test1(int a) __attribute__((section(".ksyms")));

SEC("xdp")
int xdp_kfunc(struct xdp_md *ctx)
{
	return bpf_kfunc_call_test1((int)ctx->ingress_ifindex) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
