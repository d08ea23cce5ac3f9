/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A pcapng writer: one section, interfaces as the caller needs them,
 * Enhanced Packet Blocks with a comment.  Everything is in host byte order,
 * which the Section Header Block's byte-order magic announces.
 * draft-ietf-opsawg-pcapng: 3.1 (block layout), 3.5 (options), 4.1 (SHB),
 * 4.2 (IDB, if_tsresol), 4.3 (EPB, opt_comment).
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/pcapng.h"

#define NG_SHB		0x0A0D0D0Au
#define NG_IDB		0x00000001u
#define NG_EPB		0x00000006u
#define NG_MAGIC	0x1A2B3C4Du
#define NG_OPT_END	0
#define NG_OPT_COMMENT	1
#define NG_SHB_USERAPPL	4
#define NG_IF_TSRESOL	9
#define NG_OPT_MAX	0xffffu		/* 3.5: Option Length is 16 bits */

struct ds_pcapng_writer {
	FILE		*out;
	uint32_t	 nif;
	bool		 failed;
	uint8_t		*blk;		/* the block being built */
	size_t		 cap, len;
};

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static bool
reserve(struct ds_pcapng_writer *w, size_t n)
{
	uint8_t *p;
	size_t cap;

	if (w->len + n <= w->cap)
		return true;
	cap = w->cap ? w->cap : 4096;
	while (cap < w->len + n)
		cap *= 2;
	if ((p = realloc(w->blk, cap)) == NULL)
		return false;
	w->blk = p;
	w->cap = cap;
	return true;
}

/* The block buffer is reserved for the whole block before these run. */
static void
put(struct ds_pcapng_writer *w, const void *p, size_t n)
{
	if (n > 0)
		memcpy(w->blk + w->len, p, n);
	w->len += n;
}

static void
put16(struct ds_pcapng_writer *w, uint16_t v)
{
	put(w, &v, 2);
}

static void
put32(struct ds_pcapng_writer *w, uint32_t v)
{
	put(w, &v, 4);
}

static void
put_pad(struct ds_pcapng_writer *w, size_t n)
{
	static const uint8_t zero[4];

	put(w, zero, pad4(n) - n);
}

/* 3.5: code, length, value padded to 32 bits. */
static void
put_opt(struct ds_pcapng_writer *w, uint16_t code, const void *p, size_t n)
{
	put16(w, code);
	put16(w, (uint16_t)n);
	put(w, p, n);
	put_pad(w, n);
}

static size_t
opt_size(size_t n)
{
	return 4 + pad4(n);
}

/*
 * 3.1: Block Type, Block Total Length, body, Block Total Length again.
 * The body is w->blk[8 .. len); the lengths are filled here.
 */
static enum ds_err
emit(struct ds_pcapng_writer *w)
{
	uint32_t total = (uint32_t)w->len + 4;

	put32(w, total);
	memcpy(w->blk + 4, &total, 4);
	if (w->failed || fwrite(w->blk, 1, w->len, w->out) != w->len)
		w->failed = true;
	return w->failed ? DS_EIO : DS_OK;
}

static bool
begin(struct ds_pcapng_writer *w, uint32_t type, size_t body)
{
	w->len = 0;
	/* 3.1: the Block Total Length is 32 bits */
	if (body > UINT32_MAX - 12 || !reserve(w, 12 + body))
		return false;
	put32(w, type);
	put32(w, 0);
	return true;
}

/*
 * 4.1 Section Header Block:
 *
 *   | Block Type = 0x0A0D0D0A | Block Total Length |
 *   | Byte-Order Magic 0x1A2B3C4D                 |
 *   | Major Version 1 | Minor Version 0            |
 *   | Section Length (64 bits, -1: not given)     |
 *   | Options (shb_userappl) ... | Block Total Length |
 */
struct ds_pcapng_writer *
ds_pcapng_writer_new(FILE *out, const char *appl)
{
	struct ds_pcapng_writer *w;
	int64_t seclen = -1;
	size_t alen = appl != NULL ? strlen(appl) : 0;

	if ((w = calloc(1, sizeof *w)) == NULL)
		return NULL;
	w->out = out;
	if (alen > NG_OPT_MAX)
		alen = NG_OPT_MAX;
	if (!begin(w, NG_SHB, 16 + (alen ? opt_size(alen) + 4 : 0)))
		goto fail;
	put32(w, NG_MAGIC);
	put16(w, 1);
	put16(w, 0);
	put(w, &seclen, 8);
	if (alen > 0) {
		put_opt(w, NG_SHB_USERAPPL, appl, alen);
		put_opt(w, NG_OPT_END, NULL, 0);
	}
	if (emit(w) != DS_OK)
		goto fail;
	return w;
fail:
	ds_pcapng_writer_free(w);
	return NULL;
}

void
ds_pcapng_writer_free(struct ds_pcapng_writer *w)
{
	if (w == NULL)
		return;
	free(w->blk);
	free(w);
}

/*
 * 4.2 Interface Description Block:
 *
 *   | Block Type = 1 | Block Total Length |
 *   | LinkType (16) | Reserved (16)       |
 *   | SnapLen (32)                        |
 *   | Options (if_tsresol = 9) ... | Block Total Length |
 */
enum ds_err
ds_pcapng_writer_iface(struct ds_pcapng_writer *w, int linktype,
    uint32_t snaplen, uint32_t *id)
{
	uint8_t res = 9;	/* 4.2: 10^-9 s */

	if (linktype < 0 || linktype > 0xffff)
		return DS_EUSAGE;
	if (!begin(w, NG_IDB, 8 + opt_size(1) + 4))
		return DS_ENOMEM;
	put16(w, (uint16_t)linktype);
	put16(w, 0);
	put32(w, snaplen);
	put_opt(w, NG_IF_TSRESOL, &res, 1);
	put_opt(w, NG_OPT_END, NULL, 0);
	if (emit(w) != DS_OK)
		return DS_EIO;
	*id = w->nif++;
	return DS_OK;
}

/*
 * 4.3 Enhanced Packet Block:
 *
 *   | Block Type = 6 | Block Total Length |
 *   | Interface ID                        |
 *   | Timestamp (High) | Timestamp (Low)  |
 *   | Captured Packet Length              |
 *   | Original Packet Length              |
 *   | Packet Data, padded to 32 bits      |
 *   | Options (opt_comment) ... | Block Total Length |
 */
enum ds_err
ds_pcapng_writer_packet(struct ds_pcapng_writer *w, uint32_t ifid,
    uint64_t ts_ns, const uint8_t *p, uint32_t caplen, uint32_t origlen,
    const char *comment)
{
	size_t clen = comment != NULL ? strlen(comment) : 0;

	/* 4.3: an EPB names an interface described before it */
	if (ifid >= w->nif)
		return DS_EUSAGE;
	if (clen > NG_OPT_MAX)
		clen = NG_OPT_MAX;
	if (!begin(w, NG_EPB, 20 + pad4(caplen) +
	    (clen ? opt_size(clen) + 4 : 0)))
		return DS_ENOMEM;
	put32(w, ifid);
	put32(w, (uint32_t)(ts_ns >> 32));
	put32(w, (uint32_t)ts_ns);
	put32(w, caplen);
	put32(w, origlen);
	put(w, p, caplen);
	put_pad(w, caplen);
	if (clen > 0) {
		put_opt(w, NG_OPT_COMMENT, comment, clen);
		put_opt(w, NG_OPT_END, NULL, 0);
	}
	return emit(w);
}

enum ds_err
ds_pcapng_writer_flush(struct ds_pcapng_writer *w)
{
	if (fflush(w->out) != 0 || ferror(w->out))
		w->failed = true;
	return w->failed ? DS_EIO : DS_OK;
}
