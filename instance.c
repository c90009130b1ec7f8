/* instance.c - per-port lock files under /run that double as the record
 * of what the holder changed, and the --pidfile.
 *
 * Files created as root must not be turned against anyone: the lock
 * directory is root's and no one else's (0700, refused if another user
 * owns it or may write to it), lock files are 0600 and opened without
 * following links, the pid file is written into a new file of a random
 * name, created exclusively in the target's directory, and renamed over
 * the target. */
/* strchrnul */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "decimal.h"
#include "instance.h"

/* How long an instance that has just taken a lock may take to write its
 * pid: INSTANCE_TRIES looks, INSTANCE_WAIT_MS apart. */
#define INSTANCE_TRIES 10
#define INSTANCE_WAIT_MS 20
/* The kernel's errnos end at MAX_ERRNO (linux/err.h, not in the uapi). */
#define INSTANCE_ERRNO_MAX 4095

static int instance_add(char *buf, size_t size, int n, const char *fmt, const char *s,
			uint32_t v)
{
	int m;

	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	m = s ? snprintf(buf + n, size - (size_t)n, fmt, s) :
		snprintf(buf + n, size - (size_t)n, fmt, v);
	return m < 0 || (size_t)m >= size - (size_t)n ? -ENOSPC : n + m;
}

/* A line of a key, a name and a number: fmt is "KEY %s ". */
static int instance_add_named(char *buf, size_t size, int n, const char *fmt, const char *name,
			      uint32_t v)
{
	n = instance_add(buf, size, n, fmt, name, 0);
	return instance_add(buf, size, n, "%u\n", NULL, v);
}

int instance_format(const struct port_record *r, char *buf, size_t size)
{
	int i, n = instance_add(buf, size, 0, "pid %u\n", NULL, r->pid);

	for (i = 0; i < INSTANCE_PROGS; i++)
		if (r->prog_ids[i])
			n = instance_add(buf, size, n, "prog %u\n", NULL, r->prog_ids[i]);
	if (r->peer_gro)
		n = instance_add(buf, size, n, "peer_gro %s\n", r->peer_name, 0);
	if (r->peer_xdp)
		n = instance_add_named(buf, size, n, "peer_xdp %s ", r->peer_name, r->peer_xdp);
	if (r->guard_out[0])
		n = instance_add_named(buf, size, n, "guard %s ", r->guard_out, r->guard_errno);
	return instance_add(buf, size, n, "%s", "end\n", 0);
}

/* A number that ends its line. */
static int instance_number(const char *s, uint32_t *v)
{
	const char *end;

	return decimal_u32(s, &end, UINT32_MAX, v) || *end != '\n' ? -EINVAL : 0;
}

/* A peer's name: 1 to 15 bytes, no blank, then end (' ' or '\n'). */
static int instance_name(const char *s, char end, char *name, size_t size)
{
	size_t n = (size_t)(strchrnul(s, end) - s);

	if (n == 0 || n >= size || s[n] != end || memchr(s, end == ' ' ? '\n' : ' ', n))
		return -EINVAL;
	memcpy(name, s, n);
	return 0;
}

/* "NAME NUMBER\n": a name as above, and a number that is not 0. */
static int instance_named(const char *s, char *name, size_t size, uint32_t *v)
{
	if (instance_name(s, ' ', name, size) || instance_number(s + strlen(name) + 1, v) || !*v)
		return -EINVAL;
	return 0;
}

/* One line, s after its key; 1 for "end". */
static int instance_line(const char *s, struct port_record *r)
{
	uint32_t id;

	if (strncmp(s, "prog ", 5) == 0) {
		if (instance_number(s + 5, &id) || !id)
			return -EINVAL;
		return instance_add_prog(r, id);
	}
	if (strncmp(s, "peer_gro ", 9) == 0 && !r->peer_gro && !r->peer_xdp) {
		r->peer_gro = 1;
		return instance_name(s + 9, '\n', r->peer_name, sizeof(r->peer_name));
	}
	/* "peer_xdp NAME ID": the XDP_PASS program we gave the peer. */
	if (strncmp(s, "peer_xdp ", 9) == 0 && !r->peer_gro && !r->peer_xdp)
		return instance_named(s + 9, r->peer_name, sizeof(r->peer_name), &r->peer_xdp);
	/* "guard OUT ERRNO": the guard's empty slot; ERRNO 0 when the guard
	 * ran blind (no tracepoints) and saw only that OUT sent nothing. */
	if (strncmp(s, "guard ", 6) == 0 && !r->guard_out[0]) {
		if (instance_name(s + 6, ' ', r->guard_out, sizeof(r->guard_out)) ||
		    instance_number(s + 7 + strlen(r->guard_out), &r->guard_errno))
			return -EINVAL;
		return r->guard_errno > INSTANCE_ERRNO_MAX ? -EINVAL : 0;
	}
	return strncmp(s, "end\n", 4) == 0 ? 1 : -EINVAL;
}

static int instance_lines(const char *s, struct port_record *r)
{
	int ret;

	if (strncmp(s, "pid ", 4) != 0 || instance_number(s + 4, &r->pid))
		return -EINVAL;
	for (;;) {
		/* Each line was checked to end in '\n'. */
		s = strchr(s, '\n') + 1;
		ret = instance_line(s, r);
		if (ret)
			return ret < 0 ? ret : 0;
	}
}

/* A damaged record reads as nothing: no id that could match a program.
 * What follows "end" is ignored: a shorter record is written over a
 * longer one before the file is cut. */
int instance_parse(const char *buf, struct port_record *r)
{
	memset(r, 0, sizeof(*r));
	if (instance_lines(buf, r) == 0)
		return 0;
	memset(r, 0, sizeof(*r));
	return -EINVAL;
}

int instance_has_prog(const struct port_record *r, uint32_t id)
{
	int i;

	for (i = 0; id && i < INSTANCE_PROGS; i++)
		if (r->prog_ids[i] == id)
			return 1;
	return 0;
}

int instance_add_prog(struct port_record *r, uint32_t id)
{
	int i;

	if (instance_has_prog(r, id))
		return 0;
	for (i = 0; i < INSTANCE_PROGS; i++) {
		if (!r->prog_ids[i]) {
			r->prog_ids[i] = id;
			return 0;
		}
	}
	return -ENOSPC;
}

void instance_del_prog(struct port_record *r, uint32_t id)
{
	int i;

	for (i = 0; id && i < INSTANCE_PROGS; i++)
		if (r->prog_ids[i] == id)
			r->prog_ids[i] = 0;
}

/* The pid of a record that reads as nothing still tells whether its
 * writer lives: an older version wrote "pid N prog_id ..." on one line. */
static void instance_read(int fd, struct port_record *r)
{
	char buf[160];
	const char *end;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	if (instance_parse(buf, r) && strncmp(buf, "pid ", 4) == 0)
		decimal_u32(buf + 4, &end, UINT32_MAX, &r->pid);
}

/* Root's alone (fd our euid's, of type, no one else may write to it):
 * what --status trusts without having made it. */
static int instance_owned(int fd, mode_t type)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if ((st.st_mode & S_IFMT) != type || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

/* The same file: what a later look at a path is compared with. */
static int instance_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

/* The file name: the port and our network namespace, since the same
 * name can exist in several namespaces and /run is shared by all. */
static int instance_path(char *path, size_t size, const char *ifname)
{
	struct stat st;
	int n;

	if (stat("/proc/self/ns/net", &st) < 0)
		return -errno;
	n = snprintf(path, size, INSTANCE_DIR "/%s@%llu", ifname,
		     (unsigned long long)st.st_ino);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The directory, root's alone: another user who could write to it could
 * plant links or lock files there. An older version made it 0755. */
static int instance_dir(const char **why)
{
	struct stat st;
	int fd, err = 0;

	*why = "cannot create it";
	if (mkdir(INSTANCE_DIR, 0700) < 0 && errno != EEXIST)
		return -errno;
	*why = "cannot open it (not a directory, or a symlink)";
	fd = open(INSTANCE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*why = "cannot read its owner";
	if (fstat(fd, &st) < 0)
		err = -errno;
	if (!err && st.st_uid != geteuid()) {
		*why = "owned by another user than ours";
		err = -EPERM;
	} else if (!err && (st.st_mode & (S_IWGRP | S_IWOTH))) {
		*why = "writable by other users";
		err = -EPERM;
	} else if (!err && (st.st_mode & 0777) != 0700 && fchmod(fd, 0700) < 0) {
		*why = "cannot make it 0700";
		err = -errno;
	}
	close(fd);
	return err;
}

/* Whether pid is a live process (EPERM: alive, someone else's). */
static int instance_alive(uint32_t pid)
{
	return pid && pid <= INT32_MAX && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* Read-only: no directory is made, no mode changed, no lock taken (a
 * shared lock, however short, would turn a starting instance away). The
 * file is opened by its name in the directory checked, so neither can be
 * a planted link; O_NONBLOCK in case a FIFO sits there. */
int instance_peek(const char *ifname, struct port_record *r)
{
	char path[96];
	int dir_fd = -1, fd = -1, err = instance_path(path, sizeof(path), ifname);

	memset(r, 0, sizeof(*r));
	if (!err) {
		dir_fd = open(INSTANCE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = dir_fd < 0 ? -errno : instance_owned(dir_fd, S_IFDIR);
	}
	if (!err) {
		fd = openat(dir_fd, path + sizeof(INSTANCE_DIR),
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		err = fd < 0 ? -errno : instance_owned(fd, S_IFREG);
	}
	if (!err) {
		instance_read(fd, r);
		err = instance_alive(r->pid) ? 0 : -ESRCH;
	}
	if (fd >= 0)
		close(fd);
	if (dir_fd >= 0)
		close(dir_fd);
	return err;
}

/* One attempt: 0 with the lock, -EBUSY when it is held (*rec then has
 * the holder's record), -EAGAIN when the file went away under us; sx
 * gets the file as opened. */
static int instance_try(struct instance_lock *l, struct port_record *rec, struct stat *sx)
{
	struct stat now;
	int err = 0;

	l->fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (l->fd < 0)
		return -errno;
	if (fstat(l->fd, sx) < 0)
		err = -errno;
	if (!err && (!S_ISREG(sx->st_mode) || sx->st_uid != geteuid()))
		err = -EPERM;
	if (!err && flock(l->fd, LOCK_EX | LOCK_NB) < 0)
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
	/* The holder before us may have removed the file between our open
	 * and our flock. */
	if (!err && (lstat(l->path, &now) < 0 || !instance_same_file(sx, &now)))
		err = -EAGAIN;
	if (!err || err == -EBUSY)
		instance_read(l->fd, rec);
	/* Made by an older version, 0644: whoever opened it then can still
	 * flock it; from now on no one but us can open it. */
	if (!err && (sx->st_mode & 0777) != 0600 && fchmod(l->fd, 0600) < 0)
		err = -errno;
	if (err) {
		close(l->fd);
		l->fd = -1;
	}
	return err;
}

/* The file whose lock no instance holds goes, if it is still the one we
 * looked at: its lock then guards a file nobody names. (Two instances
 * doing this at the same moment could each remove the other's new file;
 * the lock's holder would have to be a stranger as well.) */
static void instance_drop_file(const struct instance_lock *l, const struct stat *seen)
{
	struct stat now;

	if (lstat(l->path, &now) == 0 &&
	    instance_same_file(seen, &now))
		unlink(l->path);
}

/* poll as the sleep: the event loop has it already, where nanosleep
 * would bring musl's time64 wrapper (0.4 KiB on 32-bit targets). */
static void instance_nap(void)
{
	poll(NULL, 0, INSTANCE_WAIT_MS);
}

int instance_lock(struct instance_lock *l, const char *ifname,
		  struct port_record *stale, uint32_t *holder)
{
	struct stat sx;
	int i, err;

	memset(stale, 0, sizeof(*stale));
	*holder = 0;
	l->fd = -1;
	l->why = "cannot name the lock file";
	err = instance_path(l->path, sizeof(l->path), ifname);
	if (!err)
		err = instance_dir(&l->why);
	for (i = 0; !err && i < INSTANCE_TRIES; i++) {
		l->why = "cannot open or lock the file";
		err = instance_try(l, stale, &sx);
		if (err != -EBUSY && err != -EAGAIN)
			break;
		*holder = stale->pid;
		if (err == -EBUSY && instance_alive(stale->pid))
			break;
		/* Someone holds it who has recorded no live pid: an instance
		 * that has just taken it, or a stranger. */
		if (err == -EBUSY && i >= INSTANCE_TRIES / 2)
			instance_drop_file(l, &sx);
		else if (err == -EBUSY)
			instance_nap();
		err = 0;
	}
	if (err || l->fd >= 0)
		return err;
	*holder = 0;
	return -EBUSY;
}

/* Written over the old record, then cut: a kill in between leaves the
 * new record with the old one's tail after its "end". */
int instance_record(struct instance_lock *l, const struct port_record *r)
{
	char buf[160];
	int n = instance_format(r, buf, sizeof(buf));

	if (l->fd < 0)
		return 0;
	if (n < 0)
		return n;
	if (pwrite(l->fd, buf, (size_t)n, 0) != n)
		return -EIO;
	return ftruncate(l->fd, n) < 0 ? -errno : 0;
}

/* The file goes first, then the lock: a waiting instance that takes the
 * lock of a removed file finds out (instance_try) and tries again. */
void instance_unlock(struct instance_lock *l, const struct port_record *left)
{
	if (l->fd < 0)
		return;
	if (left->prog_ids[0] || left->prog_ids[1] || left->peer_gro || left->peer_xdp)
		instance_record(l, left);
	else
		unlink(l->path);
	close(l->fd);
	l->fd = -1;
}

/* path as a directory to open and a name in it. */
static int instance_split(const char *path, char *dir, size_t size, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	*base = slash ? slash + 1 : path;
	if (!**base || n >= size)
		return -EINVAL;
	memcpy(dir, slash ? path : ".", slash ? n : 1);
	dir[slash ? n : 1] = '\0';
	if (slash == path)
		memcpy(dir, "/", 2);
	return 0;
}

/* A new file beside base, ".BASE.RANDOM", created exclusively and
 * without following a link: nothing anyone planted is opened. */
static int instance_pid_tmp(int dir_fd, const char *base, char *tmp, size_t size)
{
	uint32_t rnd = (uint32_t)getpid();
	int i, fd = -EEXIST;

	for (i = 0; i < 8 && fd == -EEXIST; i++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			rnd = rnd * 2654435761u + 1;
		if (snprintf(tmp, size, ".%s.%08x", base, rnd) >= (int)size)
			return -ENAMETOOLONG;
		fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			fd = -errno;
	}
	return fd;
}

/* Our pid, readable by all whatever the umask; sx: the file. */
static int instance_pid_fill(int fd, struct stat *sx)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (write(fd, buf, (size_t)n) != n)
		return -EIO;
	if (fchmod(fd, 0644) < 0)
		return -errno;
	return fstat(fd, sx) < 0 ? -errno : 0;
}

/* A reader such as start-stop-daemon never sees a half-written file. */
static int instance_pid_put(struct instance_pidfile *pf, int dir_fd, const char *base)
{
	char tmp[NAME_MAX + 1];
	struct stat sx;
	int fd, err = fstatat(dir_fd, base, &sx, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;

	if (!err && !S_ISREG(sx.st_mode)) {
		pf->why = "not a regular file: refused, left as it is";
		return -EEXIST;
	}
	if (err && err != -ENOENT)
		return err;
	fd = instance_pid_tmp(dir_fd, base, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	err = instance_pid_fill(fd, &sx);
	if (!err && renameat(dir_fd, tmp, dir_fd, base) < 0)
		err = -errno;
	if (err)
		unlinkat(dir_fd, tmp, 0);
	close(fd);
	if (!err) {
		pf->ino = sx.st_ino;
		pf->dev = sx.st_dev;
	}
	return err;
}

int instance_pidfile_write(struct instance_pidfile *pf, const char *path)
{
	char dir[PATH_MAX];
	const char *base;
	int dir_fd, err;

	memset(pf, 0, sizeof(*pf));
	pf->path = path;
	err = instance_split(path, dir, sizeof(dir), &base);
	if (err)
		return err;
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return -errno;
	err = instance_pid_put(pf, dir_fd, base);
	close(dir_fd);
	return err;
}

/* Whether fd is the file we wrote, still holding our pid. */
static int instance_pid_ours(const struct instance_pidfile *pf, int fd)
{
	char buf[16], want[16];
	struct stat sx;
	ssize_t n;

	if (fstat(fd, &sx) < 0 || sx.st_ino != pf->ino || sx.st_dev != pf->dev)
		return 0;
	n = read(fd, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	return n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

/* Only the file we wrote, with our pid: a later instance may have put
 * its own there, or someone written another pid into ours. */
void instance_pidfile_remove(const struct instance_pidfile *pf)
{
	char dir[PATH_MAX];
	const char *base;
	int dir_fd, fd;

	if (!pf->ino || instance_split(pf->path, dir, sizeof(dir), &base))
		return;
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return;
	fd = openat(dir_fd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && instance_pid_ours(pf, fd))
		unlinkat(dir_fd, base, 0);
	if (fd >= 0)
		close(fd);
	close(dir_fd);
}
