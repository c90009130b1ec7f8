/* libbpf_conv.c - what objects written for libbpf rely on, each of which
 * changes what the kernel is asked for (doc/loader.md): a perf event
 * array without max_entries (one per possible CPU), a ring buffer whose
 * size is no power-of-2 multiple of the page (rounded up), map_extra and
 * numa_node, a "version"
 * section, a program in "?xdp" (loaded only on request), one in
 * "xdp.frags" (BPF_F_XDP_HAS_FRAGS), and a hidden global subprogram,
 * which the verifier must see as static: it reads the packet its caller
 * checked, which a global function, checked on its own, may not. */
#include "bpf_defs.h"

static long (*bpf_perf_event_output)(void *ctx, void *map, __u64 flags, void *data,
				     __u64 size) = (void *)BPF_FUNC_perf_event_output;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_output;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
} ring SEC(".maps");

/* Passed through as libbpf passes them: a bloom filter's hash count,
 * and a NUMA node, read with BPF_F_NUMA_NODE. */
struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 64);
	__uint(map_extra, 3);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
} near SEC(".maps");

__attribute__((visibility("hidden"))) __noinline int first_byte(unsigned char *p)
{
	return p[0];
}

SEC("xdp")
int xdp_perf(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	__u32 len;

	if (data + 1 > (unsigned char *)(long)ctx->data_end)
		return XDP_PASS;
	len = (__u32)first_byte(data);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &len, sizeof(len));
	return XDP_PASS;
}

SEC("xdp.frags")
int xdp_ring(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	bpf_ringbuf_output(&ring, &len, sizeof(len), 0);
	return XDP_PASS;
}

/* Would be refused if loaded: only on request, as libbpf does. */
SEC("?xdp")
int xdp_optional(struct xdp_md *ctx)
{
	return *(int *)(long)ctx->data;
}

__u32 _version SEC("version") = 0x060100;
char _license[] SEC("license") = "GPL";
