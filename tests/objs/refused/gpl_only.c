/* gpl_only.c - a GPL-only helper under a license that is not: the
 * kernel refuses it, and the message must say which helper and what to
 * change. */
#include "../bpf_defs.h"

static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags, void *data,
				     __u64 size) = (void *)BPF_FUNC_perf_event_output;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("xdp")
int xdp_events(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &len, sizeof(len));
	return XDP_PASS;
}

char _license[] SEC("license") = "Proprietary";
