/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ESP with keys: the SA's verdict, the trailer checks, the plaintext
 * dissected one level deeper, the per-SA rows and how the sinks show it
 * (RFC 4303 2.4, 2.6, 2.7, 3.4), against a stand-in keyring.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/sink.h"
#include "mock_keyring.h"
#include "util.h"

#define SPI_A	0xc0ffee01u
#define SPI_B	0xc0ffee02u
#define BUFSZ	2048

static struct mk_ring ring;
static struct ds_keyring kr;
static struct ds_engine *eng;
static struct ds_addr addr_a, addr_b;

/* SA A: XOR with an 8-byte IV and an ICV, between 192.0.2.1 and .2. */
static struct mk_sa *
setup(void)
{
	struct mk_sa *s;

	memset(&ring, 0, sizeof ring);
	kr = mk_keyring(&ring);
	eng = mk_engine(&kr);
	addr_a = mk_v4(192, 0, 2, 1);
	addr_b = mk_v4(198, 51, 100, 2);
	s = mk_add(&ring, SPI_A, MK_XOR, 8, MK_ICV_LEN, "lab-a");
	s->src = addr_a;
	s->dst = addr_b;
	return s;
}

static void
teardown(void)
{
	ds_engine_free(eng);
	eng = NULL;
}

TestSuite(esp_open, .fini = teardown);

static const struct ds_frame *
run_cut(const uint8_t *p, size_t len, size_t cap)
{
	struct ds_pkt pkt = { p, (uint32_t)cap, (uint32_t)len, 0, 42000,
	    DS_LINKTYPE_RAW, 0 };

	return ds_engine_dissect(eng, &pkt);
}

static const struct ds_frame *
run(const uint8_t *p, size_t len)
{
	return run_cut(p, len, len);
}

/* IPv4 192.0.2.1 > 198.51.100.2, ESP of SA s around `pay`. */
static size_t
outer(uint8_t *buf, const struct mk_sa *s, uint32_t seq, const uint8_t *pay,
    size_t len, uint8_t nxt, const struct mk_opts *o)
{
	size_t n;

	n = mk_esp(s, seq, pay, len, nxt, o, buf + 20, BUFSZ - 20);
	(void)mk_ipv4(buf, DS_IPPROTO_ESP, &addr_a, &addr_b, n);
	return 20 + n;
}

static const struct ds_esp *
esp_at(const struct ds_frame *f, unsigned i)
{
	cr_assert_lt(i, f->nlayers);
	cr_assert_eq(f->layer[i].proto, DS_P_ESP);
	return &f->layer[i].u.esp;
}

/* The frame partition adds up to the frames read. */
static void
assert_partition(void)
{
	const struct ds_stats *st = ds_engine_stats(eng);
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < DS_FC_COUNT_; i++)
		sum += st->fclass[i];
	cr_assert_eq(sum, st->frames);
}

static const uint8_t icmp_echo[] = {
	0x08, 0x00, 0xf7, 0xfe,		/* echo request, checksum */
	0x00, 0x01, 0x00, 0x00,		/* identifier 1, sequence 0 */
};

static const uint8_t inner_v4[] = {
	0x45, 0x00, 0x00, 0x1c,		/* IPv4, total length 28 */
	0x00, 0x07, 0x00, 0x00,
	0x40, 0x01, 0x00, 0x00,		/* TTL 64, ICMP */
	0x0a, 0x01, 0x00, 0x01,		/* 10.1.0.1 */
	0x0a, 0x02, 0x00, 0x01,		/* 10.2.0.1 */
	0x08, 0x00, 0xf7, 0xfe,		/* ICMP echo request */
	0x00, 0x01, 0x00, 0x00,
};

static const uint8_t tcp_syn[] = {
	0x04, 0x00, 0x00, 0x50,		/* 1024 > 80 */
	0x00, 0x00, 0x00, 0x01,		/* sequence */
	0x00, 0x00, 0x00, 0x00,		/* ack */
	0x50, 0x02, 0x20, 0x00,		/* data offset 5, SYN; window */
	0x00, 0x00, 0x00, 0x00,		/* checksum, urgent */
};

static const uint8_t udp_dns[] = {
	0x13, 0x88, 0x00, 0x35,		/* 5000 > 53 */
	0x00, 0x0c, 0x00, 0x00,		/* length 12 */
	0xde, 0xad, 0xbe, 0xef,
};

/* Transport mode: ICMP echo in SA A. */
static size_t
pkt_icmp(uint8_t *buf, const struct mk_sa *s, uint32_t seq)
{
	struct mk_opts o = MK_OPTS_DEFAULT;

	return outer(buf, s, seq, icmp_echo, sizeof icmp_echo,
	    DS_IPPROTO_ICMP, &o);
}

Test(esp_open, decrypts_transport_icmp)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n = pkt_icmp(buf, s, 42);

	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,icmp");
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_OK);
	cr_assert_eq(e->icv, DS_ICV_GOOD);
	cr_assert(e->decrypted);
	cr_assert_not(e->spi_only);
	cr_assert_eq(e->nxt, DS_IPPROTO_ICMP);
	cr_assert_eq(e->pad_len, 2, "8 + 2 + 2 = 12");
	cr_assert_eq(e->iv_len, 8);
	cr_assert_eq(e->icv_len, MK_ICV_LEN);
	cr_assert_eq(e->tfc_len, 0);
	cr_assert_eq(e->sa_id, 1);
	cr_assert_str_eq(e->sa_label, "lab-a");
	cr_assert_eq(e->plain.len, sizeof icmp_echo);
	cr_assert_eq(memcmp(e->plain.p, icmp_echo, sizeof icmp_echo), 0);
	cr_assert_eq(f->layer[1].depth, 0);
	cr_assert_eq(f->layer[2].depth, 1, "plaintext is one level deeper");
	cr_assert_eq(f->layer[2].u.icmp.type, 8);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(ds_engine_stats(eng)->esp_decrypted, 1);
	cr_assert_eq(ds_engine_stats(eng)->proto[DS_P_ICMP], 1);
	cr_assert_eq(f->fclass, DS_FC_IPSEC);
	assert_partition();
}

Test(esp_open, decrypts_transport_tcp_and_udp)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	size_t n;

	n = outer(buf, s, 1, tcp_syn, sizeof tcp_syn, DS_IPPROTO_TCP, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,tcp");
	cr_assert_eq(f->layer[2].u.tcp.dport, 80);
	cr_assert_eq(f->layer[2].depth, 1);
	n = outer(buf, s, 2, udp_dns, sizeof udp_dns, DS_IPPROTO_UDP, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,udp,data");
	cr_assert_eq(f->layer[2].u.udp.dport, 53);
	cr_assert_eq(f->layer[3].bytes.len, 4);
	cr_assert_eq(f->layer[3].depth, 1);
	cr_assert_eq(ds_engine_stats(eng)->esp_decrypted, 2);
	assert_partition();
}

Test(esp_open, null_cipher_without_icv_is_none)
{
	struct mk_sa *s;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;

	setup();
	s = mk_add(&ring, SPI_B, MK_NULL, 0, 0, "null");
	f = run(buf, pkt_icmp(buf, s, 1));
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_OK);
	cr_assert_eq(e->icv, DS_ICV_NONE);
	cr_assert_eq(e->iv_len, 0);
	cr_assert_eq(e->icv_len, 0);
	cr_assert(e->decrypted);
	cr_assert_not(e->spi_only, "SA B takes any address");
	T_ASSERT_CHAIN(f, "ipv4,esp,icmp");
}

Test(esp_open, unknown_spi_is_no_sa)
{
	uint8_t buf[BUFSZ];
	struct mk_sa other = { 0 };
	const struct ds_frame *f;
	const struct ds_esp *e;

	setup();
	other.spi = 0x0badbad0;
	other.cipher = MK_NULL;
	f = run(buf, pkt_icmp(buf, &other, 5));
	T_ASSERT_CHAIN(f, "ipv4,esp");
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_NO_SA);
	cr_assert_eq(e->icv, DS_ICV_UNCHECKED);
	cr_assert_not(e->decrypted);
	cr_assert_eq(e->sa_id, 0);
	cr_assert(ds_frame_has_note(f, DS_N_SA_NONE));
	cr_assert_eq(ring.opens, 0);
	cr_assert_not(f->is_malformed);
	cr_assert_eq(ds_engine_stats(eng)->esp_decrypted, 0);
}

Test(esp_open, other_addresses_match_on_the_spi_alone)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;

	s->dst = mk_v4(203, 0, 113, 9);
	f = run(buf, pkt_icmp(buf, s, 5));
	e = esp_at(f, 1);
	cr_assert(e->spi_only);
	cr_assert(ds_frame_has_note(f, DS_N_SA_SPI_ONLY));
	cr_assert_eq(e->status, DS_SAS_OK, "still opened");
	T_ASSERT_CHAIN(f, "ipv4,esp,icmp");
}

Test(esp_open, cut_payload_is_truncated_and_not_opened)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n = pkt_icmp(buf, s, 5);

	f = run_cut(buf, n, n - 1);
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_TRUNCATED);
	cr_assert_eq(e->icv, DS_ICV_UNCHECKED);
	cr_assert_eq(e->sa_id, 1, "the SA is named all the same");
	cr_assert_eq(ring.opens, 0);
	cr_assert(f->is_truncated);
	T_ASSERT_CHAIN(f, "ipv4,esp");
}

Test(esp_open, wrong_icv_fails_and_shows_nothing)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n;

	o.bad_icv = true;
	n = outer(buf, s, 9, icmp_echo, sizeof icmp_echo, DS_IPPROTO_ICMP,
	    &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp");
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_ICV_FAILED);
	cr_assert_eq(e->icv, DS_ICV_BAD);
	cr_assert_not(e->decrypted);
	cr_assert_eq(e->plain.len, 0);
	cr_assert(ds_frame_has_note(f, DS_N_ICV_FAILED));
	cr_assert_not(f->is_malformed, "a wrong key is not malformed");
}

Test(esp_open, unaligned_ciphertext_is_bad_length)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_esp *e;
	size_t n;

	o.pad_len = 1;		/* 8 + 1 + 2 = 11: not a multiple of 4 */
	n = outer(buf, s, 9, icmp_echo, sizeof icmp_echo, DS_IPPROTO_ICMP,
	    &o);
	e = esp_at(run(buf, n), 1);
	cr_assert_eq(e->status, DS_SAS_BAD_LENGTH);
	cr_assert(ds_frame_has_note(run(buf, n), DS_N_ESP_BAD_LENGTH));
}

Test(esp_open, payload_shorter_than_iv_and_icv_is_bad_length)
{
	struct mk_sa *s = setup();
	uint8_t buf[64];
	const struct ds_frame *f;

	mk_put32(buf + 20, s->spi);
	mk_put32(buf + 24, 1);
	memset(buf + 28, 0, 12);	/* 12 bytes: less than 8 + 12 */
	(void)mk_ipv4(buf, DS_IPPROTO_ESP, &addr_a, &addr_b, 20);
	f = run(buf, 40);
	cr_assert_eq(esp_at(f, 1)->status, DS_SAS_BAD_LENGTH);
	cr_assert(ds_frame_has_note(f, DS_N_ESP_BAD_LENGTH));
}

Test(esp_open, missing_algorithm_is_unsupported)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;

	s->cipher = MK_UNSUPP;
	f = run(buf, pkt_icmp(buf, s, 3));
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_UNSUPPORTED);
	cr_assert_eq(e->icv, DS_ICV_UNCHECKED);
	cr_assert(ds_frame_has_note(f, DS_N_ALG_UNSUPPORTED));
	T_ASSERT_CHAIN(f, "ipv4,esp");
}

static void
assert_bad_padding(const struct mk_opts *o, uint8_t want_pad)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n;

	n = outer(buf, s, 4, icmp_echo, sizeof icmp_echo, DS_IPPROTO_ICMP,
	    o);
	f = run(buf, n);
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_BAD_PADDING);
	cr_assert_eq(e->icv, DS_ICV_GOOD, "the ICV itself was good");
	cr_assert_not(e->decrypted, "nothing of it is decrypted");
	cr_assert_eq(e->plain.len, 0);
	cr_assert_eq(e->pad_len, want_pad);
	cr_assert(ds_frame_has_note(f, DS_N_ESP_BAD_PADDING));
	T_ASSERT_CHAIN(f, "ipv4,esp");
	cr_assert_eq(ds_engine_stats(eng)->esp_decrypted, 0);
}

Test(esp_open, rejects_padding_other_than_1_2_3)
{
	struct mk_opts o = MK_OPTS_DEFAULT;

	o.pad_len = 6;		/* 8 + 6 + 2 = 16 */
	o.bad_pad = true;
	assert_bad_padding(&o, 6);
}

Test(esp_open, rejects_a_wrong_first_pad_byte)
{
	struct mk_opts o = MK_OPTS_DEFAULT;

	o.pad_len = 2;
	o.pad_len_byte = 2;
	o.bad_pad = true;	/* 1, 0x82 */
	assert_bad_padding(&o, 2);
}

Test(esp_open, rejects_pad_length_past_payload)
{
	struct mk_opts o = MK_OPTS_DEFAULT;

	o.pad_len = 2;
	o.pad_len_byte = 200;	/* 200 > 8 + 2 */
	assert_bad_padding(&o, 200);
}

Test(esp_open, pad_length_covering_the_whole_payload_is_checked)
{
	struct mk_opts o = MK_OPTS_DEFAULT;

	/* Pad Length 10 takes the payload as padding: 08 00 ... is no 1,2,3 */
	o.pad_len = 2;
	o.pad_len_byte = 10;
	assert_bad_padding(&o, 10);
}

Test(esp_open, plaintext_without_trailer_is_bad_length)
{
	struct mk_sa *s;
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;

	setup();
	s = mk_add(&ring, SPI_B, MK_NULL, 0, MK_ICV_LEN, "b");
	o.no_trailer = true;
	f = run(buf, outer(buf, s, 1, icmp_echo, 0, 0, &o));
	cr_assert_eq(esp_at(f, 1)->status, DS_SAS_BAD_LENGTH);
	cr_assert(ds_frame_has_note(f, DS_N_ESP_BAD_LENGTH));
}

Test(esp_open, next_header_59_is_a_dummy_packet)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n;

	n = outer(buf, s, 6, tcp_syn, sizeof tcp_syn, DS_IPPROTO_NONE, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp");
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_OK);
	cr_assert(e->decrypted);
	cr_assert(e->is_dummy);
	cr_assert_eq(e->nxt, 59);
	cr_assert(ds_frame_has_note(f, DS_N_ESP_DUMMY));
	cr_assert_eq(ds_engine_stats(eng)->esp_decrypted, 1);
}

Test(esp_open, tunnel_ipv4_with_tfc_padding)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n;

	o.tfc = 36;
	n = outer(buf, s, 7, inner_v4, sizeof inner_v4, DS_IPPROTO_IPIP, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,ipv4,icmp");
	e = esp_at(f, 1);
	cr_assert_eq(e->status, DS_SAS_OK);
	cr_assert_eq(e->tfc_len, 36);
	cr_assert_eq(e->plain.len, sizeof inner_v4, "exactly the packet");
	cr_assert(ds_frame_has_note(f, DS_N_ESP_TFC));
	cr_assert_eq(f->layer[2].depth, 1);
	cr_assert_eq(f->layer[3].depth, 1);
	cr_assert_eq(f->layer[2].bytes.len, sizeof inner_v4);
	cr_assert_not(f->is_malformed);
}

Test(esp_open, tunnel_ipv4_without_tfc)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;

	f = run(buf, outer(buf, s, 7, inner_v4, sizeof inner_v4,
	    DS_IPPROTO_IPIP, &o));
	cr_assert_eq(esp_at(f, 1)->tfc_len, 0);
	cr_assert_not(ds_frame_has_note(f, DS_N_ESP_TFC));
	T_ASSERT_CHAIN(f, "ipv4,esp,ipv4,icmp");
}

Test(esp_open, tunnel_ipv6_with_tfc_padding)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t in[48], buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;
	size_t n;

	(void)mk_ipv6(in, DS_IPPROTO_ICMPV6, 1, 2, 8);
	memcpy(in + 40, "\x80\x00\x00\x00\x00\x01\x00\x01", 8);
	o.tfc = 100;
	n = outer(buf, s, 8, in, sizeof in, DS_IPPROTO_IPV6, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,ipv6,icmpv6,data");
	e = esp_at(f, 1);
	cr_assert_eq(e->tfc_len, 100);
	cr_assert_eq(e->plain.len, sizeof in);
	cr_assert(ds_frame_has_note(f, DS_N_ESP_TFC));
	cr_assert_eq(f->layer[3].u.icmp.type, 128);
	cr_assert_eq(f->layer[3].depth, 1);
}

Test(esp_open, inner_length_past_the_payload_is_the_inner_header_s_fault)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t in[sizeof inner_v4], buf[BUFSZ];
	const struct ds_frame *f;

	memcpy(in, inner_v4, sizeof in);
	in[3] = 0x40;			/* total length 64 > 28 */
	f = run(buf, outer(buf, s, 8, in, sizeof in, DS_IPPROTO_IPIP, &o));
	cr_assert_eq(esp_at(f, 1)->tfc_len, 0);
	cr_assert_eq(esp_at(f, 1)->plain.len, sizeof in);
	cr_assert(ds_frame_has_note(f, DS_N_IPV4_TOTLEN));
}

Test(esp_open, esp_in_esp_goes_two_levels_deep)
{
	struct mk_sa *s = setup(), *b;
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t in[BUFSZ], buf[BUFSZ];
	const struct ds_frame *f;
	size_t n;

	b = mk_add(&ring, SPI_B, MK_XOR, 4, MK_ICV_LEN, "lab-b");
	n = mk_esp(b, 1, icmp_echo, sizeof icmp_echo, DS_IPPROTO_ICMP, &o,
	    in, sizeof in);
	n = outer(buf, s, 11, in, n, DS_IPPROTO_ESP, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,esp,icmp");
	cr_assert_eq(esp_at(f, 1)->status, DS_SAS_OK);
	cr_assert_eq(esp_at(f, 2)->status, DS_SAS_OK);
	cr_assert_str_eq(esp_at(f, 2)->sa_label, "lab-b");
	cr_assert_not(esp_at(f, 2)->spi_only, "any address");
	cr_assert_eq(f->layer[2].depth, 1);
	cr_assert_eq(f->layer[3].depth, 2);
	cr_assert_eq(ds_engine_stats(eng)->n_sa, 2);
	cr_assert_eq(ds_engine_stats(eng)->esp_decrypted, 1, "one frame");
	cr_assert_eq(ds_engine_stats(eng)->proto[DS_P_ESP], 1);
}

Test(esp_open, esp_in_udp_4500)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	size_t n;

	n = mk_esp(s, 3, icmp_echo, sizeof icmp_echo, DS_IPPROTO_ICMP, &o,
	    buf + 28, sizeof buf - 28);
	(void)mk_udp(buf + 20, 4500, 4500, n);
	(void)mk_ipv4(buf, DS_IPPROTO_UDP, &addr_a, &addr_b, 8 + n);
	f = run(buf, 28 + n);
	T_ASSERT_CHAIN(f, "ipv4,udp,esp,icmp");
	cr_assert(esp_at(f, 2)->in_udp);
	cr_assert_eq(esp_at(f, 2)->status, DS_SAS_OK);
	cr_assert_eq(f->layer[3].depth, 1);
	cr_assert_eq(ds_engine_stats(eng)->esp_in_udp, 1);
}

Test(esp_open, ike_in_esp_transport_is_dissected_and_learned)
{
	static const uint8_t ike[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* SPIi */
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, /* SPIr */
		0x00, 0x20, 0x25, 0x08,	/* no payload, 2.0, INFO, I */
		0x00, 0x00, 0x00, 0x05,	/* message ID 5 */
		0x00, 0x00, 0x00, 0x1c,	/* length 28 */
	};
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t in[64], buf[BUFSZ];
	const struct ds_frame *f;
	size_t n;

	(void)mk_udp(in, 500, 500, sizeof ike);
	memcpy(in + 8, ike, sizeof ike);
	n = outer(buf, s, 12, in, 8 + sizeof ike, DS_IPPROTO_UDP, &o);
	f = run(buf, n);
	T_ASSERT_CHAIN(f, "ipv4,esp,udp,ikev2");
	cr_assert_eq(f->layer[3].u.ike.msgid, 5);
	cr_assert_eq(f->layer[3].depth, 1);
	cr_assert_eq(ring.learns, 1, "the keyring saw the message");
}

Test(esp_open, replay_is_noted_and_still_shown)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	size_t n = pkt_icmp(buf, s, 17);

	f = run(buf, n);
	cr_assert_not(esp_at(f, 1)->is_replay);
	f = run(buf, n);
	cr_assert(esp_at(f, 1)->is_replay);
	cr_assert(ds_frame_has_note(f, DS_N_SA_REPLAY));
	cr_assert_eq(esp_at(f, 1)->status, DS_SAS_OK);
	cr_assert_eq(ds_engine_stats(eng)->sa[0].replayed, 1);
}

Test(esp_open, esn_reports_the_high_half)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	const struct ds_esp *e;

	s->esn = true;
	s->seq_hi = 3;
	f = run(buf, pkt_icmp(buf, s, 9));
	e = esp_at(f, 1);
	cr_assert(e->esn);
	cr_assert_eq(e->seq_hi, 3);
	cr_assert_eq(e->status, DS_SAS_OK);
	cr_assert_eq(ds_engine_stats(eng)->sa[0].seq_max,
	    (uint64_t)3 << 32 | 9);
	cr_assert(ds_engine_stats(eng)->sa[0].esn);
}

Test(esp_open, quoted_in_icmp_is_not_opened)
{
	struct mk_sa *s = setup();
	uint8_t esp[BUFSZ], buf[BUFSZ];
	const struct ds_frame *f;
	size_t n, q;

	n = pkt_icmp(esp, s, 1);
	q = n < 20 + 8 + 8 ? n : 20 + 8 + 8;	/* header + 8, RFC 792 */
	(void)mk_ipv4(buf, DS_IPPROTO_ICMP, &addr_b, &addr_a, 8 + q);
	memcpy(buf + 20, "\x03\x04\x00\x00\x00\x00\x05\xdc", 8);
	memcpy(buf + 28, esp, q);
	f = run(buf, 28 + q);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,esp");
	cr_assert(f->layer[3].quoted);
	cr_assert_eq(esp_at(f, 3)->status, DS_SAS_NOT_TRIED);
	cr_assert_eq(ring.opens, 0);
	cr_assert_eq(ds_engine_stats(eng)->n_sa, 0, "a quote is no packet");
}

Test(esp_open, counts_per_sa_rows)
{
	struct mk_sa *s = setup(), *b;
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	struct mk_sa none = { 0 };
	const struct ds_stats *st;
	const struct ds_sa_stat *r;
	size_t n;

	b = mk_add(&ring, SPI_B, MK_NULL, 0, MK_ICV_LEN, "lab-b");
	(void)run(buf, pkt_icmp(buf, s, 1));
	(void)run(buf, pkt_icmp(buf, s, 2));
	o.bad_icv = true;
	(void)run(buf, outer(buf, s, 3, icmp_echo, 8, 1, &o));
	o.bad_icv = false;
	o.pad_len = 6;
	o.bad_pad = true;
	(void)run(buf, outer(buf, s, 4, icmp_echo, 8, 1, &o));
	(void)run(buf, pkt_icmp(buf, b, 7));
	none.spi = 0x99;
	none.cipher = MK_NULL;
	(void)run(buf, pkt_icmp(buf, &none, 1));
	n = pkt_icmp(buf, s, 5);
	(void)run_cut(buf, n, n - 4);
	st = ds_engine_stats(eng);
	cr_assert_eq(st->n_sa, 3);
	r = &st->sa[0];
	cr_assert_eq(r->proto, DS_IPPROTO_ESP);
	cr_assert_eq(r->spi, SPI_A);
	cr_assert_eq(r->sa_id, 1);
	cr_assert_str_eq(r->label, "lab-a");
	cr_assert_eq(r->frames, 5);
	cr_assert_eq(r->status[DS_SAS_OK], 2);
	cr_assert_eq(r->status[DS_SAS_ICV_FAILED], 1);
	cr_assert_eq(r->status[DS_SAS_BAD_PADDING], 1);
	cr_assert_eq(r->status[DS_SAS_TRUNCATED], 1);
	cr_assert_eq(r->icv[DS_ICV_GOOD], 3);
	cr_assert_eq(r->icv[DS_ICV_BAD], 1);
	cr_assert_eq(r->icv[DS_ICV_UNCHECKED], 1);
	cr_assert_eq(r->seq_max, 5);
	cr_assert_eq(st->sa[1].spi, SPI_B);
	cr_assert_eq(st->sa[1].status[DS_SAS_OK], 1);
	cr_assert_eq(st->sa[2].spi, 0x99);
	cr_assert_eq(st->sa[2].sa_id, 0);
	cr_assert_eq(st->sa[2].status[DS_SAS_NO_SA], 1);
	cr_assert_eq(st->esp_decrypted, 3);
	cr_assert(st->has_keyring);
	assert_partition();
}

/* Every capture length of a keyed packet: no crash, the right status. */
Test(esp_open, every_truncation_length)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	size_t n, cap;

	n = pkt_icmp(buf, s, 1);
	for (cap = 0; cap <= n; cap++) {
		s->seen = 0;
		f = run_cut(buf, n, cap);
		if (cap < 24) {
			cr_assert(f->nlayers < 2 ||
			    f->layer[1].proto != DS_P_ESP, "cap %zu", cap);
			continue;
		}
		cr_assert_eq(esp_at(f, 1)->spi, SPI_A);
		cr_assert_eq(esp_at(f, 1)->status, cap == n ? DS_SAS_OK :
		    DS_SAS_TRUNCATED, "cap %zu", cap);
		cr_assert_eq(f->nlayers, cap == n ? 3u : 2u, "cap %zu", cap);
		cr_assert_eq(f->is_truncated, cap < n, "cap %zu", cap);
	}
	cr_assert_eq(ring.opens, 1, "only the whole packet is opened");
	assert_partition();
}

/* Every claim (IPv4 total length) below the real one: never decrypted. */
Test(esp_open, every_lying_length)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const struct ds_frame *f;
	size_t n, claim;

	n = pkt_icmp(buf, s, 1);
	for (claim = 20; claim < n; claim++) {
		buf[2] = (uint8_t)(claim >> 8);
		buf[3] = (uint8_t)claim;
		f = run(buf, n);
		if (claim < 24) {
			cr_assert(f->nlayers < 2 ||
			    f->layer[1].proto != DS_P_ESP ||
			    esp_at(f, 1)->status == DS_SAS_BAD_LENGTH,
			    "claim %zu", claim);
			continue;
		}
		cr_assert_neq(esp_at(f, 1)->status, DS_SAS_OK, "claim %zu",
		    claim);
		cr_assert_not(esp_at(f, 1)->decrypted);
		cr_assert_eq(f->nlayers, 2u, "claim %zu", claim);
	}
	assert_partition();
}

/* A frame through a sink into a string. */
static char *
render(const struct ds_sink_ops *ops, const struct ds_frame *f, int verbose,
    bool with_summary, char **summary)
{
	struct ds_sink_opts so;
	char *out = NULL, *sum = NULL;
	size_t olen = 0, slen = 0;
	FILE *fo, *fs;
	void *st;

	memset(&so, 0, sizeof so);
	so.verbose = verbose;
	so.utc = true;
	cr_assert_not_null(fo = open_memstream(&out, &olen));
	cr_assert_not_null(fs = open_memstream(&sum, &slen));
	so.summary = fs;
	cr_assert_eq(ops->open(&st, fo, &so), DS_OK);
	if (f != NULL)
		cr_assert_eq(ops->frame(st, f), DS_OK);
	cr_assert_eq(ops->close(st, with_summary ? ds_engine_stats(eng) :
	    NULL, NULL), DS_OK);
	fclose(fo);
	fclose(fs);
	if (summary != NULL)
		*summary = sum;
	else
		free(sum);
	return out;
}

static void
assert_text(const struct ds_frame *f, int verbose, const char *want)
{
	char *got = render(&ds_sink_text, f, verbose, false, NULL);

	cr_assert_str_eq(got, want);
	free(got);
}

Test(esp_open, text_shows_verdict_and_plaintext)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	struct mk_sa none = { 0 };

	o.tfc = 4;
	assert_text(run(buf, outer(buf, s, 42, inner_v4, sizeof inner_v4,
	    DS_IPPROTO_IPIP, &o)), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=42 len=56 icv=good: IP 10.1.0.1 > 10.2.0.1: ICMP echo request\n");
	assert_text(run(buf, pkt_icmp(buf, s, 43)), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=43 len=32 icv=good: ICMP echo request\n");
	none.spi = 0x99;
	none.cipher = MK_NULL;
	assert_text(run(buf, pkt_icmp(buf, &none, 1)), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0x00000099 "
	    "seq=1 len=12 no SA\n");
	o.tfc = 0;
	o.bad_icv = true;
	assert_text(run(buf, outer(buf, s, 44, icmp_echo, 8, 1, &o)), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=44 len=32 ICV failed\n");
	o.bad_icv = false;
	o.pad_len = 6;
	o.bad_pad = true;
	assert_text(run(buf, outer(buf, s, 45, icmp_echo, 8, 1, &o)), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=45 len=36 bad padding\n");
}

Test(esp_open, text_verbose_shows_the_sa_and_trailer)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];

	s->esn = true;
	s->seq_hi = 1;
	o.tfc = 4;
	assert_text(run(buf, outer(buf, s, 42, inner_v4, sizeof inner_v4,
	    DS_IPPROTO_IPIP, &o)), 1,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=42 len=56 icv=good: IP 10.1.0.1 > 10.2.0.1: ICMP echo request\n"
	    "    ipv4 src 192.0.2.1 dst 198.51.100.2 hlen 20 tos 0x00 "
	    "totlen 84 id 0x0000 frag_off 0 ttl 64 proto 50 cksum 0x0000\n"
	    "    esp spi 0xc0ffee01 seq 42 len 56 decrypted status \"ok\" "
	    "icv \"good\" sa_id 1 sa \"lab-a\" esn seq_hi 1 icv_len 12 "
	    "iv_len 8 pad_len 2 nxt 4 plain_len 28 tfc_len 4\n"
	    "      ipv4 src 10.1.0.1 dst 10.2.0.1 hlen 20 tos 0x00 totlen 28 "
	    "id 0x0007 frag_off 0 ttl 64 proto 1 cksum 0x0000\n"
	    "      icmp type 8 code 0\n"
	    "    note esp-tfc (esp): TFC padding after the inner packet "
	    "(RFC 4303 2.7)\n");
}

Test(esp_open, text_summary_lists_the_sas)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	char *sum, *out;

	(void)run(buf, pkt_icmp(buf, s, 1));
	(void)run(buf, pkt_icmp(buf, s, 1));
	out = render(&ds_sink_text, NULL, 0, true, &sum);
	cr_assert(strstr(sum, " security associations:\n") != NULL, "%s",
	    sum);
	cr_assert(strstr(sum, "  proto spi        sa                 frames"
	    "        ok  icv-good   icv-bad unchecked     no-sa   bad-pad"
	    "   replays seq-max\n"
	    "  esp   0xc0ffee01 lab-a                   2         2         2"
	    "         0         0         0         0         1 1\n") != NULL,
	    "%s", sum);
	cr_assert(strstr(sum, " decrypted: 2 frames\n") != NULL, "%s", sum);
	free(sum);
	free(out);
}

Test(esp_open, json_has_verdict_and_inner_layers)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	const char *lay, *want;
	char *got;

	got = render(&ds_sink_json, run(buf, pkt_icmp(buf, s, 42)), 0, false,
	    NULL);
	lay = strstr(got, "{\"proto\":\"esp\"");
	cr_assert_not_null(lay, "%s", got);
	want = "{\"proto\":\"esp\",\"spi\":\"0xc0ffee01\",\"seq\":42,"
	    "\"len\":32,\"udp_encap\":false,\"decrypted\":true,"
	    "\"status\":\"ok\",\"icv\":\"good\",\"sa_id\":1,\"sa\":\"lab-a\","
	    "\"icv_len\":12,\"iv_len\":8,\"pad_len\":2,\"nxt\":1,"
	    "\"plain_len\":8},"
	    "{\"proto\":\"icmp\",\"depth\":1,\"type\":8,\"code\":0}]}\n";
	cr_assert_str_eq(lay, want);
	free(got);
}

Test(esp_open, json_summary_has_sas_and_decrypted)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	char *got;

	(void)run(buf, pkt_icmp(buf, s, 1));
	got = render(&ds_sink_json, NULL, 0, true, NULL);
	cr_assert(strstr(got, ",\"sas\":[{\"proto\":\"esp\","
	    "\"spi\":\"0xc0ffee01\",\"sa_id\":1,\"sa\":\"lab-a\",\"frames\":1,"
	    "\"status\":{\"not-tried\":0,\"no-sa\":0,\"ok\":1,"
	    "\"icv-failed\":0,\"bad-padding\":0,\"bad-length\":0,"
	    "\"truncated\":0,\"unsupported\":0},"
	    "\"icv\":{\"none\":0,\"unchecked\":0,\"good\":1,\"bad\":0},"
	    "\"replayed\":0,\"esn\":false,\"seq_max\":1}],\"decrypted\":1")
	    != NULL, "%s", got);
	free(got);
}

Test(esp_open, without_keys_nothing_new_is_shown)
{
	struct mk_sa *s;
	uint8_t buf[BUFSZ];
	char *got, *sum;

	s = setup();
	ds_engine_free(eng);
	eng = ds_engine_new(NULL);
	got = render(&ds_sink_json, run(buf, pkt_icmp(buf, s, 42)), 0, true,
	    NULL);
	cr_assert_null(strstr(got, "\"sas\""), "%s", got);
	cr_assert_null(strstr(got, "\"status\""), "%s", got);
	cr_assert_null(strstr(got, "\"decrypted\""), "%s", got);
	free(got);
	got = render(&ds_sink_text, run(buf, pkt_icmp(buf, s, 42)), 0, true,
	    &sum);
	cr_assert_str_eq(got, "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: "
	    "ESP spi=0xc0ffee01 seq=42 len=32\n");
	cr_assert_null(strstr(sum, "security associations"), "%s", sum);
	free(got);
	free(sum);
	cr_assert_eq(ds_engine_stats(eng)->n_sa, 1, "counted all the same");
	cr_assert_eq(ds_engine_stats(eng)->sa[0].status[DS_SAS_NOT_TRIED],
	    2);
}

Test(esp_open, json_shows_esn_spi_only_and_replay)
{
	struct mk_sa *s = setup();
	uint8_t buf[BUFSZ];
	char *got;
	size_t n;

	s->esn = true;
	s->seq_hi = 7;
	s->dst = mk_v4(203, 0, 113, 9);
	n = pkt_icmp(buf, s, 2);
	(void)run(buf, n);
	got = render(&ds_sink_json, run(buf, n), 0, false, NULL);
	cr_assert(strstr(got, "\"decrypted\":true,\"status\":\"ok\","
	    "\"icv\":\"good\",\"sa_id\":1,\"sa\":\"lab-a\",\"spi_only\":true,"
	    "\"esn\":true,\"seq_hi\":7,\"replay\":true,\"icv_len\":12,")
	    != NULL, "%s", got);
	cr_assert(strstr(got, "\"code\":\"sa-spi-only\"") != NULL, "%s", got);
	cr_assert(strstr(got, "\"code\":\"replay\"") != NULL, "%s", got);
	free(got);
}

Test(esp_open, json_quoted_esp_with_keys_is_not_tried)
{
	struct mk_sa *s = setup();
	uint8_t esp[BUFSZ], buf[BUFSZ];
	char *got;

	(void)pkt_icmp(esp, s, 1);
	(void)mk_ipv4(buf, DS_IPPROTO_ICMP, &addr_b, &addr_a, 8 + 36);
	memcpy(buf + 20, "\x03\x04\x00\x00\x00\x00\x05\xdc", 8);
	memcpy(buf + 28, esp, 36);
	got = render(&ds_sink_json, run(buf, 28 + 36), 0, false, NULL);
	cr_assert(strstr(got, "\"quoted\":true,\"spi\":\"0xc0ffee01\","
	    "\"seq\":1,\"len\":32,\"udp_encap\":false,\"decrypted\":false,"
	    "\"status\":\"not-tried\",\"icv\":\"unchecked\"}") != NULL, "%s",
	    got);
	free(got);
}

/*
 * A keyed frame built by hand: IPv4 192.0.2.1 > 198.51.100.2, then a layer
 * of `proto` whose fields the caller fills as its dissector would.
 */
static struct ds_layer *
frame_over_ipv4(struct ds_frame *f, uint8_t ipproto, enum ds_proto proto,
    const uint8_t *p, size_t len)
{
	struct ds_layer *l;

	setup();
	t_frame_init(f, p, len);
	f->eng = eng;
	f->fclass = DS_FC_IPSEC;
	cr_assert_not_null(l = ds_frame_push(f, DS_P_IPV4, p, len));
	l->u.ip4.src = addr_a;
	l->u.ip4.dst = addr_b;
	l->u.ip4.proto = ipproto;
	cr_assert_not_null(l = ds_frame_push(f, proto, p, len));
	return l;
}

/* AH's verdict, as the AH dissector leaves it, in both sinks. */
Test(esp_open, ah_verdict_is_rendered)
{
	static const uint8_t icv[12] = { 0xaa };
	struct ds_frame f;
	struct ds_layer *l;
	char *got;

	l = frame_over_ipv4(&f, DS_IPPROTO_AH, DS_P_AH, icv, sizeof icv);
	l->u.ah.spi = 0x100;
	l->u.ah.seq = 3;
	l->u.ah.icv_len = 12;
	l->u.ah.status = DS_SAS_ICV_FAILED;
	l->u.ah.icv_verdict = DS_ICV_BAD;
	l->u.ah.sa_id = 2;
	l->u.ah.sa_label = "ah-sa";
	got = render(&ds_sink_text, &f, 0, false, NULL);
	cr_assert_str_eq(got, "00:00:00.000000 IP 192.0.2.1 > 198.51.100.2: "
	    "AH spi=0x00000100 seq=3 icvlen=12 ICV failed\n");
	free(got);
	l->u.ah.status = DS_SAS_OK;
	l->u.ah.icv_verdict = DS_ICV_GOOD;
	got = render(&ds_sink_json, &f, 0, false, NULL);
	cr_assert(strstr(got, "\"icv_len\":12,\"status\":\"ok\","
	    "\"icv\":\"good\",\"sa_id\":2,\"sa\":\"ah-sa\"}") != NULL,
	    "%s", got);
	free(got);
}

/* IPComp, as the IPComp dissector leaves an inflated packet. */
Test(esp_open, ipcomp_inflated_is_rendered_with_its_packet)
{
	static const uint8_t z[40] = { 0 };
	struct ds_frame f;
	struct ds_layer *l;
	char *got;

	l = frame_over_ipv4(&f, DS_IPPROTO_COMP, DS_P_IPCOMP, z, sizeof z);
	l->u.ipcomp.nxt = DS_IPPROTO_ICMP;
	l->u.ipcomp.cpi = 2;
	l->u.ipcomp.payload_len = 20;
	got = render(&ds_sink_text, &f, 0, false, NULL);
	cr_assert_str_eq(got, "00:00:00.000000 IP 192.0.2.1 > 198.51.100.2: "
	    "IPComp cpi=0x0002 (DEFLATE) len=20\n");
	free(got);
	l->u.ipcomp.inflated = true;
	l->u.ipcomp.plain.p = z;
	l->u.ipcomp.plain.len = 36;
	l = ds_frame_push(&f, DS_P_ICMP, z, 36);
	l->u.icmp.type = 8;
	got = render(&ds_sink_text, &f, 0, false, NULL);
	cr_assert_str_eq(got, "00:00:00.000000 IP 192.0.2.1 > 198.51.100.2: "
	    "IPComp cpi=0x0002 (DEFLATE) len=20 inflated=36: ICMP echo request\n");
	free(got);
	got = render(&ds_sink_json, &f, 0, false, NULL);
	cr_assert(strstr(got, "\"cpi_name\":\"DEFLATE\",\"len\":20,"
	    "\"inflated\":true,\"plain_len\":36}") != NULL, "%s", got);
	free(got);
}

Test(esp_open, text_shows_a_dummy_and_a_replay)
{
	struct mk_sa *s = setup();
	struct mk_opts o = MK_OPTS_DEFAULT;
	uint8_t buf[BUFSZ];
	size_t n;

	n = outer(buf, s, 6, tcp_syn, sizeof tcp_syn, DS_IPPROTO_NONE, &o);
	assert_text(run(buf, n), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=6 len=44 icv=good dummy\n");
	assert_text(run(buf, n), 0,
	    "00:00:00.000042 IP 192.0.2.1 > 198.51.100.2: ESP spi=0xc0ffee01 "
	    "seq=6 len=44 icv=good replay dummy\n");
}

/*
 * tests/data/fuzz/frame-ipcomp-not-inflated.bin: an IPComp payload that
 * does not inflate once left `inflated` unset for the sinks to read.
 */
Test(esp_open, ipcomp_not_inflated_is_rendered_without_a_packet)
{
	static const uint8_t p[] = {
		0x45, 0x00, 0x00, 0x3a, 0x10, 0x02, 0x40, 0x00,	/* IPv4 */
		0x40, 0x6c, 0x2c, 0x46,	/* TTL 64, IPComp */
		0xcb, 0x00, 0x71, 0x05, 0xc0, 0x00, 0x02, 0x0a,
		0x04, 0x00, 0x00, 0x02,	/* IPComp: IPv4 inside, CPI 2 */
		0x73, 0x65, 0x60, 0x78, 0x22, 0xc0, 0xe8, 0xc0,	/* DEFLATE */
		0xe0, 0xc0, 0xa8, 0xbd, 0x00, 0xed, 0x93, 0xc8,
		0x03, 0x69, 0x86, 0x42, 0x5f, 0x06, 0x86, 0x4d,
		0xab, 0x7d, 0x83, 0x19, 0x98, 0x19, 0x86, 0x09,
		0x00, 0x00,
	};
	const struct ds_frame *f;
	char *got;

	eng = ds_engine_new(NULL);
	f = run(p, sizeof p);
	cr_assert_geq(f->nlayers, 2);
	cr_assert_eq(f->layer[1].proto, DS_P_IPCOMP);
	got = render(&ds_sink_text, f, 0, false, NULL);
	cr_assert_not_null(strstr(got, "IPComp cpi=0x0002 (DEFLATE) len=34"),
	    "%s", got);
	cr_assert_not(f->layer[1].u.ipcomp.inflated);
	cr_assert_null(strstr(got, "inflated"), "%s", got);
	free(got);
}
