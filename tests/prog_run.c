/* prog_run.c - the data path run by the host's kernel (BPF_PROG_TEST_RUN)
 * and by the unit tests' interpreter (tests/bpf_vm.c) on the same frames:
 * the MAC swap, the return value and the per-CPU counter must agree. On
 * the host's byte order this checks the program against the kernel, and
 * the interpreter against the kernel, which is what lets the unit tests
 * trust it for the other byte order, which no host here can load.
 *
 *   prog_run OBJECT       (root; prints "prog-run: N passed, M failed")
 *
 * A test run sends nothing: with tx_port's slot filled (lo, which exists
 * in every namespace) the program returns XDP_REDIRECT and the frame
 * comes back swapped; with it empty bpf_redirect_map returns the action in
 * the low bits of its flags (XDP_PASS, kernel 5.3+) and the frame comes
 * back as it went, for IN's stack. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf_sys.h"
#include "loader.h"
#include "tests/bpf_vm.h"
#include "tests/unit.h"

#define PROG_RUN_FRAME_BYTES 60
#define PROG_RUN_LO_IFINDEX 1

/* The object as the kernel has it and as the interpreter reads it. */
static struct loader loader;
static struct tobj object;
static struct bpf_vm vm;

/* A frame; with ip_len, IPv4 whose header claims ip_len bytes, as the
 * first buffer of a multi-buffer frame does. */
static void frame_make(uint8_t *f, size_t len, uint16_t ip_len)
{
	size_t i;

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(i < 12 ? 0x10 + i : i * 7);
	f[0] = f[6] = 0x02;	/* locally administered, unicast */
	if (!ip_len)
		return;
	f[12] = 0x08;		/* ETH_P_IP */
	f[13] = 0x00;
	f[16] = (uint8_t)(ip_len >> 8);
	f[17] = (uint8_t)ip_len;
}

/* One BPF_PROG_TEST_RUN: the return value, or -errno. */
static int kernel_run(int fd, const uint8_t *in, uint8_t *out, uint32_t len)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)fd;
	attr.test.data_in = ptr_to_u64(in);
	attr.test.data_size_in = len;
	attr.test.data_out = ptr_to_u64(out);
	attr.test.data_size_out = len;
	attr.test.repeat = 1;
	err = bpf_prog_test_run(&attr);
	if (err)
		return err;
	return CHECK(attr.test.data_size_out == len) ? (int)attr.test.retval : -EMSGSIZE;
}

/* A field of the counter (VM_FRAMES or VM_BYTES) summed over every
 * possible CPU; each CPU's value is two u64. */
static uint64_t kernel_rxcnt(int field)
{
	int cpus = bpf_possible_cpus(), m = elf_map_find(&loader.elf, "rxcnt");
	uint64_t *vals, sum = 0;
	uint32_t key = 0;
	int i;

	if (!CHECK(cpus > 0 && m >= 0 && loader.elf.maps[m].value_size == 16))
		return 0;
	vals = calloc(1, bpf_percpu_value_bytes(16, cpus));
	if (CHECK(vals && bpf_map_lookup(loader.map_fds[m], &key, vals) == 0))
		for (i = 0; i < cpus; i++)
			sum += vals[2 * i + field];
	free(vals);
	return sum;
}

/* tx_port's slot 0: lo, or empty; the interpreter told the same. */
static int tx_slot(int filled)
{
	int m = elf_map_find(&loader.elf, "tx_port");
	uint32_t key = 0, lo = PROG_RUN_LO_IFINDEX;
	int err;

	vm.tx_empty = !filled;
	if (m < 0)
		return -ENOENT;
	if (filled)
		return bpf_map_update(loader.map_fds[m], &key, &lo, BPF_ANY);
	/* An array-like devmap's slot is emptied by delete; empty already is
	 * fine. */
	err = bpf_map_delete(loader.map_fds[m], &key);
	return err == -ENOENT ? 0 : err;
}

/* Program sym on one frame, run by both, tx_port's slot filled or not;
 * the kernel's result checked: swapped and XDP_REDIRECT on the way to
 * OUT, untouched and XDP_PASS for IN's stack. */
static void compare(const char *sym, int filled, uint16_t ip_len)
{
	uint8_t in[PROG_RUN_FRAME_BYTES], kout[sizeof(in)], vout[sizeof(in)], want[sizeof(in)];
	int idx = elf_prog_find(&loader.elf, sym), kret, redirect = filled &&
		strcmp(sym, "xdp_dummy") != 0;
	uint64_t vret = 0;

	frame_make(in, sizeof(in), ip_len);
	memcpy(vout, in, sizeof(in));
	memcpy(want, in, sizeof(in));
	if (redirect) {
		memcpy(want, in + 6, 6);
		memcpy(want + 6, in, 6);
	}
	if (!CHECK(tx_slot(filled) == 0))
		return;
	if (!CHECK(idx >= 0 && (loader.prog_fds[idx] >= 0 ||
				loader_load_prog(&loader, (uint32_t)idx, 0) == 0))) {
		fprintf(stderr, "  %s: %s\n", sym, loader.err);
		return;
	}
	kret = kernel_run(loader.prog_fds[idx], in, kout, sizeof(in));
	if (!CHECK(kret >= 0))
		fprintf(stderr, "  BPF_PROG_TEST_RUN: %s\n", strerror(-kret));
	CHECK(memcmp(kout, want, sizeof(want)) == 0);
	if (!CHECK(vm_run(&vm, &object, sym, vout, sizeof(vout), &vret) == 0))
		fprintf(stderr, "  vm: %s\n", vm.err);
	CHECK(memcmp(vout, kout, sizeof(kout)) == 0);
	CHECK(kret == (int)vret && kret == (redirect ? XDP_REDIRECT : XDP_PASS));
}

static void redirect_first(void)
{
	compare("xdp_redirect_map", 1, 0);
	CHECK(kernel_rxcnt(VM_FRAMES) == 1 && vm_rxcnt(&vm, VM_FRAMES) == 1);
	CHECK(kernel_rxcnt(VM_BYTES) == PROG_RUN_FRAME_BYTES &&
	      vm_rxcnt(&vm, VM_BYTES) == PROG_RUN_FRAME_BYTES);
}

/* The slot empty (OUT gone, or the guard): the frame goes up as it came. */
static void redirect_second(void)
{
	compare("xdp_redirect_map", 0, 0);
	CHECK(kernel_rxcnt(VM_FRAMES) == 2 && vm_rxcnt(&vm, VM_FRAMES) == 2);
	CHECK(kernel_rxcnt(VM_BYTES) == 2 * PROG_RUN_FRAME_BYTES &&
	      vm_rxcnt(&vm, VM_BYTES) == 2 * PROG_RUN_FRAME_BYTES);
}

/* The first buffer of a jumbo frame: the IPv4 header's length counts,
 * 14 + 9000 bytes, read in network order by kernel and interpreter. */
static void redirect_jumbo(void)
{
	const uint64_t want = 2 * PROG_RUN_FRAME_BYTES + 14 + 9000;

	compare("xdp_redirect_map", 1, 9000);
	CHECK(kernel_rxcnt(VM_FRAMES) == 3 && vm_rxcnt(&vm, VM_FRAMES) == 3);
	CHECK(kernel_rxcnt(VM_BYTES) == want && vm_rxcnt(&vm, VM_BYTES) == want);
}

static void dummy(void)
{
	compare("xdp_dummy", 0, 0);
	CHECK(kernel_rxcnt(VM_FRAMES) == 3);
}

static uint32_t xlated_bytes(const char *sym)
{
	int idx = elf_prog_find(&loader.elf, sym);
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (idx < 0 || loader.prog_fds[idx] < 0 ||
	    bpf_obj_get_info(loader.prog_fds[idx], &info, &len))
		return 0;
	return info.xlated_prog_len;
}

/* The object again, with count_bytes 0 as the forwarder loads it without
 * -e and --json, and a fresh counter. */
static int reload_frames_only(void)
{
	const uint32_t off = 0;
	int err;

	loader_close(&loader);
	err = loader_open(&loader, object.buf, object.len_bytes);
	if (!err)
		err = loader_set_var(&loader, "count_bytes", &off, sizeof(off));
	if (!err)
		err = loader_create_maps(&loader);
	if (err)
		fprintf(stderr, "  %s\n", loader.err);
	vm_init(&vm, object.big);
	vm.count_bytes = 0;
	return err;
}

/* Frames only: the verifier, which knows the frozen .rodata, leaves the
 * byte counting out of what the kernel runs (frame_bytes alone is 20
 * instructions); frames are swapped and counted, bytes stay 0, also for
 * the first buffer of a jumbo frame. */
static void frames_only(void)
{
	uint32_t with_bytes = xlated_bytes("xdp_redirect_map"), without;

	if (!CHECK(with_bytes > 0 && reload_frames_only() == 0))
		return;
	compare("xdp_redirect_map", 1, 9000);
	CHECK(kernel_rxcnt(VM_FRAMES) == 1 && vm_rxcnt(&vm, VM_FRAMES) == 1);
	CHECK(kernel_rxcnt(VM_BYTES) == 0 && vm_rxcnt(&vm, VM_BYTES) == 0);
	without = xlated_bytes("xdp_redirect_map");
	if (!CHECK(without > 0 && without + 20 * sizeof(struct bpf_insn) <= with_bytes))
		fprintf(stderr, "  translated: %u B with bytes, %u B without\n", with_bytes, without);
}

static void open_object(void)
{
	int err = loader_open(&loader, object.buf, object.len_bytes);

	if (!err)
		err = loader_create_maps(&loader);
	if (!CHECK(err == 0))
		fprintf(stderr, "  %s\n", loader.err);
}

static int run(const char *path)
{
	int err;

	/* Without root there is no bpf(2) to test against; as root, an
	 * object whose maps cannot be made is the loader's failure. */
	if (geteuid() != 0) {
		unit_skip("prog-run", "needs root for bpf(2)");
		return unit_summary("prog-run");
	}
	err = tobj_read(&object, path);
	if (err) {
		fprintf(stderr, "prog_run: %s: %s\n", path, strerror(-err));
		return 2;
	}
	unit_run("the object opens and its maps are created", open_object);
	if (unit_case_failed)
		goto out;
	vm_init(&vm, object.big);
	unit_run("xdp_redirect_map: swap, action and counter agree (kernel, vm)", redirect_first);
	unit_run("xdp_redirect_map: slot empty: passed unswapped, counted (kernel, vm)", redirect_second);
	unit_run("xdp_redirect_map: a jumbo frame's bytes from its IPv4 header", redirect_jumbo);
	unit_run("xdp_dummy: passes the frame untouched (kernel, vm)", dummy);
	unit_run("xdp_redirect_map: count_bytes 0: 20 insns shorter, frames only (kernel, vm)",
		 frames_only);
out:
	loader_close(&loader);
	tobj_free(&object);
	return unit_summary("prog-run");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: prog_run OBJECT\n");
		return 2;
	}
	return run(argv[1]);
}
