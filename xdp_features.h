/* xdp_features.h - before attaching: whether each port runs XDP in its
 * driver, and whether an OUT can transmit the frames its INs redirect to
 * it, from the kernel's own answer: the netdev generic netlink family's
 * xdp-features (6.3), or where that family is missing what the device
 * type tells (a veth's peer); and the MTUs. Prints nothing; one line per
 * port is made for the caller to print. */
#ifndef XRM_XDP_FEATURES_H
#define XRM_XDP_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "netlink.h"
#include "ports.h"
#include "probe.h"

#if defined(__has_include)
#if __has_include(<linux/netdev.h>)
#include <linux/netdev.h>
#define XF_HAVE_NETDEV_H 1
#endif
#endif
#ifndef XF_HAVE_NETDEV_H
/* linux/netdev.h came with the uapi of 6.3; Debian 12's headers are
 * 6.1's. The few names we use, with the values of the kernel's header,
 * which are ABI. */
#define NETDEV_FAMILY_NAME "netdev"
#define NETDEV_FAMILY_VERSION 1
enum netdev_xdp_act {
	NETDEV_XDP_ACT_BASIC = 1,
	NETDEV_XDP_ACT_NDO_XMIT = 4,
};
enum {
	NETDEV_A_DEV_IFINDEX = 1,
	NETDEV_A_DEV_PAD,
	NETDEV_A_DEV_XDP_FEATURES,
};
enum {
	NETDEV_CMD_DEV_GET = 1,
};
#endif

/* What is known of one port. */
struct xf_port {
	struct nl_link link;		/* as read; ifindex 0: not there, nothing said of it */
	int has_features;		/* the kernel gave xdp-features */
	uint64_t features;		/* NETDEV_XDP_ACT_* */
	int out;			/* some IN redirects to it */
	int veth;			/* IFLA_INFO_KIND "veth" */
	int peer_napi;			/* veth: the peer has XDP or GRO: 1, 0, -1 unknown */
	int peer_err;			/* veth: why the peer cannot be reached (we cannot fix it) */
};

/* What becomes of the frames redirected into an OUT, from least to
 * most severe. */
enum xf_verdict {
	XF_OK,
	XF_PEER_FIXED,		/* veth peer without XDP or GRO: the forwarder gives it GRO */
	XF_UNKNOWN,		/* no xdp-features, a driver we cannot judge */
	XF_PEER_UNKNOWN,	/* no xdp-features, and a veth peer we cannot read */
	XF_MTU,			/* black hole for frames over OUT's MTU: -EMSGSIZE */
	XF_PEER,		/* black hole: veth peer without XDP or GRO, out of our reach */
	XF_NO_XMIT,		/* black hole: the driver has no ndo_xdp_xmit */
};

/* Pure: the verdict for frames from in to out; native: IN runs in its
 * driver (native XDP), where redirects go through out's ndo_xdp_xmit. */
enum xf_verdict xf_decide(const struct xf_port *in, const struct xf_port *out, int native);

/* Pure: native XDP on p: 1, 0, -1 unknown. */
int xf_native(const struct xf_port *p);

/* A run's ports, indexed as in struct ports. */
struct xf_run {
	uint32_t mode_flags;			/* 0 (the kernel picks), XDP_FLAGS_SKB_MODE or _DRV_MODE */
	uint32_t n;
	struct xf_port port[PORTS_MAX];
	int to[PORTS_MAX];			/* the OUT's index; -1: only OUT, or OUT not there */
	enum xf_verdict verdict[PORTS_MAX];	/* as an OUT, the worst over its INs */
	int from[PORTS_MAX];			/* the IN of that verdict, -1: not an OUT */
	uint32_t weighs[PORTS_MAX];		/* the ports whose facts port i's line weighs,
						 * bit j for port j: itself, and its INs */
};

/* A port's line, at most; its name goes before it. */
#define XF_LINE_BYTES 320

/* Who asks, and what it was last told: a port's line is said again only
 * when it changed (xf_say_changed). Zero it, then set the first three. */
typedef void (*xf_say_fn)(const char *name, int black_hole, const char *line);
struct xf_ask {
	uint32_t mode_flags;		/* the run's: 0, XDP_FLAGS_SKB_MODE or _DRV_MODE */
	struct features *feat;		/* probed for veth GRO only when xdp-features are missing */
	xf_say_fn say;
	char said[PORTS_MAX][XF_LINE_BYTES];	/* the last line said of each port, "" none */
};

/* All of it for each port there whose line weighs one in which (bit i
 * for port i, ~0u all): the ports in which, and their OUTs. p->nl:
 * rtnetlink in their namespace. a->say is called with each such line
 * that differs from the last one said for its port. What cannot be read
 * is unknown, never a failure. */
void xf_predict(const struct ports *p, struct xf_ask *a, uint32_t which);

/* The steps of xf_predict. Pure but xf_run_read: the ports' facts, what
 * the kernel says, the verdicts, the line of port i (without its name)
 * and whether it predicts a black hole. */
void xf_run_of_ports(struct xf_run *r, const struct ports *p, uint32_t mode_flags);
void xf_run_read(struct xf_run *r, int nl, struct features *feat);
void xf_run_decide(struct xf_run *r);
void xf_format(const struct xf_run *r, uint32_t i, char *buf, size_t size);
int xf_black_hole(const struct xf_run *r, uint32_t i);

/* Port i's line said through a->say unless it is the last one said. */
void xf_say_changed(struct xf_ask *a, uint32_t i, const char *name, int black_hole,
		    const char *line);

#endif
