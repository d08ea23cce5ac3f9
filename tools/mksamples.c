/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mksamples: writes the sample captures and the benchmark capture from
 * nothing but this file, byte for byte the same on every run.
 *
 * File formats: pcap (tcpdump.org pcap-savefile(5)), pcapng
 * (draft-ietf-opsawg-pcapng: SHB, IDB, EPB, ISB).  Packets: RFC 791 and
 * 8200 (IPv4, IPv6 and its extension headers), RFC 768, 792, 793, 4443,
 * 826, 1035 (UDP, ICMP, TCP, ICMPv6, ARP, DNS), RFC 4303 (ESP), RFC 4302
 * (AH), RFC 3173 and 1951 3.2.6 (IPComp with fixed-Huffman DEFLATE),
 * RFC 3948 (UDP encapsulation, non-ESP marker, NAT keepalive), RFC 7296
 * (IKEv2), RFC 2408 and 2409 (ISAKMP, IKEv1 main mode), RFC 3947 (NAT-D).
 *
 * Encrypted parts (ESP ciphertext, ICVs, IKE SK payloads, public values)
 * are bytes from a fixed-seed generator: they have the right sizes and no
 * meaning.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define LT_NULL		0
#define LT_ETHERNET	1
#define LT_RAW		101
#define LT_LOOP		108
#define LT_SLL		113
#define LT_IPV4		228
#define LT_IPV6		229
#define LT_SLL2		276

#define ET_IPV4		0x0800
#define ET_ARP		0x0806
#define ET_VLAN		0x8100
#define ET_QINQ		0x88a8
#define ET_IPV6		0x86dd

#define P_HOPOPTS	0
#define P_ICMP		1
#define P_IPIP		4
#define P_TCP		6
#define P_UDP		17
#define P_IPV6		41
#define P_ROUTING	43
#define P_FRAGMENT	44
#define P_ESP		50
#define P_AH		51
#define P_ICMPV6	58
#define P_DSTOPTS	60
#define P_COMP		108

#define IP_DF		0x4000
#define IP_MF		0x2000

#define T0_SEC		1700000000ull	/* 2023-11-14 22:13:20 UTC */
#define NS		1000000000ull

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "mksamples: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	exit(1);
}

/* --- fixed-seed generator (splitmix64) ------------------------------------ */

static uint64_t rng_state;

static void
rng_seed_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
	rng_state = h;
}

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform enough for picking sizes: lo..hi inclusive. */
static unsigned
rng_range(unsigned lo, unsigned hi)
{
	return lo + (unsigned)(rng() % (uint64_t)(hi - lo + 1));
}

static void
rng_fill(uint8_t *p, size_t n)
{
	uint64_t v;
	unsigned k;

	while (n >= 8) {
		v = rng();
		for (k = 0; k < 8; k++)
			p[k] = (uint8_t)(v >> (8 * k));
		p += 8;
		n -= 8;
	}
	v = rng();
	while (n-- > 0) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

/* --- byte order ----------------------------------------------------------- */

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* --- packet buffer: append the payload, then prepend headers -------------- */

#define PK_HEAD		512
#define PK_MAX		(PK_HEAD + 9000)

struct pkt {
	uint8_t		 b[PK_MAX];
	size_t		 off, end;
};

static void
pk_init(struct pkt *pk)
{
	pk->off = pk->end = PK_HEAD;
}

static size_t
pk_len(const struct pkt *pk)
{
	return pk->end - pk->off;
}

static uint8_t *
pk_data(struct pkt *pk)
{
	return pk->b + pk->off;
}

/* Appends n zero bytes and returns them. */
static uint8_t *
pk_put(struct pkt *pk, size_t n)
{
	uint8_t *p;

	if (n > PK_MAX - pk->end)
		die("packet too large", NULL);
	p = pk->b + pk->end;
	memset(p, 0, n);
	pk->end += n;
	return p;
}

/* Prepends n zero bytes and returns them. */
static uint8_t *
pk_push(struct pkt *pk, size_t n)
{
	if (n > pk->off)
		die("headers too large", NULL);
	pk->off -= n;
	memset(pk->b + pk->off, 0, n);
	return pk->b + pk->off;
}

static void
pk_put_bytes(struct pkt *pk, const void *src, size_t n)
{
	memcpy(pk_put(pk, n), src, n);
}

static void
pk_put_rand(struct pkt *pk, size_t n)
{
	rng_fill(pk_put(pk, n), n);
}

static void
pk_put8(struct pkt *pk, uint8_t v)
{
	*pk_put(pk, 1) = v;
}

static void
pk_put16(struct pkt *pk, uint16_t v)
{
	put16(pk_put(pk, 2), v);
}

static void
pk_put32(struct pkt *pk, uint32_t v)
{
	put32(pk_put(pk, 4), v);
}

static void
pk_copy(struct pkt *dst, const struct pkt *src)
{
	pk_init(dst);
	pk_put_bytes(dst, src->b + src->off, pk_len(src));
}

/* --- addresses and checksums ---------------------------------------------- */

/* The two ends of an IP packet. */
struct ep {
	int		 v;		/* 4 or 6 */
	uint8_t		 src[16], dst[16];
};

static struct ep
ep_make(const char *src, const char *dst)
{
	struct ep e;

	memset(&e, 0, sizeof e);
	e.v = strchr(src, ':') != NULL ? 6 : 4;
	if (inet_pton(e.v == 6 ? AF_INET6 : AF_INET, src, e.src) != 1 ||
	    inet_pton(e.v == 6 ? AF_INET6 : AF_INET, dst, e.dst) != 1)
		die("bad address", src);
	return e;
}

static struct ep
ep_rev(const struct ep *e)
{
	struct ep r = *e;

	memcpy(r.src, e->dst, sizeof r.src);
	memcpy(r.dst, e->src, sizeof r.dst);
	return r;
}

static uint32_t
cks_add(uint32_t acc, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t
cks_fin(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/*
 * Checksum of the transport segment that fills the packet, with the
 * pseudo-header of RFC 768 (IPv4) or RFC 8200 8.1 (IPv6), stored at `at`.
 */
static void
l4_cksum(struct pkt *pk, const struct ep *e, uint8_t proto, size_t at)
{
	uint8_t ph[40];
	uint32_t acc;
	uint16_t c;
	size_t n = pk_len(pk);

	memset(ph, 0, sizeof ph);
	if (e->v == 4) {
		memcpy(ph, e->src, 4);
		memcpy(ph + 4, e->dst, 4);
		ph[9] = proto;
		put16(ph + 10, (uint16_t)n);
		acc = cks_add(0, ph, 12);
	} else {
		memcpy(ph, e->src, 16);
		memcpy(ph + 16, e->dst, 16);
		put32(ph + 32, (uint32_t)n);
		ph[39] = proto;
		acc = cks_add(0, ph, 40);
	}
	put16(pk_data(pk) + at, 0);
	c = cks_fin(cks_add(acc, pk_data(pk), n));
	if (c == 0 && proto == P_UDP)
		c = 0xffff;		/* RFC 768: 0 means "none" */
	put16(pk_data(pk) + at, c);
}

/* --- transport and IP headers (prepended to what is in the packet) -------- */

static void
udp(struct pkt *pk, const struct ep *e, uint16_t sport, uint16_t dport)
{
	uint8_t *h = pk_push(pk, 8);

	put16(h, sport);
	put16(h + 2, dport);
	put16(h + 4, (uint16_t)pk_len(pk));
	l4_cksum(pk, e, P_UDP, 6);
}

static void
tcp(struct pkt *pk, const struct ep *e, uint16_t sport, uint16_t dport,
    uint32_t seq, uint32_t ack, uint8_t flags)
{
	uint8_t *h = pk_push(pk, 24);

	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, seq);
	put32(h + 8, ack);
	h[12] = 6 << 4;			/* 24 bytes: one option */
	h[13] = flags;
	put16(h + 14, 64240);
	h[20] = 2;			/* MSS */
	h[21] = 4;
	put16(h + 22, 1460);
	l4_cksum(pk, e, P_TCP, 16);
}

static void
icmp4(struct pkt *pk, uint8_t type, uint8_t code, uint32_t rest)
{
	uint8_t *h = pk_push(pk, 8);

	h[0] = type;
	h[1] = code;
	put32(h + 4, rest);
	put16(h + 2, cks_fin(cks_add(0, h, pk_len(pk))));
}

static void
icmp6(struct pkt *pk, const struct ep *e, uint8_t type, uint8_t code,
    uint32_t rest)
{
	uint8_t *h = pk_push(pk, 8);

	h[0] = type;
	h[1] = code;
	put32(h + 4, rest);
	l4_cksum(pk, e, P_ICMPV6, 2);
}

static uint16_t ip_id = 0x1000;

static void
ip4x(struct pkt *pk, const struct ep *e, uint8_t proto, uint16_t id,
    uint16_t frag, const uint8_t *opt, size_t optlen)
{
	size_t hl = 20 + optlen;
	uint8_t *h = pk_push(pk, hl);

	h[0] = (uint8_t)(0x40 | hl / 4);
	put16(h + 2, (uint16_t)pk_len(pk));
	put16(h + 4, id);
	put16(h + 6, frag);
	h[8] = 64;
	h[9] = proto;
	memcpy(h + 12, e->src, 4);
	memcpy(h + 16, e->dst, 4);
	if (optlen > 0)
		memcpy(h + 20, opt, optlen);
	put16(h + 10, cks_fin(cks_add(0, h, hl)));
}

static void
ip4(struct pkt *pk, const struct ep *e, uint8_t proto)
{
	ip4x(pk, e, proto, ip_id++, IP_DF, NULL, 0);
}

static void
ip6(struct pkt *pk, const struct ep *e, uint8_t nxt)
{
	uint8_t *h = pk_push(pk, 40);
	size_t plen = pk_len(pk) - 40;

	put32(h, 0x60000000);
	put16(h + 4, (uint16_t)plen);
	h[6] = nxt;
	h[7] = 64;
	memcpy(h + 8, e->src, 16);
	memcpy(h + 24, e->dst, 16);
}

static void
ip(struct pkt *pk, const struct ep *e, uint8_t proto)
{
	if (e->v == 4)
		ip4(pk, e, proto);
	else
		ip6(pk, e, proto);
}

/* Hop-by-hop or destination options: one PadN option (RFC 8200 4.2). */
static void
ext6_opts(struct pkt *pk, uint8_t nxt)
{
	uint8_t *h = pk_push(pk, 8);

	h[0] = nxt;
	h[2] = 1;			/* PadN */
	h[3] = 4;
}

/* Routing header type 2 (RFC 6275 6.4): one home address. */
static void
ext6_rh2(struct pkt *pk, uint8_t nxt, const char *home)
{
	uint8_t *h = pk_push(pk, 24);

	h[0] = nxt;
	h[1] = 2;
	h[2] = 2;
	h[3] = 1;
	if (inet_pton(AF_INET6, home, h + 8) != 1)
		die("bad address", home);
}

static void
ext6_frag(struct pkt *pk, uint8_t nxt, uint16_t off, bool more, uint32_t id)
{
	uint8_t *h = pk_push(pk, 8);

	h[0] = nxt;
	put16(h + 2, (uint16_t)(off | (more ? 1 : 0)));
	put32(h + 4, id);
}

/* --- IPsec ---------------------------------------------------------------- */

/*
 * ESP (RFC 4303 2): SPI, sequence number, then `n` bytes standing for
 * IV, ciphertext, padding, trailer and ICV.
 */
static void
esp(struct pkt *pk, uint32_t spi, uint32_t seq, size_t n)
{
	pk_put32(pk, spi);
	pk_put32(pk, seq);
	pk_put_rand(pk, n);
}

/* IV 16, ciphertext in 16-byte blocks, ICV 12 or 16: a CBC or GCM size. */
static size_t
esp_size(size_t plain, size_t icv)
{
	return 16 + (plain + 2 + 15) / 16 * 16 + icv;
}

/* AH (RFC 4302 2) with a 12-byte ICV before what is in the packet. */
static void
ah(struct pkt *pk, uint8_t nxt, uint32_t spi, uint32_t seq)
{
	uint8_t *h = pk_push(pk, 24);

	h[0] = nxt;
	h[1] = (24 / 4) - 2;		/* RFC 4302 2.2 */
	put32(h + 4, spi);
	put32(h + 8, seq);
	rng_fill(h + 12, 12);
}

/* --- DEFLATE, fixed Huffman codes (RFC 1951 3.2.6), greedy LZ77 ----------- */

struct bitw {
	uint8_t		*p;
	size_t		 cap, n;
	uint32_t	 acc;
	unsigned	 nbits;
};

static void
bw_bits(struct bitw *bw, uint32_t v, unsigned n)
{
	bw->acc |= v << bw->nbits;
	bw->nbits += n;
	while (bw->nbits >= 8) {
		if (bw->n == bw->cap)
			die("deflate output too large", NULL);
		bw->p[bw->n++] = (uint8_t)bw->acc;
		bw->acc >>= 8;
		bw->nbits -= 8;
	}
}

/* Huffman codes go most significant bit first (RFC 1951 3.1.1). */
static void
bw_code(struct bitw *bw, uint32_t code, unsigned len)
{
	uint32_t r = 0;
	unsigned i;

	for (i = 0; i < len; i++)
		r |= ((code >> i) & 1) << (len - 1 - i);
	bw_bits(bw, r, len);
}

static void
bw_litlen(struct bitw *bw, unsigned sym)
{
	if (sym < 144)
		bw_code(bw, 0x30 + sym, 8);
	else if (sym < 256)
		bw_code(bw, 0x190 + sym - 144, 9);
	else if (sym < 280)
		bw_code(bw, sym - 256, 7);
	else
		bw_code(bw, 0xc0 + sym - 280, 8);
}

static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
	16385, 24577,
};
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

static void
bw_match(struct bitw *bw, unsigned len, unsigned dist)
{
	unsigned i;

	for (i = 28; len_base[i] > len; i--)
		;
	bw_litlen(bw, 257 + i);
	bw_bits(bw, len - len_base[i], len_extra[i]);
	for (i = 29; dist_base[i] > dist; i--)
		;
	bw_code(bw, i, 5);
	bw_bits(bw, dist - dist_base[i], dist_extra[i]);
}

/* Raw DEFLATE of in[0..n) into out; returns the compressed length. */
static size_t
deflate_fixed(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	struct bitw bw = { out, cap, 0, 0, 0 };
	size_t i = 0, j, best, bestd, k, lim;

	bw_bits(&bw, 1, 1);		/* BFINAL */
	bw_bits(&bw, 1, 2);		/* BTYPE 01: fixed codes */
	while (i < n) {
		best = bestd = 0;
		lim = n - i < 258 ? n - i : 258;
		for (j = i > 4096 ? i - 4096 : 0; j < i; j++) {
			for (k = 0; k < lim && in[j + k] == in[i + k]; k++)
				;
			if (k > best) {
				best = k;
				bestd = i - j;
			}
		}
		if (best >= 3) {
			bw_match(&bw, (unsigned)best, (unsigned)bestd);
			i += best;
		} else
			bw_litlen(&bw, in[i++]);
	}
	bw_litlen(&bw, 256);		/* end of block */
	bw_bits(&bw, 0, 7);		/* flush */
	return bw.n;
}

/* IPComp (RFC 3173 2.2) with CPI 2 (DEFLATE) around what is in the packet. */
static void
ipcomp(struct pkt *pk, uint8_t nxt)
{
	static uint8_t out[PK_MAX];
	size_t n = deflate_fixed(pk_data(pk), pk_len(pk), out, sizeof out);

	pk_init(pk);
	pk_put8(pk, nxt);
	pk_put8(pk, 0);
	pk_put16(pk, 2);		/* CPI 2: DEFLATE (RFC 2394) */
	pk_put_bytes(pk, out, n);
}

/* --- IKE ------------------------------------------------------------------ */

static const uint8_t spi_zero[8];

/* Opens a generic payload header (RFC 7296 3.2); close with pl_close. */
static size_t
pl_open(struct pkt *pk, uint8_t next)
{
	size_t at = pk->end;

	pk_put(pk, 4)[0] = next;
	return at;
}

static void
pl_close(struct pkt *pk, size_t at)
{
	put16(pk->b + at + 2, (uint16_t)(pk->end - at));
}

/* The fixed header (RFC 7296 3.1, RFC 2408 3.1) before the payloads. */
static void
ike_hdr(struct pkt *pk, const uint8_t *ispi, const uint8_t *rspi,
    uint8_t np, uint8_t version, uint8_t exch, uint8_t flags, uint32_t msgid)
{
	uint8_t *h = pk_push(pk, 28);

	memcpy(h, ispi, 8);
	memcpy(h + 8, rspi, 8);
	h[16] = np;
	h[17] = version;
	h[18] = exch;
	h[19] = flags;
	put32(h + 20, msgid);
	put32(h + 24, (uint32_t)pk_len(pk));
}

#define V2_SA		33
#define V2_KE		34
#define V2_IDI		35
#define V2_IDR		36
#define V2_NONCE	40
#define V2_NOTIFY	41
#define V2_SK		46
#define V2_SA_INIT	34
#define V2_AUTH		35
#define V2_CHILD	36
#define V2_INFO		37
#define V2_F_I		0x08
#define V2_F_R		0x20

static void
v2_xform(struct pkt *pk, bool last, uint8_t type, uint16_t id,
    uint16_t keylen)
{
	uint8_t *t = pk_put(pk, keylen ? 12 : 8);

	t[0] = last ? 0 : 3;
	put16(t + 2, keylen ? 12 : 8);
	t[4] = type;
	put16(t + 6, id);
	if (keylen) {
		put16(t + 8, 0x800e);	/* TV Key Length */
		put16(t + 10, keylen);
	}
}

/* SA: one IKE proposal, AES-CBC-128, PRF/INTEG HMAC-SHA2-256, ECP-256. */
static void
v2_sa(struct pkt *pk, uint8_t next)
{
	size_t at = pl_open(pk, next), prop = pk->end;
	uint8_t *p = pk_put(pk, 8);

	p[4] = 1;			/* proposal 1 */
	p[5] = 1;			/* IKE */
	p[7] = 4;			/* transforms */
	v2_xform(pk, false, 1, 12, 128);
	v2_xform(pk, false, 2, 5, 0);
	v2_xform(pk, false, 3, 12, 0);
	v2_xform(pk, true, 4, 19, 0);
	put16(pk->b + prop + 2, (uint16_t)(pk->end - prop));
	pl_close(pk, at);
}

static void
v2_ke(struct pkt *pk, uint8_t next)
{
	size_t at = pl_open(pk, next);

	pk_put16(pk, 19);		/* ECP-256 */
	pk_put16(pk, 0);
	pk_put_rand(pk, 64);
	pl_close(pk, at);
}

static void
v2_nonce(struct pkt *pk, uint8_t next)
{
	size_t at = pl_open(pk, next);

	pk_put_rand(pk, 32);
	pl_close(pk, at);
}

static void
v2_notify(struct pkt *pk, uint8_t next, uint16_t type, size_t n)
{
	size_t at = pl_open(pk, next);

	pk_put16(pk, 0);		/* protocol 0, SPI size 0 */
	pk_put16(pk, type);
	pk_put_rand(pk, n);
	pl_close(pk, at);
}

/* SK (RFC 7296 3.14): IV, `blocks` of ciphertext, ICV 16. */
static void
v2_sk(struct pkt *pk, uint8_t first, size_t blocks)
{
	size_t at = pl_open(pk, first);

	pk_put_rand(pk, 16 + 16 * blocks + 16);
	pl_close(pk, at);
}

/* IKE_SA_INIT request or response with NAT detection notifies. */
static void
v2_sa_init(struct pkt *pk, const uint8_t *ispi, const uint8_t *rspi,
    bool response)
{
	pk_init(pk);
	v2_sa(pk, V2_KE);
	v2_ke(pk, V2_NONCE);
	v2_nonce(pk, V2_NOTIFY);
	/* NAT_DETECTION_SOURCE_IP, NAT_DETECTION_DESTINATION_IP */
	v2_notify(pk, V2_NOTIFY, 16388, 20);
	v2_notify(pk, 0, 16389, 20);
	ike_hdr(pk, ispi, response ? rspi : spi_zero, V2_SA, 0x20,
	    V2_SA_INIT, response ? V2_F_R : V2_F_I, 0);
}

/* An encrypted exchange: only SK. */
static void
v2_enc(struct pkt *pk, const uint8_t *ispi, const uint8_t *rspi,
    uint8_t exch, bool initiator, bool response, uint32_t msgid,
    uint8_t first, size_t blocks)
{
	pk_init(pk);
	v2_sk(pk, first, blocks);
	ike_hdr(pk, ispi, rspi, V2_SK, 0x20, exch,
	    (uint8_t)((initiator ? V2_F_I : 0) | (response ? V2_F_R : 0)),
	    msgid);
}

#define V1_SA		1
#define V1_PROP		2
#define V1_XFORM	3
#define V1_KE		4
#define V1_ID		5
#define V1_NONCE	10
#define V1_VID		13
#define V1_NATD		20
#define V1_MAIN		2

/* SA (RFC 2408 3.4-3.6, RFC 2409 A): AES-128, SHA2-256, PSK, MODP-2048. */
static void
v1_sa(struct pkt *pk, uint8_t next)
{
	static const uint16_t attr[][2] = {
		{ 1, 7 }, { 14, 128 }, { 2, 4 }, { 3, 1 }, { 4, 14 },
		{ 11, 1 }, { 12, 28800 },
	};
	size_t at = pl_open(pk, next), prop, xf;
	unsigned i;
	uint8_t *p;

	pk_put32(pk, 1);		/* DOI: IPsec */
	pk_put32(pk, 1);		/* SIT_IDENTITY_ONLY */
	prop = pl_open(pk, 0);
	p = pk_put(pk, 4);
	p[0] = 1;			/* proposal 1 */
	p[1] = 1;			/* PROTO_ISAKMP */
	p[3] = 1;			/* transforms */
	xf = pl_open(pk, 0);
	p = pk_put(pk, 4);
	p[0] = 1;			/* transform 1 */
	p[1] = 1;			/* KEY_IKE */
	for (i = 0; i < sizeof attr / sizeof attr[0]; i++) {
		pk_put16(pk, (uint16_t)(0x8000 | attr[i][0]));
		pk_put16(pk, attr[i][1]);
	}
	pl_close(pk, xf);
	pl_close(pk, prop);
	pl_close(pk, at);
}

static void
v1_raw(struct pkt *pk, uint8_t next, const uint8_t *data, size_t n,
    size_t nrand)
{
	size_t at = pl_open(pk, next);

	if (n > 0)
		pk_put_bytes(pk, data, n);
	pk_put_rand(pk, nrand);
	pl_close(pk, at);
}

/* MD5("RFC 3947"), the NAT-T vendor ID. */
static const uint8_t vid_rfc3947[16] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f,
};

/* Main mode message n (1..6), RFC 2409 5. */
static void
v1_main(struct pkt *pk, const uint8_t *ispi, const uint8_t *rspi, int n)
{
	pk_init(pk);
	switch (n) {
	case 1:
	case 2:
		v1_sa(pk, V1_VID);
		v1_raw(pk, 0, vid_rfc3947, sizeof vid_rfc3947, 0);
		ike_hdr(pk, ispi, n == 1 ? spi_zero : rspi, V1_SA, 0x10,
		    V1_MAIN, 0, 0);
		break;
	case 3:
	case 4:
		v1_raw(pk, V1_NONCE, NULL, 0, 256);	/* MODP-2048 */
		v1_raw(pk, V1_NATD, NULL, 0, 32);
		v1_raw(pk, V1_NATD, NULL, 0, 32);
		v1_raw(pk, 0, NULL, 0, 32);
		ike_hdr(pk, ispi, rspi, V1_KE, 0x10, V1_MAIN, 0, 0);
		break;
	default:
		/* RFC 2408 3.1: E flag, the payloads are encrypted */
		pk_put_rand(pk, 64);
		ike_hdr(pk, ispi, rspi, V1_ID, 0x10, V1_MAIN, 0x01, 0);
		break;
	}
}

/* --- capture writer ------------------------------------------------------- */

enum fmt {
	F_PCAP_LE_US,
	F_PCAP_BE_US,
	F_PCAP_LE_NS,
	F_PCAP_BE_NS,
	F_PCAPNG,
};

struct iface {
	int		 linktype;
	unsigned	 ntags;		/* Ethernet: VLAN tags */
	uint16_t	 tpid[2], vid[2];
	uint32_t	 af6;		/* NULL and LOOP: AF_INET6 value */
	bool		 nsres;		/* pcapng if_tsresol 9 */
};

struct capw {
	FILE		*fp;
	const char	*path;
	enum fmt	 fmt;
	bool		 be;
	struct iface	 ifs[4];
	unsigned	 nif;
	uint64_t	 t_ns;		/* time of the next frame */
	uint64_t	 step_ns;
	uint64_t	 frames;
};

static void
w_bytes(struct capw *w, const void *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, w->fp) != n)
		die(w->path, strerror(errno));
}

/* A 16- or 32-bit value in the file's byte order. */
static void
w_u16(struct capw *w, uint16_t v)
{
	uint8_t b[2];

	if (w->be)
		put16(b, v);
	else {
		b[0] = (uint8_t)v;
		b[1] = (uint8_t)(v >> 8);
	}
	w_bytes(w, b, 2);
}

static void
w_u32(struct capw *w, uint32_t v)
{
	uint8_t b[4];

	if (w->be)
		put32(b, v);
	else
		put32le(b, v);
	w_bytes(w, b, 4);
}

static void
w_open(struct capw *w, const char *path, enum fmt fmt)
{
	static char buf[1 << 20];

	memset(w, 0, sizeof *w);
	w->path = path;
	w->fmt = fmt;
	w->be = fmt == F_PCAP_BE_US || fmt == F_PCAP_BE_NS;
	if ((w->fp = fopen(path, "wb")) == NULL)
		die(path, strerror(errno));
	setvbuf(w->fp, buf, _IOFBF, sizeof buf);
	w->t_ns = T0_SEC * NS;
	w->step_ns = 1000000;
	if (fmt == F_PCAP_LE_NS || fmt == F_PCAP_BE_NS) {
		w->t_ns += 123456789;	/* show the nanoseconds */
		w->step_ns = 1000017;
	}
}

/* pcap file header (pcap-savefile(5)); one interface. */
static void
w_pcap_hdr(struct capw *w, int linktype)
{
	bool ns = w->fmt == F_PCAP_LE_NS || w->fmt == F_PCAP_BE_NS;

	w_u32(w, ns ? 0xa1b23c4d : 0xa1b2c3d4);
	w_u16(w, 2);
	w_u16(w, 4);
	w_u32(w, 0);			/* thiszone */
	w_u32(w, 0);			/* sigfigs */
	w_u32(w, 262144);		/* snaplen */
	w_u32(w, (uint32_t)linktype);
	memset(&w->ifs[0], 0, sizeof w->ifs[0]);
	w->ifs[0].linktype = linktype;
	w->ifs[0].af6 = 24;
	w->nif = 1;
}

/* pcapng options: code, length, value padded to 32 bits. */
static size_t
ng_opt(uint8_t *p, bool be, uint16_t code, const void *v, size_t n)
{
	size_t pad = (4 - n % 4) % 4;

	if (be) {
		put16(p, code);
		put16(p + 2, (uint16_t)n);
	} else {
		p[0] = (uint8_t)code;
		p[1] = (uint8_t)(code >> 8);
		p[2] = (uint8_t)n;
		p[3] = (uint8_t)(n >> 8);
	}
	if (n > 0)
		memcpy(p + 4, v, n);
	memset(p + 4 + n, 0, pad);
	return 4 + n + pad;
}

static void
ng_u32(uint8_t *p, bool be, uint32_t v)
{
	if (be)
		put32(p, v);
	else
		put32le(p, v);
}

/* Writes a block whose body (after type and length) is body[0..n). */
static void
ng_block(struct capw *w, uint32_t type, const uint8_t *body, size_t n)
{
	w_u32(w, type);
	w_u32(w, (uint32_t)(n + 12));
	w_bytes(w, body, n);
	w_u32(w, (uint32_t)(n + 12));
}

/* Section Header Block; interfaces are numbered again from 0. */
static void
w_shb(struct capw *w, bool be, const char *comment)
{
	uint8_t b[256];
	size_t n = 0;

	w->be = be;
	ng_u32(b, be, 0x1a2b3c4d);
	b[4] = be ? 0 : 1;		/* major 1 */
	b[5] = be ? 1 : 0;
	b[6] = 0;			/* minor 0 */
	b[7] = 0;
	memset(b + 8, 0xff, 8);		/* section length unknown */
	n = 16;
	n += ng_opt(b + n, be, 4, "mksamples", 9);	/* shb_userappl */
	if (comment != NULL)
		n += ng_opt(b + n, be, 1, comment, strlen(comment));
	n += ng_opt(b + n, be, 0, NULL, 0);
	ng_block(w, 0x0a0d0d0a, b, n);
	w->nif = 0;
}

/* Interface Description Block. */
static void
w_idb(struct capw *w, int linktype, const char *name, bool nsres)
{
	uint8_t b[256], res = 9;
	size_t n;

	if (w->nif == sizeof w->ifs / sizeof w->ifs[0])
		die("too many interfaces", NULL);
	if (w->be) {
		put16(b, (uint16_t)linktype);
		put16(b + 2, 0);
	} else {
		b[0] = (uint8_t)linktype;
		b[1] = (uint8_t)(linktype >> 8);
		b[2] = b[3] = 0;
	}
	ng_u32(b + 4, w->be, 262144);
	n = 8;
	n += ng_opt(b + n, w->be, 2, name, strlen(name));	/* if_name */
	if (nsres)
		n += ng_opt(b + n, w->be, 9, &res, 1);	/* if_tsresol */
	n += ng_opt(b + n, w->be, 0, NULL, 0);
	ng_block(w, 1, b, n);
	memset(&w->ifs[w->nif], 0, sizeof w->ifs[0]);
	w->ifs[w->nif].linktype = linktype;
	w->ifs[w->nif].af6 = 24;
	w->ifs[w->nif].nsres = nsres;
	w->nif++;
}

/* Interface Statistics Block: packets received, none dropped. */
static void
w_isb(struct capw *w, uint32_t ifid, uint64_t recv)
{
	uint8_t b[64], v[8];
	uint64_t t = w->t_ns / 1000;
	size_t n;
	unsigned i;

	ng_u32(b, w->be, ifid);
	ng_u32(b + 4, w->be, (uint32_t)(t >> 32));
	ng_u32(b + 8, w->be, (uint32_t)t);
	n = 12;
	for (i = 0; i < 8; i++)
		v[i] = (uint8_t)(w->be ? recv >> (56 - 8 * i) :
		    recv >> (8 * i));
	n += ng_opt(b + n, w->be, 4, v, 8);	/* isb_ifrecv */
	memset(v, 0, sizeof v);
	n += ng_opt(b + n, w->be, 5, v, 8);	/* isb_ifdrop */
	n += ng_opt(b + n, w->be, 0, NULL, 0);
	ng_block(w, 5, b, n);
}

/* Writes one frame record and advances the clock. */
static void
w_frame(struct capw *w, unsigned ifid, const uint8_t *p, size_t caplen,
    size_t wirelen, const char *comment)
{
	static uint8_t b[PK_MAX + 512];
	static const uint8_t zero[4];
	uint64_t t;
	size_t n;

	if (w->fmt != F_PCAPNG) {
		bool ns = w->fmt == F_PCAP_LE_NS || w->fmt == F_PCAP_BE_NS;

		/* record header, then the bytes, in one write */
		ng_u32(b, w->be, (uint32_t)(w->t_ns / NS));
		ng_u32(b + 4, w->be,
		    (uint32_t)(w->t_ns % NS / (ns ? 1 : 1000)));
		ng_u32(b + 8, w->be, (uint32_t)caplen);
		ng_u32(b + 12, w->be, (uint32_t)wirelen);
		memcpy(b + 16, p, caplen);
		w_bytes(w, b, 16 + caplen);
	} else {
		/* Enhanced Packet Block */
		t = w->ifs[ifid].nsres ? w->t_ns : w->t_ns / 1000;
		ng_u32(b, w->be, ifid);
		ng_u32(b + 4, w->be, (uint32_t)(t >> 32));
		ng_u32(b + 8, w->be, (uint32_t)t);
		ng_u32(b + 12, w->be, (uint32_t)caplen);
		ng_u32(b + 16, w->be, (uint32_t)wirelen);
		memcpy(b + 20, p, caplen);
		n = 20 + caplen;
		memcpy(b + n, zero, (4 - caplen % 4) % 4);
		n += (4 - caplen % 4) % 4;
		if (comment != NULL) {
			n += ng_opt(b + n, w->be, 1, comment, strlen(comment));
			n += ng_opt(b + n, w->be, 0, NULL, 0);
		}
		ng_block(w, 6, b, n);
	}
	w->t_ns += w->step_ns;
	w->frames++;
}

static void
w_close(struct capw *w)
{
	if (fflush(w->fp) != 0 || ferror(w->fp) || fclose(w->fp) != 0)
		die(w->path, strerror(errno));
	w->fp = NULL;
}

/* --- link layers ---------------------------------------------------------- */

/* 00:00:5e:00:53:xx (RFC 7042 2.1.2, documentation) from an address byte. */
static void
mac_of(uint8_t *m, uint8_t last)
{
	static const uint8_t doc[5] = { 0x00, 0x00, 0x5e, 0x00, 0x53 };

	memcpy(m, doc, 5);
	m[5] = last;
}

/* Our side of the documentation networks: 192.0.2.0/24, 2001:db8:1::/48. */
static bool
is_local(const uint8_t *ipp)
{
	if (ipp[0] >> 4 == 4)
		return ipp[12] == 192;
	return ipp[8 + 5] == 1;
}

/* Puts the link header of interface `ifid` before the IP packet. */
static void
link_wrap(struct capw *w, unsigned ifid, struct pkt *pk)
{
	const struct iface *fi = &w->ifs[ifid];
	const uint8_t *ipp = pk_data(pk);
	bool v6 = ipp[0] >> 4 == 6;
	uint16_t et = v6 ? ET_IPV6 : ET_IPV4;
	uint8_t s = v6 ? ipp[23] : ipp[15], d = v6 ? ipp[39] : ipp[19];
	uint32_t af = v6 ? fi->af6 : 2;
	uint8_t *h;
	unsigned i;

	switch (fi->linktype) {
	case LT_ETHERNET:
		for (i = fi->ntags; i-- > 0; ) {
			h = pk_push(pk, 4);
			put16(h, fi->vid[i]);
			put16(h + 2, et);
			et = fi->tpid[i];
		}
		h = pk_push(pk, 14);
		mac_of(h, d);
		mac_of(h + 6, s);
		put16(h + 12, et);
		break;
	case LT_SLL:
		h = pk_push(pk, 16);
		put16(h, is_local(ipp) ? 4 : 0);	/* outgoing : to us */
		put16(h + 2, 1);			/* ARPHRD_ETHER */
		put16(h + 4, 6);
		mac_of(h + 6, s);
		put16(h + 14, et);
		break;
	case LT_SLL2:
		h = pk_push(pk, 20);
		put16(h, et);
		put32(h + 4, 2);			/* ifindex */
		put16(h + 8, 1);
		h[10] = is_local(ipp) ? 4 : 0;
		h[11] = 6;
		mac_of(h + 12, s);
		break;
	case LT_NULL:
		/* the capturing host's byte order */
		put32le(pk_push(pk, 4), af);
		break;
	case LT_LOOP:
		put32(pk_push(pk, 4), af);		/* network order */
		break;
	default:
		break;				/* raw IP */
	}
}

/* Writes an IP packet on interface `ifid`, link header added. */
static void
emit_on(struct capw *w, unsigned ifid, const struct pkt *ipk,
    size_t cut, const char *comment)
{
	static struct pkt pk;
	size_t n;

	pk_copy(&pk, ipk);
	link_wrap(w, ifid, &pk);
	n = pk_len(&pk);
	if (cut > 0) {
		/* cut counts bytes after the IP header starts */
		size_t l = n - pk_len(ipk) + cut;

		w_frame(w, ifid, pk_data(&pk), l < n ? l : n, n, comment);
	} else
		w_frame(w, ifid, pk_data(&pk), n, n, comment);
}

static void
emit(struct capw *w, const struct pkt *ipk)
{
	emit_on(w, 0, ipk, 0, NULL);
}

/* --- packet recipes ------------------------------------------------------- */

/* Addresses of the scenarios. */
#define A4	"192.0.2.10"		/* initiator (behind the NAT) */
#define A4B	"192.0.2.20"
#define NAT4	"198.51.100.7"		/* the NAT's public address */
#define RTR4	"198.51.100.1"
#define DNS4	"198.51.100.53"
#define B4	"203.0.113.5"		/* responder, gateway */
#define A6	"2001:db8:1::10"
#define RTR6	"2001:db8:1::1"
#define B6	"2001:db8:2::5"
#define HOME6	"2001:db8:3::7"

static const uint8_t ispi1[8] = { 0x5a, 0x64, 0xe0, 0xed, 0xca, 0x3a, 0x36,
    0x14 };
static const uint8_t rspi1[8] = { 0x7c, 0x9e, 0xbe, 0x2a, 0x8e, 0x9f, 0xf7,
    0xb8 };
static const uint8_t ispi2[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    0x88 };
static const uint8_t rspi2[8] = { 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0,
    0x01 };
static const uint8_t ispi3[8] = { 0xb3, 0x16, 0x15, 0xb5, 0xec, 0x7a, 0x4f,
    0xaf };
static const uint8_t rspi3[8] = { 0x71, 0xcd, 0xf2, 0x56, 0xf7, 0x17, 0xb6,
    0xe8 };

/* ESP straight over IP. */
static void
mk_esp(struct pkt *pk, const struct ep *e, uint32_t spi, uint32_t seq,
    size_t plain)
{
	pk_init(pk);
	esp(pk, spi, seq, esp_size(plain, 16));
	ip(pk, e, P_ESP);
}

/* ESP in UDP 4500 (RFC 3948 2.1). */
static void
mk_natt_esp(struct pkt *pk, const struct ep *e, uint16_t sport,
    uint16_t dport, uint32_t spi, uint32_t seq, size_t plain)
{
	pk_init(pk);
	esp(pk, spi, seq, esp_size(plain, 16));
	udp(pk, e, sport, dport);
	ip(pk, e, P_UDP);
}

/* NAT keepalive: one 0xFF byte (RFC 3948 2.3). */
static void
mk_keepalive(struct pkt *pk, const struct ep *e, uint16_t sport)
{
	pk_init(pk);
	pk_put8(pk, 0xff);
	udp(pk, e, sport, 4500);
	ip(pk, e, P_UDP);
}

/* What is in the packet (an IKE message) over UDP, marker on 4500. */
static void
mk_ike_udp(struct pkt *pk, const struct ep *e, uint16_t sport,
    uint16_t dport)
{
	if (sport == 4500 || dport == 4500)
		pk_push(pk, 4);	/* RFC 3948 2.2: non-ESP marker */
	udp(pk, e, sport, dport);
	ip(pk, e, P_UDP);
}

static void
mk_dns(struct pkt *pk, const struct ep *e, bool response, uint16_t id)
{
	static const uint8_t q[] = {
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0x00, 0x01, 0x00, 0x01,		/* A, IN */
	};
	static const uint8_t an[] = {
		0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01,
		0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 203, 0, 113, 80,
	};

	pk_init(pk);
	pk_put16(pk, id);
	pk_put16(pk, response ? 0x8180 : 0x0100);
	pk_put16(pk, 1);
	pk_put16(pk, response ? 1 : 0);
	pk_put32(pk, 0);
	pk_put_bytes(pk, q, sizeof q);
	if (response)
		pk_put_bytes(pk, an, sizeof an);
	udp(pk, e, response ? 53 : 53001, response ? 53001 : 53);
	ip(pk, e, P_UDP);
}

static void
mk_echo(struct pkt *pk, const struct ep *e, bool reply, uint16_t seq)
{
	unsigned i;

	pk_init(pk);
	for (i = 0; i < 32; i++)
		pk_put8(pk, (uint8_t)(0x20 + i));
	if (e->v == 4) {
		icmp4(pk, reply ? 0 : 8, 0, 0x4d530000u | seq);
		ip(pk, e, P_ICMP);
	} else {
		icmp6(pk, e, reply ? 129 : 128, 0, 0x4d530000u | seq);
		ip(pk, e, P_ICMPV6);
	}
}

/*
 * A short scenario for the link and format samples: IKE_SA_INIT, ESP both
 * ways, NAT-T ESP, a keepalive, then the same over IPv6 if `v6` (and the
 * IPv4 part only if `v4`).
 */
static void
sc_mix(struct capw *w, unsigned ifid, bool v4, bool v6)
{
	struct ep ab = ep_make(A4, B4), ab6 = ep_make(A6, B6);
	struct ep ba = ep_rev(&ab), ba6 = ep_rev(&ab6);
	struct pkt pk;

	if (v4) {
		v2_sa_init(&pk, ispi2, rspi2, false);
		mk_ike_udp(&pk, &ab, 500, 500);
		emit_on(w, ifid, &pk, 0, NULL);
		v2_sa_init(&pk, ispi2, rspi2, true);
		mk_ike_udp(&pk, &ba, 500, 500);
		emit_on(w, ifid, &pk, 0, NULL);
		mk_esp(&pk, &ab, 0x0a0b0c01, 1, 84);
		emit_on(w, ifid, &pk, 0, NULL);
		mk_esp(&pk, &ba, 0x0a0b0c02, 1, 84);
		emit_on(w, ifid, &pk, 0, NULL);
		mk_natt_esp(&pk, &ab, 4500, 4500, 0x0a0b0c03, 1, 120);
		emit_on(w, ifid, &pk, 0, NULL);
		mk_keepalive(&pk, &ab, 4500);
		emit_on(w, ifid, &pk, 0, NULL);
	}
	if (v6) {
		mk_esp(&pk, &ab6, 0x0a0b0c61, 1, 104);
		emit_on(w, ifid, &pk, 0, NULL);
		mk_esp(&pk, &ba6, 0x0a0b0c62, 1, 104);
		emit_on(w, ifid, &pk, 0, NULL);
		mk_natt_esp(&pk, &ab6, 4500, 4500, 0x0a0b0c63, 1, 200);
		emit_on(w, ifid, &pk, 0, NULL);
		v2_enc(&pk, ispi2, rspi2, V2_INFO, true, false, 2, 0, 1);
		mk_ike_udp(&pk, &ab6, 500, 500);
		emit_on(w, ifid, &pk, 0, NULL);
	}
}

/* --- the samples ---------------------------------------------------------- */

static void
s_natt_ipv4(struct capw *w)
{
	/* Seen on the responder: the initiator is NATed to 198.51.100.7. */
	struct ep i2r = ep_make(NAT4, B4), r2i = ep_rev(&i2r);
	struct pkt pk;
	uint32_t k;

	v2_sa_init(&pk, ispi1, rspi1, false);
	mk_ike_udp(&pk, &i2r, 500, 500);
	emit(w, &pk);
	v2_sa_init(&pk, ispi1, rspi1, true);
	mk_ike_udp(&pk, &r2i, 500, 500);
	emit(w, &pk);
	/* NAT detected: IKE_AUTH moves to 4500 (RFC 7296 2.23) */
	v2_enc(&pk, ispi1, rspi1, V2_AUTH, true, false, 1, V2_IDI, 20);
	mk_ike_udp(&pk, &i2r, 34501, 4500);
	emit(w, &pk);
	v2_enc(&pk, ispi1, rspi1, V2_AUTH, false, true, 1, V2_IDR, 16);
	mk_ike_udp(&pk, &r2i, 4500, 34501);
	emit(w, &pk);
	for (k = 1; k <= 4; k++) {
		mk_natt_esp(&pk, &i2r, 34501, 4500, 0xc1a9656b, k,
		    rng_range(40, 300));
		emit(w, &pk);
		mk_natt_esp(&pk, &r2i, 4500, 34501, 0x78bd5377, k,
		    rng_range(40, 1200));
		emit(w, &pk);
	}
	mk_keepalive(&pk, &i2r, 34501);
	emit(w, &pk);
	for (k = 5; k <= 6; k++) {
		mk_natt_esp(&pk, &i2r, 34501, 4500, 0xc1a9656b, k, 60);
		emit(w, &pk);
	}
	/* liveness check */
	v2_enc(&pk, ispi1, rspi1, V2_INFO, false, false, 0, 0, 1);
	mk_ike_udp(&pk, &r2i, 4500, 34501);
	emit(w, &pk);
	v2_enc(&pk, ispi1, rspi1, V2_INFO, true, true, 0, 0, 1);
	mk_ike_udp(&pk, &i2r, 34501, 4500);
	emit(w, &pk);
	mk_keepalive(&pk, &i2r, 34501);
	emit(w, &pk);
}

static void
s_esp_ipv4(struct capw *w)
{
	static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 };
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct pkt pk;
	uint32_t k;

	for (k = 1; k <= 4; k++) {
		mk_esp(&pk, &ab, 0x5eed0001, k, rng_range(20, 1400));
		emit(w, &pk);
		mk_esp(&pk, &ba, 0x5eed0002, k, rng_range(20, 1400));
		emit(w, &pk);
	}
	/* the SA pair after a rekey */
	for (k = 1; k <= 2; k++) {
		mk_esp(&pk, &ab, 0x5eed0003, k, rng_range(20, 400));
		emit(w, &pk);
		mk_esp(&pk, &ba, 0x5eed0004, k, rng_range(20, 400));
		emit(w, &pk);
	}
	/* IHL 6: a Router Alert option (RFC 2113) before ESP */
	pk_init(&pk);
	esp(&pk, 0x5eed0003, 3, esp_size(64, 16));
	ip4x(&pk, &ab, P_ESP, ip_id++, IP_DF, ra, sizeof ra);
	emit(w, &pk);
}

static void
s_esp_ipv6(struct capw *w)
{
	struct ep ab = ep_make(A6, B6), ba = ep_rev(&ab);
	struct ep ab4 = ep_make(A4, B4);
	struct pkt pk;
	uint32_t k;

	for (k = 1; k <= 3; k++) {
		mk_esp(&pk, &ab, 0x6eed0001, k, rng_range(40, 1300));
		emit(w, &pk);
		mk_esp(&pk, &ba, 0x6eed0002, k, rng_range(40, 1300));
		emit(w, &pk);
	}
	/* 6in4 (RFC 4213): IPv6 ESP inside IPv4 protocol 41 */
	mk_esp(&pk, &ab, 0x6eed0001, 4, 100);
	ip(&pk, &ab4, P_IPV6);
	emit(w, &pk);
	/* IPv4 ESP inside IPv6 (RFC 2473) */
	mk_esp(&pk, &ab4, 0x5eed0001, 9, 100);
	ip(&pk, &ab, P_IPIP);
	emit(w, &pk);
}

static void
s_ikev2(struct capw *w)
{
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct ep ab6 = ep_make(A6, B6), ba6 = ep_rev(&ab6);
	struct pkt pk;

	v2_sa_init(&pk, ispi2, rspi2, false);
	mk_ike_udp(&pk, &ab, 500, 500);
	emit(w, &pk);
	v2_sa_init(&pk, ispi2, rspi2, true);
	mk_ike_udp(&pk, &ba, 500, 500);
	emit(w, &pk);
	v2_enc(&pk, ispi2, rspi2, V2_AUTH, true, false, 1, V2_IDI, 18);
	mk_ike_udp(&pk, &ab, 500, 500);
	emit(w, &pk);
	v2_enc(&pk, ispi2, rspi2, V2_AUTH, false, true, 1, V2_IDR, 14);
	mk_ike_udp(&pk, &ba, 500, 500);
	emit(w, &pk);
	v2_enc(&pk, ispi2, rspi2, V2_CHILD, true, false, 2, V2_SA, 12);
	mk_ike_udp(&pk, &ab, 500, 500);
	emit(w, &pk);
	v2_enc(&pk, ispi2, rspi2, V2_CHILD, false, true, 2, V2_SA, 12);
	mk_ike_udp(&pk, &ba, 500, 500);
	emit(w, &pk);
	v2_sa_init(&pk, ispi1, rspi1, false);
	mk_ike_udp(&pk, &ab6, 500, 500);
	emit(w, &pk);
	v2_sa_init(&pk, ispi1, rspi1, true);
	mk_ike_udp(&pk, &ba6, 500, 500);
	emit(w, &pk);
	/* delete (RFC 7296 1.4.1) */
	v2_enc(&pk, ispi2, rspi2, V2_INFO, true, false, 3, 42, 1);
	mk_ike_udp(&pk, &ab, 500, 500);
	emit(w, &pk);
	v2_enc(&pk, ispi2, rspi2, V2_INFO, false, true, 3, 0, 1);
	mk_ike_udp(&pk, &ba, 500, 500);
	emit(w, &pk);
}

static void
s_ikev1(struct capw *w)
{
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct pkt pk;
	int n;

	for (n = 1; n <= 6; n++) {
		v1_main(&pk, ispi3, rspi3, n);
		mk_ike_udp(&pk, n % 2 ? &ab : &ba, 500, 500);
		emit(w, &pk);
	}
}

static void
s_ah(struct capw *w)
{
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct ep ab6 = ep_make(A6, B6), ba6 = ep_rev(&ab6);
	struct ep in = ep_make(A4B, "203.0.113.77");
	struct pkt pk;
	unsigned i;

	for (i = 0; i < 2; i++) {
		const struct ep *e = i ? &ba : &ab;

		mk_echo(&pk, e, i, 1);
		pk.off += 20;		/* drop the IP header: transport */
		ah(&pk, P_ICMP, i ? 0x0000ab02 : 0x0000ab01, 1);
		ip(&pk, e, P_AH);
		emit(w, &pk);
	}
	for (i = 0; i < 2; i++) {
		const struct ep *e = i ? &ba6 : &ab6;

		pk_init(&pk);
		pk_put_rand(&pk, 48);
		udp(&pk, e, 5000, 5000);
		ah(&pk, P_UDP, i ? 0x0000ab62 : 0x0000ab61, 1);
		ip(&pk, e, P_AH);
		emit(w, &pk);
	}
	/* tunnel mode: an inner IPv4 packet */
	pk_init(&pk);
	pk_put_rand(&pk, 40);
	udp(&pk, &in, 6000, 6000);
	ip(&pk, &in, P_UDP);
	ah(&pk, P_IPIP, 0x0000ab01, 2);
	ip(&pk, &ab, P_AH);
	emit(w, &pk);
}

static void
s_ipcomp(struct capw *w)
{
	static const char line[] =
	    "<134>Nov 14 22:13:20 gw charon: 09[IKE] CHILD_SA established "
	    "with SPIs c1a9656b_i 78bd5377_o and TS 192.0.2.0/24 === "
	    "203.0.113.0/24\n";
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct ep ab6 = ep_make(A6, B6);
	struct ep in = ep_make(A4B, "203.0.113.77"), in6 = ep_make(A6, HOME6);
	struct pkt pk;
	unsigned i;

	/* transport: a compressed UDP datagram */
	pk_init(&pk);
	for (i = 0; i < 3; i++)
		pk_put_bytes(&pk, line, sizeof line - 1);
	udp(&pk, &ab, 514, 514);
	ipcomp(&pk, P_UDP);
	ip(&pk, &ab, P_COMP);
	emit(w, &pk);
	/* tunnel: an inner IPv4 echo reply with a zero payload */
	pk_init(&pk);
	pk_put(&pk, 200);
	icmp4(&pk, 0, 0, 0x4d530001);
	ip(&pk, &in, P_ICMP);
	ipcomp(&pk, P_IPIP);
	ip(&pk, &ba, P_COMP);
	emit(w, &pk);
	/* IPv6 tunnel: inner IPv6 UDP */
	pk_init(&pk);
	for (i = 0; i < 2; i++)
		pk_put_bytes(&pk, line, sizeof line - 1);
	udp(&pk, &in6, 514, 514);
	ip(&pk, &in6, P_UDP);
	ipcomp(&pk, P_IPV6);
	ip(&pk, &ab6, P_COMP);
	emit(w, &pk);
}

static void
s_ipv6_ext(struct capw *w)
{
	struct ep ab = ep_make(A6, B6), ba = ep_rev(&ab);
	struct pkt pk;

	/* hop-by-hop, destination options, ESP */
	mk_esp(&pk, &ab, 0x6e7e0001, 1, 100);
	pk.off += 40;
	ext6_opts(&pk, P_ESP);
	ext6_opts(&pk, P_DSTOPTS);
	ip6(&pk, &ab, P_HOPOPTS);
	emit(w, &pk);
	/* hop-by-hop, routing (type 2), ESP */
	mk_esp(&pk, &ba, 0x6e7e0002, 1, 100);
	pk.off += 40;
	ext6_rh2(&pk, P_ESP, HOME6);
	ext6_opts(&pk, P_ROUTING);
	ip6(&pk, &ba, P_HOPOPTS);
	emit(w, &pk);
	/* destination options, routing, destination options, ESP */
	mk_esp(&pk, &ab, 0x6e7e0001, 2, 300);
	pk.off += 40;
	ext6_opts(&pk, P_ESP);
	ext6_rh2(&pk, P_DSTOPTS, HOME6);
	ext6_opts(&pk, P_ROUTING);
	ip6(&pk, &ab, P_DSTOPTS);
	emit(w, &pk);
	/* hop-by-hop, destination options, AH, UDP */
	pk_init(&pk);
	pk_put_rand(&pk, 32);
	udp(&pk, &ab, 5000, 5000);
	ah(&pk, P_UDP, 0x6e7e00a1, 1);
	ext6_opts(&pk, P_AH);
	ext6_opts(&pk, P_DSTOPTS);
	ip6(&pk, &ab, P_HOPOPTS);
	emit(w, &pk);
	/* destination options before UDP-encapsulated ESP */
	mk_natt_esp(&pk, &ab, 4500, 4500, 0x6e7e0003, 1, 100);
	pk.off += 40;
	ext6_opts(&pk, P_UDP);
	ip6(&pk, &ab, P_DSTOPTS);
	emit(w, &pk);
	/* an atomic fragment (RFC 6946): offset 0, M clear */
	mk_esp(&pk, &ab, 0x6e7e0001, 3, 100);
	pk.off += 40;
	ext6_frag(&pk, P_ESP, 0, false, 0x61746f6d);
	ext6_opts(&pk, P_FRAGMENT);
	ip6(&pk, &ab, P_HOPOPTS);
	emit(w, &pk);
}

/* Sends the IPv4 fragments of payload pl (protocol proto) in `order`. */
static void
frag4(struct capw *w, const struct ep *e, uint8_t proto, uint16_t id,
    const struct pkt *pl, const size_t *cut, unsigned n,
    const unsigned *order)
{
	struct pkt pk;
	size_t lo, hi;
	unsigned i, k;

	for (i = 0; i < n; i++) {
		k = order[i];
		lo = k ? cut[k - 1] : 0;
		hi = k + 1 < n ? cut[k] : pk_len(pl);
		pk_init(&pk);
		pk_put_bytes(&pk, pl->b + pl->off + lo, hi - lo);
		ip4x(&pk, e, proto, id, (uint16_t)(lo / 8 |
		    (k + 1 < n ? IP_MF : 0)), NULL, 0);
		emit(w, &pk);
	}
}

static void
frag6(struct capw *w, const struct ep *e, uint8_t nxt, uint32_t id,
    const struct pkt *pl, size_t cut, bool reverse)
{
	struct pkt pk;
	unsigned i, k;

	for (i = 0; i < 2; i++) {
		k = reverse ? 1 - i : i;
		pk_init(&pk);
		if (k == 0)
			pk_put_bytes(&pk, pl->b + pl->off, cut);
		else
			pk_put_bytes(&pk, pl->b + pl->off + cut,
			    pk_len(pl) - cut);
		ext6_frag(&pk, nxt, (uint16_t)(k ? cut : 0), k == 0, id);
		ip6(&pk, e, P_FRAGMENT);
		emit(w, &pk);
	}
}

static void
s_frag_ipv4(struct capw *w)
{
	static const size_t cut3[] = { 480, 960 }, cut2[] = { 1000 };
	static const unsigned ooo[] = { 1, 2, 0 }, ino[] = { 0, 1 };
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct pkt pl, pk;

	mk_esp(&pk, &ab, 0xf4a90001, 1, 60);
	emit(w, &pk);
	/* an ESP packet in three fragments, second, third, first */
	pk_init(&pl);
	esp(&pl, 0xf4a90001, 2, esp_size(1160, 12));
	frag4(w, &ab, P_ESP, 0x2222, &pl, cut3, 3, ooo);
	/* NAT-T ESP in two fragments, in order */
	pk_init(&pl);
	esp(&pl, 0xf4a90002, 1, esp_size(1300, 16));
	udp(&pl, &ba, 4500, 4500);
	frag4(w, &ba, P_UDP, 0x3333, &pl, cut2, 2, ino);
	mk_esp(&pk, &ab, 0xf4a90001, 3, 60);
	emit(w, &pk);
}

static void
s_frag_ipv6(struct capw *w)
{
	struct ep ab = ep_make(A6, B6), ba = ep_rev(&ab);
	struct pkt pl;

	/* NAT-T ESP in two fragments, in order */
	pk_init(&pl);
	esp(&pl, 0xf6a90001, 1, esp_size(1300, 16));
	udp(&pl, &ab, 4500, 4500);
	frag6(w, &ab, P_UDP, 0x0000f6a9, &pl, 1232, false);
	/* and the other way, last fragment first */
	pk_init(&pl);
	esp(&pl, 0xf6a90002, 1, esp_size(1400, 16));
	udp(&pl, &ba, 4500, 4500);
	frag6(w, &ba, P_UDP, 0x0000f6aa, &pl, 1232, true);
}

/* An ICMP error quoting the first `q` bytes of packet `orig`. */
static void
mk_quote(struct pkt *pk, const struct pkt *orig, size_t q)
{
	pk_init(pk);
	pk_put_bytes(pk, orig->b + orig->off, q < pk_len(orig) ? q :
	    pk_len(orig));
}

static void
s_icmp_quote(struct capw *w)
{
	struct ep ab = ep_make(A4, B4), ra = ep_make(RTR4, A4);
	struct ep nb = ep_make(NAT4, B4), bn = ep_rev(&nb);
	struct ep ab6 = ep_make(A6, B6), ra6 = ep_make(RTR6, A6);
	struct ep ba = ep_rev(&ab);
	struct pkt orig, pk;

	/* fragmentation needed (RFC 1191), the RFC 792 minimum quote */
	mk_esp(&orig, &ab, 0x1c3e0001, 7, 1400);
	emit(w, &orig);
	mk_quote(&pk, &orig, 20 + 8);
	icmp4(&pk, 3, 4, 1400);
	ip(&pk, &ra, P_ICMP);
	emit(w, &pk);
	/* host unreachable quoting NAT-T ESP, a longer quote (RFC 1812) */
	mk_natt_esp(&orig, &bn, 4500, 34501, 0x1c3e0002, 1, 200);
	emit(w, &orig);
	mk_quote(&pk, &orig, 20 + 8 + 64);
	icmp4(&pk, 3, 1, 0);
	ip(&pk, &nb, P_ICMP);
	emit(w, &pk);
	/* port unreachable quoting IKE */
	v2_sa_init(&orig, ispi1, rspi1, false);
	mk_ike_udp(&orig, &ab, 500, 500);
	mk_quote(&pk, &orig, 20 + 8 + 28);
	icmp4(&pk, 3, 3, 0);
	ip(&pk, &ba, P_ICMP);
	emit(w, &pk);
	/* packet too big (RFC 4443 3.2) quoting IPv6 ESP */
	mk_esp(&orig, &ab6, 0x1c3e0061, 3, 1400);
	emit(w, &orig);
	mk_quote(&pk, &orig, 40 + 200);
	icmp6(&pk, &ra6, 2, 0, 1280);
	ip(&pk, &ra6, P_ICMPV6);
	emit(w, &pk);
}

static void
s_not_ipsec(struct capw *w)
{
	struct ep ad = ep_make(A4, DNS4), da = ep_rev(&ad);
	struct ep ab6 = ep_make(A6, B6), ba6 = ep_rev(&ab6);
	struct ep ab = ep_make(A4, B4);
	uint8_t a[4], d[4];
	struct pkt pk;
	uint8_t *h;
	unsigned i;

	/* ARP request (42 bytes) and reply (padded to 60) for the router */
	inet_pton(AF_INET, A4, a);
	inet_pton(AF_INET, "192.0.2.1", d);
	for (i = 0; i < 2; i++) {
		pk_init(&pk);
		h = pk_put(&pk, i ? 60 : 42);
		if (i == 0)
			memset(h, 0xff, 6);
		else
			mac_of(h, a[3]);
		mac_of(h + 6, i ? d[3] : a[3]);
		put16(h + 12, ET_ARP);
		put16(h + 14, 1);
		put16(h + 16, ET_IPV4);
		h[18] = 6;
		h[19] = 4;
		put16(h + 20, (uint16_t)(i + 1));
		mac_of(h + 22, i ? d[3] : a[3]);
		memcpy(h + 28, i ? d : a, 4);
		if (i)
			mac_of(h + 32, a[3]);
		memcpy(h + 38, i ? a : d, 4);
		w_frame(w, 0, pk_data(&pk), pk_len(&pk), pk_len(&pk), NULL);
	}
	mk_dns(&pk, &ad, false, 0x4d53);
	emit(w, &pk);
	mk_dns(&pk, &da, true, 0x4d53);
	emit(w, &pk);
	mk_echo(&pk, &ab6, false, 1);
	emit(w, &pk);
	mk_echo(&pk, &ba6, true, 1);
	emit(w, &pk);
	pk_init(&pk);
	tcp(&pk, &ab, 51000, 443, 0x4d530001, 0, 0x02);
	ip(&pk, &ab, P_TCP);
	emit(w, &pk);
	/* UDP to port 4501: not NAT-T */
	pk_init(&pk);
	pk_put_rand(&pk, 24);
	udp(&pk, &ab, 4501, 4501);
	ip(&pk, &ab, P_UDP);
	emit(w, &pk);
}

static void
s_damaged(struct capw *w)
{
	struct ep ab = ep_make(A4, B4), ab6 = ep_make(A6, B6);
	struct pkt pk;
	uint8_t *h;

	/* 1: ESP cut by the snap length inside the sequence number */
	mk_esp(&pk, &ab, 0xdead0001, 1, 200);
	emit_on(w, 0, &pk, 20 + 6, NULL);
	/* 2: IPv4 total length 1400, the frame carries 100 bytes */
	mk_esp(&pk, &ab, 0xdead0001, 2, 40);
	h = pk_data(&pk);
	put16(h + 2, 1400);
	put16(h + 10, 0);
	put16(h + 10, cks_fin(cks_add(0, h, 20)));
	emit(w, &pk);
	/* 3: IKE length 400, the UDP payload holds the 28-byte header + 36 */
	pk_init(&pk);
	v2_nonce(&pk, 0);
	ike_hdr(&pk, ispi2, spi_zero, V2_NONCE, 0x20, V2_SA_INIT, V2_F_I, 0);
	put32(pk_data(&pk) + 24, 400);
	mk_ike_udp(&pk, &ab, 500, 500);
	emit(w, &pk);
	/* 4: UDP length 300 past the IP payload */
	mk_natt_esp(&pk, &ab, 4500, 4500, 0xdead0002, 1, 40);
	put16(pk_data(&pk) + 20 + 4, 300);
	emit(w, &pk);
	/* 5: ESP with the reserved SPI 0 (RFC 4303 2.1) */
	mk_esp(&pk, &ab, 0, 1, 40);
	emit(w, &pk);
	/* 6: IPv6 payload length past the frame */
	mk_esp(&pk, &ab6, 0xdead0061, 1, 40);
	put16(pk_data(&pk) + 4, 1000);
	emit(w, &pk);
	/* 7: AH whose length field (0) is below its fixed part */
	pk_init(&pk);
	pk_put_rand(&pk, 32);
	ah(&pk, P_UDP, 0xdead00a1, 1);
	pk_data(&pk)[1] = 0;
	ip(&pk, &ab, P_AH);
	emit(w, &pk);
	/* 8: an Ethernet frame cut to 10 bytes */
	mk_esp(&pk, &ab, 0xdead0001, 3, 40);
	link_wrap(w, 0, &pk);
	w_frame(w, 0, pk_data(&pk), 10, pk_len(&pk), NULL);
}

static void
s_link_vlan(struct capw *w)
{
	w->ifs[0].ntags = 1;
	w->ifs[0].tpid[0] = ET_VLAN;
	w->ifs[0].vid[0] = 100;
	sc_mix(w, 0, true, true);
}

static void
s_link_qinq(struct capw *w)
{
	w->ifs[0].ntags = 2;
	w->ifs[0].tpid[0] = ET_QINQ;
	w->ifs[0].vid[0] = 10;
	w->ifs[0].tpid[1] = ET_VLAN;
	w->ifs[0].vid[1] = (3 << 13) | 100;	/* PCP 3 */
	sc_mix(w, 0, true, true);
}

static void
s_mix46(struct capw *w)
{
	sc_mix(w, 0, true, true);
}

static void
s_mix4(struct capw *w)
{
	sc_mix(w, 0, true, false);
}

static void
s_mix6(struct capw *w)
{
	sc_mix(w, 0, false, true);
}

/* BSD loopback: AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS). */
static void
s_link_null(struct capw *w)
{
	struct ep ab6 = ep_make(A6, B6);
	struct pkt pk;
	static const uint32_t af6[] = { 24, 28, 30 };
	unsigned i;

	sc_mix(w, 0, true, false);
	for (i = 0; i < 3; i++) {
		w->ifs[0].af6 = af6[i];
		mk_esp(&pk, &ab6, 0x0a0b0c61, 1 + i, 104);
		emit(w, &pk);
	}
}

static void
s_link_loop(struct capw *w)
{
	sc_mix(w, 0, true, true);
}

static void
s_pcapng(struct capw *w)
{
	struct ep i2r = ep_make(NAT4, B4), r2i = ep_rev(&i2r);
	struct ep in = ep_make("203.0.113.77", A4B), back = ep_rev(&in);
	struct ep ab6 = ep_make(A6, B6);
	struct pkt pk;
	uint32_t k;

	/* section 1, little-endian: the outside and the decapsulated side */
	w_shb(w, false, "section 1: Ethernet and raw IP");
	w_idb(w, LT_ETHERNET, "eth0", false);
	w_idb(w, LT_RAW, "ipsec0", false);
	for (k = 1; k <= 3; k++) {
		mk_natt_esp(&pk, &r2i, 4500, 34501, 0x78bd5377, k, 84);
		emit_on(w, 0, &pk, 0, k == 1 ? "outer ESP in UDP" : NULL);
		mk_echo(&pk, &in, false, (uint16_t)k);
		emit_on(w, 1, &pk, 0, k == 1 ? "its plaintext" : NULL);
		mk_echo(&pk, &back, true, (uint16_t)k);
		emit_on(w, 1, &pk, 0, NULL);
		mk_natt_esp(&pk, &i2r, 34501, 4500, 0xc1a9656b, k, 84);
		emit_on(w, 0, &pk, 0, NULL);
	}
	w_isb(w, 0, 6);
	w_isb(w, 1, 6);
	/* section 2, big-endian: cooked v2 in nanoseconds, and Ethernet */
	w_shb(w, true, "section 2: Linux cooked v2 and Ethernet");
	w_idb(w, LT_SLL2, "any", true);
	w_idb(w, LT_ETHERNET, "eth1", false);
	v2_sa_init(&pk, ispi1, rspi1, false);
	mk_ike_udp(&pk, &i2r, 500, 500);
	emit_on(w, 0, &pk, 0, NULL);
	v2_sa_init(&pk, ispi1, rspi1, true);
	mk_ike_udp(&pk, &r2i, 500, 500);
	emit_on(w, 0, &pk, 0, NULL);
	mk_keepalive(&pk, &i2r, 34501);
	emit_on(w, 0, &pk, 0, NULL);
	for (k = 1; k <= 2; k++) {
		mk_esp(&pk, &ab6, 0x6eed0001, k, 300);
		emit_on(w, 1, &pk, 0, NULL);
	}
	mk_natt_esp(&pk, &i2r, 34501, 4500, 0xc1a9656b, 4, 84);
	emit_on(w, 0, &pk, 0, NULL);
}

/* --- real ESP: keys, encryption, integrity -------------------------------- */

/*
 * RFC 4303 2 framing with real algorithms: AES-GCM (RFC 4106), ChaCha20-
 * Poly1305 (RFC 7634), AES-CTR (RFC 3686), AES-CBC (RFC 3602), 3DES-CBC
 * (RFC 2451), NULL (RFC 2410); HMAC-SHA1-96 (RFC 2404), HMAC-SHA2-256-128
 * (RFC 4868); extended sequence numbers (RFC 4303 2.2.1, 3.3.2.1).
 */

enum sa_enc {
	E_NULL,
	E_AES_CBC,
	E_3DES,
	E_AES_CTR,
	E_AES_GCM,
	E_CHACHA,
};

enum sa_integ {
	I_NONE,
	I_SHA1_96,
	I_SHA256_128,
};

struct sa {
	uint32_t	 spi;
	const char	*src, *dst;	/* outer addresses */
	enum sa_enc	 enc;
	unsigned	 klen;		/* cipher key octets, salt excluded */
	enum sa_integ	 integ;
	bool		 esn;
	bool		 unlisted;	/* key kept out of the key files */
	const char	*label;
	uint64_t	 seq;		/* the last one sent */
	uint8_t		 ekey[36];	/* key, then salt or nonce */
	uint8_t		 ikey[32];
	const char	*encap;		/* native encap=, RFC 3948 */
};

static const struct {
	const char	*native, *ws;
	unsigned	 salt, iv, block, icv;
} enc_info[] = {
	[E_NULL] = { "null", "NULL", 0, 0, 4, 0 },
	[E_AES_CBC] = { "aes-cbc", "AES-CBC [RFC3602]", 0, 16, 16, 0 },
	[E_3DES] = { "3des-cbc", "TripleDES-CBC [RFC2451]", 0, 8, 8, 0 },
	[E_AES_CTR] = { "aes-ctr", "AES-CTR [RFC3686]", 4, 8, 4, 0 },
	[E_AES_GCM] = { "aes-gcm-16", "AES-GCM with 16 octet ICV [RFC4106]",
	    4, 8, 4, 16 },
	[E_CHACHA] = { "chacha20-poly1305", NULL, 4, 8, 4, 16 },
};

static const struct {
	const char	*native, *ws, *md;
	unsigned	 klen, icv;
} integ_info[] = {
	[I_NONE] = { "none", "NULL", NULL, 0, 0 },
	[I_SHA1_96] = { "hmac-sha1-96", "HMAC-SHA-1-96 [RFC2404]", "SHA1",
	    20, 12 },
	[I_SHA256_128] = { "hmac-sha2-256-128", "HMAC-SHA-256-128 [RFC4868]",
	    "SHA256", 32, 16 },
};

/* Keys from the label and SPI, apart from the packet generator. */
static void
sa_keys(struct sa *sa)
{
	char seed[128];
	uint64_t saved = rng_state;

	snprintf(seed, sizeof seed, "key %s %08" PRIx32, sa->label, sa->spi);
	rng_seed_str(seed);
	rng_fill(sa->ekey, sizeof sa->ekey);
	rng_fill(sa->ikey, sizeof sa->ikey);
	rng_state = saved;
}

static const EVP_CIPHER *
sa_cipher(const struct sa *sa)
{
	switch (sa->enc) {
	case E_AES_CBC:
		return sa->klen == 16 ? EVP_aes_128_cbc() : sa->klen == 24 ?
		    EVP_aes_192_cbc() : EVP_aes_256_cbc();
	case E_3DES:
		return EVP_des_ede3_cbc();
	case E_AES_CTR:
		return sa->klen == 16 ? EVP_aes_128_ctr() : sa->klen == 24 ?
		    EVP_aes_192_ctr() : EVP_aes_256_ctr();
	case E_AES_GCM:
		return sa->klen == 16 ? EVP_aes_128_gcm() : sa->klen == 24 ?
		    EVP_aes_192_gcm() : EVP_aes_256_gcm();
	case E_CHACHA:
		return EVP_chacha20_poly1305();
	default:
		return NULL;
	}
}

static void
ossl_die(const char *what)
{
	die("OpenSSL", what);
}

/*
 * Encrypts pt[0..n) into ct, with the IV of the packet; an AEAD also
 * authenticates aad and writes its tag to icv.
 */
static void
sa_encrypt(const struct sa *sa, const uint8_t *iv, const uint8_t *aad,
    size_t aadlen, const uint8_t *pt, size_t n, uint8_t *ct, uint8_t *icv)
{
	EVP_CIPHER_CTX *c;
	uint8_t nonce[16];
	const uint8_t *salt = sa->ekey + sa->klen;
	bool aead = sa->enc == E_AES_GCM || sa->enc == E_CHACHA;
	int l;

	if (sa->enc == E_NULL) {
		memcpy(ct, pt, n);
		return;
	}
	memset(nonce, 0, sizeof nonce);
	switch (sa->enc) {
	case E_AES_CTR:
		/* RFC 3686 4: nonce, IV, block counter from 1 */
		memcpy(nonce, salt, 4);
		memcpy(nonce + 4, iv, 8);
		nonce[15] = 1;
		break;
	case E_AES_GCM:
	case E_CHACHA:
		/* RFC 4106 4, RFC 7634 2: salt, then the IV */
		memcpy(nonce, salt, 4);
		memcpy(nonce + 4, iv, 8);
		break;
	default:
		memcpy(nonce, iv, enc_info[sa->enc].iv);
		break;
	}
	if ((c = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(c, sa_cipher(sa), NULL, sa->ekey, nonce) != 1 ||
	    EVP_CIPHER_CTX_set_padding(c, 0) != 1)
		ossl_die("cipher set-up");
	if (aead && EVP_EncryptUpdate(c, NULL, &l, aad, (int)aadlen) != 1)
		ossl_die("AAD");
	if (EVP_EncryptUpdate(c, ct, &l, pt, (int)n) != 1 || (size_t)l != n ||
	    EVP_EncryptFinal_ex(c, ct + l, &l) != 1 || l != 0)
		ossl_die("encryption");
	if (aead && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16,
	    icv) != 1)
		ossl_die("tag");
	EVP_CIPHER_CTX_free(c);
}

/*
 * Replaces what is in the packet (protocol nh) with its ESP form: SPI,
 * sequence number, IV, the ciphertext of the payload, `tfc` octets of TFC
 * padding (RFC 4303 2.7), padding, pad length, next header, ICV.  With
 * `bad_icv` the last ICV octet is flipped.
 */
static void
esp_seal(struct pkt *pk, struct sa *sa, uint8_t nh, size_t tfc, bool bad_icv)
{
	static uint8_t pt[PK_MAX], out[PK_MAX];
	uint8_t aad[12], hi[4];
	size_t n = pk_len(pk), ivlen = enc_info[sa->enc].iv;
	size_t blk = enc_info[sa->enc].block, pad, i, icvlen, at;
	uint64_t seq = ++sa->seq;
	uint8_t *ct;

	if (n + tfc + 64 > sizeof pt)
		die("ESP payload too large", NULL);
	memcpy(pt, pk_data(pk), n);
	memset(pt + n, 0, tfc);
	n += tfc;
	/* RFC 4303 2.4: pad to the block, monotonic bytes 1, 2, 3 ... */
	pad = (blk - (n + 2) % blk) % blk;
	for (i = 0; i < pad; i++)
		pt[n + i] = (uint8_t)(i + 1);
	n += pad;
	pt[n++] = (uint8_t)pad;
	pt[n++] = nh;

	put32(out, sa->spi);
	put32(out + 4, (uint32_t)seq);
	put32(hi, (uint32_t)(seq >> 32));
	rng_fill(out + 8, ivlen);
	ct = out + 8 + ivlen;
	at = 8 + ivlen + n;
	/* RFC 4106 5, RFC 7634 2.1: SPI, [high bits,] low bits */
	put32(aad, sa->spi);
	if (sa->esn) {
		memcpy(aad + 4, hi, 4);
		put32(aad + 8, (uint32_t)seq);
	} else
		put32(aad + 4, (uint32_t)seq);
	sa_encrypt(sa, out + 8, aad, sa->esn ? 12 : 8, pt, n, ct, out + at);
	icvlen = enc_info[sa->enc].icv;
	if (sa->integ != I_NONE) {
		uint8_t mac[EVP_MAX_MD_SIZE];
		size_t maclen;

		/* RFC 4303 3.3.2.1: the high bits follow, never sent */
		memcpy(out + at, hi, 4);
		if (EVP_Q_mac(NULL, "HMAC", NULL, integ_info[sa->integ].md,
		    NULL, sa->ikey, integ_info[sa->integ].klen, out,
		    at + (sa->esn ? 4 : 0), mac, sizeof mac, &maclen) == NULL)
			ossl_die("HMAC");
		icvlen = integ_info[sa->integ].icv;
		memcpy(out + at, mac, icvlen);
	}
	if (bad_icv)
		out[at + icvlen - 1] ^= 0x01;
	pk_init(pk);
	pk_put_bytes(pk, out, at + icvlen);
}

/* The file next to the capture with `ext` for its extension. */
static FILE *
side_open(char *path, size_t cap, const char *pcap, const char *ext)
{
	const char *dot = strrchr(pcap, '.');
	size_t n = dot != NULL ? (size_t)(dot - pcap) : strlen(pcap);
	FILE *fp;

	snprintf(path, cap, "%.*s%s", (int)n, pcap, ext);
	if ((fp = fopen(path, "w")) == NULL)
		die(path, strerror(errno));
	return fp;
}

static void
side_close(FILE *fp, const char *path)
{
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0)
		die(path, strerror(errno));
}

static void
fput_hex(FILE *fp, const uint8_t *p, size_t n)
{
	fputs("0x", fp);
	while (n-- > 0)
		fprintf(fp, "%02x", *p++);
}

static bool
sa_tcpdump_ok(const struct sa *sa)
{
	/* tcpdump -E: CBC ciphers, no ICV or a 12-octet one, no ESN */
	return (sa->enc == E_AES_CBC || sa->enc == E_3DES) && !sa->esn &&
	    (sa->integ == I_NONE || integ_info[sa->integ].icv == 12);
}

/*
 * The SAs three ways: native (docs/keys.md), Wireshark's esp_sa table and
 * tcpdump -E secrets, as FILE.keys, FILE.esp_sa, FILE.tcpdump-secrets.
 */
static void
write_keys(const char *pcap, const struct sa *sas, size_t nsa,
    const char *title)
{
	char path[4096];
	const char *base = strrchr(pcap, '/') != NULL ?
	    strrchr(pcap, '/') + 1 : pcap;
	const struct sa *sa;
	FILE *fp;
	size_t i;
	unsigned sl;

	fp = side_open(path, sizeof path, pcap, ".keys");
	fprintf(fp, "# %s: %s\n# ipsec-dump -K %.*s.keys -r %s\n", base, title,
	    (int)(strrchr(base, '.') - base), base, base);
	for (i = 0; i < nsa; i++) {
		sa = &sas[i];
		if (sa->unlisted)
			continue;
		sl = enc_info[sa->enc].salt;
		fprintf(fp, "esp spi=0x%08" PRIx32 " src=%s dst=%s enc=%s",
		    sa->spi, sa->src, sa->dst, enc_info[sa->enc].native);
		if (sa->enc != E_NULL) {
			fputs(" enc-key=", fp);
			fput_hex(fp, sa->ekey, sa->klen + sl);
		}
		if (sa->integ != I_NONE) {
			fprintf(fp, " integ=%s integ-key=",
			    integ_info[sa->integ].native);
			fput_hex(fp, sa->ikey, integ_info[sa->integ].klen);
		}
		if (sa->esn)
			fputs(" esn=yes", fp);
		if (sa->encap != NULL)
			fprintf(fp, " encap=%s", sa->encap);
		fprintf(fp, " label=%s\n", sa->label);
	}
	side_close(fp, path);

	fp = side_open(path, sizeof path, pcap, ".esp_sa");
	fprintf(fp, "# This file is automatically generated, DO NOT MODIFY.\n"
	    "# Wireshark esp_sa table for %s (tshark 4.0: no ChaCha20, "
	    "no ESN)\n", base);
	for (i = 0; i < nsa; i++) {
		sa = &sas[i];
		if (sa->unlisted || enc_info[sa->enc].ws == NULL)
			continue;
		fprintf(fp, "\"IPv%c\",\"%s\",\"%s\",\"0x%08" PRIx32 "\",\"%s\","
		    "\"", strchr(sa->src, ':') != NULL ? '6' : '4', sa->src,
		    sa->dst, sa->spi, enc_info[sa->enc].ws);
		if (sa->enc != E_NULL)
			fput_hex(fp, sa->ekey, sa->klen + enc_info[sa->enc].salt);
		fprintf(fp, "\",\"%s\",\"", integ_info[sa->integ].ws);
		if (sa->integ != I_NONE)
			fput_hex(fp, sa->ikey, integ_info[sa->integ].klen);
		fputs("\"\n", fp);
	}
	side_close(fp, path);

	fp = side_open(path, sizeof path, pcap, ".tcpdump-secrets");
	fprintf(fp, "# tcpdump -E \"file %s\" for %s: the CBC SAs without ESN\n",
	    strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path, base);
	for (i = 0; i < nsa; i++) {
		sa = &sas[i];
		if (sa->unlisted || !sa_tcpdump_ok(sa))
			continue;
		if (sa->enc == E_3DES)
			fprintf(fp, "0x%08" PRIx32 "@%s 3des-cbc", sa->spi,
			    sa->dst);
		else
			fprintf(fp, "0x%08" PRIx32 "@%s aes%u-cbc", sa->spi,
			    sa->dst, sa->klen * 8);
		fprintf(fp, "%s:", sa->integ != I_NONE ? "-hmac96" : "");
		fput_hex(fp, sa->ekey, sa->klen);
		fputc('\n', fp);
	}
	side_close(fp, path);
}

/* Inner packets of the keyed samples. */
static void
mk_syn(struct pkt *pk, const struct ep *e, bool ack, uint16_t port,
    uint32_t isn)
{
	pk_init(pk);
	if (ack)
		tcp(pk, e, 443, port, 0x3c0ffee0, isn + 1, 0x12);
	else
		tcp(pk, e, port, 443, isn, 0, 0x02);
	ip(pk, e, P_TCP);
}

/* Tunnel mode (RFC 4303 3.1.2): the inner IP packet in ESP over IP. */
static void
emit_tunnel(struct capw *w, struct pkt *pk, struct sa *sa, size_t tfc,
    bool bad_icv)
{
	struct ep o = ep_make(sa->src, sa->dst);

	esp_seal(pk, sa, (pk_data(pk)[0] >> 4) == 4 ? P_IPIP : P_IPV6, tfc,
	    bad_icv);
	ip(pk, &o, P_ESP);
	emit(w, pk);
}

#define GW1	"192.0.2.1"
#define GW2	"198.51.100.2"
#define H1	"10.1.0.10"		/* behind gw1 */
#define H2	"10.2.0.20"		/* behind gw2 */
#define H3	"10.3.0.30"		/* behind the NATed gateway */

static struct sa keyed_sas[] = {
	{ 0x01000001, GW1, GW2, E_AES_GCM, 16, I_NONE, false, false,
	    "gw1-gw2-gcm", 0, {0}, {0}, NULL },
	{ 0x02000001, GW2, GW1, E_AES_GCM, 16, I_NONE, false, false,
	    "gw2-gw1-gcm", 0, {0}, {0}, NULL },
	{ 0x01000002, GW1, GW2, E_AES_CBC, 16, I_SHA256_128, false, false,
	    "gw1-gw2-cbc", 0, {0}, {0}, NULL },
	{ 0x02000002, GW2, GW1, E_AES_CBC, 16, I_SHA256_128, false, false,
	    "gw2-gw1-cbc", 0, {0}, {0}, NULL },
	{ 0x01000003, GW1, GW2, E_CHACHA, 32, I_NONE, false, false,
	    "gw1-gw2-chacha", 0, {0}, {0}, NULL },
	{ 0x02000003, GW2, GW1, E_CHACHA, 32, I_NONE, false, false,
	    "gw2-gw1-chacha", 0, {0}, {0}, NULL },
	{ 0x01000004, GW1, GW2, E_AES_CTR, 16, I_SHA1_96, false, false,
	    "gw1-gw2-ctr", 0, {0}, {0}, NULL },
	{ 0x02000004, GW2, GW1, E_AES_CTR, 16, I_SHA1_96, false, false,
	    "gw2-gw1-ctr", 0, {0}, {0}, NULL },
	{ 0x01000005, GW1, GW2, E_3DES, 24, I_SHA1_96, false, false,
	    "gw1-gw2-3des", 0, {0}, {0}, NULL },
	{ 0x02000005, GW2, GW1, E_3DES, 24, I_SHA1_96, false, false,
	    "gw2-gw1-3des", 0, {0}, {0}, NULL },
	{ 0x01000006, GW1, GW2, E_NULL, 0, I_SHA256_128, false, false,
	    "gw1-gw2-null", 0, {0}, {0}, NULL },
	{ 0x02000006, GW2, GW1, E_NULL, 0, I_SHA256_128, false, false,
	    "gw2-gw1-null", 0, {0}, {0}, NULL },
	/* NAT-T: the NATed gateway's address as the responder sees it */
	{ 0x03000001, NAT4, B4, E_AES_CBC, 16, I_SHA1_96, false, false,
	    "gw3-natt", 0, {0}, {0}, "udp:34501:4500" },
	{ 0x04000001, B4, NAT4, E_AES_CBC, 16, I_SHA1_96, false, false,
	    "natt-gw3", 0, {0}, {0}, "udp:4500:34501" },
	/* transport mode between the gateways themselves */
	{ 0x05000001, GW1, GW2, E_AES_CBC, 32, I_SHA1_96, false, false,
	    "gw1-gw2-transport", 0, {0}, {0}, NULL },
	{ 0x06000001, GW2, GW1, E_AES_CBC, 32, I_SHA1_96, false, false,
	    "gw2-gw1-transport", 0, {0}, {0}, NULL },
	/* ESN: the sequence numbers cross 2^32 */
	{ 0x01000007, GW1, GW2, E_AES_CBC, 16, I_SHA256_128, true, false,
	    "gw1-gw2-esn", 0xfffffffdull, {0}, {0}, NULL },
	/* a key nobody has */
	{ 0x010000ff, GW1, GW2, E_AES_GCM, 16, I_NONE, false, true,
	    "gw1-gw2-unknown", 0, {0}, {0}, NULL },
};

#define NKSA	(sizeof keyed_sas / sizeof keyed_sas[0])

static void
s_esp_keyed(struct capw *w)
{
	struct ep h12 = ep_make(H1, H2), h21 = ep_rev(&h12);
	struct ep h32 = ep_make(H3, H2), h23 = ep_rev(&h32);
	struct ep g12 = ep_make(GW1, GW2), g21 = ep_rev(&g12);
	struct ep nb = ep_make(NAT4, B4), bn = ep_rev(&nb);
	struct pkt pk;
	struct sa *sa = keyed_sas;
	size_t i;
	uint16_t k;

	for (i = 0; i < NKSA; i++)
		sa_keys(&keyed_sas[i]);
	/* six algorithm pairs, each: echo, then a DNS or a TCP exchange */
	for (i = 0; i < 12; i += 2) {
		k = (uint16_t)(i / 2 + 1);
		mk_echo(&pk, &h12, false, k);
		emit_tunnel(w, &pk, &sa[i], 0, false);
		mk_echo(&pk, &h21, true, k);
		emit_tunnel(w, &pk, &sa[i + 1], 0, false);
		if (k % 2 == 1) {
			mk_dns(&pk, &h12, false, (uint16_t)(0x5100 + k));
			emit_tunnel(w, &pk, &sa[i], 0, false);
			mk_dns(&pk, &h21, true, (uint16_t)(0x5100 + k));
			emit_tunnel(w, &pk, &sa[i + 1], 0, false);
		} else {
			mk_syn(&pk, &h12, false, (uint16_t)(50400 + k), 0x1000u * k);
			emit_tunnel(w, &pk, &sa[i], 0, false);
			mk_syn(&pk, &h21, true, (uint16_t)(50400 + k), 0x1000u * k);
			emit_tunnel(w, &pk, &sa[i + 1], 0, false);
		}
	}
	/* AES-GCM: a dummy packet (RFC 4303 2.6), TFC padding (2.7) */
	pk_init(&pk);
	pk_put_rand(&pk, 40);
	{
		struct ep o = ep_make(sa[0].src, sa[0].dst);

		esp_seal(&pk, &sa[0], 59, 0, false);
		ip(&pk, &o, P_ESP);
		emit(w, &pk);
	}
	mk_echo(&pk, &h12, false, 7);
	emit_tunnel(w, &pk, &sa[0], 300, false);
	/* AES-CBC + HMAC-SHA2-256: the DNS query again, ICV damaged */
	mk_dns(&pk, &h12, false, 0x5103);
	emit_tunnel(w, &pk, &sa[2], 0, true);
	/* NAT-T: ESP in UDP 4500 (RFC 3948 2.1) */
	for (k = 1; k <= 2; k++) {
		mk_echo(&pk, &h32, false, k);
		esp_seal(&pk, &sa[12], P_IPIP, 0, false);
		udp(&pk, &nb, 34501, 4500);
		ip(&pk, &nb, P_UDP);
		emit(w, &pk);
		mk_echo(&pk, &h23, true, k);
		esp_seal(&pk, &sa[13], P_IPIP, 0, false);
		udp(&pk, &bn, 4500, 34501);
		ip(&pk, &bn, P_UDP);
		emit(w, &pk);
	}
	/* transport mode (RFC 4303 3.1.1): DNS between the gateways */
	mk_dns(&pk, &g12, false, 0x7001);
	pk.off += 20;			/* the UDP datagram alone */
	esp_seal(&pk, &sa[14], P_UDP, 0, false);
	ip(&pk, &g12, P_ESP);
	emit(w, &pk);
	mk_dns(&pk, &g21, true, 0x7001);
	pk.off += 20;
	esp_seal(&pk, &sa[15], P_UDP, 0, false);
	ip(&pk, &g21, P_ESP);
	emit(w, &pk);
	/* ESN: 2^32 - 2 ... 2^32 + 1 */
	for (k = 1; k <= 4; k++) {
		mk_echo(&pk, &h12, false, (uint16_t)(100 + k));
		emit_tunnel(w, &pk, &sa[16], 0, false);
	}
	/* an SA without a key */
	for (k = 1; k <= 2; k++) {
		mk_echo(&pk, &h12, false, (uint16_t)(200 + k));
		emit_tunnel(w, &pk, &sa[17], 0, false);
	}
	write_keys(w->path, keyed_sas, NKSA,
	    "ESP tunnel mode between gw1 and gw2 with real keys");
}

/*
 * AH (RFC 4302 2, 3.3.3) with a real ICV around what is in the packet:
 * the header goes before it, then the IP header, then the ICV over the
 * whole packet with the mutable fields zeroed (3.3.3.1) and, with ESN,
 * the high sequence bits after it (3.3.3.2).  IPv6 pads the ICV field to
 * 8 octets (2.6).
 */
static void
ah_seal(struct pkt *pk, struct sa *sa, const struct ep *e, uint8_t nh,
    bool bad_icv)
{
	static uint8_t b[PK_MAX + 4];
	uint8_t mac[EVP_MAX_MD_SIZE], *h;
	size_t icv = integ_info[sa->integ].icv, n, maclen;
	size_t hl = (12 + icv + (e->v == 6 ? 7 : 3)) / (e->v == 6 ? 8 : 4) *
	    (e->v == 6 ? 8 : 4);
	uint64_t seq = ++sa->seq;

	h = pk_push(pk, hl);
	h[0] = nh;
	h[1] = (uint8_t)(hl / 4 - 2);	/* RFC 4302 2.2 */
	put32(h + 4, sa->spi);
	put32(h + 8, (uint32_t)seq);
	ip(pk, e, P_AH);
	n = pk_len(pk);
	memcpy(b, pk_data(pk), n);
	if (e->v == 4) {
		b[1] = 0;			/* TOS */
		b[6] = b[7] = 0;		/* flags, fragment offset */
		b[8] = 0;			/* TTL */
		b[10] = b[11] = 0;		/* header checksum */
	} else {
		b[0] &= 0xf0;			/* traffic class, flow label */
		b[1] = b[2] = b[3] = 0;
		b[7] = 0;			/* hop limit */
	}
	if (sa->esn) {
		put32(b + n, (uint32_t)(seq >> 32));
		n += 4;
	}
	if (EVP_Q_mac(NULL, "HMAC", NULL, integ_info[sa->integ].md, NULL,
	    sa->ikey, integ_info[sa->integ].klen, b, n, mac, sizeof mac,
	    &maclen) == NULL)
		ossl_die("HMAC");
	if (bad_icv)
		mac[icv - 1] ^= 0x01;
	memcpy(pk_data(pk) + (e->v == 4 ? 20 : 40) + 12, mac, icv);
}

static struct sa ah_sas[] = {
	{ 0x0a100001, GW1, GW2, E_NULL, 0, I_SHA1_96, false, false,
	    "gw1-gw2-ah-sha1", 0, {0}, {0}, NULL },
	{ 0x0a200001, GW2, GW1, E_NULL, 0, I_SHA1_96, false, false,
	    "gw2-gw1-ah-sha1", 0, {0}, {0}, NULL },
	{ 0x0a100002, GW1, GW2, E_NULL, 0, I_SHA256_128, false, false,
	    "gw1-gw2-ah-tunnel", 0, {0}, {0}, NULL },
	{ 0x0a200002, GW2, GW1, E_NULL, 0, I_SHA256_128, false, false,
	    "gw2-gw1-ah-tunnel", 0, {0}, {0}, NULL },
	{ 0x0a100006, A6, B6, E_NULL, 0, I_SHA256_128, false, false,
	    "a6-b6-ah", 0, {0}, {0}, NULL },
	{ 0x0a200006, B6, A6, E_NULL, 0, I_SHA256_128, false, false,
	    "b6-a6-ah", 0, {0}, {0}, NULL },
	{ 0x0a100007, GW1, GW2, E_NULL, 0, I_SHA1_96, true, false,
	    "gw1-gw2-ah-esn", 0xfffffffeull, {0}, {0}, NULL },
};

#define NAHSA	(sizeof ah_sas / sizeof ah_sas[0])

static void
s_ah_keyed(struct capw *w)
{
	struct ep g12 = ep_make(GW1, GW2), g21 = ep_rev(&g12);
	struct ep h12 = ep_make(H1, H2), h21 = ep_rev(&h12);
	struct ep ab6 = ep_make(A6, B6), ba6 = ep_rev(&ab6);
	struct pkt pk;
	struct sa *sa = ah_sas;
	char path[4096];
	FILE *fp;
	size_t i;
	uint16_t k;

	for (i = 0; i < NAHSA; i++)
		sa_keys(&ah_sas[i]);
	/* transport, HMAC-SHA1-96: echo between the gateways */
	for (k = 1; k <= 2; k++) {
		mk_echo(&pk, &g12, false, k);
		pk.off += 20;
		ah_seal(&pk, &sa[0], &g12, P_ICMP, false);
		emit(w, &pk);
		mk_echo(&pk, &g21, true, k);
		pk.off += 20;
		ah_seal(&pk, &sa[1], &g21, P_ICMP, false);
		emit(w, &pk);
	}
	/* tunnel, HMAC-SHA2-256-128: DNS between the hosts behind them */
	mk_dns(&pk, &h12, false, 0x6101);
	ah_seal(&pk, &sa[2], &g12, P_IPIP, false);
	emit(w, &pk);
	mk_dns(&pk, &h21, true, 0x6101);
	ah_seal(&pk, &sa[3], &g21, P_IPIP, false);
	emit(w, &pk);
	/* IPv6 transport, HMAC-SHA2-256-128: the ICV field padded to 8 */
	mk_echo(&pk, &ab6, false, 1);
	pk.off += 40;
	ah_seal(&pk, &sa[4], &ab6, P_ICMPV6, false);
	emit(w, &pk);
	mk_echo(&pk, &ba6, true, 1);
	pk.off += 40;
	ah_seal(&pk, &sa[5], &ba6, P_ICMPV6, false);
	emit(w, &pk);
	/* a damaged ICV */
	mk_echo(&pk, &g12, false, 3);
	pk.off += 20;
	ah_seal(&pk, &sa[0], &g12, P_ICMP, true);
	emit(w, &pk);
	/* ESN: 2^32 - 1, 2^32 */
	for (k = 1; k <= 2; k++) {
		mk_echo(&pk, &g12, false, (uint16_t)(100 + k));
		pk.off += 20;
		ah_seal(&pk, &sa[6], &g12, P_ICMP, false);
		emit(w, &pk);
	}

	fp = side_open(path, sizeof path, w->path, ".keys");
	fputs("# ah-keyed.pcap: AH with real ICVs\n"
	    "# ipsec-dump -K ah-keyed.keys -r ah-keyed.pcap\n", fp);
	for (i = 0; i < NAHSA; i++) {
		fprintf(fp, "ah spi=0x%08" PRIx32 " src=%s dst=%s integ=%s "
		    "integ-key=", sa[i].spi, sa[i].src, sa[i].dst,
		    integ_info[sa[i].integ].native);
		fput_hex(fp, sa[i].ikey, integ_info[sa[i].integ].klen);
		fprintf(fp, "%s label=%s\n", sa[i].esn ? " esn=yes" : "",
		    sa[i].label);
	}
	side_close(fp, path);
}

struct sample {
	const char	*name;
	enum fmt	 fmt;
	int		 linktype;	/* pcap only */
	void		(*fn)(struct capw *);
	const char	*what;
};

static const struct sample samples[] = {
	{ "natt-ipv4.pcap", F_PCAP_LE_US, LT_ETHERNET, s_natt_ipv4,
	    "IKEv2 behind a NAT: IKE_SA_INIT on 500, IKE_AUTH and "
	    "INFORMATIONAL on 4500 after a non-ESP marker, ESP in UDP 4500 "
	    "(two SPIs, rising sequence numbers), NAT keepalives" },
	{ "esp-ipv4.pcap", F_PCAP_LE_US, LT_ETHERNET, s_esp_ipv4,
	    "ESP over IPv4, four SPIs (two SA pairs, before and after a "
	    "rekey), rising sequence numbers, one IPv4 header with an option" },
	{ "esp-ipv6.pcap", F_PCAP_LE_US, LT_ETHERNET, s_esp_ipv6,
	    "ESP over IPv6, two SPIs; IPv6 ESP in IPv4 (protocol 41) and IPv4 "
	    "ESP in IPv6 (protocol 4)" },
	{ "ikev2.pcap", F_PCAP_LE_US, LT_ETHERNET, s_ikev2,
	    "IKEv2 on UDP 500: IKE_SA_INIT (SA, KE, Nonce, NAT detection "
	    "notifies) request and response over IPv4 and IPv6, IKE_AUTH, "
	    "CREATE_CHILD_SA, INFORMATIONAL with SK payloads" },
	{ "ikev1-main-mode.pcap", F_PCAP_LE_US, LT_ETHERNET, s_ikev1,
	    "IKEv1 main mode on UDP 500: SA with vendor ID, KE with nonce and "
	    "NAT-D, then two encrypted messages (E flag)" },
	{ "ah.pcap", F_PCAP_LE_US, LT_ETHERNET, s_ah,
	    "AH with a 12-byte ICV: IPv4 transport (ICMP echo), IPv6 "
	    "transport (UDP), IPv4 tunnel" },
	{ "ipcomp.pcap", F_PCAP_LE_US, LT_ETHERNET, s_ipcomp,
	    "IPComp CPI 2 with real DEFLATE data: IPv4 transport (UDP), IPv4 "
	    "tunnel (inner IPv4), IPv6 tunnel (inner IPv6)" },
	{ "ipv6-ext.pcap", F_PCAP_LE_US, LT_ETHERNET, s_ipv6_ext,
	    "IPv6 extension header chains before ESP (hop-by-hop, destination "
	    "options, routing type 2), before AH and NAT-T ESP, and an atomic "
	    "fragment" },
	{ "frag-ipv4.pcap", F_PCAP_LE_US, LT_ETHERNET, s_frag_ipv4,
	    "IPv4 fragments: an ESP packet in three fragments out of order "
	    "(2, 3, 1) and a NAT-T ESP packet in two, between whole ESP "
	    "packets" },
	{ "frag-ipv6.pcap", F_PCAP_LE_US, LT_ETHERNET, s_frag_ipv6,
	    "IPv6 fragments: NAT-T ESP in two fragments, in order and last "
	    "first" },
	{ "icmp-quote.pcap", F_PCAP_LE_US, LT_ETHERNET, s_icmp_quote,
	    "ICMP errors quoting IPsec: fragmentation needed quoting ESP "
	    "(8 bytes), host unreachable quoting NAT-T ESP, port unreachable "
	    "quoting IKE, ICMPv6 packet too big quoting ESP" },
	{ "not-ipsec.pcap", F_PCAP_LE_US, LT_ETHERNET, s_not_ipsec,
	    "no IPsec: ARP request and reply, DNS query and response, ICMPv6 "
	    "echo, a TCP SYN, UDP to port 4501" },
	{ "damaged.pcap", F_PCAP_LE_US, LT_ETHERNET, s_damaged,
	    "damaged frames: ESP cut by the snap length, IPv4 total length "
	    "past the frame, IKE length past the UDP payload, UDP length past "
	    "the IP payload, ESP SPI 0, IPv6 payload length past the frame, "
	    "AH length too small, a 10-byte Ethernet frame" },
	{ "link-vlan.pcap", F_PCAP_LE_US, LT_ETHERNET, s_link_vlan,
	    "Ethernet with one 802.1Q tag (VID 100): IKE, ESP, NAT-T ESP, "
	    "keepalive over IPv4 and IPv6" },
	{ "link-qinq.pcap", F_PCAP_LE_US, LT_ETHERNET, s_link_qinq,
	    "Ethernet with 802.1ad (VID 10) and 802.1Q (VID 100, PCP 3) tags: "
	    "the same traffic" },
	{ "link-sll.pcap", F_PCAP_LE_US, LT_SLL, s_mix46,
	    "Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113): the same "
	    "traffic" },
	{ "link-sll2.pcap", F_PCAP_LE_US, LT_SLL2, s_mix46,
	    "Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): the same "
	    "traffic" },
	{ "link-raw.pcap", F_PCAP_LE_US, LT_RAW, s_mix46,
	    "raw IP (LINKTYPE_RAW 101), IPv4 and IPv6: the same traffic" },
	{ "link-ipv4.pcap", F_PCAP_LE_US, LT_IPV4, s_mix4,
	    "LINKTYPE_IPV4 (228): the IPv4 part of the same traffic" },
	{ "link-ipv6.pcap", F_PCAP_LE_US, LT_IPV6, s_mix6,
	    "LINKTYPE_IPV6 (229): the IPv6 part of the same traffic" },
	{ "link-null.pcap", F_PCAP_LE_US, LT_NULL, s_link_null,
	    "BSD loopback (LINKTYPE_NULL 0), little-endian AF values: AF_INET "
	    "2, AF_INET6 24, 28 and 30" },
	{ "link-loop.pcap", F_PCAP_LE_US, LT_LOOP, s_link_loop,
	    "OpenBSD loopback (LINKTYPE_LOOP 108), AF in network order: "
	    "AF_INET 2, AF_INET6 24" },
	{ "pcap-be-usec.pcap", F_PCAP_BE_US, LT_ETHERNET, s_mix46,
	    "pcap, big-endian, microseconds: the same traffic" },
	{ "pcap-le-nsec.pcap", F_PCAP_LE_NS, LT_ETHERNET, s_mix46,
	    "pcap, little-endian, nanoseconds (magic a1b23c4d)" },
	{ "pcap-be-nsec.pcap", F_PCAP_BE_NS, LT_ETHERNET, s_mix46,
	    "pcap, big-endian, nanoseconds" },
	{ "pcapng-multi.pcapng", F_PCAPNG, 0, s_pcapng,
	    "pcapng, two sections: little-endian with Ethernet and raw IP "
	    "interfaces, packet comments and statistics blocks; big-endian "
	    "with Linux cooked v2 (if_tsresol 9) and Ethernet (libpcap, "
	    "hence tcpdump, refuses mixed link types; tshark reads it)" },
	{ "esp-keyed.pcap", F_PCAP_LE_US, LT_ETHERNET, s_esp_keyed,
	    "ESP with real keys (esp-keyed.keys, .esp_sa, .tcpdump-secrets): "
	    "tunnel mode between gw1 192.0.2.1 and gw2 198.51.100.2 carrying "
	    "ICMP echo, DNS and TCP SYN between 10.1.0.10 and 10.2.0.20, one "
	    "SA pair each for AES-GCM-16-128, AES-CBC-128 + "
	    "HMAC-SHA2-256-128, ChaCha20-Poly1305, AES-CTR-128 + "
	    "HMAC-SHA1-96, 3DES-CBC + HMAC-SHA1-96, NULL + HMAC-SHA2-256-128; "
	    "a dummy packet (next header 59) and one with 300 octets of TFC "
	    "padding (AES-GCM), one damaged ICV (AES-CBC); a NAT-T pair "
	    "(AES-CBC-128 + HMAC-SHA1-96 in UDP 4500), a transport-mode pair "
	    "(AES-CBC-256 + HMAC-SHA1-96, DNS between the gateways), an ESN SA "
	    "whose sequence numbers go from 2^32 - 2 to 2^32 + 1, and SPI "
	    "0x010000ff whose key is in none of the key files" },
	{ "ah-keyed.pcap", F_PCAP_LE_US, LT_ETHERNET, s_ah_keyed,
	    "AH with real ICVs (keys in ah-keyed.keys): IPv4 transport "
	    "(HMAC-SHA1-96, ICMP echo between the gateways), IPv4 tunnel "
	    "(HMAC-SHA2-256-128, DNS between the hosts behind them), IPv6 "
	    "transport (HMAC-SHA2-256-128, ICV field padded to 8 octets), one "
	    "damaged ICV, an ESN SA from 2^32 - 1 to 2^32" },
};

static const char keyed_readme[] =
    "\n## Keyed samples\n\n"
    "`esp-keyed.pcap` is encrypted for real (OpenSSL EVP), with its keys "
    "three ways:\n"
    "`esp-keyed.keys` (native format, docs/keys.md: every SA but "
    "0x010000ff),\n"
    "`esp-keyed.esp_sa` (Wireshark's table: no ChaCha20-Poly1305 row, "
    "tshark 4.0 has\nnone) and `esp-keyed.tcpdump-secrets` (tcpdump -E: "
    "the six CBC SAs with no ICV\nor a 12-octet one and no ESN). Inner "
    "hosts use 10.0.0.0/8.\n\n"
    "    ipsec-dump -K samples/esp-keyed.keys -r samples/esp-keyed.pcap\n\n"
    "Checked with three independent implementations (`tools/check-keyed.sh` "
    "reruns\nthem, and the AH check below):\n\n"
    "- tshark 4.0.17, `WIRESHARK_CONFIG_DIR` holding `esp-keyed.esp_sa` as "
    "`esp_sa` and\n  `esp.enable_encryption_decode: TRUE`, "
    "`esp.enable_authentication_check: TRUE`:\n  frames 1-8 and 13-37 "
    "decrypted to the inner packets listed above; ICV good\n  on all of "
    "them but frame 27 (damaged on purpose) and the ESN frames 34-37\n"
    "  (tshark 4.0 leaves the high sequence bits out of the ICV); 9-12 "
    "(ChaCha20)\n  and 38-39 (no key) stay encrypted.\n"
    "- tcpdump 4.99.3, `-E \"file samples/esp-keyed.tcpdump-secrets\"`: "
    "frames 17-20\n  (3DES), 28-31 (NAT-T AES-128-CBC) and 32-33 "
    "(transport AES-256-CBC)\n  decrypted; tcpdump checks no ICV.\n"
    "- `tools/check-keyed.py` (Python `cryptography` 38, reads "
    "`esp-keyed.keys`):\n  every frame with a key, ChaCha20 and ESN "
    "included (34-37 are 2^32 - 2 to\n  2^32 + 1), has a good ICV and "
    "RFC 4303 padding, except frame 27.\n\n"
    "`ah-keyed.pcap` has real AH ICVs (RFC 4302 3.3.3: mutable IP fields "
    "zeroed, ESN\nhigh bits after the packet), keys in `ah-keyed.keys`. "
    "Neither tshark nor tcpdump\nchecks AH ICVs; `tools/check-ah-keyed.py` "
    "(scapy 2.5.0's AH) finds every one\ngood except frame 9, damaged on "
    "purpose.\n";

static void
write_samples(const char *dir)
{
	char path[4096];
	struct capw w;
	FILE *fp;
	size_t i;

	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		const struct sample *s = &samples[i];

		snprintf(path, sizeof path, "%s/%s", dir, s->name);
		w_open(&w, path, s->fmt);
		if (s->fmt != F_PCAPNG)
			w_pcap_hdr(&w, s->linktype);
		rng_seed_str(s->name);
		ip_id = 0x1000;
		s->fn(&w);
		w_close(&w);
	}
	snprintf(path, sizeof path, "%s/README.md", dir);
	if ((fp = fopen(path, "w")) == NULL)
		die(path, strerror(errno));
	fprintf(fp, "# Sample captures\n\n"
	    "Written by `make samples` (tools/mksamples.c); every run gives "
	    "the same bytes.\nAddresses are from the documentation ranges; "
	    "ciphertexts, ICVs and public\nvalues are filler of the right "
	    "size.\n\n");
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++)
		fprintf(fp, "- `%s`: %s.\n", samples[i].name, samples[i].what);
	fputs(keyed_readme, fp);
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0)
		die(path, strerror(errno));
}

/* --- benchmark capture ---------------------------------------------------- */

/* A third small, a third full-size, a third in between: 64 to 1400. */
static unsigned
bench_size(void)
{
	switch (rng() % 3) {
	case 0:
		return rng_range(64, 160);
	case 1:
		return rng_range(1300, 1400);
	default:
		return rng_range(160, 1300);
	}
}

/*
 * A traffic mix for timing: mostly ESP (55% plain IPv4 over 48 SPIs, 20%
 * in UDP over 16, 5% IPv6 over 8), some IKE and keepalives, 15% other
 * traffic; sizes from 64 to 1400 bytes.
 */
static void
write_bench(const char *path, uint64_t n)
{
	struct ep ab = ep_make(A4, B4), ba = ep_rev(&ab);
	struct ep ab6 = ep_make(A6, B6), ad = ep_make(A4, DNS4);
	static uint32_t seq[3][48];
	struct capw w;
	struct pkt pk;
	uint64_t i;
	unsigned r, s, size;
	const struct ep *e;

	w_open(&w, path, F_PCAP_LE_US);
	w_pcap_hdr(&w, LT_ETHERNET);
	w.step_ns = 10000;
	rng_seed_str("bench");
	for (i = 0; i < n; i++) {
		r = (unsigned)(rng() % 100);
		s = (unsigned)(rng() % 48);
		e = s & 1 ? &ba : &ab;
		size = bench_size();
		if (r < 55)
			mk_esp(&pk, e, 0x10000000 + s, ++seq[0][s], size);
		else if (r < 75)
			mk_natt_esp(&pk, e, 4500, 4500, 0x20000000 + s % 16,
			    ++seq[1][s % 16], size);
		else if (r < 80)
			mk_esp(&pk, &ab6, 0x30000000 + s % 8, ++seq[2][s % 8],
			    size);
		else if (r < 83) {
			v2_enc(&pk, ispi1, rspi1, V2_INFO, true, false,
			    (uint32_t)(i & 0xffff), 0, 1);
			mk_ike_udp(&pk, e, 4500, 4500);
		} else if (r < 84) {
			v2_sa_init(&pk, ispi2, rspi2, s & 1);
			mk_ike_udp(&pk, e, 500, 500);
		} else if (r < 85)
			mk_keepalive(&pk, e, 4500);
		else if (r < 92)
			mk_dns(&pk, &ad, false, (uint16_t)i);
		else {
			pk_init(&pk);
			pk_put_rand(&pk, size);
			tcp(&pk, e, 443, 51000, (uint32_t)i, 1, 0x18);
			ip(&pk, e, P_TCP);
		}
		emit(&w, &pk);
	}
	w_close(&w);
}

/*
 * Decryption timing: n ESP frames in tunnel mode over 8 SAs (4 pairs)
 * between gw1 and gw2, all AES-GCM-16-128 (`gcm`) or all AES-CBC-128 +
 * HMAC-SHA1-96; inner IPv4 UDP and TCP packets of 64 to 1400 octets
 * (a third small, a third full-size, a third in between).  Keys go next
 * to FILE as for the samples.
 */
static void
write_bench_keyed(const char *path, bool gcm, uint64_t n)
{
	static const char *labels[8] = {
		"bench-1", "bench-2", "bench-3", "bench-4",
		"bench-5", "bench-6", "bench-7", "bench-8",
	};
	struct sa sas[8];
	struct ep in = ep_make(H1, H2), back = ep_rev(&in), o;
	struct capw w;
	struct pkt pk;
	uint64_t i;
	unsigned s, size;
	const struct ep *e;

	memset(sas, 0, sizeof sas);
	for (s = 0; s < 8; s++) {
		sas[s].spi = (gcm ? 0x0c000000 : 0x0b000000) + s + 1;
		sas[s].src = s & 1 ? GW2 : GW1;
		sas[s].dst = s & 1 ? GW1 : GW2;
		sas[s].enc = gcm ? E_AES_GCM : E_AES_CBC;
		sas[s].klen = 16;
		sas[s].integ = gcm ? I_NONE : I_SHA1_96;
		sas[s].label = labels[s];
		sa_keys(&sas[s]);
	}
	w_open(&w, path, F_PCAP_LE_US);
	w_pcap_hdr(&w, LT_ETHERNET);
	w.step_ns = 10000;
	rng_seed_str(gcm ? "bench-gcm" : "bench-cbc");
	for (i = 0; i < n; i++) {
		s = (unsigned)(rng() % 8);
		e = s & 1 ? &back : &in;
		size = bench_size();
		pk_init(&pk);
		if (rng() % 4 == 0) {
			pk_put_rand(&pk, size - 44);
			tcp(&pk, e, 443, (uint16_t)(40000 + s), (uint32_t)i, 1,
			    0x18);
			ip(&pk, e, P_TCP);
		} else {
			pk_put_rand(&pk, size - 28);
			udp(&pk, e, (uint16_t)(5000 + s), 5001);
			ip(&pk, e, P_UDP);
		}
		o = ep_make(sas[s].src, sas[s].dst);
		esp_seal(&pk, &sas[s], P_IPIP, 0, false);
		ip(&pk, &o, P_ESP);
		emit(&w, &pk);
	}
	w_close(&w);
	write_keys(path, sas, 8, gcm ? "AES-GCM-16-128 benchmark capture" :
	    "AES-CBC-128 + HMAC-SHA1-96 benchmark capture");
}

static void
usage(void)
{
	fprintf(stderr, "usage: mksamples DIR\n"
	    "       mksamples --bench FILE FRAMES\n"
	    "       mksamples --bench-gcm|--bench-cbc FILE [FRAMES]\n");
	exit(2);
}

static uint64_t
frames_arg(const char *s)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		usage();
	return n;
}

int
main(int argc, char *argv[])
{
	if (argc == 2 && argv[1][0] != '-') {
		write_samples(argv[1]);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "--bench") == 0) {
		write_bench(argv[2], frames_arg(argv[3]));
		return 0;
	}
	if ((argc == 3 || argc == 4) && (strcmp(argv[1], "--bench-gcm") == 0 ||
	    strcmp(argv[1], "--bench-cbc") == 0)) {
		write_bench_keyed(argv[2], argv[1][8] == 'g',
		    argc == 4 ? frames_arg(argv[3]) : 200000);
		return 0;
	}
	usage();
	return 2;
}
