/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the keyring's open(): random payloads for a few
 * fixed SAs, one of each shape (CBC + HMAC, GCM, CCM, ChaCha20-Poly1305,
 * GMAC, NULL, CTR + XCBC, 3DES + CMAC under ESN, AH with HMAC and GMAC,
 * a key without SPI tried by lookup), with the keys of the scapy reference
 * vectors where there is one, so that seeds made from those reach the
 * decryption.
 *
 * Input format (tests/fuzz/seed.sh builds seeds in it):
 *
 *	byte 0		which SA (modulo the table)
 *	bytes 1-4	sequence number, big-endian
 *	bytes 5-	ESP: what follows SPI and sequence; AH: the datagram,
 *			whose last ICV-length octets are taken as the ICV
 *
 * The store lives across inputs (replay windows, ESN history, trial
 * bindings).  The payload is copied into a buffer of exactly its size and
 * the output has exactly the promised room, so that AddressSanitizer sees
 * any read or write past either.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

static const struct {
	uint8_t		 proto;
	uint32_t	 spi;
	const char	*enc, *ekey, *integ, *ikey;
	bool		 esn, spi_any;
} sas[] = {
	/* 0: scapy transport-aes-cbc-hmac-sha2-256-128-esn */
	{ 50, 0xcf54ccdf, "aes-cbc", "85ee354b4675a9c5d16e3d6f4118043b",
	    "hmac-sha2-256-128", "6f79bf94da7dde3c86009934d9258f1b"
	    "3fc2f5382aca9c9cb8e216eed235f34c", true, false },
	/* 1: scapy aes-gcm-null (SPI 0x222) */
	{ 50, 0x222, "aes-gcm-16", "3136627974656b65792b34627974656e6f6e6365",
	    "", "", false, false },
	/* 2: scapy aes-ccm-null, under another SPI */
	{ 50, 0x223, "aes-ccm-8", "3136627974656b657933627974656e6f6e6365",
	    "", "", false, false },
	/* 3: scapy aes-null-gmac-null-esn */
	{ 50, 0x224, "aes-gmac", "3136627974656b65792b34627974656e6f6e6365",
	    "", "", true, false },
	{ 50, 0x225, "chacha20-poly1305", "808182838485868788898a8b8c8d8e8f"
	    "909192939495969798999a9b9c9d9e9f07000000", "", "", false, false },
	{ 50, 0x226, "null", "", "", "", false, false },
	{ 50, 0x227, "aes-cbc", "7369787465656e6279746573206b6579",
	    "hmac-sha1-96",
	    "0102030405060708090a0b0c0d0e0f1011121314", false, false },
	{ 50, 0x228, "aes-ctr", "3136627974656b65792b34627974656e6f6e6365",
	    "aes-xcbc-96", "000102030405060708090a0b0c0d0e0f", false, false },
	{ 50, 0x229, "3des-cbc",
	    "7468726565646966666572656e743862797465736b657973",
	    "aes-cmac-96", "2b7e151628aed2a6abf7158809cf4f3c", true, false },
	{ 51, 0x22a, "", "", "hmac-sha2-256-128", "6f79bf94da7dde3c86009934"
	    "d9258f1b3fc2f5382aca9c9cb8e216eed235f34c", false, false },
	{ 51, 0x22b, "", "", "aes-128-gmac",
	    "000102030405060708090a0b0c0d0e0fdeadbeef", true, false },
	/* 11: scapy aes-cbc-null's key, no SPI: tried on SPI 0x22c */
	{ 50, 0, "aes-cbc", "7369787465656e6279746573206b6579", "", "",
	    false, true },
	{ 50, 0x22d, "aes-cbc", "7369787465656e6279746573206b6579", "any-96",
	    "", false, false },
};
#define NSA	(sizeof sas / sizeof sas[0])

static struct ks_store *store;

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void
hexkey(struct ks_secret *s, const char *hex)
{
	if (!ks_secret_from_hex(s, hex, strlen(hex)))
		abort();
}

static void
setup(void)
{
	struct ds_errinfo ei;
	size_t i;

	store = ks_store_new();
	ks_store_set_warn(store, quiet, NULL);
	for (i = 0; i < NSA; i++) {
		struct ks_sa_spec sp;

		memset(&sp, 0, sizeof sp);
		sp.proto = sas[i].proto;
		sp.spi = sas[i].spi;
		sp.spi_any = sas[i].spi_any;
		sp.esn = sas[i].esn;
		sp.seq_hi = sas[i].esn ? 1 : 0;
		if (*sas[i].enc != '\0') {
			sp.enc = ks_alg_by_name(sas[i].enc);
			hexkey(&sp.enc_key, sas[i].ekey);
		}
		if (*sas[i].integ != '\0') {
			sp.integ = ks_alg_by_name(sas[i].integ);
			hexkey(&sp.integ_key, sas[i].ikey);
		}
		if (ks_store_add(store, &sp, &ei) != DS_OK)
			abort();
		ks_sa_spec_wipe(&sp);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_keyring kr;
	struct ds_sa_ref ref;
	struct ds_sa_open req;
	uint8_t *buf, *out;
	size_t i, len;
	uint32_t spi;

	if (store == NULL)
		setup();
	if (size < 5)
		return 0;
	i = data[0] % NSA;
	spi = sas[i].spi_any ? 0x22c : sas[i].spi;
	len = size - 5;
	buf = malloc(len ? len : 1);
	out = malloc(len ? len : 1);
	if (buf == NULL || out == NULL)
		abort();
	memcpy(buf, data + 5, len);
	kr = ks_keyring(store);
	memset(&req, 0, sizeof req);
	req.proto = sas[i].proto;
	req.spi = spi;
	req.seq = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 |
	    (uint32_t)data[3] << 8 | data[4];
	req.out = out;
	req.outcap = len;
	if (kr.lookup(kr.ctx, req.proto, spi, NULL, NULL, &ref)) {
		if (req.proto == DS_IPPROTO_AH) {
			size_t icv = ref.icv_len < len ? ref.icv_len : len;

			req.data.p = buf;
			req.data.len = len - icv;
			req.icv.p = buf + len - icv;
			req.icv.len = icv;
		} else {
			req.data.p = buf;
			req.data.len = len;
		}
		if (kr.open(kr.ctx, &ref, &req) == DS_OK &&
		    req.proto == DS_IPPROTO_ESP) {
			volatile uint8_t sink = 0;

			/* the plaintext must lie inside out */
			if (req.plain.len > len || (req.plain.len > 0 &&
			    req.plain.p != out))
				abort();
			for (i = 0; i < req.plain.len; i++)
				sink ^= req.plain.p[i];
			(void)sink;
		}
	}
	free(buf);
	free(out);
	return 0;
}
