/* tracepoints.h - what happened to the forwarded frames: programs on the
 * xdp:xdp_redirect_err (and xdp_redirect_map_err, which older kernels
 * fire for map redirects) and xdp:xdp_devmap_xmit tracepoints count,
 * per direction (an IN and its OUT), failed redirects with their errno,
 * the frames OUT's driver took and those it dropped.
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

#include "prog/xdp_tracepoints.h"
#include "stats.h"

/* Programs and perf events: one per tracepoint in the table. */
#define TP_EVENTS 3

struct tp {
	int on;				/* attached: the counts are real */
	int filter_fd;			/* hash: IN's ifindex to its direction */
	int count_fd;			/* per-CPU array: the counts of each direction */
	uint32_t in_ifindex[TP_DIRS_MAX];	/* each direction's key in filter_fd, 0 none */
	int prog_fds[TP_EVENTS];
	int perf_fds[TP_EVENTS];
	int ncpus;
	uint8_t *buf;			/* the per-CPU counts of a lookup */
};

/* tp_init makes a tp that tp_close takes as it is. */
void tp_init(struct tp *t);

/* Attaches every event: 0, or -errno with who naming the event (or
 * "tracefs") and why the loader's or our words ("" for none). The run
 * goes on without the counts; the caller says what it lacks. Nothing is
 * counted until tp_filter names a direction. */
int tp_open(struct tp *t, const char **who, char *why, size_t why_size);

/* Direction dir (< TP_DIRS_MAX) is IN to OUT, with IN's program; again
 * when they moved (hot-plug), and in_ifindex 0 for an IN that is gone.
 * Failed redirects are told by IN's ifindex and program id, transmits by
 * the two ifindexes (all xdp_devmap_xmit records): a pair of interfaces
 * with the same ifindexes in another network namespace adds to xmit. */
void tp_filter(struct tp *t, uint32_t dir, int in_ifindex, int out_ifindex, uint32_t in_prog_id);

/* failed, dropped, xmit and last_err of direction dir to c, when on. */
void tp_read(struct tp *t, uint32_t dir, struct stats_count *c);

void tp_close(struct tp *t);

#endif
