/* stats.h - the counters of a forwarder: rxcnt summed over the possible
 * CPUs, rates over the measured length of each interval, and the lines
 * on stdout: "N pkt/s", the -e columns, or one JSON object per interval.
 * Top layer: prints (and names the errno when redirects start failing). */
#ifndef XRM_STATS_H
#define XRM_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Totals since the programs were loaded. */
struct stats_count {
	uint64_t frames;
	uint64_t bytes;			/* 0 when rxcnt counts frames only */
	uint64_t failed;		/* redirects or transmits that failed with an errno */
	uint64_t dropped;		/* transmits OUT's driver dropped with err 0 (overload) */
	uint64_t xmit;			/* frames OUT's driver took */
	int32_t last_err;		/* -errno of the latest failure, 0 none */
	uint64_t passed;		/* frames the guard sent to IN's stack */
};

enum stats_style { STATS_QUIET, STATS_PLAIN, STATS_EXTENDED, STATS_JSON };

struct stats {
	enum stats_style style;
	int ncpus;			/* possible CPUs: one value each */
	uint32_t value_bytes;		/* rxcnt's value: 8 frames, 16 frames and bytes */
	int has_bytes;			/* bytes are counted: shown with -e and --json */
	uint8_t *buf;			/* the per-CPU values of a lookup */
	int has_tp;			/* failed, dropped and xmit are counted */
	int named;			/* lines name each direction: -b, several pairs */
	uint64_t last_us;		/* CLOCK_MONOTONIC of the previous tick */
	int32_t said_err;		/* the errno last explained on stderr */
};

/* A direction's names, and its guard's state for --json (NULL: off). */
struct stats_dir {
	const char *in, *out;
	const char *guard;
};

/* value_bytes is rxcnt's value_size; other sizes than 8 and 16 are
 * -EINVAL. Starts the first interval. */
int stats_init(struct stats *s, uint32_t value_bytes, enum stats_style style);
void stats_free(struct stats *s);

/* Frames and bytes of key 0 (or key), summed; the other fields are left
 * alone. */
int stats_read(struct stats *s, int map_fd, struct stats_count *c);
int stats_read_key(struct stats *s, int map_fd, uint32_t key, struct stats_count *c);

/* The line of the interval that ends now: n directions, c[i] the totals
 * of direction i, last[i] those of the previous tick (updated). One line,
 * "N pkt/s" (-e adds columns), with "IN>OUT " before each direction's
 * rates and two spaces between them when named; or an object per
 * direction with --json. */
void stats_tick(struct stats *s, const struct stats_count *c, struct stats_count *last,
		const struct stats_dir *d, uint32_t n);

/* Room for stats_not_forwarded's words and three 20-digit counts. */
#define STATS_NOT_FORWARDED_BYTES 112

/* " (M lost, D dropped by OUT, K to IN's stack)" with only the non-zero
 * parts, "" if none: frames counted that did not leave through OUT. */
const char *stats_not_forwarded(uint64_t lost, uint64_t dropped, uint64_t passed, char *buf,
				size_t size);

/* The time on clock; us as seconds and milliseconds; delta per second
 * over us, rounded. */
uint64_t stats_now_us(int clock);
uint64_t stats_s_ms(uint64_t us, uint32_t *ms);
uint64_t stats_per_s(uint64_t delta, uint64_t us);

/* A failed redirect's -errno in words: its name and what it usually
 * means, or "errno N" and strerror's words for one we do not know. */
struct stats_err_words {
	const char *name, *meaning;
	char num[16];			/* "errno N", when name points here */
};
void stats_err_words(int32_t err, struct stats_err_words *w);

#endif
