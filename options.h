/* options.h - the run's configuration and the command line that makes it.
 * options_parse prints nothing: on a usage error it returns -EINVAL with
 * the reason in err, and main prints it and exits 2. */
#ifndef XRM_OPTIONS_H
#define XRM_OPTIONS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "ports.h"
#include "stats.h"

#define OPTIONS_ERR_BYTES 160
/* --dst-mac given more often than a router has ports is a mistake. */
#define OPTIONS_DST_MACS_MAX 16
#define OPTIONS_MAC_BYTES 6
/* Pairs on one command line: a router's ports, one IN to one OUT each. */
#define OPTIONS_PAIRS_MAX 8

enum run_action {
	RUN_FORWARD,
	RUN_CHECK,
	RUN_DETACH,		/* --detach: remove what a killed instance left */
	RUN_STATUS,		/* --status IN: what runs there, from the kernel */
	RUN_HELP,
	RUN_VERSION,
};

/* --dst-mac [PORT=]MAC: the next hop behind an egress port. */
struct dst_mac {
	char port[16];			/* as given (IFNAMSIZ); "": OUT */
	uint8_t mac[OPTIONS_MAC_BYTES];
};

struct options {
	enum run_action action;
	char *const *names;		/* IN1 OUT1 IN2 OUT2 ...: names or ifindexes */
	uint32_t nnames;		/* 2 per pair */
	int bidir;			/* -b: OUT to IN as well */
	uint32_t interval_ms;		/* statistics period */
	uint32_t mode_flags;		/* 0 (kernel picks), XDP_FLAGS_SKB_MODE or _DRV_MODE */
	int quiet;			/* no statistics lines */
	int force;			/* replace a program someone else attached */
	int wait;			/* wait for IN and OUT to appear */
	const char *obj_path;		/* --obj: a BPF object instead of the embedded one */
	int extended;			/* -e: bit rate, errors and transmits too */
	int json;			/* one JSON object per interval */
	int syslog;			/* events and errors to syslog, not stderr */
	const char *pidfile;		/* written once attached, removed at exit */
	int egress;			/* -X: source MAC = the egress port's own */
	struct dst_mac dst_macs[OPTIONS_DST_MACS_MAX];
	uint32_t ndst_macs;
	int no_guard;			/* --no-guard: keep redirecting into a failing OUT */
};

int options_parse(int argc, char **argv, struct options *o,
		  char *err, size_t err_size);
void options_usage(FILE *f);

/* What the ports take of the command line. */
void options_ports_config(const struct options *o, struct ports_config *pc);

/* The statistics lines -q, -e and --json ask for. */
enum stats_style options_stats_style(const struct options *o);

/* -b or several pairs: the programs and maps keyed by the ingress ifindex. */
int options_multi(const struct options *o);

/* "aa:bb:cc:dd:ee:ff", two hex digits a byte; -EINVAL otherwise. */
int options_mac(const char *s, uint8_t *mac);

#endif
