/* instance.h - one forwarder per port, and what it changed there.
 *
 * Each port has a file under /run/xdp_redirect_map (root's, 0700; files
 * 0600) named after the port and its network namespace. A running
 * instance holds an flock on it, so a second instance is refused while
 * the first lives and the lock goes with the process, however it dies.
 * The file records what the next holder must undo: our programs on the
 * port, GRO turned on at its veth peer. Each change is recorded before
 * it is made, so a kill between the two leaves it recorded. One line
 * records no change but a state, for --status to read: the guard's
 * empty slot. Prints nothing: failures carry a reason for the caller to
 * say. */
#ifndef XRM_INSTANCE_H
#define XRM_INSTANCE_H

#include <stdint.h>
#include <sys/types.h>

#define INSTANCE_DIR "/run/xdp_redirect_map"
/* Two during a takeover: the program replaced and ours. */
#define INSTANCE_PROGS 2

/* The file's text, a line per fact and "end" last:
 *   pid 812              the instance that wrote it
 *   prog 45              a program of ours on the port (up to two)
 *   peer_gro out_intf    GRO on at the veth peer out_intf, by us
 *   guard out_intf 90    the guard emptied this IN's devmap slot: redirects
 *                        into out_intf failed with errno 90 (EMSGSIZE); 0
 *                        when it saw only that OUT sent nothing (blind)
 *   end
 * The guard line is written before the slot is emptied and goes after it
 * is filled again, so it is there whenever the guard's empty slot is; it
 * asks nothing of the next holder (the slot dies with the map) and is not
 * inherited. A record without it, as older versions wrote, reads the same.
 * A new kind of change gets a line of its own: a field here, a line in
 * instance_format, a case in instance_parse, its undo in ports.c. */
struct port_record {
	uint32_t pid;			/* of the instance that wrote it */
	uint32_t prog_ids[INSTANCE_PROGS];	/* 0: none */
	uint32_t peer_gro;		/* GRO on (or being turned on) at the peer */
	char peer_name[16];		/* that peer, as its namespace names it */
	uint32_t peer_xdp;		/* id of the XDP_PASS program we gave that peer, 0 none */
	char guard_out[16];		/* the guard emptied the slot: the OUT whose redirects
					 * failed; "" not */
	uint32_t guard_errno;		/* with this errno (positive); 0: unknown (blind) */
};

struct instance_lock {
	int fd;				/* -1 when not held */
	char path[96];
	const char *why;		/* a failure's reason, for the caller */
};

/* Takes the port's lock: -EBUSY when a live instance holds it (its pid in
 * holder, 0 when it has written none yet); *stale gets what the last
 * holder recorded. A lock held where no live instance recorded its pid
 * (a user's flock on a file an older version left readable) is not
 * honoured: the file is replaced. Other failures set why. */
int instance_lock(struct instance_lock *l, const char *ifname,
		  struct port_record *stale, uint32_t *holder);
int instance_record(struct instance_lock *l, const struct port_record *r);
/* Drops the lock; the file stays while left records anything. */
void instance_unlock(struct instance_lock *l, const struct port_record *left);

/* The programs of a record. */
int instance_has_prog(const struct port_record *r, uint32_t id);
int instance_add_prog(struct port_record *r, uint32_t id);
void instance_del_prog(struct port_record *r, uint32_t id);

/* --status: the record of the port's running instance, read without its
 * lock and without following a link; -ENOENT for none, -EPERM when the
 * directory or file is not root's alone, -ESRCH when its writer is gone
 * (*r may still hold what it wrote). */
int instance_peek(const char *ifname, struct port_record *r);

/* --pidfile: our pid, written whole into a new file renamed over path;
 * a path that is not a regular file is refused. Removed at exit only if
 * the file there is still the one we wrote. */
struct instance_pidfile {
	const char *path;
	const char *why;		/* a refusal in words; NULL: the errno says */
	ino_t ino;			/* of the file we wrote, 0 none */
	dev_t dev;
};

int instance_pidfile_write(struct instance_pidfile *pf, const char *path);
void instance_pidfile_remove(const struct instance_pidfile *pf);

/* The record as text and back, exposed for the unit tests. */
int instance_format(const struct port_record *r, char *buf, size_t size);
int instance_parse(const char *buf, struct port_record *r);

#endif
