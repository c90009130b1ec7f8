/* fuzz_elf.c - libFuzzer over everything that reads a BPF object file:
 * elf_load (ELF checks, .BTF parse and fix-ups, .BTF.ext, maps, symbols,
 * relocations), then every program linked with fake map fds and its
 * CO-RE relocations applied from a fake kernel, and the forwarder's
 * variable looked up. The same bytes are also given to the
 * BTF reader as a bare .BTF and .BTF.ext, so that its checks are reached
 * without first making a valid ELF file. All of it is pure: any input
 * runs without privileges or bpf(2). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "elfload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A kernel with every field at an offset of its name's length, some
 * past what an instruction holds, and none named "err". */
static int fuzz_core(void *ctx, const char *type_name, const char *member, uint32_t size_bytes)
{
	(void)ctx;
	(void)type_name;
	if (strcmp(member, "err") == 0)
		return -ENOENT;
	return (int)(strlen(member) * 4096 + size_bytes);
}

static void fuzz_elf(const uint8_t *data, size_t size)
{
	static struct elf_obj obj;
	static int fds[ELF_MAX_MAPS];
	struct elf_linked k;
	uint32_t i, map, off;

	for (i = 0; i < ELF_MAX_MAPS; i++)
		fds[i] = 1000 + (int)i;
	if (elf_load(data, size, &obj) == 0) {
		for (i = 0; i < obj.nprogs; i++)
			if (elf_prog_patch(&obj, i, fds, &k) == 0) {
				elf_core_apply(&obj, i, &k, fuzz_core, NULL);
				elf_linked_free(&k);
			}
		/* The forwarder's variable, where found, lies inside its value. */
		if (elf_var_find(&obj, "count_bytes", 4, &map, &off) == 0 &&
		    (map >= obj.nmaps || !obj.maps[map].init || obj.maps[map].value_size < 4 ||
		     off > obj.maps[map].value_size - 4))
			__builtin_trap();
	}
	elf_free(&obj);
}

/* The first half as .BTF, the second as .BTF.ext. */
static void fuzz_btf(const uint8_t *data, size_t size)
{
	struct bpf_line_info lines[8];
	struct bpf_func_info funcs[1];
	struct bpf_core_relo core[8];
	struct btf_core_field f;
	char err[BTF_ERR_BYTES];
	struct btf_map_def def;
	struct btf_ext x;
	struct btf b;
	uint32_t id, n = 0, nf = 0, nc = 0;

	if (btf_parse(&b, data, size / 2, err))
		return;
	for (id = 1; id < b.ntypes; id++)
		btf_datasec_sort(&b, id);
	btf_map_def(&b, "m", &def, err);
	if (btf_ext_parse(&x, &b, data + size / 2, size - size / 2, err) == 0) {
		btf_ext_copy(&x.func, &b, "xdp", 0, 1, 0, funcs, sizeof(funcs[0]), &nf, 1);
		btf_ext_copy(&x.line, &b, "xdp", 0, 1u << 20, 0, lines, sizeof(lines[0]), &n, 8);
		btf_ext_copy(&x.core, &b, "xdp", 0, 1u << 20, 0, core, sizeof(core[0]), &nc, 8);
		for (id = 0; id < nc; id++)
			btf_core_field(&b, &core[id], &f, err);
	}
	btf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_elf(data, size);
	fuzz_btf(data, size);
	return 0;
}
