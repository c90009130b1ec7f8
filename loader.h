/* loader.h - from a checked ELF object to kernel objects: loads its BTF,
 * creates its maps (global data written and .rodata frozen), links and
 * loads its programs. Joins elfload.c and bpf_sys.c; prints nothing,
 * says in err what failed. */
#ifndef XRM_LOADER_H
#define XRM_LOADER_H

#include "elfload.h"

#define LOADER_ERR_BYTES 256
/* An object file is read whole; larger ones are not BPF programs a
 * router runs. */
#define LOADER_FILE_MAX_BYTES (16u << 20)

struct loader {
	struct elf_obj elf;
	void *file;			/* the object as read from a file, or NULL */
	int btf_fd;			/* -1 without BTF */
	int btf_err;			/* the kernel refused the BTF: -errno, else 0 */
	int map_fds[ELF_MAX_MAPS];	/* -1 until created */
	uint8_t *init[ELF_MAX_MAPS];	/* initial values loader_set_var changed */
	int prog_fds[ELF_MAX_PROGS];	/* -1 until loaded */
	uint32_t prog_insns[ELF_MAX_PROGS];	/* as loaded, with subprograms */
	char *log;			/* verifier log of the last refusal */
	uint32_t log_size;		/* bytes at log */
	char err[LOADER_ERR_BYTES];	/* what failed, for the caller to print */
};

/* loader_init makes a loader that loader_close can take as it is. */
void loader_init(struct loader *l);
/* An object in memory, or a file read whole (the loader keeps it): a
 * regular file only, opened without waiting, so that a FIFO or a device
 * is refused by its type at once. */
int loader_open(struct loader *l, const void *buf, size_t len_bytes);
int loader_open_file(struct loader *l, const char *path);
/* An object of our own with CO-RE field offset relocations, which
 * loader_open and loader_open_file refuse: an object of the user's has
 * no one who knows what its types stand for. */
int loader_open_core(struct loader *l, const void *buf, size_t len_bytes);

/* Global variable sym, before the maps are made: size_bytes of val. In
 * .rodata the verifier then knows it and leaves out the code it rules
 * out. -ENOENT where the object has none, -EINVAL as elf_var_find. */
int loader_set_var(struct loader *l, const char *sym, const void *val, uint32_t size_bytes);

/* BTF first, if the object has it; if the kernel refuses it, maps and
 * programs go without it and btf_err says why, for the caller to say. */
int loader_create_maps(struct loader *l);
int loader_load_prog(struct loader *l, uint32_t idx, uint32_t flags);
/* The same with the CO-RE offsets fn gives (elfload.h); the program may
 * be loaded again, for another ctx, once its fd is taken from prog_fds. */
int loader_load_prog_core(struct loader *l, uint32_t idx, uint32_t flags, elf_core_fn fn,
			  void *ctx);
/* The prog arrays' initial values, once the programs are loaded. */
int loader_fill_prog_arrays(struct loader *l);
void loader_close(struct loader *l);

/* The line of the verifier log that says why, found from its end. */
const char *loader_log_reason(const struct loader *l, char *buf, size_t size);

#endif
