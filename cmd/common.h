/* SPDX-License-Identifier: BSD-2-Clause */
/* What the tools share: options, the read-dissect-print loop, exit codes. */
#ifndef CMD_COMMON_H
#define CMD_COMMON_H

#include "dissect/capture.h"
#include "dissect/engine.h"
#include "dissect/sink.h"
#include "keys/keys.h"

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
	const char		**key_files;	/* -K, in order */
	size_t			 n_key_files;
	bool			 show_keys;	/* --show-keys */
	const char		*write_file;	/* -w, "-": standard output */
	bool			 print;		/* --print, with -w */
	struct ks_store		*store;		/* when -K was given */
	struct ds_keyring	 keyring;	/* eng.keyring points here */
};

/*
 * Parses the command line; prints usage and returns -1 on a bad one, 1 when
 * the tool should exit 0 at once (--help, --version), 0 to run.
 */
int	cmd_parse(int argc, char *argv[], const char *usage_extra,
	    struct cmd_opts *);
/* Frees what cmd_parse() and cmd_run() kept; the keystore wipes its keys. */
void	cmd_opts_fini(struct cmd_opts *);

/*
 * Reads the capture, dissects every frame and hands it to the sink.
 * Returns the tool's exit code; messages go to stderr.
 */
int	cmd_run(struct cmd_opts *);

/* -K, for ipsec-dump and ipsec-keys alike. */
#define CMD_KEYS_SHOW	0x1	/* the keys in hex, else only their lengths */
#define CMD_KEYS_JSON	0x2	/* a JSON object per SA instead of a line */
#define CMD_KEYS_QUOTE	0x4	/* a label with blanks quoted, as key files
				 * write it */

/* An empty keystore whose loaders' warnings go to stderr after prog. */
struct ks_store	*cmd_keys_new(const char *prog);
/* Loads a key file (any format of docs/keys.md); false after saying why. */
bool	cmd_keys_load(struct ks_store *, const char *prog, const char *path);
/* One line or JSON object per SA of the store; lines after "prog: ". */
void	cmd_keys_list(FILE *, const char *prog, const struct ks_store *,
	    unsigned flags);

#endif
