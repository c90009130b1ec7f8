/* common.c - the test frame (IPv4/UDP, 10.0.0.1 -> 10.0.0.2, port 9,
 * between locally administered MACs) and the clock. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include "common.h"

/* The UDP discard service: nothing answers or acts on it. */
#define FRAME_UDP_PORT 9

static const uint8_t frame_dst[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t frame_src[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };

uint64_t bench_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint16_t frame_ip_csum(const void *hdr, size_t len)
{
	const uint8_t *p = hdr;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

int frame_build(uint8_t *buf, size_t size)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	struct iphdr *ip = (struct iphdr *)(buf + sizeof(*eth));
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	size_t ip_len = size - sizeof(*eth);

	if (size < FRAME_MIN_BYTES || size > FRAME_MAX_BYTES)
		return -EINVAL;
	memset(buf, 0, size);
	memcpy(eth->h_dest, frame_dst, ETH_ALEN);
	memcpy(eth->h_source, frame_src, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = sizeof(*ip) / 4;
	ip->tot_len = htons((uint16_t)ip_len);
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = htonl(0x0a000001);
	ip->daddr = htonl(0x0a000002);
	ip->check = frame_ip_csum(ip, sizeof(*ip));
	udp->source = htons(FRAME_UDP_PORT);
	udp->dest = htons(FRAME_UDP_PORT);
	udp->len = htons((uint16_t)(ip_len - sizeof(*ip)));
	/* A zero UDP checksum means none, which IPv4 allows. */
	return 0;
}
