/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pcap and pcapng readers: byte orders, timestamp resolutions,
 * sections and interfaces, skipped blocks, truncation at every byte,
 * corrupt lengths, standard input, error messages and file filters.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dissect/capture.h"
#include "dissect/dissect.h"

/* --- fixtures written byte by byte ----------------------------------- */

/* pcap, little-endian, microseconds, Ethernet: two packets. */
static const uint8_t pcap_le[] = {
	0xd4, 0xc3, 0xb2, 0xa1,		/* magic, microseconds, LE */
	0x02, 0x00, 0x04, 0x00,		/* version 2.4 */
	0x00, 0x00, 0x00, 0x00,		/* reserved (time zone) */
	0x00, 0x00, 0x00, 0x00,		/* reserved (accuracy) */
	0xff, 0xff, 0x00, 0x00,		/* snaplen 65535 */
	0x01, 0x00, 0x00, 0x00,		/* LINKTYPE_ETHERNET */
	/* record 1 */
	0x10, 0x00, 0x00, 0x00,		/* ts 16 s */
	0x40, 0x42, 0x0f, 0x00,		/* 999999 + 1 us: 1000000 */
	0x04, 0x00, 0x00, 0x00,		/* captured 4 */
	0x3c, 0x00, 0x00, 0x00,		/* original 60 */
	0xde, 0xad, 0xbe, 0xef,		/* data */
	/* record 2 */
	0x11, 0x00, 0x00, 0x00,		/* ts 17 s */
	0x39, 0x30, 0x00, 0x00,		/* 12345 us */
	0x02, 0x00, 0x00, 0x00,		/* captured 2 */
	0x02, 0x00, 0x00, 0x00,		/* original 2 */
	0xca, 0xfe,			/* data */
};

/* pcapng, little-endian: SHB, IDB (Ethernet, ns), EPB. */
static const uint8_t ng_le[] = {
	/* Section Header Block */
	0x0a, 0x0d, 0x0d, 0x0a,		/* type */
	0x1c, 0x00, 0x00, 0x00,		/* total length 28 */
	0x4d, 0x3c, 0x2b, 0x1a,		/* byte-order magic, LE */
	0x01, 0x00, 0x00, 0x00,		/* version 1.0 */
	0xff, 0xff, 0xff, 0xff,		/* section length -1 */
	0xff, 0xff, 0xff, 0xff,
	0x1c, 0x00, 0x00, 0x00,		/* total length 28 */
	/* Interface Description Block */
	0x01, 0x00, 0x00, 0x00,		/* type */
	0x20, 0x00, 0x00, 0x00,		/* total length 32 */
	0x01, 0x00, 0x00, 0x00,		/* LINKTYPE_ETHERNET, reserved */
	0x00, 0x00, 0x04, 0x00,		/* snaplen 262144 */
	0x09, 0x00, 0x01, 0x00,		/* if_tsresol, length 1 */
	0x09, 0x00, 0x00, 0x00,		/* 10^-9, padding */
	0x00, 0x00, 0x00, 0x00,		/* opt_endofopt */
	0x20, 0x00, 0x00, 0x00,		/* total length 32 */
	/* Enhanced Packet Block */
	0x06, 0x00, 0x00, 0x00,		/* type */
	0x28, 0x00, 0x00, 0x00,		/* total length 40 */
	0x00, 0x00, 0x00, 0x00,		/* interface 0 */
	0x00, 0x00, 0x00, 0x00,		/* timestamp high */
	0x15, 0xcd, 0x5b, 0x07,		/* low: 123456789 ns */
	0x05, 0x00, 0x00, 0x00,		/* captured 5 */
	0x06, 0x00, 0x00, 0x00,		/* original 6 */
	0x68, 0x65, 0x6c, 0x6c,		/* "hello", padded */
	0x6f, 0x00, 0x00, 0x00,
	0x28, 0x00, 0x00, 0x00,		/* total length 40 */
};

/* --- builders for the variants -------------------------------------- */

struct bld {
	uint8_t		*b;
	size_t		 n, cap;
	bool		 be;
};

static void
bput(struct bld *w, const void *p, size_t n)
{
	if (w->n + n > w->cap) {
		w->cap = (w->n + n) * 2 + 4096;
		w->b = realloc(w->b, w->cap);
		cr_assert_not_null(w->b);
	}
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void
b8(struct bld *w, uint8_t v)
{
	bput(w, &v, 1);
}

static void
b16(struct bld *w, uint16_t v)
{
	uint8_t x[2];

	x[w->be ? 0 : 1] = (uint8_t)(v >> 8);
	x[w->be ? 1 : 0] = (uint8_t)v;
	bput(w, x, 2);
}

static void
b32(struct bld *w, uint32_t v)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[w->be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
	bput(w, x, 4);
}

static void
b64(struct bld *w, uint64_t v)
{
	uint8_t x[8];
	int i;

	for (i = 0; i < 8; i++)
		x[w->be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
	bput(w, x, 8);
}

static void
bpad(struct bld *w)
{
	while (w->n % 4 != 0)
		b8(w, 0);
}

static void
bfree(struct bld *w)
{
	free(w->b);
	memset(w, 0, sizeof *w);
}

static void
pcap_hdr(struct bld *w, uint32_t magic, uint32_t snaplen, uint32_t lt)
{
	b32(w, magic);
	b16(w, 2);
	b16(w, 4);
	b32(w, 0);
	b32(w, 0);
	b32(w, snaplen);
	b32(w, lt);
}

static void
pcap_rec(struct bld *w, uint32_t sec, uint32_t frac, const void *p,
    uint32_t caplen, uint32_t wirelen)
{
	b32(w, sec);
	b32(w, frac);
	b32(w, caplen);
	b32(w, wirelen);
	bput(w, p, caplen);
}

/* Starts a pcapng block; ng_end() fills in the lengths. */
static size_t
ng_start(struct bld *w, uint32_t type)
{
	size_t at = w->n;

	b32(w, type);
	b32(w, 0);
	return at;
}

static void
ng_end(struct bld *w, size_t at)
{
	uint32_t len;
	bool be = w->be;
	size_t n;

	bpad(w);
	len = (uint32_t)(w->n - at + 4);
	b32(w, len);
	n = w->n;
	w->n = at + 4;
	w->be = be;
	b32(w, len);
	w->n = n;
}

static void
ng_shb(struct bld *w, bool be)
{
	size_t at;

	w->be = be;
	at = ng_start(w, 0x0a0d0d0a);
	b32(w, 0x1a2b3c4d);
	b16(w, 1);
	b16(w, 0);
	b64(w, UINT64_MAX);
	ng_end(w, at);
}

/* An IDB; tsresol 0xff means no if_tsresol option. */
static void
ng_idb(struct bld *w, uint16_t lt, uint32_t snaplen, uint8_t tsresol,
    bool has_off, int64_t tsoffset)
{
	size_t at = ng_start(w, 1);

	b16(w, lt);
	b16(w, 0);
	b32(w, snaplen);
	b16(w, 2);			/* if_name "x" */
	b16(w, 1);
	b8(w, 'x');
	bpad(w);
	if (tsresol != 0xff) {
		b16(w, 9);
		b16(w, 1);
		b8(w, tsresol);
		bpad(w);
	}
	if (has_off) {
		b16(w, 14);
		b16(w, 8);
		b64(w, (uint64_t)tsoffset);
	}
	b16(w, 0);
	b16(w, 0);
	ng_end(w, at);
}

static void
ng_epb(struct bld *w, uint32_t ifid, uint64_t ts, const void *p,
    uint32_t caplen, uint32_t wirelen)
{
	size_t at = ng_start(w, 6);

	b32(w, ifid);
	b32(w, (uint32_t)(ts >> 32));
	b32(w, (uint32_t)ts);
	b32(w, caplen);
	b32(w, wirelen);
	bput(w, p, caplen);
	bpad(w);
	b16(w, 1);			/* opt_comment "c" */
	b16(w, 1);
	b8(w, 'c');
	bpad(w);
	b16(w, 0);
	b16(w, 0);
	ng_end(w, at);
}

static void
ng_spb(struct bld *w, const void *p, uint32_t len, uint32_t wirelen)
{
	size_t at = ng_start(w, 3);

	b32(w, wirelen);
	bput(w, p, len);
	ng_end(w, at);
}

static void
ng_pb(struct bld *w, uint16_t ifid, uint64_t ts, const void *p,
    uint32_t caplen, uint32_t wirelen)
{
	size_t at = ng_start(w, 2);

	b16(w, ifid);
	b16(w, 0);			/* drops count */
	b32(w, (uint32_t)(ts >> 32));
	b32(w, (uint32_t)ts);
	b32(w, caplen);
	b32(w, wirelen);
	bput(w, p, caplen);
	ng_end(w, at);
}

static void
ng_other(struct bld *w, uint32_t type, size_t bodylen)
{
	size_t at = ng_start(w, type), i;

	for (i = 0; i < bodylen; i++)
		b8(w, (uint8_t)i);
	ng_end(w, at);
}

/* --- reading ------------------------------------------------------------- */

static char tdir[64];

/*
 * Writes bytes to <name> in a fresh directory that the test runs in, so
 * that messages name the file as given; returns the name.
 */
static const char *
t_file(const char *name, const void *p, size_t n)
{
	FILE *fp;

	if (tdir[0] == '\0') {
		snprintf(tdir, sizeof tdir, "/tmp/ds-capture-XXXXXX");
		cr_assert_not_null(mkdtemp(tdir));
		cr_assert_eq(chdir(tdir), 0);
	}
	fp = fopen(name, "wb");
	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(p, 1, n, fp), n);
	cr_assert_eq(fclose(fp), 0);
	return name;
}

static void
t_cleanup(void)
{
	char path[400];
	struct dirent *de;
	DIR *d;

	if (tdir[0] == '\0' || (d = opendir(tdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		snprintf(path, sizeof path, "%s/%s", tdir, de->d_name);
		(void)unlink(path);
	}
	closedir(d);
	if (chdir("/") == 0)
		(void)rmdir(tdir);
	tdir[0] = '\0';
}

TestSuite(capture, .fini = t_cleanup);

#define T_MAXPKT 16

/* What a test keeps of a packet (the data is valid only until next). */
struct t_pkt {
	struct ds_pkt	 pkt;
	uint8_t		 data[64];
};

struct t_read {
	int		 n;
	int		 last;		/* what the last next() returned */
	struct t_pkt	 p[T_MAXPKT];
	struct ds_errinfo ei;
};

static void
t_drain(struct ds_source *s, struct t_read *r)
{
	struct ds_pkt pkt;

	memset(r, 0, sizeof *r);
	while ((r->last = ds_source_next(s, &pkt, &r->ei)) == 1) {
		if (r->n < T_MAXPKT) {
			r->p[r->n].pkt = pkt;
			memcpy(r->p[r->n].data, pkt.data,
			    pkt.caplen < 64 ? pkt.caplen : 64);
		}
		r->n++;
	}
}

/* Opens the bytes as a file called name and reads every packet. */
static bool
t_read(const char *name, const void *p, size_t n, struct t_read *r)
{
	struct ds_source *s;

	memset(r, 0, sizeof *r);
	s = ds_source_open_file(t_file(name, p, n), &r->ei);
	if (s == NULL)
		return false;
	t_drain(s, r);
	ds_source_close(s);
	return true;
}

static void
t_ts(const struct t_read *r, int i, int64_t sec, uint32_t nsec)
{
	cr_assert_eq(r->p[i].pkt.ts_sec, sec, "packet %d: sec %lld", i,
	    (long long)r->p[i].pkt.ts_sec);
	cr_assert_eq(r->p[i].pkt.ts_nsec, nsec, "packet %d: nsec %u", i,
	    r->p[i].pkt.ts_nsec);
}

static void
t_msg(const struct ds_errinfo *ei, const char *want)
{
	cr_assert_not_null(strstr(ei->msg, want), "message \"%s\" lacks "
	    "\"%s\"", ei->msg, want);
}

static const uint8_t data20[20] = {
	0x45, 0x00, 0x00, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	13, 14, 15, 16,
};

/* --- pcap ---------------------------------------------------------------- */

Test(capture, pcap_little_endian_microseconds)
{
	struct t_read r;

	cr_assert(t_read("le.pcap", pcap_le, sizeof pcap_le, &r), "%s",
	    r.ei.msg);
	cr_assert_eq(r.last, 0, "%s", r.ei.msg);
	cr_assert_eq(r.n, 2);
	t_ts(&r, 0, 17, 0);	/* 1000000 us carried into the second */
	t_ts(&r, 1, 17, 12345000);
	cr_assert_eq(r.p[0].pkt.caplen, 4);
	cr_assert_eq(r.p[0].pkt.wirelen, 60);
	cr_assert_eq(r.p[0].pkt.linktype, DS_LINKTYPE_ETHERNET);
	cr_assert_eq(r.p[0].pkt.ifindex, 0);
	cr_assert_arr_eq(r.p[0].data, "\xde\xad\xbe\xef", 4);
	cr_assert_arr_eq(r.p[1].data, "\xca\xfe", 2);
}

/* Both byte orders, micro- and nanoseconds: the same packets. */
Test(capture, pcap_both_byte_orders_and_resolutions)
{
	static const uint32_t magic[] = { 0xa1b2c3d4, 0xa1b23c4d };
	struct bld w = { 0 };
	struct t_read r;
	int be, ns;

	for (be = 0; be < 2; be++)
		for (ns = 0; ns < 2; ns++) {
			w.n = 0;
			w.be = be;
			pcap_hdr(&w, magic[ns], 262144, DS_LINKTYPE_RAW);
			pcap_rec(&w, 1700000000, ns ? 999999999 : 999999,
			    data20, 20, 20);
			pcap_rec(&w, 0xfffffff0, 7, data20, 10, 1500);
			cr_assert(t_read("v.pcap", w.b, w.n, &r), "%s",
			    r.ei.msg);
			cr_assert_eq(r.last, 0, "%s", r.ei.msg);
			cr_assert_eq(r.n, 2);
			t_ts(&r, 0, 1700000000, ns ? 999999999 : 999999000);
			/* draft-ietf-opsawg-pcap: the seconds are unsigned */
			t_ts(&r, 1, 0xfffffff0, ns ? 7 : 7000);
			cr_assert_eq(r.p[1].pkt.caplen, 10);
			cr_assert_eq(r.p[1].pkt.wirelen, 1500);
			cr_assert_eq(r.p[1].pkt.linktype, DS_LINKTYPE_RAW);
			cr_assert_arr_eq(r.p[0].data, data20, 20);
		}
	bfree(&w);
}

Test(capture, pcap_masks_fcs_bits_of_the_link_type)
{
	struct bld w = { 0 };
	struct t_read r;

	/* FCS length 4 present (F bit, FCS 2), LINKTYPE_LINUX_SLL */
	pcap_hdr(&w, 0xa1b2c3d4, 65535, 0x24000000 | DS_LINKTYPE_LINUX_SLL);
	pcap_rec(&w, 1, 0, data20, 20, 20);
	cr_assert(t_read("fcs.pcap", w.b, w.n, &r));
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.p[0].pkt.linktype, DS_LINKTYPE_LINUX_SLL);
	bfree(&w);
}

Test(capture, pcap_caplen_above_wirelen_raises_wirelen)
{
	struct bld w = { 0 };
	struct t_read r;

	pcap_hdr(&w, 0xa1b2c3d4, 65535, 1);
	pcap_rec(&w, 1, 0, data20, 20, 8);
	cr_assert(t_read("w.pcap", w.b, w.n, &r));
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.p[0].pkt.caplen, 20);
	cr_assert_eq(r.p[0].pkt.wirelen, 20);
	bfree(&w);
}

/* Format 2.2 wrote the original length before the captured one. */
Test(capture, pcap_old_version_has_lengths_swapped)
{
	struct bld w = { 0 };
	struct t_read r;

	b32(&w, 0xa1b2c3d4);
	b16(&w, 2);
	b16(&w, 2);
	b32(&w, 0);
	b32(&w, 0);
	b32(&w, 65535);
	b32(&w, 1);
	b32(&w, 5);
	b32(&w, 0);
	b32(&w, 100);			/* original */
	b32(&w, 20);			/* captured */
	bput(&w, data20, 20);
	cr_assert(t_read("old.pcap", w.b, w.n, &r), "%s", r.ei.msg);
	cr_assert_eq(r.n, 1, "%s", r.ei.msg);
	cr_assert_eq(r.p[0].pkt.caplen, 20);
	cr_assert_eq(r.p[0].pkt.wirelen, 100);
	bfree(&w);
}

/* Kuznetzov's format: 8 more bytes in each record header. */
Test(capture, pcap_modified_format_has_longer_record_headers)
{
	struct bld w = { 0 };
	struct t_read r;
	int i;

	pcap_hdr(&w, 0xa1b2cd34, 65535, 1);
	for (i = 0; i < 2; i++) {
		b32(&w, 3);
		b32(&w, 4);
		b32(&w, 20);
		b32(&w, 20);
		b32(&w, 7);		/* ifindex */
		b16(&w, 0x0800);	/* protocol */
		b8(&w, 0);		/* packet type */
		b8(&w, 0);		/* padding */
		bput(&w, data20, 20);
	}
	cr_assert(t_read("mod.pcap", w.b, w.n, &r), "%s", r.ei.msg);
	cr_assert_eq(r.last, 0, "%s", r.ei.msg);
	cr_assert_eq(r.n, 2);
	cr_assert_arr_eq(r.p[1].data, data20, 20);
	t_ts(&r, 1, 3, 4000);
	bfree(&w);
}

Test(capture, pcap_rejects_huge_captured_length_as_corrupt)
{
	struct bld w = { 0 };
	struct t_read r;

	pcap_hdr(&w, 0xa1b2c3d4, 65535, 1);
	pcap_rec(&w, 1, 0, data20, 20, 20);
	b32(&w, 2);
	b32(&w, 0);
	b32(&w, 262145);		/* captured: past any snaplen */
	b32(&w, 262145);
	bput(&w, data20, 20);
	cr_assert(t_read("huge.pcap", w.b, w.n, &r));
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.last, -1);
	cr_assert_eq(r.ei.code, DS_EFORMAT);
	t_msg(&r.ei, "huge.pcap: corrupt record 2 at offset 60: captured "
	    "length 262145 exceeds the maximum 262144; earlier packets were "
	    "read");
	bfree(&w);
}

/*
 * Some writers record more than their snaplen (libpcap reads such files);
 * they are read as they are, up to the 256 KiB ceiling.
 */
Test(capture, pcap_accepts_captured_length_above_snaplen)
{
	struct bld w = { 0 };
	struct t_read r;

	pcap_hdr(&w, 0xa1b2c3d4, 10, 1);
	pcap_rec(&w, 1, 0, data20, 20, 20);
	cr_assert(t_read("snap.pcap", w.b, w.n, &r));
	cr_assert_eq(r.n, 1, "%s", r.ei.msg);
	cr_assert_eq(r.p[0].pkt.caplen, 20);
	bfree(&w);
}

/* A snaplen above 256 KiB raises the ceiling (to 16 MiB at most). */
Test(capture, pcap_reads_records_larger_than_its_buffer)
{
	const uint32_t big = 3u << 20;
	struct bld w = { 0 };
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_pkt pkt;
	uint8_t *p = malloc(big);
	uint32_t i;

	cr_assert_not_null(p);
	for (i = 0; i < big; i++)
		p[i] = (uint8_t)(i * 7 + i / 251);
	pcap_hdr(&w, 0xa1b2c3d4, 64u << 20, 1);
	pcap_rec(&w, 1, 0, data20, 20, 20);
	pcap_rec(&w, 2, 0, p, big, big);
	pcap_rec(&w, 3, 0, data20, 20, 20);
	s = ds_source_open_file(t_file("big.pcap", w.b, w.n), &ei);
	cr_assert_not_null(s, "%s", ei.msg);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 1);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 1, "%s", ei.msg);
	cr_assert_eq(pkt.caplen, big);
	cr_assert_arr_eq(pkt.data, p, big);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 1);
	cr_assert_arr_eq(pkt.data, data20, 20);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 0);
	ds_source_close(s);
	free(p);
	bfree(&w);
}

Test(capture, pcap_snaplen_past_16mib_keeps_the_ceiling)
{
	struct bld w = { 0 };
	struct t_read r;

	pcap_hdr(&w, 0xa1b2c3d4, 0xffffffff, 1);
	b32(&w, 1);
	b32(&w, 0);
	b32(&w, (16u << 20) + 1);
	b32(&w, (16u << 20) + 1);
	cr_assert(t_read("ceil.pcap", w.b, w.n, &r));
	cr_assert_eq(r.last, -1);
	t_msg(&r.ei, "exceeds the maximum 16777216");
	bfree(&w);
}

/*
 * Cut after every byte: a header cut fails the open; a record cut gives
 * the records before it and then the truncation, named and counted.
 */
Test(capture, pcap_truncated_at_every_byte)
{
	static const size_t rec_at[] = { 24, 44, 62 };	/* in pcap_le */
	char want[160];
	struct t_read r;
	size_t n, k, got, need;

	for (n = 0; n <= sizeof pcap_le; n++) {
		bool ok = t_read("cut.pcap", pcap_le, n, &r);

		if (n < 24) {
			cr_assert_not(ok, "cut %zu", n);
			cr_assert_eq(r.ei.code, DS_EFORMAT);
			t_msg(&r.ei, n == 0 ? "cut.pcap: empty file" :
			    n < 4 ? "cut.pcap: not a pcap or pcapng file" :
			    "cut.pcap: truncated pcap file header");
			continue;
		}
		cr_assert(ok, "cut %zu: %s", n, r.ei.msg);
		for (k = 0; k < 2 && rec_at[k + 1] <= n; k++)
			continue;
		cr_assert_eq(r.n, (int)k, "cut %zu: %d packets", n, r.n);
		if (n == rec_at[k]) {
			cr_assert_eq(r.last, 0, "cut %zu: %s", n, r.ei.msg);
			continue;
		}
		got = n - rec_at[k];
		need = got < 16 ? 16 : rec_at[k + 1] - rec_at[k];
		snprintf(want, sizeof want, "cut.pcap: truncated record %zu "
		    "(got %zu of %zu bytes)%s", k + 1, got, need,
		    k > 0 ? "; earlier packets were read" : "");
		cr_assert_eq(r.last, -1, "cut %zu", n);
		cr_assert_eq(r.ei.code, DS_ETRUNC);
		cr_assert_str_eq(r.ei.msg, want);
	}
}

Test(capture, pcap_unsupported_version_fails_the_open)
{
	uint8_t b[sizeof pcap_le];
	struct t_read r;

	memcpy(b, pcap_le, sizeof b);
	b[4] = 3;			/* version 3.4 */
	cr_assert_not(t_read("v3.pcap", b, sizeof b, &r));
	cr_assert_eq(r.ei.code, DS_EUNSUPP);
	cr_assert_str_eq(r.ei.msg, "v3.pcap: unsupported pcap version 3.4");
}

Test(capture, repeats_the_failure_after_it)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_pkt pkt;

	s = ds_source_open_file(t_file("rep.pcap", pcap_le, 50), &ei);
	cr_assert_not_null(s);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 1);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), -1);
	memset(&ei, 0, sizeof ei);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), -1);
	t_msg(&ei, "truncated record 2");
	ds_source_close(s);
}

/* --- open errors ---------------------------------------------------------- */

Test(capture, missing_file_is_named)
{
	struct ds_errinfo ei;

	cr_assert_null(ds_source_open_file("/nonexistent/x.pcap", &ei));
	cr_assert_eq(ei.code, DS_EIO);
	cr_assert_str_eq(ei.msg, "/nonexistent/x.pcap: No such file or "
	    "directory");
}

Test(capture, unreadable_file_is_named)
{
	struct ds_errinfo ei;
	const char *path;

	if (geteuid() == 0)
		cr_skip_test("root reads files whatever their mode");
	path = t_file("noperm.pcap", pcap_le, sizeof pcap_le);
	cr_assert_eq(chmod(path, 0), 0);
	cr_assert_null(ds_source_open_file(path, &ei));
	t_msg(&ei, "noperm.pcap: Permission denied");
}

Test(capture, directory_is_not_a_capture)
{
	struct ds_errinfo ei;

	cr_assert_null(ds_source_open_file("/", &ei));
	cr_assert_str_eq(ei.msg, "/: Is a directory");
}

Test(capture, empty_file_is_named)
{
	struct t_read r;

	cr_assert_not(t_read("x.pcap", "", 0, &r));
	cr_assert_eq(r.ei.code, DS_EFORMAT);
	t_msg(&r.ei, "x.pcap: empty file");
}

Test(capture, other_file_is_not_a_capture)
{
	static const char text[] = "GET / HTTP/1.1\r\n";
	struct t_read r;

	cr_assert_not(t_read("x.pcap", text, sizeof text - 1, &r));
	cr_assert_eq(r.ei.code, DS_EFORMAT);
	t_msg(&r.ei, "x.pcap: not a pcap or pcapng file (magic "
	    "0x47455420)");
}

Test(capture, gzip_file_gets_a_hint)
{
	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0 };
	struct t_read r;

	cr_assert_not(t_read("x.pcap.gz", gz, sizeof gz, &r));
	t_msg(&r.ei, "(magic 0x1f8b0800); gzip-compressed?");
}

/* --- pcapng --------------------------------------------------------------- */

Test(capture, pcapng_little_endian)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct t_read r;

	s = ds_source_open_file(t_file("le.pcapng", ng_le, sizeof ng_le),
	    &ei);
	cr_assert_not_null(s, "%s", ei.msg);
	cr_assert_str_eq(ds_source_kind(s), "pcapng");
	t_drain(s, &r);
	ds_source_close(s);
	cr_assert_eq(r.last, 0, "%s", r.ei.msg);
	cr_assert_eq(r.n, 1);
	t_ts(&r, 0, 0, 123456789);
	cr_assert_eq(r.p[0].pkt.caplen, 5);
	cr_assert_eq(r.p[0].pkt.wirelen, 6);
	cr_assert_eq(r.p[0].pkt.linktype, DS_LINKTYPE_ETHERNET);
	cr_assert_arr_eq(r.p[0].data, "hello", 5);
}

Test(capture, pcap_kind_is_pcap)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	uint64_t a, b;

	s = ds_source_open_file(t_file("k.pcap", pcap_le, sizeof pcap_le),
	    &ei);
	cr_assert_not_null(s);
	cr_assert_str_eq(ds_source_kind(s), "pcap");
	cr_assert_not(ds_source_drops(s, &a, &b));
	ds_source_close(s);
	ds_source_close(NULL);
}

/*
 * Two sections in opposite byte orders.  The first has an Ethernet and a
 * raw IP interface in microseconds and milliseconds; the second resets
 * the interfaces: one NULL interface in 2^-10 s with a time offset.
 */
static void
two_sections(struct bld *w, bool be_first)
{
	ng_shb(w, be_first);
	ng_idb(w, DS_LINKTYPE_ETHERNET, 0, 0xff, false, 0);
	ng_idb(w, DS_LINKTYPE_RAW, 1500, 3, false, 0);
	ng_epb(w, 0, 1700000000123456ull, data20, 20, 60);
	ng_epb(w, 1, 1234567, data20, 19, 20);
	ng_shb(w, !be_first);
	ng_idb(w, DS_LINKTYPE_NULL, 0, 0x8a, true, -100);
	ng_epb(w, 0, 5 * 1024 + 512, data20, 4, 4);
}

Test(capture, pcapng_sections_byte_orders_and_interfaces)
{
	struct bld w = { 0 };
	struct t_read r;
	int be;

	for (be = 0; be < 2; be++) {
		w.n = 0;
		two_sections(&w, be);
		cr_assert(t_read("two.pcapng", w.b, w.n, &r), "%s", r.ei.msg);
		cr_assert_eq(r.last, 0, "%s", r.ei.msg);
		cr_assert_eq(r.n, 3);
		t_ts(&r, 0, 1700000000, 123456000);
		cr_assert_eq(r.p[0].pkt.linktype, DS_LINKTYPE_ETHERNET);
		cr_assert_eq(r.p[0].pkt.ifindex, 0);
		cr_assert_eq(r.p[0].pkt.wirelen, 60);
		t_ts(&r, 1, 1234, 567000000);
		cr_assert_eq(r.p[1].pkt.linktype, DS_LINKTYPE_RAW);
		cr_assert_eq(r.p[1].pkt.ifindex, 1);
		cr_assert_eq(r.p[1].pkt.caplen, 19);
		cr_assert_arr_eq(r.p[1].data, data20, 19);
		t_ts(&r, 2, 5 - 100, 500000000);
		cr_assert_eq(r.p[2].pkt.linktype, DS_LINKTYPE_NULL);
		cr_assert_eq(r.p[2].pkt.ifindex, 0);
	}
	bfree(&w);
}

Test(capture, pcapng_new_section_forgets_interfaces)
{
	struct bld w = { 0 };
	struct t_read r;

	two_sections(&w, false);
	ng_epb(&w, 1, 0, data20, 4, 4);	/* interface 1 was section 1's */
	cr_assert(t_read("forget.pcapng", w.b, w.n, &r));
	cr_assert_eq(r.n, 3);
	cr_assert_eq(r.last, -1);
	cr_assert_eq(r.ei.code, DS_EFORMAT);
	t_msg(&r.ei, "forget.pcapng: corrupt block 9 at offset ");
	t_msg(&r.ei, ": interface id 1 out of range (1 interfaces in this "
	    "section); earlier packets were read");
	bfree(&w);
}

Test(capture, pcapng_timestamp_resolutions_and_offsets)
{
	static const struct {
		uint8_t		 resol;
		uint64_t	 ts;
		int64_t		 off;
		int64_t		 sec;
		uint32_t	 nsec;
	} t[] = {
		{ 0xff, 1000001, 0, 1, 1000 },		/* default: us */
		{ 0, 42, 0, 42, 0 },			/* seconds */
		{ 9, 1500000000123456789ull, 0, 1500000000, 123456789 },
		{ 12, 2000000001000ull, 0, 2, 1 },	/* ps: ns kept */
		{ 19, 10000000000000000001ull, 0, 1, 0 },
		{ 0x80, 7, 0, 7, 0 },			/* 2^0 */
		{ 0x80 | 20, (3ull << 20) | (1u << 19), 0, 3, 500000000 },
		{ 0x80 | 40, (3ull << 40) | (1ull << 38), 0, 3, 250000000 },
		{ 0x80 | 63, 1ull << 63, 0, 1, 0 },
		{ 6, 1000000, 1700000000, 1700000001, 0 },
		{ 6, 0, -5, -5, 0 },
	};
	struct bld w = { 0 };
	struct t_read r;
	size_t i;

	for (i = 0; i < DS_NELEM(t); i++) {
		w.n = 0;
		ng_shb(&w, i % 2 == 0);
		ng_idb(&w, 1, 0, t[i].resol, t[i].off != 0, t[i].off);
		ng_epb(&w, 0, t[i].ts, data20, 20, 20);
		cr_assert(t_read("ts.pcapng", w.b, w.n, &r), "%s", r.ei.msg);
		cr_assert_eq(r.n, 1, "case %zu: %s", i, r.ei.msg);
		t_ts(&r, 0, t[i].sec, t[i].nsec);
	}
	bfree(&w);
}

Test(capture, pcapng_rejects_unknown_resolutions)
{
	static const uint8_t bad[] = { 20, 0x80 | 64 };
	struct bld w = { 0 };
	struct t_read r;
	size_t i;

	for (i = 0; i < DS_NELEM(bad); i++) {
		w.n = 0;
		ng_shb(&w, false);
		ng_idb(&w, 1, 0, bad[i], false, 0);
		cr_assert(t_read("res.pcapng", w.b, w.n, &r));
		cr_assert_eq(r.last, -1);
		t_msg(&r.ei, "corrupt block 2 at offset 28: if_tsresol");
	}
	bfree(&w);
}

Test(capture, pcapng_simple_and_obsolete_packet_blocks)
{
	struct bld w = { 0 };
	struct t_read r;

	ng_shb(&w, true);
	ng_idb(&w, DS_LINKTYPE_RAW, 16, 0xff, false, 0);
	ng_idb(&w, DS_LINKTYPE_ETHERNET, 0, 9, false, 0);
	ng_spb(&w, data20, 20, 20);	/* cut to the snaplen, 16 */
	ng_spb(&w, data20, 12, 10);	/* 2 bytes of padding */
	ng_spb(&w, data20, 8, 30);	/* the block holds 8 */
	ng_pb(&w, 1, 1000000007, data20, 20, 40);
	cr_assert(t_read("spb.pcapng", w.b, w.n, &r), "%s", r.ei.msg);
	cr_assert_eq(r.last, 0, "%s", r.ei.msg);
	cr_assert_eq(r.n, 4);
	cr_assert_eq(r.p[0].pkt.caplen, 16);
	cr_assert_eq(r.p[0].pkt.wirelen, 20);
	cr_assert_eq(r.p[0].pkt.linktype, DS_LINKTYPE_RAW);
	cr_assert_eq(r.p[0].pkt.ifindex, 0);
	t_ts(&r, 0, 0, 0);
	cr_assert_eq(r.p[1].pkt.caplen, 10);
	cr_assert_eq(r.p[2].pkt.caplen, 8);
	cr_assert_eq(r.p[2].pkt.wirelen, 30);
	cr_assert_eq(r.p[3].pkt.caplen, 20);
	cr_assert_eq(r.p[3].pkt.wirelen, 40);
	cr_assert_eq(r.p[3].pkt.ifindex, 1);
	cr_assert_eq(r.p[3].pkt.linktype, DS_LINKTYPE_ETHERNET);
	t_ts(&r, 3, 1, 7);
	bfree(&w);
}

Test(capture, pcapng_skips_blocks_it_does_not_know)
{
	struct bld w = { 0 };
	struct t_read r;

	ng_shb(&w, false);
	ng_other(&w, 4, 12);		/* Name Resolution Block */
	ng_idb(&w, 1, 0, 0xff, false, 0);
	ng_other(&w, 5, 20);		/* Interface Statistics Block */
	ng_epb(&w, 0, 1, data20, 20, 20);
	ng_other(&w, 10, 30);		/* Decryption Secrets Block */
	ng_other(&w, 0x40000bad, 8);	/* custom, not to be copied */
	ng_other(&w, 0x00000bad, 0);	/* custom */
	ng_other(&w, 0x12345678, 3);	/* unknown */
	ng_epb(&w, 0, 2, data20, 20, 20);
	cr_assert(t_read("skip.pcapng", w.b, w.n, &r), "%s", r.ei.msg);
	cr_assert_eq(r.last, 0, "%s", r.ei.msg);
	cr_assert_eq(r.n, 2);
	bfree(&w);
}

/* Two sections with each kind of block, cut after every byte. */
struct t_blk {
	size_t		 start, end;
	bool		 is_pkt, is_shb;
};

#define T_BLK(w, bl, nb, pkt, shb, call) do {				\
	(bl)[nb].start = (w)->n;					\
	call;								\
	(bl)[nb].end = (w)->n;						\
	(bl)[nb].is_pkt = (pkt);					\
	(bl)[nb].is_shb = (shb);					\
	(nb)++;								\
} while (0)

Test(capture, pcapng_truncated_at_every_byte)
{
	struct bld w = { 0 };
	struct t_blk bl[8];
	size_t nb = 0, n, k, got, need, npk;
	char want[200];
	struct t_read r;

	T_BLK(&w, bl, nb, false, true, ng_shb(&w, false));
	T_BLK(&w, bl, nb, false, false, ng_idb(&w, 1, 0, 9, false, 0));
	T_BLK(&w, bl, nb, true, false, ng_epb(&w, 0, 1, data20, 20, 20));
	T_BLK(&w, bl, nb, false, false, ng_other(&w, 4, 8));
	T_BLK(&w, bl, nb, true, false, ng_spb(&w, data20, 20, 20));
	T_BLK(&w, bl, nb, false, true, ng_shb(&w, true));
	T_BLK(&w, bl, nb, false, false, ng_idb(&w, 1, 0, 0xff, false, 0));
	T_BLK(&w, bl, nb, true, false, ng_pb(&w, 0, 1, data20, 20, 20));
	for (n = 0; n <= w.n; n++) {
		bool ok = t_read("cut.pcapng", w.b, n, &r);

		if (n < bl[0].end) {
			cr_assert_not(ok, "cut %zu", n);
			if (n >= 4)
				t_msg(&r.ei, "cut.pcapng: truncated block 1 "
				    "(got ");
			continue;
		}
		cr_assert(ok, "cut %zu: %s", n, r.ei.msg);
		for (k = 0, npk = 0; k < nb && bl[k].end <= n; k++)
			npk += bl[k].is_pkt;
		cr_assert_eq(r.n, (int)npk, "cut %zu: %d packets", n, r.n);
		if (k == nb || n == bl[k].start) {
			cr_assert_eq(r.last, 0, "cut %zu: %s", n, r.ei.msg);
			continue;
		}
		got = n - bl[k].start;
		need = bl[k].end - bl[k].start;
		if (got < 8)
			need = 8;
		else if (got < 12 && bl[k].is_shb)	/* its magic */
			need = 12;
		snprintf(want, sizeof want, "cut.pcapng: truncated block %zu "
		    "(got %zu of %zu bytes)%s", k + 1, got, need,
		    npk > 0 ? "; earlier packets were read" : "");
		cr_assert_eq(r.last, -1, "cut %zu", n);
		cr_assert_eq(r.ei.code, DS_ETRUNC);
		cr_assert_str_eq(r.ei.msg, want);
	}
	bfree(&w);
}

/* Damages one 32-bit field of a good file and expects the message. */
static void
corrupt_case(const struct bld *good, size_t off, uint32_t v, bool be,
    int npkts, const char *want)
{
	struct bld w = { 0 };
	struct t_read r;

	bput(&w, good->b, good->n);
	w.n = off;
	w.be = be;
	b32(&w, v);
	w.n = good->n;
	cr_assert(t_read("bad.pcapng", w.b, w.n, &r), "%s", r.ei.msg);
	cr_assert_eq(r.n, npkts, "%s: %d packets", want, r.n);
	cr_assert_eq(r.last, -1, "%s", want);
	cr_assert_eq(r.ei.code, DS_EFORMAT, "%s", r.ei.msg);
	t_msg(&r.ei, want);
	bfree(&w);
}

Test(capture, pcapng_corrupt_lengths_stop_with_a_message)
{
	struct bld w = { 0 };
	size_t epb2;

	ng_shb(&w, false);			/* 0..28 */
	ng_idb(&w, 1, 0, 0xff, false, 0);	/* 28..60 */
	ng_epb(&w, 0, 1, data20, 20, 20);	/* 60.. */
	epb2 = w.n;
	ng_epb(&w, 0, 2, data20, 20, 20);
	cr_assert_eq(epb2, 124);
	corrupt_case(&w, epb2 + 4, 62, false, 1, "corrupt block 4 at offset "
	    "124: block length 62 is not a multiple of 4");
	corrupt_case(&w, epb2 + 4, 8, false, 1, "block length 8 is below "
	    "the minimum 32");
	corrupt_case(&w, epb2 + 4, 28, false, 1, "block length 28 is below "
	    "the minimum 32");
	corrupt_case(&w, epb2 + 4, 0x7ffffff0, false, 1, "block length "
	    "2147483632 exceeds the maximum");
	corrupt_case(&w, w.n - 4, 60, false, 1, "trailing length 60 differs "
	    "from the leading 64");
	corrupt_case(&w, epb2 + 8, 1, false, 1, "interface id 1 out of range");
	corrupt_case(&w, epb2 + 20, 40, false, 1, "captured length 40 runs "
	    "past the block");
	corrupt_case(&w, 60 + 4, 40, false, 0, "trailing length");
	/* the IDB's if_name option claims 200 bytes */
	corrupt_case(&w, 28 + 16, 2 | 200u << 16, false, 0, "corrupt block 2 "
	    "at offset 28: interface option 2 of 200 bytes runs past the "
	    "block");
	bfree(&w);
}

Test(capture, pcapng_packet_before_interface_is_corrupt)
{
	struct bld w = { 0 };
	struct t_read r;

	ng_shb(&w, false);
	ng_spb(&w, data20, 20, 20);
	cr_assert(t_read("spb0.pcapng", w.b, w.n, &r));
	cr_assert_eq(r.last, -1);
	t_msg(&r.ei, "simple packet block before any interface");
	w.n = 0;
	ng_shb(&w, false);
	ng_epb(&w, 0, 1, data20, 20, 20);
	cr_assert(t_read("epb0.pcapng", w.b, w.n, &r));
	cr_assert_eq(r.last, -1);
	t_msg(&r.ei, "interface id 0 out of range (0 interfaces");
	bfree(&w);
}

static void
second_section(struct bld *w)
{
	w->n = 0;
	ng_shb(w, false);
	ng_idb(w, 1, 0, 0xff, false, 0);
	ng_epb(w, 0, 1, data20, 20, 20);
	ng_shb(w, true);
}

Test(capture, pcapng_bad_second_section_header)
{
	struct bld w = { 0 };
	struct t_read r;
	size_t end;

	second_section(&w);
	end = w.n;
	w.n = 124 + 8;			/* the second SHB's byte-order magic */
	b32(&w, 0x1a2b3c4e);
	w.n = end;
	cr_assert(t_read("bom.pcapng", w.b, w.n, &r));
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.last, -1);
	t_msg(&r.ei, "bom.pcapng: corrupt block 4 at offset 124: section "
	    "header byte-order magic 0x1a2b3c4e is invalid; earlier packets "
	    "were read");
	second_section(&w);
	w.n = 124 + 12;			/* its major version */
	b16(&w, 2);
	w.n = end;
	cr_assert(t_read("ver.pcapng", w.b, w.n, &r));
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.ei.code, DS_EUNSUPP);
	cr_assert_str_eq(r.ei.msg, "ver.pcapng: unsupported pcapng version "
	    "2.0 (block 4)");
	bfree(&w);
}

Test(capture, pcapng_bad_first_section_header_fails_the_open)
{
	uint8_t b[sizeof ng_le];
	struct t_read r;

	memcpy(b, ng_le, sizeof b);
	b[12] = 2;
	cr_assert_not(t_read("v2.pcapng", b, sizeof b, &r));
	cr_assert_str_eq(r.ei.msg, "v2.pcapng: unsupported pcapng version "
	    "2.0 (block 1)");
	memcpy(b, ng_le, sizeof b);
	b[8] = 0;
	cr_assert_not(t_read("bom.pcapng", b, sizeof b, &r));
	t_msg(&r.ei, "byte-order magic 0x003c2b1a is invalid");
}

/* --- standard input ------------------------------------------------------- */

/* Feeds bytes into standard input from a child, `chunk` at a time. */
static pid_t
t_stdin(const uint8_t *p, size_t n, size_t chunk)
{
	int fds[2];
	pid_t pid;
	size_t off, k;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		close(fds[0]);
		for (off = 0; off < n; off += k) {
			k = n - off < chunk ? n - off : chunk;
			if (write(fds[1], p + off, k) != (ssize_t)k)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	cr_assert_neq(dup2(fds[0], STDIN_FILENO), -1);
	close(fds[0]);
	return pid;
}

static void
t_wait(pid_t pid)
{
	int st;

	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

Test(capture, standard_input_sniffs_pcap_through_a_pipe)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct t_read r;
	pid_t pid;

	pid = t_stdin(pcap_le, sizeof pcap_le, 3);
	s = ds_source_open_file("-", &ei);
	cr_assert_not_null(s, "%s", ei.msg);
	cr_assert_str_eq(ds_source_kind(s), "pcap");
	t_drain(s, &r);
	ds_source_close(s);
	t_wait(pid);
	cr_assert_eq(r.last, 0, "%s", r.ei.msg);
	cr_assert_eq(r.n, 2);
	cr_assert_arr_eq(r.p[1].data, "\xca\xfe", 2);
}

Test(capture, standard_input_sniffs_pcapng_through_a_pipe)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct t_read r;
	pid_t pid;

	pid = t_stdin(ng_le, sizeof ng_le, 1);
	s = ds_source_open_file("-", &ei);
	cr_assert_not_null(s, "%s", ei.msg);
	cr_assert_str_eq(ds_source_kind(s), "pcapng");
	t_drain(s, &r);
	ds_source_close(s);
	t_wait(pid);
	cr_assert_eq(r.n, 1);
	cr_assert_arr_eq(r.p[0].data, "hello", 5);
}

Test(capture, standard_input_errors_name_it)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct t_read r;
	pid_t pid;

	pid = t_stdin(pcap_le, 30, 7);
	s = ds_source_open_file("-", &ei);
	cr_assert_not_null(s, "%s", ei.msg);
	t_drain(s, &r);
	ds_source_close(s);
	t_wait(pid);
	cr_assert_eq(r.last, -1);
	cr_assert_str_eq(r.ei.msg, "standard input: truncated record 1 (got 6 "
	    "of 16 bytes)");
	pid = t_stdin((const uint8_t *)"", 0, 1);
	cr_assert_null(ds_source_open_file("-", &ei));
	cr_assert_str_eq(ei.msg, "standard input: empty file");
	t_wait(pid);
}

/*
 * Some 3 MiB of records of every size, so that records straddle the
 * buffer's end, read from a file and from a pipe in odd chunks.
 */
static void
many_records(struct bld *w, bool ng)
{
	uint8_t p[3000];
	uint32_t i, n;

	for (i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)(i % 253);
	w->be = false;
	if (ng) {
		ng_shb(w, true);
		ng_idb(w, 1, 0, 9, false, 0);
	} else
		pcap_hdr(w, 0xa1b2c3d4, 65535, 1);
	for (i = 0; w->n < (3u << 20); i++) {
		n = (i * 37) % 2990 + 1;
		p[0] = (uint8_t)i;
		if (ng)
			ng_epb(w, 0, i, p, n, n);
		else
			pcap_rec(w, i, 0, p, n, n);
	}
}

static void
check_many(struct ds_source *s)
{
	struct ds_errinfo ei;
	struct ds_pkt pkt;
	uint32_t i, n, k;
	int r;

	for (i = 0; (r = ds_source_next(s, &pkt, &ei)) == 1; i++) {
		n = (i * 37) % 2990 + 1;
		cr_assert_eq(pkt.caplen, n, "packet %u", i);
		cr_assert_eq(pkt.data[0], (uint8_t)i);
		for (k = 1; k < n; k++)
			if (pkt.data[k] != k % 253)
				cr_assert_fail("packet %u byte %u", i, k);
	}
	cr_assert_eq(r, 0, "%s", ei.msg);
	cr_assert_gt(i, 2000);
}

Test(capture, records_straddle_the_buffer)
{
	struct bld w = { 0 };
	struct ds_errinfo ei;
	struct ds_source *s;
	pid_t pid;
	int ng;

	for (ng = 0; ng < 2; ng++) {
		w.n = 0;
		many_records(&w, ng);
		s = ds_source_open_file(t_file("many", w.b, w.n), &ei);
		cr_assert_not_null(s, "%s", ei.msg);
		check_many(s);
		ds_source_close(s);
		pid = t_stdin(w.b, w.n, 4093);
		s = ds_source_open_file("-", &ei);
		cr_assert_not_null(s, "%s", ei.msg);
		check_many(s);
		ds_source_close(s);
		t_wait(pid);
	}
	bfree(&w);
}

/* --- break and filters ---------------------------------------------------- */

Test(capture, break_ends_the_reading)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct ds_pkt pkt;

	s = ds_source_open_file(t_file("b.pcap", pcap_le, sizeof pcap_le),
	    &ei);
	cr_assert_not_null(s);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 1);
	ds_source_break(s);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 0);
	cr_assert_eq(ds_source_next(s, &pkt, &ei), 0);
	ds_source_close(s);
}

/* Ethernet + IPv4 + UDP to dport, or the same without Ethernet. */
static size_t
udp_pkt(uint8_t *b, bool eth, uint16_t dport)
{
	static const uint8_t ethhdr[14] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,	/* MACs */
		0x08, 0x00,				/* IPv4 */
	};
	static const uint8_t ip_udp[28] = {
		0x45, 0x00, 0x00, 0x1c,		/* IPv4, totlen 28 */
		0x00, 0x00, 0x00, 0x00,
		0x40, 0x11, 0x00, 0x00,		/* ttl, UDP */
		192, 0, 2, 1,			/* src */
		192, 0, 2, 2,			/* dst */
		0x30, 0x39, 0x00, 0x00,		/* 12345 -> dport */
		0x00, 0x08, 0x00, 0x00,		/* length 8 */
	};
	size_t n = 0;

	if (eth) {
		memcpy(b, ethhdr, sizeof ethhdr);
		n = sizeof ethhdr;
	}
	memcpy(b + n, ip_udp, sizeof ip_udp);
	b[n + 22] = (uint8_t)(dport >> 8);
	b[n + 23] = (uint8_t)dport;
	return n + sizeof ip_udp;
}

static int
count_filtered(const char *name, const struct bld *w, const char *expr,
    struct ds_errinfo *ei, int *last)
{
	struct ds_source *s;
	struct ds_pkt pkt;
	int n = 0;

	s = ds_source_open_file(t_file(name, w->b, w->n), ei);
	cr_assert_not_null(s, "%s", ei->msg);
	if (ds_source_set_filter(s, expr, ei) != DS_OK) {
		ds_source_close(s);
		return -1;
	}
	while ((*last = ds_source_next(s, &pkt, ei)) == 1)
		n++;
	ds_source_close(s);
	return n;
}

Test(capture, filter_skips_packets_that_do_not_match)
{
	struct bld w = { 0 };
	struct ds_errinfo ei;
	uint8_t b[64];
	size_t n;
	int last;

	pcap_hdr(&w, 0xa1b2c3d4, 65535, 1);
	n = udp_pkt(b, true, 500);
	pcap_rec(&w, 1, 0, b, (uint32_t)n, (uint32_t)n);
	n = udp_pkt(b, true, 80);
	pcap_rec(&w, 2, 0, b, (uint32_t)n, (uint32_t)n);
	n = udp_pkt(b, true, 4500);
	pcap_rec(&w, 3, 0, b, (uint32_t)n, (uint32_t)n);
	cr_assert_eq(count_filtered("f.pcap", &w, "udp dst port 500 or "
	    "udp dst port 4500", &ei, &last), 2);
	cr_assert_eq(last, 0);
	cr_assert_eq(count_filtered("f.pcap", &w, "tcp", &ei, &last), 0);
	cr_assert_eq(count_filtered("f.pcap", &w, "", &ei, &last), 3);
	bfree(&w);
}

/* pcapng interfaces of two link types: one program for each. */
Test(capture, filter_follows_the_link_type_of_each_interface)
{
	struct bld w = { 0 };
	struct ds_errinfo ei;
	uint8_t b[64];
	size_t n;
	int last;

	ng_shb(&w, false);
	ng_idb(&w, DS_LINKTYPE_RAW, 0, 0xff, false, 0);
	ng_idb(&w, DS_LINKTYPE_ETHERNET, 0, 0xff, false, 0);
	n = udp_pkt(b, false, 500);
	ng_epb(&w, 0, 1, b, (uint32_t)n, (uint32_t)n);
	n = udp_pkt(b, true, 500);
	ng_epb(&w, 1, 2, b, (uint32_t)n, (uint32_t)n);
	n = udp_pkt(b, true, 53);
	ng_epb(&w, 1, 3, b, (uint32_t)n, (uint32_t)n);
	n = udp_pkt(b, false, 53);
	ng_epb(&w, 0, 4, b, (uint32_t)n, (uint32_t)n);
	cr_assert_eq(count_filtered("f.pcapng", &w, "udp port 500", &ei,
	    &last), 2);
	cr_assert_eq(last, 0, "%s", ei.msg);
	cr_assert_eq(count_filtered("f.pcapng", &w, "not udp port 500", &ei,
	    &last), 2);
	/* valid for raw IP (the first interface), not for Ethernet */
	cr_assert_eq(count_filtered("f.pcapng", &w, "ip[9] = 17 and "
	    "ip[0] = 0x45", &ei, &last), 4);
	/* a link-layer filter is valid for Ethernet only */
	w.n = 0;
	ng_shb(&w, false);
	ng_idb(&w, DS_LINKTYPE_ETHERNET, 0, 0xff, false, 0);
	ng_idb(&w, DS_LINKTYPE_RAW, 0, 0xff, false, 0);
	n = udp_pkt(b, true, 500);
	ng_epb(&w, 0, 1, b, (uint32_t)n, (uint32_t)n);
	n = udp_pkt(b, false, 500);
	ng_epb(&w, 1, 2, b, (uint32_t)n, (uint32_t)n);
	cr_assert_eq(count_filtered("g.pcapng", &w, "ether src "
	    "06:07:08:09:0a:0b", &ei, &last), 1);
	cr_assert_eq(last, -1);
	cr_assert_eq(ei.code, DS_EUSAGE);
	t_msg(&ei, "g.pcapng: filter \"ether src 06:07:08:09:0a:0b\" cannot "
	    "be used on link type 101: ");
	bfree(&w);
}

Test(capture, bad_filter_is_a_usage_error)
{
	struct bld w = { 0 };
	struct ds_errinfo ei;
	int last;

	pcap_hdr(&w, 0xa1b2c3d4, 65535, 1);
	cr_assert_eq(count_filtered("f.pcap", &w, "udp prot 500", &ei,
	    &last), -1);
	cr_assert_eq(ei.code, DS_EUSAGE);
	t_msg(&ei, "filter \"udp prot 500\": ");
	t_msg(&ei, "syntax error");
	bfree(&w);
}

/* A NULL expression removes the filter. */
Test(capture, null_filter_removes_it)
{
	struct ds_errinfo ei;
	struct ds_source *s;
	struct t_read r;

	s = ds_source_open_file(t_file("n.pcap", pcap_le, sizeof pcap_le),
	    &ei);
	cr_assert_not_null(s);
	cr_assert_eq(ds_source_set_filter(s, "tcp", &ei), DS_OK);
	cr_assert_eq(ds_source_set_filter(s, NULL, &ei), DS_OK);
	t_drain(s, &r);
	cr_assert_eq(r.n, 2);
	ds_source_close(s);
}
