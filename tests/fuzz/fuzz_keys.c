/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the key-file loaders: ks_store_load_buf() on the
 * text with format detection and with each format forced, then a listing
 * of what was stored (as ipsec-keys prints it).
 *
 * Input format (tests/fuzz/seed.sh builds seeds in it):
 *
 *	byte 0	selector: value % KS_FMT_COUNT_ is the enum ks_format
 *		(0 detects the format from the text)
 *	byte 1-	the key file's text
 *
 * The text is copied into a buffer of exactly its size, so that
 * AddressSanitizer catches any read past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_errinfo ei = { 0 };
	struct ks_sa_info info;
	struct ks_store *ks;
	char ek[2 * KS_KEY_MAX + 1], ik[2 * KS_KEY_MAX + 1];
	char *text;
	enum ks_format f;
	size_t i;

	if (size < 1)
		return 0;
	f = (enum ks_format)(data[0] % KS_FMT_COUNT_);
	if ((text = malloc(size - 1 > 0 ? size - 1 : 1)) == NULL ||
	    (ks = ks_store_new()) == NULL)
		abort();	/* the harness, not the code under test */
	memcpy(text, data + 1, size - 1);
	ks_store_set_warn(ks, quiet, NULL);
	(void)ks_detect_format(text, size - 1);
	if (ks_store_load_buf(ks, "fuzz", text, size - 1, f, &ei) != DS_OK &&
	    (ei.msg[0] == '\0' || memchr(ei.msg, '\0', sizeof ei.msg) == NULL))
		abort();	/* a failure must say what is wrong */
	for (i = 0; ks_store_sa(ks, i, &info); i++)
		ks_store_sa_keys(ks, i, ek, sizeof ek, ik, sizeof ik);
	for (i = 0; ks_store_ike(ks, i) != NULL; i++)
		;
	ks_store_free(ks);
	free(text);
	return 0;
}
