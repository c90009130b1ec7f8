/* main.c - the command line: what to do, and the exit status. */
#include <elf.h>
#include <stdio.h>

#include "check.h"
#include "embed.h"
#include "forwarder.h"
#include "options.h"
#include "report.h"
#include "status.h"

#ifndef VERSION
#define VERSION "0.1"
#endif
#ifndef TARGET
#define TARGET "unknown target"
#endif
#ifdef __GLIBC__
#define LIBC "glibc"
#else
#define LIBC "musl"
#endif

/* The embedded object's own header says which byte order its programs
 * were built for: a router of the other order would load garbage. */
static const char *main_obj_order(void)
{
	if (embed_obj_end - embed_obj_start < EI_NIDENT)
		return "none";
	if (embed_obj_start[EI_DATA] == ELFDATA2MSB)
		return "big-endian (bpfeb)";
	return embed_obj_start[EI_DATA] == ELFDATA2LSB ? "little-endian (bpfel)" : "unknown";
}

int main(int argc, char **argv)
{
	char err[OPTIONS_ERR_BYTES];
	struct options o;

	if (options_parse(argc, argv, &o, err, sizeof(err))) {
		report_usage(err);
		return EXIT_USAGE;
	}
	if (o.syslog)
		report_use_syslog();
	switch (o.action) {
	case RUN_HELP:
		options_usage(stdout);
		return 0;
	case RUN_VERSION:
		printf("xdp_redirect_map %s for " TARGET " (" LIBC "), BPF object %s\n", VERSION,
		       main_obj_order());
		return 0;
	case RUN_CHECK:
		return forwarder_privileged(1) ? EXIT_FAILED : check_run(&o);
	case RUN_DETACH:
		return forwarder_detach(&o);
	case RUN_STATUS:
		return status_run(&o);
	default:
		return forwarder_run(&o);
	}
}
