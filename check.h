/* check.h - the BPF object of a run: the embedded one or --obj FILE,
 * loaded and held to the forwarder's contract; and --check, which loads
 * every map and XDP program of any object and prints them. Top layer:
 * says on stderr what is wrong, and the notices (BTF refused, pinning
 * ignored) once. */
#ifndef XRM_CHECK_H
#define XRM_CHECK_H

#include <errno.h>

#include "loader.h"
#include "options.h"

/* What the forwarder needs of an object, as indexes into the loader.
 * -b and several pairs (options_multi) take the optional part keyed by
 * the ingress ifindex: xdp_pairs, tx_pairs, rxcnt_pairs; -X another. */
struct check_contract {
	int prog_in;		/* xdp_redirect_map (or xdp_pairs), attached to IN */
	int prog_out;		/* xdp_dummy, attached to OUT */
	int map_tx;		/* tx_port: DEVMAP (tx_pairs: DEVMAP_HASH), u32 keys and values */
	int map_cnt;		/* rxcnt: PERCPU_ARRAY (rxcnt_pairs: PERCPU_HASH) of u64 */
	int prog_egress;	/* -X: xdp_egress, section xdp/devmap; else -1 */
	int map_macs;		/* -X: egress_macs, HASH of 12-byte values; else -1 */
	uint32_t prog_flags;	/* BPF_F_XDP_HAS_FRAGS, or 0 where the kernel lacks it */
};

/* Loads the object, its maps, and the programs the run needs: 0, or
 * CHECK_REFUSED once a line has said why (a malformed file, a contract
 * not met, a map or program the kernel refused). Never another errno,
 * so that no cause of the object's can pass for a usage error: the
 * caller exits 1. */
#define CHECK_REFUSED (-ENOEXEC)
int check_load_contract(struct loader *l, const struct options *o, struct check_contract *c);

/* --check: an exit status. */
int check_run(const struct options *o);

#endif
