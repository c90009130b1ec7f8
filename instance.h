/* instance.h - one forwarder per port, and what it attached there.
 *
 * Each port has a file under /run/xdp_redirect_map named after the port
 * and its network namespace. A running instance holds an flock on it, so
 * a second instance is refused while the first lives and the lock goes
 * with the process, however it dies. The file records what the instance
 * attached (program id) and changed (GRO at a veth peer), so that a
 * restart or --detach after a kill -9 knows what is its own. Prints
 * nothing. */
#ifndef XRM_INSTANCE_H
#define XRM_INSTANCE_H

#include <stdint.h>
#include <sys/types.h>

#define INSTANCE_DIR "/run/xdp_redirect_map"

struct port_record {
	uint32_t pid;			/* of the instance that wrote it */
	uint32_t prog_id;		/* our program on the port, 0 none */
	uint32_t peer_gro;		/* we turned GRO on at the port's veth peer */
	char peer_name[16];		/* that peer, as its namespace names it */
	uint32_t peer_xdp;		/* id of the XDP_PASS program we gave that peer, 0 none */
};

struct instance_lock {
	int fd;				/* -1 when not held */
	char path[96];
};

/* Takes the port's lock: -EBUSY when a live instance holds it (its pid in
 * holder, when it recorded one); *stale gets what a dead one recorded. */
int instance_lock(struct instance_lock *l, const char *ifname,
		  struct port_record *stale, uint32_t *holder);
int instance_record(struct instance_lock *l, const struct port_record *r);
void instance_unlock(struct instance_lock *l);

/* --pidfile: our pid, written whole (a temporary file renamed), and
 * removed only while it still holds our pid. */
int instance_pidfile_write(const char *path);
void instance_pidfile_remove(const char *path);

/* The record as text and back, exposed for the unit tests. */
int instance_format(const struct port_record *r, char *buf, size_t size);
int instance_parse(const char *buf, struct port_record *r);

#endif
