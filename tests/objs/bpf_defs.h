/* bpf_defs.h - what test objects need from libbpf's headers, written out
 * so that no libbpf is needed to build them: our programs' own (SEC, the
 * legacy map definition of the "maps" section, bpf_map_lookup_elem), and
 * more. The map macros produce the BTF shapes the loader reads:
 * __uint(name, N) is a pointer to an array of N ints (the number is the
 * array's length), __type(name, T) a pointer to T (the size is T's). */
#ifndef XRM_TEST_BPF_DEFS_H
#define XRM_TEST_BPF_DEFS_H

#include "../../prog/bpf_defs.h"

#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __noinline __attribute__((noinline))

static long (*bpf_redirect_map)(void *map, __u32 key, __u64 flags) =
	(void *)BPF_FUNC_redirect_map;

#endif
