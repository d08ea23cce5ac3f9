/* SPDX-License-Identifier: BSD-2-Clause */
/* Layers and notes of a frame. */
#include <string.h>

#include "dissect/dissect.h"
#include "arena.h"

static const char *const proto_names[] = {
#define X(sym, str)	[sym] = str,
	DS_PROTO_LIST(X)
#undef X
};

const char *
ds_proto_name(enum ds_proto p)
{
	if ((unsigned)p >= DS_NELEM(proto_names))
		return "?";
	return proto_names[p];
}

static const struct {
	const char		*name;
	const char		*text;
	enum ds_note_class	 cls;
} notes[] = {
#define X(sym, c, name, text)	[sym] = { name, text, DS_NC_##c },
	DS_NOTE_LIST(X)
#undef X
};

const char *
ds_note_name(enum ds_note_code c)
{
	return (unsigned)c < DS_N_COUNT_ ? notes[c].name : "?";
}

const char *
ds_note_text(enum ds_note_code c)
{
	return (unsigned)c < DS_N_COUNT_ ? notes[c].text : "?";
}

enum ds_note_class
ds_note_class(enum ds_note_code c)
{
	return (unsigned)c < DS_N_COUNT_ ? notes[c].cls : DS_NC_INFO;
}

void
ds_frame_note(struct ds_frame *f, enum ds_note_code code)
{
	struct ds_note *n;

	switch (ds_note_class(code)) {
	case DS_NC_TRUNC:
		f->is_truncated = true;
		break;
	case DS_NC_MALFORMED:
		f->is_malformed = true;
		break;
	case DS_NC_INFO:
		break;
	}
	if (f->nnotes == DS_MAX_NOTES) {
		f->notes_lost++;
		return;
	}
	n = &f->note[f->nnotes++];
	n->code = (uint16_t)code;
	n->layer = f->nlayers > 0 ? (uint8_t)(f->nlayers - 1) : 0xff;
	n->off = 0;
}

void
ds_frame_note_err(struct ds_frame *f, enum ds_err e)
{
	if (e == DS_ETRUNC)
		ds_frame_note(f, DS_N_TRUNCATED);
	else if (e != DS_OK)
		ds_frame_note(f, DS_N_MALFORMED);
}

struct ds_layer *
ds_frame_push(struct ds_frame *f, enum ds_proto proto, const uint8_t *p,
    size_t len)
{
	struct ds_layer *l;

	if (f->nlayers == DS_MAX_LAYERS) {
		if (!ds_frame_has_note(f, DS_N_TOO_DEEP))
			ds_frame_note(f, DS_N_TOO_DEEP);
		return NULL;
	}
	l = &f->layer[f->nlayers];
	memset(&l->u, 0, sizeof l->u);
	l->proto = proto;
	l->depth = f->depth;
	l->quoted = f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;
	l->bytes.p = p;
	l->bytes.len = len;
	f->nlayers++;
	return l;
}

struct ds_layer *
ds_frame_find(struct ds_frame *f, enum ds_proto proto)
{
	unsigned i;

	for (i = f->nlayers; i-- > 0;)
		if (f->layer[i].proto == proto)
			return &f->layer[i];
	return NULL;
}

const struct ds_layer *
ds_frame_find_const(const struct ds_frame *f, enum ds_proto proto)
{
	unsigned i;

	for (i = f->nlayers; i-- > 0;)
		if (f->layer[i].proto == proto)
			return &f->layer[i];
	return NULL;
}

bool
ds_frame_has_note(const struct ds_frame *f, enum ds_note_code code)
{
	unsigned i;

	for (i = 0; i < f->nnotes; i++)
		if (f->note[i].code == code)
			return true;
	return false;
}

void *
ds_frame_alloc(struct ds_frame *f, size_t n)
{
	return ds_arena_alloc(f->arena, n);
}

static const char *const sa_status_names[] = {
#define X(sym, str)	[sym] = str,
	DS_SA_STATUS_LIST(X)
#undef X
};

const char *
ds_sa_status_name(enum ds_sa_status s)
{
	return (unsigned)s < DS_SAS_COUNT_ ? sa_status_names[s] : "?";
}

const char *
ds_icv_name(enum ds_icv v)
{
	switch (v) {
	case DS_ICV_NONE:
		return "none";
	case DS_ICV_UNCHECKED:
		return "unchecked";
	case DS_ICV_GOOD:
		return "good";
	case DS_ICV_BAD:
		return "bad";
	}
	return "?";
}
