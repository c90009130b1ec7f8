/* foreign.c - somebody else's XDP program, for the tests that check we
 * never clobber one. Built with -DFOREIGN_NAME=xdp_redirect_map it has
 * our program's name, as BCC's example does, and still is not ours. */
#include <linux/bpf.h>

#ifndef FOREIGN_NAME
#define FOREIGN_NAME foreign
#endif

__attribute__((section("xdp"), used))
int FOREIGN_NAME(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
