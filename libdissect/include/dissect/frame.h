/* SPDX-License-Identifier: BSD-2-Clause */
/* A dissected frame: its layers, in order from the link up, and its notes. */
#ifndef DISSECT_FRAME_H
#define DISSECT_FRAME_H

#include "dissect/base.h"

#define DS_MAX_LAYERS	16	/* Suricata's default depth */
#define DS_MAX_NOTES	8
#define DS_MAX_V6EXT	8	/* extension headers recorded per IPv6 layer */
#define DS_IKE_CHAIN	24	/* IKE payload types recorded per message */

struct ds_field;
struct ds_ike_facts;

/* Layer protocols; the string is the JSON "proto" name. */
#define DS_PROTO_LIST(X)			\
	X(DS_P_ETH,	"eth")			\
	X(DS_P_VLAN,	"vlan")			\
	X(DS_P_SLL,	"sll")			\
	X(DS_P_SLL2,	"sll2")			\
	X(DS_P_NULL,	"null")			\
	X(DS_P_IPV4,	"ipv4")			\
	X(DS_P_IPV6,	"ipv6")			\
	X(DS_P_UDP,	"udp")			\
	X(DS_P_TCP,	"tcp")			\
	X(DS_P_ICMP,	"icmp")			\
	X(DS_P_ICMPV6,	"icmpv6")		\
	X(DS_P_NATT,	"natt")			\
	X(DS_P_ESP,	"esp")			\
	X(DS_P_AH,	"ah")			\
	X(DS_P_IPCOMP,	"ipcomp")		\
	X(DS_P_ISAKMP,	"isakmp")		\
	X(DS_P_IKEV2,	"ikev2")		\
	X(DS_P_DATA,	"data")

#define X(sym, str)	sym,
enum ds_proto { DS_PROTO_LIST(X) DS_P_COUNT_ };
#undef X
const char	*ds_proto_name(enum ds_proto);

struct ds_eth {
	uint8_t		 dst[6], src[6];
	uint16_t	 type;		/* EtherType after this header */
};

struct ds_vlan {			/* one 802.1Q / 802.1ad tag */
	uint16_t	 tpid;		/* 0x8100, 0x88a8, 0x9100 */
	uint16_t	 tci;		/* PCP(3) DEI(1) VID(12) */
	uint16_t	 type;		/* EtherType after the tag */
};

struct ds_sll {				/* Linux cooked v1 and v2 */
	uint16_t	 pkttype;
	uint16_t	 hatype;
	uint16_t	 halen;
	uint8_t		 addr[8];
	uint16_t	 proto;		/* EtherType */
	uint32_t	 ifindex;	/* SLL2 only */
};

struct ds_null {			/* BSD loopback */
	uint32_t	 family;	/* AF_ value of the capturing host */
};

struct ds_ipv4 {
	struct ds_addr	 src, dst;
	uint8_t		 hlen;		/* header bytes (IHL * 4) */
	uint8_t		 tos;
	uint8_t		 ttl;
	uint8_t		 proto;
	uint16_t	 totlen;
	uint16_t	 id;
	uint16_t	 frag;		/* flags (3) and offset (13) as on the wire */
	uint16_t	 cksum;
	bool		 is_fragment;	/* MF set or offset != 0 */
	bool		 is_reassembled; /* payload is the reassembled datagram */
	uint16_t	 nfrags;	/* fragments it was built from */
	struct ds_view	 reasm;		/* reassembled payload, in the arena */
};

struct ds_ipv6 {
	struct ds_addr	 src, dst;
	uint32_t	 vtc_flow;	/* version, traffic class, flow label */
	uint16_t	 plen;
	uint8_t		 nxt;		/* Next Header of the fixed header */
	uint8_t		 hlim;
	uint8_t		 proto;		/* upper-layer protocol after the chain */
	uint8_t		 next_count;	/* extension headers walked */
	uint8_t		 ext[DS_MAX_V6EXT];	/* their types, in order */
	uint16_t	 extlen;	/* bytes of extension headers */
	bool		 is_fragment;
	bool		 is_reassembled;
	uint16_t	 nfrags;
	uint32_t	 frag_id;	/* Fragment header, when present */
	uint16_t	 frag_off;	/* offset in bytes */
	bool		 frag_more;
	uint16_t	 unfrag;	/* extension bytes before the Fragment
					 * header (the unfragmentable part) */
	struct ds_view	 reasm;		/* reassembled fragmentable part, in
					 * the arena */
};

struct ds_udp {
	uint16_t	 sport, dport;
	uint16_t	 len;
	uint16_t	 cksum;
};

struct ds_tcp {
	uint16_t	 sport, dport;
	uint32_t	 seq, ack;
	uint8_t		 flags;
	uint8_t		 hlen;
};

struct ds_icmp {			/* ICMP and ICMPv6 */
	uint8_t		 type, code;
	bool		 is_error;	/* quotes an offending packet */
};

enum ds_natt_kind {
	DS_NATT_KEEPALIVE = 1,		/* RFC 3948 2.3: a single 0xFF */
	DS_NATT_NON_ESP_MARKER,		/* RFC 3948 2.2: four zero bytes */
};
struct ds_natt {
	uint8_t		 kind;		/* enum ds_natt_kind */
};

/* What became of an ESP or AH packet once keys were looked for. */
#define DS_SA_STATUS_LIST(X)						\
	X(DS_SAS_NOT_TRIED,	"not-tried")	/* no keyring given */	\
	X(DS_SAS_NO_SA,		"no-sa")				\
	X(DS_SAS_OK,		"ok")		/* verified, opened */	\
	X(DS_SAS_ICV_FAILED,	"icv-failed")				\
	X(DS_SAS_BAD_PADDING,	"bad-padding")				\
	X(DS_SAS_BAD_LENGTH,	"bad-length")	/* not this SA's shape */ \
	X(DS_SAS_TRUNCATED,	"truncated")	/* capture cut it */	\
	X(DS_SAS_UNSUPPORTED,	"unsupported")	/* algorithm missing */

#define X(sym, str)	sym,
enum ds_sa_status { DS_SA_STATUS_LIST(X) DS_SAS_COUNT_ };
#undef X
const char	*ds_sa_status_name(enum ds_sa_status);

struct ds_esp {
	uint32_t	 spi;
	uint32_t	 seq;
	uint32_t	 payload_len;	/* bytes after SPI and sequence */
	bool		 in_udp;	/* RFC 3948 UDP encapsulation */
	/* Filled when the engine has a keyring: */
	uint8_t		 status;	/* enum ds_sa_status */
	uint8_t		 icv;		/* enum ds_icv (keyring.h) */
	bool		 decrypted;	/* verified plaintext follows */
	bool		 is_replay;
	bool		 spi_only;	/* SA matched on the SPI alone */
	bool		 is_dummy;	/* RFC 4303 2.6: next header 59 */
	uint8_t		 nxt;		/* Next Header of the trailer */
	uint8_t		 pad_len;
	uint16_t	 iv_len, icv_len;
	uint16_t	 tfc_len;	/* RFC 4303 2.7: after the inner packet */
	uint32_t	 seq_hi;	/* ESN high half (esn true) */
	bool		 esn;
	uint32_t	 sa_id;		/* keyring's SA id, 0: none */
	const char	*sa_label;
	struct ds_view	 plain;		/* the protected packet, in the arena */
};

struct ds_ah {
	uint8_t		 nxt;
	uint8_t		 len;		/* RFC 4302 2.2: 32-bit words - 2 */
	uint16_t	 reserved;
	uint32_t	 spi;
	uint32_t	 seq;
	uint16_t	 icv_len;
	struct ds_view	 icv;
	/* Filled when the engine has a keyring: */
	uint8_t		 status;	/* enum ds_sa_status */
	uint8_t		 icv_verdict;	/* enum ds_icv */
	bool		 is_replay;
	bool		 spi_only;
	bool		 esn;
	uint32_t	 seq_hi;
	uint32_t	 sa_id;
	const char	*sa_label;
};

struct ds_ipcomp {
	uint8_t		 nxt;
	uint8_t		 flags;
	uint16_t	 cpi;
	uint32_t	 payload_len;
	bool		 inflated;	/* `plain` holds the decompressed payload */
	struct ds_view	 plain;		/* in the arena */
};

/* The fixed ISAKMP / IKE header (RFC 2408 3.1, RFC 7296 3.1). */
struct ds_ike {
	uint8_t		 ispi[8], rspi[8];
	uint8_t		 np;		/* first payload */
	uint8_t		 version;	/* major << 4 | minor */
	uint8_t		 exch;
	uint8_t		 flags;
	uint32_t	 msgid;
	uint32_t	 len;
	bool		 in_udp4500;	/* after a non-ESP marker */
	/* Filled by the payload decoders (ike/), in the frame arena: */
	uint8_t		 chain[DS_IKE_CHAIN];	/* payload types, in order */
	uint8_t		 nchain;
	bool		 chain_cut;	/* more payloads than chain[] holds */
	bool		 is_retransmit;	/* same message ID and direction again */
	struct ds_field	*payloads;	/* LIST of payload objects, or NULL */
	struct ds_ike_facts *facts;	/* or NULL */
};

struct ds_layer {
	enum ds_proto	 proto;
	uint8_t		 depth;		/* +1 each time we descend through decryption */
	bool		 quoted;	/* inside an ICMP error */
	struct ds_view	 bytes;		/* this layer's header and what follows */
	union {
		struct ds_eth	 eth;
		struct ds_vlan	 vlan;
		struct ds_sll	 sll;
		struct ds_null	 null;
		struct ds_ipv4	 ip4;
		struct ds_ipv6	 ip6;
		struct ds_udp	 udp;
		struct ds_tcp	 tcp;
		struct ds_icmp	 icmp;
		struct ds_natt	 natt;
		struct ds_esp	 esp;
		struct ds_ah	 ah;
		struct ds_ipcomp ipcomp;
		struct ds_ike	 ike;
	} u;
};

/*
 * Notes: anomalies found in a frame.  The class decides how the summary
 * counts the frame.  Add a line here and nowhere else.
 */
enum ds_note_class {
	DS_NC_INFO,
	DS_NC_TRUNC,		/* the capture ends early */
	DS_NC_MALFORMED,	/* the packet contradicts itself */
};

#define DS_NOTE_LIST(X)							\
	X(DS_N_TRUNCATED, TRUNC, "truncated",				\
	    "the capture ends inside this header")				\
	X(DS_N_MALFORMED, MALFORMED, "malformed",			\
	    "a length field points past its container")			\
	X(DS_N_TOO_DEEP, MALFORMED, "too-deep",				\
	    "more layers than the dissector keeps")			\
	X(DS_N_UNSUPPORTED_LINK, INFO, "unsupported-link",		\
	    "link type not dissected")					\
	X(DS_N_VLAN_STACK, MALFORMED, "vlan-stack",			\
	    "too many stacked VLAN tags")				\
	X(DS_N_IP_VERSION, MALFORMED, "ip-version",			\
	    "IP version does not match the link's type")		\
	X(DS_N_IPV4_HLEN, MALFORMED, "ipv4-hlen",			\
	    "IPv4 header length below 20 or past total length")		\
	X(DS_N_IPV4_TOTLEN, MALFORMED, "ipv4-totlen",			\
	    "IPv4 total length below the header or past the frame")	\
	X(DS_N_IPV4_OPTION, MALFORMED, "ipv4-option",			\
	    "IPv4 option with a bad length")				\
	X(DS_N_IPV6_PLEN, MALFORMED, "ipv6-plen",			\
	    "IPv6 payload length past the frame")			\
	X(DS_N_IPV6_JUMBO, INFO, "ipv6-jumbo",				\
	    "IPv6 jumbogram (payload length 0)")			\
	X(DS_N_IPV6_EXT_CHAIN, MALFORMED, "ipv6-ext-chain",		\
	    "IPv6 extension header chain runs past the packet")	\
	X(DS_N_FRAGMENT, INFO, "fragment",				\
	    "IP fragment held for reassembly")				\
	X(DS_N_REASSEMBLED, INFO, "reassembled",			\
	    "this fragment completed a datagram")			\
	X(DS_N_FRAG_OVERLAP, MALFORMED, "frag-overlap",			\
	    "fragment overlaps data already received with other bytes")	\
	X(DS_N_FRAG_BAD, MALFORMED, "frag-bad",				\
	    "fragment length or offset is invalid")			\
	X(DS_N_FRAG_DROPPED, INFO, "frag-dropped",			\
	    "fragment not kept: reassembly limits reached")		\
	X(DS_N_UDP_LEN, MALFORMED, "udp-len",				\
	    "UDP length below 8 or past the IP payload")		\
	X(DS_N_NATT_KEEPALIVE, INFO, "nat-keepalive",			\
	    "NAT-T keepalive (RFC 3948 2.3)")				\
	X(DS_N_ESP_SHORT, MALFORMED, "esp-short",			\
	    "ESP shorter than SPI and sequence number")			\
	X(DS_N_ESP_SPI_ZERO, MALFORMED, "esp-spi-zero",			\
	    "SPI 0 is reserved (RFC 4303 2.1)")				\
	X(DS_N_ESP_SPI_RESERVED, INFO, "esp-spi-reserved",		\
	    "SPI 1-255 is reserved by IANA (RFC 4303 2.1)")		\
	X(DS_N_AH_LEN, MALFORMED, "ah-len",				\
	    "AH payload length too small or past the packet")		\
	X(DS_N_AH_ALIGN, MALFORMED, "ah-align",				\
	    "AH not a multiple of 8 (IPv6) or 4 (IPv4) octets "	\
	    "(RFC 4302 3.3.3.2.1)")					\
	X(DS_N_IPCOMP_NESTED, MALFORMED, "ipcomp-nested",		\
	    "IPComp inside IPComp (RFC 3173 3.3)")			\
	X(DS_N_SA_NONE, INFO, "no-sa",					\
	    "no key for this SPI")					\
	X(DS_N_SA_SPI_ONLY, INFO, "sa-spi-only",			\
	    "SA found by SPI alone: its addresses differ")		\
	X(DS_N_ICV_FAILED, INFO, "icv-failed",				\
	    "ICV or AEAD tag does not verify: wrong key or damaged")	\
	X(DS_N_ESP_BAD_PADDING, INFO, "esp-bad-padding",		\
	    "ESP padding not 1,2,3,... or pad length past the payload "	\
	    "(RFC 4303 2.4)")						\
	X(DS_N_ESP_BAD_LENGTH, INFO, "esp-bad-length",			\
	    "ESP payload shorter than IV and ICV or not a multiple of "	\
	    "the cipher block")						\
	X(DS_N_ESP_DUMMY, INFO, "esp-dummy",				\
	    "ESP dummy packet, next header 59 (RFC 4303 2.6)")		\
	X(DS_N_ESP_TFC, INFO, "esp-tfc",				\
	    "TFC padding after the inner packet (RFC 4303 2.7)")	\
	X(DS_N_SA_REPLAY, INFO, "replay",				\
	    "sequence number already seen or left of the window")	\
	X(DS_N_ALG_UNSUPPORTED, INFO, "alg-unsupported",		\
	    "the SA's algorithm is not available here")		\
	X(DS_N_IPCOMP_INFLATE, MALFORMED, "ipcomp-inflate",		\
	    "IPComp payload does not decompress")			\
	X(DS_N_IPCOMP_CAP, INFO, "ipcomp-cap",				\
	    "IPComp output larger than the cap: not decompressed")	\
	X(DS_N_IPCOMP_UNKNOWN_CPI, INFO, "ipcomp-unknown-cpi",		\
	    "IPComp CPI with no known algorithm")			\
	X(DS_N_IPCOMP_GUESS, INFO, "ipcomp-guess",			\
	    "IPComp CPI not negotiated in sight: inflated as DEFLATE")	\
	X(DS_N_AH_ROUTING, INFO, "ah-routing",				\
	    "routing header type whose AH treatment is not known: "	\
	    "taken as received (RFC 4302 3.3.3.1.2.2)")			\
	X(DS_N_IKE_LEN, MALFORMED, "ike-len",				\
	    "IKE length below the header or past the UDP payload")	\
	X(DS_N_IKE_VERSION, INFO, "ike-version",			\
	    "unknown IKE major version")				\
	X(DS_N_IKE_PL_LEN, MALFORMED, "ike-payload-len",		\
	    "IKE payload length below 4 or past the message")		\
	X(DS_N_IKE_PL_SHORT, MALFORMED, "ike-payload-short",		\
	    "IKE payload body shorter than its fixed fields")		\
	X(DS_N_IKE_PL_TRAILING, MALFORMED, "ike-payload-trailing",	\
	    "bytes after the last IKE payload (next payload 0)")	\
	X(DS_N_IKE_PL_LOOP, MALFORMED, "ike-payload-loop",		\
	    "IKE payload chain too long or not advancing")		\
	X(DS_N_IKE_PL_CRITICAL, MALFORMED, "ike-payload-critical",	\
	    "unknown IKE payload with the critical bit (RFC 7296 2.5)")	\
	X(DS_N_IKE_PL_FIELD, MALFORMED, "ike-payload-field",		\
	    "IKE payload field contradicts its payload (count, length)")\
	X(DS_N_IKE_ATTR, MALFORMED, "ike-attribute",			\
	    "IKE attribute length past its container")			\
	X(DS_N_IKE_ENCRYPTED, INFO, "ike-encrypted",			\
	    "IKE payloads encrypted (no keys)")				\
	X(DS_N_IKE_RETRANSMIT, INFO, "ike-retransmit",			\
	    "IKE message retransmitted (same message ID and direction)")\
	X(DS_N_IKE_SA_CAP, INFO, "ike-sa-cap",				\
	    "IKE SA not tracked: table limits reached")			\
	X(DS_N_IKE_FRAGMENT, INFO, "ike-fragment",			\
	    "IKE fragment (RFC 7383 or IKEv1 fragmentation)")		\
	X(DS_N_IKE_REASSEMBLED, INFO, "ike-reassembled",		\
	    "this IKE fragment completed a message")			\
	X(DS_N_ICMP_QUOTE, INFO, "icmp-quote",				\
	    "ICMP error quoting an IPsec packet")			\
	X(DS_N_NOT_IPSEC, INFO, "not-ipsec",				\
	    "no IPsec or IKE layer")

#define X(sym, cls, name, text)	sym,
enum ds_note_code { DS_NOTE_LIST(X) DS_N_COUNT_ };
#undef X

struct ds_note {
	uint16_t	 code;		/* enum ds_note_code */
	uint8_t		 layer;		/* index in frame->layer, or 0xff */
	uint32_t	 off;		/* byte offset within that layer */
};

const char		*ds_note_name(enum ds_note_code);
const char		*ds_note_text(enum ds_note_code);
enum ds_note_class	 ds_note_class(enum ds_note_code);

/* How a frame is counted in the summary: every frame gets exactly one. */
enum ds_frame_class {
	DS_FC_IPSEC,		/* carries ESP, AH, IPComp, IKE or NAT-T */
	DS_FC_OTHER,		/* dissected, not IPsec */
	DS_FC_FRAGMENT,		/* fragment held or left incomplete */
	DS_FC_UNSUPP_LINK,	/* link type we do not dissect */
	DS_FC_UNDECODED,	/* too short or broken below IP */
	DS_FC_COUNT_
};

struct ds_arena;
struct ds_engine;

struct ds_frame {
	uint64_t	 index;		/* 1-based position in the capture */
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
	uint32_t	 caplen, wirelen;
	int		 linktype;	/* LINKTYPE_ value */
	uint32_t	 ifindex;	/* pcapng interface, 0 otherwise */
	const uint8_t	*data;
	struct ds_layer	 layer[DS_MAX_LAYERS];
	unsigned	 nlayers;
	struct ds_note	 note[DS_MAX_NOTES];
	unsigned	 nnotes;
	unsigned	 notes_lost;	/* notes past DS_MAX_NOTES */
	bool		 is_truncated;
	bool		 is_malformed;
	uint8_t		 fclass;	/* enum ds_frame_class */
	uint8_t		 depth;		/* of the layers pushed now: one
					 * more inside ESP plaintext */
	struct ds_engine *eng;
	struct ds_arena	*arena;
};

/*
 * Appends a layer and returns it, or NULL (noting DS_N_TOO_DEEP) when the
 * frame is full.  The union is zeroed; the layer's depth is the frame's
 * and `quoted` is the layer below's.
 */
struct ds_layer	*ds_frame_push(struct ds_frame *, enum ds_proto,
		    const uint8_t *p, size_t len);
/* Records a note against the current top layer. */
void		 ds_frame_note(struct ds_frame *, enum ds_note_code);
/* Records DS_N_TRUNCATED or DS_N_MALFORMED for a failed cursor. */
void		 ds_frame_note_err(struct ds_frame *, enum ds_err);
/* The last layer with this protocol, or NULL. */
struct ds_layer	*ds_frame_find(struct ds_frame *, enum ds_proto);
const struct ds_layer *ds_frame_find_const(const struct ds_frame *,
		    enum ds_proto);
bool		 ds_frame_has_note(const struct ds_frame *, enum ds_note_code);

#endif
