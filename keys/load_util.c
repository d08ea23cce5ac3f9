/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the key-file loaders share: words and quoted strings of a line,
 * tokens of tool output, numbers, keys in hex, algorithm names with their
 * aliases (RFC 7296 3.3.2 IANA transform names) and the "did you mean"
 * list of an unknown name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "keys_int.h"
#include "load_int.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

void
ks_tok_trim(struct ks_tok *t)
{
	while (t->len > 0 && is_blank(t->p[0])) {
		t->p++;
		t->len--;
	}
	while (t->len > 0 && is_blank(t->p[t->len - 1]))
		t->len--;
}

bool
ks_line_blank(const char *p, size_t len)
{
	struct ks_tok t = { p, len };

	ks_tok_trim(&t);
	return t.len == 0 || t.p[0] == '#';
}

bool
ks_tok_eq(const struct ks_tok *t, const char *s)
{
	return strlen(s) == t->len && strncasecmp(t->p, s, t->len) == 0;
}

bool
ks_word_next(struct ks_tok *line, struct ks_tok *w)
{
	size_t i = 0;
	bool quoted = false;

	while (line->len > 0 && is_blank(line->p[0])) {
		line->p++;
		line->len--;
	}
	if (line->len == 0)
		return false;
	for (; i < line->len; i++) {
		char c = line->p[i];

		if (quoted && c == '\\' && i + 1 < line->len)
			i++;
		else if (c == '"')
			quoted = !quoted;
		else if (!quoted && is_blank(c))
			break;
	}
	w->p = line->p;
	w->len = i;
	line->p += i;
	line->len -= i;
	return true;
}

/* Tool output: space and tab part tokens, a quote is a character. */
static bool
is_sptab(char c)
{
	return c == ' ' || c == '\t';
}

bool
ks_tok_next(const char **p, const char *end, struct ks_tok *t)
{
	const char *s = *p;

	while (s < end && is_sptab(*s))
		s++;
	t->p = s;
	while (s < end && !is_sptab(*s))
		s++;
	t->len = (size_t)(s - t->p);
	*p = s;
	return t->len > 0;
}

bool
ks_tok_is(const struct ks_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && memcmp(t->p, word, n) == 0;
}

bool
ks_text_starts(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(s, word, n) == 0;
}

const char *
ks_text_find(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; n > 0 && i + n <= len; i++)
		if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
			return s + i;
	return NULL;
}

bool
ks_tok_u32(const struct ks_tok *t, uint32_t *v)
{
	uint64_t x = 0;
	size_t i = 0;
	unsigned base = 10;
	int d;

	if (t->len > 2 && t->p[0] == '0' && (t->p[1] == 'x' ||
	    t->p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == t->len)
		return false;
	for (; i < t->len; i++) {
		if ((d = ks_hex_digit(t->p[i])) < 0 || (unsigned)d >= base)
			return false;
		/* RFC 4303 2.1: the SPI is 32 bits; more is a lie, no wrap */
		if ((x = x * base + (unsigned)d) > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)x;
	return true;
}

bool
ks_tok_str(const struct ks_tok *t, char *buf, size_t len)
{
	size_t n;

	if (len == 0)
		return false;
	n = t->len < len - 1 ? t->len : len - 1;
	memcpy(buf, t->p, n);
	buf[n] = '\0';
	return n == t->len;
}

const char *
ks_key_parse(struct ks_secret *s, const struct ks_tok *t)
{
	size_t i = 0, digits = 0;

	if (t->len >= 2 && t->p[0] == '0' && (t->p[1] == 'x' || t->p[1] == 'X'))
		i = 2;
	for (; i < t->len; i++) {
		char c = t->p[i];

		if (c == ':' || c == ' ')
			continue;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return "has a character that is not a hex digit";
		digits++;
	}
	if (digits % 2 != 0)
		return "has an odd number of hex digits";
	if (digits / 2 > KS_KEY_MAX)
		return "is longer than " DS_STR(KS_KEY_MAX) " bytes";
	if (!ks_secret_from_hex(s, t->p, t->len))
		return "is not hex octets (a separator splits an octet)";
	return NULL;
}

/*
 * Other spellings of the canonical names: IKEv2 IANA transform names
 * (RFC 7296 3.3.2, RFC 4106, 4309, 4543, 7634) and common short forms.
 */
static const struct {
	const char	*alias, *name;
} aliases[] = {
	{ "ENCR_NULL",			"null" },
	{ "ENCR_DES",			"des-cbc" },
	{ "ENCR_3DES",			"3des-cbc" },
	{ "ENCR_CAST",			"cast128-cbc" },
	{ "ENCR_BLOWFISH",		"blowfish-cbc" },
	{ "ENCR_AES_CBC",		"aes-cbc" },
	{ "ENCR_AES_CTR",		"aes-ctr" },
	{ "ENCR_AES_CCM_8",		"aes-ccm-8" },
	{ "ENCR_AES_CCM_12",		"aes-ccm-12" },
	{ "ENCR_AES_CCM_16",		"aes-ccm-16" },
	{ "ENCR_AES_GCM_8",		"aes-gcm-8" },
	{ "ENCR_AES_GCM_12",		"aes-gcm-12" },
	{ "ENCR_AES_GCM_16",		"aes-gcm-16" },
	{ "ENCR_NULL_AUTH_AES_GMAC",	"aes-gmac" },
	{ "ENCR_CHACHA20_POLY1305",	"chacha20-poly1305" },
	{ "ENCR_TWOFISH",		"twofish-cbc" },
	{ "AUTH_NONE",			"none" },
	{ "AUTH_HMAC_MD5_96",		"hmac-md5-96" },
	{ "AUTH_HMAC_SHA1_96",		"hmac-sha1-96" },
	{ "AUTH_AES_XCBC_96",		"aes-xcbc-96" },
	{ "AUTH_AES_CMAC_96",		"aes-cmac-96" },
	{ "AUTH_AES_128_GMAC",		"aes-128-gmac" },
	{ "AUTH_AES_192_GMAC",		"aes-192-gmac" },
	{ "AUTH_AES_256_GMAC",		"aes-256-gmac" },
	{ "AUTH_HMAC_SHA2_256_128",	"hmac-sha2-256-128" },
	{ "AUTH_HMAC_SHA2_384_192",	"hmac-sha2-384-192" },
	{ "AUTH_HMAC_SHA2_512_256",	"hmac-sha2-512-256" },
	{ "3des",			"3des-cbc" },
	{ "des",			"des-cbc" },
	{ "cast128",			"cast128-cbc" },
	{ "cast5-cbc",			"cast128-cbc" },
	{ "blowfish",			"blowfish-cbc" },
	{ "twofish",			"twofish-cbc" },
	{ "rfc4106(gcm(aes))",		"aes-gcm-16" },
	{ "rfc4543(gcm(aes))",		"aes-gmac" },
	{ "rfc7539esp(chacha20,poly1305)", "chacha20-poly1305" },
	{ "md5",			"hmac-md5-96" },
	{ "sha1",			"hmac-sha1-96" },
	{ "sha256",			"hmac-sha2-256-128" },
	{ "sha384",			"hmac-sha2-384-192" },
	{ "sha512",			"hmac-sha2-512-256" },
	{ "hmac-sha256-128",		"hmac-sha2-256-128" },
	{ "hmac-sha384-192",		"hmac-sha2-384-192" },
	{ "hmac-sha512-256",		"hmac-sha2-512-256" },
	{ "hmac-sha256-96",		"hmac-sha2-256-96" },
};

const struct ks_alg *
ks_alg_lookup(const char *s)
{
	const struct ks_alg *a;
	size_t i;

	if ((a = ks_alg_by_name(s)) != NULL)
		return a;
	for (i = 0; i < DS_NELEM(aliases); i++)
		if (strcasecmp(aliases[i].alias, s) == 0)
			return ks_alg_by_name(aliases[i].name);
	return NULL;
}

/* Edit distance, capped: close names differ by a few characters. */
size_t
ks_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[72], prev, tmp;

	if (la >= DS_NELEM(row) || lb >= DS_NELEM(row))
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + ((a[i - 1] | 0x20) !=
			    (b[j - 1] | 0x20));

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* Does the name hold s ("sha1" in "hmac-sha1-96"), ignoring case? */
static bool
contains(const char *name, const char *s)
{
	size_t n = strlen(s);

	if (n < 3)
		return false;
	for (; *name != '\0'; name++)
		if (strncasecmp(name, s, n) == 0)
			return true;
	return false;
}

bool
ks_alg_close(const char *s, bool integ, char *buf, size_t len)
{
	const struct ks_alg *all;
	size_t n, i, o = 0, found = 0, d, maxd;

	all = ks_alg_all(&n);
	if (len > 0)
		buf[0] = '\0';
	maxd = strlen(s) / 2 + 1 < 4 ? strlen(s) / 2 + 1 : 4;
	for (d = 0; d <= maxd && found < 4; d++)
		for (i = 0; i < n && found < 4; i++) {
			size_t dist;

			if ((all[i].kind == KS_ALG_INTEG) != integ)
				continue;
			dist = ks_distance(s, all[i].name);
			if (dist != d && !(d == maxd && dist > maxd &&
			    (strncasecmp(s, all[i].name, 3) == 0 ||
			    contains(all[i].name, s))))
				continue;
			if (o < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%s",
				    found ? ", " : "", all[i].name);
			found++;
		}
	if (found == 0) {
		for (i = 0; i < n; i++)
			if ((all[i].kind == KS_ALG_INTEG) == integ && o < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%s",
				    o ? ", " : "", all[i].name);
	}
	return found > 0;
}

const char *
ks_tok_shown(const struct ks_tok *t, char *buf, size_t len)
{
	size_t i, run = 0, o = 0;

	/* a run of 8 hex digits may be a key: it is never shown */
	for (i = 0; i < t->len; i++)
		if ((run = ks_hex_digit(t->p[i]) >= 0 ? run + 1 : 0) >= 8)
			return "<a hex string, not shown>";
	for (i = 0; i < t->len && o + 4 < len; i++) {
		unsigned char c = (unsigned char)t->p[i];

		buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		if (i == 40) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
	}
	buf[o] = '\0';
	return buf;
}

enum ds_err
ks_fail_alg(struct ds_errinfo *ei, const char *where, const char *what,
    const struct ks_tok *t, bool integ)
{
	char s[48], close[200], shown[48];

	if (!ks_tok_str(t, s, sizeof s))
		return DS_FAIL(ei, DS_EFORMAT, "%s: unknown %s algorithm "
		    "(%zu characters long)", where, what, t->len);
	return DS_FAIL(ei, DS_EFORMAT, "%s: unknown %s algorithm '%s' (%s: %s)",
	    where, what, ks_tok_shown(t, shown, sizeof shown),
	    ks_alg_close(s, integ, close, sizeof close) ? "close names" :
	    "known", close);
}

enum ds_err
ks_fail_closest(struct ds_errinfo *ei, const char *where, const char *what,
    const struct ks_tok *t, const void *tab, size_t n, size_t stride)
{
	const char *best = NULL, *name;
	char s[72], shown[48];
	size_t i, bd = (size_t)-1, d;

	if (!ks_tok_str(t, s, sizeof s))
		return DS_FAIL(ei, DS_EFORMAT, "%s: unknown %s algorithm (%zu "
		    "characters long)", where, what, t->len);
	for (i = 0; i < n; i++) {
		memcpy(&name, (const char *)tab + i * stride, sizeof name);
		if ((d = ks_distance(s, name)) < bd) {
			bd = d;
			best = name;
		}
	}
	return DS_FAIL(ei, DS_EFORMAT, "%s: unknown %s algorithm '%s' "
	    "(closest: '%s')", where, what, ks_tok_shown(t, shown,
	    sizeof shown), best != NULL ? best : "-");
}

void
ks_origin(char *buf, size_t len, const char *name, unsigned line)
{
	char num[16];
	size_t nl, l;

	nl = (size_t)snprintf(num, sizeof num, ":%u", line);
	l = strlen(name);
	/* Keep the end of a long path: the file name is what tells. */
	if (l + nl >= len && len > nl + 4)
		snprintf(buf, len, "...%s%s", name + l - (len - nl - 4), num);
	else
		snprintf(buf, len, "%s%s", name, num);
}

enum ds_err
ks_add(struct ks_store *ks, const struct ks_sa_spec *sp, const char *where,
    struct ds_errinfo *ei)
{
	char rest[sizeof ei->msg];
	size_t ol = strlen(sp->origin);
	enum ds_err e;

	if ((e = ks_store_add(ks, sp, ei)) == DS_OK || ei == NULL)
		return e;
	if (ol > 0 && strncmp(ei->msg, sp->origin, ol) == 0 &&
	    strcmp(where, sp->origin) != 0) {
		snprintf(rest, sizeof rest, "%s", ei->msg + ol);
		snprintf(ei->msg, sizeof ei->msg, "%s%s", where, rest);
	}
	return e;
}

/*
 *	"IPv4","10.0.0.1","*","0x0000000a","AES-CBC [RFC3602]","0x61...",...
 *	89922c915f35570e,98d56d32e2a04742,f49c...,,"NONE [RFC4306]"
 */
const char *
ks_uat_split(struct ks_uat *u, const char *p, size_t len)
{
	size_t i = 0, o = 0;

	u->n = 0;
	for (;;) {
		size_t start;

		while (i < len && is_blank(p[i]))
			i++;
		if (u->n == KS_UAT_FIELDS_MAX)
			return "has too many fields";
		start = o;
		u->quoted[u->n] = i < len && p[i] == '"';
		if (u->quoted[u->n]) {
			for (i++; i < len && p[i] != '"'; i++) {
				char c = p[i];

				if (c == '\\' && i + 1 < len) {
					c = p[++i];
					if (c == 'x' && i + 2 < len &&
					    ks_hex_digit(p[i + 1]) >= 0 &&
					    ks_hex_digit(p[i + 2]) >= 0) {
						c = (char)(ks_hex_digit(
						    p[i + 1]) << 4 |
						    ks_hex_digit(p[i + 2]));
						i += 2;
					}
				}
				if (o == sizeof u->buf)
					return "is too long";
				u->buf[o++] = c;
			}
			if (i == len)
				return "has a string without its closing quote";
			i++;
		} else {
			for (; i < len && p[i] != ',' && p[i] != '"'; i++) {
				if (o == sizeof u->buf)
					return "is too long";
				u->buf[o++] = p[i];
			}
		}
		u->f[u->n].p = u->buf + start;
		u->f[u->n].len = o - start;
		if (!u->quoted[u->n])
			ks_tok_trim(&u->f[u->n]);
		u->n++;
		while (i < len && is_blank(p[i]))
			i++;
		if (i == len)
			return NULL;
		if (p[i] != ',')
			return "has something other than a comma after a field";
		i++;
	}
}

void
ks_uat_wipe(struct ks_uat *u)
{
	OPENSSL_cleanse(u->buf, sizeof u->buf);
}

enum ds_err
ks_uat_load(struct ks_store *ks, const char *name, const char *text,
    size_t len, ks_uat_row_fn row, struct ds_errinfo *ei)
{
	struct ks_uat u;
	struct ks_lines l;
	char where[KS_WHERE_MAX], origin[KS_LABEL_MAX];
	const char *p, *why;
	size_t n;
	enum ds_err e = DS_OK;

	ks_lines_init(&l, text, len);
	while (e == DS_OK && ks_lines_next(&l, &p, &n)) {
		if (ks_line_blank(p, n))
			continue;
		snprintf(where, sizeof where, "%s:%u", name, l.lineno);
		ks_origin(origin, sizeof origin, name, l.lineno);
		if ((why = ks_uat_split(&u, p, n)) != NULL)
			e = DS_FAIL(ei, DS_EFORMAT, "%s: the row %s", where,
			    why);
		else
			e = row(ks, &u, where, origin, ei);
		ks_uat_wipe(&u);
	}
	return e;
}

bool
ks_first_line(const char *text, size_t len, struct ks_tok *line)
{
	struct ks_lines l;
	const char *p;
	size_t n;

	ks_lines_init(&l, text, len);
	while (ks_lines_next(&l, &p, &n)) {
		if (ks_line_blank(p, n))
			continue;
		line->p = p;
		line->len = n;
		ks_tok_trim(line);
		return true;
	}
	return false;
}
