/* unit_libc_small.c - strtoul, the allocator and stdio as libc_small.c
 * has them in musl builds: the whole contract, not only the base-10
 * numbers we parse today or the blocks we allocate. The sanitizer build and the
 * glibc cross build run the same expectations against glibc's; the few
 * that hold only for ours are marked. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"

/* strtoul(s, &end, base) is want, ends want_end bytes into s and leaves
 * errno at want_errno. */
static int parses(const char *s, int base, unsigned long want, int want_end, int want_errno)
{
	char *end = NULL;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, base);
	if (v == want && end == s + want_end && errno == want_errno)
		return 1;
	fprintf(stderr, "  strtoul(\"%s\", %d): %lu, end +%d, errno %d\n", s, base, v,
		end ? (int)(end - s) : -1, errno);
	return 0;
}

static void decimal(void)
{
	CHECK(parses("123", 10, 123, 3, 0));
	CHECK(parses(" \t\n+42x", 10, 42, 6, 0));
	CHECK(parses("007", 10, 7, 3, 0));
	CHECK(parses("4294967295", 10, 4294967295UL, 10, 0));
	CHECK(parses("1", 10, 1, 1, 0));
	errno = 0;
	CHECK(strtoul("86400", NULL, 10) == 86400 && errno == 0);
}

/* No digits: 0, and end is s itself, sign and spaces included. */
static void no_digits(void)
{
	CHECK(parses("", 10, 0, 0, 0));
	CHECK(parses("-", 10, 0, 0, 0));
	CHECK(parses("  +", 10, 0, 0, 0));
	CHECK(parses("abc", 10, 0, 0, 0));
	CHECK(parses(" x1", 0, 0, 0, 0));
}

/* "-N" is the negation of N as unsigned long: "-1" is ULONG_MAX. */
static void negative(void)
{
	CHECK(parses("-1", 10, ULONG_MAX, 2, 0));
	CHECK(parses("-0", 10, 0, 2, 0));
	CHECK(parses(" -5", 10, 0 - 5UL, 3, 0));
}

static void bases(void)
{
	CHECK(parses("0x1fZ", 16, 0x1f, 4, 0));
	CHECK(parses("0X1F", 0, 0x1f, 4, 0));
	CHECK(parses("1f", 16, 0x1f, 2, 0));
	CHECK(parses("017", 0, 15, 3, 0));
	CHECK(parses("017", 10, 17, 3, 0));
	CHECK(parses("0", 0, 0, 1, 0));
	CHECK(parses("z", 36, 35, 1, 0));
	CHECK(parses("1012", 2, 5, 3, 0));
	/* "0x" without a hex digit after it: the number is the "0". */
	CHECK(parses("0x", 16, 0, 1, 0));
	CHECK(parses("0xg", 0, 0, 1, 0));
	CHECK(parses("0x1", 10, 0, 1, 0));
}

/* Too large: ULONG_MAX and ERANGE, with end past every digit. */
static void range(void)
{
	CHECK(parses("99999999999999999999999x", 10, ULONG_MAX, 23, ERANGE));
	CHECK(parses("-99999999999999999999999", 10, ULONG_MAX, 24, ERANGE));
	if (ULONG_MAX == 4294967295UL) {
		CHECK(parses("4294967296", 10, ULONG_MAX, 10, ERANGE));
		CHECK(parses("0x100000000", 0, ULONG_MAX, 11, ERANGE));
	} else {
		CHECK(parses("18446744073709551615", 10, ULONG_MAX, 20, 0));
		CHECK(parses("18446744073709551616", 10, ULONG_MAX, 20, ERANGE));
		CHECK(parses("0x10000000000000000", 0, ULONG_MAX, 19, ERANGE));
	}
}

static void bad_base(void)
{
	errno = 0;
	CHECK(strtoul("10", NULL, 1) == 0 && errno == EINVAL);
	errno = 0;
	CHECK(strtoul("10", NULL, 37) == 0 && errno == EINVAL);
}

/* libc_small.c's blocks are 16-byte aligned; glibc promises max_align_t
 * (8 bytes on 32-bit MIPS). */
#ifdef __GLIBC__
#define ALLOC_ALIGN_WANT _Alignof(max_align_t)
#else
#define ALLOC_ALIGN_WANT 16
#endif

static int aligned(const void *p)
{
	return p && (uintptr_t)p % ALLOC_ALIGN_WANT == 0;
}

/* Sizes around libc_small.c's 16 KiB line between arena and mmap. */
static const size_t alloc_sizes[] = { 0, 1, 15, 16, 17, 100, 4095, 16383, 16384, 16385, 200000 };
#define ALLOC_NSIZES (sizeof(alloc_sizes) / sizeof(alloc_sizes[0]))

static void alloc_aligned_and_writable(void)
{
	unsigned char *p[ALLOC_NSIZES];
	size_t i, j;

	for (i = 0; i < ALLOC_NSIZES; i++) {
		p[i] = malloc(alloc_sizes[i]);
		CHECK(aligned(p[i]));
		if (p[i])
			memset(p[i], (int)i + 1, alloc_sizes[i]);
	}
	/* No block overlaps another: each still holds its own byte. */
	for (i = 0; i < ALLOC_NSIZES; i++)
		for (j = 0; p[i] && j < alloc_sizes[i]; j++)
			if (!CHECK(p[i][j] == i + 1))
				break;
	for (i = 0; i < ALLOC_NSIZES; i++)
		free(p[i]);
	free(NULL);
}

/* Thousands of small blocks run over several 64 KiB arenas. */
static void alloc_many_small(void)
{
	enum { N = 3000 };
	static unsigned char *p[N];
	size_t i, bad = 0;

	for (i = 0; i < N; i++) {
		p[i] = malloc(i % 97 + 1);
		if (!CHECK(aligned(p[i])))
			return;
		memset(p[i], (int)(i & 0xff), i % 97 + 1);
	}
	for (i = 0; i < N; i++) {
		bad += p[i][0] != (i & 0xff) || p[i][i % 97] != (i & 0xff);
		free(p[i]);
	}
	CHECK(bad == 0);
}

static void alloc_calloc_zeroes(void)
{
	unsigned char *p, *q;
	size_t i, sum = 0;

	/* Room given back by free comes back dirty: calloc must clear it. */
	p = malloc(256);
	if (!CHECK(p != NULL))
		return;
	memset(p, 0xff, 256);
	free(p);
	q = calloc(16, 16);
	if (!CHECK(aligned(q)))
		return;
	for (i = 0; i < 256; i++)
		sum += q[i];
	CHECK(sum == 0);
	free(q);
	q = calloc(1000, 100);
	CHECK(q && q[0] == 0 && q[99999] == 0);
	free(q);
}

/* Overflow of n * size, and blocks past PTRDIFF_MAX: NULL and ENOMEM.
 * ASan reports such requests instead of returning NULL. */
static void alloc_too_large(void)
{
#ifndef __SANITIZE_ADDRESS__
	/* volatile: gcc warns of the sizes it can see. */
	volatile size_t half = SIZE_MAX / 2 + 1, max = PTRDIFF_MAX;

	errno = 0;
	CHECK(calloc(half, 2) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(calloc(2, half) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(malloc(half) == NULL && errno == ENOMEM);
	errno = 0;
	CHECK(malloc(max) == NULL && errno == ENOMEM);
#endif
}

/* realloc keeps the contents up to the smaller size, across the line
 * between arena and mmap either way. */
static void alloc_realloc_copies(void)
{
	static const size_t steps[] = { 10, 100, 20000, 300000, 5000, 3 };
	unsigned char *p = realloc(NULL, 5), *q;
	size_t i, j, have = 5, bad = 0;

	if (!CHECK(aligned(p)))
		return;
	memset(p, 0x5a, have);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		q = realloc(p, steps[i]);
		if (!CHECK(aligned(q)))
			break;
		p = q;
		for (j = 0; j < have && j < steps[i]; j++)
			bad += p[j] != 0x5a;
		memset(p, 0x5a, steps[i]);
		have = steps[i];
	}
	CHECK(bad == 0);
	free(p);
}

/* Large blocks are given back at free: 200 of 32 MiB, 6.4 GiB in all,
 * do not fit in a 32-bit address space unless they are. */
static void alloc_large_returned(void)
{
	size_t size = 32u << 20;
	unsigned char *p;
	int i;

	for (i = 0; i < 200; i++) {
		p = malloc(size);
		if (!CHECK(aligned(p)))
			return;
		p[0] = p[size - 1] = 1;
		free(p);
	}
}

/* Ours only: the newest block's room is reused, so an allocation freed
 * right away (opendir's DIR at closedir) does not add up over a run. */
static void alloc_newest_reused(void)
{
#ifndef __GLIBC__
	void *keep = malloc(40), *p = malloc(2000), *q;

	free(p);
	q = malloc(2000);
	CHECK(q == p);
	free(q);
	free(keep);
#endif
}

/* clock_gettime against time(), which in musl is its own vDSO path. */
static void clock_gettime_agrees(void)
{
	struct timespec a, b, r;
	time_t now;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
	CHECK(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	now = time(NULL);
	CHECK(clock_gettime(CLOCK_REALTIME, &r) == 0);
	CHECK(r.tv_sec >= now && r.tv_sec - now <= 2);
	errno = 0;
	CHECK(clock_gettime((clockid_t)-100, &r) == -1 && errno == EINVAL);
}

/* What a child wrote to one fd: a SOCK_SEQPACKET pair keeps each
 * write(2) apart as a record, and ends when the child has exited. */
#define CAPTURE_RECORDS_MAX 8
struct capture {
	char text[2048];
	size_t len_bytes;
	size_t end[CAPTURE_RECORDS_MAX];	/* where each record ends in text */
	int records;
	int status;				/* the child's, from waitpid */
};

/* Runs fn in a child with fd on the pair, which then exits through
 * exit(3), flushing stdout. -1 if the pair or the child could not be had. */
static int capture(int fd, void (*fn)(void), struct capture *c)
{
	int sv[2];
	ssize_t n;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		dup2(sv[1], fd);
		fn();
		exit(unit_case_failed);
	}
	close(sv[1]);
	while (pid > 0 && (n = recv(sv[0], c->text + c->len_bytes,
				    sizeof(c->text) - c->len_bytes, 0)) > 0) {
		c->len_bytes += (size_t)n;
		if (c->records < CAPTURE_RECORDS_MAX)
			c->end[c->records] = c->len_bytes;
		c->records++;
	}
	close(sv[0]);
	return pid > 0 && waitpid(pid, &c->status, 0) == pid ? 0 : -1;
}

/* A string of n 'L's, for output longer than a chunk. */
static const char *longs(size_t n)
{
	static char s[1024];

	memset(s, 'L', n);
	s[n] = '\0';
	return s;
}

static void stdout_lines_child(void)
{
	CHECK(setvbuf(stdout, NULL, _IOLBF, 0) == 0);
	printf("abc");
	printf("def\n");
	fputs("gh", stdout);
	fputc('\n', stdout);
	CHECK(printf("<%s|%d>\n", longs(300), -3) == 306);
	CHECK(fwrite("tail", 1, 4, stdout) == 4);
}

/* A line at its newline, not before; a line longer than the chunk whole;
 * a last one without newline at exit. The writes are ours only: glibc
 * takes setvbuf only before a stream's first use, which the harness's
 * output was (the text is the same). */
static void stdio_stdout_lines(void)
{
	struct capture c;
	char want[sizeof(c.text)];

	if (!CHECK(capture(STDOUT_FILENO, stdout_lines_child, &c) == 0))
		return;
	snprintf(want, sizeof(want), "abcdef\ngh\n<%s|-3>\ntail", longs(300));
	CHECK(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0);
	CHECK(c.len_bytes == strlen(want) && memcmp(c.text, want, c.len_bytes) == 0);
#ifndef __GLIBC__
	CHECK(c.records == 4 && c.end[0] == 7 && c.end[1] == 10 && c.end[2] == 316);
#endif
}

static void stderr_writes_child(void)
{
	fprintf(stderr, "%s|%d\n", longs(200), 42);
	fprintf(stderr, "%s\n", longs(600));
}

/* Unbuffered: a message of up to 256 bytes is one write, and a longer
 * one arrives whole. */
static void stdio_stderr_writes(void)
{
	struct capture c;

	if (!CHECK(capture(STDERR_FILENO, stderr_writes_child, &c) == 0))
		return;
	CHECK(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0);
	CHECK(c.records >= 2 && c.end[0] == 204 && memcmp(c.text + 200, "|42\n", 4) == 0);
	CHECK(c.len_bytes == 204 + 601 && c.text[c.len_bytes - 1] == '\n' &&
	      c.text[c.len_bytes - 2] == 'L');
}

/* A reader gone: EPIPE (SIGPIPE blocked, as the forwarder does). */
static void stdout_epipe_child(void)
{
	sigset_t set;
	int p[2];

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (!CHECK(pipe(p) == 0))
		return;
	close(p[0]);
	dup2(p[1], STDOUT_FILENO);
	errno = 0;
	CHECK(printf("lost\n") < 0 || fflush(stdout) == EOF);
	CHECK(errno == EPIPE);
	CHECK(fputs("lost too\n", stdout) == EOF || fflush(stdout) == EOF);
	CHECK(fprintf(stderr, "%s", "") == 0);
	_exit(unit_case_failed);
}

static void stdio_epipe(void)
{
	struct capture c;

	if (CHECK(capture(STDOUT_FILENO, stdout_epipe_child, &c) == 0))
		CHECK(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0 && c.len_bytes == 0);
}

/* 64-bit division, ours on 32-bit MIPS (__udivdi3, __umoddi3); the
 * operands through volatile, so that the compiler cannot fold them. */
static const struct {
	uint64_t n, d, q, r;
} divisions[] = {
	{ UINT64_MAX, 10, 1844674407370955161u, 5 },
	{ UINT64_MAX, UINT64_MAX, 1, 0 },
	{ UINT64_MAX, (1ull << 63) + 1, 1, (1ull << 63) - 2 },
	{ UINT64_MAX - 1, UINT64_MAX, 0, UINT64_MAX - 1 },
	{ 1ull << 63, 3, 3074457345618258602u, 2 },
	{ 10000000000000000000u, 1000000000, 10000000000u, 0 },
	{ UINT64_MAX, (1ull << 32) + 1, 4294967295u, 0 },
	{ 0xfedcba9876543210u, 0xffffffffu, 4275878553u, 1966140585 },
	{ 0xfedcba9876543210u, 0x100000001u, 4275878551u, 2004318073 },
	{ 12345, 1000000000000u, 0, 12345 },
	{ 1000, 7, 142, 6 },
};

static void division_64(void)
{
	volatile uint64_t n, d;
	size_t i;

	for (i = 0; i < sizeof(divisions) / sizeof(divisions[0]); i++) {
		n = divisions[i].n;
		d = divisions[i].d;
		if (!CHECK(n / d == divisions[i].q && n % d == divisions[i].r))
			fprintf(stderr, "  case %zu\n", i);
	}
}

/* Through pointers, so that gcc calls them rather than copying or
 * scanning itself. */
static char *(*volatile str_ncpy)(char *, const char *, size_t) = strncpy;
static void *(*volatile mem_cpy)(void *, const void *, size_t) = memcpy;
static void *(*volatile mem_set)(void *, int, size_t) = memset;
static void *(*volatile mem_chr)(const void *, int, size_t) = memchr;
static size_t (*volatile str_len)(const char *) = strlen;
static int (*volatile str_ncmp)(const char *, const char *, size_t) = strncmp;
static int (*volatile str_cmp)(const char *, const char *) = strcmp;
static int (*volatile mem_cmp)(const void *, const void *, size_t) = memcmp;
static size_t (*volatile str_nlen)(const char *, size_t) = strnlen;
static char *(*volatile str_rchr)(const char *, int) = strrchr;

static void string_copies(void)
{
	char b[8];

	memset(b, 'x', sizeof(b));
	/* Zeros up to n; no NUL when the string fills n; nothing for 0. */
	CHECK(str_ncpy(b, "ab", 5) == b && memcmp(b, "ab\0\0\0xxx", 8) == 0);
	CHECK(str_ncpy(b, "abcdef", 3) == b && memcmp(b, "abc\0\0xxx", 8) == 0);
	CHECK(str_ncpy(b, "zz", 0) == b && b[0] == 'a');
}

/* Every length up to 40 at every offset up to 8: only the n bytes
 * asked for change. */
static void mem_copies(void)
{
	unsigned char src[64], dst[64];
	size_t off, n, i;
	int ok = 1;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (off = 0; off < 8; off++) {
		for (n = 0; n <= 40; n++) {
			memset(dst, 0xee, sizeof(dst));
			ok &= mem_cpy(dst + off, src + (8 - off), n) == dst + off;
			for (i = 0; i < sizeof(dst); i++)
				ok &= dst[i] == (i >= off && i < off + n ? src[8 - off + i - off] : 0xee);
			memset(dst, 0xee, sizeof(dst));
			ok &= mem_set(dst + off, 0x1ab, n) == dst + off;
			for (i = 0; i < sizeof(dst); i++)
				ok &= dst[i] == (i >= off && i < off + n ? 0xab : 0xee);
		}
	}
	CHECK(ok);
}

static void mem_scans(void)
{
	static const char s[] = "abcabc\0z";

	CHECK(mem_chr(s, 'c', sizeof(s)) == s + 2);
	/* c is taken as unsigned char; the NUL is a byte like any other. */
	CHECK(mem_chr(s, 0x100 + 'b', sizeof(s)) == s + 1);
	CHECK(mem_chr(s, 'z', sizeof(s)) == s + 7);
	CHECK(mem_chr(s, 'z', 7) == NULL && mem_chr(s, 'a', 0) == NULL);
	CHECK(mem_chr(s, '\0', sizeof(s)) == s + 6);
	CHECK(str_len(s) == 6 && str_len("") == 0 && str_len(s + 7) == 1);
}

/* The flags reach the kernel, mode only with O_CREAT; errors are -1
 * with errno. */
static void open_socket_flags(void)
{
	char path[64] = "/tmp/xrm-unit-open.XXXXXX";
	struct stat st;
	int fd;

	if (!CHECK(mkdtemp(path) != NULL))
		return;
	strcat(path, "/f");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640 &&
	      fcntl(fd, F_GETFD) == FD_CLOEXEC);
	close(fd);
	errno = 0;
	CHECK(open(path, O_WRONLY | O_CREAT | O_EXCL, 0640) == -1 && errno == EEXIST);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == 0);
	close(fd);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	errno = 0;
	CHECK(open(path, O_RDONLY) == -1 && errno == ENOENT);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC && (fcntl(fd, F_GETFL) & O_NONBLOCK));
	close(fd);
	errno = 0;
	CHECK(socket(-1, SOCK_DGRAM, 0) == -1 && errno == EAFNOSUPPORT);
}

/* The sign of a comparison is that of the first differing bytes as
 * unsigned char; nothing past n or past a NUL counts. */
static void compares(void)
{
	static const char s[] = "ab/cd/e";

	CHECK(str_cmp("abc", "abc") == 0 && str_cmp("abc", "abd") < 0 && str_cmp("b", "abc") > 0);
	CHECK(str_cmp("ab", "abc") < 0 && str_cmp("abc", "ab") > 0 && str_cmp("", "") == 0);
	CHECK(str_cmp("\x80", "a") > 0 && str_ncmp("a", "\xff", 1) < 0);
	CHECK(str_ncmp("abcx", "abcy", 3) == 0 && str_ncmp("abcx", "abcy", 4) < 0);
	CHECK(str_ncmp("ab\0x", "ab\0y", 4) == 0 && str_ncmp("x", "y", 0) == 0);
	CHECK(mem_cmp("ab\0x", "ab\0y", 4) < 0 && mem_cmp("\xff", "\x01", 1) > 0);
	CHECK(mem_cmp("abc", "abd", 2) == 0 && mem_cmp("x", "y", 0) == 0);
	CHECK(str_nlen(s, 3) == 3 && str_nlen(s, 100) == 7 && str_nlen(s, 0) == 0);
	CHECK(str_rchr(s, '/') == s + 5 && str_rchr(s, 'a') == s && str_rchr(s, 'z') == NULL);
	CHECK(str_rchr(s, '\0') == s + 7 && str_rchr(s, 0x100 + '/') == s + 5);
}

/* A blocked signal waits in the signalfd; the flags reach the fd. */
static void signalfd_reads(void)
{
	struct signalfd_siginfo si;
	sigset_t set, old;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (!CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0))
		return;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC && (fcntl(fd, F_GETFL) & O_NONBLOCK));
	errno = 0;
	CHECK(read(fd, &si, sizeof(si)) == -1 && errno == EAGAIN);
	kill(getpid(), SIGUSR1);
	CHECK(read(fd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo == SIGUSR1);
	close(fd);
	/* Should the read have failed, the signal is dropped, not taken. */
	signal(SIGUSR1, SIG_IGN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

void unit_libc_small(void)
{
	unit_run("signalfd: a blocked signal, the flags", signalfd_reads);
	unit_run("strcmp, strncmp, memcmp, strnlen, strrchr", compares);
	unit_run("open, socket: flags, mode, errors", open_socket_flags);
	unit_run("memcpy, memset: every length and offset", mem_copies);
	unit_run("memchr, strlen", mem_scans);
	unit_run("strncpy", string_copies);
	unit_run("64-bit division", division_64);
	unit_run("stdio: stdout by lines, the rest at exit", stdio_stdout_lines);
	unit_run("stdio: stderr one write per message", stdio_stderr_writes);
	unit_run("stdio: a write error is returned", stdio_epipe);
	unit_run("clock_gettime: monotonic, and the time time() says", clock_gettime_agrees);
	unit_run("malloc: aligned, writable, disjoint", alloc_aligned_and_writable);
	unit_run("malloc: many small blocks", alloc_many_small);
	unit_run("calloc: zeroed, also where a block was freed", alloc_calloc_zeroes);
	unit_run("malloc, calloc: too large is ENOMEM", alloc_too_large);
	unit_run("realloc: contents kept across sizes", alloc_realloc_copies);
	unit_run("free: large blocks given back", alloc_large_returned);
	unit_run("free: the newest block's room reused", alloc_newest_reused);
	unit_run("strtoul: decimal", decimal);
	unit_run("strtoul: no digits", no_digits);
	unit_run("strtoul: a sign negates as unsigned", negative);
	unit_run("strtoul: bases and prefixes", bases);
	unit_run("strtoul: out of range", range);
	unit_run("strtoul: invalid base", bad_base);
}
