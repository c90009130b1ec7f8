/* check.c - the object a run loads, and what --check prints of it.
 *
 * The contract an --obj file must meet to forward: programs
 * xdp_redirect_map (on IN) and xdp_dummy (on OUT), both plain XDP; maps
 * tx_port (DEVMAP, u32 key and value: OUT's ifindex goes in slot 0) and
 * rxcnt (PERCPU_ARRAY, u32 key; a u64 value counts frames, two u64s
 * frames and bytes). Anything else in the object is loaded as well and
 * left to it. Optional parts, looked up only by the modes that need them
 * (doc/router.md): for -b and several pairs xdp_pairs, tx_pairs
 * (DEVMAP_HASH) and rxcnt_pairs (PERCPU_HASH), keyed by the ingress
 * ifindex; for -X xdp_egress (section xdp/devmap) and egress_macs (HASH,
 * 12-byte values). A 4-byte global count_bytes, best const volatile in
 * .rodata, is set before the maps are made: 1 where the lines show bytes
 * (-e, --json), else 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bpf_sys.h"
#include "check.h"
#include "embed.h"
#include "ports.h"
#include "probe.h"
#include "report.h"
#include "stats.h"
#include "xdp_features.h"

/* Names of BPF_MAP_TYPE_*, as bpftool prints them; types newer than our
 * headers are printed as numbers. */
static const char *const check_map_types[] = {
	[BPF_MAP_TYPE_HASH] = "hash",
	[BPF_MAP_TYPE_ARRAY] = "array",
	[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
	[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
	[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
	[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
	[BPF_MAP_TYPE_CGROUP_ARRAY] = "cgroup_array",
	[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
	[BPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
	[BPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
	[BPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
	[BPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
	[BPF_MAP_TYPE_DEVMAP] = "devmap",
	[BPF_MAP_TYPE_SOCKMAP] = "sockmap",
	[BPF_MAP_TYPE_CPUMAP] = "cpumap",
	[BPF_MAP_TYPE_XSKMAP] = "xskmap",
	[BPF_MAP_TYPE_SOCKHASH] = "sockhash",
	[BPF_MAP_TYPE_CGROUP_STORAGE] = "cgroup_storage",
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = "reuseport_sockarray",
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = "percpu_cgroup_storage",
	[BPF_MAP_TYPE_QUEUE] = "queue",
	[BPF_MAP_TYPE_STACK] = "stack",
	[BPF_MAP_TYPE_SK_STORAGE] = "sk_storage",
	[BPF_MAP_TYPE_DEVMAP_HASH] = "devmap_hash",
	[BPF_MAP_TYPE_STRUCT_OPS] = "struct_ops",
	[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
	[BPF_MAP_TYPE_INODE_STORAGE] = "inode_storage",
	[BPF_MAP_TYPE_TASK_STORAGE] = "task_storage",
	[BPF_MAP_TYPE_BLOOM_FILTER] = "bloom_filter",
	[BPF_MAP_TYPE_USER_RINGBUF] = "user_ringbuf",
};

static const char *check_map_type(uint32_t type, char *buf, size_t size)
{
	if (type < sizeof(check_map_types) / sizeof(check_map_types[0]) && check_map_types[type])
		return check_map_types[type];
	snprintf(buf, size, "type %u", type);
	return buf;
}

static const char *check_who(const struct options *o)
{
	return o->obj_path ? o->obj_path : "embedded object";
}

static void check_say(const struct options *o, const char *what, const char *why)
{
	report_fail(check_who(o), "%s%s%s", what, why ? ": " : "", why ? why : "");
}

/* Kernels before 5.11 charge maps to RLIMIT_MEMLOCK, 64 KiB by default.
 * prlimit, the system call itself: musl's setrlimit also stops every
 * thread to set it there (__synccall), and we have one thread. */
static void check_raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	prlimit(0, RLIMIT_MEMLOCK, &r, NULL);
}

static int check_open(struct loader *l, const struct options *o)
{
	int err;

	check_raise_memlock();
	err = o->obj_path ? loader_open_file(l, o->obj_path) :
	      loader_open(l, embed_obj_start, (size_t)(embed_obj_end - embed_obj_start));
	if (err)
		check_say(o, l->err, NULL);
	return err;
}

/* BTF and maps; the notices said once. */
static int check_create(struct loader *l, const struct options *o)
{
	uint32_t i;
	int err = loader_create_maps(l);

	if (err) {
		check_say(o, l->err, NULL);
		return err;
	}
	if (l->btf_err)
		report_event(check_who(o), "the kernel refused the object's BTF, loading without it: %s",
			     strerror(-l->btf_err));
	for (i = 0; i < l->elf.nmaps; i++)
		if (l->elf.maps[i].pinned)
			report_event(check_who(o), "map %s: pinning ignored, the map is this run's own",
				     l->elf.maps[i].sym);
	return 0;
}

/* Bytes only where a line shows them (-e, --json): with count_bytes 0
 * in .rodata, frozen, the kernel runs none of their code. An object
 * without the variable counts what it counts. */
static int check_count_bytes(struct loader *l, const struct options *o)
{
	enum stats_style style = options_stats_style(o);
	uint32_t on = style == STATS_EXTENDED || style == STATS_JSON;
	int err = loader_set_var(l, "count_bytes", &on, sizeof(on));

	if (err == -ENOENT)
		return 0;
	if (err)
		check_say(o, "variable count_bytes", err == -EINVAL ?
			  "the contract wants 4 bytes with a value" : strerror(-err));
	return err;
}

static int check_load_prog(struct loader *l, const struct options *o, uint32_t idx,
			   uint32_t flags)
{
	char reason[256];
	int err = loader_load_prog(l, idx, flags);

	if (err)
		check_say(o, l->err, loader_log_reason(l, reason, sizeof(reason)));
	return err;
}

/* An XDP program of the expected attach type: 0, or BPF_XDP_DEVMAP for
 * one that runs in a devmap entry. */
static int check_prog(const struct loader *l, const struct options *o, const char *sym,
		      uint32_t attach_type)
{
	int i = elf_prog_find(&l->elf, sym);
	char what[160];

	if (i >= 0 && l->elf.progs[i].type == BPF_PROG_TYPE_XDP &&
	    l->elf.progs[i].expected_attach_type == attach_type)
		return i;
	snprintf(what, sizeof(what), "program %s: %s", sym, i < 0 ? "missing" : attach_type ?
		 "not in section \"xdp/devmap\"" : "not a plain XDP program (section \"xdp\")");
	check_say(o, what, options_multi(o) ? "-b and several pairs want xdp_pairs and xdp_dummy" :
		  "the contract wants xdp_redirect_map and xdp_dummy");
	return -ENOENT;
}

/* value_size, or value_size2 when that is not 0. */
static int check_map(const struct loader *l, const struct options *o, const char *sym,
		     uint32_t type, uint32_t value_size, uint32_t value_size2)
{
	int i = elf_map_find(&l->elf, sym);
	const struct elf_map *m = i >= 0 ? &l->elf.maps[i] : NULL;
	char what[160], want[96], name[16], sizes[24];

	if (m && m->type == type && m->key_size == sizeof(uint32_t) &&
	    (m->value_size == value_size || (value_size2 && m->value_size == value_size2)) &&
	    m->max_entries > 0)
		return i;
	if (m)
		snprintf(what, sizeof(what), "map %s: %s of %u-byte keys, %u-byte values, %u entries",
			 sym, check_map_type(m->type, name, sizeof(name)), m->key_size,
			 m->value_size, m->max_entries);
	else
		snprintf(what, sizeof(what), "map %s: missing", sym);
	/* "8- or 16-byte values" or "4-byte values": an extra argument is ignored. */
	snprintf(sizes, sizeof(sizes), value_size2 ? "%u- or %u" : "%u", value_size, value_size2);
	snprintf(want, sizeof(want), "the contract wants a %s of 4-byte keys and %s-byte values",
		 check_map_type(type, name, sizeof(name)), sizes);
	check_say(o, what, want);
	return -ENOENT;
}

/* -X: xdp_egress rides in tx's entries, whose value becomes struct
 * bpf_devmap_val (OUT's ifindex and the program's fd); objects declare
 * the 4-byte value kernels before 5.8 require, and redirects never read
 * it. */
static int check_egress(struct loader *l, const struct options *o, struct check_contract *c)
{
	c->prog_egress = c->map_macs = -1;
	if (!o->egress)
		return 0;
	c->prog_egress = check_prog(l, o, "xdp_egress", BPF_XDP_DEVMAP);
	c->map_macs = check_map(l, o, "egress_macs", BPF_MAP_TYPE_HASH, 2 * OPTIONS_MAC_BYTES, 0);
	if (c->prog_egress < 0 || c->map_macs < 0)
		return -ENOENT;
	if (c->map_tx >= 0)
		l->elf.maps[c->map_tx].value_size = sizeof(struct bpf_devmap_val);
	return 0;
}

/* Every program goes with BPF_F_XDP_HAS_FRAGS, so that it attaches to
 * ports whose MTU passes a page (jumbo frames): ours read only the first
 * 14 bytes, always in the first buffer. Kernels before 5.18 refuse the
 * flag with EINVAL: the first program finds out, the others follow (a
 * devmap program must match the program that redirects into it). */
static int check_load_progs(struct loader *l, const struct options *o, struct check_contract *c)
{
	int err;

	c->prog_flags = BPF_F_XDP_HAS_FRAGS;
	if (loader_load_prog(l, (uint32_t)c->prog_in, c->prog_flags)) {
		c->prog_flags = 0;
		if ((err = check_load_prog(l, o, (uint32_t)c->prog_in, 0)) != 0)
			return err;
	}
	err = check_load_prog(l, o, (uint32_t)c->prog_out, c->prog_flags);
	if (!err && c->prog_egress >= 0)
		err = check_load_prog(l, o, (uint32_t)c->prog_egress, c->prog_flags);
	if (err)
		return err;
	err = loader_fill_prog_arrays(l);
	if (err)
		check_say(o, l->err, NULL);
	return err;
}

static int check_load(struct loader *l, const struct options *o, struct check_contract *c)
{
	int multi = options_multi(o), err = check_open(l, o);

	if (err)
		return err;
	c->prog_in = check_prog(l, o, multi ? "xdp_pairs" : "xdp_redirect_map", 0);
	c->prog_out = check_prog(l, o, "xdp_dummy", 0);
	c->map_tx = check_map(l, o, multi ? "tx_pairs" : "tx_port",
			      multi ? BPF_MAP_TYPE_DEVMAP_HASH : BPF_MAP_TYPE_DEVMAP,
			      sizeof(uint32_t), 0);
	c->map_cnt = check_map(l, o, multi ? "rxcnt_pairs" : "rxcnt",
			       multi ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_PERCPU_ARRAY,
			       sizeof(uint64_t), 2 * sizeof(uint64_t));
	err = check_egress(l, o, c);
	if (err || c->prog_in < 0 || c->prog_out < 0 || c->map_tx < 0 || c->map_cnt < 0)
		return -ENOENT;
	err = check_count_bytes(l, o);
	if (!err)
		err = check_create(l, o);
	return err ? err : check_load_progs(l, o, c);
}

int check_load_contract(struct loader *l, const struct options *o, struct check_contract *c)
{
	return check_load(l, o, c) ? CHECK_REFUSED : 0;
}

static void check_print_maps(const struct loader *l)
{
	const struct elf_map *m;
	char name[16];
	uint32_t i;

	for (i = 0; i < l->elf.nmaps; i++) {
		m = &l->elf.maps[i];
		printf("map %s: %s, key %u B, value %u B, %u entries%s\n", m->sym,
		       check_map_type(m->type, name, sizeof(name)), m->key_size, m->value_size,
		       m->max_entries,
		       m->frozen ? ", read-only" : "");
	}
}

/* Why program p is not loaded, or NULL: another type, or an XDP program
 * libbpf would load only on request. */
static const char *check_skip_reason(const struct elf_prog *p)
{
	if (p->type == BPF_PROG_TYPE_XDP)
		return p->autoload ? NULL : "loaded only on request (libbpf's \"?\" prefix)";
	/* "xdp_prog", "xdp/foo": libbpf 0.x took any "xdp" prefix, 1.x
	 * refuses the object; the program is not guessed at either. */
	if (strncmp(p->sec_name, "xdp", 3) == 0)
		return "is not a section name libbpf 1.x knows: SEC(\"xdp\"), \"xdp.frags\", \"xdp/devmap\" or \"xdp/cpumap\"";
	return "is not XDP";
}

/* One program: loaded, with the kernel's sizes, or skipped; only listed
 * when the maps could not be made. */
static int check_print_prog(struct loader *l, const struct options *o, uint32_t idx,
			    int list_only)
{
	const struct elf_prog *p = &l->elf.progs[idx];
	const char *skip = check_skip_reason(p);
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	if (skip || list_only) {
		printf("program %s: skipped: section \"%s\"%s%s\n", p->sym, p->sec_name,
		       skip ? " " : "", skip ? skip : "");
		return 0;
	}
	if (check_load_prog(l, o, idx, 0))
		return -1;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info(l->prog_fds[idx], &info, &len))
		info.xlated_prog_len = info.jited_prog_len = 0;
	printf("program %s: %u insns, translated %u B, JIT %u B (section \"%s\")\n", p->sym,
	       l->prog_insns[idx], info.xlated_prog_len, info.jited_prog_len, p->sec_name);
	return 0;
}

static uint32_t check_xdp_progs(const struct loader *l)
{
	uint32_t i, n = 0;

	for (i = 0; i < l->elf.nprogs; i++)
		n += !check_skip_reason(&l->elf.progs[i]);
	return n;
}

/* A program in a section that starts with "xdp" but is none of libbpf's. */
static int check_has_sloppy(const struct loader *l)
{
	uint32_t i;

	for (i = 0; i < l->elf.nprogs; i++)
		if (l->elf.progs[i].type != BPF_PROG_TYPE_XDP &&
		    strncmp(l->elf.progs[i].sec_name, "xdp", 3) == 0)
			return 1;
	return 0;
}

/* What the kernel offers the forwarder (probe.c), on stdout with the
 * table. With the embedded object: xdp_dummy, which uses no map, is
 * loaded again with BPF_F_XDP_HAS_FRAGS (a program that redirects would
 * be refused for a devmap already tied to one without), and
 * xdp_redirect_map is run once on a test frame. */
static void check_print_kernel(struct loader *l, const struct options *o, struct features *f)
{
	int in = elf_prog_find(&l->elf, "xdp_redirect_map");
	int pass = elf_prog_find(&l->elf, "xdp_dummy");
	char line[160];

	probe_maps(f);
	probe_veth(f);
	if (!o->obj_path && in >= 0 && pass >= 0) {
		close(l->prog_fds[pass]);
		l->prog_fds[pass] = -1;
		f->xdp_frags = loader_load_prog(l, (uint32_t)pass, BPF_F_XDP_HAS_FRAGS) == 0;
		probe_redirect(f, l->prog_fds[in]);
	}
	probe_format(f, line, sizeof(line));
	printf("kernel: %s\n", line);
}

static void check_say_port(const char *name, int black_hole, const char *line)
{
	(void)black_hole;	/* the line says it */
	printf("port %s: %s\n", name, line);
}

/* --check IN OUT: a line per port on what it will do with XDP and with
 * redirected frames (xdp_features.c), nothing attached. */
static int check_print_ports(const struct options *o, struct features *f)
{
	struct xf_ask ask = { .mode_flags = o->mode_flags, .feat = f, .say = check_say_port };
	struct ports_config pc;
	struct ports p;
	struct port *pt;
	int nl = nl_open(0), err = nl < 0 ? nl : 0;

	if (err)
		report_error("netlink", "cannot open", err, NULL);
	options_ports_config(o, &pc);
	if (!err)
		ports_init(&p, nl, &pc);
	for (pt = p.port; !err && pt < p.port + p.n; pt++) {
		err = ports_link_get(nl, pt->arg, &pt->link);
		pt->present = err == 0;
		if (err)
			report_error(pt->arg, "cannot read", err, NULL);
	}
	if (!err)
		xf_predict(&p, &ask, ~0u);
	if (nl >= 0)
		close(nl);
	return err;
}

int check_run(const struct options *o)
{
	struct features f;
	struct loader l;
	uint32_t i;
	int err, made;

	if (check_open(&l, o)) {
		loader_close(&l);
		return EXIT_FAILURE;
	}
	err = check_xdp_progs(&l) ? check_count_bytes(&l, o) : -ENOENT;
	if (err == -ENOENT)
		check_say(o, "holds no XDP program", check_has_sloppy(&l) ?
			  "its \"xdp...\" sections are none libbpf 1.x knows (\"xdp\", \"xdp.frags\", \"xdp/devmap\", \"xdp/cpumap\")" :
			  NULL);
	if (!err)
		err = check_create(&l, o);
	made = !err;
	if (made)
		check_print_maps(&l);
	/* A program the kernel refuses is said, and the others still tried. */
	for (i = 0; i < l.elf.nprogs; i++)
		if (check_print_prog(&l, o, i, !made) && !err)
			err = CHECK_REFUSED;
	if (!err && loader_fill_prog_arrays(&l)) {
		check_say(o, l.err, NULL);
		err = -1;
	}
	if (!err)
		check_print_kernel(&l, o, &f);
	if (!err && o->nnames)
		err = check_print_ports(o, &f);
	if (!err)
		printf("%s: accepted by the kernel\n", check_who(o));
	loader_close(&l);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
