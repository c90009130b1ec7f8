/* embed.c - includes the BPF object's bytes; BPF_OBJ is its path, set by
 * the Makefile. 8-byte alignment lets the ELF reader's copies of headers
 * and instructions stay cheap. */
#include "embed.h"

#define EMBED_STR2(x) #x
#define EMBED_STR(x) EMBED_STR2(x)

__asm__(".section .rodata\n"
	".balign 8\n"
	".globl embed_obj_start\n"
	"embed_obj_start:\n"
	".incbin \"" EMBED_STR(BPF_OBJ) "\"\n"
	".globl embed_obj_end\n"
	"embed_obj_end:\n"
	".previous\n");
