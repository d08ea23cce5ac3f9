/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keystore: SA secrets loaded from the files people already have,
 * checked against their algorithms, and offered to libdissect as a
 * struct ds_keyring.  Secrets live only in struct ks_secret and are wiped
 * with OPENSSL_cleanse() when freed; nothing here prints them.
 */
#ifndef KEYS_KEYS_H
#define KEYS_KEYS_H

#include "dissect/base.h"
#include "dissect/keyring.h"

#define KS_KEY_MAX	64	/* octets of one key, salt included */
#define KS_LABEL_MAX	64

/* ---- algorithms (keys/alg.c) ------------------------------------------ */

enum ks_alg_kind {
	KS_ALG_ENC,		/* a cipher, integrity separate */
	KS_ALG_AEAD,		/* a combined mode: no separate integrity */
	KS_ALG_INTEG,		/* an integrity algorithm (ESP or AH) */
};

/*
 * One row per algorithm, canonical names as in the native key format
 * (docs/keys.md).  Rows are in keys/alg_list.h; add a line there and
 * nowhere else.
 */
struct ks_alg {
	const char	*name;		/* "aes-gcm-16", "hmac-sha2-256-128" */
	enum ks_alg_kind kind;
	uint16_t	 ikev2_id;	/* IANA Transform Type 1 or 3; 0: none */
	uint8_t		 key_min, key_max;	/* octets, without salt */
	uint8_t		 key_step;	/* allowed lengths: min, min+step ... */
	uint8_t		 salt_len;	/* RFC 4106/4309/4543/7634/3686 tail */
	uint8_t		 iv_len;	/* octets on the wire */
	uint8_t		 icv_len;	/* AEAD tag or truncated MAC */
	uint8_t		 block;		/* payload alignment (RFC 4303 2.4) */
	bool		 is_legacy;	/* needs OpenSSL's legacy provider */
	bool		 is_unchecked;	/* "any-96": ICV skipped, no key */
};

const struct ks_alg	*ks_alg_by_name(const char *);	/* case-insensitive */
const struct ks_alg	*ks_alg_by_ikev2(enum ks_alg_kind, uint16_t id);
/* All rows, for listings and tests; *n is set to the count. */
const struct ks_alg	*ks_alg_all(size_t *n);
/* Is a key of len octets (salt included) right for the algorithm? */
bool			 ks_alg_key_ok(const struct ks_alg *, size_t len);

/* ---- secrets (keys/secret.c) ------------------------------------------ */

struct ks_secret {
	uint8_t		 p[KS_KEY_MAX];
	size_t		 len;
};
void	ks_secret_set(struct ks_secret *, const uint8_t *, size_t);
void	ks_secret_wipe(struct ks_secret *);	/* OPENSSL_cleanse */
/*
 * Parses hex ("0x" prefix, ':' or ' ' separators allowed) into s.  False
 * on a bad digit, an odd count or more than KS_KEY_MAX octets.
 */
bool	ks_secret_from_hex(struct ks_secret *, const char *hex, size_t len);

/* ---- what a loader hands the store ---------------------------------- */

/* An address, a prefix, or anything (family DS_AF_ANY). */
struct ks_addr_match {
	struct ds_addr	 a;
	uint8_t		 mask[16];	/* 0xff octets must match a */
};
bool	ks_addr_match(const struct ks_addr_match *, const struct ds_addr *);
/* Parses "*", "192.0.2.1", "10.0.0.0/8", "2001:db8::/32", "10.1.*.*". */
bool	ks_addr_match_parse(struct ks_addr_match *, const char *s, size_t len);

struct ks_sa_spec {
	uint8_t		 proto;		/* DS_IPPROTO_ESP or DS_IPPROTO_AH */
	uint32_t	 spi;
	bool		 spi_any;	/* SPI not known: found by trial */
	struct ks_addr_match src, dst;
	const struct ks_alg *enc;	/* NULL for AH */
	const struct ks_alg *integ;	/* NULL for AEAD */
	struct ks_secret enc_key;	/* salt or nonce at its end */
	struct ks_secret integ_key;
	bool		 esn;
	uint32_t	 replay_window;	/* packets; 0: the default (64) */
	uint32_t	 seq_hi;	/* ESN: high half to start from */
	bool		 encap_udp;	/* RFC 3948, as xfrm's encap espinudp */
	uint16_t	 encap_sport, encap_dport;
	char		 label[KS_LABEL_MAX];	/* "" : the store makes one */
	char		 origin[KS_LABEL_MAX];	/* "file:line", for messages */
};
/* Wipes both secrets of a spec (loaders call it on every exit). */
void	ks_sa_spec_wipe(struct ks_sa_spec *);

/*
 * IKEv2 SA keys (Wireshark ikev2_decryption_table): kept for IKE
 * decryption; ESP does not use them.
 */
struct ks_ike_spec {
	uint8_t		 spi_i[8], spi_r[8];
	const char	*enc_name, *integ_name;	/* as the file spells them */
	struct ks_secret sk_ei, sk_er, sk_ai, sk_ar;
	char		 origin[KS_LABEL_MAX];
};
/* Wipes the four keys of an IKE spec. */
void	ks_ike_spec_wipe(struct ks_ike_spec *);

/* ---- the store (keys/store.c) ----------------------------------------- */

struct ks_store;

struct ks_store	*ks_store_new(void);
void		 ks_store_free(struct ks_store *);	/* wipes every key */

/* Warnings (a world-readable key file, a duplicate SA) go here. */
typedef void	(*ks_warn_fn)(void *arg, const char *msg);
void		 ks_store_set_warn(struct ks_store *, ks_warn_fn, void *arg);
void		 ks_store_warn(struct ks_store *, const char *fmt, ...)
		    DS_PRINTF(2, 3);

/*
 * Adds an SA after checking the key lengths against the algorithms; the
 * message in ei is "origin: what is wrong".  The spec is copied; the
 * caller still wipes its own.
 */
DS_MUST_CHECK enum ds_err
		 ks_store_add(struct ks_store *, const struct ks_sa_spec *,
		    struct ds_errinfo *);
size_t		 ks_store_count(const struct ks_store *);
/* IKE SA keys (keys/ike_keys.c); the spec is copied. */
DS_MUST_CHECK enum ds_err
		 ks_store_add_ike(struct ks_store *, const struct ks_ike_spec *,
		    struct ds_errinfo *);
size_t		 ks_store_ike_count(const struct ks_store *);
/* The i-th IKE SA's keys (0-based), NULL past the end; never print them. */
const struct ks_ike_spec *ks_store_ike(const struct ks_store *, size_t i);

/* ---- loading (keys/load.c and keys/load_*.c) -------------------------- */

enum ks_format {
	KS_FMT_AUTO = 0,
	KS_FMT_NATIVE,		/* docs/keys.md */
	KS_FMT_WIRESHARK_ESP,	/* esp_sa UAT */
	KS_FMT_WIRESHARK_IKEV2,	/* ikev2_decryption_table UAT */
	KS_FMT_TCPDUMP,		/* -E secrets, one per line */
	KS_FMT_XFRM,		/* ip [-s] xfrm state */
	KS_FMT_STRONGSWAN,	/* charon log at level 4 */
	KS_FMT_COUNT_
};
const char	*ks_format_name(enum ks_format);

/*
 * Loads a key file, its format detected from its content.  A bad line
 * fails the whole file with "path:line: what is wrong"; a file readable by
 * group or others gets a warning.
 */
DS_MUST_CHECK enum ds_err
		 ks_store_load(struct ks_store *, const char *path,
		    struct ds_errinfo *);
/* The same from memory (tests, fuzzing); name is used in messages. */
DS_MUST_CHECK enum ds_err
		 ks_store_load_buf(struct ks_store *, const char *name,
		    const char *text, size_t len, enum ks_format,
		    struct ds_errinfo *);
/* Which format would be used for this text (KS_FMT_AUTO: none fits). */
enum ks_format	 ks_detect_format(const char *text, size_t len);

/* ---- lookup and opening (keys/store.c, keys/sa.c) --------------------- */

/* What the engine consumes; valid while the store lives. */
struct ds_keyring ks_keyring(struct ks_store *);

/* One SA as listed by tools; keys only when show_keys. */
struct ks_sa_info {
	uint32_t	 id;
	uint8_t		 proto;
	uint32_t	 spi;
	bool		 spi_any;
	const char	*label, *origin;
	const struct ks_alg *enc, *integ;
	bool		 esn;
	uint32_t	 replay_window;
	char		 src[64], dst[64];	/* as matched: "*", prefixes */
};
/* Fills info for the i-th SA (0-based); false past the end. */
bool		 ks_store_sa(const struct ks_store *, size_t i,
		    struct ks_sa_info *);
/* Hex of the SA's keys into buf ("" for none); for --show-keys only. */
void		 ks_store_sa_keys(const struct ks_store *, size_t i,
		    char *enc_hex, size_t enc_len, char *integ_hex,
		    size_t integ_len);

#endif
