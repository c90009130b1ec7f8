/* options.c - the command line, checked before anything touches the
 * kernel. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "options.h"

/* The statistics period is whole seconds, one to a day. */
#define OPTIONS_INTERVAL_MAX_S 86400

enum { OPT_CHECK = 256, OPT_DETACH, OPT_WAIT, OPT_OBJ, OPT_JSON, OPT_SYSLOG, OPT_PIDFILE,
       OPT_STATUS, OPT_DST_MAC };

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "interval", required_argument, NULL, 'i' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "skb-mode", no_argument, NULL, 'S' },
	{ "native-mode", no_argument, NULL, 'N' },
	{ "force", no_argument, NULL, 'F' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "obj", required_argument, NULL, OPT_OBJ },
	{ "extended", no_argument, NULL, 'e' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "syslog", no_argument, NULL, OPT_SYSLOG },
	{ "pidfile", required_argument, NULL, OPT_PIDFILE },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "egress", no_argument, NULL, 'X' },
	{ "bidirectional", no_argument, NULL, 'b' },
	{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
	{ NULL, 0, NULL, 0 },
};

/* A synopsis: the man page and README say what each option does. */
void options_usage(FILE *f)
{
	fputs("usage: xdp_redirect_map [options] IN OUT [IN OUT ...]\n"
	      "       xdp_redirect_map --status IN\n"
	      "       xdp_redirect_map --check [IN OUT]\n"
	      "options: -i|--interval SECONDS -q|--quiet -e|--extended --json\n"
	      "  -N|--native-mode -S|--skb-mode -F|--force -b|--bidirectional\n"
	      "  -X|--egress --dst-mac [PORT=]MAC --wait --detach --obj FILE\n"
	      "  --pidfile FILE --syslog -V|--version -h|--help\n"
	      "See xdp_redirect_map(8).\n", f);
}

static int options_fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int options_interval(const char *arg, uint32_t *ms)
{
	unsigned long s;
	char *end;

	errno = 0;
	s = strtoul(arg, &end, 10);
	if (end == arg || *end || errno || arg[0] == '-' || s == 0 ||
	    s > OPTIONS_INTERVAL_MAX_S)
		return -EINVAL;
	*ms = (uint32_t)s * 1000;
	return 0;
}

int options_multi(const struct options *o)
{
	return o->bidir || o->nnames > 2;
}

static int options_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int options_mac(const char *s, uint8_t *mac)
{
	int i, hi, lo;

	for (i = 0; i < OPTIONS_MAC_BYTES; i++, s += 3) {
		hi = options_hex(s[0]);
		lo = hi < 0 ? -1 : options_hex(s[1]);
		if (lo < 0 || s[2] != (i == OPTIONS_MAC_BYTES - 1 ? '\0' : ':'))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* --dst-mac [PORT=]MAC; zero is refused, as egress_macs takes it for
 * "keep the swap's destination". */
static int options_dst_mac(const char *arg, struct options *o, char *err, size_t size)
{
	static const uint8_t zero[OPTIONS_MAC_BYTES];
	const char *eq = strrchr(arg, '=');
	struct dst_mac *d = &o->dst_macs[o->ndst_macs];
	size_t port_len = eq ? (size_t)(eq - arg) : 0;

	if (o->ndst_macs == OPTIONS_DST_MACS_MAX)
		return options_fail(err, size, "--dst-mac given more than %d times",
				    OPTIONS_DST_MACS_MAX);
	if (options_mac(eq ? eq + 1 : arg, d->mac) || memcmp(d->mac, zero, sizeof(zero)) == 0 ||
	    (eq && port_len == 0) || port_len >= sizeof(d->port))
		return options_fail(err, size, "--dst-mac '%s' is not [PORT=]MAC with a MAC "
				    "such as 02:00:00:00:00:01", arg);
	memcpy(d->port, arg, port_len);
	d->port[port_len] = '\0';
	o->ndst_macs++;
	o->egress = 1;
	return 0;
}

/* One option; -EINVAL with err set for a bad one. */
static int options_one(int c, const char *arg, const char *word,
		       struct options *o, char *err, size_t size)
{
	switch (c) {
	case 'h': o->action = RUN_HELP; return 0;
	case 'V': o->action = RUN_VERSION; return 0;
	case 'q': o->quiet = 1; return 0;
	case 'F': o->force = 1; return 0;
	case OPT_CHECK: o->action = RUN_CHECK; return 0;
	case OPT_DETACH: o->action = RUN_DETACH; return 0;
	case OPT_WAIT: o->wait = 1; return 0;
	case OPT_OBJ: o->obj_path = arg; return 0;
	case 'e': o->extended = 1; return 0;
	case OPT_JSON: o->json = 1; return 0;
	case OPT_SYSLOG: o->syslog = 1; return 0;
	case OPT_PIDFILE: o->pidfile = arg; return 0;
	case OPT_STATUS: o->action = RUN_STATUS; return 0;
	case 'X': o->egress = 1; return 0;
	case 'b': o->bidir = 1; return 0;
	case OPT_DST_MAC: return options_dst_mac(arg, o, err, size);
	case 'S':
	case 'N':
		if (o->mode_flags)
			return options_fail(err, size, "-S and -N exclude each other");
		o->mode_flags = c == 'S' ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
		return 0;
	case 'i':
		if (options_interval(arg, &o->interval_ms))
			return options_fail(err, size, "interval '%s' is not whole seconds from 1 to %d",
					    arg, OPTIONS_INTERVAL_MAX_S);
		return 0;
	case ':':
		return options_fail(err, size, "option %s needs an argument", word);
	default:
		return options_fail(err, size, "unknown option %s (see --help)", word);
	}
}

/* Whether name is in pair j; only IN counts unless both do (-b). */
static int options_in_pair(const struct options *o, uint32_t j, const char *name, int both)
{
	return strcmp(o->names[2 * j], name) == 0 ||
	       (both && strcmp(o->names[2 * j + 1], name) == 0);
}

/* Each IN forwards to one OUT; with -b each port is in one pair. */
static int options_pair(const struct options *o, uint32_t i, char *err, size_t size)
{
	const char *in = o->names[2 * i], *out = o->names[2 * i + 1];
	uint32_t j;

	if (strcmp(in, out) == 0)
		return options_fail(err, size, "%s: IN and OUT are the same interface", in);
	for (j = 0; j < i; j++) {
		if (options_in_pair(o, j, in, o->bidir))
			return options_fail(err, size, "%s: in two pairs, to two OUTs", in);
		if (o->bidir && options_in_pair(o, j, out, 1))
			return options_fail(err, size, "%s: in two pairs, to two OUTs", out);
	}
	return 0;
}

static int options_names(int argc, char **argv, struct options *o,
			 char *err, size_t size)
{
	uint32_t i, n = (uint32_t)(argc - optind);
	int ret;

	if (n < 2 || n % 2 || n > 2 * OPTIONS_PAIRS_MAX)
		return options_fail(err, size, "expected pairs of interfaces, IN OUT [IN OUT ...] "
				    "(at most %d), got %u", OPTIONS_PAIRS_MAX, n);
	o->names = argv + optind;
	o->nnames = n;
	for (i = 0; i < n / 2; i++)
		if ((ret = options_pair(o, i, err, size)) != 0)
			return ret;
	return 0;
}

static int options_status_name(int argc, char **argv, struct options *o,
			       char *err, size_t size)
{
	if (argc - optind != 1)
		return options_fail(err, size, "--status takes one interface, IN, got %d",
				    argc - optind);
	o->names = argv + optind;
	o->nnames = 1;
	return 0;
}

int options_parse(int argc, char **argv, struct options *o,
		  char *err, size_t size)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->interval_ms = 1000;
	err[0] = '\0';
	optind = 1;
	opterr = 0;
	/* '+': options end at the first interface name, as in POSIX. */
	while ((c = getopt_long(argc, argv, "+:hVi:qeSNFXb", long_opts, NULL)) != -1) {
		/* musl steps optind past argc when the last word lacks its
		 * argument; that word is then argv[argc - 1]. */
		ret = options_one(c, optarg, argv[optind <= argc ? optind - 1 : argc - 1],
				  o, err, size);
		if (ret)
			return ret;
	}
	if (o->action == RUN_HELP || o->action == RUN_VERSION)
		return 0;
	/* --check loads without attaching: interfaces are optional. */
	if (o->action == RUN_CHECK && optind == argc)
		return 0;
	if (o->action == RUN_STATUS)
		return options_status_name(argc, argv, o, err, size);
	return options_names(argc, argv, o, err, size);
}
