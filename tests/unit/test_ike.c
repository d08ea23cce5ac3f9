/* SPDX-License-Identifier: BSD-2-Clause */
/* The ISAKMP / IKE fixed header: parsing, the length checks, the version
 * that picks the layer, and what is kept when it is not there
 * (RFC 2408 3.1, RFC 7296 2.5, 3.1). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "util.h"

#define IKE_HDR_LEN	28

/* An IKEv2 IKE_SA_INIT request with one empty-bodied payload. */
static const uint8_t v2[] = {
	0x5a, 0x64, 0xe0, 0xed,		/* initiator's SPI */
	0xca, 0x3a, 0x36, 0x14,
	0x00, 0x00, 0x00, 0x00,		/* responder's SPI: not yet known */
	0x00, 0x00, 0x00, 0x00,
	0x2b,				/* next payload: Vendor ID (43) */
	0x20,				/* version 2.0 */
	0x22,				/* exchange: IKE_SA_INIT (34) */
	0x08,				/* flags: Initiator */
	0x00, 0x00, 0x00, 0x00,		/* message ID 0 */
	0x00, 0x00, 0x00, 0x24,		/* length 36 */
	0x00, 0x00, 0x00, 0x08,		/* Vendor ID header: last, 8 */
	0x01, 0x02, 0x03, 0x04,		/* its body: the ID */
};

/* An ISAKMP (IKEv1) Main Mode message, header only. */
static const uint8_t v1[] = {
	0x9e, 0x89, 0xf2, 0x38,		/* initiator cookie */
	0x8f, 0x90, 0xbc, 0x1e,
	0x0a, 0x74, 0x35, 0x7c,		/* responder cookie */
	0xe3, 0xd1, 0xa4, 0xbf,
	0x00,				/* next payload: none */
	0x10,				/* version 1.0 */
	0x02,				/* exchange: Identity Protection */
	0x01,				/* flags: Encryption */
	0x00, 0x00, 0x00, 0x00,		/* message ID 0 */
	0x00, 0x00, 0x00, 0x1c,		/* length 28 */
};

/* A copy of the IKEv2 fixture with another version or length. */
static void
v2_with(uint8_t *p, uint8_t version, uint32_t len)
{
	memcpy(p, v2, sizeof v2);
	p[17] = version;
	p[24] = (uint8_t)(len >> 24);
	p[25] = (uint8_t)(len >> 16);
	p[26] = (uint8_t)(len >> 8);
	p[27] = (uint8_t)len;
}

Test(ike, parses_the_ikev2_header)
{
	static const uint8_t ispi[8] = {
		0x5a, 0x64, 0xe0, 0xed, 0xca, 0x3a, 0x36, 0x14,
	};
	static const uint8_t zero[8];
	struct ds_cur c = ds_cur_make(v2, sizeof v2, sizeof v2);
	struct ds_ike ike;

	cr_assert_eq(ds_ike_parse(&c, &ike), DS_OK);
	cr_assert_arr_eq(ike.ispi, ispi, 8);
	cr_assert_arr_eq(ike.rspi, zero, 8);
	cr_assert_eq(ike.np, 43);
	cr_assert_eq(ike.version, 0x20);
	cr_assert_eq(ike.exch, 34);
	cr_assert_eq(ike.flags, 0x08);
	cr_assert_eq(ike.msgid, 0);
	cr_assert_eq(ike.len, 36);
	cr_assert_not(ike.in_udp4500);
	cr_assert_eq(c.p, v2 + IKE_HDR_LEN, "cursor on the first payload");
}

Test(ike, parses_the_isakmp_header)
{
	struct ds_cur c = ds_cur_make(v1, sizeof v1, sizeof v1);
	struct ds_ike ike;

	cr_assert_eq(ds_ike_parse(&c, &ike), DS_OK);
	cr_assert_eq(ike.version, 0x10);
	cr_assert_eq(ike.exch, 2);
	cr_assert_eq(ike.flags, 0x01);
	cr_assert_eq(ike.len, 28);
	cr_assert_eq(ds_left(&c), 0);
}

Test(ike, header_cut_at_every_length_is_truncated_and_unmoved)
{
	size_t n;

	for (n = 0; n < IKE_HDR_LEN; n++) {
		struct ds_cur c = ds_cur_make(v2, n, sizeof v2);
		struct ds_cur before = c;
		struct ds_ike ike;

		cr_assert_eq(ds_ike_parse(&c, &ike), DS_ETRUNC, "cap %zu", n);
		cr_assert_eq(c.p, before.p);
		cr_assert_eq(c.cap, before.cap);
		cr_assert_eq(c.rep, before.rep);
		cr_assert_eq(c.err, DS_OK);
	}
}

Test(ike, claim_shorter_than_header_is_malformed_and_unmoved)
{
	size_t n;

	for (n = 0; n < IKE_HDR_LEN; n++) {
		struct ds_cur c = ds_cur_make(v2, sizeof v2, n);
		struct ds_ike ike;

		cr_assert_eq(ds_ike_parse(&c, &ike), DS_EMALFORMED, "rep %zu",
		    n);
		cr_assert_eq(c.p, v2);
	}
}

Test(ike, length_below_the_header_is_malformed)
{
	static const uint32_t lens[] = { 0, 1, 27 };
	uint8_t p[sizeof v2];
	unsigned i;

	for (i = 0; i < DS_NELEM(lens); i++) {
		struct ds_cur c;
		struct ds_ike ike;

		v2_with(p, 0x20, lens[i]);
		c = ds_cur_make(p, sizeof p, sizeof p);
		cr_assert_eq(ds_ike_parse(&c, &ike), DS_EMALFORMED, "len %u",
		    lens[i]);
		cr_assert_eq(c.p, p);
	}
}

Test(ike, length_past_the_datagram_is_malformed)
{
	uint8_t p[sizeof v2];
	struct ds_cur c;
	struct ds_ike ike;

	v2_with(p, 0x20, sizeof v2 + 1);
	c = ds_cur_make(p, sizeof p, sizeof p);
	cr_assert_eq(ds_ike_parse(&c, &ike), DS_EMALFORMED);
	cr_assert_eq(c.p, p);
}

Test(ike, message_not_captured_whole_still_parses_its_header)
{
	struct ds_cur c = ds_cur_make(v2, IKE_HDR_LEN, sizeof v2);
	struct ds_ike ike;

	cr_assert_eq(ds_ike_parse(&c, &ike), DS_OK);
	cr_assert_eq(ike.len, sizeof v2);
}

Test(ike, dissects_ikev2_over_the_whole_message)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v2, sizeof v2, sizeof v2);
	const struct ds_layer *l;

	t_frame_under(&f, DS_P_UDP, v2, sizeof v2);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	l = &f.layer[1];
	cr_assert_eq(l->proto, DS_P_IKEV2);
	cr_assert_eq(l->u.ike.exch, 34);
	cr_assert_eq(l->u.ike.len, 36);
	cr_assert_not(l->u.ike.in_udp4500);
	cr_assert_eq(l->bytes.p, v2);
	cr_assert_eq(l->bytes.len, sizeof v2);
	cr_assert_eq(f.nnotes, 0);
	cr_assert_eq(c.p, v2 + IKE_HDR_LEN);
}

Test(ike, dissects_isakmp_version_1)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v1, sizeof v1, sizeof v1);

	t_frame_under(&f, DS_P_UDP, v1, sizeof v1);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_ISAKMP);
	cr_assert_eq(f.nnotes, 0);
}

Test(ike, bytes_after_the_message_are_not_part_of_it)
{
	uint8_t p[sizeof v2];
	struct ds_frame f;
	struct ds_cur c;

	v2_with(p, 0x20, 30);
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_UDP, p, sizeof p);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.layer[1].bytes.len, 30);
	/* the 2 octets left cannot hold the Vendor ID payload that follows */
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_PL_LEN));
}

Test(ike, unknown_major_version_is_isakmp_with_a_note)
{
	static const uint8_t versions[] = { 0x00, 0x30, 0xbe, 0xf0 };
	uint8_t p[sizeof v2];
	unsigned i;

	for (i = 0; i < DS_NELEM(versions); i++) {
		struct ds_frame f;
		struct ds_cur c;

		v2_with(p, versions[i], sizeof v2);
		c = ds_cur_make(p, sizeof p, sizeof p);
		t_frame_under(&f, DS_P_UDP, p, sizeof p);
		ds_ike_dissect(&f, &c);
		cr_assert_eq(f.nlayers, 2);
		cr_assert_eq(f.layer[1].proto, DS_P_ISAKMP, "0x%02x",
		    versions[i]);
		cr_assert_eq(f.layer[1].u.ike.version, versions[i]);
		cr_assert(ds_frame_has_note(&f, DS_N_IKE_VERSION));
		cr_assert_not(f.is_malformed, "a version is not malformed");
	}
}

/* tcpdump's isakmp-ikev1_n_print-oobr.pcap carries version 0x2c. */
Test(ike, minor_version_is_ignored)
{
	uint8_t p[sizeof v2];
	struct ds_frame f;
	struct ds_cur c;

	v2_with(p, 0x2c, sizeof v2);
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_UDP, p, sizeof p);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.layer[1].proto, DS_P_IKEV2);
	cr_assert_eq(f.layer[1].u.ike.version, 0x2c);
	cr_assert_not(ds_frame_has_note(&f, DS_N_IKE_VERSION));
}

Test(ike, after_a_non_esp_marker_is_on_4500)
{
	static const uint8_t marker[4];
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v2, sizeof v2, sizeof v2);
	struct ds_layer *m;

	t_frame_under(&f, DS_P_UDP, v2, sizeof v2);
	m = ds_frame_push(&f, DS_P_NATT, marker, sizeof marker);
	cr_assert_not_null(m);
	m->u.natt.kind = DS_NATT_NON_ESP_MARKER;
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 3);
	cr_assert(f.layer[2].u.ike.in_udp4500);
}

Test(ike, message_cut_by_the_capture_is_truncated)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v2, 30, sizeof v2);

	t_frame_under(&f, DS_P_UDP, v2, 30);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_IKEV2);
	cr_assert_eq(f.layer[1].bytes.len, 30, "what was captured");
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_eq(f.note[0].layer, 1);
	cr_assert_not(f.is_malformed);
}

/* tcpdump's isakmp-various-oobr.pcap: tshark shows the header too. */
Test(ike, length_past_the_datagram_keeps_the_header_and_notes_it)
{
	uint8_t p[sizeof v2];
	struct ds_frame f;
	struct ds_cur c;

	v2_with(p, 0x10, 0x7f000000);
	c = ds_cur_make(p, sizeof p, sizeof p);
	t_frame_under(&f, DS_P_UDP, p, sizeof p);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_ISAKMP);
	cr_assert_eq(f.layer[1].bytes.len, sizeof p);
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_LEN));
	cr_assert(f.is_malformed);
}

/* tcpdump's isakmp-pointer-loop.pcap: length 0 in a 30-octet datagram. */
Test(ike, length_below_the_header_is_data_not_ike)
{
	uint8_t p[sizeof v2];
	struct ds_frame f;
	struct ds_cur c;

	v2_with(p, 0x10, 0);
	c = ds_cur_make(p, 30, 30);
	t_frame_under(&f, DS_P_UDP, p, 30);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_DATA);
	cr_assert_eq(f.layer[1].bytes.len, 30);
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_LEN));
	cr_assert_eq(f.note[0].layer, 1);
}

Test(ike, datagram_shorter_than_the_header_is_data)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v2, 20, 20);

	t_frame_under(&f, DS_P_UDP, v2, 20);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_DATA);
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_LEN));
	cr_assert_not(f.is_truncated);
}

Test(ike, header_cut_by_the_capture_is_truncated_data)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v2, 20, sizeof v2);

	t_frame_under(&f, DS_P_UDP, v2, 20);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_DATA);
	cr_assert_eq(f.layer[1].bytes.len, 20);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_not(f.is_malformed);
}

Test(ike, nothing_captured_pushes_nothing)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(v2, 0, sizeof v2);

	t_frame_under(&f, DS_P_UDP, v2, 0);
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
}

Test(ike, empty_after_a_marker_is_malformed)
{
	static const uint8_t marker[4];
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(marker, 0, 0);
	struct ds_layer *m;

	t_frame_under(&f, DS_P_UDP, marker, sizeof marker);
	m = ds_frame_push(&f, DS_P_NATT, marker, sizeof marker);
	cr_assert_not_null(m);
	m->u.natt.kind = DS_NATT_NON_ESP_MARKER;
	ds_ike_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_LEN));
}

/* Through the engine, from a raw IPv4 link. */

static const uint8_t e2e_ike1[] = {
	0x45, 0x00, 0x00, 0x38,		/* IPv4, IHL 5; total length 56 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x11, 0x8e, 0x7d,		/* TTL 64, UDP; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x01, 0xf4, 0x01, 0xf4,		/* UDP 500 > 500 */
	0x00, 0x24, 0x68, 0x67,		/* length 36; checksum */
	0x9e, 0x89, 0xf2, 0x38,		/* initiator cookie */
	0x8f, 0x90, 0xbc, 0x1e,
	0x0a, 0x74, 0x35, 0x7c,		/* responder cookie */
	0xe3, 0xd1, 0xa4, 0xbf,
	0x00, 0x10, 0x02, 0x00,		/* none; 1.0; Main Mode; no flags */
	0x00, 0x00, 0x00, 0x00,		/* message ID 0 */
	0x00, 0x00, 0x00, 0x1c,		/* length 28 */
};

Test(ike, engine_dissects_isakmp_on_port_500)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_ike1, sizeof e2e_ike1);
	T_ASSERT_CHAIN(f, "ipv4,udp,isakmp");
	cr_assert_eq(f->layer[2].u.ike.exch, 2);
	cr_assert_not(f->layer[2].u.ike.in_udp4500);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_ISAKMP], 1);
	cr_assert_eq(ds_engine_stats(e)->ike_non_esp_marker, 0);
	ds_engine_free(e);
}

Test(ike, engine_keeps_a_cut_header_as_data)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_cut(&e, DS_LINKTYPE_RAW, e2e_ike1, sizeof e2e_ike1, 40);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(f->is_truncated);
	cr_assert_not(f->is_malformed);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_ISAKMP], 0);
	ds_engine_free(e);
}
