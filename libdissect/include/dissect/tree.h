/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A tree of named fields, built in the frame arena by dissectors whose
 * content has too many shapes for a fixed struct (IKE payloads), and
 * rendered by the sinks (-vv text, JSON) without knowing the protocol.
 * Names are static strings and are the JSON keys: add, never rename.
 */
#ifndef DISSECT_TREE_H
#define DISSECT_TREE_H

#include "dissect/frame.h"

enum ds_fkind {
	DS_FK_U64,
	DS_FK_HEX,	/* "0x..." with `digits` hex digits */
	DS_FK_STR,
	DS_FK_BYTES,	/* hex string */
	DS_FK_ADDR,
	DS_FK_FLAG,
	DS_FK_OBJ,	/* named children */
	DS_FK_LIST,	/* unnamed children (their names are ignored) */
};

struct ds_field {
	const char	*name;
	uint8_t		 kind;		/* enum ds_fkind */
	uint8_t		 digits;
	union {
		uint64_t	 u;
		const char	*s;	/* static or in the arena */
		struct ds_view	 b;	/* borrowed from the frame or arena */
		struct ds_addr	 a;
		bool		 f;
	} v;
	struct ds_field	*child, *tail;	/* OBJ and LIST */
	struct ds_field	*next;
};

/*
 * Each appends to `parent` (an OBJ or LIST) and returns the new field, or
 * NULL when the arena is exhausted (the caller may ignore it: appending
 * to a NULL parent does nothing).
 */
struct ds_field	*ds_tree_root(struct ds_frame *, enum ds_fkind);
struct ds_field	*ds_tree_obj(struct ds_frame *, struct ds_field *parent,
		    const char *name);
struct ds_field	*ds_tree_list(struct ds_frame *, struct ds_field *parent,
		    const char *name);
struct ds_field	*ds_tree_u64(struct ds_frame *, struct ds_field *parent,
		    const char *name, uint64_t);
struct ds_field	*ds_tree_hex(struct ds_frame *, struct ds_field *parent,
		    const char *name, uint64_t, unsigned digits);
struct ds_field	*ds_tree_str(struct ds_frame *, struct ds_field *parent,
		    const char *name, const char *);
/* A string formatted into the arena. */
struct ds_field	*ds_tree_strf(struct ds_frame *, struct ds_field *parent,
		    const char *name, const char *fmt, ...) DS_PRINTF(4, 5);
struct ds_field	*ds_tree_bytes(struct ds_frame *, struct ds_field *parent,
		    const char *name, struct ds_view);
struct ds_field	*ds_tree_addr(struct ds_frame *, struct ds_field *parent,
		    const char *name, const struct ds_addr *);
struct ds_field	*ds_tree_flag(struct ds_frame *, struct ds_field *parent,
		    const char *name, bool);

#endif
