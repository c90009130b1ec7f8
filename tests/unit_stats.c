/* unit_stats.c - the arithmetic of the statistics (under qemu-user for
 * 32-bit targets, where 64-bit division is a libgcc call, natively
 * elsewhere) and the lines stats.c prints, read back from its stdout. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* The room for what one tick prints. */
#define STATS_OUT_BYTES 1024

/* A tick's output, read back from stdout. The interval is made 10 s, so
 * that the microseconds the test itself takes do not change a rate. */
static void stats_printed(struct stats *s, const struct stats_count *c, const char *in,
			  const char *out, char *buf)
{
	int p[2], saved;
	ssize_t n = 0;

	buf[0] = '\0';
	fflush(stdout);
	if (!CHECK(pipe(p) == 0))
		return;
	saved = dup(1);
	if (CHECK(saved >= 0 && dup2(p[1], 1) == 1)) {
		s->last_us = stats_now_us(CLOCK_MONOTONIC) - 10000000u;
		stats_tick(s, c, in, out);
		fflush(stdout);
		dup2(saved, 1);
	}
	/* No writer left: a tick that printed nothing reads as end of file. */
	close(p[1]);
	n = read(p[0], buf, STATS_OUT_BYTES - 1);
	if (saved >= 0)
		close(saved);
	close(p[0]);
	buf[n > 0 ? n : 0] = '\0';
}

/* 100 frames of 50 bytes in 10 s; 3 failed redirects, 90 transmitted. */
static const struct stats_count stats_some = {
	.frames = 100, .bytes = 5000, .errors = 3, .xmit = 90, .last_err = 0,
};

static void lines(void)
{
	struct stats s = { .style = STATS_PLAIN, .value_bytes = 16, .has_bytes = 1, .has_tp = 1 };
	char buf[STATS_OUT_BYTES];

	/* 97 of 100 left: the 3 that failed are not in the rate. */
	stats_printed(&s, &stats_some, "in0", "out0", buf);
	CHECK(strcmp(buf, "10 pkt/s (3 lost, 0 to IN's stack)\n") == 0);
	/* The next tick's rate is of what came since. */
	s.style = STATS_EXTENDED;
	stats_printed(&s, &(struct stats_count){ .frames = 300, .bytes = 15000, .errors = 3,
						  .xmit = 290 }, "in0", "out0", buf);
	CHECK(strcmp(buf, "20 pkt/s 8000 bit/s 0 err/s 20 xmit/s\n") == 0);
	/* The guard sent 150 of the next 200 to IN's stack, 10 were lost. */
	stats_printed(&s, &(struct stats_count){ .frames = 500, .bytes = 25000, .errors = 13,
						  .xmit = 330, .passed = 150 }, "in0", "out0", buf);
	CHECK(strcmp(buf, "4 pkt/s 8000 bit/s 1 err/s 4 xmit/s (10 lost, 150 to IN's stack)\n")
	      == 0);
	s.style = STATS_PLAIN;
	stats_printed(&s, &(struct stats_count){ .frames = 600, .errors = 13, .passed = 250 },
		      "in0", "out0", buf);
	CHECK(strcmp(buf, "0 pkt/s (0 lost, 100 to IN's stack)\n") == 0);
	s.style = STATS_QUIET;
	stats_printed(&s, &stats_some, "in0", "out0", buf);
	CHECK(buf[0] == '\0');
}

/* Names are escaped as JSON strings; the time and the interval vary. */
static void json(void)
{
	struct stats s = { .style = STATS_JSON, .value_bytes = 16, .has_bytes = 1, .has_tp = 1 };
	struct stats_count c = stats_some;
	char buf[STATS_OUT_BYTES];
	const char *rest;

	/* ENXIO, already named on stderr once. */
	c.last_err = -6;
	s.said_err = -6;
	stats_printed(&s, &c, "in\"0", "o\\ut\001", buf);
	rest = strstr(buf, ",\"in\":\"in\\\"0\",\"out\":\"o\\\\ut\\u0001\",\"interval_ms\":");
	CHECK(strncmp(buf, "{\"time\":", 8) == 0 && rest != NULL);
	rest = strstr(buf, ",\"frames\":100,\"frames_s\":10,\"frames_total\":100,"
		      "\"bytes\":5000,\"bytes_s\":500,\"bytes_total\":5000,"
		      "\"err\":3,\"err_s\":0,\"err_total\":3,"
		      "\"xmit\":90,\"xmit_s\":9,\"xmit_total\":90,\"last_errno\":6}\n");
	CHECK(rest != NULL && rest[strlen(rest) - 1] == '\n' && strchr(rest, '\n')[1] == '\0');
	/* The guard's state and the frames it saved. */
	s.guard = "tripped";
	c.frames = 200;
	c.passed = 100;
	stats_printed(&s, &c, "in", "out", buf);
	CHECK(strstr(buf, ",\"guard\":\"tripped\",\"saved\":100,\"saved_s\":10,"
		      "\"saved_total\":100}\n") != NULL);
}

void unit_stats(void)
{
	unit_run("stats: seconds and milliseconds, rates rounded", times_and_rates);
	unit_run("stats: the line, with -e, and none with -q", lines);
	unit_run("stats: --json, names escaped", json);
}
