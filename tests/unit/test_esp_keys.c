/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ESP opened with the keystore's keyring, on published captures and their
 * published keys: the dissector's framing and the keystore's crypto
 * together (RFC 4303 3.4).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/capture.h"
#include "dissect/dissect.h"
#include "keys/keys.h"

struct run {
	uint64_t	 esp, ok, icv_bad, no_sa, other;
	uint64_t	 inner;		/* layers at depth > 0 */
	unsigned	 max_depth;
	const struct ds_stats *st;
};

static const char *
top_dir(void)
{
	const char *t = getenv("IPSEC_TOP");

	return t != NULL ? t : ".";
}

static void
tally(struct run *r, const struct ds_frame *f)
{
	unsigned i;

	for (i = 0; i < f->nlayers; i++) {
		const struct ds_layer *l = &f->layer[i];

		if (l->depth > 0)
			r->inner++;
		if (l->depth > r->max_depth)
			r->max_depth = l->depth;
		if (l->proto != DS_P_ESP || l->quoted)
			continue;
		r->esp++;
		switch (l->u.esp.status) {
		case DS_SAS_OK:
			r->ok++;
			break;
		case DS_SAS_ICV_FAILED:
			r->icv_bad++;
			break;
		case DS_SAS_NO_SA:
			r->no_sa++;
			break;
		default:
			r->other++;
			break;
		}
	}
}

/* Reads `cap` with the keys of `keys` (paths from tests/data/corpus). */
static struct ds_engine *
run_keyed(const char *cap, const char *keys, struct ks_store **ksp,
    struct ds_keyring *kr, struct run *r)
{
	struct ds_errinfo ei = { 0 };
	struct ds_engine_cfg cfg;
	struct ds_source *src;
	struct ds_engine *e;
	struct ds_pkt pkt;
	char path[4096];
	int rc;

	memset(r, 0, sizeof *r);
	cr_assert_not_null(*ksp = ks_store_new());
	snprintf(path, sizeof path, "%s/tests/data/corpus/%s", top_dir(),
	    keys);
	cr_assert_eq(ks_store_load(*ksp, path, &ei), DS_OK, "%s", ei.msg);
	*kr = ks_keyring(*ksp);
	ds_engine_cfg_default(&cfg);
	cfg.keyring = kr;
	cr_assert_not_null(e = ds_engine_new(&cfg));
	snprintf(path, sizeof path, "%s/tests/data/corpus/%s", top_dir(),
	    cap);
	src = ds_source_open_file(path, &ei);
	cr_assert_not_null(src, "%s", ei.msg);
	while ((rc = ds_source_next(src, &pkt, &ei)) == 1)
		tally(r, ds_engine_dissect(e, &pkt));
	cr_assert_geq(rc, 0, "%s", ei.msg);
	ds_engine_finish(e);
	ds_source_close(src);
	r->st = ds_engine_stats(e);
	return e;
}

/* `ok` packets opened, and every other ESP packet accounted for. */
static void
assert_counts(const struct run *r, uint64_t ok)
{
	cr_assert_eq(r->ok, ok, "ok %llu of %llu (bad %llu, no SA %llu, "
	    "other %llu)", (unsigned long long)r->ok,
	    (unsigned long long)r->esp, (unsigned long long)r->icv_bad,
	    (unsigned long long)r->no_sa, (unsigned long long)r->other);
	cr_assert_eq(r->ok + r->icv_bad + r->no_sa + r->other, r->esp);
}

static void
done(struct ds_engine *e, struct ks_store *ks)
{
	ds_engine_free(e);
	ks_store_free(ks);
}

Test(esp_keys, tcpdump_sunrise_sunset_3des_decrypts_every_packet)
{
	struct ks_store *ks;
	struct ds_keyring kr;
	struct ds_engine *e;
	struct run r;

	e = run_keyed("tcpdump/02-sunrise-sunset-esp.pcap",
	    "wsconf/tcpdump.02-sunrise-sunset-esp/esp_sa", &ks, &kr, &r);
	cr_assert_gt(r.esp, 0);
	assert_counts(&r, r.esp);
	cr_assert_gt(r.inner, 0);
	cr_assert_eq(r.st->esp_decrypted, r.esp);
	cr_assert_geq(r.st->n_sa, 1);
	cr_assert_neq(r.st->sa[0].sa_id, 0);
	done(e, ks);
}

/*
 * tcpdump's esp-secrets.txt gives SPI 0x12345678 another key than the one
 * its test passes on the command line: without an authentication key
 * nothing catches it but the padding check (RFC 4303 2.4), and no
 * plaintext is shown.
 */
Test(esp_keys, wrong_key_without_icv_is_caught_by_the_padding)
{
	struct ks_store *ks;
	struct ds_keyring kr;
	struct ds_engine *e;
	struct run r;

	e = run_keyed("tcpdump/espudp1.pcap", "tcpdump/esp-secrets.txt", &ks,
	    &kr, &r);
	cr_assert_eq(r.esp, 8);
	cr_assert_eq(r.ok, 0);
	cr_assert_eq(r.inner, 0, "nothing of the plaintext is dissected");
	cr_assert_eq(r.st->sa[0].status[DS_SAS_BAD_PADDING], 8);
	cr_assert_eq(r.st->sa[0].icv[DS_ICV_UNCHECKED], 8);
	cr_assert_eq(r.st->esp_decrypted, 0);
	done(e, ks);
}

Test(esp_keys, tcpdump_sunrise_sunset_aes_decrypts_every_packet)
{
	struct ks_store *ks;
	struct ds_keyring kr;
	struct ds_engine *e;
	struct run r;

	e = run_keyed("tcpdump/08-sunrise-sunset-aes.pcap",
	    "tcpdump/esp-secrets.txt", &ks, &kr, &r);
	cr_assert_gt(r.esp, 0);
	assert_counts(&r, r.esp);
	done(e, ks);
}

Test(esp_keys, wireshark_esp_in_esp_goes_two_deep)
{
	struct ks_store *ks;
	struct ds_keyring kr;
	struct ds_engine *e;
	struct run r;

	e = run_keyed("wireshark-wiki/ipsec_esp_capture_2/capture.pcap",
	    "wireshark-wiki/ipsec_esp_capture_2/esp_sa", &ks, &kr, &r);
	cr_assert_gt(r.ok, 0);
	assert_counts(&r, r.ok);
	cr_assert_eq(r.icv_bad, 0);
	cr_assert_geq(r.max_depth, 2, "depth %u", r.max_depth);
	done(e, ks);
}

Test(esp_keys, wireshark_gcm_ctr_cbc_decrypt)
{
	struct ks_store *ks;
	struct ds_keyring kr;
	struct ds_engine *e;
	struct run r;

	e = run_keyed("wireshark-wiki/ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc/"
	    "capture.pcapng",
	    "wireshark-wiki/ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc/esp_sa",
	    &ks, &kr, &r);
	cr_assert_gt(r.ok, 0);
	assert_counts(&r, r.ok);
	cr_assert_eq(r.ok, 24, "every ESP packet of the six SAs");
	cr_assert_eq(r.esp, 24);
	cr_assert_eq(r.st->n_sa, 6);
	cr_assert_eq(r.st->esp_decrypted, 24);
	done(e, ks);
}
