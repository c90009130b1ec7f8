/* no_license.c - no license section: refused before the kernel would
 * refuse most helpers. */
#include "../bpf_defs.h"

SEC("xdp")
int xdp_unlicensed(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}
