/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Link layers: Ethernet and 802.3 lengths, 802.1Q/802.1ad stacks, Linux
 * SLL and SLL2, raw IP (101, 12, 14, 228, 229), BSD NULL and LOOP, and
 * unsupported link types; parsers at every truncation length.
 */
#include "util.h"

/* IPv4 + UDP 12345 -> 53, 4 bytes of data (32 bytes). */
#define IPV4_UDP							\
	0x45, 0x00, 0x00, 0x20,		/* IPv4, IHL 5, totlen 32 */	\
	0x00, 0x01, 0x00, 0x00,		/* id 1 */			\
	0x40, 0x11, 0x00, 0x00,		/* ttl 64, UDP, checksum */	\
	0xc0, 0x00, 0x02, 0x01,		/* 192.0.2.1 */			\
	0xc0, 0x00, 0x02, 0x02,		/* 192.0.2.2 */			\
	0x30, 0x39, 0x00, 0x35,		/* 12345 -> 53 */		\
	0x00, 0x0c, 0x00, 0x00,		/* length 12 */			\
	0xde, 0xad, 0xbe, 0xef

/* IPv6 + UDP 12345 -> 53, 4 bytes of data (52 bytes). */
#define IPV6_UDP							\
	0x60, 0x00, 0x00, 0x00,		/* IPv6 */			\
	0x00, 0x0c, 0x11, 0x40,		/* plen 12, UDP, hlim 64 */	\
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	\
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,	\
	0x30, 0x39, 0x00, 0x35,		/* 12345 -> 53 */		\
	0x00, 0x0c, 0x00, 0x00,		/* length 12 */			\
	0xde, 0xad, 0xbe, 0xef

static const uint8_t eth_ipv4[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55,	/* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* source */
	0x08, 0x00,				/* EtherType IPv4 */
	IPV4_UDP,
};

static const uint8_t eth_qinq_ipv6[] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55,	/* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* source */
	0x88, 0xa8,				/* 802.1ad S-tag */
	0x20, 0x64,				/* PCP 1, VID 100 */
	0x81, 0x00,				/* 802.1Q C-tag */
	0xe0, 0x05,				/* PCP 7, VID 5 */
	0x86, 0xdd,				/* EtherType IPv6 */
	IPV6_UDP,
};

/* IEEE 802.3 with an LLC header: length 6, then padding. */
static const uint8_t eth_8023[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x00,	/* destination */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* source */
	0x00, 0x06,				/* length 6 */
	0x42, 0x42, 0x03,			/* LLC: STP */
	0x00, 0x00, 0x00,			/* data */
	0x00, 0x00, 0x00, 0x00,			/* padding */
};

static const uint8_t sll_ipv4[] = {
	0x00, 0x00,				/* packet type: to us */
	0x00, 0x01,				/* ARPHRD_ETHER */
	0x00, 0x06,				/* address length 6 */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* address */
	0x00, 0x00,				/* padding */
	0x08, 0x00,				/* protocol IPv4 */
	IPV4_UDP,
};

static const uint8_t sll2_ipv6[] = {
	0x86, 0xdd,				/* protocol IPv6 */
	0x00, 0x00,				/* reserved */
	0x00, 0x00, 0x00, 0x07,			/* interface index 7 */
	0x00, 0x01,				/* ARPHRD_ETHER */
	0x04,					/* packet type: outgoing */
	0x06,					/* address length 6 */
	0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* address */
	0x00, 0x00,				/* padding */
	IPV6_UDP,
};

static const uint8_t null_le_ipv4[] = {
	0x02, 0x00, 0x00, 0x00,			/* AF_INET, little-endian */
	IPV4_UDP,
};

static const uint8_t null_be_ipv6[] = {
	0x00, 0x00, 0x00, 0x1e,			/* AF_INET6 (Darwin), BE */
	IPV6_UDP,
};

static const uint8_t raw_ipv4[] = { IPV4_UDP };
static const uint8_t raw_ipv6[] = { IPV6_UDP };

/* --- parsers ------------------------------------------------------------- */

typedef enum ds_err (*parse_fn)(struct ds_cur *, void *);

static enum ds_err
p_eth(struct ds_cur *c, void *o)
{
	return ds_eth_parse(c, o);
}

static enum ds_err
p_vlan(struct ds_cur *c, void *o)
{
	return ds_vlan_parse(c, o);
}

static enum ds_err
p_sll(struct ds_cur *c, void *o)
{
	return ds_sll_parse(c, o);
}

static enum ds_err
p_sll2(struct ds_cur *c, void *o)
{
	return ds_sll2_parse(c, o);
}

static enum ds_err
p_null_le(struct ds_cur *c, void *o)
{
	return ds_null_parse(c, o, false);
}

/*
 * Every length short of the header: DS_ETRUNC when the capture is cut,
 * DS_EMALFORMED when the frame itself is that short; the cursor stays.
 */
static void
check_cuts(parse_fn fn, const uint8_t *p, size_t hlen, size_t len)
{
	union {
		struct ds_eth	 eth;
		struct ds_vlan	 vlan;
		struct ds_sll	 sll;
		struct ds_null	 null;
	} out;
	struct ds_cur c;
	size_t n;

	for (n = 0; n < hlen; n++) {
		c = ds_cur_make(p, n, len);
		cr_assert_eq(fn(&c, &out), DS_ETRUNC, "cut %zu", n);
		cr_assert_eq(c.p, p);
		cr_assert_eq(ds_left(&c), n);
		cr_assert(ds_ok(&c), "the caller's cursor is not spoiled");
		c = ds_cur_make(p, n, n);
		cr_assert_eq(fn(&c, &out), DS_EMALFORMED, "short %zu", n);
		cr_assert_eq(c.p, p);
	}
	c = ds_cur_make(p, hlen, len);
	cr_assert_eq(fn(&c, &out), DS_OK);
	cr_assert_eq(c.p, p + hlen);
}

Test(link, eth_parse_reads_addresses_and_type)
{
	struct ds_cur c = ds_cur_make(eth_ipv4, sizeof eth_ipv4,
	    sizeof eth_ipv4);
	struct ds_eth e;

	cr_assert_eq(ds_eth_parse(&c, &e), DS_OK);
	cr_assert_arr_eq(e.dst, eth_ipv4, 6);
	cr_assert_arr_eq(e.src, eth_ipv4 + 6, 6);
	cr_assert_eq(e.type, 0x0800);
	cr_assert_eq(ds_left(&c), sizeof eth_ipv4 - 14);
	check_cuts(p_eth, eth_ipv4, 14, sizeof eth_ipv4);
}

Test(link, vlan_parse_reads_tci_and_type)
{
	struct ds_cur c = ds_cur_make(eth_qinq_ipv6 + 14,
	    sizeof eth_qinq_ipv6 - 14, sizeof eth_qinq_ipv6 - 14);
	struct ds_vlan v = { .tpid = 0x88a8 };

	cr_assert_eq(ds_vlan_parse(&c, &v), DS_OK);
	cr_assert_eq(v.tci, 0x2064);
	cr_assert_eq(v.tci & 0x0fff, 100);
	cr_assert_eq(v.type, 0x8100);
	cr_assert_eq(v.tpid, 0x88a8, "the caller's TPID is kept");
	check_cuts(p_vlan, eth_qinq_ipv6 + 14, 4, sizeof eth_qinq_ipv6 - 14);
}

Test(link, sll_parse_reads_every_field)
{
	struct ds_cur c = ds_cur_make(sll_ipv4, sizeof sll_ipv4,
	    sizeof sll_ipv4);
	struct ds_sll s;

	cr_assert_eq(ds_sll_parse(&c, &s), DS_OK);
	cr_assert_eq(s.pkttype, 0);
	cr_assert_eq(s.hatype, 1);
	cr_assert_eq(s.halen, 6);
	cr_assert_arr_eq(s.addr, sll_ipv4 + 6, 8);
	cr_assert_eq(s.proto, 0x0800);
	cr_assert_eq(s.ifindex, 0);
	cr_assert_eq(ds_left(&c), sizeof sll_ipv4 - 16);
	check_cuts(p_sll, sll_ipv4, 16, sizeof sll_ipv4);
}

Test(link, sll2_parse_reads_every_field)
{
	struct ds_cur c = ds_cur_make(sll2_ipv6, sizeof sll2_ipv6,
	    sizeof sll2_ipv6);
	struct ds_sll s;

	cr_assert_eq(ds_sll2_parse(&c, &s), DS_OK);
	cr_assert_eq(s.proto, 0x86dd);
	cr_assert_eq(s.ifindex, 7);
	cr_assert_eq(s.hatype, 1);
	cr_assert_eq(s.pkttype, 4);
	cr_assert_eq(s.halen, 6);
	cr_assert_arr_eq(s.addr, sll2_ipv6 + 12, 8);
	cr_assert_eq(ds_left(&c), sizeof sll2_ipv6 - 20);
	check_cuts(p_sll2, sll2_ipv6, 20, sizeof sll2_ipv6);
}

Test(link, null_parse_reads_either_byte_order)
{
	struct ds_cur c = ds_cur_make(null_le_ipv4, 4, 4);
	struct ds_null n;

	cr_assert_eq(ds_null_parse(&c, &n, false), DS_OK);
	cr_assert_eq(n.family, 2);
	c = ds_cur_make(null_le_ipv4, 4, 4);
	cr_assert_eq(ds_null_parse(&c, &n, true), DS_OK);
	cr_assert_eq(n.family, 0x02000000);
	check_cuts(p_null_le, null_le_ipv4, 4, sizeof null_le_ipv4);
}

/* --- through the engine --------------------------------------------------- */

Test(link, ethernet_hands_ipv4_on)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_ETHERNET, eth_ipv4, sizeof eth_ipv4);
	cr_assert_geq(f->nlayers, 2);
	cr_assert_eq(f->layer[0].proto, DS_P_ETH);
	cr_assert_eq(f->layer[0].u.eth.type, 0x0800);
	cr_assert_eq(f->layer[0].bytes.p, eth_ipv4);
	cr_assert_eq(f->layer[0].bytes.len, sizeof eth_ipv4);
	cr_assert_eq(f->layer[1].proto, DS_P_IPV4);
	cr_assert_eq(f->layer[1].bytes.p, eth_ipv4 + 14);
	cr_assert_eq(f->nnotes, 0);
	ds_engine_free(e);
}

/* Cut anywhere in the Ethernet header: no layer, a truncation note. */
Test(link, ethernet_cut_at_every_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n;

	for (n = 0; n < 14; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_ETHERNET, eth_ipv4,
		    sizeof eth_ipv4, n);
		cr_assert_eq(f->nlayers, 0, "cut %zu", n);
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED));
		cr_assert_eq(f->fclass, DS_FC_UNDECODED);
		f = t_dissect(&e, DS_LINKTYPE_ETHERNET, eth_ipv4, n);
		cr_assert_eq(f->nlayers, 0, "short %zu", n);
		cr_assert(ds_frame_has_note(f, DS_N_MALFORMED));
	}
	for (n = 14; n <= sizeof eth_ipv4; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_ETHERNET, eth_ipv4,
		    sizeof eth_ipv4, n);
		cr_assert_eq(f->layer[0].proto, DS_P_ETH, "cut %zu", n);
		cr_assert_eq(f->layer[0].bytes.len, n);
	}
	ds_engine_free(e);
}

Test(link, ieee8023_length_keeps_llc_as_data)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t b[sizeof eth_8023];

	f = t_dissect(&e, DS_LINKTYPE_ETHERNET, eth_8023, sizeof eth_8023);
	T_ASSERT_CHAIN(f, "eth,data");
	cr_assert_eq(f->layer[0].u.eth.type, 6);
	cr_assert_eq(f->layer[1].bytes.len, 6, "padding is not data");
	cr_assert_eq(f->nnotes, 0);
	memcpy(b, eth_8023, sizeof b);
	b[13] = 0x40;				/* length 64: past the frame */
	f = t_dissect(&e, DS_LINKTYPE_ETHERNET, b, sizeof b);
	T_ASSERT_CHAIN(f, "eth");
	cr_assert(ds_frame_has_note(f, DS_N_MALFORMED));
	ds_engine_free(e);
}

Test(link, qinq_stack_gives_one_layer_per_tag)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_ETHERNET, eth_qinq_ipv6,
	    sizeof eth_qinq_ipv6);
	cr_assert_geq(f->nlayers, 4);
	cr_assert_eq(f->layer[0].proto, DS_P_ETH);
	cr_assert_eq(f->layer[1].proto, DS_P_VLAN);
	cr_assert_eq(f->layer[1].u.vlan.tpid, 0x88a8);
	cr_assert_eq(f->layer[1].u.vlan.tci & 0xfff, 100);
	cr_assert_eq(f->layer[1].u.vlan.type, 0x8100);
	cr_assert_eq(f->layer[1].bytes.p, eth_qinq_ipv6 + 14);
	cr_assert_eq(f->layer[2].proto, DS_P_VLAN);
	cr_assert_eq(f->layer[2].u.vlan.tpid, 0x8100);
	cr_assert_eq(f->layer[2].u.vlan.tci >> 13, 7);
	cr_assert_eq(f->layer[2].u.vlan.type, 0x86dd);
	cr_assert_eq(f->layer[3].proto, DS_P_IPV6);
	cr_assert_eq(f->nnotes, 0);
	ds_engine_free(e);
}

Test(link, old_qinq_tpid_is_a_tag_too)
{
	static const uint8_t p[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,	/* MACs */
		0x91, 0x00,				/* old QinQ TPID */
		0x00, 0x0a,				/* VID 10 */
		0x08, 0x00,				/* IPv4 */
		IPV4_UDP,
	};
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_ETHERNET, p, sizeof p);
	cr_assert_eq(f->layer[1].proto, DS_P_VLAN);
	cr_assert_eq(f->layer[1].u.vlan.tpid, 0x9100);
	cr_assert_eq(f->layer[2].proto, DS_P_IPV4);
	ds_engine_free(e);
}

/* Nine tags: eight are walked, then the stack is noted and left. */
Test(link, deep_vlan_stack_is_capped)
{
	uint8_t p[14 + 9 * 4 + 32];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t i, n = 12;

	memset(p, 0, sizeof p);
	for (i = 0; i < 9; i++) {
		p[n++] = 0x81;			/* TPID 802.1Q */
		p[n++] = 0x00;
		p[n++] = 0x00;			/* TCI: VID i */
		p[n++] = (uint8_t)i;
	}
	p[n++] = 0x08;				/* IPv4 */
	p[n++] = 0x00;
	f = t_dissect(&e, DS_LINKTYPE_ETHERNET, p, sizeof p);
	T_ASSERT_CHAIN(f, "eth,vlan,vlan,vlan,vlan,vlan,vlan,vlan,vlan");
	cr_assert(ds_frame_has_note(f, DS_N_VLAN_STACK));
	cr_assert(f->is_malformed);
	ds_engine_free(e);
}

Test(link, vlan_tag_cut_at_every_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n;

	for (n = 14; n < 18; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_ETHERNET, eth_qinq_ipv6,
		    sizeof eth_qinq_ipv6, n);
		T_ASSERT_CHAIN(f, "eth");
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED), "cut %zu", n);
	}
	for (n = 18; n < 22; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_ETHERNET, eth_qinq_ipv6,
		    sizeof eth_qinq_ipv6, n);
		T_ASSERT_CHAIN(f, "eth,vlan");
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED), "cut %zu", n);
	}
	ds_engine_free(e);
}

Test(link, sll_and_sll2_hand_ip_on)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_LINUX_SLL, sll_ipv4, sizeof sll_ipv4);
	cr_assert_eq(f->layer[0].proto, DS_P_SLL);
	cr_assert_eq(f->layer[0].u.sll.proto, 0x0800);
	cr_assert_eq(f->layer[1].proto, DS_P_IPV4);
	cr_assert_eq(f->layer[1].bytes.p, sll_ipv4 + 16);
	f = t_dissect(&e, DS_LINKTYPE_LINUX_SLL2, sll2_ipv6,
	    sizeof sll2_ipv6);
	cr_assert_eq(f->layer[0].proto, DS_P_SLL2);
	cr_assert_eq(f->layer[0].u.sll.ifindex, 7);
	cr_assert_eq(f->layer[1].proto, DS_P_IPV6);
	cr_assert_eq(f->layer[1].bytes.p, sll2_ipv6 + 20);
	ds_engine_free(e);
}

Test(link, sll_non_ethertype_protocols_are_data)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	uint8_t b[sizeof sll_ipv4];

	memcpy(b, sll_ipv4, sizeof b);
	b[14] = 0x00;				/* protocol 0x0004: 802.2 */
	b[15] = 0x04;
	f = t_dissect(&e, DS_LINKTYPE_LINUX_SLL, b, sizeof b);
	T_ASSERT_CHAIN(f, "sll,data");
	memcpy(b, sll_ipv4, sizeof b);
	b[2] = 0x03;				/* ARPHRD_NETLINK (824) */
	b[3] = 0x38;
	f = t_dissect(&e, DS_LINKTYPE_LINUX_SLL, b, sizeof b);
	T_ASSERT_CHAIN(f, "sll,data");
	ds_engine_free(e);
}

Test(link, cooked_headers_cut_at_every_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n;

	for (n = 0; n < 16; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_LINUX_SLL, sll_ipv4,
		    sizeof sll_ipv4, n);
		cr_assert_eq(f->nlayers, 0);
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED));
	}
	for (n = 0; n < 20; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_LINUX_SLL2, sll2_ipv6,
		    sizeof sll2_ipv6, n);
		cr_assert_eq(f->nlayers, 0);
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED));
	}
	ds_engine_free(e);
}

Test(link, raw_ip_goes_by_the_version_nibble)
{
	static const int lts[] = {
		DS_LINKTYPE_RAW, DS_LINKTYPE_RAW_12, DS_LINKTYPE_RAW_14,
	};
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t i;

	for (i = 0; i < DS_NELEM(lts); i++) {
		f = t_dissect(&e, lts[i], raw_ipv4, sizeof raw_ipv4);
		cr_assert_eq(f->layer[0].proto, DS_P_IPV4);
		cr_assert_eq(f->layer[0].bytes.p, raw_ipv4);
		f = t_dissect(&e, lts[i], raw_ipv6, sizeof raw_ipv6);
		cr_assert_eq(f->layer[0].proto, DS_P_IPV6);
	}
	ds_engine_free(e);
}

Test(link, ipv4_and_ipv6_links_note_the_other_version)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_IPV4, raw_ipv4, sizeof raw_ipv4);
	cr_assert_eq(f->layer[0].proto, DS_P_IPV4);
	cr_assert_not(ds_frame_has_note(f, DS_N_IP_VERSION));
	f = t_dissect(&e, DS_LINKTYPE_IPV6, raw_ipv6, sizeof raw_ipv6);
	cr_assert_eq(f->layer[0].proto, DS_P_IPV6);
	cr_assert_not(ds_frame_has_note(f, DS_N_IP_VERSION));
	f = t_dissect(&e, DS_LINKTYPE_IPV4, raw_ipv6, sizeof raw_ipv6);
	cr_assert(ds_frame_has_note(f, DS_N_IP_VERSION));
	cr_assert(f->is_malformed);
	cr_assert_eq(f->layer[0].proto, DS_P_IPV6);
	f = t_dissect(&e, DS_LINKTYPE_IPV6, raw_ipv4, sizeof raw_ipv4);
	cr_assert(ds_frame_has_note(f, DS_N_IP_VERSION));
	f = t_dissect_cut(&e, DS_LINKTYPE_IPV4, raw_ipv4, sizeof raw_ipv4, 0);
	cr_assert_eq(f->nlayers, 0);
	cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED));
	f = t_dissect(&e, DS_LINKTYPE_IPV6, raw_ipv6, 0);
	cr_assert_eq(f->nlayers, 0);
	cr_assert(f->is_malformed);
	ds_engine_free(e);
}

Test(link, null_finds_the_byte_order_of_the_family)
{
	static const uint8_t fam6[][4] = {
		{ 24, 0, 0, 0 }, { 28, 0, 0, 0 }, { 30, 0, 0, 0 },
		{ 10, 0, 0, 0 }, { 0, 0, 0, 24 }, { 0, 0, 0, 28 },
	};
	uint8_t b[4 + sizeof raw_ipv6];
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t i;

	f = t_dissect(&e, DS_LINKTYPE_NULL, null_le_ipv4,
	    sizeof null_le_ipv4);
	cr_assert_eq(f->layer[0].proto, DS_P_NULL);
	cr_assert_eq(f->layer[0].u.null.family, 2);
	cr_assert_eq(f->layer[1].proto, DS_P_IPV4);
	cr_assert_eq(f->layer[1].bytes.p, null_le_ipv4 + 4);
	f = t_dissect(&e, DS_LINKTYPE_NULL, null_be_ipv6,
	    sizeof null_be_ipv6);
	cr_assert_eq(f->layer[0].u.null.family, 30);
	cr_assert_eq(f->layer[1].proto, DS_P_IPV6);
	memcpy(b + 4, raw_ipv6, sizeof raw_ipv6);
	for (i = 0; i < DS_NELEM(fam6); i++) {
		memcpy(b, fam6[i], 4);
		f = t_dissect(&e, DS_LINKTYPE_NULL, b, sizeof b);
		cr_assert_eq(f->layer[1].proto, DS_P_IPV6, "family %zu", i);
	}
	/* an unknown family: the rest is data */
	memcpy(b, "\x07\x00\x00\x00", 4);
	f = t_dissect(&e, DS_LINKTYPE_NULL, b, sizeof b);
	T_ASSERT_CHAIN(f, "null,data");
	cr_assert_eq(f->layer[0].u.null.family, 7);
	memcpy(b, "\x00\x00\x01\x07", 4);	/* big-endian by its size */
	f = t_dissect(&e, DS_LINKTYPE_NULL, b, sizeof b);
	cr_assert_eq(f->layer[0].u.null.family, 0x107);
	ds_engine_free(e);
}

Test(link, loop_is_always_network_order)
{
	static const uint8_t loop4[] = {
		0x00, 0x00, 0x00, 0x02,		/* AF_INET, big-endian */
		IPV4_UDP,
	};
	struct ds_engine *e = NULL;
	const struct ds_frame *f;

	f = t_dissect(&e, DS_LINKTYPE_LOOP, loop4, sizeof loop4);
	cr_assert_eq(f->layer[0].proto, DS_P_NULL);
	cr_assert_eq(f->layer[1].proto, DS_P_IPV4);
	f = t_dissect(&e, DS_LINKTYPE_LOOP, null_le_ipv4,
	    sizeof null_le_ipv4);
	cr_assert_eq(f->layer[0].u.null.family, 0x02000000);
	T_ASSERT_CHAIN(f, "null,data");
	ds_engine_free(e);
}

Test(link, null_cut_at_every_length)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t n;

	for (n = 0; n < 4; n++) {
		f = t_dissect_cut(&e, DS_LINKTYPE_NULL, null_le_ipv4,
		    sizeof null_le_ipv4, n);
		cr_assert_eq(f->nlayers, 0);
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED));
		f = t_dissect_cut(&e, DS_LINKTYPE_LOOP, null_be_ipv6,
		    sizeof null_be_ipv6, n);
		cr_assert_eq(f->nlayers, 0);
		cr_assert(ds_frame_has_note(f, DS_N_TRUNCATED));
	}
	ds_engine_free(e);
}

Test(link, unsupported_link_is_noted_and_counted)
{
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	const struct ds_stats *st;

	f = t_dissect(&e, 105, eth_ipv4, sizeof eth_ipv4);	/* 802.11 */
	cr_assert_eq(f->nlayers, 0);
	cr_assert(ds_frame_has_note(f, DS_N_UNSUPPORTED_LINK));
	cr_assert_eq(f->fclass, DS_FC_UNSUPP_LINK);
	f = t_dissect(&e, 105, eth_ipv4, 0);
	f = t_dissect(&e, 147, eth_ipv4, 3);
	cr_assert(ds_frame_has_note(f, DS_N_UNSUPPORTED_LINK));
	st = ds_engine_stats(e);
	cr_assert_eq(st->n_unsupp_link, 2);
	cr_assert_eq(st->unsupp_link_type[0], 105);
	cr_assert_eq(st->unsupp_link_count[0], 2);
	cr_assert_eq(st->unsupp_link_type[1], 147);
	ds_engine_free(e);
}

/* Whatever the cut, no link type reads past the capture (ASan checks). */
Test(link, every_link_type_survives_every_cut)
{
	static const struct {
		int		 lt;
		const uint8_t	*p;
		size_t		 len;
		size_t		 need;	/* a shorter capture is truncated */
	} t[] = {
		{ DS_LINKTYPE_ETHERNET, eth_ipv4, sizeof eth_ipv4,
		    sizeof eth_ipv4 },
		{ DS_LINKTYPE_ETHERNET, eth_qinq_ipv6, sizeof eth_qinq_ipv6,
		    sizeof eth_qinq_ipv6 },
		{ DS_LINKTYPE_ETHERNET, eth_8023, sizeof eth_8023, 20 },
		{ DS_LINKTYPE_LINUX_SLL, sll_ipv4, sizeof sll_ipv4,
		    sizeof sll_ipv4 },
		{ DS_LINKTYPE_LINUX_SLL2, sll2_ipv6, sizeof sll2_ipv6,
		    sizeof sll2_ipv6 },
		{ DS_LINKTYPE_NULL, null_le_ipv4, sizeof null_le_ipv4,
		    sizeof null_le_ipv4 },
		{ DS_LINKTYPE_LOOP, null_be_ipv6, sizeof null_be_ipv6,
		    sizeof null_be_ipv6 },
		{ DS_LINKTYPE_RAW, raw_ipv4, sizeof raw_ipv4,
		    sizeof raw_ipv4 },
		{ DS_LINKTYPE_IPV6, raw_ipv6, sizeof raw_ipv6,
		    sizeof raw_ipv6 },
	};
	struct ds_engine *e = NULL;
	const struct ds_frame *f;
	size_t i, n;
	uint8_t *copy;

	for (i = 0; i < DS_NELEM(t); i++)
		for (n = 0; n <= t[i].len; n++) {
			copy = malloc(n ? n : 1);	/* exact size */
			cr_assert_not_null(copy);
			memcpy(copy, t[i].p, n);
			f = t_dissect_cut(&e, t[i].lt, copy, t[i].len, n);
			cr_assert_leq(f->nlayers, DS_MAX_LAYERS);
			cr_assert_eq(f->is_truncated, n < t[i].need,
			    "case %zu cut %zu", i, n);
			f = t_dissect(&e, t[i].lt, copy, n);
			free(copy);
		}
	ds_engine_free(e);
}
