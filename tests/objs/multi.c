/* multi.c - not the contract: what --check must list. Three XDP programs
 * in one section, one for devmap egress, a callback passed to bpf_loop
 * (an ld_imm64 of a function's address), strings in .rodata.str1.1, and
 * a tc program, which is skipped. */
#include "bpf_defs.h"

static long (*bpf_loop)(__u32 nr_loops, void *callback_fn, void *ctx, __u64 flags) =
	(void *)BPF_FUNC_loop;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) =
	(void *)BPF_FUNC_trace_printk;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} counts SEC(".maps");

static int add_one(__u32 i, void *ctx)
{
	__u64 *sum = ctx;

	*sum += i;
	return 0;
}

static __always_inline int count(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&counts, &slot);

	if (n)
		*n += 1;
	return XDP_PASS;
}

SEC("xdp")
int xdp_first(struct xdp_md *ctx)
{
	(void)ctx;
	return count(0);
}

SEC("xdp")
int xdp_second(struct xdp_md *ctx)
{
	__u64 sum = 0;

	(void)ctx;
	bpf_loop(4, add_one, &sum, 0);
	return sum == 6 ? count(1) : XDP_ABORTED;
}

SEC("xdp")
int xdp_third(struct xdp_md *ctx)
{
	static const char msg[] = "third %d\n";

	bpf_trace_printk(msg, sizeof(msg), ctx->ingress_ifindex);
	return count(2);
}

SEC("xdp/devmap")
int xdp_egress(struct xdp_md *ctx)
{
	(void)ctx;
	return count(3);
}

SEC("tc")
int tc_pass(struct __sk_buff *skb)
{
	(void)skb;
	return 0;
}

char _license[] SEC("license") = "GPL";
