/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4: header and options, lengths, dispatch, IP-in-IP (RFC 791). */
#include "util.h"

/* IPv4 + UDP + 4 bytes of data: 192.0.2.1 -> 192.0.2.2, 12345 -> 53. */
static const uint8_t v4_udp[] = {
	0x45, 0x00, 0x00, 0x20,		/* version 4, IHL 5, tos, totlen 32 */
	0x12, 0x34, 0x40, 0x00,		/* id 0x1234, DF, offset 0 */
	0x40, 0x11, 0xab, 0xcd,		/* ttl 64, UDP, checksum */
	0xc0, 0x00, 0x02, 0x01,		/* src 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,		/* dst 192.0.2.2 */
	0x30, 0x39, 0x00, 0x35,		/* UDP 12345 -> 53 */
	0x00, 0x0c, 0x00, 0x00,		/* length 12, checksum */
	0xde, 0xad, 0xbe, 0xef,		/* data */
};

/* The same with options: NOP, Record Route (7 bytes). */
static const uint8_t v4_opts[] = {
	0x47, 0x00, 0x00, 0x28,		/* IHL 7, totlen 40 */
	0x00, 0x01, 0x00, 0x00,		/* id 1 */
	0x40, 0x11, 0x00, 0x00,		/* ttl 64, UDP */
	0xc0, 0x00, 0x02, 0x01,		/* src */
	0xc0, 0x00, 0x02, 0x02,		/* dst */
	0x01,				/* NOP */
	0x07, 0x07, 0x04,		/* RR, length 7, pointer 4 */
	0x00, 0x00, 0x00, 0x00,		/* route slot */
	0x30, 0x39, 0x00, 0x35,		/* UDP 12345 -> 53 */
	0x00, 0x0c, 0x00, 0x00,		/* length 12 */
	0xde, 0xad, 0xbe, 0xef,
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

Test(ipv4, parses_header_and_stops_at_payload)
{
	struct ds_cur c = ds_cur_make(v4_udp, sizeof v4_udp, sizeof v4_udp);
	struct ds_ipv4 ip;
	char s[DS_ADDR_STRLEN];

	cr_assert_eq(ds_ipv4_parse(&c, &ip), DS_OK);
	cr_assert_eq(ip.hlen, 20);
	cr_assert_eq(ip.totlen, 32);
	cr_assert_eq(ip.id, 0x1234);
	cr_assert_eq(ip.frag, 0x4000);
	cr_assert_not(ip.is_fragment);
	cr_assert_eq(ip.ttl, 64);
	cr_assert_eq(ip.proto, DS_IPPROTO_UDP);
	cr_assert_eq(ip.cksum, 0xabcd);
	cr_assert_str_eq(ds_addr_fmt(&ip.src, s, sizeof s), "192.0.2.1");
	cr_assert_str_eq(ds_addr_fmt(&ip.dst, s, sizeof s), "192.0.2.2");
	cr_assert_eq(c.p, v4_udp + 20);
	cr_assert_eq(c.rep, 12);
}

Test(ipv4, parse_limits_cursor_to_total_length)
{
	uint8_t buf[sizeof v4_udp + 14] = { 0 };	/* Ethernet padding */
	struct ds_cur c;
	struct ds_ipv4 ip;

	memcpy(buf, v4_udp, sizeof v4_udp);
	c = ds_cur_make(buf, sizeof buf, sizeof buf);
	cr_assert_eq(ds_ipv4_parse(&c, &ip), DS_OK);
	cr_assert_eq(c.rep, 12);
	cr_assert_eq(ds_left(&c), 12);
}

Test(ipv4, parses_options)
{
	struct ds_cur c = ds_cur_make(v4_opts, sizeof v4_opts,
	    sizeof v4_opts);
	struct ds_ipv4 ip;

	cr_assert_eq(ds_ipv4_parse(&c, &ip), DS_OK);
	cr_assert_eq(ip.hlen, 28);
	cr_assert_eq(c.p, v4_opts + 28);
}

Test(ipv4, parse_truncated_header_at_every_length)
{
	size_t n;

	for (n = 0; n < 28; n++) {
		struct ds_cur c = ds_cur_make(v4_opts, n, sizeof v4_opts);
		struct ds_ipv4 ip;

		cr_assert_eq(ds_ipv4_parse(&c, &ip), DS_ETRUNC, "n %zu", n);
		cr_assert_eq(c.p, v4_opts, "n %zu", n);
		cr_assert_eq(ds_left(&c), n);
	}
}

Test(ipv4, parse_rejects_lying_lengths)
{
	static const struct {
		size_t	 at;
		uint8_t	 v;
		const char *why;
	} bad[] = {
		{ 0, 0x44, "IHL 4" },
		{ 0, 0x65, "version 6" },
		{ 0, 0x4f, "IHL 15 past total length" },
		{ 3, 0x13, "total length 19 below the header" },
		{ 3, 0x29, "total length 41 past the frame" },
		{ 22, 0x09, "option length past the header" },
		{ 22, 0x01, "option length below 2" },
	};
	uint8_t buf[sizeof v4_opts];
	size_t i;

	for (i = 0; i < DS_NELEM(bad); i++) {
		struct ds_cur c;
		struct ds_ipv4 ip;

		patch(buf, v4_opts, sizeof buf, bad[i].at, bad[i].v);
		c = ds_cur_make(buf, sizeof buf, sizeof buf);
		cr_assert_eq(ds_ipv4_parse(&c, &ip), DS_EMALFORMED, "%s",
		    bad[i].why);
		cr_assert_eq(c.p, buf, "%s", bad[i].why);
	}
}

Test(ipv4, options_end_at_end_of_list)
{
	uint8_t buf[sizeof v4_opts];
	struct ds_cur c;
	struct ds_ipv4 ip;

	/* EOL first: the bytes after it are padding, even if not zero */
	patch(buf, v4_opts, sizeof buf, 20, 0x00);
	buf[21] = 0xff;
	c = ds_cur_make(buf, sizeof buf, sizeof buf);
	cr_assert_eq(ds_ipv4_parse(&c, &ip), DS_OK);
}

Test(ipv4, dissects_udp_payload)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_udp, sizeof v4_udp,
	    sizeof v4_udp, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->layer[0].bytes.len, 32);
	cr_assert_eq(f->layer[0].u.ip4.proto, DS_IPPROTO_UDP);
	cr_assert_eq(f->layer[2].bytes.len, 4);
	ds_engine_free(e);
}

Test(ipv4, ignores_link_padding_after_total_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[60] = { 0 };

	memcpy(buf, v4_udp, sizeof v4_udp);
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert_eq(f->nnotes, 0);
	cr_assert_eq(f->layer[0].bytes.len, 32);
	cr_assert_eq(f->layer[2].bytes.len, 4);
	ds_engine_free(e);
}

Test(ipv4, notes_truncation_when_capture_ends_in_payload)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_udp, sizeof v4_udp, 30, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(has(f, DS_N_TRUNCATED));
	cr_assert(f->is_truncated);
	cr_assert_not(f->is_malformed);
	cr_assert_eq(f->note[0].layer, 0);
	ds_engine_free(e);
}

Test(ipv4, truncation_at_every_length_never_claims_malformed)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n;

	for (n = 0; n < sizeof v4_opts; n++) {
		f = t_dissect_at(&e, ds_ipv4_dissect, v4_opts, sizeof v4_opts,
		    n, 0);
		cr_assert(f->is_truncated, "n %zu", n);
		cr_assert_not(f->is_malformed, "n %zu", n);
		cr_assert_eq(f->nlayers > 0, n >= 20, "n %zu", n);
	}
	ds_engine_free(e);
}

Test(ipv4, notes_total_length_past_frame_and_goes_on)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_udp];

	patch(buf, v4_udp, sizeof buf, 3, 0x40);	/* totlen 64 */
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(has(f, DS_N_IPV4_TOTLEN));
	cr_assert(f->is_malformed);
	ds_engine_free(e);
}

Test(ipv4, notes_total_length_zero_and_uses_the_frame)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_udp];

	/* segmentation offload writes 0 on the capturing host */
	patch(buf, v4_udp, sizeof buf, 3, 0x00);
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(has(f, DS_N_IPV4_TOTLEN));
	ds_engine_free(e);
}

Test(ipv4, notes_header_length_below_20)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_udp];

	patch(buf, v4_udp, sizeof buf, 0, 0x44);
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(has(f, DS_N_IPV4_HLEN));
	ds_engine_free(e);
}

Test(ipv4, notes_header_length_past_total_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_udp];

	patch(buf, v4_udp, sizeof buf, 0, 0x4f);	/* 60 > 32 */
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(has(f, DS_N_IPV4_HLEN));
	cr_assert_not(has(f, DS_N_TRUNCATED));
	ds_engine_free(e);
}

Test(ipv4, notes_bad_option_and_still_dissects_payload)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_opts];

	patch(buf, v4_opts, sizeof buf, 22, 0x09);	/* RR length 9 */
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(has(f, DS_N_IPV4_OPTION));
	ds_engine_free(e);
}

Test(ipv4, notes_other_ip_version)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_udp];

	patch(buf, v4_udp, sizeof buf, 0, 0x65);
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "data");
	cr_assert(has(f, DS_N_IP_VERSION));
	ds_engine_free(e);
}

Test(ipv4, ip_dissect_goes_by_version_nibble)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_udp];

	f = t_dissect_at(&e, ds_ip_dissect, v4_udp, sizeof v4_udp,
	    sizeof v4_udp, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	patch(buf, v4_udp, sizeof buf, 0, 0x55);
	f = t_dissect_at(&e, ds_ip_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "data");
	cr_assert(has(f, DS_N_IP_VERSION));
	f = t_dissect_at(&e, ds_ip_dissect, buf, 0, 0, 0);
	cr_assert_eq(f->nlayers, 0);
	ds_engine_free(e);
}

/* IPv4 in IPv4 (protocol 4) around the UDP datagram above. */
static const uint8_t v4_in_v4[] = {
	0x45, 0x00, 0x00, 0x34,		/* totlen 52 */
	0x00, 0x02, 0x00, 0x00,
	0x40, 0x04, 0x00, 0x00,		/* protocol 4 */
	0xc6, 0x33, 0x64, 0x01,		/* src 198.51.100.1 */
	0xc6, 0x33, 0x64, 0x02,		/* dst 198.51.100.2 */
	0x45, 0x00, 0x00, 0x20,		/* inner: totlen 32 */
	0x12, 0x34, 0x40, 0x00,
	0x40, 0x11, 0xab, 0xcd,
	0xc0, 0x00, 0x02, 0x01,
	0xc0, 0x00, 0x02, 0x02,
	0x30, 0x39, 0x00, 0x35,
	0x00, 0x0c, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef,
};

Test(ipv4, dissects_ip_in_ip)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	char s[DS_ADDR_STRLEN];

	f = t_dissect_at(&e, ds_ipv4_dissect, v4_in_v4, sizeof v4_in_v4,
	    sizeof v4_in_v4, 0);
	T_ASSERT_CHAIN(f, "ipv4,ipv4,udp,data");
	cr_assert_eq(f->nnotes, 0);
	cr_assert_str_eq(ds_addr_fmt(&f->layer[1].u.ip4.src, s, sizeof s),
	    "192.0.2.1");
	cr_assert_not(f->layer[1].quoted);
	ds_engine_free(e);
}

Test(ipv4, inner_total_length_is_bounded_by_outer)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t buf[sizeof v4_in_v4];

	patch(buf, v4_in_v4, sizeof buf, 23, 0x40);	/* inner totlen 64 */
	f = t_dissect_at(&e, ds_ipv4_dissect, buf, sizeof buf, sizeof buf, 0);
	T_ASSERT_CHAIN(f, "ipv4,ipv4,udp,data");
	cr_assert(has(f, DS_N_IPV4_TOTLEN));
	cr_assert_eq(f->note[0].layer, 1);
	ds_engine_free(e);
}

/* IPv6 in IPv4 (protocol 41): 6in4 with an empty UDP datagram. */
static const uint8_t v6_in_v4[] = {
	0x45, 0x00, 0x00, 0x44,		/* totlen 68 */
	0x00, 0x03, 0x00, 0x00,
	0x40, 0x29, 0x00, 0x00,		/* protocol 41 */
	0xc6, 0x33, 0x64, 0x01,
	0xc6, 0x33, 0x64, 0x02,
	0x60, 0x00, 0x00, 0x00,		/* IPv6 */
	0x00, 0x08, 0x11, 0x40,		/* plen 8, UDP, hlim 64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x30, 0x39, 0x00, 0x35,		/* UDP 12345 -> 53 */
	0x00, 0x08, 0x00, 0x00,		/* length 8 */
};

Test(ipv4, dissects_ipv6_in_ipv4)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect_at(&e, ds_ipv4_dissect, v6_in_v4, sizeof v6_in_v4,
	    sizeof v6_in_v4, 0);
	T_ASSERT_CHAIN(f, "ipv4,ipv6,udp");
	cr_assert_eq(f->nnotes, 0);
	ds_engine_free(e);
}

/* Through the engine on a raw-IP link (needs capture/link.c). */
Test(ipv4, engine_dissects_raw_ip_frame)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_RAW, v4_udp, sizeof v4_udp);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert_eq(f->fclass, DS_FC_OTHER);
	f = t_dissect_cut(&e, DS_LINKTYPE_RAW, v4_in_v4, sizeof v4_in_v4, 48);
	T_ASSERT_CHAIN(f, "ipv4,ipv4,udp,data");
	cr_assert(f->is_truncated);
	cr_assert_eq(ds_engine_stats(e)->truncated, 1);
	ds_engine_free(e);
}
