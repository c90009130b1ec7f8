/* unit_libc_small.c - strtoul as libc_small.c has it in musl builds: the
 * whole contract, not only the base-10 numbers we parse today. The
 * sanitizer build runs the same expectations against glibc's. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

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

void unit_libc_small(void)
{
	unit_run("strtoul: decimal", decimal);
	unit_run("strtoul: no digits", no_digits);
	unit_run("strtoul: a sign negates as unsigned", negative);
	unit_run("strtoul: bases and prefixes", bases);
	unit_run("strtoul: out of range", range);
	unit_run("strtoul: invalid base", bad_base);
}
