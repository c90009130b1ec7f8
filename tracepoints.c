/* tracepoints.c - the programs on the xdp tracepoints, written here as
 * instruction templates rather than compiled from C: each ctx load's
 * offset is a field of the event that the running kernel's format file
 * places, and the templates patch in with the map fds. They are tiny and
 * run only on failures and on bulk transmits (once per up to 16 frames). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/perf_event.h>

#include "bpf_sys.h"
#include "report.h"
#include "sys.h"
#include "tp_format.h"
#include "tracepoints.h"

/* A template's ld_imm64 imm names a map, its ctx loads (LDX from r6) a
 * field of the event by index. */
enum { TP_MAP_FILTER, TP_MAP_COUNT };

/* The filter map's value, written by us. Failed redirects are ours by
 * the program's id, which is unique; xdp_devmap_xmit records only
 * ifindexes, which are unique in one network namespace only. */
struct tp_filter {
	uint32_t in_ifindex, out_ifindex;
	uint32_t in_prog_id;
};

/* The count map's value, per CPU. */
struct tp_count {
	uint64_t errors;		/* failed redirects and dropped transmits */
	uint64_t xmit;			/* frames OUT's driver took */
	uint64_t err_ns;		/* CLOCK_MONOTONIC of the latest failure */
	int32_t last_err;		/* its -errno, 0 none */
	uint32_t pad;
};

#define TP_FP_KEY (-4)

/* Instructions, not code: r0 = lookup(map, &key 0), and to the final
 * r0 = 0 (jump instructions ahead) when it is NULL. */
#define TP_LOOKUP(map, jump) \
	{ BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0 }, \
	{ BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, TP_FP_KEY }, \
	{ BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, (map) }, { 0, 0, 0, 0, 0 }, \
	{ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem }, \
	{ BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (jump), 0 }

/* last_err = r1, err_ns = now; r0 is the count value. Per CPU, so the
 * reader takes the latest of the CPUs' errnos. */
#define TP_LAST_ERR \
	{ BPF_STX | BPF_MEM | BPF_W, 0, 1, 24, 0 }, \
	{ BPF_ALU64 | BPF_MOV | BPF_X, 7, 0, 0, 0 }, \
	{ BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ktime_get_ns }, \
	{ BPF_STX | BPF_MEM | BPF_DW, 7, 0, 16, 0 }

/* xdp_redirect_err, xdp_redirect_map_err. Fields: 0 prog_id, 1 err. */
static const struct bpf_insn tp_err_insns[] = {
	{ BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0 },
	{ BPF_ST | BPF_MEM | BPF_W, 10, 0, TP_FP_KEY, 0 },
	TP_LOOKUP(TP_MAP_FILTER, 17),
	{ BPF_LDX | BPF_MEM | BPF_W, 1, 0, 8, 0 },		/* filter: our program */
	{ BPF_LDX | BPF_MEM | BPF_W, 2, 6, 0, 0 },		/* event prog_id */
	{ BPF_JMP | BPF_JNE | BPF_X, 1, 2, 14, 0 },
	TP_LOOKUP(TP_MAP_COUNT, 8),
	{ BPF_LDX | BPF_MEM | BPF_DW, 1, 0, 0, 0 },
	{ BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 1 },
	{ BPF_STX | BPF_MEM | BPF_DW, 0, 1, 0, 0 },		/* errors += 1 */
	{ BPF_LDX | BPF_MEM | BPF_W, 1, 6, 1, 0 },		/* err */
	TP_LAST_ERR,
	{ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0 },
	{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
};

/* xdp_devmap_xmit. Fields: 0 from_ifindex, 1 to_ifindex, 2 sent,
 * 3 drops, 4 err. */
static const struct bpf_insn tp_xmit_insns[] = {
	{ BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0 },
	{ BPF_ST | BPF_MEM | BPF_W, 10, 0, TP_FP_KEY, 0 },
	TP_LOOKUP(TP_MAP_FILTER, 26),
	{ BPF_LDX | BPF_MEM | BPF_W, 1, 0, 0, 0 },		/* filter: IN */
	{ BPF_LDX | BPF_MEM | BPF_W, 2, 6, 0, 0 },		/* from_ifindex */
	{ BPF_JMP | BPF_JNE | BPF_X, 1, 2, 23, 0 },
	{ BPF_LDX | BPF_MEM | BPF_W, 1, 0, 4, 0 },		/* filter: OUT */
	{ BPF_LDX | BPF_MEM | BPF_W, 2, 6, 1, 0 },		/* to_ifindex */
	{ BPF_JMP | BPF_JNE | BPF_X, 1, 2, 20, 0 },
	TP_LOOKUP(TP_MAP_COUNT, 14),
	{ BPF_LDX | BPF_MEM | BPF_DW, 1, 0, 8, 0 },
	{ BPF_LDX | BPF_MEM | BPF_W, 2, 6, 2, 0 },
	{ BPF_ALU64 | BPF_ADD | BPF_X, 1, 2, 0, 0 },
	{ BPF_STX | BPF_MEM | BPF_DW, 0, 1, 8, 0 },		/* xmit += sent */
	{ BPF_LDX | BPF_MEM | BPF_DW, 1, 0, 0, 0 },
	{ BPF_LDX | BPF_MEM | BPF_W, 2, 6, 3, 0 },
	{ BPF_ALU64 | BPF_ADD | BPF_X, 1, 2, 0, 0 },
	{ BPF_STX | BPF_MEM | BPF_DW, 0, 1, 0, 0 },		/* errors += drops */
	{ BPF_LDX | BPF_MEM | BPF_W, 1, 6, 4, 0 },		/* err */
	{ BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 4, 0 },
	TP_LAST_ERR,
	{ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0 },
	{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
};

#define TP_FIELDS_MAX 5

static const struct tp_event {
	const char *name;		/* under events/xdp/ */
	const struct bpf_insn *insns;
	uint32_t insn_cnt;
	const char *fields[TP_FIELDS_MAX];
	int optional;			/* older kernels fire it for map redirects */
} tp_events[TP_EVENTS] = {
	{ "xdp_redirect_err", tp_err_insns, sizeof(tp_err_insns) / sizeof(tp_err_insns[0]),
	  { "prog_id", "err" }, 0 },
	{ "xdp_redirect_map_err", tp_err_insns, sizeof(tp_err_insns) / sizeof(tp_err_insns[0]),
	  { "prog_id", "err" }, 1 },
	{ "xdp_devmap_xmit", tp_xmit_insns, sizeof(tp_xmit_insns) / sizeof(tp_xmit_insns[0]),
	  { "from_ifindex", "to_ifindex", "sent", "drops", "err" }, 0 },
};

/* A small file of tracefs, terminated; its length or -errno. */
static int tp_read_file(const char *dir, const char *event, const char *file,
			char *buf, size_t size)
{
	char path[128];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), "%s/events/xdp/%s/%s", dir, event, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	/* errno before close(), which may set it. */
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	return (int)n;
}

/* The template with the event's field offsets and our map fds. */
static int tp_patch(const struct tp *t, const struct tp_event *e, const char *format,
		    struct bpf_insn *insns)
{
	uint32_t i, off;
	int err;

	memcpy(insns, e->insns, e->insn_cnt * sizeof(*insns));
	for (i = 0; i < e->insn_cnt; i++) {
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) && insns[i].src_reg)
			insns[i].imm = insns[i].imm == TP_MAP_FILTER ? t->filter_fd : t->count_fd;
		if (insns[i].code != (BPF_LDX | BPF_MEM | BPF_W) || insns[i].src_reg != 6)
			continue;
		err = tp_format_field(format, e->fields[insns[i].off], sizeof(uint32_t), &off);
		if (err)
			return err;
		insns[i].off = (int16_t)off;
	}
	return 0;
}

/* One event: its program loaded and attached through a perf event. */
static int tp_attach(struct tp *t, const char *dir, int idx)
{
	struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(a),
				     .sample_period = 1, .wakeup_events = 1 };
	struct bpf_insn insns[sizeof(tp_xmit_insns) / sizeof(tp_xmit_insns[0])];
	struct bpf_prog_desc d = { .type = BPF_PROG_TYPE_TRACEPOINT, .name = "xdp_redirect_mo",
				   .license = "GPL", .insns = insns };
	const struct tp_event *e = &tp_events[idx];
	char buf[4096];
	int err = tp_read_file(dir, e->name, "id", buf, sizeof(buf));

	if (err < 0)
		return err;
	a.config = strtoul(buf, NULL, 10);
	err = tp_read_file(dir, e->name, "format", buf, sizeof(buf));
	if (err >= 0)
		err = tp_patch(t, e, buf, insns);
	if (err < 0)
		return err;
	d.insn_cnt = e->insn_cnt;
	t->prog_fds[idx] = bpf_prog_load(&d, NULL, 0);
	if (t->prog_fds[idx] < 0)
		return t->prog_fds[idx];
	/* One event on CPU 0 is enough: the kernel runs a tracepoint's
	 * programs on every CPU. */
	t->perf_fds[idx] = sys_perf_event_open(&a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (t->perf_fds[idx] < 0)
		return t->perf_fds[idx];
	if (ioctl(t->perf_fds[idx], PERF_EVENT_IOC_SET_BPF, t->prog_fds[idx]) < 0 ||
	    ioctl(t->perf_fds[idx], PERF_EVENT_IOC_ENABLE, 0) < 0)
		return -errno;
	return 0;
}

/* tracefs where it is mounted: since 4.1 on its own, else in debugfs. */
static const char *tp_tracefs(void)
{
	if (access("/sys/kernel/tracing/events/xdp", F_OK) == 0)
		return "/sys/kernel/tracing";
	if (access("/sys/kernel/debug/tracing/events/xdp", F_OK) == 0)
		return "/sys/kernel/debug/tracing";
	return NULL;
}

static int tp_maps(struct tp *t)
{
	t->filter_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xrm_tp_filter", sizeof(uint32_t),
				      sizeof(struct tp_filter), 1, 0);
	t->count_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "xrm_tp_count", sizeof(uint32_t),
				     sizeof(struct tp_count), 1, 0);
	t->ncpus = bpf_possible_cpus();
	if (t->filter_fd < 0 || t->count_fd < 0)
		return t->filter_fd < 0 ? t->filter_fd : t->count_fd;
	if (t->ncpus < 0)
		return t->ncpus;
	t->buf = calloc((size_t)t->ncpus, sizeof(struct tp_count));
	return t->buf ? 0 : -ENOMEM;
}

void tp_init(struct tp *t)
{
	memset(t, 0, sizeof(*t));
	t->filter_fd = t->count_fd = -1;
	memset(t->prog_fds, -1, sizeof(t->prog_fds));
	memset(t->perf_fds, -1, sizeof(t->perf_fds));
}

/* Every event, or the name of the one that failed. */
static int tp_attach_all(struct tp *t, const char *dir, const char **who)
{
	int i, err = tp_maps(t);

	*who = "tracepoints";
	for (i = 0; !err && i < TP_EVENTS; i++) {
		*who = tp_events[i].name;
		err = tp_attach(t, dir, i);
		if (err == -ENOENT && tp_events[i].optional)
			err = 0;
	}
	return err;
}

void tp_open(struct tp *t, int in_ifindex, int out_ifindex, uint32_t in_prog_id)
{
	const char *dir = tp_tracefs(), *who;
	int err;

	if (!dir) {
		report_error("tracefs", "not mounted (/sys/kernel/tracing): no err/s and xmit/s", 0,
			     NULL);
		return;
	}
	err = tp_attach_all(t, dir, &who);
	if (err)
		report_error(who, err == -EACCES || err == -EPERM ?
			     "no err/s and xmit/s: CAP_PERFMON needed" : "no err/s and xmit/s",
			     err, NULL);
	t->on = !err;
	tp_filter(t, in_ifindex, out_ifindex, in_prog_id);
}

void tp_filter(struct tp *t, int in_ifindex, int out_ifindex, uint32_t in_prog_id)
{
	struct tp_filter f = { (uint32_t)in_ifindex, (uint32_t)out_ifindex, in_prog_id };
	uint32_t key = 0;

	if (t->on)
		bpf_map_update(t->filter_fd, &key, &f, BPF_ANY);
}

void tp_read(struct tp *t, struct stats_count *c)
{
	const struct tp_count *v = (const struct tp_count *)t->buf;
	uint64_t latest_ns = 0;
	uint32_t key = 0;
	int i;

	if (!t->on || bpf_map_lookup(t->count_fd, &key, t->buf))
		return;
	for (i = 0; i < t->ncpus; i++) {
		c->errors += v[i].errors;
		c->xmit += v[i].xmit;
		if (v[i].last_err && v[i].err_ns >= latest_ns) {
			c->last_err = v[i].last_err;
			latest_ns = v[i].err_ns;
		}
	}
}

void tp_close(struct tp *t)
{
	int i;

	for (i = 0; i < TP_EVENTS; i++) {
		if (t->perf_fds[i] >= 0)
			close(t->perf_fds[i]);
		if (t->prog_fds[i] >= 0)
			close(t->prog_fds[i]);
	}
	if (t->filter_fd >= 0)
		close(t->filter_fd);
	if (t->count_fd >= 0)
		close(t->count_fd);
	free(t->buf);
	t->buf = NULL;
}
