/* status.c - xdp_redirect_map --status IN: what is attached to IN, the
 * OUT its devmap points at, and the running instance's counters, read
 * from the kernel: IN's program id from rtnetlink, its maps by the ids in
 * its program info, OUT from the devmap's slot 0. No pinning: it works
 * for an instance started by anyone, even one killed with -9 whose
 * programs still forward.
 * One file is read, only when the slot is empty, since the kernel cannot
 * say why it is: IN's record under /run (instance.h), where a running
 * instance notes that its guard emptied the slot. It is read without
 * the lock and without following a link, and believed only if it and its
 * directory are root's alone and its writer lives; otherwise (no
 * instance, a dead one, a /run not ours) the words say what the slot
 * alone can. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>

#include "attach.h"
#include "bpf_sys.h"
#include "instance.h"
#include "ports.h"
#include "report.h"
#include "stats.h"
#include "status.h"

/* Our program uses two maps; room for a few more of an --obj. */
#define STATUS_MAPS_MAX 16

static const char *status_mode(const struct nl_link *l)
{
	struct xdp_state x;

	attach_state(l, &x);
	if ((x.drv_id != 0) + (x.skb_id != 0) + (x.hw_id != 0) > 1)
		return "several modes";
	return attach_mode_name(x.mode_flag);
}

/* One line on a port: its program's name, id and mode; 0 if it has one. */
static int status_port(int nl, const struct nl_link *l, const char *indent)
{
	struct prog_ident pi;
	uint32_t id = 0;

	attach_prog_id(nl, l->ifindex, &id);
	if (!id) {
		printf("%s%s (ifindex %d): no XDP program\n", indent, l->name, l->ifindex);
		return -ENOENT;
	}
	if (attach_prog_ident_by_id(id, &pi))
		memcpy(pi.name, "?", 2);
	printf("%s%s (ifindex %d): %s, program id %u, %s mode\n", indent, l->name, l->ifindex,
	       pi.name, id, status_mode(l));
	return 0;
}

/* The ids of the maps IN's program uses. */
static int status_map_ids(int nl, int ifindex, uint32_t *ids, uint32_t *n)
{
	struct bpf_prog_info info;
	uint32_t id = 0, len = sizeof(info);
	int fd, err;

	attach_prog_id(nl, ifindex, &id);
	fd = id ? bpf_prog_get_fd_by_id(id) : -ENOENT;
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = *n;
	info.map_ids = ptr_to_u64(ids);
	err = bpf_obj_get_info(fd, &info, &len);
	close(fd);
	/* The kernel says how many there are, and fills at most *n. */
	if (!err)
		*n = info.nr_map_ids < *n ? info.nr_map_ids : *n;
	return err;
}

/* Bytes where the program counts them: an instance without -e or --json
 * leaves them at 0 (count_bytes), which no counted frame could; an
 * 8-byte value has no room for them. */
static void status_counted(const struct stats_count *c, int has_bytes)
{
	printf("  counted: %llu frames", (unsigned long long)c->frames);
	if (has_bytes && c->bytes)
		printf(", %llu bytes", (unsigned long long)c->bytes);
	else if (has_bytes && c->frames)
		fputs(" (bytes are counted only with -e or --json)", stdout);
	putc('\n', stdout);
}

/* An empty slot, and why as far as IN's record tells: a running
 * instance records the guard's empty slot before emptying it, so one
 * whose record does not empties it only for a down or gone OUT. */
static void status_empty(const char *in)
{
	struct stats_err_words w;
	struct port_record r;

	if (instance_peek(in, &r)) {
		fputs("  to: nothing (empty devmap slot: frames go to IN's stack; OUT is down or "
		      "gone, or the guard emptied it)\n", stdout);
		return;
	}
	if (!r.guard_out[0]) {
		fputs("  to: nothing (empty devmap slot: OUT is down or gone; frames go to IN's "
		      "stack)\n", stdout);
		return;
	}
	if (!r.guard_errno) {
		printf("  to: nothing (the guard emptied the slot: %s sent none of the frames "
		       "redirected into it; frames go to IN's stack)\n", r.guard_out);
		return;
	}
	stats_err_words(-(int32_t)r.guard_errno, &w);
	printf("  to: nothing (the guard emptied the slot: redirects into %s failed with %s, %s; "
	       "frames go to IN's stack)\n", r.guard_out, w.name, w.meaning);
}

/* OUT from the devmap on the first pass, the counters from the per-CPU
 * array on the second; under key 0, or IN's ifindex in the maps of -b
 * and several pairs (DEVMAP_HASH, PERCPU_HASH). With -X a devmap value
 * holds the egress program's id after OUT's ifindex. */
static void status_map(int nl, int fd, const struct bpf_map_info *m, int pass,
		       const struct nl_link *in)
{
	struct bpf_devmap_val v = { 0 };
	struct stats_count c = { 0 };
	struct nl_link out;
	struct stats st;
	uint32_t key = m->type == BPF_MAP_TYPE_DEVMAP_HASH || m->type == BPF_MAP_TYPE_PERCPU_HASH ?
		       (uint32_t)in->ifindex : 0;

	if (pass == 0 && (m->type == BPF_MAP_TYPE_DEVMAP || m->type == BPF_MAP_TYPE_DEVMAP_HASH) &&
	    m->value_size <= sizeof(v)) {
		if (bpf_map_lookup(fd, &key, &v) || !v.ifindex)
			status_empty(in->name);
		else if (nl_link_get(nl, (int)v.ifindex, &out, NULL, 0) == 0)
			status_port(nl, &out, "  to ");
		else
			printf("  to: ifindex %u, not in this network namespace\n", v.ifindex);
	} else if (pass == 1 && ((m->type == BPF_MAP_TYPE_PERCPU_ARRAY && strcmp(m->name, "rxcnt") == 0) ||
				 (m->type == BPF_MAP_TYPE_PERCPU_HASH &&
				  strcmp(m->name, "rxcnt_pairs") == 0)) &&
		   stats_init(&st, m->value_size, STATS_QUIET) == 0) {
		if (stats_read_key(&st, fd, key, &c) == 0)
			status_counted(&c, m->value_size == 16);
		stats_free(&st);
	}
}

static void status_maps(int nl, const struct nl_link *in)
{
	uint32_t ids[STATUS_MAPS_MAX], n = STATUS_MAPS_MAX, i, len;
	struct bpf_map_info m;
	int fd, pass;

	if (status_map_ids(nl, in->ifindex, ids, &n)) {
		fputs("  maps: cannot read them (CAP_SYS_ADMIN needed)\n", stdout);
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			fd = bpf_map_get_fd_by_id(ids[i]);
			len = sizeof(m);
			memset(&m, 0, sizeof(m));
			if (fd >= 0 && bpf_obj_get_info(fd, &m, &len) == 0)
				status_map(nl, fd, &m, pass, in);
			if (fd >= 0)
				close(fd);
		}
	}
}

int status_run(const struct options *o)
{
	struct nl_link in;
	int nl = nl_open(0), err;

	if (nl < 0) {
		report_error("netlink", "cannot open", nl, NULL);
		return EXIT_FAILURE;
	}
	err = ports_link_get(nl, o->names[0], &in);
	if (err)
		report_error(o->names[0], "no such interface", err == -ENODEV ? 0 : err, NULL);
	if (!err)
		err = status_port(nl, &in, "");
	if (!err)
		status_maps(nl, &in);
	close(nl);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
