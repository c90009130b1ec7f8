/* unit_netlink.c - the netlink builder and parsers on bytes alone: no
 * socket is opened. Expected messages are written out as structs filled
 * field by field in host byte order, which is the order netlink uses. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "unit.h"
#include "../netlink.h"
#include "../xdp_features.h"

#define TEST_BUF_BYTES 512
/* What the builders must leave alone past the end of a message. */
#define CANARY 0xee

/* Aligned for struct nlmsghdr, as nl_msg_init wants. */
union test_buf {
	struct nlmsghdr hdr;
	uint32_t align;
	unsigned char bytes[TEST_BUF_BYTES];
};

static void buf_fill(union test_buf *b)
{
	memset(b, CANARY, sizeof(*b));
}

static int canary_from(const union test_buf *b, size_t off)
{
	for (; off < sizeof(b->bytes); off++)
		if (b->bytes[off] != CANARY)
			return 0;
	return 1;
}

static int msg_is(const union test_buf *b, const void *want, size_t len)
{
	return b->hdr.nlmsg_len == len && memcmp(b->bytes, want, len) == 0 &&
	       canary_from(b, len);
}

static void hdr_fill(struct nlmsghdr *nh, uint32_t len, uint16_t type,
		     uint16_t flags)
{
	nh->nlmsg_len = len;
	nh->nlmsg_type = type;
	nh->nlmsg_flags = flags;
	nh->nlmsg_seq = 0;
	nh->nlmsg_pid = 0;
}

static void ifi_fill(struct ifinfomsg *ifi, int ifindex)
{
	memset(ifi, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
}

static void nla_fill(struct nlattr *a, uint16_t len, uint16_t type)
{
	a->nla_len = len;
	a->nla_type = type;
}

/* ---- builder: byte-exact messages ---- */

struct xdp_fd_only {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct nlattr xdp;
	struct nlattr fd_hdr;
	int32_t fd;
};

struct xdp_with_flags {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct nlattr xdp;
	struct nlattr fd_hdr;
	int32_t fd;
	struct nlattr flags_hdr;
	uint32_t flags;
};

struct xdp_replace {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct nlattr xdp;
	struct nlattr fd_hdr;
	int32_t fd;
	struct nlattr flags_hdr;
	uint32_t flags;
	struct nlattr expected_hdr;
	int32_t expected_fd;
};

_Static_assert(sizeof(struct xdp_fd_only) == 44, "no padding in the picture");
_Static_assert(sizeof(struct xdp_replace) == 60, "no padding in the picture");

static void xdp_head_fill(struct nlmsghdr *nh, struct ifinfomsg *ifi,
			  struct nlattr *xdp, uint32_t len, int ifindex)
{
	hdr_fill(nh, len, RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK);
	ifi_fill(ifi, ifindex);
	/* The nest spans everything after the ifinfomsg. */
	nla_fill(xdp, (uint16_t)(len - NLMSG_HDRLEN - sizeof(*ifi)),
		 IFLA_XDP | NLA_F_NESTED);
}

static void test_xdp_build_fd_only(void)
{
	struct xdp_fd_only want;
	union test_buf b;
	struct nl_msg m;

	xdp_head_fill(&want.nh, &want.ifi, &want.xdp, sizeof(want), 7);
	nla_fill(&want.fd_hdr, NLA_HDRLEN + sizeof(int32_t), IFLA_XDP_FD);
	want.fd = 5;

	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_xdp_set_build(&m, 7, 5, 9, 0) == 0);
	CHECK(msg_is(&b, &want, sizeof(want)));

	/* Detach: fd -1, and a message begun before is started over. */
	want.fd = -1;
	CHECK(nl_xdp_set_build(&m, 7, -1, -1, 0) == 0);
	CHECK(msg_is(&b, &want, sizeof(want)));
}

static void test_xdp_build_flags_without_replace(void)
{
	struct xdp_with_flags want;
	union test_buf b;
	struct nl_msg m;

	xdp_head_fill(&want.nh, &want.ifi, &want.xdp, sizeof(want), 3);
	nla_fill(&want.fd_hdr, NLA_HDRLEN + sizeof(int32_t), IFLA_XDP_FD);
	want.fd = 11;
	nla_fill(&want.flags_hdr, NLA_HDRLEN + sizeof(uint32_t), IFLA_XDP_FLAGS);
	want.flags = XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST;

	/* Without REPLACE the expected fd (12) must not be sent. */
	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_xdp_set_build(&m, 3, 11, 12, want.flags) == 0);
	CHECK(msg_is(&b, &want, sizeof(want)));
}

static void test_xdp_build_replace(void)
{
	struct xdp_replace want;
	union test_buf b;
	struct nl_msg m;

	xdp_head_fill(&want.nh, &want.ifi, &want.xdp, sizeof(want), 2);
	nla_fill(&want.fd_hdr, NLA_HDRLEN + sizeof(int32_t), IFLA_XDP_FD);
	want.fd = 20;
	nla_fill(&want.flags_hdr, NLA_HDRLEN + sizeof(uint32_t), IFLA_XDP_FLAGS);
	want.flags = XDP_FLAGS_SKB_MODE | XDP_FLAGS_REPLACE;
	nla_fill(&want.expected_hdr, NLA_HDRLEN + sizeof(int32_t),
		 IFLA_XDP_EXPECTED_FD);
	want.expected_fd = 19;

	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_xdp_set_build(&m, 2, 20, 19, want.flags) == 0);
	CHECK(msg_is(&b, &want, sizeof(want)));
}

/* Every buffer too short by even a byte is refused, never overrun. */
static void test_xdp_build_every_short_cap(void)
{
	size_t full = sizeof(struct xdp_replace), cap;
	union test_buf b;
	struct nl_msg m;

	for (cap = NLMSG_HDRLEN; cap < full; cap++) {
		buf_fill(&b);
		nl_msg_init(&m, &b, cap, 0, 0);
		CHECK(nl_xdp_set_build(&m, 2, 20, 19, XDP_FLAGS_REPLACE) ==
		      -EMSGSIZE);
		CHECK(b.hdr.nlmsg_len <= cap);
		CHECK(canary_from(&b, cap));
	}
	nl_msg_init(&m, &b, full, 0, 0);
	CHECK(nl_xdp_set_build(&m, 2, 20, 19, XDP_FLAGS_REPLACE) == 0);
	CHECK(b.hdr.nlmsg_len == full);
}

struct getlink_by_name {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct nlattr name_hdr;
	char name[4];		/* "lo", its NUL and one byte of pad */
	struct nlattr mask_hdr;
	uint32_t mask;
};

struct getlink_by_index {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	struct nlattr mask_hdr;
	uint32_t mask;
};

static void test_link_get_build(void)
{
	struct getlink_by_name by_name;
	struct getlink_by_index by_index;
	union test_buf b;
	struct nl_msg m;

	hdr_fill(&by_name.nh, sizeof(by_name), RTM_GETLINK, NLM_F_REQUEST);
	ifi_fill(&by_name.ifi, 0);
	/* nla_len counts "lo\0", not the pad byte after it. */
	nla_fill(&by_name.name_hdr, NLA_HDRLEN + 3, IFLA_IFNAME);
	memcpy(by_name.name, "lo\0\0", 4);
	nla_fill(&by_name.mask_hdr, NLA_HDRLEN + sizeof(uint32_t), IFLA_EXT_MASK);
	by_name.mask = RTEXT_FILTER_SKIP_STATS;

	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_link_get_build(&m, 0, "lo") == 0);
	CHECK(msg_is(&b, &by_name, sizeof(by_name)));

	hdr_fill(&by_index.nh, sizeof(by_index), RTM_GETLINK, NLM_F_REQUEST);
	ifi_fill(&by_index.ifi, 42);
	nla_fill(&by_index.mask_hdr, NLA_HDRLEN + sizeof(uint32_t), IFLA_EXT_MASK);
	by_index.mask = RTEXT_FILTER_SKIP_STATS;

	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_link_get_build(&m, 42, NULL) == 0);
	CHECK(msg_is(&b, &by_index, sizeof(by_index)));

	/* IFNAMSIZ bytes leave no room for the NUL. */
	CHECK(nl_link_get_build(&m, 0, "0123456789abcdef") == -EINVAL);
	CHECK(nl_link_get_build(&m, 0, "0123456789abcde") == 0);
}

/* Payloads of every length up to 8: nla_len without the pad, the pad
 * zeroed, the message grown by the aligned size. */
static void test_attr_padding(void)
{
	const unsigned char payload[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	union test_buf b;
	const unsigned char *at = b.bytes + NLMSG_HDRLEN;
	const struct nlattr *a = (const struct nlattr *)at;
	struct nl_msg m;
	size_t len, i;

	for (len = 0; len <= sizeof(payload); len++) {
		size_t aligned = NLA_ALIGN(NLA_HDRLEN + len);

		buf_fill(&b);
		nl_msg_init(&m, &b, sizeof(b), RTM_NEWLINK, 0);
		CHECK(nl_attr_put(&m, 9, payload, len) == 0);
		CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN + aligned);
		CHECK(a->nla_len == NLA_HDRLEN + len);
		CHECK(a->nla_type == 9);
		CHECK(memcmp(at + NLA_HDRLEN, payload, len) == 0);
		for (i = NLA_HDRLEN + len; i < aligned; i++)
			CHECK(at[i] == 0);
		CHECK(canary_from(&b, NLMSG_HDRLEN + aligned));
	}
}

static void test_msg_put_padding(void)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	union test_buf b;
	struct nl_msg m;

	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), RTM_GETNSID, NLM_F_REQUEST);
	CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN);
	CHECK(b.hdr.nlmsg_type == RTM_GETNSID);
	CHECK(b.hdr.nlmsg_flags == NLM_F_REQUEST);
	CHECK(b.hdr.nlmsg_seq == 0 && b.hdr.nlmsg_pid == 0);
	CHECK(nl_msg_put(&m, &g, sizeof(g)) == 0);
	CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN + 4);
	CHECK(b.bytes[NLMSG_HDRLEN] == AF_UNSPEC);
	CHECK(b.bytes[NLMSG_HDRLEN + 1] == 0 && b.bytes[NLMSG_HDRLEN + 2] == 0 &&
	      b.bytes[NLMSG_HDRLEN + 3] == 0);
	CHECK(canary_from(&b, NLMSG_HDRLEN + 4));
}

static void test_attr_emsgsize(void)
{
	union test_buf b;
	struct nl_msg m;

	buf_fill(&b);
	nl_msg_init(&m, &b, NLMSG_HDRLEN + 4, RTM_SETLINK, 0);
	CHECK(nl_attr_put_u32(&m, IFLA_MTU, 1500) == -EMSGSIZE);
	CHECK(nl_attr_put(&m, IFLA_IFNAME, "a", 1) == -EMSGSIZE);
	CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN);
	CHECK(canary_from(&b, NLMSG_HDRLEN));
	/* An empty attribute is a header alone, and that fits. */
	CHECK(nl_attr_put(&m, IFLA_IFNAME, NULL, 0) == 0);
	CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN + 4);
	CHECK(nl_attr_put(&m, IFLA_IFNAME, NULL, 0) == -EMSGSIZE);
	CHECK(canary_from(&b, NLMSG_HDRLEN + 4));

	/* The pad must fit too: 3 bytes need 8 of room, 7 are not enough. */
	buf_fill(&b);
	nl_msg_init(&m, &b, NLMSG_HDRLEN + 7, RTM_SETLINK, 0);
	CHECK(nl_attr_put(&m, IFLA_IFNAME, "ab", 3) == -EMSGSIZE);
	CHECK(canary_from(&b, NLMSG_HDRLEN + 7));

	/* Lengths that would wrap the size checks. */
	nl_msg_init(&m, &b, sizeof(b), RTM_SETLINK, 0);
	CHECK(nl_attr_put(&m, 1, b.bytes, (size_t)-1) == -EMSGSIZE);
	CHECK(nl_attr_put(&m, 1, b.bytes, (size_t)-1 - 2) == -EMSGSIZE);
	CHECK(nl_attr_put(&m, 1, b.bytes, UINT16_MAX) == -EMSGSIZE);
	CHECK(nl_msg_put(&m, b.bytes, (size_t)-1) == -EMSGSIZE);
	CHECK(nl_msg_put(&m, b.bytes, (size_t)-1 - 1) == -EMSGSIZE);
	CHECK(nl_msg_put(&m, b.bytes, sizeof(b) - NLMSG_HDRLEN + 1) == -EMSGSIZE);
	CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN);
}

static void test_nest_emsgsize(void)
{
	union test_buf b;
	struct nl_msg m;
	struct nlattr *nest;

	buf_fill(&b);
	nl_msg_init(&m, &b, NLMSG_HDRLEN + 3, RTM_SETLINK, 0);
	CHECK(nl_nest_start(&m, IFLA_XDP) == NULL);
	CHECK(b.hdr.nlmsg_len == NLMSG_HDRLEN);
	CHECK(canary_from(&b, NLMSG_HDRLEN));

	/* Room for the nest's header but not for what goes in it. */
	buf_fill(&b);
	nl_msg_init(&m, &b, NLMSG_HDRLEN + 4, RTM_SETLINK, 0);
	nest = nl_nest_start(&m, IFLA_XDP);
	CHECK(nest != NULL);
	if (!nest)
		return;
	CHECK(nest->nla_type == (IFLA_XDP | NLA_F_NESTED));
	CHECK(nl_attr_put_s32(&m, IFLA_XDP_FD, 3) == -EMSGSIZE);
	nl_nest_end(&m, nest);
	CHECK(nest->nla_len == NLA_HDRLEN);
	CHECK(canary_from(&b, NLMSG_HDRLEN + 4));
}

/* A nest's nla_len covers its attributes and their pads. */
static void test_nest_len(void)
{
	union test_buf b;
	struct nl_msg m;
	struct nlattr *outer, *inner;

	nl_msg_init(&m, &b, sizeof(b), RTM_NEWLINK, 0);
	outer = nl_nest_start(&m, IFLA_LINKINFO);
	CHECK(nl_attr_put(&m, IFLA_INFO_KIND, "veth", 5) == 0);
	inner = nl_nest_start(&m, IFLA_INFO_DATA);
	CHECK(nl_attr_put_u32(&m, 1, 7) == 0);
	nl_nest_end(&m, inner);
	nl_nest_end(&m, outer);
	CHECK(outer != NULL && inner != NULL);
	if (!outer || !inner)
		return;
	CHECK(inner->nla_len == NLA_HDRLEN + 8);
	CHECK(outer->nla_len == NLA_HDRLEN + 12 + NLA_HDRLEN + 8);
	CHECK(b.hdr.nlmsg_len == (uint32_t)NLMSG_HDRLEN + outer->nla_len);
}

/* ---- attribute parsing ---- */

/* Attributes written by hand, for the shapes the builder cannot make. */
union test_attrs {
	uint32_t align;
	unsigned char bytes[64];
};

static size_t raw_attr(union test_attrs *t, size_t off, uint16_t nla_len,
		       uint16_t type, const void *payload, size_t len)
{
	struct nlattr a = { .nla_len = nla_len, .nla_type = type };

	memcpy(t->bytes + off, &a, sizeof(a));
	if (len)
		memcpy(t->bytes + off + NLA_HDRLEN, payload, len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

static void test_parse_well_formed(void)
{
	static const uint16_t minlen[4] = { [1] = 4, [2] = 1 };
	const struct nlattr *tb[4];
	const uint32_t one = 1, two = 2, big = 0xdeadbeef;
	union test_attrs t;
	size_t len = 0;

	memset(&t, 0, sizeof(t));
	len = raw_attr(&t, len, NLA_HDRLEN + 4, 1, &one, 4);
	len = raw_attr(&t, len, NLA_HDRLEN + 4, 200, &big, 4);	/* above max */
	len = raw_attr(&t, len, NLA_HDRLEN + 4, 3 | NLA_F_NESTED, &big, 4);
	len = raw_attr(&t, len, NLA_HDRLEN + 4, 1 | NLA_F_NET_BYTEORDER, &two, 4);
	len = raw_attr(&t, len, NLA_HDRLEN + 3, 2, "ab", 3);	/* pad to 8 */

	memset(tb, 0x5a, sizeof(tb));	/* the parser must clear what it skips */
	CHECK(nl_attr_parse(t.bytes, len, tb, 3, minlen) == 0);
	CHECK(tb[0] == NULL);
	CHECK(tb[1] != NULL && nl_attr_u32(tb[1]) == 2);	/* the last wins */
	CHECK(tb[2] != NULL && nl_attr_len(tb[2]) == 3);
	CHECK(tb[2] && strcmp(nl_attr_data(tb[2]), "ab") == 0);
	CHECK(tb[3] != NULL && nl_attr_u32(tb[3]) == big);

	/* The last attribute's pad may be missing from len. */
	CHECK(nl_attr_parse(t.bytes, len - 1, tb, 3, minlen) == 0);
	CHECK(tb[2] != NULL);

	CHECK(nl_attr_parse(t.bytes, 0, tb, 3, minlen) == 0);
	CHECK(tb[0] == NULL && tb[1] == NULL && tb[2] == NULL && tb[3] == NULL);
}

static void test_parse_malformed(void)
{
	static const uint16_t minlen[3] = { [1] = 4 };
	const struct nlattr *tb[3];
	const uint32_t v = 7;
	union test_attrs t;
	size_t len;

	/* nla_len runs past the bytes given. */
	memset(&t, 0, sizeof(t));
	len = raw_attr(&t, 0, NLA_HDRLEN + 4, 1, &v, 4);
	CHECK(nl_attr_parse(t.bytes, len - 1, tb, 2, minlen) == -EINVAL);
	CHECK(nl_attr_parse(t.bytes, 3, tb, 2, minlen) == -EINVAL);

	/* nla_len below the header: 0 would loop forever if let through. */
	raw_attr(&t, 0, 0, 1, NULL, 0);
	CHECK(nl_attr_parse(t.bytes, 8, tb, 2, minlen) == -EINVAL);
	raw_attr(&t, 0, 3, 1, NULL, 0);
	CHECK(nl_attr_parse(t.bytes, 8, tb, 2, minlen) == -EINVAL);

	/* A good attribute, then a stub shorter than a header. */
	len = raw_attr(&t, 0, NLA_HDRLEN + 4, 1, &v, 4);
	CHECK(nl_attr_parse(t.bytes, len + 2, tb, 2, minlen) == -EINVAL);

	/* Payload under its minimum, for a known type only. */
	len = raw_attr(&t, 0, NLA_HDRLEN + 2, 1, &v, 2);
	CHECK(nl_attr_parse(t.bytes, len, tb, 2, minlen) == -EINVAL);
	CHECK(nl_attr_parse(t.bytes, len, tb, 2, NULL) == 0);
	CHECK(tb[1] != NULL && nl_attr_len(tb[1]) == 2);
	len = raw_attr(&t, 0, NLA_HDRLEN + 2, 2, &v, 2);
	CHECK(nl_attr_parse(t.bytes, len, tb, 2, minlen) == 0);
}

/* ---- link messages ---- */

struct link_spec {
	const char *name;
	size_t name_bytes;	/* as put, NUL included or not */
	const char *kind;
	int with_netnsid;
	uint8_t xdp_attached_bytes;
};

/* An RTM_NEWLINK as the kernel sends it for a veth with XDP attached. */
static void link_build(union test_buf *b, const struct link_spec *s)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct ifinfomsg ifi;
	struct nl_msg m;
	struct nlattr *nest, *data;
	uint8_t attached = XDP_ATTACHED_DRV;

	ifi_fill(&ifi, 4);
	ifi.ifi_flags = 0x1003;
	nl_msg_init(&m, b, sizeof(*b), RTM_NEWLINK, 0);
	nl_msg_put(&m, &ifi, sizeof(ifi));
	nl_attr_put(&m, IFLA_IFNAME, s->name, s->name_bytes);
	nl_attr_put_u32(&m, IFLA_MTU, 1500);
	nl_attr_put(&m, IFLA_ADDRESS, mac, sizeof(mac));
	nl_attr_put_u32(&m, IFLA_LINK, 5);
	nl_attr_put_u32(&m, 0x7ff0, 1);		/* newer than our headers */
	if (s->with_netnsid)
		nl_attr_put_s32(&m, IFLA_LINK_NETNSID, 3);
	nest = nl_nest_start(&m, IFLA_LINKINFO);
	nl_attr_put(&m, IFLA_INFO_KIND, s->kind, strlen(s->kind) + 1);
	data = nl_nest_start(&m, IFLA_INFO_DATA);
	nl_attr_put_u32(&m, 1, 0);
	nl_nest_end(&m, data);
	nl_nest_end(&m, nest);
	nest = nl_nest_start(&m, IFLA_XDP);
	nl_attr_put(&m, IFLA_XDP_ATTACHED, &attached, s->xdp_attached_bytes);
	nl_attr_put_u32(&m, IFLA_XDP_PROG_ID, 42);
	nl_attr_put_u32(&m, IFLA_XDP_DRV_PROG_ID, 42);
	nl_nest_end(&m, nest);
}

static void test_link_parse_veth(void)
{
	const struct link_spec s = { "veth0", 6, "veth", 0, 1 };
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct nl_link link;
	union test_buf b;

	link_build(&b, &s);
	CHECK(nl_link_parse(&b.hdr, &link) == 0);
	CHECK(link.ifindex == 4);
	CHECK(link.flags == 0x1003);
	CHECK(strcmp(link.name, "veth0") == 0);
	CHECK(strcmp(link.kind, "veth") == 0);
	CHECK(link.mtu_bytes == 1500);
	CHECK(link.addr_len == 6 && memcmp(link.addr, mac, 6) == 0);
	CHECK(link.link == 5);
	CHECK(link.link_netnsid == -1);
	CHECK(link.xdp_attached == XDP_ATTACHED_DRV);
	CHECK(link.xdp_prog_id == 42);
	CHECK(link.xdp_drv_prog_id == 42);
	CHECK(link.xdp_skb_prog_id == 0);

	b.hdr.nlmsg_type = RTM_DELLINK;
	CHECK(nl_link_parse(&b.hdr, &link) == 0);
	CHECK(link.ifindex == 4);
	b.hdr.nlmsg_type = RTM_NEWADDR;
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);
}

static void test_link_parse_netnsid(void)
{
	const struct link_spec s = { "veth0", 6, "veth", 1, 1 };
	struct nl_link link;
	union test_buf b;

	link_build(&b, &s);
	CHECK(nl_link_parse(&b.hdr, &link) == 0);
	CHECK(link.link_netnsid == 3);
}

static void test_link_parse_bad_name(void)
{
	const struct link_spec unterminated = { "veth0", 5, "veth", 0, 1 };
	const struct link_spec too_long = { "0123456789abcdef", 17, "veth", 0, 1 };
	const struct link_spec longest = { "0123456789abcde", 16, "veth", 0, 1 };
	struct nl_link link;
	union test_buf b;

	link_build(&b, &unterminated);
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);
	link_build(&b, &too_long);
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);
	link_build(&b, &longest);
	CHECK(nl_link_parse(&b.hdr, &link) == 0);
	CHECK(strcmp(link.name, "0123456789abcde") == 0);
}

static void test_link_parse_short_values(void)
{
	const struct link_spec no_attached = { "veth0", 6, "veth", 0, 0 };
	const struct link_spec long_kind = { "x", 2, "0123456789abcdefgh", 0, 1 };
	struct nl_link link;
	union test_buf b;

	/* IFLA_XDP_ATTACHED with no byte in it. */
	link_build(&b, &no_attached);
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);

	/* A kind longer than link.kind is cut to its size. */
	link_build(&b, &long_kind);
	CHECK(nl_link_parse(&b.hdr, &link) == 0);
	CHECK(strcmp(link.kind, "0123456789abcde") == 0);
}

static void test_link_parse_long_address(void)
{
	unsigned char addr[20];
	struct ifinfomsg ifi;
	struct nl_link link;
	union test_buf b;
	struct nl_msg m;
	size_t i;

	for (i = 0; i < sizeof(addr); i++)
		addr[i] = (unsigned char)i;
	ifi_fill(&ifi, 9);
	nl_msg_init(&m, &b, sizeof(b), RTM_NEWLINK, 0);
	nl_msg_put(&m, &ifi, sizeof(ifi));
	nl_attr_put(&m, IFLA_ADDRESS, addr, sizeof(addr));
	CHECK(nl_link_parse(&b.hdr, &link) == 0);
	CHECK(link.addr_len == sizeof(link.addr));
	CHECK(memcmp(link.addr, addr, sizeof(link.addr)) == 0);
	CHECK(link.name[0] == '\0' && link.kind[0] == '\0');

	/* An IFLA_MTU of two bytes. */
	nl_attr_put(&m, IFLA_MTU, addr, 2);
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);
}

static void test_link_parse_truncated(void)
{
	struct ifinfomsg ifi;
	struct nl_link link;
	union test_buf b;
	struct nl_msg m;

	ifi_fill(&ifi, 9);
	nl_msg_init(&m, &b, sizeof(b), RTM_NEWLINK, 0);
	nl_msg_put(&m, &ifi, sizeof(ifi));
	CHECK(nl_link_parse(&b.hdr, &link) == 0);	/* no attribute at all */
	CHECK(link.ifindex == 9 && link.link_netnsid == -1);

	b.hdr.nlmsg_len = NLMSG_HDRLEN + sizeof(ifi) - 1;
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);
	b.hdr.nlmsg_len = NLMSG_HDRLEN;
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);

	/* The last attribute cut short by nlmsg_len. */
	nl_msg_init(&m, &b, sizeof(b), RTM_NEWLINK, 0);
	nl_msg_put(&m, &ifi, sizeof(ifi));
	nl_attr_put_u32(&m, IFLA_MTU, 1500);
	b.hdr.nlmsg_len -= 2;
	CHECK(nl_link_parse(&b.hdr, &link) == -EINVAL);
}

/* ---- reading the kernel's answers (nl_talk_read) ----
 * Replies laid out as the kernel sends them to port TALK_PORT for a
 * request with sequence TALK_SEQ, fed a datagram at a time. */

#define TALK_PORT 4242
#define TALK_SEQ 77
#define TALK_EXTACK_BYTES 64

/* One exchange: the reader's state, what its callback saw, and the
 * datagram being written. File-scope: every case starts it over. */
static struct {
	struct nl_talk t;
	int calls;		/* of the callback */
	uint16_t types[4];	/* of the first messages it got */
	int fail_with;		/* what it returns */
	union test_buf b;
	size_t len;		/* bytes of the datagram so far */
	char extack[TALK_EXTACK_BYTES];
} tc;

static int talk_cb(const struct nlmsghdr *msg, void *arg)
{
	(void)arg;
	if (tc.calls < 4)
		tc.types[tc.calls] = msg->nlmsg_type;
	tc.calls++;
	return tc.fail_with;
}

/* A new exchange whose extack text, if any, goes to tc.extack's first
 * EXTACK_LEN bytes; the datagram emptied. */
static void talk_start(size_t extack_len)
{
	memset(&tc, 0, sizeof(tc));
	memset(tc.extack, 'x', sizeof(tc.extack));
	tc.t.port_id = TALK_PORT;
	tc.t.seq = TALK_SEQ;
	tc.t.cb = talk_cb;
	tc.t.extack = extack_len ? tc.extack : NULL;
	tc.t.extack_len = extack_len;
	if (extack_len)
		tc.extack[0] = '\0';
}

/* The datagram fed whole to the exchange: what nl_talk would return, or 1
 * when the reader refused it or it did not end the exchange. */
static int talk_feed(void)
{
	if (nl_talk_read(&tc.t, &tc.b.hdr, tc.len) != 0 || !tc.t.done)
		return 1;
	return nl_talk_result(&tc.t);
}

/* Starts a message at the datagram's end; its length grows with what is
 * put after it. */
static struct nlmsghdr *reply_msg(uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(tc.b.bytes + tc.len);

	hdr_fill(nh, NLMSG_HDRLEN, type, flags);
	nh->nlmsg_seq = seq;
	nh->nlmsg_pid = TALK_PORT;
	tc.len += NLMSG_HDRLEN;
	return nh;
}

static void reply_put(struct nlmsghdr *nh, const void *data, size_t len)
{
	memcpy(tc.b.bytes + tc.len, data, len);
	memset(tc.b.bytes + tc.len + len, 0, NLMSG_ALIGN(len) - len);
	nh->nlmsg_len += (uint32_t)NLMSG_ALIGN(len);
	tc.len += NLMSG_ALIGN(len);
}

/* An attribute: header and payload, padded. */
static void reply_attr(struct nlmsghdr *nh, uint16_t type, const void *data, size_t len)
{
	struct nlattr a;

	nla_fill(&a, (uint16_t)(NLA_HDRLEN + len), type);
	reply_put(nh, &a, sizeof(a));
	reply_put(nh, data, len);
}

/* NLMSG_ERROR for our request of REQ_LEN bytes: its header in the
 * nlmsgerr; the rest of it (zeros) echoed unless flags has NLM_F_CAPPED. */
static struct nlmsghdr *reply_err(int error, uint16_t flags, uint32_t req_len)
{
	struct nlmsghdr *nh = reply_msg(NLMSG_ERROR, flags, TALK_SEQ);
	static const unsigned char echo[TEST_BUF_BYTES / 4];
	struct nlmsgerr e;

	memset(&e, 0, sizeof(e));
	e.error = error;
	hdr_fill(&e.msg, req_len, RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK);
	e.msg.nlmsg_seq = TALK_SEQ;
	e.msg.nlmsg_pid = TALK_PORT;
	reply_put(nh, &e, sizeof(e));
	if (!(flags & NLM_F_CAPPED) && req_len > NLMSG_HDRLEN)
		reply_put(nh, echo, req_len - NLMSG_HDRLEN);
	return nh;
}

/* A link of a dump: RTM_NEWLINK, NLM_F_MULTI and FLAGS. */
static void reply_link(uint16_t flags)
{
	struct nlmsghdr *nh = reply_msg(RTM_NEWLINK, NLM_F_MULTI | flags, TALK_SEQ);
	struct ifinfomsg ifi;

	ifi_fill(&ifi, 1);
	reply_put(nh, &ifi, sizeof(ifi));
}

/* A dump's end, carrying ERROR. */
static struct nlmsghdr *reply_done(int error, uint16_t flags)
{
	struct nlmsghdr *nh = reply_msg(NLMSG_DONE, NLM_F_MULTI | flags, TALK_SEQ);

	reply_put(nh, &error, sizeof(error));
	return nh;
}

/* A plain ack, the request echoed whole: 0, no text, no callback. */
static void test_talk_ack(void)
{
	talk_start(TALK_EXTACK_BYTES);
	reply_err(0, 0, 44);
	CHECK(talk_feed() == 0);
	CHECK(tc.extack[0] == '\0' && tc.calls == 0);
}

/* A refusal with its text after a capped echo, as the kernel sends it
 * with NETLINK_EXT_ACK; the text is cut to the caller's buffer. */
static void test_talk_error_extack(void)
{
	static const char msg[] = "Device busy: program already attached";

	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_err(-EBUSY, NLM_F_CAPPED | NLM_F_ACK_TLVS, 44),
		   NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	CHECK(talk_feed() == -EBUSY && strcmp(tc.extack, msg) == 0);

	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_err(-EBUSY, NLM_F_CAPPED | NLM_F_ACK_TLVS, 44),
		   NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	tc.t.extack_len = 8;
	CHECK(talk_feed() == -EBUSY && strcmp(tc.extack, "Device ") == 0);

	/* A text exactly as long as the buffer: cut by one for its NUL,
	 * nothing written past the buffer. */
	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_err(-EBUSY, NLM_F_CAPPED | NLM_F_ACK_TLVS, 44),
		   NLMSGERR_ATTR_MSG, "Refused", sizeof("Refused"));
	tc.t.extack_len = strlen("Refused");
	memset(tc.extack, 'x', sizeof(tc.extack));
	CHECK(talk_feed() == -EBUSY);
	CHECK(strcmp(tc.extack, "Refuse") == 0 && tc.extack[tc.t.extack_len] == 'x');

	/* Without NLM_F_ACK_TLVS what follows is not read as TLVs. */
	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_err(-EBUSY, NLM_F_CAPPED, 44), NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	CHECK(talk_feed() == -EBUSY && tc.extack[0] == '\0');

	/* A text with no NUL inside its attribute is not copied. */
	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_err(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 44),
		   NLMSGERR_ATTR_MSG, "abcd", 4);
	CHECK(talk_feed() == -EINVAL && tc.extack[0] == '\0');
}

/* Not capped: the whole request comes back before the TLVs, and bytes of
 * the echo that look like an extack attribute are not taken for one. */
static void test_talk_echoed_request(void)
{
	static const char msg[] = "the real one";
	/* NLMSGERR_ATTR_MSG "fake" as an echo's first bytes would read. */
	static const unsigned char fake[] = { 9, 0, NLMSGERR_ATTR_MSG, 0, 'f', 'a', 'k', 'e', 0 };
	struct nlmsgerr e = { .error = -ENODEV };
	struct nlmsghdr *nh;

	talk_start(TALK_EXTACK_BYTES);
	nh = reply_msg(NLMSG_ERROR, NLM_F_ACK_TLVS, TALK_SEQ);
	hdr_fill(&e.msg, NLMSG_HDRLEN + 16 + 12, RTM_SETLINK, NLM_F_REQUEST);
	reply_put(nh, &e, sizeof(e));
	reply_put(nh, fake, sizeof(fake));		/* 12 bytes padded */
	reply_put(nh, "0123456789abcdef", 16);		/* 28 echoed in all */
	reply_attr(nh, NLMSGERR_ATTR_MSG, msg, sizeof(msg));
	CHECK(talk_feed() == -ENODEV && strcmp(tc.extack, msg) == 0);
}

/* NLM_F_CAPPED: the TLVs follow the nlmsgerr at once, whatever length
 * the request's header in it claims. */
static void test_talk_capped(void)
{
	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_err(-EOPNOTSUPP, NLM_F_CAPPED | NLM_F_ACK_TLVS, 16 + 16 + 8),
		   NLMSGERR_ATTR_MSG, "capped", sizeof("capped"));
	CHECK(talk_feed() == -EOPNOTSUPP && strcmp(tc.extack, "capped") == 0);
}

/* Cut messages: an nlmsgerr that is not all there, a message longer than
 * its datagram, an echo that claims more than the message holds, and a
 * positive error, none of which may be believed. */
static void test_talk_truncated(void)
{
	struct nlmsghdr *nh;

	talk_start(TALK_EXTACK_BYTES);
	nh = reply_err(-EPERM, NLM_F_CAPPED, 44);
	nh->nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr)) - 1;
	tc.len = nh->nlmsg_len;
	CHECK(talk_feed() == -EBADMSG);

	talk_start(TALK_EXTACK_BYTES);
	reply_err(0, 0, 44);
	CHECK(nl_talk_read(&tc.t, &tc.b.hdr, tc.len - 4) == -EBADMSG);
	CHECK(nl_talk_read(&tc.t, &tc.b.hdr, NLMSG_HDRLEN - 1) == -EBADMSG);
	CHECK(!tc.t.done);

	talk_start(TALK_EXTACK_BYTES);
	nh = reply_err(-EPERM, NLM_F_ACK_TLVS, NLMSG_HDRLEN);
	((struct nlmsgerr *)NLMSG_DATA(nh))->msg.nlmsg_len = 4000;
	reply_attr(nh, NLMSGERR_ATTR_MSG, "no", 3);
	CHECK(talk_feed() == -EPERM && tc.extack[0] == '\0');

	talk_start(TALK_EXTACK_BYTES);
	reply_err(5, NLM_F_CAPPED, 44);
	CHECK(talk_feed() == -EPROTO);
}

/* A dump in two datagrams: every part to cb, then NLMSG_DONE ends it and
 * nothing after it is read. */
static void test_talk_multipart(void)
{
	talk_start(0);
	reply_link(0);
	reply_link(0);
	CHECK(nl_talk_read(&tc.t, &tc.b.hdr, tc.len) == 0);
	CHECK(!tc.t.done && tc.calls == 2);

	tc.len = 0;
	reply_link(0);
	reply_done(0, 0);
	reply_link(0);
	CHECK(talk_feed() == 0);
	CHECK(tc.calls == 3 && tc.types[0] == RTM_NEWLINK && tc.types[2] == RTM_NEWLINK);
}

/* A dump's end that carries an error and its text; a dump flagged
 * interrupted; a callback's failure, returned after the end, and cb not
 * called again once it failed. */
static void test_talk_dump_errors(void)
{
	talk_start(TALK_EXTACK_BYTES);
	reply_attr(reply_done(-EMSGSIZE, NLM_F_ACK_TLVS), NLMSGERR_ATTR_MSG,
		   "dump too big", sizeof("dump too big"));
	CHECK(talk_feed() == -EMSGSIZE && strcmp(tc.extack, "dump too big") == 0);

	talk_start(0);
	reply_link(NLM_F_DUMP_INTR);
	reply_done(0, 0);
	CHECK(talk_feed() == -EINTR);

	talk_start(0);
	reply_link(0);
	reply_link(0);
	reply_done(0, 0);
	tc.fail_with = -ENOMEM;
	CHECK(talk_feed() == -ENOMEM && tc.calls == 1);
}

/* An answer to an earlier request on the socket (another seq), or one
 * for another port, is passed over; ours after them is read. */
static void test_talk_stale_sequence(void)
{
	talk_start(0);
	reply_err(-EBUSY, NLM_F_CAPPED, 44)->nlmsg_seq = TALK_SEQ - 1;
	reply_err(-EBUSY, NLM_F_CAPPED, 44)->nlmsg_pid = TALK_PORT + 1;
	reply_msg(RTM_NEWLINK, 0, TALK_SEQ - 1);
	CHECK(nl_talk_read(&tc.t, &tc.b.hdr, tc.len) == 0);
	CHECK(!tc.t.done && tc.calls == 0);

	tc.len = 0;
	reply_err(0, NLM_F_CAPPED, 44);
	CHECK(talk_feed() == 0);
}

/* ---- generic netlink ----
 * Replies as the kernel (6.18) sent them, transcribed field by field so
 * that they read the same on a big-endian target. */

#define NETDEV_ID 20	/* the id the recorded kernel gave "netdev" */

struct genl_family_req {
	struct nlmsghdr nh;
	struct genlmsghdr g;
	struct nlattr name_hdr;
	char name[8];		/* "netdev", NUL, one byte of pad */
};

_Static_assert(sizeof(struct genl_family_req) == 32, "no padding in the picture");

/* A request's headers, the rest of it zeroed. */
static void genl_req_fill(void *want, uint32_t len, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g = (struct genlmsghdr *)((char *)want + NLMSG_HDRLEN);

	memset(want, 0, len);
	hdr_fill(want, len, type, NLM_F_REQUEST);
	g->cmd = cmd;
	g->version = version;
}

static void test_genl_family_build(void)
{
	struct genl_family_req want;
	union test_buf b;
	struct nl_msg m;

	const struct nl_genl_ask ask = {
		GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2, CTRL_ATTR_FAMILY_NAME, "netdev", 7,
	};

	genl_req_fill(&want, sizeof(want), GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2);
	nla_fill(&want.name_hdr, NLA_HDRLEN + 7, CTRL_ATTR_FAMILY_NAME);
	memcpy(want.name, "netdev", 7);
	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_genl_build(&m, &ask) == 0);
	CHECK(msg_is(&b, &want, sizeof(want)));
}

static void genl_start(struct nl_msg *m, union test_buf *b, uint16_t type, uint8_t cmd,
		       uint8_t version)
{
	struct genlmsghdr g = { .cmd = cmd, .version = version };

	nl_msg_init(m, b, sizeof(*b), type, 0);
	m->hdr->nlmsg_seq = 1;
	nl_msg_put(m, &g, sizeof(g));
}

/* CTRL_ATTR_OPS: each op's id and flags, as recorded. */
static void genl_ops(struct nl_msg *m)
{
	static const uint32_t ops[8][2] = {
		{ 1, 0xe }, { 5, 0xe }, { 10, 0xe }, { 11, 0xe },
		{ 12, 0xc }, { 13, 0xb }, { 14, 0xb }, { 15, 0xa },
	};
	struct nlattr *all = nl_nest_start(m, CTRL_ATTR_OPS), *op;
	uint16_t i;

	for (i = 0; i < 8; i++) {
		op = nl_nest_start(m, i + 1);
		nl_attr_put_u32(m, CTRL_ATTR_OP_ID, ops[i][0]);
		nl_attr_put_u32(m, CTRL_ATTR_OP_FLAGS, ops[i][1]);
		nl_nest_end(m, op);
	}
	nl_nest_end(m, all);
}

static void genl_group(struct nl_msg *m, uint16_t i, uint32_t id, const char *name)
{
	struct nlattr *grp = nl_nest_start(m, i);

	nl_attr_put_u32(m, CTRL_ATTR_MCAST_GRP_ID, id);
	nl_attr_put(m, CTRL_ATTR_MCAST_GRP_NAME, name, strlen(name) + 1);
	nl_nest_end(m, grp);
}

/* The controller's answer for "netdev": 284 bytes. */
static void genl_family_reply(union test_buf *b)
{
	const uint16_t id = NETDEV_ID;
	struct nlattr *groups;
	struct nl_msg m;

	genl_start(&m, b, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 2);
	nl_attr_put(&m, CTRL_ATTR_FAMILY_NAME, "netdev", 7);
	nl_attr_put(&m, CTRL_ATTR_FAMILY_ID, &id, sizeof(id));
	nl_attr_put_u32(&m, CTRL_ATTR_VERSION, 1);
	nl_attr_put_u32(&m, CTRL_ATTR_HDRSIZE, 0);
	nl_attr_put_u32(&m, CTRL_ATTR_MAXATTR, 0);
	genl_ops(&m);
	groups = nl_nest_start(&m, CTRL_ATTR_MCAST_GROUPS);
	genl_group(&m, 1, 4, "mgmt");
	genl_group(&m, 2, 5, "page-pool");
	nl_nest_end(&m, groups);
}

/* NETDEV_CMD_DEV_GET's answer for a fresh veth (its peer has neither XDP
 * nor GRO): BASIC, REDIRECT and RX_SG, no NDO_XMIT; 64 bytes. */
static void netdev_dev_reply(union test_buf *b, uint32_t features_bytes)
{
	const uint64_t features = 0x23, rx_meta = 7, xsk = 0;
	struct nl_msg m;

	genl_start(&m, b, NETDEV_ID, NETDEV_CMD_DEV_GET, 1);
	nl_attr_put_u32(&m, NETDEV_A_DEV_IFINDEX, 6);
	nl_attr_put(&m, NETDEV_A_DEV_XDP_FEATURES, &features, features_bytes);
	nl_attr_put(&m, 5, &rx_meta, sizeof(rx_meta));	/* RX_METADATA_FEATURES */
	nl_attr_put(&m, 6, &xsk, sizeof(xsk));		/* XSK_FEATURES */
}

/* What nl_genl_family takes of the controller's answer: the id. */
static int family_id(const struct nlmsghdr *msg, uint16_t *id)
{
	struct nl_genl_one one = {
		GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_ATTR_FAMILY_ID, id, sizeof(*id), 0,
	};
	int ret = nl_genl_one_parse(msg, &one);

	return ret == 0 && !one.found ? -1 : ret;
}

/* What xf_dev_get takes of NETDEV_CMD_DEV_GET's: xdp-features. */
static int dev_features(const struct nlmsghdr *msg, uint64_t *f)
{
	struct nl_genl_one one = {
		NETDEV_ID, NETDEV_CMD_DEV_GET, NETDEV_A_DEV_XDP_FEATURES, f, sizeof(*f), 0,
	};
	int ret = nl_genl_one_parse(msg, &one);

	return ret == 0 && !one.found ? -1 : ret;
}

static void test_genl_family_reply(void)
{
	union test_buf b;
	uint16_t id = 0;
	struct nl_genl_one one = { GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, NL_GENL_ONE_TYPES, &id, 2, 0 };

	genl_family_reply(&b);
	CHECK(b.hdr.nlmsg_len == 284);
	CHECK(family_id(&b.hdr, &id) == 0 && id == NETDEV_ID);
	/* An attribute type past what the parse can hold is refused. */
	CHECK(nl_genl_one_parse(&b.hdr, &one) == -EINVAL && !one.found);

	/* Not the controller's, not NEWFAMILY, no id, an id cut short. */
	genl_family_reply(&b);
	b.hdr.nlmsg_type = NETDEV_ID;
	CHECK(family_id(&b.hdr, &id) == -EINVAL);
	genl_family_reply(&b);
	((struct genlmsghdr *)NLMSG_DATA(&b.hdr))->cmd = CTRL_CMD_GETFAMILY;
	CHECK(family_id(&b.hdr, &id) == -EINVAL);
	genl_family_reply(&b);
	b.hdr.nlmsg_len = NLMSG_SPACE(GENL_HDRLEN) + 12;	/* the name only */
	CHECK(family_id(&b.hdr, &id) == -EINVAL);
	b.hdr.nlmsg_len = NLMSG_SPACE(GENL_HDRLEN) + 12 + NLA_HDRLEN + 1;
	((struct nlattr *)(b.bytes + NLMSG_SPACE(GENL_HDRLEN) + 12))->nla_len = NLA_HDRLEN + 1;
	CHECK(family_id(&b.hdr, &id) == -EINVAL);
}

static void test_netdev_dev_reply(void)
{
	union test_buf b;
	uint64_t f = 0;

	netdev_dev_reply(&b, sizeof(uint64_t));
	CHECK(b.hdr.nlmsg_len == 64);
	CHECK(dev_features(&b.hdr, &f) == 0 && f == 0x23);
	CHECK(!(f & NETDEV_XDP_ACT_NDO_XMIT) && (f & NETDEV_XDP_ACT_BASIC));
	b.hdr.nlmsg_type = NETDEV_ID + 1;		/* another family */
	CHECK(dev_features(&b.hdr, &f) == -EINVAL);

	netdev_dev_reply(&b, sizeof(uint32_t));	/* xdp-features cut to 4 bytes */
	CHECK(dev_features(&b.hdr, &f) == -EINVAL);
}

/* Every cut of a reply, in a heap block of exactly the bytes left so that
 * the sanitizer sees any read past them: refused, or read whole. */
static void cut_each(const union test_buf *b, int (*parse)(const struct nlmsghdr *),
		     int *bad)
{
	uint32_t len;
	char *p;

	for (len = NLMSG_HDRLEN; len < b->hdr.nlmsg_len; len++) {
		p = malloc(len);
		if (!p)
			return;
		memcpy(p, b->bytes, len);
		((struct nlmsghdr *)p)->nlmsg_len = len;
		*bad += parse((const struct nlmsghdr *)p) > 0;
		free(p);
	}
}

/* 1 when a cut reply was taken for more than it holds. */
static int family_cut(const struct nlmsghdr *msg)
{
	uint16_t id = 0;
	int ret = family_id(msg, &id);

	/* The id ends at byte 38; anything shorter must not find it. */
	return ret == 0 ? (msg->nlmsg_len < 38 || id != NETDEV_ID) : ret != -EINVAL;
}

static int dev_cut(const struct nlmsghdr *msg)
{
	uint64_t f = 0;
	int ret = dev_features(msg, &f);

	/* xdp-features ends at byte 40. */
	return ret == 0 ? (msg->nlmsg_len < 40 || f != 0x23) : ret != -EINVAL;
}

static void test_genl_truncated(void)
{
	union test_buf b;
	int bad = 0;

	genl_family_reply(&b);
	cut_each(&b, family_cut, &bad);
	netdev_dev_reply(&b, sizeof(uint64_t));
	cut_each(&b, dev_cut, &bad);
	CHECK(bad == 0);
}

struct netdev_dev_get_req {
	struct nlmsghdr nh;
	struct genlmsghdr g;
	struct nlattr ifindex_hdr;
	uint32_t ifindex;
};

static void test_netdev_dev_get_build(void)
{
	struct netdev_dev_get_req want;
	union test_buf b;
	struct nl_msg m;

	const uint32_t ifindex = 6;
	const struct nl_genl_ask ask = {
		NETDEV_ID, NETDEV_CMD_DEV_GET, NETDEV_FAMILY_VERSION, NETDEV_A_DEV_IFINDEX,
		&ifindex, sizeof(ifindex),
	};

	genl_req_fill(&want, sizeof(want), NETDEV_ID, NETDEV_CMD_DEV_GET, NETDEV_FAMILY_VERSION);
	nla_fill(&want.ifindex_hdr, NLA_HDRLEN + 4, NETDEV_A_DEV_IFINDEX);
	want.ifindex = 6;
	buf_fill(&b);
	nl_msg_init(&m, &b, sizeof(b), 0, 0);
	CHECK(nl_genl_build(&m, &ask) == 0);
	CHECK(msg_is(&b, &want, sizeof(want)));
}

void unit_netlink(void)
{
	unit_run("netlink: xdp build, fd only", test_xdp_build_fd_only);
	unit_run("netlink: xdp build, flags without replace",
		 test_xdp_build_flags_without_replace);
	unit_run("netlink: xdp build, replace", test_xdp_build_replace);
	unit_run("netlink: xdp build, every short buffer",
		 test_xdp_build_every_short_cap);
	unit_run("netlink: getlink build", test_link_get_build);
	unit_run("netlink: attr padding", test_attr_padding);
	unit_run("netlink: msg put padding", test_msg_put_padding);
	unit_run("netlink: attr -EMSGSIZE", test_attr_emsgsize);
	unit_run("netlink: nest -EMSGSIZE", test_nest_emsgsize);
	unit_run("netlink: nest length", test_nest_len);
	unit_run("netlink: parse well formed", test_parse_well_formed);
	unit_run("netlink: parse malformed", test_parse_malformed);
	unit_run("netlink: link parse veth", test_link_parse_veth);
	unit_run("netlink: link parse netnsid", test_link_parse_netnsid);
	unit_run("netlink: link parse bad name", test_link_parse_bad_name);
	unit_run("netlink: link parse short values",
		 test_link_parse_short_values);
	unit_run("netlink: link parse long address",
		 test_link_parse_long_address);
	unit_run("netlink: link parse truncated", test_link_parse_truncated);
	unit_run("netlink: talk, ack", test_talk_ack);
	unit_run("netlink: talk, error with extack", test_talk_error_extack);
	unit_run("netlink: talk, echoed request", test_talk_echoed_request);
	unit_run("netlink: talk, NLM_F_CAPPED", test_talk_capped);
	unit_run("netlink: talk, truncated", test_talk_truncated);
	unit_run("netlink: talk, multipart", test_talk_multipart);
	unit_run("netlink: talk, dump errors", test_talk_dump_errors);
	unit_run("netlink: talk, stale sequence", test_talk_stale_sequence);
	unit_run("netlink: genl family build", test_genl_family_build);
	unit_run("netlink: genl family reply", test_genl_family_reply);
	unit_run("netlink: netdev dev-get build", test_netdev_dev_get_build);
	unit_run("netlink: netdev dev-get reply", test_netdev_dev_reply);
	unit_run("netlink: genl replies cut short", test_genl_truncated);
}
