/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The strongSwan charon log loader: the corpus logs of both peers against
 * the keys and SPIs in their facts.json, logger variants, bad dumps.
 */
#include "util_keyfile.h"

static const char *const scen[] = {
	"a-ikev2-aesgcm-ecp256",
	"b-ikev2-aescbc-sha256-modp2048",
	"e1-ikev2-chacha20poly1305-x25519",
	"f1-ikev1-main-psk",
};

/* The value of "key": "..." after p, copied into out ("" for null). */
static const char *
fact(const char *p, const char *key, char *out, size_t size)
{
	char pat[64];
	const char *v, *q;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	cr_assert_not_null(v = strstr(p, pat), "%s", key);
	v += strlen(pat);
	out[0] = '\0';
	if (*v == '"') {
		q = strchr(v + 1, '"');
		snprintf(out, size, "%.*s", (int)(q - v - 1), v + 1);
	}
	return v;
}

static const char *
alg_of(const char *sw)
{
	if (strcmp(sw, "AES_GCM_16") == 0)
		return "aes-gcm-16";
	if (strcmp(sw, "AES_CBC") == 0)
		return "aes-cbc";
	if (strcmp(sw, "CHACHA20_POLY1305") == 0)
		return "chacha20-poly1305";
	if (strcmp(sw, "HMAC_SHA2_256_128") == 0)
		return "hmac-sha2-256-128";
	return sw;
}

/* Every SA of facts.json is in the store with its SPI, keys, algorithms. */
static void
check_facts(const struct ks_store *ks, const char *sc, const char *how)
{
	char rel[256], spi[16], ek[200], ik[200], enc[40], integ[40];
	char gek[200], gik[200];
	struct ks_sa_info in;
	const char *p;
	size_t len, n = 0;
	char *facts;
	long i;

	snprintf(rel, sizeof rel, "corpus/strongswan/%s/facts.json", sc);
	facts = tk_slurp(rel, &len);
	cr_assert_not_null(p = strstr(facts, "\"child_sas\""));
	while ((p = strstr(p, "\"direction\": ")) != NULL) {
		p = fact(p, "spi", spi, sizeof spi);
		p = fact(p, "encryption", enc, sizeof enc);
		p = fact(p, "integrity", integ, sizeof integ);
		p = fact(p, "enc_key", ek, sizeof ek);
		p = fact(p, "integ_key", ik, sizeof ik);
		cr_assert_geq(i = tk_find_spi(ks, (uint32_t)strtoul(spi, NULL,
		    16), &in), 0, "%s %s: SPI %s", sc, how, spi);
		cr_assert_eq(in.proto, DS_IPPROTO_ESP);
		cr_assert_str_eq(in.enc->name, alg_of(enc), "%s", sc);
		if (integ[0] != '\0')
			cr_assert_str_eq(in.integ->name, alg_of(integ));
		else
			cr_assert_null(in.integ);
		cr_assert_not(in.esn);
		tk_keys(ks, i, gek, gik);
		cr_assert_str_eq(gek, ek, "%s: SPI %s", sc, spi);
		cr_assert_str_eq(gik, ik, "%s: SPI %s", sc, spi);
		n++;
	}
	cr_assert_eq(n, 2);
	cr_assert_eq(ks_store_count(ks), n);
	free(facts);
}

Test(keys_strongswan, reads_both_peers_logs_of_every_scenario)
{
	static const char *const side[] = { "initiator", "responder" };
	size_t s, k;

	for (s = 0; s < DS_NELEM(scen); s++)
		for (k = 0; k < 2; k++) {
			char rel[256];
			struct ds_errinfo ei;
			struct ks_store *ks;
			enum ds_err e;

			snprintf(rel, sizeof rel, "corpus/strongswan/%s/%s/"
			    "charon.log", scen[s], side[k]);
			ks = tk_load_file(rel, "charon.log", KS_FMT_STRONGSWAN,
			    &e, &ei);
			cr_assert_eq(e, DS_OK, "%s: %s", rel, ei.msg);
			check_facts(ks, scen[s], side[k]);
			ks_store_free(ks);
		}
}

enum variant { V_NOTIME, V_SYSLOG, V_LEVEL, V_JSON };

/*
 * Rewrites a file-logger line "2026-11-23 12:18:10 15[CHD] <tun|1> msg"
 * as another logger would have written it.
 */
static size_t
rewrite(char *out, size_t size, const char *t, size_t len, enum variant v)
{
	const char *p = t, *end = t + len, *nl;
	size_t o = 0;
	bool open = false;

	for (; p < end; p = nl + 1) {
		const char *br, *msg;
		char grp[4];
		int thread;
		bool ike;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		cr_assert_lt(o + 4 * (size_t)(nl - p) + 200, size);
		br = memchr(p, '[', (size_t)(nl - p));
		if (nl - p < 20 || br == NULL)
			continue;
		thread = atoi(p + 20);
		memcpy(grp, br + 1, 3);
		grp[3] = '\0';
		msg = br + 6;
		ike = msg < nl && *msg == '<';
		if (ike)	/* "<tun|1> " or "<1> " */
			msg = strstr(msg, "> ") + 2;
		switch (v) {
		case V_NOTIME:
			o += (size_t)snprintf(out + o, size - o, "%.*s\n",
			    (int)(nl - p - 20), p + 20);
			break;
		case V_SYSLOG:
			o += (size_t)snprintf(out + o, size - o,
			    "Nov 23 12:18:10 moon charon-systemd[812]: %.*s\n",
			    (int)(nl - p - 20), p + 20);
			break;
		case V_LEVEL:
			o += (size_t)snprintf(out + o, size - o,
			    "%.*s%s4]%.*s\n", (int)(br - p + 1), p, grp,
			    (int)(nl - br - 5), br + 5);
			break;
		case V_JSON: {
			/* a dump line continues the message before it */
			const char *m = msg;

			while (m < nl && *m == ' ')
				m++;
			if (open && m < nl && *m >= '0' && *m <= '9' &&
			    memchr(m, ':', (size_t)(nl - m)) != NULL &&
			    m - msg >= 1 && m - msg <= 4) {
				o -= 3;	/* reopen: drop "\"}\n" */
				o += (size_t)snprintf(out + o, size - o, "\\n");
			} else {
				o += (size_t)snprintf(out + o, size - o,
				    "{\"time\":\"%.19s\",\"thread\":%d,"
				    "\"group\":\"%s\",\"level\":1,%s"
				    "\"msg\":\"", p, thread, grp, ike ?
				    "\"ikesa-uniqueid\":\"1\","
				    "\"ikesa-name\":\"tun\"," : "");
			}
			for (; msg < nl; msg++) {
				if (*msg == '"' || *msg == '\\')
					out[o++] = '\\';
				out[o++] = *msg;
			}
			o += (size_t)snprintf(out + o, size - o, "\"}\n");
			open = true;
			break;
		}
		}
	}
	out[o] = '\0';
	return o;
}

Test(keys_strongswan, reads_every_logger_format)
{
	static const char *const side[] = { "initiator", "responder" };
	enum variant v;
	size_t s, k;

	for (s = 0; s < DS_NELEM(scen); s++)
		for (k = 0; k < 2; k++)
			for (v = V_NOTIME; v <= V_JSON; v++) {
				char rel[256];
				struct ds_errinfo ei;
				struct ks_store *ks;
				enum ds_err e;
				size_t len, n, size;
				char *t, *w;

				snprintf(rel, sizeof rel, "corpus/strongswan/"
				    "%s/%s/charon.log", scen[s], side[k]);
				t = tk_slurp(rel, &len);
				size = 4 * len + 4096;
				w = malloc(size);
				n = rewrite(w, size, t, len, v);
				cr_assert_eq(ks_detect_format(w, n),
				    KS_FMT_STRONGSWAN, "%s %d", rel, v);
				ks = tk_load("x.log", w, n, KS_FMT_STRONGSWAN,
				    &e, &ei);
				cr_assert_eq(e, DS_OK, "%s %d: %s", rel, v,
				    ei.msg);
				snprintf(rel, sizeof rel, "%s variant %d",
				    side[k], (int)v);
				check_facts(ks, scen[s], rel);
				ks_store_free(ks);
				free(w);
				free(t);
			}
}

/* A CHILD_SA as charon logs it; keys of 20 octets (AES-GCM-16-128). */
#define KEYS(pfx)							\
	pfx "encryption initiator key => 20 bytes @ 0x5555\n"		\
	pfx "   0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ...\n" \
	pfx "  16: 11 12 13 14                                      ....\n" \
	pfx "encryption responder key => 20 bytes @ 0x5556\n"		\
	pfx "   0: 21 22 23 24 25 26 27 28 29 2A 2B 2C 2D 2E 2F 30  !\"#$\n" \
	pfx "  16: 31 32 33 34                                      1234\n"

#define PFX	"12[CHD] <c|3> "
#define PROP								\
	"12[CFG] <c|3> selected proposal: ESP:AES_GCM_16_128/EXT_SEQ\n"

static struct ks_store *
load_log(const char *text, enum ds_err *e, struct ds_errinfo *ei)
{
	return tk_load("t.log", text, strlen(text), KS_FMT_STRONGSWAN, e, ei);
}

Test(keys_strongswan, binds_keys_by_role_and_rekey)
{
	static const char log[] =
	    "12[ENC] <c|3> parsed CREATE_CHILD_SA request 5 [ SA No TSi ]\n"
	    PROP KEYS(PFX)
	    PFX "adding inbound ESP SA\n"
	    PFX "  SPI 0xaaaa0001, src 2001:db8::2 dst 2001:db8::1\n"
	    PFX "adding outbound ESP SA\n"
	    PFX "  SPI 0xbbbb0001, src 2001:db8::1 dst 2001:db8::2\n"
	    "07[ENC] <c|3> parsed CREATE_CHILD_SA response 6 [ SA No ]\n"
	    "07[CFG] <c|3> selected proposal: ESP:AES_GCM_16_128/NO_EXT_SEQ\n"
	    KEYS("07[CHD] <c|3> ")
	    "07[IKE] <c|3> CHILD_SA c{2} established with SPIs "
	    "aaaa0002_i bbbb0002_o and TS ...\n";
	struct ds_errinfo ei;
	struct ks_sa_info in;
	struct ks_store *ks;
	char ek[200], ik[200];
	enum ds_err e;
	long i;

	ks = load_log(log, &e, &ei);
	cr_assert_eq(e, DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 4);
	/* responder of the first exchange: initiator keys come in */
	cr_assert_geq(i = tk_find_spi(ks, 0xaaaa0001, &in), 0);
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "0102030405060708090a0b0c0d0e0f1011121314");
	cr_assert_str_eq(in.src, "2001:db8::2");
	cr_assert(in.esn);
	cr_assert_str_eq(in.enc->name, "aes-gcm-16");
	cr_assert_geq(i = tk_find_spi(ks, 0xbbbb0001, &in), 0);
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "2122232425262728292a2b2c2d2e2f3031323334");
	/* initiator of the rekey, SPIs only from the established line */
	cr_assert_geq(i = tk_find_spi(ks, 0xbbbb0002, &in), 0);
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "0102030405060708090a0b0c0d0e0f1011121314");
	cr_assert_not(in.esn);
	cr_assert_str_eq(in.src, "*");
	cr_assert_geq(i = tk_find_spi(ks, 0xaaaa0002, &in), 0);
	tk_keys(ks, i, ek, ik);
	cr_assert_str_eq(ek, "2122232425262728292a2b2c2d2e2f3031323334");
	ks_store_free(ks);
}

Test(keys_strongswan, skips_other_programs_lines)
{
	static const char log[] =
	    "Nov 23 12:18:10 moon charon: 12[ENC] <c|3> parsed IKE_AUTH "
	    "response 1 [ IDr AUTH SA ]\n"
	    "Nov 23 12:18:10 moon charon: " PROP
	    "Nov 23 12:18:10 moon charon: 12[CHD] <c|3> encryption "
	    "initiator key => 20 bytes @ 0x5555\n"
	    "Nov 23 12:18:10 moon kernel: [1234.5] eth0: link up\n"
	    "Nov 23 12:18:10 moon charon: 12[CHD] <c|3>    0: 01 02 03 04 "
	    "05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ...\n"
	    "Nov 23 12:18:10 moon charon: 12[CHD] <c|3>   16: 11 12 13 14"
	    "  ....\n"
	    "Nov 23 12:18:10 moon charon: 12[CHD] <c|3> adding outbound ESP "
	    "SA\n"
	    "Nov 23 12:18:10 moon charon: 12[CHD] <c|3>   SPI 0x0000d001, "
	    "src 10.0.0.1 dst 10.0.0.2\n";
	struct ds_errinfo ei;
	struct ks_sa_info in;
	struct ks_store *ks;
	enum ds_err e;

	cr_assert_eq(ks_detect_format(log, sizeof log - 1), KS_FMT_STRONGSWAN);
	ks = load_log(log, &e, &ei);
	cr_assert_eq(e, DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 1);
	cr_assert_geq(tk_find_spi(ks, 0xd001, &in), 0);
	cr_assert_str_eq(in.dst, "10.0.0.2");
	ks_store_free(ks);
}

Test(keys_strongswan, keys_without_spis_are_left_to_trial)
{
	static const char log[] = PROP KEYS(PFX);
	struct ds_errinfo ei;
	struct ks_sa_info in;
	struct ks_store *ks;
	enum ds_err e;

	ks = load_log(log, &e, &ei);
	cr_assert_eq(e, DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 2);
	cr_assert(ks_store_sa(ks, 0, &in));
	cr_assert(in.spi_any);
	cr_assert(ks_store_sa(ks, 1, &in));
	cr_assert(in.spi_any);
	ks_store_free(ks);
}

Test(keys_strongswan, reads_ah_and_cbc_with_integrity)
{
	static const char log[] =
	    "12[ENC] <c|3> parsed IKE_AUTH response 1 [ IDr AUTH SA ]\n"
	    "12[CFG] <c|3> selected proposal: AH:HMAC_SHA2_256_128/NO_EXT_SEQ\n"
	    PFX "  using HMAC_SHA2_256_128 for integrity\n"
	    PFX "integrity initiator key => 32 bytes @ 0x1\n"
	    PFX "   0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  x\n"
	    PFX "  16: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  x\n"
	    PFX "integrity responder key => 32 bytes @ 0x2\n"
	    PFX "   0: F1 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  x\n"
	    PFX "  16: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  x\n"
	    PFX "adding inbound AH SA\n"
	    PFX "  SPI 0x0000c001, src 10.0.0.2 dst 10.0.0.1\n"
	    PFX "adding outbound AH SA\n"
	    PFX "  SPI 0x0000c002, src 10.0.0.1 dst 10.0.0.2\n";
	struct ds_errinfo ei;
	struct ks_sa_info in;
	struct ks_store *ks;
	char ek[200], ik[200];
	enum ds_err e;
	long i;

	ks = load_log(log, &e, &ei);
	cr_assert_eq(e, DS_OK, "%s", ei.msg);
	cr_assert_eq(ks_store_count(ks), 2);
	cr_assert_geq(i = tk_find_spi(ks, 0xc001, &in), 0);
	cr_assert_eq(in.proto, DS_IPPROTO_AH);
	cr_assert_null(in.enc);
	cr_assert_str_eq(in.integ->name, "hmac-sha2-256-128");
	tk_keys(ks, i, ek, ik);
	cr_assert(strncmp(ik, "f102", 4) == 0, "%s", ik);
	ks_store_free(ks);
}

static void
expect_error(const char *log, const char *want)
{
	struct ds_errinfo ei;
	struct ks_store *ks;
	enum ds_err e;

	ks = load_log(log, &e, &ei);
	cr_assert_neq(e, DS_OK, "%s", log);
	cr_assert_not_null(strstr(ei.msg, want), "'%s' not in '%s'", want,
	    ei.msg);
	/* never a key in a message */
	cr_assert_null(strstr(ei.msg, "0102"), "%s", ei.msg);
	ks_store_free(ks);
}

Test(keys_strongswan, names_what_is_wrong)
{
	expect_error("01[DMN] Starting IKE charon daemon\n",
	    "t.log: no CHILD_SA keys in this log (needs chd level 4");
	/* a dump line missing */
	expect_error(PROP
	    PFX "encryption initiator key => 20 bytes @ 0x5555\n"
	    PFX "   0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ...\n"
	    PFX "adding inbound ESP SA\n",
	    "t.log:4: hexdump of encryption initiator key (line 2) ends "
	    "after 16 of 20 octets");
	/* a dump line shorter than announced */
	expect_error(PROP
	    PFX "encryption initiator key => 20 bytes @ 0x5555\n"
	    PFX "   0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ...\n"
	    PFX "  16: 01 02                                            ..\n",
	    "t.log:4: hexdump line of encryption initiator key with 2 of 4");
	/* odd hex */
	expect_error(PROP
	    PFX "encryption initiator key => 4 bytes @ 0x5555\n"
	    PFX "   0: 01 02 0 04                                       ...\n",
	    "t.log:3: hexdump line");
	/* the log ends inside a dump */
	expect_error(PROP
	    PFX "encryption initiator key => 20 bytes @ 0x5555\n",
	    "(the log ends)");
	expect_error("12[CFG] <c|3> selected proposal: "
	    "ESP:CAMELLIA_CBC_128/NO_EXT_SEQ\n" KEYS(PFX),
	    "t.log:2: CHILD_SA algorithm 'CAMELLIA_CBC_128' is not known");
	expect_error(KEYS(PFX), "t.log:1: CHILD_SA keys without their "
	    "algorithm");
	expect_error(PROP PFX "encryption initiator key => 99 bytes @ 0x1\n",
	    "t.log:2: encryption initiator key of 99 bytes");
	expect_error(PROP KEYS(PFX) PFX "adding inbound ESP SA\n"
	    PFX "  SPI 0xzz, src 1.2.3.4 dst 1.2.3.5\n", "t.log:9: bad SPI");
	/* a GCM key without its salt: the store names the lengths */
	expect_error(PROP
	    PFX "encryption initiator key => 16 bytes @ 0x5555\n"
	    PFX "   0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ...\n",
	    "t.log:2: aes-gcm-16");
}

Test(keys_strongswan, survives_every_truncation)
{
	static const char log[] =
	    "12[ENC] <c|3> parsed IKE_AUTH response 1 [ IDr AUTH SA ]\n"
	    PROP KEYS(PFX)
	    PFX "adding inbound ESP SA\n"
	    PFX "  SPI 0xaaaa0001, src 192.0.2.2 dst 192.0.2.1\n"
	    PFX "adding outbound ESP SA\n"
	    PFX "  SPI 0xbbbb0001, src 192.0.2.1 dst 192.0.2.2\n"
	    "{\"thread\":9,\"group\":\"CHD\",\"level\":4,"
	    "\"ikesa-uniqueid\":\"3\",\"msg\":\""
	    "encryption initiator key => 20 bytes @ 0x1\\n"
	    "   0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ...\\n"
	    "  16: 11 12 13 14                                      ...\"}\n";
	tk_every_prefix(log, sizeof log - 1, KS_FMT_STRONGSWAN, 3);
}
