/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The AH ICV input: the IP datagram as the receiver sees it, with every
 * field that may change in transit zeroed.
 * RFC 4302 3.3.3.1 (mutable fields), 3.3.3.1.1 (IPv4), 3.3.3.1.2 (IPv6),
 * 3.3.3.2.1 (ICV padding), Appendix A (options); RFC 8200 4.2 (option
 * type bits), 4.4 (routing header), 4.5 (fragments); RFC 6275 6.4 (type 2
 * routing header).
 *
 * The datagram is copied to the caller's buffer first and edited there:
 * reads go through a cursor over that copy, writes go to it by offset.
 */
#include <string.h>

#include "ipsec/ipsec_int.h"

#define V4_HDR		20
#define V6_HDR		40
#define V6_FRAG		8
#define AH_FIXED	12

/* RFC 4302 A.1: the IPv4 options that are immutable. */
#define IPOPT_EOL	0
#define IPOPT_NOP	1
#define IPOPT_SEC	130	/* Security */
#define IPOPT_LSRR	131	/* Loose Source Route */
#define IPOPT_ESEC	133	/* Extended Security */
#define IPOPT_CIPSO	134	/* Commercial Security */
#define IPOPT_SSRR	137	/* Strict Source Route */
#define IPOPT_RA	148	/* Router Alert */
#define IPOPT_SDMDD	149	/* Sender Directed Multi-Destination Delivery */

#define IP6OPT_PAD1	0
#define IP6OPT_MUTABLE	0x20	/* RFC 8200 4.2: may change en route */

/* The datagram an IP layer describes: one view, or header then data. */
struct icv_src {
	struct ds_view	 head, tail;
	bool		 is_v6;
};

static bool
icv_src(const struct ds_frame *f, unsigned ip, struct icv_src *s)
{
	const struct ds_layer *l;
	size_t hl;

	if (ip >= f->nlayers)
		return false;
	l = &f->layer[ip];
	memset(s, 0, sizeof *s);
	s->head = l->bytes;
	if (l->proto == DS_P_IPV4) {
		if (l->u.ip4.is_reassembled) {
			/* RFC 791 3.2: the header, then the whole payload */
			hl = l->u.ip4.hlen;
			if (hl > s->head.len)
				hl = s->head.len;
			s->head.len = hl;
			s->tail = l->u.ip4.reasm;
		}
		return true;
	}
	if (l->proto != DS_P_IPV6)
		return false;
	s->is_v6 = true;
	if (l->u.ip6.is_reassembled) {
		/* RFC 8200 4.5: unfragmentable part, Fragment header, data */
		hl = (size_t)V6_HDR + l->u.ip6.unfrag + V6_FRAG;
		if (hl > s->head.len)
			hl = s->head.len;
		s->head.len = hl;
		s->tail = l->u.ip6.reasm;
	}
	return true;
}

size_t
ds_ah_icv_size(const struct ds_frame *f, unsigned ip)
{
	struct icv_src s;

	if (!icv_src(f, ip, &s))
		return 0;
	return s.head.len + s.tail.len;
}

static void
put16(uint8_t *b, size_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* RFC 4302 A.1: kept in the ICV input. */
static bool
v4_opt_immutable(uint8_t type)
{
	switch (type) {
	case IPOPT_SEC:
	case IPOPT_ESEC:
	case IPOPT_CIPSO:
	case IPOPT_RA:
	case IPOPT_SDMDD:
		return true;
	}
	return false;
}

/*
 * RFC 4302 3.3.3.1.1.1: with a loose or strict source route the
 * destination the receiver sees is the route's last address.  Option
 * layout (RFC 791 3.1): type, length, pointer, route data; the pointer is
 * the 1-based octet of the next address, past the length once the route
 * is done (and the header already holds the final destination).
 */
static void
v4_final_dst(uint8_t *b, size_t at, uint8_t olen)
{
	struct ds_cur c = ds_cur_make(b + at + 2, 1, 1);
	uint8_t ptr = ds_u8(&c);
	size_t naddr, last;

	/* RFC 791 3.1: the route data holds whole addresses */
	if (olen < 3 + 4 || !ds_ok(&c))
		return;
	naddr = ((size_t)olen - 3) / 4;
	last = at + 3 + (naddr - 1) * 4;
	if (ptr < 4 || (size_t)ptr > (size_t)olen - 3)
		return;
	memmove(b + 16, b + last, 4);
}

/*
 * RFC 4302 3.3.3.1.1.1: TOS, flags and fragment offset, TTL and header
 * checksum are zeroed; 3.3.3.1.1.2 and A.1: an option not listed as
 * immutable is zeroed whole, type and length included.
 */
static enum ds_err
icv_v4(uint8_t *b, size_t len)
{
	struct ds_cur c = ds_cur_make(b, len, len);
	size_t hlen, at;
	uint8_t type, olen;

	hlen = (size_t)(ds_u8(&c) & 0x0f) * 4;
	/* RFC 791 3.1: IHL counts the options, within the datagram */
	if (!ds_ok(&c) || hlen < V4_HDR || hlen > len)
		return DS_EMALFORMED;
	b[1] = 0;			/* TOS */
	b[6] = b[7] = 0;		/* flags, fragment offset */
	b[8] = 0;			/* TTL */
	b[10] = b[11] = 0;		/* header checksum */
	at = V4_HDR;
	while (at < hlen) {
		c = ds_cur_make(b + at, hlen - at, hlen - at);
		type = ds_u8(&c);
		if (type == IPOPT_EOL)
			break;		/* RFC 791 3.1: the rest is padding */
		if (type == IPOPT_NOP) {
			at++;
			continue;
		}
		olen = ds_u8(&c);
		/* RFC 791 3.1: the length counts type and length octets */
		if (!ds_ok(&c) || olen < 2 || olen > hlen - at)
			return DS_EMALFORMED;
		if (!v4_opt_immutable(type)) {
			if (type == IPOPT_LSRR || type == IPOPT_SSRR)
				v4_final_dst(b, at, olen);
			memset(b + at, 0, olen);
		}
		at += olen;
	}
	/* RFC 4302 3.1: AH follows the IPv4 header */
	if (b[9] != DS_IPPROTO_AH)
		return DS_EMALFORMED;
	return DS_OK;
}

/* RFC 8200 4.2: options whose type says they may change are zeroed. */
static enum ds_err
v6_options(uint8_t *b, size_t at, size_t end)
{
	struct ds_cur c;
	uint8_t type, olen;

	at += 2;
	while (at < end) {
		c = ds_cur_make(b + at, end - at, end - at);
		type = ds_u8(&c);
		if (type == IP6OPT_PAD1) {
			at++;
			continue;
		}
		olen = ds_u8(&c);
		/* RFC 8200 4.2: Opt Data Len counts the data, in the header */
		if (!ds_ok(&c) || olen > end - at - 2)
			return DS_EMALFORMED;
		/* RFC 4302 3.3.3.1.2.2: mutable option data counts as zero */
		if (type & IP6OPT_MUTABLE)
			memset(b + at + 2, 0, olen);
		at += 2 + (size_t)olen;
	}
	return DS_OK;
}

/*
 * RFC 4302 3.3.3.1.2.2: the routing header is mutable but predictable;
 * the sender puts it, and the destination address, in the form the
 * final receiver sees.  Types 0 (RFC 8200 4.4 before RFC 5095) and 2
 * (RFC 6275 6.4) share one layout:
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Next Header  |  Hdr Ext Len  | Routing Type  | Segments Left |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                            Reserved                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Address[1] ... Address[n]                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Each hop still to come (Segments Left of them) swaps the destination
 * with the next address: doing those swaps here gives the receiver's
 * view, Segments Left 0.
 */
static enum ds_err
v6_routing(uint8_t *b, size_t at, size_t hl, bool *rh_unknown)
{
	struct ds_cur c = ds_cur_make(b + at + 2, 2, 2);
	uint8_t type, left, tmp[16];
	size_t n, i, a;

	type = ds_u8(&c);
	left = ds_u8(&c);
	if (!ds_ok(&c))
		return DS_EMALFORMED;
	if (type != 0 && type != 2) {
		*rh_unknown = true;
		return DS_OK;
	}
	n = (hl - 8) / 16;
	/* RFC 8200 4.4: Segments Left cannot exceed the addresses */
	if (left > n)
		return DS_EMALFORMED;
	for (i = n - left; i < n; i++) {
		a = at + 8 + i * 16;
		memcpy(tmp, b + 24, 16);
		memmove(b + 24, b + a, 16);
		memcpy(b + a, tmp, 16);
	}
	b[at + 3] = 0;
	return DS_OK;
}

/*
 * RFC 4302 3.3.3.1.2.1: traffic class, flow label and hop limit are
 * zeroed.  Then the extension headers in front of AH: options and the
 * routing header as above; a Fragment header (left by reassembly, or an
 * atomic one, RFC 6946) was not there when the ICV was computed and is
 * taken out (RFC 4302 3.3.3.1: AH is computed before fragmentation).
 */
static enum ds_err
icv_v6(uint8_t *b, size_t *lenp, size_t *ah_at, bool *rh_unknown)
{
	struct ds_cur c;
	size_t len = *lenp, at = V6_HDR, nxt_at = 6, hl;
	uint8_t nxt, hlen;
	enum ds_err e;
	bool cut = false;

	if (len < V6_HDR)
		return DS_EMALFORMED;
	b[0] &= 0xf0;			/* version stays */
	b[1] = b[2] = b[3] = 0;		/* traffic class, flow label */
	b[7] = 0;			/* hop limit */
	for (;;) {
		c = ds_cur_make(b + nxt_at, 1, 1);
		nxt = ds_u8(&c);
		c = ds_cur_make(b + at, len - at, len - at);
		if (nxt == DS_IPPROTO_AH)
			break;
		if (nxt == DS_IPPROTO_FRAGMENT) {
			b[nxt_at] = ds_u8(&c);
			/* RFC 8200 4.5: the Fragment header is 8 octets */
			if (!ds_ok(&c) || len - at < V6_FRAG)
				return DS_EMALFORMED;
			memmove(b + at, b + at + V6_FRAG, len - at - V6_FRAG);
			len -= V6_FRAG;
			cut = true;
			continue;
		}
		(void)ds_u8(&c);
		hlen = ds_u8(&c);
		hl = ((size_t)hlen + 1) * 8;
		/* RFC 8200 4: the header lies within the datagram */
		if (!ds_ok(&c) || hl > len - at)
			return DS_EMALFORMED;
		switch (nxt) {
		case DS_IPPROTO_HOPOPTS:
		case DS_IPPROTO_DSTOPTS:
			e = v6_options(b, at, at + hl);
			break;
		case DS_IPPROTO_ROUTING:
			e = v6_routing(b, at, hl, rh_unknown);
			break;
		default:
			/* RFC 4302 3.1.1: AH follows these, nothing else */
			e = DS_EMALFORMED;
			break;
		}
		if (e != DS_OK)
			return e;
		nxt_at = at;
		at += hl;
	}
	/* RFC 8200 3: Payload Length counts what follows the header */
	c = ds_cur_make(b + 4, 2, 2);
	if (cut && ds_be16(&c) != 0)
		put16(b + 4, len - V6_HDR);
	*lenp = len;
	*ah_at = at;
	return DS_OK;
}

/* RFC 4302 3.3.3.1: the ICV field, padding included, counts as zero. */
static enum ds_err
icv_zero_ah(uint8_t *b, size_t len, size_t at)
{
	struct ds_cur c = ds_cur_make(b + at, len - at, len - at);
	size_t total;

	(void)ds_u8(&c);
	total = ((size_t)ds_u8(&c) + 2) * 4;
	/* RFC 4302 2.2: the header holds the fixed fields, in the datagram */
	if (!ds_ok(&c) || total < AH_FIXED || total > len - at)
		return DS_EMALFORMED;
	memset(b + at + AH_FIXED, 0, total - AH_FIXED);
	return DS_OK;
}

enum ds_err
ds_ah_icv_input(const struct ds_frame *f, unsigned ip, uint8_t *out,
    size_t cap, size_t *len, bool *rh_unknown)
{
	struct icv_src s;
	struct ds_cur c;
	size_t n, at, plen;
	enum ds_err e;

	*len = 0;
	*rh_unknown = false;
	if (!icv_src(f, ip, &s))
		return DS_EMALFORMED;
	n = s.head.len + s.tail.len;
	if (n > cap)
		return DS_ENOMEM;
	c = ds_cur_make(s.head.p, s.head.len, s.head.len);
	(void)ds_copy(&c, out, s.head.len);
	if (s.tail.len > 0) {
		c = ds_cur_make(s.tail.p, s.tail.len, s.tail.len);
		(void)ds_copy(&c, out + s.head.len, s.tail.len);
	}
	if (!s.is_v6) {
		if (n < V4_HDR)
			return DS_EMALFORMED;
		c = ds_cur_make(out + 2, 2, 2);
		/* RFC 791 3.1: Total Length is the datagram's */
		if (s.tail.len > 0)
			put16(out + 2, n);
		else if (ds_be16(&c) != n)
			return DS_EMALFORMED;
		if ((e = icv_v4(out, n)) != DS_OK)
			return e;
		at = (size_t)(out[0] & 0x0f) * 4;
	} else {
		if (n < V6_HDR)
			return DS_EMALFORMED;
		c = ds_cur_make(out + 4, 2, 2);
		plen = ds_be16(&c);
		/* RFC 8200 3, RFC 2675 2: Payload Length, unless jumbo */
		if (s.tail.len > 0)
			put16(out + 4, n - V6_HDR);
		else if (plen != 0 && plen != n - V6_HDR)
			return DS_EMALFORMED;
		if ((e = icv_v6(out, &n, &at, rh_unknown)) != DS_OK)
			return e;
	}
	if ((e = icv_zero_ah(out, n, at)) != DS_OK)
		return e;
	*len = n;
	return DS_OK;
}
