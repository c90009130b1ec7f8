/* tobj.c - the unit tests' own ELF reading; see tobj.h. Written apart
 * from elfload.c and as plainly as possible, so that a mistake in one is
 * not repeated in the other. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tobj.h"
#include "unit.h"

int tobj_read(struct tobj *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < (long)EI_NIDENT || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EINVAL;
	}
	t->buf = malloc((size_t)n);
	t->len_bytes = (size_t)n;
	if (!t->buf || fread(t->buf, 1, t->len_bytes, f) != t->len_bytes) {
		fclose(f);
		tobj_free(t);
		return -EIO;
	}
	fclose(f);
	t->big = t->buf[EI_DATA] == ELFDATA2MSB;
	return 0;
}

int tobj_copy(struct tobj *dst, const struct tobj *src, size_t len_bytes)
{
	*dst = *src;
	/* malloc(0) may give NULL; one spare byte keeps it a real buffer. */
	dst->buf = malloc(len_bytes ? len_bytes : 1);
	if (!dst->buf)
		return -ENOMEM;
	dst->len_bytes = len_bytes < src->len_bytes ? len_bytes : src->len_bytes;
	memcpy(dst->buf, src->buf, dst->len_bytes);
	return 0;
}

void tobj_free(struct tobj *t)
{
	free(t->buf);
	t->buf = NULL;
	t->len_bytes = 0;
}

static int tobj_in(const struct tobj *t, uint64_t off, size_t size)
{
	if (off <= t->len_bytes && size <= t->len_bytes - off)
		return 1;
	CHECK(!"tobj: read outside the object");
	return 0;
}

uint64_t tobj_get(const struct tobj *t, uint64_t off, size_t size)
{
	uint64_t val = 0;
	size_t i;

	if (!tobj_in(t, off, size))
		return 0;
	for (i = 0; i < size; i++)
		val |= (uint64_t)t->buf[off + i] << 8 * (t->big ? size - 1 - i : i);
	return val;
}

void tobj_put(struct tobj *t, uint64_t off, size_t size, uint64_t val)
{
	size_t i;

	if (!tobj_in(t, off, size))
		return;
	for (i = 0; i < size; i++)
		t->buf[off + i] = (uint8_t)(val >> 8 * (t->big ? size - 1 - i : i));
}

uint64_t tobj_shdr(const struct tobj *t, uint32_t idx)
{
	return tobj_get(t, TOBJ_FIELD(Elf64_Ehdr, e_shoff)) + (uint64_t)idx * sizeof(Elf64_Shdr);
}

uint64_t tobj_sec_bytes(const struct tobj *t, uint32_t idx)
{
	return tobj_get(t, tobj_shdr(t, idx) + TOBJ_FIELD(Elf64_Shdr, sh_offset));
}

static uint32_t tobj_shnum(const struct tobj *t)
{
	return (uint32_t)tobj_get(t, TOBJ_FIELD(Elf64_Ehdr, e_shnum));
}

/* The string at off in string table section idx, checked to end inside it. */
static const char *tobj_str(const struct tobj *t, uint32_t idx, uint64_t off)
{
	uint64_t size = tobj_get(t, tobj_shdr(t, idx) + TOBJ_FIELD(Elf64_Shdr, sh_size));
	uint64_t base = tobj_sec_bytes(t, idx);

	if (off >= size || !tobj_in(t, base, size) ||
	    !memchr(t->buf + base + off, '\0', size - off))
		return "";
	return (const char *)t->buf + base + off;
}

int tobj_sec_find(const struct tobj *t, const char *name)
{
	uint32_t strndx = (uint32_t)tobj_get(t, TOBJ_FIELD(Elf64_Ehdr, e_shstrndx));
	uint32_t i;

	for (i = 1; i < tobj_shnum(t); i++) {
		uint64_t n = tobj_get(t, tobj_shdr(t, i) + TOBJ_FIELD(Elf64_Shdr, sh_name));

		if (strcmp(tobj_str(t, strndx, n), name) == 0)
			return (int)i;
	}
	return -1;
}

static uint32_t tobj_symtab(const struct tobj *t)
{
	int idx = tobj_sec_find(t, ".symtab");

	CHECK(idx > 0);
	return idx > 0 ? (uint32_t)idx : 0;
}

uint64_t tobj_sym(const struct tobj *t, uint32_t idx)
{
	return tobj_sec_bytes(t, tobj_symtab(t)) + (uint64_t)idx * sizeof(Elf64_Sym);
}

const char *tobj_sym_name(const struct tobj *t, uint32_t idx)
{
	uint32_t strtab = (uint32_t)tobj_get(t, tobj_shdr(t, tobj_symtab(t)) +
					      TOBJ_FIELD(Elf64_Shdr, sh_link));

	return tobj_str(t, strtab, tobj_get(t, tobj_sym(t, idx) + TOBJ_FIELD(Elf64_Sym, st_name)));
}

int tobj_sym_find(const struct tobj *t, const char *name)
{
	uint64_t size = tobj_get(t, tobj_shdr(t, tobj_symtab(t)) + TOBJ_FIELD(Elf64_Shdr, sh_size));
	uint32_t i;

	for (i = 1; i < size / sizeof(Elf64_Sym); i++)
		if (strcmp(tobj_sym_name(t, i), name) == 0)
			return (int)i;
	return -1;
}

int tobj_func_find(const struct tobj *t, const char *sym, struct tobj_func *f)
{
	int idx = tobj_sym_find(t, sym);
	uint64_t at;

	if (idx < 0)
		return -1;
	at = tobj_sym(t, (uint32_t)idx);
	f->shndx = (uint32_t)tobj_get(t, at + TOBJ_FIELD(Elf64_Sym, st_shndx));
	f->off_bytes = tobj_get(t, at + TOBJ_FIELD(Elf64_Sym, st_value));
	f->size_bytes = tobj_get(t, at + TOBJ_FIELD(Elf64_Sym, st_size));
	return 0;
}

int tobj_rels(const struct tobj *t, uint32_t shndx, struct tobj_rel *rels)
{
	uint32_t i;
	uint64_t sh, r, info;
	int n = 0;

	for (i = 1; i < tobj_shnum(t); i++) {
		sh = tobj_shdr(t, i);
		if (tobj_get(t, sh + TOBJ_FIELD(Elf64_Shdr, sh_type)) != SHT_REL ||
		    tobj_get(t, sh + TOBJ_FIELD(Elf64_Shdr, sh_info)) != shndx)
			continue;
		for (r = 0; r < tobj_get(t, sh + TOBJ_FIELD(Elf64_Shdr, sh_size)); r += sizeof(Elf64_Rel)) {
			info = tobj_get(t, tobj_sec_bytes(t, i) + r + TOBJ_FIELD(Elf64_Rel, r_info));
			if (!CHECK(n < TOBJ_RELS_MAX) || ELF64_R_TYPE(info) != R_BPF_64_64)
				continue;
			rels[n].off_bytes = tobj_get(t, tobj_sec_bytes(t, i) + r +
						     TOBJ_FIELD(Elf64_Rel, r_offset));
			rels[n++].sym = tobj_sym_name(t, (uint32_t)ELF64_R_SYM(info));
		}
	}
	return n;
}
