/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared between the network and transport dissectors: quote awareness
 * (ICMP errors), the fragment table's entry point, and the parsers that
 * dissect.h does not list.
 */
#ifndef DISSECT_NET_NET_H
#define DISSECT_NET_NET_H

#include "dissect/dissect.h"

/*
 * The claim given to a quoted packet (RFC 792, RFC 4443 2.4 (c)): an ICMP
 * error quotes as much of the offending packet as fits, so its lengths are
 * believed and only what was quoted is "captured".  Larger than any IPv4
 * total length or IPv6 payload length, jumbograms aside.
 */
#define NET_QUOTE_CLAIM	((size_t)-1 / 2)

/*
 * True when the next layer pushed is part of an ICMP error's quote.  The
 * ICMP dissector marks its own layer quoted while it dissects the quote,
 * so ds_frame_push() hands the flag to every layer pushed above it; see
 * icmp.c.
 */
static inline bool
net_in_quote(const struct ds_frame *f)
{
	return f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;
}

/*
 * ds_frame_note_err() for the network layers: a quote is cut short by
 * design, so truncation inside one is not noted, and a frame already known
 * to be truncated is not told so twice.
 */
static inline void
net_note_err(struct ds_frame *f, enum ds_err e)
{
	if (e == DS_ETRUNC && (net_in_quote(f) || f->is_truncated))
		return;
	ds_frame_note_err(f, e);
}

/* Notes that the captured bytes end before what the header claims. */
static inline void
net_note_cut(struct ds_frame *f, const struct ds_cur *c)
{
	if (c->cap < c->rep)
		net_note_err(f, DS_ETRUNC);
}

/* The payload as data; nothing for an empty remainder of a quote. */
static inline void
net_data(struct ds_frame *f, struct ds_cur *c)
{
	if (ds_left(c) == 0 && net_in_quote(f))
		return;
	ds_data_dissect(f, c);
}

/* One fragment handed to the reassembly table (ipfrag.c). */
struct net_frag {
	uint8_t		 family;	/* DS_AF_INET or DS_AF_INET6 */
	uint8_t		 proto;		/* IPv4 protocol; 0 for IPv6 */
	uint8_t		 nxt;		/* IPv6: Next Header of the Fragment
					 * header; IPv4: the protocol */
	uint32_t	 id;		/* 16-bit (IPv4) or 32-bit (IPv6) */
	const struct ds_addr *src, *dst;
	uint32_t	 off;		/* offset of the payload in bytes */
	bool		 more;		/* MF / M flag */
	uint32_t	 max_end;	/* largest valid off + len */
};

/* A completed datagram: its fragmentable part, in the frame arena. */
struct net_frag_done {
	struct ds_view	 data;
	uint16_t	 nfrags;
	uint8_t		 nxt;		/* from the first fragment */
};

enum net_frag_res {
	NET_FRAG_HELD,		/* kept; the datagram is not complete */
	NET_FRAG_REFUSED,	/* not kept (bad, limits, truncated) */
	NET_FRAG_DONE,		/* this fragment completed the datagram */
};

/*
 * Adds the fragment whose payload is `pay` (its claim is the fragment's
 * length) to the engine's table.  Notes on the frame and counts in the
 * engine's statistics; on NET_FRAG_DONE fills `out`.  The caller has pushed
 * the IP layer and notes DS_N_REASSEMBLED itself.  A refused fragment
 * leaves `pay` where it was: it will never be part of a datagram, so a
 * first fragment's payload may still be dissected (as tshark and tcpdump
 * do).
 */
enum net_frag_res net_frag_add(struct ds_frame *, const struct net_frag *,
		    struct ds_cur *pay, struct net_frag_done *out);

/* Parsers the dissectors use and the tests check. */
enum ds_err	ds_tcp_parse(struct ds_cur *, struct ds_tcp *) DS_MUST_CHECK;
enum ds_err	ds_icmp_parse(struct ds_cur *, struct ds_icmp *, bool is_v6)
		    DS_MUST_CHECK;

#endif
