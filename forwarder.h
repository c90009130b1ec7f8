/* forwarder.h - one run of the forwarder: load, attach, count, and on a
 * stop signal remove everything it attached or changed. This layer and
 * main.c are the only ones that print. */
#ifndef XRM_FORWARDER_H
#define XRM_FORWARDER_H

#include "options.h"

/* Exit statuses a script can act on. */
#define EXIT_STOPPED 0		/* stopped by a signal, everything removed */
#define EXIT_FAILED 1		/* with one line on stderr saying why */
#define EXIT_USAGE 2

int forwarder_run(const struct options *o);
/* 0, or -EPERM with a line naming the capability that is missing: the
 * run's, or load_only those of --check. */
int forwarder_privileged(int load_only);
int forwarder_detach(const struct options *o);

#endif
