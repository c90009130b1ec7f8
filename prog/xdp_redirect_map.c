/* xdp_redirect_map.c - the data path: every frame that arrives on IN is
 * counted, has its Ethernet source and destination swapped, and leaves
 * through the one slot of tx_port; xdp_dummy passes frames on OUT to the
 * stack. Only uapi headers: the helpers are declared here by number. */
#include <linux/bpf.h>
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))

/* The legacy map definition read from the "maps" section (elfload.c). */
struct bpf_map_def {
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
};

static void *(*bpf_map_lookup_elem)(void *map, const void *key) =
	(void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_redirect_map)(void *map, __u32 key, __u64 flags) =
	(void *)BPF_FUNC_redirect_map;

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

/* Swap bytes 0-5 with 6-11 in four loads and four stores. Frames start 2
 * bytes past a 4-byte boundary (NET_IP_ALIGN), and strict-alignment
 * kernels (MIPS, ARMv5) refuse a 32-bit access at offset 0, so the words
 * are taken at 2 and 6 and the halves at 0 and 10. Which half of a word
 * lands where depends on the byte order the object was built for. */
static __attribute__((always_inline)) void swap_macs(void *data)
{
	__u16 *h = data;
	__u32 *w = (__u32 *)((char *)data + 2);
	__u32 d0 = h[0], d1 = w[0];	/* dst bytes 0-1, 2-5 */
	__u32 s0 = w[1], s1 = h[5];	/* src bytes 6-9, 10-11 */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	h[0] = (__u16)s0;
	w[0] = s0 >> 16 | s1 << 16;
	w[1] = d0 | d1 << 16;
	h[5] = (__u16)(d1 >> 16);
#else
	h[0] = (__u16)(s0 >> 16);
	w[0] = s0 << 16 | s1;
	w[1] = d0 << 16 | d1 >> 16;
	h[5] = (__u16)d1;
#endif
}

SEC("xdp")
int xdp_redirect_map(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	__u64 *frames;

	/* A whole Ethernet header, as the BCC example requires. */
	if (data + 14 > data_end)
		return XDP_DROP;
	/* Swapped before the count: data is then dead across the lookup,
	 * which needs no callee-saved register (no push and pop in the
	 * JIT's prologue and epilogue). */
	swap_macs(data);
	frames = bpf_map_lookup_elem(&rxcnt, &key);
	if (frames)
		*frames += 1;
	/* The low bits of flags are the action when the slot is empty (5.3+):
	 * with OUT gone, frames go to IN's own stack instead of being lost. */
	return bpf_redirect_map(&tx_port, 0, XDP_PASS);
}

SEC("xdp")
int xdp_dummy(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
