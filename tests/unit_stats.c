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
static void stats_printed(struct stats *s, const struct stats_count *c, struct stats_count *last,
			  const struct stats_dir *d, uint32_t ndirs, char *buf)
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
		stats_tick(s, c, last, d, ndirs);
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
	.frames = 100, .bytes = 5000, .failed = 3, .xmit = 90, .last_err = 0,
};

static const struct stats_dir stats_pair = { "in0", "out0", NULL };

static void lines(void)
{
	struct stats s = { .style = STATS_PLAIN, .value_bytes = 16, .has_bytes = 1, .has_tp = 1 };
	struct stats_count last = { 0 };
	char buf[STATS_OUT_BYTES];

	/* 97 of 100 left: the 3 that failed are not in the rate. */
	stats_printed(&s, &stats_some, &last, &stats_pair, 1, buf);
	CHECK(strcmp(buf, "10 pkt/s (3 lost)\n") == 0);
	/* The next tick's rate is of what came since. */
	s.style = STATS_EXTENDED;
	stats_printed(&s, &(struct stats_count){ .frames = 300, .bytes = 15000, .failed = 3,
						  .xmit = 290 }, &last, &stats_pair, 1, buf);
	CHECK(strcmp(buf, "20 pkt/s 8000 bit/s 0 err/s 20 xmit/s 0 drop/s\n") == 0);
	/* The guard sent 150 of the next 200 to IN's stack, 10 were lost. */
	stats_printed(&s, &(struct stats_count){ .frames = 500, .bytes = 25000, .failed = 13,
						  .xmit = 330, .passed = 150 }, &last, &stats_pair, 1,
		      buf);
	CHECK(strcmp(buf, "4 pkt/s 8000 bit/s 1 err/s 4 xmit/s 0 drop/s "
		      "(10 lost, 150 to IN's stack)\n") == 0);
	s.style = STATS_PLAIN;
	stats_printed(&s, &(struct stats_count){ .frames = 600, .failed = 13, .passed = 250 },
		      &last, &stats_pair, 1, buf);
	CHECK(strcmp(buf, "0 pkt/s (100 to IN's stack)\n") == 0);
	/* OUT's driver dropped 40 of the next 100 with err 0 (overload):
	 * apart from the lost, and not in the rate. */
	stats_printed(&s, &(struct stats_count){ .frames = 700, .failed = 15, .dropped = 40,
						  .passed = 250 }, &last, &stats_pair, 1, buf);
	CHECK(strcmp(buf, "6 pkt/s (2 lost, 40 dropped by OUT)\n") == 0);
	s.style = STATS_QUIET;
	stats_printed(&s, &stats_some, &last, &stats_pair, 1, buf);
	CHECK(buf[0] == '\0');
}

/* -b and several pairs: each direction named, its own counts. */
static void lines_named(void)
{
	struct stats s = { .style = STATS_PLAIN, .value_bytes = 8, .has_tp = 1, .named = 1 };
	static const struct stats_dir d[2] = { { "a", "b", "tripped" }, { "b", "a", NULL } };
	const struct stats_count c[2] = { { .frames = 100, .failed = 20, .passed = 80 },
					  { .frames = 50, .dropped = 10, .xmit = 40 } };
	struct stats_count last[2] = { { 0 } };
	char buf[STATS_OUT_BYTES];

	stats_printed(&s, c, last, d, 2, buf);
	CHECK(strcmp(buf, "a>b 0 pkt/s (20 lost, 80 to IN's stack)  "
		      "b>a 4 pkt/s (10 dropped by OUT)\n") == 0);
	CHECK(last[0].frames == 100 && last[1].dropped == 10);
}

/* -b and several pairs with --json: an object per direction, each with
 * its own guard's state and saved frames, none for a guard that is off. */
static void json_named(void)
{
	struct stats s = { .style = STATS_JSON, .value_bytes = 8, .has_tp = 1, .named = 1 };
	static const struct stats_dir d[2] = { { "a", "b", "tripped" }, { "b", "a", "forwarding" } };
	const struct stats_count c[2] = { { .frames = 100, .failed = 20, .passed = 80 },
					  { .frames = 50, .xmit = 50 } };
	struct stats_count last[2] = { { 0 } };
	char buf[STATS_OUT_BYTES];
	const char *second, *first_in, *first_guard;

	stats_printed(&s, c, last, d, 2, buf);
	second = strstr(buf, "}\n{");
	first_in = strstr(buf, "\"in\":\"a\",\"out\":\"b\"");
	first_guard = strstr(buf, ",\"guard\":\"tripped\",\"saved\":80,");
	if (!CHECK(second && first_in && first_guard))
		return;
	CHECK(first_in < second && first_guard < second);
	CHECK(strstr(second, "\"in\":\"b\",\"out\":\"a\"") &&
	      strstr(second, ",\"guard\":\"forwarding\",\"saved\":0,"));
}

/* The stop line's parenthesis: only the parts that are not 0. */
static void not_forwarded(void)
{
	char buf[STATS_NOT_FORWARDED_BYTES];

	CHECK(strcmp(stats_not_forwarded(0, 0, 0, buf, sizeof(buf)), "") == 0);
	CHECK(strcmp(stats_not_forwarded(0, 7, 0, buf, sizeof(buf)), " (7 dropped by OUT)") == 0);
	CHECK(strcmp(stats_not_forwarded(1, 2, 3, buf, sizeof(buf)),
		     " (1 lost, 2 dropped by OUT, 3 to IN's stack)") == 0);
	stats_not_forwarded(UINT64_MAX, UINT64_MAX, UINT64_MAX, buf, sizeof(buf));
	CHECK(strlen(buf) < sizeof(buf) && buf[strlen(buf) - 1] == ')');
}

/* Names are escaped as JSON strings; the time and the interval vary. */
static void json(void)
{
	struct stats s = { .style = STATS_JSON, .value_bytes = 16, .has_bytes = 1, .has_tp = 1 };
	struct stats_dir d = { "in\"0", "o\\ut\001", NULL };
	struct stats_count c = stats_some, last = { 0 };
	char buf[STATS_OUT_BYTES];
	const char *rest;

	/* ENXIO, already named on stderr once. */
	c.last_err = -6;
	s.said_err = -6;
	c.dropped = 4;
	stats_printed(&s, &c, &last, &d, 1, buf);
	rest = strstr(buf, ",\"in\":\"in\\\"0\",\"out\":\"o\\\\ut\\u0001\",\"interval_ms\":");
	CHECK(strncmp(buf, "{\"time\":", 8) == 0 && rest != NULL);
	rest = strstr(buf, ",\"frames\":100,\"frames_s\":10,\"frames_total\":100,"
		      "\"bytes\":5000,\"bytes_s\":500,\"bytes_total\":5000,"
		      "\"err\":3,\"err_s\":0,\"err_total\":3,"
		      "\"xmit\":90,\"xmit_s\":9,\"xmit_total\":90,"
		      "\"drop\":4,\"drop_s\":0,\"drop_total\":4,\"last_errno\":6}\n");
	CHECK(rest != NULL && rest[strlen(rest) - 1] == '\n' && strchr(rest, '\n')[1] == '\0');
	/* The guard's state and the frames it saved. */
	d.guard = "tripped";
	c.frames = 200;
	c.passed = 100;
	stats_printed(&s, &c, &last, &d, 1, buf);
	CHECK(strstr(buf, ",\"guard\":\"tripped\",\"saved\":100,\"saved_s\":10,"
		      "\"saved_total\":100}\n") != NULL);
}

void unit_stats(void)
{
	unit_run("stats: seconds and milliseconds, rates rounded", times_and_rates);
	unit_run("stats: the line, with -e, and none with -q", lines);
	unit_run("stats: -b and several pairs, a direction each", lines_named);
	unit_run("stats: --json with -b and several pairs, a guard each", json_named);
	unit_run("stats: the frames not forwarded, only the parts not 0", not_forwarded);
	unit_run("stats: --json, names escaped", json);
}
