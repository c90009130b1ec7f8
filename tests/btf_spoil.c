/* btf_spoil.c - writes a copy of a BPF object whose BTF our reader takes
 * and the kernel refuses: the first INT claims 255 bits. tests/obj.sh
 * uses it to see the loader fall back to loading without BTF.
 *
 *   btf_spoil IN OUT */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"

/* Our own objects only: the ELF is trusted, the BTF is walked by btf.c. */
static uint8_t *spoil_btf(uint8_t *b)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh->e_shoff);
	const char *names = (const char *)b + sh[eh->e_shstrndx].sh_offset;
	char err[BTF_ERR_BYTES];
	struct btf btf;
	uint32_t i, id, enc;
	uint8_t *at = NULL;

	for (i = 1; i < eh->e_shnum && strcmp(names + sh[i].sh_name, ".BTF"); i++)
		;
	if (i == eh->e_shnum || btf_parse(&btf, b + sh[i].sh_offset, sh[i].sh_size, err))
		return NULL;
	for (id = 1; id < btf.ntypes && !at; id++)
		if (BTF_INFO_KIND(btf_type(&btf, id)->info) == BTF_KIND_INT)
			at = b + sh[i].sh_offset + btf.type_off[id] + sizeof(struct btf_type);
	btf_free(&btf);
	if (!at)
		return NULL;
	/* The INT's encoding word: nr_bits is its low byte. */
	memcpy(&enc, at, sizeof(enc));
	enc |= 0xff;
	memcpy(at, &enc, sizeof(enc));
	return b;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 24];
	FILE *in, *out;
	size_t len;

	if (argc != 3 || !(in = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: btf_spoil IN OUT\n");
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	if (!spoil_btf(buf) || !(out = fopen(argv[2], "wb")) ||
	    fwrite(buf, 1, len, out) != len || fclose(out)) {
		fprintf(stderr, "btf_spoil: %s: no BTF INT to spoil, or cannot write %s\n",
			argv[1], argv[2]);
		return 1;
	}
	return 0;
}
