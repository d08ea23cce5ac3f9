/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-IKE-SA view (ike/ike_sa.c) rendered for the summary: SPIs, the
 * two ends, exchanges, proposals offered and chosen, the NAT verdict and
 * the Child SA SPIs seen in cleartext.  RFC 7296 3.3 (proposal layout),
 * 2.23 (NAT detection); RFC 2408 3.5, 3.6.
 */
#include <stdio.h>

#include "dissect/names.h"
#include "ike/ikev2_const.h"
#include "sink/ike_summary.h"

#define LINE_BUF	16384

static const char *
proto_name(uint8_t version, uint8_t proto)
{
	switch (proto) {
	case 1:
		return version == 1 ? "isakmp" : "ike";
	case 2:
		return "ah";
	case 3:
		return "esp";
	case 4:
		return "ipcomp";
	}
	return NULL;
}

/*
 * IKEv2 transform types (IANA, RFC 9370 for 6-12); IKEv1 attributes are
 * mapped onto 1-4 by the decoder (see struct ds_ike_transform).
 */
static const char *
tr_type_name(uint8_t version, uint8_t type)
{
	static const char *const v2[] = {
		NULL, "encr", "prf", "integ", "ke", "esn", "addke1",
		"addke2", "addke3", "addke4", "addke5", "addke6", "addke7",
	};
	static const char *const v1[] = {
		NULL, "encr", "hash", "auth", "group",
	};

	if (version == 1)
		return type < DS_NELEM(v1) ? v1[type] : NULL;
	return type < DS_NELEM(v2) ? v2[type] : NULL;
}

/* IANA transform ids by type (IKEv2 only: IKEv1 ids are shown as numbers). */
static const char *
tr_id_name(uint8_t version, const struct ds_ike_transform *tr)
{
	return version == 2 ? ikev2_transform_name(tr->type, tr->id) : NULL;
}

static const char *
exch_name(uint8_t version, uint8_t exch)
{
	return version == 2 ? ds_ikev2_exch_name(exch) :
	    ds_isakmp_exch_name(exch);
}

static const char *
nat_verdict(const struct ds_ike_sa *sa, bool json)
{
	switch (sa->nat) {
	case DS_IKE_NAT_NONE:
		return json ? "none" : "no NAT";
	case DS_IKE_NAT_DETECTED:
		if (sa->initiator_behind_nat && sa->responder_behind_nat)
			return json ? "both_behind_nat" :
			    "initiator and responder behind NAT";
		if (sa->initiator_behind_nat)
			return json ? "initiator_behind_nat" :
			    "initiator behind NAT";
		return json ? "responder_behind_nat" : "responder behind NAT";
	case DS_IKE_NAT_UNKNOWN:
		break;
	}
	return "unknown";
}

static void
put_end(struct ds_buf *b, const struct ds_addr *a, uint16_t port)
{
	if (a->family == DS_AF_ANY) {
		ds_buf_putc(b, '?');
		return;
	}
	if (a->family == DS_AF_INET6)
		ds_buf_putc(b, '[');
	ds_buf_addr(b, a);
	if (a->family == DS_AF_INET6)
		ds_buf_putc(b, ']');
	ds_buf_putc(b, ':');
	ds_buf_u64(b, port);
}

/* "#1 esp spi 0x12345678: encr 12/128, integ 12" */
static void
text_proposal(struct ds_buf *b, uint8_t version,
    const struct ds_ike_proposal *p)
{
	const char *s;
	unsigned i;

	ds_buf_putc(b, '#');
	ds_buf_u64(b, p->num);
	ds_buf_putc(b, ' ');
	if ((s = proto_name(version, p->proto)) != NULL)
		ds_buf_puts(b, s);
	else {
		ds_buf_puts(b, "proto ");
		ds_buf_u64(b, p->proto);
	}
	if (p->spi_len > 0) {
		ds_buf_puts(b, " spi 0x");
		ds_buf_hexbytes(b, p->spi, p->spi_len < sizeof p->spi ?
		    p->spi_len : sizeof p->spi);
	}
	ds_buf_putc(b, ':');
	for (i = 0; i < p->ntr && i < DS_IKE_MAX_TRANSFORMS; i++) {
		ds_buf_puts(b, i > 0 ? ", " : " ");
		if ((s = tr_type_name(version, p->tr[i].type)) != NULL)
			ds_buf_puts(b, s);
		else {
			ds_buf_puts(b, "type ");
			ds_buf_u64(b, p->tr[i].type);
		}
		ds_buf_putc(b, ' ');
		if ((s = tr_id_name(version, &p->tr[i])) != NULL)
			ds_buf_puts(b, s);
		else
			ds_buf_u64(b, p->tr[i].id);
		if (p->tr[i].keylen != 0) {
			ds_buf_putc(b, '/');
			ds_buf_u64(b, p->tr[i].keylen);
		}
	}
	if (p->auth_method != 0) {
		ds_buf_puts(b, i > 0 ? ", auth-method " : " auth-method ");
		ds_buf_u64(b, p->auth_method);
	}
}

static void
text_sa(struct ds_buf *b, const struct ds_ike_sa *sa)
{
	const struct ds_ike_exchange *x;
	const char *s;
	unsigned i;

	ds_buf_puts(b, "ike sa v");
	ds_buf_u64(b, sa->version);
	ds_buf_putc(b, ' ');
	ds_buf_hexbytes(b, sa->ispi, 8);
	ds_buf_putc(b, '/');
	ds_buf_hexbytes(b, sa->rspi, 8);
	ds_buf_putc(b, ' ');
	put_end(b, &sa->iaddr, sa->iport);
	ds_buf_puts(b, " -> ");
	put_end(b, &sa->raddr, sa->rport);
	if (sa->deleted)
		ds_buf_puts(b, " (deleted)");
	ds_buf_puts(b, "\n  frames ");
	ds_buf_u64(b, sa->first_frame);
	ds_buf_putc(b, '-');
	ds_buf_u64(b, sa->last_frame);
	ds_buf_puts(b, ", messages ");
	ds_buf_u64(b, sa->messages);
	ds_buf_puts(b, ", retransmits ");
	ds_buf_u64(b, sa->retransmits);
	ds_buf_putc(b, '\n');
	for (i = 0; i < sa->nexch && i < DS_IKE_MAX_EXCH; i++) {
		x = &sa->exch[i];
		ds_buf_puts(b, "  exchange ");
		if ((s = exch_name(sa->version, x->exch)) != NULL)
			ds_buf_puts(b, s);
		else
			ds_buf_u64(b, x->exch);
		ds_buf_puts(b, " msgid ");
		ds_buf_u64(b, x->msgid);
		ds_buf_puts(b, x->by_initiator ? " from initiator:" :
		    " from responder:");
		if (x->request_seen)
			ds_buf_puts(b, " request");
		if (x->response_seen)
			ds_buf_puts(b, " response");
		if (x->retransmits > 0) {
			ds_buf_puts(b, ", retransmits ");
			ds_buf_u64(b, x->retransmits);
		}
		ds_buf_putc(b, '\n');
	}
	if (sa->exch_lost > 0) {
		ds_buf_puts(b, "  exchanges not kept ");
		ds_buf_u64(b, sa->exch_lost);
		ds_buf_putc(b, '\n');
	}
	for (i = 0; i < sa->noffered && i < DS_IKE_MAX_PROPOSALS; i++) {
		ds_buf_puts(b, "  offered ");
		text_proposal(b, sa->version, &sa->offered[i]);
		ds_buf_putc(b, '\n');
	}
	if (sa->has_chosen) {
		ds_buf_puts(b, "  chosen ");
		text_proposal(b, sa->version, &sa->chosen);
		ds_buf_putc(b, '\n');
	}
	if (sa->ke_group != 0 || sa->ni.len > 0 || sa->nr.len > 0) {
		ds_buf_puts(b, "  ke group ");
		ds_buf_u64(b, sa->ke_group);
		ds_buf_puts(b, ", ke bytes i ");
		ds_buf_u64(b, sa->kei.len);
		ds_buf_puts(b, " r ");
		ds_buf_u64(b, sa->ker.len);
		ds_buf_puts(b, ", nonce bytes i ");
		ds_buf_u64(b, sa->ni.len);
		ds_buf_puts(b, " r ");
		ds_buf_u64(b, sa->nr.len);
		ds_buf_putc(b, '\n');
	}
	ds_buf_puts(b, "  nat: ");
	ds_buf_puts(b, nat_verdict(sa, false));
	if (sa->natd_checked > 0) {
		ds_buf_puts(b, " (hashes checked ");
		ds_buf_u64(b, sa->natd_checked);
		ds_buf_putc(b, ')');
	}
	ds_buf_putc(b, '\n');
	for (i = 0; i < sa->nchild_spis && i < DS_IKE_MAX_SPIS; i++) {
		ds_buf_puts(b, "  child sa ");
		if ((s = proto_name(sa->version, sa->child_spis[i].proto)) !=
		    NULL)
			ds_buf_puts(b, s);
		else
			ds_buf_u64(b, sa->child_spis[i].proto);
		ds_buf_puts(b, " 0x");
		ds_buf_hex(b, sa->child_spis[i].spi, 8);
		if (sa->child_deleted[i])
			ds_buf_puts(b, " deleted");
		ds_buf_putc(b, '\n');
	}
	if (sa->child_spis_lost > 0) {
		ds_buf_puts(b, "  child sa spis not kept ");
		ds_buf_u64(b, sa->child_spis_lost);
		ds_buf_putc(b, '\n');
	}
}

void
ds_ike_summary_text(FILE *o, const struct ds_ike_table *t)
{
	char mem[LINE_BUF];
	struct ds_buf b;
	const struct ds_ike_sa *sa;
	unsigned i, n = ds_ike_table_count(t);
	uint64_t dropped = ds_ike_table_dropped(t);

	ds_buf_init(&b, mem, sizeof mem);
	if (n > 0 || dropped > 0) {
		ds_buf_puts(&b, "ike sas: ");
		ds_buf_u64(&b, n);
		if (dropped > 0) {
			ds_buf_puts(&b, " (refused at the limits: ");
			ds_buf_u64(&b, dropped);
			ds_buf_putc(&b, ')');
		}
		ds_buf_putc(&b, '\n');
	}
	for (i = 0; i < n; i++) {
		if ((sa = ds_ike_table_get(t, i)) == NULL)
			break;
		text_sa(&b, sa);
		(void)ds_buf_flush(&b, o);
	}
	(void)ds_buf_flush(&b, o);
}

/* --- JSON ------------------------------------------------------------ */

static void
j_key(struct ds_buf *b, const char *k, bool *first)
{
	if (!*first)
		ds_buf_putc(b, ',');
	*first = false;
	ds_buf_putc(b, '"');
	ds_buf_puts(b, k);
	ds_buf_puts(b, "\":");
}

static void
j_u64(struct ds_buf *b, const char *k, uint64_t v, bool *first)
{
	j_key(b, k, first);
	ds_buf_u64(b, v);
}

static void
j_bool(struct ds_buf *b, const char *k, bool v, bool *first)
{
	j_key(b, k, first);
	ds_buf_puts(b, v ? "true" : "false");
}

static void
j_str(struct ds_buf *b, const char *k, const char *v, bool *first)
{
	j_key(b, k, first);
	if (v == NULL)
		ds_buf_puts(b, "null");
	else
		ds_buf_json_str(b, v);
}

static void
j_hexbytes(struct ds_buf *b, const char *k, const uint8_t *p, size_t n,
    bool *first)
{
	j_key(b, k, first);
	ds_buf_putc(b, '"');
	ds_buf_hexbytes(b, p, n);
	ds_buf_putc(b, '"');
}

static void
j_end(struct ds_buf *b, const char *k, const struct ds_addr *a,
    uint16_t port, bool *first)
{
	bool f = true;

	j_key(b, k, first);
	if (a->family == DS_AF_ANY) {
		ds_buf_puts(b, "null");
		return;
	}
	ds_buf_putc(b, '{');
	j_key(b, "addr", &f);
	ds_buf_putc(b, '"');
	ds_buf_addr(b, a);
	ds_buf_putc(b, '"');
	j_u64(b, "port", port, &f);
	ds_buf_putc(b, '}');
}

static void
json_proposal(struct ds_buf *b, uint8_t version,
    const struct ds_ike_proposal *p)
{
	bool f = true, g;
	unsigned i;

	ds_buf_putc(b, '{');
	j_u64(b, "num", p->num, &f);
	j_u64(b, "proto", p->proto, &f);
	j_str(b, "proto_name", proto_name(version, p->proto), &f);
	if (p->spi_len > 0)
		j_hexbytes(b, "spi", p->spi, p->spi_len < sizeof p->spi ?
		    p->spi_len : sizeof p->spi, &f);
	j_key(b, "transforms", &f);
	ds_buf_putc(b, '[');
	for (i = 0; i < p->ntr && i < DS_IKE_MAX_TRANSFORMS; i++) {
		if (i > 0)
			ds_buf_putc(b, ',');
		ds_buf_putc(b, '{');
		g = true;
		j_u64(b, "type", p->tr[i].type, &g);
		j_str(b, "type_name", tr_type_name(version, p->tr[i].type),
		    &g);
		j_u64(b, "id", p->tr[i].id, &g);
		if (tr_id_name(version, &p->tr[i]) != NULL)
			j_str(b, "id_name", tr_id_name(version, &p->tr[i]),
			    &g);
		if (p->tr[i].keylen != 0)
			j_u64(b, "keylen", p->tr[i].keylen, &g);
		ds_buf_putc(b, '}');
	}
	ds_buf_putc(b, ']');
	if (p->auth_method != 0)
		j_u64(b, "auth_method", p->auth_method, &f);
	ds_buf_putc(b, '}');
}

static void
json_sa(struct ds_buf *b, const struct ds_ike_sa *sa)
{
	const struct ds_ike_exchange *x;
	bool f = true, g;
	unsigned i;

	ds_buf_putc(b, '{');
	j_u64(b, "version", sa->version, &f);
	j_hexbytes(b, "ispi", sa->ispi, 8, &f);
	j_hexbytes(b, "rspi", sa->rspi, 8, &f);
	j_end(b, "initiator", &sa->iaddr, sa->iport, &f);
	j_end(b, "responder", &sa->raddr, sa->rport, &f);
	j_u64(b, "first_frame", sa->first_frame, &f);
	j_u64(b, "last_frame", sa->last_frame, &f);
	j_u64(b, "messages", sa->messages, &f);
	j_u64(b, "retransmits", sa->retransmits, &f);
	j_bool(b, "deleted", sa->deleted, &f);
	j_key(b, "exchanges", &f);
	ds_buf_putc(b, '[');
	for (i = 0; i < sa->nexch && i < DS_IKE_MAX_EXCH; i++) {
		x = &sa->exch[i];
		if (i > 0)
			ds_buf_putc(b, ',');
		ds_buf_putc(b, '{');
		g = true;
		j_u64(b, "exch", x->exch, &g);
		j_str(b, "exch_name", exch_name(sa->version, x->exch), &g);
		j_u64(b, "msgid", x->msgid, &g);
		j_str(b, "requester", x->by_initiator ? "initiator" :
		    "responder", &g);
		j_bool(b, "request", x->request_seen, &g);
		j_bool(b, "response", x->response_seen, &g);
		j_u64(b, "retransmits", x->retransmits, &g);
		j_u64(b, "first_frame", x->first_frame, &g);
		ds_buf_putc(b, '}');
	}
	ds_buf_putc(b, ']');
	j_u64(b, "exchanges_lost", sa->exch_lost, &f);
	j_key(b, "offered", &f);
	ds_buf_putc(b, '[');
	for (i = 0; i < sa->noffered && i < DS_IKE_MAX_PROPOSALS; i++) {
		if (i > 0)
			ds_buf_putc(b, ',');
		json_proposal(b, sa->version, &sa->offered[i]);
	}
	ds_buf_putc(b, ']');
	j_key(b, "chosen", &f);
	if (sa->has_chosen)
		json_proposal(b, sa->version, &sa->chosen);
	else
		ds_buf_puts(b, "null");
	j_u64(b, "ke_group", sa->ke_group, &f);
	j_u64(b, "kei_len", sa->kei.len, &f);
	j_u64(b, "ker_len", sa->ker.len, &f);
	j_u64(b, "ni_len", sa->ni.len, &f);
	j_u64(b, "nr_len", sa->nr.len, &f);
	j_str(b, "nat", nat_verdict(sa, true), &f);
	j_bool(b, "initiator_behind_nat", sa->initiator_behind_nat, &f);
	j_bool(b, "responder_behind_nat", sa->responder_behind_nat, &f);
	j_u64(b, "natd_checked", sa->natd_checked, &f);
	j_key(b, "child_sas", &f);
	ds_buf_putc(b, '[');
	for (i = 0; i < sa->nchild_spis && i < DS_IKE_MAX_SPIS; i++) {
		if (i > 0)
			ds_buf_putc(b, ',');
		ds_buf_putc(b, '{');
		g = true;
		j_u64(b, "proto", sa->child_spis[i].proto, &g);
		j_str(b, "proto_name", proto_name(sa->version,
		    sa->child_spis[i].proto), &g);
		j_key(b, "spi", &g);
		ds_buf_puts(b, "\"0x");
		ds_buf_hex(b, sa->child_spis[i].spi, 8);
		ds_buf_putc(b, '"');
		j_bool(b, "deleted", sa->child_deleted[i], &g);
		ds_buf_putc(b, '}');
	}
	ds_buf_putc(b, ']');
	j_u64(b, "child_sas_lost", sa->child_spis_lost, &f);
	ds_buf_putc(b, '}');
}

void
ds_ike_summary_json(struct ds_buf *b, const struct ds_ike_table *t)
{
	const struct ds_ike_sa *sa;
	unsigned i, n = ds_ike_table_count(t);

	ds_buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if ((sa = ds_ike_table_get(t, i)) == NULL)
			break;
		if (i > 0)
			ds_buf_putc(b, ',');
		json_sa(b, sa);
	}
	ds_buf_putc(b, ']');
}
