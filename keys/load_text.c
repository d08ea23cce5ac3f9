/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small text helpers shared by the loaders of tool output (ip xfrm state,
 * strongSwan logs): blank-separated tokens and numbers in them.
 */
#include <string.h>

#include "keys_int.h"
#include "load_int.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool
ks_tok_next(const char **p, const char *end, struct ks_tok *t)
{
	const char *s = *p;

	while (s < end && is_blank(*s))
		s++;
	t->p = s;
	while (s < end && !is_blank(*s))
		s++;
	t->len = (size_t)(s - t->p);
	*p = s;
	return t->len > 0;
}

bool
ks_tok_is(const struct ks_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && memcmp(t->p, word, n) == 0;
}

bool
ks_text_starts(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(s, word, n) == 0;
}

const char *
ks_text_find(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; n > 0 && i + n <= len; i++)
		if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
			return s + i;
	return NULL;
}

bool
ks_tok_u32(const struct ks_tok *t, uint32_t *v)
{
	uint64_t x = 0;
	size_t i = 0;
	unsigned base = 10;
	int d;

	if (t->len > 2 && t->p[0] == '0' && (t->p[1] == 'x' ||
	    t->p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == t->len)
		return false;
	for (; i < t->len; i++) {
		if ((d = ks_hex_digit(t->p[i])) < 0 || (unsigned)d >= base)
			return false;
		/* a number past 32 bits is a lie, not a wrap-around */
		if ((x = x * base + (unsigned)d) > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)x;
	return true;
}

void
ks_tok_copy(const struct ks_tok *t, char *buf, size_t size)
{
	size_t n = t->len < size - 1 ? t->len : size - 1;

	memcpy(buf, t->p, n);
	buf[n] = '\0';
}
