/* SPDX-License-Identifier: BSD-2-Clause */
/* ISAKMP / IKEv1 payloads (ike/isakmp_v1.c) and fragment reassembly. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "dissect/capture.h"
#include "dissect/tree.h"
#include "ike/ike_int.h"
#include "util.h"

/*
 * An Aggressive Mode message in cleartext carrying one of nearly every
 * payload (checked against tshark).
 */
static const uint8_t aggr[] = {
	/* ISAKMP header */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* ispi */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* rspi */
	0x01,				/* next payload: SA */
	0x10,				/* version 1.0 */
	0x04,				/* exchange: Aggressive */
	0x00,				/* flags */
	0x00, 0x00, 0x00, 0x00,		/* message ID */
	0x00, 0x00, 0x01, 0x3e,		/* length 318 */
	/* SA */
	0x04, 0x00, 0x00, 0x3c,		/* np KE, length 60 */
	0x00, 0x00, 0x00, 0x01,		/* DOI: IPsec */
	0x00, 0x00, 0x00, 0x01,		/* situation: SIT_IDENTITY_ONLY */
	/* Proposal */
	0x00, 0x00, 0x00, 0x30,		/* np none, length 48 */
	0x01, 0x01, 0x00, 0x01,		/* #1, PROTO_ISAKMP, SPI 0, 1 xform */
	/* Transform */
	0x00, 0x00, 0x00, 0x28,		/* np none, length 40 */
	0x01, 0x01, 0x00, 0x00,		/* #1, KEY_IKE, reserved */
	0x80, 0x0b, 0x00, 0x01,		/* life type: seconds (TV) */
	0x00, 0x0c, 0x00, 0x04,		/* life duration (TLV, 4 octets) */
	0x00, 0x01, 0x51, 0x80,		/*   86400 */
	0x80, 0x01, 0x00, 0x07,		/* encryption: aes-cbc */
	0x80, 0x0e, 0x00, 0x80,		/* key length: 128 */
	0x80, 0x02, 0x00, 0x02,		/* hash: sha1 */
	0x80, 0x03, 0xfd, 0xe9,		/* auth: XAUTHInitPreShared */
	0x80, 0x04, 0x00, 0x0e,		/* group: modp2048 */
	/* KE */
	0x0a, 0x00, 0x00, 0x0c,		/* np Nonce, length 12 */
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	/* Nonce */
	0x05, 0x00, 0x00, 0x0c,		/* np ID, length 12 */
	0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,
	/* ID */
	0x0d, 0x00, 0x00, 0x0c,		/* np VID, length 12 */
	0x01, 0x11, 0x01, 0xf4,		/* ID_IPV4_ADDR, UDP, port 500 */
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */
	/* VID */
	0x14, 0x00, 0x00, 0x14,		/* np NAT-D, length 20 */
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,	/* RFC 3706 */
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
	/* NAT-D */
	0x14, 0x00, 0x00, 0x18,		/* np NAT-D, length 24 */
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	/* NAT-D */
	0x0b, 0x00, 0x00, 0x18,		/* np N, length 24 */
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
	0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
	/* N */
	0x0c, 0x00, 0x00, 0x20,		/* np D, length 32 */
	0x00, 0x00, 0x00, 0x01,		/* DOI: IPsec */
	0x01, 0x10, 0x8d, 0x28,		/* PROTO_ISAKMP, SPI 16, R-U-THERE */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* SPI: cookies */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x07,		/* sequence number 7 */
	/* D */
	0x08, 0x00, 0x00, 0x14,		/* np HASH, length 20 */
	0x00, 0x00, 0x00, 0x01,		/* DOI: IPsec */
	0x03, 0x04, 0x00, 0x02,		/* PROTO_IPSEC_ESP, SPI 4, 2 SPIs */
	0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88,
	/* HASH */
	0x09, 0x00, 0x00, 0x08,		/* np SIG, length 8 */
	0xcc, 0xcc, 0xcc, 0xcc,
	/* SIG */
	0x06, 0x00, 0x00, 0x08,		/* np CERT, length 8 */
	0xdd, 0xdd, 0xdd, 0xdd,
	/* CERT */
	0x07, 0x00, 0x00, 0x08,		/* np CR, length 8 */
	0x02, 0x01, 0x02, 0x03,		/* PGP, 3 octets */
	/* CR */
	0x15, 0x00, 0x00, 0x05,		/* np NAT-OA, length 5 */
	0x04,				/* X.509 signature, any CA */
	/* NAT-OA */
	0x0e, 0x00, 0x00, 0x0c,		/* np attributes, length 12 */
	0x01, 0x00, 0x00, 0x00,		/* ID_IPV4_ADDR */
	0xc6, 0x33, 0x64, 0x07,		/* 198.51.100.7 */
	/* Attributes (mode-cfg / XAUTH) */
	0x00, 0x00, 0x00, 0x21,		/* np none, length 33 */
	0x02, 0x00, 0x12, 0x34,		/* ISAKMP_CFG_REPLY, identifier */
	0xc0, 0x88, 0x00, 0x00,		/* XAUTH_TYPE: Generic (TV) */
	0x40, 0x89, 0x00, 0x05,		/* XAUTH_USER_NAME, 5 octets */
	'a', 'l', 'i', 'c', 'e',
	0x00, 0x01, 0x00, 0x04,		/* INTERNAL_IP4_ADDRESS */
	0x0a, 0x00, 0x00, 0x01,		/*   10.0.0.1 */
	0xc0, 0x8f, 0x00, 0x01,		/* XAUTH_STATUS: OK (TV) */
};

/* A Quick Mode message in cleartext: an ESP proposal and two IDs. */
static const uint8_t quick[] = {
	/* ISAKMP header */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* ispi */
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,	/* rspi */
	0x01,				/* next payload: SA */
	0x10,				/* version 1.0 */
	0x20,				/* exchange: Quick Mode */
	0x00,				/* flags */
	0x12, 0x34, 0x56, 0x78,		/* message ID */
	0x00, 0x00, 0x00, 0x92,		/* length 146 */
	/* SA */
	0x05, 0x00, 0x00, 0x38,		/* np ID, length 56 */
	0x00, 0x00, 0x00, 0x01,		/* DOI: IPsec */
	0x00, 0x00, 0x00, 0x01,		/* situation */
	/* Proposal */
	0x00, 0x00, 0x00, 0x2c,		/* np none, length 44 */
	0x01, 0x03, 0x04, 0x01,		/* #1, PROTO_IPSEC_ESP, SPI 4, 1 */
	0xde, 0xad, 0xbe, 0xef,		/* SPI */
	/* Transform */
	0x00, 0x00, 0x00, 0x20,		/* np none, length 32 */
	0x01, 0x0c, 0x00, 0x00,		/* #1, ESP_AES-CBC */
	0x80, 0x01, 0x00, 0x01,		/* SA life type: seconds */
	0x80, 0x02, 0x0e, 0x10,		/* SA life duration: 3600 */
	0x80, 0x04, 0xf0, 0x03,		/* encapsulation: UDP tunnel (draft) */
	0x80, 0x05, 0x00, 0x02,		/* authentication: HMAC-SHA */
	0x80, 0x06, 0x01, 0x00,		/* key length: 256 */
	0x80, 0x03, 0x00, 0x02,		/* group: modp1024 */
	/* ID (IDci) */
	0x05, 0x00, 0x00, 0x28,		/* np ID, length 40 */
	0x06, 0x00, 0x00, 0x00,		/* ID_IPV6_ADDR_SUBNET, any, any */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* 2001:db8:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* /64 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* ID (IDcr) */
	0x00, 0x00, 0x00, 0x16,		/* np none, length 22 */
	0x09, 0x00, 0x00, 0x00,		/* ID_DER_ASN1_DN */
	0x30, 0x0c, 0x31, 0x0a,		/* Name, RDN */
	0x30, 0x08, 0x06, 0x03,		/* AttributeTypeAndValue, OID */
	0x55, 0x04, 0x03, 0x0c,		/* 2.5.4.3 (CN), UTF8String */
	0x01, 'a',			/* "a" */
};

/* The first field of `o` named `name`, or NULL. */
static const struct ds_field *
fld(const struct ds_field *o, const char *name)
{
	const struct ds_field *c;

	if (o == NULL)
		return NULL;
	for (c = o->child; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* The n-th child (0-based) of a list. */
static const struct ds_field *
nth(const struct ds_field *list, unsigned n)
{
	const struct ds_field *c;

	if (list == NULL)
		return NULL;
	for (c = list->child; c != NULL && n > 0; c = c->next)
		n--;
	return c;
}

static uint64_t
num(const struct ds_field *o, const char *name)
{
	const struct ds_field *f = fld(o, name);

	cr_assert_not_null(f, "no field %s", name);
	return f->v.u;
}

static const char *
str(const struct ds_field *o, const char *name)
{
	const struct ds_field *f = fld(o, name);

	cr_assert_not_null(f, "no field %s", name);
	return f->v.s;
}

static const struct ds_layer *
isakmp_layer(const struct ds_frame *f)
{
	const struct ds_layer *l = ds_frame_find_const(f, DS_P_ISAKMP);

	cr_assert_not_null(l);
	return l;
}

static const struct ds_frame *
run(struct ds_engine **e, const uint8_t *p, size_t len)
{
	return t_dissect_at(e, ds_ike_dissect, p, len, len, 0);
}

/* The first attribute of `o`'s transform whose type is `type`. */
static const struct ds_field *
attr(const struct ds_field *tr, uint64_t type)
{
	const struct ds_field *a;

	for (a = fld(tr, "attributes")->child; a != NULL; a = a->next)
		if (num(a, "type") == type)
			return a;
	cr_assert_fail("no attribute %llu", (unsigned long long)type);
	return NULL;
}

Test(isakmp, names_payload_types)
{
	cr_assert_str_eq(ds_isakmp_payload_name(1), "SA");
	cr_assert_str_eq(ds_isakmp_payload_name(11), "Notify");
	cr_assert_str_eq(ds_isakmp_payload_name(20), "NAT-D");
	cr_assert_str_eq(ds_isakmp_payload_name(130), "NAT-D (draft)");
	cr_assert_str_eq(ds_isakmp_payload_name(132), "Fragment");
	cr_assert_null(ds_isakmp_payload_name(0));
	cr_assert_null(ds_isakmp_payload_name(200));
}

Test(isakmp, decodes_every_payload_of_an_aggressive_message)
{
	static const uint8_t want[] = { 1, 4, 10, 5, 13, 20, 20, 11, 12, 8, 9,
	    6, 7, 21, 14 };
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, aggr, sizeof aggr);
	const struct ds_layer *l = isakmp_layer(f);
	const struct ds_field *pl = l->u.ike.payloads, *p, *tr, *a;

	cr_assert_eq(f->nnotes, 0, "note %s", f->nnotes ?
	    ds_note_name(f->note[0].code) : "");
	cr_assert_eq(l->u.ike.nchain, sizeof want);
	cr_assert_arr_eq(l->u.ike.chain, want, sizeof want);
	cr_assert_not_null(pl);
	/* SA: DOI, situation, proposal, transform, attributes */
	p = nth(pl, 0);
	cr_assert_str_eq(str(p, "name"), "SA");
	cr_assert_str_eq(str(p, "doi_name"), "IPSEC");
	cr_assert(fld(p, "sit_identity_only")->v.f);
	p = nth(fld(p, "proposals"), 0);
	cr_assert_str_eq(str(p, "protocol_name"), "PROTO_ISAKMP");
	tr = nth(fld(p, "transforms"), 0);
	cr_assert_str_eq(str(tr, "id_name"), "KEY_IKE");
	cr_assert_eq(num(attr(tr, 12), "value"), 86400);
	cr_assert_not(fld(attr(tr, 12), "tv")->v.f);
	cr_assert_str_eq(str(attr(tr, 1), "value_name"), "aes-cbc");
	cr_assert_str_eq(str(attr(tr, 3), "value_name"),
	    "XAUTHInitPreShared");
	cr_assert_str_eq(str(attr(tr, 4), "value_name"), "modp2048");
	/* ID */
	p = nth(pl, 3);
	cr_assert_str_eq(str(p, "id_type_name"), "ID_IPV4_ADDR");
	cr_assert_str_eq(str(p, "protocol_name"), "udp");
	cr_assert_eq(num(p, "port"), 500);
	cr_assert_eq(fld(p, "id")->v.a.a[0], 192);
	/* VID */
	cr_assert_str_eq(str(nth(pl, 4), "vendor"), "RFC 3706 DPD");
	/* NAT-D: the first is the peer's */
	cr_assert_not(fld(nth(pl, 5), "is_src")->v.f);
	cr_assert(fld(nth(pl, 6), "is_src")->v.f);
	/* N: DPD with its sequence number */
	p = nth(pl, 7);
	cr_assert_str_eq(str(p, "notify_type_name"), "R-U-THERE");
	cr_assert_eq(num(p, "seq"), 7);
	cr_assert_not(fld(p, "error")->v.f);
	/* D: two ESP SPIs */
	p = nth(pl, 8);
	cr_assert_eq(num(p, "num_spis"), 2);
	cr_assert_eq(nth(fld(p, "spis"), 1)->v.u, 0x55667788);
	/* CERT, CR */
	cr_assert_str_eq(str(nth(pl, 11), "encoding_name"), "PGP Certificate");
	cr_assert_eq(num(nth(pl, 12), "data_len"), 0);
	/* NAT-OA */
	cr_assert_eq(fld(nth(pl, 13), "address")->v.a.a[3], 7);
	/* mode-cfg: the user name is shown */
	p = nth(pl, 14);
	cr_assert_str_eq(str(p, "cfg_type_name"), "ISAKMP_CFG_REPLY");
	a = nth(fld(p, "attributes"), 1);
	cr_assert_str_eq(str(a, "type_name"), "XAUTH_USER_NAME");
	cr_assert_str_eq(str(a, "value"), "alice");
	a = nth(fld(p, "attributes"), 3);
	cr_assert_str_eq(str(a, "value_name"), "OK");
	ds_engine_free(e);
}

Test(isakmp, keeps_the_facts_of_an_aggressive_message)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, aggr, sizeof aggr);
	const struct ds_ike_facts *k = isakmp_layer(f)->u.ike.facts;

	cr_assert_not_null(k);
	cr_assert(k->has_sa);
	cr_assert_eq(k->nprop, 1);
	cr_assert_eq(k->prop[0].proto, 1);
	cr_assert_eq(k->prop[0].auth_method, 65001);
	cr_assert_eq(k->prop[0].ntr, 3);
	cr_assert_eq(k->prop[0].tr[0].type, 1);
	cr_assert_eq(k->prop[0].tr[0].id, 7);
	cr_assert_eq(k->prop[0].tr[0].keylen, 128);
	cr_assert_eq(k->prop[0].tr[1].type, 2);
	cr_assert_eq(k->prop[0].tr[2].type, 4);
	cr_assert_eq(k->prop[0].tr[2].id, 14);
	cr_assert_eq(k->ke.len, 8);
	cr_assert_eq(k->ke_group, 14);
	cr_assert_eq(k->nonce.len, 8);
	cr_assert_eq(k->nonce.p[0], 0xbb);
	cr_assert_eq(k->nnatd, 2);
	cr_assert_not(k->natd_is_src[0]);
	cr_assert(k->natd_is_src[1]);
	cr_assert_eq(k->natd[1].p[0], 0x22);
	cr_assert_eq(k->nnotify, 1);
	cr_assert_eq(k->notify[0], 36136);
	cr_assert_eq(k->ndeleted, 2);
	cr_assert_eq(k->deleted[0].proto, 3);
	cr_assert_eq(k->deleted[0].spi, 0x11223344);
	cr_assert_not(k->has_sk);
	ds_engine_free(e);
}

Test(isakmp, decodes_a_quick_mode_proposal_and_ids)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, quick, sizeof quick);
	const struct ds_layer *l = isakmp_layer(f);
	const struct ds_ike_facts *k = l->u.ike.facts;
	const struct ds_field *p, *tr;

	cr_assert_eq(f->nnotes, 0);
	p = nth(fld(nth(l->u.ike.payloads, 0), "proposals"), 0);
	cr_assert_eq(num(p, "spi"), 0xdeadbeef);
	tr = nth(fld(p, "transforms"), 0);
	cr_assert_str_eq(str(tr, "id_name"), "ESP_AES-CBC");
	cr_assert_str_eq(str(attr(tr, 4), "value_name"),
	    "UDP-Encapsulated-Tunnel (draft)");
	cr_assert_str_eq(str(attr(tr, 5), "value_name"), "HMAC-SHA");
	cr_assert_str_eq(str(attr(tr, 1), "type_name"), "SA Life Type");
	/* facts: transform id as type 1, authentication as 3 */
	cr_assert_eq(k->nprop, 1);
	cr_assert_eq(k->prop[0].proto, 3);
	cr_assert_eq(k->prop[0].spi_len, 4);
	cr_assert_eq(k->prop[0].spi[0], 0xde);
	cr_assert_eq(k->prop[0].tr[0].type, 1);
	cr_assert_eq(k->prop[0].tr[0].id, 12);
	cr_assert_eq(k->prop[0].tr[0].keylen, 256);
	cr_assert_eq(k->prop[0].tr[1].type, 3);
	cr_assert_eq(k->prop[0].tr[1].id, 2);
	/* IDs */
	p = nth(l->u.ike.payloads, 1);
	cr_assert_str_eq(str(p, "id_type_name"), "ID_IPV6_ADDR_SUBNET");
	cr_assert_eq(fld(p, "mask")->v.a.a[7], 0xff);
	cr_assert_eq(fld(p, "mask")->v.a.a[8], 0x00);
	p = nth(l->u.ike.payloads, 2);
	cr_assert_str_eq(str(p, "id"), "CN=a");
	ds_engine_free(e);
}

/* A cut capture is truncated, never malformed, and never crashes. */
Test(isakmp, every_truncation_length_is_noted_as_truncated)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const uint8_t *msgs[] = { aggr, quick };
	size_t lens[] = { sizeof aggr, sizeof quick }, n;
	unsigned i;

	for (i = 0; i < 2; i++)
		for (n = 0; n < lens[i]; n++) {
			f = t_dissect_at(&e, ds_ike_dissect, msgs[i], lens[i],
			    n, 0);
			cr_assert(f->is_truncated, "msg %u n %zu", i, n);
			cr_assert_not(f->is_malformed, "msg %u n %zu: %s", i,
			    n, ds_note_name(f->note[f->nnotes - 1].code));
		}
	ds_engine_free(e);
}

/* Each prefix of a message, as a whole message, is malformed or valid. */
Test(isakmp, every_short_message_runs_clean)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof aggr];
	size_t n;

	for (n = 28; n < sizeof aggr; n++) {
		memcpy(buf, aggr, n);
		buf[26] = (uint8_t)(n >> 8);
		buf[27] = (uint8_t)n;
		(void)t_dissect_at(&e, ds_ike_dissect, buf, n, n, 0);
	}
	ds_engine_free(e);
}

static const struct ds_frame *
run_patched(struct ds_engine **e, const uint8_t *src, size_t len,
    size_t off, uint8_t v, uint8_t *buf)
{
	memcpy(buf, src, len);
	buf[off] = v;
	return run(e, buf, len);
}

Test(isakmp, notes_a_payload_length_past_the_message)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof aggr];
	const struct ds_frame *f;

	/* the last payload (attributes, at 285) claims 0x40 octets */
	f = run_patched(&e, aggr, sizeof aggr, 285 + 3, 0x40, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_LEN));
	cr_assert(f->is_malformed);
	ds_engine_free(e);
}

Test(isakmp, notes_a_payload_length_below_four)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof aggr];
	const struct ds_frame *f;

	f = run_patched(&e, aggr, sizeof aggr, 88 + 3, 0x02, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_LEN));
	cr_assert_eq(isakmp_layer(f)->u.ike.nchain, 2);
	ds_engine_free(e);
}

Test(isakmp, notes_a_lying_proposal_transform_and_attribute)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof aggr];
	const struct ds_frame *f;

	/* proposal length 0x50: past the SA */
	f = run_patched(&e, aggr, sizeof aggr, 40 + 3, 0x50, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_FIELD));
	cr_assert_eq(isakmp_layer(f)->u.ike.nchain, 15);
	/* transform length 4: below its fixed part */
	f = run_patched(&e, aggr, sizeof aggr, 48 + 3, 0x04, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_FIELD));
	/* life duration TLV claims 0x40 octets: past the transform */
	f = run_patched(&e, aggr, sizeof aggr, 60 + 3, 0x40, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_ATTR));
	/* # of transforms 2 with one present */
	f = run_patched(&e, aggr, sizeof aggr, 47, 0x02, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_FIELD));
	/* # of SPIs 3 in a delete with two */
	f = run_patched(&e, aggr, sizeof aggr, 224 + 11, 0x03, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_FIELD));
	/* notify SPI size 0x20: past the payload */
	f = run_patched(&e, aggr, sizeof aggr, 192 + 9, 0x20, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_FIELD));
	ds_engine_free(e);
}

Test(isakmp, notes_trailing_bytes_after_the_chain)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof aggr];
	const struct ds_frame *f;

	/* the attribute payload says it is the last one: NAT-OA's np 0 */
	f = run_patched(&e, aggr, sizeof aggr, 273, 0x00, buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_TRAILING));
	cr_assert_eq(isakmp_layer(f)->u.ike.nchain, 14);
	ds_engine_free(e);
}

Test(isakmp, notes_a_chain_too_long)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[28 + 70 * 4];
	size_t i;

	memset(buf, 0, sizeof buf);
	buf[16] = 13;			/* VID */
	buf[17] = 0x10;
	buf[18] = 5;			/* Informational */
	buf[26] = (uint8_t)(sizeof buf >> 8);
	buf[27] = (uint8_t)sizeof buf;
	for (i = 0; i < 70; i++) {
		buf[28 + 4 * i] = i == 69 ? 0 : 13;
		buf[28 + 4 * i + 3] = 4;
	}
	f = run(&e, buf, sizeof buf);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_LOOP));
	cr_assert(isakmp_layer(f)->u.ike.chain_cut);
	ds_engine_free(e);
}

Test(isakmp, shows_an_encrypted_message_as_one_pseudo_payload)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof aggr];
	const struct ds_frame *f;
	const struct ds_layer *l;
	const struct ds_field *p;

	f = run_patched(&e, aggr, sizeof aggr, 19, 0x01, buf);
	l = isakmp_layer(f);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_ENCRYPTED));
	cr_assert_not(f->is_malformed);
	cr_assert(l->u.ike.facts->has_sk);
	cr_assert_eq(l->u.ike.nchain, 0);
	p = nth(l->u.ike.payloads, 0);
	cr_assert_str_eq(str(p, "name"), "encrypted");
	cr_assert_eq(num(p, "len"), sizeof aggr - 28);
	cr_assert_null(nth(l->u.ike.payloads, 1));
	ds_engine_free(e);
}

/*
 * An Informational message with INITIAL-CONTACT (44 octets), sent as
 * fragments of `chunk` octets each: the fragment messages are built here.
 */
static const uint8_t info_msg[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* ispi */
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,	/* rspi */
	0x0b, 0x10, 0x05, 0x00,		/* np N, 1.0, Informational */
	0x00, 0x00, 0x00, 0x01,		/* message ID */
	0x00, 0x00, 0x00, 0x2c,		/* length 44 */
	0x00, 0x00, 0x00, 0x10,		/* N: np none, length 16 */
	0x00, 0x00, 0x00, 0x01,		/* DOI: IPsec */
	0x03, 0x04, 0x60, 0x02,		/* ESP, SPI 4, INITIAL-CONTACT */
	0x0a, 0x0b, 0x0c, 0x0d,		/* SPI */
};

/* Fragment `num` (1-based) of info_msg cut in pieces of `chunk`. */
static size_t
frag_msg(uint8_t *out, uint16_t id, uint8_t num, size_t chunk, bool *last)
{
	size_t off = (size_t)(num - 1) * chunk, n;

	n = sizeof info_msg - off < chunk ? sizeof info_msg - off : chunk;
	*last = off + n == sizeof info_msg;
	memcpy(out, info_msg, 16);		/* the same SPIs */
	out[16] = 132;				/* np: Fragment */
	out[17] = 0x10;
	out[18] = 2;				/* Main Mode */
	out[19] = 0;
	memset(out + 20, 0, 4);
	out[24] = 0;
	out[25] = 0;
	out[26] = (uint8_t)((28 + 8 + n) >> 8);
	out[27] = (uint8_t)(28 + 8 + n);
	out[28] = 0;				/* np none */
	out[29] = 0;
	out[30] = (uint8_t)((8 + n) >> 8);
	out[31] = (uint8_t)(8 + n);
	out[32] = (uint8_t)(id >> 8);
	out[33] = (uint8_t)id;
	out[34] = num;
	out[35] = *last ? 1 : 0;
	memcpy(out + 36, info_msg + off, n);
	return 36 + n;
}

Test(isakmp, reassembles_fragments_out_of_order)
{
	static const uint8_t order[] = { 3, 1, 2 };
	struct ds_engine *e = NULL;
	const struct ds_frame *f = NULL;
	const struct ds_layer *l;
	const struct ds_field *p, *r;
	uint8_t buf[3][64];
	size_t len[3];
	unsigned i;
	bool last;

	for (i = 0; i < 3; i++) {
		len[i] = frag_msg(buf[i], 7, order[i], 20, &last);
		cr_assert_eq(last, order[i] == 3);
	}
	for (i = 0; i < 3; i++) {
		f = run(&e, buf[i], len[i]);
		cr_assert(ds_frame_has_note(f, DS_N_IKE_FRAGMENT));
		cr_assert_not(f->is_malformed);
		cr_assert_eq(ds_frame_has_note(f, DS_N_IKE_REASSEMBLED),
		    i == 2);
	}
	l = isakmp_layer(f);
	cr_assert(l->u.ike.facts->is_fragment);
	cr_assert_eq(l->u.ike.facts->frag_num, 2);
	p = nth(l->u.ike.payloads, 0);
	cr_assert_eq(num(p, "frag_id"), 7);
	r = fld(p, "reassembled");
	cr_assert_not_null(r);
	cr_assert_eq(num(r, "len"), sizeof info_msg);
	cr_assert_str_eq(str(r, "exchange_name"), "Informational");
	p = nth(fld(r, "payloads"), 0);
	cr_assert_str_eq(str(p, "notify_type_name"), "INITIAL-CONTACT");
	/* the message's facts come with it */
	cr_assert_eq(l->u.ike.facts->nnotify, 1);
	cr_assert_eq(l->u.ike.facts->notify[0], 24578);
	ds_engine_free(e);
}

Test(isakmp, notes_a_second_last_fragment)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[64];
	size_t len;
	bool last;

	len = frag_msg(buf, 9, 3, 20, &last);
	f = run(&e, buf, len);
	cr_assert_not(f->is_malformed);
	len = frag_msg(buf, 9, 2, 20, &last);
	buf[35] = 1;			/* also "last" */
	f = run(&e, buf, len);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_PL_FIELD));
	ds_engine_free(e);
}

/* Fragment 32, the highest kept, marked last (found by fuzz_ike). */
Test(isakmp, takes_fragment_32_as_the_last)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[64];
	size_t len;
	bool last;

	len = frag_msg(buf, 11, 1, 20, &last);
	buf[34] = 32;			/* fragment number 32 */
	buf[35] = 1;			/* last */
	f = run(&e, buf, len);
	cr_assert(ds_frame_has_note(f, DS_N_IKE_FRAGMENT));
	cr_assert_not(f->is_malformed);
	ds_engine_free(e);
}

Test(ike_frag, drops_the_oldest_message_when_full_and_times_out)
{
	struct ds_engine_cfg cfg;
	struct ds_ike_frag *t;
	struct ds_frame f;
	struct ds_arena *a = ds_arena_new();
	struct ds_ike h;
	struct ds_view d = { info_msg, 20 }, msg;
	uint16_t id;

	ds_engine_cfg_default(&cfg);
	cfg.frag_max_pending = 2;
	cfg.frag_timeout_sec = 30;
	cr_assert_not_null(t = ds_ike_frag_new(&cfg));
	memset(&h, 0, sizeof h);
	t_frame_init(&f, info_msg, sizeof info_msg);
	f.arena = a;
	for (id = 1; id <= 3; id++)
		cr_assert_eq(ds_ike_frag_add(t, &f, &h, id, 1, false, d, &msg),
		    DS_EFRAG);
	cr_assert_eq(ds_ike_frag_dropped(t), 1);
	/* message 1 was dropped: its last fragment completes nothing */
	d.p = info_msg + 20;
	d.len = sizeof info_msg - 20;
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 1, 2, true, d, &msg),
	    DS_EFRAG);
	/* message 3 completes */
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 3, 2, true, d, &msg), DS_OK);
	cr_assert_eq(msg.len, sizeof info_msg);
	cr_assert_eq(memcmp(msg.p, info_msg, msg.len), 0);
	/* 31 seconds later, what is pending is gone */
	f.ts_sec = 31;
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 2, 2, true, d, &msg),
	    DS_EFRAG);
	cr_assert_geq(ds_ike_frag_dropped(t), 2);
	/* a retransmitted fragment is held once; number 0 is malformed */
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 2, 2, true, d, &msg),
	    DS_EFRAG);
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 2, 0, true, d, &msg),
	    DS_EMALFORMED);
	ds_ike_frag_free(t);
	ds_ike_frag_free(NULL);
	ds_arena_free(a);
}

Test(ike_frag, refuses_past_the_byte_cap)
{
	struct ds_engine_cfg cfg;
	struct ds_ike_frag *t;
	struct ds_frame f;
	struct ds_arena *a = ds_arena_new();
	struct ds_ike h;
	struct ds_view d = { info_msg, 20 }, msg;

	ds_engine_cfg_default(&cfg);
	cfg.frag_mem_max = 30;
	cr_assert_not_null(t = ds_ike_frag_new(&cfg));
	memset(&h, 0, sizeof h);
	t_frame_init(&f, info_msg, sizeof info_msg);
	f.arena = a;
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 1, 1, false, d, &msg),
	    DS_EFRAG);
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 1, 2, false, d, &msg),
	    DS_ENOMEM);
	cr_assert_eq(ds_ike_frag_add(t, &f, &h, 1, 33, false, d, &msg),
	    DS_ENOMEM);
	ds_ike_frag_free(t);
	ds_arena_free(a);
}

/* Runs a capture of the corpus; returns the frames read. */
static unsigned
corpus_run(const char *name, unsigned want_frame, enum ds_note_code want,
    bool *found)
{
	char path[4096];
	const char *top = getenv("IPSEC_TOP");
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_engine *e = ds_engine_new(NULL);
	const struct ds_frame *f;
	struct ds_pkt pkt;
	unsigned n = 0;

	snprintf(path, sizeof path, "%s/tests/data/corpus/%s",
	    top != NULL && *top != '\0' ? top : ".", name);
	memset(&ei, 0, sizeof ei);
	s = ds_source_open_file(path, &ei);
	cr_assert_not_null(s, "%s: %s", path, ei.msg);
	*found = false;
	while (ds_source_next(s, &pkt, &ei) == 1) {
		f = ds_engine_dissect(e, &pkt);
		n++;
		if (f->index == want_frame && ds_frame_has_note(f, want))
			*found = true;
	}
	ds_source_close(s);
	ds_engine_free(e);
	return n;
}

Test(isakmp, reassembles_the_wiki_nat_t_capture_at_frame_28)
{
	bool found;

	cr_assert_gt(corpus_run("wireshark-wiki/misc/test1.pcap", 28,
	    DS_N_IKE_REASSEMBLED, &found), 28);
	cr_assert(found);
}

Test(isakmp, runs_the_malformed_corpus_captures_with_notes)
{
	static const struct {
		const char		*file;
		unsigned		 frame;
		enum ds_note_code	 note;
	} caps[] = {
		{ "tcpdump/ikev1_id_ipv6_addr_subnet-oobr.pcap", 1,
		    DS_N_IKE_PL_FIELD },
		{ "tcpdump/isakmp-no-none-np.pcapng", 1, DS_N_IKE_PL_LEN },
		{ "tcpdump/isakmpv1-attr-oobr.pcap", 1,
		    DS_N_IKE_PL_TRAILING },
		{ "tcpdump/isakmp-various-oobr.pcap", 1, DS_N_TRUNCATED },
		{ "tcpdump/isakmp-identification-segfault.pcap", 1,
		    DS_N_IKE_PL_FIELD },
		{ "tcpdump/isakmp-delete-segfault.pcap", 1, DS_N_IKE_LEN },
		{ "tcpdump/isakmp-pointer-loop.pcap", 1, DS_N_IKE_LEN },
		{ "tcpdump/ISAKMP_sa_setup.pcap", 1, DS_N_COUNT_ },
		{ "tcpdump/isakmp4500.pcap", 1, DS_N_COUNT_ },
	};
	size_t i;
	bool found;

	for (i = 0; i < DS_NELEM(caps); i++) {
		cr_assert_gt(corpus_run(caps[i].file, caps[i].frame,
		    caps[i].note, &found), 0);
		cr_expect(found || caps[i].note == DS_N_COUNT_, "%s",
		    caps[i].file);
	}
}
