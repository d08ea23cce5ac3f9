/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keyring: how the ESP and AH dissectors reach SA keys without knowing
 * where they come from.  libdissect never includes keys/; a keystore (or a
 * test) fills these three functions and hands the table to the engine
 * through ds_engine_cfg.keyring.
 *
 * The keyring owns everything that spans packets of an SA: the cipher
 * contexts, the sequence history that infers the ESN high-order bits
 * (RFC 4303 Appendix A) and the replay window.  The dissectors own the
 * framing: which bytes are SPI, sequence, payload and ICV, the ESP trailer
 * checks and the AH mutable-field zeroing.
 */
#ifndef DISSECT_KEYRING_H
#define DISSECT_KEYRING_H

#include "dissect/base.h"

#define DS_IPPROTO_ESP		50
#define DS_IPPROTO_AH		51

/* An ICV verdict, as the JSON "icv" member spells it. */
enum ds_icv {
	DS_ICV_NONE = 0,	/* the SA has no integrity (NULL auth) */
	DS_ICV_UNCHECKED,	/* an ICV is there, its key is not known */
	DS_ICV_GOOD,
	DS_ICV_BAD,
};
const char	*ds_icv_name(enum ds_icv);	/* "none" "unchecked" ... */

/* What the keyring says of the SA a packet belongs to. */
struct ds_sa_ref {
	const void	*sa;		/* the keyring's own; opaque here */
	uint32_t	 id;		/* 1-based, stable for the run */
	const char	*label;		/* for output; never NULL */
	bool		 spi_only;	/* matched on the SPI alone */
	bool		 esn;		/* 64-bit sequence numbers */
	uint16_t	 icv_len;	/* octets of ICV at the packet's end */
};

/*
 * One packet to open.  The caller fills the request half; the keyring the
 * result half, whatever it returns.
 *
 * ESP (proto 50): `data` is everything after SPI and sequence number up to
 * the end the IP header claims (IV, ciphertext, ICV).  On DS_OK, `plain` is
 * the decrypted Payload Data, Padding, Pad Length and Next Header, in
 * `out`, which holds at least data.len octets.
 *
 * AH (proto 51): `data` is the whole IP datagram the ICV covers, with the
 * mutable fields and the ICV already zeroed by the dissector (RFC 4302
 * 3.3.3.1); `icv` is the whole ICV field as received, which may be longer
 * than the SA's ICV (RFC 4302 3.3.3.2.1 padding: the ICV is its first
 * icv_len octets) and, under AES-GMAC, holds the IV before the tag (RFC
 * 4543 3).  The dissector has checked that it holds at least the
 * lookup's icv_len octets.  `out` is unused.
 */
struct ds_sa_open {
	uint8_t		 proto;		/* DS_IPPROTO_ESP or DS_IPPROTO_AH */
	uint32_t	 spi;
	uint32_t	 seq;		/* low 32 bits, as on the wire */
	struct ds_view	 data;
	struct ds_view	 icv;		/* AH only */
	uint8_t		*out;
	size_t		 outcap;
	/* Result: */
	struct ds_view	 plain;		/* ESP: in out */
	uint32_t	 seq_hi;	/* ESN: the high half used */
	uint8_t		 verdict;	/* enum ds_icv */
	bool		 is_replay;	/* seen before or left of the window */
	uint16_t	 iv_len;	/* ESP: octets of IV skipped */
	/*
	 * The SA that opened it: the ref's, or, when the ref came from a
	 * lookup of an SPI no SA has, the key found by trial (then bound to
	 * the SPI for later lookups).  0 and NULL when none did.
	 */
	uint32_t	 sa_id;
	const char	*sa_label;
};

struct ds_ike_facts;

struct ds_keyring {
	void	*ctx;
	/*
	 * Finds the SA for (proto, spi) and the packet's addresses: exact
	 * addresses first, then wildcards and prefixes, then the SPI alone
	 * (out->spi_only set).  False when there is none.
	 */
	bool	(*lookup)(void *ctx, uint8_t proto, uint32_t spi,
		    const struct ds_addr *src, const struct ds_addr *dst,
		    struct ds_sa_ref *out);
	/*
	 * Verifies and (ESP) decrypts.  DS_OK: the ICV or tag is good (or
	 * there is none, or it cannot be checked: see req->verdict).  DS_EAUTH:
	 * the ICV or tag is wrong, nothing is decrypted.  DS_EMALFORMED: the
	 * payload cannot be this SA's (shorter than IV and ICV, not a
	 * multiple of the block).  DS_EUNSUPP: the algorithm is not
	 * available (legacy provider missing).  The sequence history advances
	 * only on DS_OK (RFC 4303 3.4.3: after the ICV is verified).
	 */
	enum ds_err	(*open)(void *ctx, const struct ds_sa_ref *,
		    struct ds_sa_open *req);
	/*
	 * An IKE message was decoded (may be NULL): lets a keystore learn
	 * SPIs, nonces and proposals from the capture.
	 */
	void	(*learn)(void *ctx, const struct ds_ike_facts *);
};

#endif
