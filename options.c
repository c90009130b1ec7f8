/* options.c - the command line, checked before anything touches the
 * kernel. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <linux/if_link.h>

#include "decimal.h"
#include "options.h"

/* The statistics period is whole seconds, one to a day. */
#define OPTIONS_INTERVAL_MAX_S 86400

/* The long options without a letter: getopt_long returns these. */
enum {
	OPT_CHECK = 256, OPT_DETACH, OPT_WAIT, OPT_OBJ, OPT_JSON, OPT_SYSLOG, OPT_PIDFILE,
	OPT_STATUS, OPT_DST_MAC, OPT_NO_GUARD,
};

/* "+": options end at the first word that is none (an interface name),
 * as in POSIX, rather than being gathered from the whole line. ":": a
 * missing argument is told from an unknown option, and nothing printed. */
static const char options_letters[] = "+:hVi:qSNFeXb";

/* A long name may be shortened to a prefix that is no other's (--bidir). */
static const struct option options_longs[] = {
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
	{ "no-guard", no_argument, NULL, OPT_NO_GUARD },
	{ NULL, 0, NULL, 0 },
};

/* A line per option: routers seldom carry man pages; the man page and
 * README say more. */
void options_usage(FILE *f)
{
	fputs("usage: xdp_redirect_map [options] IN OUT [IN OUT ...]\n"
	      "       xdp_redirect_map --status IN\n"
	      "       xdp_redirect_map --check [options] [IN OUT]\n"
	      "Sends every frame arriving on IN out of OUT at the XDP hook, MACs\n"
	      "swapped, and prints N pkt/s.\n"
	      "  -i, --interval SECONDS  statistics period (default 1)\n"
	      "  -q, --quiet             no statistics\n"
	      "  -e, --extended          also bit/s, err/s, xmit/s\n"
	      "      --json              a JSON object per interval\n"
	      "  -N, --native-mode       driver XDP or fail\n"
	      "  -S, --skb-mode          generic XDP\n"
	      "  -F, --force             replace another's program\n"
	      "  -b, --bidirectional     OUT to IN as well\n"
	      "  -X, --egress            source MAC = OUT's own\n"
	      "      --dst-mac [PORT=]MAC  next hop's MAC (implies -X)\n"
	      "      --no-guard          keep redirecting into a failing OUT\n"
	      "      --wait              wait for the interfaces\n"
	      "      --check             load, attach nothing\n"
	      "      --detach            remove what a killed run left\n"
	      "      --obj FILE          your own BPF object\n"
	      "      --pidfile FILE      the pid, once attached\n"
	      "      --syslog            events to syslog\n"
	      "      --status            what runs on IN, its counters\n"
	      "  -V, --version\n"
	      "  -h, --help\n"
	      "Exit: 0 done or stopped by a signal, 1 failure, 2 usage error.\n", f);
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
	const char *end;
	uint32_t s;

	if (decimal_u32(arg, &end, OPTIONS_INTERVAL_MAX_S, &s) || *end || s == 0)
		return -EINVAL;
	*ms = s * 1000;
	return 0;
}

int options_multi(const struct options *o)
{
	return o->bidir || o->nnames > 2;
}

/* What the ports take of the command line. */
void options_ports_config(const struct options *o, struct ports_config *pc)
{
	uint32_t i;

	_Static_assert(OPTIONS_PAIRS_MAX <= PORTS_PAIRS_MAX, "a pair the ports have no room for");
	_Static_assert(OPTIONS_DST_MACS_MAX <= PORTS_DST_MACS_MAX, "a --dst-mac without room");
	_Static_assert(OPTIONS_MAC_BYTES == ETH_ALEN, "a MAC is ETH_ALEN bytes");
	memset(pc, 0, sizeof(*pc));
	pc->names = o->names;
	pc->nnames = o->nnames;
	pc->bidir = o->bidir;
	pc->multi = options_multi(o);
	pc->mode_flags = o->mode_flags;
	pc->force = o->force;
	pc->wait = o->wait;
	for (i = 0; i < o->ndst_macs; i++) {
		pc->dst_macs[i].port = o->dst_macs[i].port;
		pc->dst_macs[i].mac = o->dst_macs[i].mac;
	}
	pc->ndst_macs = o->ndst_macs;
}

/* -q wins over --json, which wins over -e. */
enum stats_style options_stats_style(const struct options *o)
{
	if (o->quiet)
		return STATS_QUIET;
	if (o->json)
		return STATS_JSON;
	return o->extended ? STATS_EXTENDED : STATS_PLAIN;
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

/* An action or a flag; 0 when opt is neither. */
static int options_flag(int opt, struct options *o)
{
	switch (opt) {
	case 'h': o->action = RUN_HELP; break;
	case 'V': o->action = RUN_VERSION; break;
	case OPT_CHECK: o->action = RUN_CHECK; break;
	case OPT_DETACH: o->action = RUN_DETACH; break;
	case OPT_STATUS: o->action = RUN_STATUS; break;
	case 'q': o->quiet = 1; break;
	case 'F': o->force = 1; break;
	case OPT_WAIT: o->wait = 1; break;
	case 'e': o->extended = 1; break;
	case OPT_JSON: o->json = 1; break;
	case OPT_SYSLOG: o->syslog = 1; break;
	case 'X': o->egress = 1; break;
	case 'b': o->bidir = 1; break;
	case OPT_NO_GUARD: o->no_guard = 1; break;
	default: return 0;
	}
	return 1;
}

/* -S or -N, once. */
static int options_mode(uint32_t flags, struct options *o, char *err, size_t size)
{
	if (o->mode_flags)
		return options_fail(err, size, "-S and -N exclude each other");
	o->mode_flags = flags;
	return 0;
}

/* One option as getopt_long returned it, word the word it came from;
 * -EINVAL with err set for a bad one. */
static int options_one(int opt, const char *arg, const char *word, struct options *o,
		       char *err, size_t size)
{
	if (options_flag(opt, o))
		return 0;
	switch (opt) {
	case 'S': return options_mode(XDP_FLAGS_SKB_MODE, o, err, size);
	case 'N': return options_mode(XDP_FLAGS_DRV_MODE, o, err, size);
	case OPT_OBJ: o->obj_path = arg; return 0;
	case OPT_PIDFILE: o->pidfile = arg; return 0;
	case OPT_DST_MAC: return options_dst_mac(arg, o, err, size);
	case 'i':
		if (options_interval(arg, &o->interval_ms))
			return options_fail(err, size, "interval '%s' is not whole seconds from 1 to %d",
					    arg, OPTIONS_INTERVAL_MAX_S);
		return 0;
	case ':':
		return options_fail(err, size, "option %s needs an argument", word);
	default:
		/* Also "--quiet=1", an option without argument given one. */
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

static int options_names(int argc, char **argv, int first, struct options *o,
			 char *err, size_t size)
{
	uint32_t i, n = (uint32_t)(argc - first);
	int ret;

	if (n < 2 || n % 2 || n > 2 * OPTIONS_PAIRS_MAX)
		return options_fail(err, size, "expected pairs of interfaces, IN OUT [IN OUT ...] "
				    "(at most %d), got %u", OPTIONS_PAIRS_MAX, n);
	o->names = argv + first;
	o->nnames = n;
	for (i = 0; i < n / 2; i++)
		if ((ret = options_pair(o, i, err, size)) != 0)
			return ret;
	return 0;
}

static int options_status_name(int argc, char **argv, int first, struct options *o,
			       char *err, size_t size)
{
	if (argc - first != 1)
		return options_fail(err, size, "--status takes one interface, IN, got %d",
				    argc - first);
	o->names = argv + first;
	o->nnames = 1;
	return 0;
}

int options_parse(int argc, char **argv, struct options *o,
		  char *err, size_t size)
{
	int opt, word, ret;

	memset(o, 0, sizeof(*o));
	o->interval_ms = 1000;
	err[0] = '\0';
	/* 0: a fresh scan, for every call and not only the first. */
	optind = 0;
	for (;;) {
		/* The word getopt_long reads from: optind moves past it only
		 * once all of it is read (a cluster such as -qi). */
		word = optind ? optind : 1;
		opt = getopt_long(argc, argv, options_letters, options_longs, NULL);
		if (opt == -1)
			break;
		ret = options_one(opt, optarg, argv[word], o, err, size);
		if (ret)
			return ret;
	}
	if (o->action == RUN_HELP || o->action == RUN_VERSION)
		return 0;
	/* --check loads without attaching: interfaces are optional. */
	if (o->action == RUN_CHECK && optind == argc)
		return 0;
	if (o->action == RUN_STATUS)
		return options_status_name(argc, argv, optind, o, err, size);
	return options_names(argc, argv, optind, o, err, size);
}
