/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UDP (RFC 768), TCP (RFC 9293) and ICMP / ICMPv6 (RFC 792, RFC 4443),
 * with the quoted packet of ICMP errors.
 */
#include "util.h"

#include "net/net.h"

#define V4HDR(totlen, proto)						\
	0x45, 0x00, 0x00, (totlen),	/* IHL 5, total length */	\
	0x00, 0x01, 0x00, 0x00,		/* id 1, not fragmented */	\
	0x40, (proto), 0x00, 0x00,	/* ttl 64, protocol */		\
	0xc0, 0x00, 0x02, 0x01,		/* src 192.0.2.1 */		\
	0xc0, 0x00, 0x02, 0x02		/* dst 192.0.2.2 */

/* The reverse direction, for quoted packets. */
#define V4HDR_BACK(totlen, proto)					\
	0x45, 0x00, 0x00, (totlen),					\
	0x00, 0x07, 0x00, 0x00,						\
	0x40, (proto), 0x00, 0x00,					\
	0xc0, 0x00, 0x02, 0x02,		/* src 192.0.2.2 */		\
	0xc0, 0x00, 0x02, 0x01		/* dst 192.0.2.1 */

static bool
has(const struct ds_frame *f, enum ds_note_code c)
{
	return ds_frame_has_note(f, c);
}

static const struct ds_frame *
run(struct ds_engine **e, const uint8_t *p, size_t len)
{
	return t_dissect_at(e, ds_ipv4_dissect, p, len, len, 0);
}

/* --- UDP ------------------------------------------------------------- */

static const uint8_t udp[] = {
	0x30, 0x39, 0x00, 0x35,		/* 12345 -> 53 */
	0x00, 0x0c, 0x12, 0x34,		/* length 12, checksum */
	0xde, 0xad, 0xbe, 0xef,		/* data */
};

Test(udp, parses_header)
{
	struct ds_cur c = ds_cur_make(udp, sizeof udp, sizeof udp);
	struct ds_udp u;

	cr_assert_eq(ds_udp_parse(&c, &u), DS_OK);
	cr_assert_eq(u.sport, 12345);
	cr_assert_eq(u.dport, 53);
	cr_assert_eq(u.len, 12);
	cr_assert_eq(u.cksum, 0x1234);
	cr_assert_eq(c.p, udp + 8);
	cr_assert_eq(c.rep, 4);
}

Test(udp, parse_truncated_at_every_length)
{
	size_t n;

	for (n = 0; n < 8; n++) {
		struct ds_cur c = ds_cur_make(udp, n, sizeof udp);
		struct ds_udp u;

		cr_assert_eq(ds_udp_parse(&c, &u), DS_ETRUNC, "n %zu", n);
		cr_assert_eq(c.p, udp);
		cr_assert_eq(ds_left(&c), n);
	}
}

Test(udp, parse_rejects_lying_length)
{
	static const uint8_t lens[] = { 0, 7, 13, 0xff };
	uint8_t buf[sizeof udp];
	size_t i;

	for (i = 0; i < sizeof lens; i++) {
		struct ds_cur c;
		struct ds_udp u;

		memcpy(buf, udp, sizeof buf);
		buf[5] = lens[i];
		c = ds_cur_make(buf, sizeof buf, sizeof buf);
		cr_assert_eq(ds_udp_parse(&c, &u), DS_EMALFORMED, "len %u",
		    lens[i]);
		cr_assert_eq(c.p, buf);
	}
	/* shorter than the container is fine: it bounds the payload */
	memcpy(buf, udp, sizeof buf);
	buf[5] = 10;
	{
		struct ds_cur c = ds_cur_make(buf, sizeof buf, sizeof buf);
		struct ds_udp u;

		cr_assert_eq(ds_udp_parse(&c, &u), DS_OK);
		cr_assert_eq(c.rep, 2);
	}
}

/* UDP length 10 in a 16-byte IP payload: the rest is not the datagram's. */
static const uint8_t v4_udp_short[] = {
	V4HDR(36, 17),
	0x30, 0x39, 0x00, 0x35,
	0x00, 0x0a, 0x00, 0x00,		/* length 10 */
	0xde, 0xad,			/* data */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* trailer */
};

Test(udp, length_shorter_than_ip_payload_bounds_the_data)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, v4_udp_short, sizeof v4_udp_short);

	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->layer[1].bytes.len, 10);
	cr_assert_eq(f->layer[2].bytes.len, 2);
	ds_engine_free(e);
}

Test(udp, length_past_ip_payload_is_noted)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof v4_udp_short];
	const struct ds_frame *f;

	memcpy(buf, v4_udp_short, sizeof buf);
	buf[25] = 0x20;			/* length 32 > 16 */
	f = run(&e, buf, sizeof buf);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(has(f, DS_N_UDP_LEN));
	cr_assert_eq(f->note[0].layer, 1);
	cr_assert_eq(f->layer[2].bytes.len, 8);
	buf[25] = 0x04;			/* length 4 < 8 */
	f = run(&e, buf, sizeof buf);
	cr_assert(has(f, DS_N_UDP_LEN));
	ds_engine_free(e);
}

Test(udp, truncated_header_is_noted)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_udp_short,
	    sizeof v4_udp_short, 24, 0);
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(f->is_truncated);
	cr_assert_not(f->is_malformed);
	ds_engine_free(e);
}

/* UDP 500 -> 500 with an IKEv2 IKE_SA_INIT header only. */
static const uint8_t v4_ike[] = {
	V4HDR(56, 17),
	0x01, 0xf4, 0x01, 0xf4,		/* 500 -> 500 */
	0x00, 0x24, 0x00, 0x00,		/* length 36 */
	1, 2, 3, 4, 5, 6, 7, 8,		/* initiator SPI */
	0, 0, 0, 0, 0, 0, 0, 0,		/* responder SPI */
	0x00, 0x20, 0x22, 0x08,		/* no payload, 2.0, SA_INIT, I */
	0x00, 0x00, 0x00, 0x00,		/* message ID */
	0x00, 0x00, 0x00, 0x1c,		/* length 28 */
};

Test(udp, ike_port_goes_to_ike)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, v4_ike, sizeof v4_ike);

	T_ASSERT_CHAIN(f, "ipv4,udp,ikev2");
	ds_engine_free(e);
}

/* UDP 500 -> 4500 carrying a NAT-keepalive: the destination decides. */
static const uint8_t v4_keepalive[] = {
	V4HDR(29, 17),
	0x01, 0xf4, 0x11, 0x94,		/* 500 -> 4500 */
	0x00, 0x09, 0x00, 0x00,		/* length 9 */
	0xff,				/* RFC 3948 2.3 keepalive */
};

Test(udp, destination_port_wins_when_both_match)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = run(&e, v4_keepalive, sizeof v4_keepalive);
	T_ASSERT_CHAIN(f, "ipv4,udp,natt");
	ds_engine_free(e);
}

Test(udp, configured_ports_are_used)
{
	struct ds_engine_cfg cfg;
	struct ds_engine *e;
	const struct ds_frame *f;

	ds_engine_cfg_default(&cfg);
	cfg.ike_ports[0] = 4500;	/* now 4500 is IKE, 500 nothing */
	cfg.natt_ports[0] = 1;
	cr_assert_not_null(e = ds_engine_new(&cfg));
	f = run(&e, v4_ike, sizeof v4_ike);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	ds_engine_free(e);
}

/* --- TCP ------------------------------------------------------------- */

static const uint8_t tcp[] = {
	0xc0, 0x01, 0x01, 0xbb,		/* 49153 -> 443 */
	0x00, 0x00, 0x10, 0x00,		/* sequence 4096 */
	0x00, 0x00, 0x20, 0x00,		/* acknowledgment 8192 */
	0x60, 0x18, 0xff, 0xff,		/* offset 6, PSH ACK, window */
	0x00, 0x00, 0x00, 0x00,		/* checksum, urgent pointer */
	0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
	0x68, 0x69,			/* data */
};

Test(tcp, parses_header_with_options)
{
	struct ds_cur c = ds_cur_make(tcp, sizeof tcp, sizeof tcp);
	struct ds_tcp t;

	cr_assert_eq(ds_tcp_parse(&c, &t), DS_OK);
	cr_assert_eq(t.sport, 49153);
	cr_assert_eq(t.dport, 443);
	cr_assert_eq(t.seq, 4096);
	cr_assert_eq(t.ack, 8192);
	cr_assert_eq(t.flags, 0x18);
	cr_assert_eq(t.hlen, 24);
	cr_assert_eq(c.p, tcp + 24);
}

Test(tcp, parse_truncated_at_every_length)
{
	size_t n;

	for (n = 0; n < 24; n++) {
		struct ds_cur c = ds_cur_make(tcp, n, sizeof tcp);
		struct ds_tcp t;

		cr_assert_eq(ds_tcp_parse(&c, &t), DS_ETRUNC, "n %zu", n);
		cr_assert_eq(c.p, tcp);
		cr_assert_eq(ds_left(&c), n);
	}
}

Test(tcp, parse_rejects_lying_data_offset)
{
	uint8_t buf[sizeof tcp];
	struct ds_cur c;
	struct ds_tcp t;

	memcpy(buf, tcp, sizeof buf);
	buf[12] = 0x40;			/* 16 bytes */
	c = ds_cur_make(buf, sizeof buf, sizeof buf);
	cr_assert_eq(ds_tcp_parse(&c, &t), DS_EMALFORMED);
	cr_assert_eq(c.p, buf);
	buf[12] = 0xf0;			/* 60 bytes > 26 */
	cr_assert_eq(ds_tcp_parse(&c, &t), DS_EMALFORMED);
	cr_assert_eq(c.p, buf);
}

static const uint8_t v4_tcp[] = {
	V4HDR(46, 6),
	0xc0, 0x01, 0x01, 0xbb,
	0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x20, 0x00,
	0x60, 0x18, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00,
	0x02, 0x04, 0x05, 0xb4,
	0x68, 0x69,
};

Test(tcp, dissects_header_then_data)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, v4_tcp, sizeof v4_tcp);

	T_ASSERT_CHAIN(f, "ipv4,tcp,data");
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->layer[1].u.tcp.dport, 443);
	cr_assert_eq(f->layer[2].bytes.len, 2);
	ds_engine_free(e);
}

Test(tcp, notes_bad_data_offset)
{
	struct ds_engine *e = NULL;
	uint8_t buf[sizeof v4_tcp];
	const struct ds_frame *f;

	memcpy(buf, v4_tcp, sizeof buf);
	buf[32] = 0x20;
	f = run(&e, buf, sizeof buf);
	T_ASSERT_CHAIN(f, "ipv4,tcp");
	cr_assert(f->is_malformed);
	buf[32] = 0xf0;
	f = run(&e, buf, sizeof buf);
	T_ASSERT_CHAIN(f, "ipv4,tcp");
	cr_assert(f->is_malformed);
	ds_engine_free(e);
}

/* --- ICMP ------------------------------------------------------------ */

static const uint8_t v4_echo[] = {
	V4HDR(32, 1),
	0x08, 0x00, 0x00, 0x00,		/* echo request */
	0x12, 0x34, 0x00, 0x01,		/* id, sequence */
	0x61, 0x62, 0x63, 0x64,		/* data */
};

Test(icmp, parses_header)
{
	struct ds_cur c = ds_cur_make(v4_echo + 20, 12, 12);
	struct ds_icmp ic;
	size_t n;

	cr_assert_eq(ds_icmp_parse(&c, &ic, false), DS_OK);
	cr_assert_eq(ic.type, 8);
	cr_assert_not(ic.is_error);
	cr_assert_eq(c.p, v4_echo + 28);
	for (n = 0; n < 8; n++) {
		c = ds_cur_make(v4_echo + 20, n, 12);
		cr_assert_eq(ds_icmp_parse(&c, &ic, false), DS_ETRUNC);
		cr_assert_eq(c.p, v4_echo + 20);
	}
	c = ds_cur_make(v4_echo + 20, 6, 6);
	cr_assert_eq(ds_icmp_parse(&c, &ic, false), DS_EMALFORMED);
}

Test(icmp, echo_is_not_an_error)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, v4_echo, sizeof v4_echo);

	T_ASSERT_CHAIN(f, "ipv4,icmp,data");
	cr_assert_eq(f->layer[1].u.icmp.type, 8);
	cr_assert_not(f->layer[1].u.icmp.is_error);
	cr_assert_eq(f->layer[2].bytes.len, 4);
	cr_assert_not(f->layer[2].quoted);
	ds_engine_free(e);
}

/* Port unreachable quoting the usual 8 bytes of a UDP datagram. */
static const uint8_t v4_unreach_udp[] = {
	V4HDR(56, 1),
	0x03, 0x03, 0x00, 0x00,		/* unreachable, port */
	0x00, 0x00, 0x00, 0x00,		/* unused */
	V4HDR_BACK(0x40, 17),		/* quoted: total length 64 */
	0x30, 0x39, 0x00, 0x35,		/* quoted UDP: 12345 -> 53 */
	0x00, 0x2c, 0x00, 0x00,		/* length 44 */
};

Test(icmp, error_quotes_a_truncated_packet_without_truncation)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = run(&e, v4_unreach_udp, sizeof v4_unreach_udp);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,udp");
	cr_assert_not(f->layer[0].quoted);
	cr_assert_not(f->layer[1].quoted);
	cr_assert(f->layer[2].quoted);
	cr_assert(f->layer[3].quoted);
	cr_assert(f->layer[1].u.icmp.is_error);
	cr_assert_eq(f->layer[3].u.udp.dport, 53);
	cr_assert_eq(f->nnotes, 0);
	cr_assert_not(f->is_truncated);
	cr_assert_not(f->is_malformed);
	ds_engine_free(e);
}

/* Through the engine: counted as ICMP, not as the quoted protocols. */
Test(icmp, engine_counts_quoted_layers_apart)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_stats *st;

	f = t_dissect(&e, DS_LINKTYPE_RAW, v4_unreach_udp,
	    sizeof v4_unreach_udp);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,udp");
	cr_assert_eq(f->fclass, DS_FC_OTHER);
	st = ds_engine_stats(e);
	cr_assert_eq(st->proto[DS_P_ICMP], 1);
	cr_assert_eq(st->proto[DS_P_UDP], 0);
	cr_assert_eq(st->truncated, 0);
	ds_engine_free(e);
}

/* Protocol unreachable quoting ESP: SPI and sequence number only. */
static const uint8_t v4_unreach_esp[] = {
	V4HDR(56, 1),
	0x03, 0x02, 0x00, 0x00,		/* unreachable, protocol */
	0x00, 0x00, 0x00, 0x00,
	V4HDR_BACK(0x98, 50),		/* quoted: ESP, total length 152 */
	0x00, 0x00, 0x00, 0x0a,		/* SPI 10 */
	0x00, 0x00, 0x00, 0x05,		/* sequence 5 */
};

Test(icmp, quote_of_esp_is_noted)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_stats *st;
	unsigned i;

	f = t_dissect(&e, DS_LINKTYPE_RAW, v4_unreach_esp,
	    sizeof v4_unreach_esp);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,esp");
	cr_assert(f->layer[3].quoted);
	cr_assert_eq(f->layer[3].u.esp.spi, 10);
	cr_assert(has(f, DS_N_ICMP_QUOTE));
	for (i = 0; f->note[i].code != DS_N_ICMP_QUOTE; i++)
		;
	cr_assert_eq(f->note[i].layer, 1, "noted on the ICMP layer");
	cr_assert_not(f->is_truncated);
	st = ds_engine_stats(e);
	cr_assert_eq(st->icmp_quoting_ipsec, 1);
	cr_assert_eq(st->proto[DS_P_ESP], 0);
	ds_engine_free(e);
}

/* Time exceeded quoting a port unreachable: one level only. */
static const uint8_t v4_nested[] = {
	V4HDR(84, 1),
	0x0b, 0x00, 0x00, 0x00,		/* time exceeded */
	0x00, 0x00, 0x00, 0x00,
	V4HDR_BACK(56, 1),		/* quoted ICMP error */
	0x03, 0x03, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	V4HDR(64, 17),			/* its quote: not dissected */
	0x30, 0x39, 0x00, 0x35,
	0x00, 0x2c, 0x00, 0x00,
};

Test(icmp, does_not_dissect_a_quote_inside_a_quote)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f = run(&e, v4_nested, sizeof v4_nested);

	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,icmp,data");
	cr_assert(f->layer[3].quoted);
	cr_assert(f->layer[4].quoted);
	cr_assert_eq(f->layer[4].bytes.len, 28);
	cr_assert_eq(f->nnotes, 0);
	ds_engine_free(e);
}

/* Fragmentation needed quoting the first fragment of a UDP datagram. */
static const uint8_t v4_unreach_frag[] = {
	V4HDR(56, 1),
	0x03, 0x04, 0x00, 0x00,		/* fragmentation needed */
	0x00, 0x00, 0x05, 0xdc,		/* next-hop MTU 1500 */
	0x45, 0x00, 0x05, 0xdc,		/* quoted: total length 1500 */
	0x00, 0x09, 0x20, 0x00,		/* MF, offset 0 */
	0x40, 0x11, 0x00, 0x00,
	0xc0, 0x00, 0x02, 0x02,
	0xc0, 0x00, 0x02, 0x01,
	0x30, 0x39, 0x00, 0x35,		/* UDP */
	0x0b, 0xb8, 0x00, 0x00,		/* length 3000 */
};

Test(icmp, quoted_fragment_stays_out_of_reassembly)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_stats *st;

	f = t_dissect(&e, DS_LINKTYPE_RAW, v4_unreach_frag,
	    sizeof v4_unreach_frag);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,udp");
	cr_assert(f->layer[2].u.ip4.is_fragment);
	cr_assert_not(has(f, DS_N_FRAGMENT));
	cr_assert_not(has(f, DS_N_UDP_LEN));
	cr_assert_neq(f->fclass, DS_FC_FRAGMENT);
	st = ds_engine_stats(e);
	cr_assert_eq(st->frag_fragments, 0);
	ds_engine_finish(e);
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_END], 0);
	ds_engine_free(e);
}

Test(icmp, capture_cut_inside_the_quote_is_still_truncation)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_unreach_udp,
	    sizeof v4_unreach_udp, 52, 0);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4");
	cr_assert(f->is_truncated, "the outer packet is cut");
	cr_assert_eq(f->note[0].layer, 0);
	cr_assert_eq(f->nnotes, 1);
	ds_engine_free(e);
}

Test(icmp, truncated_header_is_noted)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_echo, sizeof v4_echo, 24, 0);
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(f->is_truncated);
	ds_engine_free(e);
}

/* Time exceeded with an RFC 4884 length (7 words) and an extension. */
static const uint8_t v4_exceeded_ext[] = {
	V4HDR(64, 1),
	0x0b, 0x00, 0x00, 0x00,		/* time exceeded */
	0x00, 0x07, 0x00, 0x00,		/* RFC 4884 length: 28 bytes */
	V4HDR_BACK(0x40, 17),		/* quoted */
	0x30, 0x39, 0x00, 0x35,
	0x00, 0x2c, 0x00, 0x00,
	0x20, 0x00, 0x00, 0x00,		/* extension header */
	0x00, 0x04, 0x01, 0x01,		/* an object header */
};

Test(icmp, rfc4884_length_bounds_the_quote)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = run(&e, v4_exceeded_ext, sizeof v4_exceeded_ext);
	T_ASSERT_CHAIN(f, "ipv4,icmp,ipv4,udp");
	cr_assert_eq(f->layer[2].bytes.len, 28);
	cr_assert_eq(f->layer[3].bytes.len, 8);
	ds_engine_free(e);
}

#define SRC6	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
#define DST6	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02

/* ICMPv6 Packet Too Big quoting an ESP packet. */
static const uint8_t v6_ptb_esp[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x38, 0x3a, 0x40,		/* plen 56, ICMPv6 */
	DST6,
	SRC6,
	0x02, 0x00, 0x00, 0x00,		/* packet too big */
	0x00, 0x00, 0x05, 0x00,		/* MTU 1280 */
	0x60, 0x00, 0x00, 0x00,		/* quoted IPv6 */
	0x05, 0xc8, 0x32, 0x40,		/* plen 1480, ESP */
	SRC6,
	DST6,
	0x00, 0x00, 0x10, 0x01,		/* SPI */
	0x00, 0x00, 0x00, 0x2a,		/* sequence 42 */
};

Test(icmpv6, packet_too_big_quotes_esp)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_ptb_esp, sizeof v6_ptb_esp,
	    sizeof v6_ptb_esp, 0);
	T_ASSERT_CHAIN(f, "ipv6,icmpv6,ipv6,esp");
	cr_assert(f->layer[1].u.icmp.is_error);
	cr_assert_eq(f->layer[1].u.icmp.type, 2);
	cr_assert(f->layer[2].quoted);
	cr_assert(f->layer[3].quoted);
	cr_assert_eq(f->layer[3].u.esp.seq, 42);
	cr_assert(has(f, DS_N_ICMP_QUOTE));
	cr_assert_not(f->is_truncated);
	ds_engine_free(e);
}

/* ICMPv6 echo request: a 4-byte header, then the body. */
static const uint8_t v6_echo[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x08, 0x3a, 0x40,		/* plen 8, ICMPv6 */
	SRC6,
	DST6,
	0x80, 0x00, 0x00, 0x00,		/* echo request */
	0x00, 0x01, 0x00, 0x01,		/* id, sequence */
};

Test(icmpv6, echo_is_not_an_error)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	struct ds_cur c = ds_cur_make(v6_echo + 40, 4, 4);
	struct ds_icmp ic;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_echo, sizeof v6_echo,
	    sizeof v6_echo, 0);
	T_ASSERT_CHAIN(f, "ipv6,icmpv6,data");
	cr_assert_not(f->layer[1].u.icmp.is_error);
	cr_assert_eq(ds_icmp_parse(&c, &ic, true), DS_OK);
	cr_assert_eq(ic.type, 128);
	ds_engine_free(e);
}
