/* veth_peer.c - find a veth's peer across namespaces and give it NAPI:
 * GRO on where the kernel's veth starts NAPI for it (5.13), else an
 * XDP_PASS program, which caps the pair's MTU and clears the other end's
 * GSO features, so it is the second choice.
 *
 * IFLA_LINK_NETNSID names the peer's namespace by an id that only means
 * something to our namespace. As iproute2 does for link-netns, each
 * namespace we can open (in /run/netns and /proc/PID/ns/net) is asked for its
 * id with RTM_GETNSID; the one that matches is entered with setns() just
 * long enough to open a socket there. The socket stays in that namespace,
 * so everything after is done without leaving ours. (IFLA_TARGET_NETNSID
 * on RTM_SETLINK would move the device, not address it.) */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>

#include "bpf_sys.h"
#include "sys.h"
#include "veth_peer.h"

/* The namespace in file path, if its id in ours is nsid: its fd, or -1. */
static int veth_ns_try(int nl, const char *path, int nsid)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int id;

	if (fd < 0)
		return -1;
	if (nl_nsid_get(nl, fd, &id) == 0 && id == nsid)
		return fd;
	close(fd);
	return -1;
}

/* The entries of dir, tried as dir/NAME/suffix. */
static int veth_ns_scan(int nl, const char *dir, const char *suffix, int nsid)
{
	DIR *d = opendir(dir);
	const struct dirent *e;
	char path[300];
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, e->d_name, suffix);
		fd = veth_ns_try(nl, path, nsid);
	}
	closedir(d);
	return fd;
}

static int veth_ns_find(int nl, int nsid)
{
	int fd = veth_ns_scan(nl, "/run/netns", "", nsid);

	return fd >= 0 ? fd : veth_ns_scan(nl, "/proc", "/ns/net", nsid);
}

/* A netlink socket opened inside the namespace ns_fd. */
static int veth_ns_socket(int ns_fd)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int sock, err;

	if (self < 0)
		return -errno;
	if (setns(ns_fd, CLONE_NEWNET) < 0) {
		err = -errno;
		close(self);
		return err;
	}
	sock = nl_open(0);
	/* Back at once: ifindexes and the devmap are resolved in ours. */
	err = setns(self, CLONE_NEWNET) < 0 ? -errno : 0;
	close(self);
	if (err) {
		if (sock >= 0)
			close(sock);
		return err;
	}
	return sock;
}

int veth_peer_open(int nl, const struct nl_link *out, struct veth_peer *peer)
{
	int ns_fd, err;

	memset(peer, 0, sizeof(*peer));
	peer->nl = peer->x.prog_fd = -1;
	if (!out->link)
		return -ENOENT;
	if (out->link_netnsid < 0) {
		peer->nl = nl_open(0);
	} else {
		ns_fd = veth_ns_find(nl, out->link_netnsid);
		if (ns_fd < 0)
			return -ENOENT;
		peer->other_ns = 1;
		peer->nl = veth_ns_socket(ns_fd);
		close(ns_fd);
	}
	if (peer->nl < 0)
		return peer->nl;
	err = nl_link_get(peer->nl, out->link, &peer->link, NULL, 0);
	if (err) {
		close(peer->nl);
		peer->nl = -1;
	}
	return err;
}

/* Any socket reaches the device ioctls of its own namespace. */
static int veth_peer_ethtool(struct veth_peer *peer, uint32_t cmd, uint32_t *data)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *data };
	struct ifreq ifr;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, peer->link.name, sizeof(ifr.ifr_name));
	ifr.ifr_data = (void *)&ev;
	err = sys_ioctl(peer->nl, SIOCETHTOOL, &ifr);
	if (!err)
		*data = ev.data;
	return err;
}

int veth_peer_gro(struct veth_peer *peer, int *on)
{
	uint32_t gro = 0;
	int err = veth_peer_ethtool(peer, ETHTOOL_GGRO, &gro);

	*on = gro != 0;
	return err;
}

int veth_peer_view(struct veth_peer *peer, struct features *feat, struct peer_view *pv)
{
	struct xdp_state x;

	attach_state(&peer->link, &x);
	memset(pv, 0, sizeof(*pv));
	pv->name = peer->link.name;
	pv->up = (peer->link.flags & IFF_UP) != 0;
	pv->xdp_prog_id = x.prog_id;
	if (!pv->up)
		return 0;
	probe_veth(feat);
	if (pv->xdp_prog_id || feat->veth_gro <= 0)
		return 0;
	return veth_peer_gro(peer, &pv->gro_on);
}

int veth_peer_gro_on(struct veth_peer *peer)
{
	uint32_t on = 1;
	int err = veth_peer_ethtool(peer, ETHTOOL_SGRO, &on);

	if (!err)
		peer->gro_turned_on = 1;
	return err;
}

static void veth_peer_x_init(struct veth_peer *peer, int prog_fd)
{
	memcpy(peer->x.name, peer->link.name, sizeof(peer->x.name));
	peer->x.ifindex = peer->link.ifindex;
	peer->x.prog_fd = prog_fd;
}

int veth_peer_xdp_on(struct veth_peer *peer, int prog_fd, char *extack, size_t extack_len)
{
	veth_peer_x_init(peer, prog_fd);
	return attach_port(peer->nl, &peer->x, XDP_FLAGS_DRV_MODE, -1, 0, extack, extack_len);
}

int veth_peer_xdp_adopt(struct veth_peer *peer, uint32_t id)
{
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return fd;
	veth_peer_x_init(peer, fd);
	peer->x_fd_ours = 1;
	peer->x.prog_id = id;
	peer->x.mode_flag = XDP_FLAGS_DRV_MODE;
	peer->x.attached = 1;
	return 0;
}

/* Our program off the peer; one someone put in its place stays. */
static int veth_peer_xdp_off(struct veth_peer *peer)
{
	int err = detach_port(peer->nl, &peer->x, NULL, 0);

	return err == -EEXIST || err == -ENODEV ? 0 : err;
}

int veth_peer_close(struct veth_peer *peer)
{
	uint32_t off = 0;
	int err = 0;

	if (peer->nl < 0)
		return 0;
	if (peer->gro_turned_on)
		err = veth_peer_ethtool(peer, ETHTOOL_SGRO, &off);
	else if (peer->x.attached)
		err = veth_peer_xdp_off(peer);
	if (peer->x_fd_ours)
		close(peer->x.prog_fd);
	peer->x_fd_ours = peer->x.attached = 0;
	peer->x.prog_fd = -1;
	peer->gro_turned_on = 0;
	close(peer->nl);
	peer->nl = -1;
	return err;
}
