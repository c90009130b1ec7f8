/* probe.c - one probe per kernel feature the forwarder relies on.
 *
 * Maps are created and closed at once; the redirect probe runs the loaded
 * program on a test frame before anything is attached; the veth probe
 * reads the kernel's symbol table. Only the kernel's own "no" is a no
 * (EINVAL for a map type or value size it does not know, XDP_ABORTED
 * back from the run); a probe that cannot tell (EPERM, ENOMEM, no
 * /proc/kallsyms) answers -1, and the forwarder goes on as if the
 * feature were there, so that the real step gives the real error,
 * except at a veth peer, where an XDP program is the choice that works
 * on every kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "bpf_sys.h"
#include "probe.h"

/* Whether a map of this type and value size can be made. */
static int probe_map(uint32_t type, uint32_t value_bytes)
{
	int fd = bpf_map_create(type, "xrm_probe", sizeof(uint32_t), value_bytes, 1, 0);

	if (fd < 0)
		return fd == -EINVAL ? 0 : -1;
	close(fd);
	return 1;
}

void probe_maps(struct features *f)
{
	f->redirect_pass = f->veth_gro = f->xdp_frags = -1;
	f->devmap_hash = probe_map(BPF_MAP_TYPE_DEVMAP_HASH, sizeof(uint32_t));
	/* Before 5.8 a devmap value is the 4-byte ifindex and nothing else. */
	f->devmap_prog = probe_map(BPF_MAP_TYPE_DEVMAP, sizeof(struct bpf_devmap_val));
}

void probe_redirect(struct features *f, int prog_fd)
{
	uint8_t frame[14] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = (uint32_t)prog_fd;
	attr.test.data_in = ptr_to_u64(frame);
	attr.test.data_size_in = sizeof(frame);
	attr.test.repeat = 1;
	f->redirect_pass = bpf_prog_test_run(&attr) ? -1 : attr.test.retval == XDP_PASS;
}

int probe_kallsyms_line(const char *line, size_t len, const char *sym)
{
	const char *name = memchr(line, ' ', len);
	size_t n = strlen(sym);

	name = name ? memchr(name + 1, ' ', len - (size_t)(name + 1 - line)) : NULL;
	if (!name || (size_t)(line + len - name - 1) < n)
		return 0;
	name++;
	return strncmp(name, sym, n) == 0 && (name + n == line + len || name[n] == '\t');
}

/* Which of the two symbols the kernel's symbol table has: bit 0 for
 * sym[0], bit 1 for sym[1]. Lines cut by the buffer's end are carried
 * over whole. */
static int probe_kallsyms(const char *const sym[2])
{
	char buf[4096];
	size_t have = 0, start, i;
	ssize_t n;
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC), found = 0;

	if (fd < 0)
		return 0;
	while (found != 3 && (n = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		have += (size_t)n;
		for (start = i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
			found |= probe_kallsyms_line(buf + start, i - start, sym[0]) |
				 probe_kallsyms_line(buf + start, i - start, sym[1]) << 1;
			start = i + 1;
		}
		/* A line longer than the buffer is no symbol of ours. */
		have = start ? have - start : 0;
		memmove(buf, buf + start, have);
	}
	close(fd);
	return found;
}

/* "veth: allow enabling NAPI even without XDP" (5.13) gave the driver
 * veth_set_features, which starts NAPI when GRO is turned on; before it
 * a veth takes redirected frames only with an XDP program on it, and GRO
 * changes nothing. The function sits in the driver's netdev ops, so it
 * is never inlined away. No veth_xmit: the driver is not loaded (or the
 * kernel has no symbol table), and the answer is unknown. */
void probe_veth(struct features *f)
{
	static const char *const sym[2] = { "veth_set_features", "veth_xmit" };
	int found;

	if (f->veth_gro >= 0)
		return;
	found = probe_kallsyms(sym);
	f->veth_gro = found & 1 ? 1 : found ? 0 : -1;
}

void probe_format(const struct features *f, char *buf, size_t size)
{
	static const char *const word[] = { "?", "no", "yes" };

	snprintf(buf, size, "redirect_fallback %s devmap_hash %s devmap_prog %s veth_gro %s "
		 "xdp_frags %s", word[f->redirect_pass + 1], word[f->devmap_hash + 1],
		 word[f->devmap_prog + 1], word[f->veth_gro + 1], word[f->xdp_frags + 1]);
}
