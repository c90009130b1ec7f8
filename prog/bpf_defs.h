/* bpf_defs.h - what both programs under prog/ take from libbpf's
 * bpf_helpers.h, written out over the uapi headers: the section
 * attribute, the legacy map definition that elfload.c reads from the
 * "maps" section, and the helper they share, declared by number. */
#ifndef XRM_PROG_BPF_DEFS_H
#define XRM_PROG_BPF_DEFS_H

#include <linux/bpf.h>
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))

struct bpf_map_def {
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
};

static void *(*bpf_map_lookup_elem)(void *map, const void *key) =
	(void *)BPF_FUNC_map_lookup_elem;

#endif
