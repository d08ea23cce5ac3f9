/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dispatch by EtherType and IP protocol number.  Tables are const and
 * indexed by number: there is no run-time registration.
 */
#include "dissect/dissect.h"

typedef void (*dissect_fn)(struct ds_frame *, struct ds_cur *);

static const dissect_fn ipproto_tab[256] = {
	[DS_IPPROTO_ICMP]	= ds_icmp_dissect,
	[DS_IPPROTO_IPIP]	= ds_ipv4_dissect,
	[DS_IPPROTO_TCP]	= ds_tcp_dissect,
	[DS_IPPROTO_UDP]	= ds_udp_dissect,
	[DS_IPPROTO_IPV6]	= ds_ipv6_dissect,
	[DS_IPPROTO_ESP]	= ds_esp_dissect,
	[DS_IPPROTO_AH]		= ds_ah_dissect,
	[DS_IPPROTO_ICMPV6]	= ds_icmpv6_dissect,
	[DS_IPPROTO_COMP]	= ds_ipcomp_dissect,
	/* IPv6 extension headers met after AH (RFC 4302 3.1.1) */
	[DS_IPPROTO_HOPOPTS]	= ds_ipv6_ext_dissect,
	[DS_IPPROTO_ROUTING]	= ds_ipv6_ext_dissect,
	[DS_IPPROTO_DSTOPTS]	= ds_ipv6_ext_dissect,
};

void
ds_ipproto_dispatch(struct ds_frame *f, uint8_t proto, struct ds_cur *c)
{
	if (ipproto_tab[proto] != NULL)
		ipproto_tab[proto](f, c);
	else if (proto != DS_IPPROTO_NONE)
		ds_data_dissect(f, c);
}

void
ds_ethertype_dispatch(struct ds_frame *f, uint16_t type, struct ds_cur *c)
{
	switch (type) {
	case DS_ETHERTYPE_IPV4:
		ds_ipv4_dissect(f, c);
		break;
	case DS_ETHERTYPE_IPV6:
		ds_ipv6_dissect(f, c);
		break;
	case DS_ETHERTYPE_VLAN:
	case DS_ETHERTYPE_QINQ:
	case DS_ETHERTYPE_QINQ_OLD:
		ds_vlan_dissect(f, c, type);
		break;
	default:
		ds_data_dissect(f, c);
		break;
	}
}

void
ds_data_dissect(struct ds_frame *f, struct ds_cur *c)
{
	struct ds_view v;

	if (!ds_ok(c) || c->rep == 0)
		return;
	v = ds_rest(c);
	(void)ds_frame_push(f, DS_P_DATA, v.p, v.len);
}
