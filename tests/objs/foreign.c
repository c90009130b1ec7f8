/* foreign.c - somebody else's XDP program, for the tests that check we
 * never clobber one. */
#include <linux/bpf.h>

__attribute__((section("xdp"), used))
int foreign(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
