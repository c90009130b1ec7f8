/* options.c - the command line, checked before anything touches the
 * kernel. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "options.h"

/* The statistics period is whole seconds, one to a day. */
#define OPTIONS_INTERVAL_MAX_S 86400

/* What an option does: sets an int of struct options to a value (the
 * flags and the actions), or reads its argument. */
enum { OPT_SET, OPT_INTERVAL, OPT_SKB, OPT_DRV, OPT_OBJ, OPT_PIDFILE, OPT_DST_MAC };

/* Every option: --name, -letter (or none), and what it does. A long
 * name may be shortened to a prefix that is no other's (--bidir). */
static const struct options_spec {
	char name[14];
	char letter;
	uint8_t does;			/* OPT_* */
	uint8_t field;			/* OPT_SET: offsetof the int it sets */
	uint8_t value;
} options_specs[] = {
	{ "help", 'h', OPT_SET, offsetof(struct options, action), RUN_HELP },
	{ "version", 'V', OPT_SET, offsetof(struct options, action), RUN_VERSION },
	{ "interval", 'i', OPT_INTERVAL, 0, 0 },
	{ "quiet", 'q', OPT_SET, offsetof(struct options, quiet), 1 },
	{ "skb-mode", 'S', OPT_SKB, 0, 0 },
	{ "native-mode", 'N', OPT_DRV, 0, 0 },
	{ "force", 'F', OPT_SET, offsetof(struct options, force), 1 },
	{ "check", 0, OPT_SET, offsetof(struct options, action), RUN_CHECK },
	{ "detach", 0, OPT_SET, offsetof(struct options, action), RUN_DETACH },
	{ "wait", 0, OPT_SET, offsetof(struct options, wait), 1 },
	{ "obj", 0, OPT_OBJ, 0, 0 },
	{ "extended", 'e', OPT_SET, offsetof(struct options, extended), 1 },
	{ "json", 0, OPT_SET, offsetof(struct options, json), 1 },
	{ "syslog", 0, OPT_SET, offsetof(struct options, syslog), 1 },
	{ "pidfile", 0, OPT_PIDFILE, 0, 0 },
	{ "status", 0, OPT_SET, offsetof(struct options, action), RUN_STATUS },
	{ "egress", 'X', OPT_SET, offsetof(struct options, egress), 1 },
	{ "bidirectional", 'b', OPT_SET, offsetof(struct options, bidir), 1 },
	{ "dst-mac", 0, OPT_DST_MAC, 0, 0 },
};

#define OPTIONS_SPECS (sizeof(options_specs) / sizeof(options_specs[0]))

/* OPT_SET writes the action through an int. */
_Static_assert(sizeof(enum run_action) == sizeof(int), "enum run_action is an int");

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
	unsigned long s;
	char *end;

	/* strtoul skips blanks and takes a sign: digits only. */
	if (!isdigit((unsigned char)arg[0]))
		return -EINVAL;
	errno = 0;
	s = strtoul(arg, &end, 10);
	if (*end || errno || s == 0 || s > OPTIONS_INTERVAL_MAX_S)
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

/* Whether an option reads an argument. */
static int options_takes_arg(const struct options_spec *sp)
{
	return sp->does == OPT_INTERVAL || sp->does >= OPT_OBJ;
}

/* One option; -EINVAL with err set for a bad one. The flags and actions
 * are ints (enum run_action is one too). */
static int options_one(const struct options_spec *sp, const char *arg, struct options *o,
		       char *err, size_t size)
{
	switch (sp->does) {
	case OPT_SET: *(int *)((char *)o + sp->field) = sp->value; return 0;
	case OPT_OBJ: o->obj_path = arg; return 0;
	case OPT_PIDFILE: o->pidfile = arg; return 0;
	case OPT_DST_MAC: return options_dst_mac(arg, o, err, size);
	case OPT_INTERVAL:
		if (options_interval(arg, &o->interval_ms))
			return options_fail(err, size, "interval '%s' is not whole seconds from 1 to %d",
					    arg, OPTIONS_INTERVAL_MAX_S);
		return 0;
	default:
		if (o->mode_flags)
			return options_fail(err, size, "-S and -N exclude each other");
		o->mode_flags = sp->does == OPT_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
		return 0;
	}
}

/* The option of --name (n bytes): its whole name, or the prefix of one
 * only; NULL for none or several. */
static const struct options_spec *options_long(const char *name, size_t n)
{
	const struct options_spec *sp, *found = NULL;
	int matches = 0;

	for (sp = options_specs; sp < options_specs + OPTIONS_SPECS; sp++) {
		if (strncmp(sp->name, name, n) != 0)
			continue;
		if (sp->name[n] == '\0')
			return sp;
		found = sp;
		matches++;
	}
	return matches == 1 ? found : NULL;
}

static const struct options_spec *options_letter(char c)
{
	const struct options_spec *sp;

	for (sp = options_specs; sp < options_specs + OPTIONS_SPECS; sp++)
		if (sp->letter == c)
			return sp;
	return NULL;
}

/* The option at *rest in word argv[*i]: a long name (with "=ARG" or ARG in
 * the next word) or the letter of a cluster (ARG the rest of the word or
 * the next). *i ends on the last word read; NULL is returned in *rest
 * when the word is done. */
static int options_at(int argc, char **argv, int *i, const char **rest, struct options *o,
		      char *err, size_t size)
{
	const char *w = argv[*i], *p = *rest, *arg = NULL;
	const struct options_spec *sp;
	size_t n = 0;

	if (p == w + 2 && w[1] == '-') {
		while (p[n] && p[n] != '=')
			n++;
		sp = options_long(p, n);
		arg = p[n] ? p + n + 1 : NULL;
		*rest = NULL;
	} else {
		sp = options_letter(*p);
		arg = p[1] ? p + 1 : NULL;
		*rest = p[1] ? p + 1 : NULL;
	}
	/* "--name=ARG" for an option without one is as unknown as "-z". */
	if (!sp || (w[1] == '-' && arg && !options_takes_arg(sp)))
		return options_fail(err, size, "unknown option %s (see --help)", w);
	if (!options_takes_arg(sp))
		return options_one(sp, NULL, o, err, size);
	*rest = NULL;
	if (!arg && *i + 1 >= argc)
		return options_fail(err, size, "option %s needs an argument", w);
	return options_one(sp, arg ? arg : argv[++*i], o, err, size);
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

/* Options end at the first word that is none (an interface name), as
 * in POSIX, or after "--". */
int options_parse(int argc, char **argv, struct options *o,
		  char *err, size_t size)
{
	const char *rest;
	int i, ret;

	memset(o, 0, sizeof(*o));
	o->interval_ms = 1000;
	err[0] = '\0';
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		rest = argv[i] + 1 + (argv[i][1] == '-');
		while (rest)
			if ((ret = options_at(argc, argv, &i, &rest, o, err, size)) != 0)
				return ret;
	}
	if (o->action == RUN_HELP || o->action == RUN_VERSION)
		return 0;
	/* --check loads without attaching: interfaces are optional. */
	if (o->action == RUN_CHECK && i == argc)
		return 0;
	if (o->action == RUN_STATUS)
		return options_status_name(argc, argv, i, o, err, size);
	return options_names(argc, argv, i, o, err, size);
}
