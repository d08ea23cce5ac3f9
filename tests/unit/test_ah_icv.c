/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AH ICV checking: the ICV input of RFC 4302 3.3.3.1 (ds_ah_icv_input),
 * and the dissector's use of a keyring, with a keyring of the test's own
 * that computes HMAC or CMAC over what the dissector hands it.  Packets
 * made by scapy's AH (tests/data/ah/mkah.py) must verify.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "dissect/capture.h"
#include "ipsec/ipsec_int.h"
#include "util.h"

/* --- the test's keyring -------------------------------------------------- */

#define MOCK_SAS	64

struct mock_sa {
	uint32_t	 spi;
	char		 alg[24];
	uint8_t		 key[64];
	size_t		 keylen;
	bool		 esn;
	uint32_t	 seq_hi;
};

struct mock {
	struct mock_sa	 sa[MOCK_SAS];
	unsigned	 n;
	bool		 spi_only;	/* say every match is by SPI alone */
	enum ds_err	 force;		/* DS_OK: compute; else return this */
	bool		 replay;
	unsigned	 opens;
	uint8_t		 last[2048];	/* the last ICV input seen */
	size_t		 lastlen;
};

static struct mock mock;

static bool
mock_lookup(void *ctx, uint8_t proto, uint32_t spi,
    const struct ds_addr *src, const struct ds_addr *dst,
    struct ds_sa_ref *out)
{
	struct mock *m = ctx;
	unsigned i;

	(void)src;
	(void)dst;
	if (proto != DS_IPPROTO_AH)
		return false;
	for (i = 0; i < m->n; i++)
		if (m->sa[i].spi == spi) {
			out->sa = &m->sa[i];
			out->id = i + 1;
			out->label = m->sa[i].alg;
			out->spi_only = m->spi_only;
			out->esn = m->sa[i].esn;
			out->icv_len = strstr(m->sa[i].alg, "-128") ? 16 : 12;
			return true;
		}
	return false;
}

static size_t
mock_mac(const struct mock_sa *sa, const struct ds_view *d, uint8_t *out)
{
	OSSL_PARAM par[2];
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
	uint8_t hi[4];
	size_t n = 0;
	const char *md = strstr(sa->alg, "md5") ? "MD5" :
	    strstr(sa->alg, "sha2-256") ? "SHA256" : "SHA1";
	bool cmac = strstr(sa->alg, "cmac") != NULL;

	mac = EVP_MAC_fetch(NULL, cmac ? "CMAC" : "HMAC", NULL);
	cr_assert_not_null(mac);
	ctx = EVP_MAC_CTX_new(mac);
	par[0] = cmac ? OSSL_PARAM_construct_utf8_string(
	    OSSL_MAC_PARAM_CIPHER, (char *)(uintptr_t)"AES-128-CBC", 0) :
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)(uintptr_t)md, 0);
	par[1] = OSSL_PARAM_construct_end();
	cr_assert_eq(EVP_MAC_init(ctx, sa->key, sa->keylen, par), 1);
	cr_assert_eq(EVP_MAC_update(ctx, d->p, d->len), 1);
	if (sa->esn) {
		/* RFC 4302 3.3.3.1: ESN high half after the datagram */
		hi[0] = (uint8_t)(sa->seq_hi >> 24);
		hi[1] = (uint8_t)(sa->seq_hi >> 16);
		hi[2] = (uint8_t)(sa->seq_hi >> 8);
		hi[3] = (uint8_t)sa->seq_hi;
		cr_assert_eq(EVP_MAC_update(ctx, hi, 4), 1);
	}
	cr_assert_eq(EVP_MAC_final(ctx, out, &n, 64), 1);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return n;
}

static enum ds_err
mock_open(void *ctx, const struct ds_sa_ref *ref, struct ds_sa_open *req)
{
	struct mock *m = ctx;
	const struct mock_sa *sa = ref->sa;
	uint8_t want[64];

	m->opens++;
	cr_assert_eq(req->proto, DS_IPPROTO_AH);
	cr_assert_geq(req->icv.len, ref->icv_len);
	if (req->data.len <= sizeof m->last) {
		memcpy(m->last, req->data.p, req->data.len);
		m->lastlen = req->data.len;
	}
	req->seq_hi = sa->esn ? sa->seq_hi : 0;
	req->is_replay = m->replay;
	if (m->force != DS_OK)
		return m->force;
	(void)mock_mac(sa, &req->data, want);
	if (CRYPTO_memcmp(want, req->icv.p, ref->icv_len) != 0) {
		req->verdict = DS_ICV_BAD;
		return DS_EAUTH;
	}
	req->verdict = DS_ICV_GOOD;
	return DS_OK;
}

static const struct ds_keyring mock_kr = {
	&mock, mock_lookup, mock_open, NULL
};

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[1] != '\0' && n < cap &&
	    sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static const char *
top(void)
{
	const char *t = getenv("IPSEC_TOP");

	return t != NULL ? t : ".";
}

/* tests/data/ah/keys.txt: "spi alg key esn-high" lines. */
static void
mock_load(void)
{
	char path[512], line[256], alg[24], key[160], esn[16];
	struct mock_sa *sa;
	unsigned spi;
	FILE *fp;

	memset(&mock, 0, sizeof mock);
	snprintf(path, sizeof path, "%s/tests/data/ah/keys.txt", top());
	fp = fopen(path, "r");
	cr_assert_not_null(fp, "%s", path);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%x %23s %159s %15s", &spi, alg, key,
		    esn), 4);
		cr_assert_lt(mock.n, MOCK_SAS);
		sa = &mock.sa[mock.n++];
		sa->spi = spi;
		snprintf(sa->alg, sizeof sa->alg, "%s", alg);
		sa->keylen = unhex(key, sa->key, sizeof sa->key);
		sa->esn = strcmp(esn, "-") != 0;
		sa->seq_hi = sa->esn ? (uint32_t)strtoul(esn, NULL, 16) : 0;
	}
	fclose(fp);
}

static struct ds_engine *
mock_engine(void)
{
	struct ds_engine_cfg cfg;
	struct ds_engine *e;

	ds_engine_cfg_default(&cfg);
	cfg.keyring = &mock_kr;
	e = ds_engine_new(&cfg);
	cr_assert_not_null(e);
	return e;
}

static const struct ds_layer *
find_ah(const struct ds_frame *f)
{
	return ds_frame_find_const(f, DS_P_AH);
}

/* --- scapy's packets ----------------------------------------------------- */

/*
 * Each frame of a capture (in tests/data/ah/, or a path from the top with
 * a slash in it) through an engine with the test's keyring.
 */
typedef void (*frame_fn)(const struct ds_frame *, const uint8_t *, size_t,
    unsigned *);

static void
each_frame(const char *name, frame_fn fn, unsigned *count)
{
	char path[512];
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_engine *e = mock_engine();
	struct ds_pkt pkt;
	const struct ds_frame *f;

	snprintf(path, sizeof path, "%s/%s%s", top(),
	    strchr(name, '/') == NULL ? "tests/data/ah/" : "", name);
	s = ds_source_open_file(path, &ei);
	cr_assert_not_null(s, "%s: %s", path, ei.msg);
	while (ds_source_next(s, &pkt, &ei) == 1) {
		f = ds_engine_dissect(e, &pkt);
		fn(f, pkt.data, pkt.caplen, count);
	}
	ds_source_close(s);
	ds_engine_free(e);
}

/* What every AH frame must come to; the ICV input is always built. */
static enum ds_sa_status want_status = DS_SAS_OK;

static void
must_verify(const struct ds_frame *f, const uint8_t *p, size_t n,
    unsigned *count)
{
	const struct ds_layer *l = find_ah(f);

	(void)p;
	(void)n;
	if (l == NULL)
		return;
	cr_assert_eq(l->u.ah.status, want_status, "frame %llu spi %x: %s",
	    (unsigned long long)f->index, l->u.ah.spi,
	    ds_sa_status_name(l->u.ah.status));
	cr_assert_gt(mock.lastlen, 0);
	(*count)++;
	if (want_status != DS_SAS_OK)
		return;
	cr_assert_eq(l->u.ah.icv_verdict, DS_ICV_GOOD);
	cr_assert_neq(l->u.ah.sa_id, 0);
	cr_assert_not(ds_frame_has_note(f, DS_N_ICV_FAILED));
}

Test(ah_icv, scapy_ipv4_packets_verify)
{
	unsigned n = 0;

	mock_load();
	each_frame("ah-ipv4.pcap", must_verify, &n);
	cr_assert_eq(n, 12, "every option kind: %u", n);
}

Test(ah_icv, scapy_ipv6_packets_verify)
{
	unsigned n = 0;

	mock_load();
	each_frame("ah-ipv6.pcap", must_verify, &n);
	cr_assert_eq(n, 4);
}

Test(ah_icv, scapy_tunnel_esp_esn_and_fragments_verify)
{
	unsigned n = 0;

	mock_load();
	each_frame("ah-mix.pcap", must_verify, &n);
	cr_assert_eq(n, 6, "two tunnels, AH+ESP, ESN, two reassembled");
}

/* One frame again, edited at `off` (from the IP header) by xor `x`. */
static const struct ds_layer *
redo(struct ds_engine *e, const uint8_t *p, size_t n, size_t off, uint8_t x,
    const struct ds_frame **fo)
{
	static uint8_t buf[2048];
	struct ds_pkt pkt = { buf, (uint32_t)n, (uint32_t)n, 0, 0,
	    DS_LINKTYPE_ETHERNET, 0 };

	cr_assert_leq(n, sizeof buf);
	memcpy(buf, p, n);
	buf[14 + off] ^= x;
	*fo = ds_engine_dissect(e, &pkt);
	return find_ah(*fo);
}

static void
mutable_and_not(const struct ds_frame *f, const uint8_t *p, size_t n,
    unsigned *count)
{
	static const size_t v4_mut[] = { 1, 6, 8, 10, 11 };
	static const size_t v6_mut[] = { 0, 1, 2, 3, 7 };
	const struct ds_frame *g;
	const struct ds_layer *l;
	struct ds_engine *e;
	bool v6;
	size_t i;

	if (find_ah(f) == NULL || f->layer[1].proto == DS_P_DATA)
		return;
	v6 = f->layer[1].proto == DS_P_IPV6;
	e = mock_engine();
	for (i = 0; i < 5; i++) {
		/* the version nibble stays: flip only traffic class bits */
		l = redo(e, p, n, v6 ? v6_mut[i] : v4_mut[i],
		    v6 && i == 0 ? 0x01 : 0x40, &g);
		cr_assert_not_null(l);
		cr_assert_eq(l->u.ah.status, DS_SAS_OK, "mutable byte %zu",
		    v6 ? v6_mut[i] : v4_mut[i]);
	}
	/* the source address, then the last payload byte */
	l = redo(e, p, n, v6 ? 8 : 12, 0x01, &g);
	cr_assert_eq(l->u.ah.status, DS_SAS_ICV_FAILED);
	cr_assert(ds_frame_has_note(g, DS_N_ICV_FAILED));
	l = redo(e, p, n, n - 15, 0x80, &g);
	cr_assert_eq(l->u.ah.status, DS_SAS_ICV_FAILED);
	ds_engine_free(e);
	(*count)++;
}

Test(ah_icv, mutable_fields_may_change_immutable_bytes_may_not)
{
	unsigned n = 0;

	mock_load();
	each_frame("ah-ipv4.pcap", mutable_and_not, &n);
	each_frame("ah-ipv6.pcap", mutable_and_not, &n);
	cr_assert_eq(n, 16);
}

/* --- the ICV input, by hand ---------------------------------------------- */

/* IPv4 + AH (HMAC-96) + 4 octets: options go in `opt`. */
static size_t
v4_pkt(uint8_t *b, const uint8_t *opt, size_t optlen)
{
	size_t hl = 20 + optlen, n = hl + 24 + 4;

	memset(b, 0, n);
	b[0] = (uint8_t)(0x40 | hl / 4);
	b[1] = 0x2e;				/* TOS */
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	b[4] = 0x12;				/* ID */
	b[5] = 0x34;
	b[6] = 0x40;				/* DF */
	b[8] = 61;				/* TTL */
	b[9] = DS_IPPROTO_AH;
	b[10] = 0xbe;				/* checksum */
	b[11] = 0xef;
	memcpy(b + 12, "\xc0\x00\x02\x01\xc6\x33\x64\x02", 8);
	if (optlen > 0)
		memcpy(b + 20, opt, optlen);
	b[hl] = DS_IPPROTO_NONE;		/* AH: next header 59 */
	b[hl + 1] = 4;				/* 24 octets */
	b[hl + 7] = 0x42;			/* SPI 0x42 */
	b[hl + 11] = 9;				/* sequence 9 */
	memset(b + hl + 12, 0xa5, 12);		/* ICV */
	memcpy(b + hl + 24, "data", 4);
	return n;
}

/* A frame with the IP layer at index 0 over `b`. */
static const struct ds_frame *
as_frame(const uint8_t *b, size_t n)
{
	static struct ds_frame f;
	struct ds_engine *e = NULL;
	const struct ds_frame *g;

	g = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	f = *g;
	ds_engine_free(e);
	return &f;
}

static size_t
icv_in(const struct ds_frame *f, uint8_t *out, size_t cap, enum ds_err want,
    bool *rh)
{
	size_t len = 0;

	cr_assert_eq(ds_ah_icv_input(f, 0, out, cap, &len, rh), want);
	return len;
}

Test(ah_icv, ipv4_without_options_zeroes_tos_flags_ttl_checksum_icv)
{
	uint8_t b[64], out[64], want[64];
	size_t n = v4_pkt(b, NULL, 0), len;
	bool rh;

	memcpy(want, b, n);
	want[1] = 0;
	want[6] = want[7] = 0;
	want[8] = 0;
	want[10] = want[11] = 0;
	memset(want + 20 + 12, 0, 12);
	len = icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_eq(len, n);
	cr_assert_arr_eq(out, want, n);
	cr_assert_not(rh);
}

Test(ah_icv, ipv4_immutable_options_stay_and_mutable_ones_are_zeroed_whole)
{
	static const uint8_t opt[] = {
		0x94, 0x04, 0x00, 0x00,			/* router alert */
		0x82, 0x04, 0xaa, 0xbb,			/* security */
		0x85, 0x03, 0xcc,			/* extended security */
		0x86, 0x03, 0xdd,			/* commercial sec. */
		0x95, 0x03, 0xee,			/* SDMDD */
		0x01,					/* NOP */
		0x07, 0x07, 0x04, 1, 2, 3, 4,		/* record route */
		0x44, 0x08, 0x05, 0x01, 9, 9, 9, 9,	/* timestamp */
		0x1e, 0x02,				/* unknown */
		0x00, 0x00, 0x00, 0x00, 0x00,		/* EOL, padding */
	};
	uint8_t b[128], out[128];
	size_t n = v4_pkt(b, opt, sizeof opt), len;
	bool rh;

	cr_assert_eq(sizeof opt % 4, 0);
	len = icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_eq(len, n);
	cr_assert_arr_eq(out + 20, opt, 18, "immutable ones and NOP kept");
	for (size_t i = 18; i < 18 + 7 + 8 + 2; i++)
		cr_assert_eq(out[20 + i], 0, "octet %zu zeroed", i);
	cr_assert_arr_eq(out + 12, b + 12, 8, "addresses kept");
}

Test(ah_icv, ipv4_source_route_en_route_puts_the_final_destination)
{
	static const uint8_t opt[] = {
		0x83, 0x0b, 0x04,			/* LSRR, pointer 4 */
		0xcb, 0x00, 0x71, 0x01,			/* next hop */
		0xcb, 0x00, 0x71, 0x09,			/* final */
		0x00,					/* EOL */
	};
	uint8_t b[128], out[128];
	size_t n = v4_pkt(b, opt, sizeof opt);
	bool rh;

	(void)icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_arr_eq(out + 16, "\xcb\x00\x71\x09", 4);
	cr_assert_arr_eq(out + 12, b + 12, 4, "source kept");
	for (size_t i = 0; i < 11; i++)
		cr_assert_eq(out[20 + i], 0);
}

Test(ah_icv, ipv4_source_route_done_keeps_the_destination)
{
	static const uint8_t opt[] = {
		0x89, 0x07, 0x08,			/* SSRR, route done */
		0xcb, 0x00, 0x71, 0x01,
		0x00,
	};
	uint8_t b[128], out[128];
	size_t n = v4_pkt(b, opt, sizeof opt);
	bool rh;

	(void)icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_arr_eq(out + 16, b + 16, 4);
}

Test(ah_icv, ipv4_option_length_past_the_header_is_malformed)
{
	static const uint8_t opt[] = { 0x07, 0x09, 0x04, 0, 0, 0, 0, 0 };
	uint8_t b[128], out[128];
	size_t n = v4_pkt(b, opt, sizeof opt);
	struct ds_frame f;
	bool rh;

	/* the dissector notes the option; the ICV input refuses it */
	f = *as_frame(b, n);
	(void)icv_in(&f, out, sizeof out, DS_EMALFORMED, &rh);
}

Test(ah_icv, output_too_small_is_enomem)
{
	uint8_t b[64], out[64];
	size_t n = v4_pkt(b, NULL, 0);
	bool rh;

	cr_assert_eq(ds_ah_icv_size(as_frame(b, n), 0), n);
	(void)icv_in(as_frame(b, n), out, n - 1, DS_ENOMEM, &rh);
	cr_assert_eq(ds_ah_icv_size(as_frame(b, n), 5), 0);
}

/* IPv6 + `ext` + AH (24 octets) + 4 octets. */
static size_t
v6_pkt(uint8_t *b, uint8_t first, const uint8_t *ext, size_t extlen)
{
	size_t n = 40 + extlen + 24 + 4;

	memset(b, 0, n);
	b[0] = 0x6a;				/* version 6, TC 0xab */
	b[1] = 0xb1;				/* flow label 0x12345 */
	b[2] = 0x23;
	b[3] = 0x45;
	b[4] = (uint8_t)((n - 40) >> 8);
	b[5] = (uint8_t)(n - 40);
	b[6] = first;
	b[7] = 17;				/* hop limit */
	b[8] = 0x20;				/* 2001:db8::1 */
	b[9] = 0x01;
	b[10] = 0x0d;
	b[11] = 0xb8;
	b[23] = 1;
	memcpy(b + 24, b + 8, 16);		/* 2001:db8::2 */
	b[39] = 2;
	if (extlen > 0)
		memcpy(b + 40, ext, extlen);
	b[40 + extlen] = DS_IPPROTO_NONE;
	b[40 + extlen + 1] = 4;
	b[40 + extlen + 7] = 0x42;
	memset(b + 40 + extlen + 12, 0x5a, 12);
	memcpy(b + 40 + extlen + 24, "data", 4);
	return n;
}

Test(ah_icv, ipv6_zeroes_class_flow_hop_limit_keeps_the_rest)
{
	uint8_t b[128], out[128];
	size_t n = v6_pkt(b, DS_IPPROTO_AH, NULL, 0), len;
	bool rh;

	len = icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_eq(len, n);
	cr_assert_arr_eq(out, "\x60\x00\x00\x00", 4);
	cr_assert_arr_eq(out + 4, b + 4, 3, "payload length, next header");
	cr_assert_eq(out[7], 0);
	cr_assert_arr_eq(out + 8, b + 8, 32);
	for (size_t i = 0; i < 12; i++)
		cr_assert_eq(out[40 + 12 + i], 0);
	cr_assert_arr_eq(out + 40 + 24, "data", 4);
}

Test(ah_icv, ipv6_options_with_the_change_bit_have_their_data_zeroed)
{
	static const uint8_t ext[] = {
		/* hop-by-hop: next dest opts, 16 octets */
		DS_IPPROTO_DSTOPTS, 0x01,
		0x05, 0x02, 0x00, 0x00,			/* router alert */
		0x3e, 0x04, 0x11, 0x22, 0x33, 0x44,	/* may change */
		0x00,					/* Pad1 */
		0x01, 0x01, 0x00,			/* PadN */
		/* destination options: next AH, 8 octets */
		DS_IPPROTO_AH, 0x00,
		0xc9, 0x01, 0x77,			/* 110: kept */
		0x23, 0x01, 0x88,			/* 001: zeroed */
	};
	uint8_t b[128], out[128];
	size_t n = v6_pkt(b, DS_IPPROTO_HOPOPTS, ext, sizeof ext);
	bool rh;

	(void)icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_arr_eq(out + 40, ext, 8);
	cr_assert_arr_eq(out + 48, "\x00\x00\x00\x00", 4);
	cr_assert_arr_eq(out + 52, ext + 12, 4);
	cr_assert_arr_eq(out + 56, ext + 16, 7);
	cr_assert_eq(out[63], 0);
}

Test(ah_icv, ipv6_routing_type_0_is_shown_as_the_receiver_sees_it)
{
	uint8_t ext[8 + 3 * 16], b[256], out[256];
	size_t n;
	bool rh;

	memset(ext, 0, sizeof ext);
	ext[0] = DS_IPPROTO_AH;
	ext[1] = 6;				/* 3 addresses */
	ext[2] = 0;				/* type 0 */
	ext[3] = 2;				/* segments left */
	ext[8 + 15] = 0xa1;			/* A1: already visited */
	ext[24 + 15] = 0xa2;			/* A2: next */
	ext[40 + 15] = 0xa3;			/* A3: final */
	n = v6_pkt(b, DS_IPPROTO_ROUTING, ext, sizeof ext);
	(void)icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	/* at the receiver: dst A3; list A1, D(::2), A2; segments left 0 */
	cr_assert_eq(out[39], 0xa3);
	cr_assert_eq(out[40 + 3], 0);
	cr_assert_eq(out[40 + 8 + 15], 0xa1);
	cr_assert_eq(out[40 + 24 + 15], 2);
	cr_assert_eq(out[40 + 40 + 15], 0xa2);
	cr_assert_not(rh);
}

Test(ah_icv, ipv6_routing_type_2_swaps_in_the_home_address)
{
	uint8_t ext[24], b[128], out[128];
	size_t n;
	bool rh;

	memset(ext, 0, sizeof ext);
	ext[0] = DS_IPPROTO_AH;
	ext[1] = 2;
	ext[2] = 2;				/* type 2 */
	ext[3] = 1;
	ext[8 + 15] = 0x99;			/* home address */
	n = v6_pkt(b, DS_IPPROTO_ROUTING, ext, sizeof ext);
	(void)icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_eq(out[39], 0x99);
	cr_assert_eq(out[40 + 8 + 15], 2, "care-of address in the list");
	cr_assert_eq(out[43], 0);
}

Test(ah_icv, ipv6_routing_segments_left_past_the_list_is_malformed)
{
	uint8_t ext[24], b[128], out[128];
	size_t n;
	bool rh;

	memset(ext, 0, sizeof ext);
	ext[0] = DS_IPPROTO_AH;
	ext[1] = 2;
	ext[3] = 2;				/* 2 left of 1 */
	n = v6_pkt(b, DS_IPPROTO_ROUTING, ext, sizeof ext);
	(void)icv_in(as_frame(b, n), out, sizeof out, DS_EMALFORMED, &rh);
}

Test(ah_icv, ipv6_other_routing_types_are_taken_as_received)
{
	uint8_t ext[24], b[128], out[128];
	size_t n;
	bool rh;

	memset(ext, 0, sizeof ext);
	ext[0] = DS_IPPROTO_AH;
	ext[1] = 2;
	ext[2] = 4;				/* segment routing */
	ext[3] = 1;
	n = v6_pkt(b, DS_IPPROTO_ROUTING, ext, sizeof ext);
	(void)icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert(rh);
	cr_assert_arr_eq(out + 40, ext, sizeof ext);
}

Test(ah_icv, ipv6_atomic_fragment_header_is_taken_out)
{
	static const uint8_t ext[] = {
		DS_IPPROTO_AH, 0, 0x00, 0x00, 0, 0, 0, 7,	/* atomic */
	};
	uint8_t b[128], out[128];
	size_t n = v6_pkt(b, DS_IPPROTO_FRAGMENT, ext, sizeof ext), len;
	bool rh;

	len = icv_in(as_frame(b, n), out, sizeof out, DS_OK, &rh);
	cr_assert_eq(len, n - 8);
	cr_assert_eq(out[6], DS_IPPROTO_AH);
	cr_assert_eq(out[5], n - 48, "payload length without it");
	cr_assert_eq(out[40 + 7], 0x42, "AH right after the header");
}

Test(ah_icv, ipv6_upper_layer_before_ah_is_malformed)
{
	uint8_t b[128], out[128];
	size_t n = v6_pkt(b, DS_IPPROTO_AH, NULL, 0);
	struct ds_frame f;
	bool rh;

	b[6] = DS_IPPROTO_UDP;
	f = *as_frame(b, n);
	(void)icv_in(&f, out, sizeof out, DS_EMALFORMED, &rh);
}

/* --- the dissector with a keyring ---------------------------------------- */

/* IPv4 + AH with a good HMAC-SHA1-96 ICV under mock SA 0x42. */
static size_t
signed_v4(uint8_t *b)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	struct ds_view d;
	uint8_t out[64], mac[64];
	size_t n = v4_pkt(b, NULL, 0), len;
	bool rh;

	memset(&mock, 0, sizeof mock);
	mock.n = 1;
	mock.sa[0].spi = 0x42;
	snprintf(mock.sa[0].alg, sizeof mock.sa[0].alg, "hmac-sha1-96");
	memset(mock.sa[0].key, 0x0b, 20);
	mock.sa[0].keylen = 20;
	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	cr_assert_eq(ds_ah_icv_input(f, 0, out, sizeof out, &len, &rh), DS_OK);
	d.p = out;
	d.len = len;
	(void)mock_mac(&mock.sa[0], &d, mac);
	memcpy(b + 20 + 12, mac, 12);
	ds_engine_free(e);
	return n;
}

Test(ah_icv, good_icv_is_ok_and_counted_in_its_sa_row)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_engine *e = mock_engine();
	struct ds_pkt pkt = { b, (uint32_t)n, (uint32_t)n, 0, 0,
	    DS_LINKTYPE_RAW, 0 };
	const struct ds_frame *f = ds_engine_dissect(e, &pkt);
	const struct ds_stats *st;

	T_ASSERT_CHAIN(f, "ipv4,ah");
	cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_OK);
	cr_assert_eq(f->layer[1].u.ah.icv_verdict, DS_ICV_GOOD);
	cr_assert_eq(f->layer[1].u.ah.sa_id, 1);
	cr_assert_str_eq(f->layer[1].u.ah.sa_label, "hmac-sha1-96");
	cr_assert_eq(f->nnotes, 0);
	st = ds_engine_stats(e);
	cr_assert_eq(st->n_sa, 1);
	cr_assert_eq(st->sa[0].proto, DS_IPPROTO_AH);
	cr_assert_eq(st->sa[0].spi, 0x42);
	cr_assert_eq(st->sa[0].status[DS_SAS_OK], 1);
	cr_assert_eq(st->sa[0].icv[DS_ICV_GOOD], 1);
	ds_engine_free(e);
}

Test(ah_icv, bad_icv_is_noted)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_engine *e = mock_engine();
	const struct ds_frame *f;

	b[n - 1] ^= 1;
	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_ICV_FAILED);
	cr_assert_eq(f->layer[1].u.ah.icv_verdict, DS_ICV_BAD);
	cr_assert(ds_frame_has_note(f, DS_N_ICV_FAILED));
	cr_assert_eq(ds_engine_stats(e)->sa[0].status[DS_SAS_ICV_FAILED], 1);
	ds_engine_free(e);
}

Test(ah_icv, unknown_spi_is_no_sa)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_engine *e = mock_engine();
	const struct ds_frame *f;

	mock.sa[0].spi = 0x43;
	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_NO_SA);
	cr_assert(ds_frame_has_note(f, DS_N_SA_NONE));
	cr_assert_eq(mock.opens, 0);
	cr_assert_eq(ds_engine_stats(e)->sa[0].status[DS_SAS_NO_SA], 1);
	ds_engine_free(e);
}

Test(ah_icv, spi_only_match_replay_and_unsupported_are_noted)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_engine *e = mock_engine();
	const struct ds_frame *f;

	mock.spi_only = true;
	mock.replay = true;
	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	cr_assert(f->layer[1].u.ah.spi_only);
	cr_assert(f->layer[1].u.ah.is_replay);
	cr_assert(ds_frame_has_note(f, DS_N_SA_SPI_ONLY));
	cr_assert(ds_frame_has_note(f, DS_N_SA_REPLAY));
	mock.force = DS_EUNSUPP;
	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_UNSUPPORTED);
	cr_assert(ds_frame_has_note(f, DS_N_ALG_UNSUPPORTED));
	ds_engine_free(e);
}

Test(ah_icv, esn_high_half_is_reported)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_engine *e = mock_engine();
	const struct ds_frame *f;

	mock.sa[0].esn = true;
	mock.sa[0].seq_hi = 7;
	mock.force = DS_OK;
	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	/* the ICV was made without the high half: it must now fail */
	cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_ICV_FAILED);
	cr_assert(f->layer[1].u.ah.esn);
	cr_assert_eq(f->layer[1].u.ah.seq_hi, 7);
	cr_assert_eq(ds_engine_stats(e)->sa[0].seq_max, 7ull << 32 | 9);
	ds_engine_free(e);
}

Test(ah_icv, datagram_cut_by_the_capture_is_truncated_not_opened)
{
	uint8_t b[64];
	size_t n = signed_v4(b), cut;
	struct ds_engine *e = mock_engine();
	const struct ds_frame *f;

	for (cut = 20 + 12; cut < n; cut++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_RAW, b, n, cut);
		cr_assert_eq(f->layer[1].proto, DS_P_AH);
		cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_TRUNCATED,
		    "cut %zu", cut);
	}
	cr_assert_eq(mock.opens, 0);
	ds_engine_free(e);
}

Test(ah_icv, quoted_ah_is_not_tried)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_frame f;
	struct ds_cur c;
	struct ds_engine *e = mock_engine();

	t_frame_init(&f, b, n);
	f.eng = e;
	cr_assert_not_null(ds_frame_push(&f, DS_P_ICMP, b, n));
	f.layer[0].quoted = true;
	cr_assert_not_null(ds_frame_push(&f, DS_P_IPV4, b, n));
	c = ds_cur_make(b + 20, n - 20, n - 20);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.layer[2].proto, DS_P_AH);
	cr_assert_eq(f.layer[2].u.ah.status, DS_SAS_NOT_TRIED);
	cr_assert_eq(mock.opens, 0);
	cr_assert_eq(ds_engine_stats(e)->n_sa, 0);
	ds_engine_free(e);
}

Test(ah_icv, without_keyring_is_not_tried_but_counted)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, b, n);
	cr_assert_eq(f->layer[1].u.ah.status, DS_SAS_NOT_TRIED);
	cr_assert_eq(ds_engine_stats(e)->n_sa, 1);
	cr_assert_eq(ds_engine_stats(e)->sa[0].status[DS_SAS_NOT_TRIED], 1);
	ds_engine_free(e);
}

/* --- a published capture without its key ---------------------------------- */

Test(ah_icv, ospfv3_with_ah_builds_its_icv_input)
{
	unsigned n = 0;

	memset(&mock, 0, sizeof mock);
	mock.n = 1;
	mock.sa[0].spi = 0x100;
	snprintf(mock.sa[0].alg, sizeof mock.sa[0].alg, "hmac-sha1-96");
	mock.sa[0].keylen = 20;
	/* the made-up key cannot match */
	want_status = DS_SAS_ICV_FAILED;
	each_frame("tests/data/corpus/tcpdump/OSPFv3_with_AH.pcap",
	    must_verify, &n);
	cr_assert_gt(n, 0);
}

Test(ah_icv, first_fragment_not_reassembled_is_truncated)
{
	uint8_t b[64];
	size_t n = signed_v4(b);
	struct ds_frame f;
	struct ds_cur c;
	struct ds_engine *e = mock_engine();

	t_frame_init(&f, b, n);
	f.eng = e;
	cr_assert_not_null(ds_frame_push(&f, DS_P_IPV4, b, n));
	f.layer[0].u.ip4.is_fragment = true;
	f.layer[0].u.ip4.hlen = 20;
	c = ds_cur_make(b + 20, n - 20, n - 20);
	ds_ah_dissect(&f, &c);
	cr_assert_eq(f.layer[1].u.ah.status, DS_SAS_TRUNCATED);
	cr_assert_eq(mock.opens, 0);
	ds_engine_free(e);
}
