/* unit_stats.c - the arithmetic of the statistics: under qemu-user for
 * 32-bit targets, where 64-bit division is a libgcc call, natively
 * elsewhere. */
#include <stdint.h>

#include "stats.h"
#include "unit.h"

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
	unit_run("stats: seconds and milliseconds, rates rounded", times_and_rates);
}
