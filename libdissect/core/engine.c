/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The engine: one frame at a time through the dissectors, then the frame is
 * classified and counted so that every frame read appears in the summary
 * exactly once.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "arena.h"
#include "ike/ike_int.h"
#include "ipsec/ipsec_int.h"

struct ds_engine {
	struct ds_engine_cfg	 cfg;
	struct ds_stats		 st;
	struct ds_frame		 frame;
	struct ds_arena		*arena;
	struct ds_ipfrag	*frag;
	struct ds_ike_table	*ike;
	struct ds_ike_frag	*ike_frag;
	struct ds_sa_stat	*sa;		/* DS_MAX_SA_STATS rows */
	uint16_t		 sa_hint[1024];	/* SPI hash -> row + 1, or 0 */
	struct ds_inflate	*inflate;	/* IPComp's, made on first use */
	uint8_t			 ike_port[65536 / 8];	/* bitmaps */
	uint8_t			 natt_port[65536 / 8];
};

void
ds_engine_cfg_default(struct ds_engine_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->ike_ports[0] = 500;
	c->n_ike_ports = 1;
	c->natt_ports[0] = 4500;
	c->n_natt_ports = 1;
	c->frag_mem_max = 32u << 20;
	c->frag_max_pending = 4096;
	c->frag_timeout_sec = 30;	/* Linux ipfrag_time */
	c->frag_max_datagram = 65535 + 40;
	c->ike_max_sas = 4096;
	c->ike_mem_max = 16u << 20;
	c->keyring = NULL;
	c->ipcomp_max_out = 65535 + 40;	/* no datagram is larger */
}

static void
port_set(uint8_t *map, uint16_t port)
{
	map[port >> 3] |= (uint8_t)(1u << (port & 7));
}

static bool
port_get(const uint8_t *map, uint16_t port)
{
	return (map[port >> 3] >> (port & 7)) & 1;
}

struct ds_engine *
ds_engine_new(const struct ds_engine_cfg *cfg)
{
	struct ds_engine *e;
	unsigned i;

	if ((e = calloc(1, sizeof *e)) == NULL)
		return NULL;
	if (cfg != NULL)
		e->cfg = *cfg;
	else
		ds_engine_cfg_default(&e->cfg);
	if (e->cfg.n_ike_ports > DS_MAX_PORTS)
		e->cfg.n_ike_ports = DS_MAX_PORTS;
	if (e->cfg.n_natt_ports > DS_MAX_PORTS)
		e->cfg.n_natt_ports = DS_MAX_PORTS;
	for (i = 0; i < e->cfg.n_ike_ports; i++)
		port_set(e->ike_port, e->cfg.ike_ports[i]);
	for (i = 0; i < e->cfg.n_natt_ports; i++)
		port_set(e->natt_port, e->cfg.natt_ports[i]);
	e->arena = ds_arena_new();
	e->frag = ds_ipfrag_new(&e->cfg);
	e->ike = ds_ike_table_new(&e->cfg);
	e->ike_frag = ds_ike_frag_new(&e->cfg);
	e->sa = calloc(DS_MAX_SA_STATS, sizeof *e->sa);
	e->st.sa = e->sa;
	e->st.ike = e->ike;
	e->st.has_keyring = e->cfg.keyring != NULL;
	if (e->arena == NULL || e->frag == NULL || e->ike == NULL ||
	    e->ike_frag == NULL || e->sa == NULL) {
		ds_engine_free(e);
		return NULL;
	}
	return e;
}

void
ds_engine_free(struct ds_engine *e)
{
	if (e == NULL)
		return;
	ds_ipfrag_free(e->frag);
	ds_ike_table_free(e->ike);
	ds_ike_frag_free(e->ike_frag);
	ds_arena_free(e->arena);
	ds_inflate_free(e->inflate);
	free(e->sa);
	free(e);
}

bool
ds_engine_is_ike_port(const struct ds_engine *e, uint16_t port)
{
	return port_get(e->ike_port, port);
}

bool
ds_engine_is_natt_port(const struct ds_engine *e, uint16_t port)
{
	return port_get(e->natt_port, port);
}

static bool
is_ipsec_proto(enum ds_proto p)
{
	switch (p) {
	case DS_P_ESP:
	case DS_P_AH:
	case DS_P_IPCOMP:
	case DS_P_ISAKMP:
	case DS_P_IKEV2:
	case DS_P_NATT:
		return true;
	default:
		return false;
	}
}

static void
count_unsupp_link(struct ds_stats *st, int linktype)
{
	unsigned i;

	for (i = 0; i < st->n_unsupp_link; i++)
		if (st->unsupp_link_type[i] == (uint64_t)linktype) {
			st->unsupp_link_count[i]++;
			return;
		}
	if (st->n_unsupp_link < DS_MAX_LINKTYPES) {
		st->unsupp_link_type[st->n_unsupp_link] = (uint64_t)linktype;
		st->unsupp_link_count[st->n_unsupp_link++] = 1;
	}
}

/* Picks the frame's class and adds it to the counters. */
static void
account(struct ds_engine *e, struct ds_frame *f)
{
	struct ds_stats *st = &e->st;
	bool seen[DS_P_COUNT_] = { false };
	bool ipsec = false, ip = false, quoted = false, marker = false;
	bool plain = false;
	unsigned i;

	for (i = 0; i < f->nlayers; i++) {
		const struct ds_layer *l = &f->layer[i];

		if (l->proto == DS_P_IPV4 || l->proto == DS_P_IPV6)
			ip = true;
		if (is_ipsec_proto(l->proto))
			ipsec = true;
		if (l->quoted) {
			if (is_ipsec_proto(l->proto))
				quoted = true;
			continue;
		}
		if (l->proto == DS_P_ESP && l->u.esp.decrypted)
			plain = true;
		if (!seen[l->proto]) {
			seen[l->proto] = true;
			st->proto[l->proto]++;
			if (l->proto == DS_P_ESP && l->u.esp.in_udp)
				st->esp_in_udp++;
			if (l->proto == DS_P_NATT &&
			    l->u.natt.kind == DS_NATT_KEEPALIVE)
				st->nat_keepalive++;
		}
		if ((l->proto == DS_P_ISAKMP || l->proto == DS_P_IKEV2) &&
		    l->u.ike.in_udp4500 && i > 0 &&
		    !marker) {
			marker = true;
			st->ike_non_esp_marker++;
		}
	}
	if (quoted)
		st->icmp_quoting_ipsec++;
	if (plain)
		st->esp_decrypted++;
	if (f->is_truncated)
		st->truncated++;
	if (f->is_malformed)
		st->malformed++;

	if (ds_frame_has_note(f, DS_N_UNSUPPORTED_LINK)) {
		f->fclass = DS_FC_UNSUPP_LINK;
		count_unsupp_link(st, f->linktype);
	} else if (ipsec)
		f->fclass = DS_FC_IPSEC;
	else if (ds_frame_has_note(f, DS_N_FRAGMENT))
		f->fclass = DS_FC_FRAGMENT;
	else if (ip || (f->nlayers > 0 && !f->is_truncated &&
	    !f->is_malformed))
		f->fclass = DS_FC_OTHER;
	else
		f->fclass = DS_FC_UNDECODED;
	st->fclass[f->fclass]++;
}

const struct ds_frame *
ds_engine_dissect(struct ds_engine *e, const struct ds_pkt *pkt)
{
	struct ds_frame *f = &e->frame;
	struct ds_cur c;

	ds_arena_reset(e->arena);
	f->index = ++e->st.frames;
	f->ts_sec = pkt->ts_sec;
	f->ts_nsec = pkt->ts_nsec;
	f->caplen = pkt->caplen;
	f->wirelen = pkt->wirelen < pkt->caplen ? pkt->caplen : pkt->wirelen;
	f->linktype = pkt->linktype;
	f->ifindex = pkt->ifindex;
	f->data = pkt->data;
	f->nlayers = 0;
	f->nnotes = 0;
	f->notes_lost = 0;
	f->is_truncated = false;
	f->is_malformed = false;
	f->fclass = DS_FC_UNDECODED;
	f->depth = 0;
	f->eng = e;
	f->arena = e->arena;
	e->st.bytes += pkt->caplen;

	c = ds_cur_make(pkt->data, pkt->caplen, f->wirelen);
	ds_link_dissect(f, &c);
	account(e, f);
	return f;
}

void
ds_engine_finish(struct ds_engine *e)
{
	ds_ipfrag_finish(e->frag, &e->st);
}

const struct ds_stats *
ds_engine_stats(const struct ds_engine *e)
{
	return &e->st;
}

struct ds_stats *
ds_engine_stats_mut(struct ds_engine *e)
{
	return &e->st;
}

const struct ds_engine_cfg *
ds_engine_cfg(const struct ds_engine *e)
{
	return &e->cfg;
}

const struct ds_keyring *
ds_engine_keyring(const struct ds_engine *e)
{
	return e->cfg.keyring;
}

void
ds_engine_count_sa(struct ds_engine *e, const struct ds_layer *l)
{
	struct ds_stats *st = &e->st;
	struct ds_sa_stat *r = NULL;
	const struct ds_esp *esp = &l->u.esp;
	const struct ds_ah *ah = &l->u.ah;
	bool is_ah = l->proto == DS_P_AH;
	uint8_t proto = is_ah ? DS_IPPROTO_AH : DS_IPPROTO_ESP;
	uint32_t spi = is_ah ? ah->spi : esp->spi;
	uint32_t sa_id = is_ah ? ah->sa_id : esp->sa_id;
	uint8_t status = is_ah ? ah->status : esp->status;
	uint8_t icv = is_ah ? ah->icv_verdict : esp->icv;
	uint64_t seq;
	uint16_t *h;
	unsigned i;

	seq = is_ah ? (uint64_t)ah->seq_hi << 32 | ah->seq :
	    (uint64_t)esp->seq_hi << 32 | esp->seq;
	/* The row this SPI used last, then a scan of all, newest first. */
	h = &e->sa_hint[(spi ^ spi >> 10 ^ spi >> 20) % DS_NELEM(e->sa_hint)];
	if (*h != 0 && e->sa[*h - 1].proto == proto &&
	    e->sa[*h - 1].spi == spi && e->sa[*h - 1].sa_id == sa_id)
		r = &e->sa[*h - 1];
	for (i = st->n_sa; r == NULL && i-- > 0;)
		if (e->sa[i].proto == proto && e->sa[i].spi == spi &&
		    e->sa[i].sa_id == sa_id)
			r = &e->sa[i];
	if (r == NULL) {
		if (st->n_sa == DS_MAX_SA_STATS) {
			st->sa_rows_lost++;
			return;
		}
		r = &e->sa[st->n_sa++];
		r->proto = proto;
		r->spi = spi;
		r->sa_id = sa_id;
	}
	*h = (uint16_t)(r - e->sa + 1);
	r->frames++;
	r->label = is_ah ? ah->sa_label : esp->sa_label;
	r->esn = is_ah ? ah->esn : esp->esn;
	if (status < DS_SAS_COUNT_)
		r->status[status]++;
	if (sa_id != 0 && icv < DS_NELEM(r->icv))
		r->icv[icv]++;
	r->replayed += is_ah ? ah->is_replay : esp->is_replay;
	if (seq > r->seq_max)
		r->seq_max = seq;
}

struct ds_inflate *
ds_engine_inflate(struct ds_engine *e)
{
	if (e->inflate == NULL)
		e->inflate = ds_inflate_new();
	return e->inflate;
}

struct ds_ike_table *
ds_engine_ike(struct ds_engine *e)
{
	return e->ike;
}

struct ds_ike_frag *
ds_engine_ike_frag(struct ds_engine *e)
{
	return e->ike_frag;
}

struct ds_ipfrag *
ds_engine_ipfrag(struct ds_engine *e)
{
	return e->frag;
}
