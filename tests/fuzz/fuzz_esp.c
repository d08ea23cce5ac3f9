/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target over what follows an opened ESP packet: the trailer
 * checks (RFC 4303 2.4), dummy packets (2.6), the inner packet and its TFC
 * padding (2.7) and every dissector the plaintext reaches, then the sinks.
 * A keyring with a NULL cipher and no ICV hands the fuzzer's bytes over as
 * the plaintext, so that none of them is spent on crypto.
 *
 * Input format (tests/fuzz/seed.sh writes seeds in it):
 *
 *	byte 0	mode: bit 0 ESP in UDP 4500, bit 1 ESN, bit 2 the SA
 *		matches on the SPI only, bit 3 the capture ends 1 byte early
 *	byte 1-	the plaintext: payload, padding, Pad Length, Next
 *		Header
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/sink.h"

#define MAX_PLAIN	65000
#define SPI		0x0000c0feu

struct fz_ring {
	uint8_t		 mode;
	uint32_t	 seq_hi;
};

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
fz_lookup(void *ctx, uint8_t proto, uint32_t spi, const struct ds_addr *src,
    const struct ds_addr *dst, struct ds_sa_ref *out)
{
	struct fz_ring *r = ctx;

	(void)src;
	(void)dst;
	if (proto != DS_IPPROTO_ESP || spi != SPI)
		return false;
	out->sa = r;
	out->id = 1;
	out->label = "fuzz";
	out->spi_only = (r->mode & 4) != 0;
	out->esn = (r->mode & 2) != 0;
	out->icv_len = 0;
	return true;
}

static enum ds_err
fz_open(void *ctx, const struct ds_sa_ref *ref, struct ds_sa_open *req)
{
	struct fz_ring *r = ctx;

	(void)ref;
	req->verdict = DS_ICV_NONE;
	req->seq_hi = r->seq_hi++;
	req->is_replay = (req->seq & 1) != 0;
	if (req->outcap < req->data.len)
		return DS_EMALFORMED;
	memcpy(req->out, req->data.p, req->data.len);
	req->plain.p = req->out;
	req->plain.len = req->data.len;
	return DS_OK;
}

static void
fz_learn(void *ctx, const struct ds_ike_facts *fa)
{
	(void)ctx;
	(void)fa;
}

static struct fz_ring		 ring;
static const struct ds_keyring	 kr = {
	&ring, fz_lookup, fz_open, fz_learn
};
static struct ds_engine		*eng;
static FILE			*devnull;
static void			*st_text, *st_json;
static uint32_t			 seq;

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
cleanup(void)
{
	if (st_text != NULL)
		(void)ds_sink_text.close(st_text, ds_engine_stats(eng), NULL);
	if (st_json != NULL)
		(void)ds_sink_json.close(st_json, ds_engine_stats(eng), NULL);
	ds_engine_free(eng);
	if (devnull != NULL)
		fclose(devnull);
}

static void
setup(void)
{
	static struct ds_sink_opts tv = { .verbose = 2, .all_frames = true,
	    .utc = true };
	static struct ds_sink_opts jv = { .verbose = 0, .all_frames = true,
	    .utc = true };
	struct ds_engine_cfg cfg;

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	ds_engine_cfg_default(&cfg);
	cfg.keyring = &kr;
	if ((eng = ds_engine_new(&cfg)) == NULL)
		abort();	/* the harness, not the code under test */
	tv.summary = jv.summary = devnull;
	if (ds_sink_text.open(&st_text, devnull, &tv) != DS_OK)
		st_text = NULL;
	if (ds_sink_json.open(&st_json, devnull, &jv) != DS_OK)
		st_json = NULL;
	atexit(cleanup);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ip[20] = {
		0x45, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x40, 0x32, 0x00, 0x00, 192, 0, 2, 1, 198, 51, 100, 2,
	};
	const struct ds_frame *f;
	struct ds_pkt pkt;
	uint8_t *buf;
	size_t n, hdr, len, cap;
	bool udp;

	if (size < 1 || size - 1 > MAX_PLAIN)
		return 0;
	if (eng == NULL)
		setup();
	ring.mode = data[0];
	udp = (data[0] & 1) != 0;
	n = size - 1;
	hdr = 20 + (udp ? 8 : 0) + 8;
	len = hdr + n;
	if ((buf = malloc(len)) == NULL)
		return 0;
	memcpy(buf, ip, sizeof ip);
	put16(buf + 2, len);
	if (udp) {
		buf[9] = DS_IPPROTO_UDP;
		put16(buf + 20, 4500);
		put16(buf + 22, 4500);
		put16(buf + 24, len - 20);
		put16(buf + 26, 0);
	}
	buf[hdr - 8] = SPI >> 24;
	buf[hdr - 7] = (SPI >> 16) & 0xff;
	buf[hdr - 6] = (SPI >> 8) & 0xff;
	buf[hdr - 5] = SPI & 0xff;
	seq++;
	buf[hdr - 4] = (uint8_t)(seq >> 24);
	buf[hdr - 3] = (uint8_t)(seq >> 16);
	buf[hdr - 2] = (uint8_t)(seq >> 8);
	buf[hdr - 1] = (uint8_t)seq;
	memcpy(buf + hdr, data + 1, n);
	cap = (data[0] & 8) && len > 0 ? len - 1 : len;

	memset(&pkt, 0, sizeof pkt);
	pkt.data = buf;
	pkt.caplen = (uint32_t)cap;
	pkt.wirelen = (uint32_t)len;
	pkt.ts_sec = 1700000000 + seq / 8;
	pkt.linktype = DS_LINKTYPE_RAW;
	f = ds_engine_dissect(eng, &pkt);
	if (st_text != NULL)
		(void)ds_sink_text.frame(st_text, f);
	if (st_json != NULL)
		(void)ds_sink_json.frame(st_json, f);
	free(buf);
	return 0;
}
