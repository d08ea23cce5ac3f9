/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UDP port 4500: tells a NAT keepalive, IKE after a non-ESP marker and
 * UDP-encapsulated ESP apart, and hands each to its dissector.
 * RFC 3948 2.1 (ESP in UDP), 2.2 (non-ESP marker), 2.3 (NAT keepalive).
 */
#include "dissect/dissect.h"

#define NATT_MARKER_LEN		4
#define NATT_KEEPALIVE_LEN	1
#define NATT_KEEPALIVE		0xff

/*
 * RFC 3948 2.1-2.3: what follows the UDP header, told apart by the first
 * octets.
 *
 * NAT keepalive, the whole payload:
 * +-+-+-+-+-+-+-+-+
 * |      0xFF     |
 * +-+-+-+-+-+-+-+-+
 *
 * IKE:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Non-ESP Marker (0)                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      IKE header [RFC7296]                     |
 * ~                                                               ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ESP, whose SPI is never 0:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 ESP header [RFC4303] (SPI != 0)               |
 * ~                                                               ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/*
 * A quote inside an ICMP error is cut short by design, and a frame already
 * known to be cut is not told so twice.
 */
static void
natt_note_cut(struct ds_frame *f)
{
	bool quoted = f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;

	if (!quoted && !f->is_truncated)
		ds_frame_note(f, DS_N_TRUNCATED);
}

/* Consumes `len` octets as a NATT layer; false when the frame is full. */
static bool
natt_push(struct ds_frame *f, struct ds_cur *c, enum ds_natt_kind kind,
    size_t len)
{
	struct ds_layer *l;
	struct ds_view v;

	if (!ds_take(c, len, &v))
		return false;
	if ((l = ds_frame_push(f, DS_P_NATT, v.p, v.len)) == NULL)
		return false;
	l->u.natt.kind = (uint8_t)kind;
	return true;
}

void
ds_natt_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur t;
	uint32_t marker;

	/* An empty datagram carries nothing to tell apart. */
	if (!ds_ok(c) || c->rep == 0)
		return;
	/* RFC 3948 2.3: a keepalive is exactly one octet, 0xFF */
	if (c->rep == NATT_KEEPALIVE_LEN) {
		t = *c;
		if (ds_u8(&t) == NATT_KEEPALIVE && ds_ok(&t)) {
			if (natt_push(f, c, DS_NATT_KEEPALIVE,
			    NATT_KEEPALIVE_LEN))
				ds_frame_note(f, DS_N_NATT_KEEPALIVE);
			return;
		}
		if (t.err == DS_ETRUNC) {
			natt_note_cut(f);
			return;
		}
		/* Any other single octet is ESP too short for its SPI. */
	}
	/* RFC 3948 2.2: four zero octets announce IKE, as no SPI is 0 */
	t = *c;
	marker = ds_be32(&t);
	if (t.err == DS_ETRUNC) {
		/* What was captured cannot tell a marker from an SPI. */
		natt_note_cut(f);
		return;
	}
	/* RFC 3948 2.1: anything else is ESP; ESP notes a short one */
	if (t.err != DS_OK || marker != 0) {
		ds_esp_dissect(f, c);
		return;
	}
	if (natt_push(f, c, DS_NATT_NON_ESP_MARKER, NATT_MARKER_LEN))
		ds_ike_dissect(f, c);
}
