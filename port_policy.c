/* port_policy.c - the decisions of ports.c, on what was read for them:
 * - attach with XDP_FLAGS_UPDATE_IF_NOEXIST; a program already there is
 *   replaced only with -F, or when it is ours, left by an instance that
 *   was killed. That takeover is one XDP_FLAGS_REPLACE, so IN is never
 *   bare, in the mode the old program had unless -N or -S says otherwise.
 * - an IN's devmap slot holds its OUT only while OUT exists, is up and
 *   carries our program: a down OUT makes redirects fail with -ENETDOWN,
 *   an empty slot passes frames to IN's own stack (the fallback action).
 * - on exit and with --detach, only what is ours goes. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>

#include "port_policy.h"

int port_policy_stale_ours(const struct port_view *v, const struct port_record *stale)
{
	uint32_t id = v->present ? v->xdp.prog_id : 0;

	return id && (instance_has_prog(stale, id) || v->xdp_is_our_code);
}

void port_policy_attach(const struct port_view *v, const struct port_record *stale,
			uint32_t mode_flags, int force, struct port_attach_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->old_id = v->present ? v->xdp.prog_id : 0;
	plan->mode_flags = mode_flags;
	plan->clobber = force;
	if (!plan->old_id) {
		plan->action = PORT_ATTACH;
	} else if (port_policy_stale_ours(v, stale)) {
		plan->action = PORT_REPLACE_OURS_STALE;
		plan->clobber = 0;
		if (!mode_flags)
			plan->mode_flags = v->xdp.mode_flag;
	} else {
		plan->action = force ? PORT_REPLACE_FOREIGN : PORT_ATTACH_BESIDE_FOREIGN;
	}
}

/* -EBUSY: UPDATE_IF_NOEXIST found a program. Kernels before 4.12 send no
 * extended ack and refuse with -EEXIST; with an extack, -EEXIST is
 * another conflict ("Native and generic XDP can't be active at the same
 * time"), which the kernel's words name. A takeover's -EEXIST is
 * XDP_FLAGS_REPLACE finding another program than the expected one. */
enum port_attached port_policy_attached(const struct port_attach_plan *plan, int err,
					int has_extack)
{
	if (!err)
		return PORT_ATTACHED;
	if (err == -EBUSY ||
	    (err == -EEXIST && plan->action != PORT_REPLACE_OURS_STALE && !has_extack))
		return PORT_REFUSE_FOREIGN;
	return PORT_ATTACH_FAILED;
}

/* A peer's change is inherited with the port: the peer is checked when
 * it is opened (port_policy_peer). */
void port_policy_inherit(const struct port_view *v, const struct port_record *stale,
			 struct port_record *rec)
{
	uint32_t id = v->present ? v->xdp.prog_id : 0;

	memset(rec, 0, sizeof(*rec));
	if (instance_has_prog(stale, id))
		rec->prog_ids[0] = id;
	if (v->present && (stale->peer_gro || stale->peer_xdp)) {
		rec->peer_gro = stale->peer_gro;
		rec->peer_xdp = stale->peer_xdp;
		memcpy(rec->peer_name, stale->peer_name, sizeof(rec->peer_name));
	}
}

enum port_detach_action port_policy_detach_stale(const struct port_view *v,
						 const struct port_record *stale)
{
	if (!v->present || !v->xdp.prog_id)
		return PORT_NOTHING_ATTACHED;
	return port_policy_stale_ours(v, stale) ? PORT_DETACH_STALE : PORT_SKIP_NOT_OURS;
}

/* -EEXIST: the expected program (ours) was not the one attached. */
enum port_detached port_policy_detached(int err)
{
	if (err == -EEXIST)
		return PORT_LEFT_THEIRS;
	if (err == -ENODEV)
		return PORT_DETACH_GONE;
	return err ? PORT_DETACH_FAILED : PORT_DETACHED;
}

/* With -b the first IN taken over redirects into an OUT not yet taken
 * over: the killed instance's program there counts as ours. */
int port_policy_out_ours(int attached_by_us, const struct port_view *out,
			 const struct port_record *stale)
{
	return attached_by_us || instance_has_prog(stale, out->present ? out->xdp.prog_id : 0);
}

/* Multi, the slot is keyed by IN's ifindex: none while IN is away. */
void port_policy_slot(int multi, const struct port_view *in, const struct port_view *out,
		      int out_ours, struct port_slot *slot)
{
	slot->key = multi && in->present ? in->ifindex : 0;
	slot->ifindex = 0;
	if (out->present && out->up && out_ours && (slot->key || !multi))
		slot->ifindex = out->ifindex;
}

int port_policy_in_native(int in_present, const struct xdp_port *in_x, uint32_t mode_flags)
{
	if (!in_present)
		return 0;
	return in_x->attached ? in_x->mode_flag == XDP_FLAGS_DRV_MODE :
				mode_flags != XDP_FLAGS_SKB_MODE;
}

static int peer_is_recorded(const struct peer_view *peer, const struct port_record *rec)
{
	return strncmp(rec->peer_name, peer->name, sizeof(rec->peer_name)) == 0;
}

int port_policy_peer_napi(const struct peer_view *peer, int gro_gives_napi)
{
	return peer->xdp_prog_id || (gro_gives_napi && peer->gro_on);
}

/* A peer that takes redirects already has NAPI: ours only if a killed
 * instance recorded giving it to this very peer. */
enum peer_action port_policy_peer(const struct peer_view *peer, int gro_gives_napi,
				  const struct port_record *rec)
{
	if (!peer->up)
		return PEER_NOT_YET;
	if (!port_policy_peer_napi(peer, gro_gives_napi))
		return gro_gives_napi ? PEER_GRO_ON : PEER_XDP_PASS;
	if (peer_is_recorded(peer, rec) && rec->peer_gro)
		return PEER_INHERIT_GRO;
	if (peer_is_recorded(peer, rec) && rec->peer_xdp && rec->peer_xdp == peer->xdp_prog_id)
		return PEER_INHERIT_XDP;
	return rec->peer_gro || rec->peer_xdp ? PEER_FORGET : PEER_NONE;
}

/* peer NULL: not opened (or it could not be). */
enum peer_undo port_policy_peer_undo(const struct peer_view *peer, const struct port_record *rec)
{
	if (!rec->peer_gro && !rec->peer_xdp)
		return PEER_UNDO_NONE;
	if (!peer || !peer_is_recorded(peer, rec))
		return PEER_UNDO_FORGET;
	if (rec->peer_gro)
		return PEER_UNDO_GRO;
	return rec->peer_xdp == peer->xdp_prog_id ? PEER_UNDO_XDP : PEER_UNDO_XDP_GONE;
}
