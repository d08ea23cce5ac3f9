/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipsec-keys: load key files (any format of docs/keys.md) and list the SAs
 * they hold, one line or JSON object each; keys hidden unless --show-keys.
 */
#include <getopt.h>
#include <stdio.h>

#include "common.h"

#define PROG		"ipsec-keys"

static int
usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [--show-keys] [--json] -K file ...\n");
	return f == stdout ? 0 : 2;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "show-keys",	no_argument,	NULL, 's' },
		{ "json",	no_argument,	NULL, 'j' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL,		0,		NULL, 0 },
	};
	struct ks_store *ks;
	size_t nfiles = 0;
	unsigned fl = CMD_KEYS_QUOTE;
	int c, rc = 0;

	if ((ks = cmd_keys_new(PROG)) == NULL)
		return 2;
	while (rc == 0 && (c = getopt_long(argc, argv, "K:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'K':	/* loaded at once: a bad file stops here */
			nfiles++;
			if (!cmd_keys_load(ks, PROG, optarg))
				rc = 2;
			break;
		case 's':
			fl |= CMD_KEYS_SHOW;
			break;
		case 'j':
			fl |= CMD_KEYS_JSON;
			break;
		default:
			ks_store_free(ks);
			return usage(c == 'h' ? stdout : stderr);
		}
	}
	if (rc == 0 && (optind != argc || nfiles == 0))
		rc = usage(stderr);
	if (rc == 0)
		cmd_keys_list(stdout, NULL, ks, fl);
	if (rc == 0 && ks_store_ike_count(ks) > 0 && (fl & CMD_KEYS_JSON))
		printf("{\"ike_key_sets\":%zu}\n", ks_store_ike_count(ks));
	else if (rc == 0 && ks_store_ike_count(ks) > 0)
		printf("ike: %zu IKE SA key set%s (for IKE decryption)\n",
		    ks_store_ike_count(ks), ks_store_ike_count(ks) == 1 ? "" :
		    "s");
	ks_store_free(ks);
	return rc;
}
