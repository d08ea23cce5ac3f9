/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the IKEv1 (RFC 2408) and IKEv2 (RFC 7296) payload decoders share:
 * notes, named numbers, and distinguished names (ID_DER_ASN1_DN, RFC 7296
 * 3.5 and RFC 2407 4.6.2.1; certificate subjects) through OpenSSL.
 */
#include <limits.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "ike_int.h"

void
ike_dec_note(struct ike_dec *d, enum ds_note_code code)
{
	d->noted = true;
	if (!ds_frame_has_note(d->f, code))
		ds_frame_note(d->f, code);
}

void
ike_dec_trunc(struct ike_dec *d)
{
	d->noted = true;
	if (!d->f->is_truncated && !d->quoted)
		ds_frame_note(d->f, DS_N_TRUNCATED);
}

void
ike_dec_fail(struct ike_dec *d, const struct ds_cur *c, enum ds_note_code code)
{
	if (c->err == DS_ETRUNC)
		ike_dec_trunc(d);
	else if (c->err != DS_OK)
		ike_dec_note(d, code);
}

void
ike_dec_named(struct ike_dec *d, struct ds_field *o, const char *key,
    const char *namekey, uint64_t v, const char *name)
{
	(void)ds_tree_u64(d->f, o, key, v);
	if (name != NULL)
		(void)ds_tree_str(d->f, o, namekey, name);
}

/* Facts keep only whole values: a cut one must not look complete. */
bool
ike_dec_rest(struct ds_cur *c, struct ds_view *v)
{
	bool whole = c->cap == c->rep;

	*v = ds_rest(c);
	return whole && ds_ok(c);
}

bool
ike_dec_addr(struct ike_dec *d, struct ds_cur *c, struct ds_field *o,
    const char *key, size_t n)
{
	struct ds_addr a;

	memset(&a, 0, sizeof a);
	if (!ds_copy(c, a.a, n))
		return false;
	a.family = n == 4 ? DS_AF_INET : DS_AF_INET6;
	(void)ds_tree_addr(d->f, o, key, &a);
	return true;
}

bool
ike_dec_spi(struct ike_dec *d, struct ds_cur *c, struct ds_field *o,
    const char *key, size_t n, struct ds_view *out)
{
	struct ds_view v;
	struct ds_cur t;
	uint64_t s = 0;

	if (!ds_take(c, n, &v))
		return false;
	if (out != NULL)
		*out = v;
	if (n == 0)
		return true;
	if (n > 8) {
		(void)ds_tree_bytes(d->f, o, key, v);
		return true;
	}
	t = ds_cur_make(v.p, v.len, v.len);
	while (ds_left(&t) > 0)
		s = s << 8 | ds_u8(&t);
	(void)ds_tree_hex(d->f, o, key, s, (unsigned)(n * 2));
	return true;
}

const char *
ike_dec_x509_name(struct ike_dec *d, const X509_NAME *name)
{
	BIO *bio;
	char *mem, *s = NULL;
	long len;

	if (name == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (X509_NAME_print_ex(bio, name, 0,
	    XN_FLAG_ONELINE & ~XN_FLAG_SPC_EQ) >= 0 &&
	    (len = BIO_get_mem_data(bio, &mem)) >= 0 &&
	    (s = ds_frame_alloc(d->f, (size_t)len + 1)) != NULL) {
		if (len > 0)	/* an empty name leaves mem NULL */
			memcpy(s, mem, (size_t)len);
		s[len] = '\0';
	}
	BIO_free(bio);
	return s;
}

bool
ike_dec_dn(struct ike_dec *d, struct ds_field *o, const char *key,
    struct ds_view v)
{
	const unsigned char *p = v.p;
	X509_NAME *name;
	const char *s;

	if (v.len == 0 || v.len > LONG_MAX)
		return false;
	if ((name = d2i_X509_NAME(NULL, &p, (long)v.len)) == NULL)
		return false;
	s = ike_dec_x509_name(d, name);
	X509_NAME_free(name);
	if (s == NULL)
		return false;
	(void)ds_tree_str(d->f, o, key, s);
	return true;
}
