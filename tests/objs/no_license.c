/* no_license.c - no license section: libbpf sends "" and so do we; the
 * kernel accepts a program that calls no GPL-only helper. */
#include "bpf_defs.h"

SEC("xdp")
int xdp_unlicensed(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}
