/* report.c - one line per event or error: on stderr, or with --syslog
 * as a datagram to the syslog daemon (LOG_DAEMON). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "report.h"

/* Longer than any line we make; a verifier's reason is cut at 256. */
#define REPORT_LINE_BYTES 512

/* --syslog, part of the run's configuration. */
static int report_syslog_on;

void report_use_syslog(void)
{
	report_syslog_on = 1;
}

/* "<PRI>TAG[PID]: MSG", which syslogd, rsyslog and journald all read;
 * the daemon adds the time. Not libc's syslog(): it does not say whether
 * a daemon got the line, and one that none got goes to stderr instead
 * (LOG_PERROR would write every line to both). A socket per line: the
 * daemon may restart, and events are rare. */
static int report_syslog(int prio, const char *msg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	char buf[REPORT_LINE_BYTES + 48];
	int fd, n, sent;

	n = snprintf(buf, sizeof(buf), "<%d>" PROG "[%d]: %s", LOG_DAEMON | prio, (int)getpid(),
		     msg);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)strlen(buf);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* sendto rather than connect and send: one call, as netlink.c's. */
	sent = (int)sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	return sent == n ? 0 : -1;
}

static void report_stderr(const char *msg)
{
	fprintf(stderr, PROG ": %s\n", msg);
}

/* Without a syslog daemon the line goes to stderr rather than nowhere. */
static void report_line(int prio, const char *msg)
{
	if (report_syslog_on && report_syslog(prio, msg) == 0)
		return;
	report_stderr(msg);
}

void report_usage(const char *msg)
{
	report_stderr(msg);
}

static void report_v(int prio, const char *who, const char *fmt, va_list ap)
{
	char msg[REPORT_LINE_BYTES];
	size_t n;

	snprintf(msg, sizeof(msg), "%s: ", who);
	n = strlen(msg);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	report_line(prio, msg);
}

void report_fail(const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(LOG_ERR, who, fmt, ap);
	va_end(ap);
}

void report_error(const char *who, const char *what, int err, const char *extack)
{
	const char *why = extack && extack[0] ? extack : err ? strerror(-err) : NULL;

	report_fail(who, "%s%s%s", what, why ? ": " : "", why ? why : "");
}

void report_event(const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(LOG_NOTICE, who, fmt, ap);
	va_end(ap);
}
