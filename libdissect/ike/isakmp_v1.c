/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ISAKMP / IKEv1 payloads: the chain after the ISAKMP header walked payload
 * by payload, each decoded to its last field into the frame's field tree,
 * with the facts that matter across messages kept aside; cleartext IKE
 * fragments are handed to the reassembly table and a completed message is
 * decoded in turn.
 * RFC 2408 3.2-3.16 (payloads), RFC 2407 4.2-4.6 (IPsec DOI: situation,
 * transform ids, attributes, ID, notify types), RFC 2409 Appendix A
 * (phase 1 attributes), RFC 3947 3-5 (NAT-D, NAT-OA, encapsulation
 * modes), RFC 3706 (DPD), draft-dukes-ike-mode-cfg and
 * draft-beaulieu-ike-xauth (attribute payload).
 */
#include <limits.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "dissect/names.h"
#include "ike_int.h"
#include "isakmp_const.h"

#define ISAKMP_HDR_LEN		28
#define ISAKMP_MAX_PAYLOADS	64	/* a longer chain is a loop, not IKE */
#define ISAKMP_FLAG_ENC		0x01	/* RFC 2408 3.1: Encryption bit */
#define ISAKMP_PROP_LEN		8	/* proposal payload, fixed part */
#define ISAKMP_XFORM_LEN	8	/* transform payload, fixed part */
#define ISAKMP_ATTR_TV		0x8000	/* RFC 2408 3.3: AF bit */
#define ISAKMP_FRAG_LAST	0x01	/* fragment flags: the last one */

/* Which registry names a data attribute. */
enum attr_class {
	AC_IKE,		/* RFC 2409 Appendix A, phase 1 */
	AC_IPSEC,	/* RFC 2407 4.5, phase 2 */
	AC_CFG,		/* mode-cfg and XAUTH */
};

/* What every payload decoder shares for one message. */
struct v1 {
	struct ike_dec		 d;	/* frame, facts, what was noted */
	bool			 ke_seen;
	bool			 nonce_seen;
	bool			 has_group;
	bool			 in_reassembled;
	uint16_t		 group;		/* first SA's group */
	unsigned		 nnatd;		/* NAT-D payloads seen */
};

/* Phase 1 or 2 attributes of one transform, as the facts keep them. */
struct v1_seen {
	bool		 has_encr, has_hash, has_prf, has_group, has_auth,
			 has_p2auth;
	uint16_t	 encr, hash, prf, group, auth, p2auth, keylen;
};

typedef void (*v1_decode_fn)(struct v1 *, struct ds_cur *, struct ds_field *);

/* Name functions, made from the lists in isakmp_const.h. */
#define X(sym, val, str)	case val: return str;
#define V1_NAMES(fn, LIST)						\
static const char *							\
fn(unsigned v)								\
{									\
	switch (v) {							\
	LIST(X)								\
	}								\
	return NULL;							\
}
V1_NAMES(v1_doi_name, ISAKMP_DOI_LIST)
V1_NAMES(v1_proto_name, ISAKMP_PROTO_LIST)
V1_NAMES(v1_key_name, ISAKMP_KEY_LIST)
V1_NAMES(v1_ah_name, ISAKMP_AH_LIST)
V1_NAMES(v1_esp_name, ISAKMP_ESP_LIST)
V1_NAMES(v1_ipcomp_name, ISAKMP_IPCOMP_LIST)
V1_NAMES(v1_p1a_name, ISAKMP_P1A_LIST)
V1_NAMES(v1_encr_name, ISAKMP_ENCR_LIST)
V1_NAMES(v1_hash_name, ISAKMP_HASH_LIST)
V1_NAMES(v1_auth_name, ISAKMP_AUTH_LIST)
V1_NAMES(v1_group_name, ISAKMP_GROUP_LIST)
V1_NAMES(v1_group_type_name, ISAKMP_GROUP_TYPE_LIST)
V1_NAMES(v1_life_name, ISAKMP_LIFE_LIST)
V1_NAMES(v1_p2a_name, ISAKMP_P2A_LIST)
V1_NAMES(v1_encap_name, ISAKMP_ENCAP_LIST)
V1_NAMES(v1_p2auth_name, ISAKMP_P2AUTH_LIST)
V1_NAMES(v1_ecn_name, ISAKMP_ECN_LIST)
V1_NAMES(v1_sig_enc_name, ISAKMP_SIG_ENC_LIST)
V1_NAMES(v1_id_name, ISAKMP_ID_LIST)
V1_NAMES(v1_cert_name, ISAKMP_CERT_LIST)
V1_NAMES(v1_notify_name, ISAKMP_N_LIST)
V1_NAMES(v1_cfg_name, ISAKMP_CFG_LIST)
V1_NAMES(v1_cfga_name, ISAKMP_CFGA_LIST)
V1_NAMES(v1_xauth_type_name, ISAKMP_XAUTH_TYPE_LIST)
V1_NAMES(v1_xauth_status_name, ISAKMP_XAUTH_STATUS_LIST)
#undef V1_NAMES

/* RFC 2408 3.1 and IANA "Next Payload Types"; 0 has no name. */
const char *
ds_isakmp_payload_name(uint8_t v)
{
	if (v == ISAKMP_PT_NONE)
		return NULL;
	switch (v) {
	ISAKMP_PT_LIST(X)
	}
	return NULL;
}
#undef X

/* RFC 2407 4.4: transform ids are named per protocol. */
static const char *
v1_transform_name(uint8_t proto, uint8_t id)
{
	switch (proto) {
	case ISAKMP_PROTO_ISAKMP:	return v1_key_name(id);
	case ISAKMP_PROTO_AH:		return v1_ah_name(id);
	case ISAKMP_PROTO_ESP:		return v1_esp_name(id);
	case ISAKMP_PROTO_IPCOMP:	return v1_ipcomp_name(id);
	}
	return NULL;
}

/* Text from the wire: printable ASCII kept, the rest as \xNN. */
static void
v1_text(struct v1 *x, struct ds_field *o, const char *key, struct ds_view v)
{
	static const char hex[] = "0123456789abcdef";
	struct ds_cur t = ds_cur_make(v.p, v.len, v.len);
	size_t n = 0;
	uint8_t ch;
	char *s;

	if ((s = ds_frame_alloc(x->d.f, v.len * 4 + 1)) == NULL)
		return;
	while (ds_left(&t) > 0) {
		ch = ds_u8(&t);
		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			s[n++] = (char)ch;
			continue;
		}
		s[n++] = '\\';
		s[n++] = 'x';
		s[n++] = hex[ch >> 4];
		s[n++] = hex[ch & 0xf];
	}
	s[n] = '\0';
	(void)ds_tree_str(x->d.f, o, key, s);
}

/* A view's value as a number, when it has 1 to 8 octets. */
static bool
v1_number(struct ds_view v, uint64_t *out)
{
	struct ds_cur t = ds_cur_make(v.p, v.len, v.len);

	*out = 0;
	if (v.len == 0 || v.len > 8)
		return false;
	while (ds_left(&t) > 0)
		*out = *out << 8 | ds_u8(&t);
	return true;
}

/* An X.509 certificate's subject and issuer; false when it is none. */
static bool
v1_x509(struct v1 *x, struct ds_field *o, struct ds_view v)
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

/* The name of a basic (or short variable) attribute's value. */
static const char *
v1_attr_value_name(enum attr_class ac, uint16_t type, uint64_t v)
{
	if (v > UINT16_MAX)
		return NULL;
	switch (ac) {
	case AC_IKE:
		switch (type) {
		case ISAKMP_P1A_ENCR:		return v1_encr_name(v);
		case ISAKMP_P1A_HASH:		return v1_hash_name(v);
		case ISAKMP_P1A_AUTH:		return v1_auth_name(v);
		case ISAKMP_P1A_GROUP_DESC:	return v1_group_name(v);
		case ISAKMP_P1A_GROUP_TYPE:	return v1_group_type_name(v);
		case ISAKMP_P1A_LIFE_TYPE:	return v1_life_name(v);
		}
		break;
	case AC_IPSEC:
		switch (type) {
		case ISAKMP_P2A_LIFE_TYPE:	return v1_life_name(v);
		case ISAKMP_P2A_GROUP_DESC:	return v1_group_name(v);
		case ISAKMP_P2A_ENCAP:		return v1_encap_name(v);
		case ISAKMP_P2A_AUTH:		return v1_p2auth_name(v);
		case ISAKMP_P2A_ECN:		return v1_ecn_name(v);
		case ISAKMP_P2A_SIG_ENC:	return v1_sig_enc_name(v);
		case ISAKMP_P2A_ESN:
			/* RFC 4304 2: 1 asks for 64-bit sequence numbers */
			return v == 1 ? "64-bit" : NULL;
		}
		break;
	case AC_CFG:
		switch (type) {
		case ISAKMP_CFGA_XAUTH_TYPE:	return v1_xauth_type_name(v);
		case ISAKMP_CFGA_XAUTH_STATUS:	return v1_xauth_status_name(v);
		}
		break;
	}
	return NULL;
}

/* Keeps what the facts need from one phase 1 or 2 attribute. */
static void
v1_attr_seen(struct v1_seen *s, enum attr_class ac, uint16_t type,
    uint16_t v)
{
	if (ac == AC_IKE) {
		switch (type) {
		case ISAKMP_P1A_ENCR:
			s->has_encr = true;
			s->encr = v;
			break;
		case ISAKMP_P1A_HASH:
			s->has_hash = true;
			s->hash = v;
			break;
		case ISAKMP_P1A_PRF:
			s->has_prf = true;
			s->prf = v;
			break;
		case ISAKMP_P1A_AUTH:
			s->has_auth = true;
			s->auth = v;
			break;
		case ISAKMP_P1A_GROUP_DESC:
			s->has_group = true;
			s->group = v;
			break;
		case ISAKMP_P1A_KEY_LENGTH:
			s->keylen = v;
			break;
		}
	} else if (ac == AC_IPSEC) {
		switch (type) {
		case ISAKMP_P2A_AUTH:
			s->has_p2auth = true;
			s->p2auth = v;
			break;
		case ISAKMP_P2A_GROUP_DESC:
			s->has_group = true;
			s->group = v;
			break;
		case ISAKMP_P2A_KEY_LENGTH:
			s->keylen = v;
			break;
		}
	}
}

/* A mode-cfg / XAUTH value whose form its type fixes. */
static void
v1_cfg_value(struct v1 *x, struct ds_field *a, uint16_t type,
    struct ds_view v)
{
	struct ds_cur c = ds_cur_make(v.p, v.len, v.len);
	size_t alen = 0;

	switch (type) {
	case ISAKMP_CFGA_INTERNAL_IP4_ADDRESS:
	case ISAKMP_CFGA_INTERNAL_IP4_NETMASK:
	case ISAKMP_CFGA_INTERNAL_IP4_DNS:
	case ISAKMP_CFGA_INTERNAL_IP4_NBNS:
	case ISAKMP_CFGA_INTERNAL_IP4_DHCP:
		alen = 4;
		break;
	case ISAKMP_CFGA_INTERNAL_IP6_ADDRESS:
	case ISAKMP_CFGA_INTERNAL_IP6_NETMASK:
	case ISAKMP_CFGA_INTERNAL_IP6_DNS:
	case ISAKMP_CFGA_INTERNAL_IP6_NBNS:
	case ISAKMP_CFGA_INTERNAL_IP6_DHCP:
		alen = 16;
		break;
	case ISAKMP_CFGA_INTERNAL_IP4_SUBNET:
		/* draft-dukes-ike-mode-cfg 3.3: address and netmask */
		if (v.len == 8) {
			(void)ike_dec_addr(&x->d, &c, a, "address", 4);
			(void)ike_dec_addr(&x->d, &c, a, "netmask", 4);
			return;
		}
		break;
	case ISAKMP_CFGA_APPLICATION_VERSION:
	case ISAKMP_CFGA_XAUTH_USER_NAME:
	case ISAKMP_CFGA_XAUTH_MESSAGE:
	case ISAKMP_CFGA_XAUTH_DOMAIN:
	case ISAKMP_CFGA_XAUTH_CHALLENGE:
	case ISAKMP_CFGA_UNITY_BANNER:
	case ISAKMP_CFGA_UNITY_DEF_DOMAIN:
	case ISAKMP_CFGA_UNITY_SPLIT_DNS_NAME:
	case ISAKMP_CFGA_UNITY_BACKUP_SERVERS:
	case ISAKMP_CFGA_UNITY_FW_TYPE:
	case ISAKMP_CFGA_UNITY_DDNS_HOSTNAME:
		v1_text(x, a, "value", v);
		return;
	case ISAKMP_CFGA_XAUTH_USER_PASSWORD:
	case ISAKMP_CFGA_XAUTH_PASSCODE:
	case ISAKMP_CFGA_XAUTH_NEXT_PIN:
	case ISAKMP_CFGA_XAUTH_ANSWER:
		/* secrets: their length only */
		return;
	default:
		break;
	}
	if (alen != 0 && v.len == alen) {
		(void)ike_dec_addr(&x->d, &c, a, "address", alen);
		return;
	}
	/* draft-dukes-ike-mode-cfg 3.3: an empty value asks for one */
	if (v.len > 0)
		(void)ds_tree_bytes(x->d.f, a, "value", v);
}

/*
 * RFC 2408 3.3, Data Attributes:
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_attrs(struct v1 *x, struct ds_cur *c, struct ds_field *parent,
    enum attr_class ac, struct v1_seen *seen)
{
	struct ds_field *list, *a;
	struct ds_cur t;
	struct ds_view v;
	const char *tname;
	uint64_t num;
	uint16_t type, val = 0;
	bool tv;

	list = ds_tree_list(x->d.f, parent, "attributes");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		type = ds_be16(&t);
		tv = (type & ISAKMP_ATTR_TV) != 0;
		type &= (uint16_t)~ISAKMP_ATTR_TV;
		v.p = NULL;
		v.len = 0;
		if (tv)
			val = ds_be16(&t);
		else
			(void)ds_take(&t, ds_be16(&t), &v);
		/* RFC 2408 3.3: an attribute ends inside its container */
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_ATTR);
			return;
		}
		*c = t;
		a = ds_tree_obj(x->d.f, list, "attribute");
		tname = ac == AC_IKE ? v1_p1a_name(type) :
		    ac == AC_IPSEC ? v1_p2a_name(type) : v1_cfga_name(type);
		IKE_NAMED(&x->d, a, "type", type, tname);
		(void)ds_tree_flag(x->d.f, a, "tv", tv);
		if (tv) {
			IKE_NAMED(&x->d, a, "value", val,
			    v1_attr_value_name(ac, type, val));
			if (seen != NULL)
				v1_attr_seen(seen, ac, type, val);
			continue;
		}
		(void)ds_tree_u64(x->d.f, a, "len", v.len);
		if (ac == AC_CFG) {
			v1_cfg_value(x, a, type, v);
			continue;
		}
		/* RFC 2409 Appendix A: variable values are integers */
		if (v1_number(v, &num)) {
			IKE_NAMED(&x->d, a, "value", num,
			    v1_attr_value_name(ac, type, num));
			if (seen != NULL && num <= UINT16_MAX)
				v1_attr_seen(seen, ac, type, (uint16_t)num);
		} else
			(void)ds_tree_bytes(x->d.f, a, "value", v);
	}
}

/* One transform's attributes as a proposal of the facts (ike.h). */
static void
v1_fact_transform(struct v1 *x, uint8_t pnum, uint8_t proto,
    struct ds_view spi, uint8_t tid, const struct v1_seen *s)
{
	struct ds_ike_facts *k = x->d.facts;
	struct ds_ike_proposal *p;

	if (k->nprop >= DS_IKE_MAX_PROPOSALS)
		return;
	p = &k->prop[k->nprop++];
	memset(p, 0, sizeof *p);
	p->num = pnum;
	p->proto = proto;
	p->spi_len = (uint8_t)spi.len;
	if (spi.len > 0 && spi.len <= sizeof p->spi)
		memcpy(p->spi, spi.p, spi.len);
#define TR(t, i, kl) do {						\
	p->tr[p->ntr].type = (t);					\
	p->tr[p->ntr].id = (i);						\
	p->tr[p->ntr++].keylen = (kl);					\
} while (0)
	if (proto == ISAKMP_PROTO_ISAKMP) {
		if (s->has_encr)
			TR(1, s->encr, s->keylen);
		if (s->has_hash)
			TR(2, s->hash, 0);
		if (s->has_prf)
			TR(2, s->prf, 0);
		if (s->has_group)
			TR(4, s->group, 0);
		p->auth_method = s->has_auth ? s->auth : 0;
	} else {
		TR(1, tid, s->keylen);
		if (s->has_p2auth)
			TR(3, s->p2auth, 0);
		if (s->has_group)
			TR(4, s->group, 0);
	}
#undef TR
}

/*
 * RFC 2408 3.6, Transform Payload:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Transform #  !  Transform-Id !           RESERVED2           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        SA Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Returns the number of transforms walked.
 */
static unsigned
v1_transforms(struct v1 *x, struct ds_cur *c, struct ds_field *po,
    uint8_t pnum, uint8_t proto, struct ds_view spi, bool keep)
{
	struct ds_field *list, *o;
	struct v1_seen seen;
	struct ds_cur t, tc;
	unsigned n = 0;
	uint16_t len;
	uint8_t np, tnum, tid;

	list = ds_tree_list(x->d.f, po, "transforms");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		np = ds_u8(&t);
		(void)ds_u8(&t);
		len = ds_be16(&t);
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_PL_FIELD);
			c->err = t.err;
			return n;
		}
		/* RFC 2408 3.6: the length counts the 8-octet fixed part */
		if (len < ISAKMP_XFORM_LEN || !ds_sub(c, len, &tc)) {
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
			return n;
		}
		n++;
		(void)ds_skip(&tc, 4);
		tnum = ds_u8(&tc);
		tid = ds_u8(&tc);
		(void)ds_be16(&tc);
		if (!ds_ok(&tc)) {
			ike_dec_fail(&x->d, &tc, DS_N_IKE_PL_FIELD);
			c->err = tc.err;
			return n;
		}
		o = ds_tree_obj(x->d.f, list, "transform");
		(void)ds_tree_u64(x->d.f, o, "num", tnum);
		IKE_NAMED(&x->d, o, "id", tid, v1_transform_name(proto, tid));
		memset(&seen, 0, sizeof seen);
		v1_attrs(x, &tc, o, proto == ISAKMP_PROTO_ISAKMP ? AC_IKE :
		    AC_IPSEC, &seen);
		if (keep)
			v1_fact_transform(x, pnum, proto, spi, tid, &seen);
		if (keep && seen.has_group && !x->has_group) {
			x->has_group = true;
			x->group = seen.group;
		}
		/* RFC 2408 3.6: Next Payload is 3 before the last, then 0 */
		if ((np != ISAKMP_PT_T && np != ISAKMP_PT_NONE) ||
		    (np == ISAKMP_PT_NONE) != (c->rep == 0))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	}
	return n;
}

/*
 * RFC 2408 3.5, Proposal Payload:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                        SPI (variable)                         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_proposals(struct v1 *x, struct ds_cur *c, struct ds_field *o, bool keep)
{
	struct ds_field *list, *po;
	struct ds_cur t, pc;
	struct ds_view spi;
	unsigned got;
	uint16_t len;
	uint8_t np, num, proto, spisz, ntr;

	list = ds_tree_list(x->d.f, o, "proposals");
	while (c->rep > 0 && ds_ok(c)) {
		t = *c;
		np = ds_u8(&t);
		(void)ds_u8(&t);
		len = ds_be16(&t);
		if (!ds_ok(&t)) {
			ike_dec_fail(&x->d, &t, DS_N_IKE_PL_FIELD);
			c->err = t.err;
			return;
		}
		/* RFC 2408 3.5: the length counts the 8-octet fixed part */
		if (len < ISAKMP_PROP_LEN || !ds_sub(c, len, &pc)) {
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
			c->err = pc.err;
			return;
		}
		po = ds_tree_obj(x->d.f, list, "proposal");
		(void)ds_tree_u64(x->d.f, po, "num", num);
		IKE_NAMED(&x->d, po, "protocol", proto, v1_proto_name(proto));
		(void)ds_tree_u64(x->d.f, po, "spi_size", spisz);
		/* RFC 2408 3.5: the SPI lies inside the proposal */
		if (!ike_dec_spi(&x->d, &pc, po, "spi", spisz, &spi)) {
			ike_dec_fail(&x->d, &pc, DS_N_IKE_PL_FIELD);
			return;
		}
		(void)ds_tree_u64(x->d.f, po, "num_transforms", ntr);
		got = v1_transforms(x, &pc, po, num, proto, spi, keep);
		/* RFC 2408 3.5: # of Transforms counts what follows */
		if (got != ntr && ds_ok(&pc))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		/* RFC 2408 3.5: Next Payload is 2 before the last, then 0 */
		if ((np != ISAKMP_PT_P && np != ISAKMP_PT_NONE) ||
		    (np == ISAKMP_PT_NONE) != (c->rep == 0))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	}
}

/*
 * RFC 2407 4.6.1: a situation with SIT_SECRECY or SIT_INTEGRITY carries
 * the labels after it.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                Labeled Domain Identifier                      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Secrecy Length (in octets)   !           RESERVED            !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Secrecy Level                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Secrecy Cat. Length (in bits) !           RESERVED            !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Secrecy Category Bitmap                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   (then the same four for integrity)
 */
static bool
v1_labels(struct v1 *x, struct ds_cur *c, struct ds_field *o, uint32_t sit)
{
	static const char *const key[2][2] = {
		{ "secrecy_level", "secrecy_categories" },
		{ "integrity_level", "integrity_categories" },
	};
	struct ds_view v;
	uint16_t n;
	unsigned i;

	(void)ds_tree_hex(x->d.f, o, "labeled_domain", ds_be32(c), 8);
	for (i = 0; i < 2; i++) {
		if ((sit & (i == 0 ? ISAKMP_SIT_SECRECY :
		    ISAKMP_SIT_INTEGRITY)) == 0)
			continue;
		n = ds_be16(c);
		(void)ds_skip(c, 2);
		if (ds_take(c, n, &v))
			(void)ds_tree_bytes(x->d.f, o, key[i][0], v);
		n = ds_be16(c);
		(void)ds_skip(c, 2);
		/* the bitmap's length is in bits */
		if (ds_take(c, ((size_t)n + 7) / 8, &v))
			(void)ds_tree_bytes(x->d.f, o, key[i][1], v);
	}
	return ds_ok(c);
}

/*
 * RFC 2408 3.4 and RFC 2407 4.6.1, Security Association Payload:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !                           Situation                           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                          Proposals                            ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Only the first SA payload of a message goes into the facts.
 */
static void
v1_sa(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	bool keep = !x->d.facts->has_sa;
	uint32_t doi, sit;

	doi = ds_be32(c);
	sit = ds_be32(c);
	if (!ds_ok(c))
		return;
	x->d.facts->has_sa = true;
	IKE_NAMED(&x->d, o, "doi", doi, v1_doi_name(doi));
	(void)ds_tree_hex(x->d.f, o, "situation", sit, 8);
	if (doi == ISAKMP_DOI_IPSEC) {
		(void)ds_tree_flag(x->d.f, o, "sit_identity_only",
		    (sit & ISAKMP_SIT_IDENTITY_ONLY) != 0);
		(void)ds_tree_flag(x->d.f, o, "sit_secrecy",
		    (sit & ISAKMP_SIT_SECRECY) != 0);
		(void)ds_tree_flag(x->d.f, o, "sit_integrity",
		    (sit & ISAKMP_SIT_INTEGRITY) != 0);
		if ((sit & (ISAKMP_SIT_SECRECY | ISAKMP_SIT_INTEGRITY)) != 0 &&
		    !v1_labels(x, c, o, sit)) {
			ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
			return;
		}
	}
	v1_proposals(x, c, o, keep);
}

/*
 * RFC 2408 3.7, Key Exchange Payload; 3.11 (HASH), 3.12 (SIG) and 3.13
 * (Nonce) have the same shape, data after the generic header:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_ke(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	size_t len = c->rep;
	bool whole;

	whole = ike_dec_rest(c, &v);
	(void)ds_tree_u64(x->d.f, o, "data_len", len);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
	if (!x->ke_seen && whole) {
		x->d.facts->ke = v;
		x->d.facts->ke_group = x->has_group ? x->group : 0;
	}
	x->ke_seen = true;
}

static void
v1_nonce(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	size_t len = c->rep;
	bool whole;

	whole = ike_dec_rest(c, &v);
	(void)ds_tree_u64(x->d.f, o, "data_len", len);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
	if (!x->nonce_seen && whole)
		x->d.facts->nonce = v;
	x->nonce_seen = true;
}

/* HASH, SIG, and payloads without a decoder here: their bytes. */
static void
v1_opaque(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;

	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/*
 * A name is not empty and has no NUL, but one ending it (some peers send
 * C strings).
 */
static bool
v1_name_ok(struct ds_view v)
{
	struct ds_cur t = ds_cur_make(v.p, v.len, v.len);

	if (v.len == 0)
		return false;
	while (ds_left(&t) > 1)
		if (ds_u8(&t) == 0)
			return false;
	return v.len > 1 || ds_u8(&t) != 0;
}

/*
 * RFC 2407 4.6.2.1: the identification data of each ID type.  An address
 * of the wrong size is noted and shown as bytes.
 */
static void
v1_id_data(struct v1 *x, struct ds_cur *c, struct ds_field *o, uint8_t type)
{
	struct ds_view v;
	size_t alen = 4;

	switch (type) {
	case ISAKMP_ID_IPV6_ADDR:
		alen = 16;
		/* FALLTHROUGH */
	case ISAKMP_ID_IPV4_ADDR:
		if (c->rep == alen) {
			(void)ike_dec_addr(&x->d, c, o, "id", alen);
			return;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		alen = 16;
		/* FALLTHROUGH */
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		/* RFC 2407 4.6.2.4-4.6.2.7: two addresses of the family */
		if (c->rep == 2 * alen) {
			if (type == ISAKMP_ID_IPV4_ADDR_SUBNET ||
			    type == ISAKMP_ID_IPV6_ADDR_SUBNET) {
				(void)ike_dec_addr(&x->d, c, o, "id", alen);
				(void)ike_dec_addr(&x->d, c, o, "mask", alen);
			} else {
				(void)ike_dec_addr(&x->d, c, o, "start", alen);
				(void)ike_dec_addr(&x->d, c, o, "end", alen);
			}
			return;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
		/* RFC 2407 4.6.2.3: a name, which holds no NUL */
		if (ike_dec_rest(c, &v) && !v1_name_ok(v))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		v1_text(x, o, "id", v);
		return;
	case ISAKMP_ID_DER_ASN1_DN:
		if (ike_dec_rest(c, &v) && !ike_dec_dn(&x->d, o, "id", v))
			ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		(void)ds_tree_bytes(x->d.f, o, "data", v);
		return;
	default:
		break;
	}
	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/*
 * RFC 2408 3.8 with the IPsec DOI's fields (RFC 2407 4.6.2):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !   ID Type     !  Protocol ID  !             Port              !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                     Identification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_id(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	uint16_t port;
	uint8_t type, proto;

	type = ds_u8(c);
	proto = ds_u8(c);
	port = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "id_type", type, v1_id_name(type));
	/* RFC 2407 4.6.2: protocol and port 0 mean any */
	IKE_NAMED(&x->d, o, "protocol", proto,
	    proto == 0 ? "any" : ds_ipproto_name(proto));
	(void)ds_tree_u64(x->d.f, o, "port", port);
	v1_id_data(x, c, o, type);
}

/*
 * RFC 2408 3.9 (Certificate) and 3.10 (Certificate Request, whose data is
 * an acceptable CA's name):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+                                               !
 * ~                       Certificate Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_cert(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	uint8_t enc;
	bool whole;

	enc = ds_u8(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "encoding", enc, v1_cert_name(enc));
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	whole = ike_dec_rest(c, &v);
	if ((enc == ISAKMP_CERT_X509_SIG || enc == ISAKMP_CERT_X509_KE) &&
	    whole && !v1_x509(x, o, v))
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

static void
v1_cr(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	uint8_t enc;
	bool whole;

	enc = ds_u8(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "encoding", enc, v1_cert_name(enc));
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	if (c->rep == 0)
		return;		/* RFC 2408 3.10: any CA */
	whole = ike_dec_rest(c, &v);
	if ((enc == ISAKMP_CERT_X509_SIG || enc == ISAKMP_CERT_X509_KE) &&
	    whole)
		(void)ike_dec_dn(&x->d, o, "ca", v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

/* The data of the notifications that define one. */
static void
v1_notify_data(struct v1 *x, struct ds_cur *c, struct ds_field *o,
    uint16_t type, uint8_t proto)
{
	struct ds_view v;
	uint32_t u32;

	switch (type) {
	case ISAKMP_N_R_U_THERE:
	case ISAKMP_N_R_U_THERE_ACK:
		/* RFC 3706 5.1: a 32-bit sequence number */
		if (c->rep == 4) {
			(void)ds_tree_u64(x->d.f, o, "seq", ds_be32(c));
			return;
		}
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case ISAKMP_N_REPLAY_STATUS:
		/* RFC 2407 4.6.3.2: 4 octets, 0 disabled, 1 enabled */
		if (c->rep == 4) {
			u32 = ds_be32(c);
			IKE_NAMED(&x->d, o, "replay", u32, u32 == 0 ? "disabled" :
			    u32 == 1 ? "enabled" : NULL);
			return;
		}
		break;
	case ISAKMP_N_RESPONDER_LIFETIME:
		/* RFC 2407 4.6.3.1: SA life attributes */
		v1_attrs(x, c, o, proto == ISAKMP_PROTO_ISAKMP ? AC_IKE :
		    AC_IPSEC, NULL);
		return;
	default:
		break;
	}
	if (c->rep > 0 && ds_ok(c)) {
		(void)ike_dec_rest(c, &v);
		(void)ds_tree_bytes(x->d.f, o, "data", v);
	}
}

/*
 * RFC 2408 3.14, Notification Payload:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_notify(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	uint32_t doi;
	uint16_t type;
	uint8_t proto, spisz;

	doi = ds_be32(c);
	proto = ds_u8(c);
	spisz = ds_u8(c);
	type = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "doi", doi, v1_doi_name(doi));
	IKE_NAMED(&x->d, o, "protocol", proto, v1_proto_name(proto));
	(void)ds_tree_u64(x->d.f, o, "spi_size", spisz);
	IKE_NAMED(&x->d, o, "notify_type", type, v1_notify_name(type));
	(void)ds_tree_flag(x->d.f, o, "error", type < ISAKMP_N_STATUS_MIN);
	if (x->d.facts->nnotify < DS_IKE_MAX_NOTIFY)
		x->d.facts->notify[x->d.facts->nnotify++] = type;
	/* RFC 2408 3.14: the SPI lies inside the payload */
	if (!ike_dec_spi(&x->d, c, o, "spi", spisz, NULL)) {
		ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
		return;
	}
	v1_notify_data(x, c, o, type, proto);
}

/*
 * RFC 2408 3.15, Delete Payload:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !              Domain of Interpretation  (DOI)                  !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Deleting the ISAKMP SA (its SPI is the cookie pair) is kept as
 * protocol 1, SPI 0, as for IKEv2.
 */
static void
v1_delete(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_ike_facts *k = x->d.facts;
	struct ds_field *list;
	struct ds_view v;
	struct ds_cur t;
	uint32_t doi, spi;
	uint16_t n, i;
	uint8_t proto, spisz;

	doi = ds_be32(c);
	proto = ds_u8(c);
	spisz = ds_u8(c);
	n = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "doi", doi, v1_doi_name(doi));
	IKE_NAMED(&x->d, o, "protocol", proto, v1_proto_name(proto));
	(void)ds_tree_u64(x->d.f, o, "spi_size", spisz);
	(void)ds_tree_u64(x->d.f, o, "num_spis", n);
	/* RFC 2408 3.15: # of SPIs times SPI Size fills the payload */
	if ((size_t)n * spisz != c->rep)
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	if (proto == ISAKMP_PROTO_ISAKMP && k->ndeleted < DS_IKE_MAX_SPIS) {
		k->deleted[k->ndeleted].proto = proto;
		k->deleted[k->ndeleted++].spi = 0;
	}
	if (spisz == 0)
		return;
	list = ds_tree_list(x->d.f, o, "spis");
	for (i = 0; i < n; i++) {
		if (!ike_dec_spi(&x->d, c, list, "spi", spisz, &v)) {
			ike_dec_fail(&x->d, c, DS_N_IKE_PL_FIELD);
			return;
		}
		if (proto == ISAKMP_PROTO_ISAKMP || spisz > 4 ||
		    k->ndeleted >= DS_IKE_MAX_SPIS)
			continue;
		t = ds_cur_make(v.p, v.len, v.len);
		spi = 0;
		while (ds_left(&t) > 0)
			spi = spi << 8 | ds_u8(&t);
		k->deleted[k->ndeleted].proto = proto;
		k->deleted[k->ndeleted++].spi = spi;
	}
}

/* RFC 2408 3.16: the Vendor ID is opaque; known ones are named. */
static void
v1_vendor(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	const char *name;

	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
	if ((name = ds_ike_vendor_name(v)) != NULL)
		(void)ds_tree_str(x->d.f, o, "vendor", name);
}

/*
 * draft-dukes-ike-mode-cfg 3.2, Attribute Payload:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !     Type      !   RESERVED    !           Identifier          !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                           Attributes                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_cfg(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	uint16_t id;
	uint8_t type;

	type = ds_u8(c);
	(void)ds_u8(c);
	id = ds_be16(c);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "cfg_type", type, v1_cfg_name(type));
	(void)ds_tree_u64(x->d.f, o, "identifier", id);
	v1_attrs(x, c, o, AC_CFG, NULL);
}

/*
 * RFC 3947 3.2, NAT-D (payload 20; 130 in the drafts): a hash of an
 * address and port.  The first of a message is the peer's (destination),
 * the others the sender's own.
 */
static void
v1_natd(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_ike_facts *k = x->d.facts;
	struct ds_view v;
	bool whole;

	whole = ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "hash", v);
	(void)ds_tree_flag(x->d.f, o, "is_src", x->nnatd > 0);
	if (whole && k->nnatd < DS_IKE_MAX_NATD) {
		k->natd_is_src[k->nnatd] = x->nnatd > 0;
		k->natd[k->nnatd++] = v;
	}
	x->nnatd++;
}

/*
 * RFC 3947 5.2, NAT-OA (payload 21; 131 in the drafts):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |   RESERVED    |        Payload length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    ID Type    |   RESERVED    |            RESERVED           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         IPv4 (4 octets) or IPv6 address (16 octets)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
v1_natoa(struct v1 *x, struct ds_cur *c, struct ds_field *o)
{
	struct ds_view v;
	size_t alen;
	uint8_t type;

	type = ds_u8(c);
	(void)ds_skip(c, 3);
	if (!ds_ok(c))
		return;
	IKE_NAMED(&x->d, o, "id_type", type, v1_id_name(type));
	alen = type == ISAKMP_ID_IPV4_ADDR ? 4 : 16;
	/* RFC 3947 5.2: one address of the type's family */
	if ((type == ISAKMP_ID_IPV4_ADDR || type == ISAKMP_ID_IPV6_ADDR) &&
	    c->rep == alen) {
		(void)ike_dec_addr(&x->d, c, o, "address", alen);
		return;
	}
	ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	(void)ike_dec_rest(c, &v);
	(void)ds_tree_bytes(x->d.f, o, "data", v);
}

static void	v1_walk(struct v1 *, struct ds_cur *, uint8_t,
		    struct ds_field *, struct ds_ike *);
static void	v1_encrypted(struct v1 *, struct ds_cur *, uint8_t,
		    struct ds_field *);

/* An 8-octet SPI (cookie) as a number. */
static uint64_t
spi_of(const uint8_t *spi)
{
	struct ds_cur t = ds_cur_make(spi, 8, 8);

	return ds_be64(&t);
}

/*
 * A message rebuilt from fragments: its header, then its payloads (or
 * the encrypted rest) under the fragment that completed it.
 */
static void
v1_reassembled(struct v1 *x, struct ds_field *o, struct ds_view msg)
{
	struct ds_cur c = ds_cur_make(msg.p, msg.len, msg.len);
	struct ds_field *r, *list;
	struct ds_ike h;
	const char *name;

	r = ds_tree_obj(x->d.f, o, "reassembled");
	(void)ds_tree_u64(x->d.f, r, "len", msg.len);
	/* RFC 2408 3.1: the fragments join into a whole message */
	if (ds_ike_parse(&c, &h) != DS_OK || h.version >> 4 != 1) {
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		return;
	}
	/* RFC 2408 3.1: Length is the whole message, no more, no less */
	if (h.len != msg.len)
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
	(void)ds_tree_hex(x->d.f, r, "ispi", spi_of(h.ispi), 16);
	(void)ds_tree_hex(x->d.f, r, "rspi", spi_of(h.rspi), 16);
	IKE_NAMED(&x->d, r, "exchange", h.exch, ds_isakmp_exch_name(h.exch));
	(void)ds_tree_hex(x->d.f, r, "flags", h.flags, 2);
	(void)ds_tree_hex(x->d.f, r, "msgid", h.msgid, 8);
	name = ds_isakmp_payload_name(h.np);
	IKE_NAMED(&x->d, r, "next_payload", h.np, name);
	list = ds_tree_list(x->d.f, r, "payloads");
	x->in_reassembled = true;
	if ((h.flags & ISAKMP_FLAG_ENC) != 0)
		v1_encrypted(x, &c, h.np, list);
	else
		v1_walk(x, &c, h.np, list, NULL);
	x->in_reassembled = false;
}

/*
 * IKEv1 fragmentation (payload 132, as Cisco defined it):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !          Fragment ID          !  Fragment #   !     Flags     !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Fragment Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Flags bit 0 marks the last fragment.  The data, joined in number order,
 * is a whole ISAKMP message.
 */
static void
v1_frag_payload(struct v1 *x, struct ds_cur *c, struct ds_field *o,
    const struct ds_ike *h)
{
	struct ds_ike_facts *k = x->d.facts;
	struct ds_ike_frag *t;
	struct ds_view data, msg;
	uint16_t id;
	uint8_t num, flags;
	bool last, whole;
	enum ds_err e;

	id = ds_be16(c);
	num = ds_u8(c);
	flags = ds_u8(c);
	if (!ds_ok(c))
		return;
	last = (flags & ISAKMP_FRAG_LAST) != 0;
	(void)ds_tree_hex(x->d.f, o, "frag_id", id, 4);
	(void)ds_tree_u64(x->d.f, o, "frag_num", num);
	(void)ds_tree_flag(x->d.f, o, "last", last);
	(void)ds_tree_u64(x->d.f, o, "data_len", c->rep);
	whole = ike_dec_rest(c, &data);
	if (x->in_reassembled)
		return;
	k->is_fragment = true;
	k->frag_num = num;
	k->frag_total = last ? num : 0;
	if (!ds_frame_has_note(x->d.f, DS_N_IKE_FRAGMENT))
		ds_frame_note(x->d.f, DS_N_IKE_FRAGMENT);
	/* a cut fragment or a quoted one is not kept */
	if (!whole || x->d.quoted || h == NULL || x->d.f->eng == NULL ||
	    (t = ds_engine_ike_frag(x->d.f->eng)) == NULL)
		return;
	e = ds_ike_frag_add(t, x->d.f, h, id, num, last, data, &msg);
	switch (e) {
	case DS_OK:
		ds_frame_note(x->d.f, DS_N_IKE_REASSEMBLED);
		v1_reassembled(x, o, msg);
		break;
	case DS_EMALFORMED:
		ike_dec_note(&x->d, DS_N_IKE_PL_FIELD);
		break;
	case DS_ENOMEM:
		ike_dec_note(&x->d, DS_N_FRAG_DROPPED);
		break;
	default:
		break;
	}
}

static v1_decode_fn
v1_decoder(uint8_t type)
{
	switch (type) {
	case ISAKMP_PT_SA:		return v1_sa;
	case ISAKMP_PT_KE:		return v1_ke;
	case ISAKMP_PT_ID:		return v1_id;
	case ISAKMP_PT_CERT:		return v1_cert;
	case ISAKMP_PT_CR:		return v1_cr;
	case ISAKMP_PT_NONCE:		return v1_nonce;
	case ISAKMP_PT_N:		return v1_notify;
	case ISAKMP_PT_D:		return v1_delete;
	case ISAKMP_PT_VID:		return v1_vendor;
	case ISAKMP_PT_ATTR:		return v1_cfg;
	case ISAKMP_PT_NAT_D:
	case ISAKMP_PT_NAT_D_DRAFT:	return v1_natd;
	case ISAKMP_PT_NAT_OA:
	case ISAKMP_PT_NAT_OA_DRAFT:	return v1_natoa;
	}
	return v1_opaque;
}

/* A payload's object: type, name, then the generic header's fields. */
static struct ds_field *
v1_obj(struct v1 *x, struct ds_field *root, uint8_t type,
    const struct ds_ikev2_gen *g)
{
	struct ds_field *o;
	const char *name;

	o = ds_tree_obj(x->d.f, root, "payload");
	(void)ds_tree_u64(x->d.f, o, "type", type);
	if ((name = ds_isakmp_payload_name(type)) != NULL)
		(void)ds_tree_str(x->d.f, o, "name", name);
	if (g == NULL)
		return o;
	(void)ds_tree_u64(x->d.f, o, "len", g->len);
	/* RFC 2408 3.2: RESERVED is sent as zero */
	if (g->flags != 0)
		(void)ds_tree_hex(x->d.f, o, "reserved", g->flags, 2);
	return o;
}

/*
 * RFC 2408 3.1: with the Encryption bit, everything after the header is
 * encrypted; without keys only its size and the first payload's type
 * (from the header) are known.
 */
static void
v1_encrypted(struct v1 *x, struct ds_cur *c, uint8_t np,
    struct ds_field *root)
{
	struct ds_field *o;

	x->d.facts->has_sk = true;
	if (c->rep == 0)
		return;		/* nothing after the header: nothing hidden */
	o = ds_tree_obj(x->d.f, root, "payload");
	(void)ds_tree_u64(x->d.f, o, "type", 0);
	(void)ds_tree_str(x->d.f, o, "name", "encrypted");
	(void)ds_tree_u64(x->d.f, o, "len", c->rep);
	IKE_NAMED(&x->d, o, "next_payload", np, ds_isakmp_payload_name(np));
	(void)ds_tree_flag(x->d.f, o, "encrypted", true);
	if (!ds_frame_has_note(x->d.f, DS_N_IKE_ENCRYPTED))
		ds_frame_note(x->d.f, DS_N_IKE_ENCRYPTED);
	(void)ds_skip(c, ds_left(c));
}

/*
 * RFC 2408 3.2, Generic Payload Header:
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The layout is IKEv2's (with RESERVED for the critical bit), so the
 * header is read by ds_ikev2_gen_parse().  A payload whose header is
 * sound is skipped by its length whatever its body holds; a header that
 * is not stops the walk.  `h` is the message's header for reassembly and
 * the chain, or NULL inside a reassembled message.
 */
static void
v1_walk(struct v1 *x, struct ds_cur *c, uint8_t np, struct ds_field *root,
    struct ds_ike *h)
{
	struct ds_ikev2_gen g;
	struct ds_field *o;
	struct ds_cur body;
	unsigned n = 0;
	enum ds_err e;

	while (np != ISAKMP_PT_NONE) {
		/* every payload takes 4 octets, but a cap keeps work bounded */
		if (n++ == ISAKMP_MAX_PAYLOADS) {
			ike_dec_note(&x->d, DS_N_IKE_PL_LOOP);
			return;
		}
		if (h != NULL) {
			if (h->nchain < DS_IKE_CHAIN)
				h->chain[h->nchain++] = np;
			else
				h->chain_cut = true;
		}
		if ((e = ds_ikev2_gen_parse(c, &g, &body)) != DS_OK) {
			(void)v1_obj(x, root, np, NULL);
			if (e == DS_ETRUNC)
				ike_dec_trunc(&x->d);
			else
				ike_dec_note(&x->d, DS_N_IKE_PL_LEN);
			return;
		}
		o = v1_obj(x, root, np, &g);
		x->d.noted = false;
		if (np == ISAKMP_PT_FRAG)
			v1_frag_payload(x, &body, o, h);
		else
			v1_decoder(np)(x, &body, o);
		if (body.err == DS_ETRUNC)
			ike_dec_trunc(&x->d);
		else if (body.err != DS_OK && !x->d.noted)
			ike_dec_note(&x->d, DS_N_IKE_PL_SHORT);
		np = g.np;
	}
	/* RFC 2408 3.1: Length ends the message where the chain ends */
	if (c->rep > 0)
		ike_dec_note(&x->d, DS_N_IKE_PL_TRAILING);
}

void
ds_isakmp_payloads(struct ds_frame *f, struct ds_layer *l, struct ds_cur *c)
{
	struct ds_ike_facts spare;
	struct ds_ike *ike = &l->u.ike;
	struct ds_field *root;
	struct v1 x;

	memset(&x, 0, sizeof x);
	x.d.f = f;
	x.d.quoted = l->quoted;
	if ((x.d.facts = ds_frame_alloc(f, sizeof *x.d.facts)) == NULL)
		x.d.facts = &spare;
	else
		ike->facts = x.d.facts;
	memset(x.d.facts, 0, sizeof *x.d.facts);
	root = ike->payloads = ds_tree_root(f, DS_FK_LIST);
	if ((ike->flags & ISAKMP_FLAG_ENC) != 0) {
		v1_encrypted(&x, c, ike->np, root);
		return;
	}
	v1_walk(&x, c, ike->np, root, ike);
}
