/* unit_elfload.c - elf_load and elf_prog_patch on the object we build,
 * on both byte orders of it, and on broken copies of it: each refusal
 * with the errno and the words of obj.err that a user would read. The
 * expected values come from tests/tobj.c, a reading of the file that
 * shares no code with elfload.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_sys.h"
#include "elfload.h"
#include "tobj.h"
#include "unit.h"

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_BIG 1
#else
#define HOST_BIG 0
#endif

/* Stand-ins for the map fds the loader would create. */
#define FD_TX_PORT 100
#define FD_RXCNT 200
#define FD_EGRESS_MACS 300
#define FD_TX_PAIRS 400
#define FD_RXCNT_PAIRS 500
#define FD_RODATA 600

/* Large: kept out of the stack of each case. */
static struct elf_obj obj;

static int open_good(struct tobj *t)
{
	int err = tobj_read(t, BPF_OBJ_PATH);

	if (!CHECK(err == 0))
		fprintf(stderr, "  %s: %s\n", BPF_OBJ_PATH, strerror(-err));
	return err;
}

static int load_good(struct tobj *t)
{
	int err = open_good(t);

	if (err)
		return err;
	err = elf_load(t->buf, t->len_bytes, &obj);
	if (!CHECK(err == 0))
		fprintf(stderr, "  %s: %s\n", BPF_OBJ_PATH, obj.err);
	return err;
}

static void check_map(const char *sym, uint32_t type, uint32_t key, uint32_t value,
		      uint32_t entries)
{
	int i = elf_map_find(&obj, sym);

	if (!CHECK(i >= 0))
		return;
	CHECK(obj.maps[i].type == type);
	CHECK(obj.maps[i].key_size == key && obj.maps[i].value_size == value);
	CHECK(obj.maps[i].max_entries == entries && obj.maps[i].flags == 0);
	CHECK(strcmp(obj.maps[i].name, sym) == 0);
}

static void check_prog(const struct tobj *t, const char *sym, const char *name,
		       uint32_t attach_type)
{
	int i = elf_prog_find(&obj, sym);
	struct bpf_prog_desc d = { .license = "GPL" };
	union bpf_attr attr;
	struct tobj_func f;

	if (!CHECK(i >= 0 && tobj_func_find(t, sym, &f) == 0))
		return;
	CHECK(obj.progs[i].type == BPF_PROG_TYPE_XDP);
	CHECK(obj.progs[i].expected_attach_type == attach_type);
	CHECK(obj.progs[i].insn_cnt > 0);
	CHECK(obj.progs[i].insn_cnt * sizeof(struct bpf_insn) == f.size_bytes);
	/* The kernel gets the symbol cut to 15 characters. */
	d.name = obj.progs[i].sym;
	bpf_prog_load_attr(&attr, &d);
	CHECK(strncmp(attr.prog_name, name, BPF_OBJ_NAME_LEN) == 0);
	CHECK(attr.prog_name[BPF_OBJ_NAME_LEN - 1] == '\0');
}

static void contents(void)
{
	struct tobj t;
	int i;

	/* The Makefile asked the compiler for its byte order: under QEMU
	 * this is where a wrong answer would show. */
	CHECK(strcmp(BPF_ENDIAN, HOST_BIG ? "bpfeb" : "bpfel") == 0);
	if (load_good(&t))
		return;
	CHECK(obj.nprogs == 4 && obj.nmaps == 6);
	check_prog(&t, "xdp_redirect_map", "xdp_redirect_ma", 0);
	check_prog(&t, "xdp_dummy", "xdp_dummy", 0);
	check_prog(&t, "xdp_pairs", "xdp_pairs", 0);
	/* Section "xdp/devmap": loaded for a devmap entry. */
	check_prog(&t, "xdp_egress", "xdp_egress", BPF_XDP_DEVMAP);
	check_map("tx_port", BPF_MAP_TYPE_DEVMAP, 4, 4, 1);
	check_map("rxcnt", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 1);
	check_map("egress_macs", BPF_MAP_TYPE_HASH, 4, 12, 64);
	check_map("tx_pairs", BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 64);
	check_map("rxcnt_pairs", BPF_MAP_TYPE_PERCPU_HASH, 4, 16, 64);
	/* count_bytes alone, read-only for the program and frozen. */
	i = elf_map_find(&obj, ".rodata");
	CHECK(i >= 0 && obj.maps[i].value_size == 4 && obj.maps[i].frozen &&
	      obj.maps[i].flags == BPF_F_RDONLY_PROG && obj.maps[i].init);
	CHECK(strcmp(obj.license, "GPL") == 0);
	CHECK(elf_prog_find(&obj, "xdp_redirect_ma") == -ENOENT);
	CHECK(elf_map_find(&obj, "nothing") == -ENOENT);
	tobj_free(&t);
}

static const struct tobj_rel *rel_at(const struct tobj_rel *rels, int n, uint64_t off)
{
	int i;

	for (i = 0; i < n; i++)
		if (rels[i].off_bytes == off)
			return &rels[i];
	return NULL;
}

/* Program sym patched: each ld_imm64 a relocation names carries that
 * map's fd (count_bytes: .rodata's, as a value at offset 0), every other
 * instruction is the file's, byte for byte. Where the program lies comes
 * from tobj, not from obj. */
static int check_patch(const struct tobj *t, const char *sym, const int *fds)
{
	const int idx = elf_prog_find(&obj, sym);
	struct tobj_rel rels[TOBJ_RELS_MAX];
	struct elf_linked l = { 0 };
	struct bpf_insn *insns;
	const struct tobj_rel *r;
	struct tobj_func f;
	uint64_t base, k, cnt;
	int n, m, value, patched = 0;

	if (!CHECK(idx >= 0 && tobj_func_find(t, sym, &f) == 0))
		return -1;
	cnt = f.size_bytes / sizeof(*insns);
	base = tobj_sec_bytes(t, f.shndx) + f.off_bytes;
	n = tobj_rels(t, f.shndx, rels);
	/* Our programs call no subprograms: linked, they are as long as in the file. */
	if (!CHECK(elf_prog_patch(&obj, (uint32_t)idx, fds, &l) == 0 && l.insn_cnt == cnt))
		goto out;
	insns = l.insns;
	for (k = 0; k < cnt; k++) {
		r = rel_at(rels, n, f.off_bytes + k * sizeof(*insns));
		if (!r) {
			CHECK(memcmp(&insns[k], t->buf + base + k * sizeof(*insns), sizeof(*insns)) == 0);
			continue;
		}
		CHECK(insns[k].code == (BPF_LD | BPF_IMM | BPF_DW) && k + 1 < cnt);
		value = strcmp(r->sym, "count_bytes") == 0;
		CHECK(insns[k].src_reg == (value ? BPF_PSEUDO_MAP_VALUE : BPF_PSEUDO_MAP_FD));
		m = elf_map_find(&obj, value ? ".rodata" : r->sym);
		CHECK(m >= 0 && insns[k].imm == fds[m >= 0 ? m : 0]);
		CHECK(insns[k + 1].code == 0 && insns[k + 1].imm == 0 && insns[k + 1].off == 0);
		patched++;
		k++;
	}
out:
	elf_linked_free(&l);
	return patched;
}

static void relocations(void)
{
	struct elf_linked linked = { 0 };
	int fds[ELF_MAX_MAPS];
	struct tobj t;
	int i, tx, cnt, macs, txp, cntp, ro;

	if (load_good(&t))
		return;
	for (i = 0; i < ELF_MAX_MAPS; i++)
		fds[i] = -1;
	tx = elf_map_find(&obj, "tx_port");
	cnt = elf_map_find(&obj, "rxcnt");
	macs = elf_map_find(&obj, "egress_macs");
	txp = elf_map_find(&obj, "tx_pairs");
	cntp = elf_map_find(&obj, "rxcnt_pairs");
	ro = elf_map_find(&obj, ".rodata");
	if (!CHECK(tx >= 0 && cnt >= 0 && macs >= 0 && txp >= 0 && cntp >= 0 && ro >= 0))
		goto out;
	fds[ro] = FD_RODATA;
	fds[tx] = FD_TX_PORT;
	fds[cnt] = FD_RXCNT;
	fds[macs] = FD_EGRESS_MACS;
	fds[txp] = FD_TX_PAIRS;
	fds[cntp] = FD_RXCNT_PAIRS;
	/* count_bytes, rxcnt in each of its two paths, tx_port. */
	CHECK(check_patch(&t, "xdp_redirect_map", fds) == 4);
	CHECK(check_patch(&t, "xdp_dummy", fds) == 0);
	CHECK(check_patch(&t, "xdp_egress", fds) == 1);
	CHECK(check_patch(&t, "xdp_pairs", fds) == 4);
	CHECK(elf_prog_patch(&obj, obj.nprogs, fds, &linked) == -EINVAL);
	CHECK(strstr(obj.err, "out of range") != NULL);
out:
	tobj_free(&t);
}

/* Each build is accepted where the host has its byte order and refused,
 * naming the object's byte order, where it does not. */
static void byte_order(void)
{
	static const char *const paths[] = { BPF_OBJ_EB_PATH, BPF_OBJ_EL_PATH };
	struct tobj t;
	int i, err;

	for (i = 0; i < 2; i++) {
		if (!CHECK(tobj_read(&t, paths[i]) == 0))
			continue;
		CHECK(t.big == (i == 0));
		err = elf_load(t.buf, t.len_bytes, &obj);
		if (t.big == HOST_BIG)
			CHECK(err == 0);
		else
			CHECK(err == -EINVAL &&
			      strstr(obj.err, t.big ? "big-endian" : "little-endian"));
		tobj_free(&t);
	}
}

/* Every prefix of the file, each in a buffer of exactly its length so
 * that AddressSanitizer sees a read past it. */
static void truncated(void)
{
	struct tobj t, c;
	size_t len;
	int err;

	if (open_good(&t))
		return;
	for (len = 0; len < t.len_bytes; len++) {
		if (!CHECK(tobj_copy(&c, &t, len) == 0))
			break;
		err = elf_load(c.buf, len, &obj);
		if (!CHECK(err == -EINVAL && obj.err[0]))
			fprintf(stderr, "  length %zu: %d %s\n", len, err, obj.err);
		tobj_free(&c);
	}
	tobj_free(&t);
}

/* Mutations of a good copy; each names its part of the file. */
static uint32_t sec_of_type(const struct tobj *c, uint32_t type)
{
	uint32_t i, n = (uint32_t)tobj_get(c, TOBJ_FIELD(Elf64_Ehdr, e_shnum));

	for (i = 1; i < n; i++)
		if (tobj_get(c, tobj_shdr(c, i) + TOBJ_FIELD(Elf64_Shdr, sh_type)) == type)
			return i;
	CHECK(!"section type not in the object");
	return 0;
}

static uint64_t shdr_named(const struct tobj *c, const char *name)
{
	int i = tobj_sec_find(c, name);

	CHECK(i > 0);
	return tobj_shdr(c, i > 0 ? (uint32_t)i : 0);
}

static uint64_t sym_named(const struct tobj *c, const char *name)
{
	int i = tobj_sym_find(c, name);

	CHECK(i > 0);
	return tobj_sym(c, i > 0 ? (uint32_t)i : 0);
}

/* The first relocation of the code's REL section. */
static uint64_t first_rel(const struct tobj *c)
{
	return tobj_sec_bytes(c, sec_of_type(c, SHT_REL));
}

static uint64_t nsyms(const struct tobj *c)
{
	return tobj_get(c, tobj_shdr(c, sec_of_type(c, SHT_SYMTAB)) +
			TOBJ_FIELD(Elf64_Shdr, sh_size)) / sizeof(Elf64_Sym);
}

static uint64_t xdp_size(const struct tobj *c)
{
	return tobj_get(c, shdr_named(c, "xdp") + TOBJ_FIELD(Elf64_Shdr, sh_size));
}

static void m_magic(struct tobj *c) { c->buf[EI_MAG1] = 'X'; }
static void m_class(struct tobj *c) { c->buf[EI_CLASS] = ELFCLASS32; }
static void m_order(struct tobj *c) { c->buf[EI_DATA] = HOST_BIG ? ELFDATA2LSB : ELFDATA2MSB; }
static void m_em_none(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_machine), EM_NONE); }
static void m_em_x86(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_machine), EM_X86_64); }
static void m_shentsize(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_shentsize), 40); }
static void m_shoff_end(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_shoff), c->len_bytes); }
static void m_shoff_wrap(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_shoff), UINT64_MAX - 8); }
static void m_shnum_huge(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_shnum), 0xffff); }
static void m_shnum_zero(struct tobj *c) { tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_shnum), 0); }

static void m_shstrndx(struct tobj *c)
{
	tobj_put(c, TOBJ_FIELD(Elf64_Ehdr, e_shstrndx),
		 tobj_get(c, TOBJ_FIELD(Elf64_Ehdr, e_shnum)));
}

static void m_sec_off(struct tobj *c)
{
	tobj_put(c, shdr_named(c, "xdp") + TOBJ_FIELD(Elf64_Shdr, sh_offset), c->len_bytes);
}

static void m_sec_size(struct tobj *c)
{
	tobj_put(c, shdr_named(c, "xdp") + TOBJ_FIELD(Elf64_Shdr, sh_size), UINT64_MAX);
}

static void m_strtab_empty(struct tobj *c)
{
	tobj_put(c, shdr_named(c, ".strtab") + TOBJ_FIELD(Elf64_Shdr, sh_size), 0);
}

static void m_sym_entsize(struct tobj *c)
{
	tobj_put(c, shdr_named(c, ".symtab") + TOBJ_FIELD(Elf64_Shdr, sh_entsize), 16);
}

static void m_sym_size(struct tobj *c)
{
	uint64_t sh = shdr_named(c, ".symtab") + offsetof(Elf64_Shdr, sh_size);

	tobj_put(c, sh, sizeof(Elf64_Xword), tobj_get(c, sh, sizeof(Elf64_Xword)) - 1);
}

static void m_sym_link(struct tobj *c)
{
	tobj_put(c, shdr_named(c, ".symtab") + TOBJ_FIELD(Elf64_Shdr, sh_link),
		 tobj_get(c, TOBJ_FIELD(Elf64_Ehdr, e_shnum)));
}

static void m_no_symtab(struct tobj *c)
{
	tobj_put(c, shdr_named(c, ".symtab") + TOBJ_FIELD(Elf64_Shdr, sh_type), SHT_PROGBITS);
}

static void m_sym_name(struct tobj *c)
{
	tobj_put(c, sym_named(c, "xdp_dummy") + TOBJ_FIELD(Elf64_Sym, st_name), 0xffffff);
}

/* Renames the section: its name lives in the section name table. */
static void m_no_license(struct tobj *c)
{
	uint32_t strndx = (uint32_t)tobj_get(c, TOBJ_FIELD(Elf64_Ehdr, e_shstrndx));
	uint64_t name = tobj_get(c, shdr_named(c, "license") + TOBJ_FIELD(Elf64_Shdr, sh_name));

	c->buf[tobj_sec_bytes(c, strndx) + name] = 'L';
}

/* The string table one byte short: its last name ends outside it. */
static void m_strtab_unterminated(struct tobj *c)
{
	uint64_t sh = shdr_named(c, ".strtab") + offsetof(Elf64_Shdr, sh_size);

	tobj_put(c, sh, sizeof(Elf64_Xword), tobj_get(c, sh, sizeof(Elf64_Xword)) - 1);
}

static void m_license_unterminated(struct tobj *c)
{
	uint64_t sh = shdr_named(c, "license");

	memset(c->buf + tobj_get(c, sh + TOBJ_FIELD(Elf64_Shdr, sh_offset)), 'X',
	       tobj_get(c, sh + TOBJ_FIELD(Elf64_Shdr, sh_size)));
}

static void m_map_outside(struct tobj *c)
{
	tobj_put(c, sym_named(c, "rxcnt") + TOBJ_FIELD(Elf64_Sym, st_value),
		 tobj_get(c, shdr_named(c, "maps") + TOBJ_FIELD(Elf64_Shdr, sh_size)));
}

/* The last 4 bytes of rxcnt's 20-byte definition past the section. */
static void m_map_cut(struct tobj *c)
{
	tobj_put(c, sym_named(c, "rxcnt") + TOBJ_FIELD(Elf64_Sym, st_value),
		 tobj_get(c, shdr_named(c, "maps") + TOBJ_FIELD(Elf64_Shdr, sh_size)) - 16);
}

static void m_map_misaligned(struct tobj *c)
{
	tobj_put(c, sym_named(c, "rxcnt") + TOBJ_FIELD(Elf64_Sym, st_value), 2);
}

static void m_prog_size(struct tobj *c)
{
	tobj_put(c, sym_named(c, "xdp_dummy") + TOBJ_FIELD(Elf64_Sym, st_size), 12);
}

static void m_prog_past(struct tobj *c)
{
	tobj_put(c, sym_named(c, "xdp_dummy") + TOBJ_FIELD(Elf64_Sym, st_value), xdp_size(c));
}

static void m_rel_odd(struct tobj *c)
{
	uint64_t r = first_rel(c) + offsetof(Elf64_Rel, r_offset);

	tobj_put(c, r, sizeof(Elf64_Addr), tobj_get(c, r, sizeof(Elf64_Addr)) + 4);
}

static void m_rel_past(struct tobj *c)
{
	tobj_put(c, first_rel(c) + TOBJ_FIELD(Elf64_Rel, r_offset), xdp_size(c) - 8);
}

/* Instruction 0 of xdp_redirect_map reads the context: no ld_imm64. */
static void m_rel_not_ld(struct tobj *c)
{
	tobj_put(c, first_rel(c) + TOBJ_FIELD(Elf64_Rel, r_offset), 0);
}

/* count_bytes moved to the end of .rodata, one past its last byte. */
static void m_data_past(struct tobj *c)
{
	uint64_t sh = shdr_named(c, ".rodata") + offsetof(Elf64_Shdr, sh_size);

	tobj_put(c, sym_named(c, "count_bytes") + TOBJ_FIELD(Elf64_Sym, st_value),
		 tobj_get(c, sh, sizeof(Elf64_Xword)));
}

/* Two relocations of one instruction: the second at the first's offset. */
static void m_rel_twice(struct tobj *c)
{
	uint64_t r = first_rel(c) + offsetof(Elf64_Rel, r_offset);

	tobj_put(c, r + sizeof(Elf64_Rel), sizeof(Elf64_Addr), tobj_get(c, r, sizeof(Elf64_Addr)));
}

static void m_rel_sym_range(struct tobj *c)
{
	tobj_put(c, first_rel(c) + TOBJ_FIELD(Elf64_Rel, r_info),
		 ELF64_R_INFO(nsyms(c), R_BPF_64_64));
}

static void m_rel_sym_zero(struct tobj *c)
{
	tobj_put(c, first_rel(c) + TOBJ_FIELD(Elf64_Rel, r_info), ELF64_R_INFO(0, R_BPF_64_64));
}

static void m_rel_not_map(struct tobj *c)
{
	tobj_put(c, first_rel(c) + TOBJ_FIELD(Elf64_Rel, r_info),
		 ELF64_R_INFO(tobj_sym_find(c, "_license"), R_BPF_64_64));
}

static void rel_type_set(struct tobj *c, uint32_t type)
{
	uint64_t r = first_rel(c) + offsetof(Elf64_Rel, r_info);

	tobj_put(c, r, sizeof(Elf64_Xword),
		 ELF64_R_INFO(ELF64_R_SYM(tobj_get(c, r, sizeof(Elf64_Xword))), type));
}

/* R_BPF_64_32 (10) is what clang writes for a call to a BPF function:
 * on an ld_imm64 it is malformed. */
static void m_rel_call(struct tobj *c) { rel_type_set(c, 10); }
static void m_rel_type(struct tobj *c) { rel_type_set(c, 3); }

static void m_rel_entsize(struct tobj *c)
{
	tobj_put(c, tobj_shdr(c, sec_of_type(c, SHT_REL)) + TOBJ_FIELD(Elf64_Shdr, sh_entsize), 24);
}

static void m_rela(struct tobj *c)
{
	tobj_put(c, tobj_shdr(c, sec_of_type(c, SHT_REL)) + TOBJ_FIELD(Elf64_Shdr, sh_type), SHT_RELA);
}

static const struct mutation {
	const char *what;
	void (*mutate)(struct tobj *c);
	int err;		/* what elf_load returns */
	const char *msg;	/* in obj.err */
} mutations[] = {
	{ "bad magic", m_magic, -EINVAL, "not an ELF file" },
	{ "ELFCLASS32", m_class, -EINVAL, "not a 64-bit ELF" },
	{ "other byte order", m_order, -EINVAL, "-endian, this machine is not" },
	{ "EM_NONE (old LLVM)", m_em_none, 0, "" },
	{ "EM_X86_64", m_em_x86, -EINVAL, "e_machine 62 is not BPF" },
	{ "e_shentsize 40", m_shentsize, -EINVAL, "e_shentsize 40" },
	{ "e_shoff at the end", m_shoff_end, -EINVAL, "section headers" },
	{ "e_shoff wrapping", m_shoff_wrap, -EINVAL, "section headers" },
	{ "e_shnum 65535", m_shnum_huge, -EINVAL, "section headers" },
	{ "e_shnum 0", m_shnum_zero, -EINVAL, "section headers" },
	{ "e_shstrndx out of range", m_shstrndx, -EINVAL, "e_shstrndx" },
	{ "section offset past the end", m_sec_off, -EINVAL, "past the end of the file" },
	{ "section size 2^64-1", m_sec_size, -EINVAL, "past the end of the file" },
	{ "empty string table", m_strtab_empty, -EINVAL, "empty string table" },
	{ ".symtab sh_entsize 16", m_sym_entsize, -EINVAL, "symbol table: entry size 16" },
	{ ".symtab size not whole", m_sym_size, -EINVAL, "symbol table: entry size" },
	{ ".symtab sh_link out of range", m_sym_link, -EINVAL, "string table" },
	{ "no symbol table", m_no_symtab, -EINVAL, "no symbol table" },
	{ "symbol name offset", m_sym_name, -EINVAL, "name offset 16777215 invalid" },
	{ "license not terminated", m_license_unterminated, -EINVAL, "not a terminated string" },
	{ "map definition past maps", m_map_outside, -EINVAL, "outside the maps section" },
	{ "map definition cut by its section's end", m_map_cut, -EINVAL, "outside the maps section" },
	{ "map definition misaligned", m_map_misaligned, -EINVAL, "outside the maps section" },
	{ "program size 12", m_prog_size, -EINVAL, "not whole instructions" },
	{ "program past its section", m_prog_past, -EINVAL, "not whole instructions" },
	{ "r_offset not a multiple of 8", m_rel_odd, -EINVAL, "relocation offset outside" },
	{ "r_offset on the last insn", m_rel_past, -EINVAL, "relocation offset outside" },
	{ "relocation on a non-ld_imm64", m_rel_not_ld, -EINVAL, "does not land on an ld_imm64" },
	{ "global data past its section", m_data_past, -EINVAL, "past the end of .rodata" },
	{ "two relocations at one offset", m_rel_twice, -EINVAL, "not in offset order" },
	{ "relocation symbol out of range", m_rel_sym_range, -EINVAL, "symbol index" },
	{ "relocation symbol 0", m_rel_sym_zero, -EINVAL, "symbol index 0" },
	{ "relocation against the license", m_rel_not_map, -EOPNOTSUPP, "neither a map, global data nor a function" },
	{ "R_BPF_64_32 on an ld_imm64", m_rel_call, -EINVAL, "does not land on a call" },
	{ "relocation type 3", m_rel_type, -EOPNOTSUPP, "relocation type 3" },
	{ "REL sh_entsize 24", m_rel_entsize, -EINVAL, "relocation entry size 24" },
	{ "RELA on code", m_rela, -EOPNOTSUPP, "RELA" },
};

/* An object of this checkout's build/objs, loaded into obj. */
static int load_test_obj(struct tobj *t, const char *name)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/%s", TEST_OBJ_DIR, name);
	err = tobj_read(t, path);
	if (!CHECK(err == 0)) {
		fprintf(stderr, "  %s: %s\n", path, strerror(-err));
		return err;
	}
	err = elf_load(t->buf, t->len_bytes, &obj);
	if (!CHECK(err == 0))
		fprintf(stderr, "  %s: %s\n", path, obj.err);
	return err;
}

static const struct elf_prog *prog_named(const char *sym)
{
	int i = elf_prog_find(&obj, sym);

	return CHECK(i >= 0) ? &obj.progs[i] : NULL;
}

static void check_slot(uint32_t k, const char *map, uint32_t slot, const char *target,
		       int is_prog)
{
	const struct elf_slot *sl = &obj.slots[k];

	CHECK(sl->map == (uint32_t)elf_map_find(&obj, map) && sl->slot == slot &&
	      sl->is_prog == is_prog);
	CHECK(sl->target == (uint32_t)(is_prog ? elf_prog_find(&obj, target) :
				       elf_map_find(&obj, target)));
}

/* What libbpf makes of an object, as doc/loader.md lists it. */
static void libbpf_conventions(void)
{
	const struct elf_prog *p;
	const struct btf_type *f;
	struct tobj t, c;
	int i;

	if (open_good(&t) || !CHECK(tobj_copy(&c, &t, t.len_bytes) == 0))
		return;
	/* No license section: "", as libbpf sends it. */
	m_no_license(&c);
	CHECK(elf_load(c.buf, c.len_bytes, &obj) == 0 && strcmp(obj.license, "") == 0);
	elf_free(&obj);
	tobj_free(&c);
	tobj_free(&t);
	if (load_test_obj(&t, "libbpf_conv.o") == 0) {
		p = prog_named("xdp_perf");
		CHECK(p && p->type == BPF_PROG_TYPE_XDP && p->autoload && p->flags == 0);
		p = prog_named("xdp_ring");
		CHECK(p && p->type == BPF_PROG_TYPE_XDP && p->flags == BPF_F_XDP_HAS_FRAGS);
		p = prog_named("xdp_optional");
		CHECK(p && p->type == BPF_PROG_TYPE_XDP && !p->autoload);
		/* The loader fills these in; the file says 0 and 5000. */
		i = elf_map_find(&obj, "events");
		CHECK(i >= 0 && obj.maps[i].max_entries == 0);
		i = elf_map_find(&obj, "ring");
		CHECK(i >= 0 && obj.maps[i].max_entries == 5000);
		i = elf_map_find(&obj, "seen");
		CHECK(i >= 0 && obj.maps[i].map_extra == 3);
		i = elf_map_find(&obj, "near");
		CHECK(i >= 0 && obj.maps[i].numa_node == 0 && obj.maps[i].flags == BPF_F_NUMA_NODE);
		/* The hidden global subprogram is static to the verifier. */
		i = btf_find(&obj.btf, BTF_KIND_FUNC, "first_byte");
		f = i > 0 ? btf_type(&obj.btf, (uint32_t)i) : NULL;
		CHECK(f && BTF_INFO_VLEN(f->info) == BTF_FUNC_STATIC);
		elf_free(&obj);
		/* libbpf refuses a version section of another size too. */
		if (CHECK(tobj_copy(&c, &t, t.len_bytes) == 0)) {
			tobj_put(&c, shdr_named(&c, "version") + TOBJ_FIELD(Elf64_Shdr, sh_size), 2);
			CHECK(elf_load(c.buf, c.len_bytes, &obj) == -EINVAL &&
			      strstr(obj.err, "version section of 2 bytes, not 4"));
			tobj_free(&c);
		}
	}
	elf_free(&obj);
	tobj_free(&t);
	if (load_test_obj(&t, "xdp_sloppy.o") == 0) {
		p = prog_named("xdp_old_style");
		CHECK(p && p->type == 0);
		p = prog_named("xdp_slashed");
		CHECK(p && p->type == 0);
		p = prog_named("xdp_plain");
		CHECK(p && p->type == BPF_PROG_TYPE_XDP);
	}
	elf_free(&obj);
	tobj_free(&t);
	/* Maps of maps: the template's definition; values are fds. */
	if (load_test_obj(&t, "maps_of_maps.o") == 0) {
		i = elf_map_find(&obj, "per_cpu_lru");
		CHECK(i >= 0 && obj.maps[i].has_inner && obj.maps[i].value_size == 4 &&
		      obj.maps[i].inner.type == BPF_MAP_TYPE_LRU_HASH &&
		      obj.maps[i].inner.key_size == 4 && obj.maps[i].inner.value_size == 8 &&
		      obj.maps[i].inner.max_entries == 128);
		i = elf_map_find(&obj, "jumps");
		CHECK(i >= 0 && !obj.maps[i].has_inner && obj.maps[i].value_size == 4);
	}
	elf_free(&obj);
	tobj_free(&t);
	/* Initial values: .maps relocations become slots. */
	if (load_test_obj(&t, "map_init.o") == 0 && CHECK(obj.nslots == 3)) {
		check_slot(0, "outer", 0, "inner", 0);
		check_slot(1, "jumps", 1, "xdp_drop_it", 1);
		check_slot(2, "jumps", 3, "xdp_pass_it", 1);
	}
	elf_free(&obj);
	tobj_free(&t);
}

/* Field f of relocation i of .rel.maps in c. */
static uint64_t slot_rel(const struct tobj *c, uint32_t i, size_t off)
{
	int idx = tobj_sec_find(c, ".rel.maps");

	return idx < 0 ? 0 : tobj_sec_bytes(c, (uint32_t)idx) + i * sizeof(Elf64_Rel) + off;
}

/* Broken initial values of map_init.o: each refused, by what is wrong.
 * A case moves the relocation (add to r_offset) or points it elsewhere
 * (sym, type); sym NULL keeps the symbol, "" means index 0. */
static void broken_slots(void)
{
	static const struct {
		const char *what;
		uint32_t rel;			/* 0: outer's slot 0, 1: jumps' slot 1 */
		int64_t add;			/* to r_offset */
		const char *sym;
		uint32_t type;			/* 0 keeps R_BPF_64_ABS64 */
		const char *msg;
	} cases[] = {
		{ "not R_BPF_64_ABS64", 0, 0, NULL, R_BPF_64_64, "not a pointer to a symbol" },
		{ "symbol 0", 0, 0, "", 0, "not a pointer to a symbol" },
		{ "past max_entries", 0, 16, NULL, 0, "not a slot of a map's values" },
		{ "not on a pointer", 0, 4, NULL, 0, "not a slot of a map's values" },
		{ "before the values", 0, -8, NULL, 0, "not a slot of a map's values" },
		{ "a map in a prog array", 1, 0, "outer", 0, "holds neither a map nor a program" },
		{ "a program in a map of maps", 0, 0, "xdp_drop_it", 0, "holds neither a map nor a program" },
	};
	struct tobj t, c;
	uint64_t info, off;
	size_t i;
	int err, sym;

	if (load_test_obj(&t, "map_init.o"))
		return;
	elf_free(&obj);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!CHECK(tobj_copy(&c, &t, t.len_bytes) == 0))
			break;
		off = slot_rel(&c, cases[i].rel, offsetof(Elf64_Rel, r_offset));
		tobj_put(&c, off, 8, tobj_get(&c, off, 8) + (uint64_t)cases[i].add);
		off = slot_rel(&c, cases[i].rel, offsetof(Elf64_Rel, r_info));
		info = tobj_get(&c, off, 8);
		sym = !cases[i].sym ? (int)(info >> 32) : cases[i].sym[0] ? tobj_sym_find(&c, cases[i].sym) : 0;
		tobj_put(&c, off, 8, (uint64_t)sym << 32 | (cases[i].type ? cases[i].type : (uint32_t)info));
		err = elf_load(c.buf, c.len_bytes, &obj);
		if (!CHECK(err == -EINVAL && strstr(obj.err, cases[i].msg)))
			fprintf(stderr, "  %s: got %d \"%s\"\n", cases[i].what, err, obj.err);
		elf_free(&obj);
		tobj_free(&c);
	}
	tobj_free(&t);
}

static void ringbuf_sizes(void)
{
	CHECK(elf_ringbuf_bytes(5000, 4096) == 8192);
	CHECK(elf_ringbuf_bytes(4096, 4096) == 4096);
	CHECK(elf_ringbuf_bytes(8192, 4096) == 8192);
	CHECK(elf_ringbuf_bytes(12288, 4096) == 16384);
	CHECK(elf_ringbuf_bytes(1, 65536) == 65536);
	CHECK(elf_ringbuf_bytes(0, 4096) == 0);
	/* No power-of-2 multiple above it fits: left for the kernel to refuse. */
	CHECK(elf_ringbuf_bytes(UINT32_MAX, 4096) == UINT32_MAX);
	CHECK(elf_ringbuf_bytes((1u << 31) + 1, 4096) == (1u << 31) + 1);
}

static void broken(void)
{
	struct tobj t, c;
	size_t i;
	int err;

	if (open_good(&t))
		return;
	for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];

		if (!CHECK(tobj_copy(&c, &t, t.len_bytes) == 0))
			break;
		m->mutate(&c);
		err = elf_load(c.buf, c.len_bytes, &obj);
		if (!CHECK(err == m->err && strstr(obj.err, m->msg)))
			fprintf(stderr, "  %s: got %d \"%s\", want %d \"%s\"\n",
				m->what, err, obj.err, m->err, m->msg);
		tobj_free(&c);
	}
	tobj_free(&t);
}

/* Type ids run from 1 to ntypes - 1: the next one is none, not a read
 * past the table of offsets. */
static void btf_ids(void)
{
	struct tobj t;

	if (!CHECK(tobj_read(&t, TEST_OBJ_DIR "/btf_maps.o") == 0))
		return;
	if (CHECK(elf_load(t.buf, t.len_bytes, &obj) == 0 && obj.btf.ntypes > 1)) {
		CHECK(btf_type(&obj.btf, 0) == NULL);
		CHECK(btf_type(&obj.btf, obj.btf.ntypes - 1) != NULL);
		CHECK(btf_type(&obj.btf, obj.btf.ntypes) == NULL);
	}
	elf_free(&obj);
	tobj_free(&t);
}

/* A name that would end only past its string table is no name: whatever
 * the refusal then says, the object is not taken as it was. */
static void strtab_bounds(void)
{
	struct tobj t, c;

	if (open_good(&t))
		return;
	if (CHECK(tobj_copy(&c, &t, t.len_bytes) == 0)) {
		m_strtab_unterminated(&c);
		CHECK(elf_load(c.buf, c.len_bytes, &obj) < 0 && obj.err[0]);
		elf_free(&obj);
		tobj_free(&c);
	}
	tobj_free(&t);
}

/* Single-byte corruptions anywhere, from a fixed seed: whatever elf_load
 * accepts, elf_prog_patch must copy and patch without reading outside the
 * buffer (AddressSanitizer in make test-sanitize); whatever it refuses
 * comes with a reason. */
static void corrupted(void)
{
	static int fds[ELF_MAX_MAPS];
	struct elf_linked l;
	uint32_t seed = 12345, i, p;
	struct tobj t, c;
	int err;

	if (open_good(&t))
		return;
	for (i = 0; i < 3000; i++) {
		if (!CHECK(tobj_copy(&c, &t, t.len_bytes) == 0))
			break;
		seed = seed * 1103515245u + 12345u;
		c.buf[(seed >> 8) % c.len_bytes] ^= (uint8_t)(1u << (seed >> 4 & 7));
		err = elf_load(c.buf, c.len_bytes, &obj);
		CHECK(err == 0 || (err < 0 && obj.err[0]));
		for (p = 0; err == 0 && p < obj.nprogs; p++) {
			memset(&l, 0, sizeof(l));
			elf_prog_patch(&obj, p, fds, &l);
			elf_linked_free(&l);
		}
		elf_free(&obj);
		tobj_free(&c);
	}
	tobj_free(&t);
}

void unit_elfload(void)
{
	unit_run("elfload: programs, maps, license, names", contents);
	unit_run("elfload: relocations patch exactly the map ld_imm64s", relocations);
	unit_run("elfload: bpfeb/bpfel accepted only on their byte order", byte_order);
	unit_run("elfload: every truncation refused", truncated);
	unit_run("elfload: broken objects refused with a reason", broken);
	unit_run("elfload: a name past its string table's end refused", strtab_bounds);
	unit_run("btf: no type past the last id", btf_ids);
	unit_run("elfload: 3000 bit flips, no overread", corrupted);
	unit_run("elfload: libbpf's conventions", libbpf_conventions);
	unit_run("elfload: ring buffer sizes as libbpf rounds them", ringbuf_sizes);
	unit_run("elfload: broken initial values of maps refused", broken_slots);
}
