/* SPDX-License-Identifier: BSD-2-Clause */
/* Secrets: fixed-size holders that are wiped before they are let go. */
#include <string.h>

#include <openssl/crypto.h>

#include "keys_int.h"

void
ks_secret_set(struct ks_secret *s, const uint8_t *p, size_t len)
{
	if (len > sizeof s->p)
		len = sizeof s->p;
	memcpy(s->p, p, len);
	s->len = len;
}

void
ks_secret_wipe(struct ks_secret *s)
{
	OPENSSL_cleanse(s->p, sizeof s->p);
	s->len = 0;
}

int
ks_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
ks_secret_from_hex(struct ks_secret *s, const char *hex, size_t len)
{
	size_t i = 0, n = 0;
	int hi = -1, v;

	if (len >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		i = 2;
	for (; i < len; i++) {
		if (hex[i] == ':' || hex[i] == ' ') {
			if (hi >= 0)
				goto fail;	/* a separator splits an octet */
			continue;
		}
		if ((v = ks_hex_digit(hex[i])) < 0)
			goto fail;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == sizeof s->p)
			goto fail;
		s->p[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		goto fail;
	s->len = n;
	return true;
fail:
	ks_secret_wipe(s);
	return false;
}

void
ks_sa_spec_wipe(struct ks_sa_spec *sp)
{
	ks_secret_wipe(&sp->enc_key);
	ks_secret_wipe(&sp->integ_key);
}

void
ks_ike_spec_wipe(struct ks_ike_spec *sp)
{
	ks_secret_wipe(&sp->sk_ei);
	ks_secret_wipe(&sp->sk_er);
	ks_secret_wipe(&sp->sk_ai);
	ks_secret_wipe(&sp->sk_ar);
}
