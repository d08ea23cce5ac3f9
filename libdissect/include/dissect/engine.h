/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The dissection engine: takes captured packets one at a time, turns each
 * into a struct ds_frame, and keeps the state that spans frames (fragment
 * tables) and the counters of the summary.
 */
#ifndef DISSECT_ENGINE_H
#define DISSECT_ENGINE_H

#include "dissect/frame.h"

#define DS_MAX_PORTS		8
#define DS_MAX_SA_STATS		4096	/* (proto, SPI, SA) rows in the summary */
#define DS_MAX_LINKTYPES	8	/* unsupported link types listed by value */

struct ds_engine_cfg {
	uint16_t	 ike_ports[DS_MAX_PORTS];	/* UDP: IKE (default 500) */
	unsigned	 n_ike_ports;
	uint16_t	 natt_ports[DS_MAX_PORTS];	/* UDP: RFC 3948 (4500) */
	unsigned	 n_natt_ports;
	size_t		 frag_mem_max;		/* bytes held for reassembly */
	unsigned	 frag_max_pending;	/* datagrams being reassembled */
	uint32_t	 frag_timeout_sec;	/* in capture time */
	size_t		 frag_max_datagram;	/* largest datagram built */
	unsigned	 ike_max_sas;		/* IKE SAs tracked */
	size_t		 ike_mem_max;		/* bytes of nonces/KE kept */
	const struct ds_keyring *keyring;	/* NULL: nothing is decrypted */
	size_t		 ipcomp_max_out;	/* decompressed bytes per packet */
};

struct ds_keyring;

void		 ds_engine_cfg_default(struct ds_engine_cfg *);

/* One captured packet, as a capture source hands it over. */
struct ds_pkt {
	const uint8_t	*data;
	uint32_t	 caplen, wirelen;
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
	int		 linktype;	/* LINKTYPE_ value */
	uint32_t	 ifindex;
};

/* Why a datagram under reassembly was given up. */
enum ds_frag_evict {
	DS_FRAG_EV_TIMEOUT,	/* no fragment within frag_timeout_sec */
	DS_FRAG_EV_MEMORY,	/* frag_mem_max reached */
	DS_FRAG_EV_PENDING,	/* frag_max_pending reached */
	DS_FRAG_EV_END,		/* still incomplete at the end of the capture */
	DS_FRAG_EV_COUNT_
};

/* One row per (protocol, SPI, SA) seen in ESP or AH headers. */
struct ds_sa_stat {
	uint8_t		 proto;		/* DS_IPPROTO_ESP or DS_IPPROTO_AH */
	uint32_t	 spi;
	uint32_t	 sa_id;		/* 0: no SA */
	const char	*label;		/* the keyring's, or NULL */
	uint64_t	 frames;
	uint64_t	 status[DS_SAS_COUNT_];	/* by enum ds_sa_status */
	uint64_t	 icv[4];		/* by enum ds_icv, packets of a
						 * known SA (sa_id != 0) */
	uint64_t	 replayed;
	bool		 esn;
	uint64_t	 seq_max;		/* highest (ESN: 64-bit) seen */
};

struct ds_stats {
	uint64_t	 frames;
	uint64_t	 bytes;			/* captured bytes */
	uint64_t	 fclass[DS_FC_COUNT_];	/* partition of frames */
	uint64_t	 proto[DS_P_COUNT_];	/* frames with the layer, unquoted */
	uint64_t	 esp_in_udp;		/* frames with UDP-encapsulated ESP */
	uint64_t	 ike_non_esp_marker;	/* IKE after a non-ESP marker */
	uint64_t	 nat_keepalive;
	uint64_t	 icmp_quoting_ipsec;	/* ICMP errors quoting ESP/AH/IKE */
	uint64_t	 truncated;		/* frames with a truncation note */
	uint64_t	 malformed;		/* frames with a malformed note */
	uint64_t	 unsupp_link_type[DS_MAX_LINKTYPES];
	uint64_t	 unsupp_link_count[DS_MAX_LINKTYPES];
	unsigned	 n_unsupp_link;
	uint64_t	 frag_fragments;	/* IP fragments seen */
	uint64_t	 frag_reassembled;	/* datagrams completed */
	uint64_t	 frag_overlap;		/* fragments overlapping wrongly */
	uint64_t	 frag_dropped;		/* fragments not kept (limits, bad) */
	uint64_t	 frag_evicted[DS_FRAG_EV_COUNT_];	/* datagrams */
	uint64_t	 frag_evicted_frags;	/* fragments in those datagrams */
	const struct ds_ike_table *ike;		/* per-IKE-SA view (ike.h) */
	const struct ds_sa_stat *sa;		/* per-SA rows, first seen first */
	unsigned	 n_sa;
	uint64_t	 sa_rows_lost;		/* packets of SPIs past the cap */
	uint64_t	 esp_decrypted;		/* frames with verified plaintext */
	bool		 has_keyring;		/* the engine has one */
	uint64_t	 ipcomp_inflated;
};

struct ds_engine;
struct ds_ike_table;

struct ds_engine *ds_engine_new(const struct ds_engine_cfg *);
void		 ds_engine_free(struct ds_engine *);

/*
 * Dissects one packet.  The frame, and every view in it, stays valid until
 * the next call or ds_engine_free(); the packet's bytes must too.
 */
const struct ds_frame *ds_engine_dissect(struct ds_engine *,
		    const struct ds_pkt *);
/* The capture ended: datagrams still in reassembly are counted as lost. */
void		 ds_engine_finish(struct ds_engine *);
const struct ds_stats *ds_engine_stats(const struct ds_engine *);
const struct ds_engine_cfg *ds_engine_cfg(const struct ds_engine *);

bool		 ds_engine_is_ike_port(const struct ds_engine *, uint16_t);
bool		 ds_engine_is_natt_port(const struct ds_engine *, uint16_t);

#endif
