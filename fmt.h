/* fmt.h - a small printf formatter, for the conversions this program
 * uses, so that the static binary does without libc's printf core (13 KiB
 * on MIPS, 20 KiB with soft-float long double on AArch64). libc_small.c
 * puts it behind printf, fprintf, snprintf and friends in musl builds.
 *
 * Supported: %d %i %u %x %c %s %%; flags '-' and '0'; a width (digits or
 * '*'); a precision for %s only (".N" or ".*"); lengths hh h l ll z.
 * Anything else (%f, %p, %n, %X, j, t, ...) ends the formatting: the rest
 * of the format string is copied as it is and no further argument is
 * read, so an unsupported conversion shows in the output instead of
 * reading the wrong argument. Pure: no syscall, no allocation. */
#ifndef XRM_FMT_H
#define XRM_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted bytes go: into buf, and when buf is full, to flush,
 * which empties it (used_bytes = 0) and returns 0, or returns -1, after
 * which fmt sets flush to NULL and drops the rest. Without a flush, what
 * does not fit is counted but not kept (snprintf). */
struct fmt_out {
	char *buf;
	size_t size_bytes;		/* room in buf */
	size_t used_bytes;		/* bytes now in buf */
	size_t total_bytes;		/* bytes of the whole output */
	int (*flush)(struct fmt_out *out);
	void *ctx;			/* for flush */
};

/* Formats into out; returns the length of the whole output, or -1 if
 * that does not fit in an int (printf's EOVERFLOW). */
int fmt_vformat(struct fmt_out *out, const char *fmt, va_list ap);

/* vsnprintf(3): at most size - 1 bytes and a NUL (nothing if size is
 * 0); returns the length the whole output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
