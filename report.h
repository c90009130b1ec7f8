/* report.h - the one-line reports of the top layer on stderr:
 * "xdp_redirect_map: WHO: WHAT[: WHY]", or to syslog after
 * report_use_syslog() (stderr again when no daemon listens). Errors carry
 * the kernel's own extack text when there is one, else strerror. */
#ifndef XRM_REPORT_H
#define XRM_REPORT_H

#define PROG "xdp_redirect_map"

void report_use_syslog(void);
/* A command line's fault, on stderr always: said to whoever typed it,
 * before --syslog is known. */
void report_usage(const char *msg);
void report_error(const char *who, const char *what, int err, const char *extack);
/* An error in words of its own, as printf would make them. */
void report_fail(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void report_event(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
