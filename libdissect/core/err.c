/* SPDX-License-Identifier: BSD-2-Clause */
/* Error codes and the human context attached to them at API boundaries. */
#include <stdarg.h>
#include <stdio.h>

#include "dissect/base.h"

const char *
ds_err_str(enum ds_err e)
{
	switch (e) {
	case DS_OK:		return "ok";
	case DS_ETRUNC:		return "truncated";
	case DS_EMALFORMED:	return "malformed";
	case DS_EFRAG:		return "needs reassembly";
	case DS_EUNSUPP:	return "unsupported";
	case DS_ENOKEY:		return "no key";
	case DS_EAUTH:		return "authentication failed";
	case DS_EREPLAY:	return "replayed";
	case DS_EDEPTH:		return "too deep";
	case DS_ENOMEM:		return "out of memory";
	case DS_EIO:		return "input/output error";
	case DS_ECRYPTO:	return "crypto library error";
	case DS_EUSAGE:		return "usage error";
	case DS_EFORMAT:	return "bad file format";
	}
	return "unknown error";
}

enum ds_err
ds_fail(struct ds_errinfo *ei, enum ds_err code, const char *where,
    const char *fmt, ...)
{
	va_list ap;

	if (ei == NULL)
		return code;
	ei->code = code;
	ei->where = where;
	va_start(ap, fmt);
	vsnprintf(ei->msg, sizeof ei->msg, fmt, ap);
	va_end(ap);
	return code;
}
