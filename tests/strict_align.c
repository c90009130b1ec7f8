/* strict_align.c - loads every XDP program of each object given, as the
 * forwarder would, once as usual and once with BPF_F_STRICT_ALIGNMENT,
 * which makes any kernel check packet accesses the way MIPS and ARMv5
 * always do (frames start NET_IP_ALIGN = 2 bytes off). Judged by the
 * verdict, not the verifier's wording, which differs between kernels:
 *
 *   ok NAME                  loads with strict alignment
 *   FAIL NAME: REASON        loads without it, refused with it, or
 *                            refused even without it (a program that
 *                            never loads proves nothing of alignment)
 *   SKIP NAME: REASON        not an XDP program, or one libbpf loads
 *                            only on request ("?xdp")
 *
 * Exit status: 0 when nothing FAILed, 1 when something did, 2 when an
 * object could not be read or the kernel refused us bpf(2) at all. Needs
 * root (CAP_BPF); built for the host only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader.h"

#define REASON_BYTES 256

static void *read_file(const char *path, size_t *len_bytes)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len_bytes = (size_t)n;
	}
	fclose(f);
	return buf;
}

static const char *reason(struct loader *l, char *buf)
{
	const char *r = loader_log_reason(l, buf, REASON_BYTES);

	return r ? r : l->err;
}

/* One program: 0 ok or skipped, 1 refused with strict alignment or
 * without it. */
static int check_prog(struct loader *l, uint32_t i)
{
	const char *name = l->elf.progs[i].sym;
	char buf[REASON_BYTES];

	if (l->elf.progs[i].type != BPF_PROG_TYPE_XDP) {
		printf("SKIP %s: not an XDP program\n", name);
		return 0;
	}
	/* libbpf's "?xdp": loaded on request only, and may not load at all. */
	if (!l->elf.progs[i].autoload) {
		printf("SKIP %s: not loaded unless asked for (section \"?...\")\n", name);
		return 0;
	}
	if (loader_load_prog(l, i, 0)) {
		printf("FAIL %s: refused even without strict alignment: %s\n", name, reason(l, buf));
		return 1;
	}
	close(l->prog_fds[i]);
	l->prog_fds[i] = -1;
	if (loader_load_prog(l, i, BPF_F_STRICT_ALIGNMENT)) {
		printf("FAIL %s: %s\n", name, reason(l, buf));
		return 1;
	}
	printf("ok %s\n", name);
	return 0;
}

/* One object: 0, 1 if a program failed, 2 if it could not be checked. */
static int check_obj(const char *path)
{
	struct loader l;
	size_t len = 0;
	void *buf = read_file(path, &len);
	int ret = 0;
	uint32_t i;

	if (!buf) {
		fprintf(stderr, "strict_align: %s: %s\n", path, strerror(errno ? errno : EIO));
		return 2;
	}
	if (loader_open(&l, buf, len) || loader_create_maps(&l)) {
		fprintf(stderr, "strict_align: %s: %s\n", path, l.err);
		ret = 2;
		goto out;
	}
	for (i = 0; i < l.elf.nprogs; i++)
		ret |= check_prog(&l, i);
out:
	loader_close(&l);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	int i, ret = 0, r;

	if (argc < 2) {
		fprintf(stderr, "usage: strict_align OBJECT...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		r = check_obj(argv[i]);
		ret = r > ret ? r : ret;
	}
	return ret;
}
