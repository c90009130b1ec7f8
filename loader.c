/* loader.c - turns a checked BPF object into maps and loaded programs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	uint32_t i;

	for (i = 0; i < ELF_MAX_MAPS; i++)
		l->map_fds[i] = -1;
	for (i = 0; i < ELF_MAX_PROGS; i++)
		l->prog_fds[i] = -1;
	l->log = NULL;
	l->log_size = 0;
	l->err[0] = '\0';
}

int loader_open(struct loader *l, const void *buf, size_t len_bytes)
{
	int err;

	loader_init(l);
	err = elf_load(buf, len_bytes, &l->elf);
	if (err)
		return loader_fail(l, err, "%s", l->elf.err);
	return 0;
}

int loader_create_maps(struct loader *l)
{
	const struct elf_map *m;
	uint32_t i;
	int fd;

	for (i = 0; i < l->elf.nmaps; i++) {
		m = &l->elf.maps[i];
		fd = bpf_map_create(m->type, m->name, m->key_size, m->value_size,
				    m->max_entries, m->flags);
		if (fd < 0)
			return loader_fail(l, fd, "map %s: create failed: %s",
					   m->sym, strerror(-fd));
		l->map_fds[i] = fd;
	}
	return 0;
}

/* Loads with a log of growing size while the kernel reports it was cut. */
static int loader_load_logged(struct loader *l, const struct bpf_prog_desc *d)
{
	uint32_t size = l->log_size ? l->log_size : LOADER_LOG_MIN_BYTES;
	char *log;
	int fd;

	for (;;) {
		log = realloc(l->log, size);
		if (!log)
			return -ENOMEM;
		l->log = log;
		l->log_size = size;
		fd = bpf_prog_load(d, l->log, l->log_size);
		if (fd != -ENOSPC || size >= LOADER_LOG_MAX_BYTES)
			return fd;
		size = size > LOADER_LOG_MAX_BYTES / 2 ? LOADER_LOG_MAX_BYTES : size * 2;
	}
}

int loader_load_prog(struct loader *l, uint32_t idx, uint32_t flags)
{
	const struct elf_prog *p = &l->elf.progs[idx];
	struct bpf_prog_desc d = { 0 };
	struct bpf_insn *insns;
	int err;

	insns = calloc(p->insn_cnt, sizeof(*insns));
	if (!insns)
		return loader_fail(l, -ENOMEM, "program %s: out of memory", p->sym);
	err = elf_prog_patch(&l->elf, idx, l->map_fds, insns);
	if (err) {
		free(insns);
		return loader_fail(l, err, "%s", l->elf.err);
	}
	d.type = p->type;
	d.expected_attach_type = p->expected_attach_type;
	d.flags = flags;
	d.name = p->name;
	d.license = l->elf.license;
	d.insns = insns;
	d.insn_cnt = p->insn_cnt;
	err = loader_load_logged(l, &d);
	free(insns);
	if (err < 0)
		return loader_fail(l, err, "program %s: load failed: %s", p->sym, strerror(-err));
	l->prog_fds[idx] = err;
	return 0;
}

void loader_close(struct loader *l)
{
	uint32_t i;

	for (i = 0; i < ELF_MAX_MAPS; i++)
		if (l->map_fds[i] >= 0)
			close(l->map_fds[i]);
	for (i = 0; i < ELF_MAX_PROGS; i++)
		if (l->prog_fds[i] >= 0)
			close(l->prog_fds[i]);
	free(l->log);
	l->log = NULL;
}

/* The verifier ends with statistics ("processed N insns ...",
 * "verification time ..."); the reason is the last line before them. */
static int loader_log_line_is_stats(const char *s, size_t n)
{
	static const char *const stats[] = { "processed ", "verification time", "stack depth" };
	size_t i;

	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		if (n >= strlen(stats[i]) && strncmp(s, stats[i], strlen(stats[i])) == 0)
			return 1;
	return n == 0;
}

const char *loader_log_reason(const struct loader *l, char *buf, size_t size)
{
	const char *end, *start;

	if (!l->log || !l->log[0] || size == 0)
		return NULL;
	end = l->log + strlen(l->log);
	while (end > l->log) {
		while (end > l->log && end[-1] == '\n')
			end--;
		start = end;
		while (start > l->log && start[-1] != '\n')
			start--;
		if (!loader_log_line_is_stats(start, (size_t)(end - start))) {
			snprintf(buf, size, "%.*s", (int)(end - start), start);
			return buf;
		}
		end = start;
	}
	return NULL;
}
