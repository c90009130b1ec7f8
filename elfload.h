/* elfload.h - a BPF object file read by hand. elf_load() checks every
 * field it uses against the buffer and makes no syscall; elf_prog_patch()
 * turns a program's map references into the fds the caller created. */
#ifndef XRM_ELFLOAD_H
#define XRM_ELFLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* Capacities; an object with more is refused, which bounds the memory
 * any file can make us use. */
#define ELF_MAX_MAPS 64
#define ELF_MAX_PROGS 64
#define ELF_LICENSE_BYTES 128
#define ELF_ERR_BYTES 160

struct elf_map {
	const char *sym;		/* symbol name in the file */
	char name[BPF_OBJ_NAME_LEN];	/* as given to the kernel: cut to 15 */
	uint32_t type;			/* BPF_MAP_TYPE_* */
	uint32_t key_size;		/* bytes */
	uint32_t value_size;		/* bytes */
	uint32_t max_entries;
	uint32_t flags;			/* BPF_F_* of map create */
	uint64_t def_off;		/* offset of the definition in its section */
};

struct elf_prog {
	const char *sym;		/* function symbol name */
	const char *sec_name;		/* section it lives in */
	char name[BPF_OBJ_NAME_LEN];	/* as given to the kernel: cut to 15 */
	uint32_t type;			/* BPF_PROG_TYPE_*, 0 when unknown */
	uint32_t expected_attach_type;	/* BPF_XDP_DEVMAP ("xdp/devmap") or 0 */
	uint32_t shndx;			/* its section */
	uint64_t off_bytes;		/* start within that section */
	uint32_t insn_cnt;
};

struct elf_obj {
	const uint8_t *buf;		/* the file, not copied */
	size_t len_bytes;
	uint32_t shnum;
	uint32_t symtab;		/* section index of .symtab */
	uint32_t nsyms;
	uint32_t maps_shndx;		/* "maps", 0 when absent */
	char license[ELF_LICENSE_BYTES];
	struct elf_map maps[ELF_MAX_MAPS];
	uint32_t nmaps;
	struct elf_prog progs[ELF_MAX_PROGS];
	uint32_t nprogs;
	char err[ELF_ERR_BYTES];	/* why elf_load or elf_prog_patch failed */
};

/* Reading: 0, or -EINVAL (malformed), -EOPNOTSUPP (valid but beyond what
 * we load), -E2BIG (over a capacity), with obj->err saying which field. */
int elf_load(const void *buf, size_t len_bytes, struct elf_obj *obj);

/* Lookups by full symbol name: an index, or -ENOENT. */
int elf_prog_find(const struct elf_obj *obj, const char *sym);
int elf_map_find(const struct elf_obj *obj, const char *sym);

/* Copies program idx into insns (room for its insn_cnt) and rewrites each
 * map reference to BPF_PSEUDO_MAP_FD with map_fds[map index]. */
int elf_prog_patch(struct elf_obj *obj, uint32_t idx, const int *map_fds,
		   struct bpf_insn *insns);

#endif
