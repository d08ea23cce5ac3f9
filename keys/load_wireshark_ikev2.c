/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loader: Wireshark's ikev2_decryption_table (Preferences,
 * Protocols, ISAKMP), IKE SA keys kept for IKE decryption.
 * RFC 7296 2.14 (SK_e, SK_a), RFC 5282 (GCM, CCM in IKEv2), RFC 5930 (CTR).
 */
#include <stdio.h>
#include <string.h>

#include "keys_int.h"
#include "load_int.h"

enum {
	F_SPI_I, F_SPI_R, F_SK_EI, F_SK_ER, F_ENC, F_SK_AI, F_SK_AR, F_INTEG,
	F_COUNT
};

/* Key octets with salt (RFC 5282 7.1, RFC 5930 2); any: length not known. */
struct ike_alg {
	const char	*ws;		/* first: see ks_fail_closest() */
	const char	*name;
	int		 key_len;	/* -1: any */
};

static const struct ike_alg ike_enc[] = {
	{ "NULL [RFC2410]",			"null",		0 },
	{ "3DES [RFC2451]",			"3des-cbc",	24 },
	{ "AES-CBC-128 [RFC3602]",		"aes-cbc",	16 },
	{ "AES-CBC-192 [RFC3602]",		"aes-cbc",	24 },
	{ "AES-CBC-256 [RFC3602]",		"aes-cbc",	32 },
	{ "AES-CTR-128 [RFC5930]",		"aes-ctr",	20 },
	{ "AES-CTR-192 [RFC5930]",		"aes-ctr",	28 },
	{ "AES-CTR-256 [RFC5930]",		"aes-ctr",	36 },
	{ "AES-GCM-128 with 8 octet ICV [RFC5282]",  "aes-gcm-8",  20 },
	{ "AES-GCM-192 with 8 octet ICV [RFC5282]",  "aes-gcm-8",  28 },
	{ "AES-GCM-256 with 8 octet ICV [RFC5282]",  "aes-gcm-8",  36 },
	{ "AES-GCM-128 with 12 octet ICV [RFC5282]", "aes-gcm-12", 20 },
	{ "AES-GCM-192 with 12 octet ICV [RFC5282]", "aes-gcm-12", 28 },
	{ "AES-GCM-256 with 12 octet ICV [RFC5282]", "aes-gcm-12", 36 },
	{ "AES-GCM-128 with 16 octet ICV [RFC5282]", "aes-gcm-16", 20 },
	{ "AES-GCM-192 with 16 octet ICV [RFC5282]", "aes-gcm-16", 28 },
	{ "AES-GCM-256 with 16 octet ICV [RFC5282]", "aes-gcm-16", 36 },
	{ "AES-CCM-128 with 8 octet ICV [RFC5282]",  "aes-ccm-8",  19 },
	{ "AES-CCM-192 with 8 octet ICV [RFC5282]",  "aes-ccm-8",  27 },
	{ "AES-CCM-256 with 8 octet ICV [RFC5282]",  "aes-ccm-8",  35 },
	{ "AES-CCM-128 with 12 octet ICV [RFC5282]", "aes-ccm-12", 19 },
	{ "AES-CCM-192 with 12 octet ICV [RFC5282]", "aes-ccm-12", 27 },
	{ "AES-CCM-256 with 12 octet ICV [RFC5282]", "aes-ccm-12", 35 },
	{ "AES-CCM-128 with 16 octet ICV [RFC5282]", "aes-ccm-16", 19 },
	{ "AES-CCM-192 with 16 octet ICV [RFC5282]", "aes-ccm-16", 27 },
	{ "AES-CCM-256 with 16 octet ICV [RFC5282]", "aes-ccm-16", 35 },
};

static const struct ike_alg ike_integ[] = {
	{ "NONE [RFC4306]",			"none",			0 },
	{ "HMAC_MD5_96 [RFC2403]",		"hmac-md5-96",		16 },
	{ "HMAC_SHA1_96 [RFC2404]",		"hmac-sha1-96",		20 },
	{ "HMAC_MD5_128 [RFC4595]",		"hmac-md5-128",		16 },
	{ "HMAC_SHA1_160 [RFC4595]",		"hmac-sha1-160",	20 },
	{ "HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]",
	    "hmac-sha2-256-96", 32 },
	{ "HMAC_SHA2_256_128 [RFC4868]",	"hmac-sha2-256-128",	32 },
	{ "HMAC_SHA2_384_192 [RFC4868]",	"hmac-sha2-384-192",	48 },
	{ "HMAC_SHA2_512_256 [RFC4868]",	"hmac-sha2-512-256",	64 },
	{ "ANY 64-bits of Authentication [No Checking]",  "any-64",  -1 },
	{ "ANY 96-bits of Authentication [No Checking]",  "any-96",  -1 },
	{ "ANY 128-bits of Authentication [No Checking]", "any-128", -1 },
	{ "ANY 160-bits of Authentication [No Checking]", "any-160", -1 },
	{ "ANY 192-bits of Authentication [No Checking]", "any-192", -1 },
	{ "ANY 256-bits of Authentication [No Checking]", "any-256", -1 },
};

static const struct ike_alg *
ike_find(const struct ike_alg *tab, size_t n, const struct ks_tok *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ks_tok_eq(t, tab[i].ws))
			return &tab[i];
	return NULL;
}

static bool
is_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ks_hex_digit(p[i]) < 0)
			return false;
	return true;
}

/* The first line that is not a comment starts with 16 hex digits, ','. */
bool
ks_sniff_wireshark_ikev2(const char *text, size_t len)
{
	struct ks_tok t;

	return ks_first_line(text, len, &t) && t.len > 17 &&
	    is_hex(t.p, 16) && t.p[16] == ',';
}

static enum ds_err
ike_spi(uint8_t out[8], const struct ks_tok *t, const char *what,
    const char *where, struct ds_errinfo *ei)
{
	struct ks_secret s;

	/* RFC 7296 3.1: IKE SA SPIs are 8 octets */
	if (t->len != 16 || !is_hex(t->p, 16) || !ks_secret_from_hex(&s,
	    t->p, t->len))
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s must be 16 hex digits",
		    where, what);
	memcpy(out, s.p, 8);
	ks_secret_wipe(&s);
	return DS_OK;
}

static enum ds_err
ike_key(struct ks_secret *s, const struct ks_tok *t, const struct ike_alg *a,
    const char *what, const char *where, struct ds_errinfo *ei)
{
	const char *why;

	if (t->len > 0 && !is_hex(t->p, t->len))
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s has a character that is "
		    "not a hex digit", where, what);
	if ((why = ks_key_parse(s, t)) != NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s %s", where, what, why);
	if (a->key_len >= 0 && s->len != (size_t)a->key_len)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s %s needs %d key bytes, "
		    "got %zu", where, a->ws, what, a->key_len, s->len);
	return DS_OK;
}

/*
 *	SPIi,SPIr,SK_ei,SK_er,"encryption",SK_ai,SK_ar,"integrity"
 */
static enum ds_err
ike_line(struct ks_store *ks, const struct ks_uat *u, const char *where,
    struct ks_ike_spec *sp, struct ds_errinfo *ei)
{
	const struct ike_alg *enc, *integ;
	enum ds_err e;

	if (u->n != F_COUNT)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %zu fields, an "
		    "ikev2_decryption_table row has %d", where, u->n, F_COUNT);
	if ((enc = ike_find(ike_enc, DS_NELEM(ike_enc), &u->f[F_ENC])) ==
	    NULL)
		return ks_fail_closest(ei, where, "encryption", &u->f[F_ENC],
		    ike_enc, DS_NELEM(ike_enc), sizeof ike_enc[0]);
	if ((integ = ike_find(ike_integ, DS_NELEM(ike_integ),
	    &u->f[F_INTEG])) == NULL)
		return ks_fail_closest(ei, where, "integrity", &u->f[F_INTEG],
		    ike_integ, DS_NELEM(ike_integ), sizeof ike_integ[0]);
	if ((e = ike_spi(sp->spi_i, &u->f[F_SPI_I], "initiator SPI", where,
	    ei)) != DS_OK || (e = ike_spi(sp->spi_r, &u->f[F_SPI_R],
	    "responder SPI", where, ei)) != DS_OK ||
	    (e = ike_key(&sp->sk_ei, &u->f[F_SK_EI], enc, "SK_ei", where,
	    ei)) != DS_OK ||
	    (e = ike_key(&sp->sk_er, &u->f[F_SK_ER], enc, "SK_er", where,
	    ei)) != DS_OK ||
	    (e = ike_key(&sp->sk_ai, &u->f[F_SK_AI], integ, "SK_ai", where,
	    ei)) != DS_OK ||
	    (e = ike_key(&sp->sk_ar, &u->f[F_SK_AR], integ, "SK_ar", where,
	    ei)) != DS_OK)
		return e;
	sp->enc_name = enc->name;
	sp->integ_name = integ->name;
	return ks_store_add_ike(ks, sp, ei);
}

static enum ds_err
ike_row(struct ks_store *ks, struct ks_uat *u, const char *where,
    const char *origin, struct ds_errinfo *ei)
{
	struct ks_ike_spec sp;
	enum ds_err e;

	memset(&sp, 0, sizeof sp);
	snprintf(sp.origin, sizeof sp.origin, "%s", origin);
	e = ike_line(ks, u, where, &sp, ei);
	ks_ike_spec_wipe(&sp);
	return e;
}

enum ds_err
ks_load_wireshark_ikev2(struct ks_store *ks, const char *name,
    const char *text, size_t len, struct ds_errinfo *ei)
{
	return ks_uat_load(ks, name, text, len, ike_row, ei);
}
