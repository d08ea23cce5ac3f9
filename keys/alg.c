/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The algorithm table: lengths and IANA numbers of every ESP and AH
 * algorithm, from keys/alg_list.h.
 * RFC 4835/8221 (the set), RFC 7296 3.3.2 (transform ids).
 */
#include <strings.h>

#include "keys/keys.h"
#include "alg_list.h"

static const struct ks_alg algs[] = {
#define X(sym, nm, kd, id, kmin, kmax, kstep, salt, iv, icv, blk, leg, unc) \
	[sym] = { nm, KS_ALG_##kd, id, kmin, kmax, kstep, salt, iv, icv, \
	    blk, leg, unc },
	KS_ALG_LIST(X)
#undef X
};

const struct ks_alg *
ks_alg_all(size_t *n)
{
	*n = DS_NELEM(algs);
	return algs;
}

enum ks_alg_id
ks_alg_id(const struct ks_alg *a)
{
	return a == NULL ? KS_ALG_COUNT_ : (enum ks_alg_id)(a - algs);
}

const struct ks_alg *
ks_alg_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < DS_NELEM(algs); i++)
		if (strcasecmp(algs[i].name, name) == 0)
			return &algs[i];
	return NULL;
}

const struct ks_alg *
ks_alg_by_ikev2(enum ks_alg_kind kind, uint16_t id)
{
	size_t i;

	/* Transform Type 1 holds ciphers and combined modes alike. */
	for (i = 0; i < DS_NELEM(algs); i++) {
		bool enc = algs[i].kind != KS_ALG_INTEG;

		if (enc == (kind != KS_ALG_INTEG) && algs[i].ikev2_id == id &&
		    !algs[i].is_unchecked && (id != 0 || !enc))
			return &algs[i];
	}
	return NULL;
}

bool
ks_alg_key_ok(const struct ks_alg *a, size_t len)
{
	size_t k;

	if (len < a->salt_len)
		return false;
	k = len - a->salt_len;
	if (k < a->key_min || k > a->key_max)
		return false;
	return a->key_step <= 1 || (k - a->key_min) % a->key_step == 0;
}
