/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whole captures through the engine.  The published corpus against tshark:
 * each capture listed in tests/data/corpus-facts.tsv is read with the
 * capture source and run through the engine, and the frame counts,
 * protocol counts and identifiers (ESP and AH SPIs, IPComp CPIs, IKE SA
 * SPI pairs) are compared with what tshark 4.0 reported for it.  Where we
 * differ from tshark on purpose, the exception table below says so,
 * capture by capture.  Then the generated samples/ against what
 * tools/mksamples.c put in them.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/capture.h"
#include "dissect/engine.h"

#define FACTS_PATH	"tests/data/corpus-facts.tsv"
#define CORPUS_DIR	"tests/data/corpus"
#define LINE_MAX_	16384
#define MAX_CAPTURES	256

/* Columns of corpus-facts.tsv, in order. */
enum col {
	C_ID,
	C_FILE,
	C_FRAMES,
	C_ESP,
	C_ESP_UDP,
	C_AH,
	C_IPCOMP,
	C_ISAKMP_V1,
	C_ISAKMP_V2,
	C_NON_ESP_MARKER,
	C_KEEPALIVE,
	C_ICMP_QUOTING,
	C_MALFORMED,
	C_ESP_SPIS,
	C_AH_SPIS,
	C_IPCOMP_CPIS,
	C_IKE_PAIRS,
	C_COUNT_
};

static const char *const col_name[C_COUNT_] = {
	"id", "file", "frames", "esp", "esp_udp_encap", "ah", "ipcomp",
	"isakmp_v1", "isakmp_v2", "isakmp_over_4500_non_esp_marker",
	"nat_keepalive", "icmp_error_quoting_esp", "malformed", "esp_spis",
	"ah_spis", "ipcomp_cpis", "ike_sa_spi_pairs",
};

/*
 * Expected values that differ from tshark's, each with the reason.  `col` is
 * a column name of the facts file, or "damaged" for the check that a broken
 * capture leaves a truncation or malformation note ("0": it leaves none,
 * and the test says so when that changes).
 */
struct exception {
	const char	*id;
	const char	*col;
	const char	*value;
	const char	*why;
};

static const struct exception exceptions[] = {
	{ "tcpdump.08-sunrise-sunset-esp2", "esp_spis", "0x12345678",
	    "ESP in ESP: SPI 0xabcdabcd is the inner header, which tshark "
	    "sees only after decrypting; the engine runs here without keys" },
	{ "wiki.ipsec_esp_capture_2", "esp_spis", "0x0000000a",
	    "ESP in ESP: SPI 0xf is the inner header, which tshark sees "
	    "only after decrypting; the engine runs here without keys" },
	{ "tcpdump.isakmp-delete-segfault", "isakmp_v1", "1",
	    "header version 0xbe: an unknown major version is kept as an "
	    "ISAKMP layer with an ike-version note; the facts count only "
	    "versions 1.0 and 2.0" },
	{ "tcpdump.isakmp-ikev1_n_print-oobr", "isakmp_v2", "2",
	    "header version 0x2c is major 2, minor 12: RFC 7296 3.1 says to "
	    "ignore the minor version, so both messages are IKEv2; the facts "
	    "count only an exact 2.0" },
	{ "wiki.misc.test1", "isakmp_v1", "21",
	    "tshark counts messages: frame 28 completes an IKEv1 message "
	    "split by IKE fragmentation and is counted twice (fragment and "
	    "reassembled message); the engine counts frames" },
};

/* One parameter per capture; the test reads its line again. */
struct corpus_param {
	char		 id[96];
	unsigned	 line;		/* 1-based, in the facts file */
};

struct facts {
	const char	*col[C_COUNT_];
	char		 buf[LINE_MAX_];
};

static const char *
top_dir(void)
{
	const char *t = getenv("IPSEC_TOP");

	return t != NULL && *t != '\0' ? t : ".";
}

static FILE *
facts_open(void)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", top_dir(), FACTS_PATH);
	return fopen(path, "r");
}

/* Splits a line in place; false unless it has exactly C_COUNT_ columns. */
static bool
facts_split(struct facts *f)
{
	char *s = f->buf, *tab;
	unsigned i;

	s[strcspn(s, "\r\n")] = '\0';
	for (i = 0; i < C_COUNT_; i++) {
		f->col[i] = s;
		tab = strchr(s, '\t');
		if (tab == NULL)
			break;
		*tab = '\0';
		s = tab + 1;
	}
	return i == C_COUNT_ - 1;
}

/* Reads data line `line` (1-based, counting the header). */
static bool
facts_read(unsigned line, struct facts *f)
{
	FILE *fp;
	unsigned n = 0;
	bool ok = false;

	if ((fp = facts_open()) == NULL)
		return false;
	while (fgets(f->buf, sizeof f->buf, fp) != NULL)
		if (++n == line) {
			ok = facts_split(f);
			break;
		}
	fclose(fp);
	return ok;
}

static int
col_index(const char *name)
{
	int i;

	for (i = 0; i < C_COUNT_; i++)
		if (strcmp(col_name[i], name) == 0)
			return i;
	return -1;
}

/* The exception for (id, col), or NULL. */
static const struct exception *
exception_find(const char *id, const char *col)
{
	size_t i;

	for (i = 0; i < DS_NELEM(exceptions); i++)
		if (strcmp(exceptions[i].id, id) == 0 &&
		    strcmp(exceptions[i].col, col) == 0)
			return &exceptions[i];
	return NULL;
}

static void
facts_apply_exceptions(struct facts *f)
{
	const struct exception *x;
	unsigned i;

	for (i = 0; i < C_COUNT_; i++)
		if ((x = exception_find(f->col[C_ID], col_name[i])) != NULL)
			f->col[i] = x->value;
}

static uint64_t
facts_u64(const struct facts *f, enum col c)
{
	return strtoull(f->col[c], NULL, 10);
}

/* A set of short strings, kept as a sorted comma list at the end. */
struct strset {
	char		 item[512][48];
	unsigned	 n;
	bool		 overflow;
};

static void
strset_add(struct strset *s, const char *v)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->item[i], v) == 0)
			return;
	if (s->n == DS_NELEM(s->item)) {
		s->overflow = true;
		return;
	}
	snprintf(s->item[s->n++], sizeof s->item[0], "%s", v);
}

static int
cmp_item(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The sorted, comma-separated list; "-" when empty. */
static const char *
strset_join(struct strset *s, char *buf, size_t len)
{
	size_t n = 0;
	unsigned i;

	qsort(s->item, s->n, sizeof s->item[0], cmp_item);
	snprintf(buf, len, "-");
	for (i = 0; i < s->n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "",
		    s->item[i]);
	return buf;
}

/* What the test collects from the frames, beside the engine's counters. */
struct seen {
	struct strset	 esp, ah, cpi, ike;
	uint64_t	 packets;
	bool		 read_error;
	char		 errmsg[320];
};

static void
hex8(char *out, const uint8_t *b)
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < 8; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[16] = '\0';
}

/* VERSION/ISPI/RSPI, VERSION as tshark shows it ("1.0", "2.0", "0xbe"). */
static void
ike_pair(char *buf, size_t len, const struct ds_ike *k)
{
	char i[17], r[17], v[8];

	hex8(i, k->ispi);
	hex8(r, k->rspi);
	if (k->version == 0x10 || k->version == 0x20)
		snprintf(v, sizeof v, "%u.%u", k->version >> 4,
		    k->version & 15u);
	else
		snprintf(v, sizeof v, "0x%02x", k->version);
	snprintf(buf, len, "%s/%s/%s", v, i, r);
}

static void
collect(struct seen *s, const struct ds_frame *f)
{
	char buf[64];
	unsigned i;

	for (i = 0; i < f->nlayers; i++) {
		const struct ds_layer *l = &f->layer[i];

		/* tshark lists identifiers of top-level headers only. */
		if (l->quoted)
			continue;
		switch (l->proto) {
		case DS_P_ESP:
			snprintf(buf, sizeof buf, "0x%08" PRIx32, l->u.esp.spi);
			strset_add(&s->esp, buf);
			break;
		case DS_P_AH:
			snprintf(buf, sizeof buf, "0x%08" PRIx32, l->u.ah.spi);
			strset_add(&s->ah, buf);
			break;
		case DS_P_IPCOMP:
			snprintf(buf, sizeof buf, "0x%04x", l->u.ipcomp.cpi);
			strset_add(&s->cpi, buf);
			break;
		case DS_P_ISAKMP:
		case DS_P_IKEV2:
			ike_pair(buf, sizeof buf, &l->u.ike);
			strset_add(&s->ike, buf);
			break;
		default:
			break;
		}
	}
}

/*
 * The facts list one pair per IKE SA: a zero responder SPI is dropped when
 * the same version and initiator SPI also appear with a non-zero one.
 */
static void
ike_pairs_fold(struct strset *s)
{
	static const char zero[] = "/0000000000000000";
	unsigned i, j, k;
	size_t n;

	for (i = 0; i < s->n; ) {
		n = strlen(s->item[i]);
		if (n < sizeof zero - 1 ||
		    strcmp(s->item[i] + n - (sizeof zero - 1), zero) != 0) {
			i++;
			continue;
		}
		for (j = 0; j < s->n; j++)
			if (j != i && strncmp(s->item[j], s->item[i],
			    n - (sizeof zero - 1) + 1) == 0)
				break;
		if (j == s->n) {
			i++;
			continue;
		}
		for (k = i + 1; k < s->n; k++)
			memcpy(s->item[k - 1], s->item[k], sizeof s->item[0]);
		s->n--;
	}
}

/*
 * Reads the capture (a path from the top of the tree) through the engine;
 * the caller frees the engine.
 */
static struct ds_engine *
run_capture(const char *file, struct seen *s)
{
	struct ds_errinfo ei = { 0 };
	struct ds_source *src;
	struct ds_engine *e;
	struct ds_pkt pkt;
	char path[4096];
	int r;

	snprintf(path, sizeof path, "%s/%s", top_dir(), file);
	src = ds_source_open_file(path, &ei);
	cr_assert_not_null(src, "%s", ei.msg);
	e = ds_engine_new(NULL);
	cr_assert_not_null(e);
	while ((r = ds_source_next(src, &pkt, &ei)) == 1) {
		s->packets++;
		collect(s, ds_engine_dissect(e, &pkt));
	}
	if (r < 0) {
		s->read_error = true;
		snprintf(s->errmsg, sizeof s->errmsg, "%s", ei.msg);
	}
	ds_engine_finish(e);
	ds_source_close(src);
	return e;
}

/* Captures from tcpdump's and others' fuzzing: broken on purpose. */
static bool
is_damaged(const char *file)
{
	return strstr(file, "-oobr") != NULL ||
	    strstr(file, "segfault") != NULL ||
	    strstr(file, "heapoverflow") != NULL ||
	    strstr(file, "truncated") != NULL;
}

static void
expect_count(const struct facts *f, enum col c, uint64_t got)
{
	uint64_t want = facts_u64(f, c);

	cr_expect_eq(got, want, "%s: %s: tshark %" PRIu64 ", we %" PRIu64,
	    f->col[C_ID], col_name[c], want, got);
}

static void
expect_list(const struct facts *f, enum col c, struct strset *s)
{
	char buf[LINE_MAX_];

	cr_expect_not(s->overflow, "%s: %s: too many to compare",
	    f->col[C_ID], col_name[c]);
	cr_expect_str_eq(strset_join(s, buf, sizeof buf), f->col[c],
	    "%s: %s:\n  tshark %s\n  we     %s", f->col[C_ID], col_name[c],
	    f->col[c], buf);
}

static void
params_free(struct criterion_test_params *crp)
{
	cr_free(crp->params);
}

/* Builds the parameters from the facts file: one per data line. */
ParameterizedTestParameters(corpus, matches_tshark)
{
	struct corpus_param *p;
	struct facts *f;
	FILE *fp;
	size_t n = 0;
	unsigned line = 0;

	p = cr_calloc(MAX_CAPTURES, sizeof *p);
	f = malloc(sizeof *f);
	if (p == NULL || f == NULL || (fp = facts_open()) == NULL) {
		free(f);
		return cr_make_param_array(struct corpus_param, p, 0,
		    params_free);
	}
	while (n < MAX_CAPTURES && fgets(f->buf, sizeof f->buf, fp) != NULL) {
		line++;
		if (f->buf[0] == '#' || !facts_split(f))
			continue;
		snprintf(p[n].id, sizeof p[n].id, "%s", f->col[C_ID]);
		p[n++].line = line;
	}
	fclose(fp);
	free(f);
	return cr_make_param_array(struct corpus_param, p, n, params_free);
}

ParameterizedTest(struct corpus_param *param, corpus, matches_tshark,
    .timeout = 60)
{
	static struct facts f;
	static struct seen s;
	const struct ds_stats *st;
	const struct exception *x;
	struct ds_engine *e;
	char file[512];
	uint64_t sum = 0;
	unsigned i;

	memset(&s, 0, sizeof s);
	cr_assert(facts_read(param->line, &f), "%s: line %u unreadable",
	    param->id, param->line);
	cr_assert_str_eq(f.col[C_ID], param->id);
	facts_apply_exceptions(&f);

	snprintf(file, sizeof file, "%s/%s", CORPUS_DIR, f.col[C_FILE]);
	e = run_capture(file, &s);
	st = ds_engine_stats(e);

	cr_expect_not(s.read_error, "%s: read error: %s", f.col[C_ID],
	    s.errmsg);
	expect_count(&f, C_FRAMES, s.packets);
	expect_count(&f, C_FRAMES, st->frames);
	/* Every frame lands in exactly one class of the summary. */
	for (i = 0; i < DS_FC_COUNT_; i++)
		sum += st->fclass[i];
	cr_expect_eq(sum, st->frames, "%s: %" PRIu64 " frames classified of %"
	    PRIu64, f.col[C_ID], sum, st->frames);

	expect_count(&f, C_ESP, st->proto[DS_P_ESP]);
	expect_count(&f, C_ESP_UDP, st->esp_in_udp);
	expect_count(&f, C_AH, st->proto[DS_P_AH]);
	expect_count(&f, C_IPCOMP, st->proto[DS_P_IPCOMP]);
	expect_count(&f, C_ISAKMP_V1, st->proto[DS_P_ISAKMP]);
	expect_count(&f, C_ISAKMP_V2, st->proto[DS_P_IKEV2]);
	expect_count(&f, C_NON_ESP_MARKER, st->ike_non_esp_marker);
	expect_count(&f, C_KEEPALIVE, st->nat_keepalive);
	expect_count(&f, C_ICMP_QUOTING, st->icmp_quoting_ipsec);

	expect_list(&f, C_ESP_SPIS, &s.esp);
	expect_list(&f, C_AH_SPIS, &s.ah);
	expect_list(&f, C_IPCOMP_CPIS, &s.cpi);
	ike_pairs_fold(&s.ike);
	expect_list(&f, C_IKE_PAIRS, &s.ike);

	if (is_damaged(f.col[C_FILE])) {
		x = exception_find(f.col[C_ID], "damaged");
		if (x == NULL)
			cr_expect_gt(st->truncated + st->malformed, 0,
			    "%s: a broken capture read as sound",
			    f.col[C_ID]);
		else
			cr_expect_eq(st->truncated + st->malformed, 0,
			    "%s: now found damaged: drop its exception",
			    f.col[C_ID]);
	}
	ds_engine_free(e);
}

/* The facts file is there and every line has every column. */
Test(corpus, facts_file_is_complete)
{
	static struct facts f;
	FILE *fp;
	unsigned n = 0, line = 0;

	fp = facts_open();
	cr_assert_not_null(fp, "%s/%s", top_dir(), FACTS_PATH);
	while (fgets(f.buf, sizeof f.buf, fp) != NULL) {
		line++;
		if (f.buf[0] == '#')
			continue;
		cr_expect(facts_split(&f), "%s line %u: wrong column count",
		    FACTS_PATH, line);
		n++;
	}
	fclose(fp);
	cr_expect_geq(n, 60, "only %u captures listed", n);
	cr_expect_lt(n, MAX_CAPTURES);
}

/* An exception for a capture or column that does not exist is stale. */
Test(corpus, exceptions_name_known_captures)
{
	static struct facts f;
	size_t i;
	bool found;
	FILE *fp;

	for (i = 0; i < DS_NELEM(exceptions); i++) {
		cr_expect(strcmp(exceptions[i].col, "damaged") == 0 ||
		    col_index(exceptions[i].col) > C_FILE,
		    "exception %zu: unknown column %s", i, exceptions[i].col);
		cr_expect(exceptions[i].why != NULL &&
		    strlen(exceptions[i].why) > 10, "exception %zu: say why",
		    i);
		fp = facts_open();
		cr_assert_not_null(fp);
		found = false;
		while (!found && fgets(f.buf, sizeof f.buf, fp) != NULL)
			found = f.buf[0] != '#' && facts_split(&f) &&
			    strcmp(f.col[C_ID], exceptions[i].id) == 0;
		fclose(fp);
		cr_expect(found, "exception %zu: no capture %s", i,
		    exceptions[i].id);
	}
}

/*
 * The samples (tools/mksamples.c), counted by tshark 4.0 and by hand from
 * the generator: frames with each layer, outside ICMP quotes.  Every frame
 * of damaged.pcap carries one truncation or malformation; no other sample
 * has any.
 */
struct sample_param {
	char		 file[32];
	unsigned	 frames, esp, esp_udp, ah, ipcomp, isakmp, ikev2;
	unsigned	 marker, keepalive, quoting, trunc, malformed;
};

static struct sample_param sample_params[] = {
	/* file			frm esp udp ah cmp v1 v2 mk ka  q  t  m */
	{ "ah.pcap",		 5,  0,  0, 5, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "damaged.pcap",	 8,  5,  1, 1, 0, 0, 1, 0, 0, 0, 2, 6 },
	{ "esp-ipv4.pcap",	13, 13,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "esp-ipv6.pcap",	 8,  8,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "frag-ipv4.pcap",	 7,  4,  1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "frag-ipv6.pcap",	 4,  2,  2, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "icmp-quote.pcap",	 7,  3,  1, 0, 0, 0, 0, 0, 0, 4, 0, 0 },
	{ "ikev1-main-mode.pcap", 6, 0,  0, 0, 0, 6, 0, 0, 0, 0, 0, 0 },
	{ "ikev2.pcap",		10,  0,  0, 0, 0, 0, 10, 0, 0, 0, 0, 0 },
	{ "ipcomp.pcap",	 3,  0,  0, 0, 3, 0, 0, 0, 0, 0, 0, 0 },
	{ "ipv6-ext.pcap",	 6,  5,  1, 1, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "link-ipv4.pcap",	 6,  3,  1, 0, 0, 0, 2, 0, 1, 0, 0, 0 },
	{ "link-ipv6.pcap",	 4,  3,  1, 0, 0, 0, 1, 0, 0, 0, 0, 0 },
	{ "link-loop.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "link-null.pcap",	 9,  6,  1, 0, 0, 0, 2, 0, 1, 0, 0, 0 },
	{ "link-qinq.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "link-raw.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "link-sll.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "link-sll2.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "link-vlan.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "natt-ipv4.pcap",	18, 10, 10, 0, 0, 0, 6, 4, 2, 0, 0, 0 },
	{ "not-ipsec.pcap",	 8,  0,  0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "pcap-be-nsec.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "pcap-be-usec.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "pcap-le-nsec.pcap",	10,  6,  2, 0, 0, 0, 3, 0, 1, 0, 0, 0 },
	{ "pcapng-multi.pcapng", 18, 9,  7, 0, 0, 0, 2, 0, 1, 0, 0, 0 },
};

ParameterizedTestParameters(samples, decode_as_generated)
{
	return cr_make_param_array(struct sample_param, sample_params,
	    DS_NELEM(sample_params));
}

#define EXPECT_N(p, what, got, want)					\
	cr_expect_eq((uint64_t)(got), (uint64_t)(want),			\
	    "%s: %s: want %" PRIu64 ", got %" PRIu64, (p)->file, (what),	\
	    (uint64_t)(want), (uint64_t)(got))

ParameterizedTest(struct sample_param *p, samples, decode_as_generated)
{
	char file[64];
	struct seen *s;
	struct ds_engine *e;
	const struct ds_stats *st;

	s = calloc(1, sizeof *s);
	cr_assert_not_null(s);
	snprintf(file, sizeof file, "samples/%s", p->file);
	e = run_capture(file, s);
	st = ds_engine_stats(e);
	cr_expect_not(s->read_error, "%s: %s", p->file, s->errmsg);
	EXPECT_N(p, "frames", st->frames, p->frames);
	EXPECT_N(p, "esp", st->proto[DS_P_ESP], p->esp);
	EXPECT_N(p, "esp in udp", st->esp_in_udp, p->esp_udp);
	EXPECT_N(p, "ah", st->proto[DS_P_AH], p->ah);
	EXPECT_N(p, "ipcomp", st->proto[DS_P_IPCOMP], p->ipcomp);
	EXPECT_N(p, "isakmp", st->proto[DS_P_ISAKMP], p->isakmp);
	EXPECT_N(p, "ikev2", st->proto[DS_P_IKEV2], p->ikev2);
	EXPECT_N(p, "non-esp marker", st->ike_non_esp_marker, p->marker);
	EXPECT_N(p, "keepalive", st->nat_keepalive, p->keepalive);
	EXPECT_N(p, "icmp quoting", st->icmp_quoting_ipsec, p->quoting);
	EXPECT_N(p, "truncated", st->truncated, p->trunc);
	EXPECT_N(p, "malformed", st->malformed, p->malformed);
	EXPECT_N(p, "unsupported link", st->fclass[DS_FC_UNSUPP_LINK], 0);
	ds_engine_free(e);
	free(s);
}
