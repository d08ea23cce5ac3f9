/* SPDX-License-Identifier: BSD-2-Clause */
/* The cursor: reads, truncation versus malformation, and that a failed read
 * never moves it. */
#include <criterion/criterion.h>

#include "dissect/cur.h"

static const uint8_t pkt[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c,
};

Test(cur, reads_big_and_little_endian)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);

	cr_assert_eq(ds_u8(&c), 0x01);
	cr_assert_eq(ds_be16(&c), 0x0203);
	cr_assert_eq(ds_le16(&c), 0x0504);
	cr_assert_eq(ds_be32(&c), 0x06070809);
	cr_assert_eq(ds_le16(&c), 0x0b0a);
	cr_assert_eq(ds_left(&c), 1);
	cr_assert(ds_ok(&c));
}

Test(cur, reads_be64_and_le32)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);

	cr_assert_eq(ds_be64(&c), 0x0102030405060708ull);
	cr_assert_eq(ds_le32(&c), 0x0c0b0a09u);
	cr_assert_eq(ds_left(&c), 0);
}

/* Every read at every truncation length: ETRUNC, cursor unmoved, and the
 * error sticks so later reads return 0. */
Test(cur, failed_reads_do_not_move_at_any_length)
{
	size_t n, want;

	for (want = 1; want <= 8; want++)
		for (n = 0; n < want; n++) {
			struct ds_cur c = ds_cur_make(pkt, n, sizeof pkt);
			struct ds_view v;
			uint64_t got = 0;

			switch (want) {
			case 1: got = ds_u8(&c); break;
			case 2: got = ds_be16(&c); break;
			case 4: got = ds_be32(&c); break;
			case 8: got = ds_be64(&c); break;
			default: (void)ds_take(&c, want, &v); break;
			}
			cr_assert_eq(got, 0);
			cr_assert_eq(c.err, DS_ETRUNC, "want %zu cap %zu",
			    want, n);
			cr_assert_eq(c.p, pkt);
			cr_assert_eq(ds_left(&c), n);
			cr_assert_eq(ds_u8(&c), 0, "error must stick");
		}
}

Test(cur, past_the_claim_is_malformed)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, 3);

	cr_assert_eq(ds_left(&c), 3, "capture cut to the claim");
	cr_assert_eq(ds_be32(&c), 0);
	cr_assert_eq(c.err, DS_EMALFORMED);
	cr_assert_eq(c.p, pkt);
}

Test(cur, sub_bounds_child_and_moves_parent)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt), ch;

	cr_assert(ds_skip(&c, 2));
	cr_assert(ds_sub(&c, 4, &ch));
	cr_assert_eq(ds_be32(&ch), 0x03040506);
	cr_assert_eq(ds_u8(&ch), 0);
	cr_assert_eq(ch.err, DS_EMALFORMED);
	cr_assert_eq(ds_u8(&c), 0x07);
	cr_assert(ds_ok(&c));
}

Test(cur, sub_past_claim_fails_unmoved)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt), ch;

	cr_assert_not(ds_sub(&c, sizeof pkt + 1, &ch));
	cr_assert_eq(c.err, DS_EMALFORMED);
	cr_assert_eq(c.p, pkt);
	cr_assert_neq(ch.err, DS_OK);
}

Test(cur, sub_over_uncaptured_bytes_is_truncated_inside)
{
	struct ds_cur c = ds_cur_make(pkt, 4, sizeof pkt), ch;

	cr_assert(ds_sub(&c, 8, &ch));
	cr_assert_eq(ds_left(&ch), 4);
	cr_assert_eq(ds_be64(&ch), 0);
	cr_assert_eq(ch.err, DS_ETRUNC);
	cr_assert_eq(ds_left(&c), 0);
	cr_assert_eq(c.rep, sizeof pkt - 8);
}

Test(cur, take_tail_splits_the_trailer)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	struct ds_view t;

	cr_assert(ds_take_tail(&c, 4, &t));
	cr_assert_eq(t.p, pkt + 8);
	cr_assert_eq(t.len, 4);
	cr_assert_eq(ds_left(&c), 8);
	cr_assert_not(ds_take_tail(&c, 9, &t));
	cr_assert_eq(c.err, DS_EMALFORMED);
	cr_assert_eq(ds_left(&c), 8);
}

Test(cur, take_tail_of_uncaptured_tail_is_truncated)
{
	struct ds_cur c = ds_cur_make(pkt, 6, sizeof pkt);
	struct ds_view t;

	cr_assert_not(ds_take_tail(&c, 2, &t));
	cr_assert_eq(c.err, DS_ETRUNC);
	cr_assert_eq(c.p, pkt);
}

Test(cur, limit_shrinks_claim_and_capture)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);

	cr_assert(ds_limit(&c, 5));
	cr_assert_eq(ds_left(&c), 5);
	cr_assert_not(ds_limit(&c, 6));
	cr_assert_eq(c.err, DS_EMALFORMED);
}

Test(cur, rest_takes_what_was_captured)
{
	struct ds_cur c = ds_cur_make(pkt, 5, sizeof pkt);
	struct ds_view v = ds_rest(&c);

	cr_assert_eq(v.len, 5);
	cr_assert_eq(ds_left(&c), 0);
	cr_assert_eq(c.rep, sizeof pkt - 5);
}
