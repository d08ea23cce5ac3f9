/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-IKE-SA view: every IKE message is filed under the IKE SA its SPI
 * pair names, which keeps the exchanges seen, retransmissions, proposals
 * offered and chosen, copies of the nonces and KE data, the Child SA SPIs
 * seen in cleartext and the NAT detection verdict.
 * RFC 7296 2.1 (retransmission), 2.2 (message IDs), 2.6 (SPIs), 2.23 (NAT
 * detection), 3.1 (I and R flags); RFC 2408 3.1 (cookies), RFC 2409 5
 * (Main and Aggressive Mode), RFC 3947 3.2 (NAT-D).
 *
 * Bounded: at most cfg->ike_max_sas IKE SAs and cfg->ike_mem_max bytes of
 * copied nonces and KE data; past either the frame is noted
 * (DS_N_IKE_SA_CAP) and the refusal counted.  Nothing is evicted, so that
 * what is shown is never silently half of an IKE SA.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ike_int.h"

#define IKE_FLAG_I	0x08	/* RFC 7296 3.1: from the original initiator */
#define IKE_FLAG_R	0x20	/* RFC 7296 3.1: a response */

#define IKEV2_EXCH_IKE_SA_INIT	34
#define ISAKMP_EXCH_BASE	1
#define ISAKMP_EXCH_MAIN	2
#define ISAKMP_EXCH_AGGRESSIVE	4

#define PROTO_IKE	1
#define PROTO_IPCOMP	4

#define RECENT		8	/* message digests kept per IKE SA */
#define BUCKETS_MAX	65536
#define NAT_BUF		(8 + 8 + 16 + 2)

/* Digests for NAT-D, by RFC 3947 / RFC 2409 Appendix A hash id. */
enum nat_md { MD_MD5, MD_SHA1, MD_SHA256, MD_SHA384, MD_SHA512, MD_COUNT_ };

/* The copies owned by an entry, in this order. */
enum { CP_NI, CP_NR, CP_KEI, CP_KER, CP_COUNT_ };

struct sa_ent {
	struct ds_ike_sa sa;
	uint32_t	 next;		/* bucket chain: index + 1, 0 ends */
	uint8_t		*copy[CP_COUNT_];
	/* IKEv1: digests of recent messages with their direction */
	uint64_t	 recent[RECENT];
	unsigned	 nrecent;
	/* NAT-D hashes checked in messages from the initiator, the responder */
	bool		 natd_from[2];
};

struct ds_ike_table {
	unsigned	 max_sas;
	size_t		 mem_max;
	size_t		 mem;
	uint64_t	 dropped;
	struct sa_ent	**ent;
	unsigned	 n, cap;
	uint32_t	*bucket;
	uint32_t	 mask;
	EVP_MD_CTX	*mdctx;
	EVP_MD		*md[MD_COUNT_];
};

/* The addresses and ports of the packet that carried a message. */
struct endpoints {
	bool		 ok;
	struct ds_addr	 src, dst;
	uint16_t	 sport, dport;
};

struct ds_ike_table *
ds_ike_table_new(const struct ds_engine_cfg *cfg)
{
	static const char *const mdname[MD_COUNT_] = {
		"MD5", "SHA1", "SHA256", "SHA384", "SHA512",
	};
	struct ds_ike_table *t;
	unsigned nb, i;

	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->max_sas = cfg != NULL ? cfg->ike_max_sas : 4096;
	t->mem_max = cfg != NULL ? cfg->ike_mem_max : 16u << 20;
	for (nb = 16; nb < t->max_sas && nb < BUCKETS_MAX; nb <<= 1)
		;
	t->mask = nb - 1;
	if ((t->bucket = calloc(nb, sizeof *t->bucket)) == NULL ||
	    (t->mdctx = EVP_MD_CTX_new()) == NULL) {
		ds_ike_table_free(t);
		return NULL;
	}
	/* a digest the provider lacks (MD5 under FIPS) leaves NAT unknown */
	for (i = 0; i < MD_COUNT_; i++)
		t->md[i] = EVP_MD_fetch(NULL, mdname[i], NULL);
	return t;
}

static void
copy_free(struct ds_ike_table *t, struct sa_ent *e, unsigned which,
    struct ds_view *v)
{
	if (e->copy[which] != NULL) {
		OPENSSL_cleanse(e->copy[which], v->len);
		free(e->copy[which]);
		t->mem -= v->len;
	}
	e->copy[which] = NULL;
	v->p = NULL;
	v->len = 0;
}

static struct ds_view *
copy_view(struct sa_ent *e, unsigned which)
{
	switch (which) {
	case CP_NI:
		return &e->sa.ni;
	case CP_NR:
		return &e->sa.nr;
	case CP_KEI:
		return &e->sa.kei;
	default:
		return &e->sa.ker;
	}
}

void
ds_ike_table_free(struct ds_ike_table *t)
{
	unsigned i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		for (j = 0; j < CP_COUNT_; j++)
			copy_free(t, t->ent[i], j, copy_view(t->ent[i], j));
		free(t->ent[i]);
	}
	for (i = 0; i < MD_COUNT_; i++)
		EVP_MD_free(t->md[i]);
	EVP_MD_CTX_free(t->mdctx);
	free(t->ent);
	free(t->bucket);
	free(t);
}

unsigned
ds_ike_table_count(const struct ds_ike_table *t)
{
	return t != NULL ? t->n : 0;
}

const struct ds_ike_sa *
ds_ike_table_get(const struct ds_ike_table *t, unsigned i)
{
	if (t == NULL || i >= t->n)
		return NULL;
	return &t->ent[i]->sa;
}

uint64_t
ds_ike_table_dropped(const struct ds_ike_table *t)
{
	return t != NULL ? t->dropped : 0;
}

/* A cap was hit: said once per frame, counted each time. */
static void
refuse(struct ds_ike_table *t, struct ds_frame *f)
{
	t->dropped++;
	if (!ds_frame_has_note(f, DS_N_IKE_SA_CAP))
		ds_frame_note(f, DS_N_IKE_SA_CAP);
}

static bool
spi_is_zero(const uint8_t *spi)
{
	static const uint8_t zero[8];

	return memcmp(spi, zero, sizeof zero) == 0;
}

static uint32_t
spi_hash(uint8_t version, const uint8_t *spi)
{
	uint64_t h = version;
	unsigned i;

	for (i = 0; i < 8; i++)
		h = h << 8 | spi[i];
	h ^= (uint64_t)version << 56;
	return (uint32_t)((h * 0x9e3779b97f4a7c15ull) >> 32);
}

/*
 * RFC 7296 2.6, RFC 2408 3.1: the initiator's SPI names the IKE SA from
 * the first message on; the responder's is zero in that message and known
 * afterwards.  A message with the responder's SPI finds the entry with it,
 * else one still waiting for it; a message without finds the newest entry
 * for the initiator's SPI.
 */
static struct sa_ent *
sa_find(struct ds_ike_table *t, uint8_t version, const uint8_t *ispi,
    const uint8_t *rspi)
{
	struct sa_ent *e, *waiting = NULL;
	uint32_t i;
	bool rzero = spi_is_zero(rspi);

	for (i = t->bucket[spi_hash(version, ispi) & t->mask]; i != 0;
	    i = e->next) {
		e = t->ent[i - 1];
		if (e->sa.version != version ||
		    memcmp(e->sa.ispi, ispi, 8) != 0)
			continue;
		if (rzero || memcmp(e->sa.rspi, rspi, 8) == 0)
			return e;
		if (waiting == NULL && spi_is_zero(e->sa.rspi))
			waiting = e;
	}
	return waiting;
}

static struct sa_ent *
sa_new(struct ds_ike_table *t, uint8_t version, const uint8_t *ispi,
    const uint8_t *rspi)
{
	struct sa_ent *e, **ne;
	uint32_t b;
	unsigned nc;

	if (t->n >= t->max_sas)
		return NULL;
	if (t->n == t->cap) {
		nc = t->cap == 0 ? 16 : t->cap * 2;
		if (nc > t->max_sas)
			nc = t->max_sas;
		if ((ne = realloc(t->ent, nc * sizeof *ne)) == NULL)
			return NULL;
		t->ent = ne;
		t->cap = nc;
	}
	if ((e = calloc(1, sizeof *e)) == NULL)
		return NULL;
	e->sa.version = version;
	memcpy(e->sa.ispi, ispi, 8);
	memcpy(e->sa.rspi, rspi, 8);
	b = spi_hash(version, ispi) & t->mask;
	e->next = t->bucket[b];
	t->ent[t->n++] = e;
	t->bucket[b] = t->n;
	return e;
}

/*
 * The nearest UDP (or TCP, RFC 8229) header below the IKE layer gives the
 * ports, and the nearest IP header below that the addresses.
 */
static struct endpoints
endpoints_of(const struct ds_frame *f, const struct ds_layer *l)
{
	struct endpoints ep;
	const struct ds_layer *x;
	unsigned i = 0;
	bool ports = false;

	memset(&ep, 0, sizeof ep);
	while (i < f->nlayers && &f->layer[i] != l)
		i++;
	while (i-- > 0) {
		x = &f->layer[i];
		if (!ports && x->proto == DS_P_UDP) {
			ep.sport = x->u.udp.sport;
			ep.dport = x->u.udp.dport;
			ports = true;
		} else if (!ports && x->proto == DS_P_TCP) {
			ep.sport = x->u.tcp.sport;
			ep.dport = x->u.tcp.dport;
			ports = true;
		} else if (ports && x->proto == DS_P_IPV4) {
			ep.src = x->u.ip4.src;
			ep.dst = x->u.ip4.dst;
			ep.ok = true;
			break;
		} else if (ports && x->proto == DS_P_IPV6) {
			ep.src = x->u.ip6.src;
			ep.dst = x->u.ip6.dst;
			ep.ok = true;
			break;
		}
	}
	return ep;
}

static void
sa_set_ends(struct ds_ike_sa *sa, const struct endpoints *ep,
    bool from_initiator)
{
	if (!ep->ok)
		return;
	if (from_initiator) {
		sa->iaddr = ep->src;
		sa->iport = ep->sport;
		sa->raddr = ep->dst;
		sa->rport = ep->dport;
	} else {
		sa->iaddr = ep->dst;
		sa->iport = ep->dport;
		sa->raddr = ep->src;
		sa->rport = ep->sport;
	}
}

/*
 * IKEv1 has no I flag: the initiator is whoever sent the first message
 * seen, and later messages are matched against its address (its port may
 * float to 4500, RFC 3947 4), then the responder's.
 */
static bool
v1_from_initiator(const struct ds_ike_sa *sa, const struct endpoints *ep)
{
	bool si, sr, di, dr;

	if (!ep->ok || sa->iaddr.family == DS_AF_ANY)
		return true;
	si = ds_addr_eq(&ep->src, &sa->iaddr);
	sr = ds_addr_eq(&ep->src, &sa->raddr);
	if (si != sr)
		return si;
	if (si)			/* both ends on one host: ports decide */
		return ep->sport == sa->iport || ep->dport == sa->rport;
	di = ds_addr_eq(&ep->dst, &sa->iaddr);
	dr = ds_addr_eq(&ep->dst, &sa->raddr);
	return dr || !di;
}

static struct ds_ike_exchange *
exch_find(struct ds_ike_sa *sa, uint8_t exch, uint32_t msgid,
    bool by_initiator, bool match_requester)
{
	struct ds_ike_exchange *x;
	unsigned i;

	for (i = sa->nexch; i-- > 0;) {
		x = &sa->exch[i];
		if (x->exch == exch && x->msgid == msgid &&
		    (!match_requester || x->by_initiator == by_initiator))
			return x;
	}
	return NULL;
}

/*
 * The message's bytes as captured, digested (FNV-1a, 64 bits), with the
 * direction: an IKEv1 retransmission is the same message sent again.
 */
static uint64_t
msg_digest(const struct ds_layer *l, bool from_initiator)
{
	struct ds_cur c = ds_cur_make(l->bytes.p, l->bytes.len,
	    l->bytes.len);
	uint64_t h = 0xcbf29ce484222325ull;

	while (ds_left(&c) >= 8)
		h = (h ^ ds_be64(&c)) * 0x100000001b3ull;
	while (ds_left(&c) > 0)
		h = (h ^ ds_u8(&c)) * 0x100000001b3ull;
	return h ^ (from_initiator ? 1 : 0);
}

/*
 * Has this message gone this way before?  Records it.
 *
 * RFC 2409 5: Main Mode messages 1, 3 and 5 all carry message ID 0 from
 * the initiator, and Quick Mode messages 1 and 3 share one, so an IKEv1
 * retransmission is recognised by its bytes, not by its message ID.  In
 * IKEv2 an IKE_SA_INIT request sent again after a COOKIE or
 * INVALID_KE_PAYLOAD answer keeps message ID 0 (RFC 7296 2.6, 1.2) but is
 * a new request: its bytes differ.
 */
static bool
digest_seen(struct sa_ent *e, const struct ds_layer *l, bool from_initiator)
{
	uint64_t d = msg_digest(l, from_initiator);
	unsigned i;

	for (i = 0; i < e->nrecent && i < RECENT; i++)
		if (e->recent[i] == d)
			return true;
	e->recent[e->nrecent++ % RECENT] = d;
	if (e->nrecent == 2 * RECENT)
		e->nrecent = RECENT;
	return false;
}

/*
 * RFC 7296 2.1, 2.2: a request is retransmitted with its message ID, and
 * a response is sent again for each retransmitted request.  Fragments
 * (RFC 7383 2.5) of one message share the message ID and are told apart
 * by their number.
 */
static bool
v2_is_retransmit(struct ds_ike_exchange *x, const struct ds_ike_facts *fa,
    bool is_request)
{
	uint32_t *mask = is_request ? &x->req_frags : &x->resp_frags;
	uint32_t bit;

	if (fa != NULL && fa->is_fragment) {
		if (fa->frag_num < 1 || fa->frag_num > 32)
			return false;
		bit = 1u << (fa->frag_num - 1);
		if (*mask & bit)
			return true;
		*mask |= bit;
		return false;
	}
	return is_request ? x->request_seen : x->response_seen;
}

/* Copies a nonce or KE payload into the table, replacing the old copy. */
static void
keep_copy(struct ds_ike_table *t, struct ds_frame *f, struct sa_ent *e,
    unsigned which, struct ds_view src)
{
	struct ds_view *v = copy_view(e, which);
	struct ds_cur c;
	uint8_t *m;

	if (src.p == NULL || src.len == 0)
		return;
	copy_free(t, e, which, v);
	if (src.len > t->mem_max - t->mem || (m = malloc(src.len)) == NULL) {
		refuse(t, f);
		return;
	}
	c = ds_cur_make(src.p, src.len, src.len);
	(void)ds_copy(&c, m, src.len);
	t->mem += src.len;
	e->copy[which] = m;
	v->p = m;
	v->len = src.len;
}

static void
child_add(struct ds_ike_sa *sa, uint8_t proto, uint32_t spi, bool deleted)
{
	unsigned i;

	for (i = 0; i < sa->nchild_spis; i++)
		if (sa->child_spis[i].proto == proto &&
		    sa->child_spis[i].spi == spi) {
			sa->child_deleted[i] |= deleted;
			return;
		}
	if (sa->nchild_spis == DS_IKE_MAX_SPIS) {
		sa->child_spis_lost++;
		return;
	}
	sa->child_spis[sa->nchild_spis].proto = proto;
	sa->child_spis[sa->nchild_spis].spi = spi;
	sa->child_deleted[sa->nchild_spis++] = deleted;
}

/* A CPI and its transform, the latest offer winning. */
static void
ipcomp_add(struct ds_ike_sa *sa, uint16_t cpi, uint8_t transform)
{
	unsigned i;

	for (i = 0; i < sa->nipcomp; i++)
		if (sa->ipcomp[i].cpi == cpi)
			break;
	if (i == DS_IKE_MAX_IPCOMP)
		i = DS_IKE_MAX_IPCOMP - 1;	/* the oldest others stay */
	sa->ipcomp[i].cpi = cpi;
	sa->ipcomp[i].transform = transform;
	if (i == sa->nipcomp)
		sa->nipcomp++;
}

/*
 * RFC 7296 3.3.1, RFC 2408 3.5: a Child SA proposal carries the sender's
 * inbound SPI (4 octets; an IPComp CPI in 2 or 4).
 */
static void
child_from_proposals(struct ds_ike_sa *sa, const struct ds_ike_facts *fa)
{
	const struct ds_ike_proposal *p;
	unsigned i, n = fa->nprop < DS_IKE_MAX_PROPOSALS ? fa->nprop :
	    DS_IKE_MAX_PROPOSALS;
	uint32_t spi;

	for (i = 0; i < n; i++) {
		p = &fa->prop[i];
		if (p->proto == PROTO_IKE || p->proto == 0)
			continue;
		if (p->spi_len == 4)
			spi = (uint32_t)p->spi[0] << 24 |
			    (uint32_t)p->spi[1] << 16 |
			    (uint32_t)p->spi[2] << 8 | p->spi[3];
		else if (p->spi_len == 2 && p->proto == PROTO_IPCOMP)
			spi = (uint32_t)p->spi[0] << 8 | p->spi[1];
		else
			continue;
		child_add(sa, p->proto, spi, false);
		/* RFC 2407 4.4.5: the IPComp transform id names the method */
		if (p->proto == PROTO_IPCOMP && p->ntr > 0 && spi <= UINT16_MAX)
			ipcomp_add(sa, (uint16_t)spi, (uint8_t)p->tr[0].id);
	}
}

static void
copy_proposals(struct ds_ike_sa *sa, const struct ds_ike_facts *fa)
{
	unsigned i, n = fa->nprop < DS_IKE_MAX_PROPOSALS ? fa->nprop :
	    DS_IKE_MAX_PROPOSALS;

	for (i = 0; i < n; i++) {
		sa->offered[i] = fa->prop[i];
		if (sa->offered[i].ntr > DS_IKE_MAX_TRANSFORMS)
			sa->offered[i].ntr = DS_IKE_MAX_TRANSFORMS;
	}
	sa->noffered = n;
}

/*
 * RFC 3947 3.2: NAT-D uses the hash of the negotiated phase 1 proposal
 * (RFC 2409 Appendix A ids: 1 MD5, 2 SHA, 4-6 SHA2); before or without
 * one, the length of the hash tells.
 */
static const EVP_MD *
v1_natd_md(const struct ds_ike_table *t, const struct ds_ike_sa *sa,
    size_t len)
{
	unsigned i;

	if (sa->has_chosen)
		for (i = 0; i < sa->chosen.ntr && i < DS_IKE_MAX_TRANSFORMS;
		    i++) {
			if (sa->chosen.tr[i].type != 2)
				continue;
			switch (sa->chosen.tr[i].id) {
			case 1:
				return t->md[MD_MD5];
			case 2:
				return t->md[MD_SHA1];
			case 4:
				return t->md[MD_SHA256];
			case 5:
				return t->md[MD_SHA384];
			case 6:
				return t->md[MD_SHA512];
			}
		}
	switch (len) {
	case 16:
		return t->md[MD_MD5];
	case 20:
		return t->md[MD_SHA1];
	case 32:
		return t->md[MD_SHA256];
	case 48:
		return t->md[MD_SHA384];
	case 64:
		return t->md[MD_SHA512];
	}
	return NULL;
}

/*
 * RFC 7296 2.23: SHA-1(SPIi | SPIr | IP | port); RFC 3947 3.2:
 * HASH(CKY-I | CKY-R | IP | port).  The SPIs are the message's own (SPIr
 * is zero in an IKE_SA_INIT request).
 */
static bool
natd_hash(struct ds_ike_table *t, const EVP_MD *md, const struct ds_ike *k,
    const struct ds_addr *a, uint16_t port, uint8_t *out, unsigned *outlen)
{
	uint8_t in[NAT_BUF];
	size_t n = 16;

	memcpy(in, k->ispi, 8);
	memcpy(in + 8, k->rspi, 8);
	if (a->family == DS_AF_INET) {
		memcpy(in + n, a->a, 4);
		n += 4;
	} else {
		memcpy(in + n, a->a, 16);
		n += 16;
	}
	in[n++] = (uint8_t)(port >> 8);
	in[n++] = (uint8_t)port;
	return EVP_DigestInit_ex2(t->mdctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(t->mdctx, in, n) == 1 &&
	    EVP_DigestFinal_ex(t->mdctx, out, outlen) == 1;
}

static bool
natd_match(struct ds_cur *c, size_t len, const uint8_t *h, unsigned hlen)
{
	uint8_t got[EVP_MAX_MD_SIZE];

	if (len != hlen || !ds_copy(c, got, len))
		return false;
	return CRYPTO_memcmp(got, h, hlen) == 0;
}

/*
 * RFC 7296 2.23: when no NAT_DETECTION_SOURCE_IP matches the packet's
 * source, the sender is behind a NAT; when NAT_DETECTION_DESTINATION_IP
 * does not match its destination, the receiver is.  RFC 3947 3.2 says the
 * same of IKEv1 NAT-D payloads.  The addresses are those of the packet
 * that carried the hashes, as seen where it was captured.
 */
/*
 * "No NAT" needs hashes from both sides: a capture taken on one side of a
 * NAT sees the other side's translation only in the hashes that side sent.
 */
static void
natd_check(struct ds_ike_table *t, struct sa_ent *e,
    const struct ds_layer *l, const struct ds_ike_facts *fa,
    const struct endpoints *ep, bool from_initiator)
{
	struct ds_ike_sa *sa = &e->sa;
	uint8_t hs[EVP_MAX_MD_SIZE], hd[EVP_MAX_MD_SIZE];
	unsigned ls = 0, ld = 0, i, n;
	const EVP_MD *md;
	struct ds_cur c;
	bool src_seen = false, src_ok = false, dst_seen = false;
	bool dst_ok = false;

	n = fa->nnatd < DS_IKE_MAX_NATD ? fa->nnatd : DS_IKE_MAX_NATD;
	if (n == 0 || !ep->ok)
		return;
	for (i = 0; i < n; i++) {
		if (fa->natd[i].p == NULL)
			continue;
		md = sa->version == 2 ? t->md[MD_SHA1] :
		    v1_natd_md(t, sa, fa->natd[i].len);
		if (md == NULL)
			continue;
		if (!natd_hash(t, md, &l->u.ike, &ep->src, ep->sport, hs,
		    &ls) || !natd_hash(t, md, &l->u.ike, &ep->dst, ep->dport,
		    hd, &ld))
			continue;
		c = ds_cur_make(fa->natd[i].p, fa->natd[i].len,
		    fa->natd[i].len);
		sa->natd_checked++;
		e->natd_from[from_initiator ? 0 : 1] = true;
		if (fa->natd_is_src[i]) {
			src_seen = true;
			src_ok |= natd_match(&c, fa->natd[i].len, hs, ls);
		} else {
			dst_seen = true;
			dst_ok |= natd_match(&c, fa->natd[i].len, hd, ld);
		}
	}
	if ((src_seen && !src_ok) || (dst_seen && !dst_ok)) {
		if (src_seen && !src_ok) {
			if (from_initiator)
				sa->initiator_behind_nat = true;
			else
				sa->responder_behind_nat = true;
		}
		if (dst_seen && !dst_ok) {
			if (from_initiator)
				sa->responder_behind_nat = true;
			else
				sa->initiator_behind_nat = true;
		}
	}
	if (sa->initiator_behind_nat || sa->responder_behind_nat)
		sa->nat = DS_IKE_NAT_DETECTED;
	else if (e->natd_from[0] && e->natd_from[1])
		sa->nat = DS_IKE_NAT_NONE;
}

static bool
is_phase1(uint8_t version, uint8_t exch)
{
	if (version == 2)
		return exch == IKEV2_EXCH_IKE_SA_INIT;
	return exch == ISAKMP_EXCH_MAIN || exch == ISAKMP_EXCH_AGGRESSIVE ||
	    exch == ISAKMP_EXCH_BASE;
}

/* What a message carries, filed under its IKE SA. */
/* The key exchange group of a proposal (transform type 4), or 0. */
static uint16_t
chosen_group(const struct ds_ike_proposal *p)
{
	unsigned i;

	for (i = 0; i < p->ntr && i < DS_IKE_MAX_TRANSFORMS; i++)
		if (p->tr[i].type == 4)
			return p->tr[i].id;
	return 0;
}

static void
take_facts(struct ds_ike_table *t, struct ds_frame *f, struct sa_ent *e,
    const struct ds_layer *l, const struct endpoints *ep,
    bool from_initiator)
{
	const struct ds_ike_facts *fa = l->u.ike.facts;
	struct ds_ike_sa *sa = &e->sa;
	unsigned i, n;

	if (is_phase1(sa->version, l->u.ike.exch)) {
		/* RFC 7296 2.7, RFC 2409 5: one proposal comes back */
		if (fa->has_sa && fa->nprop > 0) {
			if (from_initiator)
				copy_proposals(sa, fa);
			else {
				sa->chosen = fa->prop[0];
				if (sa->chosen.ntr > DS_IKE_MAX_TRANSFORMS)
					sa->chosen.ntr =
					    DS_IKE_MAX_TRANSFORMS;
				sa->has_chosen = true;
			}
		}
		keep_copy(t, f, e, from_initiator ? CP_NI : CP_NR, fa->nonce);
		keep_copy(t, f, e, from_initiator ? CP_KEI : CP_KER, fa->ke);
		if (fa->ke.len > 0 && fa->ke_group != 0)
			sa->ke_group = fa->ke_group;
		/* IKEv1 KE payloads carry no group: the chosen SA names it */
		if (sa->ke_group == 0 && sa->has_chosen)
			sa->ke_group = chosen_group(&sa->chosen);
	} else if (fa->has_sa)
		child_from_proposals(sa, fa);
	natd_check(t, e, l, fa, ep, from_initiator);
	n = fa->nipcomp < DS_IKE_MAX_IPCOMP ? fa->nipcomp : DS_IKE_MAX_IPCOMP;
	for (i = 0; i < n; i++)
		ipcomp_add(sa, fa->ipcomp[i].cpi, fa->ipcomp[i].transform);
	n = fa->nrekey < DS_IKE_MAX_SPIS ? fa->nrekey : DS_IKE_MAX_SPIS;
	for (i = 0; i < n; i++)
		child_add(sa, fa->rekey[i].proto, fa->rekey[i].spi, false);
	/* RFC 7296 3.11, RFC 2408 3.15: protocol 1 deletes the IKE SA */
	n = fa->ndeleted < DS_IKE_MAX_SPIS ? fa->ndeleted : DS_IKE_MAX_SPIS;
	for (i = 0; i < n; i++) {
		if (fa->deleted[i].proto == PROTO_IKE)
			sa->deleted = true;
		else
			child_add(sa, fa->deleted[i].proto,
			    fa->deleted[i].spi, true);
	}
}

/*
 *   IKEv2 (RFC 7296 3.1)            request        response
 *   I=1 (from the initiator)        initiator's    to the responder's
 *   I=0 (from the responder)        responder's    to the initiator's
 *
 * Message IDs count separately in each direction (RFC 7296 2.2), so an
 * exchange is named by its type, message ID and whose request it is.
 */
void
ds_ike_sa_observe(struct ds_frame *f, struct ds_layer *l)
{
	struct ds_ike_table *t;
	struct ds_ike *k;
	struct ds_ike_exchange *x;
	struct endpoints ep;
	struct sa_ent *e;
	uint8_t major;
	bool from_init, is_req, by_init, again, seen, fresh = false;

	if (f == NULL || l == NULL || f->eng == NULL || l->quoted)
		return;
	if ((t = ds_engine_ike(f->eng)) == NULL)
		return;
	k = &l->u.ike;
	major = k->version >> 4;
	if (major != 1 && major != 2)
		return;
	ep = endpoints_of(f, l);

	if ((e = sa_find(t, major, k->ispi, k->rspi)) == NULL) {
		if ((e = sa_new(t, major, k->ispi, k->rspi)) == NULL) {
			refuse(t, f);
			return;
		}
		fresh = true;
		e->sa.first_frame = f->index;
		sa_set_ends(&e->sa, &ep, major == 1 || (k->flags & IKE_FLAG_I));
	} else if (spi_is_zero(e->sa.rspi))
		memcpy(e->sa.rspi, k->rspi, 8);
	e->sa.last_frame = f->index;
	e->sa.messages++;

	if (major == 2) {
		from_init = (k->flags & IKE_FLAG_I) != 0;
		is_req = (k->flags & IKE_FLAG_R) == 0;
		by_init = from_init == is_req;
		x = exch_find(&e->sa, k->exch, k->msgid, by_init, true);
	} else {
		from_init = fresh || v1_from_initiator(&e->sa, &ep);
		x = exch_find(&e->sa, k->exch, k->msgid, false, false);
		by_init = x != NULL ? x->by_initiator : from_init;
		is_req = from_init == by_init;
	}
	if (x == NULL) {
		if (e->sa.nexch < DS_IKE_MAX_EXCH) {
			x = &e->sa.exch[e->sa.nexch++];
			x->exch = k->exch;
			x->msgid = k->msgid;
			x->by_initiator = by_init;
			x->first_frame = f->index;
		} else
			e->sa.exch_lost++;
	}

	seen = digest_seen(e, l, from_init);
	if (major == 2)
		again = x != NULL && v2_is_retransmit(x, k->facts, is_req) &&
		    (k->exch != IKEV2_EXCH_IKE_SA_INIT || seen);
	else
		again = seen;
	if (x != NULL) {
		if (is_req)
			x->request_seen = true;
		else
			x->response_seen = true;
	}
	if (again) {
		k->is_retransmit = true;
		ds_frame_note(f, DS_N_IKE_RETRANSMIT);
		e->sa.retransmits++;
		if (x != NULL && x->retransmits < UINT16_MAX)
			x->retransmits++;
		return;
	}
	if (k->facts != NULL)
		take_facts(t, f, e, l, &ep, from_init);
}

/*
 * RFC 3173 3.3: a CPI of 256 or more was negotiated; the IKE SA seen last
 * to offer it names the transform.  Newest first.
 */
unsigned
ds_ike_ipcomp_transform(struct ds_frame *f, uint16_t cpi)
{
	struct ds_ike_table *t;
	const struct ds_ike_sa *sa;
	unsigned i, j;

	if (f == NULL || f->eng == NULL ||
	    (t = ds_engine_ike(f->eng)) == NULL)
		return 0;
	for (i = t->n; i-- > 0;) {
		sa = &t->ent[i]->sa;
		for (j = 0; j < sa->nipcomp && j < DS_IKE_MAX_IPCOMP; j++)
			if (sa->ipcomp[j].cpi == cpi)
				return sa->ipcomp[j].transform;
	}
	return 0;
}
