/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared command-line handling and the capture loop of the tools. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "dissect/buf.h"
#include "common.h"

#ifndef IPSEC_VERSION
#define IPSEC_VERSION	"0.1"
#endif

enum {
	OPT_JSON = 256, OPT_ALL, OPT_IKE_PORT, OPT_NATT_PORT, OPT_UTC,
	OPT_FRAG_TIMEOUT, OPT_FRAG_MEM, OPT_FRAG_MAX, OPT_VERSION,
	OPT_NO_IMMEDIATE, OPT_SHOW_KEYS, OPT_PRINT, OPT_KEEP_ALL,
	OPT_EXPORT_LINK,
};

static const struct option longopts[] = {
	{ "read",		required_argument, NULL, 'r' },
	{ "interface",		required_argument, NULL, 'i' },
	{ "snaplen",		required_argument, NULL, 's' },
	{ "count",		required_argument, NULL, 'c' },
	{ "no-promiscuous-mode", no_argument,	   NULL, 'p' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "number",		no_argument,	   NULL, '#' },
	{ "list-interfaces",	no_argument,	   NULL, 'D' },
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "all",		no_argument,	   NULL, OPT_ALL },
	{ "utc",		no_argument,	   NULL, OPT_UTC },
	{ "ike-port",		required_argument, NULL, OPT_IKE_PORT },
	{ "natt-port",		required_argument, NULL, OPT_NATT_PORT },
	{ "frag-timeout",	required_argument, NULL, OPT_FRAG_TIMEOUT },
	{ "frag-mem",		required_argument, NULL, OPT_FRAG_MEM },
	{ "frag-max",		required_argument, NULL, OPT_FRAG_MAX },
	{ "no-immediate",	no_argument,	   NULL, OPT_NO_IMMEDIATE },
	{ "keys",		required_argument, NULL, 'K' },
	{ "show-keys",		no_argument,	   NULL, OPT_SHOW_KEYS },
	{ "write",		required_argument, NULL, 'w' },
	{ "print",		no_argument,	   NULL, OPT_PRINT },
	{ "keep-all",		no_argument,	   NULL, OPT_KEEP_ALL },
	{ "export-link",	required_argument, NULL, OPT_EXPORT_LINK },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *o, const char *prog, const char *extra)
{
	fprintf(o,
"usage: %s [-nvD#] [-r file | -i iface] [-c count] [-s snaplen] [-p]\n"
"       [-K keyfile ...] [--show-keys] [-w out.pcapng [--print]\n"
"       [--keep-all] [--export-link raw|ether]]\n"
"       [--json] [--all] [--utc] [--ike-port N] [--natt-port N]\n"
"       [--frag-timeout S] [--frag-mem BYTES] [--frag-max N] [filter ...]\n"
"  -r FILE         read a pcap or pcapng file (- for standard input)\n"
"  -i IFACE        capture live on IFACE (-D lists interfaces)\n"
"  -c COUNT        stop after COUNT frames\n"
"  -s SNAPLEN      live capture: bytes to keep per packet (default 262144)\n"
"  -p              live capture: do not put the interface in promiscuous mode\n"
"  -K FILE         load SA keys from FILE (repeatable; docs/keys.md)\n"
"  --show-keys     list the loaded SAs with their keys on stderr\n"
"  -w FILE         write decrypted packets as pcapng (- for standard output);\n"
"                  frames are then not printed\n"
"  --print         with -w: print the frames too\n"
"  --keep-all      with -w: write the other frames unchanged\n"
"  --export-link raw|ether\n"
"                  with -w: raw IP (default), or the frame's Ethernet header\n"
"  -v              a line per layer with every field\n"
"  -#              print frame numbers\n"
"  -n              accepted for tcpdump habits (names are never resolved)\n"
"  --json          one JSON object per frame, then a summary (docs/json.md)\n"
"  --all           print non-IPsec frames too\n"
"  --utc           timestamps in UTC instead of local time\n"
"  --ike-port N    also treat UDP port N as IKE (repeatable; default 500)\n"
"  --natt-port N   also treat UDP port N as NAT-T (repeatable; default 4500)\n"
"  --frag-timeout S, --frag-mem BYTES, --frag-max N\n"
"                  IP reassembly limits (capture time, bytes, datagrams)\n"
"  filter          a BPF expression, as in tcpdump\n"
"%s", prog, extra != NULL ? extra : "");
}

static bool
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

static bool
add_port(uint16_t *ports, unsigned *n, const char *arg)
{
	uint64_t v;

	if (!parse_u64(arg, 65535, &v) || v == 0 || *n >= DS_MAX_PORTS)
		return false;
	ports[(*n)++] = (uint16_t)v;
	return true;
}

static bool
add_key_file(struct cmd_opts *o, const char *path)
{
	const char **grown;

	grown = realloc(o->key_files, (o->n_key_files + 1) * sizeof *grown);
	if (grown == NULL)
		return false;
	o->key_files = grown;
	o->key_files[o->n_key_files++] = path;
	return true;
}

/* Joins the trailing arguments into one filter string, as tcpdump does. */
static char *
join_args(int argc, char *argv[])
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((s = calloc(1, len)) == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int	parse_args(int, char *[], const char *, struct cmd_opts *);

int
cmd_parse(int argc, char *argv[], const char *usage_extra, struct cmd_opts *o)
{
	int rc;

	if ((rc = parse_args(argc, argv, usage_extra, o)) != 0)
		cmd_opts_fini(o);
	return rc;
}

static int
parse_args(int argc, char *argv[], const char *usage_extra,
    struct cmd_opts *o)
{
	bool ike_set = false, natt_set = false;
	const char *bad = NULL;
	uint64_t v;
	int ch;

	memset(o, 0, sizeof *o);
	o->prog = argv[0] != NULL ? strrchr(argv[0], '/') : NULL;
	o->prog = o->prog != NULL ? o->prog + 1 : (argv[0] ? argv[0] : "?");
	o->live.promisc = true;
	o->live.immediate = true;
	o->sink.summary = stderr;
	ds_engine_cfg_default(&o->eng);

	opterr = 0;	/* our messages name the tool, not its path */
	while ((ch = getopt_long(argc, argv, ":r:i:s:c:pv#nDhK:w:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			o->read_file = optarg;
			break;
		case 'i':
			o->iface = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, INT_MAX, &v))
				bad = "-s needs a snap length";
			o->live.snaplen = (int)v;
			break;
		case 'c':
			if (!parse_u64(optarg, UINT64_MAX, &v) || v == 0)
				bad = "-c needs a positive count";
			o->count = v;
			break;
		case 'p':
			o->live.promisc = false;
			break;
		case 'v':
			o->sink.verbose++;
			break;
		case '#':
			o->sink.numbers = true;
			break;
		case 'n':
			break;
		case 'D':
			o->list_ifaces = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_ALL:
			o->sink.all_frames = true;
			break;
		case OPT_UTC:
			o->sink.utc = true;
			break;
		case OPT_IKE_PORT:
			if (!ike_set)
				o->eng.n_ike_ports = 1;	/* keep 500 */
			ike_set = true;
			if (!add_port(o->eng.ike_ports, &o->eng.n_ike_ports,
			    optarg))
				bad = "--ike-port needs a port 1-65535 "
				    "(at most 7 extra)";
			break;
		case OPT_NATT_PORT:
			if (!natt_set)
				o->eng.n_natt_ports = 1;
			natt_set = true;
			if (!add_port(o->eng.natt_ports, &o->eng.n_natt_ports,
			    optarg))
				bad = "--natt-port needs a port 1-65535 "
				    "(at most 7 extra)";
			break;
		case OPT_FRAG_TIMEOUT:
			if (!parse_u64(optarg, UINT32_MAX, &v))
				bad = "--frag-timeout needs seconds";
			o->eng.frag_timeout_sec = (uint32_t)v;
			break;
		case OPT_FRAG_MEM:
			if (!parse_u64(optarg, SIZE_MAX, &v))
				bad = "--frag-mem needs a byte count";
			o->eng.frag_mem_max = (size_t)v;
			break;
		case OPT_FRAG_MAX:
			if (!parse_u64(optarg, UINT32_MAX, &v))
				bad = "--frag-max needs a count";
			o->eng.frag_max_pending = (unsigned)v;
			break;
		case OPT_NO_IMMEDIATE:
			o->live.immediate = false;
			break;
		case 'K':
			if (!add_key_file(o, optarg)) {
				fprintf(stderr, "%s: out of memory\n",
				    o->prog);
				return -1;
			}
			break;
		case OPT_SHOW_KEYS:
			o->show_keys = true;
			break;
		case 'w':
			o->write_file = optarg;
			break;
		case OPT_PRINT:
			o->print = true;
			break;
		case OPT_KEEP_ALL:
			o->sink.export_keep_all = true;
			break;
		case OPT_EXPORT_LINK:
			if (strcmp(optarg, "ether") == 0)
				o->sink.export_ether = true;
			else if (strcmp(optarg, "raw") == 0)
				o->sink.export_ether = false;
			else
				bad = "--export-link takes raw or ether";
			break;
		case OPT_VERSION:
			printf("%s %s\n", o->prog, IPSEC_VERSION);
			return 1;
		case 'h':
			usage(stdout, o->prog, usage_extra);
			return 1;
		case ':':
			fprintf(stderr, "%s: option needs an argument: %s\n",
			    o->prog, argv[optind - 1]);
			usage(stderr, o->prog, usage_extra);
			return -1;
		default:
			if (optopt != 0)
				fprintf(stderr, "%s: unknown option: -%c\n",
				    o->prog, optopt);
			else
				fprintf(stderr, "%s: unknown option: %s\n",
				    o->prog, argv[optind - 1]);
			usage(stderr, o->prog, usage_extra);
			return -1;
		}
		if (bad != NULL) {
			fprintf(stderr, "%s: %s\n", o->prog, bad);
			return -1;
		}
	}
	if (o->list_ifaces)
		return 0;
	if ((o->read_file == NULL) == (o->iface == NULL)) {
		fprintf(stderr, "%s: give exactly one of -r FILE or -i IFACE\n",
		    o->prog);
		usage(stderr, o->prog, usage_extra);
		return -1;
	}
	if (o->write_file == NULL && (o->print ||
	    o->sink.export_keep_all || o->sink.export_ether)) {
		fprintf(stderr, "%s: --print, --keep-all and --export-link "
		    "go with -w FILE\n", o->prog);
		return -1;
	}
	if (o->print && strcmp(o->write_file, "-") == 0) {
		fprintf(stderr, "%s: -w - writes the capture to standard "
		    "output: --print cannot go there too\n", o->prog);
		return -1;
	}
	if (optind < argc && (o->filter = join_args(argc - optind,
	    argv + optind)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", o->prog);
		return -1;
	}
	return 0;
}

void
cmd_opts_fini(struct cmd_opts *o)
{
	free(o->filter);
	o->filter = NULL;
	free(o->key_files);
	o->key_files = NULL;
	o->n_key_files = 0;
	ks_store_free(o->store);
	o->store = NULL;
}

static struct ds_source *volatile running;

static void
on_signal(int sig)
{
	struct ds_source *s = running;

	(void)sig;
	if (s != NULL)
		ds_source_break(s);
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked read must return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int
fail(const struct cmd_opts *o, const struct ds_errinfo *ei)
{
	fprintf(stderr, "%s: %s\n", o->prog, ei->msg);
	return CMD_EXIT_USAGE;
}

static void
key_warn(void *arg, const char *msg)
{
	fprintf(stderr, "%s: warning: %s\n", (const char *)arg, msg);
}

struct ks_store *
cmd_keys_new(const char *prog)
{
	struct ks_store *ks;

	if ((ks = ks_store_new()) != NULL)
		ks_store_set_warn(ks, key_warn, (void *)(uintptr_t)prog);
	return ks;
}

bool
cmd_keys_load(struct ks_store *ks, const char *prog, const char *path)
{
	struct ds_errinfo ei = { 0 };

	if (ks_store_load(ks, path, &ei) == DS_OK)
		return true;
	fprintf(stderr, "%s: %s\n", prog, ei.msg);
	return false;
}

/* A JSON string, escaped as the sinks escape theirs. */
static void
keys_str(FILE *o, const char *s)
{
	char mem[6 * KS_LABEL_MAX + 2];	/* each byte as \u00xx, quotes */
	struct ds_buf b;

	ds_buf_init(&b, mem, sizeof mem);
	ds_buf_json_str(&b, s);
	(void)fwrite(b.p, 1, b.len, o);
}

/* A key's length, its hex with CMD_KEYS_SHOW; text leaves out a missing key. */
static void
keys_key(FILE *o, const char *what, const char *hex, unsigned fl)
{
	size_t n = strlen(hex) / 2;

	if (fl & CMD_KEYS_JSON) {
		fprintf(o, ",\"%s_len\":%zu", what, n);
		if (fl & CMD_KEYS_SHOW)
			fprintf(o, ",\"%s\":\"%s\"", what, hex);
	} else if (n > 0 && (fl & CMD_KEYS_SHOW))
		fprintf(o, " %s=0x%s", what, hex);
	else if (n > 0)
		fprintf(o, " %s=<%zu bytes hidden>", what, n);
}

#define ALG(a)		((a) != NULL ? (a)->name : "null")
#define Q(a)		((a) != NULL ? "\"" : "")

static void
keys_sa(FILE *o, const char *prog, const struct ks_store *ks, size_t i,
    unsigned fl)
{
	struct ks_sa_info in;
	char ek[2 * KS_KEY_MAX + 1], ik[2 * KS_KEY_MAX + 1], spi[16];
	const char *proto;
	unsigned window;

	if (!ks_store_sa(ks, i, &in))
		return;
	ks_store_sa_keys(ks, i, ek, sizeof ek, ik, sizeof ik);
	proto = in.proto == DS_IPPROTO_AH ? "ah" : "esp";
	window = in.replay_window != 0 ? in.replay_window : 64;	/* keys.h */
	if (in.spi_any)
		snprintf(spi, sizeof spi, "*");
	else
		snprintf(spi, sizeof spi, "0x%08x", in.spi);
	if (fl & CMD_KEYS_JSON) {
		fprintf(o, "{\"proto\":\"%s\",\"spi\":\"%s\",\"src\":", proto,
		    spi);
		keys_str(o, in.src);
		fputs(",\"dst\":", o);
		keys_str(o, in.dst);
		fprintf(o, ",\"enc\":%s%s%s", Q(in.enc), ALG(in.enc),
		    Q(in.enc));
		keys_key(o, "enc_key", ek, fl);
		fprintf(o, ",\"integ\":%s%s%s", Q(in.integ), ALG(in.integ),
		    Q(in.integ));
		keys_key(o, "integ_key", ik, fl);
		fprintf(o, ",\"esn\":%s,\"replay_window\":%u,\"label\":",
		    in.esn ? "true" : "false", window);
		keys_str(o, in.label);
		fputs(",\"origin\":", o);
		keys_str(o, in.origin);
		fputs("}\n", o);
	} else {
		if (prog != NULL)
			fprintf(o, "%s: ", prog);
		fprintf(o, "%s spi=%s %s > %s enc=%s", proto, spi, in.src,
		    in.dst, in.enc != NULL ? in.enc->name : "-");
		keys_key(o, "enc-key", ek, fl);
		fprintf(o, " integ=%s", in.integ != NULL ? in.integ->name :
		    "-");
		keys_key(o, "integ-key", ik, fl);
		fprintf(o, " esn=%s window=%u label=", in.esn ? "yes" : "no",
		    window);
		if ((fl & CMD_KEYS_QUOTE) &&
		    strpbrk(in.label, " \t\"\\") != NULL)
			keys_str(o, in.label);	/* as the native format */
		else
			fputs(in.label, o);
		fprintf(o, " origin=%s\n", in.origin);
	}
	OPENSSL_cleanse(ek, sizeof ek);
	OPENSSL_cleanse(ik, sizeof ik);
}

void
cmd_keys_list(FILE *o, const char *prog, const struct ks_store *ks,
    unsigned fl)
{
	size_t i;

	for (i = 0; i < ks_store_count(ks); i++)
		keys_sa(o, prog, ks, i, fl);
}

/* -K: every file into one store; the engine gets its keyring. */
static int
load_keys(struct cmd_opts *o)
{
	size_t i;

	if (o->n_key_files == 0)
		return CMD_EXIT_OK;
	if ((o->store = cmd_keys_new(o->prog)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", o->prog);
		return CMD_EXIT_USAGE;
	}
	for (i = 0; i < o->n_key_files; i++)
		if (!cmd_keys_load(o->store, o->prog, o->key_files[i]))
			return CMD_EXIT_USAGE;
	o->keyring = ks_keyring(o->store);
	o->eng.keyring = &o->keyring;
	/* --show-keys: the lines of ipsec-keys --show-keys, on stderr */
	if (o->show_keys)
		cmd_keys_list(stderr, o->prog, o->store, CMD_KEYS_SHOW);
	return CMD_EXIT_OK;
}

/* -w: the export sink's stream; standard output for "-". */
static FILE *
open_export(struct cmd_opts *o)
{
	struct stat rs, ws;
	FILE *f;

	if (strcmp(o->write_file, "-") == 0)
		return stdout;
	/* opening it for writing would empty the capture being read */
	if (o->read_file != NULL && stat(o->read_file, &rs) == 0 &&
	    stat(o->write_file, &ws) == 0 && rs.st_dev == ws.st_dev &&
	    rs.st_ino == ws.st_ino) {
		fprintf(stderr, "%s: %s: -w names the capture being read\n",
		    o->prog, o->write_file);
		return NULL;
	}
	if ((f = fopen(o->write_file, "wb")) == NULL)
		fprintf(stderr, "%s: %s: %s\n", o->prog, o->write_file,
		    strerror(errno));
	return f;
}

/* Closes the -w stream; false when its last bytes could not be written. */
static bool
close_export(FILE *f)
{
	if (f == NULL || f == stdout)
		return true;
	return fclose(f) == 0;
}

int
cmd_run(struct cmd_opts *o)
{
	const struct ds_sink_ops *sink = o->json ? &ds_sink_json :
	    &ds_sink_text;
	struct ds_errinfo ei = { 0 };
	struct ds_source *src = NULL;
	struct ds_engine *eng = NULL;
	struct ds_sink_opts xo;
	struct ds_pkt pkt;
	const struct ds_frame *f;
	const char *cap_err = NULL;
	FILE *out = stdout, *xf = NULL;
	void *st = NULL, *xst = NULL;
	char appl[64];
	int rc = CMD_EXIT_OK, r;
	uint64_t n = 0, recv, drop;

	if (o->list_ifaces) {
		char buf[4096];

		ds_source_list_ifaces(buf, sizeof buf);
		printf("%s\n", buf);
		return CMD_EXIT_OK;
	}
	if ((rc = load_keys(o)) != CMD_EXIT_OK)
		return rc;
	if (o->read_file != NULL)
		src = ds_source_open_file(o->read_file, &ei);
	else {
		src = ds_source_open_live(o->iface, &o->live, &ei);
		o->sink.flush_each = true;
	}
	if (src == NULL)
		return fail(o, &ei);
	if (ei.msg[0] != '\0')		/* a libpcap warning on success */
		fprintf(stderr, "%s: warning: %s\n", o->prog, ei.msg);
	if (o->filter != NULL &&
	    ds_source_set_filter(src, o->filter, &ei) != DS_OK) {
		ds_source_close(src);
		return fail(o, &ei);
	}
	if (o->write_file != NULL) {
		/* like tcpdump -w: frames are printed only with --print */
		if (!o->print) {
			sink = &ds_sink_text;
			out = fopen("/dev/null", "w");
		}
		if (out == NULL || (xf = open_export(o)) == NULL) {
			if (out == NULL)
				fprintf(stderr, "%s: /dev/null: %s\n",
				    o->prog, strerror(errno));
			if (out != NULL && out != stdout)
				fclose(out);
			ds_source_close(src);
			return CMD_EXIT_USAGE;
		}
		snprintf(appl, sizeof appl, "%s %s", o->prog, IPSEC_VERSION);
		xo = o->sink;
		xo.export_appl = appl;
	}
	if ((eng = ds_engine_new(&o->eng)) == NULL ||
	    sink->open(&st, out, &o->sink) != DS_OK ||
	    (xf != NULL && ds_sink_pcapng.open(&xst, xf, &xo) != DS_OK)) {
		fprintf(stderr, "%s: %s\n", o->prog, xf != NULL && st != NULL ?
		    "cannot write the export" : "out of memory");
		if (st != NULL)
			(void)sink->close(st, NULL, NULL);
		rc = CMD_EXIT_USAGE;
		goto done;
	}
	running = src;
	catch_signals();
	while (o->count == 0 || n < o->count) {
		if ((r = ds_source_next(src, &pkt, &ei)) <= 0) {
			if (r < 0) {
				cap_err = ei.msg;
				rc = CMD_EXIT_FINDINGS;
			}
			break;
		}
		n++;
		f = ds_engine_dissect(eng, &pkt);
		if (sink->frame(st, f) != DS_OK) {
			fprintf(stderr, "%s: write error\n", o->prog);
			rc = CMD_EXIT_USAGE;
			break;
		}
		if (xst != NULL && ds_sink_pcapng.frame(xst, f) != DS_OK) {
			fprintf(stderr, "%s: %s: write error\n", o->prog,
			    o->write_file);
			rc = CMD_EXIT_USAGE;
			break;
		}
	}
	running = NULL;
	ds_engine_finish(eng);
	if (sink->close(st, ds_engine_stats(eng), cap_err) != DS_OK &&
	    rc == CMD_EXIT_OK) {
		fprintf(stderr, "%s: write error\n", o->prog);
		rc = CMD_EXIT_USAGE;
	}
	if (xst != NULL && ds_sink_pcapng.close(xst, ds_engine_stats(eng),
	    cap_err) != DS_OK && rc != CMD_EXIT_USAGE) {
		fprintf(stderr, "%s: %s: write error\n", o->prog,
		    o->write_file);
		rc = CMD_EXIT_USAGE;
	}
	if (cap_err != NULL)
		fprintf(stderr, "%s: %s\n", o->prog, cap_err);
	if (o->iface != NULL && ds_source_drops(src, &recv, &drop))
		fprintf(stderr, "%llu packets received by filter, "
		    "%llu dropped by kernel\n", (unsigned long long)recv,
		    (unsigned long long)drop);
done:
	if (out != stdout)
		fclose(out);
	if (!close_export(xf) && rc != CMD_EXIT_USAGE) {
		fprintf(stderr, "%s: %s: write error\n", o->prog,
		    o->write_file);
		rc = CMD_EXIT_USAGE;
	}
	ds_engine_free(eng);
	ds_source_close(src);
	return rc;
}
