/* unit_guard.c - every transition of the guard, and the thresholds: one
 * dead period trips, drops with err 0 (counted apart) never do, retries
 * wait 1, 2, 4 ... 60 s and only where OUT can send. */
#include <errno.h>
#include <string.h>

#include "guard.h"
#include "unit.h"

/* One second of 1000 frames, all failed, none taken by OUT. */
static struct guard_period guard_dead_s(int32_t err)
{
	return (struct guard_period){ .frames = 1000, .failed = 1000, .err = err, .ms = 1000 };
}

static const struct guard_period guard_ok_s = { .frames = 1000, .xmit = 1000, .ms = 1000 };
static const struct guard_out guard_out_ok = { .up = 1, .carrier = 1, .mtu = 1500 };

/* Tripped by err, with OUT as it is fine again. */
static void guard_tripped_by(struct guard *g, int32_t err)
{
	struct guard_period p = guard_dead_s(err);

	guard_init(g);
	CHECK(guard_tick(g, &p, &guard_out_ok) == GUARD_TRIP);
}

static void persistent_errnos_trip(void)
{
	static const int32_t errs[] = { -EOPNOTSUPP, -ENXIO, -ENETDOWN, -EMSGSIZE, -EOVERFLOW };
	struct guard g;
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		guard_tripped_by(&g, errs[i]);
		CHECK(g.state == GUARD_TRIPPED && g.err == errs[i] && g.trips == 1);
		CHECK(g.lost == 1000 && g.lost_rate == 1000 && g.mtu == 1500);
		CHECK(strcmp(guard_state_name(g.state), "tripped") == 0);
	}
}

/* Overload: OUT takes some, drops the rest with err 0, even after an
 * errno of long ago (the tracepoints keep the latest); a few failures
 * among them are lost, the drops are not. */
static void overload_never_trips(void)
{
	struct guard_period flood = { .frames = 100000, .failed = 10, .dropped = 40000,
				      .xmit = 59990, .ms = 1000 };
	struct guard g;
	int i;

	guard_init(&g);
	for (i = 0; i < 10; i++) {
		flood.err = i % 2 ? -ENXIO : 0;
		CHECK(guard_tick(&g, &flood, &guard_out_ok) == GUARD_NONE);
	}
	CHECK(g.state == GUARD_FORWARDING && g.lost == 100);
	CHECK(strcmp(guard_state_name(g.state), "forwarding") == 0);
}

/* A stalled ring: OUT's driver took none of a period's frames and
 * dropped them all with err 0, after an errno of long ago. Counted as
 * failures, these would trip it. */
static void stalled_ring_never_trips(void)
{
	struct guard_period stall = { .frames = 1000, .dropped = 1000, .err = -ENXIO, .ms = 1000 };
	struct guard g;
	int i;

	guard_init(&g);
	for (i = 0; i < 3; i++)
		CHECK(guard_tick(&g, &stall, &guard_out_ok) == GUARD_NONE);
	CHECK(g.state == GUARD_FORWARDING && g.trips == 0 && g.lost == 0);
}

/* Nothing taken, but no errno or one of a moment: no trip. */
static void transient_never_trips(void)
{
	struct guard_period drops = { .frames = 1000, .dropped = 1000, .ms = 1000 };
	struct guard_period nomem = guard_dead_s(-ENOMEM);
	struct guard_period idle = { .ms = 1000, .err = -ENXIO };
	struct guard_period one_out = { .frames = 1000, .failed = 999, .xmit = 1, .err = -ENXIO,
					.ms = 1000 };
	struct guard g;

	guard_init(&g);
	CHECK(guard_tick(&g, &drops, &guard_out_ok) == GUARD_NONE);
	CHECK(guard_tick(&g, &nomem, &guard_out_ok) == GUARD_NONE);
	CHECK(guard_tick(&g, &idle, &guard_out_ok) == GUARD_NONE);
	/* One frame out: OUT works, however badly. */
	CHECK(guard_tick(&g, &one_out, &guard_out_ok) == GUARD_NONE);
	CHECK(g.state == GUARD_FORWARDING && g.trips == 0);
}

/* Generic mode: OUT's transmits are not traced (xmit 0), so the share
 * of failed frames decides: all but 1/8 or more. */
static void generic_mode_share(void)
{
	struct guard_period p = { .frames = 1000, .failed = 874, .err = -EMSGSIZE, .ms = 1000 };
	struct guard g;

	guard_init(&g);
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_NONE);
	p.failed = 500;
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_NONE);
	p.failed = 875;
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_TRIP);
	/* The MTU raised; the trial: frames, none failed, none seen taken:
	 * restored. */
	p = (struct guard_period){ .ms = 1000 };
	CHECK(guard_tick(&g, &p, &(struct guard_out){ 1, 1, 9000 }) == GUARD_RETRY);
	p.frames = 1000;
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_RESTORED);
}

/* A hole that opens mid-period: partial, then dead: the second trips. */
static void mid_period_trips_next(void)
{
	struct guard_period half = { .frames = 1000, .failed = 500, .xmit = 500,
				     .err = -EMSGSIZE, .ms = 1000 };
	struct guard_period rest = guard_dead_s(-EMSGSIZE);
	struct guard g;

	guard_init(&g);
	CHECK(guard_tick(&g, &half, &guard_out_ok) == GUARD_NONE);
	rest.ms = 2000;
	CHECK(guard_tick(&g, &rest, &guard_out_ok) == GUARD_TRIP);
	/* The rate of the period that tripped it, per second. */
	CHECK(g.lost == 1500 && g.lost_rate == 500);
}

/* Tripped: frames counted are saved; the first retry after 1 s. */
static void retry_after_wait(void)
{
	struct guard_period quarter = { .frames = 250, .ms = 250 };
	struct guard g;
	int i;

	guard_tripped_by(&g, -ENXIO);
	for (i = 0; i < 3; i++)
		CHECK(guard_tick(&g, &quarter, &guard_out_ok) == GUARD_NONE);
	CHECK(guard_tick(&g, &quarter, &guard_out_ok) == GUARD_RETRY);
	CHECK(g.state == GUARD_TRIAL && g.saved == 1000);
	CHECK(strcmp(guard_state_name(g.state), "trial") == 0);
}

/* What can be seen without a frame holds the retry back, and lets it go
 * at the next tick once mended. */
static void retry_waits_for_out(void)
{
	static const struct guard_out down = { 0, 0, 1500 }, no_carrier = { 1, 0, 1500 };
	static const struct guard_out mtu_same = { 1, 1, 1400 }, mtu_raised = { 1, 1, 1500 };
	struct guard_period idle = { .ms = 1000 };
	struct guard g;

	guard_tripped_by(&g, -ENETDOWN);
	CHECK(guard_tick(&g, &idle, &down) == GUARD_NONE);
	CHECK(guard_tick(&g, &idle, &no_carrier) == GUARD_NONE);
	CHECK(guard_tick(&g, &idle, &guard_out_ok) == GUARD_RETRY);

	guard_init(&g);
	idle = guard_dead_s(-EMSGSIZE);
	CHECK(guard_tick(&g, &idle, &mtu_same) == GUARD_TRIP);
	idle = (struct guard_period){ .ms = 5000 };
	CHECK(guard_tick(&g, &idle, &mtu_same) == GUARD_NONE);
	CHECK(guard_tick(&g, &idle, &mtu_raised) == GUARD_RETRY);
}

/* A trip by EMSGSIZE at OUT's same MTU, then a trial only once 60 s have
 * passed since it. */
static void emsgsize_trip_then_60_s(struct guard *g)
{
	static const struct guard_out mtu_same = { 1, 1, 1400 };
	struct guard_period p = guard_dead_s(-EMSGSIZE);

	CHECK(guard_tick(g, &p, &mtu_same) == GUARD_TRIP);
	p = (struct guard_period){ .ms = 59999 };
	CHECK(guard_tick(g, &p, &mtu_same) == GUARD_NONE);
	p.ms = 1;
	CHECK(guard_tick(g, &p, &mtu_same) == GUARD_RETRY);
}

/* Smaller frames mend EMSGSIZE too: a trial a minute after each trip. */
static void emsgsize_same_mtu(void)
{
	struct guard g;

	guard_init(&g);
	emsgsize_trip_then_60_s(&g);
	/* The trial failed: the minute counts again from this trip. */
	emsgsize_trip_then_60_s(&g);
}

static void trial_restores(void)
{
	struct guard_period idle = { .ms = 1000 }, dead = guard_dead_s(-ENXIO);
	struct guard g;

	guard_tripped_by(&g, -ENXIO);
	CHECK(guard_tick(&g, &idle, &guard_out_ok) == GUARD_RETRY);
	/* No frames in the trial: no verdict yet. */
	CHECK(guard_tick(&g, &idle, &guard_out_ok) == GUARD_NONE && g.state == GUARD_TRIAL);
	CHECK(guard_tick(&g, &dead, &guard_out_ok) == GUARD_TRIP && g.trips == 2);
	CHECK(guard_tick(&g, &idle, &guard_out_ok) == GUARD_NONE);
	CHECK(guard_tick(&g, &idle, &guard_out_ok) == GUARD_RETRY);
	CHECK(guard_tick(&g, &guard_ok_s, &guard_out_ok) == GUARD_RESTORED);
	CHECK(g.state == GUARD_FORWARDING && g.trips == 0 && g.retry_s == GUARD_RETRY_FIRST_S);
	CHECK(guard_tick(&g, &guard_ok_s, &guard_out_ok) == GUARD_NONE);
}

/* Failed trials: waits of 1, 2, 4, 8, 16, 32, 60, 60 s. */
static void retries_back_off(void)
{
	static const uint32_t waits_s[] = { 1, 2, 4, 8, 16, 32, 60, 60 };
	struct guard_period s1 = { .ms = 1000 }, dead = guard_dead_s(-EOPNOTSUPP);
	struct guard g;
	uint32_t i, t;

	guard_tripped_by(&g, -EOPNOTSUPP);
	for (i = 0; i < sizeof(waits_s) / sizeof(waits_s[0]); i++) {
		for (t = 1; t < waits_s[i]; t++)
			CHECK(guard_tick(&g, &s1, &guard_out_ok) == GUARD_NONE);
		CHECK(guard_tick(&g, &s1, &guard_out_ok) == GUARD_RETRY);
		CHECK(guard_tick(&g, &dead, &guard_out_ok) == GUARD_TRIP);
	}
	CHECK(g.trips == 9 && g.lost_rate == 1000);
}

/* Blind (no tracepoints): OUT up, at least GUARD_BLIND_FRAMES redirected
 * to it, and its transmit count did not move. Nothing less trips. */
static void blind_trips_on_silence(void)
{
	struct guard_period p = { .frames = GUARD_BLIND_FRAMES, .ms = 1000, .blind = 1 };
	struct guard_out down = guard_out_ok;
	struct guard g;

	down.up = 0;
	guard_init(&g);
	p.xmit = 1;
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_NONE);
	p.xmit = 0;
	p.frames = GUARD_BLIND_FRAMES - 1;
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_NONE);
	p.frames = GUARD_BLIND_FRAMES;
	CHECK(guard_tick(&g, &p, &down) == GUARD_NONE);
	CHECK(g.state == GUARD_FORWARDING);
	p.frames = 1000;
	CHECK(guard_tick(&g, &p, &guard_out_ok) == GUARD_TRIP);
	CHECK(g.state == GUARD_TRIPPED && g.err == 0 && g.lost_rate == 1000);
}

/* Blind, a trial into the same silence trips again; one OUT sends from
 * restores. */
static void blind_trial(void)
{
	struct guard_period dead = { .frames = 1000, .ms = 1000, .blind = 1 };
	struct guard_period ok = { .frames = 1000, .xmit = 1000, .ms = 1000, .blind = 1 };
	struct guard_period none = { .ms = 1000, .blind = 1 };
	struct guard g;

	guard_init(&g);
	CHECK(guard_tick(&g, &dead, &guard_out_ok) == GUARD_TRIP);
	CHECK(guard_tick(&g, &none, &guard_out_ok) == GUARD_RETRY);
	CHECK(guard_tick(&g, &dead, &guard_out_ok) == GUARD_TRIP && g.retry_s == 2);
	CHECK(guard_tick(&g, &none, &guard_out_ok) == GUARD_NONE);
	CHECK(guard_tick(&g, &none, &guard_out_ok) == GUARD_RETRY);
	CHECK(guard_tick(&g, &ok, &guard_out_ok) == GUARD_RESTORED);
}

/* A port that came back: forwarding, the first wait again, the totals
 * kept. */
static void restart_keeps_totals(void)
{
	struct guard_period none = { .ms = 1000 };
	struct guard g;

	guard_tripped_by(&g, -EMSGSIZE);
	CHECK(guard_tick(&g, &guard_ok_s, &guard_out_ok) == GUARD_NONE);
	g.retry_s = 8;
	guard_restart(&g);
	CHECK(g.state == GUARD_FORWARDING && g.retry_s == GUARD_RETRY_FIRST_S && g.trips == 0);
	CHECK(g.lost == 1000 && g.saved == 1000);
	CHECK(guard_tick(&g, &none, &guard_out_ok) == GUARD_NONE);
}

void unit_guard(void)
{
	unit_run("guard: each persistent errno trips in one dead period", persistent_errnos_trip);
	unit_run("guard: an overloaded OUT's drops never trip", overload_never_trips);
	unit_run("guard: a ring that took none, dropped all with err 0: no trip",
		 stalled_ring_never_trips);
	unit_run("guard: drops with err 0, a transient errno, no frames: no trip",
		 transient_never_trips);
	unit_run("guard: in generic mode, nearly all frames failed trips", generic_mode_share);
	unit_run("guard: a hole opened mid-period trips at the next", mid_period_trips_next);
	unit_run("guard: the first retry after 1 s, frames saved meanwhile", retry_after_wait);
	unit_run("guard: no retry while OUT is down, without carrier or at the same MTU",
		 retry_waits_for_out);
	unit_run("guard: at the same MTU after EMSGSIZE, a trial 60 s after each trip",
		 emsgsize_same_mtu);
	unit_run("guard: a trial restores, or trips again", trial_restores);
	unit_run("guard: retries at 1, 2, 4 ... 60 s", retries_back_off);
	unit_run("guard: blind, an up OUT that sent nothing of 16 frames trips", blind_trips_on_silence);
	unit_run("guard: blind, a trial into silence trips again, one that sends restores",
		 blind_trial);
	unit_run("guard: a port come back starts it over, its totals kept", restart_keeps_totals);
}
