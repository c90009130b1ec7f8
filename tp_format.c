/* tp_format.c - field offsets from a tracepoint's format text, whose
 * lines read
 *	field:int ifindex;	offset:16;	size:4;	signed:1;
 * The name is the last word before the first ';'. Each search stays
 * inside its line. */
/* memmem, strchrnul */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tp_format.h"

/* Where key starts in [p, end), or NULL. */
static const char *tp_format_find(const char *p, const char *end, const char *key)
{
	return memmem(p, (size_t)(end - p), key, strlen(key));
}

/* The number after key in [p, end), e.g. "offset:" -> 16. */
static int tp_format_num(const char *p, const char *end, const char *key, uint32_t *v)
{
	unsigned long x;
	char *stop;

	p = tp_format_find(p, end, key);
	if (!p)
		return -EINVAL;
	p += strlen(key);
	if (*p < '0' || *p > '9')
		return -EINVAL;
	x = strtoul(p, &stop, 10);
	if (*stop != ';' || x > 0xffff)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

/* Whether the declaration in [decl, semi) ends with the word name. */
static int tp_format_names(const char *decl, const char *semi, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(semi - decl) > n && strncmp(semi - n, name, n) == 0 &&
	       (semi[-(long)n - 1] == ' ' || semi[-(long)n - 1] == '*');
}

int tp_format_field(const char *format, const char *name, uint32_t size_bytes,
		    uint32_t *off_bytes)
{
	const char *line, *end = format - 1, *decl, *semi;
	uint32_t off, size;

	do {
		line = end + 1;
		end = strchrnul(line, '\n');
		decl = tp_format_find(line, end, "field:");
		semi = decl ? tp_format_find(decl, end, ";") : NULL;
		if (!semi || !tp_format_names(decl, semi, name))
			continue;
		if (tp_format_num(semi, end, "offset:", &off) ||
		    tp_format_num(semi, end, "size:", &size))
			return -EINVAL;
		if (size != size_bytes)
			return -EOPNOTSUPP;
		*off_bytes = off;
		return 0;
	} while (*end);
	return -ENOENT;
}
