/* xdp_tracepoints.c - what became of the frames each IN's program
 * redirected, counted per direction (IN to its OUT): xrm_tp_err on
 * xdp:xdp_redirect_err (and xdp_redirect_map_err, which older kernels
 * fire for map redirects) counts the failures of our program with their
 * errno; xrm_tp_xmit on xdp:xdp_devmap_xmit counts what OUT's driver
 * took, failed and dropped of the frames from IN.
 *
 * A tracepoint's record is laid out by the running kernel: its fields
 * moved between kernels (xdp_devmap_xmit in 5.8) and RT kernels add
 * common fields. The structs below name the fields only, as tracefs
 * does; each access is a CO-RE field offset relocation
 * (preserve_access_index) that the loader resolves from the event's
 * format file before load (tracepoints.c). A struct is named after the
 * event it reads. Only uapi headers: the helpers are declared by number.
 *
 * Built with -g for the relocations, but the maps and the license are
 * nodebug: the loader reads them from their sections, and their BTF
 * would be 370 bytes of the binary that nothing reads. */
#include "bpf_defs.h"
#include "xdp_tracepoints.h"

static __u64 (*bpf_ktime_get_ns)(void) = (void *)BPF_FUNC_ktime_get_ns;

/* xdp_redirect_err and xdp_redirect_map_err share this record; ifindex
 * is the ingress device, in every layout since the event came (4.13).
 * Plain C types: the kernel's typedefs would be BTF of their own. */
struct xdp_redirect_err {
	unsigned int prog_id;
	unsigned int ifindex;
	int err;
} __attribute__((preserve_access_index));

/* Read as unsigned: the counts are never negative, and a 32-bit load
 * then needs no sign extension. */
struct xdp_devmap_xmit {
	unsigned int from_ifindex;
	unsigned int to_ifindex;
	unsigned int sent;
	unsigned int drops;
	int err;
} __attribute__((preserve_access_index));

/* Keyed by IN's ifindex; a hash (3.19) rather than an array: ifindexes
 * are sparse, and routers run old kernels. */
__attribute__((nodebug)) struct bpf_map_def SEC("maps") xrm_tp_filter = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct tp_filter),
	.max_entries = TP_DIRS_MAX,
};

__attribute__((nodebug)) struct bpf_map_def SEC("maps") xrm_tp_count = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct tp_count),
	.max_entries = TP_DIRS_MAX,
};

/* The counts of the direction f names. */
static __attribute__((always_inline)) struct tp_count *counts(const struct tp_filter *f)
{
	__u32 dir = f->dir;

	return bpf_map_lookup_elem(&xrm_tp_count, &dir);
}

/* A failure: counted, with its errno and time. Per CPU, so the reader
 * takes the latest of the CPUs'. */
static __attribute__((always_inline)) void failed(struct tp_count *c, __u64 n, __s32 err)
{
	c->failed += n;
	c->last_err = err;
	c->err_ns = bpf_ktime_get_ns();
}

/* Both programs in one section, "tp/" for libbpf's tracepoint type:
 * tracepoints.c finds each by name and attaches it itself, and a
 * section of its own would cost 250 bytes of the binary. */
SEC("tp/xdp")
int xrm_tp_err(struct xdp_redirect_err *ctx)
{
	__u32 in = ctx->ifindex;
	struct tp_filter *f = bpf_map_lookup_elem(&xrm_tp_filter, &in);
	struct tp_count *c;

	if (!f || ctx->prog_id != f->in_prog_id)
		return 0;
	c = counts(f);
	if (c)
		failed(c, 1, ctx->err);
	return 0;
}

SEC("tp/xdp")
int xrm_tp_xmit(struct xdp_devmap_xmit *ctx)
{
	__u32 in = ctx->from_ifindex;
	struct tp_filter *f = bpf_map_lookup_elem(&xrm_tp_filter, &in);
	struct tp_count *c;
	__u32 drops;
	__s32 err;

	if (!f || ctx->to_ifindex != f->out_ifindex)
		return 0;
	c = counts(f);
	if (!c)
		return 0;
	c->xmit += ctx->sent;
	/* Read once: each read of the record is a relocation. */
	drops = ctx->drops;
	err = ctx->err;
	if (err)
		failed(c, drops, err);
	else
		c->dropped += drops;
	return 0;
}

/* Static: the loader reads the section, and the symbol would be 24 bytes
 * more of the binary. */
static __attribute__((nodebug)) char _license[] SEC("license") = "GPL";
