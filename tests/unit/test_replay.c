/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The anti-replay window (RFC 4303 3.4.3) and the ESN high-half inference
 * (RFC 4303 A2), alone and through open().
 */
#include "t_keys.h"

static void
seen(struct ks_replay *r, uint64_t seq)
{
	cr_assert(ks_replay_check(r, seq), "%llu taken for a replay",
	    (unsigned long long)seq);
	ks_replay_advance(r, seq);
}

Test(replay, in_order_packets_are_all_new)
{
	struct ks_replay r;
	uint64_t s;

	cr_assert_eq(ks_replay_init(&r, 0), DS_OK);
	cr_assert_eq(r.size, 64);
	for (s = 1; s <= 1000; s++)
		seen(&r, s);
	cr_assert_eq(r.top, 1000);
	ks_replay_fini(&r);
}

Test(replay, reordered_within_the_window_are_new_once)
{
	struct ks_replay r;

	cr_assert_eq(ks_replay_init(&r, 64), DS_OK);
	seen(&r, 10);
	seen(&r, 8);
	seen(&r, 9);
	seen(&r, 70);
	seen(&r, 7);		/* 70 - 63: the window's left edge */
	cr_assert_not(ks_replay_check(&r, 8));
	cr_assert_not(ks_replay_check(&r, 70));
	cr_assert(ks_replay_check(&r, 69));
	ks_replay_fini(&r);
}

Test(replay, a_duplicate_is_a_replay)
{
	struct ks_replay r;

	cr_assert_eq(ks_replay_init(&r, 64), DS_OK);
	seen(&r, 5);
	cr_assert_not(ks_replay_check(&r, 5));
	ks_replay_fini(&r);
}

Test(replay, left_of_the_window_is_a_replay)
{
	struct ks_replay r;

	cr_assert_eq(ks_replay_init(&r, 64), DS_OK);
	seen(&r, 100);
	cr_assert(ks_replay_check(&r, 37));	/* 100 - 63 */
	cr_assert_not(ks_replay_check(&r, 36));
	cr_assert_not(ks_replay_check(&r, 1));
	ks_replay_advance(&r, 1);		/* no effect, no fault */
	cr_assert_eq(r.top, 100);
	ks_replay_fini(&r);
}

Test(replay, large_jumps_clear_the_window)
{
	struct ks_replay r;

	cr_assert_eq(ks_replay_init(&r, 128), DS_OK);
	seen(&r, 1);
	seen(&r, 2);
	seen(&r, 1000000);
	cr_assert_not(ks_replay_check(&r, 2));
	cr_assert(ks_replay_check(&r, 1000000 - 127));
	cr_assert(ks_replay_check(&r, 1000000 - 1));
	/* a jump shorter than the ring leaves no stale bits behind */
	seen(&r, 1000000 + 100);
	cr_assert(ks_replay_check(&r, 1000000 + 99));
	cr_assert_not(ks_replay_check(&r, 1000000));
	seen(&r, (uint64_t)1 << 40);
	cr_assert_eq(r.top, (uint64_t)1 << 40);
	ks_replay_fini(&r);
}

static void
window_of(uint32_t w)
{
	struct ks_replay r;
	uint64_t s, top = 5000;

	cr_assert_eq(ks_replay_init(&r, w), DS_OK);
	cr_assert_eq(r.size, w);
	seen(&r, top);
	for (s = top - w + 1; s < top; s += 3)
		seen(&r, s);
	for (s = top - w + 1; s < top; s++)
		cr_assert_eq(ks_replay_check(&r, s), (s - (top - w + 1)) % 3
		    != 0, "w %u seq %llu", w, (unsigned long long)s);
	cr_assert_not(ks_replay_check(&r, top - w));
	ks_replay_fini(&r);
}

Test(replay, window_sizes_32_64_128_1024_and_4096_hold_their_width)
{
	window_of(32);
	window_of(64);
	window_of(128);
	window_of(1024);
	window_of(4096);
}

Test(replay, esn_high_half_follows_rfc_4303_a2)
{
	struct ks_replay r;

	cr_assert_eq(ks_replay_init(&r, 64), DS_OK);
	/* before any packet: the SA's starting value */
	cr_assert_eq(ks_esn_seqhi(&r, 5, 7), 7);
	/* case A: Tl >= W - 1 */
	ks_replay_advance(&r, (uint64_t)3 << 32 | 1000);
	cr_assert_eq(ks_esn_seqhi(&r, 2000, 0), 3);
	cr_assert_eq(ks_esn_seqhi(&r, 1000 - 63, 0), 3);
	cr_assert_eq(ks_esn_seqhi(&r, 1000 - 64, 0), 4);	/* wrapped */
	ks_replay_fini(&r);
	/* case B: Tl < W - 1, the window reaches into the block before */
	cr_assert_eq(ks_replay_init(&r, 64), DS_OK);
	ks_replay_advance(&r, (uint64_t)3 << 32 | 10);
	cr_assert_eq(ks_esn_seqhi(&r, 0xfffffff0, 0), 2);
	cr_assert_eq(ks_esn_seqhi(&r, 11, 0), 3);
	cr_assert_eq(ks_esn_seqhi(&r, 0x80000000, 0), 3);
	ks_replay_fini(&r);
}

Test(replay, esn_wraps_from_ffffffff_to_0)
{
	struct ks_replay r;
	uint64_t s;

	cr_assert_eq(ks_replay_init(&r, 64), DS_OK);
	s = 0xfffffff0;
	for (; s <= 0xffffffff; s++)
		seen(&r, s);
	cr_assert_eq(ks_esn_seqhi(&r, 0, 0), 1);
	seen(&r, (uint64_t)1 << 32 | 0);
	/* a late packet of the old block is still placed in it */
	cr_assert_eq(ks_esn_seqhi(&r, 0xfffffffe, 0), 0);
	cr_assert_not(ks_replay_check(&r, 0xfffffffe));
	cr_assert_eq(ks_esn_seqhi(&r, 1, 0), 1);
	ks_replay_fini(&r);
}

/* ---- through open ------------------------------------------------------ */

/* NULL-encrypted ESP with HMAC-SHA1-96 over SPI|seq|payload|seq_hi. */
static size_t
esn_packet(uint8_t *body, const uint8_t *ikey, uint32_t spi, uint64_t seq)
{
	uint8_t buf[64], mac[20];
	size_t i, n = 0, maclen = 0;
	static const uint8_t pt[] = { 0x45, 0, 0, 0, 1, 2, 2, 4 };

	for (i = 0; i < 4; i++)
		buf[n++] = (uint8_t)(spi >> (24 - 8 * i));
	for (i = 0; i < 4; i++)
		buf[n++] = (uint8_t)(seq >> (24 - 8 * i));
	memcpy(buf + n, pt, sizeof pt);
	n += sizeof pt;
	for (i = 0; i < 4; i++)
		buf[n++] = (uint8_t)(seq >> (56 - 8 * i));
	cr_assert_not_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, ikey,
	    20, buf, n, mac, sizeof mac, &maclen));
	memcpy(body, pt, sizeof pt);
	memcpy(body + sizeof pt, mac, 12);
	return sizeof pt + 12;
}

Test(replay, open_infers_the_high_half_across_the_wrap)
{
	static const char ikey_hex[] =
	    "0102030405060708090a0b0c0d0e0f1011121314";
	uint8_t ik[20], body[64], out[64];
	struct ks_sa_spec sp = t_spec(DS_IPPROTO_ESP, 0xabc, "null", "",
	    "hmac-sha1-96", ikey_hex);
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ds_sa_open req;
	uint64_t s;
	size_t n;

	t_hex(ikey_hex, ik, sizeof ik);
	sp.esn = true;
	sp.seq_hi = 5;
	t_add(ks, &sp);
	for (s = (uint64_t)5 << 32 | 0xfffffffd;
	    s <= ((uint64_t)6 << 32 | 2); s++) {
		n = esn_packet(body, ik, 0xabc, s);
		req = t_esp_req(0xabc, (uint32_t)s, body, n, out, sizeof out);
		cr_assert_eq(t_open(&kr, &req), DS_OK, "seq %llx",
		    (unsigned long long)s);
		cr_assert_eq(req.seq_hi, (uint32_t)(s >> 32));
		cr_assert_not(req.is_replay);
	}
	/* the same packet again: opened, reported as a replay */
	req = t_esp_req(0xabc, 2, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	cr_assert(req.is_replay);
	/* a late one from before the wrap */
	n = esn_packet(body, ik, 0xabc, (uint64_t)5 << 32 | 0xfffffff0);
	req = t_esp_req(0xabc, 0xfffffff0, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	cr_assert_eq(req.seq_hi, 5);
	cr_assert_not(req.is_replay);
	ks_store_free(ks);
}

Test(replay, open_tries_one_more_high_half_after_a_missed_wrap)
{
	static const char ikey_hex[] =
	    "0102030405060708090a0b0c0d0e0f1011121314";
	uint8_t ik[20], body[64], out[64];
	struct ks_sa_spec sp = t_spec(DS_IPPROTO_ESP, 0xabc, "null", "",
	    "hmac-sha1-96", ikey_hex);
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ds_sa_open req;
	size_t n;

	t_hex(ikey_hex, ik, sizeof ik);
	sp.esn = true;
	t_add(ks, &sp);
	n = esn_packet(body, ik, 0xabc, 0x10);
	req = t_esp_req(0xabc, 0x10, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	/* 2^32 packets lost: A2.2 says high half 0, the ICV says 1 */
	n = esn_packet(body, ik, 0xabc, (uint64_t)1 << 32 | 0x20);
	req = t_esp_req(0xabc, 0x20, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	cr_assert_eq(req.seq_hi, 1);
	/* a failed ICV does not move the history */
	body[0] ^= 1;
	req = t_esp_req(0xabc, 0x30, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_EAUTH);
	body[0] ^= 1;
	req = t_esp_req(0xabc, 0x20, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	cr_assert_eq(req.seq_hi, 1);
	cr_assert(req.is_replay);
	ks_store_free(ks);
}

Test(replay, non_esn_sas_keep_the_high_half_zero)
{
	uint8_t body[64] = { 0x45, 0, 0, 0, 1, 2, 2, 4 }, out[64];
	struct ks_sa_spec sp = t_spec(DS_IPPROTO_ESP, 0xabc, "null", "", "",
	    "");
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ds_sa_open req;

	t_add(ks, &sp);
	req = t_esp_req(0xabc, 0xffffffff, body, 8, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	req = t_esp_req(0xabc, 1, body, 8, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	cr_assert_eq(req.seq_hi, 0);
	cr_assert(req.is_replay);	/* far left of 0xffffffff */
	cr_assert_eq(req.verdict, DS_ICV_NONE);
	ks_store_free(ks);
}
