/* unit_corpus.c - broken objects made from good ones, each with the error
 * it must give. The good ones: build/objs/btf_maps.o (BTF maps, global
 * data, subprograms, .BTF.ext), the embedded object (legacy maps, no
 * BTF) and the tracepoint object (CO-RE relocations). Every case copies
 * one, breaks one field, and runs elf_load and then elf_prog_patch and
 * elf_core_apply on every program; no bpf(2). */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfload.h"
#include "unit.h"

#ifndef TEST_OBJ_DIR
#define TEST_OBJ_DIR "build/objs"
#endif
#ifndef BPF_OBJ_PATH
#define BPF_OBJ_PATH "build/xdp_redirect_map.bpfel.o"
#endif
#ifndef BPF_TP_OBJ_PATH
#define BPF_TP_OBJ_PATH "build/xdp_tracepoints.bpfel.o"
#endif

/* What a case is made from. */
enum { FROM_BTF_MAPS, FROM_EMBEDDED, FROM_TP };

struct obj {
	uint8_t *b;
	size_t len;
};

/* .BTF.ext's header as clang 14 writes it (32 bytes). */
struct ext_hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, func_off, func_len, line_off, line_len, core_off, core_len;
};

static int corpus_read(const char *path, struct obj *o)
{
	FILE *f = fopen(path, "rb");
	long n;

	o->b = NULL;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		o->len = (size_t)n;
		o->b = malloc(o->len);
		if (o->b && fread(o->b, 1, o->len, f) != o->len) {
			free(o->b);
			o->b = NULL;
		}
	}
	fclose(f);
	return o->b ? 0 : -1;
}

/* The helpers below trust the file: they only ever see our good objects. */
static Elf64_Ehdr *eh(struct obj *o)
{
	return (Elf64_Ehdr *)o->b;
}

static Elf64_Shdr *shdr(struct obj *o, uint32_t i)
{
	return (Elf64_Shdr *)(o->b + eh(o)->e_shoff) + i;
}

static const char *sec_name(struct obj *o, uint32_t i)
{
	return (const char *)o->b + shdr(o, eh(o)->e_shstrndx)->sh_offset + shdr(o, i)->sh_name;
}

static uint32_t sec_idx(struct obj *o, const char *name)
{
	uint32_t i;

	for (i = 1; i < eh(o)->e_shnum; i++)
		if (strcmp(sec_name(o, i), name) == 0)
			return i;
	return 0;
}

static Elf64_Shdr *sec(struct obj *o, const char *name)
{
	return shdr(o, sec_idx(o, name));
}

static uint8_t *sec_data(struct obj *o, const char *name)
{
	return o->b + sec(o, name)->sh_offset;
}

static Elf64_Sym *sym(struct obj *o, const char *name)
{
	Elf64_Shdr *st = sec(o, ".symtab");
	Elf64_Sym *s = (Elf64_Sym *)(o->b + st->sh_offset);
	const char *str = (const char *)o->b + shdr(o, st->sh_link)->sh_offset;
	size_t i;

	for (i = 1; i < st->sh_size / sizeof(*s); i++)
		if (strcmp(str + s[i].st_name, name) == 0)
			return &s[i];
	return s;
}

static Elf64_Rel *rel(struct obj *o, const char *sec_nm, int n)
{
	return (Elf64_Rel *)sec_data(o, sec_nm) + n;
}

static struct bpf_insn *insn_at(struct obj *o, const char *sec_nm, uint64_t off)
{
	return (struct bpf_insn *)(sec_data(o, sec_nm) + off);
}

static struct btf_header *btf_hdr(struct obj *o)
{
	return (struct btf_header *)sec_data(o, ".BTF");
}

/* The first type of a kind in the file's .BTF, found with our reader;
 * its id in *id. */
static struct btf_type *btf_first_id(struct obj *o, uint32_t kind, uint32_t *id)
{
	struct btf b;
	char err[BTF_ERR_BYTES];
	struct btf_type *t = NULL;

	if (btf_parse(&b, sec_data(o, ".BTF"), sec(o, ".BTF")->sh_size, err))
		return NULL;
	for (*id = 1; *id < b.ntypes; (*id)++) {
		if (BTF_INFO_KIND(btf_type(&b, *id)->info) == kind) {
			t = (struct btf_type *)(sec_data(o, ".BTF") + b.type_off[*id]);
			break;
		}
	}
	btf_free(&b);
	return t;
}

static struct btf_type *btf_first(struct obj *o, uint32_t kind)
{
	uint32_t id;

	return btf_first_id(o, kind, &id);
}

static struct ext_hdr *ext(struct obj *o)
{
	return (struct ext_hdr *)sec_data(o, ".BTF.ext");
}

/* The first func_info block of .BTF.ext: rec_size, name, count, records. */
static uint32_t *ext_func(struct obj *o)
{
	return (uint32_t *)(sec_data(o, ".BTF.ext") + ext(o)->hdr_len + ext(o)->func_off);
}

/* The tracepoint object's CO-RE relocations, in the one block of its
 * one code section: rec_size, section name, count, then record n. */
static struct bpf_core_relo *ext_core(struct obj *o, int n)
{
	return (struct bpf_core_relo *)(sec_data(o, ".BTF.ext") + ext(o)->hdr_len +
					ext(o)->core_off + 3 * sizeof(uint32_t)) + n;
}

/* The string s in .BTF's string section, which holds it. */
static char *btf_str(struct obj *o, const char *s)
{
	struct btf_header *h = btf_hdr(o);
	char *p = (char *)btf_hdr(o) + h->hdr_len + h->str_off;

	while (strcmp(p, s) != 0)
		p += strlen(p) + 1;
	return p;
}

static void m_class32(struct obj *o) { o->b[EI_CLASS] = ELFCLASS32; }
static void m_other_endian(struct obj *o) { o->b[EI_DATA] ^= ELFDATA2LSB ^ ELFDATA2MSB; }
static void m_not_elf(struct obj *o) { o->b[1] = 'X'; }
static void m_machine(struct obj *o) { eh(o)->e_machine = EM_X86_64; }
static void m_shentsize(struct obj *o) { eh(o)->e_shentsize = 32; }
static void m_shoff_end(struct obj *o) { eh(o)->e_shoff = o->len; }
static void m_shoff_huge(struct obj *o) { eh(o)->e_shoff = UINT64_MAX - 8; }
static void m_shnum_huge(struct obj *o) { eh(o)->e_shnum = 0xffff; }
static void m_shstrndx(struct obj *o) { eh(o)->e_shstrndx = eh(o)->e_shnum; }
static void m_sec_off_end(struct obj *o) { sec(o, ".BTF")->sh_offset = o->len; }
static void m_sec_size_huge(struct obj *o) { sec(o, "xdp")->sh_size = UINT64_MAX; }
static void m_sec_overlap(struct obj *o) { sec(o, ".data")->sh_offset = sec(o, "xdp")->sh_offset + 8; }
static void m_sec_over_ehdr(struct obj *o) { sec(o, "license")->sh_offset = 0; }
static void m_sec_over_shdrs(struct obj *o) { sec(o, "license")->sh_offset = eh(o)->e_shoff; }
static void m_strtab_empty(struct obj *o) { shdr(o, eh(o)->e_shstrndx)->sh_size = 0; }
static void m_symtab_entsize(struct obj *o) { sec(o, ".symtab")->sh_entsize = 16; }
static void m_symtab_link(struct obj *o) { sec(o, ".symtab")->sh_link = 0xffff; }
static void m_sym_name(struct obj *o) { sym(o, "xdp_dummy")->st_name = 0x7fffffff; }
static void m_func_size(struct obj *o) { sym(o, "count_frame")->st_size = 3; }
static void m_func_past(struct obj *o) { sym(o, "xdp_dummy")->st_value = 0x10000; }
static void m_func_overlap(struct obj *o) { sym(o, "xdp_dummy")->st_value = 8; }
static void m_no_license(struct obj *o) { memcpy(o->b + shdr(o, eh(o)->e_shstrndx)->sh_offset + sec(o, "license")->sh_name, "lizense", 7); }
static void m_license_unterminated(struct obj *o) { memset(sec_data(o, "license"), 'G', sec(o, "license")->sh_size); }
static void m_rel_sym(struct obj *o) { rel(o, ".relxdp", 0)->r_info = ELF64_R_INFO(100000, 1); }
static void m_rel_sym_zero(struct obj *o) { rel(o, ".relxdp", 0)->r_info = ELF64_R_INFO(0, 1); }
static void m_rel_not_ld(struct obj *o) { rel(o, ".relxdp", 0)->r_offset = 0; }
static void m_rel_unaligned(struct obj *o) { rel(o, ".relxdp", 0)->r_offset += 1; }
static void m_rel_past(struct obj *o) { rel(o, ".relxdp", 0)->r_offset = UINT64_MAX - 7; }
static void m_rel_type(struct obj *o) { rel(o, ".relxdp", 0)->r_info = ELF64_R_INFO(ELF64_R_SYM(rel(o, ".relxdp", 0)->r_info), 99); }
static void m_rel_call_not_call(struct obj *o) { rel(o, ".relxdp", 1)->r_offset = 0; }
static void m_call_nowhere(struct obj *o) { insn_at(o, "xdp", rel(o, ".relxdp", 3)->r_offset)->imm = 3; }
static void m_rel_entsize(struct obj *o) { sec(o, ".relxdp")->sh_entsize = 24; }
static void m_rel_rela(struct obj *o) { sec(o, ".relxdp")->sh_type = SHT_RELA; }
static void m_rel_symtab(struct obj *o) { sec(o, ".relxdp")->sh_link = 1; }
static void m_rel_info(struct obj *o) { sec(o, ".relxdp")->sh_info = 0xffff; }
static void m_rel_of_data(struct obj *o) { sec(o, ".rel.BTF")->sh_info = sec_idx(o, ".data"); }
static void m_extern(struct obj *o) { sym(o, "tx_port")->st_shndx = SHN_UNDEF; }
static void m_ref_license(struct obj *o) { sym(o, "tx_port")->st_shndx = (uint16_t)sec_idx(o, "license"); }
static void m_data_off(struct obj *o) { sym(o, "short_frames")->st_value = 4096; }
static void m_map_missing(struct obj *o) { sym(o, "tx_port")->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE); }
static void m_ld_src(struct obj *o) { *insn_at(o, "xdp", sym(o, "xdp_dummy")->st_value) = (struct bpf_insn){ .code = BPF_LD | BPF_IMM | BPF_DW, .src_reg = BPF_PSEUDO_MAP_FD, .imm = 3 }; }
static void m_ld_cut(struct obj *o) { insn_at(o, "xdp", sym(o, "xdp_dummy")->st_value + 8)->code = BPF_LD | BPF_IMM | BPF_DW; }
static void m_kfunc(struct obj *o) { *insn_at(o, "xdp", sym(o, "xdp_dummy")->st_value) = (struct bpf_insn){ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL }; }
static void m_btf_magic(struct obj *o) { btf_hdr(o)->magic = 0x1234; }
static void m_btf_swapped(struct obj *o) { btf_hdr(o)->magic = __builtin_bswap16(BTF_MAGIC); }
static void m_btf_version(struct obj *o) { btf_hdr(o)->version = 2; }
static void m_btf_hdr_len(struct obj *o) { btf_hdr(o)->hdr_len = 0x7ffffff0; }
static void m_btf_type_len(struct obj *o) { btf_hdr(o)->type_len = 0x7ffffff0; }
static void m_btf_str_off(struct obj *o) { btf_hdr(o)->str_off = 0xfffffff0; }
static void m_btf_str_end(struct obj *o) { sec_data(o, ".BTF")[btf_hdr(o)->hdr_len + btf_hdr(o)->str_off + btf_hdr(o)->str_len - 1] = 'x'; }
static void m_btf_short(struct obj *o) { sec(o, ".BTF")->sh_size = 8; }
static void m_btf_kind(struct obj *o) { btf_first(o, BTF_KIND_INT)->info = 31u << 24; }
static void m_btf_vlen(struct obj *o) { btf_first(o, BTF_KIND_STRUCT)->info |= 0xffff; }
static void m_btf_datasec_var(struct obj *o) { ((struct btf_var_secinfo *)(btf_first(o, BTF_KIND_DATASEC) + 1))->type = 1; }
static void m_btf_datasec_name(struct obj *o) { btf_first(o, BTF_KIND_DATASEC)->name_off = 0x7fffffff; }
static void m_btf_var_nosym(struct obj *o) { btf_first(o, BTF_KIND_VAR)->name_off = btf_first(o, BTF_KIND_DATASEC)->name_off; }
static void m_btf_map_field(struct obj *o) { ((struct btf_member *)(btf_first(o, BTF_KIND_STRUCT) + 1))->name_off = btf_first(o, BTF_KIND_DATASEC)->name_off; }
static void m_btf_map_uint(struct obj *o)
{
	uint32_t int_id;

	btf_first_id(o, BTF_KIND_INT, &int_id);
	((struct btf_member *)(btf_first(o, BTF_KIND_STRUCT) + 1))->type = int_id;
}
/* The pointer of a map's first member becomes a typedef of itself. */
static void m_btf_map_loop(struct obj *o)
{
	uint32_t id;
	struct btf_type *t = btf_first_id(o, BTF_KIND_PTR, &id);

	t->info = BTF_KIND_TYPEDEF << 24;
	t->type = id;
}
static void m_btf_kind_unkn(struct obj *o) { btf_first(o, BTF_KIND_INT)->info = 0; }
/* The first array (a __uint's) an array of itself, and a map's key a
 * pointer to it: a size that is never reached. */
static void m_btf_array_loop(struct obj *o)
{
	uint32_t arr_id, ptr_id;
	struct btf_type *arr = btf_first_id(o, BTF_KIND_ARRAY, &arr_id);
	struct btf_type *ptr = btf_first_id(o, BTF_KIND_PTR, &ptr_id);

	((struct btf_array *)(arr + 1))->type = arr_id;
	/* key, a __type: its size is asked of its pointer's target. */
	((struct btf_member *)(btf_first(o, BTF_KIND_STRUCT) + 1))[1].type = ptr_id;
	ptr->type = arr_id;
}
static void m_no_btf_maps(struct obj *o) { memcpy(o->b + shdr(o, eh(o)->e_shstrndx)->sh_offset + sec(o, ".BTF")->sh_name, ".BTX", 4); }
static void m_ext_magic(struct obj *o) { ext(o)->magic = 0; }
static void m_ext_hdr_len(struct obj *o) { ext(o)->hdr_len = 0x7fffffff; }
static void m_ext_core(struct obj *o) { ext(o)->core_len = 4; }
static void m_core_kind(struct obj *o) { ext_core(o, 0)->kind = BPF_CORE_FIELD_BYTE_SIZE; }
static void m_core_access_past(struct obj *o) { btf_str(o, "0:4")[2] = '5'; }
static void m_core_access_array(struct obj *o) { btf_str(o, "0:4")[0] = '1'; }
static void m_core_access_name(struct obj *o) { ext_core(o, 0)->access_str_off = (uint32_t)(btf_str(o, "prog_id") - btf_str(o, "")); }
static void m_core_access_off(struct obj *o) { ext_core(o, 0)->access_str_off = 0x7fffffff; }
static void m_core_type_int(struct obj *o) { btf_first_id(o, BTF_KIND_INT, &ext_core(o, 0)->type_id); }
static void m_core_type_past(struct obj *o) { ext_core(o, 0)->type_id = 0xffff; }
static void m_core_between(struct obj *o) { ext_core(o, 0)->insn_off += 4; }
static void m_core_not_ldx(struct obj *o) { ext_core(o, 0)->insn_off = 0; }
/* prog_id's relocation on the load of err: the offset it holds is not prog_id's. */
static void m_core_other_load(struct obj *o) { ext_core(o, 0)->insn_off = ext_core(o, 1)->insn_off; }
static void m_core_past_prog(struct obj *o) { ext_core(o, 0)->insn_off = 0x10000; }
static void m_core_missing(struct obj *o) { btf_str(o, "drops")[0] = 'z'; }
static void m_core_far(struct obj *o) { btf_str(o, "sent")[0] = 'y'; }
static void m_ext_func_len(struct obj *o) { ext(o)->func_len = 0x7ffffff0; }
static void m_ext_rec_size(struct obj *o) { ext_func(o)[0] = 4; }
static void m_ext_sec_name(struct obj *o) { ext_func(o)[1] = 0x7fffffff; }
static void m_ext_num_info(struct obj *o) { ext_func(o)[2] = 0x10000000; }
static void m_ext_no_func(struct obj *o) { ext_func(o)[3] = 8; }
static void m_ext_cut(struct obj *o) { ext(o)->func_len = 6; }
static void m_ext_unsorted(struct obj *o) { ext_func(o)[3] = 0x100; }
static void m_rel_unsorted(struct obj *o) { Elf64_Rel t = *rel(o, ".relxdp", 0); *rel(o, ".relxdp", 0) = *rel(o, ".relxdp", 1); *rel(o, ".relxdp", 1) = t; }

struct corpus_case {
	const char *name;
	void (*mutate)(struct obj *o);
	int from;		/* FROM_*: 0 btf_maps.o, 1 the embedded object */
	int err;		/* from elf_load, or else elf_prog_patch or elf_core_apply */
	const char *msg;	/* in obj->err */
};

static const struct corpus_case corpus_cases[] = {
	{ "not ELF", m_not_elf, 0, -EINVAL, "not an ELF file" },
	{ "ELF32", m_class32, 0, -EINVAL, "not a 64-bit ELF" },
	{ "other byte order", m_other_endian, 0, -EINVAL, "-endian, this machine is not" },
	{ "e_machine", m_machine, 0, -EINVAL, "is not BPF" },
	{ "e_shentsize", m_shentsize, 0, -EINVAL, "e_shentsize 32" },
	{ "e_shoff at end", m_shoff_end, 0, -EINVAL, "lie outside the file" },
	{ "e_shoff huge", m_shoff_huge, 0, -EINVAL, "lie outside the file" },
	{ "e_shnum huge", m_shnum_huge, 0, -EINVAL, "lie outside the file" },
	{ "e_shstrndx", m_shstrndx, 0, -EINVAL, "e_shstrndx" },
	{ "section past the end", m_sec_off_end, 0, -EINVAL, "past the end of the file" },
	{ "section size huge", m_sec_size_huge, 0, -EINVAL, "past the end of the file" },
	{ "sections overlap", m_sec_overlap, 0, -EINVAL, "overlap" },
	{ "section over ELF header", m_sec_over_ehdr, 0, -EINVAL, "overlaps the ELF or section headers" },
	{ "section over section headers", m_sec_over_shdrs, 0, -EINVAL, "overlaps the ELF or section headers" },
	{ "empty string table", m_strtab_empty, 0, -EINVAL, "empty string table" },
	{ "symtab entsize", m_symtab_entsize, 0, -EINVAL, "symbol table: entry size" },
	{ "symtab link", m_symtab_link, 0, -EINVAL, "string table 65535 out of range" },
	{ "symbol name", m_sym_name, 0, -EINVAL, "name offset" },
	{ "function size", m_func_size, 0, -EINVAL, "not whole instructions" },
	{ "function past section", m_func_past, 0, -EINVAL, "not whole instructions" },
	{ "functions overlap", m_func_overlap, 0, -EINVAL, "overlaps another" },
	/* The BTF still names the renamed section's variable. */
	{ "license section renamed", m_no_license, 0, -EOPNOTSUPP, "BTF DATASEC license has no section" },
	{ "license unterminated", m_license_unterminated, 0, -EINVAL, "not a terminated string" },
	{ "relocation symbol", m_rel_sym, 0, -EINVAL, "symbol index 100000 out of range" },
	{ "relocation symbol 0", m_rel_sym_zero, 0, -EINVAL, "symbol index 0 out of range" },
	{ "relocation not on ld_imm64", m_rel_not_ld, 0, -EINVAL, "does not land on an ld_imm64" },
	{ "relocation unaligned", m_rel_unaligned, 0, -EINVAL, "outside whole instructions" },
	{ "relocation past section", m_rel_past, 0, -EINVAL, "outside whole instructions" },
	{ "relocation type", m_rel_type, 0, -EOPNOTSUPP, "relocation type 99" },
	{ "call relocation not on call", m_rel_call_not_call, 0, -EINVAL, "does not land on a call" },
	{ "call to no function", m_call_nowhere, 0, -EINVAL, "starts no function" },
	{ "relocation entsize", m_rel_entsize, 0, -EINVAL, "relocation entry size" },
	{ "RELA on code", m_rel_rela, 0, -EOPNOTSUPP, "RELA relocations" },
	{ "relocation symtab", m_rel_symtab, 0, -EINVAL, "another symbol table" },
	{ "relocation target section", m_rel_info, 0, -EINVAL, "relocations for section 65535" },
	{ "relocations in .data", m_rel_of_data, 0, -EOPNOTSUPP, "relocations in .data" },
	{ "extern", m_extern, 1, -EOPNOTSUPP, "extern tx_port" },
	{ "reference to license", m_ref_license, 1, -EOPNOTSUPP, "neither a map, global data nor a function" },
	{ "global data offset", m_data_off, 0, -EINVAL, "past the end of .bss" },
	{ "map at no definition", m_map_missing, 1, -EOPNOTSUPP, "neither a map" },
	{ "ld_imm64 pseudo without relocation", m_ld_src, 0, -EOPNOTSUPP, "without relocation" },
	{ "ld_imm64 cut", m_ld_cut, 0, -EINVAL, "ld_imm64 cut by the end" },
	{ "kfunc call", m_kfunc, 0, -EOPNOTSUPP, "kfunc calls are not supported" },
	{ "BTF magic", m_btf_magic, 0, -EINVAL, "not BTF" },
	{ "BTF other byte order", m_btf_swapped, 0, -EINVAL, "other byte order" },
	{ "BTF version", m_btf_version, 0, -EOPNOTSUPP, "BTF version 2" },
	{ "BTF header length", m_btf_hdr_len, 0, -EINVAL, "BTF header length" },
	{ "BTF types length", m_btf_type_len, 0, -EINVAL, "outside the section" },
	{ "BTF strings offset", m_btf_str_off, 0, -EINVAL, "outside the section" },
	{ "BTF strings end", m_btf_str_end, 0, -EINVAL, "start and end with NUL" },
	{ "BTF cut", m_btf_short, 0, -EINVAL, "has no header" },
	{ "BTF kind", m_btf_kind, 0, -EINVAL, "unknown kind 31" },
	{ "BTF vlen", m_btf_vlen, 0, -EINVAL, "runs past the types" },
	{ "BTF DATASEC entry", m_btf_datasec_var, 0, -EINVAL, "is not a named variable" },
	{ "BTF DATASEC name", m_btf_datasec_name, 0, -EOPNOTSUPP, "has no section" },
	{ "BTF variable without symbol", m_btf_var_nosym, 0, -EINVAL, "has no symbol" },
	{ "BTF map field", m_btf_map_field, 0, -EOPNOTSUPP, "is not supported" },
	{ "BTF map field not __uint", m_btf_map_uint, 0, -EINVAL, "is not __uint or __type" },
	{ "BTF type loop", m_btf_map_loop, 0, -EINVAL, "is not __uint or __type" },
	{ "BTF kind 0", m_btf_kind_unkn, 0, -EINVAL, "unknown kind 0" },
	{ "BTF array of itself", m_btf_array_loop, 0, -EINVAL, "field 'key' is not __uint or __type" },
	{ ".maps without BTF", m_no_btf_maps, 0, -EINVAL, ".maps without .BTF" },
	{ ".BTF.ext magic", m_ext_magic, 0, -EINVAL, ".BTF.ext magic" },
	{ ".BTF.ext header length", m_ext_hdr_len, 0, -EINVAL, ".BTF.ext header length" },
	{ ".BTF.ext CO-RE past the end", m_ext_core, 0, -EINVAL, "info outside the section" },
	{ "CO-RE kind", m_core_kind, FROM_TP, -EOPNOTSUPP, "(kind 1, type" },
	{ "CO-RE access past the members", m_core_access_past, FROM_TP, -EINVAL, "access \"0:5\"): not a member's byte offset" },
	{ "CO-RE access of an array", m_core_access_array, FROM_TP, -EINVAL, "access \"1:4\"): not a member's byte offset" },
	{ "CO-RE access not N:M", m_core_access_name, FROM_TP, -EINVAL, "access \"prog_id\"): not a member's byte offset" },
	{ "CO-RE access string offset", m_core_access_off, FROM_TP, -EINVAL, "access \"?\"): not a member's byte offset" },
	{ "CO-RE type not a struct", m_core_type_int, FROM_TP, -EINVAL, "not a member's byte offset" },
	{ "CO-RE type past the types", m_core_type_past, FROM_TP, -EINVAL, "type 65535" },
	{ "CO-RE between instructions", m_core_between, FROM_TP, -EINVAL, "records not in instruction order, or between instructions" },
	{ "CO-RE not on a load", m_core_not_ldx, FROM_TP, -EINVAL, "xrm_tp_err: xdp_redirect_err.ifindex: not on a load, store or add of its offset" },
	{ "CO-RE on another field's load", m_core_other_load, FROM_TP, -EINVAL, "xdp_redirect_err.ifindex: not on a load" },
	{ "CO-RE records out of order", m_core_past_prog, FROM_TP, -EINVAL, "records not in instruction order" },
	{ "CO-RE field the kernel lacks", m_core_missing, FROM_TP, -ENOENT, "xrm_tp_xmit: xdp_devmap_xmit.zrops: not in the running kernel" },
	{ "CO-RE offset past 16 bits", m_core_far, FROM_TP, -ERANGE, "xdp_devmap_xmit.yent: past 32 KiB" },
	{ ".BTF.ext func_info length", m_ext_func_len, 0, -EINVAL, "info outside the section" },
	{ ".BTF.ext record size", m_ext_rec_size, 0, -EINVAL, "record size 4" },
	{ ".BTF.ext section name", m_ext_sec_name, 0, -EINVAL, ".BTF.ext: section name" },
	{ ".BTF.ext records", m_ext_num_info, 0, -EINVAL, "records past the end" },
	{ ".BTF.ext cut", m_ext_cut, 0, -EINVAL, "block header cut short" },
	{ ".BTF.ext no func_info", m_ext_no_func, 0, -EINVAL, "has no func_info" },
	{ ".BTF.ext records out of order", m_ext_unsorted, 0, -EINVAL, "records not in instruction order" },
	{ "relocations out of order", m_rel_unsorted, 0, -EINVAL, "relocations not in offset order" },
};

/* A kernel whose records hold every field at 8, but none whose name
 * starts with z, and those with y past what an instruction can hold. */
static int corpus_core(void *ctx, const char *type_name, const char *member, uint32_t size_bytes)
{
	(void)ctx;
	(void)type_name;
	(void)size_bytes;
	return member[0] == 'z' ? -ENOENT : member[0] == 'y' ? 40000 : 8;
}

/* elf_load, then every program linked and its CO-RE relocations
 * applied: the first error. */
static int corpus_try(struct obj *o, struct elf_obj *e)
{
	static const int fds[ELF_MAX_MAPS] = { 0 };
	struct elf_linked k;
	uint32_t i;
	int err = elf_load(o->b, o->len, e);

	for (i = 0; !err && i < e->nprogs; i++) {
		err = elf_prog_patch(e, i, fds, &k);
		if (!err)
			err = elf_core_apply(e, i, &k, corpus_core, NULL);
		/* Also after a failure: elf_prog_patch leaves k empty then. */
		elf_linked_free(&k);
	}
	elf_free(e);
	return err;
}

static int corpus_load(const char *name, int from, struct obj *o)
{
	const char *path = from == FROM_TP ? BPF_TP_OBJ_PATH :
			   from == FROM_EMBEDDED ? BPF_OBJ_PATH : TEST_OBJ_DIR "/btf_maps.o";

	if (corpus_read(path, o) == 0)
		return 0;
	fprintf(stderr, "  %s: cannot read %s (make it first)\n", name, path);
	CHECK(0);
	return -1;
}

static void corpus_good(void)
{
	static struct elf_obj e;
	struct obj o;

	if (corpus_load("good", FROM_BTF_MAPS, &o))
		return;
	CHECK(corpus_try(&o, &e) == 0);
	free(o.b);
	if (corpus_load("good tracepoints", FROM_TP, &o))
		return;
	CHECK(corpus_try(&o, &e) == 0);
	free(o.b);
}

static void corpus_broken(void)
{
	static struct elf_obj e;
	const struct corpus_case *c;
	struct obj o;
	size_t i;
	int err;

	for (i = 0; i < sizeof(corpus_cases) / sizeof(corpus_cases[0]); i++) {
		c = &corpus_cases[i];
		if (corpus_load(c->name, c->from, &o))
			return;
		c->mutate(&o);
		err = corpus_try(&o, &e);
		if (!unit_check(err == c->err && strstr(e.err, c->msg), c->name, __FILE__, __LINE__))
			fprintf(stderr, "  %s: got %d '%s', want %d '%s'\n", c->name, err, e.err,
				c->err, c->msg);
		free(o.b);
	}
}

/* Every length short of the whole file is refused with a reason. */
static void corpus_truncated(void)
{
	static struct elf_obj e;
	struct obj o;
	size_t len, bad = 0;

	if (corpus_load("truncated", 0, &o))
		return;
	for (len = 0; len < o.len; len++) {
		struct obj cut = { o.b, len };

		if (corpus_try(&cut, &e) >= 0 || !e.err[0])
			bad++;
	}
	if (!CHECK(bad == 0))
		fprintf(stderr, "  %zu of %zu truncations accepted or without reason\n", bad, o.len);
	free(o.b);
}

void unit_corpus(void)
{
	unit_run("corpus_good_object_loads", corpus_good);
	unit_run("corpus_broken_objects_give_their_errors", corpus_broken);
	unit_run("corpus_every_truncation_refused", corpus_truncated);
}
