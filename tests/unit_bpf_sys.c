/* unit_bpf_sys.c - the parts of bpf_sys.c that make no syscall: the CPU
 * list, the per-CPU value layout and the BPF_PROG_LOAD attr, whose u64
 * pointer fields are what a 32-bit target gets wrong. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "bpf_sys.h"
#include "unit.h"

static void cpus_parse(void)
{
	static const char *const bad[] = {
		"", "\n", "x", "-1", "+1", " 1", "1-", "3-1", "0-3x", "0 1",
		"0,,1", ",0", "0-", "0-70000", "1--2",
	};
	size_t i;

	CHECK(bpf_cpus_parse("0") == 1);
	CHECK(bpf_cpus_parse("0-3") == 4);
	CHECK(bpf_cpus_parse("0-3,5") == 5);
	CHECK(bpf_cpus_parse("0,2-5\n") == 5);
	CHECK(bpf_cpus_parse("0-127\n") == 128);
	CHECK(bpf_cpus_parse("7\n") == 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK(bpf_cpus_parse(bad[i]) == -EINVAL))
			fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
}

/* The kernel copies round_up(value_size, 8) bytes per possible CPU. */
static void percpu_layout(void)
{
	int cpus;

	for (cpus = 1; cpus <= 64; cpus *= 2) {
		CHECK(bpf_percpu_value_bytes(4, cpus) == 8u * (size_t)cpus);
		CHECK(bpf_percpu_value_bytes(8, cpus) == 8u * (size_t)cpus);
		CHECK(bpf_percpu_value_bytes(12, cpus) == 16u * (size_t)cpus);
	}
	CHECK(bpf_percpu_value_bytes(1, 3) == 24);
	CHECK(bpf_percpu_value_bytes(16, 3) == 48);
}

static void prog_load_attr(void)
{
	/* Never dereferenced: an address with its top bit set, which a
	 * sign-extending cast on 32-bit would turn into 0xffffffff........ */
	const struct bpf_insn *insns = (const void *)~(uintptr_t)0xf;
	static const char license[] = "GPL";
	struct bpf_prog_desc d = {
		.type = BPF_PROG_TYPE_XDP,
		.expected_attach_type = BPF_XDP_DEVMAP,
		.flags = BPF_F_STRICT_ALIGNMENT,
		.name = "xdp_redirect_map_long_name",
		.license = license,
		.insns = insns,
		.insn_cnt = 41,
	};
	union bpf_attr attr;

	memset(&attr, 0xa5, sizeof(attr));
	bpf_prog_load_attr(&attr, &d);
	CHECK(attr.insns == (uint64_t)(uintptr_t)insns);
	CHECK(attr.license == (uint64_t)(uintptr_t)license);
	if (sizeof(void *) == 4) {
		CHECK(attr.insns >> 32 == 0);
		CHECK(attr.license >> 32 == 0);
		CHECK(attr.insns == 0xfffffff0u);
	}
	CHECK(attr.prog_type == BPF_PROG_TYPE_XDP);
	CHECK(attr.expected_attach_type == BPF_XDP_DEVMAP);
	CHECK(attr.prog_flags == BPF_F_STRICT_ALIGNMENT);
	CHECK(attr.insn_cnt == 41);
	CHECK(attr.log_level == 0 && attr.log_size == 0 && attr.log_buf == 0);
	CHECK(attr.kern_version == 0 && attr.prog_ifindex == 0);
	CHECK(memcmp(attr.prog_name, "xdp_redirect_ma", BPF_OBJ_NAME_LEN) == 0);
	CHECK(attr.prog_name[BPF_OBJ_NAME_LEN - 1] == '\0');
}

static void prog_name_short(void)
{
	struct bpf_prog_desc d = { .name = "xdp_dummy", .license = "GPL" };
	union bpf_attr attr;
	char want[BPF_OBJ_NAME_LEN] = "xdp_dummy";

	memset(&attr, 0xa5, sizeof(attr));
	bpf_prog_load_attr(&attr, &d);
	/* Zeroed and then copied: no 0xa5 left for the kernel to refuse. */
	CHECK(memcmp(attr.prog_name, want, sizeof(want)) == 0);
}

static void ptr_to_u64_width(void)
{
	int x;

	CHECK(ptr_to_u64(NULL) == 0);
	CHECK(ptr_to_u64(&x) == (uint64_t)(uintptr_t)&x);
	CHECK(sizeof(void *) == 8 || ptr_to_u64((void *)~(uintptr_t)0) == 0xffffffffu);
}

void unit_bpf_sys(void)
{
	unit_run("bpf_sys: CPU lists", cpus_parse);
	unit_run("bpf_sys: per-CPU value bytes", percpu_layout);
	unit_run("bpf_sys: BPF_PROG_LOAD attr pointers and name", prog_load_attr);
	unit_run("bpf_sys: short program name padded", prog_name_short);
	unit_run("bpf_sys: ptr_to_u64 zero-extends", ptr_to_u64_width);
}
