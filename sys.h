/* sys.h - the system calls we make that libc declares no function for
 * (bpf(2) has its own file, bpf_sys.c), and ioctl(2), whose musl wrapper
 * brings what we never use (sys.c). Each returns what the kernel does,
 * -errno on failure; nothing prints. */
#ifndef XRM_SYS_H
#define XRM_SYS_H

struct perf_event_attr;
struct __user_cap_header_struct;
struct __user_cap_data_struct;

/* perf_event_open(2): an fd, or -errno. */
int sys_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			unsigned long flags);

/* capget(2): 0, or -errno. */
int sys_capget(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d);

/* ioctl(2) without libc's time64 conversions (sys.c says why): 0, or
 * -errno. For requests that return 0 on success only. */
int sys_ioctl(int fd, unsigned long req, void *arg);

#endif
