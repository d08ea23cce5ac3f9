/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the IKE header dissector and the payload decoders. */
#ifndef DISSECT_IKE_INT_H
#define DISSECT_IKE_INT_H

#include "dissect/dissect.h"
#include "dissect/ike.h"
#include "dissect/tree.h"

/*
 * Decode the payload chain of a message whose header is in `l`; `c` covers
 * the payloads (bounded by the header's Length, or by the datagram when the
 * Length lies).  They fill l->u.ike.chain, payloads and facts, and note
 * what is malformed; they never fail.
 */
void	ds_ikev2_payloads(struct ds_frame *, struct ds_layer *, struct ds_cur *);
void	ds_isakmp_payloads(struct ds_frame *, struct ds_layer *,
	    struct ds_cur *);

/*
 * ike/vendor.c: the name of a known Vendor ID (IKEv1 and IKEv2), or NULL.
 * Matches whole IDs and known prefixes (versioned IDs).
 */
const char *ds_ike_vendor_name(struct ds_view);

/*
 * ike/ike_frag.c: reassembly of IKEv1 cleartext fragments (Cisco/strongSwan
 * IKE fragmentation payload 132), owned by the engine.
 */
struct ds_ike_frag;
struct ds_ike_frag *ds_ike_frag_new(const struct ds_engine_cfg *);
void	ds_ike_frag_free(struct ds_ike_frag *);
struct ds_ike_frag *ds_engine_ike_frag(struct ds_engine *);

#endif
