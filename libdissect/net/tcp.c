/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCP: the header (ports, sequence numbers, flags, data offset); the
 * payload is shown as data.  RFC 9293 3.1.
 */
#include "net/net.h"

#define TCP_HDR_MIN	20		/* RFC 9293 3.1: Data Offset >= 5 */
#define TCP_PORTS_LEN	4

/*
 * RFC 9293 3.1:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |       |       |R|E|G|K|H|T|N|N|                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           [Options]                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reads what of the fixed part is there (fields left 0 past the end).
 */
static enum ds_err
tcp_fixed(struct ds_cur *h, struct ds_tcp *t)
{
	uint8_t off;

	t->sport = ds_be16(h);
	t->dport = ds_be16(h);
	t->seq = ds_be32(h);
	t->ack = ds_be32(h);
	off = ds_u8(h);
	t->hlen = (uint8_t)((off >> 4) * 4);
	t->flags = ds_u8(h);
	(void)ds_skip(h, 6);		/* window, checksum, urgent pointer */
	return h->err;
}

enum ds_err
ds_tcp_parse(struct ds_cur *c, struct ds_tcp *out)
{
	struct ds_cur h = *c;
	struct ds_tcp t = { 0 };
	enum ds_err e;

	if (!ds_need(&h, TCP_HDR_MIN))
		return h.err;
	if ((e = tcp_fixed(&h, &t)) != DS_OK)
		return e;
	/* RFC 9293 3.1: Data Offset counts 32-bit words, at least 5 */
	if (t.hlen < TCP_HDR_MIN)
		return DS_EMALFORMED;
	if (!ds_skip(&h, (size_t)t.hlen - TCP_HDR_MIN))
		return h.err;
	*out = t;
	*c = h;
	return DS_OK;
}

void
ds_tcp_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur h = *c;
	struct ds_tcp t = { 0 };
	struct ds_layer *l;
	enum ds_err e;

	e = ds_need(&h, TCP_HDR_MIN) ? DS_OK : h.err;
	h.err = DS_OK;
	(void)tcp_fixed(&h, &t);
	/* A quote (RFC 792) usually holds the first 8 bytes: ports and
	 * sequence number are worth showing. */
	if (e != DS_OK && !(e == DS_ETRUNC && net_in_quote(f) &&
	    ds_left(c) >= TCP_PORTS_LEN)) {
		net_note_err(f, e);
		return;
	}
	if ((l = ds_frame_push(f, DS_P_TCP, c->p, ds_left(c))) == NULL)
		return;
	l->u.tcp = t;
	if (e != DS_OK)
		return;
	/* RFC 9293 3.1: Data Offset counts 32-bit words, at least 5 */
	if (t.hlen < TCP_HDR_MIN) {
		ds_frame_note(f, DS_N_MALFORMED);
		return;
	}
	if (!ds_skip(c, t.hlen)) {
		net_note_err(f, c->err);
		return;
	}
	net_data(f, c);
}
