/* ports.c - the lifecycle of a router's ports: read what the kernel shows
 * of a port, ask port_policy.c what to do, do it, and record each change
 * in the port's file before making it.
 * - an IN's devmap entry is tx_port[0] for one pair, tx_pairs[IN's
 *   ifindex] with -b or several pairs.
 * - interfaces are tracked by name: one that comes back with a new
 *   ifindex gets our program again and the devmap points at it.
 * - on exit: INs first, so nothing redirects into a bare OUT. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>

#include "bpf_sys.h"
#include "decimal.h"
#include "ports.h"
#include "report.h"

/* The index of the port named arg, added if new. */
static int ports_add(struct ports *p, const char *arg)
{
	struct port *pt;
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->port[i].arg, arg) == 0)
			return (int)i;
	pt = &p->port[p->n];
	pt->arg = arg;
	pt->to = -1;
	pt->lock.fd = pt->as_out.peer.nl = pt->x.prog_fd = -1;
	return (int)p->n++;
}

void ports_init(struct ports *p, int nl, const struct ports_config *cfg)
{
	uint32_t i;
	int in, out;

	memset(p, 0, sizeof(*p));
	p->nl = nl;
	p->cfg = *cfg;
	p->tx_fd = p->cnt_fd = p->egress_fd = p->macs_fd = p->pass_fd = -1;
	for (i = 0; i + 1 < cfg->nnames && i + 1 < PORTS_MAX; i += 2) {
		in = ports_add(p, cfg->names[i]);
		out = ports_add(p, cfg->names[i + 1]);
		p->port[in].to = out;
		if (cfg->bidir)
			p->port[out].to = in;
	}
}

/* Whether port j is the OUT of some IN. */
static int port_is_out(const struct ports *p, int j)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (p->port[i].to == j)
			return 1;
	return 0;
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

int ports_link_get(int nl, const char *word, struct nl_link *l)
{
	const char *end;
	uint32_t idx;

	if (!is_number(word))
		return nl_link_get_by_name(nl, word, l, NULL, 0);
	/* An ifindex is a positive int. */
	if (decimal_u32(word, &end, INT32_MAX, &idx) || idx == 0)
		return -ENODEV;
	return nl_link_get(nl, (int)idx, l, NULL, 0);
}

/* The port as the kernel has it now, by the name once we know it. */
static int port_lookup(struct ports *p, struct port *pt)
{
	int err = pt->x.name[0] ? nl_link_get_by_name(p->nl, pt->x.name, &pt->link, NULL, 0) :
		  ports_link_get(p->nl, pt->arg, &pt->link);

	pt->present = err == 0;
	if (pt->present)
		memcpy(pt->x.name, pt->link.name, sizeof(pt->x.name));
	return err;
}

const char *port_name(const struct port *pt)
{
	return pt->x.name[0] ? pt->x.name : pt->arg;
}

static int port_open(struct ports *p, struct port *pt)
{
	int err;

	if (!is_number(pt->arg) && strlen(pt->arg) >= IF_NAMESIZE) {
		report_error(pt->arg, "interface name longer than 15 characters", 0, NULL);
		p->usage = 1;
		return -EINVAL;
	}
	err = port_lookup(p, pt);
	if (err && !p->cfg.wait) {
		report_error(pt->arg, "no such interface", err == -ENODEV ? 0 : err, NULL);
		return err;
	}
	if (err)
		report_event(pt->arg, "not there yet: waiting for it");
	return 0;
}

/* The port a word names, by the word given or the interface's name. */
static int ports_find(const struct ports *p, const char *word)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->port[i].arg, word) == 0 || strcmp(port_name(&p->port[i]), word) == 0)
			return (int)i;
	return -1;
}

/* The one port that is an OUT; -1 when there are several. */
static int ports_only_out(const struct ports *p)
{
	int i, out = -1;

	for (i = 0; i < (int)p->n; i++) {
		if (!port_is_out(p, i))
			continue;
		if (out >= 0)
			return -1;
		out = i;
	}
	return out;
}

/* --dst-mac PORT=MAC names an OUT; a bare one is for the only OUT. */
static int ports_dst_macs(struct ports *p)
{
	const struct ports_dst_mac *d;
	uint32_t i;
	int j;

	for (i = 0; i < p->cfg.ndst_macs; i++) {
		d = &p->cfg.dst_macs[i];
		j = d->port[0] ? ports_find(p, d->port) : ports_only_out(p);
		if (j < 0 || !port_is_out(p, j)) {
			report_error(d->port[0] ? d->port : "--dst-mac", d->port[0] ?
				     "--dst-mac names a port that is not an OUT" :
				     "without PORT= needs a single OUT: PORT=MAC", 0, NULL);
			p->usage = 1;
			return -EINVAL;
		}
		p->port[j].as_out.dst_mac = d->mac;
	}
	return 0;
}

/* Two words for one interface (a name and its ifindex) are refused. */
static int ports_distinct(struct ports *p)
{
	uint32_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(port_name(&p->port[i]), port_name(&p->port[j])) == 0) {
				report_error(port_name(&p->port[i]),
					     "the same interface is named twice", 0, NULL);
				p->usage = 1;
				return -EINVAL;
			}
	return 0;
}

/* The port as the kernel shows it, for the policy. with_tag: whether the
 * program attached is ours by its code (a syscall, so only where the
 * decision needs it). */
static void port_view_read(const struct port *pt, int with_tag, struct port_view *v)
{
	struct prog_ident pi;

	memset(v, 0, sizeof(*v));
	if (!pt->present)
		return;
	v->present = 1;
	v->up = (pt->link.flags & IFF_UP) != 0;
	v->ifindex = (uint32_t)pt->link.ifindex;
	attach_state(&pt->link, &v->xdp);
	v->xdp_is_our_code = with_tag && v->xdp.prog_id &&
			     attach_prog_ident_by_id(v->xdp.prog_id, &pi) == 0 &&
			     memcmp(pi.tag, pt->ours.tag, sizeof(pi.tag)) == 0;
}

/* The record, written before the change it announces: a kill between
 * the two leaves the change recorded for a restart or --detach. */
static int port_record(struct port *pt)
{
	int err;

	pt->rec.pid = (uint32_t)getpid();
	err = instance_record(&pt->lock, &pt->rec);
	if (err)
		report_error(pt->lock.path, "cannot record what is changed on the port", err, NULL);
	return err;
}

/* What a killed instance left that is still there becomes ours to
 * undo. Recorded at once, with our pid for a second instance to name. */
static int port_inherit(struct port *pt)
{
	struct port_view v;

	port_view_read(pt, 0, &v);
	port_policy_inherit(&v, &pt->stale, &pt->rec);
	return port_record(pt);
}

/* Without the lock there is no single-instance guarantee: refused. */
static int port_lock(struct port *pt)
{
	uint32_t holder;
	int err = instance_lock(&pt->lock, port_name(pt), &pt->stale, &holder);

	if (err == -EBUSY && holder)
		report_fail(port_name(pt), "in use by a running " PROG " (pid %u)", holder);
	else if (err == -EBUSY)
		report_fail(port_name(pt), "in use by another " PROG " that is starting");
	else if (err)
		report_fail(INSTANCE_DIR, "%s (%s), so the run is refused: it holds the lock that "
			    "keeps a second instance off the port", pt->lock.why, strerror(-err));
	return err ? err : port_inherit(pt);
}

int ports_open(struct ports *p)
{
	uint32_t i;
	int err = 0;

	for (i = 0; i < p->n && !err; i++)
		err = port_open(p, &p->port[i]);
	if (!err)
		err = ports_distinct(p);
	if (!err)
		err = ports_dst_macs(p);
	for (i = 0; i < p->n && !err; i++)
		err = port_lock(&p->port[i]);
	return err;
}

static void port_say_busy(const struct port *pt, uint32_t id)
{
	struct prog_ident pi;

	if (!id || attach_prog_ident_by_id(id, &pi))
		memcpy(pi.name, "?", 2);
	report_fail(pt->x.name, "already has XDP program %u (%s); " PORT_REFUSE_ADVICE, id, pi.name);
}

/* Without BPF_F_XDP_HAS_FRAGS (before 5.18) native XDP wants each frame
 * in one page, and drivers refuse an MTU above that (veth: about 3500
 * with 4 KiB pages, checked against the peer's MTU, with ERANGE; many
 * NICs less): say so beside the driver's words. */
static void port_say_failed(const struct ports *p, const struct port *pt, int err,
			    const char *ext)
{
	if (p->frags || p->cfg.mode_flags == XDP_FLAGS_SKB_MODE ||
	    (pt->link.mtu_bytes <= 1500 && err != -ERANGE)) {
		report_error(pt->x.name, "attach failed", err, ext);
		return;
	}
	report_fail(pt->x.name, "attach failed: %s (MTU %u: before 5.18 native XDP takes only "
		    "frames that fit a page: about 3500 on veth, 1500 on many NICs; lower it or "
		    "use -S)", ext && ext[0] ? ext : strerror(-err), pt->link.mtu_bytes);
}

/* The killed instance's program id, opened to be named as the one
 * XDP_FLAGS_REPLACE expects. */
static int port_stale_fd(const struct port *pt, uint32_t id, int *fd)
{
	*fd = bpf_prog_get_fd_by_id(id);
	if (*fd < 0)
		report_error(pt->x.name, "cannot take over the program an earlier instance left "
			     "(CAP_SYS_ADMIN needed)", *fd, NULL);
	return *fd < 0 ? *fd : 0;
}

/* The record made true after the kernel's answer (ours on success, the
 * program taken over gone; not ours on failure), and the answer said. */
static int port_attach_said(struct ports *p, struct port *pt, const struct port_attach_plan *plan,
			    int err, const char *ext)
{
	int stale = plan->action == PORT_REPLACE_OURS_STALE;

	instance_del_prog(&pt->rec, err ? pt->ours.id : stale ? plan->old_id : 0);
	port_record(pt);
	switch (port_policy_attached(plan, err, ext[0] != '\0')) {
	case PORT_REFUSE_FOREIGN:
		port_say_busy(pt, plan->old_id);
		return err;
	case PORT_ATTACH_FAILED:
		port_say_failed(p, pt, err, ext);
		return err;
	case PORT_ATTACHED:
		break;
	}
	report_event(pt->x.name, "attached %s (%s mode, program id %u)%s", pt->prog_name,
		     attach_mode_name(pt->x.mode_flag), pt->x.prog_id,
		     stale ? ", replacing the one an earlier instance left" : "");
	return 0;
}

/* Ours recorded before the attach, so a kill during it leaves it known. */
static int port_attach(struct ports *p, struct port *pt)
{
	char ext[NL_EXTACK_BYTES] = "";
	struct port_attach_plan plan;
	struct port_view v;
	int stale_fd = -1, err = 0;

	port_view_read(pt, 1, &v);
	port_policy_attach(&v, &pt->stale, p->cfg.mode_flags, p->cfg.force, &plan);
	if (plan.action == PORT_REPLACE_OURS_STALE)
		err = port_stale_fd(pt, plan.old_id, &stale_fd);
	if (!err && (err = instance_add_prog(&pt->rec, pt->ours.id)) == 0)
		err = port_record(pt);
	if (!err) {
		pt->x.ifindex = pt->link.ifindex;
		pt->x.prog_fd = pt->prog_fd;
		err = attach_port(p->nl, &pt->x, plan.mode_flags, stale_fd, plan.clobber, ext,
				  sizeof(ext));
		err = port_attach_said(p, pt, &plan, err, ext);
	}
	if (stale_fd >= 0)
		close(stale_fd);
	return err;
}

/* An IN's devmap slot as the policy wants it, written where it changed;
 * multi, it moves with IN's ifindex. With -X the entry carries the egress
 * program too. The guard keeps it empty while redirects into OUT fail. */
static void port_slot(struct ports *p, struct port *in, int announce)
{
	const struct port *out = &p->port[in->to];
	struct bpf_devmap_val val = { .bpf_prog.fd = p->egress_fd };
	struct port_view iv, ov;
	struct port_slot want;
	int err;

	port_view_read(in, 0, &iv);
	port_view_read(out, 0, &ov);
	port_policy_slot(p->cfg.multi, &iv, &ov,
			 port_policy_out_ours(out->x.attached, &ov, &out->stale), &want);
	if (in->as_in.guard_off)
		want.ifindex = 0;
	if (want.ifindex == in->as_in.slot.ifindex && (!want.ifindex || want.key == in->as_in.slot.key))
		return;
	if (in->as_in.slot.ifindex && want.key != in->as_in.slot.key)
		bpf_map_delete(p->tx_fd, &in->as_in.slot.key);
	val.ifindex = want.ifindex;
	err = want.ifindex ? bpf_map_update(p->tx_fd, &want.key, &val, BPF_ANY) :
			     bpf_map_delete(p->tx_fd, &want.key);
	if (err && !(err == -ENOENT && !want.ifindex)) {
		report_error(port_name(out), "cannot update the devmap", err, NULL);
		return;
	}
	in->as_in.slot = want;
	if (!announce || !in->present)
		return;
	if (want.ifindex)
		report_event(port_name(out), "up (ifindex %u): forwarding again", want.ifindex);
	else
		report_event(port_name(out), "%s: frames on %s go to its own stack until it is back",
			     out->present ? "down" : "gone", port_name(in));
}

/* The guard's state in IN's record, for --status. The slot changes
 * whether or not the record could be written: frames matter more than
 * the words about them, so a failure is said once. */
static void port_record_guard(struct port *in, uint32_t guard_errno, const char *out)
{
	int ret;

	in->rec.guard_errno = guard_errno;
	snprintf(in->rec.guard_out, sizeof(in->rec.guard_out), "%s", out);
	in->rec.pid = (uint32_t)getpid();
	ret = instance_record(&in->lock, &in->rec);
	if (ret && !in->as_in.guard_unrecorded)
		report_error(in->lock.path, "cannot record the guard's state (--status may take "
			     "its empty slot for a down OUT)", ret, NULL);
	in->as_in.guard_unrecorded |= ret != 0;
}

static void port_unrecord_guard(struct port *in)
{
	if (in->rec.guard_out[0])
		port_record_guard(in, 0, "");
}

/* Recorded before the slot is emptied, unrecorded after it is filled:
 * while the slot is the guard's, the record says so. */
void ports_guard_slot(struct ports *p, uint32_t i, int off, int32_t err)
{
	struct port *in = &p->port[i];

	if (off)
		port_record_guard(in, (uint32_t)-err, port_name(&p->port[in->to]));
	in->as_in.guard_off = off;
	port_slot(p, in, 0);
	if (!off)
		port_unrecord_guard(in);
}

void ports_guard_release(struct ports *p, uint32_t i)
{
	p->port[i].as_in.guard_off = 0;
	port_unrecord_guard(&p->port[i]);
}

/* Multi: rxcnt_pairs[IN's ifindex] counts IN's frames. The program counts
 * only under keys that exist, so the entry is made here (a per-CPU entry
 * made by the program would hold one CPU's slot); when IN comes back
 * with a new ifindex, what the old one counted is kept aside. */
static void port_count_key(struct ports *p, struct port *in)
{
	uint32_t key = in->present ? (uint32_t)in->link.ifindex : 0;
	struct stats_count old;
	int err;

	if (p->cnt_fd < 0 || !key || key == in->as_in.cnt_key)
		return;
	if (in->as_in.cnt_key && stats_read_key(p->st, p->cnt_fd, in->as_in.cnt_key, &old) == 0) {
		in->as_in.before.frames += old.frames;
		in->as_in.before.bytes += old.bytes;
		bpf_map_delete(p->cnt_fd, &in->as_in.cnt_key);
	}
	memset(p->st->buf, 0, bpf_percpu_value_bytes(p->st->value_bytes, p->st->ncpus));
	err = bpf_map_update(p->cnt_fd, &key, p->st->buf, BPF_ANY);
	if (err)
		report_error(port_name(in), "cannot count its frames", err, NULL);
	in->as_in.cnt_key = err ? 0 : key;
}

int ports_count(struct ports *p, uint32_t i, struct stats_count *c)
{
	const struct port *in = &p->port[i];
	int err = 0;

	memset(c, 0, sizeof(*c));
	if (in->as_in.cnt_key)
		err = stats_read_key(p->st, p->cnt_fd, in->as_in.cnt_key, c);
	c->frames += in->as_in.before.frames;
	c->bytes += in->as_in.before.bytes;
	return err;
}

/* Once per failure: the peer is tried again at every link event. */
static void port_warn_peer(struct port *out, int err)
{
	if (err == out->as_out.peer_err)
		return;
	out->as_out.peer_err = err;
	report_event(out->x.name, "warning: %s its veth peer (ifindex %d): %s; frames "
		     "redirected to %s are dropped unless the peer has GRO on "
		     "(ethtool -K PEER gro on) or an XDP program",
		     err == -EPERM ? "cannot enter the namespace of" : "cannot set GRO on",
		     out->link.link, err == -EPERM ? "CAP_SYS_ADMIN needed" : strerror(-err),
		     out->x.name);
}

/* Whether an IN redirects into port j through its driver (native mode),
 * or will: OUT's peer is made ready before the first frame. */
static int port_is_native_target(const struct ports *p, int j)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (p->port[i].to == j &&
		    port_policy_in_native(p->port[i].present, &p->port[i].x, p->cfg.mode_flags))
			return 1;
	return 0;
}

/* The peer's change leaves the record once undone; kept when the undo
 * failed, for a later --detach. */
static void port_peer_forget(struct port *pt, int err)
{
	if (err)
		return;
	pt->rec.peer_gro = 0;
	pt->rec.peer_xdp = 0;
}

/* What an earlier instance did at the peer, if it is still there, becomes
 * ours to undo at exit. */
static void port_peer_inherit(struct port *out, enum peer_action action)
{
	struct veth_peer *peer = &out->as_out.peer;
	struct port_record *r = &out->rec;

	if (action == PEER_INHERIT_GRO) {
		peer->gro_turned_on = 1;
		report_event(out->x.name, "GRO at its veth peer %s was turned on by an earlier "
			     "instance; it goes off at exit", peer->link.name);
		return;
	}
	if (action == PEER_INHERIT_XDP && veth_peer_xdp_adopt(peer, r->peer_xdp) == 0) {
		report_event(out->x.name, "XDP program %u at its veth peer %s was attached by an "
			     "earlier instance; it goes at exit", r->peer_xdp, peer->link.name);
		return;
	}
	if (action != PEER_NONE) {
		port_peer_forget(out, 0);
		port_record(out);
	}
}

/* The change at the peer, recorded before it is made (peer_gro or
 * peer_xdp set by the caller) and the record taken back if it fails. */
static int port_peer_change(struct ports *p, struct port *out, int err, char *ext,
			    size_t ext_len)
{
	memcpy(out->rec.peer_name, out->as_out.peer.link.name, sizeof(out->rec.peer_name));
	if (!err)
		err = port_record(out);
	if (!err)
		err = out->rec.peer_gro ? veth_peer_gro_on(&out->as_out.peer) :
			veth_peer_xdp_on(&out->as_out.peer, p->pass_fd, ext, ext_len);
	if (err) {
		port_peer_forget(out, 0);
		port_record(out);
	}
	return err;
}

/* NAPI for the peer: GRO where the kernel's veth runs NAPI for it, else
 * our XDP_PASS program, whose costs are said once. */
static int port_peer_napi(struct ports *p, struct port *out, enum peer_action action)
{
	struct veth_peer *peer = &out->as_out.peer;
	char ext[NL_EXTACK_BYTES] = "";
	struct prog_ident pi = { 0 };
	int err;

	if (action == PEER_GRO_ON) {
		out->rec.peer_gro = 1;
		err = port_peer_change(p, out, 0, ext, sizeof(ext));
		if (!err)
			report_event(out->x.name, "turned GRO on at its veth peer %s%s so that it "
				     "receives redirected frames; it goes off again at exit",
				     peer->link.name, peer->other_ns ? " (other netns)" : "");
		return err;
	}
	err = attach_prog_ident(p->pass_fd, &pi);
	out->rec.peer_xdp = pi.id;
	err = port_peer_change(p, out, err, ext, sizeof(ext));
	/* Said here, with the kernel's reason: no GRO advice would help. */
	if (err) {
		report_error(out->x.name, "warning: cannot attach xdp_dummy to its veth peer, "
			     "so frames redirected there are dropped", err, ext);
		return 0;
	}
	report_event(out->x.name, "attached xdp_dummy (program id %u) to its veth peer %s%s so "
		     "that it receives redirected frames (this kernel's veth needs XDP there, GRO "
		     "is not enough); until it goes at exit, %s has no GSO and an MTU under a page "
		     "(about 3500)", peer->x.prog_id, peer->link.name,
		     peer->other_ns ? " (other netns)" : "", out->x.name);
	return 0;
}

/* In native mode a veth OUT delivers redirected frames to its peer only
 * if the peer runs NAPI: give it NAPI if it has none (port_peer_napi).
 * Only once the peer is up: GRO turned on at a down veth stays off for
 * redirects after it comes up (the kernel does not mark OUT a redirect
 * target then). The peer coming up changes OUT's carrier: an event. */
static void port_fix_peer(struct ports *p, struct port *out)
{
	enum peer_action action;
	struct peer_view pv;
	int err;

	if (out->as_out.peer.nl >= 0 || !out->present || strcmp(out->link.kind, "veth") != 0 ||
	    !port_is_native_target(p, (int)(out - p->port)))
		return;
	err = veth_peer_open(p->nl, &out->link, &out->as_out.peer);
	if (!err)
		err = veth_peer_view(&out->as_out.peer, p->feat, &pv);
	if (err) {
		port_warn_peer(out, err);
		return;
	}
	action = port_policy_peer(&pv, p->feat->veth_gro > 0, &out->rec);
	if (action == PEER_NOT_YET)
		veth_peer_close(&out->as_out.peer);
	else if (action == PEER_GRO_ON || action == PEER_XDP_PASS)
		err = port_peer_napi(p, out, action);
	else
		port_peer_inherit(out, action);
	if (err)
		port_warn_peer(out, err);
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
static void port_egress_macs(struct ports *p, struct port *pt)
{
	static const uint8_t none[ETH_ALEN];
	const uint8_t *src = pt->link.addr, *dst = pt->as_out.dst_mac ? pt->as_out.dst_mac : none;
	uint32_t key = (uint32_t)pt->link.ifindex;
	uint8_t v[2 * ETH_ALEN];
	char s[18], d[18] = "as swapped";
	int err;

	if (p->macs_fd < 0 || !pt->present || !port_is_out(p, (int)(pt - p->port)) ||
	    (key == pt->as_out.macs_ifindex && memcmp(src, pt->as_out.macs_src, sizeof(pt->as_out.macs_src)) == 0))
		return;
	if (pt->link.addr_len != ETH_ALEN) {
		report_error(pt->x.name, "has no Ethernet address for -X", 0, NULL);
		return;
	}
	memcpy(v, dst + 2, 4);
	memcpy(v + 4, src, 4);
	memcpy(v + 8, dst, 2);
	memcpy(v + 10, src + 4, 2);
	if (pt->as_out.macs_ifindex && pt->as_out.macs_ifindex != key)
		bpf_map_delete(p->macs_fd, &pt->as_out.macs_ifindex);
	err = bpf_map_update(p->macs_fd, &key, v, BPF_ANY);
	if (err) {
		report_error(pt->x.name, "cannot update egress_macs", err, NULL);
		return;
	}
	pt->as_out.macs_ifindex = key;
	memcpy(pt->as_out.macs_src, src, sizeof(pt->as_out.macs_src));
	mac_fmt(src, s);
	if (pt->as_out.dst_mac)
		mac_fmt(dst, d);
	report_event(pt->x.name, "frames leave with source %s (its own), destination %s", s, d);
}

/* What follows the ports' state: egress MACs, counters, devmap entries. */
static void ports_update(struct ports *p, int announce)
{
	struct port *pt;

	for (pt = p->port; pt < p->port + p->n; pt++) {
		port_egress_macs(p, pt);
		if (!port_is_in(pt))
			continue;
		port_count_key(p, pt);
		port_slot(p, pt, announce);
	}
}

static void ports_fix_peers(struct ports *p)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		port_fix_peer(p, &p->port[i]);
}

/* Ports only OUT first, then each IN with its entry already filled where
 * its OUT is ready: by the time an IN redirects, its OUT can send. The
 * peers' GRO before any entry: a frame redirected into a veth whose peer
 * cannot take it yet is lost without a word (2 to 34 per start in the 6.1
 * guests at 1000 frames/s when the entry came first). */
int ports_attach(struct ports *p)
{
	struct port *pt;
	int err = 0;

	for (pt = p->port; pt < p->port + p->n && !err; pt++)
		if (!port_is_in(pt) && pt->present)
			err = port_attach(p, pt);
	for (pt = p->port; pt < p->port + p->n && !err; pt++) {
		ports_fix_peers(p);
		ports_update(p, 0);
		if (port_is_in(pt) && pt->present)
			err = port_attach(p, pt);
	}
	if (err)
		return err;
	ports_fix_peers(p);
	ports_update(p, 0);
	return err;
}

/* A port that vanished took our program with it; its peer went too. */
static void port_gone(struct port *pt)
{
	report_event(pt->x.name, "gone: waiting for it to come back");
	pt->x.attached = 0;
	pt->x.ifindex = 0;
	pt->as_out.peer.gro_turned_on = 0;
	pt->as_out.peer_err = 0;
	pt->as_out.peer.x.attached = 0;
	veth_peer_close(&pt->as_out.peer);
	memset(&pt->rec, 0, sizeof(pt->rec));
	port_record(pt);
}

/* Whether the port came (back): said here, attached by ports_sync_attach. */
static int port_sync_find(struct ports *p, struct port *pt)
{
	int was = pt->present, old_ifindex = pt->x.ifindex;

	port_lookup(p, pt);
	if (was && (!pt->present || pt->link.ifindex != old_ifindex))
		port_gone(pt);
	if (!pt->present || (was && pt->link.ifindex == old_ifindex))
		return 0;
	report_event(pt->x.name, "%s (ifindex %d)", pt->x.prog_id ? "back" : "here",
		     pt->link.ifindex);
	return 1;
}

_Static_assert(PORTS_MAX <= 32, "ports_sync_find's answer has a bit per port");

uint32_t ports_sync_find(struct ports *p)
{
	uint32_t i, came = 0;

	for (i = 0; i < p->n; i++)
		if (port_sync_find(p, &p->port[i]))
			came |= 1u << i;
	return came;
}

void ports_sync_attach(struct ports *p, uint32_t came)
{
	uint32_t i;

	for (i = 0; i < p->n; i++)
		if (came & (1u << i))
			port_attach(p, &p->port[i]);
	/* The peers before the entries, as in ports_attach. */
	ports_fix_peers(p);
	ports_update(p, 1);
}

/* Ours off the port, and only ours. */
static int port_detach(struct ports *p, struct port *pt)
{
	char ext[NL_EXTACK_BYTES] = "";
	int err = detach_port(p->nl, &pt->x, ext, sizeof(ext));

	switch (port_policy_detached(err)) {
	case PORT_LEFT_THEIRS:
		report_error(pt->x.name, "left as it is: another program replaced ours", 0, NULL);
		break;
	case PORT_DETACH_FAILED:
		report_error(pt->x.name, "detach failed", err, ext);
		return err;
	case PORT_DETACHED:
	case PORT_DETACH_GONE:
		break;
	}
	instance_del_prog(&pt->rec, pt->x.prog_id);
	return 0;
}

/* GRO off again where it is ours; a peer never opened keeps what the
 * record says of it. */
static int port_peer_undo(struct port *pt)
{
	int gro = pt->as_out.peer.gro_turned_on, err;

	if (pt->as_out.peer.nl < 0)
		return 0;
	err = veth_peer_close(&pt->as_out.peer);
	if (err)
		report_error(pt->as_out.peer.link.name, gro ? "cannot turn GRO off again" :
			     "cannot remove our XDP program there", err, NULL);
	port_peer_forget(pt, err);
	return err;
}

int ports_close(struct ports *p)
{
	struct port *pt;
	int err = 0, e, outs;

	/* INs first (outs 0), so nothing redirects into a bare OUT. */
	for (outs = 0; outs < 2; outs++)
		for (pt = p->port; pt < p->port + p->n; pt++)
			if (port_is_in(pt) == !outs && (e = port_detach(p, pt)) != 0 && !err)
				err = e;
	for (pt = p->port; pt < p->port + p->n; pt++) {
		if ((e = port_peer_undo(pt)) != 0 && !err)
			err = e;
		instance_unlock(&pt->lock, &pt->rec);
	}
	return err;
}

/* --detach on one port: only a program of ours left by a killed one. */
static int port_detach_stale(struct ports *p, struct port *pt)
{
	struct port_view v;
	int err;

	port_view_read(pt, 1, &v);
	switch (port_policy_detach_stale(&v, &pt->stale)) {
	case PORT_NOTHING_ATTACHED:
		report_event(port_name(pt), "nothing attached");
		return 0;
	case PORT_SKIP_NOT_OURS:
		port_say_busy(pt, v.xdp.prog_id);
		return -EEXIST;
	case PORT_DETACH_STALE:
		break;
	}
	pt->x.ifindex = pt->link.ifindex;
	pt->x.prog_id = v.xdp.prog_id;
	pt->x.mode_flag = v.xdp.mode_flag;
	pt->x.attached = 1;
	pt->x.prog_fd = bpf_prog_get_fd_by_id(v.xdp.prog_id);
	if (pt->x.prog_fd < 0) {
		report_error(pt->x.name, "cannot open the program (CAP_SYS_ADMIN needed)",
			     pt->x.prog_fd, NULL);
		return pt->x.prog_fd;
	}
	err = port_detach(p, pt);
	close(pt->x.prog_fd);
	if (!err)
		report_event(pt->x.name, "removed program %u an earlier instance left",
			     v.xdp.prog_id);
	return err;
}

/* The killed instance's change at a port's veth peer (GRO or an XDP
 * program), undone. */
static int port_undo_stale_peer(struct ports *p, struct port *pt)
{
	struct peer_view pv = { 0 };
	struct xdp_state x;
	enum peer_undo undo;
	int err;

	if (!pt->present || port_policy_peer_undo(NULL, &pt->rec) == PEER_UNDO_NONE)
		return 0;
	err = veth_peer_open(p->nl, &pt->link, &pt->as_out.peer);
	if (!err) {
		attach_state(&pt->as_out.peer.link, &x);
		pv.name = pt->as_out.peer.link.name;
		pv.xdp_prog_id = x.prog_id;
	}
	undo = port_policy_peer_undo(err ? NULL : &pv, &pt->rec);
	if (undo == PEER_UNDO_FORGET) {
		veth_peer_close(&pt->as_out.peer);
		port_peer_forget(pt, err);
		return err;
	}
	pt->as_out.peer.gro_turned_on = undo == PEER_UNDO_GRO;
	if (undo == PEER_UNDO_XDP)
		veth_peer_xdp_adopt(&pt->as_out.peer, pt->rec.peer_xdp);
	err = veth_peer_close(&pt->as_out.peer);
	port_peer_forget(pt, err);
	if (!err)
		report_event(pt->x.name, "%s at its veth peer %s", undo == PEER_UNDO_GRO ?
			     "GRO off again" : "an earlier instance's XDP program removed",
			     pt->rec.peer_name);
	return err;
}

int ports_detach_stale(struct ports *p)
{
	struct port *pt;
	int err = 0, e;

	for (pt = p->port; pt < p->port + p->n; pt++) {
		if ((e = port_detach_stale(p, pt)) != 0 && !err)
			err = e;
		if ((e = port_undo_stale_peer(p, pt)) != 0 && !err)
			err = e;
		instance_unlock(&pt->lock, &pt->rec);
	}
	return err;
}
