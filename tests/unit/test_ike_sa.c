/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-IKE-SA view: messages filed by SPI pair, exchanges and
 * retransmissions, proposals, copies of nonces and KE data, Child SA SPIs,
 * NAT detection (RFC 7296 2.1, 2.2, 2.23; RFC 2409 5; RFC 3947 3.2), the
 * caps, and its rendering in the summary.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/capture.h"
#include "dissect/dissect.h"
#include "dissect/ike.h"
#include "ike/ikev2_const.h"
#include "sink/ike_summary.h"
#include "util.h"

#define I_FLAG	0x08
#define R_FLAG	0x20

static const uint8_t ispi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t ispi2[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
static const uint8_t rspi[8] = {
	0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
};
static const uint8_t rspi2[8] = {
	0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8,
};
static const uint8_t zero[8];

/*
 * NAT detection hashes (computed with Python's hashlib): SHA-1 or the IKEv1
 * hash of SPIi | SPIr | address | port, RFC 7296 2.23, RFC 3947 3.2.
 */
/* SPIr zero, 192.0.2.1:500 (the initiator) */
static const uint8_t v2_req_i[] = {
	0x64, 0x4b, 0x45, 0x75, 0x45, 0x5b, 0xd6, 0xfc,
	0xc1, 0xef, 0xe2, 0xbe, 0x81, 0x62, 0xa9, 0x21,
	0x8e, 0x44, 0x8e, 0x5f,
};
/* SPIr zero, 198.51.100.2:500 (the responder) */
static const uint8_t v2_req_r[] = {
	0xff, 0xb5, 0xf3, 0x4c, 0x3c, 0x39, 0xa7, 0x5d,
	0xe3, 0xd3, 0xbf, 0xac, 0xc2, 0x31, 0xe5, 0x64,
	0x9f, 0x99, 0x1d, 0x18,
};
/* SPIr zero, 10.0.0.1:500 (the initiator's address before a NAT) */
static const uint8_t v2_req_priv[] = {
	0x32, 0x91, 0x11, 0xf2, 0xe9, 0x0a, 0x89, 0xef,
	0x5c, 0x4c, 0xab, 0xcd, 0xcc, 0xc0, 0xf9, 0xef,
	0xa6, 0x8f, 0x3f, 0x88,
};
/* SPIr a1..a8, 198.51.100.2:500; also the IKEv1 SHA-1 hash */
static const uint8_t v2_resp_r[] = {
	0xbb, 0x6c, 0x17, 0x08, 0x7d, 0x24, 0x39, 0xb5,
	0xe5, 0x30, 0x36, 0xb6, 0x0c, 0x3a, 0x16, 0xa0,
	0x36, 0xe3, 0x3d, 0xa2,
};
/* SPIr a1..a8, 192.0.2.1:500 */
static const uint8_t v2_resp_i[] = {
	0x73, 0x82, 0xfc, 0x0a, 0x79, 0x75, 0x74, 0xa3,
	0x27, 0x4c, 0x75, 0x5f, 0x37, 0xb3, 0x85, 0x2b,
	0x73, 0x94, 0xb4, 0x14,
};
/* SPIr a1..a8, 203.0.113.9:1024 (a NAT's public side) */
static const uint8_t v2_resp_pub[] = {
	0xbc, 0xea, 0x9e, 0xe1, 0x4e, 0xb1, 0xa4, 0x6e,
	0xe6, 0x49, 0xd3, 0x7f, 0xfc, 0x3f, 0x5c, 0x70,
	0x69, 0xa8, 0xbd, 0xf8,
};
/* SPIr zero, [2001:db8::1]:500 and [2001:db8::2]:500 */
static const uint8_t v2_req6_i[] = {
	0x7f, 0xa1, 0x2a, 0x60, 0xa3, 0xa2, 0x7e, 0xf1,
	0xb3, 0xfe, 0xd2, 0x6c, 0xc6, 0xd5, 0xb8, 0xfb,
	0xf5, 0x53, 0x29, 0x2f,
};
static const uint8_t v2_req6_r[] = {
	0x4b, 0x20, 0xe3, 0xb9, 0x46, 0xfc, 0x43, 0x6c,
	0x79, 0xa7, 0xfb, 0x5a, 0x83, 0xdb, 0x9b, 0xc8,
	0xf3, 0xbc, 0xd1, 0xff,
};
/* IKEv1, MD5: 192.0.2.1:500 and 198.51.100.2:500 */
static const uint8_t v1_md5_i[] = {
	0xf3, 0x0c, 0x38, 0x34, 0x0c, 0xdd, 0x54, 0x25,
	0xc6, 0x06, 0xbc, 0x89, 0xb1, 0x95, 0xf8, 0x2c,
};
static const uint8_t v1_md5_r[] = {
	0xb4, 0xd4, 0x1f, 0x0c, 0x51, 0x80, 0x4b, 0x65,
	0x5d, 0xde, 0xaa, 0x6b, 0xe7, 0x1b, 0x33, 0x6a,
};
/* IKEv1, SHA2-256: 192.0.2.1:500 and 198.51.100.2:500 */
static const uint8_t v1_sha256_i[] = {
	0x7c, 0x7d, 0x8b, 0x0e, 0x38, 0x76, 0xfc, 0x87,
	0x43, 0xc0, 0x1e, 0x04, 0xf9, 0x31, 0xf6, 0xa1,
	0x9d, 0x20, 0xcd, 0x48, 0x5d, 0x33, 0xe3, 0x89,
	0x5c, 0x1b, 0x8a, 0x0f, 0x60, 0x68, 0x07, 0xa4,
};
static const uint8_t v1_sha256_r[] = {
	0x89, 0xc6, 0x22, 0x3a, 0xf5, 0xb2, 0xcb, 0x1d,
	0x42, 0x81, 0x6b, 0x61, 0x60, 0x8e, 0xab, 0x57,
	0x27, 0x83, 0x20, 0xea, 0xb8, 0x46, 0x16, 0x54,
	0x82, 0xa4, 0xa7, 0x1b, 0x14, 0x93, 0xf4, 0x96,
};

#define I4	"192.0.2.1"
#define R4	"198.51.100.2"

/* One IKE message, as the layers below it and its facts describe it. */
struct m {
	uint64_t		 idx;
	const char		*src, *dst;
	uint16_t		 sport, dport;
	uint8_t			 ver, exch, flags;
	uint32_t		 msgid;
	const uint8_t		*ispi, *rspi;
	uint8_t			 tag;	/* varies the message's bytes */
	bool			 quoted;
	struct ds_ike_facts	*facts;
};

static struct ds_engine	*eng;
static struct ds_frame	 fr;
static uint8_t		 wire[64];

static void
fini(void)
{
	ds_engine_free(eng);
	eng = NULL;
}

TestSuite(ike_sa, .fini = fini);

static struct ds_addr
addr(const char *s)
{
	struct ds_addr a;

	memset(&a, 0, sizeof a);
	if (strchr(s, ':') != NULL) {
		a.family = DS_AF_INET6;
		cr_assert_eq(inet_pton(AF_INET6, s, a.a), 1);
	} else {
		a.family = DS_AF_INET;
		cr_assert_eq(inet_pton(AF_INET, s, a.a), 1);
	}
	return a;
}

/* Sets up the frame (IP, UDP, IKE layers) and files the message. */
static struct ds_layer *
observe(const struct m *m)
{
	struct ds_layer *l;
	struct ds_addr s = addr(m->src), d = addr(m->dst);

	if (eng == NULL)
		eng = ds_engine_new(NULL);
	cr_assert_not_null(eng);
	memset(wire, 0, sizeof wire);
	wire[0] = m->tag;
	wire[1] = m->exch;
	wire[2] = m->flags;
	wire[3] = (uint8_t)m->msgid;
	t_frame_init(&fr, wire, sizeof wire);
	fr.index = m->idx;
	fr.eng = eng;
	l = ds_frame_push(&fr, s.family == DS_AF_INET ? DS_P_IPV4 :
	    DS_P_IPV6, wire, sizeof wire);
	cr_assert_not_null(l);
	if (s.family == DS_AF_INET) {
		l->u.ip4.src = s;
		l->u.ip4.dst = d;
	} else {
		l->u.ip6.src = s;
		l->u.ip6.dst = d;
	}
	l->quoted = m->quoted;
	cr_assert_not_null(l = ds_frame_push(&fr, DS_P_UDP, wire,
	    sizeof wire));
	l->u.udp.sport = m->sport ? m->sport : 500;
	l->u.udp.dport = m->dport ? m->dport : 500;
	cr_assert_not_null(l = ds_frame_push(&fr, m->ver == 1 ? DS_P_ISAKMP :
	    DS_P_IKEV2, wire, sizeof wire));
	memcpy(l->u.ike.ispi, m->ispi ? m->ispi : ispi, 8);
	memcpy(l->u.ike.rspi, m->rspi ? m->rspi : zero, 8);
	l->u.ike.version = (uint8_t)((m->ver ? m->ver : 2) << 4);
	l->u.ike.exch = m->exch;
	l->u.ike.flags = m->flags;
	l->u.ike.msgid = m->msgid;
	l->u.ike.len = sizeof wire;
	l->u.ike.facts = m->facts;
	ds_ike_sa_observe(&fr, l);
	return l;
}

static const struct ds_ike_sa *
sa_at(unsigned i)
{
	const struct ds_ike_table *t = ds_engine_stats(eng)->ike;

	cr_assert_lt(i, ds_ike_table_count(t));
	return ds_ike_table_get(t, i);
}

static unsigned
sa_count(void)
{
	return ds_ike_table_count(ds_engine_stats(eng)->ike);
}

/* IKE_SA_INIT, IKE_AUTH (both ways), with no facts: the decoders' NULL. */
static void
v2_handshake(void)
{
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, NULL });
	observe(&(struct m){ 2, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, NULL });
	observe(&(struct m){ 3, I4, R4, 4500, 4500, 2, 35, I_FLAG, 1, ispi,
	    rspi, 0, false, NULL });
	observe(&(struct m){ 4, R4, I4, 4500, 4500, 2, 35, R_FLAG, 1, ispi,
	    rspi, 0, false, NULL });
}

Test(ike_sa, files_a_handshake_under_one_sa_and_learns_the_responder_spi)
{
	const struct ds_ike_sa *sa;

	v2_handshake();
	cr_assert_eq(sa_count(), 1);
	sa = sa_at(0);
	cr_assert_eq(sa->version, 2);
	cr_assert_arr_eq(sa->ispi, ispi, 8);
	cr_assert_arr_eq(sa->rspi, rspi, 8);
	cr_assert_eq(sa->first_frame, 1);
	cr_assert_eq(sa->last_frame, 4);
	cr_assert_eq(sa->messages, 4);
	cr_assert_eq(sa->retransmits, 0);
	cr_assert(ds_addr_eq(&sa->iaddr, &(struct ds_addr){ 0 }) == false);
	cr_assert_eq(sa->iaddr.a[0], 192);
	cr_assert_eq(sa->raddr.a[0], 198);
	cr_assert_eq(sa->iport, 500);
	cr_assert_eq(sa->rport, 500);
	cr_assert_eq(sa->nat, DS_IKE_NAT_UNKNOWN);
	cr_assert_eq(ds_ike_table_dropped(ds_engine_stats(eng)->ike), 0);
}

Test(ike_sa, records_each_exchange_with_request_and_response)
{
	const struct ds_ike_sa *sa;

	v2_handshake();
	/* RFC 7296 2.2: the responder's own requests count from 0 */
	observe(&(struct m){ 5, R4, I4, 4500, 4500, 2, 37, 0, 0, ispi, rspi,
	    0, false, NULL });
	sa = sa_at(0);
	cr_assert_eq(sa->nexch, 3);
	cr_assert_eq(sa->exch[0].exch, 34);
	cr_assert_eq(sa->exch[0].msgid, 0);
	cr_assert(sa->exch[0].by_initiator);
	cr_assert(sa->exch[0].request_seen);
	cr_assert(sa->exch[0].response_seen);
	cr_assert_eq(sa->exch[0].first_frame, 1);
	cr_assert_eq(sa->exch[1].exch, 35);
	cr_assert_eq(sa->exch[1].msgid, 1);
	cr_assert(sa->exch[1].response_seen);
	cr_assert_eq(sa->exch[2].exch, 37);
	cr_assert_eq(sa->exch[2].msgid, 0);
	cr_assert_not(sa->exch[2].by_initiator);
	cr_assert(sa->exch[2].request_seen);
	cr_assert_not(sa->exch[2].response_seen);
	cr_assert_eq(sa->retransmits, 0);
}

Test(ike_sa, flags_a_v2_request_sent_again)
{
	struct ds_layer *l;
	const struct ds_ike_sa *sa;

	v2_handshake();
	l = observe(&(struct m){ 5, I4, R4, 4500, 4500, 2, 35, I_FLAG, 1,
	    ispi, rspi, 0, false, NULL });
	cr_assert(l->u.ike.is_retransmit);
	cr_assert(ds_frame_has_note(&fr, DS_N_IKE_RETRANSMIT));
	sa = sa_at(0);
	cr_assert_eq(sa->retransmits, 1);
	cr_assert_eq(sa->exch[1].retransmits, 1);
	cr_assert_eq(sa->messages, 5);
	cr_assert_eq(sa->last_frame, 5);
	/* the response again */
	l = observe(&(struct m){ 6, R4, I4, 4500, 4500, 2, 35, R_FLAG, 1,
	    ispi, rspi, 0, false, NULL });
	cr_assert(l->u.ike.is_retransmit);
	cr_assert_eq(sa_at(0)->retransmits, 2);
}

Test(ike_sa, does_not_flag_an_ike_sa_init_retried_with_a_cookie)
{
	struct ds_layer *l;

	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, NULL });
	observe(&(struct m){ 2, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    NULL, 1, false, NULL });
	/* RFC 7296 2.6: again with message ID 0, now with the COOKIE */
	l = observe(&(struct m){ 3, I4, R4, 500, 500, 2, 34, I_FLAG, 0,
	    ispi, NULL, 2, false, NULL });
	cr_assert_not(l->u.ike.is_retransmit);
	cr_assert_not(ds_frame_has_note(&fr, DS_N_IKE_RETRANSMIT));
	/* the very same bytes again are a retransmission */
	l = observe(&(struct m){ 4, I4, R4, 500, 500, 2, 34, I_FLAG, 0,
	    ispi, NULL, 2, false, NULL });
	cr_assert(l->u.ike.is_retransmit);
	cr_assert_eq(sa_count(), 1);
}

Test(ike_sa, tells_fragments_of_one_message_from_a_retransmission)
{
	struct ds_ike_facts fa;
	struct ds_layer *l;

	v2_handshake();
	memset(&fa, 0, sizeof fa);
	fa.has_sk = fa.is_fragment = true;
	fa.frag_total = 2;
	fa.frag_num = 1;
	l = observe(&(struct m){ 5, I4, R4, 4500, 4500, 2, 37, I_FLAG, 2,
	    ispi, rspi, 1, false, &fa });
	cr_assert_not(l->u.ike.is_retransmit);
	fa.frag_num = 2;
	l = observe(&(struct m){ 6, I4, R4, 4500, 4500, 2, 37, I_FLAG, 2,
	    ispi, rspi, 2, false, &fa });
	cr_assert_not(l->u.ike.is_retransmit);
	fa.frag_num = 1;
	l = observe(&(struct m){ 7, I4, R4, 4500, 4500, 2, 37, I_FLAG, 2,
	    ispi, rspi, 1, false, &fa });
	cr_assert(l->u.ike.is_retransmit);
}

Test(ike_sa, does_not_flag_main_mode_messages_sharing_message_id_zero)
{
	struct ds_layer *l;
	unsigned i;

	for (i = 0; i < 6; i++) {
		l = observe(&(struct m){ i + 1, i % 2 ? R4 : I4,
		    i % 2 ? I4 : R4, 500, 500, 1, 2, i >= 4 ? 1 : 0, 0, ispi,
		    i == 0 ? NULL : rspi, (uint8_t)i, false, NULL });
		cr_assert_not(l->u.ike.is_retransmit, "message %u", i + 1);
	}
	cr_assert_eq(sa_count(), 1);
	cr_assert_eq(sa_at(0)->nexch, 1);
	cr_assert(sa_at(0)->exch[0].request_seen);
	cr_assert(sa_at(0)->exch[0].response_seen);
	cr_assert(sa_at(0)->exch[0].by_initiator);
	/* message 5 once more */
	l = observe(&(struct m){ 7, I4, R4, 500, 500, 1, 2, 1, 0, ispi, rspi,
	    4, false, NULL });
	cr_assert(l->u.ike.is_retransmit);
	cr_assert(ds_frame_has_note(&fr, DS_N_IKE_RETRANSMIT));
	cr_assert_eq(sa_at(0)->retransmits, 1);
	cr_assert_eq(sa_at(0)->iaddr.a[0], 192);
}

Test(ike_sa, keeps_versions_and_spi_pairs_apart)
{
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, NULL });
	observe(&(struct m){ 2, I4, R4, 500, 500, 1, 2, 0, 0, ispi, NULL, 0,
	    false, NULL });
	observe(&(struct m){ 3, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi2,
	    NULL, 0, false, NULL });
	observe(&(struct m){ 4, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, NULL });
	/* another responder SPI once one is known: another IKE SA */
	observe(&(struct m){ 5, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi2, 0, false, NULL });
	cr_assert_eq(sa_count(), 4);
	cr_assert_eq(sa_at(0)->version, 2);
	cr_assert_arr_eq(sa_at(0)->rspi, rspi, 8);
	cr_assert_eq(sa_at(1)->version, 1);
	cr_assert_arr_eq(sa_at(1)->rspi, zero, 8);
	cr_assert_arr_eq(sa_at(2)->ispi, ispi2, 8);
	cr_assert_arr_eq(sa_at(3)->rspi, rspi2, 8);
}

Test(ike_sa, takes_the_ends_from_the_i_flag_when_the_responder_speaks_first)
{
	const struct ds_ike_sa *sa;

	observe(&(struct m){ 1, R4, I4, 4500, 1024, 2, 37, 0, 7, ispi, rspi,
	    0, false, NULL });
	sa = sa_at(0);
	cr_assert_eq(sa->iaddr.a[0], 192);
	cr_assert_eq(sa->iport, 1024);
	cr_assert_eq(sa->raddr.a[0], 198);
	cr_assert_eq(sa->rport, 4500);
	cr_assert_not(sa->exch[0].by_initiator);
}

Test(ike_sa, ignores_a_message_quoted_in_an_icmp_error)
{
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, true, NULL });
	cr_assert_eq(sa_count(), 0);
}

/* An IKE proposal: ENCR AES-GCM-16/256, PRF SHA2-256, KE `group`. */
static struct ds_ike_proposal
ike_prop(uint8_t num, uint16_t group)
{
	struct ds_ike_proposal p;

	memset(&p, 0, sizeof p);
	p.num = num;
	p.proto = 1;
	p.ntr = 3;
	p.tr[0] = (struct ds_ike_transform){ 1, 20, 256 };
	p.tr[1] = (struct ds_ike_transform){ 2, 5, 0 };
	p.tr[2] = (struct ds_ike_transform){ 4, group, 0 };
	return p;
}

Test(ike_sa, keeps_the_proposals_offered_and_the_one_chosen)
{
	struct ds_ike_facts req, resp;
	const struct ds_ike_sa *sa;

	memset(&req, 0, sizeof req);
	req.has_sa = true;
	req.nprop = 2;
	req.prop[0] = ike_prop(1, 19);
	req.prop[1] = ike_prop(2, 14);
	memset(&resp, 0, sizeof resp);
	resp.has_sa = true;
	resp.nprop = 1;
	resp.prop[0] = ike_prop(2, 14);
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &req });
	observe(&(struct m){ 2, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, &resp });
	sa = sa_at(0);
	cr_assert_eq(sa->noffered, 2);
	cr_assert_eq(sa->offered[0].tr[2].id, 19);
	cr_assert_eq(sa->offered[1].num, 2);
	cr_assert(sa->has_chosen);
	cr_assert_eq(sa->chosen.num, 2);
	cr_assert_eq(sa->chosen.tr[0].keylen, 256);
}

Test(ike_sa, copies_nonces_and_ke_data_out_of_the_frame)
{
	uint8_t ni[32], ke[64];
	struct ds_ike_facts fa;
	const struct ds_ike_sa *sa;

	memset(ni, 0x11, sizeof ni);
	memset(ke, 0x22, sizeof ke);
	memset(&fa, 0, sizeof fa);
	fa.nonce = (struct ds_view){ ni, sizeof ni };
	fa.ke = (struct ds_view){ ke, sizeof ke };
	fa.ke_group = 19;
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	memset(ni, 0x33, sizeof ni);	/* the frame is gone */
	fa.nonce.len = 24;
	fa.ke.len = 32;
	observe(&(struct m){ 2, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, &fa });
	sa = sa_at(0);
	cr_assert_eq(sa->ni.len, 32);
	cr_assert_neq(sa->ni.p, ni);
	cr_assert_eq(sa->ni.p[0], 0x11);
	cr_assert_eq(sa->ni.p[31], 0x11);
	cr_assert_eq(sa->nr.len, 24);
	cr_assert_eq(sa->nr.p[0], 0x33);
	cr_assert_eq(sa->kei.len, 64);
	cr_assert_eq(sa->ker.len, 32);
	cr_assert_eq(sa->ker.p[0], 0x22);
	cr_assert_eq(sa->ke_group, 19);
}

Test(ike_sa, refuses_copies_past_the_memory_cap)
{
	struct ds_engine_cfg cfg;
	uint8_t ni[32] = { 0 }, ke[64] = { 0 };
	struct ds_ike_facts fa;
	const struct ds_ike_sa *sa;

	ds_engine_cfg_default(&cfg);
	cfg.ike_mem_max = 40;
	eng = ds_engine_new(&cfg);
	memset(&fa, 0, sizeof fa);
	fa.nonce = (struct ds_view){ ni, sizeof ni };
	fa.ke = (struct ds_view){ ke, sizeof ke };
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	cr_assert(ds_frame_has_note(&fr, DS_N_IKE_SA_CAP));
	sa = sa_at(0);
	cr_assert_eq(sa->ni.len, 32);
	cr_assert_eq(sa->kei.len, 0);
	cr_assert_eq(ds_ike_table_dropped(ds_engine_stats(eng)->ike), 1);
	/* a new IKE_SA_INIT attempt replaces the copy, within the cap */
	fa.nonce.len = 16;
	fa.ke.len = 0;
	observe(&(struct m){ 2, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 1, false, &fa });
	cr_assert_not(ds_frame_has_note(&fr, DS_N_IKE_SA_CAP));
	cr_assert_eq(sa_at(0)->ni.len, 16);
}

Test(ike_sa, refuses_ike_sas_past_the_table_cap)
{
	struct ds_engine_cfg cfg;
	uint8_t spi[8] = { 0 };
	unsigned i;

	ds_engine_cfg_default(&cfg);
	cfg.ike_max_sas = 2;
	eng = ds_engine_new(&cfg);
	for (i = 0; i < 5; i++) {
		spi[7] = (uint8_t)(i + 1);
		observe(&(struct m){ i + 1, I4, R4, 500, 500, 2, 34, I_FLAG,
		    0, spi, NULL, 0, false, NULL });
		cr_assert_eq(ds_frame_has_note(&fr, DS_N_IKE_SA_CAP), i >= 2);
	}
	cr_assert_eq(sa_count(), 2);
	cr_assert_eq(ds_ike_table_dropped(ds_engine_stats(eng)->ike), 3);
	/* the tracked ones go on being tracked */
	spi[7] = 1;
	observe(&(struct m){ 6, R4, I4, 500, 500, 2, 34, R_FLAG, 0, spi,
	    rspi, 0, false, NULL });
	cr_assert_not(ds_frame_has_note(&fr, DS_N_IKE_SA_CAP));
	cr_assert_eq(sa_at(0)->messages, 2);
}

Test(ike_sa, collects_child_sa_spis_rekeys_and_deletes)
{
	struct ds_ike_facts fa;
	const struct ds_ike_sa *sa;

	v2_handshake();
	memset(&fa, 0, sizeof fa);
	fa.has_sa = true;
	fa.nprop = 2;
	fa.prop[0].proto = 3;
	fa.prop[0].spi_len = 4;
	memcpy(fa.prop[0].spi, "\xc1\xa9\x65\x6b", 4);
	fa.prop[1] = fa.prop[0];		/* the same SPI once */
	fa.nrekey = 1;
	fa.rekey[0] = (struct ds_ike_spi){ 3, 0x78bd5377 };
	observe(&(struct m){ 5, I4, R4, 4500, 4500, 2, 36, I_FLAG, 2, ispi,
	    rspi, 0, false, &fa });
	memset(&fa, 0, sizeof fa);
	fa.ndeleted = 1;
	fa.deleted[0] = (struct ds_ike_spi){ 3, 0x78bd5377 };
	observe(&(struct m){ 6, I4, R4, 4500, 4500, 2, 37, I_FLAG, 3, ispi,
	    rspi, 0, false, &fa });
	sa = sa_at(0);
	cr_assert_eq(sa->nchild_spis, 2);
	cr_assert_eq(sa->child_spis[0].proto, 3);
	cr_assert_eq(sa->child_spis[0].spi, 0xc1a9656b);
	cr_assert_not(sa->child_deleted[0]);
	cr_assert_eq(sa->child_spis[1].spi, 0x78bd5377);
	cr_assert(sa->child_deleted[1]);
	cr_assert_not(sa->deleted);
	fa.deleted[0] = (struct ds_ike_spi){ 1, 0 };
	observe(&(struct m){ 7, I4, R4, 4500, 4500, 2, 37, I_FLAG, 4, ispi,
	    rspi, 0, false, &fa });
	cr_assert(sa_at(0)->deleted);
}

/* NAT-D facts: a source hash then a destination hash. */
static void
natd2(struct ds_ike_facts *fa, const uint8_t *src, const uint8_t *dst,
    size_t len)
{
	memset(fa, 0, sizeof *fa);
	fa->nnatd = 2;
	fa->natd[0] = (struct ds_view){ src, len };
	fa->natd_is_src[0] = true;
	fa->natd[1] = (struct ds_view){ dst, len };
}

Test(ike_sa, finds_no_nat_when_every_v2_hash_matches)
{
	struct ds_ike_facts fa;

	natd2(&fa, v2_req_i, v2_req_r, 20);
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	natd2(&fa, v2_resp_r, v2_resp_i, 20);
	observe(&(struct m){ 2, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, &fa });
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_NONE);
	cr_assert_eq(sa_at(0)->natd_checked, 4);
	cr_assert_not(sa_at(0)->initiator_behind_nat);
	cr_assert_not(sa_at(0)->responder_behind_nat);
}

Test(ike_sa, finds_no_nat_over_ipv6)
{
	struct ds_ike_facts fa;

	natd2(&fa, v2_req6_i, v2_req6_r, 20);
	observe(&(struct m){ 1, "2001:db8::1", "2001:db8::2", 500, 500, 2,
	    34, I_FLAG, 0, ispi, NULL, 0, false, &fa });
	cr_assert_eq(sa_at(0)->natd_checked, 2);
	cr_assert_not(sa_at(0)->initiator_behind_nat);
	cr_assert_not(sa_at(0)->responder_behind_nat);
}

Test(ike_sa, needs_hashes_from_both_sides_to_say_no_nat)
{
	struct ds_ike_facts fa;

	/* seen from the initiator's side, its own hashes always match */
	natd2(&fa, v2_req_i, v2_req_r, 20);
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_UNKNOWN);
	cr_assert_eq(sa_at(0)->natd_checked, 2);
}

Test(ike_sa, puts_the_initiator_behind_nat_by_its_source_hash)
{
	struct ds_ike_facts fa;

	/* hashed over 10.0.0.1, seen as 192.0.2.1 past the NAT */
	natd2(&fa, v2_req_priv, v2_req_r, 20);
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_DETECTED);
	cr_assert(sa_at(0)->initiator_behind_nat);
	cr_assert_not(sa_at(0)->responder_behind_nat);
}

Test(ike_sa, puts_the_receiver_behind_nat_by_the_destination_hash)
{
	struct ds_ike_facts fa;

	/*
	 * Captured on the initiator's side: the responder hashed the NAT's
	 * public address, the packet goes to the private one.
	 */
	natd2(&fa, v2_resp_r, v2_resp_pub, 20);
	observe(&(struct m){ 1, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, &fa });
	cr_assert(sa_at(0)->initiator_behind_nat);
	cr_assert_not(sa_at(0)->responder_behind_nat);
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_DETECTED);
}

Test(ike_sa, puts_the_responder_behind_nat_by_its_source_hash)
{
	struct ds_ike_facts fa;

	natd2(&fa, v2_resp_pub, v2_resp_i, 20);
	observe(&(struct m){ 1, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, &fa });
	cr_assert(sa_at(0)->responder_behind_nat);
	cr_assert_not(sa_at(0)->initiator_behind_nat);
}

Test(ike_sa, accepts_any_one_of_several_source_hashes)
{
	struct ds_ike_facts fa;

	natd2(&fa, v2_req_priv, v2_req_r, 20);
	fa.nnatd = 3;
	fa.natd[2] = (struct ds_view){ v2_req_i, 20 };
	fa.natd_is_src[2] = true;
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	cr_assert_not(sa_at(0)->initiator_behind_nat);
	cr_assert_eq(sa_at(0)->natd_checked, 3);
}

/* IKEv1 phase 1 proposal with hash algorithm `hash` (RFC 2409 App. A). */
static void
v1_chosen(uint16_t hash)
{
	struct ds_ike_facts fa;

	memset(&fa, 0, sizeof fa);
	fa.has_sa = true;
	fa.nprop = 1;
	fa.prop[0].num = 1;
	fa.prop[0].proto = 1;
	fa.prop[0].ntr = 3;
	fa.prop[0].tr[0] = (struct ds_ike_transform){ 1, 7, 128 };
	fa.prop[0].tr[1] = (struct ds_ike_transform){ 2, hash, 0 };
	fa.prop[0].tr[2] = (struct ds_ike_transform){ 4, 14, 0 };
	fa.prop[0].auth_method = 1;
	observe(&(struct m){ 1, I4, R4, 500, 500, 1, 2, 0, 0, ispi, NULL, 0,
	    false, &fa });
	observe(&(struct m){ 2, R4, I4, 500, 500, 1, 2, 0, 0, ispi, rspi, 1,
	    false, &fa });
	cr_assert(sa_at(0)->has_chosen);
}

/* RFC 3947 3.2: the peer's hash first, then the sender's. */
static void
natd_v1(struct ds_ike_facts *fa, const uint8_t *dst, const uint8_t *src,
    size_t len)
{
	memset(fa, 0, sizeof *fa);
	fa->nnatd = 2;
	fa->natd[0] = (struct ds_view){ dst, len };
	fa->natd[1] = (struct ds_view){ src, len };
	fa->natd_is_src[1] = true;
}

Test(ike_sa, checks_v1_nat_d_with_the_negotiated_hash)
{
	struct ds_ike_facts fa;

	v1_chosen(1);
	natd_v1(&fa, v1_md5_r, v1_md5_i, 16);
	observe(&(struct m){ 3, I4, R4, 500, 500, 1, 2, 0, 0, ispi, rspi, 2,
	    false, &fa });
	natd_v1(&fa, v1_md5_i, v1_md5_r, 16);
	observe(&(struct m){ 4, R4, I4, 500, 500, 1, 2, 0, 0, ispi, rspi, 3,
	    false, &fa });
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_NONE);
	cr_assert_eq(sa_at(0)->natd_checked, 4);
}

Test(ike_sa, checks_v1_nat_d_with_sha2_256)
{
	struct ds_ike_facts fa;

	v1_chosen(4);
	natd_v1(&fa, v1_sha256_r, v1_sha256_i, 32);
	observe(&(struct m){ 3, I4, R4, 500, 500, 1, 2, 0, 0, ispi, rspi, 2,
	    false, &fa });
	cr_assert_eq(sa_at(0)->natd_checked, 2);
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_UNKNOWN);
	/* the responder's answer seen from behind its NAT */
	natd_v1(&fa, v1_sha256_r, v1_sha256_i, 32);
	observe(&(struct m){ 4, R4, I4, 500, 500, 1, 2, 0, 0, ispi, rspi, 3,
	    false, &fa });
	cr_assert(sa_at(0)->responder_behind_nat);
	cr_assert(sa_at(0)->initiator_behind_nat);
}

Test(ike_sa, picks_the_v1_hash_by_length_without_a_chosen_proposal)
{
	struct ds_ike_facts fa;

	natd_v1(&fa, v2_resp_r, v2_resp_i, 20);
	observe(&(struct m){ 1, I4, R4, 500, 500, 1, 2, 0, 0, ispi, rspi, 0,
	    false, &fa });
	cr_assert_eq(sa_at(0)->natd_checked, 2);
	cr_assert_not(sa_at(0)->initiator_behind_nat);
	cr_assert_not(sa_at(0)->responder_behind_nat);
	/* a hash of no known length is not judged */
	natd_v1(&fa, v2_resp_r, v2_resp_i, 19);
	observe(&(struct m){ 2, R4, I4, 500, 500, 1, 2, 0, 0, ispi, rspi, 1,
	    false, &fa });
	cr_assert_eq(sa_at(0)->natd_checked, 2);
}

Test(ike_sa, judges_a_mismatched_hash_length_as_not_matching)
{
	struct ds_ike_facts fa;

	v1_chosen(2);
	natd_v1(&fa, v1_md5_r, v2_resp_i, 16);
	observe(&(struct m){ 3, I4, R4, 500, 500, 1, 2, 0, 0, ispi, rspi, 2,
	    false, &fa });
	cr_assert(sa_at(0)->initiator_behind_nat);
	cr_assert(sa_at(0)->responder_behind_nat);
}

/* IPv4, UDP 500 -> 500, and an IKEv2 header with no payload. */
static const uint8_t pkt[] = {
	0x45, 0x00, 0x00, 0x38,		/* IPv4, 20 bytes, total 56 */
	0x00, 0x01, 0x00, 0x00,		/* id 1, no fragment */
	0x40, 0x11, 0x00, 0x00,		/* TTL 64, UDP, checksum unset */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	0xc6, 0x33, 0x64, 0x02,		/* 198.51.100.2 */
	0x01, 0xf4, 0x01, 0xf4,		/* UDP 500 -> 500 */
	0x00, 0x24, 0x00, 0x00,		/* length 36, no checksum */
	0x01, 0x02, 0x03, 0x04,		/* initiator's SPI */
	0x05, 0x06, 0x07, 0x08,
	0x00, 0x00, 0x00, 0x00,		/* responder's SPI: zero */
	0x00, 0x00, 0x00, 0x00,
	0x00,				/* next payload: none */
	0x20,				/* version 2.0 */
	0x22,				/* IKE_SA_INIT */
	0x08,				/* flags: Initiator */
	0x00, 0x00, 0x00, 0x00,		/* message ID 0 */
	0x00, 0x00, 0x00, 0x1c,		/* length 28 */
};

Test(ike_sa, flags_a_retransmission_through_the_engine)
{
	const struct ds_frame *f;
	const struct ds_layer *l;

	f = t_dissect(&eng, DS_LINKTYPE_RAW, pkt, sizeof pkt);
	T_ASSERT_CHAIN(f, "ipv4,udp,ikev2");
	cr_assert_not(f->layer[2].u.ike.is_retransmit);
	f = t_dissect(&eng, DS_LINKTYPE_RAW, pkt, sizeof pkt);
	l = &f->layer[2];
	cr_assert(l->u.ike.is_retransmit);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_RETRANSMIT));
	cr_assert_eq(sa_count(), 1);
	cr_assert_eq(sa_at(0)->first_frame, 1);
	cr_assert_eq(sa_at(0)->last_frame, 2);
	cr_assert_eq(sa_at(0)->iport, 500);
	cr_assert_eq(sa_at(0)->iaddr.a[3], 1);
}

/* Renders the summary into memory. */
static char *
render_text(void)
{
	char *s = NULL;
	size_t n = 0;
	FILE *o = open_memstream(&s, &n);

	cr_assert_not_null(o);
	ds_ike_summary_text(o, ds_engine_stats(eng)->ike);
	fclose(o);
	return s;
}

Test(ike_sa, renders_an_sa_as_text)
{
	struct ds_ike_facts fa;
	char *s, want[1024], prop[128];

	/* transform ids by their IANA names */
	snprintf(prop, sizeof prop, "#1 ike: encr %s/256, prf %s, ke %s",
	    ikev2_transform_name(1, 20), ikev2_transform_name(2, 5),
	    ikev2_transform_name(4, 19));
	memset(&fa, 0, sizeof fa);
	fa.has_sa = true;
	fa.nprop = 1;
	fa.prop[0] = ike_prop(1, 19);
	observe(&(struct m){ 1, I4, R4, 500, 500, 2, 34, I_FLAG, 0, ispi,
	    NULL, 0, false, &fa });
	natd2(&fa, v2_resp_r, v2_resp_pub, 20);
	fa.has_sa = true;
	fa.nprop = 1;
	fa.prop[0] = ike_prop(1, 19);
	observe(&(struct m){ 2, R4, I4, 500, 500, 2, 34, R_FLAG, 0, ispi,
	    rspi, 0, false, &fa });
	memset(&fa, 0, sizeof fa);
	fa.ndeleted = 1;
	fa.deleted[0] = (struct ds_ike_spi){ 3, 0xc1a9656b };
	observe(&(struct m){ 3, I4, R4, 4500, 4500, 2, 37, I_FLAG, 2, ispi,
	    rspi, 0, false, &fa });
	s = render_text();
	snprintf(want, sizeof want,
	    "ike sas: 1\n"
	    "ike sa v2 0102030405060708/a1a2a3a4a5a6a7a8 192.0.2.1:500 -> "
	    "198.51.100.2:500\n"
	    "  frames 1-3, messages 3, retransmits 0\n"
	    "  exchange IKE_SA_INIT msgid 0 from initiator: request response\n"
	    "  exchange INFORMATIONAL msgid 2 from initiator: request\n"
	    "  offered %s\n"
	    "  chosen %s\n"
	    /* no KE payload seen: the group is the chosen proposal's */
	    "  ke group 19, ke bytes i 0 r 0, nonce bytes i 0 r 0\n"
	    "  nat: initiator behind NAT (hashes checked 2)\n"
	    "  child sa esp 0xc1a9656b deleted\n", prop, prop);
	cr_assert_str_eq(s, want);
	free(s);
}

Test(ike_sa, renders_an_sa_as_json)
{
	char mem[8192];
	struct ds_buf b;
	struct ds_ike_facts fa;

	natd2(&fa, v2_req6_i, v2_req6_r, 20);
	observe(&(struct m){ 1, "2001:db8::1", "2001:db8::2", 500, 500, 2,
	    34, I_FLAG, 0, ispi, NULL, 0, false, &fa });
	ds_buf_init(&b, mem, sizeof mem - 1);
	ds_ike_summary_json(&b, ds_engine_stats(eng)->ike);
	cr_assert_not(b.lost);
	mem[b.len] = '\0';
	cr_assert_str_eq(mem,
	    "[{\"version\":2,\"ispi\":\"0102030405060708\","
	    "\"rspi\":\"0000000000000000\","
	    "\"initiator\":{\"addr\":\"2001:db8::1\",\"port\":500},"
	    "\"responder\":{\"addr\":\"2001:db8::2\",\"port\":500},"
	    "\"first_frame\":1,\"last_frame\":1,\"messages\":1,"
	    "\"retransmits\":0,\"deleted\":false,"
	    "\"exchanges\":[{\"exch\":34,\"exch_name\":\"IKE_SA_INIT\","
	    "\"msgid\":0,\"requester\":\"initiator\",\"request\":true,"
	    "\"response\":false,\"retransmits\":0,\"first_frame\":1}],"
	    "\"exchanges_lost\":0,\"offered\":[],\"chosen\":null,"
	    "\"ke_group\":0,\"kei_len\":0,\"ker_len\":0,\"ni_len\":0,"
	    "\"nr_len\":0,\"nat\":\"unknown\",\"initiator_behind_nat\":false,"
	    "\"responder_behind_nat\":false,\"natd_checked\":2,"
	    "\"child_sas\":[],\"child_sas_lost\":0}]");
}

Test(ike_sa, renders_an_empty_table)
{
	char mem[16];
	struct ds_buf b;
	char *s;

	eng = ds_engine_new(NULL);
	ds_buf_init(&b, mem, sizeof mem);
	ds_ike_summary_json(&b, ds_engine_stats(eng)->ike);
	cr_assert_eq(b.len, 2);
	cr_assert_eq(memcmp(mem, "[]", 2), 0);
	s = render_text();
	cr_assert_str_eq(s, "");
	free(s);
}

/* --- the corpus captures ------------------------------------------------ */

/* Runs a capture of tests/data/corpus through the engine `eng`. */
static void
run_capture(const char *rel)
{
	struct ds_errinfo ei = { 0 };
	struct ds_source *src;
	struct ds_pkt p;
	const char *top = getenv("IPSEC_TOP");
	char path[4096];

	snprintf(path, sizeof path, "%s/tests/data/corpus/%s",
	    top != NULL && *top != '\0' ? top : ".", rel);
	src = ds_source_open_file(path, &ei);
	cr_assert_not_null(src, "%s: %s", path, ei.msg);
	if (eng == NULL)
		eng = ds_engine_new(NULL);
	while (ds_source_next(src, &p, &ei) == 1)
		(void)ds_engine_dissect(eng, &p);
	ds_source_close(src);
}

static void
assert_spis(const struct ds_ike_sa *sa, uint64_t i, uint64_t r)
{
	unsigned k;

	for (k = 0; k < 8; k++) {
		cr_assert_eq(sa->ispi[k], (uint8_t)(i >> (56 - 8 * k)));
		cr_assert_eq(sa->rspi[k], (uint8_t)(r >> (56 - 8 * k)));
	}
}

/* The first message's decoder has not landed yet: nothing to judge. */
static void
skip_without_facts(const char *what)
{
	const struct ds_ike_sa *sa = sa_at(0);

	if (sa->noffered == 0 && sa->natd_checked == 0)
		cr_skip_test("%s: no payload facts decoded", what);
}

/*
 * strongSwan with kernel-libipsec forces UDP encapsulation by sending a
 * NAT_DETECTION_SOURCE_IP over a made-up address (charon.log: natd_chunk
 * with port 0), so each peer finds the other "behind NAT", as both logs
 * say, although the peers share a link.
 */
Test(ike_sa, sees_the_nat_strongswan_fakes_in_ikev2)
{
	const struct ds_ike_sa *sa;

	run_capture("strongswan/a-ikev2-aesgcm-ecp256/capture.pcap");
	cr_assert_eq(sa_count(), 1);
	sa = sa_at(0);
	assert_spis(sa, 0xe937b967f36e7837ull, 0xf90f52b5f5ecfd8bull);
	skip_without_facts("ikev2");
	cr_assert_eq(sa->nexch, 3);
	cr_assert_eq(sa->retransmits, 0);
	cr_assert(sa->has_chosen);
	cr_assert_eq(sa->chosen.tr[0].id, 20);	/* AES-GCM-16 */
	cr_assert_eq(sa->chosen.tr[0].keylen, 128);
	cr_assert_eq(sa->ke_group, 19);
	cr_assert_eq(sa->kei.len, 64);
	cr_assert_eq(sa->ker.len, 64);
	cr_assert_eq(sa->ni.len, 32);
	cr_assert_eq(sa->nr.len, 32);
	cr_assert_eq(sa->natd_checked, 4);
	cr_assert_eq(sa->nat, DS_IKE_NAT_DETECTED);
	cr_assert(sa->initiator_behind_nat);
	cr_assert(sa->responder_behind_nat);
	cr_assert_eq(sa->iaddr.a[3], 10);
	cr_assert_eq(sa->raddr.a[3], 20);
}

/* Over 4500 from the start, without NAT detection notifies. */
Test(ike_sa, follows_three_ikev2_sas_over_port_4500)
{
	static const uint64_t spi[3][2] = {
		{ 0x89922c915f35570eull, 0x98d56d32e2a04742ull },
		{ 0x99feb3adea1ee8f8ull, 0x85a3428fbdd9e1dfull },
		{ 0x5a64e0edca3a3614ull, 0x7c9ebe2a8e9ff7b8ull },
	};
	static const uint16_t encr[3] = { 20, 13, 12 };
	const struct ds_ike_sa *sa;
	unsigned i;

	run_capture("wireshark-wiki/ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc/"
	    "capture.pcapng");
	cr_assert_eq(sa_count(), 3);
	for (i = 0; i < 3; i++) {
		sa = sa_at(i);
		assert_spis(sa, spi[i][0], spi[i][1]);
		cr_assert_eq(sa->messages, 10);
		cr_assert_eq(sa->nexch, 5);
		cr_assert_eq(sa->retransmits, 0);
		cr_assert_eq(sa->iport, 10954);
		cr_assert_eq(sa->rport, 4500);
		cr_assert_eq(sa->nat, DS_IKE_NAT_UNKNOWN);
	}
	skip_without_facts("ikev2");
	for (i = 0; i < 3; i++)
		cr_assert_eq(sa_at(i)->chosen.tr[0].id, encr[i]);
}

Test(ike_sa, leaves_nat_unknown_when_only_sk_is_seen)
{
	run_capture("openswan/lp166-natt-replaceI/nattR2.pcap");
	cr_assert_eq(sa_count(), 1);
	assert_spis(sa_at(0), 0x8001020304050607ull, 0x640a06435c7c4b31ull);
	cr_assert_eq(sa_at(0)->nat, DS_IKE_NAT_UNKNOWN);
	cr_assert_eq(sa_at(0)->rport, 4500);
}

/* RFC 3947 NAT-D with MD5: 192.1.2.254's source hash does not match. */
Test(ike_sa, puts_the_ikev1_initiator_behind_nat_in_isakmp4500)
{
	const struct ds_ike_sa *sa;

	run_capture("tcpdump/isakmp4500.pcap");
	cr_assert_geq(sa_count(), 1);
	sa = sa_at(0);
	assert_spis(sa, 0x9e89f2388f90bc1eull, 0x0a74357ce3d1a4bfull);
	skip_without_facts("isakmp");
	cr_assert_eq(sa->natd_checked, 4);
	cr_assert(sa->initiator_behind_nat);
	cr_assert_not(sa->responder_behind_nat);
}

Test(ike_sa, sees_the_nat_strongswan_fakes_in_ikev1)
{
	const struct ds_ike_sa *sa;

	run_capture("strongswan/f1-ikev1-main-psk/capture.pcap");
	sa = sa_at(0);
	assert_spis(sa, 0x848842672d9a8597ull, 0x9f1a6dd7e30b13bdull);
	skip_without_facts("isakmp");
	cr_assert_eq(sa->natd_checked, 4);	/* SHA2-256 */
	cr_assert(sa->initiator_behind_nat);
	cr_assert(sa->responder_behind_nat);
}

/* RFC 2407 4.4.5, RFC 7296 2.22: IPComp CPIs and their transforms. */
Test(ike_sa, records_ipcomp_cpis_from_v1_proposals_and_v2_notifies)
{
	struct ds_ike_facts qm, v2;
	const struct ds_ike_sa *sa;

	memset(&qm, 0, sizeof qm);
	qm.has_sa = true;
	qm.nprop = 1;
	qm.prop[0].proto = 4;			/* IPCOMP */
	qm.prop[0].spi_len = 2;
	qm.prop[0].spi[0] = 0x12;
	qm.prop[0].spi[1] = 0x34;
	qm.prop[0].ntr = 1;
	qm.prop[0].tr[0] = (struct ds_ike_transform){ 1, 3, 0 };  /* LZS */
	observe(&(struct m){ 1, I4, R4, 500, 500, 1, 32, 0, 7, ispi,
	    rspi, 0, false, &qm });		/* Quick Mode, in the clear */
	sa = sa_at(0);
	cr_assert_eq(sa->nipcomp, 1);
	cr_assert_eq(sa->ipcomp[0].cpi, 0x1234);
	cr_assert_eq(sa->ipcomp[0].transform, 3);
	cr_assert_eq(ds_ike_ipcomp_transform(&fr, 0x1234), 3);
	cr_assert_eq(ds_ike_ipcomp_transform(&fr, 0x1235), 0);

	memset(&v2, 0, sizeof v2);
	v2.nipcomp = 1;
	v2.ipcomp[0].cpi = 0x1234;
	v2.ipcomp[0].transform = 2;		/* DEFLATE, newer */
	observe(&(struct m){ 2, I4, R4, 500, 500, 2, 36, I_FLAG, 2, ispi2,
	    rspi2, 0, false, &v2 });
	cr_assert_eq(ds_ike_ipcomp_transform(&fr, 0x1234), 2,
	    "the IKE SA seen last wins");
}
