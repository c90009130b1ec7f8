/* libc_small.c - small stand-ins for the musl functions that are large
 * for what we ask of them, linked into musl static builds only:
 *   printf, fprintf, vfprintf, snprintf, vsnprintf, on fmt.c: musl's
 *     vfprintf.o (printf_core, the floating-point fmt_fp and, on AArch64,
 *     soft-float long double) is 10 to 20 KiB;
 *   strtoul: musl's goes through __intscan and a fake FILE (shgetc),
 *     2 to 3.5 KiB, for a few base-10 numbers;
 *   malloc, calloc, realloc, free: musl's mallocng (size classes, slot
 *     reuse, meta areas) is 8 to 10 KiB, for a program that allocates at
 *     start-up and never in its loop (see "The allocator" below);
 *   stdout, stderr, fwrite, fputs, fputc, puts, putchar, fflush, setvbuf:
 *     musl's FILE machinery (locks, the open-file list, read and seek
 *     paths, its exit flush) is 2.4 to 3.4 KiB, for two output streams
 *     (see "stdio" below);
 *   on 32-bit MIPS, libgcc's __udivdi3 and __umoddi3, 2.2 KiB, for a few
 *     64-bit divisions a second;
 *   strncpy, memcpy, memset, memchr, strlen: musl's go a word at
 *     a time, 0.6 (x86_64) to 2.4 KiB (MIPS, where memcpy is C), for
 *     kilobytes copied at start-up;
 *   strncmp, strcmp, memcmp, strnlen, strrchr: likewise, 0.1 to 0.8 KiB;
 *   socket, open, signalfd: musl's carry fallbacks for kernels older
 *     than XDP.
 * doc/size.md has the figures (round 3, from stdio on: doc/size-libc.md).
 *
 * Why libc's own names: in a static link the linker takes a member out of
 * libc.a only for a symbol still undefined, so ours are used and musl's
 * are never pulled in. The rest of the code stays plain C, every printf
 * keeps gcc's -Wformat check against the standard, and nothing but the
 * link line knows. ISO C reserves these names, so this is a choice made
 * for one libc in one kind of link, and it is kept there:
 *   - only musl static builds link this file (the Makefile's LIBC); glibc
 *     (the big-endian MIPS build, the sanitizer build) keeps its own;
 *   - vfprintf, which musl's other printf-family members call, is defined
 *     too, so no libc function can bring printf_core back; were a member
 *     defining one of these names pulled in anyway, the link would fail
 *     on a duplicate definition, never go wrong quietly;
 *   - FILE is ours too, which a musl stdio member would misread: that
 *     is no link error, so tests/cross.sh fails a binary that has one;
 *   - each keeps the whole of its contract, not just the part we use
 *     today: strtoul's bases, prefixes, sign and ERANGE; the allocator's
 *     alignment, calloc's overflow check, realloc's copy, free(NULL)
 *     (musl supports replacing malloc, since 1.1.20); stdout's buffering
 *     and error returns; strncpy's padding.
 * The conversions fmt.h supports are those our sources use; an unknown
 * one shows in the output (fmt.h). The unit tests check both against
 * expected results, which the sanitizer build checks against glibc. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "fmt.h"

/* Output is formatted in chunks of this size before it goes to stdio:
 * a message up to this long is one write(2) on unbuffered stderr. */
#define FMT_CHUNK_BYTES 256

/* stdio, for the two streams we write: stdout, line-buffered whatever it
 * is (musl's is fully buffered unless a terminal), so that each
 * statistics line reaches a pipe or procd's log at its newline; and
 * stderr, unbuffered, so that a message of up to FMT_CHUNK_BYTES is one
 * write(2). What is left in stdout's buffer (a line without its newline)
 * is written at exit by a destructor, which musl's exit runs (before its
 * own stdio's exit flush, which is not linked). A failed write returns
 * EOF (0 from fwrite) and drops what was buffered, as musl's; EINTR and a
 * partial write are written again. EPIPE is an error like any other: the
 * forwarder blocks SIGPIPE and reads it from its signalfd to stop.
 *
 * FILE is ours: a musl member that takes a FILE (fopen's, fread's,
 * putc's) would be handed this one, so tests/cross.sh fails a binary in
 * which musl's stdio machinery shows. gcc turns some printf
 * calls into puts, putchar, fputs, fputc or fwrite, so those are all
 * here. In the musl unit build the tests read files with musl's fopen:
 * fflush of such a FILE (by fclose) has nothing of ours to write. */
struct _IO_FILE {
	int fd;
	int mode;			/* _IOLBF, _IOFBF or _IONBF */
	char *buf;
	size_t size_bytes;		/* room in buf; 0 for none */
	size_t used_bytes;		/* bytes waiting in buf */
};

static char stdio_out_buf[BUFSIZ];
static FILE stdio_out = {
	.fd = STDOUT_FILENO, .mode = _IOLBF, .buf = stdio_out_buf, .size_bytes = BUFSIZ,
};
static FILE stdio_err = { .fd = STDERR_FILENO, .mode = _IONBF };
FILE *const stdout = &stdio_out;
FILE *const stderr = &stdio_err;

/* All n bytes, or -1. */
static int stdio_write_all(int fd, const char *p, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* What waits in f's buffer, written; dropped either way, as musl's. */
static int stdio_flush(FILE *f)
{
	size_t n = f->used_bytes;

	f->used_bytes = 0;
	return stdio_write_all(f->fd, f->buf, n);
}

/* n bytes at s through f's buffer; at a newline when line-buffered, the
 * whole buffer goes out. Too large for the room or unbuffered: what waits
 * first, then s itself. */
static int stdio_put(FILE *f, const char *s, size_t n)
{
	if (n > f->size_bytes - f->used_bytes || f->mode == _IONBF) {
		if (stdio_flush(f))
			return -1;
		if (n >= f->size_bytes || f->mode == _IONBF)
			return stdio_write_all(f->fd, s, n);
	}
	memcpy(f->buf + f->used_bytes, s, n);
	f->used_bytes += n;
	if (f->mode == _IOLBF && memchr(s, '\n', n))
		return stdio_flush(f);
	return 0;
}

__attribute__((destructor)) static void stdio_exit(void)
{
	stdio_flush(stdout);
}

size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f)
{
	if (!size || !n)
		return 0;
	/* size * n fits: the caller has that many bytes at p. */
	return stdio_put(f, p, size * n) ? 0 : n;
}

int fputs(const char *restrict s, FILE *restrict f)
{
	return stdio_put(f, s, strlen(s)) ? EOF : 0;
}

int fputc(int c, FILE *f)
{
	unsigned char b = (unsigned char)c;

	return stdio_put(f, (char *)&b, 1) ? EOF : b;
}

int puts(const char *s)
{
	return fputs(s, stdout) ? EOF : fputc('\n', stdout);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* NULL is every stream: stderr never holds anything. */
int fflush(FILE *f)
{
	if (!f)
		f = stdout;
	if (f != stdout && f != stderr)
		return 0;
	return stdio_flush(f) ? EOF : 0;
}

/* buf is not used (C11 says it may be); a buffer for stderr cannot be
 * had, so it stays unbuffered and the call fails. */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	(void)buf;
	(void)size;
	if (mode != _IONBF && mode != _IOLBF && mode != _IOFBF)
		return EOF;
	if (mode != _IONBF && !f->size_bytes)
		return EOF;
	if (stdio_flush(f))
		return EOF;
	f->mode = mode;
	return 0;
}

static int fmt_file_flush(struct fmt_out *out)
{
	if (fwrite(out->buf, 1, out->used_bytes, out->ctx) != out->used_bytes)
		return -1;
	out->used_bytes = 0;
	return 0;
}

/* -1 with errno EOVERFLOW for output longer than INT_MAX, as musl. */
static int fmt_result(int n)
{
	if (n < 0)
		errno = EOVERFLOW;
	return n;
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	char chunk[FMT_CHUNK_BYTES];
	struct fmt_out out = {
		.buf = chunk, .size_bytes = sizeof(chunk), .flush = fmt_file_flush, .ctx = f,
	};
	int n = fmt_vformat(&out, fmt, ap);

	/* fmt_vformat clears flush when a write failed. */
	if (!out.flush || fmt_file_flush(&out))
		return -1;
	return fmt_result(n);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	return fmt_result(fmt_vsnprintf(buf, size, fmt, ap));
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* The value of c as a digit of any base up to 36; 36 for a non-digit. */
static unsigned strtoul_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;	/* lower case; leaves digits and punctuation non-letters */
	return c >= 'a' && c <= 'z' ? c - 'a' + 10 : 36;
}

/* The base and where the digits start: "0x" counts as a prefix only if
 * a hex digit follows, else the '0' is the number (C11 7.22.1.4). */
static const char *strtoul_base(const char *p, int *base)
{
	int hex = p[0] == '0' && (p[1] | 0x20) == 'x' && strtoul_digit(p[2]) < 16;

	if (hex && (*base == 0 || *base == 16)) {
		*base = 16;
		return p + 2;
	}
	if (*base == 0)
		*base = p[0] == '0' ? 8 : 10;
	return p;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	const char *p = s, *digits;
	unsigned long v = 0;
	unsigned d;
	int neg = 0, range = 0;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	p = digits = strtoul_base(p, &base);
	for (; (d = strtoul_digit(*p)) < (unsigned)base; p++) {
		range |= v > (ULONG_MAX - d) / base;
		v = v * base + d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (range) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	/* "-1" is ULONG_MAX, as the standard says: negated as unsigned. */
	return neg ? -v : v;
}

/* The allocator. Every block is 16-byte aligned (as musl's) and follows
 * a 16-byte header that holds the size asked for. A block of
 * ALLOC_MAP_MIN_BYTES or more is a mapping of its own, unmapped by free:
 * the object file, the verifier log, large BTF. A smaller one is cut from
 * an arena of ALLOC_ARENA_BYTES, and its room is not reused, except when
 * it is the newest block: then free gives it back, so an allocation freed
 * right away (opendir's DIR at closedir) costs nothing.
 *
 * That suffices because the forwarder allocates when it loads the object
 * (a few dozen blocks, most of them kept until exit), once for the
 * counters and once for the tracepoints, and nothing in its loop: link
 * events, ticks and the tracepoint reads use what was allocated before.
 * A scan of another namespace at a link event (veth_peer.c's opendir) is
 * freed before anything else is allocated. --check and --status run once.
 * One thread; no signal handler allocates. */
#define ALLOC_ALIGN_BYTES 16
#define ALLOC_MAP_MIN_BYTES (16u << 10)
#define ALLOC_ARENA_BYTES (64u << 10)

/* The arena being cut: [start, next) is given out, left_bytes remain. */
static struct {
	char *start, *next;
	size_t left_bytes;
} alloc_arena;

static size_t *alloc_head(void *p)
{
	return (size_t *)((char *)p - ALLOC_ALIGN_BYTES);
}

/* Header and block, in whole alignment units. */
static size_t alloc_total_bytes(size_t size)
{
	return (size + 2 * ALLOC_ALIGN_BYTES - 1) & ~(size_t)(ALLOC_ALIGN_BYTES - 1);
}

/* The system calls, not musl's mmap and munmap (0.2 to 0.5 KiB), which
 * check an offset and wait for MAP_FIXED in other threads: we have
 * neither. 32-bit targets call it mmap2 (an offset in pages; 0 here). */
#ifdef SYS_mmap2
#define ALLOC_SYS_MMAP SYS_mmap2
#else
#define ALLOC_SYS_MMAP SYS_mmap
#endif

static void *alloc_map(size_t size)
{
	long p = syscall(ALLOC_SYS_MMAP, NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == -1 ? NULL : (void *)p;
}

/* A new arena when the block does not fit: the old one's rest is lost. */
static void *alloc_cut(size_t total)
{
	char *p;

	if (total > alloc_arena.left_bytes) {
		p = alloc_map(ALLOC_ARENA_BYTES);
		if (!p)
			return NULL;
		alloc_arena.start = alloc_arena.next = p;
		alloc_arena.left_bytes = ALLOC_ARENA_BYTES;
	}
	p = alloc_arena.next;
	alloc_arena.next += total;
	alloc_arena.left_bytes -= total;
	return p;
}

void *malloc(size_t size)
{
	size_t *h;

	/* As musl: no block of more than PTRDIFF_MAX bytes. */
	if (size > PTRDIFF_MAX - 2 * ALLOC_ALIGN_BYTES) {
		errno = ENOMEM;
		return NULL;
	}
	if (size >= ALLOC_MAP_MIN_BYTES)
		h = alloc_map(alloc_total_bytes(size));
	else
		h = alloc_cut(alloc_total_bytes(size));
	if (!h)
		return NULL;
	*h = size;
	return (char *)h + ALLOC_ALIGN_BYTES;
}

void free(void *p)
{
	char *h;
	size_t total;

	if (!p)
		return;
	h = (char *)alloc_head(p);
	total = alloc_total_bytes(*(size_t *)h);
	if (*(size_t *)h >= ALLOC_MAP_MIN_BYTES) {
		syscall(SYS_munmap, h, total);
	} else if (h >= alloc_arena.start && h + total == alloc_arena.next) {
		alloc_arena.next = h;
		alloc_arena.left_bytes += total;
	}
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	/* Arena room given back by free is not zero any more. */
	p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

/* Always a new block and a copy: the one realloc we make (the verifier
 * log, doubling) is rare and large. */
void *realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(size);
	old = *alloc_head(p);
	q = malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	free(p);
	return q;
}

/* clock_gettime as the system call: musl's finds the vDSO's first (its
 * ELF lookup is 1 to 1.8 KiB), which pays for calls by the thousand; we
 * make one per statistics tick and one per netlink request. 32-bit
 * targets have 64-bit time_t in musl and take the time64 call (Linux 5.1;
 * the forwarder wants 5.3), with the old one where it is missing. */
int clock_gettime(clockid_t clk, struct timespec *ts)
{
#ifdef SYS_clock_gettime64
	long long t64[2];
	long t32[2];

	if (syscall(SYS_clock_gettime64, clk, t64) == 0) {
		ts->tv_sec = t64[0];
		ts->tv_nsec = (long)t64[1];
		return 0;
	}
	if (errno != ENOSYS || syscall(SYS_clock_gettime32, clk, t32) < 0)
		return -1;
	ts->tv_sec = t32[0];
	ts->tv_nsec = t32[1];
	return 0;
#else
	return (int)syscall(SYS_clock_gettime, clk, ts);
#endif
}

/* 64-bit division on 32-bit MIPS, which gcc compiles into calls to
 * libgcc's __udivdi3 and __umoddi3 (1.1 KiB each, fast): we divide a few
 * times a second (rates, times, printing 64-bit numbers) and never per
 * frame, so a loop over the bits does. Defined here, they keep libgcc's
 * out of the link as printf keeps musl's; used and externally_visible
 * because gcc makes the calls after LTO has looked for callers. Other
 * 32-bit targets keep libgcc's: ARM's is __aeabi_uldivmod, 0.3 KiB. */
#if defined(__mips__) && !defined(__mips64)
static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	int i;

	if (n <= UINT32_MAX && d <= UINT32_MAX) {
		*rem = (uint32_t)n % (uint32_t)d;
		return (uint32_t)n / (uint32_t)d;
	}
	/* From the top bit down, with shifts by constants: a variable one is
	 * a libgcc call too. Before step i, r is at most the i top bits of n,
	 * so it never loses a bit to the shift. */
	for (i = 0; i < 64; i++) {
		r = r << 1 | n >> 63;
		n <<= 1;
		q <<= 1;
		if (r >= d) {
			r -= d;
			q |= 1;
		}
	}
	*rem = r;
	return q;
}

__attribute__((used, externally_visible)) uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	uint64_t rem;

	return udivmod64(n, d, &rem);
}

__attribute__((used, externally_visible)) uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t rem;

	udivmod64(n, d, &rem);
	return rem;
}
#endif

/* strncpy as a loop: musl's copies a word at a time through __stpncpy
 * (and memset), 0.3 KiB, for the interface names we copy. It keeps its
 * odd contract: no NUL when s fills n, zeros up to n when it does not. */
char *strncpy(char *restrict d, const char *restrict s, size_t n)
{
	size_t i = 0;

	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = '\0';
	return d;
}

/* memcpy, memset, memchr and strlen a byte at a time. musl's go a word
 * at a time, with cases for alignment: 1.3 KiB for memcpy alone on MIPS
 * (0.4 to 0.7 on ARM). We copy and scan kilobytes when loading, and
 * tens of bytes a second afterwards. gcc must not see through the loops
 * (they would become calls to themselves): the optimize attribute. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

/* socket and open as the system calls. musl's, for kernels before
 * 2.6.27 (2.6.23 for O_CLOEXEC), try again without SOCK_CLOEXEC or
 * SOCK_NONBLOCK and set them with fcntl, and open is a cancellation
 * point: 0.2 to 0.3 KiB each, for kernels that cannot run XDP and for
 * threads we do not have. open keeps O_LARGEFILE, which 32-bit targets
 * need for a file over 2 GiB, and takes mode only with O_CREAT or
 * O_TMPFILE, as musl's; openat, since AArch64 has no open call. */
int socket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

/* The comparisons and strnlen, strrchr likewise: musl's are small but
 * pull in helpers (memrchr for strrchr, memchr for strnlen), 0.1 to 0.8
 * KiB in all. Bytes compare as unsigned char, as the standard says. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n && *a && *a == *b; n--, a++, b++)
		;
	return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

int strcmp(const char *a, const char *b)
{
	/* No object is longer than PTRDIFF_MAX: no bound in effect. */
	return strncmp(a, b, PTRDIFF_MAX);
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n && *p == *q; n--, p++, q++)
		;
	return n ? *p - *q : 0;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/* signalfd4 alone: musl's falls back to signalfd and fcntl for kernels
 * before 2.6.27. The kernel's set is _NSIG - 1 bits (128 on MIPS). */
int signalfd(int fd, const sigset_t *mask, int flags)
{
	return (int)syscall(SYS_signalfd4, fd, mask, _NSIG / 8, flags);
}
