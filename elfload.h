/* elfload.h - a BPF object file read by hand. elf_load() checks every
 * field it uses against the buffer and makes no syscall; elf_prog_patch()
 * links a program with the subprograms it calls and turns its map and
 * global-data references into the fds the caller created. */
#ifndef XRM_ELFLOAD_H
#define XRM_ELFLOAD_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "btf.h"

/* Capacities; an object with more is refused, which bounds the memory
 * any file can make us use and the time the checks take (the quadratic
 * ones: sections against sections, variables against symbols). */
#define ELF_MAX_MAPS 64
#define ELF_MAX_PROGS 64
#define ELF_MAX_FUNCS 256		/* programs and subprograms */
#define ELF_MAX_SECTIONS 1024
#define ELF_MAX_SYMS (1 << 17)
#define ELF_MAX_VARS 4096		/* BTF variables whose offsets we fill */
#define ELF_MAX_SLOTS 1024		/* initial values of maps of maps, prog arrays */
#define ELF_LICENSE_BYTES 128
#define ELF_ERR_BYTES BTF_ERR_BYTES	/* btf.c writes its messages there too */

struct elf_map {
	const char *sym;		/* symbol name, or section name for global data */
	char name[BPF_OBJ_NAME_LEN];	/* as given to the kernel: cut to 15 */
	uint32_t type;			/* BPF_MAP_TYPE_* */
	uint32_t key_size;		/* bytes */
	uint32_t value_size;		/* bytes */
	uint32_t max_entries;
	uint32_t flags;			/* BPF_F_* of map create */
	uint32_t shndx;			/* section of the definition, or of the data */
	uint64_t def_off;		/* offset of the definition in its section */
	const uint8_t *init;		/* global data: value_size bytes; NULL for .bss */
	uint8_t frozen;			/* .rodata: frozen once written */
	uint8_t pinned;			/* asked for pinning, which we ignore */
	uint8_t has_inner;		/* a map of maps, of inner's kind */
	struct btf_map_inner inner;
	uint32_t numa_node;		/* with BPF_F_NUMA_NODE in flags */
	uint64_t map_extra;		/* bloom filter: hash functions; else 0 */
	uint8_t has_values;		/* declares __array(values, ...) */
	uint32_t values_off;		/* where, in its definition: bytes */
};

/* An initial value of a map of maps or a prog array: slot gets the fd of
 * map or program target, once it exists. */
struct elf_slot {
	uint32_t map;			/* index in maps */
	uint32_t slot;			/* key */
	uint32_t target;		/* index in maps, or in progs */
	uint8_t is_prog;
};

/* A function in an executable section: a program or a subprogram. */
struct elf_func {
	const char *sym;
	uint32_t shndx;
	uint32_t rel_shndx;		/* its section's relocations, 0 if none */
	uint64_t off_bytes;		/* start within the section */
	uint32_t insn_cnt;
};

struct elf_prog {
	const char *sym;		/* function symbol name */
	const char *sec_name;		/* section it lives in: says its type */
	uint32_t type;			/* BPF_PROG_TYPE_XDP, _TRACEPOINT, 0 for any other */
	uint32_t expected_attach_type;	/* BPF_XDP_DEVMAP, _CPUMAP, or 0 */
	uint32_t flags;			/* BPF_F_XDP_HAS_FRAGS or 0 */
	uint8_t autoload;		/* 0 for a section "?...": libbpf loads it on request only */
	uint32_t func;			/* index in funcs */
	uint32_t insn_cnt;		/* its own, without subprograms */
};

struct elf_obj {
	const uint8_t *buf;		/* the file, not copied; 8-byte aligned */
	size_t len_bytes;
	const Elf64_Shdr *sh;		/* section headers, in buf */
	uint32_t shnum;
	uint32_t shstrndx;		/* section of the section names */
	const Elf64_Sym *syms;		/* in buf */
	uint32_t symtab;		/* section index of .symtab */
	uint32_t nsyms;
	uint32_t maps_shndx;		/* "maps", 0 when absent */
	uint32_t btf_maps_shndx;	/* ".maps", 0 when absent */
	struct btf btf;			/* fixed up; data is NULL without .BTF */
	struct btf_ext ext;		/* empty without .BTF.ext */
	uint32_t nvars;			/* BTF variables fixed up so far */
	char license[ELF_LICENSE_BYTES];	/* "" without a license section, as libbpf */
	char err[ELF_ERR_BYTES];	/* why elf_load or elf_prog_patch failed */
	uint32_t nmaps;
	struct elf_map maps[ELF_MAX_MAPS];
	uint32_t nfuncs;
	uint64_t func_insns;		/* of all funcs: bounds a linked program */
	struct elf_func funcs[ELF_MAX_FUNCS];
	uint32_t nprogs;
	struct elf_prog progs[ELF_MAX_PROGS];
	uint32_t nslots;
	struct elf_slot slots[ELF_MAX_SLOTS];
};

/* A program ready for BPF_PROG_LOAD: its instructions, then each
 * subprogram it calls; func_info and line_info count instructions. */
struct elf_linked {
	struct bpf_insn *insns;
	uint32_t insn_cnt;
	struct bpf_func_info *func_info;
	uint32_t nfunc_info;
	struct bpf_line_info *line_info;
	uint32_t nline_info;
	struct bpf_core_relo *core_relo;	/* insn_off: an index into insns */
	uint32_t ncore_relo;
};

/* CO-RE: the byte offset of member in struct type_name as the running
 * kernel lays it out, for a member the program reads size_bytes of; or
 * -errno, -ENOENT where the kernel has no such member. */
typedef int (*elf_core_fn)(void *ctx, const char *type_name, const char *member,
			   uint32_t size_bytes);

/* Reading: 0, or -EINVAL (malformed), -EOPNOTSUPP (valid but beyond what
 * we load), -E2BIG (over a capacity), with obj->err saying which field.
 * buf must be 8-byte aligned (malloc's is): headers are read in place.
 * elf_free releases what elf_load allocated, also after a failure. */
int elf_load(const void *buf, size_t len_bytes, struct elf_obj *obj);
void elf_free(struct elf_obj *obj);

/* Lookups by full symbol name: an index, or -ENOENT. */
int elf_prog_find(const struct elf_obj *obj, const char *sym);
int elf_map_find(const struct elf_obj *obj, const char *sym);

/* Global variable sym, size_bytes long, with an initial value: its data
 * map and offset there. -ENOENT if none, -EINVAL for another size or
 * type, or one that does not lie inside its section. */
int elf_var_find(const struct elf_obj *obj, const char *sym, uint32_t size_bytes,
		 uint32_t *map, uint32_t *off_bytes);

/* libbpf's size of a ring buffer asked for size_bytes: the smallest
 * power-of-2 multiple of the page above it, unless it is one already. */
uint32_t elf_ringbuf_bytes(uint32_t size_bytes, uint32_t page_bytes);

/* Links program idx of an object elf_load accepted (it relies on the
 * checks made there) into out (allocated; elf_linked_free releases it):
 * map references become BPF_PSEUDO_MAP_FD with map_fds[map index],
 * global data BPF_PSEUDO_MAP_VALUE with the offset, calls point at the
 * appended subprograms. */
int elf_prog_patch(struct elf_obj *obj, uint32_t idx, const int *map_fds,
		   struct elf_linked *out);
void elf_linked_free(struct elf_linked *out);

/* The CO-RE relocations of program idx, linked into k by elf_prog_patch
 * (idx as checked there), from the offsets fn gives
 * (fn NULL: -EOPNOTSUPP, for a caller that takes none). Each must land
 * on a load or store (the offset in insn.off) or an ALU64 with an
 * immediate (in imm) that holds the object's own offset, and the new one
 * must fit 16 bits. */
int elf_core_apply(struct elf_obj *obj, uint32_t idx, struct elf_linked *k, elf_core_fn fn,
		   void *ctx);

#endif
