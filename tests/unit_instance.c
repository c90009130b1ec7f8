/* unit_instance.c - the per-port record as text and back. A restart
 * trusts it to know its own programs, so a damaged file must read as
 * nothing rather than as some other program's id. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "../instance.h"

static void test_round_trip(void)
{
	struct port_record r = { .pid = 812, .prog_ids = { 4294967295u, 45 }, .peer_gro = 1 };
	struct port_record back;
	char buf[128];

	strcpy(r.peer_name, "out_intf");
	CHECK(instance_format(&r, buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "pid 812\nprog 4294967295\nprog 45\npeer_gro out_intf\nend\n") == 0);
	CHECK(instance_parse(buf, &back) == 0);
	CHECK(memcmp(&r, &back, sizeof(r)) == 0);
}

static void test_no_peer(void)
{
	struct port_record r = { .pid = 1, .prog_ids = { 0, 7 } };
	struct port_record back;
	char buf[128];

	CHECK(instance_format(&r, buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "pid 1\nprog 7\nend\n") == 0);
	CHECK(instance_parse(buf, &back) == 0 && back.peer_name[0] == '\0' && !back.peer_gro);
	CHECK(instance_has_prog(&back, 7) && !instance_has_prog(&back, 0));
	CHECK(instance_format(&r, buf, 10) == -ENOSPC);
	CHECK(instance_format(&r, buf, 16) == -ENOSPC);
}

/* A shorter record written over a longer one, before the file is cut. */
static void test_tail_ignored(void)
{
	struct port_record r;

	CHECK(instance_parse("pid 2\nend\nog 45\npeer_gro out_intf\nend\n", &r) == 0);
	CHECK(r.pid == 2 && !r.prog_ids[0] && !r.prog_ids[1] && !r.peer_gro);
}

static void test_progs(void)
{
	struct port_record r = { 0 };

	CHECK(instance_add_prog(&r, 5) == 0 && instance_add_prog(&r, 5) == 0);
	CHECK(instance_add_prog(&r, 6) == 0 && instance_add_prog(&r, 7) == -ENOSPC);
	instance_del_prog(&r, 5);
	CHECK(!instance_has_prog(&r, 5) && instance_has_prog(&r, 6));
	CHECK(instance_add_prog(&r, 7) == 0 && instance_has_prog(&r, 7));
}

static void test_damaged(void)
{
	static const char *const bad[] = {
		"",
		"pid 1",
		"pid 1\n",
		"pid 1\nprog 7\n",
		"pid x\nprog 7\nend\n",
		"pid 1\nprog 4294967296\nend\n",
		"pid 1\nprog -7\nend\n",
		"pid 1\nprog +7\nend\n",
		"pid 1\nprog 0\nend\n",
		"pid 1\nprog 7\nprog 8\nprog 9\nend\n",
		"pid 1\nprog 7\npeer_gro \nend\n",
		"pid 1\nprog 7\npeer_gro a_name_of_16chars\nend\n",
		"pid 1\nprog 7\npeer_gro two words\nend\n",
		"pid 1\nprog 7\npeer_gro a\npeer_gro b\nend\n",
		"prog 7\npid 1\nend\n",
		"pid 1 prog_id 7 peer_gro 0 peer -\n",
	};
	struct port_record r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.prog_ids[0] = 99;
		CHECK(instance_parse(bad[i], &r) == -EINVAL);
		/* Read as nothing: no id that could match a program. */
		CHECK(r.prog_ids[0] == 0 && r.prog_ids[1] == 0);
	}
}

/* The XDP_PASS program given to the peer before 5.13: its name and id,
 * exclusive with GRO. */
static void test_peer_xdp(void)
{
	struct port_record r = { .pid = 9, .prog_ids = { 17 }, .peer_xdp = 18 };
	struct port_record back;
	char buf[128];

	strcpy(r.peer_name, "out_intf");
	CHECK(instance_format(&r, buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "pid 9\nprog 17\npeer_xdp out_intf 18\nend\n") == 0);
	CHECK(instance_parse(buf, &back) == 0 && memcmp(&r, &back, sizeof(r)) == 0);
	CHECK(instance_parse("pid 9\npeer_xdp out_intf 0\nend\n", &back) != 0);
	CHECK(instance_parse("pid 9\npeer_xdp out_intf\nend\n", &back) != 0);
	CHECK(instance_parse("pid 9\npeer_gro out_intf\npeer_xdp out_intf 18\nend\n", &back) != 0);
}

/* The guard's empty slot: written and read back beside the other lines;
 * a record of an older version, without it, reads as before. */
static void test_guard(void)
{
	struct port_record r = { .pid = 9, .prog_ids = { 17 }, .peer_xdp = 18, .guard_errno = 90 };
	struct port_record back;
	char buf[160];

	strcpy(r.peer_name, "out_intf");
	strcpy(r.guard_out, "out_intf_15char");
	CHECK(instance_format(&r, buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "pid 9\nprog 17\npeer_xdp out_intf 18\nguard out_intf_15char 90\nend\n")
	      == 0);
	CHECK(instance_parse(buf, &back) == 0 && memcmp(&r, &back, sizeof(r)) == 0);
	CHECK(instance_parse("pid 9\nprog 17\npeer_gro out_intf\nend\n", &back) == 0);
	CHECK(back.prog_ids[0] == 17 && back.peer_gro && !back.guard_errno && !back.guard_out[0]);
	/* Blind: the line with errno 0. */
	CHECK(instance_parse("pid 9\nguard out 0\nend\n", &back) == 0);
	CHECK(strcmp(back.guard_out, "out") == 0 && back.guard_errno == 0);
}

/* A guard line that is not whole makes the record read as nothing. */
static void test_guard_damaged(void)
{
	static const char *const bad[] = {
		"pid 1\nprog 7\nguard out\nend\n",
		"pid 1\nprog 7\nguard 90\nend\n",
		"pid 1\nprog 7\nguard  90\nend\n",
		"pid 1\nprog 7\nguard out -90\nend\n",
		"pid 1\nprog 7\nguard out 90x\nend\n",
		"pid 1\nprog 7\nguard out 4294967296\nend\n",
		"pid 1\nprog 7\nguard out 4096\nend\n",
		"pid 1\nprog 7\nguard a_name_of_16chars 90\nend\n",
		"pid 1\nprog 7\nguard out 90\nguard out 22\nend\n",
		"pid 1\nprog 7\nguard out 90\n",
	};
	struct port_record r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(instance_parse(bad[i], &r) == -EINVAL);
		CHECK(r.prog_ids[0] == 0 && r.guard_errno == 0 && !r.guard_out[0]);
	}
}

void unit_instance(void)
{
	unit_run("instance: record round trip", test_round_trip);
	unit_run("instance: record without a peer, cut buffer", test_no_peer);
	unit_run("instance: what follows end is ignored", test_tail_ignored);
	unit_run("instance: two programs at most", test_progs);
	unit_run("instance: the peer's XDP program", test_peer_xdp);
	unit_run("instance: damaged records are refused", test_damaged);
	unit_run("instance: the guard's empty slot", test_guard);
	unit_run("instance: damaged guard lines are refused", test_guard_damaged);
}
