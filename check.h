/* check.h - the BPF object of a run: the embedded one or --obj FILE,
 * loaded and held to the forwarder's contract; and --check, which loads
 * every map and XDP program of any object and prints them. Top layer:
 * says on stderr what is wrong, and the notices (BTF refused, pinning
 * ignored) once. */
#ifndef XRM_CHECK_H
#define XRM_CHECK_H

#include "loader.h"
#include "options.h"

/* What the forwarder needs of an object, as indexes into the loader. */
struct check_contract {
	int prog_in;		/* xdp_redirect_map, attached to IN */
	int prog_out;		/* xdp_dummy, attached to OUT */
	int map_tx;		/* tx_port: DEVMAP, u32 keys and values */
	int map_cnt;		/* rxcnt: PERCPU_ARRAY of u64 */
};

/* Loads the object, its maps, and the contract's two programs. */
int check_load_contract(struct loader *l, const struct options *o, struct check_contract *c);

/* --check: an exit status. */
int check_run(const struct options *o);

#endif
