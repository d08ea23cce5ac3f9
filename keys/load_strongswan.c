/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loader: strongSwan charon logs at level 4 for the CHD group,
 * where charon dumps the keys of every CHILD_SA it installs.  Reads the
 * file logger (with or without time, thread, group level and IKE_SA name
 * prefixes), syslog lines and the JSON file logger of strongSwan 5.9+.
 * RFC 7296 2.17 (IKEv2 KEYMAT: initiator's keys first), RFC 2409 5.5
 * (IKEv1 Quick Mode), RFC 4303 (ESP), RFC 4302 (AH).
 *
 * What one CHILD_SA leaves in the log, in this order, on one thread:
 *
 *	parsed IKE_AUTH response 1 [ ... ]	  our role in the exchange
 *	selected proposal: ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ
 *	  using AES_CBC for encryption
 *	  using HMAC_SHA2_256_128 for integrity
 *	encryption initiator key => 32 bytes @ 0x...
 *	   0: 32 FF FB BB ...  ascii		  hexdump, 16 octets a row
 *	encryption responder key => ...
 *	integrity initiator key => ...
 *	integrity responder key => ...
 *	adding inbound ESP SA
 *	  SPI 0x9e92c8d6, src 192.0.2.20 dst 192.0.2.10
 *	adding outbound ESP SA
 *	  SPI 0xdd7fa19e, src 192.0.2.10 dst 192.0.2.20
 *	CHILD_SA net{1} established with SPIs 9e92c8d6_i dd7fa19e_o ...
 *
 * The initiator's keys protect what the initiator of the exchange sends:
 * its outbound SA, the responder's inbound one.  Which side wrote the log
 * follows from the last message it parsed: a response (initiator) or a
 * request (responder).  Keys whose SPI cannot be told are added with
 * spi_any, for the store to bind by trial.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keys_int.h"
#include "load_int.h"

#define SW_CTX_MAX	32	/* IKE SAs in flight at once */
#define SW_SNIFF_MAX	65536

enum { ROLE_UNKNOWN, ROLE_INITIATOR, ROLE_RESPONDER };
enum { K_EI, K_ER, K_AI, K_AR, K_COUNT };

static const char *const key_what[K_COUNT] = {
	"encryption initiator key", "encryption responder key",
	"integrity initiator key", "integrity responder key",
};

/* strongSwan's names (proposal tokens without their key size) */
static const struct {
	const char	*sw;
	const char	*alg;
} sw_algs[] = {
	{ "NULL",		"null" },
	{ "DES_CBC",		"des-cbc" },
	{ "3DES_CBC",		"3des-cbc" },
	{ "AES_CBC",		"aes-cbc" },
	{ "AES_CTR",		"aes-ctr" },
	{ "BLOWFISH_CBC",	"blowfish-cbc" },
	{ "CAST_CBC",		"cast128-cbc" },
	{ "AES_GCM_8",		"aes-gcm-8" },
	{ "AES_GCM_12",		"aes-gcm-12" },
	{ "AES_GCM_16",		"aes-gcm-16" },
	{ "AES_CCM_8",		"aes-ccm-8" },
	{ "AES_CCM_12",		"aes-ccm-12" },
	{ "AES_CCM_16",		"aes-ccm-16" },
	{ "NULL_AES_GMAC",	"aes-gmac" },
	{ "CHACHA20_POLY1305",	"chacha20-poly1305" },
	{ "HMAC_MD5_96",	"hmac-md5-96" },
	{ "HMAC_SHA1_96",	"hmac-sha1-96" },
	{ "AES_XCBC_96",	"aes-xcbc-96" },
	{ "AES_CMAC_96",	"aes-cmac-96" },
	{ "AES_128_GMAC",	"aes-128-gmac" },
	{ "AES_192_GMAC",	"aes-192-gmac" },
	{ "AES_256_GMAC",	"aes-256-gmac" },
	{ "HMAC_SHA2_256_128",	"hmac-sha2-256-128" },
	{ "HMAC_SHA2_384_192",	"hmac-sha2-384-192" },
	{ "HMAC_SHA2_512_256",	"hmac-sha2-512-256" },
	{ "HMAC_SHA2_256_96",	"hmac-sha2-256-96" },
};

/* Proposal tokens that name no ESP/AH algorithm: key exchanges, PRFs. */
static const char *const sw_other[] = {
	"MODP_", "ECP_", "CURVE_", "ECP", "BRAINPOOL", "ML_KEM", "KE",
	"NTRU", "NEWHOPE", "PRF_", "NO_EXT_SEQ", "EXT_SEQ", "UNDEFINED",
};

/* charon's log groups (libstrongswan/utils/debug.c debug_names) */
static const char sw_groups[] =
    "DMN MGR IKE CHD JOB CFG KNL NET ASN ENC TNC IMC IMV PTS TLS APP ESP LIB ";

/* One logical log line: the message without the logger's prefix. */
struct sw_line {
	const char	*msg;
	size_t		 len;
	unsigned	 ctx;		/* IKE_SA id, else thread + big */
	bool		 charon;	/* a prefix was recognised */
};

/* A CHILD_SA whose keys are being read. */
struct sw_child {
	bool		 open;
	unsigned	 line;		/* of its first key line */
	int		 role;
	uint8_t		 proto;
	const struct ks_alg *enc, *integ;
	bool		 esn;
	char		 unknown[40];	/* an unknown algorithm name */
	struct ks_secret key[K_COUNT];
	bool		 has_key[K_COUNT];
	int		 dir;		/* 1: "adding inbound", 2: out */
	uint32_t	 spi[2];	/* 0 in, 1 out */
	bool		 has_spi[2];
	struct ks_addr_match src[2], dst[2];
};

/* What is known of one IKE_SA (or thread). */
struct sw_ctx {
	bool		 used;
	unsigned	 id;
	unsigned long	 age;
	int		 role;
	/* the last "selected proposal: ESP:..." */
	uint8_t		 p_proto;
	const struct ks_alg *p_enc, *p_integ;
	bool		 p_esn;
	char		 p_unknown[40];
	/* "using X for encryption/integrity" since the last CHILD_SA */
	bool		 has_u;
	const struct ks_alg *u_enc, *u_integ;
	char		 u_unknown[40];
	struct sw_child	 child;
};

struct sw {
	struct ks_store	*ks;
	const char	*name;
	unsigned	 lineno;
	struct ds_errinfo *ei;
	struct sw_ctx	 ctx[SW_CTX_MAX];
	unsigned long	 clock;
	unsigned	 nkeys;		/* key lines seen */
	/* the hexdump being read (its lines follow the key line) */
	struct ks_secret *dump;
	size_t		 dump_len;
	int		 dump_what;
	unsigned	 dump_line;
};

#define SWFAIL(s, ...)							\
	DS_FAIL((s)->ei, DS_EFORMAT, "%s:%u: " __VA_ARGS__)

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_group(const char *g)
{
	const char *p;

	for (p = sw_groups; *p != '\0'; p += 4)
		if (memcmp(p, g, 3) == 0)
			return true;
	return false;
}

/*
 * The logger's prefix: [time ]NN[GRP] or NN[GRPL], then " <name|N>" or
 * " <N>" when ike_name is set, then one blank.  Syslog puts "host
 * charon: " before the thread.  The thread number keys lines that name
 * no IKE_SA.
 */
static bool
split_prefix(const char *s, size_t len, struct sw_line *ln)
{
	size_t i, j, k;
	unsigned thread = 0, id = 0;

	for (i = 1; i + 5 <= len; i++) {
		if (s[i] != '[' || !is_digit(s[i - 1]))
			continue;
		for (j = i; j > 0 && is_digit(s[j - 1]); j--)
			;
		if (j > 0 && s[j - 1] != ' ')
			continue;
		if (!is_upper(s[i + 1]) || !is_upper(s[i + 2]) ||
		    !is_upper(s[i + 3]) || !is_group(s + i + 1))
			continue;
		k = i + 4;
		if (k < len && is_digit(s[k]))
			k++;		/* log_level = yes: [CHD4] */
		if (k >= len || s[k] != ']')
			continue;
		for (; j < i && thread < 100000; j++)
			thread = thread * 10 + (unsigned)(s[j] - '0');
		k++;
		if (k < len && s[k] == ' ')
			k++;
		ln->ctx = 1000000 + thread;
		if (k < len && s[k] == '<') {
			const char *gt = memchr(s + k, '>', len - k);
			const char *p;

			if (gt != NULL && (size_t)(gt - s) + 1 < len &&
			    gt[1] == ' ') {
				for (p = gt; p > s + k + 1 && is_digit(p[-1]);
				    p--)
					;
				for (; p < gt && id < 100000; p++)
					id = id * 10 + (unsigned)(*p - '0');
				ln->ctx = id;
				k = (size_t)(gt - s) + 2;
			}
		}
		ln->msg = s + k;
		ln->len = len - k;
		ln->charon = true;
		return true;
	}
	ln->msg = s;
	ln->len = len;
	ln->charon = false;
	return false;
}

static const struct ks_alg *
sw_alg(const char *s, size_t len, bool *known)
{
	size_t i, n = len;

	/* "AES_CBC_256": try the whole name, then without its key size */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < DS_NELEM(sw_algs); i++)
			if (strlen(sw_algs[i].sw) == n &&
			    memcmp(sw_algs[i].sw, s, n) == 0) {
				*known = true;
				return ks_alg_by_name(sw_algs[i].alg);
			}
		while (n > 0 && is_digit(s[n - 1]))
			n--;
		if (n == 0 || n == len || s[n - 1] != '_')
			break;
		n--;
	}
	*known = false;
	return NULL;
}

static bool
sw_is_other(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < DS_NELEM(sw_other); i++)
		if (ks_text_starts(s, len, sw_other[i]))
			return true;
	return false;
}

static struct sw_ctx *
ctx_get(struct sw *sw, unsigned id)
{
	struct sw_ctx *c, *old = &sw->ctx[0];
	size_t i;

	sw->clock++;
	for (i = 0; i < SW_CTX_MAX; i++) {
		c = &sw->ctx[i];
		if (c->used && c->id == id) {
			c->age = sw->clock;
			return c;
		}
		if (!c->used || (old->used && c->age < old->age))
			old = c;
	}
	return old;
}

static void
child_wipe(struct sw_child *ch)
{
	size_t i;

	for (i = 0; i < K_COUNT; i++)
		ks_secret_wipe(&ch->key[i]);
	memset(ch, 0, sizeof *ch);
}

/* Adds one direction; key set 0 is the initiator's, 1 the responder's. */
static enum ds_err
child_add(struct sw *sw, struct sw_child *ch, int dir, int set)
{
	struct ks_sa_spec sp;
	const struct ks_secret *ek = &ch->key[set ? K_ER : K_EI];
	const struct ks_secret *ik = &ch->key[set ? K_AR : K_AI];
	char where[KS_WHERE_MAX];
	enum ds_err e;

	if (!ch->has_key[set ? K_ER : K_EI] && !ch->has_key[set ? K_AR : K_AI])
		return DS_OK;
	memset(&sp, 0, sizeof sp);
	sp.proto = ch->proto;
	sp.enc = ch->enc;
	sp.integ = ch->integ;
	sp.esn = ch->esn;
	ks_secret_set(&sp.enc_key, ek->p, ek->len);
	ks_secret_set(&sp.integ_key, ik->p, ik->len);
	if (dir >= 0 && ch->has_spi[dir]) {
		sp.spi = ch->spi[dir];
		sp.src = ch->src[dir];
		sp.dst = ch->dst[dir];
	} else {
		sp.spi_any = true;
		if (dir >= 0) {
			sp.src = ch->src[dir];
			sp.dst = ch->dst[dir];
		}
	}
	snprintf(where, sizeof where, "%s:%u", sw->name, ch->line);
	ks_origin(sp.origin, sizeof sp.origin, sw->name, ch->line);
	e = ks_add(sw->ks, &sp, where, sw->ei);
	ks_sa_spec_wipe(&sp);
	return e;
}

static enum ds_err
child_flush(struct sw *sw, struct sw_ctx *c)
{
	struct sw_child *ch = &c->child;
	enum ds_err e = DS_OK;

	if (!ch->open)
		return DS_OK;
	if (ch->unknown[0] != '\0') {
		e = DS_FAIL(sw->ei, DS_EFORMAT, "%s:%u: CHILD_SA algorithm "
		    "'%s' is not known", sw->name, ch->line, ch->unknown);
		goto done;
	}
	if (ch->proto == DS_IPPROTO_ESP && ch->enc == NULL) {
		e = DS_FAIL(sw->ei, DS_EFORMAT, "%s:%u: CHILD_SA keys without "
		    "their algorithm (no 'selected proposal' or 'using ... for "
		    "encryption' line before them)", sw->name, ch->line);
		goto done;
	}
	if (ch->proto == DS_IPPROTO_AH && ch->integ == NULL) {
		e = DS_FAIL(sw->ei, DS_EFORMAT, "%s:%u: AH CHILD_SA keys "
		    "without an integrity algorithm", sw->name, ch->line);
		goto done;
	}
	/* RFC 7296 2.17: the initiator's keys go the initiator's way */
	switch (ch->role) {
	case ROLE_INITIATOR:
		if ((e = child_add(sw, ch, 1, 0)) == DS_OK)
			e = child_add(sw, ch, 0, 1);
		break;
	case ROLE_RESPONDER:
		if ((e = child_add(sw, ch, 0, 0)) == DS_OK)
			e = child_add(sw, ch, 1, 1);
		break;
	default:
		if ((e = child_add(sw, ch, -1, 0)) == DS_OK)
			e = child_add(sw, ch, -1, 1);
		break;
	}
done:
	child_wipe(ch);
	return e;
}

static void
set_unknown(char *buf, size_t size, const char *s, size_t len)
{
	if (buf[0] == '\0')
		snprintf(buf, size, "%.*s", (int)(len < 32 ? len : 32), s);
}

/* selected proposal: ESP:AES_GCM_16_128/NO_EXT_SEQ */
static void
on_proposal(struct sw_ctx *c, const char *s, size_t len)
{
	const char *end = s + len, *tok;
	const struct ks_alg *a;
	bool known;

	if (ks_text_starts(s, len, "ESP:"))
		c->p_proto = DS_IPPROTO_ESP, s += 4;
	else if (ks_text_starts(s, len, "AH:"))
		c->p_proto = DS_IPPROTO_AH, s += 3;
	else
		return;		/* IKE:, or not ours */
	c->p_enc = c->p_integ = NULL;
	c->p_esn = false;
	c->p_unknown[0] = '\0';
	while (s < end && *s != ' ') {
		size_t n;

		for (tok = s; s < end && *s != '/' && *s != ' '; s++)
			;
		n = (size_t)(s - tok);
		if (s < end && *s == '/')
			s++;
		if (n == 7 && memcmp(tok, "EXT_SEQ", 7) == 0)
			c->p_esn = true;
		if ((a = sw_alg(tok, n, &known)) != NULL) {
			if (a->kind == KS_ALG_INTEG)
				c->p_integ = a;
			else
				c->p_enc = a;
		} else if (!known && n > 0 && !sw_is_other(tok, n))
			set_unknown(c->p_unknown, sizeof c->p_unknown, tok, n);
	}
}

/* "  using AES_CBC for encryption", "  using X for integrity" */
static void
on_using(struct sw_ctx *c, const char *s, size_t len)
{
	const char *sp = memchr(s, ' ', len);
	const struct ks_alg *a;
	size_t n;
	bool known, enc;

	if (sp == NULL)
		return;
	n = (size_t)(sp - s);
	if (ks_text_starts(sp, len - n, " for encryption"))
		enc = true;
	else if (ks_text_starts(sp, len - n, " for integrity"))
		enc = false;
	else
		return;
	if (!c->has_u) {
		c->u_enc = c->u_integ = NULL;
		c->u_unknown[0] = '\0';
		c->has_u = true;
	}
	a = sw_alg(s, n, &known);
	if (!known)
		set_unknown(c->u_unknown, sizeof c->u_unknown, s, n);
	else if (enc)
		c->u_enc = a;
	else
		c->u_integ = a;
}

static enum ds_err
on_key(struct sw *sw, struct sw_ctx *c, int what, const char *s,
    size_t len)
{
	struct sw_child *ch = &c->child;
	struct ks_tok t;
	const char *p = s, *end = s + len;
	uint32_t n;
	enum ds_err e;

	if (!ks_tok_next(&p, end, &t) || !ks_tok_u32(&t, &n) ||
	    !ks_tok_next(&p, end, &t) || !ks_tok_is(&t, "bytes"))
		return SWFAIL(sw, "%s without its length in bytes", sw->name,
		    sw->lineno, key_what[what]);
	if (n > KS_KEY_MAX)
		return SWFAIL(sw, "%s of %u bytes is longer than %u",
		    sw->name, sw->lineno, key_what[what], n, KS_KEY_MAX);
	sw->nkeys++;
	/* a slot filled twice, or SPIs seen: the keys of the next CHILD_SA */
	if (ch->open && (ch->has_key[what] || ch->dir != 0 ||
	    ch->has_spi[0] || ch->has_spi[1]) &&
	    (e = child_flush(sw, c)) != DS_OK)
		return e;
	if (!ch->open) {
		ch->open = true;
		ch->line = sw->lineno;
		ch->role = c->role;
		ch->proto = c->p_proto != 0 ? c->p_proto : DS_IPPROTO_ESP;
		ch->esn = c->p_esn;
		if (c->has_u) {
			ch->enc = c->u_enc;
			ch->integ = c->u_integ;
			memcpy(ch->unknown, c->u_unknown, sizeof ch->unknown);
		} else {
			ch->enc = c->p_enc;
			ch->integ = c->p_integ;
			memcpy(ch->unknown, c->p_unknown, sizeof ch->unknown);
		}
		c->has_u = false;
	}
	ch->has_key[what] = true;
	ks_secret_wipe(&ch->key[what]);
	ch->key[what].len = 0;
	sw->dump = &ch->key[what];
	sw->dump_len = n;
	sw->dump_what = what;
	sw->dump_line = sw->lineno;
	if (n == 0)
		sw->dump = NULL;
	return DS_OK;
}

/* "  16: D7 68 0D 3C                 .h.<": the next 16 octets or less */
static enum ds_err
on_dump(struct sw *sw, const char *s, size_t len)
{
	struct ks_secret *k = sw->dump;
	size_t i = 0, want, got = 0, off = 0;
	int hi, lo;

	while (i < len && s[i] == ' ')
		i++;
	if (i == len || !is_digit(s[i]))
		goto short_dump;
	for (; i < len && is_digit(s[i]) && off < 100000; i++)
		off = off * 10 + (size_t)(s[i] - '0');
	/* each line starts at the offset the previous ones reached */
	if (off != k->len || i + 2 > len || s[i] != ':' || s[i + 1] != ' ')
		goto short_dump;
	i += 2;
	want = sw->dump_len - k->len < 16 ? sw->dump_len - k->len : 16;
	for (; got < want; got++, i += 3) {
		if (i + 2 > len || (hi = ks_hex_digit(s[i])) < 0 ||
		    (lo = ks_hex_digit(s[i + 1])) < 0 ||
		    (i + 2 < len && s[i + 2] != ' '))
			return SWFAIL(sw, "hexdump line of %s with %zu of %zu "
			    "octets", sw->name, sw->lineno,
			    key_what[sw->dump_what], got, want);
		k->p[k->len++] = (uint8_t)(hi << 4 | lo);
	}
	if (k->len == sw->dump_len)
		sw->dump = NULL;
	return DS_OK;
short_dump:
	return SWFAIL(sw, "hexdump of %s (line %u) ends after %zu of %zu "
	    "octets", sw->name, sw->lineno, key_what[sw->dump_what],
	    sw->dump_line, k->len, sw->dump_len);
}

/* "  SPI 0xc8919096, src 192.0.2.20 dst 192.0.2.10" */
static enum ds_err
on_spi(struct sw *sw, struct sw_child *ch, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	struct ks_tok t, a;
	int d = ch->dir - 1;

	ch->dir = 0;
	ks_tok_next(&p, end, &t);
	if (!ks_tok_next(&p, end, &t) || t.len < 2 || t.p[t.len - 1] != ',')
		return SWFAIL(sw, "bad SPI line", sw->name, sw->lineno);
	t.len--;
	if (!ks_tok_u32(&t, &ch->spi[d]))
		return SWFAIL(sw, "bad SPI '%.*s'", sw->name, sw->lineno,
		    (int)t.len, t.p);
	ch->has_spi[d] = true;
	if (ks_tok_next(&p, end, &t) && ks_tok_is(&t, "src") &&
	    ks_tok_next(&p, end, &a) &&
	    ks_addr_match_parse(&ch->src[d], a.p, a.len) &&
	    ks_tok_next(&p, end, &t) && ks_tok_is(&t, "dst") &&
	    ks_tok_next(&p, end, &a) &&
	    ks_addr_match_parse(&ch->dst[d], a.p, a.len))
		return DS_OK;
	memset(&ch->src[d], 0, sizeof ch->src[d]);
	memset(&ch->dst[d], 0, sizeof ch->dst[d]);
	return SWFAIL(sw, "bad addresses in the SPI line", sw->name,
	    sw->lineno);
}

/* "CHILD_SA net{1} established with SPIs c8919096_i 48a4e162_o ..." */
static enum ds_err
on_established(struct sw *sw, struct sw_ctx *c, const char *s, size_t len)
{
	struct sw_child *ch = &c->child;
	const char *p = s, *end = s + len;
	struct ks_tok t;
	int d;

	if (!ch->open)
		return DS_OK;
	while (ks_tok_next(&p, end, &t)) {
		if (t.len < 3 || t.p[t.len - 2] != '_')
			break;
		d = t.p[t.len - 1] == 'i' ? 0 : t.p[t.len - 1] == 'o' ? 1 : -1;
		if (d < 0)
			break;
		t.len -= 2;
		if (!ch->has_spi[d]) {
			struct ks_tok h = t;
			char buf[16];

			/* logged as %.8x without 0x */
			if (h.len > 8)
				break;
			snprintf(buf, sizeof buf, "0x%.*s", (int)h.len, h.p);
			h.p = buf;
			h.len = strlen(buf);
			if (!ks_tok_u32(&h, &ch->spi[d]))
				return SWFAIL(sw, "bad SPI '%.*s'", sw->name,
				    sw->lineno, (int)t.len, t.p);
			ch->has_spi[d] = true;
		}
	}
	return child_flush(sw, c);
}

static enum ds_err
on_message(struct sw *sw, const struct sw_line *ln)
{
	struct sw_ctx *c;
	const char *s = ln->msg;
	size_t len = ln->len, i;
	const char *w;

	if (sw->dump != NULL)
		return on_dump(sw, s, len);
	c = ctx_get(sw, ln->ctx);
	if (!c->used || c->id != ln->ctx) {
		/* the slot of the IKE_SA least recently heard of */
		enum ds_err e = child_flush(sw, c);

		memset(c, 0, sizeof *c);
		c->used = true;
		c->id = ln->ctx;
		c->age = sw->clock;
		if (e != DS_OK)
			return e;
	}
	while (len > 0 && *s == ' ')
		s++, len--;
	for (i = 0; i < K_COUNT; i++)
		if (ks_text_starts(s, len, key_what[i]) &&
		    ks_text_starts(s + strlen(key_what[i]),
		    len - strlen(key_what[i]), " => ")) {
			size_t n = strlen(key_what[i]) + 4;

			return on_key(sw, c, (int)i, s + n, len - n);
		}
	if (ks_text_starts(s, len, "parsed ")) {
		if ((w = ks_text_find(s, len, " response ")) != NULL)
			c->role = ROLE_INITIATOR;
		else if ((w = ks_text_find(s, len, " request ")) != NULL)
			c->role = ROLE_RESPONDER;
	} else if (ks_text_starts(s, len, "selected proposal: "))
		on_proposal(c, s + 19, len - 19);
	else if (ks_text_starts(s, len, "using ") &&
	    ks_text_find(s, len, " for ") != NULL &&
	    ks_text_find(s, len, " algorithm ") == NULL)
		on_using(c, s + 6, len - 6);
	else if (c->child.open && (ks_text_starts(s, len, "adding inbound ") ||
	    ks_text_starts(s, len, "adding outbound "))) {
		bool in = s[7] == 'i';
		const char *pr = s + (in ? 15 : 16);
		size_t n = len - (in ? 15 : 16);

		c->child.dir = in ? 1 : 2;
		if (ks_text_starts(pr, n, "AH "))
			c->child.proto = DS_IPPROTO_AH;
		else if (ks_text_starts(pr, n, "ESP "))
			c->child.proto = DS_IPPROTO_ESP;
	} else if (c->child.open && c->child.dir != 0 &&
	    ks_text_starts(s, len, "SPI 0x")) {
		enum ds_err e = on_spi(sw, &c->child, s, len);

		if (e != DS_OK || !c->child.has_spi[0] || !c->child.has_spi[1])
			return e;
		return child_flush(sw, c);
	}
	else if (ks_text_starts(s, len, "CHILD_SA ") &&
	    (w = ks_text_find(s, len, " established with SPIs ")) != NULL)
		return on_established(sw, c, w + 23,
		    len - (size_t)(w + 23 - s));
	return DS_OK;
}

/*
 * {"time":"...","thread":14,"group":"CHD","level":4,
 *  "ikesa-uniqueid":"1","ikesa-name":"tun","msg":"...\n..."}
 * The message is unescaped into buf (len of the line suffices); its lines
 * are handed on one by one.
 */
static enum ds_err
on_json(struct sw *sw, const char *s, size_t len, char *buf)
{
	struct sw_line ln;
	const char *m, *f;
	size_t i, n = 0, start;
	unsigned v = 0;
	enum ds_err e;

	memset(&ln, 0, sizeof ln);
	if ((m = ks_text_find(s, len, "\"msg\":\"")) == NULL)
		return DS_OK;
	ln.ctx = 1000000;
	if ((f = ks_text_find(s, len, "\"ikesa-uniqueid\":\"")) != NULL) {
		for (f += 18; f < s + len && is_digit(*f) && v < 100000; f++)
			v = v * 10 + (unsigned)(*f - '0');
		ln.ctx = v;
	} else if ((f = ks_text_find(s, len, "\"thread\":")) != NULL) {
		for (f += 9; f < s + len && is_digit(*f) && v < 100000; f++)
			v = v * 10 + (unsigned)(*f - '0');
		ln.ctx = 1000000 + v;
	}
	ln.charon = true;
	for (i = (size_t)(m + 7 - s); i < len && s[i] != '"'; i++) {
		if (s[i] != '\\') {
			buf[n++] = s[i];
			continue;
		}
		if (++i == len)
			break;
		buf[n++] = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
	}
	for (start = 0, i = 0; i <= n; i++) {
		if (i < n && buf[i] != '\n')
			continue;
		ln.msg = buf + start;
		ln.len = i - start;
		if ((e = on_message(sw, &ln)) != DS_OK)
			return e;
		start = i + 1;
	}
	return DS_OK;
}

bool
ks_sniff_strongswan(const char *text, size_t len)
{
	struct ks_lines l;
	struct sw_line ln;
	const char *line;
	size_t n;

	ks_lines_init(&l, text, len > SW_SNIFF_MAX ? SW_SNIFF_MAX : len);
	while (ks_lines_next(&l, &line, &n)) {
		if (n > 0 && line[0] == '{' &&
		    ks_text_find(line, n, "\"group\":\"") != NULL &&
		    ks_text_find(line, n, "\"msg\":\"") != NULL)
			return true;
		if (split_prefix(line, n, &ln))
			return true;
	}
	return false;
}

enum ds_err
ks_load_strongswan(struct ks_store *ks, const char *name, const char *text,
    size_t len, struct ds_errinfo *ei)
{
	struct sw *sw;
	struct ks_lines l;
	struct sw_line ln;
	const char *line;
	char *buf = NULL;
	size_t n, i;
	enum ds_err e = DS_OK;

	if ((sw = calloc(1, sizeof *sw)) == NULL)
		return DS_FAIL(ei, DS_ENOMEM, "%s: out of memory", name);
	sw->ks = ks;
	sw->name = name;
	sw->ei = ei;
	ks_lines_init(&l, text, len);
	while (ks_lines_next(&l, &line, &n)) {
		sw->lineno = l.lineno;
		if (n > 0 && line[0] == '{') {
			char *grown;

			if ((grown = realloc(buf, n + 1)) == NULL) {
				e = DS_FAIL(ei, DS_ENOMEM, "%s: out of memory",
				    name);
				goto fail;
			}
			buf = grown;
			e = on_json(sw, line, n, buf);
			OPENSSL_cleanse(buf, n);
		} else if (split_prefix(line, n, &ln))
			e = on_message(sw, &ln);
		/* other programs' lines of a syslog file are not ours */
		if (e != DS_OK)
			goto fail;
	}
	if (sw->dump != NULL) {
		e = SWFAIL(sw, "hexdump of %s ends after %zu of %zu octets "
		    "(the log ends)", name, sw->dump_line,
		    key_what[sw->dump_what], sw->dump->len, sw->dump_len);
		goto fail;
	}
	for (i = 0; i < SW_CTX_MAX; i++)
		if ((e = child_flush(sw, &sw->ctx[i])) != DS_OK)
			goto fail;
	if (sw->nkeys == 0)
		e = DS_FAIL(ei, DS_EFORMAT, "%s: no CHILD_SA keys in this log "
		    "(needs chd level 4 / log_level: 'chd = 4' or 'default = "
		    "4' in the charon filelog or syslog section)", name);
fail:
	for (i = 0; i < SW_CTX_MAX; i++)
		child_wipe(&sw->ctx[i].child);
	free(buf);
	free(sw);
	return e;
}
