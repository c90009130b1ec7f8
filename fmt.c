/* fmt.c - the formatter behind fmt.h: a format string is copied to the
 * output, each conversion parsed into a struct fmt_spec and written as a
 * field (sign, digits or text, padding). Counts every byte, keeps what
 * fits, and hands full buffers to the caller's flush. */
#include <limits.h>
#include <string.h>
#include <sys/types.h>

#include "fmt.h"

/* One conversion, as parsed from "%[-0][width][.prec][len]conv". */
struct fmt_spec {
	int left;			/* '-': pad on the right */
	char pad;			/* ' ', or '0' between sign and digits */
	int width;			/* minimum field bytes */
	int prec;			/* %s: maximum bytes; -1 for none */
	char len;			/* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z' */
	char conv;
};

/* 2^64 - 1 has 20 decimal digits. */
#define FMT_DIGITS_MAX 20

static void fmt_put(struct fmt_out *out, const char *s, size_t n)
{
	size_t room, k;

	out->total_bytes += n;
	while (n) {
		room = out->size_bytes - out->used_bytes;
		if (!room) {
			if (out->flush && out->flush(out) == 0)
				continue;
			/* No flush, or it failed and is not tried again: the
			 * rest is counted only. */
			out->flush = NULL;
			return;
		}
		k = n < room ? n : room;
		memcpy(out->buf + out->used_bytes, s, k);
		out->used_bytes += k;
		s += k;
		n -= k;
	}
}

static void fmt_pad(struct fmt_out *out, char c, size_t n)
{
	while (n--)
		fmt_put(out, &c, 1);
}

/* sign and body in the field's width: spaces before them (after them
 * with '-'), or zeros between sign and body. */
static void fmt_field(struct fmt_out *out, const struct fmt_spec *sp, const char *sign,
		      const char *body, size_t body_bytes)
{
	size_t sign_bytes = strlen(sign), fill = 0;

	if ((size_t)sp->width > sign_bytes + body_bytes)
		fill = sp->width - sign_bytes - body_bytes;
	if (!sp->left && sp->pad == ' ')
		fmt_pad(out, ' ', fill);
	fmt_put(out, sign, sign_bytes);
	if (!sp->left && sp->pad == '0')
		fmt_pad(out, '0', fill);
	fmt_put(out, body, body_bytes);
	if (sp->left)
		fmt_pad(out, ' ', fill);
}

/* The next argument of %d or %i, widened as its length says. */
static long long fmt_arg_signed(va_list *ap, char len)
{
	switch (len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return va_arg(*ap, ssize_t);
	default: return va_arg(*ap, int);
	}
}

/* The next argument of %u or %x. */
static unsigned long long fmt_arg_unsigned(va_list *ap, char len)
{
	switch (len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static void fmt_int(struct fmt_out *out, const struct fmt_spec *sp, va_list *ap)
{
	char digits[FMT_DIGITS_MAX], *end = digits + sizeof(digits), *p = end;
	unsigned base = sp->conv == 'x' ? 16 : 10;
	const char *sign = "";
	unsigned long long v;
	long long s;

	if (sp->conv == 'd' || sp->conv == 'i') {
		s = fmt_arg_signed(ap, sp->len);
		/* Negated as unsigned: right for LLONG_MIN too. */
		v = s < 0 ? 0 - (unsigned long long)s : (unsigned long long)s;
		sign = s < 0 ? "-" : "";
	} else {
		v = fmt_arg_unsigned(ap, sp->len);
	}
	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	fmt_field(out, sp, sign, p, end - p);
}

static void fmt_str(struct fmt_out *out, const struct fmt_spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	fmt_field(out, sp, "", s, sp->prec < 0 ? strlen(s) : strnlen(s, sp->prec));
}

/* Writes one conversion; -1 if it is not one fmt.h supports. */
static int fmt_convert(struct fmt_out *out, struct fmt_spec *sp, va_list *ap)
{
	char c;

	if (sp->conv == 'd' || sp->conv == 'i' || sp->conv == 'u' || sp->conv == 'x') {
		if (sp->prec >= 0)
			return -1;
		fmt_int(out, sp, ap);
		return 0;
	}
	if (sp->len)
		return -1;
	sp->pad = ' ';
	switch (sp->conv) {
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_field(out, sp, "", &c, 1);
		return 0;
	case 's':
		fmt_str(out, sp, va_arg(*ap, const char *));
		return 0;
	case '%':
		fmt_put(out, "%", 1);
		return 0;
	default:
		return -1;
	}
}

/* A width or precision: decimal digits, or '*' for the next int. */
static const char *fmt_number(const char *p, int *n, va_list *ap)
{
	if (*p == '*') {
		*n = va_arg(*ap, int);
		return p + 1;
	}
	for (*n = 0; *p >= '0' && *p <= '9'; p++)
		*n = *n < INT_MAX / 10 ? *n * 10 + (*p - '0') : INT_MAX;
	return p;
}

/* Parses the specification that follows a '%'; returns the end of it. */
static const char *fmt_parse(const char *p, struct fmt_spec *sp, va_list *ap)
{
	*sp = (struct fmt_spec){ .pad = ' ', .prec = -1 };
	for (; *p == '-' || *p == '0'; p++) {
		if (*p == '-')
			sp->left = 1;
		else
			sp->pad = '0';
	}
	p = fmt_number(p, &sp->width, ap);
	/* A negative '*' width is the '-' flag (C11 7.21.6.1p5). */
	if (sp->width < 0) {
		sp->left = 1;
		sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
	}
	if (*p == '.') {
		p = fmt_number(p + 1, &sp->prec, ap);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	if (*p == 'h' || *p == 'l') {
		sp->len = *p++;
		if (*p == sp->len)
			sp->len = *p++ == 'h' ? 'H' : 'L';
	} else if (*p == 'z') {
		sp->len = *p++;
	}
	sp->conv = *p;
	return *p ? p + 1 : p;
}

int fmt_vformat(struct fmt_out *out, const char *fmt, va_list ap)
{
	struct fmt_spec sp;
	const char *next;
	size_t lit;
	va_list aq;

	/* A copy, so that the helpers can take its address on every ABI
	 * (va_list is an array type on some). */
	va_copy(aq, ap);
	while (*fmt) {
		/* Not strcspn: with the strchrnul it calls, 600 bytes on MIPS. */
		for (lit = 0; fmt[lit] && fmt[lit] != '%'; lit++)
			;
		fmt_put(out, fmt, lit);
		fmt += lit;
		if (!*fmt)
			break;
		next = fmt_parse(fmt + 1, &sp, &aq);
		if (fmt_convert(out, &sp, &aq)) {
			fmt_put(out, fmt, strlen(fmt));
			break;
		}
		fmt = next;
	}
	va_end(aq);
	return out->total_bytes > INT_MAX ? -1 : (int)out->total_bytes;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = { .buf = buf, .size_bytes = size ? size - 1 : 0 };
	int n = fmt_vformat(&out, fmt, ap);

	if (size)
		buf[out.used_bytes] = '\0';
	return n;
}
