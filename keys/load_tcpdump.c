/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loader: tcpdump's -E secrets, as print-esp.c reads them:
 * "0xSPI@DST ALGO:SECRET", a default SA "ALGO:SECRET", and IKEv2 lines
 * "ikev2 I|R 0xSPIi 0xSPIr INTEG:KEY ENC:KEY".  RFC 4303 (ESP),
 * RFC 7296 2.14 (SK_e, SK_a).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "load_int.h"

/*
 * tcpdump strips "-hmac96" (a 12-octet ICV, not checked) and "-cbc", then
 * asks OpenSSL for the rest; these are the names that can mean an ESP
 * cipher.  key: octets the name fixes, 0 for any the algorithm allows.
 */
static const struct {
	const char	*td;
	const char	*name;
	size_t		 key;
} td_enc[] = {
	{ "none",	"null",		0 },
	{ "null",	"null",		0 },
	{ "des",	"des-cbc",	0 },
	{ "3des",	"3des-cbc",	0 },
	{ "des-ede3",	"3des-cbc",	0 },
	{ "blowfish",	"blowfish-cbc",	0 },
	{ "bf",		"blowfish-cbc",	0 },
	{ "cast128",	"cast128-cbc",	0 },
	{ "cast",	"cast128-cbc",	0 },
	{ "cast5",	"cast128-cbc",	0 },
	{ "aes128",	"aes-cbc",	16 },
	{ "aes-128",	"aes-cbc",	16 },
	{ "aes192",	"aes-cbc",	24 },
	{ "aes-192",	"aes-cbc",	24 },
	{ "aes256",	"aes-cbc",	32 },
	{ "aes-256",	"aes-cbc",	32 },
	{ "twofish",	"twofish-cbc",	0 },
};

/* IKEv2 integrity names of -E (tcpdump itself only sizes the ICV). */
static const struct {
	const char	*td, *name;
} td_integ[] = {
	{ "md5",	"hmac-md5-96" },
	{ "sha1",	"hmac-sha1-96" },
	{ "sha256",	"hmac-sha2-256-128" },
	{ "sha384",	"hmac-sha2-384-192" },
	{ "sha512",	"hmac-sha2-512-256" },
	{ "none",	"none" },
};

static bool
ends_with(struct ks_tok *t, const char *suffix)
{
	size_t n = strlen(suffix);

	if (t->len <= n || strncasecmp(t->p + t->len - n, suffix, n) != 0)
		return false;
	t->len -= n;
	return true;
}

static bool
is_ike_word(const struct ks_tok *w)
{
	return ks_tok_eq(w, "ikev2") || ks_tok_eq(w, "ikev2I") ||
	    ks_tok_eq(w, "ikev2R");
}

/* Does the token look like "name:secret" with a name tcpdump knows? */
static bool
is_algo_secret(const struct ks_tok *w)
{
	const char *c = memchr(w->p, ':', w->len);
	struct ks_tok a;
	size_t i;

	if (c == NULL)
		return false;
	a.p = w->p;
	a.len = (size_t)(c - w->p);
	(void)ends_with(&a, "-hmac96");
	(void)ends_with(&a, "-cbc");
	for (i = 0; i < DS_NELEM(td_enc); i++)
		if (ks_tok_eq(&a, td_enc[i].td))
			return true;
	return ks_tok_eq(&a, "rc3");	/* tcpdump's own, refused later */
}

bool
ks_sniff_tcpdump(const char *text, size_t len)
{
	struct ks_tok line, w, w2;
	const char *at;

	if (!ks_first_line(text, len, &line) || !ks_word_next(&line, &w))
		return false;
	if (is_ike_word(&w))
		return true;
	if (!ks_word_next(&line, &w2))
		return is_algo_secret(&w);
	at = memchr(w.p, '@', w.len);
	return at != NULL && w.len > 2 && w.p[0] >= '0' && w.p[0] <= '9' &&
	    is_algo_secret(&w2);
}

/* "0x..." is hex; anything else is the secret's own bytes, as tcpdump. */
static enum ds_err
td_secret(struct ks_secret *s, const struct ks_tok *t, const char *where,
    struct ds_errinfo *ei)
{
	const char *why;

	if (t->len >= 2 && t->p[0] == '0' && (t->p[1] == 'x' ||
	    t->p[1] == 'X')) {
		if ((why = ks_key_parse(s, t)) != NULL)
			return DS_FAIL(ei, DS_EFORMAT, "%s: the secret %s",
			    where, why);
		return DS_OK;
	}
	if (t->len > KS_KEY_MAX)
		return DS_FAIL(ei, DS_EFORMAT, "%s: the secret is longer than "
		    "%d bytes", where, KS_KEY_MAX);
	ks_secret_set(s, (const uint8_t *)t->p, t->len);
	return DS_OK;
}

/* "aes128-cbc-hmac96:0x..." into enc, integ and the key. */
static enum ds_err
td_algo(const struct ks_tok *w, struct ks_sa_spec *sp, const char *where,
    struct ds_errinfo *ei)
{
	const char *c = memchr(w->p, ':', w->len);
	struct ks_tok a, key;
	char shown[48];
	bool icv;
	size_t i;
	enum ds_err e;

	if (c == NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: expected ALGORITHM:SECRET "
		    "(no ':' found)", where);
	a.p = w->p;
	a.len = (size_t)(c - w->p);
	key.p = c + 1;
	key.len = w->len - a.len - 1;
	icv = ends_with(&a, "-hmac96");
	(void)ends_with(&a, "-cbc");
	for (i = 0; i < DS_NELEM(td_enc); i++)
		if (ks_tok_eq(&a, td_enc[i].td))
			break;
	if (i == DS_NELEM(td_enc)) {
		a.len = (size_t)(c - w->p);
		if (ks_tok_eq(&a, "rc3-cbc") || ks_tok_eq(&a, "rc3"))
			return DS_FAIL(ei, DS_EUNSUPP, "%s: rc3-cbc is in the "
			    "tcpdump manual but no such cipher exists", where);
		return DS_FAIL(ei, DS_EFORMAT, "%s: unknown algorithm '%s' "
		    "(known: des-cbc, 3des-cbc, blowfish-cbc, cast128-cbc, "
		    "aes128-cbc, aes192-cbc, aes256-cbc, none; -hmac96 "
		    "suffix)", where, ks_tok_shown(&a, shown, sizeof shown));
	}
	if ((sp->enc = ks_alg_by_name(td_enc[i].name)) == NULL)
		return DS_FAIL(ei, DS_EUNSUPP, "%s: %s is not supported by "
		    "this build", where, td_enc[i].name);
	/* -hmac96: tcpdump skips 12 octets it does not check */
	sp->integ = ks_alg_by_name(icv ? "any-96" : "none");
	if ((e = td_secret(&sp->enc_key, &key, where, ei)) != DS_OK)
		return e;
	if (td_enc[i].key != 0 && sp->enc_key.len != td_enc[i].key)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s needs a %zu-byte key, "
		    "got %zu", where, td_enc[i].td, td_enc[i].key,
		    sp->enc_key.len);
	return DS_OK;
}

/*
 *	0x12345678@192.1.2.45 3des-cbc-hmac96:0x4043434545...
 *	3des-cbc-hmac96:0x4043434545...		(the default SA)
 */
static enum ds_err
td_esp_line(struct ks_store *ks, struct ks_tok line, const char *where,
    struct ks_sa_spec *sp, struct ds_errinfo *ei)
{
	struct ks_tok w1, w2, rest, spi, addr;
	char shown[48];
	const char *at;
	enum ds_err e;

	(void)ks_word_next(&line, &w1);
	sp->proto = DS_IPPROTO_ESP;
	if (!ks_word_next(&line, &w2)) {
		sp->spi_any = true;
		if ((e = td_algo(&w1, sp, where, ei)) != DS_OK)
			return e;
		return ks_add(ks, sp, where, ei);
	}
	if (ks_word_next(&line, &rest) && rest.p[0] != '#')
		return DS_FAIL(ei, DS_EFORMAT, "%s: more than SPI@ADDRESS and "
		    "ALGORITHM:SECRET on the line", where);
	if (ks_tok_eq(&w1, "file"))
		return DS_FAIL(ei, DS_EUNSUPP, "%s: 'file' lines (a secrets "
		    "file naming another) are not followed", where);
	if ((at = memchr(w1.p, '@', w1.len)) == NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: expected SPI@ADDRESS (no "
		    "'@' found)", where);
	spi.p = w1.p;
	spi.len = (size_t)(at - w1.p);
	if (!ks_tok_u32(&spi, &sp->spi))
		return DS_FAIL(ei, DS_EFORMAT, "%s: the SPI must be 0x hex or "
		    "decimal and fit in 32 bits", where);
	addr.p = at + 1;
	addr.len = w1.len - spi.len - 1;
	if (!ks_addr_match_parse(&sp->dst, addr.p, addr.len) ||
	    sp->dst.a.family == DS_AF_ANY)
		return DS_FAIL(ei, DS_EFORMAT, "%s: '%s' is not an IPv4 or "
		    "IPv6 address", where, ks_tok_shown(&addr, shown,
		    sizeof shown));
	if ((e = td_algo(&w2, sp, where, ei)) != DS_OK)
		return e;
	return ks_add(ks, sp, where, ei);
}

/* IKE keys of one SA: tcpdump has a line for each side, joined here. */
struct td_ike {
	struct ks_ike_spec	 sp;
	bool			 have_i, have_r;
};

static enum ds_err
td_ike_flush(struct ks_store *ks, struct td_ike *p, struct ds_errinfo *ei)
{
	enum ds_err e = DS_OK;

	if (p->have_i || p->have_r)
		e = ks_store_add_ike(ks, &p->sp, ei);
	ks_ike_spec_wipe(&p->sp);
	memset(p, 0, sizeof *p);
	return e;
}

static enum ds_err
td_ike_spi(uint8_t out[8], const struct ks_tok *t, const char *what,
    const char *where, struct ds_errinfo *ei)
{
	struct ks_secret s;

	/* RFC 7296 3.1: 8 octets; tcpdump wants exactly "0x" + 16 digits */
	if (t->len != 18 || t->p[0] != '0' || (t->p[1] != 'x' &&
	    t->p[1] != 'X') || ks_key_parse(&s, t) != NULL || s.len != 8) {
		ks_secret_wipe(&s);
		return DS_FAIL(ei, DS_EFORMAT, "%s: the %s SPI must be 0x and "
		    "16 hex digits", where, what);
	}
	memcpy(out, s.p, 8);
	ks_secret_wipe(&s);
	return DS_OK;
}

/* "sha1:0x..." or "aes128:0x...": the name and the key. */
static enum ds_err
td_ike_key(const struct ks_tok *w, bool integ, const char **name,
    struct ks_secret *key, const char *where, struct ds_errinfo *ei)
{
	const char *c = memchr(w->p, ':', w->len);
	struct ks_tok a, k;
	char shown[48];
	size_t i;
	enum ds_err e;

	if (c == NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: expected %s:KEY (no ':' "
		    "found)", where, integ ? "INTEG" : "ENC");
	a.p = w->p;
	a.len = (size_t)(c - w->p);
	k.p = c + 1;
	k.len = w->len - a.len - 1;
	*name = NULL;
	if (integ) {
		for (i = 0; i < DS_NELEM(td_integ); i++)
			if (ks_tok_eq(&a, td_integ[i].td))
				*name = td_integ[i].name;
	} else {
		(void)ends_with(&a, "-cbc");
		for (i = 0; i < DS_NELEM(td_enc); i++)
			if (ks_tok_eq(&a, td_enc[i].td))
				*name = td_enc[i].name;
	}
	if (*name == NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: unknown IKEv2 %s algorithm "
		    "'%s' (known: %s)", where, integ ? "integrity" :
		    "encryption", ks_tok_shown(&a, shown, sizeof shown), integ ?
		    "md5, sha1, sha256, sha384, sha512, none" :
		    "3des, aes128, aes192, aes256, des, blowfish, cast128, "
		    "none");
	if ((e = td_secret(key, &k, where, ei)) != DS_OK)
		return e;
	return DS_OK;
}

/*
 *	ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x4ea8...
 *	    aes128:0x3f44...
 */
static enum ds_err
td_ike_line(struct ks_store *ks, struct ks_tok line, const char *where,
    const char *origin, struct td_ike *pend, struct ds_errinfo *ei)
{
	struct ks_tok w[6], rest;
	struct ks_ike_spec sp;
	const char *integ, *enc;
	bool init;
	size_t n = 0, i;
	enum ds_err e;

	while (n < DS_NELEM(w) && ks_word_next(&line, &w[n]))
		n++;
	if (ks_word_next(&line, &rest) && rest.p[0] != '#')
		return DS_FAIL(ei, DS_EFORMAT, "%s: an ikev2 line has 5 fields "
		    "after ikev2", where);
	i = ks_tok_eq(&w[0], "ikev2") ? 1 : 0;
	if (i == 0)
		init = w[0].p[5] == 'I' || w[0].p[5] == 'i';
	else if (n > 1 && (ks_tok_eq(&w[1], "I") || ks_tok_eq(&w[1], "R")))
		init = ks_tok_eq(&w[1], "I");
	else
		return DS_FAIL(ei, DS_EFORMAT, "%s: ikev2 must be followed by "
		    "I or R", where);
	if (n != i + 5)
		return DS_FAIL(ei, DS_EFORMAT, "%s: an ikev2 line is ikev2 "
		    "I|R 0xSPIi 0xSPIr INTEG:KEY ENC:KEY", where);
	memset(&sp, 0, sizeof sp);
	snprintf(sp.origin, sizeof sp.origin, "%s", origin);
	if ((e = td_ike_spi(sp.spi_i, &w[i + 1], "initiator", where, ei)) !=
	    DS_OK || (e = td_ike_spi(sp.spi_r, &w[i + 2], "responder", where,
	    ei)) != DS_OK)
		goto done;
	if ((e = td_ike_key(&w[i + 3], true, &integ, init ? &sp.sk_ai :
	    &sp.sk_ar, where, ei)) != DS_OK ||
	    (e = td_ike_key(&w[i + 4], false, &enc, init ? &sp.sk_ei :
	    &sp.sk_er, where, ei)) != DS_OK)
		goto done;
	/* the other side of the pending SA: join them */
	if ((pend->have_i || pend->have_r) && (init ? !pend->have_i :
	    !pend->have_r) && memcmp(pend->sp.spi_i, sp.spi_i, 8) == 0 &&
	    memcmp(pend->sp.spi_r, sp.spi_r, 8) == 0 &&
	    strcmp(pend->sp.enc_name, enc) == 0 &&
	    strcmp(pend->sp.integ_name, integ) == 0) {
		if (init) {
			pend->sp.sk_ei = sp.sk_ei;
			pend->sp.sk_ai = sp.sk_ai;
		} else {
			pend->sp.sk_er = sp.sk_er;
			pend->sp.sk_ar = sp.sk_ar;
		}
		e = td_ike_flush(ks, pend, ei);
		goto done;
	}
	if ((e = td_ike_flush(ks, pend, ei)) != DS_OK)
		goto done;
	pend->sp = sp;
	pend->sp.enc_name = enc;
	pend->sp.integ_name = integ;
	pend->have_i = init;
	pend->have_r = !init;
done:
	ks_ike_spec_wipe(&sp);
	return e;
}

enum ds_err
ks_load_tcpdump(struct ks_store *ks, const char *name, const char *text,
    size_t len, struct ds_errinfo *ei)
{
	struct ks_sa_spec sp;
	struct td_ike pend;
	struct ks_lines l;
	char where[KS_WHERE_MAX], origin[KS_LABEL_MAX];
	const char *p;
	size_t n;
	enum ds_err e = DS_OK;

	memset(&pend, 0, sizeof pend);
	ks_lines_init(&l, text, len);
	while (e == DS_OK && ks_lines_next(&l, &p, &n)) {
		struct ks_tok line = { p, n }, w, copy;

		if (ks_line_blank(p, n))
			continue;
		snprintf(where, sizeof where, "%s:%u", name, l.lineno);
		copy = line;
		(void)ks_word_next(&copy, &w);
		if (is_ike_word(&w)) {
			ks_origin(origin, sizeof origin, name, l.lineno);
			e = td_ike_line(ks, line, where, origin, &pend, ei);
			continue;
		}
		memset(&sp, 0, sizeof sp);
		ks_origin(sp.origin, sizeof sp.origin, name, l.lineno);
		e = td_esp_line(ks, line, where, &sp, ei);
		ks_sa_spec_wipe(&sp);
	}
	if (e == DS_OK)
		e = td_ike_flush(ks, &pend, ei);
	else
		ks_ike_spec_wipe(&pend.sp);
	return e;
}
