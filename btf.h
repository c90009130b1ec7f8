/* btf.h - the object's type information (.BTF) and its per-instruction
 * annotations (.BTF.ext), read without trusting a field. Pure: no
 * syscall, no printing, nothing of ELF; elfload.c joins it with the
 * sections and symbols the fix-ups need. Failures are -errno with err
 * (BTF_ERR_BYTES long) saying which field. */
#ifndef XRM_BTF_H
#define XRM_BTF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>
#include <linux/bpf.h>

#define BTF_ERR_BYTES 160
/* Blocks of func_info or line_info: one per code section of an object,
 * and a bound on what a lookup scans. */
#define BTF_EXT_MAX_BLOCKS 1024

/* .BTF, copied so that the fix-ups can be written into it. */
struct btf {
	uint8_t *data;			/* header, types, strings: what BPF_BTF_LOAD gets */
	uint32_t size_bytes;
	uint32_t *type_off;		/* offset in data of each type id; [0] unused */
	uint32_t ntypes;		/* ids run from 1 to ntypes - 1 */
	uint32_t str_off, str_len;	/* string table in data, bytes */
};

/* .BTF.ext: the func_info and line_info records, left in the file. */
struct btf_ext_info {
	const uint8_t *recs;		/* blocks of (sec_name_off, num_info, records) */
	uint32_t len_bytes;
	uint32_t rec_bytes;		/* one record, as the compiler wrote it */
	uint32_t nrecs;			/* over all blocks */
};

struct btf_ext {
	struct btf_ext_info func, line;
	struct btf_ext_info core;	/* struct bpf_core_relo, unchecked: see btf_core_field */
};

/* What a CO-RE relocation asks for: the byte offset of member in struct
 * (or union) type_name, as the running kernel lays it out. off_bytes is
 * the object's own offset, which the instruction holds until then. */
struct btf_core_field {
	const char *type_name;
	const char *member;
	uint32_t off_bytes;
	uint32_t size_bytes;		/* of the member: what the program reads */
};

/* The maps a map of maps holds: one is made as the kernel's template. */
struct btf_map_inner {
	uint32_t type, key_size, value_size, max_entries, flags;	/* sizes in bytes */
};

/* What a BTF-defined map in .maps asks for. */
struct btf_map_def {
	uint32_t type, key_size, value_size, max_entries, flags;	/* sizes in bytes */
	uint32_t pinning;		/* LIBBPF_PIN_*: we ignore it, and say so */
	uint32_t numa_node;		/* read with BPF_F_NUMA_NODE in flags */
	uint64_t map_extra;		/* bloom filter: hash functions */
	struct btf_map_inner inner;	/* __array(values, struct {...}) */
	uint8_t has_inner;
	uint8_t has_values;		/* __array(values, ...) of maps or programs */
	uint32_t values_off;		/* its offset in the definition, bytes */
};

/* Reading */
int btf_parse(struct btf *b, const void *sec, size_t len_bytes, char *err);
void btf_free(struct btf *b);
int btf_ext_parse(struct btf_ext *x, const struct btf *b, const void *sec, size_t len_bytes,
		  char *err);

/* Types by id: NULL when out of range. Names: NULL when the offset is. */
struct btf_type *btf_type(const struct btf *b, uint32_t id);
const char *btf_name(const struct btf *b, uint32_t name_off);
int btf_find(const struct btf *b, uint32_t kind, const char *name);

/* A CO-RE relocation's field: only BPF_CORE_FIELD_BYTE_OFFSET of a
 * named member one level down ("0:N") of a named struct or union, whole
 * bytes, of a type with a size. -EOPNOTSUPP for another kind, -EINVAL for anything malformed.
 * insn_off is the linker's (btf_ext_copy): btf_ext_parse made sure each
 * was on an instruction. */
int btf_core_field(const struct btf *b, const struct bpf_core_relo *r, struct btf_core_field *f,
		   char *err);

/* The fix-ups the kernel requires: a DATASEC's size and its variables'
 * offsets come from the ELF file, and the variables sorted by offset. */
struct btf_var_secinfo *btf_datasec_vars(const struct btf *b, uint32_t id, uint32_t *n);
void btf_datasec_sort(struct btf *b, uint32_t id);

/* A global function of hidden visibility is static to the verifier, as
 * libbpf makes it: checked in the context of its caller, not on its own. */
void btf_func_make_static(struct btf *b, const char *name);

/* The map that the variable name in DATASEC ".maps" defines. */
int btf_map_def(const struct btf *b, const char *name, struct btf_map_def *def,
		char *err);

/* The func_info or line_info records (info) for [lo_bytes, hi_bytes) of
 * section sec_name, appended at out[*n] as out_rec_bytes each (room for
 * cap), with insn_off counted in instructions from base_insn. */
void btf_ext_copy(const struct btf_ext_info *info, const struct btf *b, const char *sec_name,
		  uint32_t lo_bytes, uint32_t hi_bytes, uint32_t base_insn,
		  void *out, uint32_t out_rec_bytes, uint32_t *n, uint32_t cap);

#endif
