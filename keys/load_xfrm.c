/* SPDX-License-Identifier: BSD-2-Clause */
/* Key-file loader: xfrm (not written yet: recognises nothing). */
#include "load_int.h"

bool
ks_sniff_xfrm(const char *text, size_t len)
{
	(void)text;
	(void)len;
	return false;
}

enum ds_err
ks_load_xfrm(struct ks_store *ks, const char *name, const char *text,
    size_t len, struct ds_errinfo *ei)
{
	(void)ks;
	(void)text;
	(void)len;
	return DS_FAIL(ei, DS_EUNSUPP, "%s: format not supported yet", name);
}
