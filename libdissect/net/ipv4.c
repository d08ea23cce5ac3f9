/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPv4: the header, its options and its lengths, then the payload by
 * protocol, through reassembly when the packet is a fragment.
 * RFC 791 3.1 (header, options), 3.2 (fragmentation); RFC 1122 3.2.1.
 */
#include "net/net.h"

#define IPV4_HDR_MIN	20		/* RFC 791 3.1: IHL >= 5 */
#define IPV4_MAX_LEN	65535		/* RFC 791 3.1: 16-bit Total Length */
#define IPV4_MF		0x2000
#define IPV4_OFFMASK	0x1fff
#define IPOPT_EOL	0
#define IPOPT_NOP	1

/*
 * RFC 791 3.1, the fixed part:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options                    |    Padding    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reads the 20 fixed bytes; the caller judges the lengths.
 */
static enum ds_err
ipv4_fixed(struct ds_cur *h, struct ds_ipv4 *ip, uint8_t *version)
{
	uint8_t b;

	if (!ds_need(h, IPV4_HDR_MIN))
		return h->err;
	b = ds_u8(h);
	*version = b >> 4;
	ip->hlen = (uint8_t)((b & 0x0f) * 4);
	ip->tos = ds_u8(h);
	ip->totlen = ds_be16(h);
	ip->id = ds_be16(h);
	ip->frag = ds_be16(h);
	ip->ttl = ds_u8(h);
	ip->proto = ds_u8(h);
	ip->cksum = ds_be16(h);
	ip->src.family = DS_AF_INET;
	(void)ds_copy(h, ip->src.a, 4);
	ip->dst.family = DS_AF_INET;
	(void)ds_copy(h, ip->dst.a, 4);
	ip->is_fragment = (ip->frag & (IPV4_MF | IPV4_OFFMASK)) != 0;
	return DS_OK;
}

/*
 * RFC 791 3.1, options: End of Option List and No Operation are one byte;
 * every other option is type, length (counting both), data.  `o` holds
 * exactly the option bytes, all captured.
 */
static bool
ipv4_options_ok(struct ds_cur *o)
{
	uint8_t type, len;

	while (ds_left(o) > 0) {
		type = ds_u8(o);
		if (type == IPOPT_EOL)
			return true;	/* RFC 791: the rest is padding */
		if (type == IPOPT_NOP)
			continue;
		len = ds_u8(o);
		/* RFC 791 3.1: the length counts type and length octets */
		if (!ds_ok(o) || len < 2 || !ds_skip(o, (size_t)len - 2))
			return false;
	}
	return true;
}

enum ds_err
ds_ipv4_parse(struct ds_cur *c, struct ds_ipv4 *out)
{
	struct ds_cur h = *c, opt;
	struct ds_ipv4 ip = { 0 };
	enum ds_err e;
	uint8_t version;

	if ((e = ipv4_fixed(&h, &ip, &version)) != DS_OK)
		return e;
	if (version != 4 || ip.hlen < IPV4_HDR_MIN)
		return DS_EMALFORMED;
	/* RFC 791 3.1: Total Length covers the header and the data */
	if (ip.totlen < ip.hlen || ip.totlen > c->rep)
		return DS_EMALFORMED;
	(void)ds_limit(&h, (size_t)ip.totlen - IPV4_HDR_MIN);
	if (!ds_need(&h, (size_t)ip.hlen - IPV4_HDR_MIN))
		return h.err;
	(void)ds_sub(&h, (size_t)ip.hlen - IPV4_HDR_MIN, &opt);
	if (!ipv4_options_ok(&opt))
		return DS_EMALFORMED;
	*out = ip;
	*c = h;
	return DS_OK;
}

/*
 * A fragment: outside a quote it goes to the reassembly table and the
 * frame stops here unless it completed a datagram.  A quoted fragment
 * never enters the table, and neither does a bad or truncated one; a first
 * fragment of either kind still shows its transport header.
 */
static void
ipv4_fragment(struct ds_frame *f, struct ds_layer *l, struct ds_cur *c)
{
	struct ds_ipv4 *ip = &l->u.ip4;
	struct net_frag fr;
	struct net_frag_done done;
	struct ds_cur rc;

	fr.off = (uint32_t)(ip->frag & IPV4_OFFMASK) * 8;
	if (l->quoted) {
		if (fr.off == 0)
			ds_ipproto_dispatch(f, ip->proto, c);
		return;
	}
	fr.family = DS_AF_INET;
	fr.proto = ip->proto;
	fr.nxt = ip->proto;
	fr.id = ip->id;
	fr.src = &ip->src;
	fr.dst = &ip->dst;
	fr.more = (ip->frag & IPV4_MF) != 0;
	/* RFC 791 3.1: the datagram, header included, fits Total Length */
	fr.max_end = IPV4_MAX_LEN - ip->hlen;
	switch (net_frag_add(f, &fr, c, &done)) {
	case NET_FRAG_HELD:
		return;
	case NET_FRAG_REFUSED:
		/* never reassembled: a first fragment shows what it holds */
		if (fr.off == 0)
			ds_ipproto_dispatch(f, ip->proto, c);
		return;
	case NET_FRAG_DONE:
		break;
	}
	ip->is_reassembled = true;
	ip->nfrags = done.nfrags;
	ip->reasm = done.data;
	ds_frame_note(f, DS_N_REASSEMBLED);
	rc = ds_cur_make(done.data.p, done.data.len, done.data.len);
	ds_ipproto_dispatch(f, done.nxt, &rc);
}

void
ds_ipv4_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur h = *c, opt;
	struct ds_ipv4 ip = { 0 };
	struct ds_layer *l;
	enum ds_note_code lenote = DS_N_COUNT_;
	enum ds_err e;
	uint8_t version;
	size_t end;

	if ((e = ipv4_fixed(&h, &ip, &version)) != DS_OK) {
		net_note_err(f, e);
		return;
	}
	if (version != 4) {
		ds_frame_note(f, DS_N_IP_VERSION);
		ds_data_dissect(f, c);
		return;
	}
	/*
	 * RFC 791 3.1: Total Length bounds the datagram; link padding after
	 * it is not ours.  A length below the header or past the frame is
	 * noted and the frame's end used instead.
	 */
	end = ip.totlen;
	if (ip.totlen < ip.hlen || ip.totlen > c->rep) {
		lenote = ip.totlen >= IPV4_HDR_MIN && ip.totlen < ip.hlen ?
		    DS_N_IPV4_HLEN : DS_N_IPV4_TOTLEN;
		end = c->rep;
	}
	(void)ds_limit(c, end);
	if ((l = ds_frame_push(f, DS_P_IPV4, c->p, ds_left(c))) == NULL)
		return;
	l->u.ip4 = ip;
	if (lenote != DS_N_COUNT_)
		ds_frame_note(f, lenote);
	/* RFC 791 3.1: IHL counts 32-bit words, at least 5 */
	if (ip.hlen < IPV4_HDR_MIN) {
		if (lenote != DS_N_IPV4_HLEN)
			ds_frame_note(f, DS_N_IPV4_HLEN);
		return;
	}
	h = *c;
	(void)ds_skip(&h, IPV4_HDR_MIN);
	/* RFC 791 3.1: the options end where IHL says the header does */
	if (!ds_sub(&h, (size_t)ip.hlen - IPV4_HDR_MIN, &opt)) {
		if (lenote != DS_N_IPV4_HLEN)
			ds_frame_note(f, DS_N_IPV4_HLEN);
		return;
	}
	if (ds_left(&opt) < opt.rep) {
		net_note_err(f, DS_ETRUNC);
		return;
	}
	if (!ipv4_options_ok(&opt))
		ds_frame_note(f, DS_N_IPV4_OPTION);
	*c = h;
	net_note_cut(f, c);
	if (ip.is_fragment)
		ipv4_fragment(f, l, c);
	else
		ds_ipproto_dispatch(f, ip.proto, c);
}

/* Raw-IP links and IP-in-IP: the version nibble decides. */
void
ds_ip_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur h = *c;
	uint8_t b;

	b = ds_u8(&h);
	if (!ds_ok(&h)) {
		net_note_err(f, h.err);
		return;
	}
	switch (b >> 4) {
	case 4:
		ds_ipv4_dissect(f, c);
		break;
	case 6:
		ds_ipv6_dissect(f, c);
		break;
	default:
		ds_frame_note(f, DS_N_IP_VERSION);
		ds_data_dissect(f, c);
		break;
	}
}
