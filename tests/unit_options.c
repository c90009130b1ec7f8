/* unit_options.c - the command line: what is accepted, what it sets, and
 * that every refusal is -EINVAL with a reason in err. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <linux/if_link.h>

#include "options.h"
#include "unit.h"

#define ARGS_MAX 20

static struct options opts;
static char err[OPTIONS_ERR_BYTES];

/* Parses the words given after the program name, ended by NULL. */
static int parse(const char *first, ...)
{
	char *argv[ARGS_MAX + 2] = { "xdp_redirect_map" };
	const char *w = first;
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	while (w && argc <= ARGS_MAX) {
		argv[argc++] = (char *)w;
		w = va_arg(ap, const char *);
	}
	va_end(ap);
	return options_parse(argc, argv, &opts, err, sizeof(err));
}

static int refused(int ret, const char *why)
{
	return ret == -EINVAL && strstr(err, why) != NULL;
}

static void names(void)
{
	CHECK(parse("veth0", "veth1", NULL) == 0);
	CHECK(opts.action == RUN_FORWARD);
	CHECK(opts.nnames == 2 && strcmp(opts.names[0], "veth0") == 0);
	CHECK(strcmp(opts.names[1], "veth1") == 0 && !opts.bidir);
	CHECK(opts.interval_ms == 1000);
	CHECK(opts.mode_flags == 0 && !opts.quiet && !opts.force);
	CHECK(err[0] == '\0');
}

static void interval(void)
{
	CHECK(parse("-i", "5", "a", "b", NULL) == 0 && opts.interval_ms == 5000);
	CHECK(parse("--interval", "86400", "a", "b", NULL) == 0 &&
	      opts.interval_ms == 86400000u);
	CHECK(refused(parse("-i", "0", "a", "b", NULL), "interval '0'"));
	CHECK(refused(parse("-i", "x", "a", "b", NULL), "interval 'x'"));
	CHECK(refused(parse("-i", "99999999", "a", "b", NULL), "interval"));
	CHECK(refused(parse("-i", "86401", "a", "b", NULL), "interval"));
	CHECK(refused(parse("-i", "-1", "a", "b", NULL), "interval"));
	CHECK(refused(parse("-i", " 5", "a", "b", NULL), "interval ' 5'"));
	CHECK(refused(parse("-i", "+5", "a", "b", NULL), "interval '+5'"));
	CHECK(refused(parse("-i", "", "a", "b", NULL), "interval ''"));
	CHECK(refused(parse("-i", "5s", "a", "b", NULL), "interval"));
	CHECK(refused(parse("-i", "", "a", "b", NULL), "interval"));
	/* Past 32 bits: strtoul must not wrap it into range. */
	CHECK(refused(parse("-i", "4294967297", "a", "b", NULL), "interval"));
}

static void modes(void)
{
	CHECK(parse("-S", "a", "b", NULL) == 0 && opts.mode_flags == XDP_FLAGS_SKB_MODE);
	CHECK(parse("--native-mode", "a", "b", NULL) == 0 &&
	      opts.mode_flags == XDP_FLAGS_DRV_MODE);
	CHECK(refused(parse("-S", "-N", "a", "b", NULL), "exclude"));
	CHECK(refused(parse("-N", "--skb-mode", "a", "b", NULL), "exclude"));
	CHECK(parse("-q", "-F", "a", "b", NULL) == 0 && opts.quiet && opts.force);
}

static void bad_options(void)
{
	CHECK(refused(parse("-z", "a", "b", NULL), "unknown option -z"));
	CHECK(refused(parse("--bogus", "a", "b", NULL), "unknown option --bogus"));
	CHECK(refused(parse("-i", NULL), "option -i needs an argument"));
	CHECK(refused(parse("--interval", NULL), "needs an argument"));
	CHECK(refused(parse("-qi", NULL), "option -qi needs an argument"));
}

/* The forms getopt_long takes. */
static void forms(void)
{
	CHECK(parse("-i5", "a", "b", NULL) == 0 && opts.interval_ms == 5000);
	CHECK(parse("--interval=7", "a", "b", NULL) == 0 && opts.interval_ms == 7000);
	CHECK(parse("-qeb", "a", "b", NULL) == 0 && opts.quiet && opts.extended && opts.bidir);
	CHECK(parse("-qi", "3", "a", "b", NULL) == 0 && opts.quiet && opts.interval_ms == 3000);
	CHECK(parse("-i", "-q", "a", "b", NULL) == -EINVAL && !opts.quiet);
	/* A unique prefix of a long name; an exact name beats a longer one. */
	CHECK(parse("--bidir", "--ext", "--dst=02:00:00:00:00:01", "a", "b", NULL) == 0 &&
	      opts.bidir && opts.extended && opts.ndst_macs == 1);
	CHECK(refused(parse("--s", "a", "b", NULL), "unknown option --s"));
	CHECK(refused(parse("--quiet=1", "a", "b", NULL), "unknown option --quiet=1"));
	CHECK(refused(parse("-qz", "a", "b", NULL), "unknown option -qz"));
	CHECK(refused(parse("--obj", NULL), "option --obj needs an argument"));
	/* "--" ends the options; "-" is a name. */
	CHECK(parse("-q", "--", "-a", "b", NULL) == 0 && opts.quiet &&
	      strcmp(opts.names[0], "-a") == 0);
	CHECK(refused(parse("-", "b", "c", NULL), "got 3"));
	CHECK(parse("--status", "--", "eth0", NULL) == 0 && opts.action == RUN_STATUS);
}

static void name_count(void)
{
	CHECK(refused(parse(NULL), "got 0"));
	CHECK(refused(parse("a", NULL), "got 1"));
	CHECK(refused(parse("a", "b", "c", NULL), "got 3"));
	CHECK(refused(parse("a", "a", NULL), "same interface"));
	/* Options end at the first name (POSIX), so this is three names. */
	CHECK(refused(parse("a", "-S", "b", NULL), "got 3"));
}

static void actions(void)
{
	CHECK(parse("--check", NULL) == 0 && opts.action == RUN_CHECK && !opts.nnames);
	CHECK(parse("--check", "a", "b", NULL) == 0 && opts.action == RUN_CHECK &&
	      opts.nnames == 2 && strcmp(opts.names[1], "b") == 0);
	CHECK(refused(parse("--check", "a", NULL), "got 1"));
	CHECK(parse("-h", NULL) == 0 && opts.action == RUN_HELP);
	CHECK(parse("--help", "a", NULL) == 0 && opts.action == RUN_HELP);
	CHECK(parse("-V", NULL) == 0 && opts.action == RUN_VERSION);
}

static void pairs(void)
{
	CHECK(parse("a", "b", "c", "d", NULL) == 0 && opts.nnames == 4 &&
	      strcmp(opts.names[2], "c") == 0 && strcmp(opts.names[3], "d") == 0);
	/* A shared OUT; a port that is OUT of one pair and IN of another. */
	CHECK(parse("a", "b", "c", "b", NULL) == 0 && opts.nnames == 4);
	CHECK(parse("a", "b", "b", "a", NULL) == 0);
	CHECK(parse("-b", "a", "b", NULL) == 0 && opts.bidir);
	CHECK(parse("--bidirectional", "a", "b", "c", "d", NULL) == 0 && opts.bidir);
	CHECK(refused(parse("a", "b", "a", "c", NULL), "a: in two pairs"));
	CHECK(refused(parse("-b", "a", "b", "c", "b", NULL), "b: in two pairs"));
	CHECK(refused(parse("-b", "a", "b", "b", "c", NULL), "b: in two pairs"));
	CHECK(refused(parse("a", "b", "c", "c", NULL), "c: IN and OUT are the same"));
	CHECK(refused(parse("a", "b", "c", "d", "e", NULL), "got 5"));
	CHECK(parse("1", "2", "3", "4", "5", "6", "7", "8", NULL) == 0 && opts.nnames == 8);
	CHECK(refused(parse("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
			    "14", "15", "16", "17", "18", NULL), "at most 8"));
}

static void egress(void)
{
	static const uint8_t mac[6] = { 0x02, 0xab, 0xcd, 0xef, 0x00, 0x01 };

	CHECK(parse("a", "b", NULL) == 0 && !opts.egress && opts.ndst_macs == 0);
	CHECK(parse("-X", "a", "b", NULL) == 0 && opts.egress && opts.ndst_macs == 0);
	CHECK(parse("--egress", "a", "b", NULL) == 0 && opts.egress);
	/* --dst-mac implies -X. */
	CHECK(parse("--dst-mac", "02:AB:cd:ef:00:01", "a", "b", NULL) == 0 && opts.egress &&
	      opts.ndst_macs == 1 && opts.dst_macs[0].port[0] == '\0' &&
	      memcmp(opts.dst_macs[0].mac, mac, 6) == 0);
	CHECK(parse("--dst-mac", "b=02:ab:cd:ef:00:01", "--dst-mac", "a=02:00:00:00:00:02",
		    "a", "b", NULL) == 0 && opts.ndst_macs == 2 &&
	      strcmp(opts.dst_macs[0].port, "b") == 0 && strcmp(opts.dst_macs[1].port, "a") == 0 &&
	      memcmp(opts.dst_macs[0].mac, mac, 6) == 0 && opts.dst_macs[1].mac[5] == 2);
	/* The MAC is what follows the last '='. */
	CHECK(parse("--dst-mac", "a=b=02:00:00:00:00:01", "a=b", "c", NULL) == 0 &&
	      strcmp(opts.dst_macs[0].port, "a=b") == 0 && opts.dst_macs[0].mac[5] == 1);
	CHECK(refused(parse("--dst-mac", "a=02:00:00:00:00:01=", "a", "b", NULL), "is not"));
	CHECK(refused(parse("--dst-mac", "00:00:00:00:00:00", "a", "b", NULL), "is not [PORT=]MAC"));
	CHECK(refused(parse("--dst-mac", "02:00:00:00:00", "a", "b", NULL), "is not"));
	CHECK(refused(parse("--dst-mac", "02:00:00:00:00:01:", "a", "b", NULL), "is not"));
	CHECK(refused(parse("--dst-mac", "02:00:00:00:00:1", "a", "b", NULL), "is not"));
	CHECK(refused(parse("--dst-mac", "02-00-00-00-00-01", "a", "b", NULL), "is not"));
	CHECK(refused(parse("--dst-mac", "=02:00:00:00:00:01", "a", "b", NULL), "is not"));
	CHECK(refused(parse("--dst-mac", "a_name_of_16_chr=02:00:00:00:00:01", "a", "b", NULL),
		      "is not"));
	CHECK(refused(parse("--dst-mac", "g2:00:00:00:00:01", "a", "b", NULL), "is not"));
}

static void ops_options(void)
{
	CHECK(parse("-e", "--json", "--syslog", "--pidfile", "/run/x.pid", "a", "b", NULL) == 0);
	CHECK(opts.extended && opts.json && opts.syslog && opts.pidfile &&
	      strcmp(opts.pidfile, "/run/x.pid") == 0 && opts.action == RUN_FORWARD);
	CHECK(parse("--extended", "a", "b", NULL) == 0 && opts.extended && !opts.json);
	CHECK(parse("a", "b", NULL) == 0 && !opts.extended && !opts.json && !opts.syslog &&
	      !opts.pidfile);
	CHECK(refused(parse("--pidfile", NULL), "option --pidfile needs an argument"));
}

static void status(void)
{
	CHECK(parse("--status", "eth0", NULL) == 0 && opts.action == RUN_STATUS &&
	      opts.nnames == 1 && strcmp(opts.names[0], "eth0") == 0);
	CHECK(refused(parse("--status", NULL), "--status takes one interface, IN, got 0"));
	CHECK(refused(parse("--status", "a", "b", NULL), "got 2"));
}

void unit_options(void)
{
	unit_run("options: IN OUT", names);
	unit_run("options: -i seconds to ms, bad intervals", interval);
	unit_run("options: -S/-N/-q/-F", modes);
	unit_run("options: unknown option, missing argument", bad_options);
	unit_run("options: clusters, =ARG, prefixes, --", forms);
	unit_run("options: number of interface names", name_count);
	unit_run("options: --check, -h, -V", actions);
	unit_run("options: -X, --dst-mac [PORT=]MAC", egress);
	unit_run("options: several pairs, -b", pairs);
	unit_run("options: -e, --json, --syslog, --pidfile FILE", ops_options);
	unit_run("options: --status IN", status);
}
