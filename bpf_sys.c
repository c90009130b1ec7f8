/* bpf_sys.c - bpf(2) without libbpf.
 *
 * Each wrapper zeroes the attr only up to the last field it sets
 * (offsetofend): a kernel older than our headers refuses non-zero bytes
 * past the fields it knows with E2BIG, and a shorter size is what it
 * expects from a program built before those fields existed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bpf_sys.h"
#include "decimal.h"

#define offsetofend(type, field) \
	(offsetof(type, field) + sizeof(((type *)0)->field))

/* Attempts at a load that fails with EAGAIN: the verifier gives up on a
 * pending signal, and libbpf retries five times as well. */
#define BPF_LOAD_TRIES 5

static int sys_bpf(int cmd, union bpf_attr *attr, size_t size)
{
	long ret = syscall(SYS_bpf, cmd, attr, size);

	return ret < 0 ? -errno : (int)ret;
}

/* map_extra lies past map_name: the attr reaches it only when it is
 * set, so that kernels before 5.16 see the size they know. */
int bpf_map_create_desc(const struct bpf_map_desc *d)
{
	const size_t size = d->map_extra ? offsetofend(union bpf_attr, map_extra) :
				offsetofend(union bpf_attr, map_name);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_type = d->type;
	attr.key_size = d->key_size;
	attr.value_size = d->value_size;
	attr.max_entries = d->max_entries;
	attr.map_flags = d->flags;
	attr.inner_map_fd = d->inner_fd < 0 ? 0 : (uint32_t)d->inner_fd;
	attr.numa_node = d->numa_node;
	snprintf(attr.map_name, sizeof(attr.map_name), "%s", d->name);
	if (d->map_extra)
		attr.map_extra = d->map_extra;
	return sys_bpf(BPF_MAP_CREATE, &attr, size);
}

int bpf_map_create(uint32_t type, const char *name, uint32_t key_size,
		   uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	struct bpf_map_desc d = {
		.type = type, .name = name, .key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .flags = flags, .inner_fd = -1,
	};

	return bpf_map_create_desc(&d);
}

static int bpf_map_elem(int cmd, int fd, const void *key, void *value,
			uint64_t flags)
{
	const size_t size = offsetofend(union bpf_attr, flags);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_fd = (uint32_t)fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	return sys_bpf(cmd, &attr, size);
}

int bpf_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return bpf_map_elem(BPF_MAP_UPDATE_ELEM, fd, key, (void *)value, flags);
}

int bpf_map_lookup(int fd, const void *key, void *value)
{
	return bpf_map_elem(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpf_map_delete(int fd, const void *key)
{
	return bpf_map_elem(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpf_map_freeze(int fd)
{
	const size_t size = offsetofend(union bpf_attr, map_fd);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.map_fd = (uint32_t)fd;
	return sys_bpf(BPF_MAP_FREEZE, &attr, size);
}

int bpf_btf_load(const void *data, uint32_t size_bytes)
{
	const size_t size = offsetofend(union bpf_attr, btf_log_level);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.btf = ptr_to_u64(data);
	attr.btf_size = size_bytes;
	return sys_bpf(BPF_BTF_LOAD, &attr, size);
}

/* Without BTF the attr ends where kernels before 5.0 end it. */
static size_t bpf_prog_load_size(const struct bpf_prog_desc *d)
{
	return d->btf_fd > 0 ? offsetofend(union bpf_attr, line_info_cnt) :
	       offsetofend(union bpf_attr, expected_attach_type);
}

void bpf_prog_load_attr(union bpf_attr *attr, const struct bpf_prog_desc *d)
{
	memset(attr, 0, bpf_prog_load_size(d));
	attr->prog_type = d->type;
	attr->expected_attach_type = d->expected_attach_type;
	attr->prog_flags = d->flags;
	attr->insns = ptr_to_u64(d->insns);
	attr->insn_cnt = d->insn_cnt;
	attr->license = ptr_to_u64(d->license);
	snprintf(attr->prog_name, sizeof(attr->prog_name), "%s", d->name);
	if (d->btf_fd <= 0)
		return;
	attr->prog_btf_fd = (uint32_t)d->btf_fd;
	attr->func_info_rec_size = sizeof(*d->func_info);
	attr->func_info = ptr_to_u64(d->func_info);
	attr->func_info_cnt = d->func_info_cnt;
	attr->line_info_rec_size = sizeof(*d->line_info);
	attr->line_info = ptr_to_u64(d->line_info);
	attr->line_info_cnt = d->line_info_cnt;
}

static int bpf_prog_load_try(union bpf_attr *attr, size_t size)
{
	int fd, i;

	for (i = 0; i < BPF_LOAD_TRIES; i++) {
		fd = sys_bpf(BPF_PROG_LOAD, attr, size);
		if (fd != -EAGAIN)
			break;
	}
	return fd;
}

int bpf_prog_load(const struct bpf_prog_desc *d, char *log, uint32_t log_size)
{
	const int logged = log && log_size >= 2;
	union bpf_attr attr;
	int fd;

	bpf_prog_load_attr(&attr, d);
	if (logged) {
		log[0] = '\0';
		attr.log_level = 1;
		attr.log_buf = ptr_to_u64(log);
		attr.log_size = log_size;
	}
	fd = bpf_prog_load_try(&attr, bpf_prog_load_size(d));
	if (logged)
		log[log_size - 1] = '\0';
	return fd;
}

int bpf_prog_test_run(union bpf_attr *attr)
{
	return sys_bpf(BPF_PROG_TEST_RUN, attr, sizeof(*attr));
}

static int bpf_get_fd_by_id(int cmd, uint32_t id)
{
	const size_t size = offsetofend(union bpf_attr, open_flags);
	union bpf_attr attr;

	memset(&attr, 0, size);
	attr.prog_id = id;
	return sys_bpf(cmd, &attr, size);
}

int bpf_prog_get_fd_by_id(uint32_t id)
{
	return bpf_get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id);
}

int bpf_map_get_fd_by_id(uint32_t id)
{
	return bpf_get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id);
}

int bpf_obj_get_info(int fd, void *info, uint32_t *info_len)
{
	const size_t size = offsetofend(union bpf_attr, info);
	union bpf_attr attr;
	int err;

	memset(&attr, 0, size);
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = *info_len;
	attr.info.info = ptr_to_u64(info);
	err = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, size);
	if (!err)
		*info_len = attr.info.info_len;
	return err;
}

/* Counts the CPUs in a list such as "0-3,5\n"; -EINVAL if malformed. */
int bpf_cpus_parse(const char *list)
{
	uint32_t lo, hi;
	const char *end;
	int n = 0;

	while (*list && *list != '\n') {
		if (decimal_u32(list, &end, UINT32_MAX, &lo))
			return -EINVAL;
		hi = lo;
		if (*end == '-' && decimal_u32(end + 1, &end, UINT32_MAX, &hi))
			return -EINVAL;
		if (hi < lo || hi - lo >= 65536 || n > 65536)
			return -EINVAL;
		n += (int)(hi - lo + 1);
		if (*end != ',' && *end != '\n' && *end != '\0')
			return -EINVAL;
		list = *end == ',' ? end + 1 : end;
	}
	return n > 0 ? n : -EINVAL;
}

int bpf_possible_cpus(void)
{
	char buf[256];
	ssize_t n;
	int err, fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	/* errno before close(), which may set it. */
	err = n < 0 ? -errno : n == 0 ? -EINVAL : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	return bpf_cpus_parse(buf);
}

size_t bpf_percpu_value_bytes(uint32_t value_size, int ncpus)
{
	return (((size_t)value_size + 7) & ~(size_t)7) * (size_t)ncpus;
}
