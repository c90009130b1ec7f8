/* common.h - what the injector (xdpgen) and the sender (blast) share:
 * the test frame and the clock. */
#ifndef XRM_BENCH_COMMON_H
#define XRM_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Ethernet without FCS: 60 bytes is the shortest frame on the wire, and
 * a jumbo MTU of 9000 makes frames of 9014. */
#define FRAME_MIN_BYTES 60
#define FRAME_MAX_BYTES 9014

/* Fills size bytes of buf (FRAME_MIN_BYTES to FRAME_MAX_BYTES) with
 * Ethernet, IPv4 with a valid header checksum (a bridge with
 * br_netfilter drops a bad one) and UDP to the discard port; -EINVAL for
 * a size outside that range. */
int frame_build(uint8_t *buf, size_t size);

uint64_t bench_clock_ns(clockid_t clock);

#endif
