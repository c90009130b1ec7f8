/* unit_xdp_features.c - the prediction's decisions on facts given by
 * hand: the kernel's xdp-features where it has them, and the fallback of
 * kernels before 6.3 (driver, device type, veth peer, MTU), which this
 * machine's kernel cannot show. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>

#include "unit.h"
#include "../xdp_features.h"

/* A port as xf_run_read would leave it. */
static struct xf_port port(uint32_t mtu, int veth, int has_features, uint64_t features)
{
	struct xf_port p;

	memset(&p, 0, sizeof(p));
	p.mtu_bytes = mtu;
	p.veth = veth;
	p.has_features = has_features;
	p.features = features;
	p.peer_napi = -1;
	strcpy(p.driver, veth ? "veth" : "e1000e");
	return p;
}

#define XMIT (NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_NDO_XMIT)

static void test_from_features(void)
{
	struct xf_port in = port(1500, 1, 1, XMIT);
	struct xf_port out = port(1500, 1, 1, XMIT);

	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	/* A veth without NDO_XMIT: its peer lacks XDP and GRO. */
	out.features = NETDEV_XDP_ACT_BASIC;
	CHECK(xf_decide(&in, &out, 1) == XF_PEER_FIXED);
	out.peer_err = -EPERM;
	CHECK(xf_decide(&in, &out, 1) == XF_PEER);
	/* ... unless the peer has NAPI: then the driver says no for another
	 * reason, which no GRO mends. */
	out.peer_err = 0;
	out.peer_napi = 1;
	CHECK(xf_decide(&in, &out, 1) == XF_NO_XMIT);
	/* Another driver without ndo_xdp_xmit. */
	out = port(1500, 0, 1, NETDEV_XDP_ACT_BASIC);
	CHECK(xf_decide(&in, &out, 1) == XF_NO_XMIT);
	/* Generic mode transmits through the stack: only the MTU counts. */
	CHECK(xf_decide(&in, &out, 0) == XF_OK);
	CHECK(xf_native(&out) == 1);
	out.features = 0;
	CHECK(xf_native(&out) == 0);
}

/* xdp_ok_fwd_dev: a frame over OUT's MTU (plus header and tag) fails. */
static void test_mtu(void)
{
	struct xf_port in = port(1500, 1, 1, XMIT);
	struct xf_port out = port(1400, 1, 1, XMIT);

	CHECK(xf_decide(&in, &out, 1) == XF_MTU);
	CHECK(xf_decide(&in, &out, 0) == XF_MTU);
	out.mtu_bytes = 1500;
	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	in.mtu_bytes = 1400;
	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	/* Every frame lost says more than the large ones lost. */
	out.mtu_bytes = 1300;
	out.features = NETDEV_XDP_ACT_BASIC;
	out.veth = 0;
	CHECK(xf_decide(&in, &out, 1) == XF_NO_XMIT);
	/* A peer we will fix leaves the MTU as the problem. */
	out.veth = 1;
	CHECK(xf_decide(&in, &out, 1) == XF_MTU);
}

/* Before 6.3: a veth's peer read directly; other drivers unknown. */
static void test_fallback(void)
{
	struct xf_port in = port(1500, 1, 0, 0);
	struct xf_port out = port(1500, 1, 0, 0);

	CHECK(xf_native(&in) == 1);
	out.peer_napi = 1;
	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	out.peer_napi = 0;
	CHECK(xf_decide(&in, &out, 1) == XF_PEER_FIXED);
	out.peer_napi = -1;		/* the peer could not be read */
	out.peer_err = -EPERM;
	CHECK(xf_decide(&in, &out, 1) == XF_UNKNOWN);
	out = port(1500, 0, 0, 0);
	CHECK(xf_native(&out) == -1);
	CHECK(xf_decide(&in, &out, 1) == XF_UNKNOWN);
	CHECK(xf_decide(&in, &out, 0) == XF_OK);
	out.mtu_bytes = 576;
	CHECK(xf_decide(&in, &out, 1) == XF_MTU);
}

static struct nl_link link_of(int ifindex, const char *name, uint32_t mtu)
{
	struct nl_link l;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	strcpy(l.name, name);
	strcpy(l.kind, "veth");
	l.mtu_bytes = mtu;
	l.link_netnsid = -1;
	return l;
}

/* Two INs into one OUT: the worse verdict is OUT's, with its IN named. */
static void test_run(void)
{
	struct nl_link a = link_of(2, "a", 1500), b = link_of(3, "b", 9000), o = link_of(4, "o", 1500);
	struct xf_run r;
	char line[256];
	uint32_t i;

	xf_run_init(&r, 0);
	CHECK(xf_run_add(&r, &a, &o) == 0 && xf_run_add(&r, &b, &o) == 0);
	CHECK(r.n == 3 && r.to[0] == 1 && r.to[1] == -1 && r.to[2] == 1);
	for (i = 0; i < r.n; i++) {
		r.port[i].has_features = 1;
		r.port[i].features = XMIT;
	}
	xf_run_decide(&r);
	CHECK(r.verdict[1] == XF_MTU && r.from[1] == 2 && xf_black_hole(&r, 1));
	CHECK(r.from[0] == -1 && !xf_black_hole(&r, 0));
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strstr(line, "native XDP yes (xdp-features)") != NULL);
	CHECK(strstr(line, "black hole for frames over 1518 bytes: MTU 1500 under b's 9000") != NULL);
	xf_format(&r, 0, line, sizeof(line));
	CHECK(strstr(line, "transmits redirected frames: - (IN only)") != NULL);

	/* -S: no ndo_xdp_xmit needed. */
	xf_run_init(&r, XDP_FLAGS_SKB_MODE);
	xf_run_add(&r, &a, &o);
	r.port[1].has_features = 1;
	xf_run_decide(&r);
	CHECK(r.verdict[1] == XF_OK && !xf_black_hole(&r, 1));
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strstr(line, "native XDP no") && strstr(line, "generic mode"));
}

/* The lines of the fallback: what was read, and what was not. */
static void test_fallback_lines(void)
{
	struct nl_link a = link_of(2, "a", 1500), o = link_of(4, "o", 1500);
	struct xf_run r;
	char line[256];

	xf_run_init(&r, 0);
	xf_run_add(&r, &a, &o);
	strcpy(r.port[1].driver, "veth");
	r.port[1].peer_err = -EPERM;
	xf_run_decide(&r);
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strcmp(line, "native XDP yes (driver veth), transmits redirected frames: unknown (its "
		     "veth peer cannot be read: CAP_SYS_ADMIN needed to enter its namespace; no "
		     "xdp-features before 6.3)") == 0);
	r.port[1].peer_err = 0;
	r.port[1].peer_napi = 0;
	strcpy(r.port[1].peer, "p");
	xf_run_decide(&r);
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strstr(line, "yes once the forwarder gives its veth peer p GRO or XDP (it has "
		     "neither; driver veth)") != NULL);
	r.port[1].veth = 0;
	strcpy(r.port[1].driver, "r8169");
	xf_run_decide(&r);
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strcmp(line, "native XDP ? (driver r8169), transmits redirected frames: unknown "
		     "(driver r8169; no xdp-features before 6.3)") == 0);
	CHECK(!xf_black_hole(&r, 1));
}

static void test_run_full(void)
{
	struct nl_link l;
	struct xf_run r;
	int i, err = 0;

	xf_run_init(&r, 0);
	for (i = 0; i < XF_PORTS_MAX / 2 && !err; i++) {
		l = link_of(10 + 2 * i, "x", 1500);
		err = xf_run_add(&r, &l, &l);
		l.ifindex++;
		err = err ? err : xf_run_add(&r, &l, &l);
	}
	CHECK(err == 0 && r.n == XF_PORTS_MAX);
	l.ifindex = 99;
	CHECK(xf_run_add(&r, &l, &l) == -ENOSPC);
	CHECK(r.n == XF_PORTS_MAX);
}

void unit_xdp_features(void)
{
	unit_run("xdp_features: from xdp-features", test_from_features);
	unit_run("xdp_features: MTU", test_mtu);
	unit_run("xdp_features: fallback before 6.3", test_fallback);
	unit_run("xdp_features: a run's ports", test_run);
	unit_run("xdp_features: the lines before 6.3", test_fallback_lines);
	unit_run("xdp_features: a full run", test_run_full);
}
