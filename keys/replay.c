/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The anti-replay window of an SA and the inference of the ESN high-order
 * bits from it.
 * RFC 4303 3.4.3 (sequence number verification), Appendix A2 (ESN window
 * and high-order bit inference), RFC 4302 3.4.3 (the same for AH).
 */
#include <stdlib.h>
#include <string.h>

#include "keys_int.h"

#define KS_REPLAY_DEFAULT	64
#define KS_REPLAY_MAX		(1u << 20)

/*
 * The window is a ring of bits, one per sequence number, indexed by the
 * 64-bit number modulo the ring size (a multiple of 64, at least the
 * window).  Only the `size` numbers ending at `top` are in the window:
 *
 *        left of the window         window (size W)          right: new
 *   ... ------------------------|=========================|--------------->
 *                          top-W+1                       top
 *
 *   ring: word 0         word 1          ...   word n-1
 *        [b63 ... b0]   [b127 ... b64]        [...]      bit (seq % 64n)
 *
 * Moving top forward by d clears the d bits that now stand for the new
 * numbers (all of them when d is at least the ring), then sets top's bit.
 */
enum ds_err
ks_replay_init(struct ks_replay *r, uint32_t size)
{
	size_t words;

	memset(r, 0, sizeof *r);
	if (size == 0)
		size = KS_REPLAY_DEFAULT;
	if (size > KS_REPLAY_MAX)
		size = KS_REPLAY_MAX;
	words = (size + 63) / 64;
	if ((r->bits = calloc(words, sizeof *r->bits)) == NULL)
		return DS_ENOMEM;
	r->size = size;
	r->nbits = (uint64_t)words * 64;
	return DS_OK;
}

void
ks_replay_fini(struct ks_replay *r)
{
	free(r->bits);
	memset(r, 0, sizeof *r);
}

static bool
bit_get(const struct ks_replay *r, uint64_t seq)
{
	uint64_t i = seq % r->nbits;

	return (r->bits[i / 64] >> (i % 64)) & 1;
}

static void
bit_put(struct ks_replay *r, uint64_t seq, bool on)
{
	uint64_t i = seq % r->nbits;

	if (on)
		r->bits[i / 64] |= (uint64_t)1 << (i % 64);
	else
		r->bits[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* True when seq is new: right of the window, or in it and not yet seen. */
bool
ks_replay_check(const struct ks_replay *r, uint64_t seq)
{
	if (!r->any || seq > r->top)
		return true;
	/* RFC 4303 3.4.3: left of the window is rejected as a replay */
	if (r->top - seq >= r->size)
		return false;
	return !bit_get(r, seq);
}

/* Records seq as received; call only once its ICV has verified. */
void
ks_replay_advance(struct ks_replay *r, uint64_t seq)
{
	uint64_t d, s;

	if (!r->any) {
		memset(r->bits, 0, (size_t)(r->nbits / 8));
		r->any = true;
		r->top = seq;
	} else if (seq > r->top) {
		d = seq - r->top;
		if (d >= r->nbits)
			memset(r->bits, 0, (size_t)(r->nbits / 8));
		else
			for (s = r->top + 1; s != seq; s++)
				bit_put(r, s, false);
		r->top = seq;
	} else if (r->top - seq >= r->size)
		return;			/* left of the window: not marked */
	bit_put(r, seq, true);
}

/*
 * RFC 4303 A2.2: the high half of a received sequence number, from the
 * low half seen on the wire, the window size W and the highest number
 * authenticated so far T = Th:Tl.
 *
 *   Tl >= W - 1 (window within one 2^32 block):
 *      Seql >= Tl - W + 1  ->  Th      (in or right of the window)
 *      otherwise           ->  Th + 1  (the low half wrapped)
 *   Tl <  W - 1 (window straddles the block boundary):
 *      Seql >= Tl - W + 1 (mod 2^32)  ->  Th - 1   (left part, old block)
 *      otherwise                      ->  Th
 *
 * Before any packet, the starting high half the SA was given.
 */
uint32_t
ks_esn_seqhi(const struct ks_replay *r, uint32_t seql, uint32_t start_hi)
{
	uint32_t th, tl, w, bottom;

	if (!r->any)
		return start_hi;
	th = (uint32_t)(r->top >> 32);
	tl = (uint32_t)r->top;
	w = r->size;
	bottom = tl - w + 1;		/* mod 2^32 */
	if (tl >= w - 1)
		return seql >= bottom ? th : th + 1;
	if (seql >= bottom)
		return th > 0 ? th - 1 : 0;	/* no block before the first */
	return th;
}
