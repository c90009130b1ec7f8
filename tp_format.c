/* tp_format.c - field offsets from a tracepoint's format text, whose
 * lines read, exactly as the kernel prints them (f_show in
 * kernel/trace/trace_events.c, "\tfield:%s %s;\toffset:%u;\tsize:%u;"):
 *	field:int ifindex;	offset:16;	size:4;	signed:1;
 * The name is the last word before the first ';'. Each read stays
 * inside its line. */
/* strchrnul */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "decimal.h"
#include "tp_format.h"

/* At *p, key and a number up to 0xffff ended by ';', all before end:
 * the number, and *p past the ';'. */
static int tp_format_num(const char **p, const char *end, const char *key, uint32_t *v)
{
	size_t n = strlen(key);
	const char *stop;

	if ((size_t)(end - *p) <= n || strncmp(*p, key, n) != 0 ||
	    decimal_u32(*p + n, &stop, 0xffff, v) || stop >= end || *stop != ';')
		return -EINVAL;
	*p = stop + 1;
	return 0;
}

#define TP_FORMAT_FIELD "\tfield:"

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
	const char *line, *end = format - 1, *decl, *semi, *p;
	uint32_t off, size;

	do {
		line = end + 1;
		end = strchrnul(line, '\n');
		if (strncmp(line, TP_FORMAT_FIELD, sizeof(TP_FORMAT_FIELD) - 1) != 0)
			continue;
		decl = line + sizeof(TP_FORMAT_FIELD) - 1;
		semi = memchr(decl, ';', (size_t)(end - decl));
		if (!semi || !tp_format_names(decl, semi, name))
			continue;
		p = semi + 1;
		if (tp_format_num(&p, end, "\toffset:", &off) ||
		    tp_format_num(&p, end, "\tsize:", &size))
			return -EINVAL;
		if (size != size_bytes)
			return -EOPNOTSUPP;
		*off_bytes = off;
		return 0;
	} while (*end);
	return -ENOENT;
}
