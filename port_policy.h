/* port_policy.h - what to do at a port, decided from what the kernel
 * shows of it, our own programs and the record a killed instance left.
 * Pure: no syscalls, no globals, nothing printed, so every decision of
 * ports.c is unit-tested without root (tests/unit_port_policy.c).
 * ports.c reads the state, asks here and applies the answer. */
#ifndef XRM_PORT_POLICY_H
#define XRM_PORT_POLICY_H

#include <stdint.h>

#include "attach.h"
#include "instance.h"

/* A port as the kernel shows it now. */
struct port_view {
	int present;			/* the interface exists */
	int up;				/* IFF_UP */
	uint32_t ifindex;
	struct xdp_state xdp;		/* what is attached */
	int xdp_is_our_code;		/* that program's tag is our program's */
};

/* Attaching our program (start, and a port that came back). A program
 * of someone else's is left to the kernel's XDP_FLAGS_UPDATE_IF_NOEXIST,
 * which knows the mode it will pick: an offloaded program stays beside
 * ours, one in the mode ours takes makes it refuse (port_policy_attached). */
enum port_attach_action {
	PORT_ATTACH,			/* nothing there */
	PORT_ATTACH_BESIDE_FOREIGN,	/* someone else's, no -F: only where it is free */
	PORT_REPLACE_OURS_STALE,	/* a killed instance's: swapped in one step */
	PORT_REPLACE_FOREIGN,		/* someone else's, and -F */
};

struct port_attach_plan {
	enum port_attach_action action;
	uint32_t mode_flags;		/* for the attach: 0 lets the kernel pick */
	int clobber;			/* without XDP_FLAGS_UPDATE_IF_NOEXIST (-F) */
	uint32_t old_id;		/* the program there, 0 none */
};

/* mode_flags and force as the command line gave them. */
void port_policy_attach(const struct port_view *v, const struct port_record *stale,
			uint32_t mode_flags, int force, struct port_attach_plan *plan);

/* The kernel's answer to the attach: err, and whether it said why. */
enum port_attached {
	PORT_ATTACHED,
	PORT_REFUSE_FOREIGN,		/* another program is in the way: left as it is */
	PORT_ATTACH_FAILED,		/* the kernel's or the driver's reason says why */
};

/* What a refusal of a foreign program advises. */
#define PORT_REFUSE_ADVICE "-F replaces it"

enum port_attached port_policy_attached(const struct port_attach_plan *plan, int err,
					int has_extack);

/* A program a killed instance of ours left: its record names it, or it is
 * ours instruction for instruction (never by name: BCC's example uses
 * the same one). */
int port_policy_stale_ours(const struct port_view *v, const struct port_record *stale);

/* The record a new holder of the port's lock starts with: what a killed
 * instance left that is still there becomes ours to undo. */
void port_policy_inherit(const struct port_view *v, const struct port_record *stale,
			 struct port_record *rec);

/* --detach on a port. */
enum port_detach_action {
	PORT_NOTHING_ATTACHED,
	PORT_DETACH_STALE,		/* ours, left by a killed instance */
	PORT_SKIP_NOT_OURS,		/* someone else's: left, and said */
};

enum port_detach_action port_policy_detach_stale(const struct port_view *v,
						 const struct port_record *stale);

/* Exit: our program was detached with itself as the expected one, so the
 * kernel leaves a program someone put in its place; what its answer means. */
enum port_detached {
	PORT_DETACHED,			/* ours removed, or it was never attached */
	PORT_LEFT_THEIRS,		/* another program replaced ours: it stays */
	PORT_DETACH_GONE,		/* the interface went, and ours with it */
	PORT_DETACH_FAILED,
};

enum port_detached port_policy_detached(int err);

/* An IN's devmap slot: key 0 for one pair, IN's ifindex when multi (-b
 * or several pairs); ifindex is OUT's, or 0 for an empty slot. */
struct port_slot {
	uint32_t key;
	uint32_t ifindex;
};

/* Whether OUT carries a program of ours: attached by us, or still the
 * one a killed instance recorded. */
int port_policy_out_ours(int attached_by_us, const struct port_view *out,
			 const struct port_record *stale);
void port_policy_slot(int multi, const struct port_view *in, const struct port_view *out,
		      int out_ours, struct port_slot *slot);

/* Whether an IN sends into its OUT through its driver (native mode):
 * once attached, the mode it got; before, the mode it will most likely
 * get (the kernel picks native where it can). */
int port_policy_in_native(int in_present, const struct xdp_port *in_x, uint32_t mode_flags);

/* A veth OUT's peer as its namespace shows it. */
struct peer_view {
	const char *name;
	int up;
	uint32_t xdp_prog_id;		/* its XDP program, 0 none */
	int gro_on;			/* read only where GRO gives it NAPI */
};

/* What the peer needs so that frames redirected into OUT reach it. */
enum peer_action {
	PEER_NONE,			/* it takes them already, and nothing is ours */
	PEER_NOT_YET,			/* down: GRO turned on now would not count */
	PEER_GRO_ON,			/* GRO gives NAPI here (5.13) */
	PEER_XDP_PASS,			/* else xdp_dummy gives it */
	PEER_INHERIT_GRO,		/* a killed instance turned GRO on: ours to undo */
	PEER_INHERIT_XDP,		/* a killed instance's xdp_dummy: ours to remove */
	PEER_FORGET,			/* NAPI there is not ours: the record is no longer true */
};

/* Whether the peer runs NAPI, so frames redirected into OUT reach it:
 * an XDP program of its own, or GRO where the kernel gives it NAPI. */
int port_policy_peer_napi(const struct peer_view *peer, int gro_gives_napi);

enum peer_action port_policy_peer(const struct peer_view *peer, int gro_gives_napi,
				  const struct port_record *rec);

/* --detach: the killed instance's change at the peer, if the peer it
 * recorded is still OUT's. */
enum peer_undo {
	PEER_UNDO_NONE,			/* nothing recorded */
	PEER_UNDO_FORGET,		/* another peer now: the recorded one went with its pair */
	PEER_UNDO_GRO,
	PEER_UNDO_XDP,			/* its program, still there: removed */
	PEER_UNDO_XDP_GONE,		/* its program is no longer there */
};

enum peer_undo port_policy_peer_undo(const struct peer_view *peer, const struct port_record *rec);

#endif
