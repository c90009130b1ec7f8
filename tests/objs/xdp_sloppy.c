/* xdp_sloppy.c - section names that libbpf 0.x took as XDP by their
 * prefix and libbpf 1.x refuses ("missing BPF prog type"): listed, not
 * loaded, with the names libbpf 1.x knows. */
#include "bpf_defs.h"

SEC("xdp_prog")
int xdp_old_style(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

SEC("xdp/foo")
int xdp_slashed(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

SEC("xdp")
int xdp_plain(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
