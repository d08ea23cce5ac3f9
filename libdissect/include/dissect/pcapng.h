/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writing pcapng (draft-ietf-opsawg-pcapng sections 3, 4.1, 4.2, 4.3), and
 * the export of decrypted packets built on it: for each frame, the
 * innermost packet that ESP, AH or IPComp protected, with the IPsec
 * headers removed.
 */
#ifndef DISSECT_PCAPNG_H
#define DISSECT_PCAPNG_H

#include <stdio.h>

#include "dissect/frame.h"

/* ---- the writer (sink/pcapng.c) --------------------------------------- */

struct ds_pcapng_writer;

/*
 * Starts a section on `out` (Section Header Block, host byte order, with
 * shb_userappl naming `appl` when not NULL).  NULL when out of memory or
 * the first write fails.
 */
struct ds_pcapng_writer *ds_pcapng_writer_new(FILE *out, const char *appl);
/* Flushes nothing more; the stream stays open.  NULL is a no-op. */
void		 ds_pcapng_writer_free(struct ds_pcapng_writer *);

/*
 * Interface Description Block with if_tsresol 9 (nanoseconds); *id is the
 * interface's number in the section.  snaplen 0: no limit.
 */
DS_MUST_CHECK enum ds_err
		 ds_pcapng_writer_iface(struct ds_pcapng_writer *, int linktype,
		    uint32_t snaplen, uint32_t *id);
/*
 * Enhanced Packet Block: `caplen` bytes of `p`, timestamp in nanoseconds
 * since 1970, an opt_comment when `comment` is neither NULL nor empty.
 * DS_EIO when a write fails (sticky: later calls fail too).
 */
DS_MUST_CHECK enum ds_err
		 ds_pcapng_writer_packet(struct ds_pcapng_writer *,
		    uint32_t ifid, uint64_t ts_ns, const uint8_t *p,
		    uint32_t caplen, uint32_t origlen, const char *comment);
/* fflush(); DS_EIO when this or an earlier write failed. */
DS_MUST_CHECK enum ds_err
		 ds_pcapng_writer_flush(struct ds_pcapng_writer *);

/* ---- what the export writes for a frame (sink/export.c) -------------- */

enum ds_export_kind {
	DS_EXPORT_SKIP,		/* nothing is written */
	DS_EXPORT_DECRYPTED,	/* the unwrapped packet */
	DS_EXPORT_UNCHANGED,	/* --keep-all: the frame as captured */
};

#define DS_EXPORT_COMMENT	1024
/* Link header, IP header and extension headers, then the payload. */
#define DS_EXPORT_BUF		(256u * 1024u)

struct ds_export_opts {
	bool		 keep_all;	/* write the other frames unchanged */
	bool		 ether;		/* the frame's Ethernet header kept */
};

struct ds_export_pkt {
	enum ds_export_kind kind;
	int		 linktype;	/* LINKTYPE_ value */
	const uint8_t	*p;		/* buf, frame bytes or plaintext */
	uint32_t	 len, origlen;
	uint64_t	 ts_ns;
	char		 comment[DS_EXPORT_COMMENT];	/* "" : none */
};

/*
 * Decides what a frame becomes: `buf` (DS_EXPORT_BUF bytes) receives a
 * rebuilt packet; an inner packet that needs no header in front is
 * pointed at in the frame's plaintext, valid as long as the frame.  A
 * frame with an ESP layer that was not opened (status other than ok, or
 * not decrypted) is never DS_EXPORT_DECRYPTED.
 */
void		 ds_export_packet(const struct ds_frame *,
		    const struct ds_export_opts *, uint8_t *buf,
		    struct ds_export_pkt *);

#endif
