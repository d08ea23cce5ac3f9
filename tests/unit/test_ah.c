/* SPDX-License-Identifier: BSD-2-Clause */
/* AH: the header and its ICV, the length checks, alignment, and the payload
 * handed on by Next Header (RFC 4302 2, 3.3.3.2.1). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "util.h"

#define AH_LEN	24		/* (4 + 2) * 4: HMAC-SHA1-96 */

/* OSPFv3 under AH with a 96-bit ICV, as in tcpdump's OSPFv3_with_AH. */
static const uint8_t pkt[] = {
	0x59,				/* next header: OSPF (89) */
	0x04,				/* payload length: 6 words - 2 */
	0x00, 0x00,			/* reserved */
	0x00, 0x00, 0x01, 0x00,		/* SPI 0x100 */
	0x00, 0x00, 0x00, 0x07,		/* sequence number 7 */
	0xa1, 0xa2, 0xa3, 0xa4,		/* ICV, 12 octets */
	0xa5, 0xa6, 0xa7, 0xa8,
	0xa9, 0xaa, 0xab, 0xac,
	0x03, 0x01, 0x00, 0x28,		/* OSPFv3 header begins */
};

Test(ah, parses_header_and_icv)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	struct ds_ah ah;

	cr_assert_eq(ds_ah_parse(&c, &ah), DS_OK);
	cr_assert_eq(ah.nxt, 89);
	cr_assert_eq(ah.len, 4);
	cr_assert_eq(ah.reserved, 0);
	cr_assert_eq(ah.spi, 0x100);
	cr_assert_eq(ah.seq, 7);
	cr_assert_eq(ah.icv_len, 12);
	cr_assert_eq(ah.icv.p, pkt + 12);
	cr_assert_eq(ah.icv.len, 12);
	cr_assert_eq(c.p, pkt + AH_LEN, "cursor on the protected payload");
}

Test(ah, length_one_has_an_empty_icv)
{
	static const uint8_t p[] = {
		0x3b,			/* next header: none (59) */
		0x01,			/* payload length: 3 words - 2 */
		0x00, 0x00,		/* reserved */
		0x00, 0x00, 0x10, 0x00,	/* SPI */
		0x00, 0x00, 0x00, 0x01,	/* sequence number */
	};
	struct ds_cur c = ds_cur_make(p, sizeof p, sizeof p);
	struct ds_ah ah;

	cr_assert_eq(ds_ah_parse(&c, &ah), DS_OK);
	cr_assert_eq(ah.icv_len, 0);
	cr_assert_eq(ah.icv.len, 0);
	cr_assert_eq(ds_left(&c), 0);
}

Test(ah, header_cut_at_every_length_is_truncated_and_unmoved)
{
	size_t n;

	for (n = 0; n < AH_LEN; n++) {
		struct ds_cur c = ds_cur_make(pkt, n, sizeof pkt);
		struct ds_cur before = c;
		struct ds_ah ah;

		cr_assert_eq(ds_ah_parse(&c, &ah), DS_ETRUNC, "cap %zu", n);
		cr_assert_eq(c.p, before.p);
		cr_assert_eq(c.cap, before.cap);
		cr_assert_eq(c.rep, before.rep);
		cr_assert_eq(c.err, DS_OK);
	}
}

Test(ah, claim_shorter_than_header_is_malformed_and_unmoved)
{
	size_t n;

	for (n = 0; n < AH_LEN; n++) {
		struct ds_cur c = ds_cur_make(pkt, sizeof pkt, n);
		struct ds_ah ah;

		cr_assert_eq(ds_ah_parse(&c, &ah), DS_EMALFORMED, "rep %zu",
		    n);
		cr_assert_eq(c.p, pkt);
		cr_assert_eq(c.err, DS_OK);
	}
}

Test(ah, payload_length_zero_is_malformed)
{
	uint8_t p[sizeof pkt];
	struct ds_cur c;
	struct ds_ah ah;

	memcpy(p, pkt, sizeof p);
	p[1] = 0;			/* 8 octets: no room for the sequence */
	c = ds_cur_make(p, sizeof p, sizeof p);
	cr_assert_eq(ds_ah_parse(&c, &ah), DS_EMALFORMED);
	cr_assert_eq(c.p, p);
}

Test(ah, payload_length_past_the_packet_is_malformed)
{
	uint8_t p[sizeof pkt];
	struct ds_cur c;
	struct ds_ah ah;

	memcpy(p, pkt, sizeof p);
	p[1] = 255;			/* 1028 octets in a 28-octet payload */
	c = ds_cur_make(p, sizeof p, sizeof p);
	cr_assert_eq(ds_ah_parse(&c, &ah), DS_EMALFORMED);
	cr_assert_eq(c.p, p);
}

Test(ah, dissects_and_hands_the_payload_on)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	const struct ds_layer *l;

	t_frame_under(&f, DS_P_IPV6, pkt, sizeof pkt);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 3);
	l = &f.layer[1];
	cr_assert_eq(l->proto, DS_P_AH);
	cr_assert_eq(l->u.ah.spi, 0x100);
	cr_assert_eq(l->u.ah.seq, 7);
	cr_assert_eq(l->u.ah.icv_len, 12);
	cr_assert_eq(l->u.ah.icv.p, pkt + 12);
	cr_assert_eq(l->bytes.p, pkt);
	cr_assert_eq(l->bytes.len, sizeof pkt);
	cr_assert_eq(f.layer[2].proto, DS_P_DATA, "OSPF is not dissected");
	cr_assert_eq(f.layer[2].bytes.p, pkt + AH_LEN);
	cr_assert_eq(f.layer[2].bytes.len, 4);
	cr_assert_eq(f.nnotes, 0);
}

Test(ah, no_next_header_ends_the_chain)
{
	uint8_t p[AH_LEN];
	struct ds_frame f;
	struct ds_cur c;

	memcpy(p, pkt, sizeof p);
	p[0] = DS_IPPROTO_NONE;
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_IPV4, p, sizeof p);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.nnotes, 0);
}

/* 20 octets: a multiple of 4 but not of 8. */
static const uint8_t odd[] = {
	0x59,				/* next header: OSPF */
	0x03,				/* payload length: 5 words - 2 */
	0x00, 0x00,			/* reserved */
	0x00, 0x00, 0x01, 0x00,		/* SPI */
	0x00, 0x00, 0x00, 0x01,		/* sequence number */
	0xa1, 0xa2, 0xa3, 0xa4,		/* ICV, 8 octets */
	0xa5, 0xa6, 0xa7, 0xa8,
	0x03, 0x01, 0x00, 0x28,		/* payload */
};

Test(ah, under_ipv6_notes_a_length_not_multiple_of_8_and_goes_on)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(odd, sizeof odd, sizeof odd);

	t_frame_under(&f, DS_P_IPV6, odd, sizeof odd);
	ds_ah_dissect(&f, &c);
	cr_assert(ds_frame_has_note(&f, DS_N_AH_ALIGN));
	cr_assert_eq(f.note[0].layer, 1);
	cr_assert_eq(f.nlayers, 3, "the payload is still dissected");
	cr_assert_eq(f.layer[2].bytes.p, odd + 20);
}

Test(ah, under_ipv4_accepts_a_multiple_of_4)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(odd, sizeof odd, sizeof odd);

	t_frame_under(&f, DS_P_IPV4, odd, sizeof odd);
	ds_ah_dissect(&f, &c);
	cr_assert_not(ds_frame_has_note(&f, DS_N_AH_ALIGN));
	cr_assert_eq(f.nlayers, 3);
}

/* tcpdump's heapoverflow-ip_demux_print.pcap, frame 2: 14 octets of AH. */
Test(ah, icv_cut_by_the_capture_keeps_spi_and_notes_truncation)
{
	static const uint8_t p[] = {
		0x30,			/* next header: 48 */
		0x30,			/* payload length: 200 octets */
		0x30, 0x30,		/* reserved */
		0x30, 0x30, 0x30, 0x30,	/* SPI */
		0x30, 0x30, 0x30, 0x30,	/* sequence number */
		0x30, 0x30,		/* ICV, then the capture ends */
	};
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(p, sizeof p, 12316);

	t_frame_under(&f, DS_P_IPV4, p, sizeof p);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_AH);
	cr_assert_eq(f.layer[1].u.ah.spi, 0x30303030u);
	cr_assert_eq(f.layer[1].u.ah.seq, 0x30303030u);
	cr_assert_eq(f.layer[1].u.ah.icv_len, 188);
	cr_assert_eq(f.layer[1].u.ah.icv.len, 0, "not captured");
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_not(f.is_malformed);
}

Test(ah, payload_length_zero_is_noted_and_stops)
{
	uint8_t p[sizeof pkt];
	struct ds_frame f;
	struct ds_cur c;

	memcpy(p, pkt, sizeof p);
	p[1] = 0;
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_IPV6, p, sizeof p);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2, "AH, but nothing after it");
	cr_assert_eq(f.layer[1].u.ah.spi, 0x100);
	cr_assert(ds_frame_has_note(&f, DS_N_AH_LEN));
	cr_assert(f.is_malformed);
}

Test(ah, payload_length_past_the_packet_is_noted)
{
	uint8_t p[sizeof pkt];
	struct ds_frame f;
	struct ds_cur c;

	memcpy(p, pkt, sizeof p);
	p[1] = 255;
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_IPV6, p, sizeof p);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert(ds_frame_has_note(&f, DS_N_AH_LEN));
	cr_assert_not(f.is_truncated);
}

Test(ah, fixed_fields_cut_push_nothing)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 6, sizeof pkt);

	t_frame_under(&f, DS_P_IPV4, pkt, 6);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
}

Test(ah, claim_shorter_than_fixed_fields_is_ah_len)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 8, 8);

	t_frame_under(&f, DS_P_IPV4, pkt, 8);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_AH_LEN));
}

Test(ah, nested_without_end_stops_at_the_layer_limit)
{
	uint8_t p[12 * 20];
	struct ds_frame f;
	struct ds_cur c;
	size_t i;

	for (i = 0; i < sizeof p; i += 12) {
		memset(p + i, 0, 12);
		p[i] = DS_IPPROTO_AH;	/* next header: AH again */
		p[i + 1] = 1;		/* 12 octets, no ICV */
		p[i + 7] = 1;		/* SPI 1 */
	}
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_IPV4, p, sizeof p);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.nlayers, DS_MAX_LAYERS);
	cr_assert(ds_frame_has_note(&f, DS_N_TOO_DEEP));
}

/* Through the engine, from a raw IPv4 link. */

static const uint8_t e2e_ah[] = {
	0x45, 0x00, 0x00, 0x36,		/* IPv4, IHL 5; total length 54 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x33, 0x8e, 0x5d,		/* TTL 64, AH; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x11, 0x04, 0x00, 0x00,		/* AH: next UDP; length 4 */
	0x00, 0x00, 0x01, 0x00,		/* SPI 0x100 */
	0x00, 0x00, 0x00, 0x07,		/* sequence number 7 */
	0xa1, 0xa1, 0xa1, 0xa1,		/* ICV, 12 octets */
	0xa1, 0xa1, 0xa1, 0xa1,
	0xa1, 0xa1, 0xa1, 0xa1,
	0x04, 0xd2, 0x00, 0x09,		/* UDP 1234 > 9 */
	0x00, 0x0a, 0x00, 0x00,		/* length 10; no checksum */
	0x68, 0x69,			/* "hi" */
};

Test(ah, engine_dissects_what_ah_protects)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_ah, sizeof e2e_ah);
	T_ASSERT_CHAIN(f, "ipv4,ah,udp,data");
	cr_assert_eq(f->layer[1].u.ah.spi, 0x100);
	cr_assert_eq(f->layer[2].u.udp.dport, 9);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_AH], 1);
	ds_engine_free(e);
}

Test(ah, engine_keeps_ah_whose_icv_is_cut)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_cut(&e, DS_LINKTYPE_RAW, e2e_ah, sizeof e2e_ah, 34);
	T_ASSERT_CHAIN(f, "ipv4,ah");
	cr_assert_eq(f->layer[1].u.ah.spi, 0x100);
	cr_assert(f->is_truncated);
	cr_assert_not(f->is_malformed);
	ds_engine_free(e);
}
