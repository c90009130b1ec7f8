/* netlink.h - rtnetlink and generic netlink by hand: a checked message
 * builder, one request/ack exchange, the few link messages the forwarder
 * needs, and the lookup of a generic netlink family.
 * Nothing here prints; every function returns 0 (or a count) or -errno. */
#ifndef XRM_NETLINK_H
#define XRM_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>

/* Room for one request or one received datagram; a link dump message of a
 * veth with XDP attached is about 1.5 KiB, so 32 KiB holds several. */
#define NL_BUF_BYTES 32768
#define NL_EXTACK_BYTES 256

/* Message builder: appends into a caller-owned buffer, never past it. */
struct nl_msg {
	struct nlmsghdr *hdr;	/* start of the caller's buffer */
	size_t cap_bytes;	/* size of that buffer */
};

void nl_msg_init(struct nl_msg *m, void *buf, size_t cap_bytes,
		 uint16_t type, uint16_t flags);
int nl_msg_put(struct nl_msg *m, const void *data, size_t len);
int nl_attr_put(struct nl_msg *m, uint16_t type, const void *data, size_t len);
int nl_attr_put_u32(struct nl_msg *m, uint16_t type, uint32_t v);
int nl_attr_put_s32(struct nl_msg *m, uint16_t type, int32_t v);
struct nlattr *nl_nest_start(struct nl_msg *m, uint16_t type);
void nl_nest_end(struct nl_msg *m, struct nlattr *nest);

/* Attribute parsing: tb[type] points at each attribute whose payload is at
 * least minlen[type] bytes; a shorter one is -EINVAL, unknown types and
 * types above max are skipped. */
int nl_attr_parse(const void *data, size_t len, const struct nlattr **tb,
		  uint16_t max, const uint16_t *minlen);
const void *nl_attr_data(const struct nlattr *a);
size_t nl_attr_len(const struct nlattr *a);
uint32_t nl_attr_u32(const struct nlattr *a);
uint64_t nl_attr_u64(const struct nlattr *a);

/* Sockets and one exchange: nl_talk sends req (sets seq and NLM_F_ACK) and
 * reads until the ack or NLMSG_DONE; each reply message other than the
 * ack goes to cb. The kernel's extack text, if any, lands in extack.
 * A dump the kernel flags NLM_F_DUMP_INTR (links changed under it) ends
 * in -EINTR: dump again. */
typedef int (*nl_cb)(const struct nlmsghdr *msg, void *arg);
int nl_open(uint32_t groups);		/* NETLINK_ROUTE */
int nl_open_genl(void);			/* NETLINK_GENERIC */
int nl_talk(int fd, struct nlmsghdr *req, nl_cb cb, void *arg,
	    char *extack, size_t extack_len);
/* The reading of one exchange's answer, apart from recv() so that unit
 * tests can feed it recorded kernel replies: a datagram at a time to
 * nl_talk_read (0, or -EBADMSG for a message that overruns it) until done
 * is set, then nl_talk_result gives what nl_talk returns. */
struct nl_talk {
	uint32_t port_id;	/* ours: answers to other sockets are skipped */
	uint32_t seq;		/* the request's: late answers are skipped */
	nl_cb cb;
	void *arg;
	char *extack;
	size_t extack_len;
	int cb_err;		/* first failure of cb, returned after the ack */
	int kernel_err;		/* error of the ack or of NLMSG_DONE */
	int dump_intr;		/* the kernel saw the dump change under it */
	int done;
};

int nl_talk_read(struct nl_talk *t, const struct nlmsghdr *dgram, size_t len);
int nl_talk_result(const struct nl_talk *t);

/* Events: reads what is queued on a socket opened with groups, without
 * blocking, and passes each message to cb; -ENOBUFS means the kernel
 * dropped events and the caller must dump again. */
int nl_event_read(int fd, nl_cb cb, void *arg);

/* What RTM_GETLINK (or an RTM_NEWLINK/DELLINK event) says of a link. */
struct nl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];			/* IFLA_INFO_KIND, "" when absent */
	uint32_t flags;			/* IFF_* of ifinfomsg */
	uint32_t mtu_bytes;
	uint8_t addr[8];		/* IFLA_ADDRESS */
	uint8_t addr_len;
	int link;			/* IFLA_LINK: a veth's peer ifindex, 0 if absent */
	int link_netnsid;		/* IFLA_LINK_NETNSID, -1 when absent (same netns) */
	uint8_t xdp_attached;		/* XDP_ATTACHED_* */
	uint32_t xdp_prog_id;		/* IFLA_XDP_PROG_ID (the one attached, any mode) */
	uint32_t xdp_drv_prog_id;	/* IFLA_XDP_DRV_PROG_ID, for XDP_ATTACHED_MULTI */
	uint32_t xdp_skb_prog_id;	/* IFLA_XDP_SKB_PROG_ID */
	uint64_t tx_packets;		/* IFLA_STATS64's, by nl_link_get_stats only */
};

int nl_link_parse(const struct nlmsghdr *msg, struct nl_link *link);

/* Link messages. */
int nl_link_get(int fd, int ifindex, struct nl_link *link,
		char *extack, size_t extack_len);
int nl_link_get_by_name(int fd, const char *name, struct nl_link *link,
			char *extack, size_t extack_len);
/* With the link's counters, which the others ask the kernel to leave out. */
int nl_link_get_stats(int fd, int ifindex, struct nl_link *link);
int nl_link_dump(int fd, nl_cb cb, void *arg);
int nl_xdp_set(int fd, int ifindex, int prog_fd, int expected_fd,
	       uint32_t flags, char *extack, size_t extack_len);
int nl_nsid_get(int fd, int netns_fd, int *nsid);

/* Builders behind those, exposed so unit tests can check their bytes.
 * Each starts the message over in m's buffer (set by nl_msg_init). */
int nl_xdp_set_build(struct nl_msg *m, int ifindex, int prog_fd,
		     int expected_fd, uint32_t flags);
int nl_link_get_build(struct nl_msg *m, int ifindex, const char *name);

/* Generic netlink: a request starts with a genlmsghdr (cmd, version)
 * after the nlmsghdr, whose type is the family's id, asked of the
 * controller by name (-ENOENT: no such family, as on kernels that predate
 * it). nl_genl_parse checks a reply's family, cmd and header and parses
 * its attributes as nl_attr_parse does. One exchange asks with one
 * attribute and takes one attribute of the answer: the lookups we need. */
int nl_genl_msg_start(struct nl_msg *m, uint16_t family, uint8_t cmd, uint8_t version);
int nl_genl_parse(const struct nlmsghdr *msg, uint16_t family, uint8_t cmd,
		  const struct nlattr **tb, uint16_t max, const uint16_t *minlen);
/* name: under GENL_NAMSIZ bytes, as the kernel wants it. */
int nl_genl_family(int fd, const char *name, uint16_t *id);

#define NL_GENL_ONE_TYPES 8	/* the attribute taken is of a type below this */

struct nl_genl_ask {
	uint16_t family;
	uint8_t cmd;
	uint8_t version;
	uint16_t type;		/* the request's one attribute */
	const void *data;
	size_t len_bytes;
};

struct nl_genl_one {
	uint16_t family;	/* the answer's, and its cmd */
	uint8_t cmd;
	uint16_t type;		/* the attribute taken */
	void *data;		/* where its payload goes */
	uint16_t len_bytes;	/* how much of it: its least size */
	int found;
};

/* -ENOENT when the answer lacked the attribute. */
int nl_genl_talk(int fd, const struct nl_genl_ask *ask, struct nl_genl_one *one);
/* Behind nl_genl_talk, for the unit tests. */
int nl_genl_build(struct nl_msg *m, const struct nl_genl_ask *ask);
int nl_genl_one_parse(const struct nlmsghdr *msg, struct nl_genl_one *one);

#endif
