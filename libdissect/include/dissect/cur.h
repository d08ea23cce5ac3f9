/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cursor: the only way packet bytes are read.
 *
 * A cursor knows two ends: what was captured (cap) and what the enclosing
 * header claims (rep).  Reading past rep is the sender's fault
 * (DS_EMALFORMED); reading past cap but within rep is the capture's
 * (DS_ETRUNC).  Both ends are kept as counts from p, so no pointer ever
 * leaves the captured buffer.  The first failure sticks, readers return 0
 * once it is set, and a failed read never moves p.
 */
#ifndef DISSECT_CUR_H
#define DISSECT_CUR_H

#include <string.h>

#include "dissect/base.h"

struct ds_cur {
	const uint8_t	*p;		/* next unread byte */
	size_t		 cap;		/* captured bytes left from p */
	size_t		 rep;		/* bytes left that the header claims */
	enum ds_err	 err;		/* sticky: first failure wins */
};

/* Invariant: cap <= rep.  A capture longer than the claim is cut to it. */
static inline struct ds_cur
ds_cur_make(const uint8_t *p, size_t caplen, size_t replen)
{
	struct ds_cur c = { p, caplen < replen ? caplen : replen, replen,
	    DS_OK };
	return c;
}

static inline bool
ds_ok(const struct ds_cur *c)
{
	return c->err == DS_OK;
}

/* Bytes left that were captured. */
static inline size_t
ds_left(const struct ds_cur *c)
{
	return c->cap;
}

/* Passing rep is the sender's fault; passing only cap is the capture's. */
static inline bool
ds_need(struct ds_cur *c, size_t n)
{
	if (c->err != DS_OK)
		return false;
	if (n > c->rep)
		c->err = DS_EMALFORMED;
	else if (n > c->cap)
		c->err = DS_ETRUNC;
	return c->err == DS_OK;
}

static inline void
ds_adv_(struct ds_cur *c, size_t n)
{
	c->p += n;
	c->cap -= n;
	c->rep -= n;
}

static inline uint8_t
ds_u8(struct ds_cur *c)
{
	uint8_t v;

	if (!ds_need(c, 1))
		return 0;
	v = c->p[0];
	ds_adv_(c, 1);
	return v;
}

static inline uint16_t
ds_be16(struct ds_cur *c)
{
	uint16_t v;

	if (!ds_need(c, 2))
		return 0;
	v = (uint16_t)((uint16_t)c->p[0] << 8 | c->p[1]);
	ds_adv_(c, 2);
	return v;
}

static inline uint32_t
ds_be32(struct ds_cur *c)
{
	uint32_t v;

	if (!ds_need(c, 4))
		return 0;
	v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	ds_adv_(c, 4);
	return v;
}

static inline uint64_t
ds_be64(struct ds_cur *c)
{
	uint64_t hi, lo;

	if (!ds_need(c, 8))
		return 0;
	hi = ds_be32(c);
	lo = ds_be32(c);
	return hi << 32 | lo;
}

static inline uint16_t
ds_le16(struct ds_cur *c)
{
	uint16_t v;

	if (!ds_need(c, 2))
		return 0;
	v = (uint16_t)((uint16_t)c->p[1] << 8 | c->p[0]);
	ds_adv_(c, 2);
	return v;
}

static inline uint32_t
ds_le32(struct ds_cur *c)
{
	uint32_t v;

	if (!ds_need(c, 4))
		return 0;
	v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	    (uint32_t)c->p[1] << 8 | c->p[0];
	ds_adv_(c, 4);
	return v;
}

/* Copies n bytes out; on failure out is zeroed and p stays. */
static inline bool
ds_copy(struct ds_cur *c, void *out, size_t n)
{
	if (!ds_need(c, n)) {
		memset(out, 0, n);
		return false;
	}
	memcpy(out, c->p, n);
	ds_adv_(c, n);
	return true;
}

/* Borrows the next n bytes. */
static inline bool
ds_take(struct ds_cur *c, size_t n, struct ds_view *v)
{
	if (!ds_need(c, n)) {
		v->p = NULL;
		v->len = 0;
		return false;
	}
	v->p = c->p;
	v->len = n;
	ds_adv_(c, n);
	return true;
}

static inline bool
ds_skip(struct ds_cur *c, size_t n)
{
	if (!ds_need(c, n))
		return false;
	ds_adv_(c, n);
	return true;
}

/* Looks at the next n bytes without consuming them; does not set err. */
static inline bool
ds_peek(const struct ds_cur *c, size_t n, struct ds_view *v)
{
	if (c->err != DS_OK || n > c->cap)
		return false;
	v->p = c->p;
	v->len = n;
	return true;
}

/*
 * Borrows the last n claimed bytes (ICVs, the ESP trailer) and shortens the
 * cursor so that they are no longer part of it.
 */
static inline bool
ds_take_tail(struct ds_cur *c, size_t n, struct ds_view *v)
{
	v->p = NULL;
	v->len = 0;
	if (c->err != DS_OK)
		return false;
	if (n > c->rep) {
		c->err = DS_EMALFORMED;
		return false;
	}
	if (c->cap < c->rep) {		/* the tail was not captured */
		c->err = DS_ETRUNC;
		return false;
	}
	c->rep -= n;
	c->cap = c->rep;
	v->p = c->p + c->cap;
	v->len = n;
	return true;
}

/* Whatever is captured from p on, consumed. */
static inline struct ds_view
ds_rest(struct ds_cur *c)
{
	struct ds_view v = { c->p, c->cap };

	if (c->err != DS_OK) {
		v.len = 0;
		return v;
	}
	c->p += c->cap;
	c->rep -= c->cap;
	c->cap = 0;
	return v;
}

/*
 * A child cursor over the next n claimed bytes, for a length field.  The
 * parent moves past them (only as far as was captured; what is missing
 * stays owed in rep).  Fails, unmoved, when n exceeds the claim.
 */
static inline bool
ds_sub(struct ds_cur *c, size_t n, struct ds_cur *child)
{
	size_t got;

	if (c->err != DS_OK) {
		*child = ds_cur_make(c->p, 0, 0);
		child->err = c->err;
		return false;
	}
	if (n > c->rep) {
		c->err = DS_EMALFORMED;
		*child = ds_cur_make(c->p, 0, 0);
		child->err = DS_EMALFORMED;
		return false;
	}
	got = n < c->cap ? n : c->cap;
	*child = ds_cur_make(c->p, got, n);
	c->p += got;
	c->cap -= got;
	c->rep -= n;
	return true;
}

/*
 * Shrinks the claim to n bytes (a length field smaller than the container,
 * e.g. IPv4 total length under Ethernet padding).  Fails, unchanged, when n
 * exceeds it.
 */
static inline bool
ds_limit(struct ds_cur *c, size_t n)
{
	if (c->err != DS_OK)
		return false;
	if (n > c->rep) {
		c->err = DS_EMALFORMED;
		return false;
	}
	c->rep = n;
	if (c->cap > n)
		c->cap = n;
	return true;
}

#endif
