/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPv4 and IPv6 fragment reassembly, with caps on memory, datagrams
 * pending, datagram size and age (in capture time).
 * RFC 791 3.2 (IPv4 reassembly), RFC 8200 4.5 (IPv6), RFC 5722 (IPv6
 * overlaps discard the datagram), RFC 1858 and RFC 3128 (overlap attacks).
 *
 * The table is a fixed array of hash buckets, each a chain of datagrams,
 * and an age list threading every datagram from the oldest to the newest:
 *
 *   bucket[h] -> dgram -> dgram            oldest <-> ... <-> newest
 *                  |                          |
 *                  pieces by offset:  [0,1480) [1480,2960) [2960,3000)
 *
 * Each piece is a private copy of one fragment's payload.  Pieces may
 * overlap; bytes two pieces share are kept equal (IPv4 keeps the first
 * copy, IPv6 drops the datagram), so the datagram is built by copying
 * every piece to its offset.  A datagram is complete when the last
 * fragment has fixed its length and the covered bytes reach it.
 */
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#define FRAG_BUCKETS_MIN	16
#define FRAG_BUCKETS_MAX	65536

struct frag_piece {
	struct frag_piece	*prev, *next;	/* by offset */
	uint32_t		 off, len;
	uint8_t			 data[];
};

struct frag_dgram {
	struct frag_dgram	*hnext;		/* hash chain */
	struct frag_dgram	*older, *newer;	/* age list */
	uint32_t		 hash;
	uint8_t			 family, proto;
	uint32_t		 id;
	uint8_t			 src[16], dst[16];
	int64_t			 ts;		/* first fragment (capture) */
	struct frag_piece	*head, *tail;
	uint32_t		 have;		/* bytes covered by pieces */
	uint32_t		 total;		/* set by the last fragment */
	uint32_t		 maxend;	/* largest off + len held */
	uint32_t		 maxlen;	/* longest piece */
	uint32_t		 nfrags;
	size_t			 mem;		/* bytes charged to the table */
	uint8_t			 nxt;		/* from the first fragment */
	bool			 has_last;
	bool			 dead;		/* RFC 5722: refuse the rest */
};

struct ds_ipfrag {
	struct frag_dgram	**bucket;
	uint32_t		 mask;
	struct frag_dgram	*oldest, *newest;
	unsigned		 npending;
	size_t			 mem;
	size_t			 mem_max;
	unsigned		 max_pending;
	uint32_t		 timeout;	/* 0: never */
	size_t			 max_dgram;
};

struct frag_key {
	uint8_t			 family, proto;
	uint32_t		 id;
	uint8_t			 src[16], dst[16];
};

struct ds_ipfrag *
ds_ipfrag_new(const struct ds_engine_cfg *cfg)
{
	struct ds_engine_cfg def;
	struct ds_ipfrag *t;
	size_t n;

	if (cfg == NULL) {
		ds_engine_cfg_default(&def);
		cfg = &def;
	}
	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->mem_max = cfg->frag_mem_max;
	t->max_pending = cfg->frag_max_pending;
	t->timeout = cfg->frag_timeout_sec;
	t->max_dgram = cfg->frag_max_datagram;
	for (n = FRAG_BUCKETS_MIN; n < FRAG_BUCKETS_MAX &&
	    n < t->max_pending; n <<= 1)
		;
	if ((t->bucket = calloc(n, sizeof *t->bucket)) == NULL) {
		free(t);
		return NULL;
	}
	t->mask = (uint32_t)(n - 1);
	return t;
}

static void
frag_free_pieces(struct frag_dgram *d)
{
	struct frag_piece *p, *n;

	for (p = d->head; p != NULL; p = n) {
		n = p->next;
		free(p);
	}
	d->head = d->tail = NULL;
}

/* Takes the datagram out of the table and frees it. */
static void
frag_destroy(struct ds_ipfrag *t, struct frag_dgram *d)
{
	struct frag_dgram **pp;

	for (pp = &t->bucket[d->hash & t->mask]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == d) {
			*pp = d->hnext;
			break;
		}
	if (d->older != NULL)
		d->older->newer = d->newer;
	else
		t->oldest = d->newer;
	if (d->newer != NULL)
		d->newer->older = d->older;
	else
		t->newest = d->older;
	t->npending--;
	t->mem -= d->mem;
	frag_free_pieces(d);
	free(d);
}

/* Gives up a datagram; a dead one was counted when it died. */
static void
frag_evict(struct ds_ipfrag *t, struct frag_dgram *d,
    enum ds_frag_evict why, struct ds_stats *st)
{
	if (!d->dead) {
		st->frag_evicted[why]++;
		st->frag_evicted_frags += d->nfrags;
	}
	frag_destroy(t, d);
}

void
ds_ipfrag_free(struct ds_ipfrag *t)
{
	if (t == NULL)
		return;
	while (t->oldest != NULL)
		frag_destroy(t, t->oldest);
	free(t->bucket);
	free(t);
}

void
ds_ipfrag_finish(struct ds_ipfrag *t, struct ds_stats *st)
{
	if (t == NULL)
		return;
	while (t->oldest != NULL)
		frag_evict(t, t->oldest, DS_FRAG_EV_END, st);
}

/* Datagrams whose first fragment is older than the timeout. */
static void
frag_expire(struct ds_ipfrag *t, int64_t now, struct ds_stats *st)
{
	if (t->timeout == 0)
		return;
	while (t->oldest != NULL && now - t->oldest->ts > (int64_t)t->timeout)
		frag_evict(t, t->oldest, DS_FRAG_EV_TIMEOUT, st);
}

/* Evicts the oldest datagrams other than `keep` until `need` bytes fit. */
static bool
frag_make_room(struct ds_ipfrag *t, size_t need, struct frag_dgram *keep,
    struct ds_stats *st)
{
	struct frag_dgram *v;

	while (t->mem + need > t->mem_max) {
		v = t->oldest;
		if (v != NULL && v == keep)
			v = v->newer;
		if (v == NULL)
			return false;
		frag_evict(t, v, DS_FRAG_EV_MEMORY, st);
	}
	return true;
}

/* FNV-1a over the key's bytes. */
static uint32_t
frag_hash(const struct frag_key *k)
{
	uint32_t h = 2166136261u;
	uint8_t b[4 + 2 + 32];
	size_t i;

	b[0] = (uint8_t)(k->id >> 24);
	b[1] = (uint8_t)(k->id >> 16);
	b[2] = (uint8_t)(k->id >> 8);
	b[3] = (uint8_t)k->id;
	b[4] = k->family;
	b[5] = k->proto;
	memcpy(b + 6, k->src, 16);
	memcpy(b + 22, k->dst, 16);
	for (i = 0; i < sizeof b; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

static struct frag_dgram *
frag_find(struct ds_ipfrag *t, const struct frag_key *k, uint32_t hash)
{
	struct frag_dgram *d;

	for (d = t->bucket[hash & t->mask]; d != NULL; d = d->hnext)
		if (d->hash == hash && d->id == k->id &&
		    d->family == k->family && d->proto == k->proto &&
		    memcmp(d->src, k->src, 16) == 0 &&
		    memcmp(d->dst, k->dst, 16) == 0)
			return d;
	return NULL;
}

static struct frag_dgram *
frag_create(struct ds_ipfrag *t, const struct frag_key *k, uint32_t hash,
    int64_t now)
{
	struct frag_dgram *d;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return NULL;
	d->hash = hash;
	d->family = k->family;
	d->proto = k->proto;
	d->id = k->id;
	memcpy(d->src, k->src, 16);
	memcpy(d->dst, k->dst, 16);
	d->ts = now;
	d->mem = sizeof *d;
	d->hnext = t->bucket[hash & t->mask];
	t->bucket[hash & t->mask] = d;
	d->older = t->newest;
	if (t->newest != NULL)
		t->newest->newer = d;
	else
		t->oldest = d;
	t->newest = d;
	t->npending++;
	t->mem += d->mem;
	return d;
}

/*
 * Compares the new piece with every held piece it overlaps and counts the
 * bytes it adds.  Where the bytes differ, IPv4 keeps the first copy (the
 * new piece takes the old bytes) and the overlap is reported.  `after` is
 * the held piece the new one goes after (NULL: first).
 */
static bool
frag_overlap(struct frag_dgram *d, struct frag_piece *np,
    struct frag_piece *after, uint32_t *added)
{
	struct frag_piece *x;
	uint32_t end = np->off + np->len, reach = np->off, lo, hi;
	bool differ = false;

	x = after;
	while (x != NULL && x->off + d->maxlen > np->off)
		x = x->prev;
	for (x = x != NULL ? x->next : d->head; x != NULL && x->off < end;
	    x = x->next) {
		if (x->off + x->len <= np->off)
			continue;
		lo = x->off > np->off ? x->off : np->off;
		hi = x->off + x->len < end ? x->off + x->len : end;
		if (memcmp(x->data + (lo - x->off), np->data + (lo - np->off),
		    hi - lo) != 0) {
			differ = true;
			memcpy(np->data + (lo - np->off),
			    x->data + (lo - x->off), hi - lo);
		}
		if (x->off > reach)
			*added += x->off - reach;
		if (hi > reach)
			reach = hi;
	}
	if (reach < end)
		*added += end - reach;
	return differ;
}

static void
frag_insert(struct frag_dgram *d, struct frag_piece *np,
    struct frag_piece *after)
{
	np->prev = after;
	np->next = after != NULL ? after->next : d->head;
	if (np->next != NULL)
		np->next->prev = np;
	else
		d->tail = np;
	if (after != NULL)
		after->next = np;
	else
		d->head = np;
}

/* Notes why a fragment was not kept and counts it. */
static enum net_frag_res
frag_refuse(struct ds_frame *f, struct ds_stats *st, enum ds_note_code why)
{
	st->frag_dropped++;
	if (why != DS_N_FRAGMENT)
		ds_frame_note(f, why);
	ds_frame_note(f, DS_N_FRAGMENT);
	return NET_FRAG_REFUSED;
}

/* RFC 5722 3: an IPv6 overlap discards the datagram and what follows. */
static void
frag_kill(struct ds_ipfrag *t, struct frag_dgram *d, struct ds_stats *st)
{
	st->frag_dropped += d->nfrags;
	frag_free_pieces(d);
	t->mem -= d->mem - sizeof *d;
	d->mem = sizeof *d;
	d->nfrags = 0;
	d->dead = true;
}

/* Builds the datagram in the frame arena and drops it from the table. */
static enum net_frag_res
frag_complete(struct ds_frame *f, struct ds_ipfrag *t, struct frag_dgram *d,
    struct ds_stats *st, struct net_frag_done *out)
{
	struct frag_piece *p;
	uint8_t *buf;

	if ((buf = ds_frame_alloc(f, d->total)) == NULL) {
		st->frag_dropped += d->nfrags - 1;
		frag_destroy(t, d);
		return frag_refuse(f, st, DS_N_FRAG_DROPPED);
	}
	for (p = d->head; p != NULL; p = p->next)
		memcpy(buf + p->off, p->data, p->len);
	out->data.p = buf;
	out->data.len = d->total;
	out->nfrags = d->nfrags > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)d->nfrags;
	out->nxt = d->nxt;
	st->frag_reassembled++;
	frag_destroy(t, d);
	return NET_FRAG_DONE;
}

enum net_frag_res
net_frag_add(struct ds_frame *f, const struct net_frag *in,
    struct ds_cur *pay, struct net_frag_done *out)
{
	struct ds_ipfrag *t;
	struct ds_stats *st;
	struct frag_dgram *d;
	struct frag_piece *np, *after;
	struct frag_key k;
	struct ds_cur h = *pay;
	uint32_t hash, len, end, added = 0;
	size_t alen, need;

	if (f->eng == NULL) {
		ds_frame_note(f, DS_N_FRAGMENT);
		return NET_FRAG_REFUSED;
	}
	t = ds_engine_ipfrag(f->eng);
	st = ds_engine_stats_mut(f->eng);
	st->frag_fragments++;
	frag_expire(t, f->ts_sec, st);

	/* RFC 791 3.2, RFC 8200 4.5: fragments carry data, all but the last
	 * a multiple of 8 bytes, and end inside the largest datagram */
	if (pay->rep == 0 || (in->more && pay->rep % 8 != 0) ||
	    pay->rep > in->max_end || in->off > in->max_end - pay->rep ||
	    pay->rep + in->off > t->max_dgram)
		return frag_refuse(f, st, DS_N_FRAG_BAD);
	len = (uint32_t)pay->rep;
	end = in->off + len;
	if (ds_left(pay) < len)		/* cut by the capture: unusable */
		return frag_refuse(f, st, DS_N_FRAGMENT);

	memset(&k, 0, sizeof k);
	k.family = in->family;
	k.proto = in->proto;
	k.id = in->id;
	alen = in->family == DS_AF_INET ? 4 : 16;
	memcpy(k.src, in->src->a, alen);
	memcpy(k.dst, in->dst->a, alen);
	hash = frag_hash(&k);
	d = frag_find(t, &k, hash);
	if (d != NULL && d->dead)
		return frag_refuse(f, st, DS_N_FRAGMENT);
	/* RFC 791 3.2, RFC 8200 4.5: one length, fixed by the last fragment */
	if (d != NULL && ((d->has_last && (end > d->total ||
	    (!in->more && end != d->total))) ||
	    (!d->has_last && !in->more && d->maxend > end)))
		return frag_refuse(f, st, DS_N_FRAG_BAD);

	need = sizeof *np + len;
	if (d == NULL) {
		if (t->max_pending == 0)
			return frag_refuse(f, st, DS_N_FRAG_DROPPED);
		while (t->npending >= t->max_pending)
			frag_evict(t, t->oldest, DS_FRAG_EV_PENDING, st);
		need += sizeof *d;
	}
	if (!frag_make_room(t, need, d, st) ||
	    (np = malloc(sizeof *np + len)) == NULL)
		return frag_refuse(f, st, DS_N_FRAG_DROPPED);
	if (d == NULL && (d = frag_create(t, &k, hash, f->ts_sec)) == NULL) {
		free(np);
		return frag_refuse(f, st, DS_N_FRAG_DROPPED);
	}
	if (d->nfrags == 0)
		d->nxt = in->nxt;
	np->off = in->off;
	np->len = len;
	(void)ds_copy(&h, np->data, len);

	for (after = d->tail; after != NULL && after->off > np->off;
	    after = after->prev)
		;
	if (frag_overlap(d, np, after, &added)) {
		st->frag_overlap++;
		ds_frame_note(f, DS_N_FRAG_OVERLAP);
		if (in->family == DS_AF_INET6) {
			free(np);
			frag_kill(t, d, st);
			return frag_refuse(f, st, DS_N_FRAGMENT);
		}
	}
	frag_insert(d, np, after);
	d->have += added;
	d->nfrags++;
	d->mem += sizeof *np + len;
	t->mem += sizeof *np + len;
	if (len > d->maxlen)
		d->maxlen = len;
	if (end > d->maxend)
		d->maxend = end;
	if (in->off == 0)
		d->nxt = in->nxt;
	if (!in->more) {
		d->has_last = true;
		d->total = end;
	}
	*pay = h;
	if (d->has_last && d->have == d->total)
		return frag_complete(f, t, d, st, out);
	ds_frame_note(f, DS_N_FRAGMENT);
	return NET_FRAG_HELD;
}
