/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key-file loaders: the native format, Wireshark esp_sa and
 * ikev2_decryption_table, tcpdump -E; every sample file, every truncation
 * of a valid line, lying lines, format detection, the permission warning.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../keys/keys_int.h"
#include "../../keys/load_int.h"

#define NAME	"t.keys"

static struct ks_store *ks;
static struct ds_errinfo ei;
static char warned[400];

static void
on_warn(void *arg, const char *msg)
{
	(void)arg;
	snprintf(warned, sizeof warned, "%s", msg);
}

/* A fresh store; the tests that loop call it once per case. */
static void
setup(void)
{
	ks_store_free(ks);
	ks = ks_store_new();
	cr_assert_not_null(ks);
	ks_store_set_warn(ks, on_warn, NULL);
	memset(&ei, 0, sizeof ei);
	warned[0] = '\0';
}

static void
teardown(void)
{
	ks_store_free(ks);
	ks = NULL;
}

TestSuite(keys_load, .init = setup, .fini = teardown);

static enum ds_err
load(const char *text, enum ks_format f)
{
	memset(&ei, 0, sizeof ei);
	return ks_store_load_buf(ks, NAME, text, strlen(text), f, &ei);
}

static const struct ks_sa_spec *
spec(size_t i)
{
	cr_assert_lt(i, ks->n);
	return &ks->sa[i]->spec;
}

/* A hex string of n octets 0x01 0x02 ... into buf. */
static const char *
hexkey(char *buf, size_t n)
{
	size_t i;

	strcpy(buf, "0x");
	for (i = 0; i < n; i++)
		sprintf(buf + 2 + 2 * i, "%02x", (unsigned)(i + 1) & 0xff);
	return buf;
}

static void
assert_clean_error(enum ds_err e, const char *prefix)
{
	cr_assert_neq(e, DS_OK);
	cr_assert(strncmp(ei.msg, prefix, strlen(prefix)) == 0,
	    "message '%s' does not start with '%s'", ei.msg, prefix);
}

/* ---- native ------------------------------------------------------------ */

static const char native_text[] =
    "# comment\n"
    "\n"
    "esp spi=0x12345678 src=192.0.2.1 dst=198.51.100.0/24 enc=aes-gcm-16 "
    "enc-key=0x000102030405060708090a0b0c0d0e0fcafebabe esn=yes "
    "replay-window=128 label=office-out\n"
    "   esp spi=0xc0ffee01 src=* dst=2001:db8::1 enc=aes-cbc "
    "enc-key=0x000102030405060708090a0b0c0d0e0f integ=hmac-sha2-256-128 "
    "integ-key=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
    "1c1d1e1f\r\n"
    "ah spi=0x1000 dst=* integ=hmac-sha1-96 "
    "integ-key=01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14\n"
    "esp spi=4096 enc=null integ=any-96 encap=udp:4501:4500 seq-hi=7 "
    "esn=yes label=\"road \\\"warrior\\\"\" # trailing comment\n"
    "ESP SPI=* ENC=ENCR_AES_GCM_8 enc-key=0x000102030405060708090a0b0c0d0e0f"
    "000102030405060708090a0b0c0d0e0f01020304 encap=udp";

Test(keys_load, native_reads_every_field)
{
	const struct ks_sa_spec *s;

	cr_assert_eq(load(native_text, KS_FMT_NATIVE), DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 5);
	s = spec(0);
	cr_assert_eq(s->proto, DS_IPPROTO_ESP);
	cr_assert_eq(s->spi, 0x12345678);
	cr_assert_str_eq(s->enc->name, "aes-gcm-16");
	cr_assert_null(s->integ);
	cr_assert_eq(s->enc_key.len, 20);
	cr_assert_eq(s->enc_key.p[19], 0xbe);
	cr_assert(s->esn);
	cr_assert_eq(s->replay_window, 128);
	cr_assert_str_eq(s->label, "office-out");
	cr_assert_str_eq(s->origin, NAME ":3");
	cr_assert_eq(s->src.a.family, DS_AF_INET);
	cr_assert_eq(s->dst.mask[2], 0xff);
	cr_assert_eq(s->dst.mask[3], 0);
	s = spec(1);
	cr_assert_eq(s->src.a.family, DS_AF_ANY);
	cr_assert_str_eq(s->integ->name, "hmac-sha2-256-128");
	cr_assert_eq(s->integ_key.len, 32);
	s = spec(2);
	cr_assert_eq(s->proto, DS_IPPROTO_AH);
	cr_assert_null(s->enc);
	cr_assert_eq(s->integ_key.len, 20);
	s = spec(3);
	cr_assert_eq(s->spi, 4096);
	cr_assert(s->encap_udp);
	cr_assert_eq(s->encap_sport, 4501);
	cr_assert_eq(s->encap_dport, 4500);
	cr_assert_eq(s->seq_hi, 7);
	cr_assert_str_eq(s->label, "road \"warrior\"");
	cr_assert_str_eq(s->integ->name, "any-96");
	s = spec(4);
	cr_assert(s->spi_any);
	cr_assert_str_eq(s->enc->name, "aes-gcm-8");
	cr_assert_eq(s->enc_key.len, 36);
	cr_assert_eq(s->encap_sport, 4500);
}

/* Every row of keys/alg_list.h by its canonical name, with a fitting key. */
Test(keys_load, native_takes_every_canonical_algorithm)
{
	const struct ks_alg *all;
	char line[512], key[2 * KS_KEY_MAX + 8];
	size_t n, i, want = 0;

	all = ks_alg_all(&n);
	for (i = 0; i < n; i++) {
		const struct ks_alg *a = &all[i];
		size_t kl = (size_t)a->key_min + a->salt_len;

		if (a->kind == KS_ALG_INTEG)
			snprintf(line, sizeof line,
			    "%s spi=0x%zx integ=%s%s%s\n",
			    a->icv_len ? "ah" : "esp enc=null", i + 1, a->name,
			    kl ? " integ-key=" : "", kl ? hexkey(key, kl) : "");
		else
			snprintf(line, sizeof line,
			    "esp spi=0x%zx enc=%s%s%s\n", i + 1, a->name,
			    kl ? " enc-key=" : "", kl ? hexkey(key, kl) : "");
		cr_assert_eq(load(line, KS_FMT_NATIVE), DS_OK, "%s: %s",
		    a->name, ei.msg);
		want++;
		cr_assert_eq(ks_store_count(ks), want);
		cr_assert(spec(want - 1)->enc == a ||
		    spec(want - 1)->integ == a, "%s", a->name);
	}
}

Test(keys_load, native_takes_iana_and_short_names)
{
	static const struct { const char *alias, *name; } t[] = {
		{ "ENCR_AES_GCM_16", "aes-gcm-16" },
		{ "encr_3des", "3des-cbc" },
		{ "ENCR_CHACHA20_POLY1305", "chacha20-poly1305" },
		{ "ENCR_NULL_AUTH_AES_GMAC", "aes-gmac" },
		{ "AUTH_HMAC_SHA2_256_128", "hmac-sha2-256-128" },
		{ "AUTH_HMAC_SHA1_96", "hmac-sha1-96" },
		{ "sha256", "hmac-sha2-256-128" },
		{ "rfc4106(gcm(aes))", "aes-gcm-16" },
		{ "AES-CBC", "aes-cbc" },
	};
	size_t i;

	for (i = 0; i < DS_NELEM(t); i++) {
		const struct ks_alg *a = ks_alg_lookup(t[i].alias);

		cr_assert_not_null(a, "%s", t[i].alias);
		cr_assert_str_eq(a->name, t[i].name);
	}
	cr_assert_null(ks_alg_lookup("aes-cbx"));
}

struct bad {
	const char	*line;
	const char	*says;		/* part of the message */
};

/* Each bad line after the lines of head fails at its own line number. */
static void
check_bad(const struct bad *b, size_t n, const char *head, enum ks_format f,
    const char *prefix)
{
	char text[700];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(text, sizeof text, "%s%s\n", head, b[i].line);
		setup();
		assert_clean_error(load(text, f), prefix);
		cr_assert_not_null(strstr(ei.msg, b[i].says),
		    "'%s': '%s' lacks '%s'", b[i].line, ei.msg, b[i].says);
		teardown();
	}
}

static const struct bad native_bad[] = {
	{ "esp spi=0x1 enc=aes-cbx", "unknown encryption algorithm 'aes-cbx'" },
	{ "esp spi=0x1 enc=aes-cbx", "aes-cbc" },
	{ "esp spi=0x1 enc=aes-cbc enc-key=0x123", "odd number of hex" },
	{ "esp spi=0x1 enc=aes-cbc enc-key=0x12zz", "not a hex digit" },
	{ "esp spi=0x1 enc=aes-cbc enc-key=0x0102030405060708090a0b0c0d0e0f10"
	  "0102030405060708090a0b0c0d0e0f100102030405060708090a0b0c0d0e0f10"
	  "0102030405060708090a0b0c0d0e0f1011", "longer than 64 bytes" },
	{ "esp spi=0x1 enc=aes-cbc enc-key=0x0102030405060708090a0b0c0d0e0f",
	  "aes-cbc encryption needs 16 to 32 key bytes" },
	{ "esp spi=0x100000000 enc=null", "fit in 32 bits" },
	{ "esp spi=99999999999 enc=null", "fit in 32 bits" },
	{ "esp spi=0 enc=null", "reserved" },
	{ "esp spi=0x enc=null", "spi must be" },
	{ "esp enc=null", "spi is missing" },
	{ "esp spi=1 spi=2 enc=null", "spi given twice" },
	{ "esp spi=1 enc=null dst=10.0.0.0/33", "dst is not an address" },
	{ "esp spi=1 enc=null src=2001:db8::/129", "src is not an address" },
	{ "esp spi=1 enc=null src=10.0.0.256", "src is not an address" },
	{ "esp spi=1 enc=null src=1:2:3:4:5:6:7:8:9", "src is not" },
	{ "esp spi=1 enc=null src=1::2::3", "src is not" },
	{ "esp spi=1 enc=null foo=bar", "unknown key 'foo'" },
	{ "esp spi=1 enc=null esn", "is not key=value" },
	{ "esp spi=1 enc=null esn=maybe", "esn must be yes or no" },
	{ "esp spi=1 enc=null esn=", "has no value" },
	{ "esp spi=1 enc=null seq-hi=3", "seq-hi needs esn=yes" },
	{ "esp spi=1 enc=null replay-window=0", "replay-window must be" },
	{ "esp spi=1 enc=null replay-window=65537", "replay-window must be" },
	{ "esp spi=1 enc=null encap=tcp", "encap must be" },
	{ "esp spi=1 enc=null encap=udp:0:4500", "encap must be" },
	{ "esp spi=1 enc=null encap=udp:4500", "encap must be" },
	{ "esp spi=1 enc=null label=\"open", "label must be" },
	{ "esp spi=1 enc=null label=a\"b", "label must be" },
	{ "esp spi=1 enc=null label=\"0123456789012345678901234567890123456789"
	  "01234567890123456789012345\"", "label must be" },
	{ "ah spi=1 integ=none", "AH needs an integrity" },
	{ "ah spi=1 enc=null integ=any-96", "AH takes an integrity" },
	{ "ah spi=1 integ=any-96 encap=udp", "not UDP-encapsulated" },
	{ "esp spi=1 integ=hmac-sha1-96", "ESP needs an encryption" },
	{ "esp spi=1 enc=aes-gcm-16 enc-key=0x000102030405060708090a0b0c0d0e0f"
	  "01020304 integ=any-96", "combined mode" },
	{ "esp spi=1 enc=hmac-sha1-96", "is not a cipher" },
	{ "tunnel spi=1", "must start with esp or ah" },
};

Test(keys_load, native_rejects_bad_lines_with_file_and_line)
{
	check_bad(native_bad, DS_NELEM(native_bad),
	    "# c\nesp spi=0x77 enc=null\n", KS_FMT_NATIVE, NAME ":3: ");
}

/* No message may carry a key: the digits of every key stay out of it. */
Test(keys_load, messages_never_show_keys)
{
	static const char *lines[] = {
		"esp spi=0x1 enc=aes-cbc "
		    "enc-key=0xdeadbeefcafe1234deadbeefcafe12",
		"esp spi=0x1 enc=aes-cbc "
		    "enc-key=0xdeadbeefcafe1234deadbeefcafe12345",
		"esp spi=0x1 enc=aes-cbx "
		    "enc-key=0xdeadbeefcafe1234deadbeefcafe1234",
		("\"IPv4\",\"*\",\"*\",\"0x1\",\"AES-CBC [RFC3602]\","
		"\"0xdeadbeefcafe1234deadbeefcafe12\",\"NULL\",\"\""),
		"0x1@10.0.0.1 aes128-cbc:0xdeadbeefcafe1234deadbeefcafe12",
		"0x1@10.0.0.1 aes256-cbc:0xdeadbeefcafe1234deadbeefcafe1234",
		/* a key where something else belongs */
		"esp spi=0x1 enc=aes-cbc "
		    "enc-key 0xdeadbeefcafe1234deadbeefcafe12",
		"esp spi=0x1 enc=0xdeadbeefcafe1234deadbeefcafe1234",
		"esp spi=0x1 enc=null dst=0xdeadbeefcafe1234deadbeefcafe1234",
		"esp spi=0x1 0xdeadbeefcafe1234deadbeefcafe1234=1",
		("\"IPv4\",\"*\",\"*\",\"0x1\","
		"\"0xdeadbeefcafe1234deadbeefcafe1234\",\"AES-CBC [RFC3602]\","
		"\"NULL\",\"\""),
		("\"IPv4\",\"0xdeadbeefcafe1234deadbeefcafe1234\",\"*\","
		"\"0x1\",\"NULL\",\"\",\"NULL\",\"\""),
		"0x1@10.0.0.1 deadbeefcafe1234deadbeefcafe1234:0x01",
		"0x1@deadbeefcafe1234deadbeefcafe1234 "
		    "des-cbc:0x0102030405060708",
		("ikev2 I 0x0001020304050607 0xc02e7a3031a03188 "
		"deadbeefcafe1234:0x01 aes128:0x02"),
	};
	size_t i;

	for (i = 0; i < DS_NELEM(lines); i++) {
		cr_assert_neq(load(lines[i], KS_FMT_AUTO), DS_OK, "%s",
		    lines[i]);
		cr_assert_null(strstr(ei.msg, "deadbeef"), "%s", ei.msg);
		cr_assert_null(strstr(ei.msg, "cafe"), "%s", ei.msg);
	}
}

/* ---- Wireshark esp_sa ---------------------------------------------------- */

struct ws_case {
	const char	*ws;
	const char	*name;		/* canonical; NULL: must fail */
	size_t		 key;
};

static const struct ws_case ws_enc[] = {
	{ "NULL", "null", 0 },
	{ "TripleDES-CBC [RFC2451]", "3des-cbc", 24 },
	{ "AES-CBC [RFC3602]", "aes-cbc", 16 },
	{ "AES-CBC with 128-bit keys [RFC3602]", "aes-cbc", 32 },
	{ "AES-CTR [RFC3686]", "aes-ctr", 20 },
	{ "DES-CBC [RFC2405]", "des-cbc", 8 },
	{ "CAST5-CBC [RFC2144]", "cast128-cbc", 16 },
	{ "BLOWFISH-CBC [RFC2451]", "blowfish-cbc", 16 },
	{ "TWOFISH-CBC", "twofish-cbc", 32 },
	{ "AES-GCM [RFC4106]", "aes-gcm-16", 20 },
	{ "AES-GCM with 8 octet ICV [RFC4106]", "aes-gcm-8", 20 },
	{ "AES-GCM with 12 octet ICV [RFC4106]", "aes-gcm-12", 28 },
	{ "AES-GCM with 16 octet ICV [RFC4106]", "aes-gcm-16", 36 },
	{ "ChaCha20 with Poly1305 [RFC7634]", "chacha20-poly1305", 36 },
	{ "AES-CCM with 8 octet ICV [RFC4309]", "aes-ccm-8", 19 },
	{ "AES-CCM with 12 octet ICV [RFC4309]", "aes-ccm-12", 19 },
	{ "AES-CCM with 16 octet ICV [RFC4309]", "aes-ccm-16", 35 },
	{ "NULL encryption with AES-GMAC [RFC4543]", "aes-gmac", 20 },
	{ "AES-NULL-GMAC [RFC4543]", "aes-gmac", 20 },
	{ "AES-GCM with IIV and 16 octet ICV [RFC4106 & RFC8750]", NULL, 20 },
	{ "ChaCha20 with Poly1305 and IIV [RFC7634 & RFC8750]", NULL, 36 },
	{ "SERPENT-CBC", NULL, 16 },
};

static const struct ws_case ws_auth[] = {
	{ "NULL", "none", 0 },
	{ "HMAC-SHA-1-96 [RFC2404]", "hmac-sha1-96", 20 },
	{ "HMAC-SHA1-96 [RFC2404]", "hmac-sha1-96", 20 },
	{ "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]",
	    "hmac-sha2-256-96", 32 },
	{ "HMAC-SHA256", "hmac-sha2-256-96", 32 },
	{ "HMAC-SHA-256-128 [RFC4868]", "hmac-sha2-256-128", 32 },
	{ "HMAC-SHA-384-192 [RFC4868]", "hmac-sha2-384-192", 48 },
	{ "HMAC-SHA-512-256 [RFC4868]", "hmac-sha2-512-256", 64 },
	{ "HMAC-MD5-96 [RFC2403]", "hmac-md5-96", 16 },
	{ "AES-XCBC-MAC-96 [RFC3566]", "aes-xcbc-96", 16 },
	{ "ANY 64 bit authentication [no checking]", "any-64", 0 },
	{ "ANY 96 bit authentication [no checking]", "any-96", 0 },
	{ "ANY 128 bit authentication [no checking]", "any-128", 0 },
	{ "ANY 192 bit authentication [no checking]", "any-192", 0 },
	{ "ANY 256 bit authentication [no checking]", "any-256", 0 },
	{ "ANY 12-bytes of Authentication [No Checking]", "any-96", 0 },
	{ "MAC-RIPEMD-160-96 [RFC2857]", NULL, 20 },
	{ "HMAC-RIPEMD160-96 [RFC2857]", NULL, 20 },
};

Test(keys_load, wireshark_esp_reads_every_encryption_string)
{
	char row[600], key[2 * KS_KEY_MAX + 8];
	size_t i, want = 0;

	for (i = 0; i < DS_NELEM(ws_enc); i++) {
		const struct ws_case *c = &ws_enc[i];
		enum ds_err e;

		snprintf(row, sizeof row, "\"IPv4\",\"10.0.0.1\",\"10.0.*.*\","
		    "\"0x%zx\",\"%s\",\"%s\",\"NULL\",\"\"\n", i + 1, c->ws,
		    c->key ? hexkey(key, c->key) : "");
		e = load(row, KS_FMT_WIRESHARK_ESP);
		if (c->name == NULL) {
			assert_clean_error(e, NAME ":1: ");
			continue;
		}
		cr_assert_eq(e, DS_OK, "%s: %s", c->ws, ei.msg);
		want++;
		cr_assert_eq(ks_store_count(ks), want);
		cr_assert_str_eq(spec(want - 1)->enc->name, c->name, "%s",
		    c->ws);
		cr_assert_eq(spec(want - 1)->enc_key.len, c->key);
	}
}

Test(keys_load, wireshark_esp_reads_every_authentication_string)
{
	char row[600], key[2 * KS_KEY_MAX + 8];
	size_t i, want = 0;

	for (i = 0; i < DS_NELEM(ws_auth); i++) {
		const struct ws_case *c = &ws_auth[i];
		enum ds_err e;

		snprintf(row, sizeof row, "\"IPv6\",\"2001:db8::*\",\"*\","
		    "\"*\",\"AES-CBC [RFC3602]\",\"0x000102030405060708090a0b0c"
		    "0d0e0f\",\"%s\",\"%s\"\n", c->ws,
		    c->key ? hexkey(key, c->key) : "");
		e = load(row, KS_FMT_WIRESHARK_ESP);
		if (c->name == NULL) {
			assert_clean_error(e, NAME ":1: ");
			cr_assert_not_null(strstr(ei.msg, "not supported"));
			continue;
		}
		cr_assert_eq(e, DS_OK, "%s: %s", c->ws, ei.msg);
		want++;
		cr_assert_str_eq(spec(want - 1)->integ->name, c->name);
		cr_assert(spec(want - 1)->spi_any);
		cr_assert_eq(spec(want - 1)->src.a.family, DS_AF_INET6);
	}
}

Test(keys_load, wireshark_esp_legacy_gcm_takes_the_icv_from_any)
{
	cr_assert_eq(load("\"IPv4\",\"*\",\"*\",\"0x1\",\"AES-GCM [RFC4106]\","
	    "\"0x0102030405060708090a0b0c0d0e0f1011121314\","
	    "\"ANY 64 bit authentication [no checking]\",\"\"\n"
	    "\"IPv4\",\"*\",\"*\",\"0x2\",\"AES-GCM [RFC4106]\","
	    "\"0x0102030405060708090a0b0c0d0e0f1011121314\",\"NULL\",\"\"\n",
	    KS_FMT_WIRESHARK_ESP), DS_OK, "%s", ei.msg);
	cr_assert_str_eq(spec(0)->enc->name, "aes-gcm-8");
	cr_assert_null(spec(0)->integ);
	cr_assert_str_eq(spec(1)->enc->name, "aes-gcm-16");
	cr_assert_not_null(strstr(warned, "16 octets assumed"));
}

Test(keys_load, wireshark_esp_reads_escapes_ascii_keys_and_odd_hex)
{
	cr_assert_eq(load("# made by hand\n"
	    "  \"IPv4\" , \"10.0.0.1\",\"10.0.0.2\",\"10\",\"AES-\\x43BC "
	    "[RFC3602]\",\"aescbcencryption\",\"HMAC-SHA-1-96 [RFC2404]\","
	    "\"0x0fdabceff00aabb55412364d003219fffabc000\"\n",
	    KS_FMT_WIRESHARK_ESP), DS_OK, "%s", ei.msg);
	cr_assert_eq(spec(0)->spi, 10);
	cr_assert_eq(spec(0)->enc_key.len, 16);
	cr_assert_eq(memcmp(spec(0)->enc_key.p, "aescbcencryption", 16), 0);
	cr_assert_eq(spec(0)->integ_key.len, 20);
	cr_assert_eq(spec(0)->integ_key.p[0], 0x00);
	cr_assert_eq(spec(0)->integ_key.p[1], 0xfd);
}

static const struct bad ws_bad[] = {
	{ "\"IPv5\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"\"",
	  "protocol must be" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\"", "7 fields" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"\",\"x\"",
	  "9 fields" },
	{ "\"IPv4\",\"3ffe::1\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"\"",
	  "is not IPv4" },
	{ "\"IPv4\",\"10.0.0.300\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"\"",
	  "source address" },
	{ "\"IPv4\",\"*\",\"*\",\"0x123*\",\"NULL\",\"\",\"NULL\",\"\"",
	  "partial SPI wildcards" },
	{ "\"IPv4\",\"*\",\"*\",\"0x100000000\",\"NULL\",\"\",\"NULL\",\"\"",
	  "32 bits" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"AES-CBC [RFC3602]\",\"0x0g\",\"NULL\","
	  "\"\"", "not a hex digit" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"AES-CBC [RFC3602]\",\"0x0102\","
	  "\"NULL\",\"\"", "needs 16 to 32" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"AES-GCM with 16 octet ICV [RFC4106]\","
	  "\"0x0102030405060708090a0b0c0d0e0f1011121314\","
	  "\"HMAC-SHA-1-96 [RFC2404]\",\"0x0102030405060708090a0b0c0d0e0f10"
	  "11121314\"", "authentication must be NULL" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"", "closing" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\" \"\"",
	  "other than a comma" },
	{ "\"IPv4\",\"*\",\"*\",\"*\",\"Rot13\",\"\",\"NULL\",\"\"",
	  "unknown encryption algorithm 'Rot13'" },
};

Test(keys_load, wireshark_esp_rejects_bad_rows)
{
	check_bad(ws_bad, DS_NELEM(ws_bad), "# c\n", KS_FMT_WIRESHARK_ESP,
	    NAME ":2: ");
}

/* ---- Wireshark ikev2_decryption_table ------------------------------------ */

static const char ikev2_row[] =
    "99feb3adea1ee8f8,85a3428fbdd9e1df,e7c504282820eca3e4326b2bebd325d8dbcb"
    "2d79c40003a4ac197ffc09871aeaddb61e2c,d9bd1198df34db0dc7636be01be02977"
    "09d8555fce6a162f0da809348169bd9963c694a7,\"AES-CTR-256 [RFC5930]\","
    "945ec3f494d2295f8cd5e8d74ac67e694171d042719d6f8f577268de66a80cfa,"
    "fb1aaaab2165f88d43045e8864c05e460f6ad8ac05d27ff8dfba83c920b0111a,"
    "\"HMAC_SHA2_256_128 [RFC4868]\"";

Test(keys_load, wireshark_ikev2_reads_a_row)
{
	const struct ks_ike_spec *s;

	cr_assert_eq(load(ikev2_row, KS_FMT_WIRESHARK_IKEV2), DS_OK, "%s",
	    ei.msg);
	cr_assert_eq(ks_store_ike_count(ks), 1);
	cr_assert_eq(ks_store_count(ks), 0);
	s = ks_store_ike(ks, 0);
	cr_assert_not_null(s);
	cr_assert_null(ks_store_ike(ks, 1));
	cr_assert_eq(s->spi_i[0], 0x99);
	cr_assert_eq(s->spi_r[7], 0xdf);
	cr_assert_eq(s->sk_ei.len, 36);
	cr_assert_eq(s->sk_ar.len, 32);
	cr_assert_str_eq(s->enc_name, "aes-ctr");
	cr_assert_str_eq(s->integ_name, "hmac-sha2-256-128");
}

static const struct bad ikev2_bad[] = {
	{ "99feb3adea1ee8f,85a3428fbdd9e1df,,,\"NULL [RFC2410]\",,,"
	  "\"NONE [RFC4306]\"", "initiator SPI must be 16 hex" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1dg,,,\"NULL [RFC2410]\",,,"
	  "\"NONE [RFC4306]\"", "responder SPI" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1df,0102,,\"3DES [RFC2451]\",,,"
	  "\"NONE [RFC4306]\"", "needs 24 key bytes, got 2" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1df,,,\"NULL [RFC2410]\",010,,"
	  "\"NONE [RFC4306]\"", "odd number" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1df,,,\"NULL [RFC2410]\",0x01,,"
	  "\"NONE [RFC4306]\"", "not a hex digit" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1df,,,\"DES [RFC2405]\",,,"
	  "\"NONE [RFC4306]\"", "unknown encryption" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1df,,,\"NULL [RFC2410]\",,,"
	  "\"HMAC_CRC32\"", "unknown integrity" },
	{ "99feb3adea1ee8f8,85a3428fbdd9e1df,,,\"NULL [RFC2410]\",,",
	  "7 fields" },
};

Test(keys_load, wireshark_ikev2_rejects_bad_rows)
{
	check_bad(ikev2_bad, DS_NELEM(ikev2_bad), "", KS_FMT_WIRESHARK_IKEV2,
	    NAME ":1: ");
}

/* ---- tcpdump -E ---------------------------------------------------------- */

static const char tcpdump_text[] =
    "# a comment\n"
    "\n"
    "0x12345678@192.1.2.45 3des-cbc-hmac96:0x43434545464649494a4a4c4c4f4f51"
    "515252545457575840\n"
    "0xabcdabcd@2001:db8::1\taes128-cbc:0x000102030405060708090a0b0c0d0e0f\n"
    "0x10@10.0.0.1 des-cbc:0x0102030405060708\n"
    "0x11@10.0.0.1 blowfish-cbc:0x0102030405060708090a0b0c0d0e0f10\n"
    "0x12@10.0.0.1 cast128-cbc-hmac96:0x0102030405060708090a0b0c0d0e0f10\n"
    "0x13@10.0.0.1 aes192-cbc:0x0102030405060708090a0b0c0d0e0f1011121314"
    "15161718\n"
    "0x14@10.0.0.1 none:\n"
    "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x4ea8e662b07cdd43"
    "0f6944c6723e4b82d5722418 aes128:0x3f44bf47cafd8150591deb088199fcbf\n"
    "ikev2 R 0x0001020304050607 0xc02e7a3031a03188 sha1:0x515b0bd22e6d76b3"
    "4fdb760aa7bfad80b109b75d aes128:0xbedb67ec7dc3d00cccac42e70cd63bde\n"
    "aes256-cbc:secretsecretsecretsecretsecret32\n";

Test(keys_load, tcpdump_reads_every_form)
{
	const struct ks_ike_spec *ike;

	cr_assert_eq(load(tcpdump_text, KS_FMT_TCPDUMP), DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 8);
	cr_assert_eq(ks_store_ike_count(ks), 1);
	cr_assert_eq(spec(0)->spi, 0x12345678);
	cr_assert_str_eq(spec(0)->enc->name, "3des-cbc");
	cr_assert_str_eq(spec(0)->integ->name, "any-96");
	cr_assert_eq(spec(0)->src.a.family, DS_AF_ANY);
	cr_assert_eq(spec(1)->dst.a.family, DS_AF_INET6);
	cr_assert_str_eq(spec(1)->integ->name, "none");
	cr_assert_str_eq(spec(2)->enc->name, "des-cbc");
	cr_assert_str_eq(spec(3)->enc->name, "blowfish-cbc");
	cr_assert_str_eq(spec(4)->enc->name, "cast128-cbc");
	cr_assert_eq(spec(5)->enc_key.len, 24);
	cr_assert_str_eq(spec(6)->enc->name, "null");
	cr_assert(spec(7)->spi_any);
	cr_assert_eq(spec(7)->dst.a.family, DS_AF_ANY);
	cr_assert_eq(spec(7)->enc_key.len, 32);
	cr_assert_eq(memcmp(spec(7)->enc_key.p, "secret", 6), 0);
	cr_assert_not_null(ike = ks_store_ike(ks, 0));
	cr_assert_eq(ike->sk_ei.len, 16);
	cr_assert_eq(ike->sk_er.len, 16);
	cr_assert_eq(ike->sk_ai.len, 20);
	cr_assert_eq(ike->sk_ar.len, 20);
	cr_assert_eq(ike->sk_er.p[0], 0xbe);
	cr_assert_str_eq(ike->enc_name, "aes-cbc");
	cr_assert_str_eq(ike->integ_name, "hmac-sha1-96");
}

Test(keys_load, tcpdump_keeps_unpaired_ike_lines_apart)
{
	cr_assert_eq(load("ikev2I 0x0001020304050607 0xc02e7a3031a03188 "
	    "sha1:0x01 aes128:0x02\n"
	    "ikev2 I 0x0001020304050608 0xc02e7a3031a03188 md5:0x01 "
	    "3des:0x02\n",
	    KS_FMT_TCPDUMP), DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_ike_count(ks), 2);
}

static const struct bad tcpdump_bad[] = {
	{ "0x1@10.0.0.1 rc3-cbc:0x0102", "no such cipher" },
	{ "0x1@10.0.0.1 aes-cbc:0x0102", "unknown algorithm 'aes-cbc'" },
	{ "0x1@10.0.0.1 aes128-cbc:0x0102", "needs a 16-byte key, got 2" },
	{ "0x1@10.0.0.1 aes128-cbc:0x010", "odd number" },
	{ "0x1@10.0.0.1 aes128-cbc", "no ':' found" },
	{ "0x1@10.0.0.1 aes128-cbc:0x01 extra", "more than" },
	{ "0x1 aes128-cbc:0x01", "no '@' found" },
	{ "0x1ffffffff@10.0.0.1 des-cbc:0x0102030405060708", "32 bits" },
	{ "zz@10.0.0.1 des-cbc:0x0102030405060708", "SPI must be" },
	{ "0x1@10.0.0 des-cbc:0x0102030405060708", "not an IPv4 or IPv6" },
	{ "file /etc/secrets", "not followed" },
	{ "ikev2 X 0x0001020304050607 0xc02e7a3031a03188 sha1:0x01 aes128:0x02",
	  "I or R" },
	{ "ikev2 I 0x00010203040506 0xc02e7a3031a03188 sha1:0x01 aes128:0x02",
	  "initiator SPI" },
	{ "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x01",
	  "ikev2 I|R" },
	{ "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 crc:0x01 aes128:0x02",
	  "unknown IKEv2 integrity" },
	{ "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x01 rot13:0x02",
	  "unknown IKEv2 encryption" },
	{ "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x01 aes128:0x02 "
	  "x", "5 fields" },
};

Test(keys_load, tcpdump_rejects_bad_lines)
{
	check_bad(tcpdump_bad, DS_NELEM(tcpdump_bad), "#\n", KS_FMT_TCPDUMP,
	    NAME ":2: ");
}

/* ---- every truncation of a valid line ------------------------------------ */

/*
 * Each prefix of each valid line must load as a smaller valid SA or fail
 * with "t.keys:1: ..."; never crash, never leave a half-made SA.
 */
static void
truncations(const char *line, enum ks_format f)
{
	char buf[1024];
	size_t n, len = strlen(line);

	cr_assert_lt(len, sizeof buf);
	for (n = 0; n <= len; n++) {
		enum ds_err e;

		memcpy(buf, line, n);
		buf[n] = '\0';
		setup();
		e = ks_store_load_buf(ks, NAME, buf, n, f, &ei);
		if (e != DS_OK)
			assert_clean_error(e, NAME ":1: ");
		else
			cr_assert_leq(ks_store_count(ks) +
			    ks_store_ike_count(ks), 1, "%zu: %s", n, buf);
		teardown();
	}
}

Test(keys_load, every_truncation_is_clean)
{
	struct ks_lines l;
	const char *p;
	size_t n;
	char line[1024];

	truncations(ikev2_row, KS_FMT_WIRESHARK_IKEV2);
	truncations("\"IPv6\",\"3ffe::1\",\"3ffe::*\",\"0xa\",\"AES-CBC "
	    "[RFC3602]\",\"0x616573636263656e6372797074696f6e\","
	    "\"HMAC-SHA-1-96 "
	    "[RFC2404]\",\"0x686d61637368613161757468656e746963617469\"",
	    KS_FMT_WIRESHARK_ESP);
	ks_lines_init(&l, native_text, strlen(native_text));
	while (ks_lines_next(&l, &p, &n)) {
		memcpy(line, p, n);
		line[n] = '\0';
		truncations(line, KS_FMT_NATIVE);
	}
	ks_lines_init(&l, tcpdump_text, strlen(tcpdump_text));
	while (ks_lines_next(&l, &p, &n)) {
		memcpy(line, p, n);
		line[n] = '\0';
		truncations(line, KS_FMT_TCPDUMP);
	}
}

/* ---- sample files -------------------------------------------------------- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static size_t
load_glob(const char *pattern, enum ks_format want)
{
	const char *top = getenv("IPSEC_TOP");
	char pat[4096];
	glob_t g;
	size_t i, loaded = 0;

	snprintf(pat, sizeof pat, "%s/%s", top != NULL ? top : ".", pattern);
	if (glob(pat, 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		size_t len;
		char *text = slurp(path, &len);
		enum ds_err e;

		cr_assert_eq(ks_detect_format(text, len), want, "%s", path);
		setup();
		e = ks_store_load(ks, path, &ei);
		cr_assert_eq(e, DS_OK, "%s: %s", path, ei.msg);
		cr_assert_gt(ks_store_count(ks) + ks_store_ike_count(ks), 0,
		    "%s", path);
		teardown();
		free(text);
		loaded++;
	}
	globfree(&g);
	return loaded;
}

Test(keys_load, every_sample_file_loads)
{
	cr_assert_geq(load_glob("tests/data/corpus/wireshark-wiki/*/esp_sa*",
	    KS_FMT_WIRESHARK_ESP), 5);
	cr_assert_geq(load_glob("tests/data/corpus/wsconf/*/esp_sa",
	    KS_FMT_WIRESHARK_ESP), 15);
	cr_assert_geq(load_glob("tests/data/corpus/wireshark-wiki/*/"
	    "ikev2_decryption_table", KS_FMT_WIRESHARK_IKEV2), 1);
	cr_assert_geq(load_glob("tests/data/corpus/wsconf/*/"
	    "ikev2_decryption_table", KS_FMT_WIRESHARK_IKEV2), 15);
	cr_assert_geq(load_glob("tests/data/corpus/keys/*.tcpdump-secrets.txt",
	    KS_FMT_TCPDUMP), 20);
	cr_assert_geq(load_glob("tests/data/corpus/tcpdump/*secrets*",
	    KS_FMT_TCPDUMP), 2);
	cr_assert_geq(load_glob("tests/data/keys/office.keys",
	    KS_FMT_NATIVE), 1);
}

/* ---- detection and the front end ----------------------------------------- */

Test(keys_load, detects_each_format_by_content)
{
	cr_assert_eq(ks_detect_format(native_text, strlen(native_text)),
	    KS_FMT_NATIVE);
	cr_assert_eq(ks_detect_format(tcpdump_text, strlen(tcpdump_text)),
	    KS_FMT_TCPDUMP);
	cr_assert_eq(ks_detect_format("# x\n\naes128-cbc:0x01\n", 20),
	    KS_FMT_TCPDUMP);
	cr_assert_eq(ks_detect_format("0x1@10.0.0.1 rc3-cbc:0x01", 25),
	    KS_FMT_TCPDUMP);
	cr_assert_eq(ks_detect_format("ikev2 R 0x1 0x2 a:b c:d", 23),
	    KS_FMT_TCPDUMP);
	cr_assert_eq(ks_detect_format(ikev2_row, strlen(ikev2_row)),
	    KS_FMT_WIRESHARK_IKEV2);
	cr_assert_eq(ks_detect_format("#\n \"IPv6\",\"*\"", 14),
	    KS_FMT_WIRESHARK_ESP);
	cr_assert_eq(ks_detect_format("", 0), KS_FMT_AUTO);
	cr_assert_eq(ks_detect_format("# only a comment\n", 17), KS_FMT_AUTO);
	cr_assert_eq(ks_detect_format("hello world\n", 12), KS_FMT_AUTO);
	cr_assert_eq(ks_detect_format("esp\n", 4), KS_FMT_AUTO);
	cr_assert_neq(load("hello world\n", KS_FMT_AUTO), DS_OK);
	cr_assert_not_null(strstr(ei.msg, "not a key file"));
}

Test(keys_load, warns_of_a_key_file_others_may_read)
{
	char path[] = "/tmp/test-keys-XXXXXX";
	int fd = mkstemp(path);
	static const char line[] = "esp spi=0x1 enc=null\n";

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, line, sizeof line - 1),
	    (ssize_t)sizeof line - 1);
	close(fd);
	cr_assert_eq(chmod(path, 0600), 0);
	cr_assert_eq(ks_store_load(ks, path, &ei), DS_OK, "%s", ei.msg);
	cr_assert_str_eq(warned, "");
	cr_assert_eq(chmod(path, 0644), 0);
	cr_assert_eq(ks_store_load(ks, path, &ei), DS_OK, "%s", ei.msg);
	cr_assert_not_null(strstr(warned, "readable by others"), "%s", warned);
	cr_assert_eq(chmod(path, 0640), 0);
	cr_assert_eq(ks_store_load(ks, path, &ei), DS_OK, "%s", ei.msg);
	cr_assert_not_null(strstr(warned, "readable by its group"));
	unlink(path);
	cr_assert_eq(ks_store_count(ks), 3);
}

Test(keys_load, a_long_path_keeps_its_end_in_the_origin)
{
	char name[200];

	memset(name, 'd', sizeof name);
	memcpy(name + 180, "/key.file", 10);
	cr_assert_eq(ks_store_load_buf(ks, name, "esp spi=1 enc=null\n", 19,
	    KS_FMT_AUTO, &ei), DS_OK);
	cr_assert_eq(strncmp(spec(0)->origin, "...", 3), 0);
	cr_assert_not_null(strstr(spec(0)->origin, "/key.file:1"));
	cr_assert_neq(ks_store_load_buf(ks, name, "esp spi=1 enc=aes-cbc\n", 22,
	    KS_FMT_AUTO, &ei), DS_OK);
	cr_assert_eq(strncmp(ei.msg, name, 100), 0, "%s", ei.msg);
}

/* ---- addresses --------------------------------------------------------- */

Test(keys_load, address_wildcards_match_what_they_say)
{
	static const struct {
		const char *m, *a;
		bool hit;
	} t[] = {
		{ "10.0.*.*", "10.0.9.9", true },
		{ "10.0.*.*", "10.1.0.0", false },
		{ "10.*.0.1", "10.200.0.1", true },
		{ "2001:db8:*::1", "2001:db8:ffff::1", true },
		{ "2001:db8:*::1", "2001:db8:ffff::2", false },
		{ "fe80::1*", "fe80::1f", true },
		{ "fe80::1*", "fe80::2f", false },
		{ "*:*:*:*:*:*:*:1", "1:2:3:4:5:6:7:1", true },
		{ "3ffe::*", "3ffe::abcd", true },
		{ "3ffe::*", "3fff::abcd", false },
		{ "2001:db8::/32", "2001:db8:1::", true },
		{ "*", "192.0.2.1", true },
	};
	struct ks_addr_match m;
	struct ds_addr a;
	size_t i;

	for (i = 0; i < DS_NELEM(t); i++) {
		cr_assert(ks_addr_match_parse(&m, t[i].m, strlen(t[i].m)), "%s",
		    t[i].m);
		memset(&a, 0, sizeof a);
		a.family = strchr(t[i].a, ':') ? DS_AF_INET6 : DS_AF_INET;
		cr_assert_eq(inet_pton(a.family == DS_AF_INET ? AF_INET :
		    AF_INET6, t[i].a, a.a), 1);
		cr_assert_eq(ks_addr_match(&m, &a), t[i].hit, "%s ~ %s",
		    t[i].m, t[i].a);
	}
	cr_assert_not(ks_addr_match_parse(&m, "1::2::*", 7));
	cr_assert_not(ks_addr_match_parse(&m, "1:2:3:4:5:6:7:8:*", 17));
	cr_assert_not(ks_addr_match_parse(&m, "1:*", 3));
	cr_assert_not(ks_addr_match_parse(&m, "12345::*", 8));
	cr_assert_not(ks_addr_match_parse(&m, ":::*", 4));
	cr_assert_not(ks_addr_match_parse(&m, "g::*", 4));
}
