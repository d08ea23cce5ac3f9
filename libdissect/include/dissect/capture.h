/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capture sources: pcap and pcapng files (or standard input) read by our own
 * readers, live interfaces through libpcap, and BPF filters compiled by
 * libpcap for both.
 */
#ifndef DISSECT_CAPTURE_H
#define DISSECT_CAPTURE_H

#include <stdio.h>

#include "dissect/engine.h"

struct ds_source;

/* Opens a pcap or pcapng file, "-" for standard input. */
struct ds_source *ds_source_open_file(const char *path, struct ds_errinfo *);

struct ds_live_opts {
	int		 snaplen;	/* 0: 262144 */
	bool		 promisc;
	bool		 immediate;
};
/*
 * Opens a live interface.  An unknown name fails with a message that lists
 * the interfaces there are.  On success ei->msg is empty, or holds a
 * warning from libpcap worth showing (e.g. promiscuous mode unsupported).
 */
struct ds_source *ds_source_open_live(const char *ifname,
		    const struct ds_live_opts *, struct ds_errinfo *);

/*
 * Applies a BPF filter (tcpdump syntax) to every packet that follows;
 * packets that do not match are skipped.  NULL removes the filter.  An
 * expression that does not compile is DS_EUSAGE.
 */
DS_MUST_CHECK enum ds_err
		 ds_source_set_filter(struct ds_source *, const char *expr,
		    struct ds_errinfo *);

/*
 * Reads the next packet into *pkt (valid until the next call).  Returns 1
 * for a packet, 0 at the end, -1 on an error described in *ei (a truncated
 * last record, a read error, a corrupt block); packets before it were good.
 */
int		 ds_source_next(struct ds_source *, struct ds_pkt *,
		    struct ds_errinfo *);

/* Async-signal-safe: makes ds_source_next() return 0 soon. */
void		 ds_source_break(struct ds_source *);

/* "pcap", "pcapng" or "live". */
const char	*ds_source_kind(const struct ds_source *);
/* Packets the kernel dropped (live), when known. */
bool		 ds_source_drops(struct ds_source *, uint64_t *recv,
		    uint64_t *drop);
void		 ds_source_close(struct ds_source *);

/* Writes the names of the capture interfaces, comma-separated. */
void		 ds_source_list_ifaces(char *buf, size_t len);

#endif
