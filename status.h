/* status.h - --status IN: what runs on IN and its OUT, and the counters
 * of the instance, read from the kernel through the program's map ids.
 * Top layer: prints; returns an exit status (0: a program on IN). */
#ifndef XRM_STATUS_H
#define XRM_STATUS_H

#include "options.h"

int status_run(const struct options *o);

#endif
