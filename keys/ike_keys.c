/* SPDX-License-Identifier: BSD-2-Clause */
/* IKEv2 SA keys read from key files, kept for IKE decryption. */
#include <stdlib.h>

#include <openssl/crypto.h>

#include "keys_int.h"

struct ks_ike_keys {
	struct ks_ike_spec	*v;
	size_t			 n, cap;
};

enum ds_err
ks_store_add_ike(struct ks_store *ks, const struct ks_ike_spec *sp,
    struct ds_errinfo *ei)
{
	struct ks_ike_keys *k = ks->ike;
	struct ks_ike_spec *grown;

	if (k == NULL && (k = ks->ike = calloc(1, sizeof *k)) == NULL)
		return DS_FAIL(ei, DS_ENOMEM, "out of memory");
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 8;

		if ((grown = calloc(cap, sizeof *grown)) == NULL)
			return DS_FAIL(ei, DS_ENOMEM, "out of memory");
		for (size_t i = 0; i < k->n; i++)
			grown[i] = k->v[i];
		if (k->v != NULL) {
			OPENSSL_cleanse(k->v, k->cap * sizeof *k->v);
			free(k->v);
		}
		k->v = grown;
		k->cap = cap;
	}
	k->v[k->n++] = *sp;
	return DS_OK;
}

size_t
ks_store_ike_count(const struct ks_store *ks)
{
	return ks->ike != NULL ? ks->ike->n : 0;
}

const struct ks_ike_spec *
ks_store_ike(const struct ks_store *ks, size_t i)
{
	return ks->ike != NULL && i < ks->ike->n ? &ks->ike->v[i] : NULL;
}

void
ks_ike_keys_free(struct ks_ike_keys *k)
{
	if (k == NULL)
		return;
	if (k->v != NULL) {
		OPENSSL_cleanse(k->v, k->cap * sizeof *k->v);
		free(k->v);
	}
	free(k);
}
