/* unit_stats.c - the arithmetic of the statistics, which 32-bit targets
 * do bit by bit (stats_div) rather than with libgcc: under qemu-user for
 * those, natively elsewhere. */
#include <stdint.h>

#include "stats.h"
#include "unit.h"

static int div_is(uint64_t n, uint64_t d, uint64_t q, uint64_t r)
{
	uint64_t rem = ~(uint64_t)0;

	return stats_div(n, d, &rem) == q && rem == r;
}

static void division(void)
{
	CHECK(div_is(0, 7, 0, 0));
	CHECK(div_is(6, 7, 0, 6));
	CHECK(div_is(7, 7, 1, 0));
	CHECK(div_is(UINT64_MAX, 1, UINT64_MAX, 0));
	CHECK(div_is(UINT64_MAX, 3, 0x5555555555555555ull, 0));
	CHECK(div_is(UINT64_MAX, 1000000, 18446744073709ull, 551615));
	CHECK(div_is(86400000000ull + 999, 1000, 86400000, 999));
	/* A divisor over 32 bits: a day's interval in microseconds. */
	CHECK(div_is(6912000000000000ull + 5, 86400000000ull, 80000, 5));
	CHECK(div_is((uint64_t)1 << 62, ((uint64_t)1 << 62) + 1, 0, (uint64_t)1 << 62));
	CHECK(div_is(UINT64_MAX, (uint64_t)1 << 62, 3, ((uint64_t)1 << 62) - 1));
}

static void times_and_rates(void)
{
	uint32_t ms = 9;

	CHECK(stats_s_ms(1234567890, &ms) == 1234 && ms == 567);
	CHECK(stats_s_ms(999, &ms) == 0 && ms == 0);
	CHECK(stats_per_s(1000, 1000000) == 1000);
	CHECK(stats_per_s(1000, 0) == 0);
	/* Rounded to the nearest: 1/3 and 2/3 of a frame per second. */
	CHECK(stats_per_s(1, 3000000) == 0);
	CHECK(stats_per_s(2, 3000000) == 1);
	CHECK(stats_per_s(10, 1500000) == 7);
	/* A late tick: 1000 frames in 1.25 s. */
	CHECK(stats_per_s(1000, 1250000) == 800);
	/* 100 Gbit/s for a day, and the largest count over a second. */
	CHECK(stats_per_s(8640000000000000ull, 86400000000ull) == 100000000000ull);
	CHECK(stats_per_s(UINT64_MAX, 1000000) == UINT64_MAX);
}

void unit_stats(void)
{
	unit_run("stats: 64-bit division, with divisors over 32 bits", division);
	unit_run("stats: seconds and milliseconds, rates rounded", times_and_rates);
}
