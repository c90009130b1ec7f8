/* unit_port_policy.c - the decisions of ports.c over every case that
 * tests/lifecycle.sh drives on real interfaces: attach, takeover of a
 * killed instance, foreign programs with and without -F, ports that go
 * down, vanish and come back, -b, stale records, a veth OUT's peer, and
 * the exit. Each expectation names one decision, so changing the
 * decision fails it. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>

#include "unit.h"
#include "../port_policy.h"

#define OURS_OLD 45		/* a killed instance's program */
#define OURS_NEW 50		/* ours, loaded now */
#define THEIRS 77		/* someone else's */

/* A port that is there and up, with prog_id attached in mode (0: none). */
static struct port_view view(uint32_t ifindex, uint32_t prog_id, uint32_t mode)
{
	struct port_view v = { .present = 1, .up = 1, .ifindex = ifindex };

	v.xdp.prog_id = prog_id;
	v.xdp.mode_flag = prog_id ? mode : 0;
	if (mode == XDP_FLAGS_DRV_MODE)
		v.xdp.drv_id = prog_id;
	else if (mode == XDP_FLAGS_SKB_MODE)
		v.xdp.skb_id = prog_id;
	return v;
}

static const struct port_view gone = { 0 };

static struct port_record record_of(uint32_t prog_id)
{
	struct port_record r = { .pid = 812, .prog_ids = { prog_id } };

	return r;
}

static void test_xdp_state(void)
{
	struct nl_link l = { .xdp_attached = XDP_ATTACHED_SKB, .xdp_prog_id = 9 };
	struct xdp_state s;

	attach_state(&l, &s);
	CHECK(s.prog_id == 9 && s.mode_flag == XDP_FLAGS_SKB_MODE && s.skb_id == 9 && !s.drv_id);
	l.xdp_attached = XDP_ATTACHED_DRV;
	attach_state(&l, &s);
	CHECK(s.prog_id == 9 && s.mode_flag == XDP_FLAGS_DRV_MODE && s.drv_id == 9 && !s.skb_id);
	l.xdp_attached = XDP_ATTACHED_HW;
	attach_state(&l, &s);
	CHECK(s.prog_id == 9 && s.mode_flag == XDP_FLAGS_HW_MODE);
	CHECK(strcmp(attach_mode_name(s.mode_flag), "offloaded") == 0);
	/* Two modes: no IFLA_XDP_PROG_ID, each mode's id apart. */
	l = (struct nl_link){ .xdp_attached = XDP_ATTACHED_MULTI, .xdp_drv_prog_id = 3,
			      .xdp_skb_prog_id = 4 };
	attach_state(&l, &s);
	CHECK(s.prog_id == 3 && s.mode_flag == XDP_FLAGS_DRV_MODE);
	CHECK(attach_state_mode(&s, 4) == XDP_FLAGS_SKB_MODE);
	CHECK(attach_state_mode(&s, 5) == 0 && attach_state_mode(&s, 0) == 0);
	l.xdp_drv_prog_id = 0;
	attach_state(&l, &s);
	CHECK(s.prog_id == 4 && s.mode_flag == XDP_FLAGS_SKB_MODE);
	l = (struct nl_link){ .xdp_attached = XDP_ATTACHED_NONE, .xdp_prog_id = 9 };
	attach_state(&l, &s);
	CHECK(s.prog_id == 0 && s.mode_flag == 0);
}

static void test_fresh_attach(void)
{
	struct port_view v = view(3, 0, 0);
	struct port_record none = { 0 };
	struct port_attach_plan plan;

	port_policy_attach(&v, &none, 0, 0, &plan);
	CHECK(plan.action == PORT_ATTACH);
	CHECK(plan.mode_flags == 0 && !plan.clobber && plan.old_id == 0);
	port_policy_attach(&v, &none, XDP_FLAGS_SKB_MODE, 0, &plan);
	CHECK(plan.mode_flags == XDP_FLAGS_SKB_MODE);
	CHECK(port_policy_attached(&plan, 0, 0) == PORT_ATTACHED);
	/* -N on a driver without XDP: the kernel's reason, not "foreign". */
	CHECK(port_policy_attached(&plan, -EOPNOTSUPP, 1) == PORT_ATTACH_FAILED);
}

/* kill -9, restart: the record names the program attached. */
static void test_takeover_by_record(void)
{
	struct port_view v = view(3, OURS_OLD, XDP_FLAGS_SKB_MODE);
	struct port_record stale = record_of(OURS_OLD), rec;
	struct port_attach_plan plan;

	port_policy_attach(&v, &stale, 0, 0, &plan);
	CHECK(plan.action == PORT_REPLACE_OURS_STALE);
	CHECK(plan.old_id == OURS_OLD);
	/* Where the old one is, unless told otherwise. */
	CHECK(plan.mode_flags == XDP_FLAGS_SKB_MODE);
	port_policy_attach(&v, &stale, XDP_FLAGS_DRV_MODE, 1, &plan);
	CHECK(plan.action == PORT_REPLACE_OURS_STALE && plan.mode_flags == XDP_FLAGS_DRV_MODE);
	/* REPLACE, not a clobbering attach, even with -F. */
	CHECK(!plan.clobber);
	/* The expected program gone under us: the kernel's words say so. */
	CHECK(port_policy_attached(&plan, -EEXIST, 0) == PORT_ATTACH_FAILED);
	port_policy_inherit(&v, &stale, &rec);
	CHECK(rec.prog_ids[0] == OURS_OLD && rec.pid == 0);
	CHECK(port_policy_detach_stale(&v, &stale) == PORT_DETACH_STALE);
}

/* No record (an older version's, a lost file): ours by its code. */
static void test_takeover_by_code(void)
{
	struct port_view v = view(3, OURS_OLD, XDP_FLAGS_DRV_MODE);
	struct port_record none = { 0 }, rec;
	struct port_attach_plan plan;

	v.xdp_is_our_code = 1;
	port_policy_attach(&v, &none, 0, 0, &plan);
	CHECK(plan.action == PORT_REPLACE_OURS_STALE && plan.mode_flags == XDP_FLAGS_DRV_MODE);
	CHECK(port_policy_detach_stale(&v, &none) == PORT_DETACH_STALE);
	/* Only a record makes it ours to undo at the start. */
	port_policy_inherit(&v, &none, &rec);
	CHECK(rec.prog_ids[0] == 0);
}

static void test_foreign(void)
{
	struct port_view v = view(3, THEIRS, XDP_FLAGS_DRV_MODE);
	struct port_record none = { 0 };
	struct port_attach_plan plan;

	port_policy_attach(&v, &none, 0, 0, &plan);
	CHECK(plan.action == PORT_ATTACH_BESIDE_FOREIGN);
	CHECK(!plan.clobber && plan.old_id == THEIRS);
	CHECK(port_policy_attached(&plan, -EBUSY, 1) == PORT_REFUSE_FOREIGN);
	/* Before 4.12: -EEXIST and no extended ack. */
	CHECK(port_policy_attached(&plan, -EEXIST, 0) == PORT_REFUSE_FOREIGN);
	/* "Native and generic XDP can't be active at the same time". */
	CHECK(port_policy_attached(&plan, -EEXIST, 1) == PORT_ATTACH_FAILED);
	/* A program that happens to be named as ours is not ours. */
	CHECK(port_policy_detach_stale(&v, &none) == PORT_SKIP_NOT_OURS);
	port_policy_attach(&v, &none, 0, 1, &plan);
	CHECK(plan.action == PORT_REPLACE_FOREIGN);
	CHECK(plan.clobber);
	CHECK(port_policy_attached(&plan, 0, 0) == PORT_ATTACHED);
}

/* The record names a program that is no longer there: another one is. */
static void test_stale_record_mismatch(void)
{
	struct port_view v = view(3, THEIRS, XDP_FLAGS_DRV_MODE), out = view(4, THEIRS, 0);
	struct port_record stale = record_of(OURS_OLD), rec;
	struct port_attach_plan plan;

	port_policy_attach(&v, &stale, 0, 0, &plan);
	CHECK(plan.action == PORT_ATTACH_BESIDE_FOREIGN);
	CHECK(port_policy_detach_stale(&v, &stale) == PORT_SKIP_NOT_OURS);
	port_policy_inherit(&v, &stale, &rec);
	CHECK(rec.prog_ids[0] == 0 && rec.prog_ids[1] == 0);
	CHECK(!port_policy_out_ours(0, &out, &stale));
	/* Nothing there at all. */
	v = view(3, 0, 0);
	CHECK(port_policy_detach_stale(&v, &stale) == PORT_NOTHING_ATTACHED);
	CHECK(port_policy_detach_stale(&gone, &stale) == PORT_NOTHING_ATTACHED);
}

/* A port that vanished took our program; back, with a new ifindex, it
 * gets it again, and a record of the gone one is nothing to inherit. */
static void test_gone_and_back(void)
{
	struct port_view back = view(9, 0, 0);
	struct port_record stale = record_of(OURS_OLD), rec;
	struct port_attach_plan plan;

	port_policy_inherit(&gone, &stale, &rec);
	CHECK(rec.prog_ids[0] == 0);
	port_policy_attach(&back, &stale, 0, 0, &plan);
	CHECK(plan.action == PORT_ATTACH);
}

static void test_slot_one_pair(void)
{
	struct port_view in = view(3, OURS_NEW, XDP_FLAGS_DRV_MODE), out = view(4, 0, 0);
	struct port_record none = { 0 };
	struct port_slot s;

	port_policy_slot(0, &in, &out, 1, &s);
	CHECK(s.key == 0 && s.ifindex == 4);
	/* OUT down: redirects would fail with -ENETDOWN. */
	out.up = 0;
	port_policy_slot(0, &in, &out, 1, &s);
	CHECK(s.ifindex == 0);
	out.up = 1;
	/* OUT without our program (back, not yet attached). */
	CHECK(!port_policy_out_ours(0, &out, &none));
	port_policy_slot(0, &in, &out, port_policy_out_ours(0, &out, &none), &s);
	CHECK(s.ifindex == 0);
	CHECK(port_policy_out_ours(1, &out, &none));
	/* OUT gone, and back with a new ifindex. */
	port_policy_slot(0, &in, &gone, 1, &s);
	CHECK(s.ifindex == 0);
	out.ifindex = 8;
	port_policy_slot(0, &in, &out, 1, &s);
	CHECK(s.ifindex == 8);
	/* One pair: slot 0 stays OUT's while IN is away or down. */
	port_policy_slot(0, &gone, &out, 1, &s);
	CHECK(s.key == 0 && s.ifindex == 8);
	in.up = 0;
	port_policy_slot(0, &in, &out, 1, &s);
	CHECK(s.ifindex == 8);
}

/* -b: IN and OUT are each other's, each slot keyed by its ingress. */
static void test_slot_bidir(void)
{
	struct port_view a = view(3, OURS_OLD, XDP_FLAGS_DRV_MODE);
	struct port_view b = view(4, OURS_OLD + 1, XDP_FLAGS_DRV_MODE);
	struct port_record stale_b = record_of(OURS_OLD + 1);
	struct port_slot s;

	/* a taken over first: b still has the killed instance's program. */
	port_policy_slot(1, &a, &b, port_policy_out_ours(0, &b, &stale_b), &s);
	CHECK(s.key == 3 && s.ifindex == 4);
	port_policy_slot(1, &b, &a, 1, &s);
	CHECK(s.key == 4 && s.ifindex == 3);
	/* IN down keeps its slot; IN gone has none; IN back, a new one. */
	a.up = 0;
	port_policy_slot(1, &a, &b, 1, &s);
	CHECK(s.key == 3 && s.ifindex == 4);
	port_policy_slot(1, &gone, &b, 1, &s);
	CHECK(s.key == 0 && s.ifindex == 0);
	a = view(7, 0, 0);
	port_policy_slot(1, &a, &b, 1, &s);
	CHECK(s.key == 7 && s.ifindex == 4);
	/* Its OUT gone: the slot is emptied, and the kernel empties it too. */
	port_policy_slot(1, &b, &gone, 1, &s);
	CHECK(s.key == 4 && s.ifindex == 0);
}

static void test_in_native(void)
{
	struct xdp_port x = { .attached = 1, .mode_flag = XDP_FLAGS_DRV_MODE };

	CHECK(port_policy_in_native(1, &x, XDP_FLAGS_SKB_MODE));
	x.mode_flag = XDP_FLAGS_SKB_MODE;
	CHECK(!port_policy_in_native(1, &x, 0));
	x.attached = 0;
	CHECK(port_policy_in_native(1, &x, 0));
	CHECK(port_policy_in_native(1, &x, XDP_FLAGS_DRV_MODE));
	CHECK(!port_policy_in_native(1, &x, XDP_FLAGS_SKB_MODE));
	CHECK(!port_policy_in_native(0, &x, 0));
}

static void test_peer(void)
{
	struct peer_view pv = { .name = "out_intf", .up = 1 };
	struct port_record none = { 0 }, rec = { 0 };

	strcpy(rec.peer_name, "out_intf");
	/* GRO off: on from 5.13, else xdp_dummy. */
	CHECK(port_policy_peer(&pv, 1, &none) == PEER_GRO_ON);
	CHECK(port_policy_peer(&pv, 0, &none) == PEER_XDP_PASS);
	/* Down: GRO turned on now would not count once it is up. */
	pv.up = 0;
	CHECK(port_policy_peer(&pv, 1, &none) == PEER_NOT_YET);
	pv.up = 1;
	/* GRO already on, by someone else: not ours to undo. */
	pv.gro_on = 1;
	CHECK(port_policy_peer(&pv, 1, &none) == PEER_NONE);
	/* Before 5.13 GRO gives no NAPI: it does not count. */
	CHECK(port_policy_peer(&pv, 0, &none) == PEER_XDP_PASS);
	/* Turned on by a killed instance, recorded: ours to undo. */
	rec.peer_gro = 1;
	CHECK(port_policy_peer(&pv, 1, &rec) == PEER_INHERIT_GRO);
	/* The record is of another peer: no longer true. */
	pv.name = "other";
	CHECK(port_policy_peer(&pv, 1, &rec) == PEER_FORGET);
	pv.name = "out_intf";
	/* Its xdp_dummy, still there; or someone else's program now. */
	rec.peer_gro = 0;
	rec.peer_xdp = 61;
	pv.gro_on = 0;
	pv.xdp_prog_id = 61;
	CHECK(port_policy_peer(&pv, 0, &rec) == PEER_INHERIT_XDP);
	pv.xdp_prog_id = 62;
	CHECK(port_policy_peer(&pv, 0, &rec) == PEER_FORGET);
	CHECK(port_policy_peer(&pv, 0, &none) == PEER_NONE);
}

/* --detach: the killed instance's change at the peer. */
static void test_peer_undo(void)
{
	struct peer_view pv = { .name = "out_intf", .up = 1, .xdp_prog_id = 61 };
	struct port_record none = { 0 }, rec = { .peer_gro = 1 };

	strcpy(rec.peer_name, "out_intf");
	CHECK(port_policy_peer_undo(&pv, &none) == PEER_UNDO_NONE);
	CHECK(port_policy_peer_undo(NULL, &none) == PEER_UNDO_NONE);
	CHECK(port_policy_peer_undo(&pv, &rec) == PEER_UNDO_GRO);
	CHECK(port_policy_peer_undo(NULL, &rec) == PEER_UNDO_FORGET);
	pv.name = "other";
	CHECK(port_policy_peer_undo(&pv, &rec) == PEER_UNDO_FORGET);
	pv.name = "out_intf";
	rec.peer_gro = 0;
	rec.peer_xdp = 61;
	CHECK(port_policy_peer_undo(&pv, &rec) == PEER_UNDO_XDP);
	pv.xdp_prog_id = 0;
	CHECK(port_policy_peer_undo(&pv, &rec) == PEER_UNDO_XDP_GONE);
}

/* A kept peer record goes with the port only while the port is there. */
static void test_inherit_peer(void)
{
	struct port_view v = view(4, 0, 0);
	struct port_record stale = { .peer_gro = 1 }, rec;

	strcpy(stale.peer_name, "out_intf");
	port_policy_inherit(&v, &stale, &rec);
	CHECK(rec.peer_gro == 1 && strcmp(rec.peer_name, "out_intf") == 0);
	stale.peer_gro = 0;
	stale.peer_xdp = 61;
	port_policy_inherit(&v, &stale, &rec);
	CHECK(rec.peer_xdp == 61 && rec.peer_gro == 0);
	/* The guard's empty slot went with the killed instance's map. */
	stale.guard_errno = 90;
	strcpy(stale.guard_out, "out_intf");
	port_policy_inherit(&v, &stale, &rec);
	CHECK(rec.peer_xdp == 61 && rec.guard_errno == 0 && rec.guard_out[0] == '\0');
	port_policy_inherit(&gone, &stale, &rec);
	CHECK(rec.peer_xdp == 0 && rec.peer_name[0] == '\0');
}

/* Exit: ours detached with itself as the expected program. */
static void test_exit(void)
{
	CHECK(port_policy_detached(0) == PORT_DETACHED);
	/* Someone replaced ours while we ran: theirs stays. */
	CHECK(port_policy_detached(-EEXIST) == PORT_LEFT_THEIRS);
	CHECK(port_policy_detached(-ENODEV) == PORT_DETACH_GONE);
	CHECK(port_policy_detached(-EPERM) == PORT_DETACH_FAILED);
}

void unit_port_policy(void)
{
	unit_run("port policy: XDP attachment state read from a link", test_xdp_state);
	unit_run("port policy: fresh attach", test_fresh_attach);
	unit_run("port policy: takeover of a killed instance's program by record", test_takeover_by_record);
	unit_run("port policy: takeover by our program's code", test_takeover_by_code);
	unit_run("port policy: foreign program refused, replaced with -F", test_foreign);
	unit_run("port policy: stale record whose program is gone", test_stale_record_mismatch);
	unit_run("port policy: a port gone and back is attached again", test_gone_and_back);
	unit_run("port policy: devmap slot of one pair (OUT down, gone, back)", test_slot_one_pair);
	unit_run("port policy: devmap slots with -b (IN gone and back)", test_slot_bidir);
	unit_run("port policy: native target of an IN", test_in_native);
	unit_run("port policy: a veth OUT's peer (GRO, xdp_dummy, inherited)", test_peer);
	unit_run("port policy: --detach at the peer", test_peer_undo);
	unit_run("port policy: a peer's record inherited with its port", test_inherit_peer);
	unit_run("port policy: exit detaches only ours", test_exit);
}
