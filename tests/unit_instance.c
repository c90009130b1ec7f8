/* unit_instance.c - the per-port record as text and back. A restart
 * trusts it to know its own programs, so a damaged file must read as
 * nothing rather than as some other program's id. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "../instance.h"

/* r, with peer out_intf, is written as text and read back whole. */
static void round_trip(struct port_record *r, const char *text)
{
	struct port_record back;
	char buf[128];

	strcpy(r->peer_name, "out_intf");
	CHECK(instance_format(r, buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, text) == 0);
	CHECK(instance_parse(buf, &back) == 0);
	CHECK(memcmp(r, &back, sizeof(*r)) == 0);
}

static void test_round_trip(void)
{
	struct port_record r = { .pid = 812, .prog_id = 4294967295u, .peer_gro = 1 };

	round_trip(&r, "pid 812 prog_id 4294967295 peer_gro 1 peer out_intf\n");
}

static void test_no_peer(void)
{
	struct port_record r = { .pid = 1, .prog_id = 7 };
	struct port_record back;
	char buf[128];

	CHECK(instance_format(&r, buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "pid 1 prog_id 7 peer_gro 0 peer -\n") == 0);
	CHECK(instance_parse(buf, &back) == 0 && back.peer_name[0] == '\0');
	CHECK(instance_format(&r, buf, 10) == -ENOSPC);
}

/* peer_xdp (an XDP program given to the peer before 5.13) is written only
 * when set, last, so records of earlier versions read as before. */
static void test_peer_xdp(void)
{
	struct port_record r = { .pid = 9, .prog_id = 17, .peer_xdp = 18 };

	round_trip(&r, "pid 9 prog_id 17 peer_gro 0 peer out_intf peer_xdp 18\n");
}

static void test_damaged(void)
{
	static const char *const bad[] = {
		"",
		"pid 1",
		"pid x prog_id 7 peer_gro 0 peer -\n",
		"pid 1 prog_id 4294967296 peer_gro 0 peer -\n",
		"pid 1 prog_id -7 peer_gro 0 peer -\n",
		"pid 1 prog_id 7 peer_gro 0 peer \n",
		"pid 1 prog_id 7 peer_gro 0 peer a_name_of_16chars\n",
		"pid 1 prog_id 7 peer_gro 0 peer two words\n",
		"prog_id 7 pid 1 peer_gro 0 peer -\n",
		"pid 1\nprog_id 7 peer_gro 0 peer -\n",
		"pid 1 prog_id 7 peer_gro 0 peer o peer_xdp\n",
		"pid 1 prog_id 7 peer_gro 0 peer o peer_xdp 8",
		"pid 1 prog_id 7 peer_gro 0 peer o peer_xdp 8 \n",
		"pid 1 prog_id 7 peer_gro 0 peer o peer_xdp 8\nx",
		"pid 1 prog_id 7 peer_gro 0 peer o peer_gro 8\n",
	};
	struct port_record r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r.prog_id = 99;
		CHECK(instance_parse(bad[i], &r) == -EINVAL);
		/* Read as nothing: no id that could match a program. */
		CHECK(r.prog_id == 0);
	}
}

void unit_instance(void)
{
	unit_run("instance: record round trip", test_round_trip);
	unit_run("instance: record without a peer, cut buffer", test_no_peer);
	unit_run("instance: the peer's XDP program, recorded after the rest", test_peer_xdp);
	unit_run("instance: damaged records are refused", test_damaged);
}
