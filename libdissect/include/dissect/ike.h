/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IKE beyond the fixed header: the facts a message carries that matter
 * across messages (proposals, nonces, KE, NAT detection, Child SA SPIs),
 * and the per-IKE-SA view the engine keeps from them.
 */
#ifndef DISSECT_IKE_H
#define DISSECT_IKE_H

#include "dissect/frame.h"

#define DS_IKE_MAX_TRANSFORMS	16
#define DS_IKE_MAX_PROPOSALS	8
#define DS_IKE_MAX_NATD		4
#define DS_IKE_MAX_NOTIFY	16
#define DS_IKE_MAX_SPIS		16
#define DS_IKE_MAX_IPCOMP	4

/*
 * A transform.  IKEv2: type 1-5 (and 6-12 for RFC 9370 additional key
 * exchanges), IANA ids.  IKEv1 phase 1: attributes mapped to the same
 * types where they have an equivalent (encryption -> 1, hash/prf -> 2,
 * auth method kept as `auth_method`, group -> 4); phase 2: the transform
 * id (ESP_AES...) as type 1, authentication algorithm attribute as 3.
 */
struct ds_ike_transform {
	uint8_t		 type;
	uint16_t	 id;
	uint16_t	 keylen;	/* bits, 0 when absent */
};

struct ds_ike_proposal {
	uint8_t		 num;
	uint8_t		 proto;		/* 1 IKE/ISAKMP, 2 AH, 3 ESP, 4 IPCOMP */
	uint8_t		 spi_len;
	uint8_t		 spi[8];
	uint8_t		 ntr;
	struct ds_ike_transform tr[DS_IKE_MAX_TRANSFORMS];
	uint16_t	 auth_method;	/* IKEv1 phase 1 only */
};

struct ds_ike_spi {
	uint8_t		 proto;		/* 2 AH, 3 ESP, 4 IPCOMP (CPI) */
	uint32_t	 spi;
};

/* An IPComp CPI and its transform (RFC 7296 3.10.1, RFC 2407 4.4.5). */
struct ds_ike_ipcomp {
	uint16_t	 cpi;
	uint8_t		 transform;	/* 2 DEFLATE, 3 LZS ... */
};

/*
 * What one message carries, filled by the payload decoders in the frame
 * arena.  Only payloads in cleartext are seen (an SK payload hides the
 * rest until keys exist).
 */
struct ds_ike_facts {
	struct ds_ike_proposal	 prop[DS_IKE_MAX_PROPOSALS];
	unsigned		 nprop;		/* from the first SA payload */
	bool			 has_sa;
	struct ds_view		 nonce;
	struct ds_view		 ke;
	uint16_t		 ke_group;
	/*
	 * NAT detection hashes: IKEv2 NAT_DETECTION_SOURCE_IP (16388) and
	 * _DESTINATION_IP (16389); IKEv1 NAT-D payloads, in order (RFC 3947
	 * 3.2: the first is the peer's (destination), then the sender's).
	 */
	struct ds_view		 natd[DS_IKE_MAX_NATD];
	bool			 natd_is_src[DS_IKE_MAX_NATD];
	unsigned		 nnatd;
	uint16_t		 notify[DS_IKE_MAX_NOTIFY];
	unsigned		 nnotify;
	struct ds_ike_spi	 deleted[DS_IKE_MAX_SPIS];
	unsigned		 ndeleted;
	bool			 has_sk;	/* SK (46) or SKF (53), or v1 E flag */
	bool			 is_fragment;	/* SKF, or an IKEv1 fragment */
	uint16_t		 frag_num, frag_total;	/* SKF; v1: last = total */
	/* IKEv2 REKEY_SA notifies (RFC 7296 3.10.1): the Child SA rekeyed */
	struct ds_ike_spi	 rekey[DS_IKE_MAX_SPIS];
	unsigned		 nrekey;
	/* IKEv2 IPCOMP_SUPPORTED notifies (RFC 7296 2.22, 3.10.1) */
	struct ds_ike_ipcomp	 ipcomp[DS_IKE_MAX_IPCOMP];
	unsigned		 nipcomp;
};

/* The per-IKE-SA view (ike/ike_sa.c), owned by the engine. */
#define DS_IKE_MAX_EXCH		32

struct ds_ike_exchange {
	uint8_t		 exch;
	uint32_t	 msgid;
	bool		 request_seen, response_seen;
	uint16_t	 retransmits;
	uint64_t	 first_frame;
	bool		 by_initiator;	/* the request is the IKE SA initiator's */
	uint32_t	 req_frags, resp_frags;	/* fragment numbers 1-32 seen */
};

enum ds_ike_nat {
	DS_IKE_NAT_UNKNOWN,	/* no NAT-D seen, or addresses unknown */
	DS_IKE_NAT_NONE,	/* both hashes matched */
	DS_IKE_NAT_DETECTED,	/* see the _behind flags */
};

struct ds_ike_sa {
	uint8_t			 version;	/* 1 or 2 */
	uint8_t			 ispi[8], rspi[8];
	struct ds_addr		 iaddr, raddr;	/* as first seen */
	uint16_t		 iport, rport;
	uint64_t		 first_frame, last_frame;
	uint64_t		 messages;
	uint64_t		 retransmits;
	struct ds_ike_exchange	 exch[DS_IKE_MAX_EXCH];
	unsigned		 nexch;
	unsigned		 exch_lost;	/* beyond DS_IKE_MAX_EXCH */
	struct ds_ike_proposal	 offered[DS_IKE_MAX_PROPOSALS];
	unsigned		 noffered;
	struct ds_ike_proposal	 chosen;
	bool			 has_chosen;
	struct ds_view		 ni, nr;	/* copies owned by the table */
	struct ds_view		 kei, ker;
	uint16_t		 ke_group;
	enum ds_ike_nat		 nat;
	bool			 initiator_behind_nat;
	bool			 responder_behind_nat;
	struct ds_ike_spi	 child_spis[DS_IKE_MAX_SPIS];
	unsigned		 nchild_spis;
	bool			 deleted;
	bool			 child_deleted[DS_IKE_MAX_SPIS];
	unsigned		 child_spis_lost;	/* beyond DS_IKE_MAX_SPIS */
	unsigned		 natd_checked;	/* NAT-D hashes recomputed */
	/* IPComp CPIs offered in cleartext, with their transforms */
	struct ds_ike_ipcomp	 ipcomp[DS_IKE_MAX_IPCOMP];
	unsigned		 nipcomp;
};

struct ds_ike_table;

unsigned		 ds_ike_table_count(const struct ds_ike_table *);
const struct ds_ike_sa	*ds_ike_table_get(const struct ds_ike_table *,
			    unsigned);
/* IKE SAs or stored bytes refused because the caps were reached. */
uint64_t		 ds_ike_table_dropped(const struct ds_ike_table *);

#endif
