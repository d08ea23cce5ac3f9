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
 * Tokens of tool output (keys/load_text.c): the next run of non-blank
 * characters; numbers in decimal or with 0x in hex.
 */
struct ks_tok {
	const char	*s;
	size_t		 len;
};
bool	ks_tok_next(const char **p, const char *end, struct ks_tok *);
bool	ks_tok_is(const struct ks_tok *, const char *word);
bool	ks_tok_u32(const struct ks_tok *, uint32_t *);
/* Copies the token as a C string, cut to size - 1 characters. */
void	ks_tok_copy(const struct ks_tok *, char *buf, size_t size);
bool	ks_text_starts(const char *s, size_t len, const char *word);
const char *ks_text_find(const char *s, size_t len, const char *word);

#endif
