/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loader: the output of Linux iproute2's `ip xfrm state` and
 * `ip -s xfrm state`, one state per "src A dst B" header and its indented
 * attribute lines.  Kernel algorithm names become rows of keys/alg_list.h;
 * the kernel's own truncation applies to a plain "auth" line.
 * RFC 4303 (ESP), RFC 4302 (AH), RFC 3948 (UDP encapsulation).
 */
#include <stdio.h>
#include <string.h>

#include "load_int.h"

/*
 *	src 192.0.2.1 dst 192.0.2.2
 *		proto esp spi 0x00001000 reqid 1 mode tunnel
 *		replay-window 0 flag af-unspec esn
 *		auth-trunc hmac(sha256) 0x<32 octets> 128
 *		enc cbc(aes) 0x<16 octets>
 *		aead rfc4106(gcm(aes)) 0x<20 octets> 128
 *		encap type espinudp sport 4500 dport 4500 addr 0.0.0.0
 *		anti-replay esn context:
 *		 seq-hi 0x0, seq 0x0, oseq-hi 0x0, oseq 0x0
 *		 replay_window 128, bitmap-length 4
 *		sel src 0.0.0.0/0 dst 0.0.0.0/0
 *		lifetime config: ... stats: ...	(ip -s: skipped)
 *
 * With -s, numbers gain a second spelling ("0x00001000(4096)") and keys
 * their size ("0x... (128 bits)").
 */

enum xa_type { XA_ENC, XA_AUTH, XA_AEAD };

static const struct {
	enum xa_type	 type;
	const char	*xname;		/* as the kernel names it */
	uint16_t	 bits;		/* ICV or truncation; 0: cipher */
	bool		 dflt;		/* kernel default for "auth" */
	const char	*alg;		/* keys/alg_list.h; NULL: none */
} xalgs[] = {
	{ XA_ENC,  "cbc(aes)",		0,   true,  "aes-cbc" },
	{ XA_ENC,  "aes",		0,   true,  "aes-cbc" },
	{ XA_ENC,  "rfc3686(ctr(aes))",	0,   true,  "aes-ctr" },
	{ XA_ENC,  "cbc(des3_ede)",	0,   true,  "3des-cbc" },
	{ XA_ENC,  "des3_ede",		0,   true,  "3des-cbc" },
	{ XA_ENC,  "cbc(des)",		0,   true,  "des-cbc" },
	{ XA_ENC,  "des",		0,   true,  "des-cbc" },
	{ XA_ENC,  "cbc(blowfish)",	0,   true,  "blowfish-cbc" },
	{ XA_ENC,  "blowfish",		0,   true,  "blowfish-cbc" },
	{ XA_ENC,  "cbc(cast5)",	0,   true,  "cast128-cbc" },
	{ XA_ENC,  "cast5",		0,   true,  "cast128-cbc" },
	{ XA_ENC,  "cast128",		0,   true,  "cast128-cbc" },
	{ XA_ENC,  "ecb(cipher_null)",	0,   true,  "null" },
	{ XA_ENC,  "cipher_null",	0,   true,  "null" },
	/* net/xfrm/xfrm_algo.c: icv_truncbits of each hash */
	{ XA_AUTH, "hmac(md5)",		96,  true,  "hmac-md5-96" },
	{ XA_AUTH, "md5",		96,  true,  "hmac-md5-96" },
	{ XA_AUTH, "hmac(sha1)",	96,  true,  "hmac-sha1-96" },
	{ XA_AUTH, "sha1",		96,  true,  "hmac-sha1-96" },
	{ XA_AUTH, "hmac(sha256)",	96,  true,  "hmac-sha2-256-96" },
	{ XA_AUTH, "hmac(sha256)",	128, false, "hmac-sha2-256-128" },
	{ XA_AUTH, "sha256",		96,  true,  "hmac-sha2-256-96" },
	{ XA_AUTH, "sha256",		128, false, "hmac-sha2-256-128" },
	{ XA_AUTH, "hmac(sha384)",	192, true,  "hmac-sha2-384-192" },
	{ XA_AUTH, "sha384",		192, true,  "hmac-sha2-384-192" },
	{ XA_AUTH, "hmac(sha512)",	256, true,  "hmac-sha2-512-256" },
	{ XA_AUTH, "sha512",		256, true,  "hmac-sha2-512-256" },
	{ XA_AUTH, "xcbc(aes)",		96,  true,  "aes-xcbc-96" },
	{ XA_AUTH, "cmac(aes)",		96,  true,  "aes-cmac-96" },
	{ XA_AUTH, "digest_null",	0,   true,  NULL },
	{ XA_AEAD, "rfc4106(gcm(aes))",	64,  false, "aes-gcm-8" },
	{ XA_AEAD, "rfc4106(gcm(aes))",	96,  false, "aes-gcm-12" },
	{ XA_AEAD, "rfc4106(gcm(aes))",	128, false, "aes-gcm-16" },
	{ XA_AEAD, "rfc4309(ccm(aes))",	64,  false, "aes-ccm-8" },
	{ XA_AEAD, "rfc4309(ccm(aes))",	96,  false, "aes-ccm-12" },
	{ XA_AEAD, "rfc4309(ccm(aes))",	128, false, "aes-ccm-16" },
	{ XA_AEAD, "rfc4543(gcm(aes))",	128, false, "aes-gmac" },
	{ XA_AEAD, "rfc7539esp(chacha20,poly1305)", 128, false,
	    "chacha20-poly1305" },
};

static const char *const xa_word[] = { "enc", "auth", "aead" };

/* The state being read. */
struct xstate {
	struct ks_sa_spec sp;
	unsigned	 line;		/* of its "src" header; 0: none */
	bool		 skip;		/* IPComp and such: ignored */
	bool		 has_proto, in_stats;
};

struct xctx {
	struct ks_store	*ks;
	const char	*name;
	unsigned	 lineno;
	struct ds_errinfo *ei;
};

#define XFAIL(x, ...)							\
	DS_FAIL((x)->ei, DS_EFORMAT, "%s:%u: " __VA_ARGS__)

static enum ds_err
state_flush(struct xctx *x, struct xstate *st)
{
	enum ds_err e = DS_OK;

	if (st->line == 0 || st->skip)
		goto done;
	if (!st->has_proto)
		e = DS_FAIL(x->ei, DS_EFORMAT, "%s:%u: state without a "
		    "'proto esp|ah spi' line", x->name, st->line);
	else if (st->sp.proto == DS_IPPROTO_ESP && st->sp.enc == NULL)
		e = DS_FAIL(x->ei, DS_EFORMAT, "%s:%u: ESP state without an "
		    "enc or aead line", x->name, st->line);
	else if (st->sp.proto == DS_IPPROTO_AH && st->sp.integ == NULL)
		e = DS_FAIL(x->ei, DS_EFORMAT, "%s:%u: AH state without an "
		    "auth line", x->name, st->line);
	else {
		char where[KS_WHERE_MAX];

		snprintf(where, sizeof where, "%s:%u", x->name, st->line);
		ks_origin(st->sp.origin, sizeof st->sp.origin, x->name,
		    st->line);
		e = ks_add(x->ks, &st->sp, where, x->ei);
	}
done:
	ks_sa_spec_wipe(&st->sp);
	memset(st, 0, sizeof *st);
	return e;
}

/* "0x00001000(4096)" (ip -s) is read as "0x00001000". */
static bool
tok_u32_paren(struct ks_tok t, uint32_t *v)
{
	const char *p = memchr(t.p, '(', t.len);

	if (p != NULL)
		t.len = (size_t)(p - t.p);
	return ks_tok_u32(&t, v);
}

/* "128," (anti-replay context lines) is read as "128". */
static bool
tok_u32_comma(struct ks_tok t, uint32_t *v)
{
	if (t.len > 0 && t.p[t.len - 1] == ',')
		t.len--;
	return ks_tok_u32(&t, v);
}

static enum ds_err
parse_header(struct xctx *x, struct xstate *st, const char *p,
    const char *end)
{
	struct ks_tok t, a;

	st->line = x->lineno;
	ks_tok_next(&p, end, &t);
	if (!ks_tok_next(&p, end, &a) ||
	    !ks_addr_match_parse(&st->sp.src, a.p, a.len))
		return XFAIL(x, "bad source address after 'src'", x->name,
		    x->lineno);
	if (!ks_tok_next(&p, end, &t) || !ks_tok_is(&t, "dst"))
		return XFAIL(x, "expected 'dst' after the source address",
		    x->name, x->lineno);
	if (!ks_tok_next(&p, end, &a) ||
	    !ks_addr_match_parse(&st->sp.dst, a.p, a.len))
		return XFAIL(x, "bad destination address after 'dst'",
		    x->name, x->lineno);
	if (st->sp.src.a.family != st->sp.dst.a.family)
		return XFAIL(x, "source and destination of different address "
		    "families", x->name, x->lineno);
	return DS_OK;
}

/* proto esp spi 0x00001000 reqid 1 mode tunnel */
static enum ds_err
parse_proto(struct xctx *x, struct xstate *st, const char *p,
    const char *end)
{
	struct ks_tok t, v;
	bool has_spi = false;

	if (st->has_proto)
		return XFAIL(x, "a second 'proto' line in one state",
		    x->name, x->lineno);
	st->has_proto = true;
	while (ks_tok_next(&p, end, &t)) {
		if (!ks_tok_next(&p, end, &v))
			return XFAIL(x, "'%.*s' without a value", x->name,
			    x->lineno, (int)t.len, t.p);
		if (ks_tok_is(&t, "proto")) {
			if (ks_tok_is(&v, "esp"))
				st->sp.proto = DS_IPPROTO_ESP;
			else if (ks_tok_is(&v, "ah"))
				st->sp.proto = DS_IPPROTO_AH;
			else
				st->skip = true;	/* comp, route2 ... */
		} else if (ks_tok_is(&t, "spi")) {
			if (!tok_u32_paren(v, &st->sp.spi))
				return XFAIL(x, "bad SPI '%.*s'", x->name,
				    x->lineno, (int)v.len, v.p);
			has_spi = true;
		}
		/* reqid, mode: not needed to open packets */
	}
	if (!st->skip && st->sp.proto == 0)
		return XFAIL(x, "'proto' line without a protocol", x->name,
		    x->lineno);
	if (!st->skip && !has_spi)
		return XFAIL(x, "'proto' line without an SPI", x->name,
		    x->lineno);
	return DS_OK;
}

/* replay-window 32 [seq 0x0] flag noecn esn [(0x...)] */
static enum ds_err
parse_replay(struct xctx *x, struct xstate *st, const char *p,
    const char *end)
{
	struct ks_tok t;
	bool flags = false;

	if (!ks_tok_next(&p, end, &t) || !ks_tok_u32(&t, &st->sp.replay_window))
		return XFAIL(x, "bad replay-window", x->name, x->lineno);
	while (ks_tok_next(&p, end, &t)) {
		if (ks_tok_is(&t, "flag"))
			flags = true;
		else if (flags && ks_tok_is(&t, "esn"))
			st->sp.esn = true;
	}
	return DS_OK;
}

static bool
all_zero(const struct ks_secret *k)
{
	size_t i;

	for (i = 0; i < k->len; i++)
		if (k->p[i] != 0)
			return false;
	return true;
}

static enum ds_err
find_alg(struct xctx *x, enum xa_type type, const struct ks_tok *nm,
    bool has_bits, uint32_t bits, const struct ks_alg **alg)
{
	char buf[48];
	bool known = false;
	size_t i;

	(void)ks_tok_str(nm, buf, sizeof buf);
	for (i = 0; i < DS_NELEM(xalgs); i++) {
		if (xalgs[i].type != type || !ks_tok_is(nm, xalgs[i].xname))
			continue;
		known = true;
		if (has_bits ? xalgs[i].bits == bits : xalgs[i].dflt) {
			*alg = xalgs[i].alg != NULL ?
			    ks_alg_by_name(xalgs[i].alg) : NULL;
			return DS_OK;
		}
	}
	if (!known)
		return XFAIL(x, "unknown %s algorithm '%s'", x->name,
		    x->lineno, xa_word[type], buf);
	return XFAIL(x, "%s %s with a %u-bit %s is not supported", x->name,
	    x->lineno, xa_word[type], buf, bits,
	    type == XA_AEAD ? "ICV" : "truncation");
}

/*
 * enc NAME KEY, auth NAME KEY, auth-trunc NAME KEY BITS, aead NAME KEY
 * BITS; ip -s puts "(N bits)" after the key.
 */
static enum ds_err
parse_alg(struct xctx *x, struct xstate *st, enum xa_type type,
    bool trunc, const char *p, const char *end)
{
	struct ks_secret *key;
	const struct ks_alg *alg = NULL;
	struct ks_tok nm, k, t;
	uint32_t bits = 0, shown;
	bool has_bits = type == XA_AEAD || trunc;
	enum ds_err e;

	key = type == XA_AUTH ? &st->sp.integ_key : &st->sp.enc_key;
	if ((type == XA_AUTH ? st->sp.integ != NULL || key->len > 0 :
	    st->sp.enc != NULL))
		return XFAIL(x, "a second %s algorithm in one state",
		    x->name, x->lineno, type == XA_AUTH ? "integrity" :
		    "encryption");
	if (!ks_tok_next(&p, end, &nm))
		return XFAIL(x, "%s line without an algorithm", x->name,
		    x->lineno, xa_word[type]);
	if (!ks_tok_next(&p, end, &k))
		k.len = 0;
	if (k.len >= 2 && k.p[0] == '0' && k.p[1] == 'x') {
		if (!ks_secret_from_hex(key, k.p, k.len))
			return XFAIL(x, "%s key is not an even number of hex "
			    "digits of at most %u octets", x->name, x->lineno,
			    xa_word[type], KS_KEY_MAX);
		if (!ks_tok_next(&p, end, &t))
			t.len = 0;
	} else {
		t = k;		/* cipher_null: no key at all */
		k.len = 0;
	}
	if (t.len > 1 && t.p[0] == '(') {
		struct ks_tok n = { t.p + 1, t.len - 1 };

		/* ip -s: "(N bits)" must be what the key is */
		if (!ks_tok_u32(&n, &shown) || !ks_tok_next(&p, end, &t) ||
		    !ks_tok_is(&t, "bits)") || shown != key->len * 8)
			return XFAIL(x, "%s key size in '(N bits)' does not "
			    "match the key of %zu octets", x->name, x->lineno,
			    xa_word[type], key->len);
		if (!ks_tok_next(&p, end, &t))
			t.len = 0;
	}
	if (has_bits) {
		if (t.len == 0 || !ks_tok_u32(&t, &bits))
			return XFAIL(x, "%s %s without its %s length in bits",
			    x->name, x->lineno, type == XA_AEAD ? "aead" :
			    "auth-trunc", xa_word[type], type == XA_AEAD ?
			    "ICV" : "truncation");
	} else if (t.len != 0)
		/* not echoed: it may be part of a key */
		return XFAIL(x, "unexpected text after the %s key", x->name,
		    x->lineno, xa_word[type]);
	if ((e = find_alg(x, type, &nm, has_bits, bits, &alg)) != DS_OK)
		return e;
	/* only the null algorithms go without a key */
	if (alg != NULL && alg->key_max > 0 && k.len == 0)
		return XFAIL(x, "%s key missing (ip shows keys only to root)",
		    x->name, x->lineno, xa_word[type]);
	if (alg != NULL && alg->key_max > 0 && key->len == 0)
		return XFAIL(x, "%s key is empty (hidden by the kernel?)",
		    x->name, x->lineno, xa_word[type]);
	if (type == XA_AUTH) {
		st->sp.integ = alg;
		/* digest_null carries no key to speak of */
		if (alg == NULL)
			ks_secret_wipe(key);
	} else
		st->sp.enc = alg;
	if (key->len > 0 && all_zero(key))
		ks_store_warn(x->ks, "%s:%u: %s key is all zeros (kernel "
		    "lockdown hides keys this way)", x->name, x->lineno,
		    xa_word[type]);
	return DS_OK;
}

/*
 * encap type espinudp sport 4500 dport 4500 addr 0.0.0.0 (iproute2 4.x+),
 * or the older and input order: encap espinudp 4500 4500 0.0.0.0.
 */
static enum ds_err
parse_encap(struct xctx *x, struct xstate *st, const char *p,
    const char *end)
{
	struct ks_tok t, ty;
	uint32_t sport = 0, dport = 0;

	if (!ks_tok_next(&p, end, &ty))
		return XFAIL(x, "encap without a type", x->name, x->lineno);
	if (ks_tok_is(&ty, "type")) {
		if (!ks_tok_next(&p, end, &ty))
			return XFAIL(x, "encap without a type", x->name,
			    x->lineno);
		while (ks_tok_next(&p, end, &t)) {
			uint32_t *v = ks_tok_is(&t, "sport") ? &sport :
			    ks_tok_is(&t, "dport") ? &dport : NULL;

			if (!ks_tok_next(&p, end, &t))
				break;
			if (v != NULL && !ks_tok_u32(&t, v))
				return XFAIL(x, "bad encap port '%.*s'",
				    x->name, x->lineno, (int)t.len, t.p);
		}
	} else if (!ks_tok_next(&p, end, &t) || !ks_tok_u32(&t, &sport) ||
	    !ks_tok_next(&p, end, &t) || !ks_tok_u32(&t, &dport))
		return XFAIL(x, "encap without its two ports", x->name,
		    x->lineno);
	if (sport > 65535 || dport > 65535)
		return XFAIL(x, "encap port past 65535", x->name, x->lineno);
	/* RFC 3948: both UDP encapsulations carry ESP after the header */
	if (ks_tok_is(&ty, "espinudp") || ks_tok_is(&ty, "espinudp-nonike")) {
		st->sp.encap_udp = true;
		st->sp.encap_sport = (uint16_t)sport;
		st->sp.encap_dport = (uint16_t)dport;
	}
	return DS_OK;
}

/* seq-hi 0x0, seq 0x0, oseq-hi 0x0, oseq 0x0 / replay_window 128, ... */
static enum ds_err
parse_context(struct xctx *x, struct xstate *st, const struct ks_tok *w,
    const char *p, const char *end)
{
	struct ks_tok t;
	uint32_t v;

	if (ks_tok_is(w, "replay_window")) {
		if (!ks_tok_next(&p, end, &t) || !tok_u32_comma(t, &v))
			return XFAIL(x, "bad replay_window", x->name,
			    x->lineno);
		if (st->sp.replay_window == 0)
			st->sp.replay_window = v;
		return DS_OK;
	}
	t = *w;
	do {
		bool hi = ks_tok_is(&t, "seq-hi") || ks_tok_is(&t, "oseq-hi");

		if (!ks_tok_next(&p, end, &t))
			break;
		if (hi && tok_u32_comma(t, &v) && v != 0 && st->sp.seq_hi == 0)
			st->sp.seq_hi = v;
	} while (ks_tok_next(&p, end, &t));
	return DS_OK;
}

static enum ds_err
parse_attr(struct xctx *x, struct xstate *st, const char *line,
    size_t len)
{
	const char *p = line, *end = line + len, *rest;
	struct ks_tok w;

	if (!ks_tok_next(&p, end, &w))
		return DS_OK;
	if (st->line == 0)
		return XFAIL(x, "attribute line before any 'src ADDR dst "
		    "ADDR' line", x->name, x->lineno);
	if (st->skip)
		return DS_OK;
	rest = p;
	if (ks_tok_is(&w, "proto"))
		return parse_proto(x, st, line, end);
	if (!st->has_proto)
		return XFAIL(x, "'%.*s' before the 'proto' line", x->name,
		    x->lineno, (int)w.len, w.p);
	if (ks_tok_is(&w, "stats:"))
		st->in_stats = true;
	else if (ks_tok_is(&w, "replay-window") && !st->in_stats)
		return parse_replay(x, st, rest, end);
	else if (ks_tok_is(&w, "enc"))
		return parse_alg(x, st, XA_ENC, false, rest, end);
	else if (ks_tok_is(&w, "auth"))
		return parse_alg(x, st, XA_AUTH, false, rest, end);
	else if (ks_tok_is(&w, "auth-trunc"))
		return parse_alg(x, st, XA_AUTH, true, rest, end);
	else if (ks_tok_is(&w, "aead"))
		return parse_alg(x, st, XA_AEAD, false, rest, end);
	else if (ks_tok_is(&w, "encap"))
		return parse_encap(x, st, rest, end);
	else if (ks_tok_is(&w, "seq-hi") || ks_tok_is(&w, "replay_window"))
		return parse_context(x, st, &w, rest, end);
	/* sel, lifetime, anti-replay, mark, if_id, dir, lastused ... */
	return DS_OK;
}

bool
ks_sniff_xfrm(const char *text, size_t len)
{
	struct ks_lines l;
	const char *line;
	size_t n;
	bool after_src = false;

	ks_lines_init(&l, text, len > 65536 ? 65536 : len);
	while (ks_lines_next(&l, &line, &n)) {
		if (after_src && (ks_text_starts(line, n, "\tproto esp spi ") ||
		    ks_text_starts(line, n, "\tproto ah spi ")))
			return true;
		after_src = ks_text_starts(line, n, "src ");
	}
	return false;
}

enum ds_err
ks_load_xfrm(struct ks_store *ks, const char *name, const char *text,
    size_t len, struct ds_errinfo *ei)
{
	struct xctx x = { ks, name, 0, ei };
	struct xstate st;
	struct ks_lines l;
	const char *line;
	size_t n, added = ks_store_count(ks);
	enum ds_err e = DS_OK;

	memset(&st, 0, sizeof st);
	ks_lines_init(&l, text, len);
	while (ks_lines_next(&l, &line, &n)) {
		x.lineno = l.lineno;
		if (n == 0)
			continue;
		if (line[0] == ' ' || line[0] == '\t')
			e = parse_attr(&x, &st, line, n);
		else if (ks_text_starts(line, n, "src ")) {
			if ((e = state_flush(&x, &st)) == DS_OK)
				e = parse_header(&x, &st, line, line + n);
		} else
			e = XFAIL(&x, "expected a 'src ADDR dst ADDR' line",
			    name, x.lineno);
		if (e != DS_OK)
			goto fail;
	}
	if ((e = state_flush(&x, &st)) != DS_OK)
		goto fail;
	if (ks_store_count(ks) == added)
		e = DS_FAIL(ei, DS_EFORMAT, "%s: no ESP or AH state in this "
		    "ip xfrm state output", name);
fail:
	ks_sa_spec_wipe(&st.sp);
	return e;
}
