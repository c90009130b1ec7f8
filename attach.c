/* attach.c - attach and detach our programs with the flags that keep
 * other people's programs safe. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>

#include "attach.h"
#include "bpf_sys.h"

int attach_prog_ident(int fd, struct prog_ident *pi)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int err;

	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info(fd, &info, &len);
	if (err)
		return err;
	pi->id = info.id;
	memcpy(pi->name, info.name, sizeof(pi->name));
	pi->name[sizeof(pi->name) - 1] = '\0';
	memcpy(pi->tag, info.tag, sizeof(pi->tag));
	return 0;
}

int attach_prog_ident_by_id(uint32_t id, struct prog_ident *pi)
{
	int fd = bpf_prog_get_fd_by_id(id);
	int err;

	if (fd < 0)
		return fd;
	err = attach_prog_ident(fd, pi);
	close(fd);
	return err;
}

void attach_state(const struct nl_link *l, struct xdp_state *s)
{
	memset(s, 0, sizeof(*s));
	switch (l->xdp_attached) {
	case XDP_ATTACHED_DRV:
		s->drv_id = l->xdp_prog_id;
		break;
	case XDP_ATTACHED_SKB:
		s->skb_id = l->xdp_prog_id;
		break;
	case XDP_ATTACHED_HW:
		s->hw_id = l->xdp_prog_id;
		break;
	case XDP_ATTACHED_MULTI:
		/* With programs in two modes the kernel reports each id apart. */
		s->drv_id = l->xdp_drv_prog_id;
		s->skb_id = l->xdp_skb_prog_id;
		break;
	}
	s->prog_id = s->drv_id ? s->drv_id : s->skb_id ? s->skb_id : s->hw_id;
	s->mode_flag = attach_state_mode(s, s->prog_id);
}

uint32_t attach_state_mode(const struct xdp_state *s, uint32_t id)
{
	if (!id)
		return 0;
	if (id == s->drv_id)
		return XDP_FLAGS_DRV_MODE;
	if (id == s->skb_id)
		return XDP_FLAGS_SKB_MODE;
	return id == s->hw_id ? XDP_FLAGS_HW_MODE : 0;
}

int attach_prog_id(int nl, int ifindex, uint32_t *id)
{
	struct nl_link link;
	struct xdp_state s;
	int err = nl_link_get(nl, ifindex, &link, NULL, 0);

	if (err)
		return err;
	attach_state(&link, &s);
	*id = s.prog_id;
	return 0;
}

/* Which mode our program ended up in, from what the kernel reports. */
static int attach_query_mode(int nl, struct xdp_port *p)
{
	struct nl_link link;
	struct xdp_state s;
	int err = nl_link_get(nl, p->ifindex, &link, NULL, 0);

	if (err)
		return err;
	attach_state(&link, &s);
	p->mode_flag = attach_state_mode(&s, p->prog_id);
	return p->mode_flag ? 0 : -ENOENT;
}

int attach_port(int nl, struct xdp_port *p, uint32_t mode_flags,
		int replace_fd, int force, char *extack, size_t extack_len)
{
	uint32_t flags = mode_flags;
	struct prog_ident pi;
	int err;

	err = attach_prog_ident(p->prog_fd, &pi);
	if (err)
		return err;
	p->prog_id = pi.id;
	/* REPLACE swaps in one step; it cannot be combined with NOEXIST. */
	if (replace_fd >= 0)
		flags |= XDP_FLAGS_REPLACE;
	else if (!force)
		flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	err = nl_xdp_set(nl, p->ifindex, p->prog_fd, replace_fd, flags,
			 extack, extack_len);
	if (err)
		return err;
	p->attached = 1;
	return attach_query_mode(nl, p);
}

/* Before 5.7 the kernel has no XDP_FLAGS_REPLACE: compare ids, then
 * detach. Someone could attach between the two steps; that window is
 * one netlink round trip wide. */
static int detach_port_by_id(int nl, struct xdp_port *p, char *extack,
			     size_t extack_len)
{
	uint32_t id;
	int err = attach_prog_id(nl, p->ifindex, &id);

	if (err)
		return err;
	if (id != p->prog_id)
		return id ? -EEXIST : 0;
	return nl_xdp_set(nl, p->ifindex, -1, -1, p->mode_flag, extack, extack_len);
}

int detach_port(int nl, struct xdp_port *p, char *extack, size_t extack_len)
{
	int err;

	if (!p->attached)
		return 0;
	/* The mode flag must match the attach: flags 0 means native on a
	 * driver that has it, and would leave a generic program in place. */
	err = nl_xdp_set(nl, p->ifindex, -1, p->prog_fd,
			 XDP_FLAGS_REPLACE | p->mode_flag, extack, extack_len);
	if (err == -EINVAL && extack && !extack[0])
		err = detach_port_by_id(nl, p, extack, extack_len);
	if (err == 0 || err == -ENODEV)
		p->attached = 0;
	return err;
}

const char *attach_mode_name(uint32_t mode_flag)
{
	if (mode_flag == XDP_FLAGS_DRV_MODE)
		return "native";
	if (mode_flag == XDP_FLAGS_SKB_MODE)
		return "generic";
	if (mode_flag == XDP_FLAGS_HW_MODE)
		return "offloaded";
	return "unknown";
}
