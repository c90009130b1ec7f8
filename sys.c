/* sys.c - system calls without a libc function: neither musl nor glibc
 * has perf_event_open(), and capget() is in libcap's header, not libc's. */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/perf_event.h>

#include "sys.h"

int sys_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			unsigned long flags)
{
	long ret = syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);

	return ret < 0 ? -errno : (int)ret;
}

int sys_capget(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d)
{
	return syscall(SYS_capget, h, d) < 0 ? -errno : 0;
}
