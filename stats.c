/* stats.c - counters to lines. Rates are computed in integers over the
 * measured length of the interval (a late tick does not inflate them),
 * and printed with integer conversions only: no floating point on a
 * router without an FPU. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf_sys.h"
#include "report.h"
#include "stats.h"

uint64_t stats_now_us(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	/* tv_nsec is a long: a 32-bit division on any target. */
	return (uint64_t)ts.tv_sec * 1000000u + (unsigned long)ts.tv_nsec / 1000u;
}

uint64_t stats_s_ms(uint64_t us, uint32_t *ms)
{
	*ms = (uint32_t)(us % 1000000u) / 1000u;
	return us / 1000000u;
}

int stats_init(struct stats *s, uint32_t value_bytes, enum stats_style style)
{
	memset(s, 0, sizeof(*s));
	s->style = style;
	if (value_bytes != 8 && value_bytes != 16)
		return -EINVAL;
	s->value_bytes = value_bytes;
	s->has_bytes = value_bytes == 16;
	s->ncpus = bpf_possible_cpus();
	if (s->ncpus < 0)
		return s->ncpus;
	s->buf = calloc(1, bpf_percpu_value_bytes(value_bytes, s->ncpus));
	s->last_us = stats_now_us(CLOCK_MONOTONIC);
	return s->buf ? 0 : -ENOMEM;
}

void stats_free(struct stats *s)
{
	free(s->buf);
	s->buf = NULL;
}

static uint64_t stats_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int stats_read(struct stats *s, int map_fd, struct stats_count *c)
{
	return stats_read_key(s, map_fd, 0, c);
}

int stats_read_key(struct stats *s, int map_fd, uint32_t key, struct stats_count *c)
{
	int i, err = bpf_map_lookup(map_fd, &key, s->buf);
	const uint8_t *v = s->buf;

	if (err)
		return err;
	c->frames = c->bytes = 0;
	/* value_bytes is 8 or 16: each CPU's slot is exactly that long. */
	for (i = 0; i < s->ncpus; i++, v += s->value_bytes) {
		c->frames += stats_u64(v);
		if (s->value_bytes == 16)
			c->bytes += stats_u64(v + 8);
	}
	return 0;
}

/* delta per second over us microseconds, rounded. Split so that nothing
 * overflows for a day's interval at any rate: r * 10^6 < us * 10^6. */
uint64_t stats_per_s(uint64_t delta, uint64_t us)
{
	if (!us)
		return 0;
	return delta / us * 1000000u + (delta % us * 1000000u + us / 2) / us;
}

/* A JSON string: interface names may hold '"', '\' and control bytes.
 * Its quotes are the caller's. */
static void stats_json_str(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned)(unsigned char)*s);
		else
			putc(*s, stdout);
	}
}

/* "name":interval,"name_s":rate,"name_total":total */
static void stats_json_counter(const char *name, uint64_t delta, uint64_t us, uint64_t total)
{
	printf(",\"%s\":%llu,\"%s_s\":%llu,\"%s_total\":%llu", name, (unsigned long long)delta,
	       name, (unsigned long long)stats_per_s(delta, us), name, (unsigned long long)total);
}

static void stats_json(const struct stats *s, const struct stats_count *last,
		       const struct stats_count *c, uint64_t us, const struct stats_dir *d)
{
	uint32_t ms;
	uint64_t sec = stats_s_ms(stats_now_us(CLOCK_REALTIME), &ms);

	printf("{\"time\":%llu.%03u,\"in\":\"", (unsigned long long)sec, (unsigned)ms);
	stats_json_str(d->in);
	fputs("\",\"out\":\"", stdout);
	stats_json_str(d->out);
	printf("\",\"interval_ms\":%llu", (unsigned long long)((us + 500) / 1000));
	stats_json_counter("frames", c->frames - last->frames, us, c->frames);
	if (s->has_bytes)
		stats_json_counter("bytes", c->bytes - last->bytes, us, c->bytes);
	if (s->has_tp) {
		stats_json_counter("err", c->failed - last->failed, us, c->failed);
		stats_json_counter("xmit", c->xmit - last->xmit, us, c->xmit);
		stats_json_counter("drop", c->dropped - last->dropped, us, c->dropped);
	}
	if (s->has_tp && c->failed != last->failed)
		printf(",\"last_errno\":%d", (int)-c->last_err);
	if (d->guard) {
		printf(",\"guard\":\"%s\"", d->guard);
		stats_json_counter("saved", c->passed - last->passed, us, c->passed);
	}
	fputs("}\n", stdout);
}

/* Frames that left through OUT: those counted, less the failed, the
 * dropped and those the guard sent to IN's stack (the counts are read
 * one after the other: never below 0). Without the tracepoints failed
 * and dropped stay 0. */
static uint64_t stats_forwarded(const struct stats_count *last, const struct stats_count *c)
{
	uint64_t frames = c->frames - last->frames;
	uint64_t not = c->passed - last->passed + c->failed - last->failed + c->dropped -
		       last->dropped;

	return frames > not ? frames - not : 0;
}

const char *stats_not_forwarded(uint64_t lost, uint64_t dropped, uint64_t passed, char *buf,
				size_t size)
{
	static const char *const what[] = { "lost", "dropped by OUT", "to IN's stack" };
	const uint64_t n[] = { lost, dropped, passed };
	size_t i, len = 0;

	/* size is STATS_NOT_FORWARDED_BYTES: the checks on len only keep a
	 * smaller buffer from being overrun. */
	buf[0] = '\0';
	for (i = 0; i < 3 && len < size; i++) {
		if (!n[i])
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%llu %s", len ? ", " : " (",
					(unsigned long long)n[i], what[i]);
	}
	if (len && len < size)
		snprintf(buf + len, size - len, ")");
	return buf;
}

/* The plain rates, exactly "N pkt/s" without -e while every frame
 * leaves, and at the end the frames of the period that did not leave:
 * a script that reads the columns by position still reads them. */
static void stats_rates(const struct stats *s, const struct stats_count *last,
			const struct stats_count *c, uint64_t us)
{
	char buf[STATS_NOT_FORWARDED_BYTES];

	printf("%llu pkt/s", (unsigned long long)stats_per_s(stats_forwarded(last, c), us));
	if (s->style == STATS_EXTENDED && s->has_bytes)
		printf(" %llu bit/s",
		       (unsigned long long)stats_per_s((c->bytes - last->bytes) * 8, us));
	if (s->style == STATS_EXTENDED && s->has_tp)
		printf(" %llu err/s %llu xmit/s %llu drop/s",
		       (unsigned long long)stats_per_s(c->failed - last->failed, us),
		       (unsigned long long)stats_per_s(c->xmit - last->xmit, us),
		       (unsigned long long)stats_per_s(c->dropped - last->dropped, us));
	fputs(stats_not_forwarded(c->failed - last->failed, c->dropped - last->dropped,
				  c->passed - last->passed, buf, sizeof(buf)), stdout);
}

static const struct stats_errno {
	int err;
	const char *name;
	const char *meaning;
} stats_errnos[] = {
	{ EOPNOTSUPP, "EOPNOTSUPP", "a veth whose peer has neither XDP nor GRO (since 6.3), "
	  "or a driver without XDP transmit" },
	{ ENXIO, "ENXIO", "a veth whose peer is down, or has neither XDP nor GRO (before 6.3)" },
	{ ENETDOWN, "ENETDOWN", "OUT is down" },
	{ EMSGSIZE, "EMSGSIZE", "the frame is over OUT's MTU" },
};

void stats_err_words(int32_t err, struct stats_err_words *w)
{
	size_t i;

	for (i = 0; i < sizeof(stats_errnos) / sizeof(stats_errnos[0]); i++) {
		if (-err == stats_errnos[i].err) {
			w->name = stats_errnos[i].name;
			w->meaning = stats_errnos[i].meaning;
			return;
		}
	}
	snprintf(w->num, sizeof(w->num), "errno %d", (int)-err);
	w->name = w->num;
	w->meaning = strerror(-err);
}

/* Once per errno: a failing OUT would otherwise fill the log. */
static void stats_explain(struct stats *s, const struct stats_count *last,
			  const struct stats_count *c, const char *out)
{
	struct stats_err_words w;

	if (c->failed == last->failed || !c->last_err || c->last_err == s->said_err)
		return;
	s->said_err = c->last_err;
	stats_err_words(c->last_err, &w);
	report_event(out, "redirected frames fail with %s: %s", w.name, w.meaning);
}

/* The interval that ends now, in microseconds; the next one starts. */
static uint64_t stats_interval_us(struct stats *s)
{
	uint64_t now = stats_now_us(CLOCK_MONOTONIC), us = now - s->last_us;

	s->last_us = now;
	return us;
}

void stats_tick(struct stats *s, const struct stats_count *c, struct stats_count *last,
		const struct stats_dir *d, uint32_t n)
{
	uint64_t us = stats_interval_us(s);
	uint32_t i;

	for (i = 0; i < n; i++) {
		stats_explain(s, &last[i], &c[i], d[i].out);
		if (s->style == STATS_JSON) {
			stats_json(s, &last[i], &c[i], us, &d[i]);
		} else if (s->style != STATS_QUIET) {
			if (s->named)
				printf("%s%s>%s ", i ? "  " : "", d[i].in, d[i].out);
			stats_rates(s, &last[i], &c[i], us);
		}
		last[i] = c[i];
	}
	if (s->style == STATS_PLAIN || s->style == STATS_EXTENDED)
		putc('\n', stdout);
}
