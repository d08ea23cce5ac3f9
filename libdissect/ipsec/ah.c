/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AH: the header, its ICV, and the protected payload handed on by Next
 * Header.
 * RFC 4302 2 (header format), 2.2 (Payload Length), 3.1 (placement),
 * 3.3.3.2.1 (ICV padding).
 */
#include "dissect/dissect.h"

#define AH_FIXED_LEN	12	/* Next Header through Sequence Number */

/*
 * RFC 4302 2:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Header   |  Payload Len  |          RESERVED             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Security Parameters Index (SPI)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Sequence Number Field                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                Integrity Check Value-ICV (variable)           |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Payload Len is the header's length in 32-bit words, minus 2; the ICV is
 * what it leaves after the fixed 12 octets.
 */
static enum ds_err
ah_fixed(struct ds_cur *c, struct ds_ah *ah)
{
	/* RFC 4302 2: the fields through the sequence number are mandatory */
	if (!ds_need(c, AH_FIXED_LEN))
		return c->err;
	ah->nxt = ds_u8(c);
	ah->len = ds_u8(c);
	ah->reserved = ds_be16(c);
	ah->spi = ds_be32(c);
	ah->seq = ds_be32(c);
	ah->icv_len = 0;
	ah->icv.p = NULL;
	ah->icv.len = 0;
	return DS_OK;
}

static enum ds_err
ah_icv(struct ds_cur *c, struct ds_ah *ah)
{
	size_t total = ((size_t)ah->len + 2) * 4;

	/* RFC 4302 2.2: below 1 there is no room for SPI and sequence */
	if (total < AH_FIXED_LEN)
		return DS_EMALFORMED;
	ah->icv_len = (uint16_t)(total - AH_FIXED_LEN);
	/* RFC 4302 2.2: the header may not run past the IP payload */
	if (!ds_take(c, ah->icv_len, &ah->icv))
		return c->err;
	return DS_OK;
}

enum ds_err
ds_ah_parse(struct ds_cur *c, struct ds_ah *ah)
{
	struct ds_cur t = *c;
	struct ds_ah h;
	enum ds_err e;

	if ((e = ah_fixed(&t, &h)) != DS_OK || (e = ah_icv(&t, &h)) != DS_OK)
		return e;
	*ah = h;
	*c = t;
	return DS_OK;
}

/*
 * RFC 4302 3.3.3.2.1: the ICV is padded so that the header is a multiple
 * of 64 bits under IPv6 and of 32 bits under IPv4.  The nearest IP layer
 * below the AH layer `at` says which applies.
 */
static bool
ah_is_aligned(const struct ds_frame *f, unsigned at, size_t total)
{
	unsigned i;

	for (i = at; i-- > 0;) {
		if (f->layer[i].proto == DS_P_IPV6)
			return total % 8 == 0;
		if (f->layer[i].proto == DS_P_IPV4)
			return total % 4 == 0;
	}
	return true;
}

/*
 * A quote inside an ICMP error is cut short by design, and a frame already
 * known to be cut is not told so twice.
 */
static void
ah_note_err(struct ds_frame *f, enum ds_err e)
{
	bool quoted = f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;

	if (e == DS_ETRUNC) {
		if (!quoted && !f->is_truncated)
			ds_frame_note(f, DS_N_TRUNCATED);
	} else if (e == DS_EMALFORMED)
		ds_frame_note(f, DS_N_AH_LEN);
	else if (e != DS_OK)
		ds_frame_note_err(f, e);
}

void
ds_ah_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur t = *c;
	struct ds_layer *l;
	struct ds_ah ah;
	enum ds_err e;

	if ((e = ah_fixed(&t, &ah)) != DS_OK) {
		ah_note_err(f, e);
		return;
	}
	/* SPI and sequence are known even when the ICV is not. */
	if ((l = ds_frame_push(f, DS_P_AH, c->p, ds_left(c))) == NULL)
		return;
	e = ah_icv(&t, &ah);
	l->u.ah = ah;
	if (e != DS_OK) {
		ah_note_err(f, e);
		return;
	}
	if (!ah_is_aligned(f, f->nlayers - 1, AH_FIXED_LEN + ah.icv_len))
		ds_frame_note(f, DS_N_AH_ALIGN);
	*c = t;
	/* RFC 4302 3.1: the protected payload follows, as Next Header says */
	ds_ipproto_dispatch(f, ah.nxt, c);
}
