/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address matches of key files: one address, a prefix, octet wildcards
 * (Wireshark's "10.1.*.*") or anything ("*").
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

bool
ks_addr_match(const struct ks_addr_match *m, const struct ds_addr *a)
{
	size_t i, n;

	if (m->a.family == DS_AF_ANY)
		return true;
	if (a->family != m->a.family)
		return false;
	n = a->family == DS_AF_INET ? 4 : 16;
	for (i = 0; i < n; i++)
		if ((a->a[i] & m->mask[i]) != (m->a.a[i] & m->mask[i]))
			return false;
	return true;
}

static void
mask_prefix(uint8_t *mask, unsigned bits, size_t n)
{
	size_t i;

	memset(mask, 0, 16);
	for (i = 0; i < n && bits > 0; i++) {
		unsigned b = bits >= 8 ? 8 : bits;

		mask[i] = (uint8_t)(0xff00u >> b);
		bits -= b;
	}
}

/* "10.1.*.*": every "*" octet is a wildcard. */
static bool
parse_v4_wild(struct ks_addr_match *m, const char *s)
{
	unsigned i;

	for (i = 0; i < 4; i++) {
		char *end;
		unsigned long v;

		if (*s == '*') {
			m->a.a[i] = 0;
			m->mask[i] = 0;
			s++;
		} else {
			if (*s < '0' || *s > '9')
				return false;
			v = strtoul(s, &end, 10);
			if (v > 255 || end - s > 3)
				return false;
			m->a.a[i] = (uint8_t)v;
			m->mask[i] = 0xff;
			s = end;
		}
		if (i < 3 && *s++ != '.')
			return false;
	}
	return *s == '\0';
}

bool
ks_addr_match_parse(struct ks_addr_match *m, const char *str, size_t len)
{
	char buf[64], *slash;
	unsigned long bits;
	char *end;
	size_t n;

	memset(m, 0, sizeof *m);
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, str, len);
	buf[len] = '\0';
	if (strcmp(buf, "*") == 0 || strcmp(buf, "any") == 0)
		return true;
	/* RFC 4291 2.5.4 "::" with a zero prefix is also "any". */
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, m->a.a) == 1) {
		m->a.family = DS_AF_INET;
		n = 4;
	} else if (inet_pton(AF_INET6, buf, m->a.a) == 1) {
		m->a.family = DS_AF_INET6;
		n = 16;
	} else if (slash == NULL && strchr(buf, '*') != NULL) {
		m->a.family = DS_AF_INET;
		return parse_v4_wild(m, buf);
	} else
		return false;
	bits = n * 8;
	if (slash != NULL) {
		if (*slash < '0' || *slash > '9')
			return false;
		bits = strtoul(slash, &end, 10);
		if (*end != '\0' || bits > n * 8)
			return false;
	}
	mask_prefix(m->mask, (unsigned)bits, n);
	return true;
}
