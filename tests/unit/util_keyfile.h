/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the key-file loader tests: test data, loading, lookups. */
#ifndef TESTS_UNIT_UTIL_KEYFILE_H
#define TESTS_UNIT_UTIL_KEYFILE_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

/* A file under tests/data/, read whole and NUL-terminated. */
static inline char *
tk_slurp(const char *rel, size_t *len)
{
	const char *top = getenv("IPSEC_TOP");
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s/tests/data/%s", top ? top : ".", rel);
	cr_assert_not_null(f = fopen(path, "rb"), "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	cr_assert_not_null(buf = malloc((size_t)n + 1));
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Loads text in one format into a new store; ei gets the error. */
static inline struct ks_store *
tk_load(const char *name, const char *text, size_t len, enum ks_format fmt,
    enum ds_err *e, struct ds_errinfo *ei)
{
	struct ks_store *ks = ks_store_new();

	cr_assert_not_null(ks);
	memset(ei, 0, sizeof *ei);
	*e = ks_store_load_buf(ks, name, text, len, fmt, ei);
	return ks;
}

/* Loads a file of tests/data/ after checking its format is detected. */
static inline struct ks_store *
tk_load_file(const char *rel, const char *name, enum ks_format fmt,
    enum ds_err *e, struct ds_errinfo *ei)
{
	struct ks_store *ks;
	size_t len;
	char *t = tk_slurp(rel, &len);

	cr_assert_eq(ks_detect_format(t, len), fmt, "%s", rel);
	ks = tk_load(name, t, len, KS_FMT_AUTO, e, ei);
	free(t);
	return ks;
}

/*
 * Each prefix of a valid text: a clean "cut..." error or at most want
 * SAs; the whole text gives exactly want.  Each prefix is copied to a
 * buffer of its size, so that AddressSanitizer sees reads past it.
 */
static inline void
tk_every_prefix(const char *text, size_t len, enum ks_format fmt,
    size_t want)
{
	size_t n;

	for (n = 0; n <= len; n++) {
		struct ds_errinfo ei;
		struct ks_store *ks;
		enum ds_err e;
		char *cut = malloc(n + 1);

		cr_assert_not_null(cut);
		memcpy(cut, text, n);
		ks = tk_load("cut", cut, n, fmt, &e, &ei);
		if (e == DS_OK)
			cr_assert_leq(ks_store_count(ks), want);
		else
			cr_assert(strncmp(ei.msg, "cut", 3) == 0, "%zu: %s",
			    n, ei.msg);
		if (n == len)
			cr_assert_eq(ks_store_count(ks), want, "%s", ei.msg);
		ks_store_free(ks);
		free(cut);
	}
}

/* Index of the SA with this SPI, or -1. */
static inline long
tk_find_spi(const struct ks_store *ks, uint32_t spi, struct ks_sa_info *in)
{
	size_t i;

	for (i = 0; ks_store_sa(ks, i, in); i++)
		if (!in->spi_any && in->spi == spi)
			return (long)i;
	return -1;
}

/* The SA's keys as lowercase hex. */
static inline void
tk_keys(const struct ks_store *ks, long i, char *enc, char *integ)
{
	ks_store_sa_keys(ks, (size_t)i, enc, 2 * KS_KEY_MAX + 1, integ,
	    2 * KS_KEY_MAX + 1);
}

#endif
