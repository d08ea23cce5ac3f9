/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the IPsec dissectors and their pure helpers (AH ICV input, LZS). */
#ifndef DISSECT_IPSEC_INT_H
#define DISSECT_IPSEC_INT_H

#include "dissect/dissect.h"

/*
 * The nearest IPv4 or IPv6 layer below layer i: its index and addresses,
 * those the SA is looked up by (RFC 4301 4.1) and, for AH, the header the
 * ICV covers.  False when there is none.
 */
static inline bool
ds_ipsec_ip_below(const struct ds_frame *f, unsigned i, unsigned *ip,
    const struct ds_addr **src, const struct ds_addr **dst)
{
	const struct ds_layer *l;

	while (i-- > 0) {
		l = &f->layer[i];
		if (l->proto == DS_P_IPV4) {
			*src = &l->u.ip4.src;
			*dst = &l->u.ip4.dst;
		} else if (l->proto == DS_P_IPV6) {
			*src = &l->u.ip6.src;
			*dst = &l->u.ip6.dst;
		} else
			continue;
		*ip = i;
		return true;
	}
	return false;
}

/*
 * ipsec/ah_icv.c: the bytes an AH ICV covers (RFC 4302 3.3.3.1), built
 * from the IP layer `ip` of `f` (IPv4 or IPv6; its reassembled datagram
 * when it was reassembled) with the mutable fields zeroed or set to their
 * value at the receiver, and the ICV field of the first AH header in the
 * datagram zeroed.
 *
 * ds_ah_icv_size() is the room ds_ah_icv_input() needs, 0 when `ip` is
 * not an IP layer.  ds_ah_icv_input() writes *len bytes to out and
 * returns DS_OK, DS_EMALFORMED when the datagram contradicts itself (no AH
 * where the chain leads, a bad option length, a length that does not fit)
 * or DS_ENOMEM when cap is too small.  *rh_unknown is set when a routing
 * header of a type other than 0 and 2 was taken as received.
 */
size_t		 ds_ah_icv_size(const struct ds_frame *, unsigned ip);
enum ds_err	 ds_ah_icv_input(const struct ds_frame *, unsigned ip,
		    uint8_t *out, size_t cap, size_t *len, bool *rh_unknown)
		    DS_MUST_CHECK;

/*
 * ipsec/lzs.c: LZS (ANSI X3.241, RFC 1974 2, RFC 2395 2) decompression of
 * one stream into out.  DS_OK with *len bytes; DS_EMALFORMED for a stream
 * that ends without its end marker or copies from before the start;
 * DS_ENOMEM when the output would pass cap (what fits is written).
 */
enum ds_err	 ds_lzs_decompress(struct ds_view in, uint8_t *out,
		    size_t cap, size_t *len) DS_MUST_CHECK;

/*
 * ipsec/ipcomp.c: a raw DEFLATE stream (RFC 2394 2), made once per engine
 * (ds_engine_inflate(), on first use, NULL when out of memory) and reset
 * for each packet.
 */
struct ds_inflate;
struct ds_inflate *ds_inflate_new(void);
void		 ds_inflate_free(struct ds_inflate *);
struct ds_inflate *ds_engine_inflate(struct ds_engine *);

#endif
