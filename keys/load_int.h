/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The key-file loaders.  Each has a sniffer (does this text look like my
 * format?) and a loader that adds every SA it reads with ks_store_add()
 * and fails the file at the first bad line with
 * DS_FAIL(ei, DS_EFORMAT, "%s:%u: what is wrong", name, line).
 * Loaders never print secrets, and wipe every struct ks_sa_spec they fill.
 */
#ifndef KEYS_LOAD_INT_H
#define KEYS_LOAD_INT_H

#include "keys/keys.h"

#define KS_LOADER_LIST(X)						\
	X(KS_FMT_STRONGSWAN,	 "strongswan",	  strongswan)		\
	X(KS_FMT_XFRM,		 "xfrm",	  xfrm)			\
	X(KS_FMT_WIRESHARK_ESP,	 "wireshark-esp", wireshark_esp)	\
	X(KS_FMT_WIRESHARK_IKEV2, "wireshark-ikev2", wireshark_ikev2)	\
	X(KS_FMT_TCPDUMP,	 "tcpdump",	  tcpdump)		\
	X(KS_FMT_NATIVE,	 "native",	  native)

#define X(fmt, str, fn)							\
	bool ks_sniff_##fn(const char *text, size_t len);		\
	enum ds_err ks_load_##fn(struct ks_store *, const char *name,	\
	    const char *text, size_t len, struct ds_errinfo *);
KS_LOADER_LIST(X)
#undef X

/*
 * Line iteration shared by the loaders: next line of text (without the
 * newline, CR stripped), its 1-based number; false at the end.
 */
struct ks_lines {
	const char	*p, *end;
	unsigned	 lineno;
};
void	ks_lines_init(struct ks_lines *, const char *text, size_t len);
bool	ks_lines_next(struct ks_lines *, const char **line, size_t *len);

/*
 * Words and fields of a line (keys/load_util.c).  A token borrows the
 * text it was cut from.
 */
struct ks_tok {
	const char	*p;
	size_t		 len;
};
void	ks_tok_trim(struct ks_tok *);
/* Key files ignore case (ks_tok_eq); tool output is exact (ks_tok_is). */
bool	ks_tok_eq(const struct ks_tok *, const char *);
bool	ks_tok_is(const struct ks_tok *, const char *word);
/*
 * Copies into buf with a NUL, cut to len - 1 characters; false if it was
 * cut (or len is 0).
 */
bool	ks_tok_str(const struct ks_tok *, char *buf, size_t len);
/* Is the line empty, blanks only or a '#' comment? */
bool	ks_line_blank(const char *p, size_t len);
/*
 * Key files: cuts the next blank-separated word off line; a double-quoted
 * part (backslash escapes inside) stays in one word.  False at the end.
 */
bool	ks_word_next(struct ks_tok *line, struct ks_tok *word);
/*
 * Tool output (ip xfrm state, strongSwan logs): the next run of characters
 * other than space and tab from *p, quotes included; false (and an empty
 * token at end) when none is left.
 */
bool	ks_tok_next(const char **p, const char *end, struct ks_tok *);
/* "0x" hex or decimal, at most 32 bits. */
bool	ks_tok_u32(const struct ks_tok *, uint32_t *);
/* Does s start with word, does it hold word (exact, case counts)? */
bool	ks_text_starts(const char *s, size_t len, const char *word);
const char *ks_text_find(const char *s, size_t len, const char *word);
/* Hex key into s; NULL, or what is wrong (never the key itself). */
const char *ks_key_parse(struct ks_secret *s, const struct ks_tok *);
/* Canonical name, then aliases (IKEv2 IANA names like ENCR_AES_GCM_16). */
const struct ks_alg *ks_alg_lookup(const char *);
/*
 * Up to four canonical names close to s ("aes-cbc, aes-ctr"), true; or,
 * none being close, all names of that kind, false.
 */
bool	ks_alg_close(const char *s, bool integ, char *buf, size_t len);
/* Edit distance ignoring case; large for strings over 70 characters. */
size_t	ks_distance(const char *, const char *);
/*
 * The token as a message may show it: at most about 40 printable
 * characters, or a placeholder if it holds 8 hex digits in a row (a key
 * in the wrong place must not reach a message).
 */
const char *ks_tok_shown(const struct ks_tok *, char *buf, size_t len);
/* "where: unknown WHAT algorithm 's' (known: ...)" */
enum ds_err ks_fail_alg(struct ds_errinfo *, const char *where,
	    const char *what, const struct ks_tok *, bool integ);
/*
 * A Wireshark UAT line: comma-separated fields, strings double-quoted with
 * \xNN escapes, hex fields bare.  Decoded fields point into buf, which
 * may hold keys: ks_uat_wipe() it.
 */
#define KS_UAT_FIELDS_MAX	12
struct ks_uat {
	struct ks_tok	 f[KS_UAT_FIELDS_MAX];
	bool		 quoted[KS_UAT_FIELDS_MAX];
	size_t		 n;
	char		 buf[1024];
};
/* NULL, or what is wrong with the line. */
const char *ks_uat_split(struct ks_uat *, const char *p, size_t len);
void	ks_uat_wipe(struct ks_uat *);
/*
 * Every row of a UAT file, split, to row(); where is "path:line", origin
 * the same cut to fit a spec.  Stops at the first error.
 */
typedef enum ds_err (*ks_uat_row_fn)(struct ks_store *, struct ks_uat *,
	    const char *where, const char *origin, struct ds_errinfo *);
enum ds_err ks_uat_load(struct ks_store *, const char *name,
	    const char *text, size_t len, ks_uat_row_fn, struct ds_errinfo *);

/* The first line neither blank nor a comment, blanks trimmed. */
bool	ks_first_line(const char *text, size_t len, struct ks_tok *line);


/* A message prefix "path:line", the path whole. */
#define KS_WHERE_MAX	256
/*
 * ks_store_add(), its message starting with where rather than the
 * (possibly shortened) spec->origin.
 */
enum ds_err ks_add(struct ks_store *, const struct ks_sa_spec *,
	    const char *where, struct ds_errinfo *);
/*
 * "where: unknown WHAT algorithm 's' (closest: 'AES-CBC [RFC3602]')": tab
 * is n rows of stride bytes, each starting with its const char * name.
 */
enum ds_err ks_fail_closest(struct ds_errinfo *, const char *where,
	    const char *what, const struct ks_tok *, const void *tab, size_t n,
	    size_t stride);
/* "name:line" into an origin buffer, the path's start cut if too long. */
void	ks_origin(char *buf, size_t len, const char *name, unsigned line);

#endif
