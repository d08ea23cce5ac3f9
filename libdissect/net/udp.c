/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * UDP: the header and its length, then IKE, NAT-T or plain data by port.
 * RFC 768; RFC 2675 4 (length 0 in jumbograms); RFC 7296 2 and RFC 3948 2
 * (the ports IKE and UDP-encapsulated ESP use).
 */
#include "net/net.h"

#define UDP_HDR_LEN	8
#define UDP_MAX_LEN	65535
#define PORT_IKE	500		/* defaults, when no engine is set */
#define PORT_NATT	4500

/*
 * RFC 768:
 *
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |     Source      |   Destination   |
 *   |      Port       |      Port       |
 *   +--------+--------+--------+--------+
 *   |                 |                 |
 *   |     Length      |    Checksum     |
 *   +--------+--------+--------+--------+
 *   |          data octets ...
 *   +---------------- ...
 */
static enum ds_err
udp_fixed(struct ds_cur *h, struct ds_udp *u)
{
	if (!ds_need(h, UDP_HDR_LEN))
		return h->err;
	u->sport = ds_be16(h);
	u->dport = ds_be16(h);
	u->len = ds_be16(h);
	u->cksum = ds_be16(h);
	return DS_OK;
}

/* RFC 2675 4: length 0 when the datagram does not fit 16 bits. */
static bool
udp_len_ok(const struct ds_udp *u, size_t claim)
{
	if (u->len == 0)
		return claim > UDP_MAX_LEN;
	/* RFC 768: Length counts the header and the data */
	return u->len >= UDP_HDR_LEN && u->len <= claim;
}

enum ds_err
ds_udp_parse(struct ds_cur *c, struct ds_udp *out)
{
	struct ds_cur h = *c;
	struct ds_udp u;
	enum ds_err e;

	if ((e = udp_fixed(&h, &u)) != DS_OK)
		return e;
	if (!udp_len_ok(&u, c->rep))
		return DS_EMALFORMED;
	if (u.len != 0)
		(void)ds_limit(&h, (size_t)u.len - UDP_HDR_LEN);
	*out = u;
	*c = h;
	return DS_OK;
}

static bool
is_ike(const struct ds_frame *f, uint16_t port)
{
	if (f->eng == NULL)
		return port == PORT_IKE;
	return ds_engine_is_ike_port(f->eng, port);
}

static bool
is_natt(const struct ds_frame *f, uint16_t port)
{
	if (f->eng == NULL)
		return port == PORT_NATT;
	return ds_engine_is_natt_port(f->eng, port);
}

/*
 * In a first fragment (dissected inside an ICMP quote, or when it cannot
 * be reassembled) Length counts the whole datagram (RFC 791 3.2).
 */
static bool
udp_in_fragment(const struct ds_frame *f)
{
	const struct ds_layer *ip;

	if (f->nlayers == 0)
		return false;
	ip = &f->layer[f->nlayers - 1];
	if (ip->proto == DS_P_IPV4)
		return ip->u.ip4.is_fragment && !ip->u.ip4.is_reassembled;
	if (ip->proto == DS_P_IPV6)
		return ip->u.ip6.is_fragment && !ip->u.ip6.is_reassembled;
	return false;
}

void
ds_udp_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur h = *c;
	struct ds_udp u;
	struct ds_layer *l;
	bool len_ok;
	enum ds_err e;

	if ((e = udp_fixed(&h, &u)) != DS_OK) {
		net_note_err(f, e);
		return;
	}
	/* A Length shorter than the IP payload bounds the datagram; a
	 * longer or impossible one is noted and the IP payload used. */
	if ((len_ok = udp_len_ok(&u, c->rep)) && u.len != 0)
		(void)ds_limit(c, u.len);
	else if (udp_in_fragment(f) && u.len >= UDP_HDR_LEN)
		len_ok = true;
	if ((l = ds_frame_push(f, DS_P_UDP, c->p, ds_left(c))) == NULL)
		return;
	l->u.udp = u;
	if (!len_ok)
		ds_frame_note(f, DS_N_UDP_LEN);
	(void)ds_skip(c, UDP_HDR_LEN);
	/* The destination port names the service when both ports do. */
	if (is_ike(f, u.dport))
		ds_ike_dissect(f, c);
	else if (is_natt(f, u.dport))
		ds_natt_dissect(f, c);
	else if (is_ike(f, u.sport))
		ds_ike_dissect(f, c);
	else if (is_natt(f, u.sport))
		ds_natt_dissect(f, c);
	else
		net_data(f, c);
}
