/* attach.h - our XDP programs on interfaces: attach without clobbering,
 * find out which mode the kernel chose, and detach only what is ours.
 * Joins netlink.c and bpf_sys.c; prints nothing. */
#ifndef XRM_ATTACH_H
#define XRM_ATTACH_H

#include <stdint.h>

#include <linux/bpf.h>

#include "netlink.h"

struct xdp_port {
	char name[IF_NAMESIZE];
	int ifindex;
	int prog_fd;		/* ours, -1 when none */
	uint32_t prog_id;	/* the kernel's id of prog_fd */
	uint32_t mode_flag;	/* XDP_FLAGS_DRV_MODE or _SKB_MODE once attached */
	int attached;
};

/* Attaches p->prog_fd. mode_flags is 0 (the kernel picks), SKB or DRV;
 * replace_fd >= 0 swaps that program for ours atomically; force replaces
 * whatever is there. -EEXIST or -EBUSY: another program is attached. */
int attach_port(int nl, struct xdp_port *p, uint32_t mode_flags,
		int replace_fd, int force, char *extack, size_t extack_len);

/* Detaches our program, and only ours: -EEXIST when another one took its
 * place, which is left as it is. */
int detach_port(int nl, struct xdp_port *p, char *extack, size_t extack_len);

/* What a link shows attached, by mode: the one reader of
 * XDP_ATTACHED_*, so that the mode and id of a program are read the same
 * everywhere. A link may carry a native and a generic program at once
 * (XDP_ATTACHED_MULTI); prog_id is then the native one. */
struct xdp_state {
	uint32_t prog_id;	/* the program attached, 0 none */
	uint32_t mode_flag;	/* its XDP_FLAGS_*_MODE, 0 none */
	uint32_t drv_id;	/* each mode's program, 0 none */
	uint32_t skb_id;
	uint32_t hw_id;
};

void attach_state(const struct nl_link *l, struct xdp_state *s);

/* The mode program id is attached in, 0 when it is not. */
uint32_t attach_state_mode(const struct xdp_state *s, uint32_t id);

/* The id of the program attached to ifindex, 0 when none. */
int attach_prog_id(int nl, int ifindex, uint32_t *id);

/* What identifies a program: its id, name and tag (a hash of its
 * instructions with map fds left out, so equal for equal programs). */
struct prog_ident {
	uint32_t id;
	char name[BPF_OBJ_NAME_LEN];
	uint8_t tag[BPF_TAG_SIZE];
};

int attach_prog_ident(int fd, struct prog_ident *pi);
int attach_prog_ident_by_id(uint32_t id, struct prog_ident *pi);

const char *attach_mode_name(uint32_t mode_flag);

#endif
