/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loader: the native format of docs/keys.md, one SA per line as
 * "esp|ah key=value ...".  RFC 4301 4.4.2 (the SAD entry), RFC 4303 2.2.1
 * (ESN), RFC 3948 (UDP encapsulation).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "load_int.h"

#define NATIVE_WINDOW_MAX	65536u
#define NATT_PORT		4500

enum nkey {
	NK_SPI, NK_SRC, NK_DST, NK_ENC, NK_ENC_KEY, NK_INTEG, NK_INTEG_KEY,
	NK_ESN, NK_SEQ_HI, NK_WINDOW, NK_ENCAP, NK_LABEL, NK_COUNT_
};

static const char *const nkeys[NK_COUNT_] = {
	"spi", "src", "dst", "enc", "enc-key", "integ", "integ-key", "esn",
	"seq-hi", "replay-window", "encap", "label",
};

/* The first line that is not a comment starts with "esp " or "ah ". */
bool
ks_sniff_native(const char *text, size_t len)
{
	struct ks_tok line, w;

	return ks_first_line(text, len, &line) && ks_word_next(&line, &w) &&
	    line.len > 0 && (ks_tok_eq(&w, "esp") || ks_tok_eq(&w, "ah"));
}

/* label="a \"b\"" -> a "b"; false on a bad quote or a label too long. */
static bool
unquote(const struct ks_tok *v, char *out, size_t len)
{
	size_t i, o = 0;

	if (v->len == 0 || v->p[0] != '"')
		return ks_tok_str(v, out, len) && strchr(out, '"') == NULL;
	if (v->len < 2 || v->p[v->len - 1] != '"')
		return false;
	for (i = 1; i + 1 < v->len; i++) {
		char c = v->p[i];

		if (c == '\\') {
			if (i + 2 >= v->len)
				return false;
			c = v->p[++i];
		} else if (c == '"')
			return false;
		if ((unsigned char)c < 0x20 || o + 1 >= len)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

static bool
parse_port(const char *s, size_t n, uint16_t *port)
{
	struct ks_tok t = { s, n };
	uint32_t v;

	if (!ks_tok_u32(&t, &v) || v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "udp" or "udp:SPORT:DPORT" (RFC 3948 2: 4500 unless the peers agreed). */
static bool
parse_encap(struct ks_sa_spec *sp, const struct ks_tok *v)
{
	const char *c1, *c2, *end = v->p + v->len;

	if (ks_tok_eq(v, "udp")) {
		sp->encap_sport = sp->encap_dport = NATT_PORT;
		return (sp->encap_udp = true);
	}
	if (v->len < 4 || strncasecmp(v->p, "udp:", 4) != 0)
		return false;
	c1 = v->p + 3;
	if ((c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1))) == NULL)
		return false;
	if (!parse_port(c1 + 1, (size_t)(c2 - c1 - 1), &sp->encap_sport) ||
	    !parse_port(c2 + 1, (size_t)(end - c2 - 1), &sp->encap_dport))
		return false;
	return (sp->encap_udp = true);
}

static enum ds_err
set_alg(const struct ks_alg **out, const struct ks_tok *v, bool integ,
    const char *where, struct ds_errinfo *ei)
{
	char s[48];

	if (!ks_tok_str(v, s, sizeof s) || (*out = ks_alg_lookup(s)) == NULL)
		return ks_fail_alg(ei, where, integ ? "integrity" :
		    "encryption", v, integ);
	return DS_OK;
}

static enum ds_err
set_value(struct ks_sa_spec *sp, enum nkey k, const struct ks_tok *v,
    const char *where, struct ds_errinfo *ei)
{
	const char *why;
	char shown[48];
	uint32_t n;

	switch (k) {
	case NK_SPI:
		if (ks_tok_eq(v, "*")) {
			sp->spi_any = true;
			break;
		}
		if (!ks_tok_u32(v, &sp->spi))
			return DS_FAIL(ei, DS_EFORMAT, "%s: spi must be 0x hex "
			    "or decimal and fit in 32 bits", where);
		/* RFC 4303 2.1: SPI 0 is reserved and never on the wire */
		if (sp->spi == 0)
			return DS_FAIL(ei, DS_EFORMAT, "%s: spi 0 is reserved "
			    "(RFC 4303 2.1); use spi=* for an unknown SPI",
			    where);
		break;
	case NK_SRC:
	case NK_DST:
		if (!ks_addr_match_parse(k == NK_SRC ? &sp->src : &sp->dst,
		    v->p, v->len))
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s is not an "
			    "address, prefix, wildcard or *: '%s'", where,
			    nkeys[k], ks_tok_shown(v, shown, sizeof shown));
		break;
	case NK_ENC:
		return set_alg(&sp->enc, v, false, where, ei);
	case NK_INTEG:
		return set_alg(&sp->integ, v, true, where, ei);
	case NK_ENC_KEY:
	case NK_INTEG_KEY:
		if ((why = ks_key_parse(k == NK_ENC_KEY ? &sp->enc_key :
		    &sp->integ_key, v)) != NULL)
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s %s", where,
			    nkeys[k], why);
		break;
	case NK_ESN:
		if (ks_tok_eq(v, "yes") || ks_tok_eq(v, "no"))
			sp->esn = ks_tok_eq(v, "yes");
		else
			return DS_FAIL(ei, DS_EFORMAT, "%s: esn must be yes or "
			    "no", where);
		break;
	case NK_SEQ_HI:
		if (!ks_tok_u32(v, &sp->seq_hi))
			return DS_FAIL(ei, DS_EFORMAT, "%s: seq-hi must be a "
			    "32-bit number", where);
		break;
	case NK_WINDOW:
		if (!ks_tok_u32(v, &n) || n == 0 || n > NATIVE_WINDOW_MAX)
			return DS_FAIL(ei, DS_EFORMAT, "%s: replay-window must "
			    "be 1 to %u packets", where, NATIVE_WINDOW_MAX);
		sp->replay_window = n;
		break;
	case NK_ENCAP:
		if (!parse_encap(sp, v))
			return DS_FAIL(ei, DS_EFORMAT, "%s: encap must be udp "
			    "or udp:SPORT:DPORT", where);
		break;
	case NK_LABEL:
		if (!unquote(v, sp->label, sizeof sp->label) ||
		    sp->label[0] == '\0')
			return DS_FAIL(ei, DS_EFORMAT, "%s: label must be 1 to "
			    "%d characters, \"quoted\" if it has blanks",
			    where, KS_LABEL_MAX - 1);
		break;
	case NK_COUNT_:
		break;
	}
	return DS_OK;
}

/*
 *	esp spi=0x12345678 src=192.0.2.1 dst=198.51.100.0/24 enc=aes-gcm-16
 *	    enc-key=0x...(key, then the 4-byte salt) esn=yes label=office-out
 */
static enum ds_err
native_line(struct ks_store *ks, struct ks_tok line, const char *where,
    struct ks_sa_spec *sp, struct ds_errinfo *ei)
{
	struct ks_tok w, v;
	char shown[48];
	unsigned seen = 0;
	enum ds_err e;
	size_t k;

	if (!ks_word_next(&line, &w))
		return DS_OK;
	if (ks_tok_eq(&w, "esp"))
		sp->proto = DS_IPPROTO_ESP;
	else if (ks_tok_eq(&w, "ah"))
		sp->proto = DS_IPPROTO_AH;
	else
		return DS_FAIL(ei, DS_EFORMAT, "%s: a line must start with "
		    "esp or ah", where);
	while (ks_word_next(&line, &w)) {
		const char *eq = memchr(w.p, '=', w.len);

		if (w.p[0] == '#')
			break;
		if (eq == NULL)
			return DS_FAIL(ei, DS_EFORMAT, "%s: '%s' is not "
			    "key=value", where, ks_tok_shown(&w, shown,
			    sizeof shown));
		v.p = eq + 1;
		v.len = w.len - (size_t)(eq - w.p) - 1;
		w.len = (size_t)(eq - w.p);
		for (k = 0; k < NK_COUNT_; k++)
			if (ks_tok_eq(&w, nkeys[k]))
				break;
		if (k == NK_COUNT_)
			return DS_FAIL(ei, DS_EFORMAT, "%s: unknown key '%s' "
			    "(known: spi src dst enc enc-key integ integ-key "
			    "esn seq-hi replay-window encap label)", where,
			    ks_tok_shown(&w, shown, sizeof shown));
		if (seen & (1u << k))
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s given twice",
			    where, nkeys[k]);
		seen |= 1u << k;
		if (v.len == 0)
			return DS_FAIL(ei, DS_EFORMAT, "%s: %s has no value",
			    where, nkeys[k]);
		if ((e = set_value(sp, (enum nkey)k, &v, where, ei)) != DS_OK)
			return e;
	}
	if (!(seen & (1u << NK_SPI)))
		return DS_FAIL(ei, DS_EFORMAT, "%s: spi is missing (spi=* if "
		    "not known)", where);
	if (sp->proto == DS_IPPROTO_ESP && sp->integ == NULL &&
	    sp->enc != NULL && sp->enc->kind != KS_ALG_AEAD)
		sp->integ = ks_alg_by_name("none");
	if ((seen & (1u << NK_SEQ_HI)) && !sp->esn)
		return DS_FAIL(ei, DS_EFORMAT, "%s: seq-hi needs esn=yes",
		    where);
	/* RFC 4302 2.5: AH always carries an ICV */
	if (sp->proto == DS_IPPROTO_AH && sp->integ != NULL &&
	    sp->integ->icv_len == 0)
		return DS_FAIL(ei, DS_EFORMAT, "%s: AH needs an integrity "
		    "algorithm other than none", where);
	if (sp->encap_udp && sp->proto == DS_IPPROTO_AH)
		return DS_FAIL(ei, DS_EFORMAT, "%s: AH is not UDP-encapsulated "
		    "(RFC 3948 covers ESP)", where);
	return ks_add(ks, sp, where, ei);
}

enum ds_err
ks_load_native(struct ks_store *ks, const char *name, const char *text,
    size_t len, struct ds_errinfo *ei)
{
	struct ks_sa_spec sp;
	struct ks_lines l;
	char where[KS_WHERE_MAX];
	const char *p;
	size_t n;
	enum ds_err e = DS_OK;

	ks_lines_init(&l, text, len);
	while (ks_lines_next(&l, &p, &n)) {
		struct ks_tok line = { p, n };

		if (ks_line_blank(p, n))
			continue;
		memset(&sp, 0, sizeof sp);
		ks_origin(sp.origin, sizeof sp.origin, name, l.lineno);
		snprintf(where, sizeof where, "%s:%u", name, l.lineno);
		e = native_line(ks, line, where, &sp, ei);
		ks_sa_spec_wipe(&sp);
		if (e != DS_OK)
			break;
	}
	return e;
}
