/* tracepoints.c - the programs of prog/xdp_tracepoints.c on the xdp
 * tracepoints: the embedded object loaded once per event, its record's
 * field offsets (CO-RE relocations) taken from the event's tracefs
 * format file, and attached through a perf event. They are tiny and run
 * only on failures and on bulk transmits (once per up to 16 frames). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bpf_sys.h"
#include "decimal.h"
#include "embed.h"
#include "loader.h"
#include "sys.h"
#include "tp_format.h"
#include "tracepoints.h"

/* Each program reads one struct, its event's record (the same for the
 * two error events, as in the kernel). */
static const struct tp_event {
	const char *name;		/* under events/xdp/ */
	const char *prog;		/* its program in the object */
	int optional;			/* older kernels fire it for map redirects */
} tp_events[TP_EVENTS] = {
	{ "xdp_redirect_err", "xrm_tp_err", 0 },
	{ "xdp_redirect_map_err", "xrm_tp_err", 1 },
	{ "xdp_devmap_xmit", "xrm_tp_xmit", 0 },
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

/* The loader's CO-RE resolver (elf_core_fn): the offset of member in
 * the event's record, from its format file (ctx). The program being
 * loaded reads no other struct. */
static int tp_field_off(void *ctx, const char *type_name, const char *member,
			uint32_t size_bytes)
{
	uint32_t off;
	int err = tp_format_field(ctx, member, size_bytes, &off);

	(void)type_name;
	return err ? err : (int)off;
}

/* Event idx's program, with the offsets of this kernel's record: its fd
 * is ours, so that the same program can be loaded for the next event. */
static int tp_load(struct tp *t, struct loader *l, const char *format, int idx)
{
	int p = elf_prog_find(&l->elf, tp_events[idx].prog), err;

	if (p < 0)
		return p;
	err = loader_load_prog_core(l, (uint32_t)p, 0, tp_field_off, (void *)format);
	if (err)
		return err;
	t->prog_fds[idx] = l->prog_fds[p];
	l->prog_fds[p] = -1;
	return 0;
}

/* One event: its program loaded and attached through a perf event. */
static int tp_attach(struct tp *t, struct loader *l, const char *dir, int idx)
{
	struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(a),
				     .sample_period = 1, .wakeup_events = 1 };
	const struct tp_event *e = &tp_events[idx];
	char buf[4096];
	const char *end;
	uint32_t id;
	int err = tp_read_file(dir, e->name, "id", buf, sizeof(buf));

	if (err < 0)
		return err;
	if (decimal_u32(buf, &end, UINT32_MAX, &id))
		return -EINVAL;
	a.config = id;
	err = tp_read_file(dir, e->name, "format", buf, sizeof(buf));
	if (err >= 0)
		err = tp_load(t, l, buf, idx);
	if (err < 0)
		return err;
	/* One event on CPU 0 is enough: the kernel runs a tracepoint's
	 * programs on every CPU. */
	t->perf_fds[idx] = sys_perf_event_open(&a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (t->perf_fds[idx] < 0)
		return t->perf_fds[idx];
	err = sys_ioctl(t->perf_fds[idx], PERF_EVENT_IOC_SET_BPF,
			(void *)(uintptr_t)t->prog_fds[idx]);
	return err ? err : sys_ioctl(t->perf_fds[idx], PERF_EVENT_IOC_ENABLE, NULL);
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

/* The maps the loader made become ours: they outlive the loader. */
static int tp_take_maps(struct tp *t, struct loader *l)
{
	static const char *const syms[] = { TP_FILTER_MAP, TP_COUNT_MAP };
	int *fds[] = { &t->filter_fd, &t->count_fd }, i, m;

	for (i = 0; i < 2; i++) {
		m = elf_map_find(&l->elf, syms[i]);
		if (m < 0)
			return m;
		*fds[i] = l->map_fds[m];
		l->map_fds[m] = -1;
	}
	return 0;
}

/* The embedded object opened, its maps made. */
static int tp_maps(struct tp *t, struct loader *l)
{
	int err = loader_open_core(l, embed_tp_obj_start,
				   (size_t)(embed_tp_obj_end - embed_tp_obj_start));

	if (!err)
		err = loader_create_maps(l);
	if (err)
		return err;
	t->ncpus = bpf_possible_cpus();
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

/* Every event, or the name of the one that failed and, where the
 * loader said it, why (in l). */
static int tp_attach_all(struct tp *t, struct loader *l, const char *dir, const char **who)
{
	int i, err = tp_maps(t, l);

	*who = "tracepoints";
	for (i = 0; !err && i < TP_EVENTS; i++) {
		*who = tp_events[i].name;
		l->err[0] = '\0';
		err = tp_attach(t, l, dir, i);
		if (err == -ENOENT && tp_events[i].optional && !l->err[0])
			err = 0;
	}
	/* The programs are linked with the loader's map fds. */
	return err ? err : tp_take_maps(t, l);
}

int tp_open(struct tp *t, const char **who, char *why, size_t why_size)
{
	const char *dir = tp_tracefs();
	struct loader *l;
	int err;

	*who = "tracefs";
	why[0] = '\0';
	if (!dir) {
		snprintf(why, why_size, "not mounted (/sys/kernel/tracing)");
		return -ENOENT;
	}
	/* The loader is large (its object's tables) and needed only here;
	 * tp_maps opens it first thing. */
	l = malloc(sizeof(*l));
	err = l ? tp_attach_all(t, l, dir, who) : -ENOMEM;
	if (err && l)
		snprintf(why, why_size, "%s", l->err);
	if (l)
		loader_close(l);
	free(l);
	t->on = !err;
	return err;
}

/* The old key goes first: the map holds one per direction, no more. */
void tp_filter(struct tp *t, uint32_t dir, int in_ifindex, int out_ifindex, uint32_t in_prog_id)
{
	struct tp_filter f = { dir, (uint32_t)out_ifindex, in_prog_id };
	uint32_t *key;

	if (!t->on || dir >= TP_DIRS_MAX)
		return;
	key = &t->in_ifindex[dir];
	if (*key && *key != (uint32_t)in_ifindex)
		bpf_map_delete(t->filter_fd, key);
	*key = (uint32_t)in_ifindex;
	if (*key)
		bpf_map_update(t->filter_fd, key, &f, BPF_ANY);
}

void tp_read(struct tp *t, uint32_t dir, struct stats_count *c)
{
	const struct tp_count *v = (const struct tp_count *)t->buf;
	uint64_t latest_ns = 0;
	int i;

	if (!t->on || bpf_map_lookup(t->count_fd, &dir, t->buf))
		return;
	for (i = 0; i < t->ncpus; i++) {
		c->failed += v[i].failed;
		c->dropped += v[i].dropped;
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
