/* btf_maps.c - the forwarder's contract written as people write it today:
 * BTF-defined maps, a .rodata switch, counters in .data and .bss, a static
 * and a global subprogram, and two programs in one section. */
#include "bpf_defs.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} rxcnt SEC(".maps");

/* Set before load by a loader that rewrites .rodata; 1 as built. */
volatile const __u32 swap_enabled = 1;
__u64 frames_seen = 7;		/* .data: starts from its initial value */
__u64 short_frames;		/* .bss */
static volatile __u32 last_len;	/* a static variable in .bss */

static __noinline void swap_macs(unsigned char *p)
{
	unsigned char t;
	int i;

	for (i = 0; i < 6; i++) {
		t = p[i];
		p[i] = p[i + 6];
		p[i + 6] = t;
	}
}

/* Global: verified on its own when the kernel has the object's BTF. */
__noinline int count_frame(__u32 len)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&rxcnt, &key);

	last_len = len;
	frames_seen++;
	if (n)
		*n += 1;
	return 0;
}

SEC("xdp")
int xdp_redirect_map(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 14 > data_end) {
		short_frames++;
		return XDP_DROP;
	}
	count_frame((__u32)(data_end - data));
	if (swap_enabled)
		swap_macs(data);
	return bpf_redirect_map(&tx_port, 0, XDP_PASS);
}

SEC("xdp")
int xdp_dummy(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
