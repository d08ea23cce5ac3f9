/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the key loaders of tool output: ip xfrm state and
 * strongSwan charon logs, through ks_store_load_buf().
 *
 * Input format (tests/fuzz/seed.sh builds seeds in it):
 *
 *	byte 0	selector:
 *		bit 0	strongSwan log, not ip xfrm state
 *		bit 1	format detection instead (KS_FMT_AUTO)
 *	byte 1-	the text
 *
 * The text is copied into a buffer of exactly its size, so that
 * AddressSanitizer catches any read past it.  Every SA added is listed
 * afterwards, as the tools do.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_errinfo ei;
	struct ks_sa_info info;
	struct ks_store *ks;
	enum ks_format fmt;
	char *text;
	size_t i;

	if (size < 1)
		return 0;
	fmt = data[0] & 2 ? KS_FMT_AUTO : data[0] & 1 ? KS_FMT_STRONGSWAN :
	    KS_FMT_XFRM;
	if ((text = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	if ((ks = ks_store_new()) == NULL) {
		free(text);
		return 0;
	}
	memset(&ei, 0, sizeof ei);
	(void)ks_detect_format(text, size - 1);
	if (ks_store_load_buf(ks, "fuzz", text, size - 1, fmt, &ei) == DS_OK)
		for (i = 0; ks_store_sa(ks, i, &info); i++)
			;
	ks_store_free(ks);
	free(text);
	return 0;
}
