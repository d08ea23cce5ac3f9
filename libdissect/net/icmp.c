/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ICMP and ICMPv6: type and code, and for error messages the quoted
 * packet, dissected as layers marked `quoted`.
 * RFC 792; RFC 4443 2.1, 3; RFC 4884 4, 5 (the length of the quote);
 * RFC 1812 4.3.2.3 and RFC 4443 2.4 (c) (how much is quoted).
 *
 * How quoted layers are marked: ds_frame_push() copies `quoted` from the
 * layer below.  While the quote is dissected, the ICMP layer's own flag is
 * set, so every layer pushed for the quote inherits it; afterwards the
 * ICMP layer's flag is cleared again.  Dissectors learn that they work on
 * a quote from net_in_quote() (net.h): they then keep quoted fragments out
 * of the reassembly table and do not report the quote's (normal)
 * truncation.  A quoted ICMP error's own quote is not dissected.
 *
 *   ipv4 -- icmp -- ipv4' -- esp'        (' = quoted)
 */
#include "net/net.h"

#define ICMP_HDR_LEN	8		/* RFC 792: every message */
#define ICMP6_HDR_LEN	4		/* RFC 4443 2.1 */
#define ICMP6_ERR_LEN	8		/* RFC 4443 3: 4 more bytes */

static bool
icmp_is_error(uint8_t type, bool is_v6)
{
	if (is_v6)		/* RFC 4443 2.1, 3.1-3.4 */
		return type >= 1 && type <= 4;
	switch (type) {		/* RFC 792 */
	case 3:			/* destination unreachable */
	case 4:			/* source quench */
	case 5:			/* redirect */
	case 11:		/* time exceeded */
	case 12:		/* parameter problem */
		return true;
	default:
		return false;
	}
}

/*
 * RFC 792, RFC 4443 2.1 (4 bytes for ICMPv6, 8 with the second word of
 * an error):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   type-specific (RFC 4884: a Length byte in some errors)      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      Internet Header + leading octets of original datagram    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * `qlen` gets the RFC 4884 length of the quote in bytes, 0 when unset.
 */
static enum ds_err
icmp_read(struct ds_cur *c, struct ds_icmp *out, bool is_v6, size_t *qlen)
{
	struct ds_cur h = *c;
	struct ds_icmp ic = { 0 };
	uint8_t w[4];

	if (!ds_need(&h, is_v6 ? ICMP6_HDR_LEN : ICMP_HDR_LEN))
		return h.err;
	ic.type = ds_u8(&h);
	ic.code = ds_u8(&h);
	(void)ds_be16(&h);
	ic.is_error = icmp_is_error(ic.type, is_v6);
	*qlen = 0;
	if (is_v6 && !ic.is_error) {
		*out = ic;
		*c = h;
		return DS_OK;
	}
	if (!ds_copy(&h, w, sizeof w))
		return h.err;
	/* RFC 4884 4 (IPv4: 32-bit words) and 5 (IPv6: 64-bit words) */
	if (!is_v6 && (ic.type == 3 || ic.type == 11 || ic.type == 12))
		*qlen = (size_t)w[1] * 4;
	else if (is_v6 && (ic.type == 1 || ic.type == 3))
		*qlen = (size_t)w[0] * 8;
	*out = ic;
	*c = h;
	return DS_OK;
}

enum ds_err
ds_icmp_parse(struct ds_cur *c, struct ds_icmp *out, bool is_v6)
{
	size_t qlen;

	return icmp_read(c, out, is_v6, &qlen);
}

static bool
icmp_quotes_ipsec(const struct ds_frame *f, const struct ds_layer *l)
{
	switch (l->proto) {
	case DS_P_ESP:
	case DS_P_AH:
	case DS_P_IPCOMP:
	case DS_P_NATT:
	case DS_P_ISAKMP:
	case DS_P_IKEV2:
		return true;
	case DS_P_IPV4:
		return l->u.ip4.proto == DS_IPPROTO_ESP ||
		    l->u.ip4.proto == DS_IPPROTO_AH;
	case DS_P_IPV6:
		return l->u.ip6.proto == DS_IPPROTO_ESP ||
		    l->u.ip6.proto == DS_IPPROTO_AH;
	case DS_P_UDP:
		return f->eng != NULL &&
		    (ds_engine_is_ike_port(f->eng, l->u.udp.sport) ||
		    ds_engine_is_ike_port(f->eng, l->u.udp.dport) ||
		    ds_engine_is_natt_port(f->eng, l->u.udp.sport) ||
		    ds_engine_is_natt_port(f->eng, l->u.udp.dport));
	default:
		return false;
	}
}

/*
 * The quoted packet: as much as was captured (and no more than RFC 4884
 * says), its lengths believed (NET_QUOTE_CLAIM).  Truncation notes raised
 * inside are taken back: a quote is short by design.
 */
static void
icmp_quote(struct ds_frame *f, unsigned icmp, struct ds_cur *c, size_t qlen)
{
	struct ds_cur q;
	struct ds_view v;
	bool was_truncated = f->is_truncated;
	unsigned nnotes = f->nnotes, i, j;
	size_t n;

	n = ds_left(c);
	if (qlen != 0 && qlen < n)
		n = qlen;
	(void)ds_take(c, n, &v);
	q = ds_cur_make(v.p, v.len, NET_QUOTE_CLAIM);

	f->layer[icmp].quoted = true;
	ds_ip_dissect(f, &q);
	f->layer[icmp].quoted = false;

	for (i = j = nnotes; i < f->nnotes; i++)
		if (f->note[i].code != DS_N_TRUNCATED)
			f->note[j++] = f->note[i];
	f->nnotes = j;
	f->is_truncated = was_truncated;

	for (i = icmp + 1; i < f->nlayers; i++)
		if (icmp_quotes_ipsec(f, &f->layer[i])) {
			nnotes = f->nnotes;
			ds_frame_note(f, DS_N_ICMP_QUOTE);
			if (f->nnotes > nnotes)
				f->note[nnotes].layer = (uint8_t)icmp;
			break;
		}
}

static void
icmp_dissect(struct ds_frame *f, struct ds_cur *c, bool is_v6)
{
	struct ds_cur h = *c;
	struct ds_icmp ic;
	struct ds_layer *l;
	enum ds_err e;
	size_t qlen;

	if ((e = icmp_read(&h, &ic, is_v6, &qlen)) != DS_OK) {
		net_note_err(f, e);
		return;
	}
	l = ds_frame_push(f, is_v6 ? DS_P_ICMPV6 : DS_P_ICMP, c->p,
	    ds_left(c));
	if (l == NULL)
		return;
	l->u.icmp = ic;
	*c = h;
	/* One level of quote: an error inside a quote stays bytes. */
	if (!ic.is_error || l->quoted)
		net_data(f, c);
	else
		icmp_quote(f, f->nlayers - 1, c, qlen);
}

void
ds_icmp_dissect(struct ds_frame *f, struct ds_cur *c)
{
	icmp_dissect(f, c, false);
}

void
ds_icmpv6_dissect(struct ds_frame *f, struct ds_cur *c)
{
	icmp_dissect(f, c, true);
}
