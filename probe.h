/* probe.h - what this kernel offers the forwarder, asked of the kernel
 * itself (a map created, a program run, a symbol of the veth driver), not
 * read from its release number: a vendor kernel with a feature backported
 * gets to use it, and one built without a feature is not assumed to have
 * it. One probe per feature; prints nothing. */
#ifndef XRM_PROBE_H
#define XRM_PROBE_H

#include <stddef.h>

/* Each field: 1 the kernel has it, 0 the kernel said it has not, -1 not
 * asked (yet) or no answer. */
struct features {
	int redirect_pass;	/* bpf_redirect_map's flags are the action for an empty slot (5.3) */
	int devmap_hash;	/* BPF_MAP_TYPE_DEVMAP_HASH, for -b and several pairs (5.4) */
	int devmap_prog;	/* programs in devmap entries, for -X (5.8) */
	int veth_gro;		/* a veth with GRO on takes redirected frames (5.13) */
	int xdp_frags;		/* BPF_F_XDP_HAS_FRAGS, for jumbo frames (5.18) */
};

/* The map probes; the others wait for what they need (below). */
void probe_maps(struct features *f);

/* Runs prog_fd, an XDP program that redirects through a devmap whose
 * slot is still empty, on a 14-byte frame: XDP_PASS back means the
 * kernel took the fallback action from the flags. */
void probe_redirect(struct features *f, int prog_fd);

/* Whether the veth driver has the GRO switch that gives a veth NAPI
 * without an XDP program; unknown (-1) when the driver is not loaded or
 * the kernel has no symbol table, which the forwarder takes as no. Once:
 * the table is long. */
void probe_veth(struct features *f);

/* "name yes|no|?" for each feature, space-separated, into buf. */
void probe_format(const struct features *f, char *buf, size_t size);

/* Whether line, one of /proc/kallsyms without its newline ("ADDR TYPE
 * NAME" and, for a module's, "\t[MODULE]"), names sym; exposed for the
 * unit tests. */
int probe_kallsyms_line(const char *line, size_t len, const char *sym);

#endif
