/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZS decompression for IPComp: one stream per datagram, history reset
 * each time.
 * ANSI X3.241-1994 (the bit format), as RFC 1974 2 and RFC 2395 2 (IPComp
 * LZS, CPI 3) describe it.
 *
 * The stream is read as bits, most significant first:
 *
 *   0 bbbbbbbb                 literal byte
 *   1 1 ooooooo <len>          string, offset 1-127 back
 *   1 0 ooooooooooo <len>      string, offset 1-2047 back
 *   1 1 0000000                end marker; pad bits to the octet boundary
 *
 *   <len>   00 = 2   01 = 3   10 = 4   1100 = 5   1101 = 6   1110 = 7
 *           1111 nnnn = 8 + n (n < 15); each nnnn of 1111 adds 15 and
 *           another nibble follows
 *
 * Nothing is written past `cap`; an offset before the start of the output
 * or a stream that ends before its end marker is malformed.
 */
#include "ipsec/ipsec_int.h"

#define LZS_NIBBLE_MORE	15

struct lzs_bits {
	struct ds_cur	 c;
	uint32_t	 acc;		/* bits not yet used, right-aligned */
	unsigned	 n;		/* how many */
};

/* The next `k` (at most 16) bits; false when the stream runs out. */
static bool
lzs_get(struct lzs_bits *b, unsigned k, unsigned *v)
{
	while (b->n < k) {
		if (ds_left(&b->c) == 0)
			return false;
		b->acc = (b->acc << 8 | ds_u8(&b->c)) & 0xffffff;
		b->n += 8;
	}
	b->n -= k;
	*v = (b->acc >> b->n) & ((1u << k) - 1);
	return true;
}

/* ANSI X3.241 length encoding; the table above. */
static bool
lzs_len(struct lzs_bits *b, size_t *len)
{
	unsigned v;

	if (!lzs_get(b, 2, &v))
		return false;
	if (v < 3) {
		*len = 2 + (size_t)v;
		return true;
	}
	if (!lzs_get(b, 2, &v))
		return false;
	if (v < 3) {
		*len = 5 + (size_t)v;
		return true;
	}
	*len = 8;
	for (;;) {
		if (!lzs_get(b, 4, &v))
			return false;
		*len += v;
		if (v != LZS_NIBBLE_MORE)
			return true;
	}
}

enum ds_err
ds_lzs_decompress(struct ds_view in, uint8_t *out, size_t cap, size_t *len)
{
	struct lzs_bits b;
	size_t n = 0, off, cnt, i;
	unsigned v;

	b.c = ds_cur_make(in.p, in.len, in.len);
	b.acc = 0;
	b.n = 0;
	*len = 0;
	for (;;) {
		if (!lzs_get(&b, 1, &v))
			return DS_EMALFORMED;
		if (v == 0) {
			if (!lzs_get(&b, 8, &v))
				return DS_EMALFORMED;
			if (n == cap) {
				*len = n;
				return DS_ENOMEM;
			}
			out[n++] = (uint8_t)v;
			continue;
		}
		if (!lzs_get(&b, 1, &v))
			return DS_EMALFORMED;
		if (v == 1) {
			if (!lzs_get(&b, 7, &v))
				return DS_EMALFORMED;
			if (v == 0)
				break;		/* end marker */
		} else if (!lzs_get(&b, 11, &v) || v == 0)
			return DS_EMALFORMED;
		off = v;
		if (!lzs_len(&b, &cnt))
			return DS_EMALFORMED;
		/* X3.241: a string copies from the history already written */
		if (off > n)
			return DS_EMALFORMED;
		for (i = 0; i < cnt; i++) {
			if (n == cap) {
				*len = n;
				return DS_ENOMEM;
			}
			out[n] = out[n - off];
			n++;
		}
	}
	*len = n;
	/* RFC 2395 2: the end marker, padded to an octet, ends the payload */
	return ds_left(&b.c) == 0 ? DS_OK : DS_EMALFORMED;
}
