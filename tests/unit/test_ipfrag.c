/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fragment reassembly: order, overlaps (RFC 5722 for IPv6), bad
 * fragments, and the caps on time, memory, datagrams and size.
 */
#include "util.h"

/* The datagram cut into fragments: UDP 12345 -> 53 and 32 data bytes. */
static const uint8_t udp40[40] = {
	0x30, 0x39, 0x00, 0x35,		/* ports */
	0x00, 0x28, 0x00, 0x00,		/* length 40 */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

struct pkt {
	uint8_t	 b[128];
	size_t	 len;
};

/*
 * An IPv4 fragment of `pay` (RFC 791 3.1): 192.0.2.1 -> 192.0.2.2,
 * identification `id`, the given offset (bytes) and MF.
 */
static struct pkt
v4frag(uint16_t id, uint8_t proto, size_t off, bool mf, const uint8_t *pay,
    size_t len)
{
	struct pkt p = { { 0 }, 20 + len };
	uint16_t fo = (uint16_t)((off / 8) | (mf ? 0x2000 : 0));

	p.b[0] = 0x45;				/* version 4, IHL 5 */
	p.b[2] = (uint8_t)(p.len >> 8);		/* total length */
	p.b[3] = (uint8_t)p.len;
	p.b[4] = (uint8_t)(id >> 8);		/* identification */
	p.b[5] = (uint8_t)id;
	p.b[6] = (uint8_t)(fo >> 8);		/* flags, offset / 8 */
	p.b[7] = (uint8_t)fo;
	p.b[8] = 64;				/* ttl */
	p.b[9] = proto;
	memcpy(p.b + 12, (const uint8_t[]){ 192, 0, 2, 1, 192, 0, 2, 2 }, 8);
	memcpy(p.b + 20, pay, len);
	return p;
}

/*
 * An IPv6 fragment (RFC 8200 4.5): 2001:db8::1 -> 2001:db8::2, a Fragment
 * header with Next Header `nxt`, offset, M and identification `id`.
 */
static struct pkt
v6frag(uint32_t id, uint8_t nxt, size_t off, bool m, const uint8_t *pay,
    size_t len)
{
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct pkt p = { { 0 }, 48 + len };
	uint16_t om = (uint16_t)(off | (m ? 1 : 0));

	p.b[0] = 0x60;				/* version 6 */
	p.b[4] = (uint8_t)((8 + len) >> 8);	/* payload length */
	p.b[5] = (uint8_t)(8 + len);
	p.b[6] = DS_IPPROTO_FRAGMENT;
	p.b[7] = 64;				/* hop limit */
	memcpy(p.b + 8, a, 16);
	p.b[23] = 1;				/* src 2001:db8::1 */
	memcpy(p.b + 24, a, 16);
	p.b[39] = 2;				/* dst 2001:db8::2 */
	p.b[40] = nxt;				/* Fragment header */
	p.b[42] = (uint8_t)(om >> 8);
	p.b[43] = (uint8_t)om;
	p.b[44] = (uint8_t)(id >> 24);
	p.b[45] = (uint8_t)(id >> 16);
	p.b[46] = (uint8_t)(id >> 8);
	p.b[47] = (uint8_t)id;
	memcpy(p.b + 48, pay, len);
	return p;
}

static const struct ds_frame *
feed_at(struct ds_engine *e, const struct pkt *p, size_t caplen, int64_t ts)
{
	struct ds_pkt pkt = { p->b, (uint32_t)caplen, (uint32_t)p->len, ts,
	    0, DS_LINKTYPE_RAW, 0 };

	return ds_engine_dissect(e, &pkt);
}

static const struct ds_frame *
feed(struct ds_engine *e, struct pkt p)
{
	return feed_at(e, &p, p.len, 0);
}

static struct ds_engine *
engine(size_t mem, unsigned pending, uint32_t timeout, size_t maxdg)
{
	struct ds_engine_cfg cfg;
	struct ds_engine *e;

	ds_engine_cfg_default(&cfg);
	if (mem != 0)
		cfg.frag_mem_max = mem;
	if (pending != 0)
		cfg.frag_max_pending = pending;
	if (timeout != 0)
		cfg.frag_timeout_sec = timeout;
	if (maxdg != 0)
		cfg.frag_max_datagram = maxdg;
	e = ds_engine_new(&cfg);
	cr_assert_not_null(e);
	return e;
}

static bool
has(const struct ds_frame *f, enum ds_note_code c)
{
	return ds_frame_has_note(f, c);
}

/* Every fragment seen is in exactly one bucket once the capture ends. */
static void
assert_partition(struct ds_engine *e, uint64_t in_datagrams)
{
	const struct ds_stats *st;

	ds_engine_finish(e);
	st = ds_engine_stats(e);
	cr_assert_eq(st->frag_fragments,
	    in_datagrams + st->frag_dropped + st->frag_evicted_frags,
	    "seen %llu, built %llu, dropped %llu, evicted %llu",
	    (unsigned long long)st->frag_fragments,
	    (unsigned long long)in_datagrams,
	    (unsigned long long)st->frag_dropped,
	    (unsigned long long)st->frag_evicted_frags);
}

static void
assert_udp40(const struct ds_frame *f, unsigned ip)
{
	cr_assert_eq(f->layer[ip + 1].proto, DS_P_UDP);
	cr_assert_eq(f->layer[ip + 1].u.udp.len, 40);
	cr_assert_eq(f->layer[ip + 2].proto, DS_P_DATA);
	cr_assert_eq(f->layer[ip + 2].bytes.len, 32);
	cr_assert_arr_eq(f->layer[ip + 2].bytes.p, udp40 + 8, 32);
}

Test(ipfrag, reassembles_ipv4_in_order)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;
	const struct ds_stats *st = ds_engine_stats(e);

	f = feed(e, v4frag(7, 17, 0, true, udp40, 16));
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(has(f, DS_N_FRAGMENT));
	cr_assert_eq(f->fclass, DS_FC_FRAGMENT);
	cr_assert(f->layer[0].u.ip4.is_fragment);
	f = feed(e, v4frag(7, 17, 16, true, udp40 + 16, 16));
	T_ASSERT_CHAIN(f, "ipv4");
	f = feed(e, v4frag(7, 17, 32, false, udp40 + 32, 8));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert(has(f, DS_N_REASSEMBLED));
	cr_assert_not(has(f, DS_N_FRAGMENT));
	cr_assert(f->layer[0].u.ip4.is_reassembled);
	cr_assert_eq(f->layer[0].u.ip4.nfrags, 3);
	cr_assert_eq(f->fclass, DS_FC_OTHER);
	assert_udp40(f, 0);
	cr_assert_eq(st->frag_fragments, 3);
	cr_assert_eq(st->frag_reassembled, 1);
	cr_assert_eq(st->fclass[DS_FC_FRAGMENT], 2);
	assert_partition(e, 3);
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_END], 0);
	ds_engine_free(e);
}

Test(ipfrag, reassembles_ipv4_in_reverse_order)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;

	T_ASSERT_CHAIN(feed(e, v4frag(7, 17, 32, false, udp40 + 32, 8)),
	    "ipv4");
	T_ASSERT_CHAIN(feed(e, v4frag(7, 17, 16, true, udp40 + 16, 16)),
	    "ipv4");
	f = feed(e, v4frag(7, 17, 0, true, udp40, 16));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	assert_udp40(f, 0);
	assert_partition(e, 3);
	ds_engine_free(e);
}

Test(ipfrag, ipv4_overlap_keeps_the_first_copy)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;
	uint8_t evil[16];

	memset(evil, 0xee, sizeof evil);
	feed(e, v4frag(9, 17, 0, true, udp40, 16));
	f = feed(e, v4frag(9, 17, 8, true, evil, 16));	/* overlaps 8..16 */
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert(has(f, DS_N_FRAG_OVERLAP));
	cr_assert(f->is_malformed);
	f = feed(e, v4frag(9, 17, 16, true, udp40 + 16, 16));
	cr_assert(has(f, DS_N_FRAG_OVERLAP), "16..24 differs from 0xee");
	f = feed(e, v4frag(9, 17, 32, false, udp40 + 32, 8));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	cr_assert_eq(f->layer[0].u.ip4.nfrags, 4);
	/* first copies: 0..16 original, 16..24 the 0xee, 24.. original */
	cr_assert_arr_eq(f->layer[2].bytes.p, udp40 + 8, 8);
	cr_assert_arr_eq(f->layer[2].bytes.p + 8, evil, 8);
	cr_assert_arr_eq(f->layer[2].bytes.p + 16, udp40 + 24, 16);
	cr_assert_eq(ds_engine_stats(e)->frag_overlap, 2);
	assert_partition(e, 4);
	ds_engine_free(e);
}

Test(ipfrag, identical_overlap_is_not_reported)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;

	feed(e, v4frag(9, 17, 0, true, udp40, 16));
	f = feed(e, v4frag(9, 17, 0, true, udp40, 16));	/* duplicate */
	cr_assert_not(has(f, DS_N_FRAG_OVERLAP));
	f = feed(e, v4frag(9, 17, 8, true, udp40 + 8, 16));
	cr_assert_not(has(f, DS_N_FRAG_OVERLAP));
	f = feed(e, v4frag(9, 17, 24, false, udp40 + 24, 16));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	assert_udp40(f, 0);
	cr_assert_eq(ds_engine_stats(e)->frag_overlap, 0);
	assert_partition(e, 4);
	ds_engine_free(e);
}

Test(ipfrag, key_includes_protocol_and_id)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;

	feed(e, v4frag(7, 17, 0, true, udp40, 16));
	feed(e, v4frag(7, 6, 16, true, udp40 + 16, 16));
	feed(e, v4frag(8, 17, 16, true, udp40 + 16, 16));
	f = feed(e, v4frag(7, 17, 32, false, udp40 + 32, 8));
	T_ASSERT_CHAIN(f, "ipv4");
	cr_assert_eq(ds_engine_stats(e)->frag_reassembled, 0);
	assert_partition(e, 0);
	cr_assert_eq(ds_engine_stats(e)->frag_evicted[DS_FRAG_EV_END], 3);
	ds_engine_free(e);
}

/* The fragmentable part: destination options, then the UDP datagram. */
static uint8_t v6part[48];

static void
make_v6part(void)
{
	static const uint8_t dst[8] = {
		0x11, 0x00,			/* next UDP, 8 bytes */
		0x01, 0x04, 0x00, 0x00, 0x00, 0x00,	/* PadN */
	};

	memcpy(v6part, dst, 8);
	memcpy(v6part + 8, udp40, 40);
}

Test(ipfrag, reassembles_ipv6_and_walks_on)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;
	const struct ds_ipv6 *ip6;

	make_v6part();
	f = feed(e, v6frag(0x01020304, DS_IPPROTO_DSTOPTS, 24, false,
	    v6part + 24, 24));
	T_ASSERT_CHAIN(f, "ipv6");
	cr_assert(has(f, DS_N_FRAGMENT));
	ip6 = &f->layer[0].u.ip6;
	cr_assert(ip6->is_fragment);
	cr_assert_eq(ip6->frag_off, 24);
	cr_assert_not(ip6->frag_more);
	cr_assert_eq(ip6->frag_id, 0x01020304);
	f = feed(e, v6frag(0x01020304, DS_IPPROTO_DSTOPTS, 0, true, v6part,
	    24));
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	ip6 = &f->layer[0].u.ip6;
	cr_assert(ip6->is_reassembled);
	cr_assert_eq(ip6->nfrags, 2);
	cr_assert_eq(ip6->next_count, 2);
	cr_assert_eq(ip6->ext[0], DS_IPPROTO_FRAGMENT);
	cr_assert_eq(ip6->ext[1], DS_IPPROTO_DSTOPTS);
	cr_assert_eq(ip6->extlen, 16);
	cr_assert_eq(ip6->proto, DS_IPPROTO_UDP);
	cr_assert(has(f, DS_N_REASSEMBLED));
	assert_udp40(f, 0);
	assert_partition(e, 2);
	ds_engine_free(e);
}

Test(ipfrag, ipv6_overlap_discards_the_datagram)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_stats *st = ds_engine_stats(e);
	const struct ds_frame *f;
	uint8_t evil[16];

	memset(evil, 0xee, sizeof evil);
	feed(e, v6frag(5, DS_IPPROTO_UDP, 0, true, udp40, 16));
	f = feed(e, v6frag(5, DS_IPPROTO_UDP, 8, true, evil, 16));
	T_ASSERT_CHAIN(f, "ipv6");
	cr_assert_eq(f->layer[0].bytes.len, 64);
	cr_assert(has(f, DS_N_FRAG_OVERLAP));
	cr_assert(has(f, DS_N_FRAGMENT));
	/* RFC 5722 3: the fragments still to come are discarded too */
	feed(e, v6frag(5, DS_IPPROTO_UDP, 16, true, udp40 + 16, 16));
	f = feed(e, v6frag(5, DS_IPPROTO_UDP, 32, false, udp40 + 32, 8));
	T_ASSERT_CHAIN(f, "ipv6");
	cr_assert_eq(st->frag_reassembled, 0);
	cr_assert_eq(st->frag_overlap, 1);
	cr_assert_eq(st->frag_dropped, 4);
	assert_partition(e, 0);
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_END], 0);
	ds_engine_free(e);
}

Test(ipfrag, ipv6_identical_overlap_is_kept)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;

	feed(e, v6frag(5, DS_IPPROTO_UDP, 0, true, udp40, 24));
	feed(e, v6frag(5, DS_IPPROTO_UDP, 16, true, udp40 + 16, 16));
	f = feed(e, v6frag(5, DS_IPPROTO_UDP, 32, false, udp40 + 32, 8));
	T_ASSERT_CHAIN(f, "ipv6,udp,data");
	assert_udp40(f, 0);
	assert_partition(e, 3);
	ds_engine_free(e);
}

Test(ipfrag, refuses_bad_fragments)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;
	static uint8_t big[16];

	f = feed(e, v4frag(1, 17, 0, true, udp40, 12));	/* not 8 * n */
	T_ASSERT_CHAIN(f, "ipv4,udp,data");	/* never reassembled */
	cr_assert_not(has(f, DS_N_UDP_LEN));
	cr_assert(has(f, DS_N_FRAG_BAD));
	cr_assert(has(f, DS_N_FRAGMENT));
	cr_assert_eq(f->fclass, DS_FC_FRAGMENT);
	f = feed(e, v4frag(2, 17, 16, true, udp40, 0));	/* empty */
	cr_assert(has(f, DS_N_FRAG_BAD));
	/* RFC 791: the datagram would pass 65535 bytes */
	f = feed(e, v4frag(3, 17, 65528, false, big, 16));
	cr_assert(has(f, DS_N_FRAG_BAD));
	f = feed(e, v6frag(4, DS_IPPROTO_UDP, 65528, false, big, 16));
	cr_assert(has(f, DS_N_FRAG_BAD));
	cr_assert_eq(ds_engine_stats(e)->frag_dropped, 4);
	assert_partition(e, 0);
	ds_engine_free(e);
}

Test(ipfrag, refuses_a_second_last_fragment_that_disagrees)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;

	feed(e, v4frag(1, 17, 32, false, udp40 + 32, 8));
	f = feed(e, v4frag(1, 17, 16, false, udp40 + 16, 8));
	cr_assert(has(f, DS_N_FRAG_BAD));
	f = feed(e, v4frag(1, 17, 32, true, udp40 + 16, 16));
	cr_assert(has(f, DS_N_FRAG_BAD), "past the known end");
	feed(e, v4frag(1, 17, 0, true, udp40, 16));
	f = feed(e, v4frag(1, 17, 16, true, udp40 + 16, 16));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	assert_partition(e, 3);
	ds_engine_free(e);
}

Test(ipfrag, refuses_datagrams_over_the_size_cap)
{
	struct ds_engine *e = engine(0, 0, 0, 32);
	const struct ds_frame *f;

	feed(e, v4frag(1, 17, 0, true, udp40, 16));
	f = feed(e, v4frag(1, 17, 32, false, udp40 + 32, 8));
	cr_assert(has(f, DS_N_FRAG_BAD));
	assert_partition(e, 0);
	ds_engine_free(e);
}

Test(ipfrag, truncated_fragment_is_not_kept)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	const struct ds_frame *f;
	struct pkt p = v4frag(1, 17, 0, true, udp40, 16);

	f = feed_at(e, &p, p.len - 4, 0);
	T_ASSERT_CHAIN(f, "ipv4,udp,data");	/* a first fragment */
	cr_assert_eq(f->layer[2].bytes.len, 4);
	cr_assert(has(f, DS_N_TRUNCATED));
	cr_assert(has(f, DS_N_FRAGMENT));
	cr_assert_eq(ds_engine_stats(e)->frag_dropped, 1);
	p = v4frag(1, 17, 16, true, udp40 + 16, 16);
	f = feed_at(e, &p, p.len - 4, 0);
	T_ASSERT_CHAIN(f, "ipv4");	/* nothing to show past offset 0 */
	cr_assert_eq(f->fclass, DS_FC_FRAGMENT);
	assert_partition(e, 0);
	ds_engine_free(e);
}

Test(ipfrag, expires_datagrams_in_capture_time)
{
	struct ds_engine *e = engine(0, 0, 30, 0);
	const struct ds_stats *st = ds_engine_stats(e);
	struct pkt a = v4frag(1, 17, 0, true, udp40, 16);
	struct pkt b = v4frag(1, 17, 16, true, udp40 + 16, 16);
	struct pkt c = v4frag(1, 17, 32, false, udp40 + 32, 8);

	feed_at(e, &a, a.len, 1000);
	feed_at(e, &b, b.len, 1030);		/* 30 s: still in time */
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_TIMEOUT], 0);
	T_ASSERT_CHAIN(feed_at(e, &c, c.len, 1031), "ipv4");
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_TIMEOUT], 1);
	cr_assert_eq(st->frag_evicted_frags, 2);
	assert_partition(e, 0);
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_END], 1);
	ds_engine_free(e);
}

Test(ipfrag, evicts_oldest_when_too_many_pending)
{
	struct ds_engine *e = engine(0, 2, 0, 0);
	const struct ds_stats *st = ds_engine_stats(e);
	const struct ds_frame *f;

	feed(e, v4frag(1, 17, 0, true, udp40, 16));
	feed(e, v4frag(2, 17, 0, true, udp40, 16));
	feed(e, v4frag(3, 17, 0, true, udp40, 16));
	cr_assert_eq(st->frag_evicted[DS_FRAG_EV_PENDING], 1);
	f = feed(e, v4frag(1, 17, 16, false, udp40 + 16, 24));
	T_ASSERT_CHAIN(f, "ipv4");	/* id 1 was evicted */
	f = feed(e, v4frag(3, 17, 16, false, udp40 + 16, 24));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");
	assert_partition(e, 2);
	ds_engine_free(e);
}

Test(ipfrag, memory_cap_evicts_then_drops)
{
	struct ds_engine *e = engine(1, 0, 0, 0);
	const struct ds_stats *st = ds_engine_stats(e);
	const struct ds_frame *f;
	uint16_t id;

	f = feed(e, v4frag(1, 17, 0, true, udp40, 16));
	cr_assert(has(f, DS_N_FRAG_DROPPED));
	cr_assert(has(f, DS_N_FRAGMENT));
	cr_assert_eq(st->frag_dropped, 1);
	ds_engine_free(e);

	e = engine(1024, 0, 0, 0);
	st = ds_engine_stats(e);
	for (id = 1; id <= 40; id++)
		feed(e, v4frag(id, 17, 0, true, udp40, 16));
	cr_assert_gt(st->frag_evicted[DS_FRAG_EV_MEMORY], 0);
	f = feed(e, v4frag(40, 17, 16, false, udp40 + 16, 24));
	T_ASSERT_CHAIN(f, "ipv4,udp,data");	/* the newest survives */
	assert_partition(e, 2);
	ds_engine_free(e);
}

Test(ipfrag, no_timeout_when_zero)
{
	struct ds_engine_cfg cfg;
	struct ds_engine *e;
	struct pkt a = v4frag(1, 17, 0, true, udp40, 16);
	struct pkt b = v4frag(1, 17, 16, false, udp40 + 16, 24);

	ds_engine_cfg_default(&cfg);
	cfg.frag_timeout_sec = 0;
	cr_assert_not_null(e = ds_engine_new(&cfg));
	feed_at(e, &a, a.len, 0);
	T_ASSERT_CHAIN(feed_at(e, &b, b.len, 1000000), "ipv4,udp,data");
	ds_engine_free(e);
}

/* A datagram in fragments inside an IP-in-IP tunnel. */
Test(ipfrag, reassembles_inner_fragments_of_a_tunnel)
{
	struct ds_engine *e = engine(0, 0, 0, 0);
	struct pkt in1 = v4frag(3, 17, 0, true, udp40, 16);
	struct pkt in2 = v4frag(3, 17, 16, false, udp40 + 16, 24);
	struct pkt out1 = v4frag(1, DS_IPPROTO_IPIP, 0, false, in1.b, in1.len);
	struct pkt out2 = v4frag(2, DS_IPPROTO_IPIP, 0, false, in2.b, in2.len);
	const struct ds_frame *f;

	T_ASSERT_CHAIN(feed(e, out1), "ipv4,ipv4");
	f = feed(e, out2);
	T_ASSERT_CHAIN(f, "ipv4,ipv4,udp,data");
	cr_assert(f->layer[1].u.ip4.is_reassembled);
	cr_assert_not(f->layer[0].u.ip4.is_fragment);
	assert_udp40(f, 1);
	ds_engine_free(e);
}

Test(ipfrag, finish_counts_pending_and_free_releases)
{
	struct ds_ipfrag *t = ds_ipfrag_new(NULL);
	struct ds_stats st = { 0 };

	cr_assert_not_null(t);
	ds_ipfrag_finish(t, &st);
	cr_assert_eq(st.frag_evicted[DS_FRAG_EV_END], 0);
	ds_ipfrag_free(t);
	ds_ipfrag_free(NULL);
	ds_ipfrag_finish(NULL, &st);
}
