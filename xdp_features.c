/* xdp_features.c - what each port will do with XDP and with redirected
 * frames, asked before anything is attached (see xdp_features.h).
 *
 * Where a redirected frame can die without a word, in the kernel's own
 * lines:
 * - kernel/bpf/devmap.c, __xdp_enqueue() (native mode, since 6.3):
 *     if (!(dev->xdp_features & NETDEV_XDP_ACT_NDO_XMIT))
 *             return -EOPNOTSUPP;
 *   before 6.3 the same test was !dev->netdev_ops->ndo_xdp_xmit.
 * - include/linux/filter.h, xdp_ok_fwd_dev() (native and generic mode):
 *     if (unlikely(!(fwd->flags & IFF_UP))) return -ENETDOWN;
 *     len = fwd->mtu + fwd->hard_header_len + VLAN_HLEN;
 *     if (pktlen > len) return -EMSGSIZE;
 * - drivers/net/veth.c: a veth's ndo_xdp_xmit hands the frame to its
 *   peer's NAPI, which runs only with an XDP program or GRO at the peer;
 *   veth_set_xdp_features() says so: NETDEV_XDP_ACT_NDO_XMIT only
 *   "if (priv_peer->_xdp_prog || veth_gro_requested(peer))".
 * So xdp-features answers the first and the third; the MTUs the second,
 * on every kernel. Without the netdev family (before 6.3) a veth's peer
 * is read directly, and other drivers are unknown: ndo_xdp_xmit is not
 * visible from user space there. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/sockios.h>

#include "veth_peer.h"
#include "xdp_features.h"

/* The kernel's VLAN_HLEN (include/linux/if_vlan.h, not uapi): the room
 * xdp_ok_fwd_dev leaves for one VLAN tag. */
#define XF_VLAN_HLEN 4

/* ---- NETDEV_CMD_DEV_GET ---- */

static const uint16_t xf_dev_minlen[NETDEV_A_DEV_XDP_FEATURES + 1] = {
	[NETDEV_A_DEV_IFINDEX] = sizeof(uint32_t),
	[NETDEV_A_DEV_XDP_FEATURES] = sizeof(uint64_t),
};

int xf_dev_get_build(struct nl_msg *m, uint16_t family, int ifindex)
{
	int ret = nl_genl_msg_start(m, family, NETDEV_CMD_DEV_GET, NETDEV_FAMILY_VERSION);

	if (ret == 0)
		ret = nl_attr_put_u32(m, NETDEV_A_DEV_IFINDEX, (uint32_t)ifindex);
	return ret;
}

int xf_dev_parse(const struct nlmsghdr *msg, uint16_t family, uint64_t *features)
{
	const struct nlattr *tb[NETDEV_A_DEV_XDP_FEATURES + 1];
	int ret = nl_genl_parse(msg, family, NETDEV_CMD_DEV_GET, tb,
				NETDEV_A_DEV_XDP_FEATURES, xf_dev_minlen);

	if (ret < 0)
		return ret;
	if (!tb[NETDEV_A_DEV_XDP_FEATURES])
		return -EINVAL;
	*features = nl_attr_u64(tb[NETDEV_A_DEV_XDP_FEATURES]);
	return 0;
}

struct xf_dev_answer {
	uint16_t family;
	uint64_t features;
	int found;
};

static int xf_dev_cb(const struct nlmsghdr *msg, void *arg)
{
	struct xf_dev_answer *ans = arg;
	int ret = xf_dev_parse(msg, ans->family, &ans->features);

	ans->found = ret == 0;
	return ret;
}

int xf_dev_get(int genl, uint16_t family, int ifindex, uint64_t *features)
{
	struct xf_dev_answer ans = { .family = family };
	union {
		struct nlmsghdr hdr;
		char bytes[64];		/* 36 bytes: header, genlmsghdr, ifindex */
	} req;
	struct nl_msg m;
	int ret;

	nl_msg_init(&m, &req, sizeof(req), 0, 0);
	ret = xf_dev_get_build(&m, family, ifindex);
	if (ret == 0)
		ret = nl_talk(genl, m.hdr, xf_dev_cb, &ans, NULL, 0);
	if (ret < 0)
		return ret;
	if (!ans.found)
		return -ENOENT;
	*features = ans.features;
	return 0;
}

/* ---- the decision, pure ---- */

int xf_native(const struct xf_port *p)
{
	if (p->has_features)
		return (p->features & NETDEV_XDP_ACT_BASIC) != 0;
	/* veth has had native XDP since 4.14; of others, nothing tells. */
	return p->veth ? 1 : -1;
}

/* Through ndo_xdp_xmit: xdp-features, else a veth's peer, else unknown.
 * A veth whose peer has NAPI yet lacks the feature lacks it for another
 * reason (veth_set_xdp_features: more peer tx queues than own rx). */
static enum xf_verdict xf_decide_xmit(const struct xf_port *out)
{
	if (out->has_features && (out->features & NETDEV_XDP_ACT_NDO_XMIT))
		return XF_OK;
	if (out->veth && out->peer_napi != 1 && (out->has_features || out->peer_napi == 0))
		return out->peer_err ? XF_PEER : XF_PEER_FIXED;
	if (out->has_features)
		return XF_NO_XMIT;
	return out->veth && out->peer_napi > 0 ? XF_OK : XF_UNKNOWN;
}

/* The largest frame IN takes is its MTU plus the Ethernet header, and a
 * VLAN tag; OUT takes up to its MTU plus both (xdp_ok_fwd_dev). */
enum xf_verdict xf_decide(const struct xf_port *in, const struct xf_port *out, int native)
{
	enum xf_verdict v = native ? xf_decide_xmit(out) : XF_OK;

	if (v < XF_MTU && in->mtu_bytes > out->mtu_bytes)
		return XF_MTU;
	return v;
}

/* ---- one run's ports ---- */

void xf_run_init(struct xf_run *r, uint32_t mode_flags)
{
	memset(r, 0, sizeof(*r));
	r->mode_flags = mode_flags;
}

static int xf_run_index(struct xf_run *r, const struct nl_link *l)
{
	struct xf_port *p;
	uint32_t i;

	for (i = 0; i < r->n; i++)
		if (r->port[i].ifindex == l->ifindex)
			return (int)i;
	if (r->n == XF_PORTS_MAX)
		return -ENOSPC;
	p = &r->port[r->n];
	memcpy(p->name, l->name, sizeof(p->name));
	p->ifindex = l->ifindex;
	p->mtu_bytes = l->mtu_bytes;
	p->veth = strcmp(l->kind, "veth") == 0;
	p->link = l->link;
	p->link_netnsid = l->link_netnsid;
	p->peer_napi = -1;
	r->to[r->n] = r->from[r->n] = -1;
	return (int)r->n++;
}

int xf_run_add(struct xf_run *r, const struct nl_link *in, const struct nl_link *out)
{
	int i = xf_run_index(r, in), o = i < 0 ? i : xf_run_index(r, out);

	if (o < 0)
		return o;
	r->to[i] = o;
	return 0;
}

/* Any socket reaches the device ioctls of its namespace. The kernel ends
 * the name with a NUL (strscpy); it is cut to ours all the same. */
static void xf_driver(int sock, struct xf_port *p)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, p->name, sizeof(ifr.ifr_name));
	ifr.ifr_data = (void *)&info;
	if (ioctl(sock, SIOCETHTOOL, &ifr) < 0)
		return;
	memcpy(p->driver, info.driver, sizeof(p->driver) - 1);
	p->driver[strnlen(p->driver, sizeof(p->driver) - 1)] = '\0';
}

/* Whether the peer has XDP or GRO, and whether we can reach it to give
 * it GRO (its namespace: CAP_SYS_ADMIN). GRO counts only where the veth
 * driver runs NAPI for it (5.13, probed). */
static void xf_peer(int nl, struct features *feat, struct xf_port *p)
{
	struct nl_link out = { .link = p->link, .link_netnsid = p->link_netnsid };
	struct veth_peer peer;
	int yes = 0;

	p->peer_err = veth_peer_open(nl, &out, &peer);
	if (p->peer_err)
		return;
	memcpy(p->peer, peer.link.name, sizeof(p->peer));
	probe_veth(feat);
	if (veth_peer_takes_redirects(&peer, feat->veth_gro > 0, &yes) == 0)
		p->peer_napi = yes;
	veth_peer_close(&peer);
}

static int xf_is_out(const struct xf_run *r, uint32_t j)
{
	uint32_t i;

	for (i = 0; i < r->n; i++)
		if (r->to[i] == (int)j)
			return 1;
	return 0;
}

/* A veth's peer is read only for an OUT that xdp-features cannot vouch
 * for: entering its namespace is not free. */
static void xf_port_read(struct xf_run *r, uint32_t i, int nl, int genl, uint16_t family,
			 struct features *feat)
{
	struct xf_port *p = &r->port[i];

	if (family && xf_dev_get(genl, family, p->ifindex, &p->features) == 0)
		p->has_features = 1;
	xf_driver(nl, p);
	if (!p->veth || !xf_is_out(r, i) ||
	    (p->has_features && (p->features & NETDEV_XDP_ACT_NDO_XMIT)))
		return;
	xf_peer(nl, feat, p);
}

void xf_run_read(struct xf_run *r, int nl, struct features *feat)
{
	int genl = nl_open_genl();
	uint16_t family = 0;
	uint32_t i;

	/* -ENOENT: a kernel before 6.3; the fallback answers. */
	if (genl >= 0 && nl_genl_family(genl, NETDEV_FAMILY_NAME, &family) < 0)
		family = 0;
	for (i = 0; i < r->n; i++)
		xf_port_read(r, i, nl, genl, family, feat);
	if (genl >= 0)
		close(genl);
	xf_run_decide(r);
}

/* The kernel picks native mode where the driver has it. */
static int xf_in_native(const struct xf_run *r, const struct xf_port *in)
{
	if (r->mode_flags)
		return r->mode_flags == XDP_FLAGS_DRV_MODE;
	return xf_native(in) != 0;
}

void xf_run_decide(struct xf_run *r)
{
	enum xf_verdict v;
	uint32_t i;
	int o;

	for (i = 0; i < r->n; i++)
		r->from[i] = -1;
	for (i = 0; i < r->n; i++) {
		o = r->to[i];
		if (o < 0)
			continue;
		v = xf_decide(&r->port[i], &r->port[o], xf_in_native(r, &r->port[i]));
		if (r->from[o] < 0 || v > r->verdict[o]) {
			r->verdict[o] = v;
			r->from[o] = (int)i;
		}
	}
}

/* ---- the line ---- */

int xf_black_hole(const struct xf_run *r, uint32_t i)
{
	return r->from[i] >= 0 && r->verdict[i] >= XF_MTU;
}

static const char *xf_source(const struct xf_port *p, char *buf, size_t size)
{
	if (p->has_features)
		return "xdp-features";
	snprintf(buf, size, "driver %s", p->driver[0] ? p->driver : "?");
	return buf;
}

/* Why a veth peer is out of reach, in the words the user acts on. */
static const char *xf_peer_why(const struct xf_port *p)
{
	if (!p->peer_err)
		return "its GRO setting unreadable";
	return p->peer_err == -EPERM ? "CAP_SYS_ADMIN needed to enter its namespace" :
	       strerror(-p->peer_err);
}

/* Before 6.3: a veth whose peer we could not read, or another driver. */
static void xf_why_unknown(const struct xf_port *out, char *buf, size_t size)
{
	if (out->veth)
		snprintf(buf, size, "unknown (its veth peer cannot be read: %s; no xdp-features "
			 "before 6.3)", xf_peer_why(out));
	else
		snprintf(buf, size, "unknown (driver %s; no xdp-features before 6.3)",
			 out->driver[0] ? out->driver : "?");
}

static void xf_why(const struct xf_run *r, uint32_t i, char *buf, size_t size)
{
	const struct xf_port *out = &r->port[i], *in = &r->port[r->from[i]];
	char src[48];

	switch (r->verdict[i]) {
	case XF_OK:
		snprintf(buf, size, "yes (%s)", xf_in_native(r, in) ?
			 xf_source(out, src, sizeof(src)) : "generic mode: the stack's transmit path");
		break;
	case XF_PEER_FIXED:
		snprintf(buf, size, "yes once the forwarder gives its veth peer %s GRO or XDP (it "
			 "has neither; %s)", out->peer, xf_source(out, src, sizeof(src)));
		break;
	case XF_UNKNOWN:
		xf_why_unknown(out, buf, size);
		break;
	case XF_MTU:
		snprintf(buf, size, "no: black hole for frames over %u bytes: MTU %u under %s's %u "
			 "(-EMSGSIZE)", out->mtu_bytes + ETH_HLEN + XF_VLAN_HLEN, out->mtu_bytes,
			 in->name, in->mtu_bytes);
		break;
	case XF_PEER:
		snprintf(buf, size, "no: black hole: its veth peer has neither XDP nor GRO and we "
			 "cannot change it (%s; -EOPNOTSUPP)", xf_peer_why(out));
		break;
	case XF_NO_XMIT:
		snprintf(buf, size, "no: black hole: driver %s has no ndo_xdp_xmit (xdp-features; "
			 "-EOPNOTSUPP; -S avoids it)", out->driver[0] ? out->driver : "?");
		break;
	}
}

void xf_format(const struct xf_run *r, uint32_t i, char *buf, size_t size)
{
	static const char *const word[] = { "?", "no", "yes" };
	const struct xf_port *p = &r->port[i];
	char src[48], why[200] = "- (IN only)";

	if (r->from[i] >= 0)
		xf_why(r, i, why, sizeof(why));
	snprintf(buf, size, "native XDP %s (%s), transmits redirected frames: %s",
		 word[xf_native(p) + 1], xf_source(p, src, sizeof(src)), why);
}
