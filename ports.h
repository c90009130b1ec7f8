/* ports.h - a router's ports through their lives: attach without
 * clobbering (taking over what a killed instance of ours left), follow
 * the interfaces as they go down, vanish and come back, and on exit
 * remove only what is ours. Each IN forwards to one OUT; a port may be
 * the OUT of several INs, and IN and OUT of each other (-b). Part of the
 * top layer: prints events and errors. */
#ifndef XRM_PORTS_H
#define XRM_PORTS_H

#include <linux/if_ether.h>

#include "attach.h"
#include "probe.h"
#include "instance.h"
#include "port_policy.h"
#include "stats.h"
#include "veth_peer.h"

/* A router's ports, one IN to one OUT each: two ports per pair at most. */
#define PORTS_PAIRS_MAX 8
#define PORTS_MAX (2 * PORTS_PAIRS_MAX)
/* --dst-mac given more often than a router has ports is a mistake. */
#define PORTS_DST_MACS_MAX 16

/* --dst-mac [PORT=]MAC: the next hop behind an OUT. */
struct ports_dst_mac {
	const char *port;		/* as given; "" for the only OUT */
	const uint8_t *mac;		/* ETH_ALEN bytes */
};

/* What the ports take of the command line; forwarder.c fills it. */
struct ports_config {
	char *const *names;		/* IN1 OUT1 IN2 OUT2 ...: names or ifindexes */
	uint32_t nnames;		/* 2 per pair, at most PORTS_MAX */
	int bidir;			/* -b: each OUT forwards to its IN too */
	int multi;			/* -b or several pairs: slots keyed by ingress ifindex */
	uint32_t mode_flags;		/* 0 (the kernel picks), XDP_FLAGS_SKB_MODE or _DRV_MODE */
	int force;			/* -F: replace a program someone else attached */
	int wait;			/* --wait: for ports not there yet */
	struct ports_dst_mac dst_macs[PORTS_DST_MACS_MAX];
	uint32_t ndst_macs;
};

/* What a port is as an IN: where its frames go and what it counted. */
struct port_as_in {
	struct port_slot slot;		/* its devmap slot as written, ifindex 0 empty */
	int guard_off;			/* the guard keeps the slot empty */
	int guard_unrecorded;		/* a failure to record the guard's state was said */
	uint32_t cnt_key;		/* multi: its key in rxcnt_pairs, 0 for none */
	struct stats_count before;	/* multi: counted under earlier ifindexes */
};

/* What a port is as an OUT: its veth peer and, with -X, its MACs. */
struct port_as_out {
	struct veth_peer peer;		/* its veth peer, nl -1 if none */
	int peer_err;			/* the failure at the peer last said, 0 none */
	const uint8_t *dst_mac;		/* -X: --dst-mac, NULL for none */
	uint32_t macs_ifindex;		/* -X: its key in egress_macs, 0 none */
	uint8_t macs_src[ETH_ALEN];	/* the source MAC written there */
};

/* A port, in either role or both (-b): as_in is used where to >= 0
 * (port_is_in), as_out where some IN's to names it. */
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
	struct port_as_in as_in;
	struct port_as_out as_out;
};

static inline int port_is_in(const struct port *pt)
{
	return pt->to >= 0;
}

struct ports {
	int nl;				/* rtnetlink requests */
	struct ports_config cfg;
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

/* The ports of cfg's pairs, each named once, with their roles. */
void ports_init(struct ports *p, int nl, const struct ports_config *cfg);

/* Resolve the names (-ENODEV for one missing, unless --wait), refuse two
 * that are the same interface (-EINVAL, usage set: the command line's
 * fault), and take the locks (-EBUSY). */
int ports_open(struct ports *p);

/* Attach OUTs then INs, fill the devmap, give veth OUTs' peers NAPI. */
int ports_attach(struct ports *p);

/* After link events: follow what went down, vanished or came back, in
 * two steps, so that the caller can look at the ports that came (back)
 * as they are before our program and the peers' GRO change them, as at
 * the start (the prediction). ports_sync_find reads the ports and returns
 * those that came: bit i for port i; ports_sync_attach attaches them and
 * brings the peers and devmap entries up to date. */
uint32_t ports_sync_find(struct ports *p);
void ports_sync_attach(struct ports *p, uint32_t came);

/* The guard: IN i's devmap entry emptied (off) because redirects into
 * its OUT fail with err (-errno; 0 when the guard, blind, saw only that
 * OUT sent nothing), or filled again; IN's record says which. */
void ports_guard_slot(struct ports *p, uint32_t i, int off, int32_t err);

/* The guard lets go of IN i's slot (its IN or OUT came back): no longer
 * held empty, nor recorded; ports_sync_attach fills it with the rest. */
void ports_guard_release(struct ports *p, uint32_t i);

/* Multi: what IN i has forwarded, over all its ifindexes. */
int ports_count(struct ports *p, uint32_t i, struct stats_count *c);

/* Detach INs then OUTs, undo the peers, drop the locks; -errno if any
 * of it failed. */
int ports_close(struct ports *p);

/* --detach: remove what a killed instance left on every port. */
int ports_detach_stale(struct ports *p);

#endif
