/* unit_tp_format.c - record layouts from tracefs format texts: today's
 * and the one xdp_devmap_xmit had before 5.8, as the kernel prints them. */
#include <errno.h>

#include "tp_format.h"
#include "unit.h"

static const char xmit_6[] =
	"name: xdp_devmap_xmit\n"
	"ID: 578\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int from_ifindex;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:u32 act;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:int to_ifindex;\toffset:16;\tsize:4;\tsigned:1;\n"
	"\tfield:int drops;\toffset:20;\tsize:4;\tsigned:1;\n"
	"\tfield:int sent;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int err;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"ndo_xdp_xmit from_ifindex=%d to_ifindex=%d\", REC->from_ifindex\n";

/* Linux 5.4 (include/trace/events/xdp.h): map fields first. */
static const char xmit_5_4[] =
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\tfield:int map_id;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:u32 act;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:u32 map_index;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:int drops;\toffset:20;\tsize:4;\tsigned:1;\n"
	"\tfield:int sent;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int from_ifindex;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:int to_ifindex;\toffset:32;\tsize:4;\tsigned:1;\n"
	"\tfield:int err;\toffset:36;\tsize:4;\tsigned:1;";

static uint32_t off_of(const char *format, const char *name)
{
	uint32_t off = 0;

	return tp_format_field(format, name, 4, &off) == 0 ? off : 0;
}

static void layouts(void)
{
	CHECK(off_of(xmit_6, "from_ifindex") == 8);
	CHECK(off_of(xmit_6, "to_ifindex") == 16);
	CHECK(off_of(xmit_6, "sent") == 24 && off_of(xmit_6, "drops") == 20);
	CHECK(off_of(xmit_6, "err") == 28);
	CHECK(off_of(xmit_5_4, "from_ifindex") == 28 && off_of(xmit_5_4, "to_ifindex") == 32);
	CHECK(off_of(xmit_5_4, "sent") == 24 && off_of(xmit_5_4, "err") == 36);
}

static void refusals(void)
{
	uint32_t off = 7;

	/* A name is the whole last word: "ifindex" is not "from_ifindex". */
	CHECK(tp_format_field(xmit_6, "ifindex", 4, &off) == -ENOENT);
	CHECK(tp_format_field(xmit_6, "index", 4, &off) == -ENOENT);
	CHECK(tp_format_field(xmit_6, "common_type", 4, &off) == -EOPNOTSUPP);
	CHECK(tp_format_field("\tfield:int err;\toffset:x;\tsize:4;\n", "err", 4, &off) == -EINVAL);
	CHECK(tp_format_field("\tfield:int err;\tsize:4;\n", "err", 4, &off) == -EINVAL);
	CHECK(tp_format_field("\tfield:int err;\toffset:99999999;\tsize:4;\n", "err", 4, &off) ==
	      -EINVAL);
	CHECK(tp_format_field("\tfield:int err\toffset:8;\tsize:4;\n", "err", 4, &off) == -ENOENT);
	CHECK(tp_format_field("", "err", 4, &off) == -ENOENT);
	CHECK(off == 7);
}

void unit_tp_format(void)
{
	unit_run("tp_format: offsets of today's and 5.4's xdp_devmap_xmit", layouts);
	unit_run("tp_format: other fields, bad numbers, missing parts", refusals);
}
