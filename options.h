/* options.h - the run's configuration and the command line that makes it.
 * options_parse prints nothing: on a usage error it returns -EINVAL with
 * the reason in err, and main prints it and exits 2. */
#ifndef XRM_OPTIONS_H
#define XRM_OPTIONS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define OPTIONS_ERR_BYTES 160

enum run_action {
	RUN_FORWARD,
	RUN_CHECK,
	RUN_DETACH,		/* --detach: remove what a killed instance left */
	RUN_STATUS,		/* --status IN: what runs there, from the kernel */
	RUN_HELP,
	RUN_VERSION,
};

struct options {
	enum run_action action;
	const char *in;			/* IN as given: a name or an ifindex */
	const char *out;		/* OUT likewise */
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
};

int options_parse(int argc, char **argv, struct options *o,
		  char *err, size_t err_size);
void options_usage(FILE *f);

#endif
