/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZS decompression (ANSI X3.241, RFC 1974 2, RFC 2395 2): hand-made
 * streams, and round trips through a compressor of the test's own.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec/ipsec_int.h"

/* --- a greedy LZS compressor, for the tests only -------------------------- */

struct bitw {
	uint8_t		*p;
	size_t		 cap, n;	/* bits written */
};

static void
put(struct bitw *w, unsigned v, unsigned k)
{
	while (k-- > 0) {
		cr_assert_lt(w->n / 8, w->cap);
		if (w->n % 8 == 0)
			w->p[w->n / 8] = 0;
		if ((v >> k) & 1)
			w->p[w->n / 8] |= (uint8_t)(0x80 >> (w->n % 8));
		w->n++;
	}
}

static void
put_len(struct bitw *w, size_t len)
{
	if (len <= 4) {
		put(w, (unsigned)(len - 2), 2);
		return;
	}
	if (len <= 7) {
		put(w, (unsigned)(0xc | (len - 5)), 4);
		return;
	}
	put(w, 0xf, 4);
	len -= 8;
	while (len >= 15) {
		put(w, 0xf, 4);
		len -= 15;
	}
	put(w, (unsigned)len, 4);
}

static size_t
lzs_compress(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	struct bitw w = { out, cap, 0 };
	size_t i = 0, j, best, boff, k, max;

	while (i < n) {
		best = 0;
		boff = 0;
		for (j = i > 2047 ? i - 2047 : 0; j < i; j++) {
			max = n - i;
			for (k = 0; k < max && in[j + k] == in[i + k]; k++)
				;
			if (k > best) {
				best = k;
				boff = i - j;
			}
		}
		if (best < 2) {
			put(&w, in[i], 9);		/* 0 + byte */
			i++;
			continue;
		}
		if (boff < 128)
			put(&w, (unsigned)(0x180 | boff), 9);
		else
			put(&w, (unsigned)(0x1000 | boff), 13);
		put_len(&w, best);
		i += best;
	}
	put(&w, 0x180, 9);			/* end marker */
	while (w.n % 8 != 0)
		put(&w, 0, 1);
	return w.n / 8;
}

/* --- tests ---------------------------------------------------------------- */

static uint8_t src[6000], z[12000], out[8000];

static void
roundtrip(size_t n)
{
	struct ds_view v;
	size_t zn, got;

	zn = lzs_compress(src, n, z, sizeof z);
	v.p = z;
	v.len = zn;
	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got), DS_OK,
	    "n %zu", n);
	cr_assert_eq(got, n);
	cr_assert_arr_eq(out, src, n);
}

Test(lzs, random_data_round_trips)
{
	size_t i;

	srand(7);
	for (i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)rand();
	roundtrip(0);
	roundtrip(1);
	roundtrip(2500);
	roundtrip(sizeof src);
}

Test(lzs, repetitive_data_round_trips_with_long_strings)
{
	size_t i;

	for (i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)"ab"[i % 2];
	roundtrip(sizeof src);
	for (i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i / 300);		/* runs, far offsets */
	roundtrip(sizeof src);
	for (i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i % 200 + (i / 1900));
	roundtrip(sizeof src);
	for (i = 2; i < 40; i++)
		roundtrip(i);
}

Test(lzs, every_truncation_is_malformed_or_short)
{
	struct ds_view v;
	size_t i, zn, k, got;

	for (i = 0; i < 600; i++)
		src[i] = (uint8_t)"compress me; "[i % 13] ^ (uint8_t)(i / 97);
	zn = lzs_compress(src, 600, z, sizeof z);
	for (k = 0; k < zn; k++) {
		v.p = z;
		v.len = k;
		cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got),
		    DS_EMALFORMED, "cut at %zu of %zu", k, zn);
		cr_assert_leq(got, 600);
	}
}

Test(lzs, end_marker_alone_is_empty)
{
	static const uint8_t s[] = { 0xc0, 0x00 };	/* 110000000 pad */
	struct ds_view v = { s, sizeof s };
	size_t got = 99;

	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got), DS_OK);
	cr_assert_eq(got, 0);
}

Test(lzs, bytes_after_the_end_marker_are_malformed)
{
	static const uint8_t s[] = { 0xc0, 0x00, 0x00 };
	struct ds_view v = { s, sizeof s };
	size_t got;

	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got),
	    DS_EMALFORMED);
}

Test(lzs, offset_before_the_start_is_malformed)
{
	struct bitw w = { z, sizeof z, 0 };
	struct ds_view v;
	size_t got;

	put(&w, 'a', 9);
	put(&w, 0x180 | 2, 9);		/* offset 2 with 1 byte written */
	put_len(&w, 2);
	put(&w, 0x180, 9);
	while (w.n % 8)
		put(&w, 0, 1);
	v.p = z;
	v.len = w.n / 8;
	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got),
	    DS_EMALFORMED);
	/* an 11-bit offset of 0 is not a string either */
	w.n = 0;
	put(&w, 'a', 9);
	put(&w, 0x1000, 13);
	put_len(&w, 2);
	put(&w, 0x180, 9);
	while (w.n % 8)
		put(&w, 0, 1);
	v.len = w.n / 8;
	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got),
	    DS_EMALFORMED);
}

Test(lzs, overlong_length_stops_at_the_cap)
{
	struct bitw w = { z, sizeof z, 0 };
	struct ds_view v;
	size_t got, i;

	put(&w, 'x', 9);
	put(&w, 0x181, 9);		/* offset 1 */
	put(&w, 0xf, 4);		/* 8 + 15 * 400 + 3 */
	for (i = 0; i < 400; i++)
		put(&w, 0xf, 4);
	put(&w, 3, 4);
	put(&w, 0x180, 9);
	while (w.n % 8)
		put(&w, 0, 1);
	v.p = z;
	v.len = w.n / 8;
	cr_assert_eq(ds_lzs_decompress(v, out, 1000, &got), DS_ENOMEM);
	cr_assert_eq(got, 1000);
	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &got), DS_OK);
	cr_assert_eq(got, 1 + 8 + 15 * 400 + 3);
	for (i = 0; i < got; i++)
		cr_assert_eq(out[i], 'x');
}

Test(lzs, a_literal_past_the_cap_is_enomem)
{
	size_t zn, got;
	struct ds_view v;

	memcpy(src, "abcdefgh", 8);
	zn = lzs_compress(src, 8, z, sizeof z);
	v.p = z;
	v.len = zn;
	cr_assert_eq(ds_lzs_decompress(v, out, 7, &got), DS_ENOMEM);
	cr_assert_eq(got, 7);
	cr_assert_eq(ds_lzs_decompress(v, out, 8, &got), DS_OK);
}
