/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every algorithm the keystore knows, one line each.  Columns:
 * symbol, canonical name, kind, IKEv2 transform id (RFC 7296 3.3.2, IANA
 * "Transform Type 1/3"), key octets min/max/step (without salt), salt,
 * IV, ICV and block octets, legacy provider, unchecked.
 *
 * Salt (RFC 4106 4, RFC 4309 4, RFC 4543 3.2, RFC 7634 2, RFC 3686 5.1) is
 * the tail of the key material, as ip xfrm and IKEv2 KEYMAT give it.
 * Block is the payload alignment of RFC 4303 2.4: the cipher block, or 4.
 */
#ifndef KEYS_ALG_LIST_H
#define KEYS_ALG_LIST_H

#define KS_ALG_LIST(X)							\
	/* ciphers */							\
	X(KS_ENC_NULL,	"null",	ENC, 11,	0, 0, 1,  0, 0, 0, 4, 0, 0) \
	X(KS_ENC_DES,	"des-cbc", ENC, 2,	8, 8, 1,  0, 8, 0, 8, 1, 0) \
	X(KS_ENC_3DES,	"3des-cbc", ENC, 3,	24, 24, 1, 0, 8, 0, 8, 0, 0) \
	X(KS_ENC_AES_CBC, "aes-cbc", ENC, 12,	16, 32, 8, 0, 16, 0, 16, 0, 0) \
	X(KS_ENC_AES_CTR, "aes-ctr", ENC, 13,	16, 32, 8, 4, 8, 0, 4, 0, 0) \
	X(KS_ENC_BLOWFISH, "blowfish-cbc", ENC, 7, 5, 56, 1, 0, 8, 0, 8, 1, 0) \
	X(KS_ENC_CAST,	"cast128-cbc", ENC, 6,	5, 16, 1, 0, 8, 0, 8, 1, 0) \
	/* Wireshark decrypts it; OpenSSL has no Twofish: DS_EUNSUPP */	\
	X(KS_ENC_TWOFISH, "twofish-cbc", ENC, 0, 16, 32, 8, 0, 16, 0, 16, 0, 0)\
	/* combined modes */						\
	X(KS_AEAD_AES_GCM_8, "aes-gcm-8", AEAD, 18, 16, 32, 8, 4, 8, 8, 4, 0, 0) \
	X(KS_AEAD_AES_GCM_12, "aes-gcm-12", AEAD, 19, 16, 32, 8, 4, 8, 12, 4, 0, 0) \
	X(KS_AEAD_AES_GCM_16, "aes-gcm-16", AEAD, 20, 16, 32, 8, 4, 8, 16, 4, 0, 0) \
	X(KS_AEAD_AES_CCM_8, "aes-ccm-8", AEAD, 14, 16, 32, 8, 3, 8, 8, 4, 0, 0) \
	X(KS_AEAD_AES_CCM_12, "aes-ccm-12", AEAD, 15, 16, 32, 8, 3, 8, 12, 4, 0, 0) \
	X(KS_AEAD_AES_CCM_16, "aes-ccm-16", AEAD, 16, 16, 32, 8, 3, 8, 16, 4, 0, 0) \
	X(KS_AEAD_AES_GMAC, "aes-gmac", AEAD, 21, 16, 32, 8, 4, 8, 16, 4, 0, 0) \
	X(KS_AEAD_CHACHA20_POLY1305, "chacha20-poly1305", AEAD, 28,	\
	    32, 32, 1, 4, 8, 16, 4, 0, 0)				\
	/* integrity */							\
	X(KS_INTEG_NONE, "none", INTEG, 0,	0, 0, 1,  0, 0, 0, 0, 0, 0) \
	X(KS_INTEG_MD5_96, "hmac-md5-96", INTEG, 1, 16, 16, 1, 0, 0, 12, 0, 0, 0) \
	X(KS_INTEG_SHA1_96, "hmac-sha1-96", INTEG, 2, 20, 20, 1, 0, 0, 12, 0, 0, 0) \
	X(KS_INTEG_AES_XCBC_96, "aes-xcbc-96", INTEG, 5, 16, 16, 1, 0, 0, 12, 0, 0, 0) \
	X(KS_INTEG_AES_CMAC_96, "aes-cmac-96", INTEG, 8, 16, 16, 1, 0, 0, 12, 0, 0, 0) \
	X(KS_INTEG_AES_128_GMAC, "aes-128-gmac", INTEG, 9,		\
	    16, 16, 1, 4, 8, 16, 0, 0, 0)				\
	X(KS_INTEG_AES_192_GMAC, "aes-192-gmac", INTEG, 10,		\
	    24, 24, 1, 4, 8, 16, 0, 0, 0)				\
	X(KS_INTEG_AES_256_GMAC, "aes-256-gmac", INTEG, 11,		\
	    32, 32, 1, 4, 8, 16, 0, 0, 0)				\
	X(KS_INTEG_SHA256_128, "hmac-sha2-256-128", INTEG, 12,		\
	    32, 32, 1, 0, 0, 16, 0, 0, 0)				\
	X(KS_INTEG_SHA384_192, "hmac-sha2-384-192", INTEG, 13,		\
	    48, 48, 1, 0, 0, 24, 0, 0, 0)				\
	X(KS_INTEG_SHA512_256, "hmac-sha2-512-256", INTEG, 14,		\
	    64, 64, 1, 0, 0, 32, 0, 0, 0)				\
	/* draft-ietf-ipsec-ciph-sha-256-00, still in Linux and Wireshark */ \
	X(KS_INTEG_SHA256_96, "hmac-sha2-256-96", INTEG, 0,		\
	    32, 32, 1, 0, 0, 12, 0, 0, 0)				\
	/* an ICV of this length is there, its key is not known */	\
	X(KS_INTEG_ANY_64, "any-64", INTEG, 0,	0, 0, 1, 0, 0, 8, 0, 0, 1) \
	X(KS_INTEG_ANY_96, "any-96", INTEG, 0,	0, 0, 1, 0, 0, 12, 0, 0, 1) \
	X(KS_INTEG_ANY_128, "any-128", INTEG, 0, 0, 0, 1, 0, 0, 16, 0, 0, 1) \
	X(KS_INTEG_ANY_192, "any-192", INTEG, 0, 0, 0, 1, 0, 0, 24, 0, 0, 1) \
	X(KS_INTEG_ANY_256, "any-256", INTEG, 0, 0, 0, 1, 0, 0, 32, 0, 0, 1)

#define X(sym, name, kind, id, kmin, kmax, kstep, salt, iv, icv, blk, leg, unc) \
	sym,
enum ks_alg_id { KS_ALG_LIST(X) KS_ALG_COUNT_ };
#undef X

struct ks_alg;
/* The row of a table entry; KS_ALG_COUNT_ for NULL. */
enum ks_alg_id	ks_alg_id(const struct ks_alg *);

#endif
