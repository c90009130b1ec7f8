/* fuzz_elf.c - libFuzzer over everything that reads a BPF object file:
 * elf_load (ELF checks, .BTF parse and fix-ups, .BTF.ext, maps, symbols,
 * relocations), then every program linked with fake map fds. All of it
 * is pure, so any input runs without privileges or bpf(2). */
#include <stddef.h>
#include <stdint.h>

#include "elfload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_obj obj;
	static int fds[ELF_MAX_MAPS];
	struct elf_linked k;
	uint32_t i;

	for (i = 0; i < ELF_MAX_MAPS; i++)
		fds[i] = 1000 + (int)i;
	if (elf_load(data, size, &obj) == 0) {
		for (i = 0; i < obj.nprogs; i++)
			if (elf_prog_patch(&obj, i, fds, &k) == 0)
				elf_linked_free(&k);
	}
	elf_free(&obj);
	return 0;
}
