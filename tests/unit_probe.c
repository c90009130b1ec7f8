/* unit_probe.c - the pure parts of the kernel probes: a line of
 * /proc/kallsyms matched to a symbol, which decides between GRO and an
 * XDP program at a veth peer, and the line --check prints. */
#include <string.h>

#include "unit.h"
#include "../probe.h"

static int line_is(const char *line, const char *sym)
{
	return probe_kallsyms_line(line, strlen(line), sym);
}

static void test_kallsyms_line(void)
{
	CHECK(line_is("ffffffffc0a01230 t veth_set_features\t[veth]", "veth_set_features"));
	/* Built in: no module column; kptr_restrict zeroes the address. */
	CHECK(line_is("0000000000000000 t veth_set_features", "veth_set_features"));
	CHECK(!line_is("0000000000000000 t veth_set_features_x\t[veth]", "veth_set_features"));
	CHECK(!line_is("0000000000000000 t xveth_set_features", "veth_set_features"));
	CHECK(!line_is("0000000000000000 t veth_set_feat", "veth_set_features"));
	CHECK(!line_is("veth_set_features", "veth_set_features"));
	CHECK(!line_is("0 veth_set_features", "veth_set_features"));
	CHECK(!line_is("", "veth_set_features"));
	/* A line cut short of the name is not read past its length. */
	CHECK(!probe_kallsyms_line("0 t veth_set_features", 10, "veth_set_features"));
}

static void test_format(void)
{
	struct features f = { .redirect_pass = 1, .devmap_hash = 1, .devmap_prog = 0,
			      .veth_gro = -1, .xdp_frags = 0 };
	char buf[160];

	probe_format(&f, buf, sizeof(buf));
	CHECK(strcmp(buf, "redirect_fallback yes devmap_hash yes devmap_prog no veth_gro ? "
		      "xdp_frags no") == 0);
}

void unit_probe(void)
{
	unit_run("probe: a kallsyms line names the symbol or not", test_kallsyms_line);
	unit_run("probe: what --check prints of the kernel", test_format);
}
