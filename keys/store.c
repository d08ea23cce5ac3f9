/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The store of SAs: what the loaders add, checked against the algorithm
 * table, kept until the store is freed, and wiped then; and the lookup of
 * a packet's SA (RFC 4301 4.1, 4.4.2: SPI, then the addresses).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keys_int.h"

/* Packets of one unknown SPI tried against the spi_any keys at most. */
#define KS_TRIAL_MAX	16

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
	free(ks->cache);
	ks_ike_keys_free(ks->ike);
	ks_lib_free(ks->lib);
	free(ks->bind);
	OPENSSL_cleanse(ks, sizeof *ks);
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

static void
cache_clear(struct ks_store *ks)
{
	if (ks->cache != NULL)
		memset(ks->cache, 0, KS_CACHE_SLOTS * sizeof *ks->cache);
}

/* A lookup without an address fits only "*" matches. */
static const struct ds_addr *
addr_or_none(const struct ds_addr *a)
{
	static const struct ds_addr none;

	return a != NULL ? a : &none;
}

/* FNV-1a over what selects the SA. */
static struct ks_cache_slot *
cache_slot(struct ks_store *ks, uint8_t proto, uint32_t spi,
    const struct ds_addr *src, const struct ds_addr *dst)
{
	uint32_t h = 2166136261u;
	size_t i;

	if (ks->cache == NULL && (ks->cache = calloc(KS_CACHE_SLOTS,
	    sizeof *ks->cache)) == NULL)
		return NULL;
	h = (h ^ proto) * 16777619u;
	for (i = 0; i < 4; i++)
		h = (h ^ ((spi >> (8 * i)) & 0xff)) * 16777619u;
	/* IPv4 uses the first four octets only */
	for (i = 0; i < (src->family == DS_AF_INET6 ? 16u : 4u); i++)
		h = (h ^ src->a[i]) * 16777619u;
	for (i = 0; i < (dst->family == DS_AF_INET6 ? 16u : 4u); i++)
		h = (h ^ dst->a[i]) * 16777619u;
	return &ks->cache[h % KS_CACHE_SLOTS];
}

static bool
cache_hit(const struct ks_cache_slot *c, uint8_t proto, uint32_t spi,
    const struct ds_addr *src, const struct ds_addr *dst)
{
	return c->sa != NULL && c->proto == proto && c->spi == spi &&
	    ds_addr_eq(&c->src, src) && ds_addr_eq(&c->dst, dst);
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
	/* RFC 4543 3, 4: in ESP, GMAC is the combined mode, not an ICV */
	if (sp->proto == DS_IPPROTO_ESP && sp->integ != NULL &&
	    sp->integ->iv_len != 0)
		return DS_FAIL(ei, DS_EFORMAT, "%s: %s is for AH; ESP takes "
		    "aes-gmac as its encryption algorithm", origin(sp),
		    sp->integ->name);
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
	sa->bits = (uint16_t)(ks_addr_match_bits(&sp->src) +
	    ks_addr_match_bits(&sp->dst));
	cache_clear(ks);
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
	ks_addr_match_fmt(&sa->spec.src, info->src, sizeof info->src);
	ks_addr_match_fmt(&sa->spec.dst, info->dst, sizeof info->dst);
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

static struct ks_bind *
bind_find(struct ks_store *ks, uint8_t proto, uint32_t spi)
{
	size_t i;

	for (i = 0; i < ks->nbind; i++)
		if (ks->bind[i].proto == proto && ks->bind[i].spi == spi)
			return &ks->bind[i];
	return NULL;
}

/* Does the SA carry this SPI, as loaded or as bound by trial? */
static bool
has_spi(const struct ks_sa *sa, uint8_t proto, uint32_t spi)
{
	if (sa->spec.proto != proto)
		return false;
	if (!sa->spec.spi_any)
		return sa->spec.spi == spi;
	return sa->is_bound && sa->bound_spi == spi;
}

static void
fill_ref(const struct ks_sa *sa, bool spi_only, struct ds_sa_ref *out)
{
	const struct ks_alg *a;

	out->sa = sa;
	out->id = sa->id;
	out->label = sa->label;
	out->spi_only = spi_only;
	out->esn = sa->spec.esn;
	a = sa->spec.enc != NULL && sa->spec.enc->kind == KS_ALG_AEAD ?
	    sa->spec.enc : sa->spec.integ;
	/* RFC 4543 4: AH with GMAC carries the IV in the ICV field too */
	out->icv_len = a == NULL ? 0 : (uint16_t)(a->icv_len +
	    (sa->spec.proto == DS_IPPROTO_AH ? a->iv_len : 0));
}

bool
ks_sa_may_try(const struct ks_sa *sa, uint8_t proto,
    const struct ds_addr *src, const struct ds_addr *dst)
{
	return sa->spec.spi_any && !sa->is_bound && sa->spec.proto == proto &&
	    ks_addr_match(&sa->spec.src, src) &&
	    ks_addr_match(&sa->spec.dst, dst);
}

/*
 * The SA for a packet: of the SAs with its SPI, the one whose addresses
 * match most specifically (one host beats a prefix beats "*"); failing
 * any address match, the first with the SPI (spi_only).  An SPI no SA has
 * goes to the spi_any keys whose addresses fit, tried by open.
 */
bool
ks_store_lookup(struct ks_store *ks, uint8_t proto, uint32_t spi,
    const struct ds_addr *src, const struct ds_addr *dst,
    struct ds_sa_ref *out)
{
	const struct ks_sa *best = NULL, *any_spi = NULL, *cand = NULL;
	struct ks_cache_slot *slot;
	const struct ks_bind *b;
	size_t i;

	memset(out, 0, sizeof *out);
	src = addr_or_none(src);
	dst = addr_or_none(dst);
	if ((slot = cache_slot(ks, proto, spi, src, dst)) != NULL &&
	    cache_hit(slot, proto, spi, src, dst)) {
		fill_ref(slot->sa, slot->spi_only, out);
		return true;
	}
	for (i = 0; i < ks->n; i++) {
		const struct ks_sa *sa = ks->sa[i];

		if (!has_spi(sa, proto, spi))
			continue;
		if (any_spi == NULL)
			any_spi = sa;
		if (ks_addr_match(&sa->spec.src, src) &&
		    ks_addr_match(&sa->spec.dst, dst) &&
		    (best == NULL || sa->bits > best->bits))
			best = sa;
	}
	if (best != NULL || any_spi != NULL) {
		fill_ref(best != NULL ? best : any_spi, best == NULL, out);
		if (slot != NULL) {
			slot->proto = proto;
			slot->spi = spi;
			slot->src = *src;
			slot->dst = *dst;
			slot->sa = out->sa;
			slot->spi_only = out->spi_only;
		}
		return true;
	}
	/* RFC 4301 4.4.2 has no SA for it: a key logged without its SPI? */
	if ((b = bind_find(ks, proto, spi)) != NULL &&
	    b->fails >= KS_TRIAL_MAX)
		return false;
	for (i = 0; i < ks->n && cand == NULL; i++)
		if (ks_sa_may_try(ks->sa[i], proto, src, dst))
			cand = ks->sa[i];
	if (cand == NULL)
		return false;
	fill_ref(cand, false, out);
	ks->trial.proto = proto;
	ks->trial.spi = spi;
	ks->trial.src = *src;
	ks->trial.dst = *dst;
	out->sa = &ks->trial;
	return true;
}

static struct ks_bind *
bind_get(struct ks_store *ks, uint8_t proto, uint32_t spi)
{
	struct ks_bind *b, *grown;

	if ((b = bind_find(ks, proto, spi)) != NULL)
		return b;
	if (ks->nbind == ks->capbind) {
		size_t cap = ks->capbind ? ks->capbind * 2 : 8;

		if ((grown = realloc(ks->bind, cap * sizeof *grown)) == NULL)
			return NULL;
		ks->bind = grown;
		ks->capbind = cap;
	}
	b = &ks->bind[ks->nbind++];
	memset(b, 0, sizeof *b);
	b->proto = proto;
	b->spi = spi;
	return b;
}

void
ks_store_bind(struct ks_store *ks, uint32_t spi, struct ks_sa *sa)
{
	sa->is_bound = true;
	sa->bound_spi = spi;
	cache_clear(ks);
	ks_store_warn(ks, "%s spi 0x%08x: bound to key from %s",
	    sa->spec.proto == DS_IPPROTO_AH ? "ah" : "esp", spi,
	    origin(&sa->spec));
}

void
ks_store_bind_failed(struct ks_store *ks, uint8_t proto, uint32_t spi)
{
	struct ks_bind *b;

	if ((b = bind_get(ks, proto, spi)) != NULL && b->fails < KS_TRIAL_MAX)
		b->fails++;
}
