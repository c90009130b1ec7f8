/* decimal.c - decimal numbers, digits only (decimal.h). */
#include <errno.h>

#include "decimal.h"

int decimal_u32(const char *s, const char **end, uint32_t max, uint32_t *v)
{
	uint32_t x = 0, d;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		d = (uint32_t)(*s - '0');
		/* x * 10 + d <= max, without overflowing on the way. */
		if (d > max || x > (max - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	*v = x;
	*end = s;
	return 0;
}
