/* SPDX-License-Identifier: BSD-2-Clause */
/* IPComp: the header, its parser's failures, nesting, and the layer the
 * dissector leaves over the still compressed payload (RFC 3173 3.3). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "dissect/dissect.h"
#include "dissect/names.h"
#include "ipsec/ipsec_int.h"
#include "util.h"

#define IPCOMP_LEN	4

static const uint8_t pkt[] = {
	0x04,				/* next header: IPv4 (tunnel mode) */
	0x00,				/* flags: reserved */
	0x00, 0x02,			/* CPI 2: DEFLATE */
	0x78, 0x9c, 0x63, 0x60,		/* compressed payload */
	0x00, 0x00, 0x00, 0x02,
};

Test(ipcomp, parses_next_header_flags_and_cpi)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	struct ds_ipcomp ipc;

	cr_assert_eq(ds_ipcomp_parse(&c, &ipc), DS_OK);
	cr_assert_eq(ipc.nxt, DS_IPPROTO_IPIP);
	cr_assert_eq(ipc.flags, 0);
	cr_assert_eq(ipc.cpi, 2);
	cr_assert_str_eq(ds_ipcomp_cpi_name(ipc.cpi), "DEFLATE");
	cr_assert_eq(ipc.payload_len, sizeof pkt - IPCOMP_LEN);
	cr_assert_eq(c.p, pkt + IPCOMP_LEN);
}

Test(ipcomp, names_the_well_known_cpis)
{
	cr_assert_str_eq(ds_ipcomp_cpi_name(1), "OUI");
	cr_assert_str_eq(ds_ipcomp_cpi_name(3), "LZS");
	cr_assert_str_eq(ds_ipcomp_cpi_name(4), "LZJH");
	cr_assert_null(ds_ipcomp_cpi_name(0x1234), "negotiated: a number");
}

Test(ipcomp, header_cut_at_every_length_is_truncated_and_unmoved)
{
	size_t n;

	for (n = 0; n < IPCOMP_LEN; n++) {
		struct ds_cur c = ds_cur_make(pkt, n, sizeof pkt);
		struct ds_cur before = c;
		struct ds_ipcomp ipc;

		cr_assert_eq(ds_ipcomp_parse(&c, &ipc), DS_ETRUNC, "cap %zu",
		    n);
		cr_assert_eq(c.p, before.p);
		cr_assert_eq(c.cap, before.cap);
		cr_assert_eq(c.rep, before.rep);
		cr_assert_eq(c.err, DS_OK);
	}
}

Test(ipcomp, claim_shorter_than_header_is_malformed_and_unmoved)
{
	size_t n;

	for (n = 0; n < IPCOMP_LEN; n++) {
		struct ds_cur c = ds_cur_make(pkt, sizeof pkt, n);
		struct ds_ipcomp ipc;

		cr_assert_eq(ds_ipcomp_parse(&c, &ipc), DS_EMALFORMED,
		    "rep %zu", n);
		cr_assert_eq(c.p, pkt);
	}
}

Test(ipcomp, dissects_a_layer_and_leaves_the_payload_compressed)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	const struct ds_layer *l;

	t_frame_under(&f, DS_P_IPV4, pkt, sizeof pkt);
	ds_ipcomp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2, "nothing after the compressed payload");
	l = &f.layer[1];
	cr_assert_eq(l->proto, DS_P_IPCOMP);
	cr_assert_eq(l->u.ipcomp.cpi, 2);
	cr_assert_eq(l->u.ipcomp.nxt, 4);
	cr_assert_eq(l->u.ipcomp.payload_len, 8);
	cr_assert_eq(l->bytes.p, pkt);
	cr_assert_eq(l->bytes.len, sizeof pkt);
	cr_assert_eq(f.nnotes, 0);
}

Test(ipcomp, inside_ipcomp_is_nested)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);

	t_frame_under(&f, DS_P_IPV4, pkt, sizeof pkt);
	cr_assert_not_null(ds_frame_push(&f, DS_P_IPCOMP, pkt, sizeof pkt));
	cr_assert_not_null(ds_frame_push(&f, DS_P_IPV4, pkt, sizeof pkt));
	ds_ipcomp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 4);
	cr_assert_eq(f.layer[3].proto, DS_P_IPCOMP);
	cr_assert(ds_frame_has_note(&f, DS_N_IPCOMP_NESTED));
	cr_assert_eq(f.note[0].layer, 3);
	cr_assert(f.is_malformed);
}

/* tcpdump's ipcomp-heapoverflow.pcap: the capture ends at the header. */
Test(ipcomp, header_not_captured_is_truncated_without_layer)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 0, 12316);

	t_frame_under(&f, DS_P_IPV4, pkt, 0);
	ds_ipcomp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_not(f.is_malformed);
}

Test(ipcomp, claim_shorter_than_header_is_malformed_without_layer)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 3, 3);

	t_frame_under(&f, DS_P_IPV4, pkt, 3);
	ds_ipcomp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_MALFORMED));
}

Test(ipcomp, payload_cut_by_the_capture_is_truncated)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 6, sizeof pkt);

	t_frame_under(&f, DS_P_IPV4, pkt, 6);
	ds_ipcomp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].u.ipcomp.payload_len, 8);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
}

Test(ipcomp, quoted_in_an_icmp_error_is_not_truncated)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 8, 1400);

	t_frame_init(&f, pkt, 8);
	cr_assert_not_null(ds_frame_push(&f, DS_P_ICMP, pkt, 8));
	f.layer[0].quoted = true;
	ds_ipcomp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert(f.layer[1].quoted);
	cr_assert_eq(f.nnotes, 0);
}

/* Through the engine, from a raw IPv4 link. */

static const uint8_t e2e_ipcomp[] = {
	0x45, 0x00, 0x00, 0x20,		/* IPv4, IHL 5; total length 32 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x6c, 0x8e, 0x3a,		/* TTL 64, IPComp; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x04, 0x00, 0x00, 0x02,		/* IPComp: next IPv4; DEFLATE */
	0x78, 0x9c, 0x63, 0x60,		/* compressed payload */
	0x00, 0x00, 0x00, 0x02,
};

Test(ipcomp, engine_dissects_ipcomp_over_ipv4)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_ipcomp, sizeof e2e_ipcomp);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp");
	cr_assert_eq(f->layer[1].u.ipcomp.cpi, 2);
	/* a zlib header: RFC 2394 2 wants raw DEFLATE */
	cr_assert_not(f->layer[1].u.ipcomp.inflated);
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_INFLATE));
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_IPCOMP], 1);
	cr_assert_eq(ds_engine_stats(e)->ipcomp_inflated, 0);
	ds_engine_free(e);
}

/* As tcpdump's ipcomp-heapoverflow.pcap: the capture ends at the header. */
Test(ipcomp, engine_notes_a_header_not_captured)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_cut(&e, DS_LINKTYPE_RAW, e2e_ipcomp, sizeof e2e_ipcomp,
	    20);
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(f->is_truncated);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_IPCOMP], 0);
	ds_engine_free(e);
}

/* --- decompression -------------------------------------------------------- */

/* The inner packet: IPv4 + UDP + text, 88 octets. */
static size_t
inner_v4(uint8_t *b)
{
	size_t n = 88, i;

	memset(b, 0, n);
	b[0] = 0x45;
	b[3] = (uint8_t)n;
	b[8] = 64;
	b[9] = DS_IPPROTO_UDP;
	memcpy(b + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	b[20] = 0x13;				/* UDP 5000 > 5001 */
	b[21] = 0x88;
	b[22] = 0x13;
	b[23] = 0x89;
	b[25] = (uint8_t)(n - 20);
	for (i = 28; i < n; i++)
		b[i] = (uint8_t)"compress me, compress me "[(i - 28) % 25];
	return n;
}

/* RFC 2394 2: raw DEFLATE, as a sender makes it. */
static size_t
deflate_raw(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z;
	size_t got;

	memset(&z, 0, sizeof z);
	cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	got = cap - z.avail_out;
	deflateEnd(&z);
	return got;
}

/* Outer IPv4 + IPComp(cpi, nxt) + `pay`; returns the length. */
static size_t
outer(uint8_t *b, uint16_t cpi, uint8_t nxt, const uint8_t *pay, size_t n)
{
	size_t len = 20 + 4 + n;

	memset(b, 0, 24);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[8] = 64;
	b[9] = DS_IPPROTO_COMP;
	memcpy(b + 12, "\xc0\x00\x02\x01\xc6\x33\x64\x02", 8);
	b[20] = nxt;
	b[22] = (uint8_t)(cpi >> 8);
	b[23] = (uint8_t)cpi;
	memcpy(b + 24, pay, n);
	return len;
}

static uint8_t big[1 << 17];

Test(ipcomp, deflate_payload_is_inflated_and_dissected_by_next_header)
{
	uint8_t in[128], z[256];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n = inner_v4(in), zn = deflate_raw(in, n, z, sizeof z), len;

	len = outer(big, 2, DS_IPPROTO_IPIP, z, zn);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp,ipv4,udp,data");
	cr_assert(f->layer[1].u.ipcomp.inflated);
	cr_assert_eq(f->layer[1].u.ipcomp.plain.len, n);
	cr_assert_arr_eq(f->layer[1].u.ipcomp.plain.p, in, n);
	cr_assert_eq(f->layer[3].u.udp.dport, 5001);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(ds_engine_stats(e)->ipcomp_inflated, 1);
	ds_engine_free(e);
}

Test(ipcomp, transport_mode_hands_udp_on)
{
	uint8_t in[128], z[256];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n = inner_v4(in), zn, len;

	zn = deflate_raw(in + 20, n - 20, z, sizeof z);
	len = outer(big, 2, DS_IPPROTO_UDP, z, zn);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp,udp,data");
	ds_engine_free(e);
}

Test(ipcomp, deflate_cut_or_corrupt_at_every_length_is_never_dissected)
{
	uint8_t in[128], z[256];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n = inner_v4(in), zn = deflate_raw(in, n, z, sizeof z), len, k;

	for (k = 0; k < zn; k++) {
		len = outer(big, 2, DS_IPPROTO_IPIP, z, k);
		f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
		cr_assert_eq(f->nlayers, 2, "cut at %zu", k);
		cr_assert_not(f->layer[1].u.ipcomp.inflated);
		if (k > 0)
			cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_INFLATE));
	}
	for (k = 0; k < zn; k++) {
		/* a flipped bit inflates to garbage or fails: never a crash */
		len = outer(big, 2, DS_IPPROTO_IPIP, z, zn);
		big[24 + k] ^= 0x10;
		f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
		cr_assert_leq(f->nlayers, DS_MAX_LAYERS);
	}
	/* bytes after the end of the stream are not DEFLATE's */
	memcpy(z + zn, "xx", 2);
	len = outer(big, 2, DS_IPPROTO_IPIP, z, zn + 2);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_INFLATE));
	ds_engine_free(e);
}

Test(ipcomp, a_bomb_stops_at_the_cap_and_nothing_is_dissected)
{
	static uint8_t zeros[1 << 16], z[1 << 12];
	struct ds_engine_cfg cfg;
	struct ds_engine *e;
	const struct ds_frame *f;
	size_t zn = deflate_raw(zeros, sizeof zeros, z, sizeof z), len;

	cr_assert_lt(zn, 200, "64 KiB of zeros deflate small");
	ds_engine_cfg_default(&cfg);
	cfg.ipcomp_max_out = 4096;
	e = ds_engine_new(&cfg);
	len = outer(big, 2, DS_IPPROTO_IPIP, z, zn);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp");
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_CAP));
	cr_assert_not(f->layer[1].u.ipcomp.inflated);
	cr_assert_eq(ds_engine_stats(e)->ipcomp_inflated, 0);
	ds_engine_free(e);
}

Test(ipcomp, output_exactly_at_the_cap_is_accepted)
{
	uint8_t in[128], z[256];
	struct ds_engine_cfg cfg;
	struct ds_engine *e;
	const struct ds_frame *f;
	size_t n = inner_v4(in), zn = deflate_raw(in, n, z, sizeof z), len;

	ds_engine_cfg_default(&cfg);
	cfg.ipcomp_max_out = n;
	e = ds_engine_new(&cfg);
	len = outer(big, 2, DS_IPPROTO_IPIP, z, zn);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	cr_assert(f->layer[1].u.ipcomp.inflated);
	ds_engine_free(e);
	cfg.ipcomp_max_out = n - 1;
	e = ds_engine_new(&cfg);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_CAP));
	ds_engine_free(e);
}

Test(ipcomp, oui_lzjh_and_reserved_cpis_stay_compressed)
{
	static const uint16_t cpis[] = { 0, 1, 4, 5, 63, 64, 255 };
	uint8_t in[128], z[256];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n = inner_v4(in), zn = deflate_raw(in, n, z, sizeof z), len, i;

	for (i = 0; i < DS_NELEM(cpis); i++) {
		len = outer(big, cpis[i], DS_IPPROTO_IPIP, z, zn);
		f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
		T_ASSERT_CHAIN(f, "ipv4,ipcomp");
		cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_UNKNOWN_CPI),
		    "cpi %u", cpis[i]);
	}
	ds_engine_free(e);
}

Test(ipcomp, negotiated_cpi_is_guessed_as_deflate_only_when_clean)
{
	uint8_t in[128], z[256];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n = inner_v4(in), zn = deflate_raw(in, n, z, sizeof z), len;

	len = outer(big, 0x1234, DS_IPPROTO_IPIP, z, zn);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp,ipv4,udp,data");
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_GUESS));
	len = outer(big, 0x1234, DS_IPPROTO_IPIP, z, zn - 1);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp");
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_UNKNOWN_CPI));
	cr_assert_not(ds_frame_has_note(f, DS_N_IPCOMP_INFLATE));
	ds_engine_free(e);
}

/* LZS, CPI 3: literals "abcabcabc" as 'a' 'b' 'c', then offset 3 len 6. */
Test(ipcomp, lzs_payload_is_decompressed)
{
	/*
	 * 0 01100001  0 01100010  0 01100011   literals a b c
	 * 1 1 0000011 1101                      offset 3, length 6
	 * 1 1 0000000                           end marker, then pad
	 */
	static const uint8_t lzs[] = { 0x30, 0x98, 0x8c, 0x78, 0x3d, 0xc0,
	    0x00 };
	uint8_t out[64];
	size_t n;
	struct ds_view v = { lzs, sizeof lzs };

	cr_assert_eq(ds_lzs_decompress(v, out, sizeof out, &n), DS_OK);
	cr_assert_eq(n, 9);
	cr_assert_arr_eq(out, "abcabcabc", 9);
}

Test(ipcomp, lzs_cpi_3_through_the_engine)
{
	static const uint8_t lzs[] = { 0x30, 0x98, 0x8c, 0x78, 0x3d, 0xc0,
	    0x00 };
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t len;

	len = outer(big, 3, 253, lzs, sizeof lzs);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp,data");
	cr_assert(f->layer[1].u.ipcomp.inflated);
	cr_assert_arr_eq(f->layer[2].bytes.p, "abcabcabc", 9);
	len = outer(big, 3, 253, lzs, sizeof lzs - 2);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	cr_assert(ds_frame_has_note(f, DS_N_IPCOMP_INFLATE));
	ds_engine_free(e);
}

/* IKEv2 IKE_SA_INIT with N(IPCOMP_SUPPORTED): CPI 0x1234, LZS (3). */
static const uint8_t ike_ipcomp[] = {
	0x45, 0x00, 0x00, 0x43,		/* IPv4, total length 67 */
	0x00, 0x01, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00,		/* UDP */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x01, 0xf4, 0x01, 0xf4,		/* UDP 500 > 500 */
	0x00, 0x2f, 0x00, 0x00,		/* length 47 */
	1, 2, 3, 4, 5, 6, 7, 8,		/* initiator SPI */
	0, 0, 0, 0, 0, 0, 0, 0,		/* responder SPI */
	0x29, 0x20, 0x22, 0x08,		/* N; 2.0; IKE_SA_INIT; I */
	0x00, 0x00, 0x00, 0x00,		/* message ID 0 */
	0x00, 0x00, 0x00, 0x27,		/* length 39 */
	0x00, 0x00, 0x00, 0x0b,		/* Notify, 11 octets */
	0x00, 0x00, 0x40, 0x03,		/* no SPI; IPCOMP_SUPPORTED */
	0x12, 0x34, 0x03,		/* CPI 0x1234, IPCOMP_LZS */
};

Test(ipcomp, negotiated_cpi_takes_the_transform_ike_gave_it)
{
	static const uint8_t lzs[] = { 0x30, 0x98, 0x8c, 0x78, 0x3d, 0xc0,
	    0x00 };
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t len;

	f = t_dissect(&e, DS_LINKTYPE_RAW, ike_ipcomp, sizeof ike_ipcomp);
	T_ASSERT_CHAIN(f, "ipv4,udp,ikev2");
	len = outer(big, 0x1234, 253, lzs, sizeof lzs);
	f = t_dissect(&e, DS_LINKTYPE_RAW, big, len);
	T_ASSERT_CHAIN(f, "ipv4,ipcomp,data");
	cr_assert(f->layer[1].u.ipcomp.inflated);
	cr_assert_not(ds_frame_has_note(f, DS_N_IPCOMP_GUESS));
	cr_assert_arr_eq(f->layer[2].bytes.p, "abcabcabc", 9);
	ds_engine_free(e);
}
