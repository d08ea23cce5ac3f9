/* SPDX-License-Identifier: BSD-2-Clause */
/* What the tools share: options, the read-dissect-print loop, exit codes. */
#ifndef CMD_COMMON_H
#define CMD_COMMON_H

#include "dissect/capture.h"
#include "dissect/engine.h"
#include "dissect/sink.h"

#define CMD_EXIT_OK		0
#define CMD_EXIT_FINDINGS	1	/* ran, but the input was damaged */
#define CMD_EXIT_USAGE		2	/* bad usage or unreadable input */

struct cmd_opts {
	const char		*prog;
	const char		*read_file;	/* -r */
	const char		*iface;		/* -i */
	struct ds_live_opts	 live;		/* -s, -p */
	uint64_t		 count;		/* -c, 0: no limit */
	char			*filter;	/* trailing arguments, joined */
	bool			 json;
	struct ds_sink_opts	 sink;		/* -v, --all, -#, --utc */
	struct ds_engine_cfg	 eng;		/* --ike-port, --natt-port, --frag-* */
	bool			 list_ifaces;	/* -D */
};

/*
 * Parses the command line; prints usage and returns -1 on a bad one, 1 when
 * the tool should exit 0 at once (--help, --version), 0 to run.
 */
int	cmd_parse(int argc, char *argv[], const char *usage_extra,
	    struct cmd_opts *);
void	cmd_opts_fini(struct cmd_opts *);

/*
 * Reads the capture, dissects every frame and hands it to the sink.
 * Returns the tool's exit code; messages go to stderr.
 */
int	cmd_run(struct cmd_opts *);

#endif
