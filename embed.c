/* embed.c - includes the BPF objects' bytes; BPF_OBJ and BPF_TP_OBJ are
 * their paths, set by the Makefile. 8-byte alignment lets the ELF
 * reader's copies of headers and instructions stay cheap. */
#include "embed.h"

#define EMBED_STR2(x) #x
#define EMBED_STR(x) EMBED_STR2(x)
/* The assembler's lines that put the file at path between NAME_start
 * and NAME_end. */
#define EMBED_FILE(name, path) \
	".balign 8\n" \
	".globl " name "_start\n" \
	name "_start:\n" \
	".incbin \"" EMBED_STR(path) "\"\n" \
	".globl " name "_end\n" \
	name "_end:\n"

__asm__(".section .rodata\n"
	EMBED_FILE("embed_obj", BPF_OBJ)
	EMBED_FILE("embed_tp_obj", BPF_TP_OBJ)
	".previous\n");
