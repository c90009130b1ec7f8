/* decimal.h - the numbers in the kernel's files, our records and the
 * command line: decimal digits only, with a bound. strtoul would skip
 * blanks, take a sign and wrap "-1" around to ULONG_MAX, so each caller
 * had to check around it; and its general scanner is 2 KiB of musl on
 * MIPS for numbers that are never more than digits. Pure. */
#ifndef XRM_DECIMAL_H
#define XRM_DECIMAL_H

#include <stdint.h>

/* The number at s, at most max: 0 with *v, and *end just after its
 * digits; -EINVAL when s does not start with a digit or the number is
 * over max. */
int decimal_u32(const char *s, const char **end, uint32_t max, uint32_t *v);

#endif
