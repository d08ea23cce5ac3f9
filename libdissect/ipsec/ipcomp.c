/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPComp: the header that says which algorithm compressed the payload, and
 * the payload decompressed and dissected by Next Header.
 * RFC 3173 2 (compression process), 3.3 (IPComp header), 4.1 (CPI values);
 * RFC 2394 2 (DEFLATE, CPI 2); RFC 2395 2 (LZS, CPI 3, in lzs.c).
 *
 * Decompression needs no key.  The output is capped per packet
 * (ds_engine_cfg.ipcomp_max_out): a payload that would inflate past it is
 * noted and left alone, so that a small packet cannot make a large one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "ipsec/ipsec_int.h"

#define IPCOMP_HDR_LEN	4
#define CPI_OUI		1	/* RFC 3173 4.1, IANA: the well-known CPIs */
#define CPI_DEFLATE	2
#define CPI_LZS		3
#define CPI_LZJH	4
#define CPI_NEGOTIATED	256	/* RFC 3173 3.3: 256 and up, by IKE */
#define DEFLATE_WBITS	(-15)	/* RFC 2394 2: raw deflate, no zlib header */

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
	memset(ipc, 0, sizeof *ipc);
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

/*
 * The engine's inflate stream.  zlib's state and 32 KiB window are made
 * once; inflateReset() empties them for each packet.
 */
struct ds_inflate {
	z_stream	 z;
};

struct ds_inflate *
ds_inflate_new(void)
{
	struct ds_inflate *zs;

	if ((zs = calloc(1, sizeof *zs)) == NULL)
		return NULL;
	if (inflateInit2(&zs->z, DEFLATE_WBITS) != Z_OK) {
		free(zs);
		return NULL;
	}
	return zs;
}

void
ds_inflate_free(struct ds_inflate *zs)
{
	if (zs == NULL)
		return;
	(void)inflateEnd(&zs->z);
	free(zs);
}

/*
 * RFC 2394 2: one raw DEFLATE stream per datagram, no dictionary kept
 * between them.  DS_OK only for a stream that ends (Z_STREAM_END) with
 * every input octet used; DS_ENOMEM when the output would pass cap.
 */
static enum ds_err
ipcomp_inflate(struct ds_inflate *zs, struct ds_view in, uint8_t *out,
    size_t cap, size_t *len)
{
	z_stream *z;
	int r;

	*len = 0;
	if (zs == NULL || inflateReset(&zs->z) != Z_OK)
		return DS_ENOMEM;
	z = &zs->z;
	/* zlib's next_in is not const before 1.2.9's ZLIB_CONST */
	z->next_in = (Bytef *)(uintptr_t)in.p;
	z->avail_in = (uInt)in.len;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	r = inflate(z, Z_FINISH);
	*len = cap - z->avail_out;
	if (r == Z_STREAM_END)
		return z->avail_in == 0 ? DS_OK : DS_EMALFORMED;
	/* out of room before the end: a bomb, or just too large */
	if (z->avail_out == 0 && (r == Z_OK || r == Z_BUF_ERROR))
		return DS_ENOMEM;
	return DS_EMALFORMED;
}

enum ds_ipcomp_alg {
	ALG_NONE,
	ALG_DEFLATE,
	ALG_LZS,
	ALG_GUESS,		/* negotiated CPI, transform unknown */
};

/* RFC 3173 3.3, 4.1: what the CPI says; RFC 2407 4.4.5 ids for IKE's. */
static enum ds_ipcomp_alg
ipcomp_alg(struct ds_frame *f, uint16_t cpi)
{
	unsigned id;

	if (cpi < CPI_NEGOTIATED)
		id = cpi;
	else if ((id = ds_ike_ipcomp_transform(f, cpi)) == 0)
		return ALG_GUESS;
	switch (id) {
	case CPI_DEFLATE:
		return ALG_DEFLATE;
	case CPI_LZS:
		return ALG_LZS;
	default:
		/* OUI, LZJH, unassigned and reserved: left compressed */
		return ALG_NONE;
	}
}

/*
 * Decompresses the payload in `c` (all captured) into the arena and
 * dissects it as Next Header says.
 */
static void
ipcomp_expand(struct ds_frame *f, struct ds_layer *l, struct ds_cur *c)
{
	const struct ds_engine_cfg *cfg = ds_engine_cfg(f->eng);
	enum ds_ipcomp_alg alg = ipcomp_alg(f, l->u.ipcomp.cpi);
	struct ds_view in;
	struct ds_cur pc;
	size_t cap = cfg->ipcomp_max_out, n = 0;
	uint8_t *out;
	enum ds_err e;

	if (alg == ALG_NONE) {
		ds_frame_note(f, DS_N_IPCOMP_UNKNOWN_CPI);
		return;
	}
	in = ds_rest(c);
	if ((out = ds_frame_alloc(f, cap > 0 ? cap : 1)) == NULL)
		return;
	if (alg == ALG_LZS)
		e = ds_lzs_decompress(in, out, cap, &n);
	else
		e = ipcomp_inflate(ds_engine_inflate(f->eng), in, out, cap,
		    &n);
	if (alg == ALG_GUESS) {
		/* a guess counts only when the whole payload inflates */
		if (e != DS_OK) {
			ds_frame_note(f, DS_N_IPCOMP_UNKNOWN_CPI);
			return;
		}
		ds_frame_note(f, DS_N_IPCOMP_GUESS);
	}
	if (e == DS_ENOMEM) {
		ds_frame_note(f, DS_N_IPCOMP_CAP);
		return;
	}
	if (e != DS_OK) {
		ds_frame_note(f, DS_N_IPCOMP_INFLATE);
		return;
	}
	l->u.ipcomp.inflated = true;
	l->u.ipcomp.plain.p = out;
	l->u.ipcomp.plain.len = n;
	ds_engine_stats_mut(f->eng)->ipcomp_inflated++;
	/* RFC 3173 3.3: Next Header names what was compressed */
	pc = ds_cur_make(out, n, n);
	ds_ipproto_dispatch(f, l->u.ipcomp.nxt, &pc);
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
	if (ds_left(c) < c->rep) {
		ipcomp_note_err(f, DS_ETRUNC);
		(void)ds_rest(c);
		return;
	}
	/* RFC 3173 3.3: nested IPComp is not decompressed again */
	if (f->eng == NULL || l->quoted || nested || c->rep == 0) {
		(void)ds_rest(c);
		return;
	}
	ipcomp_expand(f, l, c);
}
