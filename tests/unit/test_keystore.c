/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keyring of the keystore: SA lookup precedence (RFC 4301 4.4.2),
 * keys found by trial for SAs logged without an SPI, and the published
 * ESP reference packets (tests/data/corpus/scapy) opened with their keys.
 */
#include "t_keys.h"

/*
 * The scapy ipsec.uts vectors (tests/data/corpus/scapy/
 * ipsec_uts_vectors.json): ESP bytes after SPI and sequence number, the
 * SA's keys, and the Next Header the plaintext must end with (4: tunnel
 * mode IPv4, 6: the transport-mode TCP of the known-answer packet).
 * ESN high halves are those of the corpus MANIFEST ("esn_high_order_bits").
 */
struct t_vec {
	const char	*id;
	uint32_t	 spi, seq;
	const char	*enc, *ekey, *integ, *ikey;
	bool		 esn;
	uint32_t	 seq_hi;
	const char	*src, *dst;
	uint8_t		 nxt;
	const char	*body;
};

static const char cbc_key16[] = "000102030405060708090a0b0c0d0e0f";

static const struct t_vec vecs[] = {
	{ "transport-des-null", 0x00000222, 1,
	    "des-cbc", "38627974656b6579",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "0f6d2f3d1ec10bc2b68ffd6739c0962c177988f6bc4df745d8366386"
	    "cd087c082bf8a291182188d92600c52124bf8ff56c47b03a8edb7521"
	    "d933855a15c631001cef3e12ce70ec8f48c7819b66cbf53991b38e72"
	    "fb7f64656cf4a9f25e632f60" },
	{ "transport-3des-null", 0x00000222, 1,
	    "3des-cbc", "7468726565646966666572656e743862797465736b657973",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "365c9b4137c8591e3963e86bf70d97541384f6816619e7cb7594f10b"
	    "8ea3f1a03e8851c450d0a91f1625c6bde90bdcaef81300a38c53ee1c"
	    "96c0fe9970ab9477d7c4e8fd9f9628b89520867b19bc8ff596b07ecc"
	    "0483ae4da3ba1d44f0ba2ecd" },
	{ "transport-aes-cbc-null", 0x00000222, 1,
	    "aes-cbc", "7369787465656e6279746573206b6579",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "082f94e653d88e1370e8ff615290273cf2b41f75d2a0acae1ca85e1c"
	    "78214c7fc330176a8df3b1a7d1a84201d68d2d7e5d06dfaa052742b1"
	    "0012cfff64025a40cdca1b91baf8c859e7bd4d19b48d39256c73f12d"
	    "aaeee10b71cdfc111d56ce60edd23287d490c3f53147976983826d38" },
	{ "transport-aes-ctr-null", 0x00000222, 1,
	    "aes-ctr", "3136627974656b65792b34627974656e6f6e6365",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "c4ca090f8bd3053dac5a2f87ca711001a795c907ccd405586523224b"
	    "639b1fef55b91a91527600f7947b1de18e032e85addd83228ac3886e"
	    "85f59beda96eb1c378002fcd77e83eec0e7794b29b0f645e0983037d"
	    "832239bb9466ae9fbf01dafb" },
	{ "transport-blowfish-null", 0x00000222, 1,
	    "blowfish-cbc", "7369787465656e6279746573206b6579",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "939f5a10555730a0b400721e46424620bc01efc379cc3e5564ba09c2"
	    "6a5a5cb3ccb5d58782b00a9458fc503740e103d34a09b2235356a445"
	    "4cbb811cdb31a767bd388eba55d91ff13ceb074c02b03ec5f660dd68"
	    "e1d4ecee27c06d1a80e2cc7d" },
	{ "transport-cast-null", 0x00000222, 1,
	    "cast128-cbc", "7369787465656e6279746573206b6579",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "cd4a4605515473351dad4b10c115e270bc9c538f4d1c871ac1b0df80"
	    "d10ca459e650de46db3f28c2da6c2b815e7c7b4fbc8dc16d4a2b0491"
	    "9ec40bba05ba3b71ace316cf7f00c5877d7248e65b431924aea62ccc"
	    "adbf376c6eea716773d6119f" },
	{ "transport-aes-cbc-hmac-sha2-256-128-esn", 0xcf54ccdf, 1,
	    "aes-cbc", "85ee354b4675a9c5d16e3d6f4118043b",
	    "hmac-sha2-256-128",
	    "6f79bf94da7dde3c86009934d9258f1b3fc2f5382aca9c9cb8e216eed235f34c",
	    true, 68, "1.1.1.1", "2.2.2.2", 6,
	    "11223344112233441122334411223344f5bda519c9ae64f283f0fc18"
	    "a8d253eca8b34c2120c8958a97ec9d8e67756da2523fce9b5541c57f"
	    "ddf090afc2bfd97e8703203953f853eb61482e4c1384d4c8" },
	{ "transport-aes-gcm-null", 0x00000222, 1,
	    "aes-gcm-16", "3136627974656b65792b34627974656e6f6e6365",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "66002886e9dfc524b0bdfd62617ed3767b48288e76aaea48b840308a"
	    "ce5071bbc0b24771d7a4a0cb0368d3165a7c378487c71959b47c76e3"
	    "48c0904bd23695c1b7a4b67b89e64f10aedb84474600b444e66d1655"
	    "5f8236a549f7528165904d2892b2e3f1a402d237ac0b7a10cf6446b9" },
	{ "transport-aes-gcm-null-esn", 0x00000222, 1,
	    "aes-gcm-16", "3136627974656b65792b34627974656e6f6e6365",
	    "none", "",
	    true, 1, "10.125.0.2", "10.125.0.1", 4,
	    "66002886e9dfc524b0bdfd62617ed3767b48288e76aaea48b840308a"
	    "ce5071bbc0b24771d7a4a0cb0368d3165a7c378487c71959b47c76e3"
	    "48c0904bd23695c1b7a4b67b89e64f10aedb84474600b444e66d1655"
	    "5f8236a549f7528165904d28fe4d22836a810d6094db45220392f694" },
	{ "transport-aes-null-gmac-null", 0x00000222, 22,
	    "aes-gmac", "3136627974656b65792b34627974656e6f6e6365",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "54706c6a9fbaa61845000054bc5300004001a9590a7d00010a7d0002"
	    "0000ad53a883000102e6096400000000d90a06000000000010111213"
	    "1415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
	    "3031323334353637010202049b763230f64992a88f6a20872c740c18" },
	{ "transport-aes-null-gmac-null-esn", 0x00000222, 5,
	    "aes-gmac", "3136627974656b65792b34627974656e6f6e6365",
	    "none", "",
	    true, 1, "10.125.0.2", "10.125.0.1", 4,
	    "43e6a1ce709d67f4450000542e4a40004001f7620a7d00020a7d0001"
	    "0800d3328f4c00028dec0964000000003c5b03000000000010111213"
	    "1415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
	    "30313233343536370102020476d4939075ee3fa3f3cfcc27f55b12b6" },
	{ "transport-aes-ccm-null", 0x00000222, 1,
	    "aes-ccm-8", "3136627974656b657933627974656e6f6e6365",
	    "none", "",
	    false, 0, "10.125.0.2", "10.125.0.1", 4,
	    "2e029f1fad7680588feb45f166e3ada6901b2b7dd33da45335c8fa92"
	    "fdd7422f87609b46b0215e82fb2f59baf06ce551b8362088fe498660"
	    "e80a3d36b58a08a95ee387fa933fe8c2c5bfb12e6f7dc5a5d8e5f325"
	    "2181431648107c043120077c7bda5d1a7245c479" },
};

static void
vec_store(const struct t_vec *v, struct ks_store **ks, struct t_warn *w)
{
	struct ks_sa_spec sp;

	*ks = ks_store_new();
	cr_assert_not_null(*ks);
	ks_store_set_warn(*ks, t_warn_fn, w);
	sp = t_spec(DS_IPPROTO_ESP, v->spi, v->enc, v->ekey,
	    strcmp(v->integ, "none") == 0 ? "" : v->integ, v->ikey);
	sp.esn = v->esn;
	sp.seq_hi = v->seq_hi;
	cr_assert(ks_addr_match_parse(&sp.src, v->src, strlen(v->src)));
	cr_assert(ks_addr_match_parse(&sp.dst, v->dst, strlen(v->dst)));
	t_add(*ks, &sp);
	ks_sa_spec_wipe(&sp);
}

/* Opens vector v; returns the plaintext length, 0 when it failed. */
static size_t
vec_open(const struct t_vec *v, uint8_t *pt, enum ds_err *err,
    struct ds_sa_open *res)
{
	static uint8_t body[2048];
	struct t_warn w = { 0 };
	struct ks_store *ks;
	struct ds_keyring kr;
	struct ds_sa_ref ref;
	struct ds_addr src, dst;
	struct ds_sa_open req;
	size_t len = t_hex(v->body, body, sizeof body);

	vec_store(v, &ks, &w);
	kr = ks_keyring(ks);
	t_addr(&src, v->src);
	t_addr(&dst, v->dst);
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, v->spi, &src, &dst,
	    &ref), "%s", v->id);
	cr_assert_not(ref.spi_only);
	cr_assert_eq(ref.esn, v->esn);
	req = t_esp_req(v->spi, v->seq, body, len, pt, 2048);
	*err = kr.open(kr.ctx, &ref, &req);
	*res = req;
	ks_store_free(ks);
	return *err == DS_OK ? req.plain.len : 0;
}

Test(keystore, opens_every_scapy_reference_packet_with_its_keys)
{
	uint8_t pt[2048];
	size_t i, len;
	enum ds_err e;
	struct ds_sa_open r;

	for (i = 0; i < DS_NELEM(vecs); i++) {
		const struct t_vec *v = &vecs[i];
		size_t pad;

		len = vec_open(v, pt, &e, &r);
		cr_assert_eq(e, DS_OK, "%s: %s", v->id, ds_err_str(e));
		cr_assert_geq(len, 22, "%s", v->id);
		cr_expect_eq(pt[len - 1], v->nxt, "%s: next header %u",
		    v->id, pt[len - 1]);
		/* RFC 4303 2.4: the default padding is 1, 2, 3 ... */
		pad = pt[len - 2];
		cr_assert_leq(pad + 2, len, "%s", v->id);
		for (size_t k = 0; k < pad; k++)
			cr_expect_eq(pt[len - 2 - pad + k], k + 1, "%s", v->id);
		/* tunnel mode: the inner packet is IPv4; transport: TCP */
		if (v->nxt == 4)
			cr_expect_eq(pt[0] >> 4, 4, "%s", v->id);
		else
			cr_expect_eq(pt[0] << 8 | pt[1], 45012, "%s", v->id);
		cr_expect_eq(r.seq_hi, v->esn ? v->seq_hi : 0, "%s", v->id);
		cr_expect_eq(r.verdict, strcmp(v->integ, "none") == 0 &&
		    strncmp(v->enc, "aes-g", 5) != 0 &&
		    strncmp(v->enc, "aes-ccm", 7) != 0 ? DS_ICV_NONE :
		    DS_ICV_GOOD, "%s: verdict %u", v->id, r.verdict);
		cr_expect_not(r.is_replay, "%s", v->id);
	}
}

/* ---- lookup -------------------------------------------------------------- */

static void
add_match(struct ks_store *ks, uint32_t spi, const char *src,
    const char *dst, const char *label)
{
	struct ks_sa_spec sp = t_spec(DS_IPPROTO_ESP, spi, "null", "", "",
	    "");

	cr_assert(ks_addr_match_parse(&sp.src, src, strlen(src)), "%s", src);
	cr_assert(ks_addr_match_parse(&sp.dst, dst, strlen(dst)), "%s", dst);
	snprintf(sp.label, sizeof sp.label, "%s", label);
	t_add(ks, &sp);
}

static const char *
found(struct ks_store *ks, uint32_t spi, const char *src, const char *dst,
    bool *spi_only)
{
	struct ds_keyring kr = ks_keyring(ks);
	struct ds_addr s, d;
	struct ds_sa_ref ref;

	t_addr(&s, src);
	t_addr(&d, dst);
	if (!kr.lookup(kr.ctx, DS_IPPROTO_ESP, spi, &s, &d, &ref))
		return NULL;
	*spi_only = ref.spi_only;
	return ref.label;
}

Test(keystore, exact_beats_prefix_beats_wildcard_beats_spi_only)
{
	struct ks_store *ks = ks_store_new();
	bool so = false;

	/* added least specific first: order must not decide */
	add_match(ks, 0x100, "*", "*", "wild");
	add_match(ks, 0x100, "10.0.0.0/8", "192.0.2.0/24", "prefix");
	add_match(ks, 0x100, "10.1.*.*", "192.0.2.7", "octets");
	add_match(ks, 0x100, "10.1.2.3", "192.0.2.7", "exact");
	add_match(ks, 0x200, "10.9.9.9", "10.9.9.8", "elsewhere");
	cr_assert_str_eq(found(ks, 0x100, "10.1.2.3", "192.0.2.7", &so),
	    "exact");
	cr_assert_not(so);
	cr_assert_str_eq(found(ks, 0x100, "10.1.2.4", "192.0.2.7", &so),
	    "octets");
	cr_assert_str_eq(found(ks, 0x100, "10.2.2.4", "192.0.2.7", &so),
	    "prefix");
	cr_assert_str_eq(found(ks, 0x100, "11.2.2.4", "192.0.2.7", &so),
	    "wild");
	cr_assert_not(so);
	/* SPI alone, addresses ignored, and said so */
	cr_assert_str_eq(found(ks, 0x200, "1.1.1.1", "2.2.2.2", &so),
	    "elsewhere");
	cr_assert(so);
	cr_assert_null(found(ks, 0x300, "10.1.2.3", "192.0.2.7", &so));
	ks_store_free(ks);
}

Test(keystore, lookup_fills_icv_length_and_esn)
{
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ds_sa_ref ref;
	struct ks_sa_spec sp;

	sp = t_spec(DS_IPPROTO_ESP, 1, "aes-cbc", cbc_key16,
	    "hmac-sha2-256-128",
	    "0000000000000000000000000000000000000000000000000000000000000000");
	sp.esn = true;
	t_add(ks, &sp);
	sp = t_spec(DS_IPPROTO_ESP, 2, "aes-gcm-12",
	    "0000000000000000000000000000000000000000", "", "");
	t_add(ks, &sp);
	sp = t_spec(DS_IPPROTO_AH, 3, "", "", "aes-128-gmac",
	    "0000000000000000000000000000000000000000");
	t_add(ks, &sp);
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, 1, NULL, NULL, &ref));
	cr_assert_eq(ref.icv_len, 16);
	cr_assert(ref.esn);
	cr_assert_eq(ref.id, 1);
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, 2, NULL, NULL, &ref));
	cr_assert_eq(ref.icv_len, 12);
	cr_assert_not(ref.esn);
	/* RFC 4543 4: the AH ICV field carries the 8-octet IV too */
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_AH, 3, NULL, NULL, &ref));
	cr_assert_eq(ref.icv_len, 24);
	/* proto matters */
	cr_assert_not(kr.lookup(kr.ctx, DS_IPPROTO_AH, 1, NULL, NULL, &ref));
	ks_store_free(ks);
}

/* ---- keys without an SPI, found by trial --------------------------------- */

/* The GCM scapy vector (SPI 0x222), its key loaded without the SPI. */
Test(keystore, an_spi_any_key_is_bound_by_trial_and_kept)
{
	const struct t_vec *v = &vecs[7];
	struct t_warn w = { 0 };
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ks_sa_spec sp;
	struct ds_sa_ref ref;
	struct ds_addr src, dst;
	struct ds_sa_open req;
	uint8_t body[256], out[256];
	size_t n = t_hex(v->body, body, sizeof body);

	cr_assert_str_eq(v->id, "transport-aes-gcm-null");
	ks_store_set_warn(ks, t_warn_fn, &w);
	/* a wrong key first, then the right one, neither with an SPI */
	sp = t_spec(DS_IPPROTO_ESP, 0, v->enc,
	    "0000000000000000000000000000000000000000", "", "");
	sp.spi_any = true;
	t_add(ks, &sp);
	sp = t_spec(DS_IPPROTO_ESP, 0, v->enc, v->ekey, "", "");
	sp.spi_any = true;
	snprintf(sp.origin, sizeof sp.origin, "charon.log:42");
	t_add(ks, &sp);
	t_addr(&src, v->src);
	t_addr(&dst, v->dst);
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, v->spi, &src, &dst,
	    &ref));
	req = t_esp_req(v->spi, v->seq, body, n, out, sizeof out);
	cr_assert_eq(kr.open(kr.ctx, &ref, &req), DS_OK);
	cr_assert_eq(req.sa_id, 2);
	cr_assert_eq(w.n, 1);
	cr_assert_str_eq(w.last,
	    "esp spi 0x00000222: bound to key from charon.log:42");
	/* from now on the SPI finds the bound SA directly */
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, v->spi, &src, &dst,
	    &ref));
	cr_assert_eq(ref.id, 2);
	cr_assert_not(ref.spi_only);
	req = t_esp_req(v->spi, v->seq, body, n, out, sizeof out);
	cr_assert_eq(kr.open(kr.ctx, &ref, &req), DS_OK);
	cr_assert(req.is_replay);
	/* another SPI does not get the bound key, only the wrong one */
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, 0x333, &src, &dst,
	    &ref));
	req = t_esp_req(0x333, 1, body, n, out, sizeof out);
	cr_assert_eq(kr.open(kr.ctx, &ref, &req), DS_EAUTH);
	cr_assert_eq(req.sa_id, 0);
	ks_store_free(ks);
}

Test(keystore, trial_of_a_null_integrity_cbc_key_needs_a_plausible_trailer)
{
	const struct t_vec *v = &vecs[2];
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ks_sa_spec sp;
	struct ds_sa_open req;
	uint8_t body[256], out[256];
	size_t n = t_hex(v->body, body, sizeof body);
	unsigned i;

	cr_assert_str_eq(v->id, "transport-aes-cbc-null");
	sp = t_spec(DS_IPPROTO_ESP, 0, v->enc,
	    "000102030405060708090a0b0c0d0e0f", "", "");
	sp.spi_any = true;
	t_add(ks, &sp);
	/* the wrong key decrypts to noise: no binding */
	req = t_esp_req(v->spi, v->seq, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_EAUTH);
	cr_assert_eq(req.plain.len, 0);
	/* after KS_TRIAL_MAX failures the SPI is no longer tried */
	for (i = 0; i < 20; i++) {
		req = t_esp_req(v->spi, v->seq, body, n, out, sizeof out);
		(void)t_open(&kr, &req);
	}
	req = t_esp_req(v->spi, v->seq, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_ENOKEY);
	ks_store_free(ks);
	/* the right key binds */
	ks = ks_store_new();
	kr = ks_keyring(ks);
	sp = t_spec(DS_IPPROTO_ESP, 0, v->enc, v->ekey, "", "");
	sp.spi_any = true;
	t_add(ks, &sp);
	req = t_esp_req(v->spi, v->seq, body, n, out, sizeof out);
	cr_assert_eq(t_open(&kr, &req), DS_OK);
	cr_assert_eq(req.verdict, DS_ICV_NONE);
	cr_assert_eq(out[req.plain.len - 1], 4);
	ks_store_free(ks);
}

Test(keystore, spi_any_keys_respect_their_addresses)
{
	struct ks_store *ks = ks_store_new();
	struct ds_keyring kr = ks_keyring(ks);
	struct ks_sa_spec sp = t_spec(DS_IPPROTO_ESP, 0, "null", "", "", "");
	struct ds_addr a, b;
	struct ds_sa_ref ref;

	sp.spi_any = true;
	cr_assert(ks_addr_match_parse(&sp.dst, "192.0.2.1", 9));
	t_add(ks, &sp);
	t_addr(&a, "198.51.100.1");
	t_addr(&b, "192.0.2.1");
	cr_assert_not(kr.lookup(kr.ctx, DS_IPPROTO_ESP, 7, &b, &a, &ref));
	cr_assert(kr.lookup(kr.ctx, DS_IPPROTO_ESP, 7, &a, &b, &ref));
	ks_store_free(ks);
}
