/* netlink.c - rtnetlink by hand (see netlink.h for what is offered).
 *
 * A datagram holds one or more messages; every part starts 4-aligned:
 *
 *   +----------+-----------+-------------------------------------------+
 *   | nlmsghdr | ifinfomsg | attributes ...                            |
 *   | 16 bytes | 16 bytes  | nlattr{len,type} payload pad | ...        |
 *   +----------+-----------+-------------------------------------------+
 *
 * nlmsghdr:  nlmsg_len (whole message, header included) | type | flags |
 *            seq | port id (ours in a reply, 0 when the kernel sends)
 * nlattr:    nla_len counts header and payload, not the pad that follows.
 *            A nested attribute's payload is more attributes, and its
 *            nla_len covers them all, their pads included:
 *
 *   RTM_SETLINK: nlmsghdr | ifinfomsg |
 *                IFLA_XDP|NLA_F_NESTED [ IFLA_XDP_FD | IFLA_XDP_FLAGS |
 *                                        IFLA_XDP_EXPECTED_FD ]
 *
 * The answer to a request with NLM_F_ACK is an NLMSG_ERROR message:
 *
 *   nlmsghdr | nlmsgerr{error, our nlmsghdr} | rest of our request,
 *              unless NLM_F_CAPPED | NLMSGERR_ATTR_* TLVs if NLM_F_ACK_TLVS
 *
 * A dump instead ends with NLMSG_DONE: nlmsghdr | int error | TLVs.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include "netlink.h"

/* Our largest request, RTM_GETLINK by name, is under 64 bytes. */
#define NL_REQ_BYTES 256

/* Buffers aligned for the struct nlmsghdr they start with. */
union nl_req {
	struct nlmsghdr hdr;
	char bytes[NL_REQ_BYTES];
};

union nl_buf {
	struct nlmsghdr hdr;
	char bytes[NL_BUF_BYTES];
};

/* ---- message builder ---- */

static char *nl_tail(const struct nl_msg *m)
{
	return (char *)m->hdr + m->hdr->nlmsg_len;
}

static size_t nl_room(const struct nl_msg *m)
{
	if (m->hdr->nlmsg_len > m->cap_bytes)
		return 0;
	return m->cap_bytes - m->hdr->nlmsg_len;
}

/* buf must be 4-aligned and hold at least NLMSG_HDRLEN bytes. */
void nl_msg_init(struct nl_msg *m, void *buf, size_t cap_bytes,
		 uint16_t type, uint16_t flags)
{
	m->hdr = buf;
	/* A message kept under 64 KiB cannot hold a nest that outgrows the
	 * 16-bit nla_len, so nl_nest_end needs no check. */
	m->cap_bytes = cap_bytes < UINT16_MAX ? cap_bytes : UINT16_MAX;
	memset(buf, 0, NLMSG_HDRLEN);
	m->hdr->nlmsg_len = NLMSG_HDRLEN;
	m->hdr->nlmsg_type = type;
	m->hdr->nlmsg_flags = flags;
}

int nl_msg_put(struct nl_msg *m, const void *data, size_t len)
{
	char *tail = nl_tail(m);
	size_t room = nl_room(m);

	/* len alone first: NLMSG_ALIGN wraps for lengths near SIZE_MAX. */
	if (len > room || NLMSG_ALIGN(len) > room)
		return -EMSGSIZE;
	if (len)
		memcpy(tail, data, len);
	memset(tail + len, 0, NLMSG_ALIGN(len) - len);
	m->hdr->nlmsg_len += (uint32_t)NLMSG_ALIGN(len);
	return 0;
}

int nl_attr_put(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)nl_tail(m);
	char *payload;

	/* len alone first: nla_len is 16 bits and NLA_ALIGN must not wrap. */
	if (len > UINT16_MAX - NLA_HDRLEN ||
	    NLA_ALIGN(NLA_HDRLEN + len) > nl_room(m))
		return -EMSGSIZE;
	payload = (char *)a + NLA_HDRLEN;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy(payload, data, len);
	memset(payload + len, 0, NLA_ALIGN(a->nla_len) - a->nla_len);
	m->hdr->nlmsg_len += (uint32_t)NLA_ALIGN(a->nla_len);
	return 0;
}

int nl_attr_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	return nl_attr_put(m, type, &v, sizeof(v));
}

int nl_attr_put_s32(struct nl_msg *m, uint16_t type, int32_t v)
{
	return nl_attr_put(m, type, &v, sizeof(v));
}

struct nlattr *nl_nest_start(struct nl_msg *m, uint16_t type)
{
	struct nlattr *nest = (struct nlattr *)nl_tail(m);

	if (nl_attr_put(m, type | NLA_F_NESTED, NULL, 0) < 0)
		return NULL;
	return nest;
}

void nl_nest_end(struct nl_msg *m, struct nlattr *nest)
{
	nest->nla_len = (uint16_t)(nl_tail(m) - (char *)nest);
}

/* ---- attribute parsing ---- */

int nl_attr_parse(const void *data, size_t len, const struct nlattr **tb,
		  uint16_t max, const uint16_t *minlen)
{
	const char *p = data;

	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	while (len > 0) {
		const struct nlattr *a = (const struct nlattr *)p;
		uint16_t type;
		size_t step;

		if (len < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > len)
			return -EINVAL;
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max) {
			if (minlen && nl_attr_len(a) < minlen[type])
				return -EINVAL;
			tb[type] = a;
		}
		/* The last attribute's pad may lie past the end. */
		step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	return 0;
}

const void *nl_attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

size_t nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* The caller has checked the payload holds 4 bytes (a minlen entry). */
uint32_t nl_attr_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nl_attr_data(a), sizeof(v));
	return v;
}

/* 8 bytes checked by the caller; copied, since a u64 payload is 8-aligned
 * only where the sender put a pad attribute before it. */
uint64_t nl_attr_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, nl_attr_data(a), sizeof(v));
	return v;
}

static void nl_extack_clear(char *extack, size_t extack_len)
{
	if (extack && extack_len)
		extack[0] = '\0';
}

/* The payload as a string, or NULL when no NUL ends it inside. */
static const char *nl_attr_str(const struct nlattr *a)
{
	const char *s = nl_attr_data(a);

	return memchr(s, '\0', nl_attr_len(a)) ? s : NULL;
}

/* ---- sockets and one exchange ---- */

static int nl_socket(int protocol, uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int one = 1;
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	/* With extended acks the kernel says why it refused (the text of
	 * its NL_SET_ERR_MSG), which is what the user needs to read; without
	 * them only an errno comes back. Kernels before 4.12 lack the option
	 * and still work, so its failure is no failure. NETLINK_CAP_ACK
	 * stays off: our requests are small to have echoed, and the ack
	 * is read right either way. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

int nl_open(uint32_t groups)
{
	return nl_socket(NETLINK_ROUTE, groups);
}

int nl_open_genl(void)
{
	return nl_socket(NETLINK_GENERIC, 0);
}

/* The port id the kernel gave our socket at bind: the pid of the first
 * netlink socket of a process only, so asked, never guessed. */
static int nl_port_id(int fd, uint32_t *port_id)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return -errno;
	if (len != sizeof(sa) || sa.nl_family != AF_NETLINK)
		return -ENOTSOCK;
	*port_id = sa.nl_pid;
	return 0;
}

/* A sequence number for a request that has none. With no state kept it
 * only has to differ from the last request's on this socket, so that
 * answers left queued by an aborted exchange are told apart. */
static uint32_t nl_seq_pick(void)
{
	struct timespec ts;
	uint32_t seq = 0;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
		seq = (uint32_t)ts.tv_nsec ^ ((uint32_t)ts.tv_sec << 20);
	return seq ? seq : 1;
}

static int nl_send(int fd, const struct nlmsghdr *req)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	do {
		n = sendto(fd, req, req->nlmsg_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return 0;
}

/* One datagram into buf, its sender in *from. A datagram longer than
 * buf is cut by the kernel and its tail lost: -EMSGSIZE. MSG_TRUNC makes
 * netlink return the whole length, so a cut shows. */
static int nl_recv(int fd, union nl_buf *buf, int flags,
		   struct sockaddr_nl *from)
{
	socklen_t from_len = sizeof(*from);
	ssize_t n;

	do {
		n = recvfrom(fd, buf, sizeof(*buf), flags | MSG_TRUNC,
			     (struct sockaddr *)from, &from_len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n > sizeof(*buf))
		return -EMSGSIZE;
	if (n == 0 || from_len != sizeof(*from))
		return -EPROTO;
	return (int)n;
}

/* NLMSG_OK and NLMSG_NEXT want a signed int length and mix it with the
 * unsigned nlmsg_len; these two say the same with size_t. */
static int nl_msg_ok(const struct nlmsghdr *h, size_t len)
{
	return len >= NLMSG_HDRLEN && h->nlmsg_len >= NLMSG_HDRLEN &&
	       h->nlmsg_len <= len;
}

/* Steps past h, which nl_msg_ok has passed. */
static const struct nlmsghdr *nl_msg_next(const struct nlmsghdr *h,
					  size_t *len)
{
	size_t step = NLMSG_ALIGN(h->nlmsg_len);

	/* The last message's pad may lie past the end. */
	if (step > *len)
		step = *len;
	*len -= step;
	return (const struct nlmsghdr *)((const char *)h + step);
}

/* Copies NLMSGERR_ATTR_MSG from the TLVs at off in h into t->extack. */
static void nl_extack_copy(const struct nl_talk *t, const struct nlmsghdr *h,
			   size_t off)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *msg;
	size_t n;

	if (!t->extack || !t->extack_len || !(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off >= h->nlmsg_len ||
	    nl_attr_parse((const char *)h + off, h->nlmsg_len - off, tb,
			  NLMSGERR_ATTR_MAX, NULL) < 0)
		return;
	if (!tb[NLMSGERR_ATTR_MSG])
		return;
	msg = nl_attr_str(tb[NLMSGERR_ATTR_MSG]);
	if (!msg)
		return;
	n = strlen(msg);
	if (n >= t->extack_len)
		n = t->extack_len - 1;
	memcpy(t->extack, msg, n);
	t->extack[n] = '\0';
}

/* The error of an NLMSG_ERROR message, 0 for an ack. */
static int nl_ack_read(const struct nl_talk *t, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_LENGTH(sizeof(*e));
	size_t echo;

	/* Not a byte of it is read before all of it is known to be there. */
	if (h->nlmsg_len < off)
		return -EBADMSG;
	/* Unless capped, the kernel echoes our request's payload after the
	 * nlmsgerr (which already holds its header); the TLVs follow. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		echo = e->msg.nlmsg_len >= NLMSG_HDRLEN ?
		       e->msg.nlmsg_len - NLMSG_HDRLEN : 0;
		off = echo <= h->nlmsg_len - off ?
		      off + NLMSG_ALIGN(echo) : h->nlmsg_len;
	}
	nl_extack_copy(t, h, off);
	/* A positive error would break the 0-or-negative contract. */
	return e->error > 0 ? -EPROTO : e->error;
}

/* The error NLMSG_DONE carries (0 when it is too old to carry one). */
static int nl_done_read(const struct nl_talk *t, const struct nlmsghdr *h)
{
	int err;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(err)))
		return 0;
	memcpy(&err, NLMSG_DATA(h), sizeof(err));
	nl_extack_copy(t, h, NLMSG_LENGTH(sizeof(err)));
	return err < 0 ? err : 0;
}

static void nl_talk_msg(struct nl_talk *t, const struct nlmsghdr *h)
{
	int ret;

	/* Late answers to an earlier request on this socket are not ours. */
	if (h->nlmsg_pid != t->port_id || h->nlmsg_seq != t->seq)
		return;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		t->dump_intr = 1;
	if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
		t->kernel_err = h->nlmsg_type == NLMSG_ERROR ?
				nl_ack_read(t, h) : nl_done_read(t, h);
		t->done = 1;
		return;
	}
	/* After a failure cb is not called again: its state may be spent. */
	if (h->nlmsg_type < NLMSG_MIN_TYPE || !t->cb || t->cb_err)
		return;
	ret = t->cb(h, t->arg);
	if (ret < 0)
		t->cb_err = ret;
}

int nl_talk_read(struct nl_talk *t, const struct nlmsghdr *h, size_t len)
{
	for (; len > 0; h = nl_msg_next(h, &len)) {
		if (!nl_msg_ok(h, len))
			return -EBADMSG;
		nl_talk_msg(t, h);
		if (t->done)
			return 0;
	}
	return 0;
}

int nl_talk_result(const struct nl_talk *t)
{
	if (t->kernel_err)
		return t->kernel_err;
	if (t->cb_err)
		return t->cb_err;
	/* A link came or went between parts of the dump: dump again. */
	return t->dump_intr ? -EINTR : 0;
}

/* Reads until the ack or NLMSG_DONE. A dump is acked by its NLMSG_DONE
 * alone: the kernel sends no NLMSG_ERROR after it, NLM_F_ACK or not. */
static int nl_talk_recv(int fd, struct nl_talk *t)
{
	union nl_buf buf;
	struct sockaddr_nl from;
	int len, ret;

	while (!t->done) {
		len = nl_recv(fd, &buf, 0, &from);
		if (len < 0)
			return len;
		/* Only the kernel answers, and never by multicast: an event
		 * (nl_groups set) is no answer, whatever port and seq a
		 * requester's NLM_F_ECHO put in it. */
		if (from.nl_pid != 0 || from.nl_groups != 0)
			continue;
		ret = nl_talk_read(t, &buf.hdr, (size_t)len);
		if (ret < 0)
			return ret;
	}
	return nl_talk_result(t);
}

/* A seq the caller put in req is kept, so a request sent again must
 * have it zeroed to get a new one. */
int nl_talk(int fd, struct nlmsghdr *req, nl_cb cb, void *arg,
	    char *extack, size_t extack_len)
{
	struct nl_talk t = {
		.cb = cb, .arg = arg, .extack = extack, .extack_len = extack_len,
	};
	int ret;

	nl_extack_clear(extack, extack_len);
	ret = nl_port_id(fd, &t.port_id);
	if (ret < 0)
		return ret;
	if (req->nlmsg_seq == 0)
		req->nlmsg_seq = nl_seq_pick();
	t.seq = req->nlmsg_seq;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	ret = nl_send(fd, req);
	if (ret < 0)
		return ret;
	return nl_talk_recv(fd, &t);
}

/* ---- events ---- */

static int nl_event_datagram(const struct nlmsghdr *h, size_t len,
			     nl_cb cb, void *arg)
{
	int ret;

	for (; len > 0; h = nl_msg_next(h, &len)) {
		if (!nl_msg_ok(h, len))
			return -EBADMSG;
		if (h->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		ret = cb(h, arg);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The sender is checked, not nlmsg_pid: an event caused by a request
 * with NLM_F_ECHO (ip -echo, for one) carries the requester's port id
 * and seq. Any error, cb's own included, leaves the caller to dump
 * again: events of the datagram after the failing one are lost. */
int nl_event_read(int fd, nl_cb cb, void *arg)
{
	union nl_buf buf;
	struct sockaddr_nl from;
	int len, ret;

	for (;;) {
		len = nl_recv(fd, &buf, MSG_DONTWAIT, &from);
		if (len == -EAGAIN)	/* EWOULDBLOCK is EAGAIN on Linux */
			return 0;
		if (len < 0)
			return len;
		if (from.nl_pid != 0)
			continue;	/* only the kernel tells of links */
		ret = nl_event_datagram(&buf.hdr, (size_t)len, cb, arg);
		if (ret < 0)
			return ret;
	}
}

/* ---- links ---- */

static const uint16_t nl_ifla_minlen[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = 1,
	[IFLA_MTU] = sizeof(uint32_t),
	[IFLA_LINK] = sizeof(uint32_t),
	[IFLA_LINK_NETNSID] = sizeof(int32_t),
	/* rx_packets and tx_packets: the struct has grown at its end. */
	[IFLA_STATS64] = 2 * sizeof(uint64_t),
};

static const uint16_t nl_info_minlen[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = 1,
};

static const uint16_t nl_xdp_minlen[IFLA_XDP_MAX + 1] = {
	[IFLA_XDP_ATTACHED] = sizeof(uint8_t),
	[IFLA_XDP_PROG_ID] = sizeof(uint32_t),
	[IFLA_XDP_DRV_PROG_ID] = sizeof(uint32_t),
	[IFLA_XDP_SKB_PROG_ID] = sizeof(uint32_t),
};

static int nl_link_name(const struct nlattr *a, struct nl_link *link)
{
	const char *name;
	size_t n;

	if (!a)
		return 0;
	name = nl_attr_str(a);
	n = name ? strlen(name) : sizeof(link->name);
	if (n >= sizeof(link->name))
		return -EINVAL;
	memcpy(link->name, name, n + 1);
	return 0;
}

/* A kind too long for link->kind is cut; being cut to its full size it
 * still differs from every shorter kind it might be compared with. */
static int nl_link_kind(const struct nlattr *linkinfo, struct nl_link *link)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];
	const char *kind;
	size_t n;

	if (!linkinfo)
		return 0;
	if (nl_attr_parse(nl_attr_data(linkinfo), nl_attr_len(linkinfo), tb,
			  IFLA_INFO_MAX, nl_info_minlen) < 0)
		return -EINVAL;
	if (!tb[IFLA_INFO_KIND])
		return 0;
	kind = nl_attr_str(tb[IFLA_INFO_KIND]);
	if (!kind)
		return -EINVAL;
	n = strnlen(kind, sizeof(link->kind) - 1);
	memcpy(link->kind, kind, n);
	link->kind[n] = '\0';
	return 0;
}

static int nl_link_xdp(const struct nlattr *xdp, struct nl_link *link)
{
	const struct nlattr *tb[IFLA_XDP_MAX + 1];

	if (!xdp)
		return 0;
	if (nl_attr_parse(nl_attr_data(xdp), nl_attr_len(xdp), tb,
			  IFLA_XDP_MAX, nl_xdp_minlen) < 0)
		return -EINVAL;
	if (tb[IFLA_XDP_ATTACHED])
		memcpy(&link->xdp_attached, nl_attr_data(tb[IFLA_XDP_ATTACHED]),
		       sizeof(link->xdp_attached));
	if (tb[IFLA_XDP_PROG_ID])
		link->xdp_prog_id = nl_attr_u32(tb[IFLA_XDP_PROG_ID]);
	if (tb[IFLA_XDP_DRV_PROG_ID])
		link->xdp_drv_prog_id = nl_attr_u32(tb[IFLA_XDP_DRV_PROG_ID]);
	if (tb[IFLA_XDP_SKB_PROG_ID])
		link->xdp_skb_prog_id = nl_attr_u32(tb[IFLA_XDP_SKB_PROG_ID]);
	return 0;
}

static void nl_link_numbers(const struct nlattr **tb, struct nl_link *link)
{
	const struct nlattr *addr = tb[IFLA_ADDRESS];

	if (tb[IFLA_MTU])
		link->mtu_bytes = nl_attr_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINK])
		link->link = (int)nl_attr_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		link->link_netnsid = (int32_t)nl_attr_u32(tb[IFLA_LINK_NETNSID]);
	/* Attributes are 4-aligned: the u64 is copied, not loaded. */
	if (tb[IFLA_STATS64])
		memcpy(&link->tx_packets, (const char *)nl_attr_data(tb[IFLA_STATS64]) +
		       offsetof(struct rtnl_link_stats64, tx_packets), sizeof(link->tx_packets));
	if (addr) {
		link->addr_len = nl_attr_len(addr) < sizeof(link->addr) ?
				 (uint8_t)nl_attr_len(addr) : sizeof(link->addr);
		memcpy(link->addr, nl_attr_data(addr), link->addr_len);
	}
}

/* msg->nlmsg_len bytes at msg must be readable (nl_talk and
 * nl_event_read have checked that much of what they pass to a cb). */
int nl_link_parse(const struct nlmsghdr *msg, struct nl_link *link)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi = NLMSG_DATA(msg);
	size_t off = NLMSG_SPACE(sizeof(*ifi));
	int ret;

	memset(link, 0, sizeof(*link));
	link->link_netnsid = -1;
	if (msg->nlmsg_type != RTM_NEWLINK && msg->nlmsg_type != RTM_DELLINK)
		return -EINVAL;
	if (msg->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return -EINVAL;
	link->ifindex = ifi->ifi_index;
	link->flags = ifi->ifi_flags;
	ret = nl_attr_parse((const char *)msg + off, msg->nlmsg_len - off, tb,
			    IFLA_MAX, nl_ifla_minlen);
	if (ret < 0)
		return ret;
	nl_link_numbers(tb, link);
	ret = nl_link_name(tb[IFLA_IFNAME], link);
	if (ret == 0)
		ret = nl_link_kind(tb[IFLA_LINKINFO], link);
	if (ret == 0)
		ret = nl_link_xdp(tb[IFLA_XDP], link);
	return ret;
}

/* The builders start the message over in m's buffer: m needs only hdr
 * and cap_bytes, as nl_msg_init sets them. */
static int nl_link_msg_start(struct nl_msg *m, uint16_t type, uint16_t flags,
			     int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };

	nl_msg_init(m, m->hdr, m->cap_bytes, type, flags);
	return nl_msg_put(m, &ifi, sizeof(ifi));
}

static int nl_link_get_ask(struct nl_msg *m, int ifindex, const char *name, int stats)
{
	int ret;

	if (name && strnlen(name, IF_NAMESIZE) >= IF_NAMESIZE)
		return -EINVAL;
	ret = nl_link_msg_start(m, RTM_GETLINK, NLM_F_REQUEST, ifindex);
	if (ret == 0 && name)
		ret = nl_attr_put(m, IFLA_IFNAME, name, strlen(name) + 1);
	/* Without the counters a link's answer is about half as long. */
	if (ret == 0 && !stats)
		ret = nl_attr_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return ret;
}

int nl_link_get_build(struct nl_msg *m, int ifindex, const char *name)
{
	return nl_link_get_ask(m, ifindex, name, 0);
}

static int nl_link_get_cb(const struct nlmsghdr *msg, void *arg)
{
	struct nl_link *link = arg;

	if (msg->nlmsg_type != RTM_NEWLINK)
		return 0;
	return nl_link_parse(msg, link);
}

static int nl_link_get_req(int fd, int ifindex, const char *name, int stats,
			   struct nl_link *link,
			   char *extack, size_t extack_len)
{
	union nl_req req;
	struct nl_msg m;
	int ret;

	nl_extack_clear(extack, extack_len);
	nl_msg_init(&m, &req, sizeof(req), 0, 0);
	ret = nl_link_get_ask(&m, ifindex, name, stats);
	if (ret < 0)
		return ret;
	/* ifindex 0 is no link: it tells whether an answer came. */
	memset(link, 0, sizeof(*link));
	ret = nl_talk(fd, m.hdr, nl_link_get_cb, link, extack, extack_len);
	if (ret < 0)
		return ret;
	return link->ifindex > 0 ? 0 : -ENODEV;
}

int nl_link_get(int fd, int ifindex, struct nl_link *link,
		char *extack, size_t extack_len)
{
	if (ifindex <= 0) {
		nl_extack_clear(extack, extack_len);
		return -ENODEV;
	}
	return nl_link_get_req(fd, ifindex, NULL, 0, link, extack, extack_len);
}

int nl_link_get_by_name(int fd, const char *name, struct nl_link *link,
			char *extack, size_t extack_len)
{
	return nl_link_get_req(fd, 0, name, 0, link, extack, extack_len);
}

int nl_link_get_stats(int fd, int ifindex, struct nl_link *link)
{
	return ifindex > 0 ? nl_link_get_req(fd, ifindex, NULL, 1, link, NULL, 0) : -ENODEV;
}

int nl_link_dump(int fd, nl_cb cb, void *arg)
{
	union nl_req req;
	struct nl_msg m;
	int ret;

	nl_msg_init(&m, &req, sizeof(req), 0, 0);
	ret = nl_link_msg_start(&m, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0);
	if (ret == 0)
		ret = nl_attr_put_u32(&m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (ret < 0)
		return ret;
	return nl_talk(fd, m.hdr, cb, arg, NULL, 0);
}

/* ---- XDP ---- */

int nl_xdp_set_build(struct nl_msg *m, int ifindex, int prog_fd,
		     int expected_fd, uint32_t flags)
{
	struct nlattr *xdp;
	int ret;

	ret = nl_link_msg_start(m, RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK,
				ifindex);
	if (ret < 0)
		return ret;
	xdp = nl_nest_start(m, IFLA_XDP);
	if (!xdp)
		return -EMSGSIZE;
	ret = nl_attr_put_s32(m, IFLA_XDP_FD, prog_fd);
	if (ret == 0 && flags)
		ret = nl_attr_put_u32(m, IFLA_XDP_FLAGS, flags);
	/* The kernel (5.7 on) reads the expected fd only with REPLACE. */
	if (ret == 0 && (flags & XDP_FLAGS_REPLACE))
		ret = nl_attr_put_s32(m, IFLA_XDP_EXPECTED_FD, expected_fd);
	if (ret < 0)
		return ret;
	nl_nest_end(m, xdp);
	return 0;
}

int nl_xdp_set(int fd, int ifindex, int prog_fd, int expected_fd,
	       uint32_t flags, char *extack, size_t extack_len)
{
	union nl_req req;
	struct nl_msg m;
	int ret;

	nl_extack_clear(extack, extack_len);
	nl_msg_init(&m, &req, sizeof(req), 0, 0);
	ret = nl_xdp_set_build(&m, ifindex, prog_fd, expected_fd, flags);
	if (ret < 0)
		return ret;
	return nl_talk(fd, m.hdr, NULL, NULL, extack, extack_len);
}

/* ---- namespaces ---- */

static const uint16_t nl_netnsa_minlen[NETNSA_MAX + 1] = {
	[NETNSA_NSID] = sizeof(int32_t),
};

struct nl_nsid_answer {
	int nsid;
	int found;
};

static int nl_nsid_cb(const struct nlmsghdr *msg, void *arg)
{
	const struct nlattr *tb[NETNSA_MAX + 1];
	size_t off = NLMSG_SPACE(sizeof(struct rtgenmsg));
	struct nl_nsid_answer *ans = arg;

	if (msg->nlmsg_type != RTM_NEWNSID || msg->nlmsg_len < off)
		return 0;
	if (nl_attr_parse((const char *)msg + off, msg->nlmsg_len - off, tb,
			  NETNSA_MAX, nl_netnsa_minlen) < 0)
		return -EINVAL;
	if (tb[NETNSA_NSID]) {
		ans->nsid = (int32_t)nl_attr_u32(tb[NETNSA_NSID]);
		ans->found = 1;
	}
	return 0;
}

/* The id that the socket's netns gives the netns of netns_fd;
 * NETNSA_NSID_NOT_ASSIGNED is an answer too, passed on as it is. */
int nl_nsid_get(int fd, int netns_fd, int *nsid)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct nl_nsid_answer ans = { .found = 0 };
	union nl_req req;
	struct nl_msg m;
	int ret;

	nl_msg_init(&m, &req, sizeof(req), RTM_GETNSID, NLM_F_REQUEST);
	ret = nl_msg_put(&m, &g, sizeof(g));
	if (ret == 0)
		ret = nl_attr_put_u32(&m, NETNSA_FD, (uint32_t)netns_fd);
	if (ret == 0)
		ret = nl_talk(fd, m.hdr, nl_nsid_cb, &ans, NULL, 0);
	if (ret < 0)
		return ret;
	if (!ans.found)
		return -ENOENT;
	*nsid = ans.nsid;
	return 0;
}

/* ---- generic netlink ---- */

int nl_genl_msg_start(struct nl_msg *m, uint16_t family, uint8_t cmd, uint8_t version)
{
	struct genlmsghdr g = { .cmd = cmd, .version = version };

	nl_msg_init(m, m->hdr, m->cap_bytes, family, NLM_F_REQUEST);
	return nl_msg_put(m, &g, sizeof(g));
}

int nl_genl_parse(const struct nlmsghdr *msg, uint16_t family, uint8_t cmd,
		  const struct nlattr **tb, uint16_t max, const uint16_t *minlen)
{
	const struct genlmsghdr *g = NLMSG_DATA(msg);
	size_t off = NLMSG_SPACE(GENL_HDRLEN);

	if (msg->nlmsg_type != family || msg->nlmsg_len < off || g->cmd != cmd)
		return -EINVAL;
	return nl_attr_parse((const char *)msg + off, msg->nlmsg_len - off, tb, max, minlen);
}

int nl_genl_build(struct nl_msg *m, const struct nl_genl_ask *ask)
{
	int ret = nl_genl_msg_start(m, ask->family, ask->cmd, ask->version);

	if (ret == 0)
		ret = nl_attr_put(m, ask->type, ask->data, ask->len_bytes);
	return ret;
}

int nl_genl_one_parse(const struct nlmsghdr *msg, struct nl_genl_one *one)
{
	const struct nlattr *tb[NL_GENL_ONE_TYPES];
	uint16_t minlen[NL_GENL_ONE_TYPES] = { 0 };
	int ret;

	if (one->type >= NL_GENL_ONE_TYPES)
		return -EINVAL;
	minlen[one->type] = one->len_bytes;
	ret = nl_genl_parse(msg, one->family, one->cmd, tb, one->type, minlen);
	if (ret < 0)
		return ret;
	if (!tb[one->type])
		return -EINVAL;
	memcpy(one->data, nl_attr_data(tb[one->type]), one->len_bytes);
	one->found = 1;
	return 0;
}

static int nl_genl_one_cb(const struct nlmsghdr *msg, void *arg)
{
	return nl_genl_one_parse(msg, arg);
}

int nl_genl_talk(int fd, const struct nl_genl_ask *ask, struct nl_genl_one *one)
{
	union nl_req req;
	struct nl_msg m;
	int ret;

	nl_msg_init(&m, &req, sizeof(req), 0, 0);
	ret = nl_genl_build(&m, ask);
	if (ret < 0)
		return ret;
	one->found = 0;
	ret = nl_talk(fd, m.hdr, nl_genl_one_cb, one, NULL, 0);
	if (ret < 0)
		return ret;
	return one->found ? 0 : -ENOENT;
}

int nl_genl_family(int fd, const char *name, uint16_t *id)
{
	/* The controller's own family has version 2 since 2.6.23; it
	 * answers every version alike. */
	const struct nl_genl_ask ask = {
		GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1,
	};
	struct nl_genl_one one = {
		GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_ATTR_FAMILY_ID, id, sizeof(*id), 0,
	};
	int ret = nl_genl_talk(fd, &ask, &one);

	/* Ids below NLMSG_MIN_TYPE are netlink's own message types. */
	return ret == 0 && *id < NLMSG_MIN_TYPE ? -EINVAL : ret;
}
