/* unit_prog.c - the data path itself, in both byte orders, on any host:
 * tests/bpf_vm.c runs the bpfel and the bpfeb build with memory of the
 * object's byte order, so x86 checks the big-endian MAC swap and MIPS the
 * little-endian one, without bpf(2).
 *
 * The bpfeb build, reasoned about. swap_macs moves bytes 0-5 to 6-11 and
 * back with loads at offsets 0/2/6/10 of sizes H/W/W/H (and stores at the
 * same places), because a frame starts NET_IP_ALIGN = 2 bytes past a
 * 4-byte boundary and MIPS checks every packet access: W at 2 and 6 is
 * aligned there, W at 0 is not. Which end of a loaded word holds which
 * frame byte depends on the byte order: on bpfel the H at 0 is byte 0 in
 * its low bits, on bpfeb byte 0 is in its high bits. So the two builds
 * combine different halves: clang 14 emits the same shifts (16 three
 * times, then 32 and 48 to take bits 16-31) for both, but the bpfeb
 * program reads the frame mirrored, offsets 0<->10 and 2<->6. A program
 * that got this wrong would still load and run, and garble the MACs;
 * only running it, in its byte order, shows which. The tests check the
 * result and the access pattern, not the exact instructions, which are
 * the compiler's to choose, and show that running a build with the
 * other byte order's memory does garble them (the check can fail). */
#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "bpf_vm.h"
#include "unit.h"

/* Where the driver puts a frame: 2 bytes past 4-byte alignment, so that
 * the IP header after the 14-byte Ethernet header is aligned. */
#define PROG_NET_IP_ALIGN 2
#define PROG_FRAME_BYTES 60
#define PROG_ETH_HLEN 14

static const uint8_t prog_dst[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t prog_src[6] = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa };

static void prog_frame(uint8_t *f, uint32_t len_bytes)
{
	uint32_t i;

	memcpy(f, prog_dst, 6);
	memcpy(f + 6, prog_src, 6);
	for (i = 12; i < len_bytes; i++)
		f[i] = (uint8_t)(i * 7);
}

/* The frame after a correct swap: src then dst, the rest untouched. */
static int prog_swapped(const uint8_t *f, uint32_t len_bytes)
{
	uint8_t want[PROG_FRAME_BYTES];

	prog_frame(want, len_bytes);
	memcpy(want, prog_src, 6);
	memcpy(want + 6, prog_dst, 6);
	return memcmp(f, want, len_bytes) == 0;
}

static int prog_open(struct tobj *t, const char *path)
{
	int err = tobj_read(t, path);

	if (!CHECK(err == 0))
		fprintf(stderr, "  %s: %s\n", path, strerror(-err));
	return err;
}

/* Two frames swapped and counted, one for IN's stack counted and left
 * as it came, a runt dropped untouched and not counted, and xdp_dummy
 * passing. */
static void prog_forward(const char *path)
{
	uint8_t f[PROG_FRAME_BYTES];
	struct bpf_vm vm;
	struct tobj t;
	uint64_t ret = 0, run;

	if (prog_open(&t, path))
		return;
	vm_init(&vm, t.big);
	for (run = 1; run <= 2; run++) {
		prog_frame(f, sizeof(f));
		if (!CHECK(vm_run(&vm, &t, "xdp_redirect_map", f, sizeof(f), &ret) == 0))
			fprintf(stderr, "  %s: %s\n", path, vm.err);
		CHECK(ret == XDP_REDIRECT && vm.redirect_flags == XDP_PASS);
		CHECK(vm.redirect_map == VM_MAP_TX_PORT && vm.redirect_key == 0);
		CHECK(prog_swapped(f, sizeof(f)));
		CHECK(vm_rxcnt(&vm, VM_FRAMES) == run);
		CHECK(vm_rxcnt(&vm, VM_BYTES) == run * sizeof(f));
	}
	/* The slot empty (OUT gone, or the guard): counted, and up to IN's
	 * stack as it came. */
	vm.tx_empty = 1;
	prog_frame(f, sizeof(f));
	CHECK(vm_run(&vm, &t, "xdp_redirect_map", f, sizeof(f), &ret) == 0 && ret == XDP_PASS);
	CHECK(memcmp(f, prog_dst, 6) == 0 && vm_rxcnt(&vm, VM_FRAMES) == 3);
	vm.tx_empty = 0;
	prog_frame(f, PROG_ETH_HLEN - 1);
	CHECK(vm_run(&vm, &t, "xdp_redirect_map", f, PROG_ETH_HLEN - 1, &ret) == 0);
	CHECK(ret == XDP_DROP && memcmp(f, prog_dst, 6) == 0 && vm_rxcnt(&vm, VM_FRAMES) == 3 &&
	      vm_rxcnt(&vm, VM_BYTES) == 3 * sizeof(f));
	CHECK(vm_run(&vm, &t, "xdp_dummy", f, sizeof(f), &ret) == 0 && ret == XDP_PASS);
	tobj_free(&t);
}

/* xdp_pairs: the same, keyed by the ingress ifindex; an IN without a
 * counter entry is forwarded all the same, uncounted. */
static void prog_pairs(const char *path)
{
	uint8_t f[PROG_FRAME_BYTES];
	struct bpf_vm vm;
	struct tobj t;
	uint64_t ret = 0;

	if (prog_open(&t, path))
		return;
	vm_init(&vm, t.big);
	vm.ingress_ifindex = vm.cnt_key = 9;
	prog_frame(f, sizeof(f));
	if (!CHECK(vm_run(&vm, &t, "xdp_pairs", f, sizeof(f), &ret) == 0))
		fprintf(stderr, "  %s: %s\n", path, vm.err);
	CHECK(ret == XDP_REDIRECT && vm.redirect_flags == XDP_PASS);
	CHECK(vm.redirect_map == VM_MAP_TX_PAIRS && vm.redirect_key == 9);
	CHECK(prog_swapped(f, sizeof(f)) && vm_rxcnt(&vm, VM_FRAMES) == 1 &&
	      vm_rxcnt(&vm, VM_BYTES) == sizeof(f));
	vm.ingress_ifindex = 10;
	prog_frame(f, sizeof(f));
	CHECK(vm_run(&vm, &t, "xdp_pairs", f, sizeof(f), &ret) == 0 && ret == XDP_REDIRECT);
	CHECK(vm.redirect_key == 10 && prog_swapped(f, sizeof(f)) && vm_rxcnt(&vm, VM_FRAMES) == 1);
	tobj_free(&t);
}

static void prog_pairs_both(void)
{
	prog_pairs(BPF_OBJ_EL_PATH);
	prog_pairs(BPF_OBJ_EB_PATH);
}

static void prog_forward_bpfel(void)
{
	prog_forward(BPF_OBJ_EL_PATH);
}

static void prog_forward_bpfeb(void)
{
	prog_forward(BPF_OBJ_EB_PATH);
}

/* Frame accesses: exactly H/W/W/H at 0/2/6/10, loaded and stored, and
 * with count_bytes the ethertype (H at 12) loaded for the byte count;
 * each aligned once the frame sits NET_IP_ALIGN past a word boundary. */
static void prog_access_pattern(const char *path, uint32_t count_bytes)
{
	static const uint32_t offs[] = { 0, 2, 6, 10 }, sizes[] = { 2, 4, 4, 2 };
	uint8_t f[PROG_FRAME_BYTES];
	uint32_t i, j, found[2][4] = { { 0 } };
	struct bpf_vm vm;
	struct tobj t;
	uint64_t ret;

	if (prog_open(&t, path))
		return;
	vm_init(&vm, t.big);
	vm.count_bytes = count_bytes;
	prog_frame(f, sizeof(f));
	CHECK(vm_run(&vm, &t, "xdp_redirect_map", f, sizeof(f), &ret) == 0);
	CHECK(vm.ntrace == 8 + count_bytes);
	for (i = 0; i < vm.ntrace; i++) {
		const struct vm_access *a = &vm.trace[i];

		CHECK((PROG_NET_IP_ALIGN + a->off_bytes) % a->size_bytes == 0);
		CHECK(a->off_bytes != 12 || (a->size_bytes == 2 && !a->store));
		for (j = 0; j < 4; j++)
			if (a->off_bytes == offs[j] && a->size_bytes == sizes[j])
				found[a->store][j]++;
	}
	for (j = 0; j < 4; j++)
		CHECK(found[0][j] == 1 && found[1][j] == 1);
	tobj_free(&t);
}

/* rxcnt's bytes after one frame of len_bytes whose bytes 12.. are ip. */
static uint64_t prog_bytes(const struct tobj *t, uint32_t len_bytes, const uint8_t *ip,
			   size_t ip_bytes)
{
	uint8_t f[PROG_FRAME_BYTES];
	struct bpf_vm vm;
	uint64_t ret;

	vm_init(&vm, t->big);
	prog_frame(f, len_bytes);
	memcpy(f + 12, ip, ip_bytes);
	if (!CHECK(vm_run(&vm, t, "xdp_redirect_map", f, len_bytes, &ret) == 0))
		fprintf(stderr, "  %s\n", vm.err);
	return vm_rxcnt(&vm, VM_BYTES);
}

/* The first buffer of a multi-buffer frame is counted as long as its IP
 * header says (ethertype, then IPv4's total length at 16 or IPv6's
 * payload length at 18, in network order); a padded frame as it is. */
static void prog_bytes_ip(const char *path)
{
	static const uint8_t v4[] = { 0x08, 0x00, 0x45, 0, 0x23, 0x28 };	/* 9000 */
	static const uint8_t v6[] = { 0x86, 0xdd, 0x60, 0, 0, 0, 0x23, 0 };	/* 8960 */
	static const uint8_t v4_short[] = { 0x08, 0x00, 0x45, 0, 0, 28 };
	struct tobj t;

	if (prog_open(&t, path))
		return;
	CHECK(prog_bytes(&t, PROG_FRAME_BYTES, v4, sizeof(v4)) == 14 + 9000);
	CHECK(prog_bytes(&t, PROG_FRAME_BYTES, v6, sizeof(v6)) == 14 + 40 + 8960);
	CHECK(prog_bytes(&t, PROG_FRAME_BYTES, v4_short, sizeof(v4_short)) == PROG_FRAME_BYTES);
	/* Too short to hold the IP length: the buffer's own. */
	CHECK(prog_bytes(&t, 19, v4, 6) == 19);
	tobj_free(&t);
}

static void prog_bytes_both(void)
{
	prog_bytes_ip(BPF_OBJ_EL_PATH);
	prog_bytes_ip(BPF_OBJ_EB_PATH);
}

static void prog_aligned(void)
{
	prog_access_pattern(BPF_OBJ_EL_PATH, 1);
	prog_access_pattern(BPF_OBJ_EB_PATH, 1);
	prog_access_pattern(BPF_OBJ_EL_PATH, 0);
	prog_access_pattern(BPF_OBJ_EB_PATH, 0);
}

/* count_bytes 0, as the forwarder sets it without -e and --json: both
 * programs swap and count frames, and leave the bytes at 0. */
static void prog_frames_only(const char *path)
{
	static const char *const syms[] = { "xdp_redirect_map", "xdp_pairs" };
	uint8_t f[PROG_FRAME_BYTES];
	struct bpf_vm vm;
	struct tobj t;
	uint64_t ret = 0;
	int i;

	if (prog_open(&t, path))
		return;
	vm_init(&vm, t.big);
	vm.count_bytes = 0;
	vm.ingress_ifindex = vm.cnt_key = 9;
	for (i = 0; i < 2; i++) {
		prog_frame(f, sizeof(f));
		if (!CHECK(vm_run(&vm, &t, syms[i], f, sizeof(f), &ret) == 0))
			fprintf(stderr, "  %s: %s\n", path, vm.err);
		CHECK(ret == XDP_REDIRECT && prog_swapped(f, sizeof(f)));
	}
	CHECK(vm_rxcnt(&vm, VM_FRAMES) == 2 && vm_rxcnt(&vm, VM_BYTES) == 0);
	tobj_free(&t);
}

static void prog_frames_only_both(void)
{
	prog_frames_only(BPF_OBJ_EL_PATH);
	prog_frames_only(BPF_OBJ_EB_PATH);
}

/* Each build run with the other byte order's memory: the MACs come out
 * garbled, so prog_forward's check does depend on the byte order. */
static void prog_wrong_order(void)
{
	const char *paths[] = { BPF_OBJ_EL_PATH, BPF_OBJ_EB_PATH };
	uint8_t f[PROG_FRAME_BYTES];
	struct bpf_vm vm;
	struct tobj t;
	uint64_t ret;
	int i;

	for (i = 0; i < 2; i++) {
		if (prog_open(&t, paths[i]))
			continue;
		vm_init(&vm, !t.big);
		prog_frame(f, sizeof(f));
		CHECK(vm_run(&vm, &t, "xdp_redirect_map", f, sizeof(f), &ret) == 0);
		CHECK(ret == XDP_REDIRECT && !prog_swapped(f, sizeof(f)));
		tobj_free(&t);
	}
}

static const uint8_t prog_out_mac[6] = { 0x02, 0xbb, 0xcc, 0xdd, 0xee, 0x01 };
static const uint8_t prog_hop_mac[6] = { 0x02, 0xbb, 0xcc, 0xdd, 0xee, 0x02 };
static const uint8_t prog_hop_low_mac[6] = { 0x02, 0x42, 0, 0, 0, 0 };
#define PROG_OUT_IFINDEX 7

/* An egress_macs value as the loader writes it: frame bytes 2-5, 6-9,
 * 0-1, 10-11 of the header xdp_egress is to leave behind. */
static void prog_macs(uint8_t *v, const uint8_t *dst, const uint8_t *src)
{
	static const uint8_t none[6];

	dst = dst ? dst : none;
	memcpy(v, dst + 2, 4);
	memcpy(v + 4, src, 4);
	memcpy(v + 8, dst, 2);
	memcpy(v + 10, src + 4, 2);
}

/* One run of xdp_egress on OUT: XDP_PASS, and the frame's MACs as given
 * (NULL: as the test frame had them), the rest untouched. */
static void prog_egress_run(struct bpf_vm *vm, const struct tobj *t, uint32_t ifindex,
			    const uint8_t *want_dst, const uint8_t *want_src)
{
	uint8_t f[PROG_FRAME_BYTES], want[PROG_FRAME_BYTES];
	uint64_t ret = 0;
	uint32_t i;

	prog_frame(f, sizeof(f));
	prog_frame(want, sizeof(want));
	if (want_dst)
		memcpy(want, want_dst, 6);
	if (want_src)
		memcpy(want + 6, want_src, 6);
	vm->egress_ifindex = ifindex;
	if (!CHECK(vm_run(vm, t, "xdp_egress", f, sizeof(f), &ret) == 0))
		fprintf(stderr, "  %s\n", vm->err);
	CHECK(ret == XDP_PASS && memcmp(f, want, sizeof(f)) == 0);
	for (i = 0; i < vm->ntrace; i++)
		CHECK(vm->trace[i].store &&
		      (PROG_NET_IP_ALIGN + vm->trace[i].off_bytes) % vm->trace[i].size_bytes == 0);
}

/* Source = OUT's MAC; destination the swap's, or the next hop's; a port
 * without an entry untouched; a runt dropped. */
static void prog_egress(const char *path)
{
	uint8_t v[VM_MACS_BYTES], f[PROG_FRAME_BYTES];
	struct bpf_vm vm;
	struct tobj t;
	uint64_t ret = 0;

	if (prog_open(&t, path))
		return;
	vm_init(&vm, t.big);
	prog_macs(v, NULL, prog_out_mac);
	vm_set_egress(&vm, PROG_OUT_IFINDEX, PROG_OUT_IFINDEX, v);
	prog_egress_run(&vm, &t, PROG_OUT_IFINDEX, NULL, prog_out_mac);
	CHECK(vm.ntrace == 2);
	prog_macs(v, prog_hop_mac, prog_out_mac);
	vm_set_egress(&vm, PROG_OUT_IFINDEX, PROG_OUT_IFINDEX, v);
	prog_egress_run(&vm, &t, PROG_OUT_IFINDEX, prog_hop_mac, prog_out_mac);
	CHECK(vm.ntrace == 4);
	/* A next hop whose bytes 2-5 are zero is a next hop all the same. */
	prog_macs(v, prog_hop_low_mac, prog_out_mac);
	vm_set_egress(&vm, PROG_OUT_IFINDEX, PROG_OUT_IFINDEX, v);
	prog_egress_run(&vm, &t, PROG_OUT_IFINDEX, prog_hop_low_mac, prog_out_mac);
	prog_egress_run(&vm, &t, PROG_OUT_IFINDEX + 1, NULL, NULL);
	CHECK(vm.ntrace == 0);
	prog_frame(f, PROG_ETH_HLEN - 1);
	CHECK(vm_run(&vm, &t, "xdp_egress", f, PROG_ETH_HLEN - 1, &ret) == 0 && ret == XDP_DROP);
	tobj_free(&t);
}

static void prog_egress_bpfel(void)
{
	prog_egress(BPF_OBJ_EL_PATH);
}

static void prog_egress_bpfeb(void)
{
	prog_egress(BPF_OBJ_EB_PATH);
}

void unit_prog(void)
{
	unit_run("prog: bpfel MAC swap, counter, empty slot, runt, xdp_dummy", prog_forward_bpfel);
	unit_run("prog: bpfeb MAC swap, counter, empty slot, runt, xdp_dummy", prog_forward_bpfeb);
	unit_run("prog: frame accesses H/W/W/H at 0/2/6/10, aligned, ethertype with bytes only",
		 prog_aligned);
	unit_run("prog: bytes of a jumbo frame's first buffer from its IP header", prog_bytes_both);
	unit_run("prog: count_bytes 0: frames counted, bytes left at 0, both orders",
		 prog_frames_only_both);
	unit_run("prog: other byte order's memory garbles the swap", prog_wrong_order);
	unit_run("prog: xdp_pairs by ingress ifindex, bpfel and bpfeb", prog_pairs_both);
	unit_run("prog: bpfel xdp_egress: OUT's MAC, next hop, no entry, runt", prog_egress_bpfel);
	unit_run("prog: bpfeb xdp_egress: OUT's MAC, next hop, no entry, runt", prog_egress_bpfeb);
}
