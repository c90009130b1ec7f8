/* forwarder.c - the run and its order of steps:
 *
 *   block stop signals -> check privileges -> resolve and lock IN, OUT
 *   -> load maps and programs -> attach (ports.c) -> one poll() loop over
 *   a signalfd, a timerfd for the statistics and a link-event socket
 *   -> on a stop signal: detach, undo, unlock -> exit 0
 *
 * Signals are blocked from the start and read through a signalfd, so a
 * stop that arrives during setup is handled after it, with cleanup. */
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
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <linux/capability.h>
#include <linux/rtnetlink.h>

#include "bpf_sys.h"
#include "embed.h"
#include "forwarder.h"
#include "loader.h"
#include "ports.h"
#include "report.h"

struct fwd {
	const struct options *o;
	int nl;				/* rtnetlink requests */
	int events;			/* rtnetlink link events */
	struct loader ld;
	int prog_in, prog_out;		/* program indexes in ld */
	uint32_t prog_flags;		/* BPF_F_XDP_HAS_FRAGS unless the kernel refused it */
	int flags_probed;		/* a load has told whether the kernel takes them */
	int map_tx, map_cnt;		/* map indexes in ld */
	int prog_egress, map_macs;	/* -X: xdp_egress, egress_macs; else -1 */
	struct ports ports;
	int links_changed;		/* a link event touched a port */
	int ncpus;
	uint64_t *cnt_buf;		/* one rxcnt value per possible CPU */
	uint64_t total_frames;
	uint64_t dir_frames[PORTS_MAX];	/* multi: each IN's total at the last tick */
	uint64_t start_ns, last_ns;	/* CLOCK_MONOTONIC */
};

static uint64_t fwd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* -X, an optional part of the contract: xdp_egress (section xdp/devmap)
 * and egress_macs. tx_port's value becomes struct bpf_devmap_val, OUT's
 * ifindex and the program's fd; the object declares the 4-byte value
 * that kernels before 5.8 require, and redirects never read it. */
static int fwd_find_egress(struct fwd *f)
{
	struct elf_obj *e = &f->ld.elf;

	f->prog_egress = f->map_macs = -1;
	if (!f->o->egress)
		return 0;
	f->prog_egress = elf_prog_find(e, "xdp_egress");
	f->map_macs = elf_map_find(e, "egress_macs");
	if (f->prog_egress < 0 || f->map_macs < 0 ||
	    e->progs[f->prog_egress].expected_attach_type != BPF_XDP_DEVMAP) {
		report_error("embedded object", "lacks xdp_egress (section xdp/devmap) or "
			     "egress_macs, which -X needs", 0, NULL);
		return -ENOENT;
	}
	e->maps[f->map_tx].value_size = sizeof(struct bpf_devmap_val);
	return 0;
}

/* The object's contract: the two programs and the two maps by name. -b
 * and several pairs need an optional part: xdp_pairs, redirecting by the
 * ingress ifindex through tx_pairs and counting in rxcnt_pairs. */
static int fwd_find(struct fwd *f)
{
	struct elf_obj *e = &f->ld.elf;
	int multi = f->ports.multi;

	f->prog_in = elf_prog_find(e, multi ? "xdp_pairs" : "xdp_redirect_map");
	f->prog_out = elf_prog_find(e, "xdp_dummy");
	f->map_tx = elf_map_find(e, multi ? "tx_pairs" : "tx_port");
	f->map_cnt = elf_map_find(e, multi ? "rxcnt_pairs" : "rxcnt");
	if (f->prog_in < 0 || f->prog_out < 0 || f->map_tx < 0 || f->map_cnt < 0) {
		report_error("embedded object", multi ? "lacks xdp_pairs, tx_pairs or rxcnt_pairs, "
			     "which -b and several pairs need" :
			     "lacks a program or map of the contract", 0, NULL);
		return -ENOENT;
	}
	return fwd_find_egress(f);
}

/* Every program is loaded with BPF_F_XDP_HAS_FRAGS, so that it attaches
 * to ports with an MTU above a page (jumbo frames): ours read only the
 * first 14 bytes, which are always in the first buffer. Kernels before
 * 5.18 refuse the flag with EINVAL: the first load finds out, and the
 * rest go without it (a devmap program must match its redirector). */
static int fwd_load_flagged(struct fwd *f, int idx)
{
	int err = loader_load_prog(&f->ld, (uint32_t)idx, f->prog_flags);

	if (err == -EINVAL && !f->flags_probed &&
	    !loader_load_prog(&f->ld, (uint32_t)idx, 0)) {
		f->prog_flags = 0;
		err = 0;
	}
	f->flags_probed = 1;
	f->ports.frags = f->prog_flags != 0;
	return err;
}

static int fwd_load_prog(struct fwd *f, int idx)
{
	char reason[256];
	int err = fwd_load_flagged(f, idx);

	if (!err)
		return 0;
	if (loader_log_reason(&f->ld, reason, sizeof(reason)))
		report_error(f->ld.err, "verifier", 0, reason);
	else
		report_error("embedded object", f->ld.err, 0, NULL);
	return err;
}

static int fwd_load(struct fwd *f)
{
	size_t len = (size_t)(embed_obj_end - embed_obj_start);
	int err = loader_open(&f->ld, embed_obj_start, len);

	if (err) {
		report_error("embedded object", f->ld.err, 0, NULL);
		return err;
	}
	err = fwd_find(f);
	if (!err && (err = loader_create_maps(&f->ld)))
		report_error("embedded object", f->ld.err, 0, NULL);
	if (!err)
		err = fwd_load_prog(f, f->prog_in);
	if (!err)
		err = fwd_load_prog(f, f->prog_out);
	if (!err && f->prog_egress >= 0)
		err = fwd_load_prog(f, f->prog_egress);
	return err;
}

/* Multi: the sum over the INs. */
static int fwd_count_dirs(struct fwd *f, uint64_t *total)
{
	uint64_t n;
	uint32_t i;
	int err = 0;

	*total = 0;
	for (i = 0; i < f->ports.n; i++) {
		if (f->ports.port[i].to >= 0 && !(err = ports_frames(&f->ports, i, &n)))
			*total += n;
	}
	return err;
}

static int fwd_count(struct fwd *f, uint64_t *total)
{
	uint32_t key = 0;
	int i, err;

	if (f->ports.multi)
		return fwd_count_dirs(f, total);
	err = bpf_map_lookup(f->ld.map_fds[f->map_cnt], &key, f->cnt_buf);
	if (err)
		return err;
	*total = 0;
	for (i = 0; i < f->ncpus; i++)
		*total += f->cnt_buf[i];
	return 0;
}

/* In microseconds, frames * 10^6 stays in 64 bits for any interval we
 * allow (a day at 10^8 frames/s). */
static unsigned long long fwd_rate(uint64_t frames, uint64_t us)
{
	return us ? (frames * 1000000u + us / 2) / us : 0;
}

/* -b and several pairs: "IN>OUT N pkt/s" per direction, two spaces apart. */
static void fwd_tick_dirs(struct fwd *f, uint64_t us)
{
	const struct port *pt = f->ports.port;
	const char *sep = "";
	uint64_t n;
	uint32_t i;

	for (i = 0; i < f->ports.n; i++) {
		if (pt[i].to < 0 || ports_frames(&f->ports, i, &n))
			continue;
		if (!f->o->quiet)
			printf("%s%s>%s %llu pkt/s", sep, pt[i].arg, pt[pt[i].to].arg,
			       fwd_rate(n - f->dir_frames[i], us));
		f->dir_frames[i] = n;
		sep = "  ";
	}
	if (!f->o->quiet)
		fputc('\n', stdout);
}

/* Frames of the interval over its measured length: a late tick does not
 * inflate the rate, and the totals stay exact. */
static void fwd_tick(struct fwd *f)
{
	uint64_t total, now = fwd_now_ns(), us = (now - f->last_ns) / 1000;

	if (fwd_count(f, &total))
		return;
	if (f->ports.multi)
		fwd_tick_dirs(f, us);
	else if (!f->o->quiet)
		printf("%llu pkt/s\n", fwd_rate(total - f->total_frames, us));
	f->total_frames = total;
	f->last_ns = now;
}

static int fwd_timer(uint32_t interval_ms)
{
	struct itimerspec its = { 0 };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	its.it_value.tv_sec = interval_ms / 1000;
	its.it_value.tv_nsec = (long)(interval_ms % 1000) * 1000000;
	its.it_interval = its.it_value;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
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

static void fwd_events(struct fwd *f)
{
	/* ENOBUFS: the kernel dropped events; a resync reads the truth. */
	if (nl_event_read(f->events, fwd_link_event, f) == -ENOBUFS)
		f->links_changed = 1;
	if (f->links_changed)
		ports_sync(&f->ports);
	f->links_changed = 0;
}

/* Waits for ticks and link events until a stop signal; returns it. */
static int fwd_loop(struct fwd *f, int sig_fd)
{
	struct pollfd pfd[3] = {
		{ .fd = sig_fd, .events = POLLIN },
		{ .events = POLLIN },
		{ .fd = f->events, .events = POLLIN },
	};
	struct signalfd_siginfo si = { 0 };
	uint64_t ticks;

	pfd[1].fd = fwd_timer(f->o->interval_ms);
	if (pfd[1].fd < 0) {
		report_error("timerfd", "cannot create", pfd[1].fd, NULL);
		return 0;
	}
	for (;;) {
		if (poll(pfd, 3, -1) < 0 && errno != EINTR)
			break;
		if ((pfd[0].revents & POLLIN) && read(sig_fd, &si, sizeof(si)) == sizeof(si))
			break;
		if (pfd[2].revents & POLLIN)
			fwd_events(f);
		if ((pfd[1].revents & POLLIN) && read(pfd[1].fd, &ticks, sizeof(ticks)) > 0)
			fwd_tick(f);
	}
	close(pfd[1].fd);
	return (int)si.ssi_signo;
}

/* Stop signals, blocked so they wait in the signalfd for the loop. */
static int fwd_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Kernels before 5.11 charge maps to RLIMIT_MEMLOCK, 64 KiB by default.
 * prlimit rather than setrlimit: musl's setrlimit brings its thread
 * machinery along, 4 KiB on MIPS. */
static void fwd_raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	prlimit(0, RLIMIT_MEMLOCK, &r, NULL);
}

static int fwd_open(struct fwd *f, const struct options *o)
{
	memset(f, 0, sizeof(*f));
	f->o = o;
	f->events = -1;
	f->prog_flags = BPF_F_XDP_HAS_FRAGS;
	f->prog_egress = f->map_macs = -1;
	loader_init(&f->ld);
	fwd_raise_memlock();
	f->nl = nl_open(0);
	if (f->nl < 0) {
		report_error("netlink", "cannot open", f->nl, NULL);
		return f->nl;
	}
	ports_init(&f->ports, f->nl, o);
	return 0;
}

static void fwd_close(struct fwd *f)
{
	loader_close(&f->ld);
	free(f->cnt_buf);
	if (f->events >= 0)
		close(f->events);
	if (f->nl >= 0)
		close(f->nl);
}

static int fwd_has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

/* Refuse early, by name of the capability, rather than with the EPERM of
 * some later step. Where capget fails, the kernel will say it later. */
static int fwd_privileged(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	if (!fwd_has_cap(d, CAP_NET_ADMIN)) {
		report_error("privileges", "CAP_NET_ADMIN needed to attach XDP programs (or run as root)",
			     0, NULL);
		return -EPERM;
	}
	/* Before 5.8 there is no CAP_BPF and CAP_SYS_ADMIN stands for it. */
	if (!fwd_has_cap(d, CAP_BPF) && !fwd_has_cap(d, CAP_SYS_ADMIN)) {
		report_error("privileges", "CAP_BPF needed to load BPF programs (or run as root)",
			     0, NULL);
		return -EPERM;
	}
	return 0;
}

static int fwd_counter_buf(struct fwd *f)
{
	f->ncpus = bpf_possible_cpus();
	if (f->ncpus < 0) {
		report_error("/sys/devices/system/cpu/possible", "cannot read", f->ncpus, NULL);
		return f->ncpus;
	}
	/* rxcnt holds one u64 per CPU: round_up(8, 8) bytes each. */
	f->cnt_buf = calloc(1, bpf_percpu_value_bytes(sizeof(uint64_t), f->ncpus));
	f->ports.cnt_buf = f->cnt_buf;
	f->ports.ncpus = f->ncpus;
	return f->cnt_buf ? 0 : -ENOMEM;
}

/* The loaded programs and the maps, handed to the ports: INs get the
 * redirecting program, ports that are only OUT xdp_dummy. */
static int fwd_bind(struct fwd *f)
{
	struct ports *p = &f->ports;
	struct prog_ident in, out;
	struct port *pt;
	int err;

	p->tx_fd = f->ld.map_fds[f->map_tx];
	if (p->multi)
		p->cnt_fd = f->ld.map_fds[f->map_cnt];
	if (f->prog_egress >= 0) {
		p->egress_fd = f->ld.prog_fds[f->prog_egress];
		p->macs_fd = f->ld.map_fds[f->map_macs];
	}
	err = attach_prog_ident(f->ld.prog_fds[f->prog_in], &in);
	if (!err)
		err = attach_prog_ident(f->ld.prog_fds[f->prog_out], &out);
	if (err) {
		report_error("bpf", "cannot read our programs' info", err, NULL);
		return err;
	}
	for (pt = p->port; pt < p->port + p->n; pt++) {
		pt->prog_fd = f->ld.prog_fds[pt->to >= 0 ? f->prog_in : f->prog_out];
		pt->prog_name = f->ld.elf.progs[pt->to >= 0 ? f->prog_in : f->prog_out].sym;
		pt->ours = pt->to >= 0 ? in : out;
	}
	return 0;
}

/* Whether uname says major.minor or later; yes when it cannot tell. */
static int fwd_kernel_at_least(const struct utsname *u, unsigned long major,
			       unsigned long minor)
{
	unsigned long ma, mi;
	char *end;

	ma = strtoul(u->release, &end, 10);
	mi = *end == '.' ? strtoul(end + 1, NULL, 10) : 0;
	return ma > major || (ma == major && mi >= minor);
}

/* Before 5.3 bpf_redirect_map() aborts every frame when its flags are
 * not 0, and ours carry the fallback action XDP_PASS. Devmap programs
 * (-X) came in 5.8. */
static int fwd_kernel_new_enough(const struct options *o)
{
	struct utsname u;
	const char *what = NULL;

	if (uname(&u) < 0)
		return 0;
	if (!fwd_kernel_at_least(&u, 5, 3))
		what = "kernel older than 5.3, whose bpf_redirect_map() takes the "
		       "fallback action the forwarder relies on";
	else if ((o->bidir || o->nnames > 2) && !fwd_kernel_at_least(&u, 5, 4))
		what = "kernel older than 5.4, which has no DEVMAP_HASH: -b and several "
		       "pairs need it";
	else if (o->egress && !fwd_kernel_at_least(&u, 5, 8))
		what = "kernel older than 5.8, which has no devmap programs: -X and "
		       "--dst-mac need them";
	if (!what)
		return 0;
	report_error(u.release, what, 0, NULL);
	return -EOPNOTSUPP;
}

/* Resolve, lock, load: what every action on IN and OUT needs first. */
static int fwd_prepare(struct fwd *f)
{
	int err = fwd_privileged();

	if (!err)
		err = fwd_kernel_new_enough(f->o);
	if (!err)
		err = ports_open(&f->ports);
	if (!err)
		err = fwd_load(f);
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
	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGPIPE: return "SIGPIPE";
	default: return "error";
	}
}

static int fwd_forward(struct fwd *f, int sig_fd)
{
	uint64_t ms;
	int sig, err;

	f->start_ns = f->last_ns = fwd_now_ns();
	sig = fwd_loop(f, sig_fd);
	fwd_count(f, &f->total_frames);
	err = ports_close(&f->ports);
	ms = (fwd_now_ns() - f->start_ns) / 1000000u;
	fprintf(stderr, PROG ": stopped by %s: %llu frames forwarded in %llu.%03u s\n",
		fwd_signame(sig), (unsigned long long)f->total_frames,
		(unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
	return sig && !err ? EXIT_STOPPED : EXIT_FAILED;
}

static int fwd_exit_status(int err)
{
	/* IN and OUT the same interface is a usage error. */
	return err == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

/* Everything before the loop; on failure the caller undoes what was done. */
static int fwd_start(struct fwd *f)
{
	int err = fwd_prepare(f);

	if (!err)
		err = fwd_counter_buf(f);
	/* Subscribed before attaching, so no link change falls in between. */
	if (!err)
		err = fwd_follow_links(f);
	if (!err)
		err = ports_attach(&f->ports);
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
		err = fwd_start(&f);
		ret = err ? fwd_exit_status(err) : fwd_forward(&f, sig_fd);
		if (err)
			ports_close(&f.ports);
	}
	fwd_close(&f);
	close(sig_fd);
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
	return err ? fwd_exit_status(err) : EXIT_SUCCESS;
}

int forwarder_check(const struct options *o)
{
	struct fwd f;
	int ret = EXIT_FAILED;

	if (fwd_open(&f, o) == 0 && fwd_load(&f) == 0) {
		printf("maps: %s, %s; programs: %s (%u insns), xdp_dummy (%u insns)%s: "
		       "accepted by the kernel\n", f.ld.elf.maps[f.map_tx].sym,
		       f.ld.elf.maps[f.map_cnt].sym, f.ld.elf.progs[f.prog_in].sym,
		       f.ld.elf.progs[f.prog_in].insn_cnt, f.ld.elf.progs[f.prog_out].insn_cnt,
		       f.prog_egress >= 0 ? ", xdp_egress" : "");
		ret = EXIT_SUCCESS;
	}
	fwd_close(&f);
	return ret;
}
