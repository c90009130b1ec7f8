/* xdp_tracepoints.h - what the tracepoint programs (prog/xdp_tracepoints.c)
 * and their reader (tracepoints.c) share: the values of the filter and
 * count maps. Only <linux/types.h>, so that clang -target bpf and the
 * target's compiler read the same layout. */
#ifndef XRM_XDP_TRACEPOINTS_H
#define XRM_XDP_TRACEPOINTS_H

#include <linux/types.h>

/* The maps' names in the object, and the kernel's (15 characters). */
#define TP_FILTER_MAP "xrm_tp_filter"
#define TP_COUNT_MAP "xrm_tp_count"

/* Directions counted apart: one per IN, as many as a router has ports
 * (ports.h's PORTS_MAX; forwarder.c asserts it fits). */
#define TP_DIRS_MAX 16

/* The filter map's value, keyed by IN's ifindex, written by the reader.
 * Failed redirects are ours by the program's id, which is unique;
 * xdp_devmap_xmit records only ifindexes, which are unique in one
 * network namespace only. */
struct tp_filter {
	__u32 dir;			/* the count map's key, < TP_DIRS_MAX */
	__u32 out_ifindex;
	__u32 in_prog_id;
};

/* The count map's value, per CPU and direction. A failure is a state
 * of OUT (the guard's business); a drop with err 0 is OUT's driver
 * taking fewer frames than given (a full ring: overload). */
struct tp_count {
	__u64 failed;			/* failed redirects, transmits dropped with an errno */
	__u64 dropped;			/* transmits dropped with err 0 */
	__u64 xmit;			/* frames OUT's driver took */
	__u64 err_ns;			/* CLOCK_MONOTONIC of the latest failure */
	__s32 last_err;			/* its -errno, 0 none */
	__u32 pad;
};

/* 32-bit targets align __u64 to 4 in a struct; these layouts do not
 * depend on it. */
_Static_assert(sizeof(struct tp_filter) == 12, "tp_filter as the programs see it");
_Static_assert(sizeof(struct tp_count) == 40, "tp_count as the programs see it");

#endif
