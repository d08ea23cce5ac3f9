/* SPDX-License-Identifier: BSD-2-Clause */
/* ESP: the clear header, its parser's failures, and the layer and notes the
 * dissector leaves (RFC 4303 2, RFC 3948 2.1). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "util.h"

static const uint8_t hdr[] = {
	0x12, 0x34, 0x56, 0x78,		/* SPI */
	0x00, 0x00, 0x00, 0x2a,		/* sequence number 42 */
};

static const uint8_t pkt[] = {
	0x12, 0x34, 0x56, 0x78,		/* SPI */
	0x00, 0x00, 0x00, 0x2a,		/* sequence number 42 */
	0xde, 0xad, 0xbe, 0xef,		/* ciphertext, trailer, ICV: opaque */
	0x01, 0x02, 0x03, 0x04,
};

Test(esp, parses_spi_sequence_and_payload_length)
{
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	struct ds_esp esp;

	cr_assert_eq(ds_esp_parse(&c, &esp), DS_OK);
	cr_assert_eq(esp.spi, 0x12345678u);
	cr_assert_eq(esp.seq, 42);
	cr_assert_eq(esp.payload_len, sizeof pkt - 8);
	cr_assert_not(esp.in_udp);
	cr_assert_eq(c.p, pkt + 8, "cursor on the payload");
}

Test(esp, payload_length_counts_what_the_header_claims)
{
	struct ds_cur c = ds_cur_make(pkt, 8, 1400);
	struct ds_esp esp;

	cr_assert_eq(ds_esp_parse(&c, &esp), DS_OK);
	cr_assert_eq(esp.payload_len, 1392);
}

Test(esp, header_cut_at_every_length_is_truncated_and_unmoved)
{
	size_t n;

	for (n = 0; n < sizeof hdr; n++) {
		struct ds_cur c = ds_cur_make(hdr, n, sizeof pkt);
		struct ds_cur before = c;
		struct ds_esp esp;

		cr_assert_eq(ds_esp_parse(&c, &esp), DS_ETRUNC, "cap %zu", n);
		cr_assert_eq(c.p, before.p);
		cr_assert_eq(c.cap, before.cap);
		cr_assert_eq(c.rep, before.rep);
		cr_assert_eq(c.err, DS_OK, "the caller's cursor is untouched");
	}
}

Test(esp, claim_shorter_than_header_is_malformed_and_unmoved)
{
	size_t n;

	for (n = 0; n < sizeof hdr; n++) {
		struct ds_cur c = ds_cur_make(hdr, sizeof hdr, n);
		struct ds_esp esp;

		cr_assert_eq(ds_esp_parse(&c, &esp), DS_EMALFORMED, "rep %zu",
		    n);
		cr_assert_eq(c.p, hdr);
		cr_assert_eq(c.rep, n);
	}
}

Test(esp, short_claim_is_malformed_even_when_also_cut)
{
	struct ds_cur c = ds_cur_make(hdr, 2, 6);
	struct ds_esp esp;

	cr_assert_eq(ds_esp_parse(&c, &esp), DS_EMALFORMED);
}

Test(esp, dissects_a_layer_over_header_and_payload)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	const struct ds_layer *l;

	t_frame_under(&f, DS_P_IPV4, pkt, sizeof pkt);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	l = &f.layer[1];
	cr_assert_eq(l->proto, DS_P_ESP);
	cr_assert_eq(l->u.esp.spi, 0x12345678u);
	cr_assert_eq(l->u.esp.seq, 42);
	cr_assert_eq(l->u.esp.payload_len, 8);
	cr_assert_not(l->u.esp.in_udp);
	cr_assert_eq(l->bytes.p, pkt);
	cr_assert_eq(l->bytes.len, sizeof pkt);
	cr_assert_eq(f.nnotes, 0);
	cr_assert_eq(ds_left(&c), 0, "the payload is consumed");
}

Test(esp, after_udp_is_encapsulated)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);

	t_frame_under(&f, DS_P_UDP, pkt, sizeof pkt);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.layer[1].proto, DS_P_ESP);
	cr_assert(f.layer[1].u.esp.in_udp);
}

Test(esp, notes_spi_zero)
{
	static const uint8_t p[] = {
		0x00, 0x00, 0x00, 0x00,	/* SPI 0: never sent */
		0x00, 0x00, 0x00, 0x01,	/* sequence number */
		0xaa, 0xbb,		/* payload */
	};
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(p, sizeof p, sizeof p);

	t_frame_under(&f, DS_P_IPV4, p, sizeof p);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.layer[1].proto, DS_P_ESP);
	cr_assert(ds_frame_has_note(&f, DS_N_ESP_SPI_ZERO));
	cr_assert_eq(f.note[0].layer, 1, "noted on the ESP layer");
	cr_assert(f.is_malformed);
}

Test(esp, notes_spis_reserved_by_iana)
{
	static const uint32_t spis[] = { 1, 255, 256 };
	unsigned i;

	for (i = 0; i < DS_NELEM(spis); i++) {
		uint8_t p[] = {
			0x00, 0x00, (uint8_t)(spis[i] >> 8),
			(uint8_t)spis[i],	/* SPI */
			0x00, 0x00, 0x00, 0x01,	/* sequence number */
		};
		struct ds_frame f;
		struct ds_cur c = ds_cur_make(p, sizeof p, sizeof p);

		t_frame_under(&f, DS_P_IPV4, p, sizeof p);
		ds_esp_dissect(&f, &c);
		cr_assert_eq(ds_frame_has_note(&f, DS_N_ESP_SPI_RESERVED),
		    spis[i] < 256, "SPI %u", spis[i]);
		cr_assert_not(f.is_malformed, "reserved is not malformed");
	}
}

/* tcpdump's esp_truncated.pcap: four of the UDP payload's bytes captured. */
Test(esp, header_cut_after_spi_keeps_the_spi_and_notes_truncation)
{
	static const uint8_t p[] = {
		0xc0, 0xf7, 0xd4, 0xc3,	/* SPI, then the capture ends */
	};
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(p, sizeof p, 42);

	t_frame_under(&f, DS_P_UDP, p, sizeof p);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert_eq(f.layer[1].proto, DS_P_ESP);
	cr_assert_eq(f.layer[1].u.esp.spi, 0xc0f7d4c3u);
	cr_assert(f.layer[1].u.esp.in_udp);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert(f.is_truncated);
	cr_assert_not(f.is_malformed);
}

Test(esp, header_cut_before_spi_pushes_nothing)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 3, sizeof pkt);

	t_frame_under(&f, DS_P_IPV4, pkt, 3);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_eq(f.note[0].layer, 0, "noted on the carrier");
}

Test(esp, shorter_than_header_is_esp_short)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 6, 6);

	t_frame_under(&f, DS_P_IPV4, pkt, 6);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2, "the SPI was there");
	cr_assert_eq(f.layer[1].u.esp.spi, 0x12345678u);
	cr_assert(ds_frame_has_note(&f, DS_N_ESP_SHORT));
	cr_assert(f.is_malformed);
	cr_assert_not(f.is_truncated);
}

Test(esp, shorter_than_spi_is_esp_short_without_layer)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 3, 3);

	t_frame_under(&f, DS_P_IPV4, pkt, 3);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_ESP_SHORT));
}

Test(esp, payload_cut_by_the_capture_is_truncated)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 12, sizeof pkt);

	t_frame_under(&f, DS_P_IPV4, pkt, 12);
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.layer[1].u.esp.payload_len, sizeof pkt - 8);
	cr_assert_eq(f.layer[1].bytes.len, 12);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_eq(f.note[0].layer, 1);
}

Test(esp, quoted_in_an_icmp_error_is_not_truncated)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, 8, 1400);

	t_frame_init(&f, pkt, 8);
	cr_assert_not_null(ds_frame_push(&f, DS_P_ICMP, pkt, 8));
	f.layer[0].quoted = true;
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, 2);
	cr_assert(f.layer[1].quoted);
	cr_assert_eq(f.layer[1].u.esp.spi, 0x12345678u);
	cr_assert_eq(f.nnotes, 0);
}

Test(esp, full_frame_stops_without_a_layer)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(pkt, sizeof pkt, sizeof pkt);
	unsigned i;

	t_frame_init(&f, pkt, sizeof pkt);
	for (i = 0; i < DS_MAX_LAYERS; i++)
		cr_assert_not_null(ds_frame_push(&f, DS_P_IPV4, pkt,
		    sizeof pkt));
	ds_esp_dissect(&f, &c);
	cr_assert_eq(f.nlayers, DS_MAX_LAYERS);
	cr_assert(ds_frame_has_note(&f, DS_N_TOO_DEEP));
}

/* Through the engine, from a raw IPv4 link. */

static const uint8_t e2e_esp[] = {
	0x45, 0x00, 0x00, 0x24,		/* IPv4, IHL 5; total length 36 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x32, 0x8e, 0x70,		/* TTL 64, ESP; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x12, 0x34, 0x56, 0x78,		/* SPI */
	0x00, 0x00, 0x00, 0x2a,		/* sequence number 42 */
	0xde, 0xad, 0xbe, 0xef,		/* opaque payload */
	0x01, 0x02, 0x03, 0x04,
};

Test(esp, engine_dissects_esp_over_ipv4)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp);
	T_ASSERT_CHAIN(f, "ipv4,esp");
	cr_assert_eq(f->layer[1].u.esp.spi, 0x12345678u);
	cr_assert_eq(f->layer[1].u.esp.seq, 42);
	cr_assert_eq(f->layer[1].u.esp.payload_len, 8);
	cr_assert_not(f->layer[1].u.esp.in_udp);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_ESP], 1);
	cr_assert_eq(ds_engine_stats(e)->esp_in_udp, 0);
	ds_engine_free(e);
}

Test(esp, engine_notes_a_payload_cut_by_the_capture)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_cut(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp, 30);
	T_ASSERT_CHAIN(f, "ipv4,esp");
	cr_assert(f->is_truncated);
	cr_assert_not(f->is_malformed);
	cr_assert_eq(ds_engine_stats(e)->truncated, 1);
	ds_engine_free(e);
}

Test(esp, without_keys_is_not_tried_and_counted_without_sa)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_stats *st;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp);
	cr_assert_eq(f->layer[1].u.esp.status, DS_SAS_NOT_TRIED);
	cr_assert_eq(f->layer[1].u.esp.icv, DS_ICV_NONE);
	cr_assert_not(f->layer[1].u.esp.decrypted);
	cr_assert_eq(f->layer[1].u.esp.plain.len, 0);
	(void)t_dissect(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp);
	st = ds_engine_stats(e);
	cr_assert_not(st->has_keyring);
	cr_assert_eq(st->n_sa, 1);
	cr_assert_eq(st->sa[0].spi, 0x12345678u);
	cr_assert_eq(st->sa[0].sa_id, 0);
	cr_assert_eq(st->sa[0].frames, 2);
	cr_assert_eq(st->sa[0].status[DS_SAS_NOT_TRIED], 2);
	cr_assert_eq(st->sa[0].seq_max, 42);
	cr_assert_eq(st->esp_decrypted, 0);
	ds_engine_free(e);
}

Test(esp, cut_header_is_counted_once)
{
	struct ds_engine *e = NULL;

	(void)t_dissect_cut(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp, 26);
	cr_assert_eq(ds_engine_stats(e)->n_sa, 1);
	cr_assert_eq(ds_engine_stats(e)->sa[0].frames, 1);
	cr_assert_eq(ds_engine_stats(e)->sa[0].seq_max, 0);
	ds_engine_free(e);
}

Test(esp, pushed_layers_take_the_frame_s_depth)
{
	struct ds_frame f;

	t_frame_init(&f, pkt, sizeof pkt);
	cr_assert_not_null(ds_frame_push(&f, DS_P_IPV4, pkt, sizeof pkt));
	f.depth = 2;
	cr_assert_not_null(ds_frame_push(&f, DS_P_ICMP, pkt, sizeof pkt));
	f.depth = 0;
	cr_assert_not_null(ds_frame_push(&f, DS_P_DATA, pkt, sizeof pkt));
	cr_assert_eq(f.layer[0].depth, 0);
	cr_assert_eq(f.layer[1].depth, 2);
	cr_assert_eq(f.layer[2].depth, 0);
}
