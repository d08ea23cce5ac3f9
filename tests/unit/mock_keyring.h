/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A stand-in keyring for the ESP tests, and a builder of the packets it
 * opens.  Its "ICV" is 12 bytes derived from a byte sum (no security, only
 * a check the tests can break), its ciphers are NULL and a toy XOR keyed by
 * the IV.  Layout as RFC 4303 2: SPI, sequence, IV, ciphertext, ICV.
 */
#ifndef TESTS_UNIT_MOCK_KEYRING_H
#define TESTS_UNIT_MOCK_KEYRING_H

#include <criterion/criterion.h>

#include <string.h>

#include "dissect/dissect.h"
#include "dissect/ike.h"

#define MK_ICV_LEN	12
#define MK_MAX_SA	8

enum mk_cipher { MK_NULL, MK_XOR, MK_UNSUPP };

struct mk_sa {
	uint32_t	 spi;
	struct ds_addr	 src, dst;	/* family 0: any */
	const char	*label;
	enum mk_cipher	 cipher;
	uint16_t	 iv_len;	/* XOR: 4 or 8 */
	uint16_t	 icv_len;	/* 0 or MK_ICV_LEN */
	bool		 esn;
	uint32_t	 seq_hi;	/* under ESN */
	uint64_t	 seen;		/* sequence numbers 0..63 seen */
};

struct mk_ring {
	struct mk_sa	 sa[MK_MAX_SA];
	unsigned	 nsa;
	unsigned	 opens, learns;
};

static inline struct ds_addr
mk_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ds_addr x;

	memset(&x, 0, sizeof x);
	x.family = DS_AF_INET;
	x.a[0] = a;
	x.a[1] = b;
	x.a[2] = c;
	x.a[3] = d;
	return x;
}

static inline bool
mk_addr_ok(const struct ds_addr *want, const struct ds_addr *got)
{
	return want->family == DS_AF_ANY || ds_addr_eq(want, got);
}

static inline bool
mk_lookup(void *ctx, uint8_t proto, uint32_t spi, const struct ds_addr *src,
    const struct ds_addr *dst, struct ds_sa_ref *out)
{
	struct mk_ring *r = ctx;
	struct mk_sa *s, *spi_match = NULL;
	unsigned i;

	if (proto != DS_IPPROTO_ESP)
		return false;
	for (i = 0; i < r->nsa; i++) {
		s = &r->sa[i];
		if (s->spi != spi)
			continue;
		if (mk_addr_ok(&s->src, src) && mk_addr_ok(&s->dst, dst)) {
			spi_match = s;
			out->spi_only = false;
			break;
		}
		if (spi_match == NULL) {
			spi_match = s;
			out->spi_only = true;
		}
	}
	if (spi_match == NULL)
		return false;
	out->sa = spi_match;
	out->id = (uint32_t)(spi_match - r->sa) + 1;
	out->label = spi_match->label;
	out->esn = spi_match->esn;
	out->icv_len = spi_match->icv_len;
	return true;
}

/* The fake ICV over SPI, sequence (and seq_hi), IV and ciphertext. */
static inline void
mk_icv(const struct mk_sa *s, uint32_t seq, const uint8_t *p, size_t n,
    uint8_t icv[MK_ICV_LEN])
{
	unsigned sum = 0, k;
	size_t i;

	for (k = 0; k < 4; k++)
		sum += (s->spi >> (8 * k)) + (seq >> (8 * k)) +
		    (s->esn ? s->seq_hi >> (8 * k) : 0);
	for (i = 0; i < n; i++)
		sum = sum * 31 + p[i];
	for (k = 0; k < MK_ICV_LEN; k++)
		icv[k] = (uint8_t)(0xa5 ^ k ^ (sum >> (k % 4 * 8)));
}

static inline void
mk_xor(const struct mk_sa *s, const uint8_t *iv, const uint8_t *in,
    uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(in[i] ^ iv[i % s->iv_len] ^ 0x5c);
}

static inline enum ds_err
mk_open(void *ctx, const struct ds_sa_ref *ref, struct ds_sa_open *req)
{
	struct mk_ring *r = ctx;
	const struct mk_sa *cs = ref->sa;
	struct mk_sa *s = &r->sa[cs - r->sa];
	uint8_t icv[MK_ICV_LEN];
	size_t ct;

	r->opens++;
	req->seq_hi = s->esn ? s->seq_hi : 0;
	req->verdict = s->icv_len > 0 ? DS_ICV_UNCHECKED : DS_ICV_NONE;
	if (s->cipher == MK_UNSUPP)
		return DS_EUNSUPP;
	if (req->data.len < (size_t)s->iv_len + s->icv_len)
		return DS_EMALFORMED;
	ct = req->data.len - s->iv_len - s->icv_len;
	if (ct % 4 != 0)		/* RFC 4303 2.4: 4-byte alignment */
		return DS_EMALFORMED;
	req->is_replay = req->seq < 64 && (s->seen >> req->seq & 1);
	if (s->icv_len > 0) {
		mk_icv(s, req->seq, req->data.p, req->data.len - s->icv_len,
		    icv);
		if (memcmp(icv, req->data.p + req->data.len - s->icv_len,
		    MK_ICV_LEN) != 0) {
			req->verdict = DS_ICV_BAD;
			return DS_EAUTH;
		}
		req->verdict = DS_ICV_GOOD;
	}
	if (req->outcap < ct)
		return DS_EMALFORMED;
	if (s->cipher == MK_XOR)
		mk_xor(s, req->data.p, req->data.p + s->iv_len, req->out, ct);
	else
		memcpy(req->out, req->data.p, ct);
	req->iv_len = s->iv_len;
	req->plain.p = req->out;
	req->plain.len = ct;
	if (req->seq < 64)
		s->seen |= (uint64_t)1 << req->seq;
	return DS_OK;
}

static inline void
mk_learn(void *ctx, const struct ds_ike_facts *fa)
{
	struct mk_ring *r = ctx;

	(void)fa;
	r->learns++;
}

static inline struct ds_keyring
mk_keyring(struct mk_ring *r)
{
	struct ds_keyring k = { r, mk_lookup, mk_open, mk_learn };

	return k;
}

/* An engine that uses `kr` (which must outlive it). */
static inline struct ds_engine *
mk_engine(const struct ds_keyring *kr)
{
	struct ds_engine_cfg cfg;
	struct ds_engine *e;

	ds_engine_cfg_default(&cfg);
	cfg.keyring = kr;
	e = ds_engine_new(&cfg);
	cr_assert_not_null(e);
	return e;
}

static inline struct mk_sa *
mk_add(struct mk_ring *r, uint32_t spi, enum mk_cipher c, uint16_t iv_len,
    uint16_t icv_len, const char *label)
{
	struct mk_sa *s;

	cr_assert_lt(r->nsa, MK_MAX_SA);
	s = &r->sa[r->nsa++];
	memset(s, 0, sizeof *s);
	s->spi = spi;
	s->cipher = c;
	s->iv_len = iv_len;
	s->icv_len = icv_len;
	s->label = label;
	return s;
}

/* How a built packet's trailer is to be spoilt. */
struct mk_opts {
	int		 pad_len;	/* -1: fill to a multiple of 4 */
	bool		 bad_pad;	/* one padding byte wrong */
	bool		 bad_icv;	/* one ICV byte wrong */
	int		 pad_len_byte;	/* >= 0: Pad Length as sent */
	size_t		 tfc;		/* TFC bytes after payload */
	bool		 no_trailer;	/* only the payload */
};

#define MK_OPTS_DEFAULT	{ -1, false, false, -1, 0, false }

static inline void
mk_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Writes SPI, sequence, IV, encrypted (payload, TFC, padding, trailer) and
 * ICV for SA `s` at out; returns the length.
 */
static inline size_t
mk_esp(const struct mk_sa *s, uint32_t seq, const uint8_t *pay, size_t len,
    uint8_t nxt, const struct mk_opts *o, uint8_t *out, size_t cap)
{
	uint8_t pt[2048];
	size_t n = 0, pad, i, ct;
	uint8_t *p = out;

	cr_assert_lt(len + o->tfc + 255 + 2, sizeof pt);
	memcpy(pt, pay, len);
	n = len;
	for (i = 0; i < o->tfc; i++)
		pt[n++] = 0;
	if (!o->no_trailer) {
		pad = o->pad_len >= 0 ? (size_t)o->pad_len :
		    (4 - (n + 2) % 4) % 4;
		for (i = 0; i < pad; i++)
			pt[n++] = (uint8_t)(i + 1);
		if (o->bad_pad && pad > 0)
			pt[n - 1] ^= 0x80;
		pt[n++] = o->pad_len_byte >= 0 ? (uint8_t)o->pad_len_byte :
		    (uint8_t)pad;
		pt[n++] = nxt;
	}
	ct = n;
	cr_assert_leq(8 + s->iv_len + ct + s->icv_len, cap);
	mk_put32(p, s->spi);
	mk_put32(p + 4, seq);
	for (i = 0; i < s->iv_len; i++)
		p[8 + i] = (uint8_t)(0x30 + i + seq);
	if (s->cipher == MK_XOR)
		mk_xor(s, p + 8, pt, p + 8 + s->iv_len, ct);
	else
		memcpy(p + 8 + s->iv_len, pt, ct);
	if (s->icv_len > 0) {
		mk_icv(s, seq, p + 8, s->iv_len + ct, p + 8 + s->iv_len + ct);
		if (o->bad_icv)
			p[8 + s->iv_len + ct + 3] ^= 1;
	}
	return 8 + s->iv_len + ct + s->icv_len;
}

/* An IPv4 header (no options) for `plen` bytes of protocol `proto`. */
static inline size_t
mk_ipv4(uint8_t *out, uint8_t proto, const struct ds_addr *src,
    const struct ds_addr *dst, size_t plen)
{
	size_t tot = 20 + plen;

	memset(out, 0, 20);
	out[0] = 0x45;
	out[2] = (uint8_t)(tot >> 8);
	out[3] = (uint8_t)tot;
	out[8] = 64;
	out[9] = proto;
	memcpy(out + 12, src->a, 4);
	memcpy(out + 16, dst->a, 4);
	return 20;
}

/* An IPv6 header for `plen` bytes of `nxt`, 2001:db8::s > 2001:db8::d. */
static inline size_t
mk_ipv6(uint8_t *out, uint8_t nxt, uint8_t s, uint8_t d, size_t plen)
{
	memset(out, 0, 40);
	out[0] = 0x60;
	out[4] = (uint8_t)(plen >> 8);
	out[5] = (uint8_t)plen;
	out[6] = nxt;
	out[7] = 64;
	out[8] = 0x20;
	out[9] = 0x01;
	out[10] = 0x0d;
	out[11] = 0xb8;
	out[23] = s;
	out[24] = 0x20;
	out[25] = 0x01;
	out[26] = 0x0d;
	out[27] = 0xb8;
	out[39] = d;
	return 40;
}

static inline size_t
mk_udp(uint8_t *out, uint16_t sport, uint16_t dport, size_t plen)
{
	size_t len = 8 + plen;

	out[0] = (uint8_t)(sport >> 8);
	out[1] = (uint8_t)sport;
	out[2] = (uint8_t)(dport >> 8);
	out[3] = (uint8_t)dport;
	out[4] = (uint8_t)(len >> 8);
	out[5] = (uint8_t)len;
	out[6] = 0;
	out[7] = 0;
	return 8;
}

#endif
