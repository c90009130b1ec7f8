/* tracepoints.h - what happened to the forwarded frames: programs on the
 * xdp:xdp_redirect_err (and xdp_redirect_map_err, which older kernels
 * fire for map redirects) and
 * xdp:xdp_devmap_xmit tracepoints, filtered to IN and OUT, count failed
 * redirects with their errno and the frames OUT's driver took.
 *
 * Tracepoint programs (BPF_PROG_TYPE_TRACEPOINT, attached with
 * perf_event_open and PERF_EVENT_IOC_SET_BPF) read the event's record,
 * whose ifindexes and counts are plain integers at offsets given in
 * tracefs: no BTF of the kernel needed, which routers' kernels lack.
 * Where tracefs, a tracepoint or the privilege is missing tp_open says
 * which and why, for the forwarder's one line; the run goes on without
 * these counts (and without the guard, which reads them). */
#ifndef XRM_TRACEPOINTS_H
#define XRM_TRACEPOINTS_H

#include "stats.h"

/* Programs and perf events: one per tracepoint in the table. */
#define TP_EVENTS 3

struct tp {
	int on;				/* attached: the counts are real */
	int filter_fd;			/* array: IN and OUT ifindex */
	int count_fd;			/* per-CPU array: the counts */
	int prog_fds[TP_EVENTS];
	int perf_fds[TP_EVENTS];
	int ncpus;
	uint8_t *buf;			/* the per-CPU counts of a lookup */
};

/* tp_init makes a tp that tp_close takes as it is. */
void tp_init(struct tp *t);

/* Attaches every event: 0, or -errno with who naming the event (or
 * "tracefs") and why the loader's or our words ("" for none). The run
 * goes on without the counts; the caller says what it lacks. */
int tp_open(struct tp *t, int in_ifindex, int out_ifindex, uint32_t in_prog_id,
	    const char **who, char *why, size_t why_size);

/* IN and OUT moved (hot-plug): the programs count for the new ones.
 * Failed redirects are told by IN's program id, transmits by the two
 * ifindexes (all xdp_devmap_xmit records): a pair of interfaces with the
 * same ifindexes in another network namespace adds to xmit. */
void tp_filter(struct tp *t, int in_ifindex, int out_ifindex, uint32_t in_prog_id);

/* errors, xmit and last_err of c, when on. */
void tp_read(struct tp *t, struct stats_count *c);

void tp_close(struct tp *t);

#endif
