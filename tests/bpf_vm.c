/* bpf_vm.c - see bpf_vm.h. Semantics follow the kernel's interpreter
 * (kernel/bpf/core.c) for the instructions clang emits for our programs:
 * ALU and ALU64 with K or X operands, LDX/STX/ST of 1-8 bytes, ld_imm64,
 * conditional jumps in 64 and 32 bits, two helpers, exit. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "bpf_vm.h"

/* The regions of vm->mem; the frame is as long as the test's frame. */
#define VM_CTX 0
#define VM_CTX_BYTES sizeof(struct xdp_md)
#define VM_VALUE 64
#define VM_VALUE_BYTES 16
#define VM_MACS 96
#define VM_RODATA 112		/* count_bytes, the only variable */
#define VM_RODATA_BYTES 4
#define VM_FRAME 128
#define VM_STACK 512
#define VM_STACK_BYTES 512

/* Our programs are straight lines of a few dozen instructions; a run
 * this long is a loop the interpreter got wrong. */
#define VM_STEPS_MAX 4096

struct vm_insn {
	uint8_t code, dst, src;
	int16_t off;
	int32_t imm;
};

struct vm_prog {
	const struct tobj *t;
	uint64_t base;			/* file offset of the first insn */
	uint64_t off_bytes;		/* the same, from the start of its section */
	uint32_t insn_cnt;
	struct tobj_rel rels[TOBJ_RELS_MAX];
	int nrels;
};

static int vm_fail(struct bpf_vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vm->err, sizeof(vm->err), fmt, ap);
	va_end(ap);
	return -1;
}

static void vm_decode(const struct vm_prog *p, int64_t pc, struct vm_insn *in)
{
	const uint64_t at = p->base + (uint64_t)pc * sizeof(struct bpf_insn);
	/* The byte after code holds the two register bitfields, whose order
	 * follows the byte order: dst is the low nibble on little-endian. */
	uint8_t regs = (uint8_t)tobj_get(p->t, at + 1, 1);

	in->code = (uint8_t)tobj_get(p->t, at + TOBJ_FIELD(struct bpf_insn, code));
	in->dst = p->t->big ? regs >> 4 : regs & 0xf;
	in->src = p->t->big ? regs & 0xf : regs >> 4;
	in->off = (int16_t)tobj_get(p->t, at + TOBJ_FIELD(struct bpf_insn, off));
	in->imm = (int32_t)tobj_get(p->t, at + TOBJ_FIELD(struct bpf_insn, imm));
}

static int vm_in(uint64_t addr, uint32_t size, uint64_t start, uint64_t len)
{
	return addr >= start && addr - start <= len && size <= len - (addr - start);
}

static int vm_addr_ok(const struct bpf_vm *vm, uint64_t addr, uint32_t size)
{
	return vm_in(addr, size, VM_CTX, VM_CTX_BYTES) ||
	       vm_in(addr, size, VM_VALUE, VM_VALUE_BYTES) ||
	       vm_in(addr, size, VM_MACS, VM_MACS_BYTES) ||
	       vm_in(addr, size, VM_RODATA, VM_RODATA_BYTES) ||
	       vm_in(addr, size, VM_FRAME, vm->frame_bytes) ||
	       vm_in(addr, size, VM_STACK, VM_STACK_BYTES);
}

static struct tobj vm_memory(struct bpf_vm *vm)
{
	struct tobj mem = { vm->mem, sizeof(vm->mem), vm->mem_big };

	return mem;
}

static void vm_trace(struct bpf_vm *vm, int store, uint64_t addr, uint32_t size)
{
	if (!vm_in(addr, size, VM_FRAME, vm->frame_bytes) || vm->ntrace == VM_TRACE_MAX)
		return;
	vm->trace[vm->ntrace].store = store;
	vm->trace[vm->ntrace].off_bytes = (uint32_t)(addr - VM_FRAME);
	vm->trace[vm->ntrace++].size_bytes = size;
}

static int vm_mem(struct bpf_vm *vm, const struct vm_insn *in)
{
	static const uint32_t sizes[] = { 4, 2, 1, 8 };	/* BPF_W, _H, _B, _DW */
	const uint32_t size = sizes[BPF_SIZE(in->code) >> 3];
	const int store = BPF_CLASS(in->code) != BPF_LDX;
	const uint64_t addr = vm->reg[store ? in->dst : in->src] + (uint64_t)(int64_t)in->off;
	struct tobj mem = vm_memory(vm);

	if (BPF_MODE(in->code) != BPF_MEM)
		return vm_fail(vm, "opcode 0x%02x: not a plain memory access", in->code);
	if (!vm_addr_ok(vm, addr, size))
		return vm_fail(vm, "%u-byte access at %llu is outside every region",
			       size, (unsigned long long)addr);
	vm_trace(vm, store, addr, size);
	if (!store)
		vm->reg[in->dst] = tobj_get(&mem, addr, size);
	else
		tobj_put(&mem, addr, size, BPF_CLASS(in->code) == BPF_STX ?
			 vm->reg[in->src] : (uint64_t)(int64_t)in->imm);
	return 0;
}

/* BPF_END: to big- or little-endian from the memory's (the machine's)
 * order: a swap where they differ, else the low bits kept. */
static uint64_t vm_end(const struct bpf_vm *vm, uint64_t a, int to_big, int32_t bits)
{
	uint64_t r = 0;
	int i;

	if (to_big == vm->mem_big)
		return bits == 64 ? a : a & ((1ull << bits) - 1);
	for (i = 0; i < bits; i += 8)
		r = r << 8 | ((a >> i) & 0xff);
	return r;
}

static int vm_alu(struct bpf_vm *vm, const struct vm_insn *in, int is64)
{
	uint64_t a = vm->reg[in->dst];
	uint64_t b = BPF_SRC(in->code) == BPF_X ? vm->reg[in->src] : (uint64_t)(int64_t)in->imm;
	const unsigned int shift = (unsigned int)b & (is64 ? 63 : 31);

	if (BPF_OP(in->code) == BPF_END && !is64) {
		if (in->imm != 16 && in->imm != 32 && in->imm != 64)
			return vm_fail(vm, "BPF_END of %d bits", in->imm);
		vm->reg[in->dst] = vm_end(vm, a, BPF_SRC(in->code) == BPF_TO_BE, in->imm);
		return 0;
	}
	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (BPF_OP(in->code)) {
	case BPF_ADD: a += b; break;
	case BPF_SUB: a -= b; break;
	case BPF_AND: a &= b; break;
	case BPF_OR: a |= b; break;
	case BPF_XOR: a ^= b; break;
	case BPF_LSH: a <<= shift; break;
	case BPF_RSH: a >>= shift; break;
	case BPF_ARSH: a = is64 ? (uint64_t)((int64_t)a >> shift) : (uint32_t)((int32_t)a >> shift); break;
	case BPF_MOV: a = b; break;
	default: return vm_fail(vm, "ALU opcode 0x%02x not known here", in->code);
	}
	vm->reg[in->dst] = is64 ? a : (uint32_t)a;
	return 0;
}

/* Whether a conditional jump is taken; -1 for an opcode not known here. */
static int vm_cond(const struct vm_insn *in, uint64_t a, uint64_t b, int is64)
{
	const int64_t sa = is64 ? (int64_t)a : (int32_t)a;
	const int64_t sb = is64 ? (int64_t)b : (int32_t)b;

	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	switch (BPF_OP(in->code)) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	case BPF_JSGT: return sa > sb;
	case BPF_JSGE: return sa >= sb;
	case BPF_JSLT: return sa < sb;
	case BPF_JSLE: return sa <= sb;
	default: return -1;
	}
}

static int vm_call(struct bpf_vm *vm, int32_t func)
{
	struct tobj mem = vm_memory(vm);
	uint64_t r0;
	int i;

	if (func == BPF_FUNC_map_lookup_elem) {
		if (!vm_addr_ok(vm, vm->reg[2], 4))
			return vm_fail(vm, "map_lookup_elem: key outside memory");
		if (vm->reg[1] == VM_MAP_RXCNT && tobj_get(&mem, vm->reg[2], 4) == 0)
			r0 = VM_VALUE;
		else if (vm->reg[1] == VM_MAP_RXCNT_PAIRS)
			r0 = vm->cnt_key && tobj_get(&mem, vm->reg[2], 4) == vm->cnt_key ? VM_VALUE : 0;
		else if (vm->reg[1] == VM_MAP_EGRESS_MACS)
			r0 = vm->macs_key && tobj_get(&mem, vm->reg[2], 4) == vm->macs_key ? VM_MACS : 0;
		else
			return vm_fail(vm, "map_lookup_elem: not rxcnt[0], rxcnt_pairs or egress_macs");
	} else if (func == BPF_FUNC_redirect_map) {
		if (vm->reg[1] != VM_MAP_TX_PORT && vm->reg[1] != VM_MAP_TX_PAIRS)
			return vm_fail(vm, "redirect_map: not tx_port or tx_pairs");
		vm->redirect_map = vm->reg[1];
		vm->redirect_key = vm->reg[2];
		vm->redirect_flags = vm->reg[3];
		r0 = vm->tx_empty ? vm->reg[3] & VM_ACTION_MASK : XDP_REDIRECT;
	} else {
		return vm_fail(vm, "helper %d not known here", func);
	}
	/* r1-r5 are scratch across a call: leave garbage, as the kernel may. */
	for (i = 1; i <= 5; i++)
		vm->reg[i] = 0xdeadbeefdeadbeefull;
	vm->reg[0] = r0;
	return 0;
}

static int vm_jmp(struct bpf_vm *vm, const struct vm_insn *in, int64_t *pc, int *done)
{
	const int is64 = BPF_CLASS(in->code) == BPF_JMP;
	int taken = 1;

	if (in->code == (BPF_JMP | BPF_CALL)) {
		(*pc)++;
		return vm_call(vm, in->imm);
	}
	if (in->code == (BPF_JMP | BPF_EXIT)) {
		*done = 1;
		return 0;
	}
	if (in->code != (BPF_JMP | BPF_JA))
		taken = vm_cond(in, vm->reg[in->dst], BPF_SRC(in->code) == BPF_X ?
				vm->reg[in->src] : (uint64_t)(int64_t)in->imm, is64);
	if (taken < 0)
		return vm_fail(vm, "jump opcode 0x%02x not known here", in->code);
	*pc += 1 + (taken ? in->off : 0);
	return 0;
}

/* The map a relocation names stands in for what the loader would patch. */
static int vm_ld_imm64(struct bpf_vm *vm, const struct vm_prog *p, int64_t pc,
		       const struct vm_insn *in)
{
	const uint64_t off = p->off_bytes + (uint64_t)pc * sizeof(struct bpf_insn);
	struct vm_insn hi;
	int i;

	if (pc + 1 >= p->insn_cnt)
		return vm_fail(vm, "ld_imm64 at the end of the program");
	vm_decode(p, pc + 1, &hi);
	vm->reg[in->dst] = (uint32_t)in->imm | (uint64_t)(uint32_t)hi.imm << 32;
	for (i = 0; i < p->nrels; i++) {
		if (p->rels[i].off_bytes != off)
			continue;
		if (strcmp(p->rels[i].sym, "tx_port") == 0)
			vm->reg[in->dst] = VM_MAP_TX_PORT;
		else if (strcmp(p->rels[i].sym, "rxcnt") == 0)
			vm->reg[in->dst] = VM_MAP_RXCNT;
		else if (strcmp(p->rels[i].sym, "egress_macs") == 0)
			vm->reg[in->dst] = VM_MAP_EGRESS_MACS;
		else if (strcmp(p->rels[i].sym, "tx_pairs") == 0)
			vm->reg[in->dst] = VM_MAP_TX_PAIRS;
		else if (strcmp(p->rels[i].sym, "rxcnt_pairs") == 0)
			vm->reg[in->dst] = VM_MAP_RXCNT_PAIRS;
		else if (strcmp(p->rels[i].sym, "count_bytes") == 0)
			vm->reg[in->dst] = VM_RODATA;
		else
			return vm_fail(vm, "relocation against %s", p->rels[i].sym);
	}
	return 0;
}

static int vm_step(struct bpf_vm *vm, const struct vm_prog *p, int64_t *pc, int *done)
{
	struct vm_insn in;
	int err;

	vm_decode(p, *pc, &in);
	if (in.dst > 10 || in.src > 10 || (in.dst == 10 && BPF_CLASS(in.code) != BPF_STX &&
					   BPF_CLASS(in.code) != BPF_ST &&
					   BPF_CLASS(in.code) != BPF_JMP))
		return vm_fail(vm, "insn %lld: bad register", (long long)*pc);
	switch (BPF_CLASS(in.code)) {
	case BPF_ALU64:
	case BPF_ALU:
		(*pc)++;
		return vm_alu(vm, &in, BPF_CLASS(in.code) == BPF_ALU64);
	case BPF_LDX:
	case BPF_STX:
	case BPF_ST:
		(*pc)++;
		return vm_mem(vm, &in);
	case BPF_LD:
		if (in.code != (BPF_LD | BPF_IMM | BPF_DW))
			return vm_fail(vm, "LD opcode 0x%02x not known here", in.code);
		err = vm_ld_imm64(vm, p, *pc, &in);
		*pc += 2;
		return err;
	default:
		return vm_jmp(vm, &in, pc, done);
	}
}

static int vm_prog_find(struct bpf_vm *vm, struct vm_prog *p, const struct tobj *t,
			const char *sym)
{
	struct tobj_func f;

	if (tobj_func_find(t, sym, &f))
		return vm_fail(vm, "no symbol %s", sym);
	p->t = t;
	p->off_bytes = f.off_bytes;
	p->insn_cnt = (uint32_t)(f.size_bytes / sizeof(struct bpf_insn));
	p->base = tobj_sec_bytes(t, f.shndx) + f.off_bytes;
	p->nrels = tobj_rels(t, f.shndx, p->rels);
	return 0;
}

void vm_init(struct bpf_vm *vm, int mem_big)
{
	memset(vm, 0, sizeof(*vm));
	vm->mem_big = mem_big;
	vm->count_bytes = 1;
}

static void vm_start(struct bpf_vm *vm, const uint8_t *frame, uint32_t len_bytes)
{
	struct tobj mem = vm_memory(vm);

	memset(vm->reg, 0, sizeof(vm->reg));
	vm->ntrace = 0;
	vm->err[0] = '\0';
	vm->redirect_map = vm->redirect_key = vm->redirect_flags = 0;
	memcpy(vm->mem + VM_FRAME, frame, len_bytes);
	vm->frame_bytes = len_bytes;
	tobj_put(&mem, VM_CTX + TOBJ_FIELD(struct xdp_md, data), VM_FRAME);
	tobj_put(&mem, VM_CTX + TOBJ_FIELD(struct xdp_md, data_end), VM_FRAME + len_bytes);
	tobj_put(&mem, VM_CTX + TOBJ_FIELD(struct xdp_md, egress_ifindex), vm->egress_ifindex);
	tobj_put(&mem, VM_CTX + TOBJ_FIELD(struct xdp_md, ingress_ifindex), vm->ingress_ifindex);
	tobj_put(&mem, VM_RODATA, VM_RODATA_BYTES, vm->count_bytes);
	vm->reg[1] = VM_CTX;
	vm->reg[10] = VM_STACK + VM_STACK_BYTES;
}

int vm_run(struct bpf_vm *vm, const struct tobj *t, const char *sym,
	   uint8_t *frame, uint32_t len_bytes, uint64_t *ret)
{
	struct vm_prog p;
	int64_t pc = 0;
	uint32_t steps;
	int done = 0;

	if (len_bytes > VM_FRAME_MAX_BYTES)
		return vm_fail(vm, "frame of %u bytes is too long", len_bytes);
	if (vm_prog_find(vm, &p, t, sym))
		return -1;
	vm_start(vm, frame, len_bytes);
	for (steps = 0; !done; steps++) {
		if (steps == VM_STEPS_MAX || pc < 0 || pc >= p.insn_cnt)
			return vm_fail(vm, "%s: pc %lld after %u steps", sym, (long long)pc, steps);
		if (vm_step(vm, &p, &pc, &done))
			return -1;
	}
	memcpy(frame, vm->mem + VM_FRAME, len_bytes);
	*ret = vm->reg[0];
	return 0;
}

void vm_set_egress(struct bpf_vm *vm, uint32_t ifindex, uint32_t key,
		   const uint8_t *value)
{
	vm->egress_ifindex = ifindex;
	vm->macs_key = key;
	if (key)
		memcpy(vm->mem + VM_MACS, value, VM_MACS_BYTES);
}

uint64_t vm_rxcnt(const struct bpf_vm *vm, int field)
{
	struct tobj mem = { (uint8_t *)vm->mem, sizeof(vm->mem), vm->mem_big };

	return tobj_get(&mem, VM_VALUE + (uint64_t)field * 8, 8);
}
