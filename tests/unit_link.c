/* unit_link.c - what elf_load and elf_prog_patch make of the realistic
 * objects in tests/objs: maps from BTF, global data, the BTF fix-ups,
 * and linked programs whose calls, map and data references, func_info and
 * line_info are what the kernel wants; and the tracepoint object's CO-RE
 * relocations applied by elf_core_apply. No bpf(2): fake fds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfload.h"
#include "unit.h"

#ifndef TEST_OBJ_DIR
#define TEST_OBJ_DIR "build/objs"
#endif
#ifndef BPF_TP_OBJ_PATH
#define BPF_TP_OBJ_PATH "build/xdp_tracepoints.bpfel.o"
#endif

/* Fake fds: map i is 100 + i. */
#define LINK_FD(i) (100 + (int)(i))

static struct elf_obj link_obj;
static uint8_t *link_buf;

static int link_open_path(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	int err = -1;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(link_buf = malloc((size_t)n)) || fread(link_buf, 1, (size_t)n, f) != (size_t)n)
		fprintf(stderr, "  cannot read %s (make it first)\n", path);
	else
		err = elf_load(link_buf, (size_t)n, &link_obj);
	if (f)
		fclose(f);
	if (err)
		fprintf(stderr, "  %s: %d %s\n", path, err, link_obj.err);
	return err;
}

static int link_open(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TEST_OBJ_DIR "/%s", name);
	return link_open_path(path);
}

static void link_close(void)
{
	elf_free(&link_obj);
	free(link_buf);
	link_buf = NULL;
}

static int link_prog(const char *sym, struct elf_linked *k)
{
	static int fds[ELF_MAX_MAPS];
	int i, idx = elf_prog_find(&link_obj, sym);

	for (i = 0; i < ELF_MAX_MAPS; i++)
		fds[i] = LINK_FD(i);
	if (idx < 0 || elf_prog_patch(&link_obj, (uint32_t)idx, fds, k)) {
		fprintf(stderr, "  %s: %s\n", sym, link_obj.err);
		return -1;
	}
	return 0;
}

static int link_is_func_start(const struct elf_linked *k, int64_t at)
{
	uint32_t i;

	for (i = 0; i < k->nfunc_info; i++)
		if (k->func_info[i].insn_off == at)
			return 1;
	return 0;
}

/* Calls and callbacks land on a function's first instruction, which
 * func_info names; func_info and line_info rise and start at 0. */
static void link_check_shape(const struct elf_linked *k)
{
	const struct bpf_insn *in;
	uint32_t i;

	CHECK(k->nfunc_info && k->func_info[0].insn_off == 0);
	CHECK(k->nline_info && k->line_info[0].insn_off == 0);
	for (i = 1; i < k->nfunc_info; i++)
		CHECK(k->func_info[i].insn_off > k->func_info[i - 1].insn_off);
	for (i = 1; i < k->nline_info; i++)
		CHECK(k->line_info[i].insn_off > k->line_info[i - 1].insn_off &&
		      k->line_info[i].insn_off < k->insn_cnt);
	for (i = 0; i < k->insn_cnt; i++) {
		in = &k->insns[i];
		if ((in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) ||
		    (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC))
			CHECK(link_is_func_start(k, (int64_t)i + 1 + in->imm));
	}
}

/* The ld_imm64 of fd with the given kind and second half, counted. */
static int link_count_ld(const struct elf_linked *k, uint8_t src_reg, int fd, int32_t off)
{
	const struct bpf_insn *in;
	uint32_t i;
	int n = 0;

	for (i = 0; i + 1 < k->insn_cnt; i++) {
		in = &k->insns[i];
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == src_reg &&
		    in->imm == fd && in[1].imm == off)
			n++;
	}
	return n;
}

static int link_count_src(const struct elf_linked *k, uint8_t src_reg)
{
	uint32_t i;
	int n = 0;

	for (i = 0; i < k->insn_cnt; i++)
		n += k->insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) && k->insns[i].src_reg == src_reg;
	return n;
}

static const struct elf_map *link_map(const char *sym)
{
	int i = elf_map_find(&link_obj, sym);

	return i < 0 ? NULL : &link_obj.maps[i];
}

static void link_btf_maps_and_data(void)
{
	const struct elf_map *tx, *cnt, *ro, *bss;

	if (link_open("btf_maps.o"))
		return;
	tx = link_map("tx_port");
	cnt = link_map("rxcnt");
	ro = link_map(".rodata");
	bss = link_map(".bss");
	CHECK(tx && tx->type == BPF_MAP_TYPE_DEVMAP && tx->key_size == 4 &&
	      tx->value_size == 4 && tx->max_entries == 1);
	CHECK(cnt && cnt->type == BPF_MAP_TYPE_PERCPU_ARRAY && cnt->value_size == 8);
	CHECK(ro && ro->type == BPF_MAP_TYPE_ARRAY && ro->frozen &&
	      ro->flags == BPF_F_RDONLY_PROG && ro->init && ro->value_size == 4);
	CHECK(bss && !bss->init && !bss->frozen && bss->value_size == 16);
	CHECK(link_map(".data") && link_map(".data")->init);
	link_close();
}

/* Global variables by name, for loader_set_var: in .rodata and .data,
 * of their own size; not in .bss (no initial value) nor maps. */
static void link_var_find(void)
{
	uint32_t map = 99, off = 99;

	if (link_open("btf_maps.o"))
		return;
	CHECK(elf_var_find(&link_obj, "swap_enabled", 4, &map, &off) == 0);
	CHECK(map == (uint32_t)elf_map_find(&link_obj, ".rodata") && off == 0);
	CHECK(elf_var_find(&link_obj, "frames_seen", 8, &map, &off) == 0);
	CHECK(map == (uint32_t)elf_map_find(&link_obj, ".data") && off == 0);
	CHECK(elf_var_find(&link_obj, "swap_enabled", 8, &map, &off) == -EINVAL);
	CHECK(elf_var_find(&link_obj, "short_frames", 8, &map, &off) == -ENOENT);
	CHECK(elf_var_find(&link_obj, "tx_port", 4, &map, &off) == -ENOENT);
	CHECK(elf_var_find(&link_obj, "nothing", 4, &map, &off) == -ENOENT);
	link_close();
}

/* The DATASECs as the kernel wants them: sizes of the sections, offsets
 * of the symbols, in order. */
static void link_btf_datasec_fixed(void)
{
	const struct btf_var_secinfo *v;
	uint32_t n = 0;
	int id;

	if (link_open("btf_maps.o"))
		return;
	id = btf_find(&link_obj.btf, BTF_KIND_DATASEC, ".bss");
	v = id > 0 ? btf_datasec_vars(&link_obj.btf, (uint32_t)id, &n) : NULL;
	CHECK(v && btf_type(&link_obj.btf, (uint32_t)id)->size == 16);
	CHECK(v && n == 2 && v[0].offset == 0 && v[1].offset == 8);
	id = btf_find(&link_obj.btf, BTF_KIND_DATASEC, ".maps");
	v = id > 0 ? btf_datasec_vars(&link_obj.btf, (uint32_t)id, &n) : NULL;
	CHECK(v && btf_type(&link_obj.btf, (uint32_t)id)->size == 64);
	CHECK(v && n == 2 && v[0].offset == 0 && v[1].offset == 32);
	link_close();
}

static void link_btf_maps_program(void)
{
	struct elf_linked k;
	int p, bss, ro, tx, cnt, data;

	if (link_open("btf_maps.o") || link_prog("xdp_redirect_map", &k)) {
		CHECK(0);
		link_close();
		return;
	}
	p = elf_prog_find(&link_obj, "xdp_redirect_map");
	bss = elf_map_find(&link_obj, ".bss");
	ro = elf_map_find(&link_obj, ".rodata");
	tx = elf_map_find(&link_obj, "tx_port");
	cnt = elf_map_find(&link_obj, "rxcnt");
	data = elf_map_find(&link_obj, ".data");
	/* Its own code, then count_frame and swap_macs from .text: all the
	 * code in the file but xdp_dummy's two instructions. */
	CHECK(k.insn_cnt == link_obj.func_insns - 2 && k.insn_cnt > link_obj.progs[p].insn_cnt);
	CHECK(k.nfunc_info == 3);
	link_check_shape(&k);
	/* short_frames at 8 in .bss; last_len, static, at 0; swap_enabled. */
	CHECK(link_count_ld(&k, BPF_PSEUDO_MAP_VALUE, LINK_FD(bss), 8) == 1);
	CHECK(link_count_ld(&k, BPF_PSEUDO_MAP_VALUE, LINK_FD(bss), 0) == 1);
	CHECK(link_count_ld(&k, BPF_PSEUDO_MAP_VALUE, LINK_FD(ro), 0) == 1);
	CHECK(link_count_ld(&k, BPF_PSEUDO_MAP_VALUE, LINK_FD(data), 0) == 1);
	CHECK(link_count_ld(&k, BPF_PSEUDO_MAP_FD, LINK_FD(tx), 0) == 1);
	CHECK(link_count_ld(&k, BPF_PSEUDO_MAP_FD, LINK_FD(cnt), 0) == 1);
	elf_linked_free(&k);
	/* A program that calls nothing is linked alone. */
	if (!link_prog("xdp_dummy", &k)) {
		CHECK(k.insn_cnt == 2 && k.nfunc_info == 1);
		elf_linked_free(&k);
	}
	link_close();
}

/* A callback's address becomes BPF_PSEUDO_FUNC; several programs share a
 * section; types come from the section names. */
static void link_multi(void)
{
	struct elf_linked k;
	int egress, tc;

	if (link_open("multi.o"))
		return;
	egress = elf_prog_find(&link_obj, "xdp_egress");
	tc = elf_prog_find(&link_obj, "tc_pass");
	CHECK(link_obj.nprogs == 5);
	CHECK(egress >= 0 && link_obj.progs[egress].type == BPF_PROG_TYPE_XDP &&
	      link_obj.progs[egress].expected_attach_type == BPF_XDP_DEVMAP);
	CHECK(tc >= 0 && link_obj.progs[tc].type == 0);
	if (!link_prog("xdp_second", &k)) {
		CHECK(k.nfunc_info == 2 && link_count_src(&k, BPF_PSEUDO_FUNC) == 1);
		link_check_shape(&k);
		elf_linked_free(&k);
	}
	link_close();
}

/* Without BTF: the same calls, no func_info or line_info. */
static void link_without_btf(void)
{
	struct elf_linked k;

	if (link_open("legacy_nobtf.o"))
		return;
	CHECK(!link_obj.btf.data);
	CHECK(link_map("tx_port") && link_map(".data.stats") && link_map(".rodata"));
	if (!link_prog("xdp_redirect_map", &k)) {
		CHECK(k.insn_cnt > link_obj.progs[elf_prog_find(&link_obj, "xdp_redirect_map")].insn_cnt);
		CHECK(k.nfunc_info == 0 && k.nline_info == 0);
		elf_linked_free(&k);
	}
	link_close();
}

/* xdp_devmap_xmit as 5.4 laid it out (its fields moved in 5.8), and
 * the members of the program's struct in their order, 4 bytes each: the
 * offset each relocated load holds before it is applied. */
static const struct {
	const char *name;
	int off;
} link_xmit_54[] = {
	{ "from_ifindex", 28 }, { "to_ifindex", 32 }, { "sent", 24 }, { "drops", 20 }, { "err", 36 },
};
static int link_core_calls;

static int link_core_54(void *ctx, const char *type_name, const char *member, uint32_t size_bytes)
{
	size_t i;

	(void)ctx;
	link_core_calls++;
	if (strcmp(type_name, "xdp_devmap_xmit") != 0 || size_bytes != 4)
		return -EINVAL;
	for (i = 0; i < sizeof(link_xmit_54) / sizeof(link_xmit_54[0]); i++)
		if (strcmp(member, link_xmit_54[i].name) == 0)
			return link_xmit_54[i].off;
	return -ENOENT;
}

static int link_core_target(const struct elf_linked *k, uint32_t at)
{
	uint32_t i;

	for (i = 0; i < k->ncore_relo; i++)
		if (k->core_relo[i].insn_off == at)
			return 1;
	return 0;
}

/* The relocated instructions are exactly the loads from the record (r6
 * holds ctx), each now at its field's offset in the 5.4 layout; every
 * other instruction is as linked. */
static void link_core_check(const struct elf_linked *k, const struct bpf_insn *before)
{
	uint32_t i, local, loads = 0;

	for (i = 0; i < k->insn_cnt; i++) {
		local = (uint32_t)before[i].off / 4;
		if (before[i].code != (BPF_LDX | BPF_MEM | BPF_W) || before[i].src_reg != 6) {
			CHECK(!link_core_target(k, i) && memcmp(&before[i], &k->insns[i], sizeof(before[i])) == 0);
			continue;
		}
		loads++;
		CHECK(link_core_target(k, i) && local < 5 && before[i].off % 4 == 0);
		if (local < 5)
			CHECK(k->insns[i].off == link_xmit_54[local].off &&
			      k->insns[i].code == before[i].code && k->insns[i].dst_reg == before[i].dst_reg);
	}
	CHECK(loads == 5);
}

static void link_core_applied(void)
{
	struct bpf_insn *before;
	struct elf_linked k;
	int idx;

	if (link_open_path(BPF_TP_OBJ_PATH))
		return;
	idx = elf_prog_find(&link_obj, "xrm_tp_xmit");
	CHECK(idx >= 0 && link_obj.progs[idx].type == BPF_PROG_TYPE_TRACEPOINT);
	if (idx >= 0 && !link_prog("xrm_tp_xmit", &k)) {
		before = malloc(k.insn_cnt * sizeof(*before));
		if (CHECK(before != NULL)) {
			memcpy(before, k.insns, k.insn_cnt * sizeof(*before));
			link_core_calls = 0;
			CHECK(k.ncore_relo == 5);
			CHECK(elf_core_apply(&link_obj, (uint32_t)idx, &k, link_core_54, NULL) == 0);
			CHECK(link_core_calls == 5);
			link_core_check(&k, before);
		}
		free(before);
		elf_linked_free(&k);
	}
	link_close();
}

/* No resolver (an object of the user's), and a field the kernel lacks. */
static int link_core_none(void *ctx, const char *type_name, const char *member,
			  uint32_t size_bytes)
{
	(void)ctx;
	(void)size_bytes;
	return strcmp(type_name, "xdp_redirect_err") == 0 && strcmp(member, "err") == 0 ? -ENOENT : 8;
}

static void link_core_refused(void)
{
	struct elf_linked k;
	int idx;

	if (link_open_path(BPF_TP_OBJ_PATH))
		return;
	idx = elf_prog_find(&link_obj, "xrm_tp_err");
	if (idx >= 0 && !link_prog("xrm_tp_err", &k)) {
		CHECK(elf_core_apply(&link_obj, (uint32_t)idx, &k, NULL, NULL) == -EOPNOTSUPP &&
		      strstr(link_obj.err, "CO-RE relocations are not supported"));
		CHECK(elf_core_apply(&link_obj, (uint32_t)idx, &k, link_core_none, NULL) == -ENOENT &&
		      strstr(link_obj.err, "xrm_tp_err: xdp_redirect_err.err: not in the running kernel"));
		elf_linked_free(&k);
	}
	link_close();
}

void unit_link(void)
{
	unit_run("link_btf_maps_and_global_data", link_btf_maps_and_data);
	unit_run("link_global_variables_by_name", link_var_find);
	unit_run("link_btf_datasec_sizes_offsets_sorted", link_btf_datasec_fixed);
	unit_run("link_program_subprogs_data_maps_btf_info", link_btf_maps_program);
	unit_run("link_callback_sections_types", link_multi);
	unit_run("link_without_btf", link_without_btf);
	unit_run("link_core_offsets_at_the_record_loads", link_core_applied);
	unit_run("link_core_without_resolver_or_field", link_core_refused);
}
