/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address matches of key files, parsed and written back: one address, a
 * prefix, octet wildcards (Wireshark's "10.1.*.*"), IPv6 group or nibble
 * wildcards ("2001:db8:*::1", "fe80::1*") or anything ("*").  RFC 4291 2.2
 * (IPv6 text form).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_int.h"

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

/*
 * One group of an IPv6 wildcard address into 16 bits of value and mask:
 * "*" is the whole group; otherwise 1 to 4 digits, each a hex digit or a
 * "*" nibble, right-aligned as RFC 4291 2.2 aligns short groups.
 */
static bool
v6_group(const char *s, size_t n, uint16_t *val, uint16_t *mask)
{
	size_t i;
	int d;

	*val = 0;
	*mask = 0;
	if (n == 1 && s[0] == '*')
		return true;
	if (n == 0 || n > 4)
		return false;
	*mask = 0xffff;
	for (i = 0; i < n; i++) {
		unsigned sh = (unsigned)(n - 1 - i) * 4;

		if (s[i] == '*') {
			*mask &= (uint16_t)~(0xfu << sh);
			continue;
		}
		if ((d = ks_hex_digit(s[i])) < 0)
			return false;
		*val |= (uint16_t)(d << sh);
	}
	return true;
}

/* Groups of s (no "::" inside) into g[], at most max; count or -1. */
static int
v6_groups(const char *s, uint16_t *val, uint16_t *mask, int max)
{
	int n = 0;
	const char *c;

	if (*s == '\0')
		return 0;
	for (;;) {
		c = strchr(s, ':');
		if (n == max || !v6_group(s, c != NULL ? (size_t)(c - s) :
		    strlen(s), &val[n], &mask[n]))
			return -1;
		n++;
		if (c == NULL)
			return n;
		s = c + 1;
	}
}

/* "2001:db8:*::1": IPv6 with "*" groups or nibbles, at most one "::". */
static bool
parse_v6_wild(struct ks_addr_match *m, char *s)
{
	uint16_t hv[8], hm[8], tv[8], tm[8];
	char *dc;
	int nh, nt = 0, i;

	if ((dc = strstr(s, "::")) != NULL) {
		*dc = '\0';
		if ((nh = v6_groups(s, hv, hm, 7)) < 0 ||
		    (nt = v6_groups(dc + 2, tv, tm, 7 - nh)) < 0)
			return false;
	} else if ((nh = v6_groups(s, hv, hm, 8)) != 8)
		return false;
	memset(m->a.a, 0, sizeof m->a.a);
	memset(m->mask, 0xff, sizeof m->mask);
	for (i = 0; i < nh; i++) {
		m->a.a[2 * i] = (uint8_t)(hv[i] >> 8);
		m->a.a[2 * i + 1] = (uint8_t)hv[i];
		m->mask[2 * i] = (uint8_t)(hm[i] >> 8);
		m->mask[2 * i + 1] = (uint8_t)hm[i];
	}
	for (i = 0; i < nt; i++) {
		int g = 8 - nt + i;

		m->a.a[2 * g] = (uint8_t)(tv[i] >> 8);
		m->a.a[2 * g + 1] = (uint8_t)tv[i];
		m->mask[2 * g] = (uint8_t)(tm[i] >> 8);
		m->mask[2 * g + 1] = (uint8_t)tm[i];
	}
	for (i = 0; i < 16; i++)
		m->a.a[i] &= m->mask[i];
	m->a.family = DS_AF_INET6;
	return true;
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
	} else if (slash == NULL && strchr(buf, '*') != NULL &&
	    strchr(buf, ':') != NULL) {
		return parse_v6_wild(m, buf);
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

/* Bits of address the match pins down: 0 for "*", 32 or 128 for one host. */
unsigned
ks_addr_match_bits(const struct ks_addr_match *m)
{
	unsigned i, bits = 0;

	if (m->a.family == DS_AF_ANY)
		return 0;
	for (i = 0; i < 16; i++)
		bits += (unsigned)__builtin_popcount(m->mask[i]);
	return bits;
}

/* Wildcards as written: "10.*.0.1", "2001:db8:*:0:0:0:0:1", "fe80:...:1*". */
static void
fmt_wild(const struct ks_addr_match *m, size_t n, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	int k;

	buf[0] = '\0';
	for (i = 0; n == 4 && i < 4 && o < len; i++)
		o += (size_t)(m->mask[i] == 0 ? snprintf(buf + o, len - o,
		    "%s*", i ? "." : "") : snprintf(buf + o, len - o, "%s%u",
		    i ? "." : "", m->a.a[i]));
	for (i = 0; n == 16 && i < 16 && o + 6 < len; i += 2) {
		unsigned v = (unsigned)m->a.a[i] << 8 | m->a.a[i + 1];
		unsigned mk = (unsigned)m->mask[i] << 8 | m->mask[i + 1];
		bool lead = true;

		if (i > 0)
			buf[o++] = ':';
		if (mk == 0) {
			buf[o++] = '*';
			continue;
		}
		for (k = 3; k >= 0; k--) {
			unsigned nm = (mk >> (4 * k)) & 15;
			unsigned nv = (v >> (4 * k)) & 15;

			if (nm == 15 && nv == 0 && lead && k > 0)
				continue;
			lead = false;
			buf[o++] = nm == 15 ? hex[nv] : '*';
		}
		buf[o] = '\0';
	}
}

void
ks_addr_match_fmt(const struct ks_addr_match *m, char *buf, size_t len)
{
	uint8_t prefix[16];
	char a[DS_ADDR_STRLEN];
	size_t n, bits = ks_addr_match_bits(m);

	if (m->a.family == DS_AF_ANY) {
		snprintf(buf, len, "*");
		return;
	}
	n = m->a.family == DS_AF_INET ? 4 : 16;
	/* a prefix's mask is what "/bits" would have parsed to */
	mask_prefix(prefix, (unsigned)bits, n);
	if (memcmp(prefix, m->mask, n) != 0) {
		fmt_wild(m, n, buf, len);
		return;
	}
	ds_addr_fmt(&m->a, a, sizeof a);
	if (bits == n * 8)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s/%zu", a, bits);
}
