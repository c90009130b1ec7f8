/* ports.h - a router's ports through their lives: attach without
 * clobbering (taking over what a killed instance of ours left), follow
 * the interfaces as they go down, vanish and come back, and on exit
 * remove only what is ours. Each IN forwards to one OUT; a port may be
 * the OUT of several INs, and IN and OUT of each other (-b). Part of the
 * top layer: prints events and errors. */
#ifndef XRM_PORTS_H
#define XRM_PORTS_H

#include "attach.h"
#include "probe.h"
#include "instance.h"
#include "options.h"
#include "stats.h"
#include "veth_peer.h"

/* Two per pair at most. */
#define PORTS_MAX (2 * OPTIONS_PAIRS_MAX)

struct port {
	const char *arg;		/* as given: a name or an ifindex */
	int to;				/* IN: index of its OUT; -1 for a port only OUT */
	int prog_fd;			/* our program for this port */
	const char *prog_name;		/* its full name (the kernel keeps 15 chars) */
	struct prog_ident ours;		/* its id and tag */
	struct xdp_port x;		/* name, ifindex, what is attached */
	struct nl_link link;		/* the interface as last seen */
	int present;			/* it exists now */
	struct instance_lock lock;
	struct port_record stale;	/* what a killed instance recorded */
	struct port_record rec;		/* what we record: ours, and what we inherited */
	struct veth_peer peer;		/* OUT: its veth peer, nl -1 if none */
	int peer_err;			/* OUT: the failure at the peer last said, 0 none */
	uint32_t tx_key;		/* IN: its devmap key (0, or its ifindex if multi) */
	uint32_t tx_ifindex;		/* IN: the OUT written there, 0 when empty */
	int guard_off;			/* IN: the guard keeps its entry empty */
	uint32_t cnt_key;		/* IN, multi: its key in rxcnt_pairs, 0 for none */
	struct stats_count before;	/* IN, multi: counted under earlier ifindexes */
	const uint8_t *dst_mac;		/* OUT with -X: --dst-mac, NULL for none */
	uint32_t macs_ifindex;		/* OUT with -X: its key in egress_macs, 0 none */
	uint8_t macs_src[OPTIONS_MAC_BYTES];	/* the source MAC written there */
};

struct ports {
	int nl;				/* rtnetlink requests */
	const struct options *o;
	int multi;			/* -b or several pairs: keyed by ingress ifindex */
	int tx_fd;			/* tx_port (slot 0), or tx_pairs if multi */
	int cnt_fd;			/* multi: rxcnt_pairs; else -1 */
	struct stats *st;		/* multi: reads rxcnt_pairs */
	int frags;			/* programs loaded with BPF_F_XDP_HAS_FRAGS */
	struct features *feat;		/* what the kernel offers; veth_gro probed here */
	int pass_fd;			/* xdp_dummy (XDP_PASS), for a veth peer without NAPI */
	int egress_fd;			/* -X: xdp_egress, rides in the devmap; else -1 */
	int macs_fd;			/* -X: egress_macs; else -1 */
	struct port port[PORTS_MAX];
	uint32_t n;
	int usage;			/* ports_open failed on the command line's words (exit 2) */
};

/* The interface a word of the command line names: an ifindex if it is
 * all digits, else a name. */
int ports_link_get(int nl, const char *word, struct nl_link *l);

/* The interface's name once known, else the word given for it. */
const char *port_name(const struct port *pt);

/* The ports of o's pairs, each named once, with their roles. */
void ports_init(struct ports *p, int nl, const struct options *o);

/* Resolve the names (-ENODEV for one missing, unless --wait), refuse two
 * that are the same interface (-EINVAL, usage set: the command line's
 * fault), and take the locks (-EBUSY). */
int ports_open(struct ports *p);

/* Attach OUTs then INs, fill the devmap, give veth OUTs' peers NAPI. */
int ports_attach(struct ports *p);

/* After link events: follow what went down, vanished or came back. */
void ports_sync(struct ports *p);

/* The guard: IN i's devmap entry emptied (off) or filled again. */
void ports_guard_slot(struct ports *p, uint32_t i, int off);

/* Multi: what IN i has forwarded, over all its ifindexes; and the sum
 * over the INs. */
int ports_count(struct ports *p, uint32_t i, struct stats_count *c);
void ports_total(struct ports *p, struct stats_count *c);

/* Detach INs then OUTs, undo the peers, drop the locks; -errno if any
 * of it failed. */
int ports_close(struct ports *p);

/* --detach: remove what a killed instance left on every port. */
int ports_detach_stale(struct ports *p);

#endif
