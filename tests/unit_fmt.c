/* unit_fmt.c - the formatter behind printf in musl builds (fmt.c): every
 * conversion our sources use, against expected strings. Each expectation
 * is checked on fmt_vsnprintf and on the libc names, which are fmt's in
 * the musl build (libc_small.c) and glibc's in the sanitizer build, so
 * glibc vouches for the expected strings themselves. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "fmt.h"
#include "unit.h"

#define OUT_BYTES 512

static int fmt_ours(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* want from fmt_vsnprintf and from vsnprintf, whole and with its
 * length as return value. */
__attribute__((format(printf, 3, 4)))
static int expect(int line, const char *want, const char *fmt, ...)
{
	char ours[OUT_BYTES], libc[OUT_BYTES];
	va_list ap, aq;
	int n_ours, n_libc;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n_ours = fmt_vsnprintf(ours, sizeof(ours), fmt, ap);
	n_libc = vsnprintf(libc, sizeof(libc), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (strcmp(ours, want) == 0 && strcmp(libc, want) == 0 &&
	    n_ours == (int)strlen(want) && n_libc == n_ours)
		return 1;
	fprintf(stderr, "  line %d: want \"%s\", fmt \"%s\" (%d), libc \"%s\" (%d)\n",
		line, want, ours, n_ours, libc, n_libc);
	return 0;
}

#define EXPECT(...) CHECK(expect(__LINE__, __VA_ARGS__))

static void integers(void)
{
	EXPECT("0 7 -7 2147483647 -2147483648", "%d %i %d %d %d", 0, 7, -7, INT_MAX, INT_MIN);
	EXPECT("4294967295 0", "%u %u", UINT_MAX, 0u);
	EXPECT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	EXPECT("-9223372036854775808 9223372036854775807", "%lld %lld", (long long)INT64_MIN,
	       (long long)INT64_MAX);
	EXPECT("-1 4294967296", "%lld %llu", -1LL, 4294967296ULL);
	EXPECT("-5 4294967295", "%ld %lu", -5L, 4294967295UL);
	EXPECT(SIZE_MAX > UINT32_MAX ? "18446744073709551615 -1" : "4294967295 -1",
	       "%zu %zd", SIZE_MAX, (ssize_t)-1);
	EXPECT("ff 0 deadbeef", "%x %x %x", 255u, 0u, 0xdeadbeefu);
	EXPECT("0a:ff:00", "%02x:%02x:%02x", 10u, 255u, 0u);
	EXPECT("ff 1 ffffffffffffffff", "%hhx %hu %llx", 0x1ffu, 65537u, (unsigned long long)-1);
	EXPECT("-1 -128", "%hd %hhd", 65535, 128);
}

/* On 32-bit targets a 64-bit argument sits between 32-bit ones, aligned
 * to 8 bytes on some ABIs (ARM EABI, MIPS o32). */
static void mixed_widths(void)
{
	EXPECT("1 5000000000 2 -5000000000 3", "%u %llu %u %lld %d", 1u, 5000000000ULL, 2u,
	       -5000000000LL, 3);
	EXPECT("stopped by SIGINT: 12345678901 frames forwarded in 3.007 s\n",
	       "stopped by %s: %llu frames forwarded in %llu.%03u s\n", "SIGINT",
	       12345678901ULL, 3ULL, 7u);
	EXPECT("prog+8: relocation type 10 not supported",
	       "%s+%llu: relocation type %u not supported", "prog", 8ULL, 10u);
	EXPECT("file of 12 bytes is shorter", "file of %zu bytes is shorter", (size_t)12);
}

static void widths(void)
{
	EXPECT("   42|42   |-0042|  -42|00042", "%5d|%-5d|%05d|%5d|%05u", 42, 42, -42, -42, 42u);
	EXPECT("-42  |  ab|ab  ", "%-5d|%*s|%*s", -42, 4, "ab", -4, "ab");
	EXPECT("12345", "%3d", 12345);
	EXPECT("  x|x  |%", "%3c|%-3c|%%", 'x', 'x');
	EXPECT("007 1.000", "%03u %u.%03u", 7u, 1u, 0u);
}

static void strings(void)
{
	const char *volatile none = NULL;

	EXPECT("eth0: up", "%s: %s", "eth0", "up");
	EXPECT("", "%s", "");
	EXPECT("  eth0|eth0  |et", "%6s|%-6s|%.2s", "eth0", "eth0", "eth0");
	EXPECT("abc|", "%.*s|%.0s", 3, "abcdef", "abc");
	EXPECT("ab", "%.*s", 10, "ab");
	/* Precision bounds the read: the bytes need no NUL. */
	EXPECT("xy", "%.2s", (const char[2]){ 'x', 'y' });
	EXPECT("abc", "%.*s", -1, "abc");
	EXPECT("[(null)]", "[%s]", none);
}

/* snprintf keeps size - 1 bytes and a NUL, and returns the whole length. */
static void truncation(void)
{
	/* Not a constant, or gcc warns of the truncation tested here. */
	volatile size_t cut_bytes = 5;
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	CHECK(snprintf(buf, cut_bytes, "%s-%d", "abcdef", 42) == 9 && strcmp(buf, "abcd") == 0 &&
	      buf[5] == 'z');
	CHECK(fmt_ours(buf, 5, "%s-%d", "abcdef", 42) == 9 && strcmp(buf, "abcd") == 0);
	CHECK(fmt_ours(buf, 1, "%u", 123u) == 3 && buf[0] == '\0');
	memset(buf, 'z', sizeof(buf));
	CHECK(fmt_ours(buf, 0, "%u", 123u) == 3 && buf[0] == 'z');
	CHECK(fmt_ours(NULL, 0, "%s", "four") == 4);
	CHECK(snprintf(NULL, 0, "%llu", 1234567890123ULL) == 13);
	CHECK(fmt_ours(buf, sizeof(buf), "%s", "1234567") == 7 && strcmp(buf, "1234567") == 0);
	CHECK(fmt_ours(buf, sizeof(buf), "%s", "12345678") == 8 && strcmp(buf, "1234567") == 0);
}

/* A double, where the build has floating-point registers; AArch64 with
 * -mgeneral-regs-only has none, and an int must stand in for it. */
#if defined(__aarch64__) && !defined(__ARM_FP)
#define UNIT_A_DOUBLE 2
#else
#define UNIT_A_DOUBLE 2.0
#endif

/* What fmt does not support ends the formatting where it is, visibly,
 * and reads no further argument. */
static void unsupported(void)
{
	char buf[64];

	CHECK(fmt_ours(buf, sizeof(buf), "a %d b %f c %s", 1, UNIT_A_DOUBLE, "x") == 13 &&
	      strcmp(buf, "a 1 b %f c %s") == 0);
	CHECK(fmt_ours(buf, sizeof(buf), "%p!", (void *)buf) == 3 && strcmp(buf, "%p!") == 0);
	/* '-' wins over '0' (C11 7.21.6.1p6); gcc warns of the pair. */
	CHECK(fmt_ours(buf, sizeof(buf), "%-05d|", -42) == 6 && strcmp(buf, "-42  |") == 0);
	CHECK(fmt_ours(buf, sizeof(buf), "%.3d", 5) == 4 && strcmp(buf, "%.3d") == 0);
	CHECK(fmt_ours(buf, sizeof(buf), "%ls", L"w") == 3 && strcmp(buf, "%ls") == 0);
	CHECK(fmt_ours(buf, sizeof(buf), "%jd", (intmax_t)1) == 3 && strcmp(buf, "%jd") == 0);
	CHECK(fmt_ours(buf, sizeof(buf), "end %") == 5 && strcmp(buf, "end %") == 0);
}

/* A sink that takes a few bytes at a time, as vfprintf's chunks. */
struct collect {
	char text[OUT_BYTES];
	size_t len, flushes, fail_after;
};

static int collect_flush(struct fmt_out *out)
{
	struct collect *c = out->ctx;

	if (c->flushes++ == c->fail_after || c->len + out->used_bytes >= sizeof(c->text))
		return -1;
	memcpy(c->text + c->len, out->buf, out->used_bytes);
	c->len += out->used_bytes;
	out->used_bytes = 0;
	return 0;
}

static int collect(struct collect *c, size_t fail_after, const char *fmt, ...)
{
	char chunk[4];
	struct fmt_out out = {
		.buf = chunk, .size_bytes = sizeof(chunk), .flush = collect_flush, .ctx = c,
	};
	va_list ap;
	int n;

	memset(c, 0, sizeof(*c));
	c->fail_after = fail_after;
	va_start(ap, fmt);
	n = fmt_vformat(&out, fmt, ap);
	va_end(ap);
	if (out.flush)
		collect_flush(&out);
	return n;
}

static void flushes(void)
{
	struct collect c;

	CHECK(collect(&c, SIZE_MAX, "%s=%08u;", "counter", 4242u) == 17 &&
	      strcmp(c.text, "counter=00004242;") == 0 && c.flushes == 5);
	/* A failed flush is not retried; the length is still the whole. */
	CHECK(collect(&c, 1, "%s", "abcdefghijkl") == 12 && strcmp(c.text, "abcd") == 0 &&
	      c.flushes == 2);
}

void unit_fmt(void)
{
	unit_run("fmt: integers, all lengths, signs and limits", integers);
	unit_run("fmt: 64-bit arguments among 32-bit ones", mixed_widths);
	unit_run("fmt: widths, zero and left padding", widths);
	unit_run("fmt: strings, precision, NULL", strings);
	unit_run("fmt: snprintf truncation and return value", truncation);
	unit_run("fmt: an unsupported conversion ends formatting visibly", unsupported);
	unit_run("fmt: output through flush in chunks", flushes);
}
