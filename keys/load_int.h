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

#endif
