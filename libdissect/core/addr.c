/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 and IPv6 addresses: comparison and text (RFC 5952 for IPv6). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dissect/base.h"

char *
ds_addr_fmt(const struct ds_addr *a, char *buf, size_t len)
{
	const char *r = NULL;

	if (len == 0)
		return buf;
	if (a->family == DS_AF_INET)
		r = inet_ntop(AF_INET, a->a, buf, (socklen_t)len);
	else if (a->family == DS_AF_INET6)
		r = inet_ntop(AF_INET6, a->a, buf, (socklen_t)len);
	else
		r = (snprintf(buf, len, "*"), buf);
	if (r == NULL)
		buf[0] = '\0';
	return buf;
}

bool
ds_addr_eq(const struct ds_addr *x, const struct ds_addr *y)
{
	if (x->family != y->family)
		return false;
	return memcmp(x->a, y->a, x->family == DS_AF_INET ? 4 : 16) == 0;
}
