/* unit_decimal.c - decimal_u32: digits only, the bound held exactly at
 * every width, where it stops, and what it leaves alone on a refusal. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "decimal.h"
#include "unit.h"

/* s read whole (end at its NUL) as v under max. */
static int reads(const char *s, uint32_t max, uint32_t v)
{
	const char *end = NULL;
	uint32_t x = 0;

	return decimal_u32(s, &end, max, &x) == 0 && x == v && end == s + strlen(s);
}

static int refuses(const char *s, uint32_t max)
{
	const char *end = s;
	uint32_t x = 7;

	return decimal_u32(s, &end, max, &x) == -EINVAL && x == 7 && end == s;
}

static void digits_and_bounds(void)
{
	CHECK(reads("0", 0, 0));
	CHECK(reads("007", 7, 7));
	CHECK(reads("4294967295", UINT32_MAX, UINT32_MAX));
	CHECK(reads("65535", 0xffff, 0xffff));
	CHECK(reads("2147483647", INT32_MAX, INT32_MAX));
	CHECK(refuses("4294967296", UINT32_MAX));
	CHECK(refuses("42949672950", UINT32_MAX));
	CHECK(refuses("99999999999999999999", UINT32_MAX));
	CHECK(refuses("65536", 0xffff));
	CHECK(refuses("2147483648", INT32_MAX));
	CHECK(refuses("1", 0));
	CHECK(refuses("10", 9));
	CHECK(reads("9", 9, 9));
}

/* What strtoul would take and we do not: blanks, signs, nothing. */
static void no_sign_no_blank(void)
{
	CHECK(refuses("", UINT32_MAX));
	CHECK(refuses(" 1", UINT32_MAX));
	CHECK(refuses("+1", UINT32_MAX));
	CHECK(refuses("-1", UINT32_MAX));
	CHECK(refuses("x1", UINT32_MAX));
}

/* It stops at the first byte that is not a digit, and says where. */
static void stops_after_digits(void)
{
	const char *s = "12;34", *end = NULL;
	uint32_t x = 0;

	CHECK(decimal_u32(s, &end, UINT32_MAX, &x) == 0 && x == 12 && end == s + 2);
	CHECK(decimal_u32("0-3\n", &end, UINT32_MAX, &x) == 0 && x == 0 && *end == '-');
}

void unit_decimal(void)
{
	unit_run("decimal: digits, up to the bound and not one more", digits_and_bounds);
	unit_run("decimal: no blank, sign or empty number", no_sign_no_blank);
	unit_run("decimal: stops after the digits, and says where", stops_after_digits);
}
