/* SPDX-License-Identifier: BSD-2-Clause */
/* UDP port 4500: keepalive, non-ESP marker before IKE, and ESP in UDP told
 * apart, with the short and cut payloads between them (RFC 3948 2). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "util.h"

/*
 * Runs ds_natt_dissect() on `len` claimed octets of which `cap` were
 * captured, above a stand-in UDP layer, as the UDP dissector would.
 */
static void
natt_run(struct ds_frame *f, const uint8_t *p, size_t cap, size_t len)
{
	struct ds_cur c = ds_cur_make(p, cap, len);

	t_frame_init(f, p, cap);
	cr_assert_not_null(ds_frame_push(f, DS_P_UDP, p, cap));
	ds_natt_dissect(f, &c);
}

static const uint8_t ike[] = {
	0x00, 0x00, 0x00, 0x00,		/* non-ESP marker */
	0x89, 0x92, 0x2c, 0x91,		/* initiator's SPI */
	0x5f, 0x35, 0x57, 0x0e,
	0x7c, 0x9e, 0xbe, 0x2a,		/* responder's SPI */
	0x8e, 0x9f, 0xf7, 0xb8,
	0x2e,				/* next payload: SK (46) */
	0x20,				/* version 2.0 */
	0x23,				/* exchange: IKE_AUTH (35) */
	0x08,				/* flags: Initiator */
	0x00, 0x00, 0x00, 0x01,		/* message ID 1 */
	0x00, 0x00, 0x00, 0x20,		/* length 32 */
	0x00, 0x00, 0x00, 0x04,		/* SK payload header, no body */
};

static const uint8_t esp[] = {
	0xf4, 0xdc, 0x0a, 0xe5,		/* SPI */
	0x00, 0x00, 0x00, 0x01,		/* sequence number 1 */
	0x10, 0x11, 0x12, 0x13,		/* ciphertext */
};

Test(natt, single_ff_is_a_keepalive)
{
	static const uint8_t p[] = { 0xff };
	struct ds_frame f;

	natt_run(&f, p, sizeof p, sizeof p);
	T_ASSERT_CHAIN(&f, "udp,natt");
	cr_assert_eq(f.layer[1].u.natt.kind, DS_NATT_KEEPALIVE);
	cr_assert_eq(f.layer[1].bytes.p, p);
	cr_assert_eq(f.layer[1].bytes.len, 1);
	cr_assert(ds_frame_has_note(&f, DS_N_NATT_KEEPALIVE));
	cr_assert_eq(f.note[0].layer, 1);
	cr_assert_not(f.is_malformed);
	cr_assert_not(f.is_truncated);
}

Test(natt, single_octet_other_than_ff_is_short_esp)
{
	static const uint8_t p[] = { 0x00 };
	struct ds_frame f;

	natt_run(&f, p, sizeof p, sizeof p);
	T_ASSERT_CHAIN(&f, "udp");
	cr_assert(ds_frame_has_note(&f, DS_N_ESP_SHORT));
	cr_assert(f.is_malformed);
}

Test(natt, single_octet_not_captured_is_truncated)
{
	static const uint8_t p[] = { 0xff };
	struct ds_frame f;

	natt_run(&f, p, 0, 1);
	T_ASSERT_CHAIN(&f, "udp");
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_not(f.is_malformed);
}

Test(natt, ff_cut_from_a_longer_datagram_is_not_a_keepalive)
{
	static const uint8_t p[] = { 0xff };
	struct ds_frame f;

	natt_run(&f, p, 1, 100);
	T_ASSERT_CHAIN(&f, "udp");
	cr_assert_not(ds_frame_has_note(&f, DS_N_NATT_KEEPALIVE));
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
}

Test(natt, two_or_three_octets_are_short_esp)
{
	size_t n;

	for (n = 2; n < 4; n++) {
		struct ds_frame f;

		natt_run(&f, esp, n, n);
		T_ASSERT_CHAIN(&f, "udp");
		cr_assert(ds_frame_has_note(&f, DS_N_ESP_SHORT), "%zu", n);
		cr_assert_not(f.is_truncated);
	}
}

Test(natt, first_four_octets_cut_are_truncated_not_malformed)
{
	size_t n;

	for (n = 0; n < 4; n++) {
		struct ds_frame f;

		natt_run(&f, ike, n, sizeof ike);
		T_ASSERT_CHAIN(&f, "udp");
		cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED), "cap %zu", n);
		cr_assert_not(f.is_malformed, "cap %zu", n);
	}
}

Test(natt, empty_datagram_is_left_alone)
{
	struct ds_frame f;

	natt_run(&f, esp, 0, 0);
	T_ASSERT_CHAIN(&f, "udp");
	cr_assert_eq(f.nnotes, 0);
}

Test(natt, marker_then_ike)
{
	struct ds_frame f;

	natt_run(&f, ike, sizeof ike, sizeof ike);
	T_ASSERT_CHAIN(&f, "udp,natt,ikev2");
	cr_assert_eq(f.layer[1].u.natt.kind, DS_NATT_NON_ESP_MARKER);
	cr_assert_eq(f.layer[1].bytes.p, ike);
	cr_assert_eq(f.layer[1].bytes.len, 4);
	cr_assert(f.layer[2].u.ike.in_udp4500);
	cr_assert_eq(f.layer[2].u.ike.exch, 35);
	cr_assert_eq(f.layer[2].u.ike.msgid, 1);
	cr_assert_eq(f.layer[2].bytes.p, ike + 4);
	cr_assert_eq(f.layer[2].bytes.len, 32);
	/* the SK payload inside is only noted as encrypted */
	cr_assert_not(f.is_malformed);
	cr_assert_not(f.is_truncated);
}

Test(natt, marker_with_nothing_after_it_is_malformed)
{
	struct ds_frame f;

	natt_run(&f, ike, 4, 4);
	T_ASSERT_CHAIN(&f, "udp,natt");
	cr_assert_eq(f.layer[1].u.natt.kind, DS_NATT_NON_ESP_MARKER);
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_LEN));
}

Test(natt, marker_then_short_ike_is_data)
{
	struct ds_frame f;

	natt_run(&f, ike, 24, 24);
	T_ASSERT_CHAIN(&f, "udp,natt,data");
	cr_assert(ds_frame_has_note(&f, DS_N_IKE_LEN));
}

Test(natt, marker_then_ike_cut_by_the_capture)
{
	struct ds_frame f;

	natt_run(&f, ike, 20, sizeof ike);
	T_ASSERT_CHAIN(&f, "udp,natt,data");
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_not(f.is_malformed);
}

Test(natt, anything_else_is_esp_in_udp)
{
	struct ds_frame f;

	natt_run(&f, esp, sizeof esp, sizeof esp);
	T_ASSERT_CHAIN(&f, "udp,esp");
	cr_assert(f.layer[1].u.esp.in_udp);
	cr_assert_eq(f.layer[1].u.esp.spi, 0xf4dc0ae5u);
	cr_assert_eq(f.layer[1].u.esp.seq, 1);
	cr_assert_eq(f.layer[1].u.esp.payload_len, 4);
	cr_assert_eq(f.nnotes, 0);
}

/* tcpdump's esp_truncated.pcap: only the SPI was captured. */
Test(natt, esp_cut_after_its_spi_is_truncated_esp)
{
	static const uint8_t p[] = {
		0xc0, 0xf7, 0xd4, 0xc3,	/* SPI, then the capture ends */
	};
	struct ds_frame f;

	natt_run(&f, p, sizeof p, 42);
	T_ASSERT_CHAIN(&f, "udp,esp");
	cr_assert_eq(f.layer[1].u.esp.spi, 0xc0f7d4c3u);
	cr_assert(f.layer[1].u.esp.in_udp);
	cr_assert(ds_frame_has_note(&f, DS_N_TRUNCATED));
	cr_assert_not(f.is_malformed);
}

Test(natt, full_frame_stops_at_the_marker)
{
	struct ds_frame f;
	struct ds_cur c = ds_cur_make(ike, sizeof ike, sizeof ike);
	unsigned i;

	t_frame_init(&f, ike, sizeof ike);
	for (i = 0; i < DS_MAX_LAYERS; i++)
		cr_assert_not_null(ds_frame_push(&f, DS_P_UDP, ike,
		    sizeof ike));
	ds_natt_dissect(&f, &c);
	cr_assert_eq(f.nlayers, DS_MAX_LAYERS);
	cr_assert(ds_frame_has_note(&f, DS_N_TOO_DEEP));
}

/* Through the engine, from a raw IPv4 link. */

static const uint8_t e2e_keepalive[] = {
	0x45, 0x00, 0x00, 0x1d,		/* IPv4, IHL 5; total length 29 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x11, 0x8e, 0x98,		/* TTL 64, UDP; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x11, 0x94, 0x11, 0x94,		/* UDP 4500 > 4500 */
	0x00, 0x09, 0xf1, 0x7b,		/* length 9; checksum */
	0xff,				/* NAT keepalive */
};

static const uint8_t e2e_marker[] = {
	0x45, 0x00, 0x00, 0x40,		/* IPv4, IHL 5; total length 64 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x11, 0x8e, 0x75,		/* TTL 64, UDP; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x11, 0x94, 0x11, 0x94,		/* UDP 4500 > 4500 */
	0x00, 0x2c, 0x71, 0x60,		/* length 44; checksum */
	0x00, 0x00, 0x00, 0x00,		/* non-ESP marker */
	0x89, 0x92, 0x2c, 0x91,		/* IKE initiator's SPI */
	0x5f, 0x35, 0x57, 0x0e,
	0x7c, 0x9e, 0xbe, 0x2a,		/* IKE responder's SPI */
	0x8e, 0x9f, 0xf7, 0xb8,
	0x2e, 0x20, 0x23, 0x08,		/* SK; 2.0; IKE_AUTH; Initiator */
	0x00, 0x00, 0x00, 0x01,		/* message ID 1 */
	0x00, 0x00, 0x00, 0x20,		/* length 32 */
	0x00, 0x00, 0x00, 0x04,		/* SK payload header, no body */
};

static const uint8_t e2e_esp[] = {
	0x45, 0x00, 0x00, 0x28,		/* IPv4, IHL 5; total length 40 */
	0x00, 0x01, 0x00, 0x00,		/* ID 1; not fragmented */
	0x40, 0x11, 0x8e, 0x8d,		/* TTL 64, UDP; checksum */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x11, 0x94, 0x11, 0x94,		/* UDP 4500 > 4500 */
	0x00, 0x14, 0xce, 0x7f,		/* length 20; checksum */
	0xf4, 0xdc, 0x0a, 0xe5,		/* ESP SPI */
	0x00, 0x00, 0x00, 0x01,		/* sequence number 1 */
	0x10, 0x11, 0x12, 0x13,		/* ciphertext */
};

Test(natt, engine_counts_a_keepalive)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_keepalive,
	    sizeof e2e_keepalive);
	T_ASSERT_CHAIN(f, "ipv4,udp,natt");
	cr_assert(ds_frame_has_note(f, DS_N_NATT_KEEPALIVE));
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	cr_assert_eq(ds_engine_stats(e)->nat_keepalive, 1);
	ds_engine_free(e);
}

Test(natt, engine_counts_ike_after_a_marker)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_marker, sizeof e2e_marker);
	T_ASSERT_CHAIN(f, "ipv4,udp,natt,ikev2");
	cr_assert(f->layer[3].u.ike.in_udp4500);
	cr_assert_not(f->is_malformed);
	cr_assert_not(f->is_truncated);
	cr_assert_eq(ds_engine_stats(e)->ike_non_esp_marker, 1);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_IKEV2], 1);
	ds_engine_free(e);
}

Test(natt, engine_counts_esp_in_udp)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp);
	T_ASSERT_CHAIN(f, "ipv4,udp,esp");
	cr_assert_eq(f->layer[2].u.esp.spi, 0xf4dc0ae5u);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(ds_engine_stats(e)->esp_in_udp, 1);
	ds_engine_free(e);
}

Test(natt, engine_notes_esp_cut_after_its_spi)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_cut(&e, DS_LINKTYPE_RAW, e2e_esp, sizeof e2e_esp, 32);
	T_ASSERT_CHAIN(f, "ipv4,udp,esp");
	cr_assert_eq(f->layer[2].u.esp.spi, 0xf4dc0ae5u);
	cr_assert(f->is_truncated);
	cr_assert_not(f->is_malformed);
	ds_engine_free(e);
}
