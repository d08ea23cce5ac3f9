/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JSON lines: one object per frame, then one summary object.  The schema is
 * documented in docs/json.md and is stable: fields are added, never renamed.
 * Output is deterministic: fixed key order, lowercase hex, no clock of ours.
 */
#include <stdlib.h>
#include <time.h>

#include "dissect/buf.h"
#include "dissect/keyring.h"
#include "dissect/sink.h"
#include "dissect/tree.h"
#include "fields.h"
#include "ike_summary.h"

/* A frame's object must fit: 256 KiB captured can become 512 KiB of hex. */
#define JSON_BUF	(2 * 1024 * 1024)

struct json_st {
	FILE			*out;
	struct ds_sink_opts	 opts;
	struct ds_buf		 b;
	bool			 first;		/* no comma before the next field */
	int64_t			 tsec;		/* cached "time" second */
	char			 tstr[24];
	char			*mem;
};

static void
key(struct json_st *s, const char *name)
{
	if (!s->first)
		ds_buf_putc(&s->b, ',');
	s->first = false;
	ds_buf_putc(&s->b, '"');
	ds_buf_puts(&s->b, name);
	ds_buf_puts(&s->b, "\":");
}

static void
f_u64(void *st, const char *name, uint64_t v)
{
	struct json_st *s = st;

	key(s, name);
	ds_buf_u64(&s->b, v);
}

static void
f_hex(void *st, const char *name, uint64_t v, unsigned digits)
{
	struct json_st *s = st;

	key(s, name);
	ds_buf_puts(&s->b, "\"0x");
	ds_buf_hex(&s->b, v, digits);
	ds_buf_putc(&s->b, '"');
}

static void
f_str(void *st, const char *name, const char *v)
{
	struct json_st *s = st;

	key(s, name);
	ds_buf_json_str(&s->b, v);
}

static void
f_addr(void *st, const char *name, const struct ds_addr *a)
{
	struct json_st *s = st;

	key(s, name);
	ds_buf_putc(&s->b, '"');
	ds_buf_addr(&s->b, a);
	ds_buf_putc(&s->b, '"');
}

static void
f_bytes(void *st, const char *name, const uint8_t *p, size_t n)
{
	struct json_st *s = st;

	key(s, name);
	ds_buf_putc(&s->b, '"');
	ds_buf_hexbytes(&s->b, p, n);
	ds_buf_putc(&s->b, '"');
}

static void
f_flag(void *st, const char *name, bool v)
{
	struct json_st *s = st;

	key(s, name);
	ds_buf_puts(&s->b, v ? "true" : "false");
}

static void
f_list(void *st, const char *name, const uint8_t *p, size_t n)
{
	struct json_st *s = st;
	size_t i;

	key(s, name);
	ds_buf_putc(&s->b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			ds_buf_putc(&s->b, ',');
		ds_buf_u64(&s->b, p[i]);
	}
	ds_buf_putc(&s->b, ']');
}

#define TREE_DEPTH	16	/* decoders build far less; a guard */

static void put_tree(struct json_st *, const struct ds_field *, unsigned);

/* The value of one field (its key, if any, is already written). */
static void
put_tree_value(struct json_st *s, const struct ds_field *n, unsigned depth)
{
	switch (n->kind) {
	case DS_FK_U64:
		ds_buf_u64(&s->b, n->v.u);
		break;
	case DS_FK_HEX:
		ds_buf_puts(&s->b, "\"0x");
		ds_buf_hex(&s->b, n->v.u, n->digits);
		ds_buf_putc(&s->b, '"');
		break;
	case DS_FK_STR:
		ds_buf_json_str(&s->b, n->v.s);
		break;
	case DS_FK_BYTES:
		ds_buf_putc(&s->b, '"');
		ds_buf_hexbytes(&s->b, n->v.b.p, n->v.b.len);
		ds_buf_putc(&s->b, '"');
		break;
	case DS_FK_ADDR:
		ds_buf_putc(&s->b, '"');
		ds_buf_addr(&s->b, &n->v.a);
		ds_buf_putc(&s->b, '"');
		break;
	case DS_FK_FLAG:
		ds_buf_puts(&s->b, n->v.f ? "true" : "false");
		break;
	case DS_FK_OBJ:
	case DS_FK_LIST:
		put_tree(s, n, depth + 1);
		break;
	}
}

static void
put_tree(struct json_st *s, const struct ds_field *n, unsigned depth)
{
	const struct ds_field *c;
	bool obj = n->kind == DS_FK_OBJ;

	ds_buf_putc(&s->b, obj ? '{' : '[');
	if (depth < TREE_DEPTH)
		for (c = n->child; c != NULL; c = c->next) {
			if (c != n->child)
				ds_buf_putc(&s->b, ',');
			if (obj) {
				ds_buf_json_str(&s->b, c->name);
				ds_buf_putc(&s->b, ':');
			}
			put_tree_value(s, c, depth);
		}
	ds_buf_putc(&s->b, obj ? '}' : ']');
}

static const struct ds_fields_ops json_fields = {
	f_u64, f_hex, f_str, f_addr, f_bytes, f_flag, f_list,
};

static enum ds_err
json_open(void **stp, FILE *out, const struct ds_sink_opts *o)
{
	struct json_st *s;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->mem = malloc(JSON_BUF)) == NULL) {
		free(s);
		return DS_ENOMEM;
	}
	s->out = out;
	s->opts = *o;
	s->tsec = INT64_MIN;
	ds_buf_init(&s->b, s->mem, JSON_BUF);
	*stp = s;
	return DS_OK;
}

/* ISO 8601 UTC, cached per second. */
static const char *
utc_str(struct json_st *s, int64_t sec)
{
	struct tm tm;
	time_t t = (time_t)sec;

	if (sec != s->tsec) {
		s->tsec = sec;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(s->tstr, sizeof s->tstr, "%Y-%m-%dT%H:%M:%S",
		    &tm) == 0)
			s->tstr[0] = '\0';
	}
	return s->tstr;
}

static void
put_notes(struct json_st *s, const struct ds_frame *f)
{
	unsigned i;

	if (f->nnotes == 0)
		return;
	key(s, "notes");
	ds_buf_putc(&s->b, '[');
	for (i = 0; i < f->nnotes; i++) {
		const struct ds_note *n = &f->note[i];
		enum ds_note_class c = ds_note_class(n->code);

		if (i > 0)
			ds_buf_putc(&s->b, ',');
		ds_buf_putc(&s->b, '{');
		s->first = true;
		f_str(s, "code", ds_note_name(n->code));
		f_str(s, "class", c == DS_NC_TRUNC ? "truncated" :
		    c == DS_NC_MALFORMED ? "malformed" : "info");
		if (n->layer != 0xff)
			f_u64(s, "layer", n->layer);
		f_str(s, "text", ds_note_text(n->code));
		ds_buf_putc(&s->b, '}');
	}
	ds_buf_putc(&s->b, ']');
	s->first = false;
	if (f->notes_lost > 0)
		f_u64(s, "notes_lost", f->notes_lost);
}

static enum ds_err
json_frame(void *st, const struct ds_frame *f)
{
	struct json_st *s = st;
	bool keyed = ds_frame_keyed(f);
	unsigned i;

	if (!ds_frame_is_shown(f, &s->opts))
		return DS_OK;
	ds_buf_putc(&s->b, '{');
	s->first = true;
	f_u64(s, "frame", f->index);
	key(s, "ts_sec");
	ds_buf_i64(&s->b, f->ts_sec);
	f_u64(s, "ts_nsec", f->ts_nsec);
	key(s, "time");
	ds_buf_putc(&s->b, '"');
	ds_buf_puts(&s->b, utc_str(s, f->ts_sec));
	ds_buf_putc(&s->b, '.');
	ds_buf_u64w(&s->b, f->ts_nsec, 9);
	ds_buf_puts(&s->b, "Z\"");
	f_u64(s, "caplen", f->caplen);
	f_u64(s, "wirelen", f->wirelen);
	f_u64(s, "linktype", (uint64_t)f->linktype);
	if (f->ifindex != 0)
		f_u64(s, "interface", f->ifindex);
	f_str(s, "class", ds_frame_class_name(f->fclass));
	if (f->is_truncated)
		f_flag(s, "truncated", true);
	if (f->is_malformed)
		f_flag(s, "malformed", true);
	key(s, "layers");
	ds_buf_putc(&s->b, '[');
	for (i = 0; i < f->nlayers; i++) {
		const struct ds_layer *l = &f->layer[i];

		if (i > 0)
			ds_buf_putc(&s->b, ',');
		ds_buf_putc(&s->b, '{');
		s->first = true;
		f_str(s, "proto", ds_proto_name(l->proto));
		if (l->depth > 0)
			f_u64(s, "depth", l->depth);
		if (l->quoted)
			f_flag(s, "quoted", true);
		ds_fields_layer(l, &json_fields, s);
		if (keyed)
			ds_fields_sa(l, &json_fields, s);
		if ((l->proto == DS_P_ISAKMP || l->proto == DS_P_IKEV2) &&
		    l->u.ike.payloads != NULL) {
			key(s, "payloads");
			put_tree(s, l->u.ike.payloads, 0);
		}
		ds_buf_putc(&s->b, '}');
	}
	ds_buf_putc(&s->b, ']');
	s->first = false;
	put_notes(s, f);
	ds_buf_puts(&s->b, "}\n");
	if ((s->opts.flush_each || s->b.len > JSON_BUF / 4) &&
	    (!ds_buf_flush(&s->b, s->out) ||
	    (s->opts.flush_each && fflush(s->out) != 0)))
		return DS_EIO;
	return DS_OK;
}

static void
obj_begin(struct json_st *s, const char *name)
{
	key(s, name);
	ds_buf_putc(&s->b, '{');
	s->first = true;
}

static void
obj_end(struct json_st *s)
{
	ds_buf_putc(&s->b, '}');
	s->first = false;
}

/*
 * The per-SA rows: "sas" (flushed as they go, as there may be thousands),
 * then "decrypted".
 */
static void
put_sas(struct json_st *s, const struct ds_stats *t)
{
	const struct ds_sa_stat *r;
	unsigned i, k;

	key(s, "sas");
	ds_buf_putc(&s->b, '[');
	for (i = 0; i < t->n_sa; i++) {
		r = &t->sa[i];
		if (i > 0)
			ds_buf_putc(&s->b, ',');
		ds_buf_putc(&s->b, '{');
		s->first = true;
		f_str(s, "proto", r->proto == DS_IPPROTO_AH ? "ah" : "esp");
		f_hex(s, "spi", r->spi, 8);
		f_u64(s, "sa_id", r->sa_id);
		if (r->label != NULL)
			f_str(s, "sa", r->label);
		f_u64(s, "frames", r->frames);
		obj_begin(s, "status");
		for (k = 0; k < DS_SAS_COUNT_; k++)
			f_u64(s, ds_sa_status_name(k), r->status[k]);
		obj_end(s);
		obj_begin(s, "icv");
		for (k = 0; k < DS_NELEM(r->icv); k++)
			f_u64(s, ds_icv_name(k), r->icv[k]);
		obj_end(s);
		f_u64(s, "replayed", r->replayed);
		f_flag(s, "esn", r->esn);
		f_u64(s, "seq_max", r->seq_max);
		ds_buf_putc(&s->b, '}');
		if (s->b.len > JSON_BUF / 4)
			(void)ds_buf_flush(&s->b, s->out);
	}
	ds_buf_putc(&s->b, ']');
	s->first = false;
	if (t->sa_rows_lost > 0)
		f_u64(s, "sa_rows_lost", t->sa_rows_lost);
	f_u64(s, "decrypted", t->esp_decrypted);
}

/*
 * The IKE SA list can outgrow the frame buffer (a few KiB per SA): it is
 * built in a buffer of its own, sized by the number of SAs.
 */
static void
put_ike_sas(struct json_st *s, const struct ds_ike_table *ike)
{
	size_t cap = ((size_t)ds_ike_table_count(ike) + 1) * 16384;
	struct ds_buf b;
	char *mem;

	key(s, "ike_sas");
	if ((mem = malloc(cap)) == NULL) {
		ds_buf_puts(&s->b, "null");
		return;
	}
	ds_buf_init(&b, mem, cap);
	ds_ike_summary_json(&b, ike);
	if (b.lost) {
		ds_buf_puts(&s->b, "null");
	} else {
		(void)ds_buf_flush(&s->b, s->out);
		(void)ds_buf_flush(&b, s->out);
	}
	free(mem);
}

static enum ds_err
json_close(void *st, const struct ds_stats *t, const char *error)
{
	static const char *const ev[DS_FRAG_EV_COUNT_] = {
		"timeout", "memory", "pending", "end_of_capture",
	};
	struct json_st *s = st;
	enum ds_err e = DS_OK;
	unsigned i;

	if (t != NULL) {
		ds_buf_putc(&s->b, '{');
		s->first = true;
		f_flag(s, "summary", true);
		f_u64(s, "frames", t->frames);
		f_u64(s, "bytes", t->bytes);
		obj_begin(s, "classes");
		for (i = 0; i < DS_FC_COUNT_; i++)
			f_u64(s, ds_frame_class_name(i), t->fclass[i]);
		obj_end(s);
		obj_begin(s, "protocols");
		for (i = 0; i < DS_P_COUNT_; i++)
			if (t->proto[i] > 0)
				f_u64(s, ds_proto_name(i), t->proto[i]);
		obj_end(s);
		f_u64(s, "esp_in_udp", t->esp_in_udp);
		f_u64(s, "ike_non_esp_marker", t->ike_non_esp_marker);
		f_u64(s, "nat_keepalive", t->nat_keepalive);
		f_u64(s, "icmp_quoting_ipsec", t->icmp_quoting_ipsec);
		f_u64(s, "truncated", t->truncated);
		f_u64(s, "malformed", t->malformed);
		key(s, "unsupported_link_types");
		ds_buf_putc(&s->b, '[');
		for (i = 0; i < t->n_unsupp_link; i++) {
			if (i > 0)
				ds_buf_putc(&s->b, ',');
			ds_buf_putc(&s->b, '{');
			s->first = true;
			f_u64(s, "linktype", t->unsupp_link_type[i]);
			f_u64(s, "frames", t->unsupp_link_count[i]);
			ds_buf_putc(&s->b, '}');
		}
		ds_buf_putc(&s->b, ']');
		s->first = false;
		obj_begin(s, "fragments");
		f_u64(s, "seen", t->frag_fragments);
		f_u64(s, "reassembled", t->frag_reassembled);
		f_u64(s, "overlap", t->frag_overlap);
		f_u64(s, "dropped", t->frag_dropped);
		obj_begin(s, "evicted");
		for (i = 0; i < DS_FRAG_EV_COUNT_; i++)
			f_u64(s, ev[i], t->frag_evicted[i]);
		obj_end(s);
		f_u64(s, "evicted_fragments", t->frag_evicted_frags);
		obj_end(s);
		if (t->ipcomp_inflated > 0)
			f_u64(s, "ipcomp_inflated", t->ipcomp_inflated);
		if (t->has_keyring)	/* without keys, as it was */
			put_sas(s, t);
		if (t->ike != NULL)
			put_ike_sas(s, t->ike);
		if (error != NULL)
			f_str(s, "capture_error", error);
		ds_buf_puts(&s->b, "}\n");
	}
	if (!ds_buf_flush(&s->b, s->out) || fflush(s->out) != 0)
		e = DS_EIO;
	free(s->mem);
	free(s);
	return e;
}

const struct ds_sink_ops ds_sink_json = {
	"json", json_open, json_frame, json_close,
};
