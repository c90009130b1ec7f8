/* forwarder.c - the run: policy and its order of steps in one place.
 *
 *   block stop signals -> resolve IN, OUT -> load maps and programs
 *   -> attach XDP_PASS on OUT, then the redirect on IN -> give a veth
 *   OUT's peer NAPI if it needs it -> tx_port[0] = OUT -> count until a signal
 *   -> detach IN, then OUT, undo the peer -> exit 0
 *
 * Signals are blocked from the start and read through a signalfd, so a
 * stop that arrives during setup is handled after it, with cleanup. */
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
#include <sys/timerfd.h>
#include <linux/if_link.h>

#include "attach.h"
#include "bpf_sys.h"
#include "embed.h"
#include "forwarder.h"
#include "loader.h"
#include "veth_peer.h"

#define PROG "xdp_redirect_map"

struct fwd {
	const struct options *o;
	int nl;				/* rtnetlink requests */
	struct loader ld;
	int prog_in, prog_out;		/* program indexes in ld */
	int map_tx, map_cnt;		/* map indexes in ld */
	struct xdp_port in, out;
	struct nl_link out_link;
	struct veth_peer peer;
	int ncpus;
	uint64_t *cnt_buf;		/* one rxcnt value per possible CPU */
	uint64_t total_frames;
	uint64_t start_ns, last_ns;	/* CLOCK_MONOTONIC */
};

/* One line on stderr: "xdp_redirect_map: WHO: WHAT: WHY". */
static void fwd_say(const char *who, const char *what, int err, const char *extack)
{
	const char *why = extack && extack[0] ? extack : err ? strerror(-err) : NULL;

	if (why)
		fprintf(stderr, PROG ": %s: %s: %s\n", who, what, why);
	else
		fprintf(stderr, PROG ": %s: %s\n", who, what);
}

static uint64_t fwd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fwd_is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* IN or OUT by name or ifindex; a name too long is refused before the
 * kernel would cut it and find another interface. */
static int fwd_resolve(struct fwd *f, const char *arg, struct xdp_port *p,
		       struct nl_link *link)
{
	char ext[NL_EXTACK_BYTES];
	unsigned long idx;
	int err;

	if (fwd_is_number(arg)) {
		idx = strtoul(arg, NULL, 10);
		err = idx > 0 && idx <= 0x7fffffff ?
		      nl_link_get(f->nl, (int)idx, link, ext, sizeof(ext)) : -ENODEV;
	} else if (strlen(arg) >= IF_NAMESIZE) {
		fwd_say(arg, "interface name longer than 15 characters", 0, NULL);
		return -EINVAL;
	} else {
		err = nl_link_get_by_name(f->nl, arg, link, ext, sizeof(ext));
	}
	if (err) {
		fwd_say(arg, "no such interface", err == -ENODEV ? 0 : err, NULL);
		return err;
	}
	memcpy(p->name, link->name, sizeof(p->name));
	p->ifindex = link->ifindex;
	p->prog_fd = -1;
	return 0;
}

/* The object's contract: the two programs and the two maps by name. */
static int fwd_find(struct fwd *f)
{
	struct elf_obj *e = &f->ld.elf;

	f->prog_in = elf_prog_find(e, "xdp_redirect_map");
	f->prog_out = elf_prog_find(e, "xdp_dummy");
	f->map_tx = elf_map_find(e, "tx_port");
	f->map_cnt = elf_map_find(e, "rxcnt");
	if (f->prog_in < 0 || f->prog_out < 0 || f->map_tx < 0 || f->map_cnt < 0) {
		fwd_say("embedded object", "lacks a program or map of the contract", 0, NULL);
		return -ENOENT;
	}
	return 0;
}

static int fwd_load_prog(struct fwd *f, int idx)
{
	char reason[256];
	int err = loader_load_prog(&f->ld, (uint32_t)idx, 0);

	if (!err)
		return 0;
	if (loader_log_reason(&f->ld, reason, sizeof(reason)))
		fwd_say(f->ld.err, "verifier", 0, reason);
	else
		fwd_say("embedded object", f->ld.err, 0, NULL);
	return err;
}

static int fwd_load(struct fwd *f)
{
	size_t len = (size_t)(embed_obj_end - embed_obj_start);
	int err = loader_open(&f->ld, embed_obj_start, len);

	if (err) {
		fwd_say("embedded object", f->ld.err, 0, NULL);
		return err;
	}
	err = fwd_find(f);
	if (!err && (err = loader_create_maps(&f->ld)))
		fwd_say("embedded object", f->ld.err, 0, NULL);
	if (!err)
		err = fwd_load_prog(f, f->prog_in);
	if (!err)
		err = fwd_load_prog(f, f->prog_out);
	return err;
}

/* Says who holds the port, and how to take it over. */
static void fwd_say_busy(struct fwd *f, const struct xdp_port *p)
{
	char name[BPF_OBJ_NAME_LEN] = "?";
	char what[128];
	uint32_t id = 0;

	attach_prog_id(f->nl, p->ifindex, &id);
	if (id)
		attach_prog_name_by_id(id, name, sizeof(name));
	snprintf(what, sizeof(what), "already has XDP program %u (%s); -F replaces it", id, name);
	fwd_say(p->name, what, 0, NULL);
}

static int fwd_attach_one(struct fwd *f, struct xdp_port *p, int prog_idx)
{
	char ext[NL_EXTACK_BYTES];
	int err;

	p->prog_fd = f->ld.prog_fds[prog_idx];
	err = attach_port(f->nl, p, f->o->mode_flags, -1, f->o->force, ext, sizeof(ext));
	if (err == -EBUSY || (err == -EEXIST && !ext[0])) {
		fwd_say_busy(f, p);
		return err;
	}
	if (err) {
		fwd_say(p->name, "attach failed", err, ext);
		return err;
	}
	fprintf(stderr, PROG ": %s: attached %s (%s mode, program id %u)\n", p->name,
		f->ld.elf.progs[prog_idx].sym, attach_mode_name(p->mode_flag), p->prog_id);
	return 0;
}

/* In native mode a veth OUT delivers redirected frames to its peer only
 * if the peer runs NAPI: give it GRO if it has neither that nor XDP. */
static void fwd_fix_peer(struct fwd *f)
{
	int ready = 0, err;

	f->peer.nl = -1;
	if (f->in.mode_flag != XDP_FLAGS_DRV_MODE || strcmp(f->out_link.kind, "veth") != 0)
		return;
	err = veth_peer_open(f->nl, &f->out_link, &f->peer);
	if (!err)
		err = veth_peer_takes_redirects(&f->peer, &ready);
	if (!err && !ready && !(err = veth_peer_gro_on(&f->peer))) {
		fprintf(stderr, PROG ": %s: turned GRO on at its veth peer %s%s so that it "
			"receives redirected frames; it goes off again at exit\n",
			f->out.name, f->peer.link.name, f->peer.other_ns ? " (other netns)" : "");
		return;
	}
	if (!err)
		return;
	fprintf(stderr, PROG ": %s: warning: %s its veth peer (ifindex %d): %s; frames "
		"redirected to %s are dropped unless the peer has GRO on "
		"(ethtool -K PEER gro on) or an XDP program\n",
		f->out.name, err == -EPERM ? "cannot enter the namespace of" : "cannot set GRO on",
		f->out_link.link, err == -EPERM ? "CAP_SYS_ADMIN needed" : strerror(-err),
		f->out.name);
}

/* OUT first: by the time IN redirects, OUT is ready to send. The devmap
 * slot last, after the GRO fix: until then the empty slot's fallback
 * passes IN's frames to its own stack, where a redirect into a veth whose
 * peer cannot take it yet would lose them without a word. */
static int fwd_attach(struct fwd *f)
{
	uint32_t key = 0, ifindex = (uint32_t)f->out.ifindex;
	int err;

	err = fwd_attach_one(f, &f->out, f->prog_out);
	if (!err)
		err = fwd_attach_one(f, &f->in, f->prog_in);
	if (err)
		return err;
	fwd_fix_peer(f);
	err = bpf_map_update(f->ld.map_fds[f->map_tx], &key, &ifindex, BPF_ANY);
	if (err)
		fwd_say(f->out.name, "cannot be put in the devmap", err, NULL);
	return err;
}

static int fwd_count(struct fwd *f, uint64_t *total)
{
	uint32_t key = 0;
	int i, err = bpf_map_lookup(f->ld.map_fds[f->map_cnt], &key, f->cnt_buf);

	if (err)
		return err;
	*total = 0;
	for (i = 0; i < f->ncpus; i++)
		*total += f->cnt_buf[i];
	return 0;
}

/* Frames of the interval over its measured length: a late tick does not
 * inflate the rate, and the totals stay exact. */
static void fwd_tick(struct fwd *f)
{
	uint64_t total, now = fwd_now_ns(), us = (now - f->last_ns) / 1000, rate;

	if (fwd_count(f, &total))
		return;
	/* In microseconds, frames * 10^6 stays in 64 bits for any interval
	 * we allow (a day at 10^8 frames/s). */
	rate = us ? ((total - f->total_frames) * 1000000u + us / 2) / us : 0;
	f->total_frames = total;
	f->last_ns = now;
	if (!f->o->quiet)
		printf("%llu pkt/s\n", (unsigned long long)rate);
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

/* Waits for ticks until a stop signal; returns its number. */
static int fwd_loop(struct fwd *f, int sig_fd)
{
	struct pollfd pfd[2] = { { .fd = sig_fd, .events = POLLIN }, { .events = POLLIN } };
	struct signalfd_siginfo si = { 0 };
	uint64_t ticks;

	pfd[1].fd = fwd_timer(f->o->interval_ms);
	if (pfd[1].fd < 0) {
		fwd_say("timerfd", "cannot create", pfd[1].fd, NULL);
		return 0;
	}
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if ((pfd[0].revents & POLLIN) && read(sig_fd, &si, sizeof(si)) == sizeof(si))
			break;
		if ((pfd[1].revents & POLLIN) && read(pfd[1].fd, &ticks, sizeof(ticks)) > 0)
			fwd_tick(f);
	}
	close(pfd[1].fd);
	return (int)si.ssi_signo;
}

static int fwd_detach_one(struct fwd *f, struct xdp_port *p)
{
	char ext[NL_EXTACK_BYTES];
	int err = detach_port(f->nl, p, ext, sizeof(ext));

	if (err == -EEXIST)
		fwd_say(p->name, "left as it is: another program replaced ours", 0, NULL);
	else if (err)
		fwd_say(p->name, "detach failed", err, ext);
	return err == -EEXIST ? 0 : err;
}

/* IN first, so that nothing redirects into OUT once it is bare. */
static int fwd_teardown(struct fwd *f)
{
	int err = fwd_detach_one(f, &f->in);

	err |= fwd_detach_one(f, &f->out);
	if (veth_peer_close(&f->peer)) {
		fwd_say(f->peer.link.name, "cannot turn GRO off again", 0, NULL);
		err = -EIO;
	}
	return err;
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

/* Kernels before 5.11 charge maps to RLIMIT_MEMLOCK, 64 KiB by default. */
static void fwd_raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_MEMLOCK, &r);
}

static int fwd_open(struct fwd *f, const struct options *o)
{
	memset(f, 0, sizeof(*f));
	f->o = o;
	f->peer.nl = -1;
	fwd_raise_memlock();
	f->nl = nl_open(0);
	if (f->nl < 0) {
		fwd_say("netlink", "cannot open", f->nl, NULL);
		return f->nl;
	}
	return 0;
}

static void fwd_close(struct fwd *f)
{
	loader_close(&f->ld);
	free(f->cnt_buf);
	if (f->nl >= 0)
		close(f->nl);
}

static int fwd_ports(struct fwd *f)
{
	struct nl_link in_link;
	int err = fwd_resolve(f, f->o->in, &f->in, &in_link);

	if (!err)
		err = fwd_resolve(f, f->o->out, &f->out, &f->out_link);
	if (!err && f->in.ifindex == f->out.ifindex) {
		fwd_say(f->in.name, "IN and OUT are the same interface", 0, NULL);
		err = -EINVAL;
	}
	return err;
}

static int fwd_counter_buf(struct fwd *f)
{
	f->ncpus = bpf_possible_cpus();
	if (f->ncpus < 0) {
		fwd_say("/sys/devices/system/cpu/possible", "cannot read", f->ncpus, NULL);
		return f->ncpus;
	}
	/* rxcnt holds one u64 per CPU: round_up(8, 8) bytes each. */
	f->cnt_buf = calloc(1, bpf_percpu_value_bytes(sizeof(uint64_t), f->ncpus));
	return f->cnt_buf ? 0 : -ENOMEM;
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
	err = fwd_teardown(f);
	ms = (fwd_now_ns() - f->start_ns) / 1000000u;
	fprintf(stderr, PROG ": stopped by %s: %llu frames forwarded in %llu.%03u s\n",
		fwd_signame(sig), (unsigned long long)f->total_frames,
		(unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
	return sig && !err ? EXIT_STOPPED : EXIT_FAILED;
}

int forwarder_run(const struct options *o)
{
	struct fwd f;
	int sig_fd, ret = EXIT_FAILED;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sig_fd = fwd_signals();
	if (sig_fd < 0) {
		fwd_say("signalfd", "cannot create", sig_fd, NULL);
		return EXIT_FAILED;
	}
	if (fwd_open(&f, o) == 0 && fwd_ports(&f) == 0 && fwd_counter_buf(&f) == 0 &&
	    fwd_load(&f) == 0) {
		if (fwd_attach(&f) == 0)
			ret = fwd_forward(&f, sig_fd);
		else
			fwd_teardown(&f);
	}
	fwd_close(&f);
	close(sig_fd);
	return ret;
}

int forwarder_check(const struct options *o)
{
	struct fwd f;
	int ret = EXIT_FAILED;

	if (fwd_open(&f, o) == 0 && fwd_load(&f) == 0) {
		printf("maps: tx_port, rxcnt; programs: xdp_redirect_map (%u insns), "
		       "xdp_dummy (%u insns): accepted by the kernel\n",
		       f.ld.elf.progs[f.prog_in].insn_cnt, f.ld.elf.progs[f.prog_out].insn_cnt);
		ret = EXIT_SUCCESS;
	}
	fwd_close(&f);
	return ret;
}
