/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the keystore tests: SAs from hex, packets to open. */
#ifndef TESTS_UNIT_T_KEYS_H
#define TESTS_UNIT_T_KEYS_H

#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../keys/keys_int.h"

/* Hex (whitespace ignored) into out; returns the octet count. */
static inline size_t
t_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex != '\0'; hex++) {
		int v;

		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'a' && *hex <= 'f')
			v = *hex - 'a' + 10;
		else if (*hex >= 'A' && *hex <= 'F')
			v = *hex - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		cr_assert_lt(n, cap, "hex longer than its buffer");
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	cr_assert_eq(hi, -1, "odd hex digit count");
	return n;
}

static inline void
t_addr(struct ds_addr *a, const char *s)
{
	memset(a, 0, sizeof *a);
	if (inet_pton(AF_INET, s, a->a) == 1)
		a->family = DS_AF_INET;
	else {
		cr_assert_eq(inet_pton(AF_INET6, s, a->a), 1, "%s", s);
		a->family = DS_AF_INET6;
	}
}

/* A spec: algorithm names as in keys/alg_list.h, "" for none. */
static inline struct ks_sa_spec
t_spec(uint8_t proto, uint32_t spi, const char *enc, const char *ekey,
    const char *integ, const char *ikey)
{
	struct ks_sa_spec sp;
	uint8_t k[KS_KEY_MAX];

	memset(&sp, 0, sizeof sp);
	sp.proto = proto;
	sp.spi = spi;
	if (enc != NULL && *enc != '\0') {
		sp.enc = ks_alg_by_name(enc);
		cr_assert_not_null(sp.enc, "%s", enc);
		ks_secret_set(&sp.enc_key, k, t_hex(ekey, k, sizeof k));
	}
	if (integ != NULL && *integ != '\0') {
		sp.integ = ks_alg_by_name(integ);
		cr_assert_not_null(sp.integ, "%s", integ);
		ks_secret_set(&sp.integ_key, k, t_hex(ikey, k, sizeof k));
	}
	snprintf(sp.origin, sizeof sp.origin, "test:%08x", spi);
	return sp;
}

static inline void
t_add(struct ks_store *ks, const struct ks_sa_spec *sp)
{
	struct ds_errinfo ei = { 0 };
	enum ds_err e = ks_store_add(ks, sp, &ei);

	cr_assert_eq(e, DS_OK, "%s", ei.msg);
}

/* Warnings land here, the last one kept. */
struct t_warn {
	char		 last[400];
	unsigned	 n;
};

static inline void
t_warn_fn(void *arg, const char *msg)
{
	struct t_warn *w = arg;

	snprintf(w->last, sizeof w->last, "%s", msg);
	w->n++;
}

/* An ESP open request over body (everything after SPI and sequence). */
static inline struct ds_sa_open
t_esp_req(uint32_t spi, uint32_t seq, const uint8_t *body, size_t len,
    uint8_t *out, size_t outcap)
{
	struct ds_sa_open r;

	memset(&r, 0, sizeof r);
	r.proto = DS_IPPROTO_ESP;
	r.spi = spi;
	r.seq = seq;
	r.data.p = body;
	r.data.len = len;
	r.out = out;
	r.outcap = outcap;
	return r;
}

/* Looks up (proto, spi) with no addresses and opens req through it. */
static inline enum ds_err
t_open(struct ds_keyring *kr, struct ds_sa_open *req)
{
	struct ds_sa_ref ref;

	if (!kr->lookup(kr->ctx, req->proto, req->spi, NULL, NULL, &ref))
		return DS_ENOKEY;
	return kr->open(kr->ctx, &ref, req);
}

#endif
