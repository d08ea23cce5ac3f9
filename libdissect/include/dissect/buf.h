/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An append-only text buffer for the sinks.  Appends never fail: past the
 * capacity they are cut and `lost` is set.  The fast appenders exist because
 * a line is built per frame and printf dominates otherwise.
 */
#ifndef DISSECT_BUF_H
#define DISSECT_BUF_H

#include <stdio.h>
#include <string.h>

#include "dissect/base.h"

struct ds_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
	bool		 lost;
};

void	ds_buf_init(struct ds_buf *, char *mem, size_t cap);
void	ds_buf_reset(struct ds_buf *);
/*
 * The appenders every field goes through are inline: the profiles of the
 * JSON sink were a third library calls for copies of a few bytes.
 */
void	ds_buf_putn_long(struct ds_buf *, const char *, size_t);

static inline void
ds_buf_putn(struct ds_buf *b, const char *s, size_t n)
{
	size_t i;

	if (n > 16 || n > b->cap - b->len) {
		ds_buf_putn_long(b, s, n);
		return;
	}
	for (i = 0; i < n; i++)
		b->p[b->len + i] = s[i];
	b->len += n;
}

static inline void
ds_buf_putc(struct ds_buf *b, char c)
{
	if (b->len == b->cap) {
		b->lost = true;
		return;
	}
	b->p[b->len++] = c;
}

static inline void
ds_buf_puts(struct ds_buf *b, const char *s)
{
	ds_buf_putn(b, s, strlen(s));
}
void	ds_buf_u64(struct ds_buf *, uint64_t);
/* Decimal, zero-padded to `width` digits. */
void	ds_buf_u64w(struct ds_buf *, uint64_t, unsigned width);
void	ds_buf_i64(struct ds_buf *, int64_t);
/* Lowercase hex, zero-padded to `digits` (0: no padding). */
void	ds_buf_hex(struct ds_buf *, uint64_t, unsigned digits);
void	ds_buf_hexbytes(struct ds_buf *, const uint8_t *, size_t);
void	ds_buf_addr(struct ds_buf *, const struct ds_addr *);
/* A JSON string, quoted and escaped. */
void	ds_buf_json_str(struct ds_buf *, const char *);
void	ds_buf_printf(struct ds_buf *, const char *, ...) DS_PRINTF(2, 3);
/* Writes the content and resets; returns false on a write error. */
bool	ds_buf_flush(struct ds_buf *, FILE *);

#endif
