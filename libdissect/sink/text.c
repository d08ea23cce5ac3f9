/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Text lines in the manner of tcpdump: one line per frame,
 *   12:00:01.000042 IP 192.0.2.1.4500 > 198.51.100.2.4500: UDP-encap ESP spi=0xc0ffee01 seq=42 len=120
 * and with -v one further indented line per layer with every field.  The
 * summary goes to its own stream (stderr in the tools).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dissect/buf.h"
#include "dissect/keyring.h"
#include "dissect/names.h"
#include "dissect/sink.h"
#include "dissect/tree.h"
#include "fields.h"
#include "ike_summary.h"
#include "ike/ike_int.h"

/* A frame's lines must fit: -vv shows payload bytes in hex. */
#define TEXT_BUF	(2 * 1024 * 1024)

struct text_st {
	FILE			*out;
	struct ds_sink_opts	 opts;
	struct ds_buf		 b;
	bool			 first;		/* first field on a -v line */
	int64_t			 tsec;		/* cached HH:MM:SS */
	char			 tstr[16];
	char			*mem;
};

static enum ds_err
text_open(void **stp, FILE *out, const struct ds_sink_opts *o)
{
	struct text_st *s;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->mem = malloc(TEXT_BUF)) == NULL) {
		free(s);
		return DS_ENOMEM;
	}
	s->out = out;
	s->opts = *o;
	s->tsec = INT64_MIN;
	ds_buf_init(&s->b, s->mem, TEXT_BUF);
	*stp = s;
	return DS_OK;
}

/* Local time like tcpdump (or UTC), the conversion cached per second. */
static void
put_time(struct text_st *s, const struct ds_frame *f)
{
	struct tm tm, *r;
	time_t t = (time_t)f->ts_sec;

	if (f->ts_sec != s->tsec) {
		s->tsec = f->ts_sec;
		r = s->opts.utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm);
		if (r == NULL || strftime(s->tstr, sizeof s->tstr, "%H:%M:%S",
		    &tm) == 0)
			s->tstr[0] = '\0';
	}
	ds_buf_puts(&s->b, s->tstr);
	ds_buf_putc(&s->b, '.');
	ds_buf_u64w(&s->b, f->ts_nsec / 1000, 6);
}

static void
put_spi(struct ds_buf *b, const char *name, uint32_t spi)
{
	ds_buf_puts(b, name);
	ds_buf_puts(b, "=0x");
	ds_buf_hex(b, spi, 8);
}

/* The payload chain, " [SA KE Nonce N N]", as far as it was decoded. */
static void
put_chain(struct ds_buf *b, const struct ds_layer *l)
{
	const struct ds_ike *k = &l->u.ike;
	const char *x;
	unsigned i;

	if (k->nchain == 0)
		return;
	ds_buf_puts(b, " [");
	for (i = 0; i < k->nchain; i++) {
		if (i > 0)
			ds_buf_putc(b, ' ');
		x = l->proto == DS_P_IKEV2 ? ds_ikev2_payload_name(k->chain[i]) :
		    ds_isakmp_payload_name(k->chain[i]);
		if (x != NULL)
			ds_buf_puts(b, x);
		else
			ds_buf_u64(b, k->chain[i]);
	}
	if (k->chain_cut)
		ds_buf_puts(b, " ...");
	ds_buf_putc(b, ']');
}

static void
put_ike(struct ds_buf *b, const struct ds_layer *l)
{
	const struct ds_ike *k = &l->u.ike;
	const char *x;

	if (l->proto == DS_P_IKEV2) {
		ds_buf_puts(b, "IKEv2 ");
		x = ds_ikev2_exch_name(k->exch);
	} else {
		ds_buf_puts(b, "ISAKMP v");
		ds_buf_u64(b, k->version >> 4);
		ds_buf_putc(b, '.');
		ds_buf_u64(b, k->version & 0xf);
		ds_buf_putc(b, ' ');
		x = ds_isakmp_exch_name(k->exch);
	}
	if (x != NULL)
		ds_buf_puts(b, x);
	else {
		ds_buf_puts(b, "exchange-");
		ds_buf_u64(b, k->exch);
	}
	if (l->proto == DS_P_IKEV2) {
		/* RFC 7296 3.1: R(esponse) 0x20, I(nitiator) 0x08 */
		ds_buf_puts(b, k->flags & 0x20 ? " response" : " request");
		ds_buf_puts(b, k->flags & 0x08 ? " (I)" : " (R)");
	} else if (k->flags & 0x01)
		ds_buf_puts(b, " [E]");	/* RFC 2408 3.1: encrypted */
	ds_buf_puts(b, " ispi=");
	ds_buf_hexbytes(b, k->ispi, 8);
	ds_buf_puts(b, " rspi=");
	ds_buf_hexbytes(b, k->rspi, 8);
	ds_buf_puts(b, " msgid=");
	ds_buf_u64(b, k->msgid);
	ds_buf_puts(b, " len=");
	ds_buf_u64(b, k->len);
	put_chain(b, l);
}

/*
 * What the keyring made of an ESP or AH packet: " icv=good" when it was
 * opened, or why not (" no SA", " ICV failed", " bad padding", ...).
 */
static void
put_verdict(struct ds_buf *b, uint8_t status, uint8_t icv, bool replay)
{
	switch (status) {
	case DS_SAS_OK:
		ds_buf_puts(b, " icv=");
		ds_buf_puts(b, ds_icv_name(icv));
		break;
	case DS_SAS_NO_SA:
		ds_buf_puts(b, " no SA");
		break;
	case DS_SAS_ICV_FAILED:
		ds_buf_puts(b, " ICV failed");
		break;
	case DS_SAS_BAD_PADDING:
		ds_buf_puts(b, " bad padding");
		break;
	case DS_SAS_BAD_LENGTH:
		ds_buf_puts(b, " bad length");
		break;
	case DS_SAS_TRUNCATED:
		ds_buf_puts(b, " truncated");
		break;
	case DS_SAS_UNSUPPORTED:
		ds_buf_puts(b, " unsupported algorithm");
		break;
	default:
		break;
	}
	if (replay)
		ds_buf_puts(b, " replay");
}

static bool
is_ip(const struct ds_layer *l)
{
	return l->proto == DS_P_IPV4 || l->proto == DS_P_IPV6;
}

static void put_from(struct ds_buf *, const struct ds_frame *, unsigned);

/* "IP a.p > b.p: " for the IP layer at i; returns the next layer index. */
static unsigned
put_ip(struct ds_buf *b, const struct ds_frame *f, unsigned i)
{
	const struct ds_layer *ip = &f->layer[i];
	const struct ds_layer *t = NULL;
	const struct ds_addr *src, *dst;
	bool v4 = ip->proto == DS_P_IPV4;

	src = v4 ? &ip->u.ip4.src : &ip->u.ip6.src;
	dst = v4 ? &ip->u.ip4.dst : &ip->u.ip6.dst;
	if (i + 1 < f->nlayers && (f->layer[i + 1].proto == DS_P_UDP ||
	    f->layer[i + 1].proto == DS_P_TCP))
		t = &f->layer[i + 1];
	ds_buf_puts(b, v4 ? "IP " : "IP6 ");
	ds_buf_addr(b, src);
	if (t != NULL) {
		ds_buf_putc(b, '.');
		ds_buf_u64(b, t->u.udp.sport);	/* same place in ds_tcp */
	}
	ds_buf_puts(b, " > ");
	ds_buf_addr(b, dst);
	if (t != NULL) {
		ds_buf_putc(b, '.');
		ds_buf_u64(b, t->u.udp.dport);
	}
	ds_buf_puts(b, ": ");
	return i + 1;
}

static void
put_frag(struct ds_buf *b, const struct ds_layer *ip)
{
	/* tcpdump's "(frag id:len@offset+)" */
	ds_buf_puts(b, "frag id=0x");
	if (ip->proto == DS_P_IPV4) {
		ds_buf_hex(b, ip->u.ip4.id, 4);
		ds_buf_puts(b, " off=");
		ds_buf_u64(b, (uint64_t)(ip->u.ip4.frag & 0x1fff) * 8);
		if (ip->u.ip4.frag & 0x2000)
			ds_buf_putc(b, '+');
		ds_buf_puts(b, " proto=");
		ds_buf_u64(b, ip->u.ip4.proto);
	} else {
		ds_buf_hex(b, ip->u.ip6.frag_id, 8);
		ds_buf_puts(b, " off=");
		ds_buf_u64(b, ip->u.ip6.frag_off);
		if (ip->u.ip6.frag_more)
			ds_buf_putc(b, '+');
		ds_buf_puts(b, " proto=");
		ds_buf_u64(b, ip->u.ip6.proto);
	}
}

/*
 * ICMP and ICMPv6 by name where the type is a common one (RFC 792,
 * RFC 4443, RFC 4861), the code after it when not 0; type/code otherwise.
 */
static void
icmp_type(struct ds_buf *b, bool v6, uint8_t type, uint8_t code)
{
	static const char *const v4[] = {
		[0] = "echo reply", [3] = "unreachable", [5] = "redirect",
		[8] = "echo request", [11] = "time exceeded",
		[12] = "parameter problem",
	};
	static const char *const v6n[] = {
		[1] = "unreachable", [2] = "packet too big",
		[3] = "time exceeded", [4] = "parameter problem",
		[128 - 120] = "echo request", [129 - 120] = "echo reply",
		[133 - 120] = "router solicitation",
		[134 - 120] = "router advertisement",
		[135 - 120] = "neighbor solicitation",
		[136 - 120] = "neighbor advertisement",
	};
	const char *name = NULL;

	if (!v6 && type < DS_NELEM(v4))
		name = v4[type];
	else if (v6 && type < 5)
		name = v6n[type];
	else if (v6 && type >= 128 && type - 120u < DS_NELEM(v6n))
		name = v6n[type - 120];
	if (name == NULL) {
		ds_buf_u64(b, type);
		ds_buf_putc(b, '/');
		ds_buf_u64(b, code);
		return;
	}
	ds_buf_puts(b, name);
	if (code != 0) {
		ds_buf_puts(b, " code ");
		ds_buf_u64(b, code);
	}
}

/* Describes layer i and what follows it on one line. */
static void
put_from(struct ds_buf *b, const struct ds_frame *f, unsigned i)
{
	const struct ds_layer *l;
	const char *x;
	bool ports, more;

	for (; i < f->nlayers; i++) {
		l = &f->layer[i];
		switch (l->proto) {
		case DS_P_IPV4:
		case DS_P_IPV6:
			(void)put_ip(b, f, i);
			if ((l->proto == DS_P_IPV4 && l->u.ip4.is_fragment &&
			    !l->u.ip4.is_reassembled) ||
			    (l->proto == DS_P_IPV6 && l->u.ip6.is_fragment &&
			    !l->u.ip6.is_reassembled)) {
				put_frag(b, l);
				return;
			}
			break;
		case DS_P_UDP:
		case DS_P_TCP:
			/* ports went into "IP a.p > b.p" unless AH came between */
			ports = i == 0 || !is_ip(&f->layer[i - 1]);
			more = l->proto == DS_P_UDP && i + 1 < f->nlayers &&
			    f->layer[i + 1].proto != DS_P_DATA;
			if (more && !ports)
				break;	/* the payload speaks */
			ds_buf_puts(b, l->proto == DS_P_UDP ? "UDP" : "TCP");
			if (ports) {
				ds_buf_putc(b, ' ');
				ds_buf_u64(b, l->u.udp.sport);
				ds_buf_puts(b, " > ");
				ds_buf_u64(b, l->u.udp.dport);
			}
			if (more) {
				ds_buf_puts(b, ": ");
				break;
			}
			if (l->proto == DS_P_UDP) {
				ds_buf_puts(b, " len=");
				ds_buf_u64(b, l->u.udp.len);
			}
			return;
		case DS_P_ICMP:
		case DS_P_ICMPV6:
			ds_buf_puts(b, l->proto == DS_P_ICMP ? "ICMP " :
			    "ICMP6 ");
			icmp_type(b, l->proto == DS_P_ICMPV6, l->u.icmp.type,
			    l->u.icmp.code);
			if (l->u.icmp.is_error && i + 1 < f->nlayers) {
				ds_buf_puts(b, " quoting ");
				break;
			}
			return;
		case DS_P_NATT:
			if (l->u.natt.kind == DS_NATT_KEEPALIVE) {
				ds_buf_puts(b, "NAT-keepalive");
				return;
			}
			ds_buf_puts(b, "non-ESP-marker ");
			break;
		case DS_P_ESP:
			if (l->u.esp.in_udp)
				ds_buf_puts(b, "UDP-encap ");
			put_spi(b, "ESP spi", l->u.esp.spi);
			ds_buf_puts(b, " seq=");
			ds_buf_u64(b, l->u.esp.seq);
			ds_buf_puts(b, " len=");
			ds_buf_u64(b, l->u.esp.payload_len);
			/* only a keyring's answer sets a status */
			if (l->u.esp.status != DS_SAS_NOT_TRIED) {
				put_verdict(b, l->u.esp.status, l->u.esp.icv,
				    l->u.esp.is_replay);
				if (l->u.esp.is_dummy)
					ds_buf_puts(b, " dummy");
				if (!l->u.esp.decrypted || i + 1 == f->nlayers)
					return;
				/* the plaintext, tcpdump-like */
				ds_buf_puts(b, ": ");
				break;
			}
			if (i + 1 < f->nlayers)
				ds_buf_puts(b, "; ");
			break;
		case DS_P_AH:
			put_spi(b, "AH spi", l->u.ah.spi);
			ds_buf_puts(b, " seq=");
			ds_buf_u64(b, l->u.ah.seq);
			ds_buf_puts(b, " icvlen=");
			ds_buf_u64(b, l->u.ah.icv_len);
			if (l->u.ah.status != DS_SAS_NOT_TRIED)
				put_verdict(b, l->u.ah.status,
				    l->u.ah.icv_verdict, l->u.ah.is_replay);
			if (i + 1 < f->nlayers)
				ds_buf_puts(b, "; ");
			break;
		case DS_P_IPCOMP:
			ds_buf_puts(b, "IPComp cpi=0x");
			ds_buf_hex(b, l->u.ipcomp.cpi, 4);
			if ((x = ds_ipcomp_cpi_name(l->u.ipcomp.cpi)) != NULL) {
				ds_buf_puts(b, " (");
				ds_buf_puts(b, x);
				ds_buf_putc(b, ')');
			}
			ds_buf_puts(b, " len=");
			ds_buf_u64(b, l->u.ipcomp.payload_len);
			if (!l->u.ipcomp.inflated)
				return;
			/* the decompressed packet, as for ESP plaintext */
			ds_buf_puts(b, " inflated=");
			ds_buf_u64(b, l->u.ipcomp.plain.len);
			if (i + 1 == f->nlayers)
				return;
			ds_buf_puts(b, ": ");
			break;
		case DS_P_ISAKMP:
		case DS_P_IKEV2:
			put_ike(b, l);
			return;
		case DS_P_DATA:
			if (i > 0 && is_ip(&f->layer[i - 1])) {
				const struct ds_layer *p = &f->layer[i - 1];
				uint8_t proto = p->proto == DS_P_IPV4 ?
				    p->u.ip4.proto : p->u.ip6.proto;

				if ((x = ds_ipproto_name(proto)) != NULL)
					ds_buf_puts(b, x);
				else {
					ds_buf_puts(b, "ip-proto-");
					ds_buf_u64(b, proto);
				}
				ds_buf_putc(b, ' ');
			}
			ds_buf_puts(b, "len=");
			ds_buf_u64(b, l->bytes.len);
			return;
		default:
			break;
		}
	}
}

static void
put_link_only(struct ds_buf *b, const struct ds_frame *f)
{
	const struct ds_layer *l;
	uint16_t type = 0;
	const char *x;
	unsigned i;

	if (ds_frame_has_note(f, DS_N_UNSUPPORTED_LINK)) {
		ds_buf_puts(b, "unsupported link type ");
		ds_buf_u64(b, (uint64_t)f->linktype);
		return;
	}
	for (i = 0; i < f->nlayers; i++) {
		l = &f->layer[i];
		if (l->proto == DS_P_ETH)
			type = l->u.eth.type;
		else if (l->proto == DS_P_VLAN)
			type = l->u.vlan.type;
		else if (l->proto == DS_P_SLL || l->proto == DS_P_SLL2)
			type = l->u.sll.proto;
	}
	if (f->nlayers == 0) {
		ds_buf_puts(b, "undecoded");
		return;
	}
	ds_buf_puts(b, "ethertype ");
	if ((x = ds_ethertype_name(type)) != NULL) {
		ds_buf_puts(b, x);
		ds_buf_putc(b, ' ');
	}
	ds_buf_puts(b, "(0x");
	ds_buf_hex(b, type, 4);
	ds_buf_putc(b, ')');
}

static void
put_notes(struct ds_buf *b, const struct ds_frame *f)
{
	bool open = false;
	unsigned i;

	for (i = 0; i < f->nnotes; i++) {
		enum ds_note_code c = f->note[i].code;

		if (ds_note_class(c) == DS_NC_INFO &&
		    c != DS_N_FRAG_OVERLAP && c != DS_N_FRAG_DROPPED &&
		    c != DS_N_REASSEMBLED && c != DS_N_IKE_VERSION &&
		    c != DS_N_IKE_RETRANSMIT && c != DS_N_IKE_SA_CAP &&
		    c != DS_N_IKE_REASSEMBLED)
			continue;
		ds_buf_puts(b, open ? "," : " [");
		open = true;
		ds_buf_puts(b, ds_note_name(c));
	}
	if (open)
		ds_buf_putc(b, ']');
}

/* -v: every layer's fields, "name value" pairs. */
static void
v_key(struct text_st *s, const char *name)
{
	ds_buf_putc(&s->b, ' ');
	ds_buf_puts(&s->b, name);
	ds_buf_putc(&s->b, ' ');
}

static void
v_u64(void *st, const char *name, uint64_t v)
{
	struct text_st *s = st;

	v_key(s, name);
	ds_buf_u64(&s->b, v);
}

static void
v_hex(void *st, const char *name, uint64_t v, unsigned digits)
{
	struct text_st *s = st;

	v_key(s, name);
	ds_buf_puts(&s->b, "0x");
	ds_buf_hex(&s->b, v, digits);
}

static void
v_str(void *st, const char *name, const char *v)
{
	struct text_st *s = st;

	v_key(s, name);
	ds_buf_putc(&s->b, '"');
	ds_buf_puts(&s->b, v);
	ds_buf_putc(&s->b, '"');
}

static void
v_addr(void *st, const char *name, const struct ds_addr *a)
{
	struct text_st *s = st;

	v_key(s, name);
	ds_buf_addr(&s->b, a);
}

static void
v_bytes(void *st, const char *name, const uint8_t *p, size_t n)
{
	struct text_st *s = st;

	v_key(s, name);
	ds_buf_hexbytes(&s->b, p, n);
}

static void
v_flag(void *st, const char *name, bool v)
{
	struct text_st *s = st;

	if (!v)
		return;		/* absent means false */
	ds_buf_putc(&s->b, ' ');
	ds_buf_puts(&s->b, name);
}

static void
v_list(void *st, const char *name, const uint8_t *p, size_t n)
{
	struct text_st *s = st;
	size_t i;

	v_key(s, name);
	for (i = 0; i < n; i++) {
		if (i > 0)
			ds_buf_putc(&s->b, ',');
		ds_buf_u64(&s->b, p[i]);
	}
}

static const struct ds_fields_ops text_fields = {
	v_u64, v_hex, v_str, v_addr, v_bytes, v_flag, v_list,
};

#define TREE_DEPTH	16

static void
put_indent(struct ds_buf *b, unsigned n)
{
	while (n-- > 0)
		ds_buf_puts(b, "  ");
}

/* A scalar field's value, as in -v lines. */
static void
put_scalar(struct ds_buf *b, const struct ds_field *n)
{
	switch (n->kind) {
	case DS_FK_U64:
		ds_buf_u64(b, n->v.u);
		break;
	case DS_FK_HEX:
		ds_buf_puts(b, "0x");
		ds_buf_hex(b, n->v.u, n->digits);
		break;
	case DS_FK_STR:
		ds_buf_putc(b, '"');
		ds_buf_puts(b, n->v.s);
		ds_buf_putc(b, '"');
		break;
	case DS_FK_BYTES:
		ds_buf_hexbytes(b, n->v.b.p, n->v.b.len);
		break;
	case DS_FK_ADDR:
		ds_buf_addr(b, &n->v.a);
		break;
	case DS_FK_FLAG:
		ds_buf_puts(b, n->v.f ? "true" : "false");
		break;
	default:
		break;
	}
}

static bool
is_container(const struct ds_field *n)
{
	return n->kind == DS_FK_OBJ || n->kind == DS_FK_LIST;
}

/*
 * An object on one line: its scalars as name=value; with `deep`, nested
 * objects and lists follow on lines of their own, indented.
 */
static void
put_tree_obj(struct ds_buf *b, const struct ds_field *n, unsigned indent,
    bool deep, unsigned depth)
{
	const struct ds_field *c;
	bool first = true;

	put_indent(b, indent);
	for (c = n->child; c != NULL; c = c->next) {
		if (is_container(c))
			continue;
		if (!first)
			ds_buf_putc(b, ' ');
		first = false;
		if (n->kind == DS_FK_OBJ) {
			ds_buf_puts(b, c->name);
			ds_buf_putc(b, '=');
		}
		put_scalar(b, c);
	}
	ds_buf_putc(b, '\n');
	if (!deep || depth >= TREE_DEPTH)
		return;
	for (c = n->child; c != NULL; c = c->next) {
		if (!is_container(c))
			continue;
		if (c->kind == DS_FK_LIST) {
			const struct ds_field *e;

			for (e = c->child; e != NULL; e = e->next) {
				if (is_container(e))
					put_tree_obj(b, e, indent + 1, deep,
					    depth + 1);
				else {
					put_indent(b, indent + 1);
					ds_buf_puts(b, c->name);
					ds_buf_putc(b, '=');
					put_scalar(b, e);
					ds_buf_putc(b, '\n');
				}
			}
		} else
			put_tree_obj(b, c, indent + 1, deep, depth + 1);
	}
}

static void
put_payloads(struct text_st *s, const struct ds_layer *l)
{
	const struct ds_field *p;

	if ((l->proto != DS_P_ISAKMP && l->proto != DS_P_IKEV2) ||
	    l->u.ike.payloads == NULL)
		return;
	for (p = l->u.ike.payloads->child; p != NULL; p = p->next)
		if (is_container(p))
			put_tree_obj(&s->b, p, 3, s->opts.verbose > 1, 0);
}

static void
put_verbose(struct text_st *s, const struct ds_frame *f)
{
	bool keyed = ds_frame_keyed(f);
	unsigned i;

	for (i = 0; i < f->nlayers; i++) {
		const struct ds_layer *l = &f->layer[i];

		ds_buf_puts(&s->b, "    ");
		put_indent(&s->b, l->depth);	/* inside ESP plaintext */
		if (l->quoted)
			ds_buf_puts(&s->b, "(quoted) ");
		ds_buf_puts(&s->b, ds_proto_name(l->proto));
		ds_fields_layer(l, &text_fields, s);
		if (keyed)
			ds_fields_sa(l, &text_fields, s);
		ds_buf_putc(&s->b, '\n');
		put_payloads(s, l);
	}
	for (i = 0; i < f->nnotes; i++) {
		const struct ds_note *n = &f->note[i];

		ds_buf_puts(&s->b, "    note ");
		ds_buf_puts(&s->b, ds_note_name(n->code));
		if (n->layer != 0xff && n->layer < f->nlayers) {
			ds_buf_puts(&s->b, " (");
			ds_buf_puts(&s->b, ds_proto_name(f->layer[n->layer].proto));
			ds_buf_putc(&s->b, ')');
		}
		ds_buf_puts(&s->b, ": ");
		ds_buf_puts(&s->b, ds_note_text(n->code));
		ds_buf_putc(&s->b, '\n');
	}
	if (f->notes_lost > 0) {
		ds_buf_puts(&s->b, "    (");
		ds_buf_u64(&s->b, f->notes_lost);
		ds_buf_puts(&s->b, " more notes)\n");
	}
}

bool
ds_frame_is_shown(const struct ds_frame *f, const struct ds_sink_opts *o)
{
	if (o->all_frames)
		return true;
	/* IPsec, fragments (of what may be IPsec) and damaged frames */
	return f->fclass == DS_FC_IPSEC || f->fclass == DS_FC_FRAGMENT ||
	    f->is_truncated || f->is_malformed;
}

static enum ds_err
text_frame(void *st, const struct ds_frame *f)
{
	struct text_st *s = st;
	unsigned i;

	if (!ds_frame_is_shown(f, &s->opts))
		return DS_OK;
	if (s->opts.numbers) {
		ds_buf_u64(&s->b, f->index);
		ds_buf_putc(&s->b, ' ');
	}
	put_time(s, f);
	ds_buf_putc(&s->b, ' ');
	for (i = 0; i < f->nlayers && !is_ip(&f->layer[i]); i++)
		;
	if (i < f->nlayers)
		put_from(&s->b, f, i);
	else
		put_link_only(&s->b, f);
	if (f->caplen < f->wirelen) {
		ds_buf_puts(&s->b, " (caplen ");
		ds_buf_u64(&s->b, f->caplen);
		ds_buf_puts(&s->b, " of ");
		ds_buf_u64(&s->b, f->wirelen);
		ds_buf_putc(&s->b, ')');
	}
	put_notes(&s->b, f);
	ds_buf_putc(&s->b, '\n');
	if (s->opts.verbose > 0)
		put_verbose(s, f);
	if ((s->opts.flush_each || s->b.len > TEXT_BUF / 4) &&
	    (!ds_buf_flush(&s->b, s->out) ||
	    (s->opts.flush_each && fflush(s->out) != 0)))
		return DS_EIO;
	return DS_OK;
}

static void
sum_line(FILE *o, const char *name, uint64_t v)
{
	fprintf(o, "  %-28s %llu\n", name, (unsigned long long)v);
}

/*
 * One row per (protocol, SPI, SA): what became of its packets.  "ok" are
 * the packets opened (ESP: decrypted; AH: verified); the ICV columns count
 * the verdicts on packets of a known SA.
 */
static void
sa_table(FILE *o, const struct ds_stats *t)
{
	const struct ds_sa_stat *r;
	unsigned i;
	int w = 16;

	/* the label column is as wide as the longest label */
	for (i = 0; i < t->n_sa; i++)
		if (t->sa[i].label != NULL &&
		    strlen(t->sa[i].label) > (size_t)w)
			w = (int)strlen(t->sa[i].label);
	fprintf(o, " security associations:\n");
	fprintf(o, "  %-5s %-10s %-*s %8s %9s %9s %9s %9s %9s %9s %9s %s\n",
	    "proto", "spi", w, "sa", "frames", "ok", "icv-good", "icv-bad",
	    "unchecked", "no-sa", "bad-pad", "replays", "seq-max");
	for (i = 0; i < t->n_sa; i++) {
		r = &t->sa[i];
		fprintf(o, "  %-5s 0x%08x %-*s %8llu %9llu %9llu %9llu %9llu "
		    "%9llu %9llu %9llu %llu%s\n",
		    r->proto == DS_IPPROTO_AH ? "ah" : "esp", r->spi, w,
		    r->label != NULL ? r->label : "-",
		    (unsigned long long)r->frames,
		    (unsigned long long)r->status[DS_SAS_OK],
		    (unsigned long long)r->icv[DS_ICV_GOOD],
		    (unsigned long long)r->icv[DS_ICV_BAD],
		    (unsigned long long)r->icv[DS_ICV_UNCHECKED],
		    (unsigned long long)r->status[DS_SAS_NO_SA],
		    (unsigned long long)r->status[DS_SAS_BAD_PADDING],
		    (unsigned long long)r->replayed,
		    (unsigned long long)r->seq_max, r->esn ? " (esn)" : "");
	}
	if (t->sa_rows_lost > 0)
		fprintf(o, "  (%llu packets of further SPIs not listed)\n",
		    (unsigned long long)t->sa_rows_lost);
	fprintf(o, " decrypted: %llu frames\n",
	    (unsigned long long)t->esp_decrypted);
}

static void
text_summary(FILE *o, const struct ds_stats *t, const char *error)
{
	static const char *const ev[DS_FRAG_EV_COUNT_] = {
		"timeout", "memory cap", "pending cap", "end of capture",
	};
	unsigned i;

	fprintf(o, "summary: %llu frames, %llu bytes\n",
	    (unsigned long long)t->frames, (unsigned long long)t->bytes);
	for (i = 0; i < DS_FC_COUNT_; i++)
		sum_line(o, ds_frame_class_name(i), t->fclass[i]);
	fprintf(o, " frames with:\n");
	for (i = 0; i < DS_P_COUNT_; i++)
		if (t->proto[i] > 0)
			sum_line(o, ds_proto_name(i), t->proto[i]);
	sum_line(o, "esp in udp", t->esp_in_udp);
	sum_line(o, "ike after non-esp marker", t->ike_non_esp_marker);
	sum_line(o, "nat keepalive", t->nat_keepalive);
	sum_line(o, "icmp quoting ipsec", t->icmp_quoting_ipsec);
	sum_line(o, "truncated", t->truncated);
	sum_line(o, "malformed", t->malformed);
	for (i = 0; i < t->n_unsupp_link; i++)
		fprintf(o, "  unsupported link type %-6llu %llu\n",
		    (unsigned long long)t->unsupp_link_type[i],
		    (unsigned long long)t->unsupp_link_count[i]);
	if (t->frag_fragments > 0) {
		fprintf(o, " fragments:\n");
		sum_line(o, "fragments seen", t->frag_fragments);
		sum_line(o, "datagrams reassembled", t->frag_reassembled);
		sum_line(o, "overlapping fragments", t->frag_overlap);
		sum_line(o, "fragments dropped", t->frag_dropped);
		for (i = 0; i < DS_FRAG_EV_COUNT_; i++)
			if (t->frag_evicted[i] > 0)
				fprintf(o, "  incomplete (%s)%*s %llu\n",
				    ev[i], (int)(14 - strlen(ev[i])), "",
				    (unsigned long long)t->frag_evicted[i]);
		sum_line(o, "fragments in incomplete", t->frag_evicted_frags);
	}
	if (t->ipcomp_inflated > 0)
		sum_line(o, "ipcomp inflated", t->ipcomp_inflated);
	if (t->has_keyring)	/* without keys the summary stays as it was */
		sa_table(o, t);
	if (t->ike != NULL && ds_ike_table_count(t->ike) > 0)
		ds_ike_summary_text(o, t->ike);
	(void)error;	/* the tool prints it as its own message */
}

static enum ds_err
text_close(void *st, const struct ds_stats *t, const char *error)
{
	struct text_st *s = st;
	enum ds_err e = DS_OK;

	if (!ds_buf_flush(&s->b, s->out) || fflush(s->out) != 0)
		e = DS_EIO;
	if (t != NULL && s->opts.summary != NULL)
		text_summary(s->opts.summary, t, error);
	free(s->mem);
	free(s);
	return e;
}

const struct ds_sink_ops ds_sink_text = {
	"text", text_open, text_frame, text_close,
};
