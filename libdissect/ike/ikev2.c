/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IKEv2 payloads: the chain after the IKE header walked payload by
 * payload, each decoded to its last field into the frame's field tree,
 * with the facts that matter across messages kept aside.
 * RFC 7296 3.2-3.16 (payloads), 2.5 (critical bit), 2.23 (NAT detection);
 * RFC 4555 (MOBIKE), 4595 (Fibre Channel), 5685 (redirect), 6311 (message
 * ID sync), 7383 (SKF), 7427 (signature hash algorithms), 8019 (puzzles),
 * 9370 (additional key exchanges), 9478 (security labels).
 */
#include <limits.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "dissect/names.h"
#include "ike_int.h"
#include "ikev2_const.h"

#define IKEV2_GEN_LEN		4	/* generic payload header */
#define IKEV2_CRITICAL		0x80
#define IKEV2_MAX_PAYLOADS	64	/* a longer chain is a loop, not IKE */
#define IKEV2_PROP_LEN		8	/* proposal substructure header */
#define IKEV2_XFORM_LEN		8	/* transform substructure header */
#define IKEV2_ATTR_TV		0x8000	/* attribute format bit */
#define IKEV2_NATD_LEN		20	/* SHA-1 (RFC 7296 2.23) */
#define IKEV2_CA_HASH_LEN	20	/* SHA-1 of a CA's public key */

/* What every payload decoder shares for one message. */
struct v2 {
	struct ike_dec		 d;	/* frame, facts, what was noted */
	bool			 ke_seen;
	bool			 nonce_seen;
};

typedef void (*v2_decode_fn)(struct v2 *, struct ds_cur *, struct ds_field *);

/* Text from the wire, printable ASCII kept and the rest as \xNN. */
static const char *
v2_text(struct v2 *x, struct ds_view v)
{
	static const char hex[] = "0123456789abcdef";
	struct ds_cur t = ds_cur_make(v.p, v.len, v.len);
	char *s;
	size_t n = 0;
	uint8_t ch;

	if ((s = ds_frame_alloc(x->d.f, v.len * 4 + 1)) == NULL)
		return NULL;
	while (ds_left(&t) > 0) {
		ch = ds_u8(&t);
		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			s[n++] = (char)ch;
		else {
			s[n++] = '\\';
			s[n++] = 'x';
			s[n++] = hex[ch >> 4];
			s[n++] = hex[ch & 0xf];
		}
	}
	s[n] = '\0';
	return s;
}

static void
v2_textf(struct v2 *x, struct ds_field *o, const char *name, struct ds_view v)
{
	const char *s;

	if ((s = v2_text(x, v)) != NULL)
		(void)ds_tree_str(x->d.f, o, name, s);
}

/*
 * RFC 7296 3.3: the SA payload is a list of proposals, each a list of
 * transforms, each with attributes.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |F|                             |    AF=1  Attribute Value      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   AF=0  Attribute Value                       |
 * |                   AF=1  Not Transmitted                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_attrs(struct v2 *x, struct ds_cur *c, struct ds_field *to,
    struct ds_ike_transform *tr)
{
	struct ds_field *list = NULL, *a;
	struct ds_cur t;
	struct ds_view v;
	uint16_t type, val = 0;
	bool tv;

	while (c->rep > 0) {
		t = *c;
		type = ds_be16(&t);
		tv = (type & IKEV2_ATTR_TV) != 0;
		type &= (uint16_t)~IKEV2_ATTR_TV;
		v.p = NULL;
		v.len = 0;
		if (tv)
			val = ds_be16(&t);
		else
			(void)ds_take(&t, ds_be16(&t), &v);
		/* RFC 7296 3.3.5: an attribute ends inside its transform */
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_ATTR);
			*c = t;
			return;
		}
		*c = t;
		if (type == IKEV2_ATTR_KEY_LENGTH && tv) {
			(void)ds_tree_u64(x->d.f, to, "key_length", val);
			if (tr != NULL)
				tr->keylen = val;
			continue;
		}
		/* RFC 7296 3.3.5: Key Length is only ever sent as TV */
		if (type == IKEV2_ATTR_KEY_LENGTH)
			ike_dec_note(&x->d, DS_N_IKE_ATTR);
		if (list == NULL)
			list = ds_tree_list(x->d.f, to, "attributes");
		a = ds_tree_obj(x->d.f, list, "attribute");
		IKE_NAMED(&x->d, a, "type", type, ikev2_attr_name(type));
		(void)ds_tree_flag(x->d.f, a, "tv", tv);
		if (tv)
			(void)ds_tree_u64(x->d.f, a, "value", val);
		else
			(void)ds_tree_bytes(x->d.f, a, "value", v);
	}
}

/*
 * RFC 7296 3.3.2, Transform Substructure:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Transform Type |   RESERVED    |          Transform ID         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Transform Attributes                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Returns the number of transforms walked.
 */
static unsigned
v2_transforms(struct v2 *x, struct ds_cur *c, struct ds_field *po,
    struct ds_ike_proposal *p)
{
	struct ds_field *list, *o;
	struct ds_ike_transform *tr;
	struct ds_cur t, tc;
	unsigned n = 0;
	uint16_t len, id;
	uint8_t last, type;

	list = ds_tree_list(x->d.f, po, "transforms");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		last = ds_u8(&t);
		(void)ds_u8(&t);
		len = ds_be16(&t);
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_PL_FIELD);
			*c = t;
			return n;
		}
		/* RFC 7296 3.3.2: the length counts the 8-octet header */
		if (len < IKEV2_XFORM_LEN || !ds_sub(c, len, &tc)) {
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
			return n;
		}
		n++;
		(void)ds_skip(&tc, 4);
		type = ds_u8(&tc);
		(void)ds_u8(&tc);
		id = ds_be16(&tc);
		if (!ds_ok(&tc)) {
			ike_dec_fail(&x->d, &tc, DS_N_IKE_PL_FIELD);
			c->err = tc.err;
			return n;
		}
		o = ds_tree_obj(x->d.f, list, "transform");
		IKE_NAMED(&x->d, o, "type", type, ikev2_tt_name(type));
		IKE_NAMED(&x->d, o, "id", id, ikev2_transform_name(type, id));
		tr = NULL;
		if (p != NULL && p->ntr < DS_IKE_MAX_TRANSFORMS) {
			tr = &p->tr[p->ntr++];
			tr->type = type;
			tr->id = id;
			tr->keylen = 0;
		}
		v2_attrs(x, &tc, o, tr);
		/* RFC 7296 3.3.2: Last Substruc is 0 on the last, 3 before */
		if ((last != 0 && last != 3) || (last == 0) != (c->rep == 0))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	}
	return n;
}

/*
 * RFC 7296 3.3.1, Proposal Substructure:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SPI (variable)                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        <Transforms>                           ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Only the first SA payload of a message goes into the facts.
 */
static void
v2_sa(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_field *list, *po;
	struct ds_ike_proposal *p;
	struct ds_cur t, pc;
	struct ds_view spi;
	bool keep = !x->d.facts->has_sa;
	unsigned got;
	uint16_t len;
	uint8_t last, num, proto, spisz, ntr;

	x->d.facts->has_sa = true;
	list = ds_tree_list(x->d.f, o, "proposals");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		last = ds_u8(&t);
		(void)ds_u8(&t);
		len = ds_be16(&t);
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_PL_FIELD);
			*c = t;
			return;
		}
		/* RFC 7296 3.3.1: the length counts the 8-octet header */
		if (len < IKEV2_PROP_LEN || !ds_sub(c, len, &pc)) {
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
			return;
		}
		(void)ds_skip(&pc, 4);
		num = ds_u8(&pc);
		proto = ds_u8(&pc);
		spisz = ds_u8(&pc);
		ntr = ds_u8(&pc);
		if (!ds_ok(&pc)) {
			ike_dec_fail(&x->d, &pc, DS_N_IKE_PL_FIELD);
			return;
		}
		po = ds_tree_obj(x->d.f, list, "proposal");
		(void)ds_tree_u64(x->d.f, po, "num", num);
		IKE_NAMED(&x->d, po, "protocol", proto, ikev2_proto_name(proto));
		(void)ds_tree_u64(x->d.f, po, "spi_size", spisz);
		/* RFC 7296 3.3.1: the SPI lies inside the proposal */
		if (!ike_dec_spi(&x->d, &pc, po, "spi", spisz, &spi)) {
			ike_dec_fail(&x->d, &pc, DS_N_IKE_PL_FIELD);
			return;
		}
		(void)ds_tree_u64(x->d.f, po, "num_transforms", ntr);
		p = NULL;
		if (keep && x->d.facts->nprop < DS_IKE_MAX_PROPOSALS) {
			p = &x->d.facts->prop[x->d.facts->nprop++];
			p->num = num;
			p->proto = proto;
			p->spi_len = spisz;
			memset(p->spi, 0, sizeof p->spi);
			if (spi.len <= sizeof p->spi && spi.len > 0)
				memcpy(p->spi, spi.p, spi.len);
			p->ntr = 0;
		}
		got = v2_transforms(x, &pc, po, p);
		/* RFC 7296 3.3.1: Num Transforms counts what follows */
		if (got != ntr && ds_ok(&pc))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		/* RFC 7296 3.3.1: Last Substruc is 0 on the last, 2 before */
		if ((last != 0 && last != 2) || (last == 0) != (c->rep == 0))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	}
}

/*
 * RFC 7296 3.4:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_ke(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	uint16_t group;
	size_t len;
	bool whole;

	group = ds_be16(c);
	(void)ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "group", group, ikev2_ke_name(group));
	len = c->rep;
	whole = ike_dec_rest(c, &v);
	(void)ds_tree_u64(x->d.f, o, "data_len", len);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
	if (!x->ke_seen && whole) {
		x->d.facts->ke = v;
		x->d.facts->ke_group = group;
	}
	x->ke_seen = true;
}

/*
 * RFC 7296 3.5:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Identification Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_id(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	size_t len;
	uint8_t type;

	type = ds_u8(c);
	(void)ds_skip(c, 3);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "id_type", type, ikev2_id_name(type));
	len = c->rep;
	switch (type) {
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR:
		/* RFC 7296 3.5: a single address of its family's size */
		if (len == (type == IKEV2_ID_IPV4_ADDR ? 4u : 16u)) {
			(void)ike_dec_addr(&x->d, c, o, "id", len);
			return;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		(void)ike_dec_rest(c, &v);
		v2_textf(x, o, "id", v);
		return;
	case IKEV2_ID_DER_ASN1_DN:
		if (ike_dec_rest(c, &v) && !ike_dec_dn(&x->d, o, "id", v))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		(void)ds_tree_bytes(x->d.f, o, "data", v);
		return;
	case IKEV2_ID_NULL:
		/* RFC 7619 3: the identification data is empty */
		if (len == 0)
			return;
		break;
	default:
		break;
	}
	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/* An X.509 certificate's subject and issuer, when it parses. */
static bool
v2_x509(struct v2 *x, struct ds_field *o, struct ds_view v)
{
	const unsigned char *p = v.p;
	const char *s;
	X509 *cert;

	if (v.len == 0 || v.len > LONG_MAX)
		return false;
	if ((cert = d2i_X509(NULL, &p, (long)v.len)) == NULL)
		return false;
	if ((s = ike_dec_x509_name(&x->d, X509_get_subject_name(cert))) != NULL)
		(void)ds_tree_str(x->d.f, o, "subject", s);
	if ((s = ike_dec_x509_name(&x->d, X509_get_issuer_name(cert))) != NULL)
		(void)ds_tree_str(x->d.f, o, "issuer", s);
	X509_free(cert);
	return true;
}

/*
 * RFC 7296 3.6 (CERT) and 3.7 (CERTREQ, whose data for X.509 is a list of
 * 20-octet SHA-1 hashes of trusted CAs' public keys):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~                       Certificate Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_cert(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	uint8_t enc;
	bool whole;

	enc = ds_u8(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "encoding", enc, ikev2_cert_name(enc));
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	if (enc == IKEV2_CERT_HASH_URL_CERT ||
	    enc == IKEV2_CERT_HASH_URL_BUNDLE) {
		/* RFC 7296 3.6: a 20-octet SHA-1 hash, then the URL */
		if (!ds_take(c, 20, &v))
			return;
		(void)ds_tree_bytes(x->d.f, o, "hash", v);
		(void)ike_dec_rest(c, &v);
		v2_textf(x, o, "url", v);
		return;
	}
	whole = ike_dec_rest(c, &v);
	if (enc == IKEV2_CERT_X509_SIG && whole && !v2_x509(x, o, v))
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

static void
v2_certreq(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_field *list;
	struct ds_view v;
	uint8_t enc;

	enc = ds_u8(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "encoding", enc, ikev2_cert_name(enc));
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	if (enc != IKEV2_CERT_X509_SIG) {
		(void)ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "data", v);
		return;
	}
	/* RFC 7296 3.7: a concatenation of 20-octet hashes */
	if (c->rep % IKEV2_CA_HASH_LEN != 0)
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	(void)ds_tree_u64(x->d.f, o, "ca_count", c->rep / IKEV2_CA_HASH_LEN);
	list = ds_tree_list(x->d.f, o, "ca");
	while (c->rep >= IKEV2_CA_HASH_LEN && ds_take(c, IKEV2_CA_HASH_LEN, &v))
		(void)ds_tree_bytes(x->d.f, list, "ca", v);
	if (ds_ok(c) && c->rep > 0) {
		(void)ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "data", v);
	}
}

/*
 * RFC 7296 3.8; for method 14 the data starts with an ASN.1 length and
 * AlgorithmIdentifier (RFC 7427 3):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Auth Method   |                RESERVED                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Authentication Data                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_auth(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	const unsigned char *p;
	const ASN1_OBJECT *obj;
	X509_ALGOR *alg;
	struct ds_view v;
	char buf[80];
	uint8_t method, alen;

	method = ds_u8(c);
	(void)ds_skip(c, 3);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "method", method, ikev2_auth_name(method));
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	if (method == IKEV2_AUTH_DIGITAL_SIG) {
		alen = ds_u8(c);
		/* RFC 7427 3: the AlgorithmIdentifier lies inside the data */
		if (!ds_take(c, alen, &v)) {
			ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
			return;
		}
		p = v.p;
		if (alen > 0 &&
		    (alg = d2i_X509_ALGOR(NULL, &p, (long)v.len)) != NULL) {
			X509_ALGOR_get0(&obj, NULL, NULL, alg);
			if (OBJ_obj2txt(buf, sizeof buf, obj, 0) > 0)
				(void)ds_tree_strf(x->d.f, o, "sig_alg", "%s",
				    buf);
			X509_ALGOR_free(alg);
		} else
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	}
	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/* RFC 7296 3.9: the nonce is the whole body. */
static void
v2_nonce(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	bool whole;

	whole = ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
	if (!x->nonce_seen && whole)
		x->d.facts->nonce = v;
	x->nonce_seen = true;
}

/*
 * RFC 5685 4: the gateway identity of REDIRECT and REDIRECTED_FROM, then
 * (REDIRECT in IKE_SA_INIT) the initiator's nonce.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | GW Ident Type |  GW Ident Len |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               ~
 * ~                   New Responder GW Identity                   ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Nonce Data                             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_redirect(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_cur g;
	struct ds_view v;
	uint8_t type, len;

	type = ds_u8(c);
	len = ds_u8(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "gw_type", type, ikev2_gw_name(type));
	(void)ds_tree_u64(x->d.f, o, "gw_len", len);
	/* RFC 5685 4: the identity lies inside the notification data */
	if (!ds_sub(c, len, &g)) {
		ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
		return;
	}
	switch (type) {
	case IKEV2_GW_IPV4:
	case IKEV2_GW_IPV6:
		if (len == (type == IKEV2_GW_IPV4 ? 4 : 16)) {
			(void)ike_dec_addr(&x->d, &g, o, "gw", len);
			break;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		(void)ike_dec_rest(&g, &v);
		(void)ds_tree_bytes(x->d.f, o, "gw_data", v);
		break;
	case IKEV2_GW_FQDN:
		(void)ike_dec_rest(&g, &v);
		v2_textf(x, o, "gw", v);
		break;
	default:
		(void)ike_dec_rest(&g, &v);
		(void)ds_tree_bytes(x->d.f, o, "gw_data", v);
		break;
	}
	if (!ds_ok(&g)) {
		ike_dec_fail(&x->d, &g, DS_N_IKE_PL_FIELD);
		return;
	}
	if (c->rep > 0) {
		(void)ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "nonce", v);
	}
}

/* The data of a notification whose type defines it (RFC 7296 3.10.1...). */
static void
v2_notify_data(struct v2 *x, struct ds_cur *c, struct ds_field *o,
    uint16_t type)
{
	struct ds_field *list, *h;
	struct ds_ike_facts *k = x->d.facts;
	struct ds_view v;
	uint16_t u16;
	uint8_t u8;
	bool whole;

	switch (type) {
	case IKEV2_N_NAT_DETECTION_SOURCE_IP:
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
		/* RFC 7296 2.23: a SHA-1 digest */
		if (c->rep != IKEV2_NATD_LEN)
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		whole = ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "hash", v);
		if (whole && k->nnatd < DS_IKE_MAX_NATD) {
			k->natd_is_src[k->nnatd] =
			    type == IKEV2_N_NAT_DETECTION_SOURCE_IP;
			k->natd[k->nnatd++] = v;
		}
		return;
	case IKEV2_N_COOKIE:
		/* RFC 7296 2.6: 1 to 64 octets */
		if (c->rep < 1 || c->rep > 64)
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		(void)ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "cookie", v);
		return;
	case IKEV2_N_INVALID_KE_PAYLOAD:
		/* RFC 7296 1.3: the group the responder wants */
		if (c->rep == 2) {
			u16 = ds_be16(c);
			IKE_NAMED(&x->d, o, "group", u16, ikev2_ke_name(u16));
			return;
		}
		break;
	case IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD:
		/* RFC 7296 3.10.1: one octet, the payload type */
		if (c->rep == 1) {
			u8 = ds_u8(c);
			IKE_NAMED(&x->d, o, "payload_type", u8,
			    ds_ikev2_payload_name(u8));
			return;
		}
		break;
	case IKEV2_N_IPCOMP_SUPPORTED:
		/* RFC 7296 2.22: CPI (2 octets) and transform ID (1) */
		if (c->rep == 3) {
			u16 = ds_be16(c);
			(void)ds_tree_hex(x->d.f, o, "cpi", u16, 4);
			u8 = ds_u8(c);
			IKE_NAMED(&x->d, o, "transform", u8, ikev2_ipcomp_name(u8));
			if (ds_ok(c) && k->nipcomp < DS_IKE_MAX_IPCOMP) {
				k->ipcomp[k->nipcomp].cpi = u16;
				k->ipcomp[k->nipcomp++].transform = u8;
			}
			return;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case IKEV2_N_SIGNATURE_HASH_ALGORITHMS:
		/* RFC 7427 4: a list of 2-octet hash algorithm numbers */
		if (c->rep % 2 != 0)
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		list = ds_tree_list(x->d.f, o, "hash_algorithms");
		while (c->rep >= 2 && ds_ok(c)) {
			u16 = ds_be16(c);
			if (!ds_ok(c))
				return;
			h = ds_tree_obj(x->d.f, list, "hash");
			IKE_NAMED(&x->d, h, "hash", u16, ikev2_hash_name(u16));
		}
		break;
	case IKEV2_N_REDIRECT:
	case IKEV2_N_REDIRECTED_FROM:
		v2_redirect(x, c, o);
		return;
	case IKEV2_N_SET_WINDOW_SIZE:
		/* RFC 7296 2.3: a 4-octet window size */
		if (c->rep == 4) {
			(void)ds_tree_u64(x->d.f, o, "window_size", ds_be32(c));
			return;
		}
		break;
	case IKEV2_N_AUTH_LIFETIME:
		/* RFC 4478 3: seconds, 4 octets */
		if (c->rep == 4) {
			(void)ds_tree_u64(x->d.f, o, "lifetime", ds_be32(c));
			return;
		}
		break;
	case IKEV2_N_ADDITIONAL_IP4_ADDRESS:
	case IKEV2_N_ADDITIONAL_IP6_ADDRESS:
		/* RFC 4555 3.6: one address of the family */
		if (c->rep == (type == IKEV2_N_ADDITIONAL_IP4_ADDRESS ?
		    4u : 16u)) {
			(void)ike_dec_addr(&x->d, c, o, "address", c->rep);
			return;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case IKEV2_N_IKEV2_MESSAGE_ID_SYNC:
		/* RFC 6311 4.1: nonce, expected send and receive IDs */
		if (c->rep == 12) {
			(void)ds_tree_hex(x->d.f, o, "nonce", ds_be32(c), 8);
			(void)ds_tree_u64(x->d.f, o, "send_msgid", ds_be32(c));
			(void)ds_tree_u64(x->d.f, o, "recv_msgid", ds_be32(c));
			return;
		}
		break;
	case IKEV2_N_PUZZLE:
		/* RFC 8019 8.1.1: PRF and difficulty */
		if (c->rep == 3) {
			u16 = ds_be16(c);
			IKE_NAMED(&x->d, o, "prf", u16, ikev2_prf_name(u16));
			(void)ds_tree_u64(x->d.f, o, "difficulty", ds_u8(c));
			return;
		}
		break;
	default:
		break;
	}
	if (c->rep > 0 && ds_ok(c)) {
		(void)ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "data", v);
	}
}

/*
 * RFC 7296 3.10:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_notify(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	uint16_t type;
	uint8_t proto, spisz;

	proto = ds_u8(c);
	spisz = ds_u8(c);
	type = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "protocol", proto, ikev2_proto_name(proto));
	(void)ds_tree_u64(x->d.f, o, "spi_size", spisz);
	IKE_NAMED(&x->d, o, "notify_type", type, ikev2_notify_name(type));
	(void)ds_tree_flag(x->d.f, o, "error", type < IKEV2_N_STATUS_MIN);
	if (x->d.facts->nnotify < DS_IKE_MAX_NOTIFY)
		x->d.facts->notify[x->d.facts->nnotify++] = type;
	/* RFC 7296 3.10: the SPI lies inside the payload */
	if (!ike_dec_spi(&x->d, c, o, "spi", spisz, NULL)) {
		ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
		return;
	}
	v2_notify_data(x, c, o, type);
}

/*
 * RFC 7296 3.11:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Deleting the IKE SA itself (no SPI) is kept as protocol 1, SPI 0.
 */
static void
v2_delete(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_ike_facts *k = x->d.facts;
	struct ds_field *list;
	struct ds_view v;
	struct ds_cur t;
	uint32_t spi;
	uint16_t n, i;
	uint8_t proto, spisz;

	proto = ds_u8(c);
	spisz = ds_u8(c);
	n = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "protocol", proto, ikev2_proto_name(proto));
	(void)ds_tree_u64(x->d.f, o, "spi_size", spisz);
	(void)ds_tree_u64(x->d.f, o, "num_spis", n);
	if (proto == IKEV2_PROTO_IKE && n == 0 &&
	    k->ndeleted < DS_IKE_MAX_SPIS) {
		k->deleted[k->ndeleted].proto = proto;
		k->deleted[k->ndeleted++].spi = 0;
	}
	/* RFC 7296 3.11: Num of SPIs times SPI Size fills the payload */
	if ((size_t)n * spisz != c->rep)
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	if (spisz == 0)
		return;
	list = ds_tree_list(x->d.f, o, "spis");
	for (i = 0; i < n && c->rep >= spisz; i++) {
		if (!ds_take(c, spisz, &v)) {
			ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
			return;
		}
		t = ds_cur_make(v.p, v.len, v.len);
		(void)ike_dec_spi(&x->d, &t, list, "spi", spisz, NULL);
		if (spisz <= 4 && k->ndeleted < DS_IKE_MAX_SPIS) {
			t = ds_cur_make(v.p, v.len, v.len);
			spi = 0;
			while (ds_left(&t) > 0)
				spi = spi << 8 | ds_u8(&t);
			k->deleted[k->ndeleted].proto = proto;
			k->deleted[k->ndeleted++].spi = spi;
		}
	}
}

/* RFC 7296 3.12: the Vendor ID is opaque; known ones get a name. */
static void
v2_vendor(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	const char *name;

	if (ike_dec_rest(c, &v) && (name = ds_ike_vendor_name(v)) != NULL)
		(void)ds_tree_str(x->d.f, o, "vendor", name);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/*
 * RFC 7296 3.13.1 (RFC 4595 4.4.3 for Fibre Channel, RFC 9478 for
 * security labels):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Start Port*         |           End Port*           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Starting Address*                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Ending Address*                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_selector(struct v2 *x, struct ds_cur *s, struct ds_field *o, uint8_t type)
{
	struct ds_view v;
	uint8_t proto;
	size_t alen;

	switch (type) {
	case IKEV2_TS_IPV4_ADDR_RANGE:
	case IKEV2_TS_IPV6_ADDR_RANGE:
		alen = type == IKEV2_TS_IPV4_ADDR_RANGE ? 4 : 16;
		/* RFC 7296 3.13.1: 8 octets, then two addresses */
		if (s->rep != 7 + 2 * alen) {
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
			break;
		}
		proto = ds_u8(s);
		(void)ds_skip(s, 2);
		/* RFC 7296 3.13.1: protocol 0 means any */
		IKE_NAMED(&x->d, o, "ip_proto", proto,
		    proto == 0 ? "any" : ds_ipproto_name(proto));
		(void)ds_tree_u64(x->d.f, o, "start_port", ds_be16(s));
		(void)ds_tree_u64(x->d.f, o, "end_port", ds_be16(s));
		if (ike_dec_addr(&x->d, s, o, "start", alen))
			(void)ike_dec_addr(&x->d, s, o, "end", alen);
		return;
	case IKEV2_TS_FC_ADDR_RANGE:
		/* RFC 4595 4.4.3: 16 octets in all */
		if (s->rep != 15) {
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
			break;
		}
		(void)ds_skip(s, 4);
		(void)ds_tree_hex(x->d.f, o, "start",
		    (uint64_t)ds_be16(s) << 8 | ds_u8(s), 6);
		(void)ds_skip(s, 1);
		(void)ds_tree_hex(x->d.f, o, "end",
		    (uint64_t)ds_be16(s) << 8 | ds_u8(s), 6);
		(void)ds_tree_hex(x->d.f, o, "start_r_ctl", ds_u8(s), 2);
		(void)ds_tree_hex(x->d.f, o, "end_r_ctl", ds_u8(s), 2);
		(void)ds_tree_hex(x->d.f, o, "start_type", ds_u8(s), 2);
		(void)ds_tree_hex(x->d.f, o, "end_type", ds_u8(s), 2);
		return;
	case IKEV2_TS_SECLABEL:
		(void)ds_skip(s, 3);
		(void)ike_dec_rest(s, &v);
		v2_textf(x, o, "label", v);
		return;
	default:
		break;
	}
	(void)ds_skip(s, 3);
	(void)ike_dec_rest(s, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/*
 * RFC 7296 3.13:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of TSs |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       <Traffic Selectors>                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_ts(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_field *list, *so;
	struct ds_cur t, s;
	unsigned got = 0;
	uint16_t len;
	uint8_t n, type;

	n = ds_u8(c);
	(void)ds_skip(c, 3);
	if (!ds_ok(c))
		return;
	(void)ds_tree_u64(x->d.f, o, "num_ts", n);
	list = ds_tree_list(x->d.f, o, "selectors");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		type = ds_u8(&t);
		(void)ds_u8(&t);
		len = ds_be16(&t);
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_PL_FIELD);
			*c = t;
			return;
		}
		/* RFC 7296 3.13.1: the selector length counts its header */
		if (len < 4 || !ds_sub(c, len, &s)) {
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
			return;
		}
		got++;
		(void)ds_skip(&s, 1);
		so = ds_tree_obj(x->d.f, list, "selector");
		IKE_NAMED(&x->d, so, "ts_type", type, ikev2_ts_name(type));
		(void)ds_tree_u64(x->d.f, so, "len", len);
		v2_selector(x, &s, so, type);
		if (!ds_ok(&s))
			ike_dec_fail(&x->d, &s, DS_N_IKE_PL_FIELD);
	}
	/* RFC 7296 3.13: Number of TSs counts what follows */
	if (got != n && ds_ok(c))
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
}

/*
 * RFC 7296 3.14: the Encrypted payload is the last one; its Next Payload
 * names the first payload inside.  Without keys only its size is known.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Encrypted IKE Payloads                     ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_sk_common(struct v2 *x, struct ds_cur *c, struct ds_field *o, uint8_t np)
{
	IKE_NAMED(&x->d, o, "next_payload", np, ds_ikev2_payload_name(np));
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	(void)ds_tree_flag(x->d.f, o, "encrypted", true);
	x->d.facts->has_sk = true;
	if (!ds_frame_has_note(x->d.f, DS_N_IKE_ENCRYPTED))
		ds_frame_note(x->d.f, DS_N_IKE_ENCRYPTED);
	(void)ds_skip(c, c->cap);
	if (c->rep > 0)
		ike_dec_trunc(&x->d);
}

/*
 * RFC 7383 2.5, the Encrypted Fragment payload: the SK layout after two
 * counters.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Fragment Number        |        Total Fragments        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * ~                      Encrypted content ...                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_skf(struct v2 *x, struct ds_cur *c, struct ds_field *o, uint8_t np)
{
	uint16_t num, total;

	num = ds_be16(c);
	total = ds_be16(c);
	if (!ds_ok(c))
		return;
	(void)ds_tree_u64(x->d.f, o, "frag_num", num);
	(void)ds_tree_u64(x->d.f, o, "frag_total", total);
	x->d.facts->is_fragment = true;
	x->d.facts->frag_num = num;
	x->d.facts->frag_total = total;
	/*
	 * RFC 7383 2.5: numbers start at 1 and do not exceed the total;
	 * only the first fragment names the inner payload.
	 */
	if (num == 0 || num > total || (num != 1 && np != 0))
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	if (!ds_frame_has_note(x->d.f, DS_N_IKE_FRAGMENT))
		ds_frame_note(x->d.f, DS_N_IKE_FRAGMENT);
	v2_sk_common(x, c, o, np);
}

/* The configuration attribute values RFC 7296 3.15.1 defines. */
static void
v2_cp_value(struct v2 *x, struct ds_cur *a, struct ds_field *o, uint16_t type)
{
	struct ds_field *list, *e;
	struct ds_view v;
	uint16_t u16;

	if (a->rep == 0)
		return;		/* RFC 7296 3.15.1: empty in a request */
	switch (type) {
	case IKEV2_CPA_INTERNAL_IP4_ADDRESS:
	case IKEV2_CPA_INTERNAL_IP4_NETMASK:
	case IKEV2_CPA_INTERNAL_IP4_DNS:
	case IKEV2_CPA_INTERNAL_IP4_NBNS:
	case IKEV2_CPA_INTERNAL_IP4_DHCP:
	case IKEV2_CPA_P_CSCF_IP4_ADDRESS:
		if (a->rep == 4) {
			(void)ike_dec_addr(&x->d, a, o, "address", 4);
			return;
		}
		break;
	case IKEV2_CPA_INTERNAL_IP6_DNS:
	case IKEV2_CPA_INTERNAL_IP6_DHCP:
	case IKEV2_CPA_P_CSCF_IP6_ADDRESS:
		if (a->rep == 16) {
			(void)ike_dec_addr(&x->d, a, o, "address", 16);
			return;
		}
		break;
	case IKEV2_CPA_INTERNAL_IP6_ADDRESS:
	case IKEV2_CPA_INTERNAL_IP6_SUBNET:
		/* RFC 7296 3.15.1: address and prefix length */
		if (a->rep == 17) {
			(void)ike_dec_addr(&x->d, a, o, "address", 16);
			(void)ds_tree_u64(x->d.f, o, "prefix_len", ds_u8(a));
			return;
		}
		break;
	case IKEV2_CPA_INTERNAL_IP4_SUBNET:
		if (a->rep == 8) {
			(void)ike_dec_addr(&x->d, a, o, "address", 4);
			(void)ike_dec_addr(&x->d, a, o, "netmask", 4);
			return;
		}
		break;
	case IKEV2_CPA_APPLICATION_VERSION:
	case IKEV2_CPA_INTERNAL_DNS_DOMAIN:
		(void)ike_dec_rest(a, &v);
		v2_textf(x, o, "value", v);
		return;
	case IKEV2_CPA_SUPPORTED_ATTRIBUTES:
		if (a->rep % 2 != 0)
			break;
		list = ds_tree_list(x->d.f, o, "attributes");
		while (a->rep >= 2 && ds_ok(a)) {
			u16 = ds_be16(a);
			if (!ds_ok(a))
				return;
			e = ds_tree_obj(x->d.f, list, "attribute");
			IKE_NAMED(&x->d, e, "type", u16, ikev2_cpa_name(u16));
		}
		return;
	default:
		(void)ike_dec_rest(a, &v);
		(void)ds_tree_bytes(x->d.f, o, "value", v);
		return;
	}
	/* RFC 7296 3.15.1: a value of the size its type fixes */
	ike_dec_note(&x->d, DS_N_IKE_ATTR);
	(void)ike_dec_rest(a, &v);
	(void)ds_tree_bytes(x->d.f, o, "value", v);
}

/*
 * RFC 7296 3.15 and 3.15.1:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   CFG Type    |                    RESERVED                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|         Attribute Type      |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                             Value                             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_cp(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_field *list, *ao;
	struct ds_cur t, a;
	uint16_t type, len;
	uint8_t cfg;

	cfg = ds_u8(c);
	(void)ds_skip(c, 3);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "cfg_type", cfg, ikev2_cfg_name(cfg));
	list = ds_tree_list(x->d.f, o, "attributes");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		type = ds_be16(&t) & 0x7fff;
		len = ds_be16(&t);
		/* RFC 7296 3.15.1: an attribute ends inside its payload */
		if (!ds_ok(&t) || !ds_sub(&t, len, &a)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_ATTR);
			return;
		}
		*c = t;
		ao = ds_tree_obj(x->d.f, list, "attribute");
		IKE_NAMED(&x->d, ao, "type", type, ikev2_cpa_name(type));
		(void)ds_tree_u64(x->d.f, ao, "len", len);
		v2_cp_value(x, &a, ao, type);
		if (!ds_ok(&a))
			ike_dec_fail(&x->d, &a, DS_N_IKE_ATTR);
	}
}

/*
 * RFC 7296 3.16: an EAP message (RFC 3748 4):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |  Type_Data...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v2_eap(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	uint16_t len;
	uint8_t code, id, type;

	code = ds_u8(c);
	id = ds_u8(c);
	len = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "code", code, ikev2_eap_code_name(code));
	(void)ds_tree_u64(x->d.f, o, "identifier", id);
	(void)ds_tree_u64(x->d.f, o, "eap_len", len);
	/* RFC 3748 4: the EAP Length covers exactly the EAP message */
	if ((size_t)len != c->rep + 4)
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	if ((code != IKEV2_EAP_CODE_REQUEST &&
	    code != IKEV2_EAP_CODE_RESPONSE) || c->rep == 0)
		return;
	type = ds_u8(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "eap_type", type, ikev2_eap_type_name(type));
	(void)ike_dec_rest(c, &v);
	if (type == IKEV2_EAP_TYPE_IDENTITY ||
	    type == IKEV2_EAP_TYPE_NOTIFICATION)
		v2_textf(x, o, "text", v);
	else if (v.len > 0)
		(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/* Payloads without a decoder here: their bytes. */
static void
v2_opaque(struct v2 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;

	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

static v2_decode_fn
v2_decoder(uint8_t type)
{
	switch (type) {
	case IKEV2_PT_SA:	return v2_sa;
	case IKEV2_PT_KE:	return v2_ke;
	case IKEV2_PT_IDI:
	case IKEV2_PT_IDR:	return v2_id;
	case IKEV2_PT_CERT:	return v2_cert;
	case IKEV2_PT_CERTREQ:	return v2_certreq;
	case IKEV2_PT_AUTH:	return v2_auth;
	case IKEV2_PT_NONCE:	return v2_nonce;
	case IKEV2_PT_NOTIFY:	return v2_notify;
	case IKEV2_PT_DELETE:	return v2_delete;
	case IKEV2_PT_VENDOR:	return v2_vendor;
	case IKEV2_PT_TSI:
	case IKEV2_PT_TSR:	return v2_ts;
	case IKEV2_PT_CP:	return v2_cp;
	case IKEV2_PT_EAP:	return v2_eap;
	case IKEV2_PT_GSPM:
	case IKEV2_PT_IDG:
	case IKEV2_PT_GSA:
	case IKEV2_PT_KD:
	case IKEV2_PT_PS:	return v2_opaque;
	}
	return NULL;
}

/*
 * RFC 7296 3.2, Generic Payload Header:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum ds_err
ds_ikev2_gen_parse(struct ds_cur *c, struct ds_ikev2_gen *g,
    struct ds_cur *body)
{
	struct ds_cur t = *c, b;
	struct ds_ikev2_gen h;

	h.np = ds_u8(&t);
	h.flags = ds_u8(&t);
	h.len = ds_be16(&t);
	if (!ds_ok(&t))
		return t.err;
	/* RFC 7296 3.2: the length includes the generic header */
	if (h.len < IKEV2_GEN_LEN)
		return DS_EMALFORMED;
	/* RFC 7296 3.2: a payload ends inside its message */
	if (!ds_sub(&t, h.len - IKEV2_GEN_LEN, &b))
		return t.err;
	*g = h;
	*body = b;
	*c = t;
	return DS_OK;
}

/* A payload's object: type, name, then the generic header's fields. */
static struct ds_field *
v2_obj(struct v2 *x, struct ds_field *root, uint8_t type,
    const struct ds_ikev2_gen *g)
{
	struct ds_field *o;
	const char *name;

	o = ds_tree_obj(x->d.f, root, "payload");
	(void)ds_tree_u64(x->d.f, o, "type", type);
	if ((name = ds_ikev2_payload_name(type)) != NULL)
		(void)ds_tree_str(x->d.f, o, "name", name);
	if (g == NULL)
		return o;
	(void)ds_tree_flag(x->d.f, o, "critical",
	    (g->flags & IKEV2_CRITICAL) != 0);
	(void)ds_tree_u64(x->d.f, o, "len", g->len);
	/* RFC 7296 3.2: the reserved bits are sent as zero */
	if ((g->flags & ~IKEV2_CRITICAL) != 0)
		(void)ds_tree_hex(x->d.f, o, "reserved", g->flags & 0x7f, 2);
	return o;
}

/*
 * Walks the chain from the header's Next Payload.  A payload whose
 * generic header is sound is skipped by its length whatever its body
 * holds; a header that is not stops the walk (RFC 7296 3.2).
 */
void
ds_ikev2_payloads(struct ds_frame *f, struct ds_layer *l, struct ds_cur *c)
{
	struct ds_ike_facts spare;
	struct ds_ike *ike = &l->u.ike;
	struct ds_ikev2_gen g;
	struct ds_field *root, *o;
	struct ds_cur body;
	struct v2 x;
	v2_decode_fn fn;
	unsigned n = 0;
	enum ds_err e;
	uint8_t np = ike->np;

	memset(&x, 0, sizeof x);
	x.d.f = f;
	x.d.quoted = l->quoted;
	if ((x.d.facts = ds_frame_alloc(f, sizeof *x.d.facts)) == NULL)
		x.d.facts = &spare;
	else
		ike->facts = x.d.facts;
	memset(x.d.facts, 0, sizeof *x.d.facts);
	root = ike->payloads = ds_tree_root(f, DS_FK_LIST);
	while (np != IKEV2_PT_NONE) {
		/* every payload takes 4 octets, but a cap keeps work bounded */
		if (n++ == IKEV2_MAX_PAYLOADS) {
			ike_dec_note(&x.d, DS_N_IKE_PL_LOOP);
			return;
		}
		if (ike->nchain < DS_IKE_CHAIN)
			ike->chain[ike->nchain++] = np;
		else
			ike->chain_cut = true;
		if ((e = ds_ikev2_gen_parse(c, &g, &body)) != DS_OK) {
			(void)v2_obj(&x, root, np, NULL);
			if (e == DS_ETRUNC)
				ike_dec_trunc(&x.d);
			else
				ike_dec_note(&x.d, DS_N_IKE_PL_LEN);
			return;
		}
		o = v2_obj(&x, root, np, &g);
		x.d.noted = false;
		if (np == IKEV2_PT_SK)
			v2_sk_common(&x, &body, o, g.np);
		else if (np == IKEV2_PT_SKF)
			v2_skf(&x, &body, o, g.np);
		else if ((fn = v2_decoder(np)) != NULL)
			fn(&x, &body, o);
		else {
			/* RFC 7296 2.5: unknown and critical is an error */
			if ((g.flags & IKEV2_CRITICAL) != 0)
				ike_dec_note(&x.d, DS_N_IKE_PL_CRITICAL);
			v2_opaque(&x, &body, o);
		}
		if (body.err == DS_ETRUNC)
			ike_dec_trunc(&x.d);
		else if (body.err != DS_OK && !x.d.noted)
			ike_dec_note(&x.d, DS_N_IKE_PL_SHORT);
		/* RFC 7296 3.14: SK is last; its Next Payload is inside it */
		if (np == IKEV2_PT_SK || np == IKEV2_PT_SKF)
			break;
		np = g.np;
	}
	/* RFC 7296 3.2: next payload 0 ends the chain; Length the message */
	if (c->rep > 0)
		ike_dec_note(&x.d, DS_N_IKE_PL_TRAILING);
}
