/* blast.c - real frames into an interface as fast as one CPU can send
 * them: AF_PACKET, sendmmsg in batches, PACKET_QDISC_BYPASS (straight to
 * the driver's xmit, as a NIC's receive path would hand frames in).
 *
 *   blast IFACE SECONDS [SIZE [CPU]]
 *
 * Prints "sent=N ns=T cpu_ns=C" once SECONDS have passed: C is this
 * process's CPU time, which includes the receive path that the kernel
 * runs as softirq work on the sending CPU (veth hands frames over on
 * the CPU that sends them). A frame the driver refuses (a full veth
 * ring) is counted as not sent and the next batch goes on; the benchmark
 * counts what arrives, not what was sent. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "common.h"

/* Frames per sendmmsg: enough to make the syscall's cost small. */
#define BLAST_BATCH 64

/* Protocol 0: the socket sends only, no received frame is queued to it. */
static int blast_socket(const char *iface)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int one = 1, fd;

	sll.sll_ifindex = (int)if_nametoindex(iface);
	if (sll.sll_ifindex == 0)
		return -ENODEV;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
		one = -errno;
		close(fd);
		return one;
	}
	return fd;
}

/* Sends batches of the same frame until seconds have passed. */
static int blast_run(int fd, const uint8_t *frame, size_t size, uint32_t seconds)
{
	struct iovec iov = { .iov_base = (void *)frame, .iov_len = size };
	struct mmsghdr msgs[BLAST_BATCH];
	uint64_t t0 = bench_clock_ns(CLOCK_MONOTONIC), now;
	uint64_t end = t0 + (uint64_t)seconds * 1000000000u;
	uint64_t cpu0 = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	unsigned long long sent = 0;
	int i, n;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BLAST_BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	do {
		n = sendmmsg(fd, msgs, BLAST_BATCH, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			return -errno;
		sent += n > 0 ? (unsigned long long)n : 0;
		now = bench_clock_ns(CLOCK_MONOTONIC);
	} while (now < end);
	printf("sent=%llu ns=%llu cpu_ns=%llu\n", sent, (unsigned long long)(now - t0),
	       (unsigned long long)(bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0));
	return 0;
}

/* The numbers of the command line, in its order after IFACE. */
struct blast_args {
	unsigned long seconds;
	unsigned long size_bytes;
	unsigned long cpu;
};

static int blast_number(const char *arg, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 10);
	return end == arg || *end || errno || arg[0] == '-' ? -EINVAL : 0;
}

static int blast_args(int argc, char **argv, struct blast_args *a)
{
	a->size_bytes = FRAME_MIN_BYTES;
	a->cpu = 0;
	if (argc < 3 || argc > 5 || blast_number(argv[2], &a->seconds) ||
	    (argc > 3 && blast_number(argv[3], &a->size_bytes)) ||
	    (argc > 4 && blast_number(argv[4], &a->cpu)))
		return -EINVAL;
	return a->seconds > 0 && a->seconds < 86400 && a->cpu < CPU_SETSIZE ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	static uint8_t frame[FRAME_MAX_BYTES];
	struct blast_args a;
	cpu_set_t set;
	int fd, err;

	if (blast_args(argc, argv, &a) || frame_build(frame, a.size_bytes)) {
		fputs("usage: blast IFACE SECONDS [SIZE [CPU]]\n", stderr);
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET((int)a.cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("blast: sched_setaffinity");
	fd = blast_socket(argv[1]);
	err = fd < 0 ? fd : blast_run(fd, frame, a.size_bytes, (uint32_t)a.seconds);
	if (err) {
		fprintf(stderr, "blast: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}
