/* xdp_redirect_map.c - the data path: every frame that arrives on IN is
 * counted (frames and bytes), has its Ethernet source and destination
 * swapped, and leaves
 * through the one slot of tx_port; xdp_dummy passes frames on OUT to the
 * stack. With -b or several pairs, xdp_pairs does the same on every IN,
 * through tx_pairs and rxcnt_pairs keyed by the ingress ifindex. With -X,
 * xdp_egress runs in tx_port's entry on the way out and
 * writes OUT's own MAC as the source (and the next hop's as the
 * destination, with --dst-mac) in the entries of either devmap. Only uapi headers: the helpers are
 * declared here by number. */
#include "bpf_defs.h"

static long (*bpf_redirect_map)(void *map, __u32 key, __u64 flags) =
	(void *)BPF_FUNC_redirect_map;

struct bpf_map_def SEC("maps") tx_port = {
	.type = BPF_MAP_TYPE_DEVMAP,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 1,
};

/* rxcnt's value; the forwarder also reads objects (--obj) whose value is
 * frames alone (8 bytes). */
struct rxcnt_value {
	__u64 frames;
	__u64 bytes;		/* from the Ethernet header on, no FCS */
};

struct bpf_map_def SEC("maps") rxcnt = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct rxcnt_value),
	.max_entries = 1,
};

/* Room for a router's ports, 64 of them. */
#define PORTS_MAX 64

/* tx_pairs[IN's ifindex] = its OUT; an IN without an entry passes. */
struct bpf_map_def SEC("maps") tx_pairs = {
	.type = BPF_MAP_TYPE_DEVMAP_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = PORTS_MAX,
};

/* rxcnt_pairs[IN's ifindex]: as rxcnt; the loader makes each entry. */
struct bpf_map_def SEC("maps") rxcnt_pairs = {
	.type = BPF_MAP_TYPE_PERCPU_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct rxcnt_value),
	.max_entries = PORTS_MAX,
};

/* egress_macs[OUT's ifindex]: the header bytes xdp_egress writes, in the
 * order of its aligned accesses (see swap_macs); the loader puts them
 * there byte by byte, so neither side cares about byte order. A zero
 * destination leaves the swap's. */
struct egress_macs {
	__u32 dst_2;		/* frame bytes 2-5: next hop's MAC bytes 2-5 */
	__u32 src_0;		/* frame bytes 6-9: OUT's MAC bytes 0-3 */
	__u16 dst_0;		/* frame bytes 0-1: next hop's MAC bytes 0-1 */
	__u16 src_4;		/* frame bytes 10-11: OUT's MAC bytes 4-5 */
};

struct bpf_map_def SEC("maps") egress_macs = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct egress_macs),
	.max_entries = PORTS_MAX,
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

/* A 16-bit field of the frame (network order) in the program's order. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define be16(x) __builtin_bswap16(x)
#else
#define be16(x) (x)
#endif

/* The frame's length from the Ethernet header on. data_end - data is
 * only the first buffer of a multi-buffer frame (jumbo frames, loaded
 * with BPF_F_XDP_HAS_FRAGS); bpf_xdp_get_buff_len() would tell, but
 * kernels before 5.18 refuse a program that calls it. An IPv4 or IPv6
 * header tells the length too, and the larger of the two is right
 * either way (padding makes a short frame longer than its packet). The
 * loads at 12, 16 and 18 are 16-bit, aligned. */
static __attribute__((always_inline)) __u64 frame_bytes(void *data, void *data_end)
{
	__u16 *h = data;
	__u64 len = (__u64)(data_end - data), ip = 0;

	if (data + 20 > data_end)
		return len;
	if (h[6] == be16(0x0800))
		ip = 14 + be16(h[8]);
	else if (h[6] == be16(0x86dd))
		ip = 14 + 40 + be16(h[9]);
	return ip > len ? ip : len;
}

/* Whether rxcnt counts bytes. The forwarder sets it before the object's
 * .rodata is made and frozen, so the verifier knows its value and drops
 * the byte counting from what the kernel runs where it is 0: the default
 * mode prints frames only. Anyone else who loads the object gets bytes. */
const volatile __u32 count_bytes = 1;

/* cnt[key] += 1 frame and bytes. Per-CPU: plain adds, no atomic
 * operation per frame. */
static __attribute__((always_inline)) void count(void *cnt, __u32 key, __u64 bytes,
						const int with_bytes)
{
	struct rxcnt_value *c = bpf_map_lookup_elem(cnt, &key);

	if (!c)
		return;
	c->frames += 1;
	if (with_bytes)
		c->bytes += bytes;
}

/* Swap, count, redirect: cnt[cnt_key] and tx[tx_key]. */
static __attribute__((always_inline)) int forward(struct xdp_md *ctx, void *cnt, __u32 cnt_key,
						  void *tx, __u32 tx_key)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	int act;

	/* A whole Ethernet header, as the BCC example requires. */
	if (data + 14 > data_end)
		return XDP_DROP;
	/* Two copies of count, each with its constant: where count_bytes
	 * is 0 the verifier drops the first whole. */
	if (count_bytes)
		count(cnt, cnt_key, frame_bytes(data, data_end), 1);
	else
		count(cnt, cnt_key, 0, 0);
	/* The low bits of flags are the action when the slot is empty (5.3+):
	 * with OUT gone, or the guard holding the slot empty, frames go to
	 * IN's own stack instead of being lost. */
	act = bpf_redirect_map(tx, tx_key, XDP_PASS);
	/* Swapped only on the way to OUT: a frame for IN's stack goes up as
	 * it came, so the router routes it. The redirect is done once the
	 * program returns, so the swap is in time. */
	if (act == XDP_REDIRECT)
		swap_macs(data);
	return act;
}

SEC("xdp")
int xdp_redirect_map(struct xdp_md *ctx)
{
	return forward(ctx, &rxcnt, 0, &tx_port, 0);
}

SEC("xdp")
int xdp_pairs(struct xdp_md *ctx)
{
	__u32 in = ctx->ingress_ifindex;

	return forward(ctx, &rxcnt_pairs, in, &tx_pairs, in);
}

/* Stores only, at the offsets and sizes swap_macs uses; loads from the
 * map value at 0, 4, 8 and 10, aligned there too. */
static __attribute__((always_inline)) void set_macs(void *data, const struct egress_macs *m)
{
	__u16 *h = data;
	__u32 *w = (__u32 *)((char *)data + 2);

	w[1] = m->src_0;
	h[5] = m->src_4;
	if (m->dst_2 | m->dst_0) {
		h[0] = m->dst_0;
		w[0] = m->dst_2;
	}
}

/* In a devmap entry (BPF_XDP_DEVMAP), after the redirect: XDP_PASS sends
 * the frame on. A port without an entry leaves it as the swap made it. */
SEC("xdp/devmap")
int xdp_egress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = ctx->egress_ifindex;
	struct egress_macs *m;

	if (data + 14 > data_end)
		return XDP_DROP;
	m = bpf_map_lookup_elem(&egress_macs, &key);
	if (m)
		set_macs(data, m);
	return XDP_PASS;
}

SEC("xdp")
int xdp_dummy(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
