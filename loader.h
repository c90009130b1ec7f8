/* loader.h - from a checked ELF object to kernel objects: creates its maps,
 * patches their fds into the programs and loads those. Joins elfload.c and
 * bpf_sys.c; prints nothing, says in err what failed. */
#ifndef XRM_LOADER_H
#define XRM_LOADER_H

#include "elfload.h"

#define LOADER_ERR_BYTES 256

struct loader {
	struct elf_obj elf;
	int map_fds[ELF_MAX_MAPS];	/* -1 until created */
	int prog_fds[ELF_MAX_PROGS];	/* -1 until loaded */
	char *log;			/* verifier log of the last refusal */
	uint32_t log_size;		/* bytes at log */
	char err[LOADER_ERR_BYTES];	/* what failed, for the caller to print */
};

/* loader_init makes a loader that loader_close can take as it is. */
void loader_init(struct loader *l);
int loader_open(struct loader *l, const void *buf, size_t len_bytes);
int loader_create_maps(struct loader *l);
int loader_load_prog(struct loader *l, uint32_t idx, uint32_t flags);
void loader_close(struct loader *l);

/* The line of the verifier log that says why, found from its end. */
const char *loader_log_reason(const struct loader *l, char *buf, size_t size);

#endif
