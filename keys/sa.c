/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Opening ESP and AH packets of an SA: one EVP context per SA, keyed once,
 * with only the IV or nonce changing per packet; the ICV or tag checked
 * before anything is decrypted (or, for AEAD, before plaintext is kept);
 * the sequence history advanced only after that.
 * RFC 4303 2, 3.3.2.1, 3.4.3, 3.4.4, A2 (ESP, ESN); RFC 4302 2.5.1, 3.3.3
 * (AH); RFC 2404, 2403, 4868 (HMAC-96/-128...); RFC 3566 (AES-XCBC-MAC-96);
 * RFC 4494 (AES-CMAC-96); RFC 3602 (AES-CBC); RFC 3686 (AES-CTR); RFC 4106
 * (GCM); RFC 4309 (CCM); RFC 4543 (GMAC); RFC 7634 (ChaCha20-Poly1305).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/params.h>

#include "dissect/cur.h"
#include "keys_int.h"
#include "alg_list.h"

#define KS_MAC_MAX	64	/* octets of the longest untruncated MAC */

struct ks_sa_crypto {
	EVP_CIPHER_CTX		*cctx;		/* cipher, AEAD or AH GMAC */
	EVP_MAC_CTX		*mctx;		/* HMAC or CMAC */
	EVP_CIPHER_CTX		*xctx;		/* AES-XCBC: AES-128-ECB, K1 */
	uint8_t			 xk2[16], xk3[16];	/* RFC 3566 4 */
	uint8_t			 salt[4];	/* key tail, RFC 4106 4 ... */
	enum ks_alg_id		 id;		/* cctx's algorithm */
	bool			 is_cbc;	/* chained: see cbc_open() */
	uint8_t			 chain[16];	/* the context's running IV */
	struct ks_replay	 replay;
	enum ds_err		 err;		/* DS_OK: usable */
};

void
ks_sa_crypto_free(struct ks_sa_crypto *c)
{
	if (c == NULL)
		return;
	EVP_CIPHER_CTX_free(c->cctx);	/* cleanses the key schedule */
	EVP_CIPHER_CTX_free(c->xctx);
	EVP_MAC_CTX_free(c->mctx);
	ks_replay_fini(&c->replay);
	OPENSSL_cleanse(c, sizeof *c);
	free(c);
}

static bool
is_ccm(enum ks_alg_id id)
{
	return id == KS_AEAD_AES_CCM_8 || id == KS_AEAD_AES_CCM_12 ||
	    id == KS_AEAD_AES_CCM_16;
}

static bool
is_cbc(enum ks_alg_id id)
{
	return id == KS_ENC_DES || id == KS_ENC_3DES || id == KS_ENC_AES_CBC ||
	    id == KS_ENC_BLOWFISH || id == KS_ENC_CAST;
}

/* Keys the SA's cipher (or AH GMAC) context once; salt and mode are kept. */
static enum ds_err
cipher_setup(struct ks_store *ks, struct ks_sa_crypto *c,
    const struct ks_alg *a, const struct ks_secret *k)
{
	enum ks_alg_id id = ks_alg_id(a);
	size_t keylen = k->len - a->salt_len;
	EVP_CIPHER *ciph;
	bool ok;

	c->id = id;
	memcpy(c->salt, k->p + keylen, a->salt_len);
	if ((ciph = ks_lib_cipher(ks, a, keylen)) == NULL)
		return DS_EUNSUPP;
	if ((c->cctx = EVP_CIPHER_CTX_new()) == NULL)
		return DS_ENOMEM;
	ok = EVP_DecryptInit_ex2(c->cctx, ciph, NULL, NULL, NULL) == 1;
	if (ok && is_ccm(id))
		/* RFC 4309 4: 11-octet nonce (L = 4), M = ICV length */
		ok = EVP_CIPHER_CTX_ctrl(c->cctx, EVP_CTRL_AEAD_SET_IVLEN,
		    11, NULL) == 1 && EVP_CIPHER_CTX_ctrl(c->cctx,
		    EVP_CTRL_AEAD_SET_TAG, a->icv_len, NULL) == 1;
	if (ok && (id == KS_ENC_BLOWFISH || id == KS_ENC_CAST))
		ok = EVP_CIPHER_CTX_set_key_length(c->cctx, (int)keylen) == 1;
	/* CBC starts from a zero IV that cbc_open() then keeps track of */
	memset(c->chain, 0, sizeof c->chain);
	c->is_cbc = is_cbc(id);
	ok = ok && EVP_DecryptInit_ex2(c->cctx, NULL, k->p,
	    c->is_cbc ? c->chain : NULL, NULL) == 1;
	/*
	 * RFC 4303 2.4: ESP pads itself; the setting outlives the per-packet
	 * IV inits, so it is made once here rather than per packet.
	 */
	ok = ok && EVP_CIPHER_CTX_set_padding(c->cctx, 0) == 1;
	return ok ? DS_OK : DS_ECRYPTO;
}

static const char *
hmac_digest(enum ks_alg_id id)
{
	switch (id) {
	case KS_INTEG_MD5_96:		return "MD5";
	case KS_INTEG_SHA1_96:		return "SHA1";
	case KS_INTEG_SHA256_128:
	case KS_INTEG_SHA256_96:	return "SHA2-256";
	case KS_INTEG_SHA384_192:	return "SHA2-384";
	case KS_INTEG_SHA512_256:	return "SHA2-512";
	default:			return NULL;
	}
}

/* RFC 3566 4 (1): K1, K2, K3 = AES-K of 0x01.., 0x02.., 0x03.. */
static enum ds_err
xcbc_setup(struct ks_store *ks, struct ks_sa_crypto *c,
    const struct ks_alg *a, const struct ks_secret *k)
{
	uint8_t in[48], out[48];
	EVP_CIPHER_CTX *t;
	EVP_CIPHER *ecb;
	int n = 0;
	bool ok;

	if ((ecb = ks_lib_cipher(ks, a, 16)) == NULL)
		return DS_EUNSUPP;
	if ((t = EVP_CIPHER_CTX_new()) == NULL ||
	    (c->xctx = EVP_CIPHER_CTX_new()) == NULL) {
		EVP_CIPHER_CTX_free(t);
		return DS_ENOMEM;
	}
	memset(in, 1, 16);
	memset(in + 16, 2, 16);
	memset(in + 32, 3, 16);
	ok = EVP_EncryptInit_ex2(t, ecb, k->p, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(t, 0) == 1 &&
	    EVP_EncryptUpdate(t, out, &n, in, sizeof in) == 1 &&
	    n == (int)sizeof out;
	ok = ok && EVP_EncryptInit_ex2(c->xctx, ecb, out, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(c->xctx, 0) == 1;
	memcpy(c->xk2, out + 16, 16);
	memcpy(c->xk3, out + 32, 16);
	OPENSSL_cleanse(out, sizeof out);
	EVP_CIPHER_CTX_free(t);
	return ok ? DS_OK : DS_ECRYPTO;
}

/* Keys the SA's HMAC, CMAC or XCBC once. */
static enum ds_err
mac_setup(struct ks_store *ks, struct ks_sa_crypto *c,
    const struct ks_alg *a, const struct ks_secret *k)
{
	enum ks_alg_id id = ks_alg_id(a);
	OSSL_PARAM prm[2];
	const char *dg;
	EVP_MAC *mac;

	if (id == KS_INTEG_AES_XCBC_96)
		return xcbc_setup(ks, c, a, k);
	if (id == KS_INTEG_AES_CMAC_96) {
		/* RFC 4494 2: AES-128 CMAC truncated to 96 bits */
		prm[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_CIPHER, (char *)(uintptr_t)"AES-128-CBC", 0);
		mac = ks_lib_mac(ks, "CMAC");
	} else if ((dg = hmac_digest(id)) != NULL) {
		prm[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)dg, 0);
		mac = ks_lib_mac(ks, "HMAC");
	} else
		return DS_EUNSUPP;
	prm[1] = OSSL_PARAM_construct_end();
	if (mac == NULL)
		return DS_EUNSUPP;
	if ((c->mctx = EVP_MAC_CTX_new(mac)) == NULL)
		return DS_ENOMEM;
	return EVP_MAC_init(c->mctx, k->p, k->len, prm) == 1 ? DS_OK :
	    DS_ECRYPTO;
}

static bool
needs_mac(const struct ks_alg *integ)
{
	return integ != NULL && integ->icv_len != 0 && !integ->is_unchecked;
}

/* The SA's contexts, made on first use; c->err says if they are usable. */
static struct ks_sa_crypto *
sa_crypto(struct ks_store *ks, struct ks_sa *sa)
{
	const struct ks_sa_spec *sp = &sa->spec;
	struct ks_sa_crypto *c;
	enum ds_err e;

	if (sa->crypto != NULL)
		return sa->crypto;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return NULL;
	if (ks_replay_init(&c->replay, sp->replay_window) != DS_OK) {
		free(c);
		return NULL;
	}
	sa->crypto = c;
	if ((e = ks_lib_new(ks)) != DS_OK) {
		c->err = e;
		return c;
	}
	if (sp->enc != NULL && ks_alg_id(sp->enc) != KS_ENC_NULL)
		e = cipher_setup(ks, c, sp->enc, &sp->enc_key);
	if (e == DS_OK && needs_mac(sp->integ)) {
		if (sp->integ->iv_len != 0 && sp->proto != DS_IPPROTO_AH)
			e = DS_EUNSUPP;		/* RFC 4543 4: AH only */
		else if (sp->integ->iv_len != 0)	/* AH GMAC */
			e = cipher_setup(ks, c, sp->integ, &sp->integ_key);
		else
			e = mac_setup(ks, c, sp->integ, &sp->integ_key);
	}
	c->err = e;
	return c;
}

/* ---- MACs over several pieces -------------------------------------------- */

struct mac_run {
	struct ks_sa_crypto	*c;
	bool			 ok;
	uint8_t			 e[16], buf[16];	/* XCBC state */
	size_t			 n;
};

static void
xcbc_block(struct mac_run *m)
{
	uint8_t x[16];
	int n = 0;
	size_t i;

	for (i = 0; i < 16; i++)
		x[i] = m->buf[i] ^ m->e[i];
	m->ok = m->ok && EVP_EncryptUpdate(m->c->xctx, m->e, &n, x, 16) == 1
	    && n == 16;
}

static void
mac_begin(struct mac_run *m, struct ks_sa_crypto *c)
{
	memset(m, 0, sizeof *m);
	m->c = c;
	m->ok = true;
	if (c->mctx != NULL)	/* re-armed with the key it has */
		m->ok = EVP_MAC_init(c->mctx, NULL, 0, NULL) == 1;
}

static void
mac_update(struct mac_run *m, const uint8_t *p, size_t len)
{
	size_t k;

	if (m->c->mctx != NULL) {
		m->ok = m->ok && EVP_MAC_update(m->c->mctx, p, len) == 1;
		return;
	}
	/* RFC 3566 4 (3): every block but the last goes through K1 now */
	while (len > 0) {
		if (m->n == 16) {
			xcbc_block(m);
			m->n = 0;
		}
		k = 16 - m->n < len ? 16 - m->n : len;
		memcpy(m->buf + m->n, p, k);
		m->n += k;
		p += k;
		len -= k;
	}
}

/* The full MAC into out (KS_MAC_MAX); false on an OpenSSL failure. */
static bool
mac_end(struct mac_run *m, uint8_t *out)
{
	size_t i, n = 0;
	bool ok;

	if (m->c->mctx != NULL)
		return m->ok && EVP_MAC_final(m->c->mctx, out, &n,
		    KS_MAC_MAX) == 1;
	/* RFC 3566 4 (4)(5): last block XOR K2 if whole, else padded, K3 */
	if (m->n == 16)
		for (i = 0; i < 16; i++)
			m->buf[i] ^= m->c->xk2[i];
	else {
		m->buf[m->n] = 0x80;
		memset(m->buf + m->n + 1, 0, 16 - m->n - 1);
		for (i = 0; i < 16; i++)
			m->buf[i] ^= m->c->xk3[i];
	}
	xcbc_block(m);
	memcpy(out, m->e, 16);
	ok = m->ok;
	OPENSSL_cleanse(m->e, sizeof m->e);
	OPENSSL_cleanse(m->buf, sizeof m->buf);
	return ok;
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * A packet whose ICV verified (or that has none): report whether it is a
 * replay, then record it (RFC 4303 3.4.3: only after verification).
 */
static void
history_accept(struct ks_sa_crypto *c, struct ds_sa_open *req, uint32_t hi)
{
	uint64_t seq = (uint64_t)hi << 32 | req->seq;

	req->seq_hi = hi;
	req->is_replay = !ks_replay_check(&c->replay, seq);
	ks_replay_advance(&c->replay, seq);
}

/* ---- ESP ----------------------------------------------------------------- */

/*
 * RFC 4303 2: what follows SPI and sequence number.
 *
 *   +-------------------------------------------------------------+
 *   |               IV (cipher-dependent, may be absent)          |
 *   +-------------------------------------------------------------+
 *   |    Payload Data, Padding, Pad Length, Next Header (ct)      |
 *   +-------------------------------------------------------------+
 *   |               ICV (integrity- or AEAD-dependent)            |
 *   +-------------------------------------------------------------+
 */
struct esp_parts {
	struct ds_view	 iv, ct, icv;
	uint8_t		 hdr[8];	/* SPI, sequence (low half) */
	uint8_t		 hi[4];		/* ESN high half */
};

/*
 * Into out (16 octets): RFC 3686 4 counter block nonce | IV | 1, RFC 4106
 * 4 salt | IV ...
 */
static void
nonce(const struct ks_sa_crypto *c, const struct ks_alg *a,
    const uint8_t *iv, uint8_t *out)
{
	memcpy(out, c->salt, a->salt_len);
	memcpy(out + a->salt_len, iv, a->iv_len);
	if (c->id == KS_ENC_AES_CTR) {
		out[12] = out[13] = out[14] = 0;
		out[15] = 1;
	}
}

/*
 * CBC without a per-packet init: the context keeps decrypting as one long
 * chain, whose running IV is the previous packet's last ciphertext block
 * (c->chain).  Only the first plaintext block depends on the IV
 * (RFC 3602 2.3: P1 = D(C1) ^ IV), so XOR-ing chain ^ IV into it gives
 * the packet's own plaintext.  An EVP init per packet cost more than the
 * AES itself on small packets.
 *
 *      chain        IV (packet)
 *        |            |
 *   D(C1) ^ chain  -> ^ chain ^ IV  ->  P1 = D(C1) ^ IV
 */
static enum ds_err
cbc_open(struct ks_sa_crypto *c, size_t block, const struct esp_parts *x,
    uint8_t *out)
{
	size_t i;
	int n;

	if (x->ct.len == 0)
		return DS_OK;
	if (x->iv.len != block || block > sizeof c->chain ||
	    x->ct.len % block != 0 || x->ct.len > INT_MAX)
		return DS_EMALFORMED;
	if (EVP_DecryptUpdate(c->cctx, out, &n, x->ct.p, (int)x->ct.len) !=
	    1 || (size_t)n != x->ct.len) {
		/* the chain is lost: restart it from a known IV */
		memset(c->chain, 0, sizeof c->chain);
		(void)EVP_DecryptInit_ex2(c->cctx, NULL, NULL, c->chain, NULL);
		return DS_ECRYPTO;
	}
	for (i = 0; i < block; i++)
		out[i] ^= (uint8_t)(c->chain[i] ^ x->iv.p[i]);
	memcpy(c->chain, x->ct.p + x->ct.len - block, block);
	return DS_OK;
}

/*
 * Encrypt-then-MAC (RFC 4303 3.4.4.1): the ICV over SPI | seq | IV | ct,
 * with the ESN high half appended (3.3.2.1), is compared before anything
 * is decrypted.
 */
static enum ds_err
esp_cipher(struct ks_sa_crypto *c, const struct ks_sa_spec *sp,
    const struct esp_parts *x, uint8_t *out, uint8_t *verdict)
{
	uint8_t mac[KS_MAC_MAX], iv[16];
	struct mac_run m;
	int n = 0, fin = 0;
	bool ok;

	if (needs_mac(sp->integ)) {
		mac_begin(&m, c);
		mac_update(&m, x->hdr, 8);
		mac_update(&m, x->iv.p, x->iv.len);
		mac_update(&m, x->ct.p, x->ct.len);
		if (sp->esn)
			mac_update(&m, x->hi, 4);
		if (!mac_end(&m, mac))
			return DS_ECRYPTO;
		if (CRYPTO_memcmp(mac, x->icv.p, x->icv.len) != 0) {
			*verdict = DS_ICV_BAD;
			return DS_EAUTH;
		}
		*verdict = DS_ICV_GOOD;
	} else
		*verdict = sp->integ != NULL && sp->integ->icv_len != 0 ?
		    DS_ICV_UNCHECKED : DS_ICV_NONE;
	if (c->cctx == NULL) {			/* RFC 2410: NULL cipher */
		if (x->ct.len > 0)
			memcpy(out, x->ct.p, x->ct.len);
		return DS_OK;
	}
	if (c->is_cbc)
		return cbc_open(c, sp->enc->block, x, out);
	nonce(c, sp->enc, x->iv.p, iv);
	ok = EVP_DecryptInit_ex2(c->cctx, NULL, NULL, iv, NULL) == 1 &&
	    EVP_DecryptUpdate(c->cctx, out, &n, x->ct.p, (int)x->ct.len) ==
	    1 && EVP_DecryptFinal_ex(c->cctx, out + n, &fin) == 1 &&
	    (size_t)n + (size_t)fin == x->ct.len;
	return ok ? DS_OK : DS_ECRYPTO;
}

/*
 * Combined modes.  AAD is SPI | seq, or SPI | seq_hi | seq under ESN
 * (RFC 4106 5, RFC 4309 5, RFC 7634 2.1); for ENCR_NULL_AUTH_AES_GMAC
 * the IV and the whole payload follow in the AAD and nothing is
 * encrypted (RFC 4543 3.3).
 */
static enum ds_err
esp_aead(struct ks_sa_crypto *c, const struct ks_sa_spec *sp,
    const struct esp_parts *x, uint8_t *out, uint8_t *verdict)
{
	enum ks_alg_id id = c->id;
	uint8_t nc[16], aad[12], tag[16];
	size_t aadlen;
	int n = 0, fin = 0;
	bool ok, gmac = id == KS_AEAD_AES_GMAC;

	memcpy(aad, x->hdr, 4);
	if (sp->esn) {
		memcpy(aad + 4, x->hi, 4);
		memcpy(aad + 8, x->hdr + 4, 4);
		aadlen = 12;
	} else {
		memcpy(aad + 4, x->hdr + 4, 4);
		aadlen = 8;
	}
	nonce(c, sp->enc, x->iv.p, nc);
	memcpy(tag, x->icv.p, x->icv.len);	/* ctrl wants it writable */
	ok = EVP_DecryptInit_ex2(c->cctx, NULL, NULL, nc, NULL) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c->cctx, EVP_CTRL_AEAD_SET_TAG,
	    (int)x->icv.len, tag) == 1;
	if (ok && is_ccm(id))		/* CCM wants the length first */
		ok = EVP_DecryptUpdate(c->cctx, NULL, &n, NULL,
		    (int)x->ct.len) == 1;
	ok = ok && EVP_DecryptUpdate(c->cctx, NULL, &n, aad, (int)aadlen) ==
	    1;
	if (gmac) {
		ok = ok && EVP_DecryptUpdate(c->cctx, NULL, &n, x->iv.p,
		    (int)x->iv.len) == 1 && (x->ct.len == 0 ||
		    EVP_DecryptUpdate(c->cctx, NULL, &n, x->ct.p,
		    (int)x->ct.len) == 1);
		ok = ok && EVP_DecryptFinal_ex(c->cctx, out, &fin) == 1;
		if (ok && x->ct.len > 0)
			memcpy(out, x->ct.p, x->ct.len);
	} else if (is_ccm(id)) {
		/* CCM checks the tag in its one update */
		ok = ok && EVP_DecryptUpdate(c->cctx, out, &n, x->ct.p,
		    (int)x->ct.len) == 1;
	} else {
		ok = ok && EVP_DecryptUpdate(c->cctx, out, &n, x->ct.p,
		    (int)x->ct.len) == 1;
		ok = ok && EVP_DecryptFinal_ex(c->cctx, out + n, &fin) == 1;
	}
	OPENSSL_cleanse(tag, sizeof tag);
	if (!ok) {
		/* RFC 4303 3.4.4.2: a packet failing its tag yields nothing */
		OPENSSL_cleanse(out, x->ct.len);
		*verdict = DS_ICV_BAD;
		return DS_EAUTH;
	}
	*verdict = DS_ICV_GOOD;
	return DS_OK;
}

/*
 * For a key tried without its SPI and with nothing that authenticates:
 * RFC 4303 2.4 padding 1, 2, 3 ... and a Next Header one would expect.
 */
static bool
trailer_plausible(const uint8_t *pt, size_t len)
{
	static const uint8_t nxt_ok[] = { 1, 2, 4, 6, 17, 41, 47, 50, 51,
	    58, 59, 89, 108, 132, 137 };
	size_t i, pad;
	bool nh = false;

	if (len < 2)
		return false;
	for (i = 0; i < sizeof nxt_ok; i++)
		nh |= pt[len - 1] == nxt_ok[i];
	pad = pt[len - 2];
	if (!nh || pad + 2 > len)
		return false;
	for (i = 0; i < pad; i++)
		if (pt[len - 2 - pad + i] != (uint8_t)(i + 1))
			return false;
	return true;
}

static enum ds_err
esp_open(struct ks_sa *sa, struct ks_sa_crypto *c, struct ds_sa_open *req,
    bool trial)
{
	const struct ks_sa_spec *sp = &sa->spec;
	const struct ks_alg *enc = sp->enc;
	bool aead = enc->kind == KS_ALG_AEAD;
	size_t icv_len = aead ? enc->icv_len : sp->integ != NULL ?
	    sp->integ->icv_len : 0;
	struct ds_cur cur = ds_cur_make(req->data.p, req->data.len,
	    req->data.len);
	struct esp_parts x;
	uint32_t hi;
	enum ds_err e;
	int tries;

	/* RFC 4303 2: the IV, Pad Length and Next Header, the ICV */
	if (req->data.len < (size_t)enc->iv_len + 2 + icv_len)
		return DS_EMALFORMED;
	if (!ds_take(&cur, enc->iv_len, &x.iv) ||
	    !ds_take_tail(&cur, icv_len, &x.icv))
		return DS_EMALFORMED;
	x.ct = ds_rest(&cur);
	/* RFC 4303 2.4: a block cipher's ciphertext fills whole blocks */
	if (enc->block > 4 && x.ct.len % enc->block != 0)
		return DS_EMALFORMED;
	if (req->out == NULL || req->outcap < x.ct.len)
		return DS_ENOMEM;
	be32(x.hdr, req->spi);
	be32(x.hdr + 4, req->seq);
	hi = sp->esn ? ks_esn_seqhi(&c->replay, req->seq, sp->seq_hi) : 0;
	for (tries = 0;; tries++) {
		be32(x.hi, hi);
		e = aead ? esp_aead(c, sp, &x, req->out, &req->verdict) :
		    esp_cipher(c, sp, &x, req->out, &req->verdict);
		/* RFC 4303 A2.2: near a wrap the high half may be one more */
		if (e != DS_EAUTH || !sp->esn || tries > 0)
			break;
		hi++;
	}
	if (e == DS_OK && trial && req->verdict != DS_ICV_GOOD &&
	    !trailer_plausible(req->out, x.ct.len)) {
		OPENSSL_cleanse(req->out, x.ct.len);
		e = DS_EAUTH;
	}
	if (e != DS_OK)
		return e;
	history_accept(c, req, hi);
	req->plain.p = req->out;
	req->plain.len = x.ct.len;
	req->iv_len = enc->iv_len;
	return DS_OK;
}

/* ---- AH ------------------------------------------------------------------ */

/*
 * RFC 4302 3.3.3: the ICV over the datagram with mutable fields and the
 * ICV zeroed (done by the dissector), with the ESN high half appended
 * (2.5.1).  AUTH_AES_GMAC (RFC 4543 4): the ICV field is IV | tag, the
 * nonce salt | IV, and the datagram is all AAD.
 */
static enum ds_err
ah_verify(struct ks_sa_crypto *c, const struct ks_sa_spec *sp,
    const struct ds_sa_open *req, uint32_t hi, uint8_t *verdict)
{
	const struct ks_alg *a = sp->integ;
	uint8_t hib[4], mac[KS_MAC_MAX], nc[16], tag[16];
	struct mac_run m;
	int n = 0;
	bool ok;

	be32(hib, hi);
	if (a->iv_len == 0) {
		mac_begin(&m, c);
		mac_update(&m, req->data.p, req->data.len);
		if (sp->esn)
			mac_update(&m, hib, 4);
		if (!mac_end(&m, mac))
			return DS_ECRYPTO;
		ok = CRYPTO_memcmp(mac, req->icv.p, a->icv_len) == 0;
	} else {
		nonce(c, a, req->icv.p, nc);
		memcpy(tag, req->icv.p + a->iv_len, a->icv_len);
		ok = EVP_DecryptInit_ex2(c->cctx, NULL, NULL, nc, NULL) == 1 &&
		    EVP_CIPHER_CTX_ctrl(c->cctx, EVP_CTRL_AEAD_SET_TAG,
		    (int)a->icv_len, tag) == 1 &&
		    EVP_DecryptUpdate(c->cctx, NULL, &n, req->data.p,
		    (int)req->data.len) == 1 && (!sp->esn ||
		    EVP_DecryptUpdate(c->cctx, NULL, &n, hib, 4) == 1) &&
		    EVP_DecryptFinal_ex(c->cctx, mac, &n) == 1;
	}
	*verdict = ok ? DS_ICV_GOOD : DS_ICV_BAD;
	return ok ? DS_OK : DS_EAUTH;
}

static enum ds_err
ah_open(struct ks_sa *sa, struct ks_sa_crypto *c, struct ds_sa_open *req)
{
	const struct ks_sa_spec *sp = &sa->spec;
	const struct ks_alg *a = sp->integ;
	uint32_t hi;
	enum ds_err e = DS_OK;
	int tries;

	/* RFC 4302 2.6: the ICV field holds the whole (IV and) ICV */
	if (req->icv.len < (size_t)a->iv_len + a->icv_len)
		return DS_EMALFORMED;
	hi = sp->esn ? ks_esn_seqhi(&c->replay, req->seq, sp->seq_hi) : 0;
	if (!needs_mac(a))
		req->verdict = a->icv_len != 0 ? DS_ICV_UNCHECKED : DS_ICV_NONE;
	else
		for (tries = 0;; tries++) {
			e = ah_verify(c, sp, req, hi, &req->verdict);
			if (e != DS_EAUTH || !sp->esn || tries > 0)
				break;
			hi++;		/* RFC 4303 A2.2, as for ESP */
		}
	if (e == DS_OK)
		history_accept(c, req, hi);
	return e;
}

/* ---- the keyring --------------------------------------------------------- */

enum ds_err
ks_sa_open(struct ks_store *ks, struct ks_sa *sa, struct ds_sa_open *req,
    bool trial)
{
	struct ks_sa_crypto *c;
	enum ds_err e;

	req->plain.p = NULL;
	req->plain.len = 0;
	req->seq_hi = 0;
	req->verdict = DS_ICV_NONE;
	req->is_replay = false;
	req->iv_len = 0;
	req->sa_id = sa->id;
	req->sa_label = sa->label;
	if (req->proto != sa->spec.proto)
		return DS_EUNSUPP;
	if ((c = sa_crypto(ks, sa)) == NULL)
		return DS_ENOMEM;
	if (c->err != DS_OK) {
		ERR_clear_error();
		return c->err;
	}
	/* EVP counts in int */
	if ((req->data.p == NULL && req->data.len > 0) ||
	    req->data.len > INT_MAX)
		return DS_EMALFORMED;
	if (req->proto == DS_IPPROTO_ESP)
		e = esp_open(sa, c, req, trial);
	else
		e = ah_open(sa, c, req);
	if (e == DS_EMALFORMED)
		req->verdict = DS_ICV_NONE;
	else if (e != DS_OK)
		ERR_clear_error();	/* a failed tag leaves nothing behind */
	return e;
}

/* An SPI no SA has: the spi_any keys whose addresses fit, in order. */
static enum ds_err
trial_open(struct ks_store *ks, struct ds_sa_open *req)
{
	const struct ks_trial *t = &ks->trial;
	enum ds_err e, best = DS_ENOKEY;
	size_t i;

	for (i = 0; i < ks->n; i++) {
		struct ks_sa *sa = ks->sa[i];

		if (!ks_sa_may_try(sa, req->proto, &t->src, &t->dst))
			continue;
		e = ks_sa_open(ks, sa, req, true);
		if (e == DS_OK) {
			ks_store_bind(ks, req->spi, sa);
			return DS_OK;
		}
		if (best == DS_ENOKEY || e == DS_EAUTH)
			best = e;
	}
	ks_store_bind_failed(ks, req->proto, req->spi);
	req->sa_id = 0;
	req->sa_label = NULL;
	return best == DS_ENOKEY ? DS_EAUTH : best;
}

static bool
kr_lookup(void *ctx, uint8_t proto, uint32_t spi, const struct ds_addr *src,
    const struct ds_addr *dst, struct ds_sa_ref *out)
{
	return ks_store_lookup(ctx, proto, spi, src, dst, out);
}

static enum ds_err
kr_open(void *ctx, const struct ds_sa_ref *ref, struct ds_sa_open *req)
{
	struct ks_store *ks = ctx;

	if (ref == NULL || ref->sa == NULL)
		return DS_ENOKEY;
	if (ref->sa == &ks->trial) {
		if (req->spi != ks->trial.spi || req->proto != ks->trial.proto)
			return DS_ENOKEY;
		return trial_open(ks, req);
	}
	/* the ref's pointer is one of ours, handed out by lookup */
	return ks_sa_open(ks, (struct ks_sa *)(uintptr_t)ref->sa, req, false);
}

struct ds_keyring
ks_keyring(struct ks_store *ks)
{
	struct ds_keyring kr = { ks, kr_lookup, kr_open, NULL };

	return kr;
}
