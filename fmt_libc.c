/* fmt_libc.c - printf, fprintf, vfprintf, snprintf and vsnprintf for the
 * musl builds, on fmt.c, so that musl's vfprintf.o (printf_core, the
 * floating-point fmt_fp and, on AArch64, soft-float long double: 10 to
 * 20 KiB) is never linked. doc/size.md has the figures.
 *
 * Why libc's own names: in a static link the linker takes a member out of
 * libc.a only for a symbol still undefined, so ours are used and musl's
 * are never pulled in. The rest of the code stays plain C, every call
 * keeps gcc's -Wformat check against the standard printf, and nothing
 * but the link line knows. ISO C reserves these names, so this is a
 * choice made for one libc in one kind of link, and it is kept there:
 *   - only musl static builds link this file (the Makefile's LIBC); glibc
 *     (the big-endian MIPS build, the sanitizer build) keeps its own;
 *   - vfprintf, which musl's other printf-family members call, is
 *     defined too, so no libc function can bring printf_core back;
 *     were a member defining one of these names pulled in anyway, the
 *     link would fail on a duplicate definition, never go wrong quietly;
 *   - stdio stays musl's: output goes through fwrite, so setvbuf line
 *     buffering and fflush work as before.
 * The conversions fmt.h supports are those our sources use; an unknown
 * one shows in the output (fmt.h). */
#include <errno.h>
#include <stdio.h>

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
