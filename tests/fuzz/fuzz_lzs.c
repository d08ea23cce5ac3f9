/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the LZS decoder (ipsec/lzs.c) alone, and then for
 * the same bytes as the payload of an IPComp CPI 3 packet through the
 * engine, so that what decodes is dissected too.
 *
 * Input format: byte 0 picks the output cap (0: 64 octets, else
 * byte * 257); the rest is the LZS stream.  The stream is copied into a
 * buffer of exactly its size, so that AddressSanitizer catches any read
 * past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "ipsec/ipsec_int.h"

#define IP4_LEN		20
#define IPCOMP_LEN	4
#define MAX_IN		(65535 - IP4_LEN - IPCOMP_LEN)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct ds_engine	*eng;
static uint8_t		*out;

static void
cleanup(void)
{
	ds_engine_free(eng);
	eng = NULL;
	free(out);
	out = NULL;
}

static void
through_engine(const uint8_t *s, size_t n)
{
	struct ds_pkt pkt;
	uint8_t *p;
	size_t len = IP4_LEN + IPCOMP_LEN + n;

	if ((p = malloc(len)) == NULL)
		return;
	memset(p, 0, IP4_LEN + IPCOMP_LEN);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = DS_IPPROTO_COMP;
	p[12] = 192;
	p[15] = 1;
	p[16] = 198;
	p[19] = 2;
	p[20] = DS_IPPROTO_IPIP;	/* tunnel mode: an inner IPv4 */
	p[23] = 3;			/* CPI 3: LZS */
	memcpy(p + IP4_LEN + IPCOMP_LEN, s, n);
	memset(&pkt, 0, sizeof pkt);
	pkt.data = p;
	pkt.caplen = pkt.wirelen = (uint32_t)len;
	pkt.linktype = DS_LINKTYPE_IPV4;
	(void)ds_engine_dissect(eng, &pkt);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_view v;
	uint8_t *copy;
	size_t cap, n, got;

	if (size < 1 || size - 1 > MAX_IN)
		return 0;
	if (eng == NULL) {
		if ((eng = ds_engine_new(NULL)) == NULL ||
		    (out = malloc(255 * 257)) == NULL)
			abort();	/* the harness failed */
		atexit(cleanup);
	}
	cap = data[0] == 0 ? 64 : (size_t)data[0] * 257;
	n = size - 1;
	if ((copy = malloc(n > 0 ? n : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, n);
	v.p = copy;
	v.len = n;
	got = 0;
	(void)ds_lzs_decompress(v, out, cap, &got);
	if (got > cap)
		abort();
	through_engine(copy, n);
	free(copy);
	return 0;
}
