/* SPDX-License-Identifier: BSD-2-Clause */
/* The keystore's insides, shared by store.c, sa.c and the tests. */
#ifndef KEYS_KEYS_INT_H
#define KEYS_KEYS_INT_H

#include "keys/keys.h"

struct ks_sa_crypto;		/* keys/sa.c: EVP contexts, replay state */

struct ks_sa {
	uint32_t		 id;		/* 1-based position */
	struct ks_sa_spec	 spec;		/* a copy; secrets wiped on free */
	char			 label[KS_LABEL_MAX];
	struct ks_sa_crypto	*crypto;	/* made on first use */
};

struct ks_ike_keys;		/* keys/ike_keys.c */

struct ks_store {
	struct ks_sa		**sa;
	size_t			 n, cap;
	struct ks_ike_keys	*ike;
	ks_warn_fn		 warn;
	void			*warn_arg;
};

/* keys/ike_keys.c */
void	ks_ike_keys_free(struct ks_ike_keys *);

/* keys/secret.c: a hex digit's value, -1 for any other character */
int	ks_hex_digit(char);

/* keys/sa.c */
void	ks_sa_crypto_free(struct ks_sa_crypto *);

#endif
