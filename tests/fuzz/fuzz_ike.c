/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the IKE dissector alone: the fixed header, the
 * IKEv1 and IKEv2 payload decoders, IKEv1 fragment reassembly and the
 * per-IKE-SA table, then the summary of that table as text and JSON.
 *
 * Input format (tests/fuzz/seed.sh builds seeds in it):
 *
 *	byte 0	selector:
 *		bit 0	IPv6 instead of IPv4
 *		bit 1	UDP 4500 after a non-ESP marker, not UDP 500
 *		bit 2	from the second address to the first (a reply)
 *		bit 3	no IP or UDP: ds_ike_dissect() on the bytes alone
 *		bit 4-5	which of four address pairs
 *	byte 1-	the UDP payload (the IKE message), n bytes
 *
 * One engine lives across inputs, so that messages of one input meet the
 * IKE SAs of earlier ones (retransmissions, NAT detection, the caps).
 * Every 4096 inputs the summary is rendered and the engine replaced; every
 * other engine has tight IKE caps.  The packet is copied into a buffer of
 * exactly its size, so that AddressSanitizer catches any read past it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "dissect/dissect.h"
#include "sink/ike_summary.h"

#define ENGINE_LIFE	4096
#define IP4_LEN		20
#define IP6_LEN		40
#define UDP_LEN		8
#define MARKER_LEN	4
#define MAX_PAYLOAD	(65535 - IP6_LEN - UDP_LEN - MARKER_LEN)
#define JSON_MEM	(1u << 20)

#define SEL_IPV6	0x01
#define SEL_4500	0x02
#define SEL_REPLY	0x04
#define SEL_DIRECT	0x08

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct ds_engine	*eng;
static struct ds_arena	*arena;
static FILE		*devnull;
static char		*json_mem;
static uint64_t		 count;

static void
summary(void)
{
	struct ds_buf b;

	ds_ike_summary_text(devnull, ds_engine_stats(eng)->ike);
	ds_buf_init(&b, json_mem, JSON_MEM);
	ds_ike_summary_json(&b, ds_engine_stats(eng)->ike);
}

static void
engine_start(void)
{
	static unsigned gen;
	struct ds_engine_cfg cfg;

	ds_engine_cfg_default(&cfg);
	if (gen++ % 2 == 1) {
		cfg.ike_max_sas = 8;
		cfg.ike_mem_max = 512;
	}
	if ((eng = ds_engine_new(&cfg)) == NULL)
		abort();	/* the harness, not the code under test */
}

static void
engine_stop(void)
{
	if (eng == NULL)
		return;
	ds_engine_finish(eng);
	summary();
	ds_engine_free(eng);
	eng = NULL;
}

static void
cleanup(void)
{
	engine_stop();
	ds_arena_free(arena);
	arena = NULL;
	free(json_mem);
	json_mem = NULL;
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
}

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* IPv4 or IPv6, then UDP, then (for 4500) the marker; returns its length. */
static size_t
headers(uint8_t *p, uint8_t sel, size_t n)
{
	uint8_t a = (uint8_t)(1 + ((sel >> 4) & 3)), b = (uint8_t)(a + 100);
	uint16_t port = (sel & SEL_4500) ? 4500 : 500;
	uint16_t iport = (sel & SEL_4500) ? 1024 : 500;
	size_t hl = (sel & SEL_IPV6) ? IP6_LEN : IP4_LEN, ul;

	if (sel & SEL_REPLY) {
		uint8_t x = a;

		a = b;
		b = x;
	}
	ul = UDP_LEN + ((sel & SEL_4500) ? MARKER_LEN : 0) + n;
	/* the marker (RFC 3948 2.2) is four zero octets */
	memset(p, 0, hl + UDP_LEN + MARKER_LEN);
	if (sel & SEL_IPV6) {
		p[0] = 0x60;
		put16(p + 4, ul);
		p[6] = 17;			/* UDP */
		p[7] = 64;
		p[8] = 0x20;			/* 2001:db8::a */
		p[9] = 0x01;
		p[10] = 0x0d;
		p[11] = 0xb8;
		p[23] = a;
		memcpy(p + 24, p + 8, 15);	/* 2001:db8::b */
		p[39] = b;
	} else {
		p[0] = 0x45;
		put16(p + 2, hl + ul);
		p[8] = 64;
		p[9] = 17;
		p[12] = 192;			/* 192.0.2.a */
		p[14] = 2;
		p[15] = a;
		p[16] = 198;			/* 198.51.100.b */
		p[17] = 51;
		p[18] = 100;
		p[19] = b;
	}
	/* on 4500 the initiator's port is a NAT's mapping */
	put16(p + hl, (sel & SEL_REPLY) ? port : iport);
	put16(p + hl + 2, (sel & SEL_REPLY) ? iport : port);
	put16(p + hl + 4, ul);
	return hl + ul - n;
}

/* The IKE dissector on a frame of its own, as ike.c is called. */
static void
direct(const uint8_t *p, size_t n)
{
	static struct ds_frame f;
	struct ds_cur c;

	ds_arena_reset(arena);
	memset(&f, 0, sizeof f);
	f.index = ++count;
	f.caplen = f.wirelen = (uint32_t)n;
	f.linktype = DS_LINKTYPE_RAW;
	f.data = p;
	f.eng = eng;
	f.arena = arena;
	c = ds_cur_make(p, n, n);
	ds_ike_dissect(&f, &c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_pkt pkt;
	uint8_t *copy, sel;
	size_t n, hl, len;

	if (size < 1 || size - 1 > MAX_PAYLOAD)
		return 0;
	if (devnull == NULL) {
		if ((devnull = fopen("/dev/null", "w")) == NULL ||
		    (arena = ds_arena_new()) == NULL ||
		    (json_mem = malloc(JSON_MEM)) == NULL)
			abort();
		atexit(cleanup);
	}
	if (eng == NULL)
		engine_start();
	sel = data[0];
	n = size - 1;

	if (sel & SEL_DIRECT) {
		if ((copy = malloc(n)) == NULL && n > 0)
			return 0;
		if (n > 0)
			memcpy(copy, data + 1, n);
		direct(copy, n);
	} else {
		hl = IP6_LEN + UDP_LEN + MARKER_LEN;
		if ((copy = malloc(hl + n)) == NULL)
			return 0;
		hl = headers(copy, sel, n);
		if (n > 0)
			memcpy(copy + hl, data + 1, n);
		len = hl + n;
		memset(&pkt, 0, sizeof pkt);
		pkt.data = copy;
		pkt.caplen = pkt.wirelen = (uint32_t)len;
		pkt.ts_sec = 1700000000 + (int64_t)(count / 8);
		pkt.linktype = (sel & SEL_IPV6) ? DS_LINKTYPE_IPV6 :
		    DS_LINKTYPE_IPV4;
		count++;
		(void)ds_engine_dissect(eng, &pkt);
	}
	free(copy);
	if (count % 512 == 0)
		summary();
	if (count % ENGINE_LIFE == 0)
		engine_stop();
	return 0;
}
