/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The contract between the engine and the protocol dissectors.
 *
 * Each protocol has a pure parser, `ds_X_parse(struct ds_cur *, struct
 * ds_X *)`, which reads one header and returns DS_OK, DS_ETRUNC or
 * DS_EMALFORMED (leaving the cursor where it was on failure), and a
 * dissector, `ds_X_dissect(struct ds_frame *, struct ds_cur *)`, which
 * pushes the layer, records notes and hands the payload to the next
 * dissector.  Dissectors never fail: what they cannot read becomes a note.
 */
#ifndef DISSECT_DISSECT_H
#define DISSECT_DISSECT_H

#include "dissect/cur.h"
#include "dissect/engine.h"
#include "dissect/frame.h"
#include "dissect/keyring.h"

/* LINKTYPE_ values (tcpdump.org/linktypes.html) that we dissect. */
#define DS_LINKTYPE_NULL	0
#define DS_LINKTYPE_ETHERNET	1
#define DS_LINKTYPE_RAW		101
#define DS_LINKTYPE_LOOP	108
#define DS_LINKTYPE_LINUX_SLL	113
#define DS_LINKTYPE_IPV4	228
#define DS_LINKTYPE_IPV6	229
#define DS_LINKTYPE_LINUX_SLL2	276
/* DLT_RAW as some platforms number it in pcap files */
#define DS_LINKTYPE_RAW_12	12
#define DS_LINKTYPE_RAW_14	14

#define DS_ETHERTYPE_IPV4	0x0800
#define DS_ETHERTYPE_IPV6	0x86dd
#define DS_ETHERTYPE_VLAN	0x8100
#define DS_ETHERTYPE_QINQ	0x88a8
#define DS_ETHERTYPE_QINQ_OLD	0x9100

#define DS_IPPROTO_HOPOPTS	0
#define DS_IPPROTO_ICMP		1
#define DS_IPPROTO_IPIP		4
#define DS_IPPROTO_TCP		6
#define DS_IPPROTO_UDP		17
#define DS_IPPROTO_IPV6		41
#define DS_IPPROTO_ROUTING	43
#define DS_IPPROTO_FRAGMENT	44
#define DS_IPPROTO_ESP		50
#define DS_IPPROTO_AH		51
#define DS_IPPROTO_ICMPV6	58
#define DS_IPPROTO_NONE		59
#define DS_IPPROTO_DSTOPTS	60
#define DS_IPPROTO_MH		135
#define DS_IPPROTO_HIP		139
#define DS_IPPROTO_SHIM6	140
#define DS_IPPROTO_COMP		108

/* The engine's entry: dispatches on frame->linktype. */
void	ds_link_dissect(struct ds_frame *, struct ds_cur *);

/* Dispatch tables (core/dispatch.c). */
void	ds_ethertype_dispatch(struct ds_frame *, uint16_t, struct ds_cur *);
void	ds_ipproto_dispatch(struct ds_frame *, uint8_t, struct ds_cur *);
/* Bytes nobody dissects: a "data" layer when anything is left. */
void	ds_data_dissect(struct ds_frame *, struct ds_cur *);

/* capture/link.c */
/* One 802.1Q/802.1ad tag; `tpid` is the EtherType that announced it. */
void	ds_vlan_dissect(struct ds_frame *, struct ds_cur *, uint16_t tpid);
enum ds_err	ds_eth_parse(struct ds_cur *, struct ds_eth *) DS_MUST_CHECK;
enum ds_err	ds_vlan_parse(struct ds_cur *, struct ds_vlan *) DS_MUST_CHECK;
enum ds_err	ds_sll_parse(struct ds_cur *, struct ds_sll *) DS_MUST_CHECK;
enum ds_err	ds_sll2_parse(struct ds_cur *, struct ds_sll *) DS_MUST_CHECK;
enum ds_err	ds_null_parse(struct ds_cur *, struct ds_null *, bool is_be)
		    DS_MUST_CHECK;

/* net/ */
void	ds_ipv4_dissect(struct ds_frame *, struct ds_cur *);
void	ds_ipv6_dissect(struct ds_frame *, struct ds_cur *);
/* Dissects by the version nibble (raw IP links, IP-in-IP). */
void	ds_ip_dissect(struct ds_frame *, struct ds_cur *);
/* An IPv6 extension header met outside the chain walk (after AH). */
void	ds_ipv6_ext_dissect(struct ds_frame *, struct ds_cur *);
void	ds_udp_dissect(struct ds_frame *, struct ds_cur *);
void	ds_tcp_dissect(struct ds_frame *, struct ds_cur *);
void	ds_icmp_dissect(struct ds_frame *, struct ds_cur *);
void	ds_icmpv6_dissect(struct ds_frame *, struct ds_cur *);
enum ds_err	ds_ipv4_parse(struct ds_cur *, struct ds_ipv4 *) DS_MUST_CHECK;
enum ds_err	ds_ipv6_parse(struct ds_cur *, struct ds_ipv6 *) DS_MUST_CHECK;
enum ds_err	ds_udp_parse(struct ds_cur *, struct ds_udp *) DS_MUST_CHECK;

/* net/ipfrag.c: the engine owns one table for IPv4 and IPv6. */
struct ds_ipfrag;
struct ds_ipfrag *ds_ipfrag_new(const struct ds_engine_cfg *);
void	ds_ipfrag_free(struct ds_ipfrag *);
/* End of capture: everything pending is counted as DS_FRAG_EV_END. */
void	ds_ipfrag_finish(struct ds_ipfrag *, struct ds_stats *);

/* ipsec/ */
void	ds_natt_dissect(struct ds_frame *, struct ds_cur *);	/* UDP 4500 */
void	ds_esp_dissect(struct ds_frame *, struct ds_cur *);
void	ds_ah_dissect(struct ds_frame *, struct ds_cur *);
void	ds_ipcomp_dissect(struct ds_frame *, struct ds_cur *);
enum ds_err	ds_esp_parse(struct ds_cur *, struct ds_esp *) DS_MUST_CHECK;
enum ds_err	ds_ah_parse(struct ds_cur *, struct ds_ah *) DS_MUST_CHECK;
enum ds_err	ds_ipcomp_parse(struct ds_cur *, struct ds_ipcomp *)
		    DS_MUST_CHECK;

/* ike/ */
void	ds_ike_dissect(struct ds_frame *, struct ds_cur *);	/* UDP 500 */
enum ds_err	ds_ike_parse(struct ds_cur *, struct ds_ike *) DS_MUST_CHECK;

/* ike/ike_sa.c: the engine owns one table of IKE SAs. */
struct ds_ike_table *ds_ike_table_new(const struct ds_engine_cfg *);
void	ds_ike_table_free(struct ds_ike_table *);
/*
 * Called by the IKE dissector once a message's payloads are decoded: updates
 * the IKE SA it belongs to (and may set layer->u.ike.is_retransmit).
 */
void	ds_ike_sa_observe(struct ds_frame *, struct ds_layer *);
struct ds_ike_table *ds_engine_ike(struct ds_engine *);
/*
 * The IPComp transform (RFC 2407 4.4.5 ids: 2 DEFLATE, 3 LZS) an IKE
 * exchange seen in cleartext gave this negotiated CPI, or 0.
 */
unsigned	ds_ike_ipcomp_transform(struct ds_frame *, uint16_t cpi);

/* The keyring the engine was given, or NULL. */
const struct ds_keyring *ds_engine_keyring(const struct ds_engine *);
/*
 * Counts one ESP or AH packet in the per-SA rows of the summary (the
 * layer's fields must be final).  Rows past DS_MAX_SA_STATS are counted
 * in sa_rows_lost.
 */
void	ds_engine_count_sa(struct ds_engine *, const struct ds_layer *);

/* Engine internals a dissector may use. */
struct ds_stats	*ds_engine_stats_mut(struct ds_engine *);
struct ds_ipfrag *ds_engine_ipfrag(struct ds_engine *);
void		*ds_frame_alloc(struct ds_frame *, size_t);	/* frame arena */

#endif
