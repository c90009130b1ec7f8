/* pktio.c - sends and receives marked test frames on one interface, in
 * place of ping and tcpdump on guests that have only BusyBox. Needs only
 * libc headers, so it builds static with musl and for any word size or
 * byte order.
 *
 *   pktio send IFACE COUNT [SIZE] [DSTMAC] [-g USEC]
 *   pktio recv IFACE TIMEOUT_MS [MAX]
 *   pktio mac IFACE
 *
 * A test frame, SIZE bytes without FCS; offsets in bytes:
 *
 *    0 dst MAC   6 src MAC (IFACE's own)   12 ethertype 0x0800
 *   14 IPv4, no options: tot_len SIZE - 14, TTL 64, UDP,
 *      10.10.10.1 -> 10.10.10.2, header checksum set
 *   34 UDP 9 -> 9, len SIZE - 34, checksum 0 ("none", legal for IPv4)
 *   42 "XRMT"   46 seq, u32 big-endian from 0   50.. byte i is (i & 0xff)
 *
 * The fill depends only on the frame offset, so the receiver checks a frame
 * without knowing the SIZE it was sent with.
 *
 * recv binds its socket before it writes "ready" to stderr: a script starts
 * it in the background, waits for that line, then sends, and no frame that
 * arrives after "ready" is missed unless the socket's queue overflows. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "options.h"

#define IPV4_HLEN	20
#define UDP_HLEN	8
#define OFF_IP		ETH_HLEN
#define OFF_UDP		(OFF_IP + IPV4_HLEN)
#define OFF_MAGIC	(OFF_UDP + UDP_HLEN)
#define OFF_SEQ		(OFF_MAGIC + 4)
#define OFF_FILL	(OFF_SEQ + 4)

/* A NIC pads a shorter frame to 60 bytes, and the pad would fail the checks. */
#define FRAME_MIN_BYTES		60
#define FRAME_DEFAULT_BYTES	64
/* The IPv4 total length field is 16 bits; SIZE - 14 stays within it. */
#define FRAME_MAX_BYTES		65535
/* One byte more than the largest frame we send, so a longer one shows up as
 * truncated instead of fitting exactly. */
#define RECV_BUF_BYTES		(FRAME_MAX_BYTES + 1)
/* A burst of a few thousand small frames sent without a gap overflows the
 * default 208 KiB queue, and the drops would look like the forwarder's. */
#define RECV_QUEUE_BYTES	(4 << 20)
/* Port 9 is "discard": a stray test frame that reaches a stack is dropped. */
#define UDP_PORT_DISCARD	9
#define EXIT_USAGE		2

static const uint8_t magic[4] = { 'X', 'R', 'M', 'T' };
static const uint8_t default_dst[ETH_ALEN] = { 0xee, 0x11, 0xee, 0x11, 0xee, 0x11 };
static const uint8_t src_ip[4] = { 10, 10, 10, 1 };
static const uint8_t dst_ip[4] = { 10, 10, 10, 2 };

/* Byte order: frames are byte arrays; fields go through memcpy, never casts,
 * because offsets like 46 are not aligned on every target. */
static void put_be16(uint8_t *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, sizeof(v));
}

static uint16_t get_be16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return ntohs(v);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, sizeof(v));
}

static uint32_t get_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

/* RFC 1071 over the option-less header; a header that carries its right
 * checksum sums to 0. */
static uint16_t ipv4_csum(const uint8_t *ip)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < IPV4_HLEN; i += 2)
		sum += get_be16(ip + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Test frames: build once, then only the sequence number changes. */
static void frame_build(uint8_t *f, size_t size, const uint8_t *dst,
			const uint8_t *src)
{
	uint8_t *ip = f + OFF_IP, *udp = f + OFF_UDP;
	size_t i;

	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	put_be16(f + 2 * ETH_ALEN, ETHERTYPE_IP);
	memset(ip, 0, IPV4_HLEN);
	ip[0] = 0x40 | IPV4_HLEN / 4;	/* version 4, header length in words */
	put_be16(ip + 2, (uint16_t)(size - OFF_IP));
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, src_ip, sizeof(src_ip));
	memcpy(ip + 16, dst_ip, sizeof(dst_ip));
	put_be16(ip + 10, ipv4_csum(ip));
	put_be16(udp, UDP_PORT_DISCARD);
	put_be16(udp + 2, UDP_PORT_DISCARD);
	put_be16(udp + 4, (uint16_t)(size - OFF_UDP));
	put_be16(udp + 6, 0);
	memcpy(f + OFF_MAGIC, magic, sizeof(magic));
	for (i = OFF_FILL; i < size; i++)
		f[i] = (uint8_t)(i & 0xff);
}

/* Only called on a whole frame that carries the magic. */
static bool frame_ok(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + OFF_IP;
	size_t i;

	if (get_be16(f + 2 * ETH_ALEN) != ETHERTYPE_IP || ip[0] != (0x40 | IPV4_HLEN / 4))
		return false;
	if (get_be16(ip + 2) != len - OFF_IP || ipv4_csum(ip) != 0)
		return false;
	for (i = OFF_FILL; i < len; i++)
		if (f[i] != (i & 0xff))
			return false;
	return true;
}

/* Interfaces and sockets */
static void mac_fmt(const uint8_t *mac, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static int iface_index(const char *name)
{
	unsigned int ifindex = if_nametoindex(name);

	if (!ifindex)
		return errno ? -errno : -ENODEV;
	return (int)ifindex;
}

static int iface_mac(const char *name, uint8_t *mac)
{
	struct ifreq ifr;
	int fd, err = 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	/* Any socket answers SIOCGIFHWADDR; this one needs no privilege. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
	return err;
}

/* socket() with protocol 0 takes in no traffic; bind() then hooks proto on
 * ifindex only, so no frame of another interface queues up in between. */
static int pkt_sock_open(int ifindex, uint16_t proto)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = ifindex,
	};
	int fd, err;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Both best effort. Promiscuous mode lets in frames for another MAC, which
 * a NIC (virtio-net in QEMU too) drops before any socket sees them; frames
 * for IFACE's own MAC arrive without it, and qemu-user, which runs the
 * foreign-target builds, rejects SOL_PACKET options. The kernel ends the
 * membership when the socket closes. SO_RCVBUFFORCE lets root pass
 * rmem_max, which guests leave at the default; others get rmem_max. */
static void pkt_sock_listen(int fd, int ifindex)
{
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };
	int queue_bytes = RECV_QUEUE_BYTES;

	setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &queue_bytes, sizeof(queue_bytes)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &queue_bytes, sizeof(queue_bytes));
}

/* send */
static void sleep_us(uint32_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The destination names the protocol: from a socket bound with protocol 0
 * an older kernel sends with skb->protocol 0, which offloads and tc
 * filters read as "not IPv4". */
static int send_frames(int fd, int ifindex, uint8_t *f, size_t size,
		       uint32_t count, uint32_t gap_us)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_IP),
		.sll_ifindex = ifindex,
		.sll_halen = ETH_ALEN,
	};
	uint32_t seq;

	memcpy(to.sll_addr, f, ETH_ALEN);
	for (seq = 0; seq < count; seq++) {
		if (seq && gap_us)
			sleep_us(gap_us);
		put_be32(f + OFF_SEQ, seq);
		if (sendto(fd, f, size, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			return -errno;
	}
	return 0;
}

static int pktio_send(const char *ifname, uint32_t count, size_t size,
		      const uint8_t *dst, uint32_t gap_us)
{
	uint8_t src[ETH_ALEN], *frame;
	int ifindex, fd, err;

	ifindex = iface_index(ifname);
	if (ifindex < 0)
		return ifindex;
	err = iface_mac(ifname, src);
	if (err)
		return err;
	frame = malloc(size);
	if (!frame)
		return -ENOMEM;
	fd = pkt_sock_open(ifindex, 0);
	if (fd < 0) {
		err = fd;
		goto out;
	}
	frame_build(frame, size, dst, src);
	err = send_frames(fd, ifindex, frame, size, count, gap_us);
	close(fd);
out:
	free(frame);
	return err;
}

/* recv */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Returns 1 for a test frame that arrived on ifindex (and prints it), 0 for
 * anything else, or -errno. */
static int recv_frame(int fd, int ifindex, uint8_t *buf)
{
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = RECV_BUF_BYTES };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from),
			      .msg_iov = &iov, .msg_iovlen = 1 };
	char dst[18], src[18];
	ssize_t len;
	bool ok;

	/* MSG_TRUNC makes a packet socket return the frame's real length. */
	len = recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
	if (len < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (from.sll_pkttype == PACKET_OUTGOING || from.sll_ifindex != ifindex)
		return 0;
	if (len < OFF_FILL || memcmp(buf + OFF_MAGIC, magic, sizeof(magic)))
		return 0;
	ok = !(msg.msg_flags & MSG_TRUNC) && frame_ok(buf, (size_t)len);
	mac_fmt(buf, dst);
	mac_fmt(buf + ETH_ALEN, src);
	printf("%s %s %" PRIu32 " %zd %s\n", dst, src, get_be32(buf + OFF_SEQ),
	       len, ok ? "OK" : "BAD");
	return 1;
}

/* The timeout runs from the last test frame: other traffic does not keep
 * a receiver alive on a noisy link. */
static int recv_frames(int fd, int ifindex, uint8_t *buf, int timeout_ms,
		       uint32_t max, uint32_t *got)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t last_ms = now_ms(), left_ms;
	int n;

	while (*got < max) {
		left_ms = last_ms + timeout_ms - now_ms();
		if (left_ms <= 0)
			return 0;
		n = poll(&pfd, 1, (int)left_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		n = recv_frame(fd, ifindex, buf);
		if (n < 0)
			return n;
		if (n > 0) {
			(*got)++;
			last_ms = now_ms();
		}
	}
	return 0;
}

static int pktio_recv(const char *ifname, int timeout_ms, uint32_t max)
{
	uint32_t got = 0;
	uint8_t *buf;
	int ifindex, fd, err;

	ifindex = iface_index(ifname);
	if (ifindex < 0)
		return ifindex;
	buf = malloc(RECV_BUF_BYTES);
	if (!buf)
		return -ENOMEM;
	fd = pkt_sock_open(ifindex, ETH_P_ALL);
	if (fd < 0) {
		err = fd;
		goto out;
	}
	pkt_sock_listen(fd, ifindex);
	fputs("ready\n", stderr);
	fflush(stderr);
	err = recv_frames(fd, ifindex, buf, timeout_ms, max, &got);
	printf("received %" PRIu32 "\n", got);
	close(fd);
out:
	free(buf);
	return err;
}

/* Command line */
static void usage(FILE *out)
{
	fputs("usage: pktio send IFACE COUNT [SIZE] [DSTMAC] [-g USEC]\n"
	      "       pktio recv IFACE TIMEOUT_MS [MAX]\n"
	      "       pktio mac IFACE\n"
	      "send: COUNT test frames of SIZE bytes without FCS (60..65535, default 64)\n"
	      "      to DSTMAC (default ee:11:ee:11:ee:11), USEC microseconds apart;\n"
	      "      prints \"sent COUNT\"\n"
	      "recv: prints \"ready\" to stderr once listening, then for each test frame\n"
	      "      arriving on IFACE \"DSTMAC SRCMAC SEQ LEN OK|BAD\", and \"received N\"\n"
	      "      after TIMEOUT_MS without one or after MAX of them\n"
	      "mac:  prints IFACE's MAC address\n"
	      "Exit 0 on success, 1 on a system error, 2 on bad arguments.\n", out);
}

static int bad_arg(const char *what, const char *val)
{
	fprintf(stderr, "pktio: bad %s '%s' (pktio -h for help)\n", what, val);
	return EXIT_USAGE;
}

static int fail(const char *ifname, int err)
{
	fprintf(stderr, "pktio: %s: %s\n", ifname, strerror(-err));
	return 1;
}

/* strtoul takes "-1" and leading blanks, so a digit must come first. */
static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* argv: IFACE COUNT [SIZE] [DSTMAC] [-g USEC] */
static int cmd_send(int argc, char **argv)
{
	uint32_t count, size = FRAME_DEFAULT_BYTES, gap_us = 0;
	uint8_t dst[ETH_ALEN];
	int err;

	memcpy(dst, default_dst, ETH_ALEN);
	if (argc >= 3 && !strcmp(argv[argc - 2], "-g")) {
		if (parse_u32(argv[argc - 1], 0, UINT32_MAX, &gap_us))
			return bad_arg("USEC", argv[argc - 1]);
		argc -= 2;
	}
	if (argc < 2 || argc > 4)
		return bad_arg("argument count for", "send");
	if (parse_u32(argv[1], 0, UINT32_MAX, &count))
		return bad_arg("COUNT", argv[1]);
	if (argc > 2 && parse_u32(argv[2], FRAME_MIN_BYTES, FRAME_MAX_BYTES, &size))
		return bad_arg("SIZE", argv[2]);
	if (argc > 3 && options_mac(argv[3], dst))
		return bad_arg("DSTMAC", argv[3]);
	err = pktio_send(argv[0], count, size, dst, gap_us);
	if (err)
		return fail(argv[0], err);
	printf("sent %" PRIu32 "\n", count);
	return 0;
}

/* argv: IFACE TIMEOUT_MS [MAX] */
static int cmd_recv(int argc, char **argv)
{
	uint32_t timeout_ms, max = UINT32_MAX;
	int err;

	if (argc < 2 || argc > 3)
		return bad_arg("argument count for", "recv");
	/* poll() takes an int; a day is plenty for any test. */
	if (parse_u32(argv[1], 0, 86400000, &timeout_ms))
		return bad_arg("TIMEOUT_MS", argv[1]);
	if (argc > 2 && parse_u32(argv[2], 1, UINT32_MAX, &max))
		return bad_arg("MAX", argv[2]);
	err = pktio_recv(argv[0], (int)timeout_ms, max);
	return err ? fail(argv[0], err) : 0;
}

static int cmd_mac(int argc, char **argv)
{
	uint8_t mac[ETH_ALEN];
	char text[18];
	int err;

	if (argc != 1)
		return bad_arg("argument count for", "mac");
	err = iface_mac(argv[0], mac);
	if (err)
		return fail(argv[0], err);
	mac_fmt(mac, text);
	printf("%s\n", text);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* The kernel has no interface with a name this long. */
	if (strlen(argv[2]) >= IFNAMSIZ)
		return fail(argv[2], -ENODEV);
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 2, argv + 2);
	if (!strcmp(argv[1], "recv"))
		return cmd_recv(argc - 2, argv + 2);
	if (!strcmp(argv[1], "mac"))
		return cmd_mac(argc - 2, argv + 2);
	return bad_arg("command", argv[1]);
}
