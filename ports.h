/* ports.h - IN and OUT through their lives: attach without clobbering
 * (taking over what a killed instance of ours left), follow the
 * interfaces as they go down, vanish and come back, and on exit remove
 * only what is ours. Part of the top layer: prints events and errors. */
#ifndef XRM_PORTS_H
#define XRM_PORTS_H

#include "attach.h"
#include "instance.h"
#include "options.h"
#include "veth_peer.h"

struct port {
	const char *arg;		/* as given: a name or an ifindex */
	int prog_fd;			/* our program for this port */
	const char *prog_name;		/* its full name (the kernel keeps 15 chars) */
	struct prog_ident ours;		/* its id and tag */
	struct xdp_port x;		/* name, ifindex, what is attached */
	struct nl_link link;		/* the interface as last seen */
	int present;			/* it exists now */
	struct instance_lock lock;
	struct port_record stale;	/* what a killed instance recorded */
	struct veth_peer peer;		/* OUT: its veth peer, nl -1 if none */
	const uint8_t *dst_mac;		/* OUT with -X: --dst-mac, NULL for none */
	uint32_t macs_ifindex;		/* its key in egress_macs, 0 for none */
	uint8_t macs_src[6];		/* the source MAC written there */
};

struct pair {
	int nl;				/* rtnetlink requests */
	const struct options *o;
	int tx_fd;			/* the devmap tx_port */
	uint32_t slot;			/* ifindex in tx_port[0], 0 when empty */
	int frags;			/* programs loaded with BPF_F_XDP_HAS_FRAGS */
	int egress_fd;			/* -X: xdp_egress, rides in tx_port; else -1 */
	int macs_fd;			/* -X: egress_macs; else -1 */
	struct port in, out;
};

void ports_init(struct pair *p, int nl, const struct options *o);

/* Resolve both names (-ENODEV for one missing, unless --wait), refuse IN
 * equal to OUT (-EINVAL), and take both ports' locks (-EBUSY). */
int ports_open(struct pair *p);

/* Attach OUT then IN, fill the devmap slot, give a veth OUT's peer NAPI. */
int ports_attach(struct pair *p);

/* After link events: follow what went down, vanished or came back. */
void ports_sync(struct pair *p);

/* Detach IN then OUT, undo the peer, drop the locks; -errno if any of it
 * failed. */
int ports_close(struct pair *p);

/* --detach: remove what a killed instance left on both ports. */
int ports_detach_stale(struct pair *p);

#endif
