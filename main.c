/* main.c - the command line: what to do, and the exit status. */
#include <stdio.h>

#include "forwarder.h"
#include "options.h"
#include "status.h"

#ifndef VERSION
#define VERSION "0.1"
#endif

int main(int argc, char **argv)
{
	char err[OPTIONS_ERR_BYTES];
	struct options o;

	if (options_parse(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "xdp_redirect_map: %s\n", err);
		return EXIT_USAGE;
	}
	switch (o.action) {
	case RUN_HELP:
		options_usage(stdout);
		return 0;
	case RUN_VERSION:
		printf("xdp_redirect_map %s\n", VERSION);
		return 0;
	case RUN_CHECK:
		return forwarder_check(&o);
	case RUN_DETACH:
		return forwarder_detach(&o);
	case RUN_STATUS:
		return status_run(&o);
	default:
		return forwarder_run(&o);
	}
}
