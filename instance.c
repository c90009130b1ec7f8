/* instance.c - per-port lock files under /run that double as the record
 * of what the holder attached. */
/* AT_EMPTY_PATH */
#define _GNU_SOURCE
/* struct statx, before libc's headers: their mode macros (S_IRUSR...)
 * then replace the uapi header's equal ones without a warning. */
#include <linux/stat.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "instance.h"

int instance_format(const struct port_record *r, char *buf, size_t size)
{
	/* peer_xdp came later, last and only when set: a record without it
	 * reads as before. */
	int n = snprintf(buf, size, r->peer_xdp ? "pid %u prog_id %u peer_gro %u peer %s peer_xdp %u\n" :
			 "pid %u prog_id %u peer_gro %u peer %s\n", r->pid, r->prog_id, r->peer_gro,
			 r->peer_name[0] ? r->peer_name : "-", r->peer_xdp);

	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

/* One "key value" pair of the record: the value after key, then end (a
 * space, or the newline after the last). */
static int instance_field(const char **s, const char *key, uint32_t *v, char end_char)
{
	size_t n = strlen(key);
	unsigned long x;
	char *end;

	/* strtoul takes a sign and wraps "-7" around: digits only. */
	if (strncmp(*s, key, n) != 0 || (*s)[n] != ' ' || !isdigit((unsigned char)(*s)[n + 1]))
		return -EINVAL;
	errno = 0;
	x = strtoul(*s + n + 1, &end, 10);
	if (end == *s + n + 1 || errno || x > UINT32_MAX || *end != end_char)
		return -EINVAL;
	*v = (uint32_t)x;
	*s = end + 1;
	return 0;
}

static int instance_fields(const char *s, struct port_record *r)
{
	size_t n;

	if (instance_field(&s, "pid", &r->pid, ' ') ||
	    instance_field(&s, "prog_id", &r->prog_id, ' ') ||
	    instance_field(&s, "peer_gro", &r->peer_gro, ' ') || strncmp(s, "peer ", 5) != 0)
		return -EINVAL;
	s += 5;
	/* A loop, not strcspn, which brings musl's strchrnul (0.6 KiB on MIPS). */
	for (n = 0; s[n] && s[n] != ' ' && s[n] != '\n'; n++)
		;
	if (n == 0 || n >= sizeof(r->peer_name))
		return -EINVAL;
	if (strncmp(s, "-", n) != 0)
		memcpy(r->peer_name, s, n);
	s += n;
	if (*s++ != ' ')
		return s[-1] == '\n' || s[-1] == '\0' ? 0 : -EINVAL;
	return instance_field(&s, "peer_xdp", &r->peer_xdp, '\n') || *s ? -EINVAL : 0;
}

/* A damaged record reads as nothing: no id that could match a program. */
int instance_parse(const char *buf, struct port_record *r)
{
	memset(r, 0, sizeof(*r));
	if (instance_fields(buf, r) == 0)
		return 0;
	memset(r, 0, sizeof(*r));
	return -EINVAL;
}

static int instance_read(int fd, struct port_record *r)
{
	char buf[128];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -ENOENT;
	buf[n] = '\0';
	return instance_parse(buf, r);
}

/* What identifies a file (stx_ino, stx_dev_*), from statx through
 * syscall: musl 1.2.3 has no statx(), and its stat() and fstat() go
 * through fstatat, which converts time64 on 32-bit targets (1.8 KiB on
 * MIPS) for fields we do not read. statx is in Linux 4.11. */
static int instance_statx(int dir_fd, const char *path, int flags, struct statx *sx)
{
	return syscall(SYS_statx, dir_fd, path, flags, STATX_INO, sx) < 0 ? -errno : 0;
}

/* The file name: the port and our network namespace, since the same
 * name can exist in several namespaces and /run is shared by all. */
static int instance_path(char *path, size_t size, const char *ifname)
{
	struct statx sx;
	int n, err = instance_statx(AT_FDCWD, "/proc/self/ns/net", 0, &sx);

	if (err)
		return err;
	n = snprintf(path, size, INSTANCE_DIR "/%s@%llu", ifname,
		     (unsigned long long)sx.stx_ino);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Whether the locked file is still the one at the path: the holder
 * before us may have removed it between our open and our flock. */
static int instance_still_linked(const struct instance_lock *l)
{
	struct statx a, b;

	return instance_statx(l->fd, "", AT_EMPTY_PATH, &a) == 0 &&
	       instance_statx(AT_FDCWD, l->path, 0, &b) == 0 && a.stx_ino == b.stx_ino &&
	       a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor;
}

static int instance_relock(struct instance_lock *l, const char *ifname,
			   struct port_record *stale, uint32_t *holder)
{
	close(l->fd);
	return instance_lock(l, ifname, stale, holder);
}

int instance_lock(struct instance_lock *l, const char *ifname,
		  struct port_record *stale, uint32_t *holder)
{
	struct port_record r;
	int err;

	memset(stale, 0, sizeof(*stale));
	*holder = 0;
	l->fd = -1;
	err = instance_path(l->path, sizeof(l->path), ifname);
	if (err)
		return err;
	if (mkdir(INSTANCE_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (l->fd < 0)
		return -errno;
	if (flock(l->fd, LOCK_EX | LOCK_NB) == 0) {
		if (!instance_still_linked(l))
			return instance_relock(l, ifname, stale, holder);
		instance_read(l->fd, stale);
		return 0;
	}
	err = errno == EWOULDBLOCK ? -EBUSY : -errno;
	if (instance_read(l->fd, &r) == 0)
		*holder = r.pid;
	close(l->fd);
	l->fd = -1;
	return err;
}

int instance_record(struct instance_lock *l, const struct port_record *r)
{
	char buf[128];
	int n = instance_format(r, buf, sizeof(buf));

	if (l->fd < 0)
		return 0;
	if (n < 0)
		return n;
	if (ftruncate(l->fd, 0) < 0 || pwrite(l->fd, buf, (size_t)n, 0) != n)
		return -errno;
	return 0;
}

/* The file goes first, then the lock: a waiting instance that takes the
 * lock of a removed file would hold a lock nobody else sees. */
void instance_unlock(struct instance_lock *l)
{
	if (l->fd < 0)
		return;
	unlink(l->path);
	close(l->fd);
	l->fd = -1;
}

/* A reader such as start-stop-daemon never sees a half-written file. */
int instance_pidfile_write(const char *path)
{
	char tmp[PATH_MAX], buf[16];
	int fd, n, err = 0;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* A later instance may have written its own pid there meanwhile. */
void instance_pidfile_remove(const char *path)
{
	char buf[16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (strtoul(buf, NULL, 10) == (unsigned long)getpid())
		unlink(path);
}
