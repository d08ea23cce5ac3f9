/* SPDX-License-Identifier: BSD-2-Clause */
/* The keystore's insides, shared by store.c, sa.c and the tests. */
#ifndef KEYS_KEYS_INT_H
#define KEYS_KEYS_INT_H

#include <openssl/evp.h>

#include "keys/keys.h"

struct ks_sa_crypto;		/* keys/sa.c: EVP contexts, replay state */
struct ks_lib;			/* keys/crypto.c: fetched algorithms */

struct ks_sa {
	uint32_t		 id;		/* 1-based position */
	struct ks_sa_spec	 spec;		/* a copy; secrets wiped on free */
	char			 label[KS_LABEL_MAX];
	struct ks_sa_crypto	*crypto;	/* made on first use */
	bool			 is_bound;	/* spi_any SA given an SPI */
	uint32_t		 bound_spi;	/* that SPI */
	uint16_t		 bits;		/* address bits src+dst pin */
};

/*
 * Lookups repeat per packet with few distinct keys: a direct-mapped cache
 * of (proto, SPI, addresses) -> SA, emptied whenever the SAs change; a
 * slot without an SA is empty.
 */
#define KS_CACHE_SLOTS	1024
struct ks_cache_slot {
	bool			 spi_only;
	uint8_t			 proto;
	uint32_t		 spi;
	struct ds_addr		 src, dst;
	const struct ks_sa	*sa;
};

/* An SPI tried against the spi_any SAs: how often none opened it. */
struct ks_bind {
	uint8_t			 proto;
	uint32_t		 spi;
	unsigned		 fails;		/* packets none opened */
};

/* What lookup saw of a packet whose SPI no SA has: open tries the keys. */
struct ks_trial {
	uint8_t			 proto;
	uint32_t		 spi;
	struct ds_addr		 src, dst;
};

struct ks_ike_keys;		/* keys/ike_keys.c */

struct ks_store {
	struct ks_sa		**sa;
	size_t			 n, cap;
	struct ks_ike_keys	*ike;
	ks_warn_fn		 warn;
	void			*warn_arg;
	struct ks_lib		*lib;		/* made on first open */
	struct ks_bind		*bind;
	size_t			 nbind, capbind;
	struct ks_trial		 trial;		/* ds_sa_ref.sa of a trial */
	struct ks_cache_slot	*cache;		/* KS_CACHE_SLOTS, or NULL */
};

/* keys/ike_keys.c */
void	ks_ike_keys_free(struct ks_ike_keys *);

/* keys/replay.c: the window and RFC 4303 A2 */
struct ks_replay {
	uint64_t		 top;		/* highest authenticated */
	bool			 any;		/* top is valid */
	uint32_t		 size;		/* window, packets */
	uint64_t		 nbits;		/* ring bits, >= size */
	uint64_t		*bits;
};
DS_MUST_CHECK enum ds_err
	ks_replay_init(struct ks_replay *, uint32_t size);	/* 0: 64 */
void	ks_replay_fini(struct ks_replay *);
bool	ks_replay_check(const struct ks_replay *, uint64_t seq);
void	ks_replay_advance(struct ks_replay *, uint64_t seq);
uint32_t ks_esn_seqhi(const struct ks_replay *, uint32_t seql,
	    uint32_t start_hi);

/* keys/addr.c */
unsigned ks_addr_match_bits(const struct ks_addr_match *);
/* As ks_addr_match_parse() reads it: "*", "10.0.0.0/8", "10.1.*.*" ... */
void	ks_addr_match_fmt(const struct ks_addr_match *, char *buf,
	    size_t len);

/* keys/store.c */
bool	ks_store_lookup(struct ks_store *, uint8_t proto, uint32_t spi,
	    const struct ds_addr *src, const struct ds_addr *dst,
	    struct ds_sa_ref *);
/* Is sa an spi_any key still free to try on a packet of proto there? */
bool	ks_sa_may_try(const struct ks_sa *, uint8_t proto,
	    const struct ds_addr *src, const struct ds_addr *dst);
/* Binds an spi_any SA to spi for the rest of the run. */
void	ks_store_bind(struct ks_store *, uint32_t spi, struct ks_sa *);
/* A packet of spi no candidate opened: lookup gives up after a few. */
void	ks_store_bind_failed(struct ks_store *, uint8_t proto, uint32_t spi);

/* keys/crypto.c: algorithms fetched once per store */
DS_MUST_CHECK enum ds_err
	ks_lib_new(struct ks_store *);
void	ks_lib_free(struct ks_lib *);

/*
 * The EVP cipher for an algorithm and key length (salt excluded), fetched
 * on first use; NULL when it is not available (DS_EUNSUPP, warned once).
 */
EVP_CIPHER *ks_lib_cipher(struct ks_store *,
	    const struct ks_alg *, size_t keylen);
EVP_MAC	*ks_lib_mac(struct ks_store *, const char *name);
/* keys/secret.c: a hex digit's value, -1 for any other character */
int	ks_hex_digit(char);

/* keys/sa.c */
void	ks_sa_crypto_free(struct ks_sa_crypto *);
/* Opens req with sa; the trial path of open calls it per candidate. */
enum ds_err ks_sa_open(struct ks_store *, struct ks_sa *,
	    struct ds_sa_open *req, bool trial);

#endif
