/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv6: header, extension header chain, jumbograms (RFC 8200, RFC 2675). */
#include "util.h"

#define SRC6	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
#define DST6	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02
#define PADN4	0x01, 0x04, 0x00, 0x00, 0x00, 0x00	/* PadN, 4 bytes */
#define UDP12	0x30, 0x39, 0x00, 0x35,	/* UDP 12345 -> 53 */	\
		0x00, 0x0c, 0x00, 0x00,	/* length 12 */		\
		0xde, 0xad, 0xbe, 0xef	/* data */

/* Hop-by-hop, destination options, routing, then UDP. */
static const uint8_t v6_chain[] = {
	0x60, 0x00, 0x00, 0x00,		/* version 6, class 0, flow 0 */
	0x00, 0x34, 0x00, 0x40,		/* plen 52, next HBH, hlim 64 */
	SRC6,
	DST6,
	0x3c, 0x00, PADN4,		/* HBH: next DSTOPTS, 8 bytes */
	0x2b, 0x00, PADN4,		/* DSTOPTS: next ROUTING, 8 bytes */
	0x11, 0x02, 0x02, 0x01,		/* ROUTING: next UDP, 24 bytes,
					 * type 2, segments left 1 */
	0x00, 0x00, 0x00, 0x00,		/* reserved */
	DST6,				/* home address */
	UDP12,
};

static const uint8_t *
patch(uint8_t *buf, const uint8_t *src, size_t len, size_t at, uint8_t v)
{
	memcpy(buf, src, len);
	buf[at] = v;
	return buf;
}

static bool
has(const struct ds_frame *f, enum ds_note_code c)
{
	return ds_frame_has_note(f, c);
}

Test(ipv6, parses_header_and_chain)
{
	struct ds_cur c = ds_cur_make(v6_chain, sizeof v6_chain,
	    sizeof v6_chain);
	struct ds_ipv6 ip6;
	char s[DS_ADDR_STRLEN];

	cr_assert_eq(ds_ipv6_parse(&c, &ip6), DS_OK);
	cr_assert_eq(ip6.plen, 52);
	cr_assert_eq(ip6.nxt, DS_IPPROTO_HOPOPTS);
	cr_assert_eq(ip6.hlim, 64);
	cr_assert_eq(ip6.next_count, 3);
	cr_assert_eq(ip6.ext[0], DS_IPPROTO_HOPOPTS);
	cr_assert_eq(ip6.ext[1], DS_IPPROTO_DSTOPTS);
	cr_assert_eq(ip6.ext[2], DS_IPPROTO_ROUTING);
	cr_assert_eq(ip6.extlen, 40);
	cr_assert_eq(ip6.proto, DS_IPPROTO_UDP);
	cr_assert_not(ip6.is_fragment);
	cr_assert_str_eq(ds_addr_fmt(&ip6.src, s, sizeof s), "2001:db8::1");
	cr_assert_eq(c.p, v6_chain + 80);
	cr_assert_eq(c.rep, 12);
}

Test(ipv6, parse_truncated_chain_at_every_length)
{
	size_t n;

	for (n = 0; n < 80; n++) {
		struct ds_cur c = ds_cur_make(v6_chain, n, sizeof v6_chain);
		struct ds_ipv6 ip6;

		cr_assert_eq(ds_ipv6_parse(&c, &ip6), DS_ETRUNC, "n %zu", n);
		cr_assert_eq(c.p, v6_chain, "n %zu", n);
		cr_assert_eq(ds_left(&c), n);
	}
}

Test(ipv6, parse_rejects_lying_lengths)
{
	static const struct {
		size_t	 at;
		uint8_t	 v;
		const char *why;
	} bad[] = {
		{ 0, 0x40, "version 4" },
		{ 5, 0x35, "payload length past the frame" },
		{ 5, 0x00, "payload length 0 without a jumbo option" },
		{ 5, 0x27, "payload length ends inside routing header" },
		{ 57, 0x08, "routing header past the payload" },
		{ 41, 0xff, "hop-by-hop header past the payload" },
	};
	uint8_t buf[sizeof v6_chain];
	size_t i;

	for (i = 0; i < DS_NELEM(bad); i++) {
		struct ds_cur c;
		struct ds_ipv6 ip6;

		patch(buf, v6_chain, sizeof buf, bad[i].at, bad[i].v);
		c = ds_cur_make(buf, sizeof buf, sizeof buf);
		cr_assert_eq(ds_ipv6_parse(&c, &ip6), DS_EMALFORMED, "%s",
		    bad[i].why);
		cr_assert_eq(c.p, buf, "%s", bad[i].why);
	}
}

Test(ipv6, dissects_chain_and_udp)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_chain, sizeof v6_chain,
	    sizeof v6_chain, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->layer[0].u.ip6.next_count, 3);
	cr_assert_eq(f->layer[0].u.ip6.extlen, 40);
	cr_assert_eq(f->layer[0].u.ip6.proto, DS_IPPROTO_UDP);
	cr_assert_eq(f->layer[0].bytes.len, sizeof v6_chain);
	cr_assert_eq(f->layer[2].bytes.len, 4);
	ds_engine_free(e);
}

Test(ipv6, ignores_link_padding_after_payload_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v6_chain + 6] = { 0 };

	memcpy(buf, v6_chain, sizeof v6_chain);
	f = t_dissect_at(&e, ds_ipv6_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	cr_assert_eq(f->layer[2].bytes.len, 4);
	ds_engine_free(e);
}

Test(ipv6, notes_chain_past_payload_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v6_chain];

	patch(buf, v6_chain, sizeof buf, 57, 0x08);	/* routing: 72 bytes */
	f = t_dissect_at(&e, ds_ipv6_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv6");
	cr_assert(has(f, DS_N_IPV6_EXT_CHAIN));
	cr_assert_eq(f->layer[0].u.ip6.next_count, 2);
	cr_assert_eq(f->layer[0].u.ip6.proto, DS_IPPROTO_ROUTING);
	ds_engine_free(e);
}

Test(ipv6, truncation_at_every_length_never_claims_malformed)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n;

	for (n = 0; n < sizeof v6_chain; n++) {
		f = t_dissect_at(&e, ds_ipv6_dissect, v6_chain,
		    sizeof v6_chain, n, 0);
		cr_assert(f->is_truncated, "n %zu", n);
		cr_assert_not(f->is_malformed, "n %zu", n);
		cr_assert_eq(f->nlayers > 0, n >= 40, "n %zu", n);
	}
	ds_engine_free(e);
}

Test(ipv6, notes_payload_length_past_frame)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v6_chain];

	patch(buf, v6_chain, sizeof buf, 5, 0x80);
	f = t_dissect_at(&e, ds_ipv6_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	cr_assert(has(f, DS_N_IPV6_PLEN));
	ds_engine_free(e);
}

Test(ipv6, notes_other_ip_version)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v6_chain];

	patch(buf, v6_chain, sizeof buf, 0, 0x45);
	f = t_dissect_at(&e, ds_ipv6_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "data");
	cr_assert(has(f, DS_N_IP_VERSION));
	ds_engine_free(e);
}

/* Ten destination options headers: more than ext[] keeps. */
static const uint8_t v6_long[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x5c, 0x3c, 0x40,		/* plen 92, next DSTOPTS */
	SRC6,
	DST6,
	0x3c, 0x00, PADN4,		/* 1 */
	0x3c, 0x00, PADN4,		/* 2 */
	0x3c, 0x00, PADN4,		/* 3 */
	0x3c, 0x00, PADN4,		/* 4 */
	0x3c, 0x00, PADN4,		/* 5 */
	0x3c, 0x00, PADN4,		/* 6 */
	0x3c, 0x00, PADN4,		/* 7 */
	0x3c, 0x00, PADN4,		/* 8 */
	0x3c, 0x00, PADN4,		/* 9 */
	0x11, 0x00, PADN4,		/* 10: next UDP */
	UDP12,
};

Test(ipv6, keeps_walking_past_recorded_headers)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_ipv6 *ip6;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_long, sizeof v6_long,
	    sizeof v6_long, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	ip6 = &f->layer[0].u.ip6;
	cr_assert_eq(ip6->next_count, 10);
	cr_assert_eq(ip6->ext[DS_MAX_V6EXT - 1], DS_IPPROTO_DSTOPTS);
	cr_assert_eq(ip6->extlen, 80);
	cr_assert_eq(ip6->proto, DS_IPPROTO_UDP);
	ds_engine_free(e);
}

/* Mobility, HIP and Shim6 headers are walked by their length. */
static const uint8_t v6_mh[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x24, 0x87, 0x40,		/* plen 36, next MH (135) */
	SRC6,
	DST6,
	0x8b, 0x00, 0x00, 0x00,		/* MH: next HIP, 8 bytes */
	0x00, 0x00, 0x00, 0x00,
	0x8c, 0x00, 0x00, 0x00,		/* HIP: next Shim6, 8 bytes */
	0x00, 0x00, 0x00, 0x00,
	0x11, 0x00, 0x00, 0x00,		/* Shim6: next UDP, 8 bytes */
	0x00, 0x00, 0x00, 0x00,
	UDP12,
};

Test(ipv6, walks_mobility_hip_and_shim6)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_ipv6 *ip6;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_mh, sizeof v6_mh,
	    sizeof v6_mh, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	ip6 = &f->layer[0].u.ip6;
	cr_assert_eq(ip6->next_count, 3);
	cr_assert_eq(ip6->ext[0], DS_IPPROTO_MH);
	cr_assert_eq(ip6->ext[1], DS_IPPROTO_HIP);
	cr_assert_eq(ip6->ext[2], DS_IPPROTO_SHIM6);
	ds_engine_free(e);
}

/* Jumbogram: payload length 0, Jumbo Payload option (RFC 2675). */
static const uint8_t v6_jumbo[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x40,		/* plen 0, next HBH */
	SRC6,
	DST6,
	0x11, 0x00,			/* HBH: next UDP, 8 bytes */
	0xc2, 0x04,			/* Jumbo Payload, 4 bytes */
	0x00, 0x01, 0x00, 0x14,		/* 65556 (more than captured) */
	UDP12,
};

Test(ipv6, jumbogram_uses_captured_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_jumbo, sizeof v6_jumbo,
	    sizeof v6_jumbo, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	cr_assert(has(f, DS_N_IPV6_JUMBO));
	cr_assert_not(f->is_malformed);
	cr_assert_eq(f->layer[0].u.ip6.ext[0], DS_IPPROTO_HOPOPTS);
	ds_engine_free(e);
}

Test(ipv6, parse_rejects_small_jumbo_length)
{
	uint8_t buf[sizeof v6_jumbo];
	struct ds_cur c;
	struct ds_ipv6 ip6;

	patch(buf, v6_jumbo, sizeof buf, 45, 0x00);	/* 20: not jumbo */
	c = ds_cur_make(buf, sizeof buf, sizeof buf);
	cr_assert_eq(ds_ipv6_parse(&c, &ip6), DS_EMALFORMED);
	/* and 65556 does not fit the frame */
	c = ds_cur_make(v6_jumbo, sizeof v6_jumbo, sizeof v6_jumbo);
	cr_assert_eq(ds_ipv6_parse(&c, &ip6), DS_EMALFORMED);
}

/* Destination options, then AH; AH carries destination options, UDP. */
static const uint8_t v6_ah[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x34, 0x3c, 0x40,		/* plen 52, next DSTOPTS */
	SRC6,
	DST6,
	0x33, 0x00, PADN4,		/* DSTOPTS: next AH */
	0x3c, 0x04, 0x00, 0x00,		/* AH: next DSTOPTS, len 4 (24 B) */
	0x00, 0x00, 0x10, 0x01,		/* SPI 0x1001 */
	0x00, 0x00, 0x00, 0x01,		/* sequence 1 */
	0x01, 0x02, 0x03, 0x04,		/* ICV (12 bytes) */
	0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c,
	0x11, 0x00, PADN4,		/* DSTOPTS after AH: next UDP */
	UDP12,
};

Test(ipv6, ah_ends_the_walk_and_its_headers_are_recorded)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_ipv6 *ip6;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_ah, sizeof v6_ah,
	    sizeof v6_ah, 0);
	T_ASSERT_CHAIN(f, "ipv6,ah,udp,data");
	ip6 = &f->layer[0].u.ip6;
	cr_assert_eq(ip6->proto, DS_IPPROTO_AH);
	cr_assert_eq(ip6->extlen, 8);
	cr_assert_eq(ip6->next_count, 2);
	cr_assert_eq(ip6->ext[0], DS_IPPROTO_DSTOPTS);
	cr_assert_eq(ip6->ext[1], DS_IPPROTO_DSTOPTS);
	cr_assert_not(f->is_malformed);
	ds_engine_free(e);
}

Test(ipv6, chain_after_ah_past_the_packet_is_noted)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v6_ah];

	patch(buf, v6_ah, sizeof buf, 73, 0x04);	/* 40 bytes */
	f = t_dissect_at(&e, ds_ipv6_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv6,ah");
	cr_assert(has(f, DS_N_IPV6_EXT_CHAIN));
	cr_assert_eq(f->note[0].layer, 1, "noted on AH");
	cr_assert_eq(f->layer[0].u.ip6.next_count, 1);
	ds_engine_free(e);
}

/* ESP ends the walk: its payload is not ours to read. */
static const uint8_t v6_esp[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x18, 0x32, 0x40,		/* plen 24, next ESP */
	SRC6,
	DST6,
	0x00, 0x00, 0x10, 0x01,		/* SPI */
	0x00, 0x00, 0x00, 0x01,		/* sequence */
	0xaa, 0xbb, 0xcc, 0xdd, 0xaa, 0xbb, 0xcc, 0xdd,
	0xaa, 0xbb, 0xcc, 0xdd, 0xaa, 0xbb, 0xcc, 0xdd,
};

Test(ipv6, esp_ends_the_walk)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_esp, sizeof v6_esp,
	    sizeof v6_esp, 0);
	T_ASSERT_CHAIN(f, "ipv6,esp");
	cr_assert_eq(f->layer[0].u.ip6.proto, DS_IPPROTO_ESP);
	cr_assert_eq(f->layer[0].u.ip6.next_count, 0);
	cr_assert_eq(f->layer[1].u.esp.spi, 0x1001);
	ds_engine_free(e);
}

/* An atomic fragment (offset 0, M clear) is an ordinary packet. */
static const uint8_t v6_atomic[] = {
	0x60, 0x00, 0x00, 0x00,
	0x00, 0x14, 0x2c, 0x40,		/* plen 20, next Fragment */
	SRC6,
	DST6,
	0x11, 0x00, 0x00, 0x00,		/* Fragment: next UDP, off 0, M 0 */
	0xca, 0xfe, 0xf0, 0x0d,		/* identification */
	UDP12,
};

Test(ipv6, atomic_fragment_is_dissected_at_once)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_ipv6 *ip6;

	f = t_dissect_at(&e, ds_ipv6_dissect, v6_atomic, sizeof v6_atomic,
	    sizeof v6_atomic, 0);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	ip6 = &f->layer[0].u.ip6;
	cr_assert_not(ip6->is_fragment);
	cr_assert_eq(ip6->frag_id, 0xcafef00d);
	cr_assert_eq(ip6->ext[0], DS_IPPROTO_FRAGMENT);
	cr_assert_not(has(f, DS_N_FRAGMENT));
	cr_assert_eq(ds_engine_stats(e)->frag_fragments, 0);
	ds_engine_free(e);
}

Test(ipv6, parse_stops_at_a_real_fragment)
{
	uint8_t buf[sizeof v6_atomic];
	struct ds_cur c;
	struct ds_ipv6 ip6;

	patch(buf, v6_atomic, sizeof buf, 43, 0x01);	/* M set */
	c = ds_cur_make(buf, sizeof buf, sizeof buf);
	cr_assert_eq(ds_ipv6_parse(&c, &ip6), DS_OK);
	cr_assert(ip6.is_fragment);
	cr_assert(ip6.frag_more);
	cr_assert_eq(ip6.frag_off, 0);
	cr_assert_eq(ip6.proto, DS_IPPROTO_UDP);
	cr_assert_eq(c.p, buf + 48);
}

/* IPv4 + AH + destination options: the walk after AH with no IPv6
 * layer to record into. */
static const uint8_t v4_ah_dst[] = {
	0x45, 0x00, 0x00, 0x38,		/* totlen 56 */
	0x00, 0x01, 0x00, 0x00,
	0x40, 0x33, 0x00, 0x00,		/* AH */
	0xc0, 0x00, 0x02, 0x01,
	0xc0, 0x00, 0x02, 0x02,
	0x3c, 0x04, 0x00, 0x00,		/* AH: next DSTOPTS, 24 bytes */
	0x00, 0x00, 0x10, 0x01,
	0x00, 0x00, 0x00, 0x01,
	0x01, 0x02, 0x03, 0x04,
	0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c,
	0x3b, 0x00, PADN4,		/* DSTOPTS: no next header */
	0x00, 0x00, 0x00, 0x00,		/* ignored after 59 */
};

Test(ipv6, ext_dissect_without_an_ipv6_layer)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_ah_dst, sizeof v4_ah_dst,
	    sizeof v4_ah_dst, 0);
	T_ASSERT_CHAIN(f, "ipv4,ah");
	cr_assert_not(f->is_malformed);
	cr_assert_not(f->is_truncated);
	ds_engine_free(e);
}

Test(ipv6, engine_dissects_raw_ipv6_frame)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, v6_chain, sizeof v6_chain);
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	cr_assert_eq(f->fclass, DS_FC_OTHER);
	ds_engine_free(e);
}
