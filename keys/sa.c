/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-SA crypto (not written yet: nothing is found, nothing opened). */
#include "keys_int.h"

void
ks_sa_crypto_free(struct ks_sa_crypto *c)
{
	(void)c;
}

static bool
lookup(void *ctx, uint8_t proto, uint32_t spi, const struct ds_addr *src,
    const struct ds_addr *dst, struct ds_sa_ref *out)
{
	(void)ctx;
	(void)proto;
	(void)spi;
	(void)src;
	(void)dst;
	(void)out;
	return false;
}

static enum ds_err
sa_open(void *ctx, const struct ds_sa_ref *ref, struct ds_sa_open *req)
{
	(void)ctx;
	(void)ref;
	(void)req;
	return DS_EUNSUPP;
}

struct ds_keyring
ks_keyring(struct ks_store *ks)
{
	struct ds_keyring kr = { ks, lookup, sa_open, NULL };

	return kr;
}
