/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Link layers: Ethernet with 802.1Q/802.1ad tags, Linux cooked (SLL and
 * SLL2), raw IP, and BSD loopback (NULL and LOOP); the engine enters here
 * and the payload goes on by EtherType, address family or IP version.
 *
 * RFC 894 and RFC 2464 3 (IP over Ethernet), RFC 7042 3 (EtherTypes start
 * at 0x0600; below is an IEEE 802.3 length), IEEE 802.1Q 9.6 (tags), and
 * tcpdump.org/linktypes.html for the capture headers.
 */
#include "dissect/dissect.h"

#define ETH_HDR_LEN	14
#define ETH_MIN_TYPE	0x0600	/* RFC 7042 3: below, a length */
#define VLAN_MAX_TAGS	8	/* deeper stacks are noted, not walked */
#define ARPHRD_NETLINK	824	/* SLL: protocol is a netlink family */

/* BSD address families of the capturing host (NULL and LOOP links). */
#define BSD_AF_INET		2
#define LINUX_AF_INET6		10
#define BSD_AF_INET6_BSD	24	/* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD	28
#define BSD_AF_INET6_DARWIN	30

/*
 * Ethernet II / IEEE 802.3 MAC header:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      Destination Address                      |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |                        Source Address                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     EtherType or Length       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum ds_err
ds_eth_parse(struct ds_cur *c, struct ds_eth *out)
{
	struct ds_cur t = *c;
	struct ds_eth e;

	(void)ds_copy(&t, e.dst, sizeof e.dst);
	(void)ds_copy(&t, e.src, sizeof e.src);
	e.type = ds_be16(&t);
	if (!ds_ok(&t))
		return t.err;
	*out = e;
	*c = t;
	return DS_OK;
}

/*
 * 802.1Q / 802.1ad tag after its TPID (IEEE 802.1Q 9.6); the TPID itself
 * was read as the EtherType before it, so `tpid` is left to the caller:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | PCP |D|         VLAN ID       |           EtherType           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum ds_err
ds_vlan_parse(struct ds_cur *c, struct ds_vlan *out)
{
	struct ds_cur t = *c;
	uint16_t tci, type;

	tci = ds_be16(&t);
	type = ds_be16(&t);
	if (!ds_ok(&t))
		return t.err;
	out->tci = tci;
	out->type = type;
	*c = t;
	return DS_OK;
}

/*
 * Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 16 bytes):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Packet Type          |        ARPHRD_ Type           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Link-layer Address Length    |                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *   |              Link-layer Address (8 bytes, padded)             |
 *   +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                               |        Protocol Type          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum ds_err
ds_sll_parse(struct ds_cur *c, struct ds_sll *out)
{
	struct ds_cur t = *c;
	struct ds_sll s;

	s.pkttype = ds_be16(&t);
	s.hatype = ds_be16(&t);
	s.halen = ds_be16(&t);
	(void)ds_copy(&t, s.addr, sizeof s.addr);
	s.proto = ds_be16(&t);
	s.ifindex = 0;
	if (!ds_ok(&t))
		return t.err;
	*out = s;
	*c = t;
	return DS_OK;
}

/*
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 20 bytes):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Protocol Type         |           Reserved            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Interface Index                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          ARPHRD_ Type         |  Packet Type  | Address Length|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              Link-layer Address (8 bytes, padded)             |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum ds_err
ds_sll2_parse(struct ds_cur *c, struct ds_sll *out)
{
	struct ds_cur t = *c;
	struct ds_sll s;

	s.proto = ds_be16(&t);
	(void)ds_skip(&t, 2);
	s.ifindex = ds_be32(&t);
	s.hatype = ds_be16(&t);
	s.pkttype = ds_u8(&t);
	s.halen = ds_u8(&t);
	(void)ds_copy(&t, s.addr, sizeof s.addr);
	if (!ds_ok(&t))
		return t.err;
	*out = s;
	*c = t;
	return DS_OK;
}

/*
 * BSD loopback (LINKTYPE_NULL: the capturing host's byte order;
 * LINKTYPE_LOOP: network byte order):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                   Address Family (AF_ value)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
enum ds_err
ds_null_parse(struct ds_cur *c, struct ds_null *out, bool is_be)
{
	struct ds_cur t = *c;
	uint32_t family;

	family = is_be ? ds_be32(&t) : ds_le32(&t);
	if (!ds_ok(&t))
		return t.err;
	out->family = family;
	*c = t;
	return DS_OK;
}

/* RFC 7042 3: an IEEE 802.3 length; LLC data and padding follow. */
static void
llc_dissect(struct ds_frame *f, struct ds_cur *c, uint16_t len)
{
	if (!ds_limit(c, len)) {
		ds_frame_note(f, DS_N_MALFORMED);
		return;
	}
	if (ds_left(c) < c->rep)
		ds_frame_note(f, DS_N_TRUNCATED);
	ds_data_dissect(f, c);
}

static void
eth_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_cur start = *c;
	struct ds_layer *l;
	struct ds_eth eth;
	enum ds_err e;

	if ((e = ds_eth_parse(c, &eth)) != DS_OK) {
		ds_frame_note_err(f, e);
		return;
	}
	if ((l = ds_frame_push(f, DS_P_ETH, start.p, start.cap)) == NULL)
		return;
	l->u.eth = eth;
	if (eth.type >= ETH_MIN_TYPE)
		ds_ethertype_dispatch(f, eth.type, c);
	else
		llc_dissect(f, c, eth.type);
}

void
ds_vlan_dissect(struct ds_frame *f, struct ds_cur *c, uint16_t tpid)
{
	struct ds_cur start = *c;
	struct ds_layer *l;
	struct ds_vlan tag;
	unsigned i, depth = 0;
	enum ds_err e;

	for (i = f->nlayers; i-- > 0 && f->layer[i].proto == DS_P_VLAN;)
		depth++;
	/* IEEE 802.1Q allows stacking; past a few tags it is an attack */
	if (depth >= VLAN_MAX_TAGS) {
		ds_frame_note(f, DS_N_VLAN_STACK);
		return;
	}
	if ((e = ds_vlan_parse(c, &tag)) != DS_OK) {
		ds_frame_note_err(f, e);
		return;
	}
	if ((l = ds_frame_push(f, DS_P_VLAN, start.p, start.cap)) == NULL)
		return;
	tag.tpid = tpid;
	l->u.vlan = tag;
	if (tag.type >= ETH_MIN_TYPE)
		ds_ethertype_dispatch(f, tag.type, c);
	else
		llc_dissect(f, c, tag.type);
}

static void
sll_dissect(struct ds_frame *f, struct ds_cur *c, bool is_v2)
{
	struct ds_cur start = *c;
	struct ds_layer *l;
	struct ds_sll sll;
	enum ds_err e;

	e = is_v2 ? ds_sll2_parse(c, &sll) : ds_sll_parse(c, &sll);
	if (e != DS_OK) {
		ds_frame_note_err(f, e);
		return;
	}
	l = ds_frame_push(f, is_v2 ? DS_P_SLL2 : DS_P_SLL, start.p,
	    start.cap);
	if (l == NULL)
		return;
	l->u.sll = sll;
	/* below 0x0600 the field names an 802.2/802.3 framing, not IP */
	if (sll.hatype == ARPHRD_NETLINK || sll.proto < ETH_MIN_TYPE)
		ds_data_dissect(f, c);
	else
		ds_ethertype_dispatch(f, sll.proto, c);
}

static bool
af_is_known(uint32_t af)
{
	switch (af) {
	case BSD_AF_INET:
	case LINUX_AF_INET6:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		return true;
	default:
		return false;
	}
}

static void
null_dissect(struct ds_frame *f, struct ds_cur *c, bool is_loop)
{
	struct ds_cur start = *c, t;
	struct ds_layer *l;
	struct ds_null nl;
	uint32_t le, be_v;
	enum ds_err e;
	bool be = true;

	if (!is_loop) {
		/* the capturing host's order: the reading that names an AF */
		t = *c;
		le = ds_le32(&t);
		t = *c;
		be_v = ds_be32(&t);
		be = af_is_known(be_v) || (!af_is_known(le) && le > 0xffff);
	}
	if ((e = ds_null_parse(c, &nl, be)) != DS_OK) {
		ds_frame_note_err(f, e);
		return;
	}
	if ((l = ds_frame_push(f, DS_P_NULL, start.p, start.cap)) == NULL)
		return;
	l->u.null = nl;
	switch (nl.family) {
	case BSD_AF_INET:
		ds_ipv4_dissect(f, c);
		break;
	case LINUX_AF_INET6:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		ds_ipv6_dissect(f, c);
		break;
	default:
		ds_data_dissect(f, c);
		break;
	}
}

/* LINKTYPE_IPV4 / IPV6: one version only; the packet's nibble decides. */
static void
raw_version_dissect(struct ds_frame *f, struct ds_cur *c, unsigned want)
{
	struct ds_cur t = *c;
	uint8_t v;

	v = ds_u8(&t);
	if (!ds_ok(&t)) {
		ds_frame_note_err(f, t.err);
		return;
	}
	/* the other IP version is noted here; any other by ds_ip_dissect() */
	if (v >> 4 != want && (v >> 4 == 4 || v >> 4 == 6))
		ds_frame_note(f, DS_N_IP_VERSION);
	ds_ip_dissect(f, c);
}

void
ds_link_dissect(struct ds_frame *f, struct ds_cur *c)
{
	switch (f->linktype) {
	case DS_LINKTYPE_ETHERNET:
		eth_dissect(f, c);
		break;
	case DS_LINKTYPE_LINUX_SLL:
		sll_dissect(f, c, false);
		break;
	case DS_LINKTYPE_LINUX_SLL2:
		sll_dissect(f, c, true);
		break;
	case DS_LINKTYPE_RAW:
	case DS_LINKTYPE_RAW_12:
	case DS_LINKTYPE_RAW_14:
		ds_ip_dissect(f, c);
		break;
	case DS_LINKTYPE_IPV4:
		raw_version_dissect(f, c, 4);
		break;
	case DS_LINKTYPE_IPV6:
		raw_version_dissect(f, c, 6);
		break;
	case DS_LINKTYPE_NULL:
		null_dissect(f, c, false);
		break;
	case DS_LINKTYPE_LOOP:
		null_dissect(f, c, true);
		break;
	default:
		ds_frame_note(f, DS_N_UNSUPPORTED_LINK);
		break;
	}
}
