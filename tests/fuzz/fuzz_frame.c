/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target over the whole frame dissector: link layer, IP, fragment
 * reassembly, UDP, NAT-T, ESP, AH, IPComp and IKE, then the text, JSON and
 * pcapng export sinks.
 *
 * Input format (tests/fuzz/seed.sh builds seeds in it):
 *
 *	byte 0	link type: index into link_tab[] (taken modulo its size)
 *	byte 1	capture cut:
 *		0x00		caplen = wirelen = n
 *		0x01..0x7f	caplen = n, wirelen = n + 16 * byte
 *				(the capture's snaplen cut the packet)
 *		0x80..0xff	caplen = n * (byte & 0x7f) / 128,
 *				wirelen = n
 *				(the tail is cut off here, so a mutation of
 *				this byte alone brings it back)
 *	byte 2-	the packet, n bytes
 *
 * One engine lives across inputs, so IP fragments of one input meet those of
 * later ones.  Timestamps come from an input counter and advance by one
 * second every 8 inputs, so the 30 s reassembly timeout fires; one input in
 * 4096 is dated an hour back, as in merged captures.  Every 16384 inputs the
 * engine is finished and replaced, which bounds its state and runs the
 * end-of-capture paths; every other engine has tight reassembly limits.
 * A crash may thus need earlier inputs to reproduce; rerunning the crashing
 * input alone usually suffices for a parser bug.
 *
 * The captured bytes are copied into a buffer of exactly caplen bytes, so
 * that AddressSanitizer catches any read past what was captured.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/sink.h"

/* Keep in step with `links` in tests/fuzz/seed.sh: seeds hold the index. */
static const int link_tab[] = {
	DS_LINKTYPE_ETHERNET,
	DS_LINKTYPE_RAW,
	DS_LINKTYPE_IPV4,
	DS_LINKTYPE_IPV6,
	DS_LINKTYPE_LINUX_SLL,
	DS_LINKTYPE_LINUX_SLL2,
	DS_LINKTYPE_NULL,
	DS_LINKTYPE_LOOP,
	147,				/* LINKTYPE_USER0: not dissected */
};

#define ENGINE_LIFE	16384	/* inputs before the engine is renewed */
#define TS_BASE		1700000000

struct sink_run {
	const struct ds_sink_ops	*ops;
	struct ds_sink_opts		 opts;
	void				*st;
};

static struct ds_engine	*eng;
static FILE		*devnull;
static uint64_t		 count;
static struct sink_run	 sinks[] = {
	{ &ds_sink_text, { .verbose = 0 }, NULL },
	{ &ds_sink_text, { .verbose = 3, .all_frames = true, .utc = true,
	    .numbers = true, .flush_each = true }, NULL },
	{ &ds_sink_json, { .verbose = 0, .all_frames = true, .utc = true },
	    NULL },
	{ &ds_sink_json, { .verbose = 2, .all_frames = true, .utc = true },
	    NULL },
	{ &ds_sink_pcapng, { .export_keep_all = true, .export_ether = true },
	    NULL },
};

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
sinks_open(void)
{
	size_t i;

	for (i = 0; i < DS_NELEM(sinks); i++) {
		sinks[i].opts.summary = devnull;
		if (sinks[i].ops->open(&sinks[i].st, devnull,
		    &sinks[i].opts) != DS_OK)
			sinks[i].st = NULL;
	}
}

static void
sinks_close(void)
{
	size_t i;

	for (i = 0; i < DS_NELEM(sinks); i++) {
		if (sinks[i].st != NULL)
			(void)sinks[i].ops->close(sinks[i].st,
			    ds_engine_stats(eng), (i & 1) ? "cut short" : NULL);
		sinks[i].st = NULL;
	}
}

/*
 * Every other engine has tight reassembly limits, so that eviction for
 * memory and for the number of datagrams happens, and extra IKE and NAT-T
 * ports.
 */
static void
engine_start(void)
{
	static unsigned gen;
	struct ds_engine_cfg cfg;

	ds_engine_cfg_default(&cfg);
	if (gen++ % 2 == 1) {
		cfg.frag_mem_max = 4096;
		cfg.frag_max_pending = 4;
		cfg.frag_timeout_sec = 2;
		cfg.frag_max_datagram = 1500;
		cfg.ike_ports[cfg.n_ike_ports++] = 4500;
		cfg.natt_ports[cfg.n_natt_ports++] = 500;
		cfg.natt_ports[cfg.n_natt_ports++] = 53;
	}
	if ((eng = ds_engine_new(&cfg)) == NULL)
		abort();	/* the harness, not the code under test */
	sinks_open();
}

static void
engine_stop(void)
{
	if (eng == NULL)
		return;
	ds_engine_finish(eng);
	sinks_close();
	ds_engine_free(eng);
	eng = NULL;
}

static void
cleanup(void)
{
	engine_stop();
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ds_frame *f;
	struct ds_pkt pkt;
	uint8_t *copy;
	size_t n, caplen, wirelen, i;
	uint8_t cut;

	if (size < 2 || size - 2 > UINT32_MAX - 16 * 127)
		return 0;
	if (devnull == NULL) {
		if ((devnull = fopen("/dev/null", "w")) == NULL)
			abort();
		atexit(cleanup);
	}
	if (eng == NULL)
		engine_start();

	n = size - 2;
	cut = data[1];
	caplen = wirelen = n;
	if (cut >= 0x80)
		caplen = n * (cut & 0x7f) / 128;
	else
		wirelen = n + 16 * (size_t)cut;

	/* exactly caplen bytes, even 0, so that a read past them is caught */
	if ((copy = malloc(caplen)) == NULL && caplen > 0)
		return 0;
	if (caplen > 0)
		memcpy(copy, data + 2, caplen);

	count++;
	memset(&pkt, 0, sizeof pkt);
	pkt.data = copy;
	pkt.caplen = (uint32_t)caplen;
	pkt.wirelen = (uint32_t)wirelen;
	pkt.ts_sec = TS_BASE + (int64_t)(count / 8);
	if (count % 4096 == 0)
		pkt.ts_sec -= 3600;
	pkt.ts_nsec = (uint32_t)(count % 8) * 125000000u;
	pkt.linktype = link_tab[data[0] % DS_NELEM(link_tab)];
	pkt.ifindex = (uint32_t)(count % 3);

	f = ds_engine_dissect(eng, &pkt);
	for (i = 0; i < DS_NELEM(sinks); i++)
		if (sinks[i].st != NULL)
			(void)sinks[i].ops->frame(sinks[i].st, f);
	(void)ds_frame_is_shown(f, &sinks[0].opts);

	free(copy);
	if (count % ENGINE_LIFE == 0)
		engine_stop();
	return 0;
}
