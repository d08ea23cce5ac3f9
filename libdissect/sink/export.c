/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The export sink: each frame's innermost decrypted packet (ESP, RFC 4303),
 * verified packet (AH, RFC 4302) or inflated packet (IPComp, RFC 3173),
 * written as pcapng with the IPsec headers removed and a comment naming
 * where it came from.  Tunnel mode (RFC 4301 4.1) gives the inner packet;
 * transport mode gets the outer IP header back, with the protocol, the
 * lengths and the IPv4 checksum (RFC 791 3.1) made to fit, and without the
 * UDP header of RFC 3948 or a Fragment header (RFC 8200 4.5).
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/buf.h"
#include "dissect/cur.h"
#include "dissect/dissect.h"
#include "dissect/keyring.h"
#include "dissect/pcapng.h"
#include "dissect/sink.h"

#define EXPORT_MAX_IF	64	/* distinct link types in one file */
#define ETH_HDR_LEN	14
#define VLAN_TAG_LEN	4
#define IPV6_HDR_LEN	40
#define ETHERTYPE_IP	0x0800
#define ETHERTYPE_IPV6	0x86dd

/* The layer a packet is unwrapped from, and what it yields. */
struct unwrap {
	int		 layer;		/* -1: none */
	const struct ds_layer *ip;	/* the frame's IP header below it */
	struct ds_view	 payload;
	uint8_t		 nxt;
};

static void
sep(struct ds_buf *b)
{
	if (b->len > 0)
		ds_buf_puts(b, "; ");
}

static void
put_spi(struct ds_buf *b, const char *proto, uint32_t spi)
{
	ds_buf_puts(b, proto);
	ds_buf_puts(b, " spi=0x");
	ds_buf_hex(b, spi, 8);
}

/* "seq=42 icv=good sa=office-out"; under ESN the 64-bit number. */
static void
put_sa(struct ds_buf *b, uint32_t seq, bool esn, uint32_t seq_hi,
    uint8_t icv, const char *label)
{
	ds_buf_puts(b, " seq=");
	ds_buf_u64(b, esn ? (uint64_t)seq_hi << 32 | seq : seq);
	ds_buf_puts(b, " icv=");
	ds_buf_puts(b, ds_icv_name((enum ds_icv)icv));
	if (label != NULL) {
		ds_buf_puts(b, " sa=");
		ds_buf_puts(b, label);
	}
}

/*
 * ESP: opened only with status ok and plaintext (RFC 4303 3.4.4: nothing
 * before the ICV verifies).  Returns false for an ESP that was not.
 */
static bool
scan_esp(const struct ds_layer *l, int i, struct unwrap *u,
    struct ds_buf *done, struct ds_buf *why)
{
	const struct ds_esp *e = &l->u.esp;

	if (e->status == DS_SAS_OK && e->decrypted) {
		u->layer = i;
		u->payload = e->plain;
		u->nxt = e->nxt;
		sep(done);
		put_spi(done, "esp", e->spi);
		put_sa(done, e->seq, e->esn, e->seq_hi, e->icv, e->sa_label);
		return true;
	}
	sep(why);
	put_spi(why, "esp", e->spi);
	ds_buf_putc(why, ' ');
	ds_buf_puts(why, e->status == DS_SAS_OK ? "not-opened" :
	    ds_sa_status_name((enum ds_sa_status)e->status));
	return false;
}

/* AH: removed only when its ICV verified (RFC 4302 3.4.4). */
static void
scan_ah(const struct ds_layer *l, int i, struct unwrap *u,
    struct ds_buf *done, struct ds_buf *why)
{
	const struct ds_ah *a = &l->u.ah;
	struct ds_cur c = ds_cur_make(l->bytes.p, l->bytes.len,
	    l->bytes.len);

	if (a->status != DS_SAS_OK || a->icv_verdict != DS_ICV_GOOD) {
		sep(why);
		put_spi(why, "ah", a->spi);
		if (a->status != DS_SAS_OK) {
			ds_buf_putc(why, ' ');
			ds_buf_puts(why,
			    ds_sa_status_name((enum ds_sa_status)a->status));
		} else {
			ds_buf_puts(why, " icv=");
			ds_buf_puts(why,
			    ds_icv_name((enum ds_icv)a->icv_verdict));
		}
		return;
	}
	/* RFC 4302 2.2: the header is (Payload Len + 2) 32-bit words */
	if (!ds_skip(&c, ((size_t)a->len + 2) * 4))
		return;
	u->layer = i;
	u->payload = ds_rest(&c);
	u->nxt = a->nxt;
	sep(done);
	put_spi(done, "ah", a->spi);
	put_sa(done, a->seq, a->esn, a->seq_hi, a->icv_verdict, a->sa_label);
}

static void
scan_ipcomp(const struct ds_layer *l, int i, struct unwrap *u,
    struct ds_buf *done, struct ds_buf *why)
{
	const struct ds_ipcomp *p = &l->u.ipcomp;
	struct ds_buf *b = p->inflated ? done : why;

	sep(b);
	ds_buf_puts(b, "ipcomp cpi=0x");
	ds_buf_hex(b, p->cpi, 4);
	if (!p->inflated) {
		ds_buf_puts(b, " not-inflated");
		return;
	}
	u->layer = i;
	u->payload = p->plain;
	u->nxt = p->nxt;
}

/*
 * Walks the frame's own layers (not those quoted in ICMP errors): the
 * innermost unwrapped layer wins, with the IP header nearest below it
 * (transport mode puts that one back).  False when some ESP was not
 * opened.
 */
static bool
scan(const struct ds_frame *f, struct unwrap *u, struct ds_buf *done,
    struct ds_buf *why)
{
	const struct ds_layer *l, *ip = NULL;
	bool all_open = true;
	unsigned i;

	memset(u, 0, sizeof *u);
	u->layer = -1;
	for (i = 0; i < f->nlayers; i++) {
		l = &f->layer[i];
		if (l->quoted)
			continue;
		switch (l->proto) {
		case DS_P_IPV4:
		case DS_P_IPV6:
			ip = l;
			break;
		case DS_P_ESP:
			if (!scan_esp(l, (int)i, u, done, why))
				all_open = false;
			break;
		case DS_P_AH:
			scan_ah(l, (int)i, u, done, why);
			break;
		case DS_P_IPCOMP:
			scan_ipcomp(l, (int)i, u, done, why);
			break;
		default:
			break;
		}
		if (u->layer == (int)i)
			u->ip = ip;
	}
	return all_open;
}

static void
set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 791 3.1, RFC 1071: the one's complement of the one's complement sum. */
static uint16_t
ip4_cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IPv4 header with its options; 0 when it cannot be rebuilt. */
static size_t
ip4_header(const struct ds_layer *ip, uint8_t nxt, size_t plen, uint8_t *out)
{
	struct ds_cur c = ds_cur_make(ip->bytes.p, ip->bytes.len,
	    ip->bytes.len);
	size_t hl = ip->u.ip4.hlen;

	/* RFC 791 3.1: IHL is at least 5 words; Total Length is 16 bits */
	if (hl < 20 || hl + plen > 0xffff || !ds_copy(&c, out, hl))
		return 0;
	set16(out + 2, (uint16_t)(hl + plen));
	out[6] &= 0x40;		/* DF stays; the datagram is whole */
	out[7] = 0;
	out[9] = nxt;
	set16(out + 10, 0);
	set16(out + 10, ip4_cksum(out, hl));
	return hl;
}

/*
 * The IPv6 header and the extension headers in front of the IPsec header
 * (RFC 8200 4), the last Next Header set to nxt.  They are the extlen
 * bytes that the IPv6 dissector walked as extension headers.  A Fragment
 * header is left out; after one of a reassembled datagram the walk stops,
 * as the headers behind it are not in this frame's bytes.
 */
static size_t
ip6_header(const struct ds_layer *ip, uint8_t nxt, size_t plen, uint8_t *out)
{
	struct ds_cur c = ds_cur_make(ip->bytes.p, ip->bytes.len,
	    ip->bytes.len), h;
	size_t n = IPV6_HDR_LEN, last = 6, hl;
	uint8_t type, next, elen;

	if (!ds_copy(&c, out, IPV6_HDR_LEN))
		return 0;
	type = out[6];
	(void)ds_limit(&c, ip->u.ip6.extlen);
	while (ds_left(&c) > 0) {
		h = c;
		next = ds_u8(&h);
		elen = ds_u8(&h);
		if (!ds_ok(&h))
			break;
		/* RFC 8200 4.5: the Fragment header is 8 octets */
		hl = type == DS_IPPROTO_FRAGMENT ? 8 : ((size_t)elen + 1) * 8;
		if (type == DS_IPPROTO_FRAGMENT) {
			if (ip->u.ip6.is_reassembled || !ds_skip(&c, hl))
				break;
			type = next;
			continue;
		}
		if (!ds_copy(&c, out + n, hl))
			break;
		out[last] = type;
		last = n;
		n += hl;
		type = next;
	}
	out[last] = nxt;
	/* RFC 8200 3: Payload Length is 16 bits */
	if (n - IPV6_HDR_LEN + plen > 0xffff)
		return 0;
	set16(out + 4, (uint16_t)(n - IPV6_HDR_LEN + plen));
	return n;
}

/*
 * The Ethernet header and VLAN tags of the frame, the last EtherType set
 * for the exported packet; 0 when the frame is not Ethernet.
 */
static size_t
eth_header(const struct ds_frame *f, uint16_t type, uint8_t *out)
{
	struct ds_cur c = ds_cur_make(f->data, f->caplen, f->caplen);
	size_t n = ETH_HDR_LEN;
	unsigned i;

	if (f->linktype != DS_LINKTYPE_ETHERNET || f->nlayers == 0 ||
	    f->layer[0].proto != DS_P_ETH)
		return 0;
	for (i = 1; i < f->nlayers && f->layer[i].proto == DS_P_VLAN; i++)
		n += VLAN_TAG_LEN;
	if (!ds_copy(&c, out, n))
		return 0;
	set16(out + n - 2, type);
	return n;
}

/*
 * Builds the unwrapped packet in buf, or takes it where it lies when
 * nothing goes in front (tunnel mode, raw IP); false when it cannot be.
 */
static bool
build(const struct ds_frame *f, const struct unwrap *u,
    const struct ds_export_opts *o, uint8_t *buf, struct ds_export_pkt *out)
{
	const struct ds_layer *ip = NULL;
	bool tunnel = u->nxt == DS_IPPROTO_IPIP || u->nxt == DS_IPPROTO_IPV6;
	bool v6;
	struct ds_cur c;
	size_t n = 0, hl;

	if (!tunnel) {
		if ((ip = u->ip) == NULL)
			return false;
		v6 = ip->proto == DS_P_IPV6;
	} else
		v6 = u->nxt == DS_IPPROTO_IPV6;
	out->linktype = DS_LINKTYPE_RAW;
	if (o->ether && (n = eth_header(f, v6 ? ETHERTYPE_IPV6 :
	    ETHERTYPE_IP, buf)) > 0)
		out->linktype = DS_LINKTYPE_ETHERNET;
	if (ip != NULL) {
		hl = v6 ? ip6_header(ip, u->nxt, u->payload.len, buf + n) :
		    ip4_header(ip, u->nxt, u->payload.len, buf + n);
		if (hl == 0)
			return false;
		n += hl;
	}
	if (u->payload.len > DS_EXPORT_BUF - n)
		return false;
	c = ds_cur_make(u->payload.p, u->payload.len, u->payload.len);
	if (n > 0 && !ds_copy(&c, buf + n, u->payload.len))
		return false;
	out->kind = DS_EXPORT_DECRYPTED;
	out->p = n > 0 ? buf : u->payload.p;
	out->len = out->origlen = (uint32_t)(n + u->payload.len);
	return true;
}

void
ds_export_packet(const struct ds_frame *f, const struct ds_export_opts *o,
    uint8_t *buf, struct ds_export_pkt *out)
{
	char dmem[DS_EXPORT_COMMENT], wmem[DS_EXPORT_COMMENT];
	struct ds_buf done, why, cb;
	struct unwrap u;
	bool all_open;

	memset(out, 0, sizeof *out);
	out->ts_ns = (uint64_t)f->ts_sec * 1000000000u + f->ts_nsec;
	ds_buf_init(&done, dmem, sizeof dmem);
	ds_buf_init(&why, wmem, sizeof wmem);
	/* the last byte stays the NUL that the writer's strlen() needs */
	ds_buf_init(&cb, out->comment, sizeof out->comment - 1);
	all_open = scan(f, &u, &done, &why);
	if (all_open && u.layer >= 0 && build(f, &u, o, buf, out)) {
		ds_buf_puts(&cb, "frame ");
		ds_buf_u64(&cb, f->index);
		ds_buf_puts(&cb, ": ");
		ds_buf_putn(&cb, done.p, done.len);
		/* an AH that did not verify, an IPComp left compressed */
		if (why.len > 0) {
			ds_buf_puts(&cb, "; not decrypted: ");
			ds_buf_putn(&cb, why.p, why.len);
		}
		return;
	}
	if (!o->keep_all)
		return;
	out->kind = DS_EXPORT_UNCHANGED;
	out->linktype = f->linktype;
	out->p = f->data;
	out->len = f->caplen;
	out->origlen = f->wirelen;
	if (why.len == 0 && u.layer >= 0)
		ds_buf_puts(&why, "packet cannot be rebuilt");
	if (why.len > 0) {
		ds_buf_puts(&cb, "frame ");
		ds_buf_u64(&cb, f->index);
		ds_buf_puts(&cb, ": not decrypted: ");
		ds_buf_putn(&cb, why.p, why.len);
	}
}

/* ---- the sink --------------------------------------------------------- */

struct export_st {
	struct ds_sink_opts	 opts;
	struct ds_export_opts	 eo;
	struct ds_pcapng_writer	*w;
	int			 lt[EXPORT_MAX_IF];	/* by interface id */
	uint32_t		 nlt;
	uint8_t			*buf;
	struct ds_export_pkt	 pkt;
	uint64_t		 n_dec, n_unch, n_skip;
};

static enum ds_err
export_open(void **stp, FILE *out, const struct ds_sink_opts *o)
{
	struct export_st *s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return DS_ENOMEM;
	s->opts = *o;
	s->eo.keep_all = o->export_keep_all;
	s->eo.ether = o->export_ether;
	if ((s->buf = malloc(DS_EXPORT_BUF)) == NULL ||
	    (s->w = ds_pcapng_writer_new(out, o->export_appl)) == NULL) {
		free(s->buf);
		free(s);
		return DS_EIO;
	}
	*stp = s;
	return DS_OK;
}

/* The interface for a link type: one IDB per type, written as met. */
static enum ds_err
export_iface(struct export_st *s, int linktype, uint32_t *id)
{
	enum ds_err e;

	for (*id = 0; *id < s->nlt; (*id)++)
		if (s->lt[*id] == linktype)
			return DS_OK;
	if (s->nlt == EXPORT_MAX_IF)
		return DS_EUNSUPP;
	if ((e = ds_pcapng_writer_iface(s->w, linktype, 0, id)) != DS_OK)
		return e;
	s->lt[s->nlt++] = linktype;
	return DS_OK;
}

static enum ds_err
export_frame(void *st, const struct ds_frame *f)
{
	struct export_st *s = st;
	struct ds_export_pkt *p = &s->pkt;
	uint32_t id;
	enum ds_err e;

	ds_export_packet(f, &s->eo, s->buf, p);
	if (p->kind == DS_EXPORT_SKIP) {
		s->n_skip++;
		return DS_OK;
	}
	if ((e = export_iface(s, p->linktype, &id)) == DS_EUNSUPP) {
		s->n_skip++;
		return DS_OK;
	}
	if (e == DS_OK)
		e = ds_pcapng_writer_packet(s->w, id, p->ts_ns, p->p, p->len,
		    p->origlen, p->comment);
	if (e != DS_OK)
		return e;
	if (p->kind == DS_EXPORT_DECRYPTED)
		s->n_dec++;
	else
		s->n_unch++;
	if (s->opts.flush_each)
		return ds_pcapng_writer_flush(s->w);
	return DS_OK;
}

static enum ds_err
export_close(void *st, const struct ds_stats *t, const char *error)
{
	struct export_st *s = st;
	enum ds_err e;

	(void)error;
	e = ds_pcapng_writer_flush(s->w);
	if (t != NULL && s->opts.summary != NULL)
		fprintf(s->opts.summary, "export: %llu frames written "
		    "(%llu decrypted, %llu unchanged), %llu not written\n",
		    (unsigned long long)(s->n_dec + s->n_unch),
		    (unsigned long long)s->n_dec,
		    (unsigned long long)s->n_unch,
		    (unsigned long long)s->n_skip);
	ds_pcapng_writer_free(s->w);
	free(s->buf);
	free(s);
	return e;
}

const struct ds_sink_ops ds_sink_pcapng = {
	"pcapng", export_open, export_frame, export_close,
};
