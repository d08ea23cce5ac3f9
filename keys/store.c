/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The store of SAs: what the loaders add, checked against the algorithm
 * table, kept until the store is freed, and wiped then.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keys_int.h"

struct ks_store *
ks_store_new(void)
{
	return calloc(1, sizeof(struct ks_store));
}

static void
sa_free(struct ks_sa *sa)
{
	if (sa == NULL)
		return;
	ks_sa_crypto_free(sa->crypto);
	ks_sa_spec_wipe(&sa->spec);
	OPENSSL_cleanse(sa, sizeof *sa);
	free(sa);
}

void
ks_store_free(struct ks_store *ks)
{
	size_t i;

	if (ks == NULL)
		return;
	for (i = 0; i < ks->n; i++)
		sa_free(ks->sa[i]);
	free(ks->sa);
	ks_ike_keys_free(ks->ike);
	free(ks);
}

void
ks_store_set_warn(struct ks_store *ks, ks_warn_fn fn, void *arg)
{
	ks->warn = fn;
	ks->warn_arg = arg;
}

void
ks_store_warn(struct ks_store *ks, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (ks->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ks->warn(ks->warn_arg, msg);
}

size_t
ks_store_count(const struct ks_store *ks)
{
	return ks->n;
}

static const char *
origin(const struct ks_sa_spec *sp)
{
	return sp->origin[0] != '\0' ? sp->origin : "key";
}

/* Key lengths against the algorithm: the message names what was expected. */
static enum ds_err
check_key(const struct ks_sa_spec *sp, const struct ks_alg *a,
    const struct ks_secret *k, const char *what, struct ds_errinfo *ei)
{
	if (a == NULL || ks_alg_key_ok(a, k->len))
		return DS_OK;
	if (a->key_min == a->key_max)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s %s needs %u%s key "
		    "bytes, got %zu", origin(sp), a->name, what, a->key_min,
		    a->salt_len == 1 ? "+1" : a->salt_len == 3 ? "+3" :
		    a->salt_len == 4 ? "+4" : "", k->len);
	return DS_FAIL(ei, DS_EFORMAT, "%s: %s %s needs %u to %u key bytes%s, "
	    "got %zu", origin(sp), a->name, what, a->key_min, a->key_max,
	    a->salt_len == 4 ? " and a 4-byte salt" :
	    a->salt_len == 3 ? " and a 3-byte salt" : "", k->len);
}

enum ds_err
ks_store_add(struct ks_store *ks, const struct ks_sa_spec *sp,
    struct ds_errinfo *ei)
{
	struct ks_sa *sa, **grown;
	enum ds_err e;

	if (sp->proto != DS_IPPROTO_ESP && sp->proto != DS_IPPROTO_AH)
		return DS_FAIL(ei, DS_EFORMAT, "%s: protocol must be esp or "
		    "ah", origin(sp));
	if (sp->proto == DS_IPPROTO_ESP && sp->enc == NULL)
		return DS_FAIL(ei, DS_EFORMAT, "%s: ESP needs an encryption "
		    "algorithm (null for none)", origin(sp));
	if (sp->proto == DS_IPPROTO_AH && (sp->integ == NULL ||
	    sp->enc != NULL))
		return DS_FAIL(ei, DS_EFORMAT, "%s: AH takes an integrity "
		    "algorithm and no encryption", origin(sp));
	if (sp->enc != NULL && sp->enc->kind == KS_ALG_INTEG)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s is not a cipher",
		    origin(sp), sp->enc->name);
	if (sp->integ != NULL && sp->integ->kind != KS_ALG_INTEG)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s is not an integrity "
		    "algorithm", origin(sp), sp->integ->name);
	/* RFC 4303 3.2.3: a combined mode carries its own integrity */
	if (sp->enc != NULL && sp->enc->kind == KS_ALG_AEAD &&
	    sp->integ != NULL && sp->integ->icv_len != 0)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s is a combined mode and "
		    "takes no integrity algorithm", origin(sp), sp->enc->name);
	if ((e = check_key(sp, sp->enc, &sp->enc_key, "encryption", ei)) !=
	    DS_OK || (e = check_key(sp, sp->integ, &sp->integ_key,
	    "integrity", ei)) != DS_OK)
		return e;
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 16;

		if ((grown = realloc(ks->sa, cap * sizeof *grown)) == NULL)
			return DS_FAIL(ei, DS_ENOMEM, "out of memory");
		ks->sa = grown;
		ks->cap = cap;
	}
	if ((sa = calloc(1, sizeof *sa)) == NULL)
		return DS_FAIL(ei, DS_ENOMEM, "out of memory");
	sa->spec = *sp;
	sa->id = (uint32_t)ks->n + 1;
	if (sp->label[0] != '\0')
		snprintf(sa->label, sizeof sa->label, "%s", sp->label);
	else if (sp->spi_any)
		snprintf(sa->label, sizeof sa->label, "%s-%u",
		    sp->proto == DS_IPPROTO_AH ? "ah" : "esp", sa->id);
	else
		snprintf(sa->label, sizeof sa->label, "%s-%08x",
		    sp->proto == DS_IPPROTO_AH ? "ah" : "esp", sp->spi);
	ks->sa[ks->n++] = sa;
	return DS_OK;
}

/* Is the mask bits ones followed by zeros (a prefix)? */
static bool
is_prefix(const uint8_t *mask, size_t n, size_t bits)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t b = bits >= 8 ? 8 : bits;

		if (mask[i] != (uint8_t)(0xff00u >> b))
			return false;
		bits -= b;
	}
	return true;
}

/* Wildcards as written: "10.*.0.1", "2001:db8:*:0:0:0:0:1", "fe80:...:1*". */
static void
fmt_wild(const struct ks_addr_match *m, size_t n, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	int k;

	buf[0] = '\0';
	for (i = 0; n == 4 && i < 4 && o < len; i++)
		o += (size_t)(m->mask[i] == 0 ? snprintf(buf + o, len - o,
		    "%s*", i ? "." : "") : snprintf(buf + o, len - o, "%s%u",
		    i ? "." : "", m->a.a[i]));
	for (i = 0; n == 16 && i < 16 && o + 6 < len; i += 2) {
		unsigned v = (unsigned)m->a.a[i] << 8 | m->a.a[i + 1];
		unsigned mk = (unsigned)m->mask[i] << 8 | m->mask[i + 1];
		bool lead = true;

		if (i > 0)
			buf[o++] = ':';
		if (mk == 0) {
			buf[o++] = '*';
			continue;
		}
		for (k = 3; k >= 0; k--) {
			unsigned nm = (mk >> (4 * k)) & 15;
			unsigned nv = (v >> (4 * k)) & 15;

			if (nm == 15 && nv == 0 && lead && k > 0)
				continue;
			lead = false;
			buf[o++] = nm == 15 ? hex[nv] : '*';
		}
		buf[o] = '\0';
	}
}

static void
fmt_match(const struct ks_addr_match *m, char *buf, size_t len)
{
	char a[DS_ADDR_STRLEN];
	size_t i, n, bits = 0;

	if (m->a.family == DS_AF_ANY) {
		snprintf(buf, len, "*");
		return;
	}
	n = m->a.family == DS_AF_INET ? 4 : 16;
	for (i = 0; i < n; i++)
		bits += (size_t)__builtin_popcount(m->mask[i]);
	if (!is_prefix(m->mask, n, bits)) {
		fmt_wild(m, n, buf, len);
		return;
	}
	ds_addr_fmt(&m->a, a, sizeof a);
	if (bits == n * 8)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s/%zu", a, bits);
}

bool
ks_store_sa(const struct ks_store *ks, size_t i, struct ks_sa_info *info)
{
	const struct ks_sa *sa;

	if (i >= ks->n)
		return false;
	sa = ks->sa[i];
	memset(info, 0, sizeof *info);
	info->id = sa->id;
	info->proto = sa->spec.proto;
	info->spi = sa->spec.spi;
	info->spi_any = sa->spec.spi_any;
	info->label = sa->label;
	info->origin = sa->spec.origin;
	info->enc = sa->spec.enc;
	info->integ = sa->spec.integ;
	info->esn = sa->spec.esn;
	info->replay_window = sa->spec.replay_window;
	fmt_match(&sa->spec.src, info->src, sizeof info->src);
	fmt_match(&sa->spec.dst, info->dst, sizeof info->dst);
	return true;
}

static void
hex(const struct ks_secret *s, char *out, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < s->len && o + 2 < len; i++) {
		out[o++] = digits[s->p[i] >> 4];
		out[o++] = digits[s->p[i] & 15];
	}
	if (len > 0)
		out[o] = '\0';
}

void
ks_store_sa_keys(const struct ks_store *ks, size_t i, char *enc_hex,
    size_t enc_len, char *integ_hex, size_t integ_len)
{
	if (i >= ks->n)
		return;
	hex(&ks->sa[i]->spec.enc_key, enc_hex, enc_len);
	hex(&ks->sa[i]->spec.integ_key, integ_hex, integ_len);
}
