/* guard.c - the guard's states:
 *
 *   FORWARDING --dead period--> TRIPPED --wait over, OUT can send--> TRIAL
 *   TRIAL --frames out--> FORWARDING (restored)
 *   TRIAL --dead period--> TRIPPED (the wait doubles, up to 60 s)
 *
 * A dead period: frames failed with a persistent errno, OUT's driver
 * took none, and (for generic mode, where taken frames are not seen) the
 * failed ones are nearly all the frames. Frames OUT's driver dropped
 * with err 0 (a full ring) never count: overload is not a black hole.
 * Blind, without the tracepoints: IN redirected frames to an OUT that is
 * up, and OUT transmitted nothing at all (GUARD_BLIND_FRAMES). */
#include <errno.h>
#include <string.h>

#include "guard.h"

void guard_init(struct guard *g)
{
	memset(g, 0, sizeof(*g));
	g->retry_s = GUARD_RETRY_FIRST_S;
}

/* The kernel's: -EOPNOTSUPP (no ndo_xdp_xmit, or a veth whose peer lacks
 * NAPI, 6.3+), -ENETDOWN and -EMSGSIZE (xdp_ok_fwd_dev), -EOVERFLOW (no
 * room for the frame's metadata), -ENXIO (veth_xdp_xmit: a peer without
 * NAPI, or down). Each lasts until someone changes OUT. */
int guard_err_persists(int32_t err)
{
	return err == -EOPNOTSUPP || err == -ENXIO || err == -ENETDOWN || err == -EMSGSIZE ||
	       err == -EOVERFLOW;
}

/* In generic mode frames leave through the stack's transmit path, which
 * xdp_devmap_xmit does not see: xmit stays 0 there, and the share of the
 * frames that failed tells instead. Not all of them: the program's count
 * is read after the tracepoints', so it may hold a few frames more.
 * Blind, OUT's own transmit count stands for xmit; an OUT that is down
 * has had its slot emptied by ports.c, and its frames are not ours. */
static int guard_dead(const struct guard_period *p, const struct guard_out *out)
{
	if (p->blind)
		return out->up && p->frames >= GUARD_BLIND_FRAMES && p->xmit == 0;
	return p->failed > 0 && p->xmit == 0 && guard_err_persists(p->err) &&
	       p->failed >= p->frames - p->frames / GUARD_DEAD_SHARE;
}

/* A retry could only fail: OUT down or without carrier. Still the MTU
 * that refused the frames: the frames may have shrunk instead, which
 * only a trial tells, once the longest wait has passed. */
static int guard_out_ready(const struct guard *g, const struct guard_out *out)
{
	if (!out->up || !out->carrier)
		return 0;
	return g->err != -EMSGSIZE || out->mtu != g->mtu ||
	       g->tripped_ms >= GUARD_RETRY_MAX_S * 1000u;
}

static uint64_t guard_per_s(uint64_t n, uint32_t ms)
{
	return ms ? n * 1000 / ms : n;
}

static enum guard_action guard_trip(struct guard *g, const struct guard_period *p,
				    const struct guard_out *out)
{
	g->state = GUARD_TRIPPED;
	g->err = p->err;
	g->mtu = out->mtu;
	g->trips++;
	g->wait_ms = g->retry_s * 1000;
	g->tripped_ms = 0;
	if (g->trips == 1)
		g->lost_rate = guard_per_s(p->blind ? p->frames : p->failed, p->ms);
	return GUARD_TRIP;
}

static enum guard_action guard_tripped(struct guard *g, const struct guard_period *p,
				       const struct guard_out *out)
{
	g->saved += p->frames;
	g->tripped_ms += p->ms;
	g->wait_ms = g->wait_ms > p->ms ? g->wait_ms - p->ms : 0;
	if (g->wait_ms || !guard_out_ready(g, out))
		return GUARD_NONE;
	g->state = GUARD_TRIAL;
	return GUARD_RETRY;
}

/* No frames, no verdict: the slot stays filled until traffic tells. */
static enum guard_action guard_trial(struct guard *g, const struct guard_period *p,
				     const struct guard_out *out)
{
	if (guard_dead(p, out)) {
		g->retry_s *= 2;
		if (g->retry_s > GUARD_RETRY_MAX_S)
			g->retry_s = GUARD_RETRY_MAX_S;
		return guard_trip(g, p, out);
	}
	if (p->frames == 0)
		return GUARD_NONE;
	g->state = GUARD_FORWARDING;
	g->retry_s = GUARD_RETRY_FIRST_S;
	g->trips = 0;
	return GUARD_RESTORED;
}

enum guard_action guard_tick(struct guard *g, const struct guard_period *p,
			     const struct guard_out *out)
{
	g->lost += p->failed;
	switch (g->state) {
	case GUARD_TRIPPED:
		return guard_tripped(g, p, out);
	case GUARD_TRIAL:
		return guard_trial(g, p, out);
	case GUARD_FORWARDING:
		break;
	}
	return guard_dead(p, out) ? guard_trip(g, p, out) : GUARD_NONE;
}

void guard_restart(struct guard *g)
{
	uint64_t lost = g->lost, saved = g->saved;

	guard_init(g);
	g->lost = lost;
	g->saved = saved;
}

const char *guard_state_name(enum guard_state s)
{
	switch (s) {
	case GUARD_TRIPPED:
		return "tripped";
	case GUARD_TRIAL:
		return "trial";
	case GUARD_FORWARDING:
		break;
	}
	return "forwarding";
}
