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
 * ike/ikev2.c: the generic payload header (RFC 7296 3.2).  On success the
 * cursor is past the payload and `body` covers what follows the header;
 * on failure (DS_ETRUNC, DS_EMALFORMED: a length below 4 or past the
 * message) the cursor is unmoved.
 */
struct ds_ikev2_gen {
	uint8_t		 np;		/* next payload */
	uint8_t		 flags;		/* critical bit and reserved */
	uint16_t	 len;		/* header included */
};
enum ds_err	ds_ikev2_gen_parse(struct ds_cur *, struct ds_ikev2_gen *,
		    struct ds_cur *body) DS_MUST_CHECK;

/* ike/ikev2_names.c: "SA", "KE", "Notify"... for a payload type, or NULL. */
const char *ds_ikev2_payload_name(uint8_t);

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
/*
 * Offers one fragment of the message whose header is `h`: DS_OK with
 * `msg` set to the whole message (header included, in the frame arena)
 * when this fragment completes it; DS_EFRAG while it is held (or was held
 * before: a retransmission); DS_EMALFORMED when it contradicts the
 * fragments held (number 0, a second last fragment); DS_ENOMEM when the
 * caps refuse it.
 */
enum ds_err	ds_ike_frag_add(struct ds_ike_frag *, struct ds_frame *,
		    const struct ds_ike *h, uint16_t id, uint8_t num, bool last,
		    struct ds_view data, struct ds_view *msg);
/* Fragments and messages dropped by the caps or the timeout. */
uint64_t	ds_ike_frag_dropped(const struct ds_ike_frag *);

/* ike/isakmp_v1.c: "SA", "KE", "Notify"... for an ISAKMP payload type. */
const char *ds_isakmp_payload_name(uint8_t);

/*
 * ike/ike_dec.c: what the IKEv1 and IKEv2 payload decoders share.  Each
 * decoder's state starts with this.
 */
struct ike_dec {
	struct ds_frame		*f;
	struct ds_ike_facts	*facts;
	bool			 quoted;	/* inside an ICMP error */
	bool			 noted;		/* the decoder noted a fault */
};

/* A problem noted once per frame: the notes are few. */
void	ike_dec_note(struct ike_dec *, enum ds_note_code);
/* A truncation, unless the frame is known to be cut or is a quote. */
void	ike_dec_trunc(struct ike_dec *);
/* A failed cursor: cut by the capture, or `code` when it contradicts. */
void	ike_dec_fail(struct ike_dec *, const struct ds_cur *,
	    enum ds_note_code);
/* A number, and its name when it has one ("x" and "x_name"). */
void	ike_dec_named(struct ike_dec *, struct ds_field *, const char *key,
	    const char *namekey, uint64_t, const char *name);
#define IKE_NAMED(d, o, key, v, name)					\
	ike_dec_named((d), (o), key, key "_name", (v), (name))
/* The captured rest of a cursor; true when that is all it claims. */
bool	ike_dec_rest(struct ds_cur *, struct ds_view *);
/* A DER Name as one line in the frame arena; false when it is not one. */
bool	ike_dec_dn(struct ike_dec *, struct ds_field *, const char *key,
	    struct ds_view);
/* An address of `n` octets (4 or 16) read through the cursor. */
bool	ike_dec_addr(struct ike_dec *, struct ds_cur *, struct ds_field *,
	    const char *key, size_t n);
/* An SPI of `n` octets: a number when it fits in 64 bits, else bytes. */
bool	ike_dec_spi(struct ike_dec *, struct ds_cur *, struct ds_field *,
	    const char *key, size_t n, struct ds_view *out);
struct X509_name_st;
const char *ike_dec_x509_name(struct ike_dec *, const struct X509_name_st *);

#endif
