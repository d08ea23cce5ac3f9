/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPv6: the fixed header, the extension header chain, jumbograms and
 * fragments, then the upper-layer payload.
 * RFC 8200 3 (header), 4 (extension headers), 4.5 (fragments);
 * RFC 2675 2 (jumbo payload); RFC 6946 (atomic fragments); RFC 5722
 * (overlapping fragments, in ipfrag.c); RFC 7045 (headers walked by length:
 * mobility RFC 6275, HIP RFC 7401, Shim6 RFC 5533).
 */
#include <string.h>

#include "net/net.h"

#define IPV6_HDR_LEN	40		/* RFC 8200 3 */
#define IPV6_MAX_PLEN	65535		/* RFC 8200 3: 16-bit Payload Length */
#define IPV6_FRAG_LEN	8		/* RFC 8200 4.5 */
#define IP6OPT_PAD1	0
#define IP6OPT_JUMBO	0xc2		/* RFC 2675 2 */
#define IP6OPT_JUMBO_LEN 4

/* A Fragment header met in the chain. */
struct v6_frag {
	bool		 seen;
	bool		 atomic;	/* offset 0, M clear (RFC 6946) */
	uint32_t	 id;
	uint16_t	 off;		/* bytes */
	bool		 more;
	uint8_t		 nxt;
	size_t		 unfrag;	/* extension bytes before it */
};

/*
 * RFC 8200 3:
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |           Flow Label                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                         Source Address (128)                  +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                      Destination Address (128)                +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reads the 40 fixed bytes; the caller judges the lengths.
 */
static enum ds_err
ipv6_fixed(struct ds_cur *h, struct ds_ipv6 *ip6)
{
	if (!ds_need(h, IPV6_HDR_LEN))
		return h->err;
	ip6->vtc_flow = ds_be32(h);
	ip6->plen = ds_be16(h);
	ip6->nxt = ds_u8(h);
	ip6->hlim = ds_u8(h);
	ip6->src.family = DS_AF_INET6;
	(void)ds_copy(h, ip6->src.a, 16);
	ip6->dst.family = DS_AF_INET6;
	(void)ds_copy(h, ip6->dst.a, 16);
	ip6->proto = ip6->nxt;
	return DS_OK;
}

/*
 * RFC 2675 2: a Hop-by-Hop header (at `c`) carrying the Jumbo Payload
 * option.
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Next Header  | Hdr Ext Len   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Option Type  |  Opt Data Len |   Jumbo Payload Length ...    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static bool
ipv6_jumbo(const struct ds_cur *c, uint32_t *jlen)
{
	struct ds_cur h = *c, o;
	uint8_t hlen, type, olen;

	(void)ds_u8(&h);
	hlen = ds_u8(&h);
	/* RFC 8200 4.3: Hdr Ext Len counts 8-octet units after the first */
	if (!ds_sub(&h, ((size_t)hlen + 1) * 8 - 2, &o))
		return false;
	while (ds_left(&o) > 0) {
		type = ds_u8(&o);
		if (type == IP6OPT_PAD1)
			continue;
		olen = ds_u8(&o);
		if (type == IP6OPT_JUMBO && olen == IP6OPT_JUMBO_LEN) {
			*jlen = ds_be32(&o);
			return ds_ok(&o);
		}
		/* RFC 8200 4.2: Opt Data Len counts the data only */
		if (!ds_skip(&o, olen))
			return false;
	}
	return false;
}

static void
ipv6_record(struct ds_ipv6 *ip6, uint8_t type)
{
	if (ip6->next_count < DS_MAX_V6EXT)
		ip6->ext[ip6->next_count] = type;
	if (ip6->next_count < UINT8_MAX)
		ip6->next_count++;
}

/*
 * RFC 8200 4: walks extension headers from `nxt`, recording their types in
 * ip6->ext[] (the first DS_MAX_V6EXT; next_count keeps counting) and their
 * bytes in *walked, and leaves ip6->proto at the header it stopped at.
 * The walk ends at an upper-layer header, at AH and ESP (dissected as
 * layers), and at a Fragment header that is not atomic (the rest is
 * fragment data), where proto becomes that header's Next Header.  Every
 * step consumes at least 8 bytes.  On failure the cursor stays at the
 * header that could not be read and proto names it.
 *
 * Generic extension header (RFC 8200 4.3, 4.4, 4.6; RFC 7045):
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Next Header  |  Hdr Ext Len  |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   .                    (Hdr Ext Len + 1) * 8 bytes                .
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Fragment header (RFC 8200 4.5):
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         Identification                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static enum ds_err
ipv6_walk(struct ds_cur *c, uint8_t nxt, struct ds_ipv6 *ip6,
    size_t *walked, struct v6_frag *fr)
{
	struct ds_cur h;
	uint16_t offm;
	uint8_t next, hlen;
	size_t n;

	for (;;) {
		ip6->proto = nxt;
		h = *c;
		switch (nxt) {
		case DS_IPPROTO_HOPOPTS:
		case DS_IPPROTO_ROUTING:
		case DS_IPPROTO_DSTOPTS:
		case DS_IPPROTO_MH:
		case DS_IPPROTO_HIP:
		case DS_IPPROTO_SHIM6:
			next = ds_u8(&h);
			hlen = ds_u8(&h);
			if (!ds_ok(&h))
				return h.err;
			n = ((size_t)hlen + 1) * 8;
			h = *c;
			/* RFC 8200 4: the header lies within the payload */
			if (!ds_skip(&h, n))
				return h.err;
			break;
		case DS_IPPROTO_FRAGMENT:
			n = IPV6_FRAG_LEN;
			next = ds_u8(&h);
			(void)ds_u8(&h);
			offm = ds_be16(&h);
			fr->id = ds_be32(&h);
			if (!ds_ok(&h))
				return h.err;
			fr->seen = true;
			fr->off = offm & 0xfff8;
			fr->more = (offm & 1) != 0;
			fr->nxt = next;
			fr->unfrag = *walked;
			fr->atomic = fr->off == 0 && !fr->more;
			break;
		default:
			return DS_OK;
		}
		*c = h;
		ipv6_record(ip6, nxt);
		*walked += n;
		if (nxt == DS_IPPROTO_FRAGMENT && !fr->atomic) {
			ip6->proto = next;
			return DS_OK;
		}
		nxt = next;
	}
}

static uint16_t
sat16(size_t n)
{
	return n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
}

static void
ipv6_set_frag(struct ds_ipv6 *ip6, const struct v6_frag *fr)
{
	ip6->frag_id = fr->id;
	ip6->frag_off = fr->off;
	ip6->frag_more = fr->more;
	ip6->is_fragment = fr->seen && !fr->atomic;
}

enum ds_err
ds_ipv6_parse(struct ds_cur *c, struct ds_ipv6 *out)
{
	struct ds_cur h = *c;
	struct ds_ipv6 ip6 = { 0 };
	struct v6_frag fr = { 0 };
	enum ds_err e;
	uint32_t jlen;
	size_t end, walked = 0;

	if ((e = ipv6_fixed(&h, &ip6)) != DS_OK)
		return e;
	if ((ip6.vtc_flow >> 28) != 6)
		return DS_EMALFORMED;
	end = ip6.plen;
	if (ip6.plen == 0 && ip6.nxt == DS_IPPROTO_HOPOPTS &&
	    ipv6_jumbo(&h, &jlen)) {
		/* RFC 2675 3: a jumbo length is above 65535 */
		if (jlen <= IPV6_MAX_PLEN)
			return DS_EMALFORMED;
		end = jlen;
	}
	/* RFC 8200 3: Payload Length counts everything after the header */
	if (!ds_limit(&h, end))
		return h.err;
	if ((e = ipv6_walk(&h, ip6.nxt, &ip6, &walked, &fr)) != DS_OK)
		return e;
	ip6.extlen = sat16(walked);
	ipv6_set_frag(&ip6, &fr);
	*out = ip6;
	*c = h;
	return DS_OK;
}

static void
ipv6_chain_error(struct ds_frame *f, enum ds_err e)
{
	if (e == DS_ETRUNC)
		net_note_err(f, e);
	else
		ds_frame_note(f, DS_N_IPV6_EXT_CHAIN);
}

/*
 * After the Fragment header: the rest of the chain, then the upper layer.
 * `c` holds the fragmentable part (reassembled, or a first fragment in a
 * quote).
 */
static void
ipv6_after_frag(struct ds_frame *f, struct ds_ipv6 *ip6, uint8_t nxt,
    struct ds_cur *c)
{
	struct v6_frag fr = { 0 };
	size_t walked = ip6->extlen;
	enum ds_err e;

	if ((e = ipv6_walk(c, nxt, ip6, &walked, &fr)) != DS_OK) {
		ipv6_chain_error(f, e);
		return;
	}
	ip6->extlen = sat16(walked);
	/* RFC 8200 4.1: one Fragment header; a second one is not undone */
	if (fr.seen && !fr.atomic) {
		ds_data_dissect(f, c);
		return;
	}
	ds_ipproto_dispatch(f, ip6->proto, c);
}

static void
ipv6_fragment(struct ds_frame *f, struct ds_layer *l, const struct v6_frag
    *fr, struct ds_cur *c)
{
	struct ds_ipv6 *ip6 = &l->u.ip6;
	struct net_frag in;
	struct net_frag_done done;
	struct ds_cur rc;

	if (l->quoted) {
		if (fr->off == 0)
			ipv6_after_frag(f, ip6, fr->nxt, c);
		return;
	}
	in.family = DS_AF_INET6;
	in.proto = 0;
	in.nxt = fr->nxt;
	in.id = fr->id;
	in.src = &ip6->src;
	in.dst = &ip6->dst;
	in.off = fr->off;
	in.more = fr->more;
	/* RFC 8200 4.5: the reassembled Payload Length fits 16 bits */
	in.max_end = fr->unfrag >= IPV6_MAX_PLEN ? 0 :
	    (uint32_t)(IPV6_MAX_PLEN - fr->unfrag);
	switch (net_frag_add(f, &in, c, &done)) {
	case NET_FRAG_HELD:
		return;
	case NET_FRAG_REFUSED:
		/* never reassembled: a first fragment shows what it holds */
		if (fr->off == 0)
			ipv6_after_frag(f, ip6, fr->nxt, c);
		return;
	case NET_FRAG_DONE:
		break;
	}
	ip6->is_reassembled = true;
	ip6->nfrags = done.nfrags;
	ip6->unfrag = sat16(fr->unfrag);
	ip6->reasm = done.data;
	ds_frame_note(f, DS_N_REASSEMBLED);
	rc = ds_cur_make(done.data.p, done.data.len, done.data.len);
	ipv6_after_frag(f, ip6, done.nxt, &rc);
}

void
ds_ipv6_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur h = *c;
	struct ds_ipv6 ip6 = { 0 };
	struct v6_frag fr = { 0 };
	struct ds_layer *l;
	enum ds_note_code lenote = DS_N_COUNT_;
	enum ds_err e;
	uint32_t jlen;
	size_t end, walked = 0;

	if ((e = ipv6_fixed(&h, &ip6)) != DS_OK) {
		net_note_err(f, e);
		return;
	}
	if ((ip6.vtc_flow >> 28) != 6) {
		ds_frame_note(f, DS_N_IP_VERSION);
		ds_data_dissect(f, c);
		return;
	}
	end = IPV6_HDR_LEN + (size_t)ip6.plen;
	if (ip6.plen == 0 && ip6.nxt == DS_IPPROTO_HOPOPTS &&
	    ipv6_jumbo(&h, &jlen)) {
		/* RFC 2675 2: the option's length, when it fits the frame */
		lenote = DS_N_IPV6_JUMBO;
		end = c->rep;
		if (jlen > IPV6_MAX_PLEN && jlen <= c->rep - IPV6_HDR_LEN)
			end = IPV6_HDR_LEN + (size_t)jlen;
	} else if (end > c->rep) {
		/* RFC 8200 3: the payload cannot run past the frame */
		lenote = DS_N_IPV6_PLEN;
		end = c->rep;
	}
	(void)ds_limit(c, end);
	if ((l = ds_frame_push(f, DS_P_IPV6, c->p, ds_left(c))) == NULL)
		return;
	l->u.ip6 = ip6;
	if (lenote != DS_N_COUNT_)
		ds_frame_note(f, lenote);
	(void)ds_skip(c, IPV6_HDR_LEN);
	net_note_cut(f, c);
	e = ipv6_walk(c, ip6.nxt, &l->u.ip6, &walked, &fr);
	l->u.ip6.extlen = sat16(walked);
	if (e != DS_OK) {
		ipv6_chain_error(f, e);
		return;
	}
	ipv6_set_frag(&l->u.ip6, &fr);
	if (l->u.ip6.is_fragment)
		ipv6_fragment(f, l, &fr, c);
	else
		ds_ipproto_dispatch(f, l->u.ip6.proto, c);
}

/*
 * The extension header's own type is not passed in; the layer that
 * dispatched it names it (AH's and IPComp's Next Header).  Anything else
 * (decrypted ESP) is taken as Destination Options, the usual header after
 * IPsec in transport mode (RFC 8200 4.1).
 */
static uint8_t
ipv6_ext_type(const struct ds_frame *f)
{
	const struct ds_layer *top;

	if (f->nlayers == 0)
		return DS_IPPROTO_DSTOPTS;
	top = &f->layer[f->nlayers - 1];
	if (top->proto == DS_P_AH)
		return top->u.ah.nxt;
	if (top->proto == DS_P_IPCOMP)
		return top->u.ipcomp.nxt;
	return DS_IPPROTO_DSTOPTS;
}

/*
 * RFC 4302 3.1.1: extension headers may follow AH.  They are walked like
 * the chain of the IPv6 header below and their types appended to its
 * ext[] (next_count too); extlen and proto keep describing the chain in
 * front of AH.  No layer is pushed.
 */
void
ds_ipv6_ext_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_ipv6 scratch = { 0 };
	struct ds_layer *ipl = NULL;
	struct v6_frag fr = { 0 };
	enum ds_err e;
	size_t walked = 0;
	unsigned i;

	for (i = f->nlayers; i-- > 0;) {
		if (f->layer[i].proto == DS_P_IPV6)
			ipl = &f->layer[i];
		if (f->layer[i].proto == DS_P_IPV6 ||
		    f->layer[i].proto == DS_P_IPV4)
			break;
	}
	if (ipl != NULL) {
		memcpy(scratch.ext, ipl->u.ip6.ext, sizeof scratch.ext);
		scratch.next_count = ipl->u.ip6.next_count;
	}
	e = ipv6_walk(c, ipv6_ext_type(f), &scratch, &walked, &fr);
	if (ipl != NULL) {
		memcpy(ipl->u.ip6.ext, scratch.ext, sizeof scratch.ext);
		ipl->u.ip6.next_count = scratch.next_count;
	}
	if (e != DS_OK) {
		ipv6_chain_error(f, e);
		return;
	}
	/* RFC 8200 4.5: fragments are undone below IPsec, not here */
	if (fr.seen && !fr.atomic)
		ds_data_dissect(f, c);
	else
		ds_ipproto_dispatch(f, scratch.proto, c);
}
