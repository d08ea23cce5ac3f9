/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Live capture through libpcap, and BPF filters (tcpdump syntax, compiled
 * by libpcap) for live and file sources alike.  Link types are converted
 * between this platform's DLT_ values and the LINKTYPE_ values that files
 * and the dissectors use (tcpdump.org/linktypes.html).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture/capture_int.h"

#define LIVE_SNAPLEN	262144
#define LIVE_TIMEOUT_MS	100	/* how late a break may be noticed */
#define FILTER_SNAPLEN	262144	/* a match returns this; never 0 */

struct ds_live {
	pcap_t		*pc;
	int		 linktype;	/* LINKTYPE_ value */
	bool		 nano;		/* tv_usec holds nanoseconds */
	char		 name[64];
};

/* The LINKTYPE_ values whose DLT_ differs on some platform. */
static const struct {
	int	 lt;
	int	 dlt;
} lt_dlt[] = {
	{ 100, DLT_ATM_RFC1483 },
	{ 101, DLT_RAW },
	{ 102, DLT_SLIP_BSDOS },
	{ 103, DLT_PPP_BSDOS },
	{ 106, DLT_ATM_CLIP },
	{ 108, DLT_LOOP },
	{ 109, DLT_ENC },
};

int
ds_linktype_to_dlt(int linktype)
{
	size_t i;

	/* some files carry DLT_RAW as the writer's platform numbered it */
	if (linktype == 12 || linktype == 14)
		return DLT_RAW;
	for (i = 0; i < DS_NELEM(lt_dlt); i++)
		if (lt_dlt[i].lt == linktype)
			return lt_dlt[i].dlt;
	return linktype;
}

int
ds_dlt_to_linktype(int dlt)
{
	size_t i;

	for (i = 0; i < DS_NELEM(lt_dlt); i++)
		if (lt_dlt[i].dlt == dlt)
			return lt_dlt[i].lt;
	return dlt;
}

void
ds_source_list_ifaces(char *buf, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	size_t n = 0, w;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (pcap_findalldevs(&all, errbuf) != 0)
		return;
	for (d = all; d != NULL; d = d->next) {
		w = strlen(d->name) + (n > 0 ? 2 : 0);
		if (n + w + 4 >= len) {		/* room for ", ..." */
			if (n + 5 < len)
				snprintf(buf + n, len - n, "%s...",
				    n > 0 ? ", " : "");
			break;
		}
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
		    n > 0 ? ", " : "", d->name);
	}
	pcap_freealldevs(all);
}

/* Whether libpcap lists the interface (it lists what it can open). */
static bool
iface_listed(const char *ifname)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	bool found = false;

	if (pcap_findalldevs(&all, errbuf) != 0)
		return true;	/* cannot tell: do not claim otherwise */
	for (d = all; d != NULL && !found; d = d->next)
		found = strcmp(d->name, ifname) == 0;
	pcap_freealldevs(all);
	return found;
}

/* pcap_activate() failed: say why, and which interfaces there are. */
static void
activate_fail(pcap_t *pc, const char *ifname, int rc, struct ds_errinfo *ei)
{
	char list[200];
	const char *why = pcap_geterr(pc);

	if (why == NULL || why[0] == '\0')
		why = pcap_statustostr(rc);
	/* without privileges libpcap fails before it looks at the name */
	if (rc == PCAP_ERROR_PERM_DENIED && !iface_listed(ifname))
		rc = PCAP_ERROR_NO_SUCH_DEVICE;
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		ds_source_list_ifaces(list, sizeof list);
		DS_FAIL(ei, DS_EUSAGE, "%.64s: no such capture interface; "
		    "available: %s", ifname, list[0] != '\0' ? list :
		    "none");
		break;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		DS_FAIL(ei, DS_EIO, "%.64s: %.160s (capturing needs root or "
		    "CAP_NET_RAW)", ifname, why);
		break;
	default:
		DS_FAIL(ei, DS_EIO, "%.64s: %.200s", ifname, why);
		break;
	}
}

struct ds_source *
ds_source_open_live(const char *ifname, const struct ds_live_opts *o,
    struct ds_errinfo *ei)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct ds_source *s;
	struct ds_live *l;
	pcap_t *pc;
	int rc;

	if ((pc = pcap_create(ifname, errbuf)) == NULL) {
		DS_FAIL(ei, DS_EIO, "%.64s: %.200s", ifname, errbuf);
		return NULL;
	}
	(void)pcap_set_snaplen(pc, o != NULL && o->snaplen > 0 ?
	    o->snaplen : LIVE_SNAPLEN);
	(void)pcap_set_promisc(pc, o != NULL && o->promisc);
	(void)pcap_set_immediate_mode(pc, o != NULL && o->immediate);
	(void)pcap_set_timeout(pc, LIVE_TIMEOUT_MS);
	/* not every platform has it; microseconds then */
	(void)pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
	if ((rc = pcap_activate(pc)) < 0) {
		activate_fail(pc, ifname, rc, ei);
		pcap_close(pc);
		return NULL;
	}
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (l = s->live = calloc(1, sizeof *l)) == NULL) {
		free(s);
		pcap_close(pc);
		DS_FAIL(ei, DS_ENOMEM, "%.64s: out of memory", ifname);
		return NULL;
	}
	s->kind = DS_SRC_LIVE;
	l->pc = pc;
	l->linktype = ds_dlt_to_linktype(pcap_datalink(pc));
	l->nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
	snprintf(l->name, sizeof l->name, "%s", ifname);
	if (ei != NULL) {
		/* a warning (promiscuous mode not supported...) rides along */
		ei->code = DS_OK;
		ei->msg[0] = '\0';
		if (rc > 0)
			snprintf(ei->msg, sizeof ei->msg, "%.64s: warning: "
			    "%.200s", ifname, pcap_geterr(pc)[0] != '\0' ?
			    pcap_geterr(pc) : pcap_statustostr(rc));
	}
	return s;
}

int
ds_live_next(struct ds_live *l, struct ds_pkt *pkt,
    volatile sig_atomic_t *stop, struct ds_errinfo *ei)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	for (;;) {
		if (*stop)
			return 0;
		rc = pcap_next_ex(l->pc, &h, &data);
		if (rc == 1)
			break;
		if (rc == 0)		/* the timeout: look at stop again */
			continue;
		if (rc == PCAP_ERROR_BREAK)
			return 0;
		DS_FAIL(ei, DS_EIO, "%s: %.200s", l->name, pcap_geterr(l->pc));
		return -1;
	}
	pkt->data = data;
	pkt->caplen = h->caplen;
	pkt->wirelen = h->len < h->caplen ? h->caplen : h->len;
	pkt->ts_sec = (int64_t)h->ts.tv_sec;
	pkt->ts_nsec = (uint32_t)h->ts.tv_usec * (l->nano ? 1 : 1000);
	pkt->linktype = l->linktype;
	pkt->ifindex = 0;
	return 1;
}

enum ds_err
ds_live_set_filter(struct ds_live *l, const char *expr,
    struct ds_errinfo *ei)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	bpf_u_int32 net, mask;

	if (pcap_lookupnet(l->name, &net, &mask, errbuf) != 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(l->pc, &prog, expr != NULL ? expr : "", 1,
	    mask) != 0)
		return DS_FAIL(ei, DS_EUSAGE, "filter \"%.100s\": %.200s",
		    expr, pcap_geterr(l->pc));
	if (pcap_setfilter(l->pc, &prog) != 0) {
		pcap_freecode(&prog);
		return DS_FAIL(ei, DS_EIO, "%s: filter \"%.100s\": %.150s",
		    l->name, expr != NULL ? expr : "", pcap_geterr(l->pc));
	}
	pcap_freecode(&prog);
	return DS_OK;
}

/*
 * pcap_breakloop() sets a flag and, on Linux, writes to an eventfd that
 * wakes the poll() in pcap_next_ex(); both are safe in a signal handler.
 * Where the wake-up is missing, the read timeout bounds the delay.
 */
void
ds_live_break(struct ds_live *l)
{
	pcap_breakloop(l->pc);
}

bool
ds_live_drops(struct ds_live *l, uint64_t *recv, uint64_t *drop)
{
	struct pcap_stat ps;

	if (pcap_stats(l->pc, &ps) != 0)
		return false;
	*recv = ps.ps_recv;
	*drop = ps.ps_drop;
	return true;
}

void
ds_live_close(struct ds_live *l)
{
	if (l == NULL)
		return;
	pcap_close(l->pc);
	free(l);
}

/* File filters: one program per link type, compiled when first needed. */
struct filt_prog {
	int			 linktype;
	struct bpf_program	 prog;
};

struct ds_filter {
	char			*expr;
	struct filt_prog	*p;
	unsigned		 n, cap;
	unsigned		 last;	/* the one used for the last packet */
};

static enum ds_err
filter_compile(struct ds_filter *flt, int linktype, struct ds_errinfo *ei)
{
	char lt[48] = "";
	struct filt_prog *np;
	pcap_t *pd;
	unsigned cap;

	if (flt->n == flt->cap) {
		cap = flt->cap ? flt->cap * 2 : 4;
		if ((np = realloc(flt->p, cap * sizeof *np)) == NULL)
			return DS_FAIL(ei, DS_ENOMEM, "out of memory");
		flt->p = np;
		flt->cap = cap;
	}
	if ((pd = pcap_open_dead(ds_linktype_to_dlt(linktype),
	    FILTER_SNAPLEN)) == NULL)
		return DS_FAIL(ei, DS_ENOMEM, "out of memory");
	if (pcap_compile(pd, &flt->p[flt->n].prog, flt->expr, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		if (flt->n > 0)		/* a link type met later in a file */
			snprintf(lt, sizeof lt, " cannot be used on link "
			    "type %d", linktype);
		DS_FAIL(ei, DS_EUSAGE, "filter \"%.100s\"%s: %.180s",
		    flt->expr, lt, pcap_geterr(pd));
		pcap_close(pd);
		return DS_EUSAGE;
	}
	pcap_close(pd);
	flt->p[flt->n].linktype = linktype;
	flt->last = flt->n++;
	return DS_OK;
}

struct ds_filter *
ds_filter_new(const char *expr, int linktype, struct ds_errinfo *ei)
{
	struct ds_filter *flt;

	if ((flt = calloc(1, sizeof *flt)) == NULL ||
	    (flt->expr = strdup(expr)) == NULL) {
		free(flt);
		DS_FAIL(ei, DS_ENOMEM, "out of memory");
		return NULL;
	}
	if (filter_compile(flt, linktype, ei) != DS_OK) {
		ds_filter_free(flt);
		return NULL;
	}
	return flt;
}

void
ds_filter_free(struct ds_filter *flt)
{
	unsigned i;

	if (flt == NULL)
		return;
	for (i = 0; i < flt->n; i++)
		pcap_freecode(&flt->p[i].prog);
	free(flt->p);
	free(flt->expr);
	free(flt);
}

int
ds_filter_match(struct ds_filter *flt, const struct ds_pkt *pkt,
    struct ds_errinfo *ei)
{
	struct pcap_pkthdr h;
	unsigned i;

	if (flt->p[flt->last].linktype != pkt->linktype) {
		for (i = 0; i < flt->n; i++)
			if (flt->p[i].linktype == pkt->linktype)
				break;
		if (i == flt->n) {
			if (filter_compile(flt, pkt->linktype, ei) != DS_OK)
				return -1;
		} else
			flt->last = i;
	}
	h.ts.tv_sec = 0;
	h.ts.tv_usec = 0;
	h.caplen = pkt->caplen;
	h.len = pkt->wirelen;
	return pcap_offline_filter(&flt->p[flt->last].prog, &h,
	    pkt->data) != 0;
}
