/* loader.c - turns a checked BPF object into BTF, maps and loaded
 * programs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_sys.h"
#include "loader.h"

/* The verifier log starts at 64 KiB and doubles while the kernel says it
 * was cut, up to the 16 MiB the kernel accepts before 5.2. */
#define LOADER_LOG_MIN_BYTES (64u << 10)
#define LOADER_LOG_MAX_BYTES ((16u << 20) - 1)

static int loader_fail(struct loader *l, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->err, sizeof(l->err), fmt, ap);
	va_end(ap);
	return err;
}

void loader_init(struct loader *l)
{
	memset(l, 0, sizeof(*l));
	/* Every byte 0xff: each fd -1. */
	memset(l->map_fds, 0xff, sizeof(l->map_fds));
	memset(l->prog_fds, 0xff, sizeof(l->prog_fds));
	l->btf_fd = -1;
}

/* The ELF reader's message as ours: it fits, terminated. */
static int loader_fail_elf(struct loader *l, int err)
{
	_Static_assert(ELF_ERR_BYTES <= LOADER_ERR_BYTES, "elf.err fits err");
	memcpy(l->err, l->elf.err, sizeof(l->elf.err));
	return err;
}

/* CO-RE relocations only where the caller resolves them
 * (loader_load_prog_core); elf_load reads them either way. */
static int loader_parse(struct loader *l, const void *buf, size_t len_bytes, int core)
{
	int err = elf_load(buf, len_bytes, &l->elf);

	if (err)
		return loader_fail_elf(l, err);
	if (!core && l->elf.ext.core.nrecs)
		return loader_fail(l, -EOPNOTSUPP, "CO-RE relocations are not supported");
	return 0;
}

int loader_open(struct loader *l, const void *buf, size_t len_bytes)
{
	loader_init(l);
	return loader_parse(l, buf, len_bytes, 0);
}

int loader_open_core(struct loader *l, const void *buf, size_t len_bytes)
{
	loader_init(l);
	return loader_parse(l, buf, len_bytes, 1);
}

/* The kind of file st describes, for a refusal. */
static const char *loader_file_type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO: return "FIFO";
	case S_IFCHR: return "character device";
	case S_IFBLK: return "block device";
	case S_IFDIR: return "directory";
	case S_IFSOCK: return "socket";
	default: return "not a regular file";
	}
}

/* size_bytes of fd into l->file; -EIO if it shrank meanwhile. */
static int loader_read(struct loader *l, int fd, size_t size_bytes)
{
	size_t got = 0;
	ssize_t n;

	/* One byte more, so that an empty file is a valid pointer too. */
	l->file = malloc(size_bytes + 1);
	if (!l->file)
		return -ENOMEM;
	while (got < size_bytes) {
		n = read(fd, (uint8_t *)l->file + got, size_bytes - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		got += (size_t)n;
	}
	return 0;
}

/* A regular file of at most LOADER_FILE_MAX_BYTES: its size. */
static int loader_stat(struct loader *l, int fd, size_t *size_bytes)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return loader_fail(l, -errno, "cannot stat: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return loader_fail(l, -EINVAL, "not a regular file (%s)", loader_file_type(st.st_mode));
	if ((uint64_t)st.st_size > LOADER_FILE_MAX_BYTES)
		return loader_fail(l, -EFBIG, "larger than %u MiB", LOADER_FILE_MAX_BYTES >> 20);
	*size_bytes = (size_t)st.st_size;
	return 0;
}

/* O_NONBLOCK: a FIFO or a device must not hold the run in open(); it is
 * refused by its type right after. O_NOCTTY: a terminal named by mistake
 * does not become ours. */
int loader_open_file(struct loader *l, const char *path)
{
	size_t len = 0;
	int fd, err;

	loader_init(l);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return loader_fail(l, -errno, "cannot open: %s", strerror(errno));
	err = loader_stat(l, fd, &len);
	if (!err) {
		err = loader_read(l, fd, len);
		if (err)
			loader_fail(l, err, "cannot read: %s", strerror(-err));
	}
	close(fd);
	return err ? err : loader_parse(l, l->file, len, 0);
}

static void loader_load_btf(struct loader *l)
{
	int fd;

	if (!l->elf.btf.data)
		return;
	fd = bpf_btf_load(l->elf.btf.data, l->elf.btf.size_bytes);
	if (fd < 0)
		l->btf_err = fd;
	else
		l->btf_fd = fd;
}

/* A copy of the value, since the object's bytes may be read-only. */
int loader_set_var(struct loader *l, const char *sym, const void *val, uint32_t size_bytes)
{
	struct elf_map *m;
	uint32_t i, off;
	int err = elf_var_find(&l->elf, sym, size_bytes, &i, &off);

	if (err)
		return err;
	m = &l->elf.maps[i];
	if (!l->init[i]) {
		l->init[i] = malloc(m->value_size);
		if (!l->init[i])
			return -ENOMEM;
		memcpy(l->init[i], m->init, m->value_size);
		m->init = l->init[i];
	}
	memcpy(l->init[i] + off, val, size_bytes);
	return 0;
}

/* Map i created; global data's initial value written, and .rodata then
 * frozen so that neither the program nor anyone else changes it. What
 * failed, with *err, or NULL. */
/* A map of maps is made with one of the maps it holds as the kernel's
 * template, as libbpf does; the template goes once the outer map has it. */
static int loader_create_map(const struct elf_map *m)
{
	const struct btf_map_inner *in = &m->inner;
	struct bpf_map_desc d = {
		.type = m->type, .name = m->name, .key_size = m->key_size,
		.value_size = m->value_size, .max_entries = m->max_entries, .flags = m->flags,
		.inner_fd = -1, .numa_node = m->numa_node, .map_extra = m->map_extra,
	};
	int fd;

	if (m->has_inner) {
		d.inner_fd = bpf_map_create(in->type, m->name, in->key_size, in->value_size,
					    in->max_entries, in->flags);
		if (d.inner_fd < 0)
			return d.inner_fd;
	}
	fd = bpf_map_create_desc(&d);
	if (d.inner_fd >= 0)
		close(d.inner_fd);
	return fd;
}

static const char *loader_make_map(struct loader *l, uint32_t i, int *err)
{
	const struct elf_map *m = &l->elf.maps[i];
	uint32_t key = 0;
	int fd = loader_create_map(m);

	*err = fd;
	if (fd < 0)
		return m->has_inner ? "create failed (or its inner map's)" : "create failed";
	l->map_fds[i] = fd;
	*err = m->init ? bpf_map_update(fd, &key, m->init, BPF_ANY) : 0;
	if (*err)
		return "cannot write its initial value";
	*err = m->frozen ? bpf_map_freeze(fd) : 0;
	return *err ? "cannot freeze" : NULL;
}

/* The sizes libbpf settles at load time, so that objects written for
 * it ask the kernel for the same: a perf event array of 0 entries gets
 * one per possible CPU, a ring buffer the next power-of-2 multiple of
 * the page size. */
static int loader_map_sizes(struct loader *l, struct elf_map *m)
{
	/* getpagesize, not sysconf: musl's sysconf brings its whole table
	 * and getrlimit (1.4 KiB on MIPS) for one value the aux vector has. */
	long page = getpagesize();
	int ncpus;

	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && m->max_entries == 0) {
		ncpus = bpf_possible_cpus();
		if (ncpus < 0)
			return loader_fail(l, ncpus, "map %s: max_entries 0 means one per CPU, and the possible CPUs are unknown: %s",
					   m->sym, strerror(-ncpus));
		m->max_entries = (uint32_t)ncpus;
	}
	if ((m->type == BPF_MAP_TYPE_RINGBUF || m->type == BPF_MAP_TYPE_USER_RINGBUF) && page > 0)
		m->max_entries = elf_ringbuf_bytes(m->max_entries, (uint32_t)page);
	return 0;
}

/* The object's initial values of maps of maps (is_prog 0, once the maps
 * exist) or of prog arrays (1, once programs are loaded: those that are
 * not, as libbpf's that are not autoloaded, leave their slot empty). */
static int loader_fill_slots(struct loader *l, int is_prog)
{
	const struct elf_slot *sl;
	uint32_t i;
	int fd, err;

	for (i = 0; i < l->elf.nslots; i++) {
		sl = &l->elf.slots[i];
		if (sl->is_prog != is_prog)
			continue;
		fd = is_prog ? l->prog_fds[sl->target] : l->map_fds[sl->target];
		if (fd < 0)
			continue;
		err = bpf_map_update(l->map_fds[sl->map], &sl->slot, &fd, BPF_ANY);
		if (err)
			return loader_fail(l, err, "map %s: cannot set slot %u: %s",
					   l->elf.maps[sl->map].sym, sl->slot, strerror(-err));
	}
	return 0;
}

int loader_create_maps(struct loader *l)
{
	const char *what;
	uint32_t i;
	int err;

	loader_load_btf(l);
	for (i = 0; i < l->elf.nmaps; i++) {
		err = loader_map_sizes(l, &l->elf.maps[i]);
		if (err)
			return err;
		what = loader_make_map(l, i, &err);
		if (what)
			return loader_fail(l, err, "map %s: %s: %s", l->elf.maps[i].sym, what,
					   strerror(-err));
	}
	return loader_fill_slots(l, 0);
}

int loader_fill_prog_arrays(struct loader *l)
{
	return loader_fill_slots(l, 1);
}

/* Loads with a log of growing size while the kernel reports it was cut. */
/* An accepted program pays for no log: the buffer is made, and the load
 * repeated with it, only after a refusal; then it grows while cut. */
static int loader_load_logged(struct loader *l, const struct bpf_prog_desc *d)
{
	uint32_t size = l->log_size ? l->log_size : LOADER_LOG_MIN_BYTES;
	int fd = bpf_prog_load(d, NULL, 0);

	while (fd < 0) {
		/* A cut log is of no use: a new buffer, not realloc's copy. */
		if (size != l->log_size) {
			free(l->log);
			l->log = malloc(size);
			l->log_size = l->log ? size : 0;
		}
		if (!l->log)
			return -ENOMEM;
		fd = bpf_prog_load(d, l->log, l->log_size);
		if (fd != -ENOSPC || size >= LOADER_LOG_MAX_BYTES)
			return fd;
		size = size > LOADER_LOG_MAX_BYTES / 2 ? LOADER_LOG_MAX_BYTES : size * 2;
	}
	return fd;
}

static void loader_desc(const struct loader *l, const struct elf_prog *p,
			const struct elf_linked *k, struct bpf_prog_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->type = p->type;
	d->expected_attach_type = p->expected_attach_type;
	d->name = p->sym;
	d->license = l->elf.license;
	d->insns = k->insns;
	d->insn_cnt = k->insn_cnt;
	if (l->btf_fd < 0 || !k->nfunc_info)
		return;
	d->btf_fd = l->btf_fd;
	d->func_info = k->func_info;
	d->func_info_cnt = k->nfunc_info;
	d->line_info = k->line_info;
	d->line_info_cnt = k->nline_info;
}

int loader_load_prog(struct loader *l, uint32_t idx, uint32_t flags)
{
	return loader_load_prog_core(l, idx, flags, NULL, NULL);
}

int loader_load_prog_core(struct loader *l, uint32_t idx, uint32_t flags, elf_core_fn fn,
			  void *ctx)
{
	const struct elf_prog *p = &l->elf.progs[idx];
	struct bpf_prog_desc d;
	struct elf_linked k;
	int err;

	err = elf_prog_patch(&l->elf, idx, l->map_fds, &k);
	if (!err) {
		err = elf_core_apply(&l->elf, idx, &k, fn, ctx);
		if (err)
			elf_linked_free(&k);
	}
	if (err)
		return loader_fail_elf(l, err);
	loader_desc(l, p, &k, &d);
	d.flags = flags | p->flags;
	l->prog_insns[idx] = k.insn_cnt;
	err = loader_load_logged(l, &d);
	elf_linked_free(&k);
	if (err < 0)
		return loader_fail(l, err, "program %s: load failed: %s", p->sym, strerror(-err));
	l->prog_fds[idx] = err;
	return 0;
}

void loader_close(struct loader *l)
{
	uint32_t i;

	for (i = 0; i < ELF_MAX_MAPS; i++) {
		if (l->map_fds[i] >= 0)
			close(l->map_fds[i]);
		free(l->init[i]);
		l->init[i] = NULL;
	}
	for (i = 0; i < ELF_MAX_PROGS; i++)
		if (l->prog_fds[i] >= 0)
			close(l->prog_fds[i]);
	if (l->btf_fd >= 0)
		close(l->btf_fd);
	l->btf_fd = -1;
	elf_free(&l->elf);
	free(l->file);
	l->file = NULL;
	free(l->log);
	l->log = NULL;
}

/* The verifier ends with statistics ("processed N insns ...",
 * "verification time ..."); the reason is the last line before them. */
static int loader_log_line_is_stats(const char *s, size_t n)
{
	static const char stats[][18] = { "processed ", "verification time", "stack depth" };
	size_t i;

	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		if (n >= strlen(stats[i]) && strncmp(s, stats[i], strlen(stats[i])) == 0)
			return 1;
	return n == 0;
}

/* The line before [start, ...) in log, as [*lo, *hi); empty at the start. */
static void loader_log_prev(const char *log, const char *start, const char **lo, const char **hi)
{
	*hi = start > log ? start - 1 : start;
	*lo = *hi;
	while (*lo > log && (*lo)[-1] != '\n')
		(*lo)--;
}

/* The kernel says a GPL-only helper was called without saying which; the
 * instruction it refused, the line before, does: "11: (85) call
 * bpf_perf_event_output#25". What to change, in buf, or NULL. */
static const char *loader_log_gpl(const struct loader *l, const char *start, char *buf,
				  size_t size)
{
	static const char gpl[] = "cannot call GPL-restricted function";
	const char *lo, *hi, *name, *end;

	if (strncmp(start, gpl, sizeof(gpl) - 1) != 0)
		return NULL;
	loader_log_prev(l->log, start, &lo, &hi);
	/* "12: (85) call bpf_trace_printk#6": the opcode's ')' is the first. */
	name = memchr(lo, ')', (size_t)(hi - lo));
	if (!name || hi - name <= 7 || strncmp(name, ") call ", 7) != 0)
		return NULL;
	name += 7;
	end = memchr(name, '#', (size_t)(hi - name));
	if (l->elf.license[0])
		snprintf(buf, size, "license \"%s\" is not GPL-compatible: helper %.*s needs one (\"GPL\", \"Dual BSD/GPL\")",
			 l->elf.license, (int)((end ? end : hi) - name), name);
	else
		snprintf(buf, size, "no license section: helper %.*s needs a GPL-compatible one (char _license[] SEC(\"license\") = \"GPL\")",
			 (int)((end ? end : hi) - name), name);
	return buf;
}

const char *loader_log_reason(const struct loader *l, char *buf, size_t size)
{
	const char *end, *start;

	if (!l->log || !l->log[0] || size == 0)
		return NULL;
	end = l->log + strnlen(l->log, l->log_size);
	while (end > l->log) {
		while (end > l->log && end[-1] == '\n')
			end--;
		start = end;
		while (start > l->log && start[-1] != '\n')
			start--;
		if (!loader_log_line_is_stats(start, (size_t)(end - start))) {
			if (loader_log_gpl(l, start, buf, size))
				return buf;
			snprintf(buf, size, "%.*s", (int)(end - start), start);
			return buf;
		}
		end = start;
	}
	return NULL;
}
