/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to capture/: the source object shared by the file readers
 * (file.c) and live capture (live.c), and the BPF filters compiled by
 * libpcap that both apply.
 */
#ifndef CAPTURE_CAPTURE_INT_H
#define CAPTURE_CAPTURE_INT_H

#include <signal.h>

#include "dissect/capture.h"

enum ds_src_kind {
	DS_SRC_PCAP,
	DS_SRC_PCAPNG,
	DS_SRC_LIVE,
};

struct ds_file;
struct ds_live;

struct ds_source {
	enum ds_src_kind	 kind;
	volatile sig_atomic_t	 stop;	/* set by ds_source_break() */
	struct ds_file		*file;	/* DS_SRC_PCAP, DS_SRC_PCAPNG */
	struct ds_live		*live;	/* DS_SRC_LIVE */
};

/* live.c: the ds_source_* calls for a live source land here. */
int		 ds_live_next(struct ds_live *, struct ds_pkt *,
		    volatile sig_atomic_t *stop, struct ds_errinfo *);
enum ds_err	 ds_live_set_filter(struct ds_live *, const char *expr,
		    struct ds_errinfo *);
void		 ds_live_break(struct ds_live *);
bool		 ds_live_drops(struct ds_live *, uint64_t *recv,
		    uint64_t *drop);
void		 ds_live_close(struct ds_live *);

/*
 * A filter for packets read from files: one expression, compiled by
 * libpcap once per link type met (pcapng interfaces may differ) and run
 * with pcap_offline_filter().
 */
struct ds_filter;

/* Compiles expr for linktype (a LINKTYPE_ value) to check it: DS_EUSAGE. */
struct ds_filter *ds_filter_new(const char *expr, int linktype,
		    struct ds_errinfo *);
void		 ds_filter_free(struct ds_filter *);
/* 1: the packet matches; 0: it does not; -1: no program for its link type. */
int		 ds_filter_match(struct ds_filter *, const struct ds_pkt *,
		    struct ds_errinfo *);

/* LINKTYPE_ (files) and DLT_ (this platform's libpcap) differ for a few. */
int		 ds_linktype_to_dlt(int linktype);
int		 ds_dlt_to_linktype(int dlt);

#endif
