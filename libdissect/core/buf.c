/* SPDX-License-Identifier: BSD-2-Clause */
/* The sinks' text buffer, with appenders cheaper than printf. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect/buf.h"

void
ds_buf_init(struct ds_buf *b, char *mem, size_t cap)
{
	b->p = mem;
	b->cap = cap;
	b->len = 0;
	b->lost = false;
}

/* Longer copies, and any that reach the capacity (then cut, lost set). */
void
ds_buf_putn_long(struct ds_buf *b, const char *s, size_t n)
{
	if (n > b->cap - b->len) {
		n = b->cap - b->len;
		b->lost = true;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void
ds_buf_reset(struct ds_buf *b)
{
	b->len = 0;
	b->lost = false;
}

/*
 * Two digits at a time from a table: a line carries a dozen numbers and
 * a division per digit showed in the profiles.
 */
static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "68697071727374757677787980818283848586878889909192939495969798" "99";

/* Writes v's digits to end the buffer at `end`; returns the first. */
static char *
u64_digits(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * v, 2);
	} else
		*--p = (char)('0' + v);
	return p;
}

void
ds_buf_u64(struct ds_buf *b, uint64_t v)
{
	char tmp[20], *p = u64_digits(tmp + sizeof tmp, v);

	ds_buf_putn(b, p, (size_t)(tmp + sizeof tmp - p));
}

void
ds_buf_u64w(struct ds_buf *b, uint64_t v, unsigned width)
{
	char tmp[20], *p = u64_digits(tmp + sizeof tmp, v);

	while ((size_t)(tmp + sizeof tmp - p) < width && p > tmp)
		*--p = '0';
	ds_buf_putn(b, p, (size_t)(tmp + sizeof tmp - p));
}

void
ds_buf_i64(struct ds_buf *b, int64_t v)
{
	if (v < 0) {
		ds_buf_putc(b, '-');
		ds_buf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else
		ds_buf_u64(b, (uint64_t)v);
}

static const char hexdig[] = "0123456789abcdef";

void
ds_buf_hex(struct ds_buf *b, uint64_t v, unsigned digits)
{
	char tmp[16];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = hexdig[v & 0xf];
		v >>= 4;
	} while (v != 0);
	while (sizeof tmp - i < digits && i > 0)
		tmp[--i] = '0';
	ds_buf_putn(b, tmp + i, sizeof tmp - i);
}

void
ds_buf_hexbytes(struct ds_buf *b, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ds_buf_putc(b, hexdig[p[i] >> 4]);
		ds_buf_putc(b, hexdig[p[i] & 0xf]);
	}
}

/* Dotted quad by hand: this runs for every printed IPv4 frame. */
void
ds_buf_addr(struct ds_buf *b, const struct ds_addr *a)
{
	char tmp[DS_ADDR_STRLEN];
	int i;

	if (a->family == DS_AF_INET) {
		char *p = tmp + sizeof tmp;

		for (i = 3; i >= 0; i--) {
			p = u64_digits(p, a->a[i]);
			if (i > 0)
				*--p = '.';
		}
		ds_buf_putn(b, p, (size_t)(tmp + sizeof tmp - p));
		return;
	}
	ds_buf_puts(b, ds_addr_fmt(a, tmp, sizeof tmp));
}

void
ds_buf_json_str(struct ds_buf *b, const char *s)
{
	unsigned char c;

	ds_buf_putc(b, '"');
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\') {
			ds_buf_putc(b, '\\');
			ds_buf_putc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			ds_buf_puts(b, "\\u00");
			ds_buf_putc(b, hexdig[c >> 4]);
			ds_buf_putc(b, hexdig[c & 0xf]);
		} else
			ds_buf_putc(b, (char)c);
	}
	ds_buf_putc(b, '"');
}

void
ds_buf_printf(struct ds_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room = b->cap - b->len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		b->lost = true;
		b->len = room > 0 ? b->cap - 1 : b->len;
		return;
	}
	b->len += (size_t)n;
}

bool
ds_buf_flush(struct ds_buf *b, FILE *out)
{
	bool ok = fwrite(b->p, 1, b->len, out) == b->len;

	ds_buf_reset(b);
	return ok;
}
