/* unit_xdp_features.c - the prediction's decisions on facts given by
 * hand: the kernel's xdp-features where it has them, and the fallback of
 * kernels before 6.3 (driver, device type, veth peer, MTU), which this
 * machine's kernel cannot show. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>

#include "unit.h"
#include "../xdp_features.h"

/* A port as xf_run_read would leave it. */
static struct xf_port port(uint32_t mtu, int veth, int has_features, uint64_t features)
{
	struct xf_port p;

	memset(&p, 0, sizeof(p));
	p.link.mtu_bytes = mtu;
	p.veth = veth;
	p.has_features = has_features;
	p.features = features;
	p.peer_napi = -1;
	return p;
}

#define XMIT (NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_NDO_XMIT)

static void test_from_features(void)
{
	struct xf_port in = port(1500, 1, 1, XMIT);
	struct xf_port out = port(1500, 1, 1, XMIT);

	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	/* A veth without NDO_XMIT: its peer lacks XDP and GRO, as read. */
	out.features = NETDEV_XDP_ACT_BASIC;
	out.peer_napi = 0;
	CHECK(xf_decide(&in, &out, 1) == XF_PEER_FIXED);
	/* The peer out of reach: unread, so nobody mends it. */
	out.peer_napi = -1;
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
	out.link.mtu_bytes = 1500;
	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	in.link.mtu_bytes = 1400;
	CHECK(xf_decide(&in, &out, 1) == XF_OK);
	/* Every frame lost says more than the large ones lost. */
	out.link.mtu_bytes = 1300;
	out.features = NETDEV_XDP_ACT_BASIC;
	out.veth = 0;
	CHECK(xf_decide(&in, &out, 1) == XF_NO_XMIT);
	/* A peer we will fix leaves the MTU as the problem. */
	out.veth = 1;
	out.peer_napi = 0;
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
	CHECK(xf_decide(&in, &out, 1) == XF_PEER_UNKNOWN);
	out = port(1500, 0, 0, 0);
	CHECK(xf_native(&out) == -1);
	CHECK(xf_decide(&in, &out, 1) == XF_UNKNOWN);
	CHECK(xf_decide(&in, &out, 0) == XF_OK);
	out.link.mtu_bytes = 576;
	CHECK(xf_decide(&in, &out, 1) == XF_MTU);
}

/* The ports of a run, as ports_init and ports_open leave them, built
 * by hand: port i named NAMES[i], with MTU MTUS[i], redirecting to DEST[i]. */
static struct ports tp;
static uint32_t tmode;		/* the run's mode flags */

static void ports_of(uint32_t n, const char *const *names, const uint32_t *mtus, const int *dest,
		     uint32_t mode_flags)
{
	struct port *pt;
	uint32_t i;

	memset(&tp, 0, sizeof(tp));
	tmode = mode_flags;
	tp.n = n;
	for (i = 0; i < n; i++) {
		pt = &tp.port[i];
		pt->to = dest[i];
		pt->present = 1;
		pt->link.ifindex = (int)i + 2;
		strcpy(pt->link.name, names[i]);
		strcpy(pt->link.kind, "veth");
		pt->link.mtu_bytes = mtus[i];
		pt->link.link_netnsid = -1;
	}
}

/* Two INs into one OUT: the worse verdict is OUT's, with its IN named. */
static void test_run(void)
{
	static const char *const names[] = { "a", "o", "b" };
	static const uint32_t mtus[] = { 1500, 1500, 9000 };
	static const int dest[] = { 1, -1, 1 };
	struct xf_run r;
	char line[256];
	uint32_t i;

	ports_of(3, names, mtus, dest, 0);
	xf_run_of_ports(&r, &tp, tmode);
	CHECK(r.n == 3 && r.to[0] == 1 && r.to[1] == -1 && r.to[2] == 1);
	CHECK(strcmp(r.port[2].link.name, "b") == 0 && r.port[2].veth &&
	      r.port[2].link.mtu_bytes == 9000);
	for (i = 0; i < r.n; i++) {
		r.port[i].has_features = 1;
		r.port[i].features = XMIT;
	}
	xf_run_decide(&r);
	CHECK(r.verdict[1] == XF_MTU && r.from[1] == 2 && xf_black_hole(&r, 1));
	CHECK(r.from[0] == -1 && !xf_black_hole(&r, 0));
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strcmp(line, "native XDP yes (xdp-features), transmits redirected frames: no: black "
		     "hole for frames over 1518 bytes (MTU 1500, b's 9000)") == 0);
	xf_format(&r, 0, line, sizeof(line));
	CHECK(strstr(line, "transmits redirected frames: - (IN only)") != NULL);

	/* An IN whose OUT is not there (--wait) redirects nowhere yet. */
	tp.port[1].present = 0;
	xf_run_of_ports(&r, &tp, tmode);
	CHECK(r.to[0] == -1 && r.to[2] == -1 && r.port[1].link.ifindex == 0);

	/* -S: no ndo_xdp_xmit needed. */
	ports_of(2, names, mtus, dest, XDP_FLAGS_SKB_MODE);
	xf_run_of_ports(&r, &tp, tmode);
	r.port[1].has_features = 1;
	xf_run_decide(&r);
	CHECK(r.verdict[1] == XF_OK && !xf_black_hole(&r, 1));
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strcmp(line, "native XDP no (xdp-features), transmits redirected frames: yes") == 0);
}

/* The lines of the fallback: what was read, and what was not. */
static void test_fallback_lines(void)
{
	static const char *const names[] = { "a", "o" };
	static const uint32_t mtus[] = { 1500, 1500 };
	static const int dest[] = { 1, -1 };
	struct xf_run r;
	char line[256];

	ports_of(2, names, mtus, dest, 0);
	xf_run_of_ports(&r, &tp, tmode);
	r.port[1].peer_err = -EPERM;
	xf_run_decide(&r);
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strcmp(line, "native XDP yes (no xdp-features, veth), transmits redirected frames: "
		     "unknown (no xdp-features), its veth peer unreadable: CAP_SYS_ADMIN needed") == 0);
	r.port[1].peer_err = 0;
	r.port[1].peer_napi = 0;
	xf_run_decide(&r);
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strstr(line, "transmits redirected frames: yes, once the forwarder gives its veth "
		     "peer GRO") != NULL);
	r.port[1].veth = 0;
	xf_run_decide(&r);
	xf_format(&r, 1, line, sizeof(line));
	CHECK(strcmp(line, "native XDP ? (no xdp-features), transmits redirected frames: unknown "
		     "(no xdp-features)") == 0);
	CHECK(!xf_black_hole(&r, 1));
}

/* The ports each line weighs: itself, and the INs redirecting to it;
 * with -b an IN is its OUT's OUT and weighs it too. */
static void test_weighs(void)
{
	static const char *const names[] = { "a", "o", "b", "p" };
	static const uint32_t mtus[] = { 1500, 1500, 1500, 1500 };
	static const int dest[] = { 1, -1, 3, 2 };
	struct xf_run r;

	ports_of(4, names, mtus, dest, 0);
	xf_run_of_ports(&r, &tp, tmode);
	CHECK(r.weighs[0] == 1u << 0);
	CHECK(r.weighs[1] == (1u << 1 | 1u << 0));
	CHECK(r.weighs[2] == (1u << 2 | 1u << 3));
	CHECK(r.weighs[3] == (1u << 3 | 1u << 2));
	/* An OUT not there yet is nobody's OUT: its IN weighs only itself. */
	tp.port[1].present = 0;
	xf_run_of_ports(&r, &tp, tmode);
	CHECK(r.weighs[0] == 1u << 0 && r.weighs[1] == 1u << 1);
}

/* What xf_say_changed passed on. */
static char said_name[16], said_line[64];
static int said_count, said_hole;

static void say(const char *name, int black_hole, const char *line)
{
	said_count++;
	said_hole = black_hole;
	snprintf(said_name, sizeof(said_name), "%s", name);
	snprintf(said_line, sizeof(said_line), "%s", line);
}

/* A line is said once; the same again is not, another is, per port. */
static void test_say_changed(void)
{
	static struct xf_ask a;

	memset(&a, 0, sizeof(a));
	a.say = say;
	said_count = 0;
	xf_say_changed(&a, 1, "o", 1, "no: black hole");
	CHECK(said_count == 1 && said_hole && strcmp(said_name, "o") == 0 &&
	      strcmp(said_line, "no: black hole") == 0);
	xf_say_changed(&a, 1, "o", 1, "no: black hole");
	CHECK(said_count == 1);
	xf_say_changed(&a, 0, "a", 0, "no: black hole");
	CHECK(said_count == 2 && strcmp(said_name, "a") == 0);
	xf_say_changed(&a, 1, "o", 0, "yes");
	CHECK(said_count == 3 && !said_hole && strcmp(said_line, "yes") == 0);
	xf_say_changed(&a, 1, "o", 1, "no: black hole");
	CHECK(said_count == 4);
}

void unit_xdp_features(void)
{
	unit_run("xdp_features: from xdp-features", test_from_features);
	unit_run("xdp_features: MTU", test_mtu);
	unit_run("xdp_features: fallback before 6.3", test_fallback);
	unit_run("xdp_features: a run's ports", test_run);
	unit_run("xdp_features: the lines before 6.3", test_fallback_lines);
	unit_run("xdp_features: the ports each line weighs", test_weighs);
	unit_run("xdp_features: a line said again only when it changed", test_say_changed);
}
