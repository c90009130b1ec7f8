/* veth_peer.h - the other end of a veth OUT, in whatever network
 * namespace it lives. A frame redirected into a veth in native mode
 * reaches the peer only when the peer runs NAPI, that is when it has an
 * XDP program or GRO on; otherwise the kernel drops it without a word.
 * Prints nothing; the caller says what was done. */
#ifndef XRM_VETH_PEER_H
#define XRM_VETH_PEER_H

#include "attach.h"
#include "netlink.h"
#include "port_policy.h"
#include "probe.h"

struct veth_peer {
	int nl;			/* netlink socket in the peer's namespace, -1 */
	int other_ns;		/* the peer lives in another namespace */
	struct nl_link link;	/* the peer as its namespace sees it */
	int gro_turned_on;	/* ours to undo */
	struct xdp_port x;	/* our XDP_PASS program at the peer, if x.attached */
	int x_fd_ours;		/* x.prog_fd was opened by id here: ours to close */
};

/* Finds OUT's peer (out from RTM_GETLINK in our namespace) and opens a
 * socket in its namespace. -EPERM: entering it needs CAP_SYS_ADMIN;
 * -ENOENT: no namespace we can see has its id. */
int veth_peer_open(int nl, const struct nl_link *out, struct veth_peer *peer);

/* Whether GRO is on at the peer (from 5.13 the kernel's veth runs NAPI
 * for it, so the peer takes redirected frames). */
int veth_peer_gro(struct veth_peer *peer, int *on);

/* The peer as its namespace shows it, for port_policy_peer; GRO read
 * only where it gives NAPI (probed once the peer is up) and no XDP
 * program gives it already. */
int veth_peer_view(struct veth_peer *peer, struct features *feat, struct peer_view *pv);

/* Turns GRO on, remembering to turn it off again in veth_peer_close. */
int veth_peer_gro_on(struct veth_peer *peer);

/* Where GRO gives no NAPI: attaches prog_fd (an XDP_PASS program) to the
 * peer in native mode, remembering to remove it in veth_peer_close. */
int veth_peer_xdp_on(struct veth_peer *peer, int prog_fd, char *extack, size_t extack_len);

/* Takes over program id, which an earlier instance attached at the peer,
 * so that veth_peer_close removes it (needs CAP_SYS_ADMIN). */
int veth_peer_xdp_adopt(struct veth_peer *peer, uint32_t id);

/* Undoes what was done (GRO off, our program removed) and closes;
 * -errno of the undo. */
int veth_peer_close(struct veth_peer *peer);

#endif
