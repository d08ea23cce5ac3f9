/* SPDX-License-Identifier: BSD-2-Clause */
/* Sinks: where dissected frames go (text lines, JSON lines, pcapng). */
#ifndef DISSECT_SINK_H
#define DISSECT_SINK_H

#include <stdio.h>

#include "dissect/engine.h"

struct ds_sink_opts {
	int		 verbose;	/* -v count */
	bool		 all_frames;	/* print non-IPsec frames too */
	bool		 utc;		/* timestamps in UTC, not local time */
	bool		 numbers;	/* frame numbers first (tcpdump -#) */
	bool		 flush_each;	/* write each frame at once (live) */
	FILE		*summary;	/* where the text summary goes */
	/* pcapng export (-w): */
	bool		 export_keep_all;	/* other frames unchanged */
	bool		 export_ether;	/* Ethernet header kept */
	const char	*export_appl;	/* shb_userappl; NULL: none */
};

struct ds_sink_ops {
	const char	*name;
	enum ds_err	(*open)(void **st, FILE *out,
			    const struct ds_sink_opts *);
	enum ds_err	(*frame)(void *st, const struct ds_frame *);
	/*
	 * Writes the summary (when stats is not NULL), with the capture's
	 * error if reading stopped early, and frees the state.
	 */
	enum ds_err	(*close)(void *st, const struct ds_stats *,
			    const char *capture_error);
};

extern const struct ds_sink_ops ds_sink_text;
extern const struct ds_sink_ops ds_sink_json;
/* Decrypted packets as pcapng (dissect/pcapng.h); a line in the summary. */
extern const struct ds_sink_ops ds_sink_pcapng;

/* Does the sink print this frame by default? */
bool	ds_frame_is_shown(const struct ds_frame *, const struct ds_sink_opts *);

#endif
