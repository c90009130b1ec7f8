/* veth_peer.h - the other end of a veth OUT, in whatever network
 * namespace it lives. A frame redirected into a veth in native mode
 * reaches the peer only when the peer runs NAPI, that is when it has an
 * XDP program or GRO on; otherwise the kernel drops it without a word.
 * Prints nothing; the caller says what was done. */
#ifndef XRM_VETH_PEER_H
#define XRM_VETH_PEER_H

#include "netlink.h"

struct veth_peer {
	int nl;			/* netlink socket in the peer's namespace, -1 */
	int other_ns;		/* the peer lives in another namespace */
	struct nl_link link;	/* the peer as its namespace sees it */
	int gro_turned_on;	/* ours to undo */
};

/* Finds OUT's peer (out from RTM_GETLINK in our namespace) and opens a
 * socket in its namespace. -EPERM: entering it needs CAP_SYS_ADMIN;
 * -ENOENT: no namespace we can see has its id. */
int veth_peer_open(int nl, const struct nl_link *out, struct veth_peer *peer);

/* Whether the peer takes redirected frames already (XDP program or GRO). */
int veth_peer_takes_redirects(struct veth_peer *peer, int *yes);

/* Turns GRO on, remembering to turn it off again in veth_peer_close. */
int veth_peer_gro_on(struct veth_peer *peer);

/* Undoes what was done (GRO off again) and closes; -errno of the undo. */
int veth_peer_close(struct veth_peer *peer);

#endif
