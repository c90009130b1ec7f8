/* misaligned.c - a MAC swap written the obvious way, with 32-bit accesses
 * at offsets 0 and 6. x86 lets it through; a kernel that checks alignment
 * (MIPS, ARMv5, or any with BPF_F_STRICT_ALIGNMENT) refuses the word at 0,
 * which lies NET_IP_ALIGN = 2 bytes past a 4-byte boundary. The strict
 * alignment test must refuse it, which shows that test can fail. */
#include <linux/bpf.h>
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))

SEC("xdp")
int xdp_misaligned_swap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 d0, s0;
	__u16 d1, s1;

	if (data + 14 > data_end)
		return XDP_DROP;
	d0 = *(__u32 *)data;
	d1 = *(__u16 *)(data + 4);
	s0 = *(__u32 *)(data + 6);
	s1 = *(__u16 *)(data + 10);
	*(__u32 *)data = s0;
	*(__u16 *)(data + 4) = s1;
	*(__u32 *)(data + 6) = d0;
	*(__u16 *)(data + 10) = d1;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
