/* guard.h - the run-time guard of one IN's devmap slot: it notices that
 * redirects into OUT fail for a reason that persists, has the slot
 * emptied (frames then take the program's fallback, XDP_PASS, to IN's
 * own stack), retries at growing intervals and says when forwarding is
 * back. A pure state machine: no syscalls, no globals, nothing printed;
 * forwarder.c feeds it once per statistics period and acts on its answer. */
#ifndef XRM_GUARD_H
#define XRM_GUARD_H

#include <stdint.h>

/* A trip takes one period in which redirects failed with a persistent
 * errno and OUT's driver took no frame at all (in generic mode, whose
 * transmits are not traced: in which nearly all frames failed). Drops
 * of an overloaded OUT (a full ring, err 0) are not failures: they never
 * trip it. A black hole that opens mid-period shows in that period as
 * partial, and trips at the next: within two periods of the first lost
 * frame. */

/* Dead: at least all but 1/8 of the period's frames failed. */
#define GUARD_DEAD_SHARE 8

/* Blind (no tracepoints: routers' kernels often lack tracefs): a period
 * is dead when IN redirected at least this many frames to an OUT that is
 * up and OUT's transmit count did not move at all. Any OUT that works
 * transmits something of 16 frames in a period, overloaded or not (it
 * counts redirected frames among its transmits, as veth and the drivers
 * with XDP transmit do); too few frames tell nothing. */
#define GUARD_BLIND_FRAMES 16

/* Retries: the first after 1 s (an "ip link set up" mends at once), then
 * doubling, so that a hole the cheap checks cannot see (a veth peer
 * without NAPI) costs at most one period of frames per wait, which
 * halves in share each time; capped at 60 s so that a mend is followed
 * within two minutes at worst. A retry waits for what can be seen
 * without a frame (OUT up, carrier, a new MTU after EMSGSIZE); the MTU
 * for 60 s at most, since smaller frames mend EMSGSIZE too. */
#define GUARD_RETRY_FIRST_S 1
#define GUARD_RETRY_MAX_S 60

enum guard_state {
	GUARD_FORWARDING,		/* the slot holds OUT */
	GUARD_TRIPPED,			/* the guard emptied the slot */
	GUARD_TRIAL,			/* refilled on trial; the next period tells */
};

enum guard_action {
	GUARD_NONE,
	GUARD_TRIP,			/* empty the slot */
	GUARD_RETRY,			/* refill the slot */
	GUARD_RESTORED,			/* the trial went well: say so */
};

/* One statistics period of one IN, deltas. */
struct guard_period {
	uint64_t frames;		/* counted by IN's program */
	uint64_t failed;		/* redirects failed, transmits dropped with an errno */
	uint64_t dropped;		/* transmits dropped with err 0: overload, not failure */
	uint64_t xmit;			/* frames OUT's driver took; blind: OUT's transmits */
	int32_t err;			/* -errno of the latest failure, 0 none */
	uint32_t ms;			/* the period's length */
	int blind;			/* no tracepoints: failures unseen, no errno */
};

/* What can be told of OUT without sending a frame, read at each tick
 * while tripped: a retry into a hole still there would lose a period. */
struct guard_out {
	int up;				/* IFF_UP */
	int carrier;			/* IFF_LOWER_UP */
	uint32_t mtu;
};

struct guard {
	enum guard_state state;
	int32_t err;			/* -errno that tripped it */
	uint32_t mtu;			/* OUT's MTU at the trip */
	uint32_t retry_s;		/* the wait after the next failed trial */
	uint32_t wait_ms;		/* until the next trial */
	uint32_t tripped_ms;		/* since the last trip */
	uint32_t trips;			/* trips since the last restore; 1: say it */
	uint64_t lost;			/* failed frames, in total (not the dropped) */
	uint64_t saved;			/* frames sent to IN's stack while tripped */
	uint64_t lost_rate;		/* frames/s lost in the period that tripped it */
};

void guard_init(struct guard *g);

/* Whether an errno of a failed redirect stands for a state of OUT (down,
 * MTU, no XDP transmit, a veth peer without NAPI) rather than a moment. */
int guard_err_persists(int32_t err);

/* The period that ended, and OUT as it is now: what to do with the slot. */
enum guard_action guard_tick(struct guard *g, const struct guard_period *p,
			     const struct guard_out *out);

/* IN or OUT came back, maybe as another device: what tripped the guard
 * was about the old one. Forwarding again, the next wait 1 s; the totals
 * (lost, saved) stay. The caller gives the slot back to the ports. */
void guard_restart(struct guard *g);

/* "forwarding", "tripped", "trial": for --json and --status. */
const char *guard_state_name(enum guard_state s);

#endif
