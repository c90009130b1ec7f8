/* sys.c - system calls without a libc function: neither musl nor glibc
 * has perf_event_open(), and capget() is in libcap's header, not libc's.
 * And ioctl(2) itself: musl's ioctl() on 32-bit targets retries a request
 * the kernel refuses with ENOTTY under its time64 number, converting the
 * struct (SIOCGSTAMP, sound and video requests: its compat_map), 1.1 KiB
 * of a MIPS binary for requests we never make; ours (ethtool, perf
 * events) carry no time. */
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

int sys_ioctl(int fd, unsigned long req, void *arg)
{
	return syscall(SYS_ioctl, fd, req, arg) < 0 ? -errno : 0;
}
