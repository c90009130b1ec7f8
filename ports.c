/* ports.c - the lifecycle of IN and OUT.
 *
 * Policy, in one place:
 * - attach with XDP_FLAGS_UPDATE_IF_NOEXIST; a program already there is
 *   replaced only with -F, or when it is ours, left by an instance that
 *   was killed: recorded in the port's file under /run, or with the tag
 *   of our own program (never by name: BCC's example uses the same one).
 *   That takeover is one XDP_FLAGS_REPLACE, so IN is never bare.
 * - tx_port[0] holds OUT only while OUT exists and is up: a down OUT
 *   makes redirects fail with -ENETDOWN, an empty slot passes frames to
 *   IN's own stack (the program's fallback action).
 * - interfaces are tracked by name: one that comes back with a new
 *   ifindex gets our program again and the devmap points at it.
 * - on exit: IN first, so nothing redirects into a bare OUT. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>

#include "bpf_sys.h"
#include "ports.h"
#include "report.h"

void ports_init(struct pair *p, int nl, const struct options *o)
{
	memset(p, 0, sizeof(*p));
	p->nl = nl;
	p->o = o;
	p->tx_fd = p->egress_fd = p->macs_fd = -1;
	p->in.arg = o->in;
	p->out.arg = o->out;
	p->in.lock.fd = p->out.lock.fd = -1;
	p->in.peer.nl = p->out.peer.nl = -1;
	p->in.x.prog_fd = p->out.x.prog_fd = -1;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* The port as the kernel has it now, by the name once we know it. */
static int port_lookup(struct pair *p, struct port *pt)
{
	unsigned long idx;
	int err;

	if (!pt->x.name[0] && is_number(pt->arg)) {
		idx = strtoul(pt->arg, NULL, 10);
		err = idx > 0 && idx <= 0x7fffffff ?
		      nl_link_get(p->nl, (int)idx, &pt->link, NULL, 0) : -ENODEV;
	} else {
		err = nl_link_get_by_name(p->nl, pt->x.name[0] ? pt->x.name : pt->arg,
					  &pt->link, NULL, 0);
	}
	pt->present = err == 0;
	if (pt->present)
		memcpy(pt->x.name, pt->link.name, sizeof(pt->x.name));
	return err;
}

static const char *port_name(const struct port *pt)
{
	return pt->x.name[0] ? pt->x.name : pt->arg;
}

static int port_lock(struct port *pt)
{
	uint32_t holder;
	char what[96];
	int err = instance_lock(&pt->lock, port_name(pt), &pt->stale, &holder);

	if (err == -EBUSY) {
		snprintf(what, sizeof(what), "in use by a running xdp_redirect_map (pid %u)", holder);
		report_error(port_name(pt), what, 0, NULL);
		return err;
	}
	if (err)
		report_error(INSTANCE_DIR, "warning: no lock or record of this instance", err, NULL);
	return 0;
}

static int port_open(struct pair *p, struct port *pt)
{
	int err;

	if (!is_number(pt->arg) && strlen(pt->arg) >= IF_NAMESIZE) {
		report_error(pt->arg, "interface name longer than 15 characters", 0, NULL);
		return -EINVAL;
	}
	err = port_lookup(p, pt);
	if (err && !p->o->wait) {
		report_error(pt->arg, "no such interface", err == -ENODEV ? 0 : err, NULL);
		return err;
	}
	if (err)
		report_event(pt->arg, "not there yet: waiting for it");
	return 0;
}

/* --dst-mac: bare, or naming OUT by the word given or its name. */
static int pair_dst_macs(struct pair *p)
{
	const struct dst_mac *d;
	uint32_t i;

	for (i = 0; i < p->o->ndst_macs; i++) {
		d = &p->o->dst_macs[i];
		if (d->port[0] && strcmp(d->port, p->out.arg) != 0 &&
		    strcmp(d->port, port_name(&p->out)) != 0) {
			report_error(d->port, "--dst-mac names a port that is not OUT", 0, NULL);
			return -EINVAL;
		}
		p->out.dst_mac = d->mac;
	}
	return 0;
}

int ports_open(struct pair *p)
{
	int err = port_open(p, &p->in);

	if (!err)
		err = port_open(p, &p->out);
	if (err)
		return err;
	if (strcmp(port_name(&p->in), port_name(&p->out)) == 0) {
		report_error(port_name(&p->in), "IN and OUT are the same interface", 0, NULL);
		return -EINVAL;
	}
	err = pair_dst_macs(p);
	if (!err)
		err = port_lock(&p->in);
	return err ? err : port_lock(&p->out);
}

static void port_save(struct port *pt)
{
	struct port_record r = { 0 };

	r.pid = (uint32_t)getpid();
	r.prog_id = pt->x.attached ? pt->x.prog_id : 0;
	r.peer_gro = pt->peer.nl >= 0 && pt->peer.gro_turned_on;
	if (r.peer_gro)
		memcpy(r.peer_name, pt->peer.link.name, sizeof(r.peer_name));
	instance_record(&pt->lock, &r);
}

static uint32_t link_prog_id(const struct nl_link *l)
{
	if (l->xdp_prog_id)
		return l->xdp_prog_id;
	return l->xdp_drv_prog_id ? l->xdp_drv_prog_id : l->xdp_skb_prog_id;
}

static uint32_t link_mode(const struct nl_link *l)
{
	if (l->xdp_attached == XDP_ATTACHED_SKB ||
	    (l->xdp_attached == XDP_ATTACHED_MULTI && !l->xdp_drv_prog_id))
		return XDP_FLAGS_SKB_MODE;
	return XDP_FLAGS_DRV_MODE;
}

/* Ours, left by an instance that is gone: its record says so, or the
 * program is ours instruction for instruction. */
static int port_is_stale_ours(const struct port *pt, uint32_t id)
{
	struct prog_ident pi;

	if (id == pt->stale.prog_id)
		return 1;
	return attach_prog_ident_by_id(id, &pi) == 0 &&
	       memcmp(pi.tag, pt->ours.tag, sizeof(pi.tag)) == 0;
}

static void port_say_busy(const struct port *pt, uint32_t id)
{
	struct prog_ident pi;
	char what[128];

	if (!id || attach_prog_ident_by_id(id, &pi))
		strcpy(pi.name, "?");
	snprintf(what, sizeof(what), "already has XDP program %u (%s); -F replaces it",
		 id, pi.name);
	report_error(pt->x.name, what, 0, NULL);
}

/* Without BPF_F_XDP_HAS_FRAGS (before 5.18) native XDP wants each frame
 * in one page, and drivers refuse an MTU above that (veth: about 3500
 * with 4 KiB pages, checked against the peer's MTU; many NICs less):
 * say so beside the driver's words. */
static void port_say_failed(const struct pair *p, const struct port *pt, int err,
			    const char *ext)
{
	char why[NL_EXTACK_BYTES + 192];

	if (p->frags || p->o->mode_flags == XDP_FLAGS_SKB_MODE ||
	    (pt->link.mtu_bytes <= 1500 && !(ext && strstr(ext, "MTU")))) {
		report_error(pt->x.name, "attach failed", err, ext);
		return;
	}
	snprintf(why, sizeof(why), "%s (MTU %u: this kernel has no multi-buffer XDP, 5.18, so "
		 "native XDP needs each frame in one page: an MTU up to about 3500 on veth, "
		 "1500 on many NICs; lower it, or use -S)",
		 ext && ext[0] ? ext : strerror(-err), pt->link.mtu_bytes);
	report_error(pt->x.name, "attach failed", 0, why);
}

/* The fd of a stale program of ours to replace, -1 when there is none. */
static int port_stale_fd(struct pair *p, struct port *pt, uint32_t *mode)
{
	uint32_t id = link_prog_id(&pt->link);
	int fd;

	if (!id || !port_is_stale_ours(pt, id))
		return -1;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		report_error(pt->x.name, "cannot take over the program an earlier instance left "
			     "(CAP_SYS_ADMIN needed)", fd, NULL);
	/* The replacement goes where the old one is, unless told otherwise. */
	else if (!p->o->mode_flags)
		*mode = link_mode(&pt->link);
	return fd;
}

static int port_attach(struct pair *p, struct port *pt)
{
	char ext[NL_EXTACK_BYTES];
	uint32_t mode = p->o->mode_flags, old = link_prog_id(&pt->link);
	int stale_fd = port_stale_fd(p, pt, &mode);
	int err;

	pt->x.ifindex = pt->link.ifindex;
	pt->x.prog_fd = pt->prog_fd;
	err = attach_port(p->nl, &pt->x, mode, stale_fd, p->o->force, ext, sizeof(ext));
	if (stale_fd >= 0)
		close(stale_fd);
	if (err == -EBUSY || (err == -EEXIST && stale_fd < 0 && !ext[0])) {
		port_say_busy(pt, old);
		return err;
	}
	if (err) {
		port_say_failed(p, pt, err, ext);
		return err;
	}
	report_event(pt->x.name, "attached %s (%s mode, program id %u)%s", pt->prog_name,
		     attach_mode_name(pt->x.mode_flag), pt->x.prog_id,
		     stale_fd >= 0 ? ", replacing the one an earlier instance left" : "");
	port_save(pt);
	return 0;
}

/* tx_port[0] = OUT while OUT is there and up; empty otherwise. With -X
 * the entry carries the egress program too. */
static void pair_slot(struct pair *p, int announce)
{
	const struct port *out = &p->out;
	struct bpf_devmap_val val = { .bpf_prog.fd = p->egress_fd };
	uint32_t key = 0, want = 0;
	int err;

	if (out->present && out->x.attached && (out->link.flags & IFF_UP))
		want = (uint32_t)out->x.ifindex;
	if (want == p->slot)
		return;
	val.ifindex = want;
	err = want ? bpf_map_update(p->tx_fd, &key, &val, BPF_ANY) :
		     bpf_map_delete(p->tx_fd, &key);
	if (err && !(err == -ENOENT && !want)) {
		report_error(port_name(out), "cannot update the devmap", err, NULL);
		return;
	}
	p->slot = want;
	if (!announce)
		return;
	if (want)
		report_event(port_name(out), "up (ifindex %u): forwarding again", want);
	else
		report_event(port_name(out), "%s: frames on %s go to its own stack until it is back",
			     out->present ? "down" : "gone", port_name(&p->in));
}

static void pair_warn_peer(const struct port *out, int err)
{
	report_event(out->x.name, "warning: %s its veth peer (ifindex %d): %s; frames "
		     "redirected to %s are dropped unless the peer has GRO on "
		     "(ethtool -K PEER gro on) or an XDP program",
		     err == -EPERM ? "cannot enter the namespace of" : "cannot set GRO on",
		     out->link.link, err == -EPERM ? "CAP_SYS_ADMIN needed" : strerror(-err),
		     out->x.name);
}

/* In native mode a veth OUT delivers redirected frames to its peer only
 * if the peer runs NAPI: give it GRO if it has neither that nor XDP. */
static void pair_fix_peer(struct pair *p)
{
	struct port *out = &p->out;
	int ready = 0, err;

	if (out->peer.nl >= 0 || !p->in.x.attached || !out->present ||
	    p->in.x.mode_flag != XDP_FLAGS_DRV_MODE || strcmp(out->link.kind, "veth") != 0)
		return;
	err = veth_peer_open(p->nl, &out->link, &out->peer);
	if (!err)
		err = veth_peer_takes_redirects(&out->peer, &ready);
	if (err) {
		pair_warn_peer(out, err);
		return;
	}
	if (ready && out->stale.peer_gro &&
	    strcmp(out->stale.peer_name, out->peer.link.name) == 0) {
		out->peer.gro_turned_on = 1;
		report_event(out->x.name, "GRO at its veth peer %s was turned on by an earlier "
			     "instance; it goes off at exit", out->peer.link.name);
	} else if (!ready && (err = veth_peer_gro_on(&out->peer)) != 0) {
		pair_warn_peer(out, err);
		return;
	} else if (!ready) {
		report_event(out->x.name, "turned GRO on at its veth peer %s%s so that it receives "
			     "redirected frames; it goes off again at exit", out->peer.link.name,
			     out->peer.other_ns ? " (other netns)" : "");
	}
	port_save(out);
}

static void mac_fmt(const uint8_t *mac, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* egress_macs[OUT's ifindex]: what xdp_egress writes into each frame
 * leaving OUT, in the order of its aligned accesses (see prog/): frame
 * bytes 2-5, 6-9, 0-1, 10-11; a zero destination keeps the swap's.
 * Written again when OUT comes back with a new ifindex or a new MAC. */
static void port_egress_macs(struct pair *p, struct port *pt)
{
	static const uint8_t none[OPTIONS_MAC_BYTES];
	const uint8_t *src = pt->link.addr, *dst = pt->dst_mac ? pt->dst_mac : none;
	uint32_t key = (uint32_t)pt->x.ifindex;
	uint8_t v[2 * OPTIONS_MAC_BYTES];
	char s[18], d[18] = "as swapped";
	int err;

	if (p->macs_fd < 0 || !pt->present || !pt->x.attached ||
	    (key == pt->macs_ifindex && memcmp(src, pt->macs_src, sizeof(pt->macs_src)) == 0))
		return;
	if (pt->link.addr_len != OPTIONS_MAC_BYTES) {
		report_error(pt->x.name, "has no Ethernet address for -X", 0, NULL);
		return;
	}
	memcpy(v, dst + 2, 4);
	memcpy(v + 4, src, 4);
	memcpy(v + 8, dst, 2);
	memcpy(v + 10, src + 4, 2);
	if (pt->macs_ifindex && pt->macs_ifindex != key)
		bpf_map_delete(p->macs_fd, &pt->macs_ifindex);
	err = bpf_map_update(p->macs_fd, &key, v, BPF_ANY);
	if (err) {
		report_error(pt->x.name, "cannot update egress_macs", err, NULL);
		return;
	}
	pt->macs_ifindex = key;
	memcpy(pt->macs_src, src, sizeof(pt->macs_src));
	mac_fmt(src, s);
	if (pt->dst_mac)
		mac_fmt(dst, d);
	report_event(pt->x.name, "frames leave with source %s (its own), destination %s", s, d);
}

int ports_attach(struct pair *p)
{
	int err = 0;

	/* OUT first: by the time IN redirects, OUT is ready to send. */
	if (p->out.present)
		err = port_attach(p, &p->out);
	port_egress_macs(p, &p->out);
	pair_slot(p, 0);
	if (!err && p->in.present)
		err = port_attach(p, &p->in);
	if (!err)
		pair_fix_peer(p);
	return err;
}

/* A port that vanished took our program with it; its peer went too. */
static void port_gone(struct port *pt)
{
	report_event(pt->x.name, "gone: waiting for it to come back");
	pt->x.attached = 0;
	pt->x.ifindex = 0;
	pt->peer.gro_turned_on = 0;
	veth_peer_close(&pt->peer);
	port_save(pt);
}

/* 1 when the port came (back) and got our program. */
static int port_sync(struct pair *p, struct port *pt)
{
	int was = pt->present, old_ifindex = pt->x.ifindex;

	port_lookup(p, pt);
	if (!pt->present) {
		if (was)
			port_gone(pt);
		return 0;
	}
	if (was && pt->link.ifindex == old_ifindex)
		return 0;
	if (was)
		port_gone(pt);
	report_event(pt->x.name, "%s (ifindex %d)", pt->x.prog_id ? "back" : "here",
		     pt->link.ifindex);
	return port_attach(p, pt) == 0;
}

void ports_sync(struct pair *p)
{
	int again = port_sync(p, &p->out);

	again |= port_sync(p, &p->in);
	port_egress_macs(p, &p->out);
	pair_slot(p, 1);
	if (again)
		pair_fix_peer(p);
}

static int port_detach(struct pair *p, struct port *pt)
{
	char ext[NL_EXTACK_BYTES];
	int err = detach_port(p->nl, &pt->x, ext, sizeof(ext));

	if (err == -EEXIST)
		report_error(pt->x.name, "left as it is: another program replaced ours", 0, NULL);
	else if (err && err != -ENODEV)
		report_error(pt->x.name, "detach failed", err, ext);
	return err == -EEXIST || err == -ENODEV ? 0 : err;
}

int ports_close(struct pair *p)
{
	int err = port_detach(p, &p->in);

	err |= port_detach(p, &p->out);
	if (p->out.peer.nl >= 0 && veth_peer_close(&p->out.peer)) {
		report_error(p->out.peer.link.name, "cannot turn GRO off again", 0, NULL);
		err = -EIO;
	}
	instance_unlock(&p->in.lock);
	instance_unlock(&p->out.lock);
	return err;
}

/* --detach on one port: only a program of ours left by a killed one. */
static int port_detach_stale(struct pair *p, struct port *pt)
{
	uint32_t id = pt->present ? link_prog_id(&pt->link) : 0;
	int err;

	if (!id) {
		report_event(port_name(pt), "nothing attached");
		return 0;
	}
	if (!port_is_stale_ours(pt, id)) {
		port_say_busy(pt, id);
		return -EEXIST;
	}
	pt->x.ifindex = pt->link.ifindex;
	pt->x.prog_id = id;
	pt->x.mode_flag = link_mode(&pt->link);
	pt->x.attached = 1;
	pt->x.prog_fd = bpf_prog_get_fd_by_id(id);
	if (pt->x.prog_fd < 0) {
		report_error(pt->x.name, "cannot open the program (CAP_SYS_ADMIN needed)",
			     pt->x.prog_fd, NULL);
		return pt->x.prog_fd;
	}
	err = port_detach(p, pt);
	close(pt->x.prog_fd);
	if (!err)
		report_event(pt->x.name, "removed program %u an earlier instance left", id);
	return err;
}

/* The killed instance's GRO change at OUT's veth peer, undone. */
static int pair_undo_stale_peer(struct pair *p)
{
	struct port *out = &p->out;
	int err;

	if (!out->present || !out->stale.peer_gro)
		return 0;
	err = veth_peer_open(p->nl, &out->link, &out->peer);
	if (err || strcmp(out->peer.link.name, out->stale.peer_name) != 0) {
		veth_peer_close(&out->peer);
		return err;
	}
	out->peer.gro_turned_on = 1;
	err = veth_peer_close(&out->peer);
	if (!err)
		report_event(out->x.name, "GRO off again at its veth peer %s", out->stale.peer_name);
	return err;
}

int ports_detach_stale(struct pair *p)
{
	int err = port_detach_stale(p, &p->in);

	err |= port_detach_stale(p, &p->out);
	err |= pair_undo_stale_peer(p);
	instance_unlock(&p->in.lock);
	instance_unlock(&p->out.lock);
	return err;
}
