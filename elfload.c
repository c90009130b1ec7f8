/* elfload.c - reads a BPF ELF object without libelf, trusting no field.
 *
 * Every offset, size and index from the file is checked, in a form that
 * cannot overflow, before it is used; headers are copied out with memcpy
 * so the buffer needs no alignment. Nothing here makes a syscall or
 * prints: the caller gets -errno and obj->err, so a fuzzer can drive
 * elf_load() as it is.
 *
 * What is read: the symbol table; programs are global functions in
 * executable sections; maps are the 20-byte struct bpf_map_def records in
 * "maps"; the license; R_BPF_64_64 relocations that point an ld_imm64 at
 * a map. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "elfload.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#ifndef R_BPF_64_64
#define R_BPF_64_64 1
#endif
#ifndef R_BPF_64_32
#define R_BPF_64_32 10
#endif

/* The legacy map definition: five u32 in the object's byte order. */
#define ELF_MAP_DEF_BYTES (5 * sizeof(uint32_t))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ELF_HOST_DATA ELFDATA2LSB
#else
#define ELF_HOST_DATA ELFDATA2MSB
#endif

static int elf_fail(struct elf_obj *obj, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(obj->err, sizeof(obj->err), fmt, ap);
	va_end(ap);
	return err;
}

static int elf_range_ok(const struct elf_obj *obj, uint64_t off, uint64_t len)
{
	return off <= obj->len_bytes && len <= obj->len_bytes - off;
}

static void elf_shdr(const struct elf_obj *obj, uint32_t idx, Elf64_Shdr *sh)
{
	Elf64_Ehdr eh;

	memcpy(&eh, obj->buf, sizeof(eh));
	memcpy(sh, obj->buf + eh.e_shoff + (uint64_t)idx * sizeof(*sh),
	       sizeof(*sh));
}

/* A NUL-terminated string at off inside string-table section shndx. */
static const char *elf_str(const struct elf_obj *obj, uint32_t shndx,
			   uint32_t off)
{
	Elf64_Shdr sh;
	const char *s;

	if (shndx == 0 || shndx >= obj->shnum)
		return NULL;
	elf_shdr(obj, shndx, &sh);
	if (sh.sh_type != SHT_STRTAB || off >= sh.sh_size)
		return NULL;
	s = (const char *)obj->buf + sh.sh_offset + off;
	return memchr(s, '\0', sh.sh_size - off) ? s : NULL;
}

static const char *elf_sec_name(const struct elf_obj *obj, uint32_t idx)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh;

	memcpy(&eh, obj->buf, sizeof(eh));
	elf_shdr(obj, idx, &sh);
	return elf_str(obj, eh.e_shstrndx, sh.sh_name);
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

static void elf_sym(const struct elf_obj *obj, uint32_t idx, Elf64_Sym *sym)
{
	Elf64_Shdr sh;

	elf_shdr(obj, obj->symtab, &sh);
	memcpy(sym, obj->buf + sh.sh_offset + (uint64_t)idx * sizeof(*sym),
	       sizeof(*sym));
}

static const char *elf_sym_name(const struct elf_obj *obj, const Elf64_Sym *sym)
{
	Elf64_Shdr sh;

	elf_shdr(obj, obj->symtab, &sh);
	return elf_str(obj, sh.sh_link, sym->st_name);
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
		return elf_fail(obj, -EINVAL, "object is %s-endian, this machine is not: build it with clang -target %s",
				eh.e_ident[EI_DATA] == ELFDATA2MSB ? "big" : "little",
				ELF_HOST_DATA == ELFDATA2MSB ? "bpfeb" : "bpfel");
	/* LLVM before 7 wrote EM_NONE into BPF objects. */
	if (eh.e_machine != EM_BPF && eh.e_machine != EM_NONE)
		return elf_fail(obj, -EINVAL, "e_machine %u is not BPF", eh.e_machine);
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return elf_fail(obj, -EINVAL, "e_shentsize %u is not %zu",
				eh.e_shentsize, sizeof(Elf64_Shdr));
	if (eh.e_shnum == 0 || eh.e_shoff > obj->len_bytes ||
	    eh.e_shnum > (obj->len_bytes - eh.e_shoff) / sizeof(Elf64_Shdr))
		return elf_fail(obj, -EINVAL, "section headers (%u at offset %llu) lie outside the file",
				eh.e_shnum, (unsigned long long)eh.e_shoff);
	if (eh.e_shstrndx >= eh.e_shnum)
		return elf_fail(obj, -EINVAL, "e_shstrndx %u out of range", eh.e_shstrndx);
	obj->shnum = eh.e_shnum;
	return 0;
}

static int elf_check_sections(struct elf_obj *obj)
{
	Elf64_Shdr sh;
	uint32_t i;

	for (i = 1; i < obj->shnum; i++) {
		elf_shdr(obj, i, &sh);
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (!elf_range_ok(obj, sh.sh_offset, sh.sh_size))
			return elf_fail(obj, -EINVAL, "section %u: offset %llu size %llu past the end of the file",
					i, (unsigned long long)sh.sh_offset,
					(unsigned long long)sh.sh_size);
		if (sh.sh_type == SHT_STRTAB && sh.sh_size == 0)
			return elf_fail(obj, -EINVAL, "section %u: empty string table", i);
	}
	return 0;
}

static int elf_find_symtab(struct elf_obj *obj)
{
	Elf64_Shdr sh;
	uint32_t i;

	for (i = 1; i < obj->shnum; i++) {
		elf_shdr(obj, i, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (obj->symtab)
			return elf_fail(obj, -EINVAL, "more than one symbol table");
		if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym))
			return elf_fail(obj, -EINVAL, "symbol table: entry size %llu, size %llu",
					(unsigned long long)sh.sh_entsize,
					(unsigned long long)sh.sh_size);
		if (sh.sh_link == 0 || sh.sh_link >= obj->shnum)
			return elf_fail(obj, -EINVAL, "symbol table: string table %u out of range",
					sh.sh_link);
		obj->symtab = i;
		obj->nsyms = (uint32_t)(sh.sh_size / sizeof(Elf64_Sym));
	}
	if (!obj->symtab)
		return elf_fail(obj, -EINVAL, "no symbol table");
	return 0;
}

static int elf_read_license(struct elf_obj *obj)
{
	int idx = elf_sec_by_name(obj, "license");
	Elf64_Shdr sh;
	const char *s;

	if (idx < 0)
		return elf_fail(obj, -EOPNOTSUPP, "no license section: the kernel needs one for most helpers");
	elf_shdr(obj, (uint32_t)idx, &sh);
	if (sh.sh_type != SHT_PROGBITS || sh.sh_size == 0)
		return elf_fail(obj, -EINVAL, "license section has no bytes");
	s = (const char *)obj->buf + sh.sh_offset;
	if (!memchr(s, '\0', sh.sh_size))
		return elf_fail(obj, -EINVAL, "license section is not a terminated string");
	elf_copy_name(obj->license, sizeof(obj->license), s);
	return 0;
}

static int elf_add_map(struct elf_obj *obj, const Elf64_Sym *sym, const char *name)
{
	Elf64_Shdr sh;
	struct elf_map *m;
	uint32_t def[5];

	elf_shdr(obj, obj->maps_shndx, &sh);
	if (sym->st_value % sizeof(uint32_t) || sym->st_value > sh.sh_size ||
	    ELF_MAP_DEF_BYTES > sh.sh_size - sym->st_value)
		return elf_fail(obj, -EINVAL, "map %s: definition at %llu outside the maps section",
				name, (unsigned long long)sym->st_value);
	if (obj->nmaps == ELF_MAX_MAPS)
		return elf_fail(obj, -E2BIG, "more than %d maps", ELF_MAX_MAPS);
	memcpy(def, obj->buf + sh.sh_offset + sym->st_value, sizeof(def));
	m = &obj->maps[obj->nmaps++];
	m->sym = name;
	elf_copy_name(m->name, sizeof(m->name), name);
	m->type = def[0];
	m->key_size = def[1];
	m->value_size = def[2];
	m->max_entries = def[3];
	m->flags = def[4];
	m->def_off = sym->st_value;
	return 0;
}

static int elf_add_prog(struct elf_obj *obj, const Elf64_Sym *sym, const char *name)
{
	Elf64_Shdr sh;
	struct elf_prog *p;
	const char *sec = elf_sec_name(obj, sym->st_shndx);

	elf_shdr(obj, sym->st_shndx, &sh);
	if (!sec || sh.sh_type != SHT_PROGBITS)
		return elf_fail(obj, -EINVAL, "program %s: section %u has no name or no bytes",
				name, sym->st_shndx);
	if (sym->st_value % sizeof(struct bpf_insn) || sym->st_size % sizeof(struct bpf_insn) ||
	    sym->st_size == 0 || sym->st_value > sh.sh_size ||
	    sym->st_size > sh.sh_size - sym->st_value)
		return elf_fail(obj, -EINVAL, "program %s: offset %llu size %llu not whole instructions inside %s",
				name, (unsigned long long)sym->st_value,
				(unsigned long long)sym->st_size, sec);
	if (obj->nprogs == ELF_MAX_PROGS)
		return elf_fail(obj, -E2BIG, "more than %d programs", ELF_MAX_PROGS);
	p = &obj->progs[obj->nprogs++];
	p->sym = name;
	p->sec_name = sec;
	elf_copy_name(p->name, sizeof(p->name), name);
	/* libbpf's convention: the section name says the program type. */
	p->type = strncmp(sec, "xdp", 3) == 0 ? BPF_PROG_TYPE_XDP : 0;
	p->expected_attach_type = strcmp(sec, "xdp/devmap") == 0 ? BPF_XDP_DEVMAP : 0;
	p->shndx = sym->st_shndx;
	p->off_bytes = sym->st_value;
	p->insn_cnt = (uint32_t)(sym->st_size / sizeof(struct bpf_insn));
	return 0;
}

static int elf_sec_has_bytes(const struct elf_obj *obj, uint32_t shndx)
{
	Elf64_Shdr sh;

	elf_shdr(obj, shndx, &sh);
	return sh.sh_type == SHT_PROGBITS;
}

static int elf_sec_is_code(const struct elf_obj *obj, uint32_t shndx)
{
	Elf64_Shdr sh;

	if (shndx == 0 || shndx >= obj->shnum)
		return 0;
	elf_shdr(obj, shndx, &sh);
	return sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR);
}

static int elf_collect_symbol(struct elf_obj *obj, uint32_t i)
{
	Elf64_Sym sym;
	const char *name;

	elf_sym(obj, i, &sym);
	if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= obj->shnum)
		return 0;
	name = elf_sym_name(obj, &sym);
	if (!name)
		return elf_fail(obj, -EINVAL, "symbol %u: name offset %u invalid", i, sym.st_name);
	if (obj->maps_shndx && sym.st_shndx == obj->maps_shndx &&
	    ELF64_ST_TYPE(sym.st_info) == STT_OBJECT)
		return elf_add_map(obj, &sym, name);
	if (ELF64_ST_TYPE(sym.st_info) == STT_FUNC &&
	    ELF64_ST_BIND(sym.st_info) == STB_GLOBAL &&
	    elf_sec_is_code(obj, sym.st_shndx))
		return elf_add_prog(obj, &sym, name);
	return 0;
}

static int elf_collect_symbols(struct elf_obj *obj)
{
	int idx = elf_sec_by_name(obj, "maps");
	uint32_t i;
	int err;

	obj->maps_shndx = idx > 0 ? (uint32_t)idx : 0;
	if (obj->maps_shndx && !elf_sec_has_bytes(obj, obj->maps_shndx))
		return elf_fail(obj, -EINVAL, "maps section has no bytes in the file");
	for (i = 1; i < obj->nsyms; i++) {
		err = elf_collect_symbol(obj, i);
		if (err)
			return err;
	}
	if (!obj->nprogs)
		return elf_fail(obj, -ENOENT, "no programs (global functions in executable sections)");
	return 0;
}

/* Where relocation i of section rel lands and which map it names. */
static int elf_rel_resolve(struct elf_obj *obj, const Elf64_Shdr *rel,
			   uint64_t i, uint64_t *insn_off, uint32_t *map_idx)
{
	Elf64_Shdr target;
	Elf64_Rel r;
	Elf64_Sym sym;
	struct bpf_insn insn;
	const char *sec;
	uint32_t m;

	memcpy(&r, obj->buf + rel->sh_offset + i * sizeof(r), sizeof(r));
	elf_shdr(obj, rel->sh_info, &target);
	sec = elf_sec_name(obj, rel->sh_info);
	sec = sec ? sec : "?";
	if (ELF64_R_TYPE(r.r_info) == R_BPF_64_32)
		return elf_fail(obj, -EOPNOTSUPP, "%s+%llu: bpf-to-bpf calls are not supported",
				sec, (unsigned long long)r.r_offset);
	if (ELF64_R_TYPE(r.r_info) != R_BPF_64_64)
		return elf_fail(obj, -EOPNOTSUPP, "%s+%llu: relocation type %u not supported",
				sec, (unsigned long long)r.r_offset,
				(unsigned)ELF64_R_TYPE(r.r_info));
	if (r.r_offset % sizeof(insn) || r.r_offset > target.sh_size ||
	    2 * sizeof(insn) > target.sh_size - r.r_offset)
		return elf_fail(obj, -EINVAL, "%s+%llu: relocation offset outside whole instructions",
				sec, (unsigned long long)r.r_offset);
	memcpy(&insn, obj->buf + target.sh_offset + r.r_offset, sizeof(insn));
	if (insn.code != (BPF_LD | BPF_IMM | BPF_DW))
		return elf_fail(obj, -EINVAL, "%s+%llu: relocation does not land on an ld_imm64",
				sec, (unsigned long long)r.r_offset);
	if (ELF64_R_SYM(r.r_info) == 0 || ELF64_R_SYM(r.r_info) >= obj->nsyms)
		return elf_fail(obj, -EINVAL, "%s+%llu: symbol index %llu out of range",
				sec, (unsigned long long)r.r_offset,
				(unsigned long long)ELF64_R_SYM(r.r_info));
	elf_sym(obj, (uint32_t)ELF64_R_SYM(r.r_info), &sym);
	for (m = 0; m < obj->nmaps; m++)
		if (sym.st_shndx == obj->maps_shndx && sym.st_value == obj->maps[m].def_off)
			break;
	if (m == obj->nmaps)
		return elf_fail(obj, -EOPNOTSUPP, "%s+%llu: reference to something other than a map in \"maps\"",
				sec, (unsigned long long)r.r_offset);
	*insn_off = r.r_offset;
	*map_idx = m;
	return 0;
}

/* A relocation section that applies to code; 0 if rel is anything else. */
static int elf_rel_sec(struct elf_obj *obj, uint32_t idx, Elf64_Shdr *rel)
{
	elf_shdr(obj, idx, rel);
	if (rel->sh_type == SHT_RELA && elf_sec_is_code(obj, rel->sh_info))
		return elf_fail(obj, -EOPNOTSUPP, "section %u: RELA relocations on code", idx);
	if (rel->sh_type != SHT_REL || !elf_sec_is_code(obj, rel->sh_info))
		return 0;
	if (rel->sh_entsize != sizeof(Elf64_Rel) || rel->sh_size % sizeof(Elf64_Rel))
		return elf_fail(obj, -EINVAL, "section %u: relocation entry size %llu",
				idx, (unsigned long long)rel->sh_entsize);
	if (rel->sh_link != obj->symtab)
		return elf_fail(obj, -EINVAL, "section %u: relocations against another symbol table", idx);
	return 1;
}

static int elf_check_relocs(struct elf_obj *obj)
{
	Elf64_Shdr rel;
	uint64_t i, off;
	uint32_t s, m;
	int err;

	for (s = 1; s < obj->shnum; s++) {
		err = elf_rel_sec(obj, s, &rel);
		if (err <= 0) {
			if (err)
				return err;
			continue;
		}
		for (i = 0; i < rel.sh_size / sizeof(Elf64_Rel); i++) {
			err = elf_rel_resolve(obj, &rel, i, &off, &m);
			if (err)
				return err;
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
		err = elf_find_symtab(obj);
	if (!err)
		err = elf_read_license(obj);
	if (!err)
		err = elf_collect_symbols(obj);
	if (!err)
		err = elf_check_relocs(obj);
	return err;
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

static void elf_patch_one(struct bpf_insn *insn, int fd)
{
	insn->src_reg = BPF_PSEUDO_MAP_FD;
	insn->imm = fd;
	/* The second half of ld_imm64 carries the upper 32 bits: none. */
	insn[1].imm = 0;
}

int elf_prog_patch(struct elf_obj *obj, uint32_t idx, const int *map_fds,
		   struct bpf_insn *insns)
{
	const struct elf_prog *p;
	Elf64_Shdr sh, rel;
	uint64_t i, off, end;
	uint32_t s, m;
	int err;

	if (idx >= obj->nprogs)
		return elf_fail(obj, -EINVAL, "program %u out of range", idx);
	p = &obj->progs[idx];
	elf_shdr(obj, p->shndx, &sh);
	memcpy(insns, obj->buf + sh.sh_offset + p->off_bytes,
	       (size_t)p->insn_cnt * sizeof(*insns));
	end = p->off_bytes + (uint64_t)p->insn_cnt * sizeof(*insns);
	for (s = 1; s < obj->shnum; s++) {
		err = elf_rel_sec(obj, s, &rel);
		if (err < 0)
			return err;
		if (err == 0 || rel.sh_info != p->shndx)
			continue;
		for (i = 0; i < rel.sh_size / sizeof(Elf64_Rel); i++) {
			err = elf_rel_resolve(obj, &rel, i, &off, &m);
			if (err)
				return err;
			/* Both halves of the ld_imm64 must be this program's. */
			if (off < p->off_bytes || off + 2 * sizeof(*insns) > end)
				continue;
			elf_patch_one(&insns[(off - p->off_bytes) / sizeof(*insns)], map_fds[m]);
		}
	}
	return 0;
}
