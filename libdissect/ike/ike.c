/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ISAKMP / IKE fixed header, which starts every IKEv1 and IKEv2
 * message; the payload chain after it is left for the payload decoder.
 * RFC 2408 3.1 (ISAKMP header), RFC 7296 2.5 (version numbers), 3.1 (IKE
 * header); RFC 3948 2.2 (IKE after a non-ESP marker).
 */
#include <string.h>

#include "ike_int.h"

#define IKE_HDR_LEN	28
#define IKE_SPI_LEN	8

/*
 * RFC 7296 3.1 (RFC 2408 3.1 has the same layout under other names):
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reads the 28 octets; the length is checked by the callers.
 */
static enum ds_err
ike_hdr(struct ds_cur *c, struct ds_ike *ike)
{
	/* RFC 7296 3.1: every message starts with the whole fixed header */
	if (!ds_need(c, IKE_HDR_LEN))
		return c->err;
	memset(ike, 0, sizeof *ike);
	(void)ds_copy(c, ike->ispi, IKE_SPI_LEN);
	(void)ds_copy(c, ike->rspi, IKE_SPI_LEN);
	ike->np = ds_u8(c);
	ike->version = ds_u8(c);
	ike->exch = ds_u8(c);
	ike->flags = ds_u8(c);
	ike->msgid = ds_be32(c);
	ike->len = ds_be32(c);
	ike->in_udp4500 = false;
	return DS_OK;
}

/*
 * Parses the fixed header and leaves the cursor on the first payload.  The
 * Length field counts the header and every payload, and the message must
 * fit in what the enclosing header claims: below 28 or past the claim is
 * malformed.
 */
enum ds_err
ds_ike_parse(struct ds_cur *c, struct ds_ike *ike)
{
	struct ds_cur t = *c;
	struct ds_ike h;
	enum ds_err e;

	if ((e = ike_hdr(&t, &h)) != DS_OK)
		return e;
	/* RFC 7296 3.1: Length covers the header and the payloads */
	if (h.len < IKE_HDR_LEN || h.len > c->rep)
		return DS_EMALFORMED;
	*ike = h;
	*c = t;
	return DS_OK;
}

/*
 * A quote inside an ICMP error is cut short by design, and a frame already
 * known to be cut is not told so twice.
 */
static void
ike_note_err(struct ds_frame *f, enum ds_err e)
{
	bool quoted = f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;

	if (e == DS_ETRUNC) {
		if (!quoted && !f->is_truncated)
			ds_frame_note(f, DS_N_TRUNCATED);
	} else if (e == DS_EMALFORMED)
		ds_frame_note(f, DS_N_IKE_LEN);
	else if (e != DS_OK)
		ds_frame_note_err(f, e);
}

/*
 * Bytes that do not hold an IKE header: kept as data, so that they can be
 * shown, with the reason noted on them.
 */
static void
ike_not_message(struct ds_frame *f, struct ds_cur *c, enum ds_err e)
{
	struct ds_view v;

	if (ds_left(c) > 0) {
		v = ds_rest(c);
		(void)ds_frame_push(f, DS_P_DATA, v.p, v.len);
	}
	ike_note_err(f, e);
}

/*
 * RFC 7296 2.5: the major version decides; the minor version is ignored.
 * ISAKMP (RFC 2408) is 1; anything else is shown as ISAKMP, as tshark
 * does, and noted.
 */
static enum ds_proto
ike_proto(uint8_t version)
{
	return version >> 4 == 2 ? DS_P_IKEV2 : DS_P_ISAKMP;
}

/*
 * Hands a decoded message's facts to the keyring, which may learn SPIs,
 * nonces and proposals from them.  A quote is a fragment of a message
 * already seen, so it teaches nothing.
 */
static void
ike_learn(struct ds_frame *f, const struct ds_layer *l)
{
	const struct ds_keyring *kr;

	if (f->eng == NULL || l->quoted || l->u.ike.facts == NULL)
		return;
	kr = ds_engine_keyring(f->eng);
	if (kr != NULL && kr->learn != NULL)
		kr->learn(kr->ctx, l->u.ike.facts);
}

/*
 * The whole message is the layer's bytes (as far as captured), so that the
 * payload chain (RFC 7296 3.2, RFC 2408 3.2) can be walked from offset 28
 * of it, bounded by ike.len.  The cursor is left on the first payload.
 */
void
ds_ike_dissect(struct ds_frame *f, struct ds_cur *c)
{
	const struct ds_layer *below;
	struct ds_cur t = *c, pc;
	struct ds_layer *l;
	struct ds_ike ike;
	size_t got;
	enum ds_err e;
	uint8_t major;

	e = ike_hdr(&t, &ike);
	/*
	 * RFC 7296 3.1: a length below the header's own contradicts it, so
	 * these bytes are no IKE message (tshark does not take them either).
	 */
	if (e == DS_OK && ike.len < IKE_HDR_LEN)
		e = DS_EMALFORMED;
	if (e != DS_OK) {
		ike_not_message(f, c, e);
		return;
	}
	/* RFC 3948 2.2: IKE on port 4500 follows a non-ESP marker */
	below = f->nlayers > 0 ? &f->layer[f->nlayers - 1] : NULL;
	ike.in_udp4500 = below != NULL && below->proto == DS_P_NATT &&
	    below->u.natt.kind == DS_NATT_NON_ESP_MARKER;
	got = ike.len < ds_left(c) ? ike.len : ds_left(c);
	if ((l = ds_frame_push(f, ike_proto(ike.version), c->p, got)) == NULL)
		return;
	l->u.ike = ike;
	major = ike.version >> 4;
	if (major != 1 && major != 2)
		ds_frame_note(f, DS_N_IKE_VERSION);
	/* RFC 7296 3.1: the datagram must hold the whole message */
	if (ike.len > c->rep)
		ike_note_err(f, DS_EMALFORMED);
	else {
		if (ike.len > ds_left(c))
			ike_note_err(f, DS_ETRUNC);
		/* the payloads end where the Length says */
		(void)ds_limit(&t, ike.len - IKE_HDR_LEN);
	}
	pc = t;
	if (major == 2)
		ds_ikev2_payloads(f, l, &pc);
	else if (major == 1)
		ds_isakmp_payloads(f, l, &pc);
	ds_ike_sa_observe(f, l);
	ike_learn(f, l);
	*c = t;
}
