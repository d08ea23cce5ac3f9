/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Decryption against independent implementations.  Every ESP packet of
 * the keyed corpus captures (tests/data/decrypt-facts.tsv, reduced from
 * tshark 4.0, scapy 2.5.0, the corpus' cryptography cross-checks and the
 * strongSwan generator's facts) and of the scapy-made captures
 * (tests/data/gen/facts.tsv) is run through the keystore and the engine
 * with the key files as published, and compared packet by packet: whether
 * it was decrypted, the ICV verdict, the next header and inner IP header,
 * and a SHA-256 of the decrypted inner packet where the truth has one.
 * Where we differ from the reference on purpose, the exception table says
 * why.  RFC 4303 (ESP), RFC 4106/4309/4543/7634 (AEAD modes).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "dissect/capture.h"
#include "dissect/engine.h"
#include "keys/keys.h"

#define CORPUS_FACTS	"tests/data/decrypt-facts.tsv"
#define CORPUS_DIR	"tests/data/corpus"
#define GEN_FACTS	"tests/data/gen/facts.tsv"
#define GEN_DIR		"tests/data/gen"
#define MAX_IDS		128
#define MAX_ROWS	2048
#define MAX_ESP		4	/* ESP headers per frame (ESP in ESP) */
#define LINE_LEN	2048

enum dcol {
	D_ID, D_FILE, D_KEYS, D_FRAME, D_IDX, D_SPI, D_SEQ, D_DECRYPTED,
	D_ICV, D_INNER, D_SHA, D_TRUTH, D_TSHARK, D_COUNT_
};

/* One ESP packet as the reference implementation saw it. */
struct dfact {
	char		 file[160];
	char		 keys[512];
	uint64_t	 frame;
	unsigned	 idx;		/* ESP header of the frame, 0: outer */
	uint32_t	 spi;
	uint64_t	 seq;
	int		 decrypted;
	char		 icv[16];
	char		 inner[128];
	char		 sha[40];
	char		 truth[24];
};

/* What we made of one ESP header. */
struct desp {
	bool		 present;
	uint32_t	 spi;
	uint8_t		 status;
	int		 decrypted;
	char		 icv[16];
	char		 inner[128];
	char		 sha[40];
};

/*
 * Where we differ from the reference, with the reason.  `spi` 0 matches
 * every SPI of the capture; `field` is "decrypted", "icv" or "inner".
 */
struct dexception {
	const char	*id;
	uint32_t	 spi;
	const char	*field;
	const char	*value;
	const char	*why;
};

static const struct dexception exceptions[] = {
	{ "wiki.ipsec_esp_capture_3", 0x0c, "decrypted", "0",
	    "Twofish-CBC: tshark has it from libgcrypt, OpenSSL 3 has no "
	    "Twofish; the SA is kept and its packets are left encrypted" },
	{ "wiki.ipsec_esp_capture_3", 0x0c, "icv", "unchecked",
	    "Twofish-CBC SA: not opened, so its HMAC-SHA1-96 is not checked" },
	{ "wiki.ipsec_esp_capture_3", 0x0d, "decrypted", "0",
	    "Twofish-CBC (256-bit key): not in OpenSSL 3" },
	{ "wiki.ipsec_esp_capture_3", 0x0d, "icv", "unchecked",
	    "Twofish-CBC SA: not opened, so its HMAC-SHA1-96 is not checked" },
	{ "gen.enc-aes-gcm-8", 0, "decrypted", "0",
	    "scapy 2.5.0 (cryptography's AEAD API) appends the whole 16-octet "
	    "GCM tag whatever crypt_icv_size says, and checks it whole: the "
	    "packets are AES-GCM-16 framed; read as RFC 4106 with an 8-octet "
	    "ICV, their last 8 octets are not the tag (tshark 4.0 rejects "
	    "them too)" },
	{ "gen.enc-aes-gcm-8", 0, "icv", "bad",
	    "the same: the 8-octet ICV is the second half of scapy's tag" },
};

/*
 * Packets where tshark 4.0's verdict (the facts' last column) is not the
 * truth's, capture by capture: where we do better than tshark, or where
 * tshark shows what we do not.
 */
struct tshark_diff {
	const char	*id;
	const char	*why;
};

static const struct tshark_diff tshark_diffs[] = {
	{ "scapy.vector.transport-aes-cbc-hmac-sha2-256-128-esn",
	    "tshark 4.0 has no ESN: the ICV over seq_hi fails there; the key "
	    "file says esn=yes seq-hi=68 and we verify it" },
	{ "scapy.vector.transport-aes-gcm-null-esn",
	    "tshark 4.0 has no ESN: its AAD lacks seq_hi and the tag fails "
	    "(it shows the plaintext anyway); we verify it" },
	{ "scapy.vector.transport-aes-ccm-null",
	    "tshark 4.0 has no AES-CCM for ESP; we decrypt and verify it" },
	{ "scapy.vector.transport-aes-null-gmac-null",
	    "tshark 4.0 has no AES-GMAC (RFC 4543) for ESP; we verify it" },
	{ "scapy.vector.transport-aes-null-gmac-null-esn",
	    "tshark 4.0 has neither AES-GMAC nor ESN; we verify it" },
	{ "gen.badicv-aes-cbc-sha1",
	    "tshark shows the plaintext of a packet whose ICV fails; we "
	    "release nothing unverified (RFC 4303 3.4.4)" },
	{ "gen.badicv-aes-gcm",
	    "tshark shows the plaintext of a packet whose tag fails; we do "
	    "not" },
	{ "gen.badicv-3des-sha256",
	    "tshark shows the plaintext of a packet whose ICV fails; we do "
	    "not" },
	{ "gen.enc-aes-gcm-8",
	    "tshark rejects scapy's AES-GCM-8 packets as we do (see the "
	    "exception: scapy appends a 16-octet tag)" },
};

struct dparam {
	int		 set;		/* 0: corpus, 1: scapy-made */
	char		 id[96];
};

struct dset {
	const char	*facts, *dir;
};

static const struct dset sets[] = {
	{ CORPUS_FACTS, CORPUS_DIR },
	{ GEN_FACTS, GEN_DIR },
};

static const char *
top_dir(void)
{
	const char *t = getenv("IPSEC_TOP");

	return t != NULL && *t != '\0' ? t : ".";
}

static FILE *
facts_open(int set)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", top_dir(), sets[set].facts);
	return fopen(path, "r");
}

/* Splits a line in place; false unless it has D_COUNT_ columns. */
static bool
split(char *s, char *col[D_COUNT_])
{
	char *tab;
	unsigned i;

	s[strcspn(s, "\r\n")] = '\0';
	if (*s == '#' || *s == '\0')
		return false;
	for (i = 0; i < D_COUNT_; i++) {
		col[i] = s;
		if ((tab = strchr(s, '\t')) == NULL)
			break;
		*tab = '\0';
		s = tab + 1;
	}
	return i == D_COUNT_ - 1;
}

static void
copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

/* Reads the rows of capture `id`; returns how many (0: none or error). */
static size_t
facts_read(int set, const char *id, struct dfact *rows, size_t max)
{
	char line[LINE_LEN], *col[D_COUNT_];
	size_t n = 0;
	FILE *fp;

	if ((fp = facts_open(set)) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, fp) != NULL) {
		struct dfact *r = &rows[n];

		if (!split(line, col) || strcmp(col[D_ID], id) != 0)
			continue;
		copy_str(r->file, sizeof r->file, col[D_FILE]);
		copy_str(r->keys, sizeof r->keys, col[D_KEYS]);
		r->frame = strtoull(col[D_FRAME], NULL, 10);
		r->idx = (unsigned)strtoul(col[D_IDX], NULL, 10);
		r->spi = (uint32_t)strtoul(col[D_SPI], NULL, 16);
		r->seq = strtoull(col[D_SEQ], NULL, 10);
		r->decrypted = atoi(col[D_DECRYPTED]);
		copy_str(r->icv, sizeof r->icv, col[D_ICV]);
		copy_str(r->inner, sizeof r->inner, col[D_INNER]);
		copy_str(r->sha, sizeof r->sha, col[D_SHA]);
		copy_str(r->truth, sizeof r->truth, col[D_TRUTH]);
		n++;
	}
	fclose(fp);
	return n;
}

static void
params_free(struct criterion_test_params *crp)
{
	cr_free(crp->params);
}

/* One parameter per capture id of a facts file, in file order. */
static struct criterion_test_params
params_of(int set)
{
	char line[LINE_LEN], *col[D_COUNT_];
	struct dparam *p;
	size_t n = 0, i;
	FILE *fp;

	p = cr_calloc(MAX_IDS, sizeof *p);
	if (p == NULL || (fp = facts_open(set)) == NULL)
		return cr_make_param_array(struct dparam, p, 0, params_free);
	while (n < MAX_IDS && fgets(line, sizeof line, fp) != NULL) {
		if (!split(line, col))
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(p[i].id, col[D_ID]) == 0)
				break;
		if (i < n)
			continue;
		p[n].set = set;
		copy_str(p[n].id, sizeof p[n].id, col[D_ID]);
		n++;
	}
	fclose(fp);
	return cr_make_param_array(struct dparam, p, n, params_free);
}

static void
ignore_warning(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/*
 * Loads every key file of the capture (comma-separated, relative to the
 * set's directory), as published: any failure fails the test.
 */
static void
load_keys(struct ks_store *ks, int set, const char *list)
{
	char buf[512], path[4096], *s, *next;
	struct ds_errinfo ei;

	copy_str(buf, sizeof buf, list);
	for (s = buf; s != NULL; s = next) {
		if ((next = strchr(s, ',')) != NULL)
			*next++ = '\0';
		snprintf(path, sizeof path, "%s/%s/%s", top_dir(),
		    sets[set].dir, s);
		memset(&ei, 0, sizeof ei);
		cr_assert_eq(ks_store_load(ks, path, &ei), DS_OK, "%s: %s", s,
		    ei.msg);
	}
}

static void
hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* First 16 octets of SHA-256, in hex (32 digits). */
static void
sha_prefix(char out[40], const uint8_t *p, size_t n)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	cr_assert(EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) == 1);
	hex(out, md, 16);
}

/* The inner packet: an IP datagram cut to its header's length. */
static void
inner_of(const struct ds_frame *f, unsigned i, struct desp *d)
{
	const struct ds_layer *esp = &f->layer[i], *in;
	char a[DS_ADDR_STRLEN], b[DS_ADDR_STRLEN];
	size_t n;

	snprintf(d->inner, sizeof d->inner, "nh=%u", esp->u.esp.nxt);
	if (i + 1 >= f->nlayers || f->layer[i + 1].depth <= esp->depth) {
		if (esp->u.esp.plain.len > 0)
			sha_prefix(d->sha, esp->u.esp.plain.p,
			    esp->u.esp.plain.len);
		return;
	}
	in = &f->layer[i + 1];
	n = in->bytes.len;
	if (in->proto == DS_P_IPV4) {
		if (in->u.ip4.totlen < n)
			n = in->u.ip4.totlen;
		snprintf(d->inner + strlen(d->inner),
		    sizeof d->inner - strlen(d->inner), ";ip4,%s,%s,%u",
		    ds_addr_fmt(&in->u.ip4.src, a, sizeof a),
		    ds_addr_fmt(&in->u.ip4.dst, b, sizeof b), in->u.ip4.proto);
	} else if (in->proto == DS_P_IPV6) {
		if ((size_t)in->u.ip6.plen + 40 < n)
			n = (size_t)in->u.ip6.plen + 40;
		snprintf(d->inner + strlen(d->inner),
		    sizeof d->inner - strlen(d->inner), ";ip6,%s,%s,%u",
		    ds_addr_fmt(&in->u.ip6.src, a, sizeof a),
		    ds_addr_fmt(&in->u.ip6.dst, b, sizeof b), in->u.ip6.nxt);
	}
	sha_prefix(d->sha, in->bytes.p, n);
}

/* Records the top-level ESP headers of a frame, outer first. */
static void
collect(const struct ds_frame *f, struct desp out[MAX_ESP])
{
	unsigned i, k = 0;

	for (i = 0; i < f->nlayers && k < MAX_ESP; i++) {
		const struct ds_layer *l = &f->layer[i];
		struct desp *d = &out[k];

		if (l->proto != DS_P_ESP || l->quoted)
			continue;
		k++;
		d->present = true;
		d->spi = l->u.esp.spi;
		d->status = l->u.esp.status;
		d->decrypted = l->u.esp.decrypted;
		copy_str(d->icv, sizeof d->icv, ds_icv_name(l->u.esp.icv));
		copy_str(d->inner, sizeof d->inner, "-");
		copy_str(d->sha, sizeof d->sha, "-");
		if (d->decrypted)
			inner_of(f, i, d);
	}
}

static const struct dexception *
exception_find(const char *id, uint32_t spi, const char *field)
{
	size_t i;

	for (i = 0; i < DS_NELEM(exceptions); i++)
		if (strcmp(exceptions[i].id, id) == 0 &&
		    (exceptions[i].spi == 0 || exceptions[i].spi == spi) &&
		    strcmp(exceptions[i].field, field) == 0)
			return &exceptions[i];
	return NULL;
}

struct tally {
	unsigned	 compared, agreed, excepted, differ;
};

/* Compares one field; an exception replaces the reference's value. */
static void
check(struct tally *t, bool *ok, bool *exc, const char *id,
    const struct dfact *r, const char *field, const char *want,
    const char *got)
{
	const struct dexception *x = exception_find(id, r->spi, field);

	if (x != NULL) {
		*exc = true;
		want = x->value;
	}
	if (strcmp(want, got) == 0)
		return;
	*ok = false;
	t->differ++;
	cr_expect_fail("%s frame %" PRIu64 " ESP #%u spi 0x%08" PRIx32
	    " seq %" PRIu64 ": %s: %s %s, we %s", id, r->frame, r->idx,
	    r->spi, r->seq, field, x != NULL ? "exception" : r->truth, want,
	    got);
}

static void
run_set(const struct dparam *p)
{
	struct ds_engine_cfg cfg;
	struct ds_keyring kr;
	struct ds_errinfo ei = { 0 };
	struct ds_source *src = NULL;
	struct ds_engine *e = NULL;
	struct ks_store *ks;
	struct ds_pkt pkt;
	struct dfact *rows;
	struct desp (*seen)[MAX_ESP] = NULL;
	struct tally t = { 0 };
	char path[4096], dec[4];
	uint64_t nframes = 0, maxframe = 0, tried = 0;
	size_t n, i;
	int r;

	rows = calloc(MAX_ROWS, sizeof *rows);
	cr_assert_not_null(rows);
	n = facts_read(p->set, p->id, rows, MAX_ROWS);
	cr_assert_gt(n, 0, "%s: no facts", p->id);
	for (i = 0; i < n; i++)
		if (rows[i].frame > maxframe)
			maxframe = rows[i].frame;
	seen = calloc(maxframe + 1, sizeof *seen);
	cr_assert_not_null(seen);

	ks = ks_store_new();
	cr_assert_not_null(ks);
	ks_store_set_warn(ks, ignore_warning, NULL);
	load_keys(ks, p->set, rows[0].keys);
	kr = ks_keyring(ks);
	ds_engine_cfg_default(&cfg);
	cfg.keyring = &kr;
	e = ds_engine_new(&cfg);
	cr_assert_not_null(e);
	snprintf(path, sizeof path, "%s/%s/%s", top_dir(), sets[p->set].dir,
	    rows[0].file);
	src = ds_source_open_file(path, &ei);
	cr_assert_not_null(src, "%s", ei.msg);
	while ((r = ds_source_next(src, &pkt, &ei)) == 1) {
		const struct ds_frame *f = ds_engine_dissect(e, &pkt);

		nframes++;
		if (nframes <= maxframe) {
			collect(f, seen[nframes]);
			for (i = 0; i < MAX_ESP; i++)
				tried += seen[nframes][i].present &&
				    seen[nframes][i].status !=
				    DS_SAS_NOT_TRIED;
		}
	}
	cr_expect_geq(r, 0, "%s: %s", p->id, ei.msg);
	ds_engine_finish(e);
	ds_source_close(src);

	cr_assert_gt(tried, 0, "%s: no ESP packet was looked up", p->id);

	for (i = 0; i < n; i++) {
		const struct dfact *row = &rows[i];
		const struct desp *d;
		bool ok = true, exc = false;

		t.compared++;
		cr_assert_leq(row->frame, nframes, "%s: frame %" PRIu64
		    " past the capture's end", p->id, row->frame);
		cr_assert_lt(row->idx, MAX_ESP);
		d = &seen[row->frame][row->idx];
		if (!d->present) {
			t.differ++;
			cr_expect_fail("%s frame %" PRIu64 ": ESP #%u not "
			    "found", p->id, row->frame, row->idx);
			continue;
		}
		cr_expect_eq(d->spi, row->spi, "%s frame %" PRIu64 ": spi",
		    p->id, row->frame);
		snprintf(dec, sizeof dec, "%d", d->decrypted);
		check(&t, &ok, &exc, p->id, row, "decrypted",
		    row->decrypted ? "1" : "0", dec);
		check(&t, &ok, &exc, p->id, row, "icv", row->icv, d->icv);
		if (row->decrypted && d->decrypted) {
			check(&t, &ok, &exc, p->id, row, "inner", row->inner,
			    d->inner);
			if (strcmp(row->sha, "-") != 0)
				check(&t, &ok, &exc, p->id, row, "sha",
				    row->sha, d->sha);
		}
		if (ok && exc)
			t.excepted++;
		else if (ok)
			t.agreed++;
	}
	fprintf(stderr, "decrypt: %s: %u ESP packets compared, %u agreed, "
	    "%u by exception, %u differ\n", p->id, t.compared, t.agreed,
	    t.excepted, t.differ);
	ds_engine_free(e);
	ks_store_free(ks);
	free(seen);
	free(rows);
}

ParameterizedTestParameters(decrypt_corpus, matches_reference)
{
	return params_of(0);
}

ParameterizedTest(struct dparam *p, decrypt_corpus, matches_reference,
    .timeout = 60)
{
	run_set(p);
}

ParameterizedTestParameters(decrypt_scapy, matches_scapy)
{
	return params_of(1);
}

ParameterizedTest(struct dparam *p, decrypt_scapy, matches_scapy,
    .timeout = 60)
{
	run_set(p);
}

/* Both facts files are there, complete, and name every capture. */
Test(decrypt_corpus, facts_files_are_complete)
{
	char line[LINE_LEN], *col[D_COUNT_];
	unsigned set, n, bad;
	FILE *fp;

	for (set = 0; set < DS_NELEM(sets); set++) {
		fp = facts_open((int)set);
		cr_assert_not_null(fp, "%s/%s", top_dir(), sets[set].facts);
		n = bad = 0;
		while (fgets(line, sizeof line, fp) != NULL) {
			if (line[0] == '#')
				continue;
			if (split(line, col))
				n++;
			else
				bad++;
		}
		fclose(fp);
		cr_expect_eq(bad, 0, "%s: %u malformed lines",
		    sets[set].facts, bad);
		cr_expect_gt(n, set == 0 ? 1000 : 20, "%s: only %u rows",
		    sets[set].facts, n);
	}
}

/* Every exception names an ESP packet of the facts and says why. */
Test(decrypt_corpus, exceptions_name_known_captures)
{
	char line[LINE_LEN], *col[D_COUNT_];
	size_t i, set;
	bool found;
	FILE *fp;

	for (i = 0; i < DS_NELEM(exceptions); i++) {
		cr_expect(strlen(exceptions[i].why) > 10, "exception %zu", i);
		found = false;
		for (set = 0; set < DS_NELEM(sets) && !found; set++) {
			fp = facts_open((int)set);
			cr_assert_not_null(fp);
			while (!found && fgets(line, sizeof line, fp) != NULL)
				found = split(line, col) &&
				    strcmp(col[D_ID], exceptions[i].id) == 0 &&
				    (exceptions[i].spi == 0 ||
				    strtoul(col[D_SPI], NULL, 16) ==
				    exceptions[i].spi);
			fclose(fp);
		}
		cr_expect(found, "exception %zu: no ESP of %s, SPI 0x%x", i,
		    exceptions[i].id, exceptions[i].spi);
	}
}

/*
 * Every packet where tshark's verdict differs from the truth's is named,
 * with the reason, and every name still matches a packet.
 */
Test(decrypt_corpus, differences_with_tshark_are_named)
{
	char line[LINE_LEN], *col[D_COUNT_], truth[24];
	unsigned used[DS_NELEM(tshark_diffs)] = { 0 }, n = 0;
	size_t i, set;
	FILE *fp;

	for (set = 0; set < DS_NELEM(sets); set++) {
		fp = facts_open((int)set);
		cr_assert_not_null(fp);
		while (fgets(line, sizeof line, fp) != NULL) {
			if (!split(line, col) ||
			    strcmp(col[D_TSHARK], "-") == 0)
				continue;
			snprintf(truth, sizeof truth, "%s/%s", col[D_DECRYPTED],
			    col[D_ICV]);
			if (strcmp(truth, col[D_TSHARK]) == 0)
				continue;
			n++;
			for (i = 0; i < DS_NELEM(tshark_diffs); i++)
				if (strcmp(tshark_diffs[i].id, col[D_ID]) == 0)
					break;
			cr_expect_lt(i, DS_NELEM(tshark_diffs), "%s frame %s: "
			    "tshark %s, %s %s: say why", col[D_ID],
			    col[D_FRAME], col[D_TSHARK], col[D_TRUTH], truth);
			if (i < DS_NELEM(tshark_diffs))
				used[i]++;
		}
		fclose(fp);
	}
	for (i = 0; i < DS_NELEM(tshark_diffs); i++)
		cr_expect_gt(used[i], 0, "%s: no packet differs from tshark",
		    tshark_diffs[i].id);
	fprintf(stderr, "decrypt: %u packets where tshark 4.0 differs from "
	    "the truth, all named\n", n);
}
