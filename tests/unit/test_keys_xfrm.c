/* SPDX-License-Identifier: BSD-2-Clause */
/* The ip xfrm state loader: every algorithm, -s output, bad lines. */
#include "util_keyfile.h"
#include "../../keys/keys_int.h"

#define HEX2(x)		x x
#define HEX8(x)		HEX2(HEX2(HEX2(x)))
#define K16		HEX8("1f2e")		/* 16 octets */
#define K20		K16 "0a0b0c0d"
#define K19		K16 "0a0b0c"
#define K24		K16 HEX8("3c")
#define K32		K16 K16
#define K36		K32 "0a0b0c0d"
#define K48		K32 K16
#define K64		K32 K32
#define K8		HEX8("5a")

static struct ks_store *
load_str(const char *text, enum ds_err *e, struct ds_errinfo *ei)
{
	return tk_load("t.xfrm", text, strlen(text), KS_FMT_XFRM, e, ei);
}

Test(keys_xfrm, reads_ip_xfrm_state_output)
{
	struct ds_errinfo ei;
	struct ks_sa_info in;
	struct ks_store *ks;
	char ek[200], ik[200];
	enum ds_err e;
	long i;

	ks = tk_load_file("xfrm/state.txt", "state.txt", KS_FMT_XFRM, &e,
	    &ei);
	cr_assert_eq(e, DS_OK, "%s", ei.msg);
	/* the comp state is skipped */
	cr_assert_eq(ks_store_count(ks), 4);

	cr_assert_geq(i = tk_find_spi(ks, 0x1000, &in), 0);
	cr_assert_eq(in.proto, DS_IPPROTO_ESP);
	cr_assert_str_eq(in.enc->name, "aes-gcm-16");
	cr_assert_null(in.integ);
	cr_assert_str_eq(in.src, "192.0.2.1");
	cr_assert_str_eq(in.dst, "192.0.2.2");
	cr_assert_str_eq(in.origin, "state.txt:1");
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "0102030405060708090a0b0c0d0e0f1011121314");

	cr_assert_geq(i = tk_find_spi(ks, 0xc0011001, &in), 0);
	cr_assert_str_eq(in.enc->name, "aes-cbc");
	cr_assert_str_eq(in.integ->name, "hmac-sha2-256-128");
	cr_assert(in.esn);
	cr_assert_eq(in.replay_window, 128);
	cr_assert(ks->sa[i]->spec.encap_udp);
	cr_assert_eq(ks->sa[i]->spec.encap_sport, 4500);
	cr_assert_eq(ks->sa[i]->spec.encap_dport, 4500);
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "4142434445464748494a4b4c4d4e4f50");
	cr_assert_str_eq(ik, "2122232425262728292a2b2c2d2e2f30"
	    "3132333435363738393a3b3c3d3e3f40");

	cr_assert_geq(i = tk_find_spi(ks, 0x2000, &in), 0);
	cr_assert_str_eq(in.src, "2001:db8::1");
	cr_assert_str_eq(in.enc->name, "3des-cbc");
	cr_assert_str_eq(in.integ->name, "hmac-sha1-96");
	cr_assert_eq(in.replay_window, 32);
	cr_assert_not(in.esn);
	cr_assert_not(ks->sa[i]->spec.encap_udp);

	cr_assert_geq(i = tk_find_spi(ks, 0x3000, &in), 0);
	cr_assert_eq(in.proto, DS_IPPROTO_AH);
	cr_assert_null(in.enc);
	cr_assert_str_eq(in.integ->name, "hmac-sha2-512-256");
	ks_store_free(ks);
}

Test(keys_xfrm, reads_ip_s_xfrm_state_output)
{
	struct ds_errinfo ei;
	struct ks_sa_info in;
	struct ks_store *ks;
	char ek[200], ik[200];
	enum ds_err e;
	long i;

	ks = tk_load_file("xfrm/state-stats.txt", "s.txt", KS_FMT_XFRM, &e,
	    &ei);
	cr_assert_eq(e, DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 2);
	cr_assert_geq(i = tk_find_spi(ks, 0xa001, &in), 0);
	cr_assert_str_eq(in.enc->name, "chacha20-poly1305");
	cr_assert(in.esn);
	cr_assert_eq(in.replay_window, 64);
	cr_assert_eq(ks->sa[i]->spec.seq_hi, 1);
	cr_assert_geq(i = tk_find_spi(ks, 0xa002, &in), 0);
	cr_assert_str_eq(in.enc->name, "aes-ctr");
	cr_assert_str_eq(in.integ->name, "hmac-sha2-384-192");
	/* the stats block's "replay-window 0" is not the state's */
	cr_assert_eq(in.replay_window, 32);
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4");
	ks_store_free(ks);
}

static const struct {
	const char	*line;
	const char	*enc, *integ;
} algs[] = {
	{ "\tenc cbc(aes) 0x" K16 "\n", "aes-cbc", NULL },
	{ "\tenc cbc(aes) 0x" K32 "\n", "aes-cbc", NULL },
	{ "\tenc cbc(des3_ede) 0x" K24 "\n", "3des-cbc", NULL },
	{ "\tenc cbc(des) 0x" K8 "\n", "des-cbc", NULL },
	{ "\tenc cbc(blowfish) 0x" K16 "\n", "blowfish-cbc", NULL },
	{ "\tenc cbc(cast5) 0x" K16 "\n", "cast128-cbc", NULL },
	{ "\tenc ecb(cipher_null) \n", NULL, NULL },
	{ "\tenc ecb(cipher_null) 0x\n", NULL, NULL },
	{ "\tenc cipher_null \n", NULL, NULL },
	{ "\tauth digest_null 0x\n", NULL, NULL },
	{ "\tenc rfc3686(ctr(aes)) 0x" K20 "\n", "aes-ctr", NULL },
	{ "\taead rfc4106(gcm(aes)) 0x" K20 " 64\n", "aes-gcm-8", NULL },
	{ "\taead rfc4106(gcm(aes)) 0x" K20 " 96\n", "aes-gcm-12", NULL },
	{ "\taead rfc4106(gcm(aes)) 0x" K36 " 128\n", "aes-gcm-16", NULL },
	{ "\taead rfc4309(ccm(aes)) 0x" K19 " 64\n", "aes-ccm-8", NULL },
	{ "\taead rfc4309(ccm(aes)) 0x" K19 " 96\n", "aes-ccm-12", NULL },
	{ "\taead rfc4309(ccm(aes)) 0x" K19 " 128\n", "aes-ccm-16", NULL },
	{ "\taead rfc4543(gcm(aes)) 0x" K20 " 128\n", "aes-gmac", NULL },
	{ "\taead rfc7539esp(chacha20,poly1305) 0x" K36 " 128\n",
	    "chacha20-poly1305", NULL },
	{ "\tauth-trunc hmac(md5) 0x" K16 " 96\n", NULL, "hmac-md5-96" },
	{ "\tauth hmac(md5) 0x" K16 "\n", NULL, "hmac-md5-96" },
	{ "\tauth hmac(sha1) 0x" K20 "\n", NULL, "hmac-sha1-96" },
	/* the kernel's default for hmac(sha256) is the old 96 bits */
	{ "\tauth hmac(sha256) 0x" K32 "\n", NULL, "hmac-sha2-256-96" },
	{ "\tauth-trunc hmac(sha256) 0x" K32 " 96\n", NULL,
	    "hmac-sha2-256-96" },
	{ "\tauth-trunc hmac(sha256) 0x" K32 " 128\n", NULL,
	    "hmac-sha2-256-128" },
	{ "\tauth-trunc hmac(sha384) 0x" K48 " 192\n", NULL,
	    "hmac-sha2-384-192" },
	{ "\tauth hmac(sha384) 0x" K48 "\n", NULL, "hmac-sha2-384-192" },
	{ "\tauth-trunc hmac(sha512) 0x" K64 " 256\n", NULL,
	    "hmac-sha2-512-256" },
	{ "\tauth hmac(sha512) 0x" K64 "\n", NULL, "hmac-sha2-512-256" },
	{ "\tauth-trunc xcbc(aes) 0x" K16 " 96\n", NULL, "aes-xcbc-96" },
	{ "\tauth-trunc cmac(aes) 0x" K16 " 96\n", NULL, "aes-cmac-96" },
};

Test(keys_xfrm, maps_every_kernel_algorithm)
{
	size_t k;

	for (k = 0; k < DS_NELEM(algs); k++) {
		char text[1024];
		struct ds_errinfo ei;
		struct ks_sa_info in;
		struct ks_store *ks;
		enum ds_err e;
		bool enc = strstr(algs[k].line, "enc ") != NULL ||
		    strstr(algs[k].line, "aead ") != NULL;

		snprintf(text, sizeof text, "src 10.0.0.1 dst 10.0.0.2\n"
		    "\tproto esp spi 0x00000100 reqid 1 mode tunnel\n"
		    "\treplay-window 0 \n%s%s", algs[k].line,
		    enc ? "" : "\tenc cbc(aes) 0x" K16 "\n");
		ks = load_str(text, &e, &ei);
		cr_assert_eq(e, DS_OK, "%s: %s", algs[k].line, ei.msg);
		cr_assert(ks_store_sa(ks, 0, &in));
		if (enc && algs[k].enc != NULL)
			cr_assert_str_eq(in.enc->name, algs[k].enc, "%s",
			    algs[k].line);
		else if (enc)
			cr_assert_str_eq(in.enc->name, "null");
		if (algs[k].integ != NULL)
			cr_assert_str_eq(in.integ->name, algs[k].integ, "%s",
			    algs[k].line);
		else
			cr_assert_null(in.integ, "%s", algs[k].line);
		ks_store_free(ks);
	}
}

static void
expect_error(const char *attr, const char *want)
{
	char text[1024];
	struct ds_errinfo ei;
	struct ks_store *ks;
	enum ds_err e;

	snprintf(text, sizeof text, "src 10.0.0.1 dst 10.0.0.2\n"
	    "\tproto esp spi 0x00000100 reqid 1 mode tunnel\n%s", attr);
	ks = load_str(text, &e, &ei);
	cr_assert_neq(e, DS_OK, "%s", attr);
	cr_assert_not_null(strstr(ei.msg, want), "%s: '%s' not in '%s'",
	    attr, want, ei.msg);
	/* never a key in a message */
	cr_assert_null(strstr(ei.msg, "1f2e1f2e"), "%s", ei.msg);
	ks_store_free(ks);
}

Test(keys_xfrm, names_what_is_wrong)
{
	expect_error("\tauth-trunc hmac(sha256) 0x" K32 " 112\n"
	    "\tenc cbc(aes) 0x" K16 "\n", "t.xfrm:3: auth hmac(sha256) with "
	    "a 112-bit truncation");
	expect_error("\tenc cbc(serpent) 0x" K16 "\n", "t.xfrm:3: unknown "
	    "enc algorithm 'cbc(serpent)'");
	expect_error("\taead rfc4106(gcm(aes)) 0x" K20 " 32\n",
	    "aead rfc4106(gcm(aes)) with a 32-bit ICV");
	expect_error("\taead rfc4106(gcm(aes)) 0x" K20 "\n", "t.xfrm:3:");
	expect_error("\tenc cbc(aes) 0x\n", "t.xfrm:3: enc key is empty");
	expect_error("\tenc cbc(aes)\n", "t.xfrm:3: enc key missing");
	expect_error("\tenc cbc(aes) 0x" K16 "a\n", "t.xfrm:3: enc key is "
	    "not an even number");
	expect_error("\tenc cbc(aes) 0x" K16 "zz\n", "t.xfrm:3:");
	expect_error("\tenc cbc(aes) 0x" K16 " (256 bits)\n", "t.xfrm:3: "
	    "enc key size");
	expect_error("\tenc cbc(aes) 0x" K20 "\n", "t.xfrm:1: aes-cbc");
	expect_error("\tauth-trunc hmac(sha1) 0x" K20 " 96\n", "t.xfrm:1: "
	    "ESP state without an enc");
	expect_error("\tenc cbc(aes) 0x" K16 "\n\tenc cbc(aes) 0x" K16 "\n",
	    "t.xfrm:4: a second encryption");
	expect_error("\tencap type espinudp sport 99999 dport 4500 addr "
	    "0.0.0.0\n\tenc cbc(aes) 0x" K16 "\n", "t.xfrm:3:");
	expect_error("bogus\n", "t.xfrm:3: expected a 'src");
	expect_error("\tenc cbc(aes) 0x" K16 " 1f2e1f2e\n", "t.xfrm:3: "
	    "unexpected text after the enc key");
}

Test(keys_xfrm, rejects_bad_headers)
{
	static const char *const bad[] = {
		"src 10.0.0.1\n",
		"src 10.0.0.1 dst\n",
		"src 10.0.0.1 dst 2001:db8::1\n",
		"src x dst 10.0.0.1\n",
		"\tproto esp spi 0x1\n",
		"src 10.0.0.1 dst 10.0.0.2\n\tenc cbc(aes) 0x" K16 "\n",
		"src 10.0.0.1 dst 10.0.0.2\n\tproto esp reqid 1\n",
		"src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi 0x1ffffffff\n",
		"src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi\n",
		"src 10.0.0.1 dst 10.0.0.2\n\tproto ah spi 1\n",
		"",
	};
	size_t k;

	for (k = 0; k < DS_NELEM(bad); k++) {
		struct ds_errinfo ei;
		struct ks_store *ks;
		enum ds_err e;

		ks = load_str(bad[k], &e, &ei);
		cr_assert_neq(e, DS_OK, "%s", bad[k]);
		cr_assert(strncmp(ei.msg, "t.xfrm:", 7) == 0, "%s", ei.msg);
		ks_store_free(ks);
	}
}

static void
every_prefix(const char *rel, size_t want)
{
	size_t len;
	char *t = tk_slurp(rel, &len);

	tk_every_prefix(t, len, KS_FMT_XFRM, want);
	free(t);
}

Test(keys_xfrm, survives_every_truncation)
{
	every_prefix("xfrm/state.txt", 4);
	every_prefix("xfrm/state-stats.txt", 2);
}

Test(keys_xfrm, sniffs_only_its_own_format)
{
	static const char st[] = "src 1.2.3.4 dst 5.6.7.8\n"
	    "\tproto esp spi 0x1 reqid 1 mode tunnel\n";
	static const char no[] = "src 1.2.3.4 dst 5.6.7.8\n"
	    "proto esp spi 0x1\n";

	cr_assert(ks_detect_format(st, sizeof st - 1) == KS_FMT_XFRM);
	cr_assert_not(ks_detect_format(no, sizeof no - 1) == KS_FMT_XFRM);
}
