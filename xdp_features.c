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
#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "veth_peer.h"
#include "xdp_features.h"

/* The kernel's VLAN_HLEN (include/linux/if_vlan.h, not uapi): the room
 * xdp_ok_fwd_dev leaves for one VLAN tag. */
#define XF_VLAN_HLEN 4

/* ---- NETDEV_CMD_DEV_GET ---- */

static int xf_dev_get(int genl, uint16_t family, int ifindex, uint64_t *features)
{
	const uint32_t idx = (uint32_t)ifindex;
	const struct nl_genl_ask ask = {
		family, NETDEV_CMD_DEV_GET, NETDEV_FAMILY_VERSION, NETDEV_A_DEV_IFINDEX,
		&idx, sizeof(idx),
	};
	struct nl_genl_one one = {
		family, NETDEV_CMD_DEV_GET, NETDEV_A_DEV_XDP_FEATURES, features, sizeof(*features), 0,
	};

	return nl_genl_talk(genl, &ask, &one);
}

/* ---- the decision, pure ---- */

int xf_native(const struct xf_port *p)
{
	if (p->has_features)
		return (p->features & NETDEV_XDP_ACT_BASIC) != 0;
	/* veth has had native XDP since 4.14; of others, nothing tells. */
	return p->veth ? 1 : -1;
}

/* Through ndo_xdp_xmit: xdp-features, else a veth's peer (read when the
 * feature is missing, to tell the cause), else unknown. A veth whose peer
 * has NAPI yet lacks the feature lacks it for another reason
 * (veth_set_xdp_features: more peer tx queues than own rx). */
static enum xf_verdict xf_decide_xmit(const struct xf_port *out)
{
	int f = out->has_features;

	if (f && (out->features & NETDEV_XDP_ACT_NDO_XMIT))
		return XF_OK;
	if (!out->veth)
		return f ? XF_NO_XMIT : XF_UNKNOWN;
	if (out->peer_napi == 0)
		return XF_PEER_FIXED;
	if (out->peer_napi > 0)
		return f ? XF_NO_XMIT : XF_OK;
	return f ? XF_PEER : XF_PEER_UNKNOWN;
}

/* The largest frame IN takes is its MTU plus the Ethernet header, and a
 * VLAN tag; OUT takes up to its MTU plus both (xdp_ok_fwd_dev). */
enum xf_verdict xf_decide(const struct xf_port *in, const struct xf_port *out, int native)
{
	enum xf_verdict v = native ? xf_decide_xmit(out) : XF_OK;

	if (v < XF_MTU && in->link.mtu_bytes > out->link.mtu_bytes)
		return XF_MTU;
	return v;
}

/* ---- one run's ports ---- */

static void xf_port_of_link(struct xf_port *p, const struct nl_link *l)
{
	p->link = *l;
	p->veth = strcmp(l->kind, "veth") == 0;
	p->peer_napi = -1;
}

void xf_run_of_ports(struct xf_run *r, const struct ports *p, uint32_t mode_flags)
{
	const struct port *pt;
	uint32_t i;

	memset(r, 0, sizeof(*r));
	r->mode_flags = mode_flags;
	r->n = p->n;
	for (i = 0; i < p->n; i++) {
		pt = &p->port[i];
		r->to[i] = pt->to >= 0 && pt->present && p->port[pt->to].present ? pt->to : -1;
		if (pt->present)
			xf_port_of_link(&r->port[i], &pt->link);
		r->weighs[i] |= 1u << i;
		if (r->to[i] >= 0) {
			r->port[r->to[i]].out = 1;
			r->weighs[r->to[i]] |= 1u << i;
		}
	}
}

/* Whether the peer has XDP or GRO, and whether we can reach it to give
 * it GRO (its namespace: CAP_SYS_ADMIN). GRO counts only where the veth
 * driver runs NAPI for it (5.13, probed). */
static void xf_peer(int nl, struct features *feat, struct xf_port *p)
{
	struct veth_peer peer;
	struct peer_view pv;

	p->peer_err = veth_peer_open(nl, &p->link, &peer);
	if (p->peer_err)
		return;
	if (veth_peer_view(&peer, feat, &pv) == 0)
		p->peer_napi = port_policy_peer_napi(&pv, feat->veth_gro > 0);
	veth_peer_close(&peer);
}

/* A veth's peer is read only for an OUT that xdp-features cannot vouch
 * for: entering its namespace is not free. */
static void xf_port_read(struct xf_port *p, int nl, int genl, uint16_t family,
			 struct features *feat)
{
	if (family && xf_dev_get(genl, family, p->link.ifindex, &p->features) == 0)
		p->has_features = 1;
	if (!p->veth || !p->out ||
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
		if (r->port[i].link.ifindex)
			xf_port_read(&r->port[i], nl, genl, family, feat);
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

/* Each verdict's words; xf_detail adds what varies. */
static const char *const xf_says[] = {
	[XF_OK] = "yes",
	[XF_PEER_FIXED] = "yes, once the forwarder gives its veth peer GRO",
	[XF_UNKNOWN] = "unknown (no xdp-features)",
	[XF_PEER_UNKNOWN] = "unknown (no xdp-features), its veth peer unreadable: ",
	[XF_MTU] = "no: black hole for frames over ",
	[XF_PEER] = "no: black hole: its veth peer has no XDP or GRO and is out of reach: ",
	[XF_NO_XMIT] = "no: black hole: no ndo_xdp_xmit (-S avoids it)",
};

/* Why a veth peer is out of reach, in the words the user acts on. */
static const char *xf_peer_why(const struct xf_port *p)
{
	if (!p->peer_err)
		return "GRO unreadable";
	return p->peer_err == -EPERM ? "CAP_SYS_ADMIN needed" : strerror(-p->peer_err);
}

static const char *xf_detail(const struct xf_run *r, uint32_t i, char *buf, size_t size)
{
	const struct xf_port *out = &r->port[i], *in = &r->port[r->from[i]];

	switch (r->verdict[i]) {
	case XF_PEER_UNKNOWN:
	case XF_PEER:
		return xf_peer_why(out);
	case XF_MTU:
		snprintf(buf, size, "%u bytes (MTU %u, %s's %u)",
			 out->link.mtu_bytes + ETH_HLEN + XF_VLAN_HLEN, out->link.mtu_bytes,
			 in->link.name, in->link.mtu_bytes);
		return buf;
	default:
		return "";
	}
}

void xf_format(const struct xf_run *r, uint32_t i, char *buf, size_t size)
{
	static const char *const word[] = { "?", "no", "yes" };
	const struct xf_port *p = &r->port[i];
	int out = r->from[i] >= 0;
	char detail[96];

	snprintf(buf, size, "native XDP %s (%s%s), transmits redirected frames: %s%s",
		 word[xf_native(p) + 1], p->has_features ? "xdp-features" : "no xdp-features",
		 p->has_features || !p->veth ? "" : ", veth",
		 out ? xf_says[r->verdict[i]] : "- (IN only)",
		 out ? xf_detail(r, i, detail, sizeof(detail)) : "");
}

/* A port that flaps, or comes back as the device it was, would repeat
 * the same line at every return and bury the one line that matters: the
 * log says what changed. */
void xf_say_changed(struct xf_ask *a, uint32_t i, const char *name, int black_hole,
		    const char *line)
{
	if (strcmp(a->said[i], line) == 0)
		return;
	snprintf(a->said[i], sizeof(a->said[i]), "%s", line);
	a->say(name, black_hole, line);
}

/* Every port's facts are read again, not only which's: an OUT's verdict
 * needs its INs' modes, and a port comes back seldom. */
void xf_predict(const struct ports *p, struct xf_ask *a, uint32_t which)
{
	char line[XF_LINE_BYTES];
	struct xf_run r;
	uint32_t i;

	if (!which)
		return;
	xf_run_of_ports(&r, p, a->mode_flags);
	xf_run_read(&r, p->nl, a->feat);
	for (i = 0; i < r.n; i++) {
		if (!(which & r.weighs[i]) || !r.port[i].link.ifindex)
			continue;
		xf_format(&r, i, line, sizeof(line));
		xf_say_changed(a, i, r.port[i].link.name, xf_black_hole(&r, i), line);
	}
}
