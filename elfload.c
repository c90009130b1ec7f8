/* elfload.c - reads a BPF ELF object without libelf, trusting no field.
 *
 * Every offset, size and index from the file is checked, in a form that
 * cannot overflow, before it is used. Section headers, symbols and
 * relocations are read in place, so their offsets must keep them aligned
 * as every ELF writer does (and the buffer must be 8-byte aligned, as
 * malloc's and the embedded object are). Nothing here makes a syscall or
 * prints: the caller gets -errno and obj->err, so a fuzzer can drive
 * elf_load() as it is.
 *
 * What is read: the symbol table; functions in executable sections
 * (programs outside .text, subprograms in it); maps from the 20-byte
 * struct bpf_map_def records in "maps" and from the BTF of ".maps";
 * global data sections, each an array map of one value; the license;
 * .BTF, fixed up as the kernel wants it, and .BTF.ext; relocations:
 * R_BPF_64_64 on an ld_imm64 (a map, global data, or a callback's
 * address) and R_BPF_64_32 on a call. Sections nothing refers to (debug
 * info, libxdp's .xdp_run_config and xdp_metadata) are left alone. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfload.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif
#ifndef R_BPF_64_ABS64
#define R_BPF_64_ABS64 2
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32 10
#endif

/* The legacy map definition: five u32 in the object's byte order. */
#define ELF_MAP_DEF_BYTES (5 * sizeof(uint32_t))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ELF_HOST_DATA ELFDATA2LSB
#define ELF_OTHER_ORDER "object is big-endian, this machine is not: build it with clang -target bpfel"
#else
#define ELF_HOST_DATA ELFDATA2MSB
#define ELF_OTHER_ORDER "object is little-endian, this machine is not: build it with clang -target bpfeb"
#endif

static int elf_pow2(uint32_t n)
{
	return n && (n & (n - 1)) == 0;
}

static int elf_fail(struct elf_obj *obj, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(obj->err, sizeof(obj->err), fmt, ap);
	va_end(ap);
	return err;
}

/* len bytes at off inside the file, at an address aligned to align (a
 * power of two), so that what lies there can be read in place. */
static int elf_range_ok(const struct elf_obj *obj, uint64_t off, uint64_t len, uint32_t align)
{
	return off <= obj->len_bytes && len <= obj->len_bytes - off &&
	       ((uintptr_t)obj->buf + (uintptr_t)off) % align == 0;
}

/* len bytes at off inside section sh, off a multiple of align. */
static int elf_in_sec(const Elf64_Shdr *sh, uint64_t off, uint64_t len, uint32_t align)
{
	return off % align == 0 && off <= sh->sh_size && len <= sh->sh_size - off;
}

/* A NUL-terminated string at off inside string-table section shndx. */
static const char *elf_str(const struct elf_obj *obj, uint32_t shndx,
			   uint32_t off)
{
	const Elf64_Shdr *sh;
	const char *s;

	if (shndx == 0 || shndx >= obj->shnum)
		return NULL;
	sh = &obj->sh[shndx];
	if (sh->sh_type != SHT_STRTAB || off >= sh->sh_size)
		return NULL;
	s = (const char *)obj->buf + sh->sh_offset + off;
	return memchr(s, '\0', (size_t)(sh->sh_size - off)) ? s : NULL;
}

static const char *elf_sec_name(const struct elf_obj *obj, uint32_t idx)
{
	return elf_str(obj, obj->shstrndx, obj->sh[idx].sh_name);
}

static int elf_sec_by_name(const struct elf_obj *obj, const char *name)
{
	uint32_t i;

	for (i = 1; i < obj->shnum; i++) {
		const char *n = elf_sec_name(obj, i);

		if (n && strcmp(n, name) == 0)
			return (int)i;
	}
	return -ENOENT;
}

static const char *elf_sym_name(const struct elf_obj *obj, const Elf64_Sym *sym)
{
	return elf_str(obj, obj->sh[obj->symtab].sh_link, sym->st_name);
}

/* Bounded, always terminated: the kernel takes 15 characters and a NUL. */
static void elf_copy_name(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int elf_check_header(struct elf_obj *obj)
{
	Elf64_Ehdr eh;

	if (obj->len_bytes < sizeof(eh))
		return elf_fail(obj, -EINVAL, "file of %zu bytes is shorter than an ELF header",
				obj->len_bytes);
	memcpy(&eh, obj->buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return elf_fail(obj, -EINVAL, "not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return elf_fail(obj, -EINVAL, "not a 64-bit ELF file (BPF objects are ELF64)");
	if (eh.e_ident[EI_DATA] != ELF_HOST_DATA)
		return elf_fail(obj, -EINVAL, ELF_OTHER_ORDER);
	/* LLVM before 7 wrote EM_NONE into BPF objects. */
	if (eh.e_machine != EM_BPF && eh.e_machine != EM_NONE)
		return elf_fail(obj, -EINVAL, "e_machine %u is not BPF", eh.e_machine);
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return elf_fail(obj, -EINVAL, "e_shentsize %u is not %zu",
				eh.e_shentsize, sizeof(Elf64_Shdr));
	if (eh.e_shnum == 0 ||
	    !elf_range_ok(obj, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), 8))
		return elf_fail(obj, -EINVAL, "section headers (%u at offset %llu) lie outside the file or are not 8-byte aligned",
				eh.e_shnum, (unsigned long long)eh.e_shoff);
	if (eh.e_shnum > ELF_MAX_SECTIONS)
		return elf_fail(obj, -E2BIG, "%u sections, more than %d", eh.e_shnum, ELF_MAX_SECTIONS);
	if (eh.e_shstrndx >= eh.e_shnum)
		return elf_fail(obj, -EINVAL, "e_shstrndx %u out of range", eh.e_shstrndx);
	obj->shnum = eh.e_shnum;
	obj->shstrndx = eh.e_shstrndx;
	obj->sh = (const Elf64_Shdr *)(obj->buf + eh.e_shoff);
	return 0;
}

/* The bytes of section idx in the file as [*lo, *hi); empty for none. */
static void elf_sec_span(const struct elf_obj *obj, uint32_t idx, uint64_t *lo, uint64_t *hi)
{
	const Elf64_Shdr *sh = &obj->sh[idx];

	*lo = sh->sh_offset;
	*hi = sh->sh_type == SHT_NOBITS || sh->sh_type == SHT_NULL ? sh->sh_offset :
	      sh->sh_offset + sh->sh_size;
}

/* Section i lies in the file, aligned where it is read in place (symbols
 * and relocations, for their 64-bit fields), and shares no byte with the
 * headers or an earlier section: a file that does is made to mislead a
 * reader. Quadratic, so the number of sections is bounded. */
static int elf_check_section(struct elf_obj *obj, uint32_t i)
{
	const Elf64_Shdr *sh = &obj->sh[i];
	uint64_t lo, hi, lo2, hi2, sh_lo = (uint64_t)((const uint8_t *)obj->sh - obj->buf);
	uint32_t j, align = sh->sh_type == SHT_SYMTAB || sh->sh_type == SHT_REL ? 8 : 1;

	elf_sec_span(obj, i, &lo, &hi);
	if (sh->sh_type == SHT_NOBITS || sh->sh_type == SHT_NULL)
		return 0;
	if (!elf_range_ok(obj, sh->sh_offset, sh->sh_size, align))
		return elf_fail(obj, -EINVAL, "section %u: offset %llu size %llu past the end of the file or not %u-byte aligned",
				i, (unsigned long long)lo, (unsigned long long)sh->sh_size, align);
	if (sh->sh_type == SHT_STRTAB && lo == hi)
		return elf_fail(obj, -EINVAL, "section %u: empty string table", i);
	if (lo != hi && (lo < sizeof(Elf64_Ehdr) ||
			 (lo < sh_lo + obj->shnum * sizeof(Elf64_Shdr) && sh_lo < hi)))
		return elf_fail(obj, -EINVAL, "section %u overlaps the ELF or section headers", i);
	for (j = 1; lo != hi && j < i; j++) {
		elf_sec_span(obj, j, &lo2, &hi2);
		if (lo2 < hi2 && lo < hi2 && lo2 < hi)
			return elf_fail(obj, -EINVAL, "sections %u and %u overlap", j, i);
	}
	return 0;
}

static int elf_take_symtab(struct elf_obj *obj, uint32_t i)
{
	const Elf64_Shdr *sh = &obj->sh[i];

	if (obj->symtab)
		return elf_fail(obj, -EINVAL, "more than one symbol table");
	if (sh->sh_entsize != sizeof(Elf64_Sym) || sh->sh_size % sizeof(Elf64_Sym))
		return elf_fail(obj, -EINVAL, "symbol table: entry size %llu, size %llu",
				(unsigned long long)sh->sh_entsize,
				(unsigned long long)sh->sh_size);
	if (sh->sh_link == 0 || sh->sh_link >= obj->shnum)
		return elf_fail(obj, -EINVAL, "symbol table: string table %u out of range",
				sh->sh_link);
	if (sh->sh_size / sizeof(Elf64_Sym) > ELF_MAX_SYMS)
		return elf_fail(obj, -E2BIG, "more than %d %s", ELF_MAX_SYMS, "symbols");
	obj->symtab = i;
	obj->nsyms = (uint32_t)(sh->sh_size / sizeof(Elf64_Sym));
	obj->syms = (const Elf64_Sym *)(obj->buf + sh->sh_offset);
	return 0;
}

static int elf_check_sections(struct elf_obj *obj)
{
	uint32_t i;
	int err;

	for (i = 1; i < obj->shnum; i++) {
		err = elf_check_section(obj, i);
		if (!err && obj->sh[i].sh_type == SHT_SYMTAB)
			err = elf_take_symtab(obj, i);
		if (err)
			return err;
	}
	return obj->symtab ? 0 : elf_fail(obj, -EINVAL, "no symbol table");
}

/* The section called name: its index, 0 when there is none, -EINVAL
 * when it has no bytes in the file (or more than its sizes can count). */
static int elf_sec_bytes(struct elf_obj *obj, const char *name)
{
	int idx = elf_sec_by_name(obj, name);

	if (idx < 0)
		return 0;
	if (obj->sh[idx].sh_type != SHT_PROGBITS)
		return elf_fail(obj, -EINVAL, "%s section has no bytes in the file", name);
	if (obj->sh[idx].sh_size > UINT32_MAX)
		return elf_fail(obj, -EINVAL, "section %s is larger than 4 GiB", name);
	return idx;
}

/* Without a license section the kernel gets "", as libbpf sends it: the
 * verifier then refuses only the GPL-only helpers. */
static int elf_read_license(struct elf_obj *obj)
{
	int idx = elf_sec_bytes(obj, "license");
	const Elf64_Shdr *sh;
	const char *s;

	if (idx <= 0)
		return idx;
	sh = &obj->sh[idx];
	s = (const char *)obj->buf + sh->sh_offset;
	/* Also when it is empty. */
	if (!memchr(s, '\0', sh->sh_size))
		return elf_fail(obj, -EINVAL, "license section is not a terminated string");
	elf_copy_name(obj->license, sizeof(obj->license), s);
	return 0;
}

/* "version" holds the kern_version that kernels before 5.0 wanted of
 * kprobes; libbpf refuses one of another size and the kernel ignores it
 * for XDP, so it is checked and not sent. */
static int elf_check_version(struct elf_obj *obj)
{
	int idx = elf_sec_bytes(obj, "version");

	if (idx > 0 && obj->sh[idx].sh_size != sizeof(uint32_t))
		return elf_fail(obj, -EINVAL, "version section of %llu bytes, not 4",
				(unsigned long long)obj->sh[idx].sh_size);
	return idx < 0 ? idx : 0;
}

/* The symbol named name defined in section shndx; NULL if none. */
static const Elf64_Sym *elf_sym_find(const struct elf_obj *obj, const char *name,
				     uint32_t shndx)
{
	const Elf64_Sym *sym;
	const char *n;
	uint32_t i;

	for (i = 1; i < obj->nsyms; i++) {
		sym = &obj->syms[i];
		if (sym->st_shndx != shndx)
			continue;
		n = elf_sym_name(obj, sym);
		if (n && strcmp(n, name) == 0)
			return sym;
	}
	return NULL;
}

/* Global variables get the offsets of their symbols; static ones already
 * hold theirs. */
static int elf_btf_fix_vars(struct elf_obj *obj, struct btf_var_secinfo *vars, uint32_t n,
			    uint32_t shndx, const char *sec)
{
	const struct btf_type *v;
	uint32_t i, linkage;
	const Elf64_Sym *sym;
	const char *name;

	for (i = 0; i < n; i++) {
		v = btf_type(&obj->btf, vars[i].type);
		name = v ? btf_name(&obj->btf, v->name_off) : NULL;
		if (!name || BTF_INFO_KIND(v->info) != BTF_KIND_VAR)
			return elf_fail(obj, -EINVAL, "BTF DATASEC %s: entry %u is not a named variable", sec, i);
		memcpy(&linkage, v + 1, sizeof(linkage));
		if (linkage == BTF_VAR_STATIC)
			continue;
		sym = elf_sym_find(obj, name, shndx);
		if (!sym)
			return elf_fail(obj, -EINVAL, "BTF variable %s has no symbol in %s", name, sec);
		vars[i].offset = (uint32_t)sym->st_value;
	}
	return 0;
}

/* clang leaves a DATASEC's size and its global variables' offsets at 0
 * (they are relocations in .rel.BTF); the kernel refuses the whole BTF
 * unless they are filled and the variables sorted by offset. Sections we
 * skip need it as well. The variables are bounded in number because each
 * costs a pass over the symbols. */
static int elf_btf_fix_datasec(struct elf_obj *obj, uint32_t id)
{
	struct btf_type *t = btf_type(&obj->btf, id);
	const char *sec = btf_name(&obj->btf, t->name_off);
	struct btf_var_secinfo *vars;
	const Elf64_Shdr *sh;
	uint32_t n;
	int shndx, err;

	vars = btf_datasec_vars(&obj->btf, id, &n);
	/* The kernel refuses an empty DATASEC anyway: no lookups for it. */
	if (n == 0)
		return 0;
	shndx = sec ? elf_sec_by_name(obj, sec) : -EINVAL;
	if (shndx < 0)
		return elf_fail(obj, -EOPNOTSUPP, "BTF DATASEC %s has no section: externs (kfuncs, ksyms, kconfig) are not supported",
				sec ? sec : "?");
	obj->nvars += n;
	if (obj->nvars > ELF_MAX_VARS)
		return elf_fail(obj, -E2BIG, "more than %d %s", ELF_MAX_VARS, "BTF variables");
	sh = &obj->sh[(uint32_t)shndx];
	if (sh->sh_size > UINT32_MAX)
		return elf_fail(obj, -EINVAL, "section %s is larger than 4 GiB", sec);
	t->size = (uint32_t)sh->sh_size;
	err = elf_btf_fix_vars(obj, vars, n, (uint32_t)shndx, sec);
	if (!err)
		btf_datasec_sort(&obj->btf, id);
	return err;
}

static int elf_read_btf(struct elf_obj *obj)
{
	int idx = elf_sec_bytes(obj, ".BTF"), err;
	const Elf64_Shdr *sh;
	uint32_t id;

	if (idx <= 0)
		return idx;
	sh = &obj->sh[idx];
	err = btf_parse(&obj->btf, obj->buf + sh->sh_offset, sh->sh_size, obj->err);
	for (id = 1; !err && id < obj->btf.ntypes; id++)
		if (BTF_INFO_KIND(btf_type(&obj->btf, id)->info) == BTF_KIND_DATASEC)
			err = elf_btf_fix_datasec(obj, id);
	idx = err ? err : elf_sec_bytes(obj, ".BTF.ext");
	if (idx <= 0)
		return idx;
	sh = &obj->sh[idx];
	return btf_ext_parse(&obj->ext, &obj->btf, obj->buf + sh->sh_offset, sh->sh_size,
			     obj->err);
}

static struct elf_map *elf_new_map(struct elf_obj *obj, const char *sym, uint32_t shndx,
				   uint64_t def_off)
{
	struct elf_map *m;

	if (obj->nmaps == ELF_MAX_MAPS) {
		elf_fail(obj, -E2BIG, "more than %d %s", ELF_MAX_MAPS, "maps");
		return NULL;
	}
	m = &obj->maps[obj->nmaps++];
	memset(m, 0, sizeof(*m));
	m->sym = sym;
	elf_copy_name(m->name, sizeof(m->name), sym);
	m->shndx = shndx;
	m->def_off = def_off;
	return m;
}

static int elf_add_legacy_map(struct elf_obj *obj, const Elf64_Sym *sym, const char *name)
{
	const Elf64_Shdr *sh;
	struct elf_map *m;
	uint32_t def[5];

	sh = &obj->sh[obj->maps_shndx];
	if (!elf_in_sec(sh, sym->st_value, ELF_MAP_DEF_BYTES, sizeof(uint32_t)))
		return elf_fail(obj, -EINVAL, "map %s: definition at %llu outside the maps section",
				name, (unsigned long long)sym->st_value);
	m = elf_new_map(obj, name, obj->maps_shndx, sym->st_value);
	if (!m)
		return -E2BIG;
	memcpy(def, obj->buf + sh->sh_offset + sym->st_value, sizeof(def));
	m->type = def[0];
	m->key_size = def[1];
	m->value_size = def[2];
	m->max_entries = def[3];
	m->flags = def[4];
	return 0;
}

static int elf_add_btf_map(struct elf_obj *obj, const Elf64_Sym *sym, const char *name)
{
	struct btf_map_def def;
	struct elf_map *m;
	int err;

	if (!obj->btf.data)
		return elf_fail(obj, -EINVAL, "map %s: .maps without .BTF", name);
	err = btf_map_def(&obj->btf, name, &def, obj->err);
	if (err)
		return err;
	m = elf_new_map(obj, name, obj->btf_maps_shndx, sym->st_value);
	if (!m)
		return -E2BIG;
	m->type = def.type;
	m->key_size = def.key_size;
	m->value_size = def.value_size;
	m->max_entries = def.max_entries;
	m->flags = def.flags;
	m->pinned = def.pinning != 0;
	m->has_inner = def.has_inner;
	m->inner = def.inner;
	m->numa_node = def.numa_node;
	m->map_extra = def.map_extra;
	m->has_values = def.has_values;
	m->values_off = def.values_off;
	return 0;
}

/* libbpf 1.x's section names of XDP programs, matched whole (libbpf's
 * section_defs): any other name, "xdp_prog" or "xdp/foo" included, is
 * not XDP to libbpf either. */
static const struct {
	const char *name;
	uint8_t frags;
	uint32_t expected_attach_type;
} elf_xdp_secs[] = {
	{ "xdp", 0, 0 },
	{ "xdp.frags", 1, 0 },
	{ "xdp/devmap", 0, BPF_XDP_DEVMAP },
	{ "xdp.frags/devmap", 1, BPF_XDP_DEVMAP },
	{ "xdp/cpumap", 0, BPF_XDP_CPUMAP },
	{ "xdp.frags/cpumap", 1, BPF_XDP_CPUMAP },
};

/* The section name says the program type. libbpf also sends
 * expected_attach_type BPF_XDP for plain "xdp"; the kernel tells only
 * the devmap and cpumap ones apart, so 0 asks for the same. */
static void elf_prog_type(struct elf_prog *p, const char *sec)
{
	size_t i;

	/* "?xdp": the same program, which libbpf loads only on request. */
	p->autoload = sec[0] != '?';
	sec += !p->autoload;
	/* libbpf's short "tp/CATEGORY[/NAME]" ("tracepoint/..." is the same
	 * to libbpf): the forwarder's own tracepoint programs. */
	if (strncmp(sec, "tp/", 3) == 0)
		p->type = BPF_PROG_TYPE_TRACEPOINT;
	for (i = 0; i < sizeof(elf_xdp_secs) / sizeof(elf_xdp_secs[0]); i++) {
		if (strcmp(sec, elf_xdp_secs[i].name) != 0)
			continue;
		p->type = BPF_PROG_TYPE_XDP;
		p->flags = elf_xdp_secs[i].frags ? BPF_F_XDP_HAS_FRAGS : 0;
		p->expected_attach_type = elf_xdp_secs[i].expected_attach_type;
		return;
	}
}

static int elf_add_prog(struct elf_obj *obj, uint32_t func, const char *sec)
{
	struct elf_prog *p;

	if (obj->nprogs == ELF_MAX_PROGS)
		return elf_fail(obj, -E2BIG, "more than %d %s", ELF_MAX_PROGS, "programs");
	p = &obj->progs[obj->nprogs++];
	memset(p, 0, sizeof(*p));
	p->sym = obj->funcs[func].sym;
	p->sec_name = sec;
	elf_prog_type(p, sec);
	p->func = func;
	p->insn_cnt = obj->funcs[func].insn_cnt;
	return 0;
}

/* The relocation section that applies to section shndx, 0 if none. */
static uint32_t elf_rel_of(const struct elf_obj *obj, uint32_t shndx)
{
	const Elf64_Shdr *sh;
	uint32_t i;

	for (i = 1; i < obj->shnum; i++) {
		sh = &obj->sh[i];
		if (sh->sh_type == SHT_REL && sh->sh_info == shndx)
			return i;
	}
	return 0;
}

/* Functions share no instruction: each is then appended at most once and
 * a linked program is no longer than all code in the file. */
static int elf_func_overlaps(const struct elf_obj *obj, const struct elf_func *f)
{
	const struct elf_func *g;
	uint32_t i;

	for (i = 0; i < obj->nfuncs; i++) {
		g = &obj->funcs[i];
		if (g->shndx == f->shndx && f->off_bytes < g->off_bytes + g->insn_cnt * 8ull &&
		    g->off_bytes < f->off_bytes + f->insn_cnt * 8ull)
			return 1;
	}
	return 0;
}

static int elf_add_func(struct elf_obj *obj, const Elf64_Sym *sym, const char *name)
{
	const char *sec = elf_sec_name(obj, sym->st_shndx);
	struct elf_func *f;
	const Elf64_Shdr *sh;

	sh = &obj->sh[sym->st_shndx];
	if (!sec || sym->st_size % sizeof(struct bpf_insn) || sym->st_size == 0 ||
	    !elf_in_sec(sh, sym->st_value, sym->st_size, sizeof(struct bpf_insn)))
		return elf_fail(obj, -EINVAL, "function %s: offset %llu size %llu not whole instructions inside its section",
				name, (unsigned long long)sym->st_value,
				(unsigned long long)sym->st_size);
	if (obj->nfuncs == ELF_MAX_FUNCS)
		return elf_fail(obj, -E2BIG, "more than %d %s", ELF_MAX_FUNCS, "functions");
	f = &obj->funcs[obj->nfuncs];
	f->sym = name;
	f->shndx = sym->st_shndx;
	f->rel_shndx = elf_rel_of(obj, sym->st_shndx);
	f->off_bytes = sym->st_value;
	f->insn_cnt = (uint32_t)(sym->st_size / sizeof(struct bpf_insn));
	if (elf_func_overlaps(obj, f))
		return elf_fail(obj, -EINVAL, "function %s overlaps another", name);
	obj->func_insns += f->insn_cnt;
	obj->nfuncs++;
	if (strcmp(sec, ".text") != 0)
		return elf_add_prog(obj, obj->nfuncs - 1, sec);
	if (obj->btf.data && ELF64_ST_BIND(sym->st_info) != STB_LOCAL &&
	    (ELF64_ST_VISIBILITY(sym->st_other) == STV_HIDDEN ||
	     ELF64_ST_VISIBILITY(sym->st_other) == STV_INTERNAL))
		btf_func_make_static(&obj->btf, name);
	return 0;
}

static int elf_sec_is_code(const struct elf_obj *obj, uint32_t shndx)
{
	const Elf64_Shdr *sh;

	if (shndx == 0 || shndx >= obj->shnum)
		return 0;
	sh = &obj->sh[shndx];
	return sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR);
}

static int elf_collect_symbol(struct elf_obj *obj, uint32_t i)
{
	const Elf64_Sym *sym = &obj->syms[i];
	const char *name;

	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= obj->shnum)
		return 0;
	name = elf_sym_name(obj, sym);
	if (!name)
		return elf_fail(obj, -EINVAL, "symbol %u: name offset %u invalid", i, sym->st_name);
	if (ELF64_ST_TYPE(sym->st_info) == STT_OBJECT && sym->st_shndx == obj->maps_shndx)
		return elf_add_legacy_map(obj, sym, name);
	if (ELF64_ST_TYPE(sym->st_info) == STT_OBJECT && sym->st_shndx == obj->btf_maps_shndx)
		return elf_add_btf_map(obj, sym, name);
	if (ELF64_ST_TYPE(sym->st_info) == STT_FUNC && elf_sec_is_code(obj, sym->st_shndx))
		return elf_add_func(obj, sym, name);
	return 0;
}

/* .data, .bss, .rodata and their named variants (.rodata.str1.1,
 * .data.config): the name the kernel gets keeps only what it allows. */
static int elf_is_data_sec(const char *n)
{
	static const char pfx[][8] = { ".data", ".bss", ".rodata" };
	size_t i, len;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		len = strlen(pfx[i]);
		if (strncmp(n, pfx[i], len) == 0 && (n[len] == '\0' || n[len] == '.'))
			return 1;
	}
	return 0;
}

static int elf_add_data_map(struct elf_obj *obj, uint32_t idx, const char *sec)
{
	struct elf_map *m;
	const Elf64_Shdr *sh;
	char *c;

	sh = &obj->sh[idx];
	if (sh->sh_size == 0 || (sh->sh_type != SHT_PROGBITS && sh->sh_type != SHT_NOBITS))
		return 0;
	if (sh->sh_size > UINT32_MAX)
		return elf_fail(obj, -EINVAL, "section %s is larger than 4 GiB", sec);
	m = elf_new_map(obj, sec, idx, 0);
	if (!m)
		return -E2BIG;
	for (c = m->name; *c; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
		    !(*c >= '0' && *c <= '9') && *c != '.')
			*c = '_';
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = sizeof(uint32_t);
	m->value_size = (uint32_t)sh->sh_size;
	m->max_entries = 1;
	m->init = sh->sh_type == SHT_PROGBITS ? obj->buf + sh->sh_offset : NULL;
	m->frozen = strncmp(sec, ".rodata", 7) == 0;
	m->flags = m->frozen ? BPF_F_RDONLY_PROG : 0;
	return 0;
}

static int elf_collect_data(struct elf_obj *obj)
{
	const char *sec;
	uint32_t i;
	int err;

	for (i = 1; i < obj->shnum; i++) {
		sec = elf_sec_name(obj, i);
		if (!sec || !elf_is_data_sec(sec))
			continue;
		err = elf_add_data_map(obj, i, sec);
		if (err)
			return err;
	}
	return 0;
}

static int elf_collect_symbols(struct elf_obj *obj)
{
	int maps = elf_sec_bytes(obj, "maps"), btf_maps = elf_sec_bytes(obj, ".maps"), err = 0;
	uint32_t i;

	/* Both fail with -EINVAL; obj->err names the second if both do. */
	if (maps < 0 || btf_maps < 0)
		return -EINVAL;
	obj->maps_shndx = (uint32_t)maps;
	obj->btf_maps_shndx = (uint32_t)btf_maps;
	for (i = 1; !err && i < obj->nsyms; i++)
		err = elf_collect_symbol(obj, i);
	if (!err)
		err = elf_collect_data(obj);
	if (!err && !obj->nprogs)
		return elf_fail(obj, -ENOENT, "no programs (functions in executable sections other than .text)");
	return err;
}

/* What a relocation does to the instruction it lands on. */
enum elf_reloc_kind { ELF_RELOC_MAP, ELF_RELOC_DATA, ELF_RELOC_CALL, ELF_RELOC_FUNC_ADDR };

struct elf_reloc {
	uint64_t off_bytes;		/* of the instruction, in its section */
	enum elf_reloc_kind kind;
	uint32_t target;		/* map index, or func index for calls */
	uint32_t data_off;		/* ELF_RELOC_DATA: offset in the map's value */
};

/* imm + 1 instructions past base, in unsigned arithmetic: a file's
 * values may make it wrap, and then it starts no function. */
static uint64_t elf_call_target(uint64_t base, int32_t imm)
{
	return base + (uint64_t)((int64_t)imm + 1) * sizeof(struct bpf_insn);
}

/* The function that starts at off in section shndx, or -ENOENT. */
static int elf_func_at(const struct elf_obj *obj, uint32_t shndx, uint64_t off)
{
	uint32_t i;

	for (i = 0; i < obj->nfuncs; i++)
		if (obj->funcs[i].shndx == shndx && obj->funcs[i].off_bytes == off)
			return (int)i;
	return -ENOENT;
}

static int elf_map_at(const struct elf_obj *obj, uint32_t shndx, uint64_t def_off)
{
	uint32_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (obj->maps[i].shndx == shndx && obj->maps[i].def_off == def_off)
			return (int)i;
	return -ENOENT;
}

/* A call's target: the symbol plus imm + 1 instructions, as libbpf
 * reads it (-1 for a global function, the offset for a static one
 * relocated against its section). */
static int elf_resolve_call(struct elf_obj *obj, const Elf64_Sym *sym,
			    const struct bpf_insn *insn, struct elf_reloc *r, const char *sec)
{
	uint64_t off = elf_call_target(sym->st_value, insn->imm);
	int f;

	if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg != BPF_PSEUDO_CALL)
		return elf_fail(obj, -EINVAL, "%s+%llu: R_BPF_64_32 does not land on a call",
				sec, (unsigned long long)r->off_bytes);
	f = elf_func_at(obj, sym->st_shndx, off);
	if (f < 0)
		return elf_fail(obj, -EINVAL, "%s+%llu: call to %lld, which starts no function",
				sec, (unsigned long long)r->off_bytes, (long long)off);
	r->kind = ELF_RELOC_CALL;
	r->target = (uint32_t)f;
	return 0;
}

/* An ld_imm64 of a map, of global data, or of a callback's address. */
static int elf_resolve_ld(struct elf_obj *obj, const Elf64_Sym *sym, const char *name,
			  const struct bpf_insn *insn, struct elf_reloc *r, const char *sec)
{
	uint64_t off = sym->st_value + (uint32_t)insn->imm;
	int is_map = sym->st_shndx && (sym->st_shndx == obj->maps_shndx ||
				       sym->st_shndx == obj->btf_maps_shndx);
	/* A map by its definition; global data by its section, at 0. */
	int m = elf_map_at(obj, sym->st_shndx, is_map ? sym->st_value : 0);

	if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
		return elf_fail(obj, -EINVAL, "%s+%llu: relocation does not land on an ld_imm64",
				sec, (unsigned long long)r->off_bytes);
	if (is_map) {
		r->kind = ELF_RELOC_MAP;
	} else if (m >= 0) {
		r->kind = ELF_RELOC_DATA;
		if (off >= obj->maps[m].value_size)
			return elf_fail(obj, -EINVAL, "%s+%llu: offset %llu past the end of %s",
					sec, (unsigned long long)r->off_bytes,
					(unsigned long long)off, obj->maps[m].sym);
		r->data_off = (uint32_t)off;
	} else if (elf_sec_is_code(obj, sym->st_shndx)) {
		r->kind = ELF_RELOC_FUNC_ADDR;
		m = elf_func_at(obj, sym->st_shndx, off);
	}
	if (m < 0)
		return elf_fail(obj, -EOPNOTSUPP, "%s+%llu: reference to %s, which is neither a map, global data nor a function",
				sec, (unsigned long long)r->off_bytes, name);
	r->target = (uint32_t)m;
	return 0;
}

/* Relocation i of section rel: checked, and what it does. */
static int elf_rel_resolve(struct elf_obj *obj, const Elf64_Shdr *rel, uint32_t i,
			   struct elf_reloc *r)
{
	const Elf64_Rel *e = (const Elf64_Rel *)(obj->buf + rel->sh_offset) + i;
	const Elf64_Shdr *target = &obj->sh[rel->sh_info];
	const char *sec = elf_sec_name(obj, rel->sh_info), *name;
	uint32_t type, symi, need;
	const Elf64_Sym *sym;
	struct bpf_insn insn;

	sec = sec ? sec : "?";
	type = (uint32_t)ELF64_R_TYPE(e->r_info);
	symi = (uint32_t)ELF64_R_SYM(e->r_info);
	r->off_bytes = e->r_offset;
	if (type != R_BPF_64_64 && type != R_BPF_64_32)
		return elf_fail(obj, -EOPNOTSUPP, "%s+%llu: relocation type %u not supported",
				sec, (unsigned long long)e->r_offset, type);
	need = (type == R_BPF_64_64 ? 2 : 1) * sizeof(insn);
	if (!elf_in_sec(target, e->r_offset, need, sizeof(insn)))
		return elf_fail(obj, -EINVAL, "%s+%llu: relocation offset outside whole instructions",
				sec, (unsigned long long)e->r_offset);
	if (symi == 0 || symi >= obj->nsyms)
		return elf_fail(obj, -EINVAL, "%s+%llu: symbol index %u out of range",
				sec, (unsigned long long)e->r_offset, symi);
	sym = &obj->syms[symi];
	name = elf_sym_name(obj, sym);
	/* Section symbols have no name of their own. */
	if (!name || !name[0])
		name = sym->st_shndx < obj->shnum ? elf_sec_name(obj, sym->st_shndx) : NULL;
	name = name ? name : "?";
	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= obj->shnum)
		return elf_fail(obj, -EOPNOTSUPP, "%s+%llu: extern %s (a kfunc or kernel symbol) is not supported",
				sec, (unsigned long long)e->r_offset, name);
	memcpy(&insn, obj->buf + target->sh_offset + e->r_offset, sizeof(insn));
	if (type == R_BPF_64_32)
		return elf_resolve_call(obj, sym, &insn, r, sec);
	return elf_resolve_ld(obj, sym, name, &insn, r, sec);
}

/* What a relocation section is to us. */
enum elf_rel_kind { ELF_REL_IGNORED, ELF_REL_CODE, ELF_REL_SLOTS };

/* Relocations we act on are those of code, and those of .maps, which
 * give maps of maps and prog arrays their initial values; those of
 * legacy map definitions or global data would be values we cannot give. */
static int elf_rel_sec(struct elf_obj *obj, uint32_t idx, const Elf64_Shdr **relp)
{
	const Elf64_Shdr *rel = *relp = &obj->sh[idx];
	const char *target;
	int slots;

	if (rel->sh_type != SHT_REL && rel->sh_type != SHT_RELA)
		return ELF_REL_IGNORED;
	if (rel->sh_info == 0 || rel->sh_info >= obj->shnum)
		return elf_fail(obj, -EINVAL, "section %u: relocations for section %u", idx, rel->sh_info);
	target = elf_sec_name(obj, rel->sh_info);
	slots = obj->btf_maps_shndx && rel->sh_info == obj->btf_maps_shndx;
	if (!slots && target && (elf_is_data_sec(target) || rel->sh_info == obj->maps_shndx))
		return elf_fail(obj, -EOPNOTSUPP, "relocations in %s: pointers in global data and legacy map initial values are not supported",
				target);
	if (!slots && !elf_sec_is_code(obj, rel->sh_info))
		return ELF_REL_IGNORED;
	if (rel->sh_type == SHT_RELA)
		return elf_fail(obj, -EOPNOTSUPP, "section %u: RELA relocations", idx);
	if (rel->sh_entsize != sizeof(Elf64_Rel) || rel->sh_size % sizeof(Elf64_Rel))
		return elf_fail(obj, -EINVAL, "section %u: relocation entry size %llu",
				idx, (unsigned long long)rel->sh_entsize);
	if (rel->sh_link != obj->symtab)
		return elf_fail(obj, -EINVAL, "section %u: relocations against another symbol table", idx);
	return slots ? ELF_REL_SLOTS : ELF_REL_CODE;
}

/* The .maps map whose values array holds the pointer at off: the one
 * defined last before it. */
static int elf_slot_map(const struct elf_obj *obj, uint64_t off)
{
	const struct elf_map *m;
	int best = -ENOENT;
	uint32_t i;

	for (i = 0; i < obj->nmaps; i++) {
		m = &obj->maps[i];
		if (m->shndx == obj->btf_maps_shndx && m->def_off <= off &&
		    (best < 0 || m->def_off > obj->maps[best].def_off))
			best = (int)i;
	}
	return best;
}

/* The program whose function starts at sym, as libbpf fills a prog
 * array: -ENOENT for none. */
static int elf_prog_at(const struct elf_obj *obj, const Elf64_Sym *sym)
{
	int f = elf_func_at(obj, sym->st_shndx, sym->st_value);
	uint32_t i;

	for (i = 0; f >= 0 && i < obj->nprogs; i++)
		if (obj->progs[i].func == (uint32_t)f)
			return (int)i;
	return -ENOENT;
}

/* Relocation i of .maps: an initial value, a map or a program pointed to
 * from a values array, checked and kept as a slot. */
static int elf_rel_slot(struct elf_obj *obj, const Elf64_Shdr *rel, uint32_t i)
{
	const Elf64_Rel *e = (const Elf64_Rel *)(obj->buf + rel->sh_offset) + i;
	uint32_t symi = (uint32_t)ELF64_R_SYM(e->r_info);
	const struct elf_map *m;
	const Elf64_Sym *sym;
	struct elf_slot *sl;
	uint64_t at;
	int mi, t;

	if (ELF64_R_TYPE(e->r_info) != R_BPF_64_ABS64 || symi == 0 || symi >= obj->nsyms)
		return elf_fail(obj, -EINVAL, ".maps+%llu: not a pointer to a symbol",
				(unsigned long long)e->r_offset);
	mi = elf_slot_map(obj, e->r_offset);
	m = mi >= 0 ? &obj->maps[mi] : NULL;
	at = m && m->has_values && e->r_offset >= m->def_off + m->values_off ?
	     e->r_offset - m->def_off - m->values_off : UINT64_MAX;
	if (at % 8 || at / 8 >= (m ? m->max_entries : 0))
		return elf_fail(obj, -EINVAL, ".maps+%llu: not a slot of a map's values",
				(unsigned long long)e->r_offset);
	sym = &obj->syms[symi];
	t = m->type == BPF_MAP_TYPE_PROG_ARRAY ? elf_prog_at(obj, sym) :
	    sym->st_shndx == obj->btf_maps_shndx ? elf_map_at(obj, sym->st_shndx, sym->st_value) : -ENOENT;
	if (t < 0)
		return elf_fail(obj, -EINVAL, "map %s: slot %llu holds neither a map nor a program of this object",
				m->sym, (unsigned long long)(at / 8));
	if (obj->nslots == ELF_MAX_SLOTS)
		return elf_fail(obj, -E2BIG, "more than %d %s", ELF_MAX_SLOTS, "initial values of maps");
	sl = &obj->slots[obj->nslots++];
	sl->map = (uint32_t)mi;
	sl->slot = (uint32_t)(at / 8);
	sl->target = (uint32_t)t;
	sl->is_prog = m->type == BPF_MAP_TYPE_PROG_ARRAY;
	return 0;
}

/* Relocation i of section rel, of kind kind; its offset in *off. */
static int elf_rel_check(struct elf_obj *obj, const Elf64_Shdr *rel, uint32_t i, int kind,
			 uint64_t *off)
{
	struct elf_reloc r;
	int err;

	if (kind == ELF_REL_SLOTS) {
		*off = ((const Elf64_Rel *)(obj->buf + rel->sh_offset))[i].r_offset;
		return elf_rel_slot(obj, rel, i);
	}
	err = elf_rel_resolve(obj, rel, i, &r);
	*off = r.off_bytes;
	return err;
}

static int elf_check_relocs(struct elf_obj *obj)
{
	const Elf64_Shdr *rel;
	uint64_t off, prev = 0;
	uint32_t s, i;
	int kind, ret;

	for (s = 1; s < obj->shnum; s++) {
		kind = elf_rel_sec(obj, s, &rel);
		if (kind < 0)
			return kind;
		for (i = 0; kind != ELF_REL_IGNORED && i < rel->sh_size / sizeof(Elf64_Rel); i++) {
			ret = elf_rel_check(obj, rel, i, kind, &off);
			if (ret)
				return ret;
			/* Linking looks them up by binary search. */
			if (i && off <= prev)
				return elf_fail(obj, -EINVAL, "section %u: relocations not in offset order", s);
			prev = off;
		}
	}
	return 0;
}

int elf_load(const void *buf, size_t len_bytes, struct elf_obj *obj)
{
	int err;

	memset(obj, 0, sizeof(*obj));
	obj->buf = buf;
	obj->len_bytes = len_bytes;
	err = elf_check_header(obj);
	if (!err)
		err = elf_check_sections(obj);
	if (!err)
		err = elf_read_license(obj);
	if (!err)
		err = elf_check_version(obj);
	if (!err)
		err = elf_read_btf(obj);
	if (!err)
		err = elf_collect_symbols(obj);
	if (!err)
		err = elf_check_relocs(obj);
	return err;
}

uint32_t elf_ringbuf_bytes(uint32_t size_bytes, uint32_t page_bytes)
{
	uint64_t want;

	/* 0 stays 0: the kernel then says the size is missing. */
	if (size_bytes == 0 || page_bytes == 0)
		return size_bytes;
	if (size_bytes % page_bytes == 0 && elf_pow2(size_bytes / page_bytes))
		return size_bytes;
	for (want = page_bytes; want <= UINT32_MAX; want *= 2)
		if (want > size_bytes)
			return (uint32_t)want;
	/* No such size fits: the kernel refuses the one given. */
	return size_bytes;
}

void elf_free(struct elf_obj *obj)
{
	btf_free(&obj->btf);
}

int elf_prog_find(const struct elf_obj *obj, const char *sym)
{
	uint32_t i;

	for (i = 0; i < obj->nprogs; i++)
		if (strcmp(obj->progs[i].sym, sym) == 0)
			return (int)i;
	return -ENOENT;
}

int elf_map_find(const struct elf_obj *obj, const char *sym)
{
	uint32_t i;

	for (i = 0; i < obj->nmaps; i++)
		if (strcmp(obj->maps[i].sym, sym) == 0)
			return (int)i;
	return -ENOENT;
}

int elf_var_find(const struct elf_obj *obj, const char *sym, uint32_t size_bytes,
		 uint32_t *map, uint32_t *off_bytes)
{
	const struct elf_map *m;
	const Elf64_Sym *s;
	uint32_t i;

	for (i = 0; i < obj->nmaps; i++) {
		m = &obj->maps[i];
		s = m->init ? elf_sym_find(obj, sym, m->shndx) : NULL;
		if (!s)
			continue;
		if (ELF64_ST_TYPE(s->st_info) != STT_OBJECT || s->st_size != size_bytes ||
		    s->st_value > m->value_size || size_bytes > m->value_size - s->st_value)
			return -EINVAL;
		*map = i;
		*off_bytes = (uint32_t)s->st_value;
		return 0;
	}
	return -ENOENT;
}

/* One program being linked: where each function landed in out. */
struct elf_link {
	struct elf_obj *obj;
	const int *map_fds;
	struct elf_linked *out;
	uint32_t start[ELF_MAX_FUNCS];	/* instruction index, or UINT32_MAX */
	uint32_t order[ELF_MAX_FUNCS];	/* funcs in the order appended */
	uint32_t nplaced;
};

/* Appends function f once; its index in the linked program. */
static uint32_t elf_link_place(struct elf_link *lk, uint32_t f)
{
	const struct elf_func *fn = &lk->obj->funcs[f];
	const Elf64_Shdr *sh;

	if (lk->start[f] != UINT32_MAX)
		return lk->start[f];
	sh = &lk->obj->sh[fn->shndx];
	lk->start[f] = lk->out->insn_cnt;
	memcpy(lk->out->insns + lk->out->insn_cnt, lk->obj->buf + sh->sh_offset + fn->off_bytes,
	       (size_t)fn->insn_cnt * sizeof(struct bpf_insn));
	lk->out->insn_cnt += fn->insn_cnt;
	lk->order[lk->nplaced++] = f;
	return lk->start[f];
}

/* The relocation at off_bytes of f's section: 1 found, 0 none, -errno.
 * elf_check_relocs made sure they are in offset order. */
static int elf_link_reloc(struct elf_link *lk, const struct elf_func *f, uint64_t off_bytes,
			  struct elf_reloc *r)
{
	const Elf64_Shdr *rel = &lk->obj->sh[f->rel_shndx];
	const Elf64_Rel *e;
	uint32_t lo = 0, hi, mid;

	/* elf_rel_of found a SHT_REL section, and elf_check_relocs checked
	 * those of code as a whole. */
	if (!f->rel_shndx)
		return 0;
	e = (const Elf64_Rel *)(lk->obj->buf + rel->sh_offset);
	hi = (uint32_t)(rel->sh_size / sizeof(Elf64_Rel));
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e[mid].r_offset == off_bytes)
			return elf_rel_resolve(lk->obj, rel, mid, r) ?: 1;
		if (e[mid].r_offset < off_bytes)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Points instruction at index at of the linked program to function f. */
static void elf_link_jump(struct elf_link *lk, uint32_t at, uint32_t f)
{
	uint32_t dst = elf_link_place(lk, f);

	lk->out->insns[at].imm = (int32_t)(dst - (at + 1));
}

static void elf_link_ld(struct elf_link *lk, uint32_t at, const struct elf_reloc *r)
{
	struct bpf_insn *insn = &lk->out->insns[at];

	/* clang leaves src_reg 0 on a callback's address; the kernel wants
	 * to be told it is one. */
	if (r->kind == ELF_RELOC_FUNC_ADDR) {
		insn->src_reg = BPF_PSEUDO_FUNC;
		elf_link_jump(lk, at, r->target);
		return;
	}
	insn[0].src_reg = r->kind == ELF_RELOC_MAP ? BPF_PSEUDO_MAP_FD : BPF_PSEUDO_MAP_VALUE;
	insn[0].imm = lk->map_fds[r->target];
	/* The second half: the upper 32 bits of a map fd (none), or the
	 * offset of the variable in the map's one value. */
	insn[1].imm = r->kind == ELF_RELOC_DATA ? (int32_t)r->data_off : 0;
}

/* A bpf-to-bpf call; without a relocation it stays in its section. */
static int elf_link_call(struct elf_link *lk, const struct elf_func *f, uint32_t at,
			 uint64_t off_bytes)
{
	struct elf_reloc r;
	int ret = elf_link_reloc(lk, f, off_bytes, &r);
	uint64_t dst;

	if (ret < 0)
		return ret;
	if (ret == 0) {
		dst = elf_call_target(off_bytes, lk->out->insns[at].imm);
		ret = elf_func_at(lk->obj, f->shndx, dst);
		if (ret < 0)
			return elf_fail(lk->obj, -EINVAL, "%s: call at %llu to %lld, which starts no function",
					f->sym, (unsigned long long)off_bytes, (long long)dst);
		r.target = (uint32_t)ret;
	}
	elf_link_jump(lk, at, r.target);
	return 0;
}

/* Links the instruction at index at, from off_bytes of f's section,
 * left instructions before f's end: how many it spans, or -errno. */
static int elf_link_insn(struct elf_link *lk, const struct elf_func *f, uint32_t at,
			 uint64_t off_bytes, uint32_t left)
{
	const struct bpf_insn *insn = &lk->out->insns[at];
	struct elf_reloc r;
	int ret;

	if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
		return elf_fail(lk->obj, -EOPNOTSUPP, "%s: kfunc calls are not supported", f->sym);
	if (insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL)
		return elf_link_call(lk, f, at, off_bytes) ?: 1;
	if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
		return 1;
	if (left < 2)
		return elf_fail(lk->obj, -EINVAL, "%s: ld_imm64 cut by the end", f->sym);
	ret = elf_link_reloc(lk, f, off_bytes, &r);
	if (ret < 0)
		return ret;
	if (ret > 0)
		elf_link_ld(lk, at, &r);
	/* Any other ld_imm64 is a constant: a pseudo source register in it
	 * would name an fd of ours, or a kernel object, we did not check. */
	else if (insn->src_reg)
		return elf_fail(lk->obj, -EOPNOTSUPP, "%s+%llu: ld_imm64 of kind %u without relocation is not supported",
				f->sym, (unsigned long long)off_bytes, insn->src_reg);
	return 2;
}

/* Patches the instructions of the function appended k-th. */
static int elf_link_func(struct elf_link *lk, uint32_t k)
{
	const struct elf_func *f = &lk->obj->funcs[lk->order[k]];
	uint32_t i = 0;
	int ret;

	while (i < f->insn_cnt) {
		ret = elf_link_insn(lk, f, lk->start[lk->order[k]] + i,
				    f->off_bytes + (uint64_t)i * sizeof(struct bpf_insn),
				    f->insn_cnt - i);
		if (ret < 0)
			return ret;
		i += (uint32_t)ret;
	}
	return 0;
}

/* The one func_info record at the start of f, placed at start. */
static int elf_link_func_info(struct elf_link *lk, const struct elf_func *f, const char *sec,
			      uint32_t start)
{
	struct elf_linked *out = lk->out;
	uint32_t lo = (uint32_t)f->off_bytes, n = out->nfunc_info;

	if (!lk->obj->ext.func.nrecs)
		return 0;
	btf_ext_copy(&lk->obj->ext.func, &lk->obj->btf, sec, lo, lo + 1, start, out->func_info,
		     sizeof(*out->func_info), &out->nfunc_info, n + 1);
	if (out->nfunc_info == n)
		return elf_fail(lk->obj, -EINVAL, "function %s has no func_info in .BTF.ext", f->sym);
	return 0;
}

/* func_info, line_info and CO-RE relocations of each appended function,
 * from .BTF.ext, counted in instructions of the linked program. */
static int elf_link_btf(struct elf_link *lk)
{
	struct elf_obj *obj = lk->obj;
	struct elf_linked *out = lk->out;
	const struct elf_func *f;
	const char *sec;
	uint32_t k, start, lo, hi;
	int err;

	for (k = 0; k < lk->nplaced; k++) {
		f = &obj->funcs[lk->order[k]];
		sec = elf_sec_name(obj, f->shndx);
		start = lk->start[lk->order[k]];
		lo = (uint32_t)f->off_bytes;
		hi = (uint32_t)(f->off_bytes + f->insn_cnt * 8ull);
		err = elf_link_func_info(lk, f, sec, start);
		if (err)
			return err;
		btf_ext_copy(&obj->ext.line, &obj->btf, sec, lo, hi, start, out->line_info,
			     sizeof(*out->line_info), &out->nline_info, obj->ext.line.nrecs);
		btf_ext_copy(&obj->ext.core, &obj->btf, sec, lo, hi, start, out->core_relo,
			     sizeof(*out->core_relo), &out->ncore_relo, obj->ext.core.nrecs);
	}
	return 0;
}

int elf_prog_patch(struct elf_obj *obj, uint32_t idx, const int *map_fds,
		   struct elf_linked *out)
{
	struct elf_link lk = { .obj = obj, .map_fds = map_fds, .out = out };
	uint32_t k;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (idx >= obj->nprogs)
		return elf_fail(obj, -EINVAL, "program %u out of range", idx);
	memset(lk.start, 0xff, sizeof(lk.start));
	out->insns = calloc(obj->func_insns, sizeof(*out->insns));
	out->func_info = calloc(obj->nfuncs, sizeof(*out->func_info));
	out->line_info = calloc(obj->ext.line.nrecs + 1, sizeof(*out->line_info));
	out->core_relo = calloc(obj->ext.core.nrecs + 1, sizeof(*out->core_relo));
	if (!out->insns || !out->func_info || !out->line_info || !out->core_relo) {
		elf_linked_free(out);
		return elf_fail(obj, -ENOMEM, "out of memory linking a program");
	}
	elf_link_place(&lk, obj->progs[idx].func);
	for (k = 0; !err && k < lk.nplaced; k++)
		err = elf_link_func(&lk, k);
	if (!err)
		err = elf_link_btf(&lk);
	if (err)
		elf_linked_free(out);
	return err;
}

void elf_linked_free(struct elf_linked *out)
{
	free(out->insns);
	free(out->func_info);
	free(out->line_info);
	free(out->core_relo);
	memset(out, 0, sizeof(*out));
}

/* Where the relocated offset goes in insn: off of a load or store, imm
 * of an ALU64 with an immediate (a pointer moved by it); NULL for any
 * other instruction, which a relocation cannot mean. */
static int32_t *elf_core_slot(struct bpf_insn *insn, int32_t *off)
{
	uint8_t cls = BPF_CLASS(insn->code);

	if ((cls == BPF_LDX || cls == BPF_STX || cls == BPF_ST) && BPF_MODE(insn->code) == BPF_MEM) {
		*off = insn->off;
		return off;
	}
	return cls == BPF_ALU64 && BPF_SRC(insn->code) == BPF_K ? &insn->imm : NULL;
}

/* One relocation r of program p, checked against its instruction. */
static int elf_core_one(struct elf_obj *obj, const struct elf_prog *p, struct elf_linked *k,
			const struct bpf_core_relo *r, elf_core_fn fn, void *ctx)
{
	struct btf_core_field f = { 0 };
	int32_t off, *slot;
	int got = btf_core_field(&obj->btf, r, &f, obj->err);

	if (got)
		return got;
	/* btf_ext_copy made insn_off an index into the linked program. */
	slot = r->insn_off < k->insn_cnt ? elf_core_slot(&k->insns[r->insn_off], &off) : NULL;
	got = !slot || *slot != (int32_t)f.off_bytes ? -EINVAL :
	      fn(ctx, f.type_name, f.member, f.size_bytes);
	if (got < 0 || got > INT16_MAX)
		return elf_fail(obj, got < 0 ? got : -ERANGE, "%s: %s.%s: %s", p->sym, f.type_name,
				f.member, !slot || *slot != (int32_t)f.off_bytes ?
				"not on a load, store or add of its offset" :
				got == -ENOENT ? "not in the running kernel" :
				got < 0 ? strerror(-got) : "past 32 KiB");
	*slot = got;
	if (slot == &off)
		k->insns[r->insn_off].off = (int16_t)got;
	return 0;
}

int elf_core_apply(struct elf_obj *obj, uint32_t idx, struct elf_linked *k, elf_core_fn fn,
		   void *ctx)
{
	uint32_t i;
	int err = 0;

	if (k->ncore_relo && !fn)
		return elf_fail(obj, -EOPNOTSUPP, "CO-RE relocations are not supported");
	for (i = 0; !err && i < k->ncore_relo; i++)
		err = elf_core_one(obj, &obj->progs[idx], k, &k->core_relo[i], fn, ctx);
	return err;
}
