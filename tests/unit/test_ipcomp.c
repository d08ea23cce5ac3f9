/* SPDX-License-Identifier: BSD-2-Clause */
/* IPComp: the header, its parser's failures, nesting, and the layer the
 * dissector leaves over the still compressed payload (RFC 3173 3.3). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/names.h"
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
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	cr_assert_eq(ds_engine_stats(e)->proto[DS_P_IPCOMP], 1);
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
