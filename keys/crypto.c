/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The algorithms of a store: one OpenSSL library context with the default
 * and (when present) legacy providers, and each EVP cipher and MAC fetched
 * once, on first use, for every SA that needs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/provider.h>

#include "keys_int.h"
#include "alg_list.h"

#define KS_LIB_CIPHERS	24

struct ks_lib {
	OSSL_LIB_CTX		*ctx;
	OSSL_PROVIDER		*deflt, *legacy;
	bool			 legacy_tried;
	struct {
		char		 name[32];
		EVP_CIPHER	*c;
	}			 ciph[KS_LIB_CIPHERS];
	size_t			 nciph;
	EVP_MAC			*hmac, *cmac;
	bool			 warned[KS_ALG_COUNT_];
};

enum ds_err
ks_lib_new(struct ks_store *ks)
{
	struct ks_lib *l;

	if (ks->lib != NULL)
		return DS_OK;
	if ((l = calloc(1, sizeof *l)) == NULL)
		return DS_ENOMEM;
	if ((l->ctx = OSSL_LIB_CTX_new()) == NULL ||
	    (l->deflt = OSSL_PROVIDER_load(l->ctx, "default")) == NULL) {
		ks_lib_free(l);
		return DS_ECRYPTO;
	}
	ks->lib = l;
	return DS_OK;
}

void
ks_lib_free(struct ks_lib *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nciph; i++)
		EVP_CIPHER_free(l->ciph[i].c);
	EVP_MAC_free(l->hmac);
	EVP_MAC_free(l->cmac);
	if (l->legacy != NULL)
		OSSL_PROVIDER_unload(l->legacy);
	if (l->deflt != NULL)
		OSSL_PROVIDER_unload(l->deflt);
	OSSL_LIB_CTX_free(l->ctx);
	free(l);
}

static void
warn_once(struct ks_store *ks, const struct ks_alg *a, const char *why)
{
	size_t i = ks_alg_id(a);

	if (ks->lib->warned[i])
		return;
	ks->lib->warned[i] = true;
	ks_store_warn(ks, "%s: %s", a->name, why);
}

/* The EVP name of a cipher row at a key length; false: OpenSSL has none. */
static bool
evp_name(const struct ks_alg *a, size_t keylen, char *buf, size_t len)
{
	const char *fixed = NULL, *aes = NULL;

	switch (ks_alg_id(a)) {
	case KS_ENC_DES:		fixed = "DES-CBC"; break;
	case KS_ENC_3DES:		fixed = "DES-EDE3-CBC"; break;
	case KS_ENC_BLOWFISH:		fixed = "BF-CBC"; break;
	case KS_ENC_CAST:		fixed = "CAST5-CBC"; break;
	case KS_AEAD_CHACHA20_POLY1305:	fixed = "ChaCha20-Poly1305"; break;
	case KS_INTEG_AES_XCBC_96:	fixed = "AES-128-ECB"; break;
	case KS_ENC_AES_CBC:		aes = "CBC"; break;
	case KS_ENC_AES_CTR:		aes = "CTR"; break;
	case KS_AEAD_AES_GCM_8:
	case KS_AEAD_AES_GCM_12:
	case KS_AEAD_AES_GCM_16:
	case KS_AEAD_AES_GMAC:
	case KS_INTEG_AES_128_GMAC:
	case KS_INTEG_AES_192_GMAC:
	case KS_INTEG_AES_256_GMAC:	aes = "GCM"; break;
	case KS_AEAD_AES_CCM_8:
	case KS_AEAD_AES_CCM_12:
	case KS_AEAD_AES_CCM_16:	aes = "CCM"; break;
	default:
		return false;
	}
	if (fixed != NULL)
		snprintf(buf, len, "%s", fixed);
	else
		snprintf(buf, len, "AES-%u-%s", (unsigned)keylen * 8, aes);
	return true;
}

EVP_CIPHER *
ks_lib_cipher(struct ks_store *ks, const struct ks_alg *a, size_t keylen)
{
	struct ks_lib *l = ks->lib;
	char name[32];
	EVP_CIPHER *c;
	size_t i;

	if (!evp_name(a, keylen, name, sizeof name)) {
		warn_once(ks, a, "OpenSSL has no such cipher; packets of "
		    "this SA stay encrypted");
		return NULL;
	}
	for (i = 0; i < l->nciph; i++)
		if (strcmp(l->ciph[i].name, name) == 0)
			return l->ciph[i].c;
	if (a->is_legacy && !l->legacy_tried) {
		l->legacy_tried = true;
		l->legacy = OSSL_PROVIDER_load(l->ctx, "legacy");
	}
	if ((c = EVP_CIPHER_fetch(l->ctx, name, NULL)) == NULL) {
		if (a->is_legacy)
			warn_once(ks, a, "needs OpenSSL's legacy provider, "
			    "which did not load: install it (legacy.so, "
			    "Debian package libssl3) or point OPENSSL_MODULES "
			    "at its directory");
		else
			warn_once(ks, a, "the cipher is not available in "
			    "this OpenSSL");
		return NULL;
	}
	if (l->nciph == KS_LIB_CIPHERS) {
		EVP_CIPHER_free(c);
		return NULL;
	}
	snprintf(l->ciph[l->nciph].name, sizeof l->ciph[0].name, "%s", name);
	l->ciph[l->nciph++].c = c;
	return c;
}

EVP_MAC *
ks_lib_mac(struct ks_store *ks, const char *name)
{
	struct ks_lib *l = ks->lib;
	EVP_MAC **m = strcmp(name, "CMAC") == 0 ? &l->cmac : &l->hmac;

	if (*m == NULL)
		*m = EVP_MAC_fetch(l->ctx, name, NULL);
	return *m;
}
