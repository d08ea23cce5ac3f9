/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the unit tests: run bytes through the engine. */
#ifndef TESTS_UNIT_UTIL_H
#define TESTS_UNIT_UTIL_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "dissect/dissect.h"

/* Dissects `len` bytes (all captured) on `linktype` with a fresh engine. */
static inline const struct ds_frame *
t_dissect(struct ds_engine **e, int linktype, const uint8_t *p, size_t len)
{
	struct ds_pkt pkt = { p, (uint32_t)len, (uint32_t)len, 0, 0,
	    linktype, 0 };

	if (*e == NULL)
		*e = ds_engine_new(NULL);
	cr_assert_not_null(*e);
	return ds_engine_dissect(*e, &pkt);
}

/* The same, with only the first `caplen` bytes captured. */
static inline const struct ds_frame *
t_dissect_cut(struct ds_engine **e, int linktype, const uint8_t *p,
    size_t len, size_t caplen)
{
	struct ds_pkt pkt = { p, (uint32_t)caplen, (uint32_t)len, 0, 0,
	    linktype, 0 };

	if (*e == NULL)
		*e = ds_engine_new(NULL);
	cr_assert_not_null(*e);
	return ds_engine_dissect(*e, &pkt);
}

/* Layer protocols as "eth,ipv4,udp,esp" for compact assertions. */
static inline const char *
t_chain(const struct ds_frame *f, char *buf, size_t len)
{
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < f->nlayers && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
		    i ? "," : "", ds_proto_name(f->layer[i].proto));
	return buf;
}

#define T_ASSERT_CHAIN(f, want) do {					\
	char t_buf_[256];						\
	cr_assert_str_eq(t_chain((f), t_buf_, sizeof t_buf_), (want));	\
} while (0)

/*
 * Runs one dissector on `len` bytes (the first `caplen` captured) in a
 * frame set up as the engine sets one up, at capture time `ts`: for the
 * layers above the link, tested on their own.  The frame is valid until
 * the next call.
 */
typedef void (*t_dissect_fn)(struct ds_frame *, struct ds_cur *);

static inline const struct ds_frame *
t_dissect_at(struct ds_engine **e, t_dissect_fn fn, const uint8_t *p,
    size_t len, size_t caplen, int64_t ts)
{
	static struct ds_frame f;
	static struct ds_arena *a;
	struct ds_cur c;

	if (*e == NULL)
		*e = ds_engine_new(NULL);
	cr_assert_not_null(*e);
	if (a == NULL)
		a = ds_arena_new();
	cr_assert_not_null(a);
	ds_arena_reset(a);
	memset(&f, 0, sizeof f);
	f.index = 1;
	f.ts_sec = ts;
	f.caplen = (uint32_t)caplen;
	f.wirelen = (uint32_t)len;
	f.linktype = DS_LINKTYPE_RAW;
	f.data = p;
	f.eng = *e;
	f.arena = a;
	c = ds_cur_make(p, caplen, len);
	fn(&f, &c);
	return &f;
}

/* A frame as ds_engine_dissect() prepares it, with no layer yet. */
static inline void
t_frame_init(struct ds_frame *f, const uint8_t *p, size_t len)
{
	static struct ds_arena *a;

	if (a == NULL)
		a = ds_arena_new();
	cr_assert_not_null(a);
	ds_arena_reset(a);
	memset(f, 0, sizeof *f);
	f->arena = a;
	f->index = 1;
	f->caplen = (uint32_t)len;
	f->wirelen = (uint32_t)len;
	f->linktype = DS_LINKTYPE_RAW;
	f->data = p;
	f->fclass = DS_FC_UNDECODED;
}

/* The same with a stand-in top layer for the header carrying the next. */
static inline void
t_frame_under(struct ds_frame *f, enum ds_proto below, const uint8_t *p,
    size_t len)
{
	t_frame_init(f, p, len);
	cr_assert_not_null(ds_frame_push(f, below, p, len));
}

#endif
