/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPComp: the header that says which algorithm compressed the payload; the
 * payload itself stays compressed.
 * RFC 3173 2 (compression process), 3.3 (IPComp header).
 */
#include "dissect/dissect.h"

#define IPCOMP_HDR_LEN	4

/*
 * RFC 3173 3.3:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Header   |     Flags     | Compression Parameter Index   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  compressed payload (variable)                |
 * ~                                                               ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Flags are reserved (sent as zero, ignored on receipt).  CPIs 1..63 are
 * the well-known transforms (ds_ipcomp_cpi_name()); the payload runs to the
 * end the enclosing header claims.
 */
enum ds_err
ds_ipcomp_parse(struct ds_cur *c, struct ds_ipcomp *ipc)
{
	struct ds_cur t = *c;
	uint8_t nxt, flags;
	uint16_t cpi;

	/* RFC 3173 3.3: the header is four octets */
	if (!ds_need(&t, IPCOMP_HDR_LEN))
		return t.err;
	nxt = ds_u8(&t);
	flags = ds_u8(&t);
	cpi = ds_be16(&t);
	ipc->nxt = nxt;
	ipc->flags = flags;
	ipc->cpi = cpi;
	ipc->payload_len = t.rep > UINT32_MAX ? UINT32_MAX : (uint32_t)t.rep;
	*c = t;
	return DS_OK;
}

/*
 * A quote inside an ICMP error is cut short by design, and a frame already
 * known to be cut is not told so twice.
 */
static void
ipcomp_note_err(struct ds_frame *f, enum ds_err e)
{
	bool quoted = f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;

	if (e == DS_ETRUNC && (quoted || f->is_truncated))
		return;
	ds_frame_note_err(f, e);
}

void
ds_ipcomp_dissect(struct ds_frame *f, struct ds_cur *c)
{
	const uint8_t *start = c->p;
	size_t got = ds_left(c);
	struct ds_ipcomp ipc;
	struct ds_layer *l;
	enum ds_err e;
	bool nested;

	/* RFC 3173 3.3: a datagram is compressed once, never again inside */
	nested = ds_frame_find(f, DS_P_IPCOMP) != NULL;
	if ((e = ds_ipcomp_parse(c, &ipc)) != DS_OK) {
		ipcomp_note_err(f, e);
		return;
	}
	if ((l = ds_frame_push(f, DS_P_IPCOMP, start, got)) == NULL)
		return;
	l->u.ipcomp = ipc;
	if (nested)
		ds_frame_note(f, DS_N_IPCOMP_NESTED);
	/* The payload is needed whole to inflate it. */
	if (ds_left(c) < c->rep)
		ipcomp_note_err(f, DS_ETRUNC);
	(void)ds_rest(c);
}
