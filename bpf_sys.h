/* bpf_sys.h - one thin wrapper per bpf(2) command the forwarder uses.
 * Each returns an fd or 0 on success, -errno on failure; nothing prints.
 * Knows nothing of ELF files or netlink. */
#ifndef XRM_BPF_SYS_H
#define XRM_BPF_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* The kernel's ABI passes pointers as u64, also on 32-bit machines. */
static inline uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Maps */
int bpf_map_create(uint32_t type, const char *name, uint32_t key_size,
		   uint32_t value_size, uint32_t max_entries, uint32_t flags);
/* What BPF_MAP_CREATE can be told beyond bpf_map_create's arguments. */
struct bpf_map_desc {
	uint32_t type;			/* BPF_MAP_TYPE_* */
	const char *name;		/* at most BPF_OBJ_NAME_LEN - 1 chars */
	uint32_t key_size, value_size;	/* bytes */
	uint32_t max_entries;
	uint32_t flags;			/* BPF_F_* of map create */
	int inner_fd;			/* a map of maps: one like those it holds; else -1 */
	uint32_t numa_node;		/* read with BPF_F_NUMA_NODE in flags */
	uint64_t map_extra;		/* bloom filter: hash functions; else 0 */
};
int bpf_map_create_desc(const struct bpf_map_desc *d);
int bpf_map_update(int fd, const void *key, const void *value, uint64_t flags);
int bpf_map_lookup(int fd, const void *key, void *value);
int bpf_map_delete(int fd, const void *key);
int bpf_map_freeze(int fd);

/* Type information: an fd, with which programs carry func and line info. */
int bpf_btf_load(const void *data, uint32_t size_bytes);

/* Programs: what BPF_PROG_LOAD needs to know of one. */
struct bpf_prog_desc {
	uint32_t type;			/* BPF_PROG_TYPE_* */
	uint32_t expected_attach_type;	/* BPF_XDP_DEVMAP for egress, else 0 */
	uint32_t flags;			/* BPF_F_* of program load */
	const char *name;		/* at most BPF_OBJ_NAME_LEN - 1 chars */
	const char *license;
	const struct bpf_insn *insns;
	uint32_t insn_cnt;
	int btf_fd;			/* 0 for none; then no func or line info */
	const struct bpf_func_info *func_info;
	uint32_t func_info_cnt;
	const struct bpf_line_info *line_info;
	uint32_t line_info_cnt;
};

/* Loads, with the verifier's log into log (always terminated) when one is
 * given, where -ENOSPC means it was cut. When to pay for a log is the
 * caller's policy (loader.c). */
int bpf_prog_load(const struct bpf_prog_desc *d, char *log, uint32_t log_size);
int bpf_prog_test_run(union bpf_attr *attr);

/* Objects by id and their info */
int bpf_prog_get_fd_by_id(uint32_t id);
int bpf_map_get_fd_by_id(uint32_t id);
int bpf_obj_get_info(int fd, void *info, uint32_t *info_len);

/* Per-CPU maps hold round_up(value_size, 8) bytes per possible CPU. */
int bpf_possible_cpus(void);
int bpf_cpus_parse(const char *list);
size_t bpf_percpu_value_bytes(uint32_t value_size, int ncpus);

/* Fill an attr for a command, exposed so unit tests can check pointer
 * fields on 32-bit targets without calling the kernel. */
void bpf_prog_load_attr(union bpf_attr *attr, const struct bpf_prog_desc *d);

#endif
