/* tobj.h - a second reader of our BPF objects, for the unit tests only.
 * It reads either byte order on any host, so a test can look into the
 * bpfeb build on x86 and check elfload.c's results against a reading of
 * its own. Every read is bounds-checked; a bad one fails the running case
 * and reads as 0. */
#ifndef XRM_TOBJ_H
#define XRM_TOBJ_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

/* musl's elf.h has no BPF relocation types. */
#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif

struct tobj {
	uint8_t *buf;		/* malloc'd, exactly len_bytes: ASan sees overreads */
	size_t len_bytes;
	int big;		/* the object is big-endian */
};

/* Where a field of an ELF struct lies and how wide it is, as the two
 * arguments (offset, size) that the tobj accessors take. */
#define TOBJ_FIELD(type, field) offsetof(type, field), sizeof(((type *)0)->field)

/* Files and copies: 0, or -errno. */
int tobj_read(struct tobj *t, const char *path);
int tobj_copy(struct tobj *dst, const struct tobj *src, size_t len_bytes);
void tobj_free(struct tobj *t);

/* Integers of 1, 2, 4 or 8 bytes at off, in the object's byte order. */
uint64_t tobj_get(const struct tobj *t, uint64_t off, size_t size);
void tobj_put(struct tobj *t, uint64_t off, size_t size, uint64_t val);

/* File offsets of section header idx, of symbol idx, and of the first
 * byte of section idx; name lookups give an index or -1. */
uint64_t tobj_shdr(const struct tobj *t, uint32_t idx);
uint64_t tobj_sym(const struct tobj *t, uint32_t idx);
uint64_t tobj_sec_bytes(const struct tobj *t, uint32_t idx);
int tobj_sec_find(const struct tobj *t, const char *name);
int tobj_sym_find(const struct tobj *t, const char *name);
const char *tobj_sym_name(const struct tobj *t, uint32_t idx);

/* Where function (or object) sym lies; 0, or -1 if there is none. */
struct tobj_func {
	uint32_t shndx;
	uint64_t off_bytes;	/* in its section */
	uint64_t size_bytes;
};
int tobj_func_find(const struct tobj *t, const char *sym, struct tobj_func *f);

/* The R_BPF_64_64 relocations that apply to section shndx. */
#define TOBJ_RELS_MAX 16
struct tobj_rel {
	uint64_t off_bytes;	/* of the ld_imm64 in its section */
	const char *sym;	/* the map it names */
};
int tobj_rels(const struct tobj *t, uint32_t shndx, struct tobj_rel *rels);

#endif
