/* forwarder.c - the run and its order of steps:
 *
 *   block stop signals -> check privileges -> resolve and lock IN, OUT
 *   -> load maps and programs -> attach (ports.c) -> one poll() loop over
 *   a signalfd and a link-event socket, its timeout the next statistics
 *   tick
 *   -> on a stop signal: detach, undo, unlock -> exit 0
 *
 * Signals are blocked from the start and read through a signalfd, so a
 * stop that arrives during setup is handled after the step under way
 * (locks, the object), with cleanup. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <linux/capability.h>
#include <linux/rtnetlink.h>

#include "bpf_sys.h"
#include "check.h"
#include "forwarder.h"
#include "guard.h"
#include "loader.h"
#include "ports.h"
#include "probe.h"
#include "report.h"
#include "stats.h"
#include "sys.h"
#include "tracepoints.h"
#include "xdp_features.h"

/* Carrier, as the kernel reports it in ifi_flags (linux/if.h); musl's
 * net/if.h has it, glibc's not, and the two headers do not mix. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct fwd {
	const struct options *o;
	int sig_fd;			/* stop signals; -1 for --detach */
	int stop_sig;			/* one came during start-up */
	int no_perfmon;			/* -e, --json without CAP_PERFMON: no bytes, no tracepoints */
	int nl;				/* rtnetlink requests */
	int events;			/* rtnetlink link events */
	struct loader ld;
	struct check_contract c;	/* program and map indexes in ld */
	struct features feat;		/* what the kernel offers, probed */
	struct ports ports;
	struct xf_ask ask;		/* the prediction's, with the lines last said */
	int links_changed;		/* a link event touched a port */
	struct stats st;		/* rxcnt and the lines it makes */
	/* A direction per IN, numbered in the order of the ports: the single
	 * pair's is 0. The tracepoints count under that number. */
	uint32_t dir_in[PORTS_MAX];	/* direction d's IN, an index in ports.port */
	uint32_t ndirs;
	struct stats_count last[PORTS_MAX];	/* each direction's at the last tick */
	struct tp tp;			/* -e, --json, the guard: failures and transmits */
	int guard_on;			/* the guards run: through tp, or blind without it */
	struct guard guard[PORTS_MAX];	/* each direction's */
	uint64_t tick_us;		/* CLOCK_MONOTONIC of the last tick */
	uint64_t start_us;		/* CLOCK_MONOTONIC */
	struct instance_pidfile pidfile;	/* --pidfile, once written */
};

_Static_assert(PORTS_MAX <= TP_DIRS_MAX, "a tracepoint count for each direction");

/* Without the tracepoints, the guard's xmit is OUT's own transmit
 * count; one that cannot be read is the last tick's: no change. */
static void fwd_count_out(struct fwd *f, uint32_t i, uint32_t d, struct stats_count *c)
{
	const struct port *out = &f->ports.port[f->ports.port[i].to];
	struct nl_link l;

	c->xmit = f->last[d].xmit;
	if (f->guard_on && out->present &&
	    nl_link_get_stats(f->nl, out->link.ifindex, &l) == 0)
		c->xmit = l.tx_packets;
}

/* Direction d, IN port i, as counted now: the tracepoints (or OUT's
 * transmits) first, so that the program's count, read after, holds
 * every frame they saw. multi: over all the ifindexes IN had. A failed
 * read is the last tick's count: no change. */
static void fwd_count(struct fwd *f, uint32_t i, uint32_t d, struct stats_count *c)
{
	struct stats_count r;
	int err;

	memset(c, 0, sizeof(*c));
	if (f->tp.on)
		tp_read(&f->tp, d, c);
	else
		fwd_count_out(f, i, d, c);
	err = f->ports.cfg.multi ? ports_count(&f->ports, i, &r) :
				   stats_read(&f->st, f->ld.map_fds[f->c.map_cnt], &r);
	if (err)
		r = f->last[d];
	c->frames = r.frames;
	c->bytes = r.bytes;
}

/* Said once per trip, with what the errno usually means and the rate
 * lost in the period that tripped it. */
static void fwd_guard_say_trip(const struct guard *g, const char *in, const char *out)
{
	struct stats_err_words w;

	if (!g->err) {
		report_event(out, "sent none of the frames redirected from %s (no xdp tracepoints "
			     "to tell why), %llu frames/s: the guard sends them to %s's stack; "
			     "retry in %u s", in, (unsigned long long)g->lost_rate, in, g->retry_s);
		return;
	}
	stats_err_words(g->err, &w);
	report_event(out, "redirects from %s fail with %s (%s), %llu frames/s lost: the guard "
		     "sends them to %s's stack; retry in %u s", in, w.name, w.meaning,
		     (unsigned long long)g->lost_rate, in, g->retry_s);
}

/* The guard of direction d, IN port i, acts on IN's slot and says so. */
static void fwd_guard_act(struct fwd *f, uint32_t i, uint32_t d, enum guard_action act)
{
	const struct guard *g = &f->guard[d];
	const struct port *pt = f->ports.port;
	const char *in = port_name(&pt[i]), *out = port_name(&pt[pt[i].to]);

	if (act == GUARD_TRIP || act == GUARD_RETRY)
		ports_guard_slot(&f->ports, i, act == GUARD_TRIP, g->err);
	if (act == GUARD_TRIP && g->trips == 1) {
		fwd_guard_say_trip(g, in, out);
		/* The statistics need not name the errno again. */
		f->st.said_err = g->err;
	} else if (act == GUARD_RESTORED) {
		report_event(out, "forwarding from %s again (%llu frames went to its stack)", in,
			     (unsigned long long)g->saved);
	}
}

/* Direction d's period of ms that ended, to its guard; c gets the
 * frames it saved. */
static void fwd_guard(struct fwd *f, uint32_t i, uint32_t d, struct stats_count *c, uint32_t ms)
{
	const struct port *pt = &f->ports.port[f->ports.port[i].to];
	const struct nl_link *out = &pt->link;
	const struct stats_count *last = &f->last[d];
	struct guard_period p = { .frames = c->frames - last->frames,
				  .failed = c->failed - last->failed,
				  .dropped = c->dropped - last->dropped,
				  .xmit = c->xmit - last->xmit, .err = c->last_err, .ms = ms,
				  .blind = !f->tp.on };
	/* A vanished OUT's record is the last seen: not up. */
	struct guard_out o = { pt->present && (out->flags & IFF_UP),
			       (out->flags & IFF_LOWER_UP) != 0, out->mtu_bytes };

	if (!f->guard_on)
		return;
	fwd_guard_act(f, i, d, guard_tick(&f->guard[d], &p, &o));
	c->passed = f->guard[d].saved;
}

/* Each direction counted, to its guard, then the line of all. */
static void fwd_tick(struct fwd *f)
{
	struct stats_count c[PORTS_MAX];
	struct stats_dir d[PORTS_MAX];
	const struct port *pt = f->ports.port;
	uint64_t now = stats_now_us(CLOCK_MONOTONIC);
	uint32_t ms = (uint32_t)((now - f->tick_us) / 1000), i, n;

	f->tick_us = now;
	for (n = 0; n < f->ndirs; n++) {
		i = f->dir_in[n];
		fwd_count(f, i, n, &c[n]);
		fwd_guard(f, i, n, &c[n], ms);
		d[n].in = port_name(&pt[i]);
		d[n].out = port_name(&pt[pt[i].to]);
		d[n].guard = f->guard_on ? guard_state_name(f->guard[n].state) : NULL;
	}
	stats_tick(&f->st, c, f->last, d, f->ndirs);
}

/* Milliseconds until the tick due at next_us (0: due), and next_us
 * moved on a period once it is due. Periods are counted from the start,
 * so they do not drift; one missed (a stopped process) is not caught up. */
static int fwd_until_tick(uint64_t *next_us, uint32_t interval_ms)
{
	uint64_t now = stats_now_us(CLOCK_MONOTONIC), every = interval_ms * 1000ull;

	if (now < *next_us)
		return (int)((*next_us - now + 999) / 1000);
	*next_us += every;
	if (*next_us <= now)
		*next_us = now + every;
	return 0;
}

/* Whether a link message is about one of the ports, by name or ifindex. */
static int fwd_link_event(const struct nlmsghdr *msg, void *arg)
{
	struct fwd *f = arg;
	const struct port *pt;
	struct nl_link l;

	if (nl_link_parse(msg, &l))
		return 0;
	for (pt = f->ports.port; pt < f->ports.port + f->ports.n; pt++)
		if (strcmp(l.name, pt->x.name) == 0 || strcmp(l.name, pt->arg) == 0 ||
		    (l.ifindex && l.ifindex == pt->x.ifindex))
			f->links_changed = 1;
	return 0;
}

/* Without the tracepoints the guard runs blind (guard.h). */
#define FWD_GUARD_BLIND "the guard sees only OUT's transmit count"

/* What a run lacks without the tracepoints, in the line that says why. */
static const char *fwd_tp_lost(const struct options *o)
{
	if (!o->extended && !o->json)
		return FWD_GUARD_BLIND;
	return o->no_guard ? "no err/s and xmit/s" : "no err/s or xmit/s; " FWD_GUARD_BLIND;
}

/* Each direction's IN, OUT and program, for the tracepoints' filter. */
static void fwd_tp_filter(struct fwd *f)
{
	const struct port *pt = f->ports.port;
	uint32_t i, d;

	for (d = 0; d < f->ndirs; d++) {
		i = f->dir_in[d];
		tp_filter(&f->tp, d, pt[i].x.ifindex, pt[pt[i].to].x.ifindex, pt[i].ours.id);
	}
}

/* The tracepoints, each direction's filter; if they fail, one line on
 * what the run goes without. */
static void fwd_tp_open(struct fwd *f)
{
	char why[LOADER_ERR_BYTES], what[64];
	const char *who;
	int err = tp_open(&f->tp, &who, why, sizeof(why));

	if (!err) {
		fwd_tp_filter(f);
		return;
	}
	snprintf(what, sizeof(what), "%s%s", fwd_tp_lost(f->o),
		 err == -EACCES || err == -EPERM ? ": CAP_PERFMON needed" : "");
	report_error(who, what, err, why);
}

/* The directions whose IN or OUT came (back): another device, maybe,
 * so their guards start over and let go of the slots they held empty. */
static void fwd_guard_restart(struct fwd *f, uint32_t came)
{
	const struct port *pt = f->ports.port;
	uint32_t i, d;

	for (d = 0; d < f->ndirs; d++) {
		i = f->dir_in[d];
		if (came & (1u << i | 1u << pt[i].to)) {
			guard_restart(&f->guard[d]);
			ports_guard_release(&f->ports, i);
		}
	}
}

/* A port that came (back) may be another device (another driver, MTU,
 * veth peer): its prediction, and its OUT's, said again before it is
 * attached, as at the start. */
static void fwd_events(struct fwd *f)
{
	uint32_t came;

	/* ENOBUFS: the kernel dropped events; a resync reads the truth. */
	if (nl_event_read(f->events, fwd_link_event, f) == -ENOBUFS)
		f->links_changed = 1;
	if (f->links_changed) {
		came = ports_sync_find(&f->ports);
		xf_predict(&f->ports, &f->ask, came);
		fwd_guard_restart(f, came);
		ports_sync_attach(&f->ports, came);
		fwd_tp_filter(f);
	}
	f->links_changed = 0;
}

/* Waits for ticks and link events until a stop signal; returns it. */
static int fwd_loop(struct fwd *f, int sig_fd)
{
	struct pollfd pfd[2] = {
		{ .fd = sig_fd, .events = POLLIN },
		{ .fd = f->events, .events = POLLIN },
	};
	struct signalfd_siginfo si = { 0 };
	uint64_t next_us = stats_now_us(CLOCK_MONOTONIC) + f->o->interval_ms * 1000ull;
	int wait_ms, n;

	for (;;) {
		wait_ms = fwd_until_tick(&next_us, f->o->interval_ms);
		if (wait_ms == 0) {
			fwd_tick(f);
			continue;
		}
		n = poll(pfd, 2, wait_ms);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		if ((pfd[0].revents & POLLIN) && read(sig_fd, &si, sizeof(si)) == sizeof(si))
			break;
		if (pfd[1].revents & POLLIN)
			fwd_events(f);
	}
	return (int)si.ssi_signo;
}

/* The stop signals, with their names for the last line. */
static const struct fwd_stop {
	int sig;
	char name[8];
} fwd_stops[] = {
	{ SIGINT, "SIGINT" }, { SIGTERM, "SIGTERM" }, { SIGHUP, "SIGHUP" }, { SIGPIPE, "SIGPIPE" },
};

#define FWD_STOPS (sizeof(fwd_stops) / sizeof(fwd_stops[0]))

/* Stop signals, blocked so they wait in the signalfd for the loop. */
static int fwd_signals(void)
{
	sigset_t set;
	size_t i;
	int fd;

	sigemptyset(&set);
	for (i = 0; i < FWD_STOPS; i++)
		sigaddset(&set, fwd_stops[i].sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int fwd_open(struct fwd *f, const struct options *o)
{
	struct ports_config pc;

	memset(f, 0, sizeof(*f));
	f->o = o;
	f->events = f->sig_fd = -1;
	loader_init(&f->ld);
	tp_init(&f->tp);
	f->nl = nl_open(0);
	if (f->nl < 0) {
		report_error("netlink", "cannot open", f->nl, NULL);
		return f->nl;
	}
	options_ports_config(o, &pc);
	ports_init(&f->ports, f->nl, &pc);
	f->ports.st = &f->st;
	return 0;
}

static void fwd_close(struct fwd *f)
{
	loader_close(&f->ld);
	stats_free(&f->st);
	tp_close(&f->tp);
	if (f->events >= 0)
		close(f->events);
	if (f->nl >= 0)
		close(f->nl);
}

/* What the run needs, each capability with the one that stands for it
 * (before 5.8 there is no CAP_BPF and CAP_SYS_ADMIN stands for it). */
static const struct fwd_cap {
	uint8_t cap, alt;
	char name[14];
	char to[12];
} fwd_caps[] = {
	{ CAP_NET_ADMIN, CAP_NET_ADMIN, "CAP_NET_ADMIN", "attach XDP" },
	{ CAP_BPF, CAP_SYS_ADMIN, "CAP_BPF", "load BPF" },
};

static int fwd_has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

static int fwd_capget(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return sys_capget(&h, d);
}

static int fwd_wants_tp(const struct options *o)
{
	return o->extended || o->json || !o->no_guard;
}

/* The kernel's perfmon_capable(): CAP_PERFMON, or CAP_SYS_ADMIN, which
 * stood for it before 5.8. Yes where capget fails: the kernel will say. */
static int fwd_perfmon(void)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	return fwd_capget(d) || fwd_has_cap(d, CAP_PERFMON) || fwd_has_cap(d, CAP_SYS_ADMIN);
}

/* Refuse early, by name of the capability, rather than with the EPERM of
 * some later step. Where capget fails, the kernel will say it later. */
int forwarder_privileged(int load_only)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	const struct fwd_cap *c;

	if (fwd_capget(d))
		return 0;
	for (c = fwd_caps; c < fwd_caps + sizeof(fwd_caps) / sizeof(fwd_caps[0]); c++) {
		if (fwd_has_cap(d, c->cap) || fwd_has_cap(d, c->alt) ||
		    (load_only && c->cap == CAP_NET_ADMIN))
			continue;
		report_fail("privileges", "%s needed to %s programs (or run as root)", c->name,
			    c->to);
		return -EPERM;
	}
	return 0;
}

/* The object, held to the contract (check.c), with its programs loaded.
 * Without CAP_PERFMON the verifier refuses the byte count's pointer
 * subtraction and the kernel the tracepoint programs: the object is then
 * loaded as for the plain line, and one warning says what is missing. */
static int fwd_load(struct fwd *f)
{
	struct options plain = *f->o;
	int err;

	f->no_perfmon = fwd_wants_tp(f->o) && !fwd_perfmon();
	if (f->no_perfmon && !f->o->extended && !f->o->json) {
		report_event("privileges", "warning: CAP_PERFMON missing: no xdp tracepoints, "
			     "so " FWD_GUARD_BLIND);
	} else if (f->no_perfmon) {
		report_event("privileges", "warning: CAP_PERFMON missing: the kernel allows "
			     "neither the byte count nor the xdp tracepoints; no bytes, bit/s, "
			     "err/s or xmit/s%s", f->o->no_guard ? "" : "; " FWD_GUARD_BLIND);
		plain.extended = plain.json = 0;
	}
	err = check_load_contract(&f->ld, &plain, &f->c);
	f->ports.frags = f->feat.xdp_frags = f->c.prog_flags != 0;
	return err;
}

/* rxcnt counts frames, and bytes where the object's value has room. */
static int fwd_stats(struct fwd *f)
{
	int err = stats_init(&f->st, f->ld.elf.maps[f->c.map_cnt].value_size, options_stats_style(f->o));

	if (err)
		report_error("rxcnt", "cannot read the counters", err, NULL);
	if (f->no_perfmon)
		f->st.has_bytes = 0;
	f->st.named = f->ports.cfg.multi;
	return err;
}

/* The loaded programs and the maps, handed to the ports: INs get the
 * redirecting program, ports that are only OUT xdp_dummy. */
static int fwd_bind(struct fwd *f)
{
	const struct check_contract *c = &f->c;
	struct ports *p = &f->ports;
	struct prog_ident in, out;
	struct port *pt;
	int prog, err;

	p->tx_fd = f->ld.map_fds[c->map_tx];
	if (p->cfg.multi)
		p->cnt_fd = f->ld.map_fds[c->map_cnt];
	if (c->prog_egress >= 0) {
		p->egress_fd = f->ld.prog_fds[c->prog_egress];
		p->macs_fd = f->ld.map_fds[c->map_macs];
	}
	err = attach_prog_ident(f->ld.prog_fds[c->prog_in], &in);
	if (!err)
		err = attach_prog_ident(f->ld.prog_fds[c->prog_out], &out);
	if (err) {
		report_error("bpf", "cannot read our programs' info", err, NULL);
		return err;
	}
	p->pass_fd = f->ld.prog_fds[c->prog_out];
	for (pt = p->port; pt < p->port + p->n; pt++) {
		prog = port_is_in(pt) ? c->prog_in : c->prog_out;
		pt->prog_fd = f->ld.prog_fds[prog];
		pt->prog_name = f->ld.elf.progs[prog].sym;
		pt->ours = port_is_in(pt) ? in : out;
		if (port_is_in(pt))
			f->dir_in[f->ndirs++] = (uint32_t)(pt - p->port);
	}
	return 0;
}

static int fwd_kernel_lacks(const char *what, const char *needs)
{
	report_fail("kernel", "has no %s: %s", what, needs);
	return -EOPNOTSUPP;
}

/* What the options need of the kernel, asked of it before anything is
 * loaded: DEVMAP_HASH (-b, several pairs) came in 5.4, devmap programs
 * (-X) in 5.8. */
static int fwd_kernel_offers(struct fwd *f)
{
	probe_maps(&f->feat);
	f->ports.feat = &f->feat;
	if (options_multi(f->o) && f->feat.devmap_hash == 0)
		return fwd_kernel_lacks("DEVMAP_HASH", "-b and several pairs need it");
	if (f->o->egress && f->feat.devmap_prog == 0)
		return fwd_kernel_lacks("programs in devmap entries", "-X and --dst-mac need them");
	return 0;
}

/* Before 5.3 bpf_redirect_map() aborts every frame when its flags are
 * not 0, and ours carry the fallback action XDP_PASS: our program, run
 * once on a test frame before anything is attached, must pass it. The
 * frame it counted is taken back. An --obj program's empty slot is its
 * own business. */
static int fwd_kernel_redirects(struct fwd *f)
{
	uint32_t key = 0;

	if (f->o->obj_path)
		return 0;
	probe_redirect(&f->feat, f->ld.prog_fds[f->c.prog_in]);
	if (!f->ports.cfg.multi) {
		memset(f->st.buf, 0, bpf_percpu_value_bytes(f->st.value_bytes, f->st.ncpus));
		bpf_map_update(f->ld.map_fds[f->c.map_cnt], &key, f->st.buf, BPF_ANY);
	}
	if (f->feat.redirect_pass == 0)
		return fwd_kernel_lacks("fallback action in bpf_redirect_map()",
					"the forwarder needs it (5.3)");
	return 0;
}

/* A stop signal that came during start-up, read; 0 for none. */
static int fwd_stop_pending(int sig_fd)
{
	struct pollfd pfd = { .fd = sig_fd, .events = POLLIN };
	struct signalfd_siginfo si;

	if (sig_fd < 0 || poll(&pfd, 1, 0) != 1 || read(sig_fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

/* After each step of start-up that can take time (locks, the object),
 * a stop signal ends it: -EINTR, with stop_sig set. */
static int fwd_step(struct fwd *f, int err)
{
	if (!err && (f->stop_sig = fwd_stop_pending(f->sig_fd)) != 0)
		return -EINTR;
	return err;
}

/* Resolve, lock, load: what every action on IN and OUT needs first. */
static int fwd_prepare(struct fwd *f)
{
	int err = forwarder_privileged(0);

	if (!err)
		err = fwd_kernel_offers(f);
	if (!err)
		err = fwd_step(f, ports_open(&f->ports));
	if (!err)
		err = fwd_step(f, fwd_load(f));
	if (!err)
		err = fwd_bind(f);
	return err;
}

static int fwd_follow_links(struct fwd *f)
{
	f->events = nl_open(RTMGRP_LINK);
	if (f->events < 0)
		report_error("netlink", "cannot follow link events", f->events, NULL);
	return f->events < 0 ? f->events : 0;
}

static const char *fwd_signame(int sig)
{
	size_t i;

	for (i = 0; i < FWD_STOPS; i++)
		if (fwd_stops[i].sig == sig)
			return fwd_stops[i].name;
	return "error";
}

/* For the last line: the sums over the directions. */
static void fwd_total(struct fwd *f, struct stats_count *t)
{
	struct stats_count c;
	uint32_t d;

	memset(t, 0, sizeof(*t));
	for (d = 0; d < f->ndirs; d++) {
		fwd_count(f, f->dir_in[d], d, &c);
		t->frames += c.frames;
		t->failed += c.failed;
		t->dropped += c.dropped;
		t->passed += f->guard[d].saved;
	}
}

static int fwd_forward(struct fwd *f, int sig_fd)
{
	struct stats_count c;
	char who[32], why[STATS_NOT_FORWARDED_BYTES];
	uint64_t s;
	uint32_t ms;
	int sig, err;

	f->start_us = stats_now_us(CLOCK_MONOTONIC);
	sig = fwd_loop(f, sig_fd);
	fwd_total(f, &c);
	err = ports_close(&f->ports);
	s = stats_s_ms(stats_now_us(CLOCK_MONOTONIC) - f->start_us, &ms);
	snprintf(who, sizeof(who), "stopped by %s", fwd_signame(sig));
	report_event(who, "%llu frames forwarded in %llu.%03u s%s", (unsigned long long)c.frames,
		(unsigned long long)s, (unsigned)ms,
		stats_not_forwarded(c.failed, c.dropped, c.passed, why, sizeof(why)));
	return sig && !err ? EXIT_STOPPED : EXIT_FAILED;
}

/* A failure is the command line's only where ports_open said so. */
static int fwd_exit_status(const struct fwd *f)
{
	return f->ports.usage ? EXIT_USAGE : EXIT_FAILED;
}

/* A start that failed, or that a stop signal ended, undone. */
static int fwd_undo_start(struct fwd *f)
{
	char who[32];
	int err = ports_close(&f->ports);

	if (!f->stop_sig)
		return fwd_exit_status(f);
	snprintf(who, sizeof(who), "stopped by %s", fwd_signame(f->stop_sig));
	report_event(who, "during start-up, before forwarding");
	return err ? EXIT_FAILED : EXIT_STOPPED;
}

/* -e, --json, the guard: what became of the frames, from tracepoints.
 * After the attach: their filter wants our program's id and the
 * ifindexes. */
static void fwd_watch(struct fwd *f)
{
	if (fwd_wants_tp(f->o) && !f->no_perfmon)
		fwd_tp_open(f);
	f->st.has_tp = f->tp.on;
}

/* Before attaching, a line per port on what it will do with redirected
 * frames (xdp_features.c). A predicted black hole is a warning, not a
 * refusal: a router that refuses at boot forwards nothing, not even
 * through its stack, and the prediction can be unknown or mended later
 * (the peer's GRO, the MTU); the run-time guard catches what is real. */
static void fwd_say_port(const char *name, int black_hole, const char *line)
{
	report_event(name, "%s%s", black_hole ? "warning: " : "", line);
}

/* The lines last said start empty (fwd_open zeroes f): the first
 * prediction says every port. */
static void fwd_predict(struct fwd *f)
{
	f->ask.mode_flags = f->o->mode_flags;
	f->ask.feat = &f->feat;
	f->ask.say = fwd_say_port;
	xf_predict(&f->ports, &f->ask, ~0u);
}

/* The guards' first period starts now. Without the tracepoints they
 * are off: their line said so. */
static void fwd_guard_start(struct fwd *f)
{
	uint32_t d;

	f->tick_us = stats_now_us(CLOCK_MONOTONIC);
	f->guard_on = !f->o->no_guard;
	for (d = 0; d < f->ndirs; d++)
		guard_init(&f->guard[d]);
}

/* Everything before the loop; on failure the caller undoes what was done. */
static int fwd_start(struct fwd *f)
{
	int err = fwd_prepare(f);

	if (!err)
		err = fwd_stats(f);
	if (!err)
		err = fwd_kernel_redirects(f);
	/* Subscribed before attaching, so no link change falls in between. */
	if (!err)
		err = fwd_follow_links(f);
	if (!err)
		fwd_predict(f);
	if (!err)
		err = ports_attach(&f->ports);
	if (!err) {
		fwd_watch(f);
		fwd_guard_start(f);
	}
	/* Once attached: a script that waits for the file knows it is up. */
	if (!err && f->o->pidfile && (err = instance_pidfile_write(&f->pidfile, f->o->pidfile)))
		report_error(f->o->pidfile, f->pidfile.why ? f->pidfile.why :
			     "cannot write the pid file", f->pidfile.why ? 0 : err, NULL);
	return err;
}

int forwarder_run(const struct options *o)
{
	struct fwd f;
	int sig_fd, err, ret = EXIT_FAILED;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sig_fd = fwd_signals();
	if (sig_fd < 0) {
		report_error("signalfd", "cannot create", sig_fd, NULL);
		return EXIT_FAILED;
	}
	if (fwd_open(&f, o) == 0) {
		f.sig_fd = sig_fd;
		err = fwd_start(&f);
		ret = err ? fwd_undo_start(&f) : fwd_forward(&f, sig_fd);
	}
	fwd_close(&f);
	close(sig_fd);
	instance_pidfile_remove(&f.pidfile);
	return ret;
}

int forwarder_detach(const struct options *o)
{
	struct fwd f;
	int err = fwd_open(&f, o);

	if (!err)
		err = fwd_prepare(&f);
	if (!err)
		err = ports_detach_stale(&f.ports);
	else if (f.nl >= 0)
		ports_close(&f.ports);
	fwd_close(&f);
	return err ? fwd_exit_status(&f) : EXIT_SUCCESS;
}
