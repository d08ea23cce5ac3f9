/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loader: Wireshark's esp_sa table (Preferences, Protocols, ESP),
 * every algorithm string of its releases mapped to the canonical names.
 * RFC 4303 (ESP), RFC 4106 (GCM), RFC 3686 (CTR), RFC 7634 (ChaCha20).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "load_int.h"

enum {
	F_PROTO, F_SRC, F_DST, F_SPI, F_ENC, F_ENC_KEY, F_AUTH, F_AUTH_KEY,
	F_COUNT
};

/* name NULL: known, not supported, why says so. */
struct ws_alg {
	const char	*ws;		/* as Wireshark writes it; first */
	const char	*name;		/* canonical, or NULL */
	const char	*why;
};

static const struct ws_alg ws_enc[] = {
	{ "NULL",				"null", NULL },
	{ "TripleDES-CBC [RFC2451]",		"3des-cbc", NULL },
	{ "AES-CBC [RFC3602]",			"aes-cbc", NULL },
	{ "AES-CBC with 128-bit keys [RFC3602]", "aes-cbc", NULL },
	{ "AES-CTR [RFC3686]",			"aes-ctr", NULL },
	{ "DES-CBC [RFC2405]",			"des-cbc", NULL },
	{ "CAST5-CBC [RFC2144]",		"cast128-cbc", NULL },
	{ "BLOWFISH-CBC [RFC2451]",		"blowfish-cbc", NULL },
	{ "TWOFISH-CBC",			"twofish-cbc", NULL },
	/* ICV length from the authentication column: see legacy_gcm() */
	{ "AES-GCM [RFC4106]",			"aes-gcm", NULL },
	{ "AES-GCM with 8 octet ICV [RFC4106]",	"aes-gcm-8", NULL },
	{ "AES-GCM with 12 octet ICV [RFC4106]", "aes-gcm-12", NULL },
	{ "AES-GCM with 16 octet ICV [RFC4106]", "aes-gcm-16", NULL },
	{ "AES-GCM with IIV and 16 octet ICV [RFC4106 & RFC8750]", NULL,
	    "the implicit IV of RFC 8750 is not supported" },
	{ "ChaCha20 with Poly1305 [RFC7634]",	"chacha20-poly1305", NULL },
	{ "ChaCha20 with Poly1305 and IIV [RFC7634 & RFC8750]", NULL,
	    "the implicit IV of RFC 8750 is not supported" },
	/* not written by Wireshark; for tables made by hand */
	{ "AES-CCM with 8 octet ICV [RFC4309]",	"aes-ccm-8", NULL },
	{ "AES-CCM with 12 octet ICV [RFC4309]", "aes-ccm-12", NULL },
	{ "AES-CCM with 16 octet ICV [RFC4309]", "aes-ccm-16", NULL },
	{ "NULL encryption with AES-GMAC [RFC4543]", "aes-gmac", NULL },
	{ "AES-NULL-GMAC [RFC4543]",		"aes-gmac", NULL },
};

static const struct ws_alg ws_auth[] = {
	{ "NULL",				"none", NULL },
	{ "HMAC-SHA-1-96 [RFC2404]",		"hmac-sha1-96", NULL },
	{ "HMAC-SHA1-96 [RFC2404]",		"hmac-sha1-96", NULL },
	{ "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]",
	    "hmac-sha2-256-96", NULL },
	{ "HMAC-SHA256",			"hmac-sha2-256-96", NULL },
	{ "HMAC-SHA-256-128 [RFC4868]",		"hmac-sha2-256-128", NULL },
	{ "HMAC-SHA-384-192 [RFC4868]",		"hmac-sha2-384-192", NULL },
	{ "HMAC-SHA-512-256 [RFC4868]",		"hmac-sha2-512-256", NULL },
	{ "HMAC-MD5-96 [RFC2403]",		"hmac-md5-96", NULL },
	{ "AES-XCBC-MAC-96 [RFC3566]",		"aes-xcbc-96", NULL },
	{ "MAC-RIPEMD-160-96 [RFC2857]", NULL,
	    "HMAC-RIPEMD-160-96 (RFC 2857) is not supported" },
	{ "HMAC-RIPEMD160-96 [RFC2857]", NULL,
	    "HMAC-RIPEMD-160-96 (RFC 2857) is not supported" },
	{ "ANY 64 bit authentication [no checking]",	"any-64", NULL },
	{ "ANY 96 bit authentication [no checking]",	"any-96", NULL },
	{ "ANY 128 bit authentication [no checking]",	"any-128", NULL },
	{ "ANY 192 bit authentication [no checking]",	"any-192", NULL },
	{ "ANY 256 bit authentication [no checking]",	"any-256", NULL },
	{ "ANY 12-bytes of Authentication [No Checking]", "any-96", NULL },
};

static const struct ws_alg *
ws_find(const struct ws_alg *tab, size_t n, const struct ks_tok *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ks_tok_eq(t, tab[i].ws))
			return &tab[i];
	return NULL;
}



/* The first line that is not a comment starts with "IPv4" or "IPv6". */
bool
ks_sniff_wireshark_esp(const char *text, size_t len)
{
	struct ks_tok t;

	return ks_first_line(text, len, &t) && t.len >= 7 &&
	    (strncmp(t.p, "\"IPv4\"", 6) == 0 ||
	    strncmp(t.p, "\"IPv6\"", 6) == 0);
}

/* Wireshark reads "0x..." as hex and anything else as the key's bytes. */
static enum ds_err
ws_key(struct ks_secret *s, const struct ks_tok *t, const char *what,
    const char *where, struct ds_errinfo *ei)
{
	const char *why;

	if (t->len >= 2 && t->p[0] == '0' && (t->p[1] == 'x' ||
	    t->p[1] == 'X')) {
		char pad[2 * KS_KEY_MAX + 2];
		struct ks_tok even = { pad, t->len - 1 };

		/* An odd digit count reads as if a 0 led (as Wireshark). */
		if (t->len % 2 == 1 && t->len - 1 < sizeof pad) {
			pad[0] = '0';
			memcpy(pad + 1, t->p + 2, t->len - 2);
			why = ks_key_parse(s, &even);
			OPENSSL_cleanse(pad, sizeof pad);
		} else
			why = ks_key_parse(s, t);
		if (why != NULL)
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s key %s", where,
			    what, why);
		return DS_OK;
	}
	if (t->len > KS_KEY_MAX)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s key is longer than %d "
		    "bytes", where, what, KS_KEY_MAX);
	ks_secret_set(s, (const uint8_t *)t->p, t->len);
	return DS_OK;
}

/*
 * "AES-GCM [RFC4106]" of early releases names no ICV length; an
 * "ANY n bit" authentication column says it, else RFC 4106 8.1's 16.
 */
static const char *
legacy_gcm(struct ks_store *ks, const struct ws_alg *auth, const char *where,
    bool *drop_auth)
{
	*drop_auth = true;
	if (auth != NULL && auth->name != NULL) {
		if (strcmp(auth->name, "any-64") == 0)
			return "aes-gcm-8";
		if (strcmp(auth->name, "any-96") == 0)
			return "aes-gcm-12";
		if (strcmp(auth->name, "any-128") == 0)
			return "aes-gcm-16";
	}
	ks_store_warn(ks, "%s: AES-GCM [RFC4106] does not say its ICV "
	    "length: 16 octets assumed", where);
	return "aes-gcm-16";
}

static enum ds_err
ws_line(struct ks_store *ks, struct ks_uat *u, const char *where,
    struct ks_sa_spec *sp, struct ds_errinfo *ei)
{
	const struct ws_alg *enc, *auth;
	const char *encname;
	char shown[48];
	bool v6, drop_auth = false;
	enum ds_err e;

	if (u->n != F_COUNT)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %zu fields, an esp_sa row "
		    "has %d", where, u->n, F_COUNT);
	if (ks_tok_eq(&u->f[F_PROTO], "IPv4"))
		v6 = false;
	else if (ks_tok_eq(&u->f[F_PROTO], "IPv6"))
		v6 = true;
	else
		return DS_FAIL(ei, DS_EFORMAT, "%s: protocol must be IPv4 or "
		    "IPv6", where);
	sp->proto = DS_IPPROTO_ESP;
	for (int i = F_SRC; i <= F_DST; i++) {
		struct ks_addr_match *m = i == F_SRC ? &sp->src : &sp->dst;
		const struct ks_tok *t = &u->f[i];

		if (!ks_addr_match_parse(m, t->p, t->len))
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s address '%s' "
			    "is not an address, prefix, wildcard or *", where,
			    i == F_SRC ? "source" : "destination",
			    ks_tok_shown(t, shown, sizeof shown));
		if (m->a.family != DS_AF_ANY &&
		    (m->a.family == DS_AF_INET6) != v6)
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s address is not "
			    "%s as the protocol column says", where,
			    i == F_SRC ? "source" : "destination",
			    v6 ? "IPv6" : "IPv4");
	}
	if (ks_tok_eq(&u->f[F_SPI], "*"))
		sp->spi_any = true;
	else if (memchr(u->f[F_SPI].p, '*', u->f[F_SPI].len) != NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: partial SPI wildcards are "
		    "not supported (use * or the whole SPI)", where);
	else if (!ks_tok_u32(&u->f[F_SPI], &sp->spi))
		return DS_FAIL(ei, DS_EFORMAT, "%s: SPI must be *, 0x hex or "
		    "decimal and fit in 32 bits", where);

	enc = ws_find(ws_enc, DS_NELEM(ws_enc), &u->f[F_ENC]);
	auth = ws_find(ws_auth, DS_NELEM(ws_auth), &u->f[F_AUTH]);
	if (enc == NULL)
		return ks_fail_closest(ei, where, "encryption", &u->f[F_ENC],
		    ws_enc, DS_NELEM(ws_enc), sizeof ws_enc[0]);
	if (auth == NULL)
		return ks_fail_closest(ei, where, "authentication",
		    &u->f[F_AUTH], ws_auth, DS_NELEM(ws_auth),
		    sizeof ws_auth[0]);
	if (enc->name == NULL || auth->name == NULL)
		return DS_FAIL(ei, DS_EUNSUPP, "%s: %s", where,
		    enc->name == NULL ? enc->why : auth->why);
	encname = enc->name;
	if (strcmp(encname, "aes-gcm") == 0)
		encname = legacy_gcm(ks, auth, where, &drop_auth);
	if ((sp->enc = ks_alg_by_name(encname)) == NULL)
		return DS_FAIL(ei, DS_EUNSUPP, "%s: %s is not supported by "
		    "this build", where, encname);
	if (sp->enc->kind == KS_ALG_AEAD) {
		/* RFC 4303 3.2.3: the combined mode is the integrity */
		if (!drop_auth && strcmp(auth->name, "none") != 0)
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s is a combined "
			    "mode: authentication must be NULL", where,
			    sp->enc->name);
	} else
		sp->integ = ks_alg_by_name(auth->name);
	/* Wireshark ignores the key of NULL and of ANY; so do we. */
	if (sp->enc->key_max > 0 && (e = ws_key(&sp->enc_key,
	    &u->f[F_ENC_KEY], "encryption", where, ei)) != DS_OK)
		return e;
	if (sp->integ != NULL && sp->integ->key_max > 0 &&
	    (e = ws_key(&sp->integ_key, &u->f[F_AUTH_KEY], "authentication",
	    where, ei)) != DS_OK)
		return e;
	return ks_add(ks, sp, where, ei);
}

static enum ds_err
ws_row(struct ks_store *ks, struct ks_uat *u, const char *where,
    const char *origin, struct ds_errinfo *ei)
{
	struct ks_sa_spec sp;
	enum ds_err e;

	memset(&sp, 0, sizeof sp);
	snprintf(sp.origin, sizeof sp.origin, "%s", origin);
	e = ws_line(ks, u, where, &sp, ei);
	ks_sa_spec_wipe(&sp);
	return e;
}

enum ds_err
ks_load_wireshark_esp(struct ks_store *ks, const char *name, const char *text,
    size_t len, struct ds_errinfo *ei)
{
	return ks_uat_load(ks, name, text, len, ws_row, ei);
}
