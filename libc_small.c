/* libc_small.c - small stand-ins for the musl functions that are large
 * for what we ask of them, linked into musl static builds only:
 *   printf, fprintf, vfprintf, snprintf, vsnprintf, on fmt.c: musl's
 *     vfprintf.o (printf_core, the floating-point fmt_fp and, on AArch64,
 *     soft-float long double) is 10 to 20 KiB;
 *   strtoul: musl's goes through __intscan and a fake FILE (shgetc),
 *     2 to 3.5 KiB, for a few base-10 numbers.
 * doc/size.md has the figures.
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
 *   - stdio stays musl's: output goes through fwrite, so setvbuf line
 *     buffering and fflush work as before;
 *   - strtoul keeps the whole of its contract (bases, prefixes, sign,
 *     ERANGE), not just the part we use today.
 * The conversions fmt.h supports are those our sources use; an unknown
 * one shows in the output (fmt.h). The unit tests check both against
 * expected results, which the sanitizer build checks against glibc. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmt.h"

/* Output is formatted in chunks of this size before it goes to stdio:
 * a message up to this long is one write(2) on unbuffered stderr. */
#define FMT_CHUNK_BYTES 256

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
