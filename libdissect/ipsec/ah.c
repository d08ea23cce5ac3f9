/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AH: the header, its ICV checked when the keyring knows the SA, and the
 * protected payload handed on by Next Header.
 * RFC 4302 2 (header format), 2.2 (Payload Length), 3.1 (placement),
 * 3.3.3.1 (ICV input, ah_icv.c), 3.3.3.2.1 (ICV padding), 3.4.3
 * (sequence number verification, in the keyring), 3.4.4 (ICV
 * verification); RFC 4543 3 (AES-GMAC: IV and tag in the ICV field).
 */
#include <string.h>

#include "ipsec/ipsec_int.h"

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
	memset(ah, 0, sizeof *ah);
	ah->nxt = ds_u8(c);
	ah->len = ds_u8(c);
	ah->reserved = ds_be16(c);
	ah->spi = ds_be32(c);
	ah->seq = ds_be32(c);
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

/* A fragment the engine did not reassemble: part of a datagram. */
static bool
ah_ip_partial(const struct ds_layer *l)
{
	if (l->proto == DS_P_IPV4)
		return l->u.ip4.is_fragment && !l->u.ip4.is_reassembled;
	return l->u.ip6.is_fragment && !l->u.ip6.is_reassembled;
}

/* The keyring's answer, as layer fields and notes. */
static void
ah_verdict(struct ds_frame *f, struct ds_ah *ah, enum ds_err e,
    const struct ds_sa_open *req)
{
	ah->seq_hi = req->seq_hi;
	ah->is_replay = req->is_replay;
	switch (e) {
	case DS_OK:
		ah->status = DS_SAS_OK;
		ah->icv_verdict = req->verdict;
		break;
	case DS_EAUTH:
		ah->status = DS_SAS_ICV_FAILED;
		ah->icv_verdict = DS_ICV_BAD;
		ds_frame_note(f, DS_N_ICV_FAILED);
		break;
	case DS_EMALFORMED:
		ah->status = DS_SAS_BAD_LENGTH;
		break;
	default:
		ah->status = DS_SAS_UNSUPPORTED;
		ds_frame_note(f, DS_N_ALG_UNSUPPORTED);
		break;
	}
	if (req->is_replay)
		ds_frame_note(f, DS_N_SA_REPLAY);
}

/*
 * RFC 4302 3.4.2-3.4.4: find the SA, rebuild the ICV input and let the
 * keyring check the ICV (and the sequence number).  `got`: DS_OK when the
 * datagram and the ICV were captured whole, else why they were not.
 */
static void
ah_verify(struct ds_frame *f, struct ds_layer *l, enum ds_err got)
{
	const struct ds_keyring *kr = ds_engine_keyring(f->eng);
	const struct ds_addr *src, *dst;
	struct ds_ah *ah = &l->u.ah;
	struct ds_sa_ref ref;
	struct ds_sa_open req;
	size_t need, len;
	uint8_t *buf;
	unsigned ip;
	enum ds_err e;
	bool rh_unknown;

	ah->status = DS_SAS_NOT_TRIED;
	ah->icv_verdict = DS_ICV_UNCHECKED;
	/*
	 * The datagram AH protects is that of the IP layer right below.  AH
	 * after anything else (AH in AH, AH in decrypted ESP without an inner
	 * IP header) is not verified.
	 */
	if (kr == NULL || kr->lookup == NULL || kr->open == NULL ||
	    !ds_ipsec_ip_below(f, f->nlayers - 1, &ip, &src, &dst) ||
	    ip != f->nlayers - 2)
		return;
	memset(&ref, 0, sizeof ref);
	if (!kr->lookup(kr->ctx, DS_IPPROTO_AH, ah->spi, src, dst, &ref)) {
		ah->status = DS_SAS_NO_SA;
		ds_frame_note(f, DS_N_SA_NONE);
		return;
	}
	ah->sa_id = ref.id;
	ah->sa_label = ref.label;
	ah->spi_only = ref.spi_only;
	ah->esn = ref.esn;
	if (ref.spi_only)
		ds_frame_note(f, DS_N_SA_SPI_ONLY);
	/* RFC 4302 3.4.1: only a whole (reassembled) datagram is checked */
	if (got == DS_OK && ah_ip_partial(&f->layer[ip]))
		got = DS_ETRUNC;
	if (got != DS_OK) {
		ah->status = got == DS_ETRUNC ? DS_SAS_TRUNCATED :
		    DS_SAS_BAD_LENGTH;
		return;
	}
	/* RFC 4302 2.6: the SA fixes the ICV length; padding may follow */
	if (ref.icv_len > ah->icv.len) {
		ah->status = DS_SAS_BAD_LENGTH;
		return;
	}
	need = ds_ah_icv_size(f, ip);
	if ((buf = ds_frame_alloc(f, need > 0 ? need : 1)) == NULL) {
		ah->status = DS_SAS_UNSUPPORTED;
		return;
	}
	if ((e = ds_ah_icv_input(f, ip, buf, need, &len, &rh_unknown)) !=
	    DS_OK) {
		ah->status = DS_SAS_BAD_LENGTH;
		return;
	}
	if (rh_unknown)
		ds_frame_note(f, DS_N_AH_ROUTING);
	memset(&req, 0, sizeof req);
	req.proto = DS_IPPROTO_AH;
	req.spi = ah->spi;
	req.seq = ah->seq;
	req.data.p = buf;
	req.data.len = len;
	/* RFC 4543 3: under GMAC the field is IV, then tag: the SA splits */
	req.icv = ah->icv;
	e = kr->open(kr->ctx, &ref, &req);
	/* a key bound by trial to an unknown SPI names itself here */
	if (req.sa_id != 0) {
		ah->sa_id = req.sa_id;
		ah->sa_label = req.sa_label;
	}
	ah_verdict(f, ah, e, &req);
}

/* Once its fields are final, every AH packet counts in its SA's row. */
static void
ah_finish(struct ds_frame *f, struct ds_layer *l, enum ds_err got)
{
	if (f->eng == NULL || l->quoted)
		return;
	ah_verify(f, l, got);
	ds_engine_count_sa(f->eng, l);
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
		ah_finish(f, l, e);
		return;
	}
	if (!ah_is_aligned(f, f->nlayers - 1, AH_FIXED_LEN + ah.icv_len))
		ds_frame_note(f, DS_N_AH_ALIGN);
	*c = t;
	/* RFC 4302 3.4.4: the ICV covers the datagram to its end */
	ah_finish(f, l, ds_left(c) == c->rep ? DS_OK : DS_ETRUNC);
	/* RFC 4302 3.1: the protected payload follows, as Next Header says */
	ds_ipproto_dispatch(f, ah.nxt, c);
}
