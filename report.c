/* report.c - one line per event or error on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void report_error(const char *who, const char *what, int err, const char *extack)
{
	const char *why = extack && extack[0] ? extack : err ? strerror(-err) : NULL;

	if (why)
		fprintf(stderr, PROG ": %s: %s: %s\n", who, what, why);
	else
		fprintf(stderr, PROG ": %s: %s\n", who, what);
}

void report_event(const char *who, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
