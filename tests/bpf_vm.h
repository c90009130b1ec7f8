/* bpf_vm.h - just enough of a BPF interpreter to run our XDP programs in
 * a unit test, in the byte order of the object rather than the host's:
 * the bpfeb build runs on x86 and the bpfel build under qemu-mips. Memory
 * is one small array with a few regions (context, map values, .rodata,
 * frame, stack); an access outside them, an unknown opcode or helper, or a jump
 * out of the program stops the run with vm->err set. */
#ifndef XRM_BPF_VM_H
#define XRM_BPF_VM_H

#include <stdint.h>

#include "tobj.h"

#define VM_FRAME_MAX_BYTES 64
#define VM_MEM_BYTES 1024
#define VM_TRACE_MAX 32

/* What the ld_imm64 of each map loads: stands in for its fd. */
#define VM_MAP_TX_PORT 100
#define VM_MAP_RXCNT 200
#define VM_MAP_EGRESS_MACS 300
#define VM_MAP_TX_PAIRS 400
#define VM_MAP_RXCNT_PAIRS 500
#define VM_MACS_BYTES 12

/* One access to the frame, in program order. */
struct vm_access {
	int store;
	uint32_t off_bytes;	/* from the start of the frame */
	uint32_t size_bytes;
};

/* The actions bpf_redirect_map falls back to (the kernel's
 * BPF_F_ACTION_MASK, not uapi). */
#define VM_ACTION_MASK 3

struct bpf_vm {
	int mem_big;		/* memory byte order; the object's, unless a test says */
	uint64_t reg[11];
	uint8_t mem[VM_MEM_BYTES];
	uint32_t frame_bytes;
	uint64_t redirect_map;		/* what bpf_redirect_map was given */
	uint64_t redirect_key;
	uint64_t redirect_flags;
	int tx_empty;			/* the devmap slot is empty: bpf_redirect_map
					 * returns the action in its flags' low bits */
	uint32_t ingress_ifindex;	/* xdp_md's */
	uint32_t cnt_key;		/* rxcnt_pairs' one entry (the counter), 0 none */
	uint32_t egress_ifindex;	/* xdp_md's, for a devmap program */
	uint32_t macs_key;		/* egress_macs' one entry, 0 for none */
	uint32_t count_bytes;		/* the .rodata variable; 1 as in the object */
	struct vm_access trace[VM_TRACE_MAX];
	uint32_t ntrace;
	char err[128];
};

/* Zeroes everything, the per-CPU counter included. */
void vm_init(struct bpf_vm *vm, int mem_big);

/* Runs program sym of t on frame (len_bytes of it, changed in place);
 * 0 with the program's return value in *ret, or -1 with vm->err. */
int vm_run(struct bpf_vm *vm, const struct tobj *t, const char *sym,
	   uint8_t *frame, uint32_t len_bytes, uint64_t *ret);

/* A devmap program's run: the egress ifindex, and egress_macs holding
 * value (VM_MACS_BYTES) at key, or nothing when key is 0. */
void vm_set_egress(struct bpf_vm *vm, uint32_t ifindex, uint32_t key,
		   const uint8_t *value);

/* The per-CPU counter rxcnt, as the program left it: field VM_FRAMES or
 * VM_BYTES. */
#define VM_FRAMES 0
#define VM_BYTES 1
uint64_t vm_rxcnt(const struct bpf_vm *vm, int field);

#endif
