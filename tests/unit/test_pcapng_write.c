/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pcapng writer's byte layout (draft-ietf-opsawg-pcapng 3.1, 3.5, 4.1,
 * 4.2, 4.3), its files read back by libpcap, by our reader and by tshark,
 * and the export of hand-built decrypted frames: tunnel mode, transport
 * mode with the IP header rebuilt, ESP in ESP, AH, IPComp, --keep-all.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dissect/capture.h"
#include "dissect/dissect.h"
#include "dissect/keyring.h"
#include "dissect/pcapng.h"
#include "dissect/sink.h"

/* ---- helpers ------------------------------------------------------------ */

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t
rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A temporary file name under /tmp; the file is created empty. */
static const char *
tmpname(char *buf, size_t len, const char *tag)
{
	int fd;

	snprintf(buf, len, "/tmp/test-pcapng-%s-XXXXXX", tag);
	fd = mkstemp(buf);
	cr_assert_geq(fd, 0);
	close(fd);
	return buf;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	cr_assert_not_null(b);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* ---- the writer's layout ------------------------------------------------- */

Test(pcapng_write, section_header_has_magic_version_and_userappl)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	struct ds_pcapng_writer *w;
	const uint8_t *p;

	cr_assert_not_null(f);
	cr_assert_not_null(w = ds_pcapng_writer_new(f, "ipsec-dump 0.1"));
	cr_assert_eq(ds_pcapng_writer_flush(w), DS_OK);
	ds_pcapng_writer_free(w);
	fclose(f);
	p = (const uint8_t *)mem;
	/* 28 fixed + option 4+16 ("ipsec-dump 0.1" is 14, padded) + 4 end */
	cr_assert_eq(len, 52);
	cr_assert_eq(rd32(p), 0x0A0D0D0Au);
	cr_assert_eq(rd32(p + 4), 52);
	cr_assert_eq(rd32(p + 8), 0x1A2B3C4Du);
	cr_assert_eq(rd16(p + 12), 1);
	cr_assert_eq(rd16(p + 14), 0);
	cr_assert_eq(rd32(p + 16), 0xffffffffu);
	cr_assert_eq(rd32(p + 20), 0xffffffffu);
	cr_assert_eq(rd16(p + 24), 4);		/* shb_userappl */
	cr_assert_eq(rd16(p + 26), 14);
	cr_assert_eq(memcmp(p + 28, "ipsec-dump 0.1\0\0", 16), 0);
	cr_assert_eq(rd32(p + 44), 0);		/* opt_endofopt */
	cr_assert_eq(rd32(p + 48), 52);
	free(mem);
}

Test(pcapng_write, section_header_without_appl_has_no_options)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	struct ds_pcapng_writer *w;

	cr_assert_not_null(w = ds_pcapng_writer_new(f, NULL));
	cr_assert_eq(ds_pcapng_writer_flush(w), DS_OK);
	ds_pcapng_writer_free(w);
	fclose(f);
	cr_assert_eq(len, 28);
	cr_assert_eq(rd32((uint8_t *)mem + 4), 28);
	cr_assert_eq(rd32((uint8_t *)mem + 24), 28);
	free(mem);
}

Test(pcapng_write, interface_block_has_linktype_snaplen_and_tsresol)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	struct ds_pcapng_writer *w = ds_pcapng_writer_new(f, NULL);
	const uint8_t *p;
	uint32_t id = 99;

	cr_assert_eq(ds_pcapng_writer_iface(w, 101, 0, &id), DS_OK);
	cr_assert_eq(id, 0);
	cr_assert_eq(ds_pcapng_writer_iface(w, 1, 65535, &id), DS_OK);
	cr_assert_eq(id, 1);
	cr_assert_eq(ds_pcapng_writer_iface(w, -1, 0, &id), DS_EUSAGE);
	cr_assert_eq(ds_pcapng_writer_flush(w), DS_OK);
	ds_pcapng_writer_free(w);
	fclose(f);
	cr_assert_eq(len, 28 + 2 * 32);
	p = (const uint8_t *)mem + 28;
	cr_assert_eq(rd32(p), 1);
	cr_assert_eq(rd32(p + 4), 32);
	cr_assert_eq(rd16(p + 8), 101);
	cr_assert_eq(rd16(p + 10), 0);
	cr_assert_eq(rd32(p + 12), 0);
	cr_assert_eq(rd16(p + 16), 9);		/* if_tsresol */
	cr_assert_eq(rd16(p + 18), 1);
	cr_assert_eq(p[20], 9);
	cr_assert_eq(p[21] | p[22] | p[23], 0);
	cr_assert_eq(rd32(p + 24), 0);		/* opt_endofopt */
	cr_assert_eq(rd32(p + 4), 32);
	cr_assert_eq(rd32(p + 28), 32);
	p += 32;
	cr_assert_eq(rd16(p + 8), 1);
	cr_assert_eq(rd32(p + 12), 65535);
	cr_assert_eq(rd32(p + 28), 32);
	free(mem);
}

/* Block lengths and zero padding for every data length 0..8. */
Test(pcapng_write, packet_block_pads_every_length)
{
	static const uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint32_t len, id, total;

	for (len = 0; len <= 8; len++) {
		char *mem = NULL;
		size_t n = 0, i;
		FILE *f = open_memstream(&mem, &n);
		struct ds_pcapng_writer *w = ds_pcapng_writer_new(f, NULL);
		const uint8_t *p;

		cr_assert_eq(ds_pcapng_writer_iface(w, 101, 0, &id), DS_OK);
		cr_assert_eq(ds_pcapng_writer_packet(w, id,
		    0x0000000123456789ull, data, len, len + 100, NULL), DS_OK);
		cr_assert_eq(ds_pcapng_writer_flush(w), DS_OK);
		ds_pcapng_writer_free(w);
		fclose(f);
		total = 32 + ((len + 3) & ~3u);
		cr_assert_eq(n, 28 + 32 + total, "len %u", len);
		p = (const uint8_t *)mem + 60;
		cr_assert_eq(rd32(p), 6);
		cr_assert_eq(rd32(p + 4), total, "len %u", len);
		cr_assert_eq(rd32(p + 8), 0);
		cr_assert_eq(rd32(p + 12), 0x1);
		cr_assert_eq(rd32(p + 16), 0x23456789u);
		cr_assert_eq(rd32(p + 20), len);
		cr_assert_eq(rd32(p + 24), len + 100);
		cr_assert_eq(memcmp(p + 28, data, len), 0);
		for (i = len; i < ((len + 3) & ~3u); i++)
			cr_assert_eq(p[28 + i], 0, "pad byte %zu", i);
		cr_assert_eq(rd32(p + total - 4), total);
		free(mem);
	}
}

Test(pcapng_write, packet_block_carries_a_comment_then_endofopt)
{
	static const uint8_t data[5] = { 0x45, 0, 0, 5, 0 };
	const char *c = "frame 7: not decrypted";	/* 22 octets */
	char *mem = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&mem, &n);
	struct ds_pcapng_writer *w = ds_pcapng_writer_new(f, NULL);
	const uint8_t *p;
	uint32_t id, total = 32 + 8 + 4 + 24 + 4;

	cr_assert_eq(ds_pcapng_writer_iface(w, 101, 0, &id), DS_OK);
	cr_assert_eq(ds_pcapng_writer_packet(w, id, 5, data, 5, 5, c), DS_OK);
	cr_assert_eq(ds_pcapng_writer_packet(w, 1, 5, data, 5, 5, NULL),
	    DS_EUSAGE);
	cr_assert_eq(ds_pcapng_writer_flush(w), DS_OK);
	ds_pcapng_writer_free(w);
	fclose(f);
	cr_assert_eq(n, 60 + total);
	p = (const uint8_t *)mem + 60;
	cr_assert_eq(rd32(p + 4), total);
	cr_assert_eq(rd16(p + 36), 1);		/* opt_comment */
	cr_assert_eq(rd16(p + 38), 22);
	cr_assert_eq(memcmp(p + 40, c, 22), 0);
	cr_assert_eq(p[62] | p[63], 0);
	cr_assert_eq(rd32(p + 64), 0);		/* opt_endofopt */
	cr_assert_eq(rd32(p + 68), total);
	free(mem);
}

Test(pcapng_write, write_errors_are_sticky)
{
	FILE *f = fopen("/dev/full", "w");
	struct ds_pcapng_writer *w;
	uint32_t id;

	if (f == NULL)
		cr_skip_test("no /dev/full here");
	setvbuf(f, NULL, _IONBF, 0);
	cr_assert_null(ds_pcapng_writer_new(f, "x"));
	fclose(f);
	cr_assert_not_null(f = fopen("/dev/full", "w"));
	cr_assert_not_null(w = ds_pcapng_writer_new(f, "x"));
	cr_assert_eq(ds_pcapng_writer_iface(w, 1, 0, &id), DS_OK);
	cr_assert_eq(ds_pcapng_writer_flush(w), DS_EIO);
	cr_assert_eq(ds_pcapng_writer_packet(w, id, 0, NULL, 0, 0, NULL),
	    DS_EIO);
	ds_pcapng_writer_free(w);
	fclose(f);
}

/*
 * Walks a file written by the writer (host byte order): checks that every
 * block's two lengths agree and the blocks tile the file, and counts
 * EPBs and their opt_comment options.
 */
static void
walk_blocks(const char *path, unsigned *nepb, unsigned *ncomment)
{
	size_t len, off = 0, o;
	uint8_t *b = slurp(path, &len);
	uint32_t type, total;

	*nepb = *ncomment = 0;
	while (off < len) {
		cr_assert_leq(off + 12, len);
		type = rd32(b + off);
		total = rd32(b + off + 4);
		cr_assert_eq(total % 4, 0);
		cr_assert_leq(off + total, len);
		cr_assert_eq(rd32(b + off + total - 4), total);
		if (type == 6) {
			(*nepb)++;
			o = off + 28 + ((rd32(b + off + 20) + 3) & ~3u);
			while (o + 4 <= off + total - 4) {
				uint16_t code = rd16(b + o);
				uint16_t olen = rd16(b + o + 2);

				if (code == 0)
					break;
				if (code == 1)
					(*ncomment)++;
				o += 4 + ((olen + 3u) & ~3u);
			}
		}
		off += total;
	}
	free(b);
}

/* ---- hand-built frames, filled as the dissectors fill them ------------ */

struct tframe {
	struct ds_frame	 f;
	uint8_t		 data[512];
	size_t		 len;
};

static void
tf_init(struct tframe *t, const uint8_t *p, size_t len, int linktype)
{
	memset(t, 0, sizeof *t);
	memcpy(t->data, p, len);
	t->len = len;
	t->f.index = 12;
	t->f.ts_sec = 1700000000;
	t->f.ts_nsec = 123456789;
	t->f.caplen = t->f.wirelen = (uint32_t)len;
	t->f.linktype = linktype;
	t->f.data = t->data;
	t->f.fclass = DS_FC_IPSEC;
}

static struct ds_layer *
tf_push(struct tframe *t, enum ds_proto proto, size_t off, size_t len,
    uint8_t depth)
{
	struct ds_layer *l = &t->f.layer[t->f.nlayers++];

	memset(l, 0, sizeof *l);
	l->proto = proto;
	l->depth = depth;
	l->bytes.p = t->f.data + off;
	l->bytes.len = len;
	return l;
}

static struct ds_layer *
tf_esp(struct tframe *t, size_t off, const uint8_t *plain, size_t plen,
    uint8_t nxt)
{
	struct ds_layer *l = tf_push(t, DS_P_ESP, off, t->len - off, 0);

	l->u.esp.spi = 0xc0ffee01;
	l->u.esp.seq = 42;
	l->u.esp.payload_len = (uint32_t)(t->len - off - 8);
	l->u.esp.status = DS_SAS_OK;
	l->u.esp.icv = DS_ICV_GOOD;
	l->u.esp.decrypted = true;
	l->u.esp.nxt = nxt;
	l->u.esp.sa_label = "office-out";
	l->u.esp.sa_id = 1;
	l->u.esp.plain.p = plain;
	l->u.esp.plain.len = plen;
	return l;
}

/* RFC 1071: a header with a correct checksum sums to 0xffff. */
static bool
cksum_ok(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

static const struct ds_export_opts raw_opts = { false, false };
static const struct ds_export_opts keep_opts = { true, false };
static const struct ds_export_opts ether_opts = { false, true };
static uint8_t xbuf[DS_EXPORT_BUF];

/* IPv4 with 4 option bytes, MF set, protocol ESP; then ESP (24 bytes). */
static const uint8_t v4opt_esp[] = {
	0x46, 0x00, 0x00, 0x30,	0x12, 0x34, 0x20, 0x00,
	0x40, 0x32, 0x00, 0x00,	0xc0, 0x00, 0x02, 0x0a,
	0xcb, 0x00, 0x71, 0x05,	0x01, 0x01, 0x01, 0x00,	/* NOP NOP NOP EOL */
	0xc0, 0xff, 0xee, 0x01,	0x00, 0x00, 0x00, 0x2a,	/* SPI, seq 42 */
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
};
/* UDP 1234 > 53, 4 bytes of data */
static const uint8_t udp_plain[] = {
	0x04, 0xd2, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'a', 'b', 'c', 'd',
};

/* v4opt_esp as the dissectors leave it: transport mode carrying UDP. */
static struct ds_layer *
v4opt_frame(struct tframe *t)
{
	struct ds_layer *l;

	tf_init(t, v4opt_esp, sizeof v4opt_esp, DS_LINKTYPE_RAW);
	l = tf_push(t, DS_P_IPV4, 0, sizeof v4opt_esp, 0);
	l->u.ip4.hlen = 24;
	l->u.ip4.proto = 50;
	return tf_esp(t, 24, udp_plain, sizeof udp_plain, 17);
}

Test(export, transport_ipv4_keeps_options_and_fixes_header)
{
	struct tframe t;
	struct ds_export_pkt x;

	v4opt_frame(&t);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.linktype, DS_LINKTYPE_RAW);
	cr_assert_eq(x.len, 24 + sizeof udp_plain);
	cr_assert_eq(x.origlen, x.len);
	cr_assert_eq(be16(x.p + 2), 24 + sizeof udp_plain);
	cr_assert_eq(be16(x.p + 6), 0, "MF and offset cleared");
	cr_assert_eq(x.p[9], 17);
	cr_assert(cksum_ok(x.p, 24));
	cr_assert_eq(memcmp(x.p + 20, v4opt_esp + 20, 4), 0, "options kept");
	cr_assert_eq(memcmp(x.p + 12, v4opt_esp + 12, 8), 0);
	cr_assert_eq(memcmp(x.p + 24, udp_plain, sizeof udp_plain), 0);
	cr_assert_eq(x.ts_ns, 1700000000123456789ull);
	cr_assert_str_eq(x.comment,
	    "frame 12: esp spi=0xc0ffee01 seq=42 icv=good sa=office-out");
}

Test(export, esn_sequence_is_printed_as_64_bits)
{
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;

	l = v4opt_frame(&t);
	l->u.esp.esn = true;
	l->u.esp.seq_hi = 1;
	l->u.esp.sa_label = NULL;
	l->u.esp.icv = DS_ICV_NONE;
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_str_eq(x.comment,
	    "frame 12: esp spi=0xc0ffee01 seq=4294967338 icv=none");
}

/*
 * IPv6, Hop-by-Hop (8), an atomic Fragment header (8), Destination
 * Options (8), then ESP.
 */
static const uint8_t v6ext_esp[] = {
	0x60, 0x00, 0x00, 0x00,	0x00, 0x30, 0x00, 0x40,
	0x20, 0x01, 0x0d, 0xb8,	0, 0, 0, 0, 0, 0, 0, 0,	0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8,	0, 0, 0, 0, 0, 0, 0, 0,	0, 0, 0, 2,
	0x2c, 0x00, 0x01, 0x04,	0x00, 0x00, 0x00, 0x00,	/* HBH > Frag */
	0x3c, 0x00, 0x00, 0x00,	0xaa, 0xbb, 0xcc, 0xdd,	/* Frag > DstOpts */
	0x32, 0x00, 0x01, 0x04,	0x00, 0x00, 0x00, 0x00,	/* DstOpts > ESP */
	0xc0, 0xff, 0xee, 0x01,	0x00, 0x00, 0x00, 0x2a,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
};

Test(export, transport_ipv6_keeps_extension_headers_but_fragment)
{
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;

	tf_init(&t, v6ext_esp, sizeof v6ext_esp, DS_LINKTYPE_RAW);
	l = tf_push(&t, DS_P_IPV6, 0, sizeof v6ext_esp, 0);
	l->u.ip6.nxt = 0;
	l->u.ip6.proto = 50;
	l->u.ip6.extlen = 24;
	tf_esp(&t, 64, udp_plain, sizeof udp_plain, 17);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.len, 40 + 16 + sizeof udp_plain);
	cr_assert_eq(be16(x.p + 4), 16 + sizeof udp_plain);
	cr_assert_eq(x.p[6], 0, "fixed header still names Hop-by-Hop");
	cr_assert_eq(memcmp(x.p + 8, v6ext_esp + 8, 32), 0);
	cr_assert_eq(x.p[40], 60, "Hop-by-Hop now names Destination Options");
	cr_assert_eq(memcmp(x.p + 41, v6ext_esp + 41, 7), 0);
	cr_assert_eq(x.p[48], 17, "the last Next Header is ESP's");
	cr_assert_eq(memcmp(x.p + 49, v6ext_esp + 57, 7), 0);
	cr_assert_eq(memcmp(x.p + 56, udp_plain, sizeof udp_plain), 0);
}

Test(export, transport_ipv6_without_extension_headers)
{
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;
	uint8_t p[40 + 24];

	memcpy(p, v6ext_esp, 40);
	p[6] = 50;
	memcpy(p + 40, v6ext_esp + 64, 24);
	tf_init(&t, p, sizeof p, DS_LINKTYPE_RAW);
	l = tf_push(&t, DS_P_IPV6, 0, sizeof p, 0);
	l->u.ip6.nxt = l->u.ip6.proto = 50;
	tf_esp(&t, 40, udp_plain, sizeof udp_plain, 17);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.len, 40 + sizeof udp_plain);
	cr_assert_eq(x.p[6], 17);
	cr_assert_eq(be16(x.p + 4), sizeof udp_plain);
}

/* IPv4, UDP 4500, ESP (RFC 3948). */
static const uint8_t v4_udp_esp[] = {
	0x45, 0x00, 0x00, 0x34,	0x00, 0x01, 0x40, 0x00,
	0x40, 0x11, 0x00, 0x00,	0xc0, 0x00, 0x02, 0x0a,
	0xcb, 0x00, 0x71, 0x05,
	0x11, 0x94, 0x11, 0x94,	0x00, 0x20, 0x00, 0x00,
	0xc0, 0xff, 0xee, 0x01,	0x00, 0x00, 0x00, 0x2a,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
};

Test(export, udp_encapsulated_transport_loses_the_udp_header)
{
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;

	tf_init(&t, v4_udp_esp, sizeof v4_udp_esp, DS_LINKTYPE_RAW);
	l = tf_push(&t, DS_P_IPV4, 0, sizeof v4_udp_esp, 0);
	l->u.ip4.hlen = 20;
	l->u.ip4.proto = 17;
	l = tf_push(&t, DS_P_UDP, 20, sizeof v4_udp_esp - 20, 0);
	l->u.udp.sport = l->u.udp.dport = 4500;
	l = tf_esp(&t, 28, udp_plain, sizeof udp_plain, 17);
	l->u.esp.in_udp = true;
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.len, 20 + sizeof udp_plain);
	cr_assert_eq(x.p[9], 17);
	cr_assert_eq(be16(x.p + 2), 20 + sizeof udp_plain);
	cr_assert_eq(be16(x.p + 6), 0x4000, "DF kept");
	cr_assert(cksum_ok(x.p, 20));
	cr_assert_eq(memcmp(x.p + 20, udp_plain, sizeof udp_plain), 0);
}

/* Ethernet, one 802.1Q tag, IPv4, ESP: the tunnel carries IPv6. */
static const uint8_t eth_vlan_v4_esp[] = {
	0x02, 0, 0, 0, 0, 0x02,	0x02, 0, 0, 0, 0, 0x01,	0x81, 0x00,
	0x00, 0x64, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x2c,	0x00, 0x01, 0x00, 0x00,
	0x40, 0x32, 0x00, 0x00,	0xc0, 0x00, 0x02, 0x0a,
	0xcb, 0x00, 0x71, 0x05,
	0xc0, 0xff, 0xee, 0x01,	0x00, 0x00, 0x00, 0x2a,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
	0xde, 0xad, 0xbe, 0xef,	0xde, 0xad, 0xbe, 0xef,
};
static uint8_t inner6[40 + sizeof udp_plain];

static void
tunnel_frame(struct tframe *t)
{
	struct ds_layer *l;

	memcpy(inner6, v6ext_esp, 40);
	inner6[5] = sizeof udp_plain;
	inner6[6] = 17;
	memcpy(inner6 + 40, udp_plain, sizeof udp_plain);
	tf_init(t, eth_vlan_v4_esp, sizeof eth_vlan_v4_esp,
	    DS_LINKTYPE_ETHERNET);
	l = tf_push(t, DS_P_ETH, 0, t->len, 0);
	l->u.eth.type = 0x8100;
	l = tf_push(t, DS_P_VLAN, 12, t->len - 12, 0);
	l->u.vlan.type = 0x0800;
	l = tf_push(t, DS_P_IPV4, 18, t->len - 18, 0);
	l->u.ip4.hlen = 20;
	l->u.ip4.proto = 50;
	tf_esp(t, 38, inner6, sizeof inner6, 41);
	l = &t->f.layer[t->f.nlayers++];
	memset(l, 0, sizeof *l);
	l->proto = DS_P_IPV6;
	l->depth = 1;
	l->bytes.p = inner6;
	l->bytes.len = sizeof inner6;
}

Test(export, tunnel_mode_gives_the_inner_packet)
{
	struct tframe t;
	struct ds_export_pkt x;

	tunnel_frame(&t);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.linktype, DS_LINKTYPE_RAW);
	cr_assert_eq(x.len, sizeof inner6);
	cr_assert_eq(memcmp(x.p, inner6, sizeof inner6), 0);
}

Test(export, ether_link_keeps_macs_and_vlan_with_the_inner_ethertype)
{
	struct tframe t;
	struct ds_export_pkt x;

	tunnel_frame(&t);
	ds_export_packet(&t.f, &ether_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.linktype, DS_LINKTYPE_ETHERNET);
	cr_assert_eq(x.len, 18 + sizeof inner6);
	cr_assert_eq(memcmp(x.p, eth_vlan_v4_esp, 16), 0);
	cr_assert_eq(be16(x.p + 16), 0x86dd);
	cr_assert_eq(memcmp(x.p + 18, inner6, sizeof inner6), 0);
}

Test(export, ether_link_on_a_raw_frame_stays_raw)
{
	struct tframe t;
	struct ds_export_pkt x;

	v4opt_frame(&t);
	ds_export_packet(&t.f, &ether_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.linktype, DS_LINKTYPE_RAW);
	cr_assert_eq(x.p[0], 0x46);
}

/*
 * ESP in ESP: the outer plaintext is IPv4 + ESP, whose plaintext is the
 * UDP datagram (transport mode inside the tunnel).
 */
static uint8_t inner4esp[20 + 24];

static void
nested_frame(struct tframe *t, uint8_t inner_status)
{
	struct ds_layer *l;

	memcpy(inner4esp, v4_udp_esp, 20);
	inner4esp[3] = sizeof inner4esp;
	inner4esp[9] = 50;
	memcpy(inner4esp + 20, v4_udp_esp + 28, 24);
	inner4esp[23] = 0x02;			/* SPI 0xc0ffee02 */
	tf_init(t, eth_vlan_v4_esp + 18, sizeof eth_vlan_v4_esp - 18,
	    DS_LINKTYPE_RAW);
	l = tf_push(t, DS_P_IPV4, 0, t->len, 0);
	l->u.ip4.hlen = 20;
	tf_esp(t, 20, inner4esp, sizeof inner4esp, 4);
	l = &t->f.layer[t->f.nlayers++];
	memset(l, 0, sizeof *l);
	l->proto = DS_P_IPV4;
	l->depth = 1;
	l->bytes.p = inner4esp;
	l->bytes.len = sizeof inner4esp;
	l->u.ip4.hlen = 20;
	l = &t->f.layer[t->f.nlayers++];
	memset(l, 0, sizeof *l);
	l->proto = DS_P_ESP;
	l->depth = 1;
	l->bytes.p = inner4esp + 20;
	l->bytes.len = 24;
	l->u.esp.spi = 0xc0ffee02;
	l->u.esp.seq = 7;
	l->u.esp.status = inner_status;
	if (inner_status == DS_SAS_OK) {
		l->u.esp.decrypted = true;
		l->u.esp.icv = DS_ICV_GOOD;
		l->u.esp.nxt = 17;
		l->u.esp.sa_label = "inner";
		l->u.esp.plain.p = udp_plain;
		l->u.esp.plain.len = sizeof udp_plain;
	}
}

Test(export, esp_in_esp_gives_the_innermost_packet)
{
	struct tframe t;
	struct ds_export_pkt x;

	nested_frame(&t, DS_SAS_OK);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.len, 20 + sizeof udp_plain);
	cr_assert_eq(x.p[9], 17);
	cr_assert_eq(be16(x.p + 2), 20 + sizeof udp_plain);
	cr_assert(cksum_ok(x.p, 20));
	cr_assert_eq(memcmp(x.p + 20, udp_plain, sizeof udp_plain), 0);
	cr_assert_str_eq(x.comment, "frame 12: esp spi=0xc0ffee01 seq=42 "
	    "icv=good sa=office-out; esp spi=0xc0ffee02 seq=7 icv=good "
	    "sa=inner");
}

/*
 * ESP opened fifteen deep, long labels, ESN: the comment is cut to its
 * buffer and stays a C string (it once lost its NUL when full).
 */
Test(export, a_comment_that_fills_its_buffer_stays_terminated)
{
	static const char label[] = "a-label-of-sixty-three-characters-"
	    "made-to-fill-the-comment-buffer";
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;
	unsigned i;

	tf_init(&t, v4_udp_esp, sizeof v4_udp_esp, DS_LINKTYPE_RAW);
	l = tf_push(&t, DS_P_IPV4, 0, t.len, 0);
	l->u.ip4.hlen = 20;
	for (i = 0; t.f.nlayers < DS_MAX_LAYERS; i++) {
		l = tf_esp(&t, 20, udp_plain, sizeof udp_plain,
		    t.f.nlayers + 1 < DS_MAX_LAYERS ? 50 : 17);
		l->depth = (uint8_t)i;
		l->u.esp.esn = true;
		l->u.esp.seq_hi = 0xffffffff;
		l->u.esp.seq = 0xffffffff;
		l->u.esp.sa_label = label;
	}
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_lt(strlen(x.comment), sizeof x.comment);
	cr_assert_gt(strlen(x.comment), sizeof x.comment / 2);
}

Test(export, esp_in_esp_with_the_inner_unopened_is_not_decrypted)
{
	struct tframe t;
	struct ds_export_pkt x;

	nested_frame(&t, DS_SAS_NO_SA);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_SKIP);
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_UNCHANGED);
	cr_assert_eq(x.p, t.f.data);
	cr_assert_str_eq(x.comment,
	    "frame 12: not decrypted: esp spi=0xc0ffee02 no-sa");
}

Test(export, unopened_esp_is_never_written_as_decrypted)
{
	static const uint8_t bad[] = {
		DS_SAS_NOT_TRIED, DS_SAS_NO_SA, DS_SAS_ICV_FAILED,
		DS_SAS_BAD_PADDING, DS_SAS_BAD_LENGTH, DS_SAS_TRUNCATED,
		DS_SAS_UNSUPPORTED, DS_SAS_OK,
	};
	static const char *why[] = {
		"not-tried", "no-sa", "icv-failed", "bad-padding",
		"bad-length", "truncated", "unsupported", "not-opened",
	};
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;
	char want[128];
	size_t i;

	for (i = 0; i < DS_NELEM(bad); i++) {
		l = v4opt_frame(&t);
		t.f.index = 7;
		l->u.esp.status = bad[i];
		/* "ok" without plaintext is not opened either */
		l->u.esp.decrypted = bad[i] != DS_SAS_OK ? i % 2 == 0 : false;
		ds_export_packet(&t.f, &raw_opts, xbuf, &x);
		cr_assert_eq(x.kind, DS_EXPORT_SKIP, "status %s", why[i]);
		ds_export_packet(&t.f, &keep_opts, xbuf, &x);
		cr_assert_eq(x.kind, DS_EXPORT_UNCHANGED);
		cr_assert_eq(x.len, sizeof v4opt_esp);
		cr_assert_eq(memcmp(x.p, v4opt_esp, x.len), 0);
		snprintf(want, sizeof want, "frame 7: not decrypted: "
		    "esp spi=0xc0ffee01 %s", why[i]);
		cr_assert_str_eq(x.comment, want);
	}
}

/* IPv4, AH (24 octets: 12 of ICV), TCP header (20). */
static const uint8_t v4_ah_tcp[] = {
	0x45, 0x00, 0x00, 0x40,	0x00, 0x01, 0x00, 0x00,
	0x40, 0x33, 0x00, 0x00,	0xc0, 0x00, 0x02, 0x0a,
	0xcb, 0x00, 0x71, 0x05,
	0x06, 0x04, 0x00, 0x00,	0x00, 0x00, 0x10, 0x01,	/* AH, SPI 0x1001 */
	0x00, 0x00, 0x00, 0x05,	0x11, 0x11, 0x11, 0x11,
	0x11, 0x11, 0x11, 0x11,	0x11, 0x11, 0x11, 0x11,
	0x04, 0xd2, 0x00, 0x50,	0x00, 0x00, 0x00, 0x01,	/* TCP */
	0x00, 0x00, 0x00, 0x00,	0x50, 0x02, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00,
};

static void
ah_frame(struct tframe *t, uint8_t status, uint8_t verdict)
{
	struct ds_layer *l;

	tf_init(t, v4_ah_tcp, sizeof v4_ah_tcp, DS_LINKTYPE_RAW);
	l = tf_push(t, DS_P_IPV4, 0, t->len, 0);
	l->u.ip4.hlen = 20;
	l->u.ip4.proto = 51;
	l = tf_push(t, DS_P_AH, 20, t->len - 20, 0);
	l->u.ah.nxt = 6;
	l->u.ah.len = 4;
	l->u.ah.spi = 0x1001;
	l->u.ah.seq = 5;
	l->u.ah.status = status;
	l->u.ah.icv_verdict = verdict;
	l->u.ah.sa_label = "ah-lab";
	tf_push(t, DS_P_TCP, 44, t->len - 44, 0);
}

Test(export, verified_ah_is_removed)
{
	struct tframe t;
	struct ds_export_pkt x;

	ah_frame(&t, DS_SAS_OK, DS_ICV_GOOD);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.len, 40);
	cr_assert_eq(x.p[9], 6);
	cr_assert_eq(be16(x.p + 2), 40);
	cr_assert(cksum_ok(x.p, 20));
	cr_assert_eq(memcmp(x.p + 20, v4_ah_tcp + 44, 20), 0);
	cr_assert_str_eq(x.comment,
	    "frame 12: ah spi=0x00001001 seq=5 icv=good sa=ah-lab");
}

Test(export, unverified_ah_stays)
{
	struct tframe t;
	struct ds_export_pkt x;

	ah_frame(&t, DS_SAS_ICV_FAILED, DS_ICV_BAD);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_SKIP);
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_UNCHANGED);
	cr_assert_str_eq(x.comment,
	    "frame 12: not decrypted: ah spi=0x00001001 icv-failed");
	ah_frame(&t, DS_SAS_OK, DS_ICV_UNCHECKED);
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_UNCHANGED);
	cr_assert_str_eq(x.comment,
	    "frame 12: not decrypted: ah spi=0x00001001 icv=unchecked");
}

/* IPv4, AH that failed, ESP that opened: ESP decides, the comment says. */
Test(export, failed_ah_under_opened_esp_is_named_in_the_comment)
{
	struct tframe t;
	struct ds_export_pkt x;

	ah_frame(&t, DS_SAS_ICV_FAILED, DS_ICV_BAD);
	t.f.nlayers = 2;
	t.f.layer[1].u.ah.nxt = 50;
	tf_esp(&t, 44, udp_plain, sizeof udp_plain, 17);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.len, 20 + sizeof udp_plain);
	cr_assert_eq(x.p[9], 17, "AH and ESP both gone");
	cr_assert_str_eq(x.comment, "frame 12: esp spi=0xc0ffee01 seq=42 "
	    "icv=good sa=office-out; not decrypted: ah spi=0x00001001 "
	    "icv-failed");
}

Test(export, inflated_ipcomp_tunnel_gives_the_inner_packet)
{
	static const uint8_t p[] = {
		0x45, 0x00, 0x00, 0x1c,	0x00, 0x01, 0x00, 0x00,
		0x40, 0x6c, 0x00, 0x00,	0xc0, 0x00, 0x02, 0x0a,
		0xcb, 0x00, 0x71, 0x05,
		0x04, 0x00, 0x00, 0x02,	0x78, 0x9c, 0x03, 0x00,
	};
	uint8_t inner[20 + sizeof udp_plain];
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;

	memcpy(inner, v4_udp_esp, 20);
	memcpy(inner + 20, udp_plain, sizeof udp_plain);
	tf_init(&t, p, sizeof p, DS_LINKTYPE_RAW);
	l = tf_push(&t, DS_P_IPV4, 0, t.len, 0);
	l->u.ip4.hlen = 20;
	l = tf_push(&t, DS_P_IPCOMP, 20, 8, 0);
	l->u.ipcomp.nxt = 4;
	l->u.ipcomp.cpi = 2;
	l->u.ipcomp.inflated = true;
	l->u.ipcomp.plain.p = inner;
	l->u.ipcomp.plain.len = sizeof inner;
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED);
	cr_assert_eq(x.len, sizeof inner);
	cr_assert_eq(memcmp(x.p, inner, sizeof inner), 0);
	cr_assert_str_eq(x.comment, "frame 12: ipcomp cpi=0x0002");
	l->u.ipcomp.inflated = false;
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_UNCHANGED);
	cr_assert_str_eq(x.comment,
	    "frame 12: not decrypted: ipcomp cpi=0x0002 not-inflated");
}

Test(export, non_ipsec_frames_are_kept_without_comment)
{
	struct tframe t;
	struct ds_export_pkt x;
	struct ds_layer *l;

	tf_init(&t, v4_udp_esp, 28, DS_LINKTYPE_RAW);
	t.f.wirelen = 1000;
	l = tf_push(&t, DS_P_IPV4, 0, 28, 0);
	l->u.ip4.hlen = 20;
	tf_push(&t, DS_P_UDP, 20, 8, 0);
	ds_export_packet(&t.f, &raw_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_SKIP);
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	cr_assert_eq(x.kind, DS_EXPORT_UNCHANGED);
	cr_assert_eq(x.len, 28);
	cr_assert_eq(x.origlen, 1000);
	cr_assert_str_eq(x.comment, "");
}

/* ---- the sink's file, read back three ways ------------------------------ */

struct expect {
	uint32_t	 len;
	uint8_t		 data[128];
	int		 linktype;
	bool		 commented;
};

/*
 * Frames through ds_sink_pcapng with --keep-all: the tunnel (raw and,
 * unchanged, Ethernet), transport IPv4, an unopened ESP.
 */
static void
write_sample(const char *path, struct expect *want, unsigned *nwant,
    bool mixed)
{
	struct ds_sink_opts so = { 0 };
	struct ds_export_pkt x;
	struct tframe t;
	void *st;
	FILE *f = fopen(path, "wb");
	unsigned n = 0;

	cr_assert_not_null(f);
	so.export_keep_all = true;
	so.export_appl = "test";
	cr_assert_eq(ds_sink_pcapng.open(&st, f, &so), DS_OK);

	tunnel_frame(&t);
	t.f.index = 1;
	cr_assert_eq(ds_sink_pcapng.frame(st, &t.f), DS_OK);
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	want[n].len = x.len;
	memcpy(want[n].data, x.p, x.len);
	want[n].linktype = DS_LINKTYPE_RAW;
	want[n++].commented = true;

	v4opt_frame(&t);
	t.f.index = 2;
	t.f.ts_nsec = 5;
	cr_assert_eq(ds_sink_pcapng.frame(st, &t.f), DS_OK);
	ds_export_packet(&t.f, &keep_opts, xbuf, &x);
	want[n].len = x.len;
	memcpy(want[n].data, x.p, x.len);
	want[n].linktype = DS_LINKTYPE_RAW;
	want[n++].commented = true;

	tunnel_frame(&t);
	if (!mixed)
		goto last;
	t.f.index = 3;
	t.f.layer[3].u.esp.status = DS_SAS_ICV_FAILED;
	t.f.layer[3].u.esp.decrypted = false;
	t.f.nlayers = 4;
	cr_assert_eq(ds_sink_pcapng.frame(st, &t.f), DS_OK);
	want[n].len = (uint32_t)t.len;
	memcpy(want[n].data, t.data, t.len);
	want[n].linktype = DS_LINKTYPE_ETHERNET;
	want[n++].commented = true;
last:
	tf_init(&t, v4_udp_esp, 28, DS_LINKTYPE_RAW);
	t.f.index = 4;
	cr_assert_eq(ds_sink_pcapng.frame(st, &t.f), DS_OK);
	want[n].len = 28;
	memcpy(want[n].data, v4_udp_esp, 28);
	want[n].linktype = DS_LINKTYPE_RAW;
	want[n++].commented = false;

	cr_assert_eq(ds_sink_pcapng.close(st, NULL, NULL), DS_OK);
	fclose(f);
	*nwant = n;
}

Test(export, file_reads_back_with_libpcap)
{
	char path[64], err[PCAP_ERRBUF_SIZE];
	struct expect want[8];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned n, i = 0, nepb, ncom;
	pcap_t *p;

	/* libpcap takes one link type per file: no Ethernet frame here */
	write_sample(tmpname(path, sizeof path, "pcap"), want, &n, false);
	walk_blocks(path, &nepb, &ncom);
	cr_assert_eq(nepb, n);
	cr_assert_eq(ncom, 2);
	p = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	cr_assert_not_null(p, "%s", err);
	while (pcap_next_ex(p, &h, &d) == 1) {
		cr_assert_lt(i, n);
		cr_assert_eq(h->caplen, want[i].len, "packet %u", i);
		cr_assert_eq(memcmp(d, want[i].data, h->caplen), 0);
		cr_assert_eq(h->ts.tv_sec, 1700000000);
		cr_assert_eq(h->ts.tv_usec, i == 1 ? 5 : 123456789);
		cr_assert_eq(pcap_datalink(p), DLT_RAW);
		i++;
	}
	cr_assert_eq(i, n);
	pcap_close(p);
	unlink(path);
}

Test(export, file_reads_back_with_our_reader)
{
	char path[64];
	struct expect want[8];
	struct ds_errinfo ei = { 0 };
	struct ds_source *s;
	struct ds_pkt pkt;
	unsigned n, i = 0;

	write_sample(tmpname(path, sizeof path, "ours"), want, &n, true);
	cr_assert_not_null(s = ds_source_open_file(path, &ei), "%s", ei.msg);
	cr_assert_str_eq(ds_source_kind(s), "pcapng");
	while (ds_source_next(s, &pkt, &ei) == 1) {
		cr_assert_lt(i, n);
		cr_assert_eq(pkt.caplen, want[i].len, "packet %u", i);
		cr_assert_eq(pkt.linktype, want[i].linktype, "packet %u", i);
		cr_assert_eq(memcmp(pkt.data, want[i].data, pkt.caplen), 0);
		cr_assert_eq(pkt.ts_sec, 1700000000);
		cr_assert_eq(pkt.ts_nsec, i == 1 ? 5 : 123456789);
		i++;
	}
	cr_assert_eq(i, n);
	cr_assert_str_eq(ei.msg, "");
	ds_source_close(s);
	unlink(path);
}

Test(export, file_reads_back_with_tshark)
{
	char path[64], cmd[256], line[512];
	struct expect want[8];
	static const char *lines[] = {
		"frame 1: esp spi=0xc0ffee01 seq=42 icv=good sa=office-out\t"
		    "\t",
		"frame 2: esp spi=0xc0ffee01 seq=42 icv=good sa=office-out\t"
		    "192.0.2.10\t203.0.113.5",
		"frame 3: not decrypted: esp spi=0xc0ffee01 icv-failed\t"
		    "192.0.2.10\t203.0.113.5",
		"\t192.0.2.10\t203.0.113.5",
	};
	unsigned n, i = 0;
	FILE *p;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		cr_skip_test("tshark is not installed: not compared");
	write_sample(tmpname(path, sizeof path, "tshark"), want, &n, true);
	snprintf(cmd, sizeof cmd, "tshark -r '%s' -T fields -e frame.comment "
	    "-e ip.src -e ip.dst 2>/dev/null", path);
	cr_assert_not_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		cr_assert_lt(i, n);
		cr_assert_str_eq(line, lines[i], "line %u", i);
		i++;
	}
	cr_assert_eq(pclose(p), 0);
	cr_assert_eq(i, n);
	unlink(path);
}

/* ---- --keep-all through ipsec-dump reproduces every sample -------------- */

static const char *
env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : dflt;
}

/*
 * Reads the original and the --keep-all copy side by side: each copied
 * packet is the original, except where the export unwrapped something,
 * which without keys can only be IPComp (RFC 3173 needs no key).
 */
static void
same_packets(const char *a, const char *b, unsigned *count)
{
	struct ds_errinfo ea = { 0 }, eb = { 0 };
	struct ds_source *sa, *sb;
	struct ds_engine *e;
	struct ds_pkt pa, pb;
	struct ds_export_pkt x;
	const struct ds_frame *f;
	int ra, rb;

	*count = 0;
	cr_assert_not_null(e = ds_engine_new(NULL));
	cr_assert_not_null(sa = ds_source_open_file(a, &ea), "%s", ea.msg);
	cr_assert_not_null(sb = ds_source_open_file(b, &eb), "%s", eb.msg);
	for (;;) {
		ra = ds_source_next(sa, &pa, &ea);
		rb = ds_source_next(sb, &pb, &eb);
		/* a damaged original ends early; the copy ends cleanly there */
		if (ra <= 0) {
			cr_assert_eq(rb, 0, "%s: extra packet %u", a, *count);
			break;
		}
		cr_assert_eq(rb, 1, "%s: packet %u missing", a, *count + 1);
		(*count)++;
		cr_assert_eq(pa.ts_sec, pb.ts_sec, "%s #%u", a, *count);
		cr_assert_eq(pa.ts_nsec, pb.ts_nsec, "%s #%u", a, *count);
		f = ds_engine_dissect(e, &pa);
		ds_export_packet(f, &keep_opts, xbuf, &x);
		if (x.kind == DS_EXPORT_DECRYPTED) {
			cr_assert_not_null(ds_frame_find_const(f, DS_P_IPCOMP),
			    "%s #%u: unwrapped without keys", a, *count);
			cr_assert_eq(pb.caplen, x.len, "%s #%u", a, *count);
			cr_assert_eq(memcmp(pb.data, x.p, x.len), 0);
			continue;
		}
		cr_assert_eq(pa.caplen, pb.caplen, "%s #%u", a, *count);
		cr_assert_eq(pa.wirelen, pb.wirelen, "%s #%u", a, *count);
		cr_assert_eq(pa.linktype, pb.linktype, "%s #%u", a, *count);
		cr_assert_eq(memcmp(pa.data, pb.data, pa.caplen), 0, "%s #%u",
		    a, *count);
	}
	ds_source_close(sa);
	ds_source_close(sb);
	ds_engine_free(e);
}

Test(export, keep_all_without_keys_reproduces_every_sample)
{
	const char *top = env_or("IPSEC_TOP", ".");
	const char *bin = env_or("IPSEC_BIN", "build/bin");
	char dir[4096], in[4400], out[64], cmd[9000];
	struct dirent *de;
	unsigned n, files = 0, nepb, ncom;
	DIR *d;
	int st;

	snprintf(dir, sizeof dir, "%s/samples", top);
	cr_assert_not_null(d = opendir(dir), "%s", dir);
	tmpname(out, sizeof out, "keep");
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (!(l > 5 && strcmp(de->d_name + l - 5, ".pcap") == 0) &&
		    !(l > 7 && strcmp(de->d_name + l - 7, ".pcapng") == 0))
			continue;
		snprintf(in, sizeof in, "%s/%s", dir, de->d_name);
		snprintf(cmd, sizeof cmd, "'%s/ipsec-dump' -r '%s' -w '%s' "
		    "--keep-all 2>/dev/null >/dev/null", bin, in, out);
		st = system(cmd);
		/* 1: the capture itself is damaged (damaged.pcap) */
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) <= 1, "%s", in);
		/*
		 * IPComp needs no key: its frames are written decompressed,
		 * so only the count of blocks is the same.
		 */
		if (strcmp(de->d_name, "ipcomp.pcap") == 0) {
			walk_blocks(out, &nepb, &ncom);
			cr_assert_geq(nepb, 3, "%s", in);
			files++;
			continue;
		}
		same_packets(in, out, &n);
		walk_blocks(out, &nepb, &ncom);
		cr_assert_eq(nepb, n, "%s", in);
		files++;
	}
	closedir(d);
	unlink(out);
	cr_assert_geq(files, 20);
}

/* ---- through the engine, with a keyring that opens ESP-NULL ----------- */

/* RFC 2410: NULL encryption, no integrity: the payload is the plaintext. */
static bool
null_lookup(void *ctx, uint8_t proto, uint32_t spi, const struct ds_addr *src,
    const struct ds_addr *dst, struct ds_sa_ref *out)
{
	(void)spi;
	(void)src;
	(void)dst;
	memset(out, 0, sizeof *out);
	out->sa = ctx;
	out->id = 1;
	out->label = "null-sa";
	return proto == DS_IPPROTO_ESP;
}

static enum ds_err
null_open(void *ctx, const struct ds_sa_ref *ref, struct ds_sa_open *req)
{
	(void)ctx;
	(void)ref;
	if (req->data.len > req->outcap)
		return DS_EMALFORMED;
	memcpy(req->out, req->data.p, req->data.len);
	req->plain.p = req->out;
	req->plain.len = req->data.len;
	req->verdict = DS_ICV_NONE;
	req->iv_len = 0;
	return DS_OK;
}

/*
 * hdr (IP header, and UDP header for RFC 3948), then ESP with SPI 0x100,
 * sequence 1, `inner`, padding to 4 octets (RFC 4303 2.4) and the
 * trailer; lengths and the IPv4 checksum are set.  Returns the length.
 */
static size_t
null_esp(uint8_t *out, const uint8_t *hdr, size_t hlen, size_t udp_at,
    const uint8_t *inner, size_t ilen, uint8_t nxt)
{
	size_t n = hlen, pad = (4 - (ilen + 2) % 4) % 4, i;
	static const uint8_t spiseq[8] = { 0, 0, 1, 0, 0, 0, 0, 1 };

	memcpy(out, hdr, hlen);
	memcpy(out + n, spiseq, 8);
	n += 8;
	memcpy(out + n, inner, ilen);
	n += ilen;
	for (i = 1; i <= pad; i++)
		out[n++] = (uint8_t)i;
	out[n++] = (uint8_t)pad;
	out[n++] = nxt;
	if ((out[0] >> 4) == 4) {
		out[2] = (uint8_t)(n >> 8);
		out[3] = (uint8_t)n;
		out[10] = out[11] = 0;
		{
			uint32_t s = 0;

			for (i = 0; i < (size_t)(out[0] & 15) * 4; i += 2)
				s += (uint32_t)out[i] << 8 | out[i + 1];
			while (s >> 16)
				s = (s & 0xffff) + (s >> 16);
			out[10] = (uint8_t)(~s >> 8);
			out[11] = (uint8_t)~s;
		}
	} else {
		out[4] = (uint8_t)((n - 40) >> 8);
		out[5] = (uint8_t)(n - 40);
	}
	if (udp_at != 0) {
		out[udp_at + 4] = (uint8_t)((n - udp_at) >> 8);
		out[udp_at + 5] = (uint8_t)(n - udp_at);
	}
	return n;
}

struct null_case {
	const char	*name;
	const uint8_t	*hdr;
	size_t		 hlen, udp_at;
	bool		 tunnel;
};

Test(export, engine_opened_esp_null_is_written_as_sent)
{
	static const struct ds_keyring kr = { NULL, null_lookup, null_open,
	    NULL };
	uint8_t inner4[20 + sizeof udp_plain], pkt[256], v6hdr[56];
	struct null_case cases[4] = {
		{ "tunnel", v4_udp_esp, 20, 0, true },
		{ "transport-options", v4opt_esp, 24, 0, false },
		{ "udp-encap", v4_udp_esp, 28, 20, false },
		{ "ipv6-ext", NULL, 56, 0, false },
	};
	struct ds_engine_cfg cfg;
	struct ds_engine *e;
	struct ds_pkt in = { 0 };
	struct ds_export_pkt x;
	const struct ds_frame *f;
	const struct ds_layer *l;
	uint8_t hdr[64];
	char want[128];
	size_t n, i, hl;

	/* the tunnel's inner packet: IPv4 + UDP, checksum left 0 */
	memcpy(inner4, v4_udp_esp, 20);
	inner4[3] = sizeof inner4;
	memcpy(inner4 + 20, udp_plain, sizeof udp_plain);
	/* IPv6, Hop-by-Hop, Destination Options, ESP */
	memcpy(v6hdr, v6ext_esp, 40);
	memcpy(v6hdr + 40, v6ext_esp + 40, 8);
	memcpy(v6hdr + 48, v6ext_esp + 56, 8);
	v6hdr[40] = 60;
	cases[3].hdr = v6hdr;
	ds_engine_cfg_default(&cfg);
	cfg.keyring = &kr;
	cr_assert_not_null(e = ds_engine_new(&cfg));
	for (i = 0; i < DS_NELEM(cases); i++) {
		const struct null_case *k = &cases[i];

		memcpy(hdr, k->hdr, k->hlen);
		if ((hdr[0] >> 4) == 4)
			hdr[6] = hdr[7] = 0;	/* not a fragment */
		if (k->udp_at == 0)
			hdr[(hdr[0] >> 4) == 4 ? 9 : k->hlen == 40 ? 6 : 48] =
			    50;
		n = k->tunnel ? null_esp(pkt, hdr, k->hlen, 0, inner4,
		    sizeof inner4, 4) : null_esp(pkt, hdr, k->hlen, k->udp_at,
		    udp_plain, sizeof udp_plain, 17);
		in.data = pkt;
		in.caplen = in.wirelen = (uint32_t)n;
		in.linktype = DS_LINKTYPE_RAW;
		in.ts_sec = 1700000000;
		f = ds_engine_dissect(e, &in);
		l = ds_frame_find_const(f, DS_P_ESP);
		cr_assert_not_null(l, "%s", k->name);
		if (!l->u.esp.decrypted) {
			ds_engine_free(e);
			cr_skip_test("ESP is not opened through the keyring in "
			    "this build");
		}
		ds_export_packet(f, &raw_opts, xbuf, &x);
		cr_assert_eq(x.kind, DS_EXPORT_DECRYPTED, "%s", k->name);
		if (k->tunnel) {
			cr_assert_eq(x.len, sizeof inner4);
			cr_assert_eq(memcmp(x.p, inner4, x.len), 0);
			continue;
		}
		hl = k->udp_at != 0 ? k->udp_at : k->hlen;
		cr_assert_eq(x.len, hl + sizeof udp_plain, "%s", k->name);
		cr_assert_eq(memcmp(x.p + hl, udp_plain, sizeof udp_plain), 0,
		    "%s", k->name);
		if ((x.p[0] >> 4) == 4) {
			cr_assert_eq(x.p[9], 17, "%s", k->name);
			cr_assert(cksum_ok(x.p, hl), "%s", k->name);
			cr_assert_eq(memcmp(x.p + 12, pkt + 12, hl - 12), 0);
		} else {
			cr_assert_eq(x.p[48], 17);
			cr_assert_eq(be16(x.p + 4), 16 + sizeof udp_plain);
		}
		snprintf(want, sizeof want, "frame %llu: esp spi=0x00000100 "
		    "seq=1 icv=none sa=null-sa", (unsigned long long)f->index);
		cr_assert_str_eq(x.comment, want, "%s", k->name);
	}
	ds_engine_free(e);
}

/* ---- a published capture: our export against tshark's own decryption ---- */

#define WIKI1	"tests/data/corpus/wireshark-wiki/ipsec_esp_capture_1"

/* Runs cmd and keeps its lines, at most max of them. */
static size_t
read_lines(const char *cmd, char **lines, size_t max)
{
	char buf[1024];
	size_t n = 0;
	FILE *p;

	cr_assert_not_null(p = popen(cmd, "r"), "%s", cmd);
	while (fgets(buf, sizeof buf, p) != NULL && n < max) {
		buf[strcspn(buf, "\n")] = '\0';
		cr_assert_not_null(lines[n++] = strdup(buf));
	}
	pclose(p);
	return n;
}

/*
 * tshark's lines are "N<TAB>outer,inner src<TAB>outer,inner dst<TAB>...",
 * ours "frame N: ...<TAB>src<TAB>dst<TAB>...": both become "N<TAB>src...".
 */
static void
tshark_inner(char *s)
{
	static char empty[1];
	char out[1024], *f[5], *save = NULL, *c;
	int i;

	for (i = 0; i < 5; i++) {
		f[i] = strtok_r(i == 0 ? s : NULL, "\t", &save);
		if (f[i] == NULL)
			f[i] = empty;
		if ((i == 1 || i == 2) && (c = strrchr(f[i], ',')) != NULL)
			f[i] = c + 1;
	}
	snprintf(out, sizeof out, "%s\t%s\t%s\t%s\t%s", f[0], f[1], f[2],
	    f[3], f[4]);
	strcpy(s, out);
}

Test(export, wiki_capture_matches_tshark_decryption)
{
	const char *top = env_or("IPSEC_TOP", ".");
	const char *bin = env_or("IPSEC_BIN", "build/bin");
	char cfg[64], out[64], cmd[12000], *ts[512], *ours[512];
	const char *fields = "-T fields -e frame.number -e ip.src -e ip.dst "
	    "-e icmp.seq -e data.data";
	size_t nts, nours, i, j, same = 0;
	int st;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		cr_skip_test("tshark is not installed: not compared");
	snprintf(cfg, sizeof cfg, "/tmp/test-pcapng-wsXXXXXX");
	cr_assert_not_null(mkdtemp(cfg));
	tmpname(out, sizeof out, "wiki");
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/wireshark' && cp '%s/" WIKI1
	    "/esp_sa' '%s/wireshark/' && cd '%s' && '%s/ipsec-dump' -K "
	    "tests/data/corpus/keys/wiki.ipsec_esp_capture_1.tcpdump-"
	    "secrets.txt -r " WIKI1 "/capture.pcap -w '%s' 2>/dev/null",
	    cfg, top, cfg, top, bin, out);
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	snprintf(cmd, sizeof cmd, "XDG_CONFIG_HOME='%s' tshark -r '%s/" WIKI1
	    "/capture.pcap' -o esp.enable_encryption_decode:TRUE -Y "
	    "'esp && icmp' %s 2>/dev/null", cfg, top, fields);
	nts = read_lines(cmd, ts, DS_NELEM(ts));
	snprintf(cmd, sizeof cmd, "tshark -r '%s' -Y icmp %s -e frame.comment"
	    " 2>/dev/null", out, fields);
	nours = read_lines(cmd, ours, DS_NELEM(ours));
	cr_assert_gt(nours, 0);
	/* our frame numbers are in the comments */
	for (i = 0; i < nours; i++) {
		char *c = strrchr(ours[i], '\t'), num[32];
		unsigned long long fr;

		cr_assert(c != NULL && sscanf(c + 1, "frame %llu:", &fr) == 1);
		*c = '\0';
		snprintf(num, sizeof num, "%llu", fr);
		c = strchr(ours[i], '\t');
		cr_assert_not_null(c);
		memmove(ours[i] + strlen(num), c, strlen(c) + 1);
		memcpy(ours[i], num, strlen(num));
	}
	for (i = 0; i < nts; i++) {
		tshark_inner(ts[i]);
		for (j = 0; j < nours; j++) {
			if (strtoul(ts[i], NULL, 10) != strtoul(ours[j],
			    NULL, 10))
				continue;
			cr_assert_str_eq(ours[j], ts[i]);
			same++;
		}
	}
	/* every packet we decrypted, tshark decrypted the same */
	cr_assert_eq(same, nours);
	cr_assert_geq(same, 60);
	for (i = 0; i < nts; i++)
		free(ts[i]);
	for (i = 0; i < nours; i++)
		free(ours[i]);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", cfg, out);
	cr_assert_eq(system(cmd), 0);
}
