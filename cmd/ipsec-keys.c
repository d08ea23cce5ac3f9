/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipsec-keys: load key files (any format of docs/keys.md) and list the SAs
 * they hold, one line or JSON object each; keys hidden unless --show-keys.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keys/keys.h"

#define PROG		"ipsec-keys"
#define NAME(a)		((a) != NULL ? (a)->name : "null")
#define Q(a)		((a) != NULL ? "\"" : "")

static void
warn(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, PROG ": warning: %s\n", msg);
}

static int
usage(FILE *f)
{
	fprintf(f, "usage: " PROG " [--show-keys] [--json] -K file ...\n");
	return f == stdout ? 0 : 2;
}

/* A JSON string: quote, backslash and control characters escaped. */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
print_key(const char *what, const char *hex, bool show, bool json)
{
	size_t n = strlen(hex) / 2;

	if (json) {
		printf(",\"%s_len\":%zu", what, n);
		if (show) {
			printf(",\"%s\":", what);
			json_str(hex);
		}
	} else if (n > 0 && show)
		printf(" %s=0x%s", what, hex);
	else if (n > 0)
		printf(" %s=<%zu bytes hidden>", what, n);
}

static void
print_sa(const struct ks_store *ks, size_t i, bool show, bool json)
{
	struct ks_sa_info in;
	char ek[2 * KS_KEY_MAX + 1], ik[2 * KS_KEY_MAX + 1], spi[16];
	const char *proto;
	unsigned window;

	if (!ks_store_sa(ks, i, &in))
		return;
	ks_store_sa_keys(ks, i, ek, sizeof ek, ik, sizeof ik);
	proto = in.proto == DS_IPPROTO_AH ? "ah" : "esp";
	window = in.replay_window != 0 ? in.replay_window : 64;	/* keys.h */
	if (in.spi_any)
		snprintf(spi, sizeof spi, "*");
	else
		snprintf(spi, sizeof spi, "0x%08x", in.spi);
	if (json) {
		printf("{\"proto\":\"%s\",\"spi\":\"%s\",\"src\":", proto, spi);
		json_str(in.src);
		printf(",\"dst\":");
		json_str(in.dst);
		printf(",\"enc\":%s%s%s", Q(in.enc), NAME(in.enc), Q(in.enc));
		print_key("enc_key", ek, show, true);
		printf(",\"integ\":%s%s%s", Q(in.integ), NAME(in.integ),
		    Q(in.integ));
		print_key("integ_key", ik, show, true);
		printf(",\"esn\":%s,\"replay_window\":%u,\"label\":",
		    in.esn ? "true" : "false", window);
		json_str(in.label);
		printf(",\"origin\":");
		json_str(in.origin);
		printf("}\n");
	} else {
		printf("%s spi=%s %s > %s enc=%s", proto, spi, in.src, in.dst,
		    in.enc != NULL ? in.enc->name : "-");
		print_key("enc-key", ek, show, false);
		printf(" integ=%s", in.integ != NULL ? in.integ->name : "-");
		print_key("integ-key", ik, show, false);
		printf(" esn=%s window=%u label=", in.esn ? "yes" : "no",
		    window);
		if (strpbrk(in.label, " \t\"\\") != NULL)
			json_str(in.label);	/* as the native format */
		else
			fputs(in.label, stdout);
		printf(" origin=%s\n", in.origin);
	}
	OPENSSL_cleanse(ek, sizeof ek);
	OPENSSL_cleanse(ik, sizeof ik);
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
	struct ds_errinfo ei = { 0 };
	struct ks_store *ks;
	size_t nfiles = 0, i;
	bool show = false, json = false;
	int c, rc = 0;

	if ((ks = ks_store_new()) == NULL)
		return 2;
	ks_store_set_warn(ks, warn, NULL);
	while (rc == 0 && (c = getopt_long(argc, argv, "K:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'K':	/* loaded at once: a bad file stops here */
			nfiles++;
			if (ks_store_load(ks, optarg, &ei) != DS_OK) {
				fprintf(stderr, PROG ": %s\n", ei.msg);
				rc = 2;
			}
			break;
		case 's':
			show = true;
			break;
		case 'j':
			json = true;
			break;
		default:
			ks_store_free(ks);
			return usage(c == 'h' ? stdout : stderr);
		}
	}
	if (rc == 0 && (optind != argc || nfiles == 0))
		rc = usage(stderr);
	for (i = 0; rc == 0 && i < ks_store_count(ks); i++)
		print_sa(ks, i, show, json);
	if (rc == 0 && ks_store_ike_count(ks) > 0 && json)
		printf("{\"ike_key_sets\":%zu}\n", ks_store_ike_count(ks));
	else if (rc == 0 && ks_store_ike_count(ks) > 0)
		printf("ike: %zu IKE SA key set%s (for IKE decryption)\n",
		    ks_store_ike_count(ks), ks_store_ike_count(ks) == 1 ? "" :
		    "s");
	ks_store_free(ks);
	return rc;
}
