/* nsveth.c - what a BusyBox guest cannot do with its own `ip` and has no
 * ethtool for: create a veth pair whose peer lives in another network
 * namespace, tell whether an XDP program is still attached to a link, and
 * read a link's GRO setting.
 *
 *   nsveth add NAME PEER [NSFILE]   PEER in NSFILE's netns, both down
 *   nsveth xdp IFACE                "none", or "MODE prog ID" (exit 0)
 *   nsveth gro IFACE                "on" or "off"
 *
 * Namespaces come from BusyBox (unshare --net=FILE, nsenter), and so does
 * `ip link set up`: a veth cannot be brought up in the request that makes
 * it, since its peer is joined to it last (veth_open says ENOTCONN).
 * Built on our own netlink.c, so the guest exercises the same builder and
 * ack reader as the forwarder. One request:
 *
 *   RTM_NEWLINK | ifinfomsg | IFLA_IFNAME NAME |
 *     IFLA_LINKINFO [ IFLA_INFO_KIND "veth" |
 *       IFLA_INFO_DATA [ VETH_INFO_PEER ifinfomsg | IFLA_IFNAME PEER |
 *                                       IFLA_NET_NS_FD fd ] ]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
/* As in veth_peer.c: musl's sys/ioctl.h spells these two as numbers and
 * linux/sockios.h (which alone has SIOCETHTOOL) redefines them. */
#undef SIOCGSTAMP
#undef SIOCGSTAMPNS
#include <linux/sockios.h>

#include "netlink.h"

#define NSVETH_REQ_BYTES 512

static int nsveth_put_name(struct nl_msg *m, const char *name)
{
	if (strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	return nl_attr_put(m, IFLA_IFNAME, name, strlen(name) + 1);
}

/* The peer's part: its own ifinfomsg leads VETH_INFO_PEER's payload. */
static int nsveth_put_peer(struct nl_msg *m, const char *peer, int ns_fd)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *data = nl_nest_start(m, IFLA_INFO_DATA);
	struct nlattr *info = data ? nl_nest_start(m, VETH_INFO_PEER) : NULL;
	int err;

	if (!info)
		return -EMSGSIZE;
	err = nl_msg_put(m, &ifi, sizeof(ifi));
	if (!err)
		err = nsveth_put_name(m, peer);
	if (!err && ns_fd >= 0)
		err = nl_attr_put_u32(m, IFLA_NET_NS_FD, (uint32_t)ns_fd);
	if (err)
		return err;
	nl_nest_end(m, info);
	nl_nest_end(m, data);
	return 0;
}

static int nsveth_build(struct nl_msg *m, const char *name, const char *peer,
			int ns_fd)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *linkinfo;
	int err = nl_msg_put(m, &ifi, sizeof(ifi));

	if (!err)
		err = nsveth_put_name(m, name);
	linkinfo = err ? NULL : nl_nest_start(m, IFLA_LINKINFO);
	if (!linkinfo)
		return err ? err : -EMSGSIZE;
	err = nl_attr_put(m, IFLA_INFO_KIND, "veth", sizeof("veth"));
	if (!err)
		err = nsveth_put_peer(m, peer, ns_fd);
	if (!err)
		nl_nest_end(m, linkinfo);
	return err;
}

static int nsveth_add(int nl, const char *name, const char *peer,
		      const char *ns_path, char *ext, size_t ext_len)
{
	union { struct nlmsghdr hdr; char bytes[NSVETH_REQ_BYTES]; } req;
	struct nl_msg m;
	int ns_fd = -1, err;

	if (ns_path && (ns_fd = open(ns_path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	nl_msg_init(&m, &req, sizeof(req), RTM_NEWLINK,
		    NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
	err = nsveth_build(&m, name, peer, ns_fd);
	if (!err)
		err = nl_talk(nl, m.hdr, NULL, NULL, ext, ext_len);
	if (ns_fd >= 0)
		close(ns_fd);
	return err;
}

static const char *nsveth_mode(uint8_t attached)
{
	switch (attached) {
	case XDP_ATTACHED_DRV: return "native";
	case XDP_ATTACHED_SKB: return "generic";
	case XDP_ATTACHED_HW: return "offload";
	default: return "multi";
	}
}

static int nsveth_xdp(int nl, const char *name, char *ext, size_t ext_len)
{
	struct nl_link link;
	int err;

	if (strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	err = nl_link_get_by_name(nl, name, &link, ext, ext_len);
	if (err)
		return err;
	if (link.xdp_attached == XDP_ATTACHED_NONE)
		printf("none\n");
	else
		printf("%s prog %u\n", nsveth_mode(link.xdp_attached),
		       link.xdp_prog_id ? link.xdp_prog_id : link.xdp_drv_prog_id);
	return 0;
}

/* Any socket reaches the device ioctls of its namespace: the netlink one. */
static int nsveth_gro(int sock, const char *name)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GGRO };
	struct ifreq ifr;

	if (strlen(name) >= IF_NAMESIZE)
		return -EINVAL;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	ifr.ifr_data = (void *)&ev;
	if (ioctl(sock, SIOCETHTOOL, &ifr) < 0)
		return -errno;
	printf("%s\n", ev.data ? "on" : "off");
	return 0;
}

int main(int argc, char **argv)
{
	char ext[NL_EXTACK_BYTES] = "";
	int add = argc >= 4 && argc <= 5 && strcmp(argv[1], "add") == 0;
	int xdp = argc == 3 && strcmp(argv[1], "xdp") == 0;
	int gro = argc == 3 && strcmp(argv[1], "gro") == 0;
	int nl, err;

	if (!add && !xdp && !gro) {
		fprintf(stderr, "usage: nsveth add NAME PEER [NSFILE] | nsveth xdp IFACE | "
			"nsveth gro IFACE\n");
		return 2;
	}
	nl = nl_open(0);
	if (nl < 0) {
		fprintf(stderr, "nsveth: netlink: %s\n", strerror(-nl));
		return 1;
	}
	if (add)
		err = nsveth_add(nl, argv[2], argv[3], argc == 5 ? argv[4] : NULL,
				 ext, sizeof(ext));
	else if (xdp)
		err = nsveth_xdp(nl, argv[2], ext, sizeof(ext));
	else
		err = nsveth_gro(nl, argv[2]);
	close(nl);
	if (err)
		fprintf(stderr, "nsveth: %s: %s\n", argv[2], ext[0] ? ext : strerror(-err));
	return err ? 1 : 0;
}
