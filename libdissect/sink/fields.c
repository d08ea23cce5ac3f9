/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every layer's fields by name, in a fixed order.  The names are the JSON
 * schema (docs/json.md): add fields, never rename them.
 */
#include "dissect/dissect.h"
#include "dissect/names.h"
#include "fields.h"

const char *
ds_frame_class_name(enum ds_frame_class c)
{
	switch (c) {
	case DS_FC_IPSEC:	return "ipsec";
	case DS_FC_OTHER:	return "other";
	case DS_FC_FRAGMENT:	return "fragment";
	case DS_FC_UNSUPP_LINK:	return "unsupported-link";
	case DS_FC_UNDECODED:	return "undecoded";
	case DS_FC_COUNT_:	break;
	}
	return "?";
}

static void
mac(const struct ds_fields_ops *o, void *st, const char *name,
    const uint8_t m[6])
{
	o->bytes(st, name, m, 6);
}

static void
ike_fields(const struct ds_ike *k, bool v2, const struct ds_fields_ops *o,
    void *st)
{
	const char *x;

	o->bytes(st, "ispi", k->ispi, 8);
	o->bytes(st, "rspi", k->rspi, 8);
	o->u64(st, "next_payload", k->np);
	o->u64(st, "version_major", k->version >> 4);
	o->u64(st, "version_minor", k->version & 0xf);
	o->u64(st, "exchange", k->exch);
	x = v2 ? ds_ikev2_exch_name(k->exch) : ds_isakmp_exch_name(k->exch);
	if (x != NULL)
		o->str(st, "exchange_name", x);
	o->hex(st, "flags", k->flags, 2);
	if (v2) {
		/* RFC 7296 3.1: I(nitiator) bit 3, V(ersion) bit 4, R(esponse) bit 5 */
		o->flag(st, "initiator", k->flags & 0x08);
		o->flag(st, "response", k->flags & 0x20);
	} else {
		/* RFC 2408 3.1: E(ncryption), C(ommit), A(uthentication only) */
		o->flag(st, "encrypted", k->flags & 0x01);
	}
	o->u64(st, "msgid", k->msgid);
	o->u64(st, "len", k->len);
	if (k->in_udp4500)
		o->flag(st, "non_esp_marker", true);
}

/*
 * What the keyring said of an ESP or AH packet: "icv" is the verdict for
 * both (AH's ICV bytes are "icv_value").
 */
static void
sa_fields(uint8_t status, uint8_t icv, uint32_t sa_id, const char *label,
    bool spi_only, bool esn, uint32_t seq_hi, bool replay,
    const struct ds_fields_ops *o, void *st)
{
	o->str(st, "status", ds_sa_status_name(status));
	/* not looked at (inside an ICMP quote): nothing was checked */
	o->str(st, "icv", ds_icv_name(status == DS_SAS_NOT_TRIED ?
	    DS_ICV_UNCHECKED : icv));
	if (sa_id != 0) {
		o->u64(st, "sa_id", sa_id);
		o->str(st, "sa", label != NULL ? label : "");
	}
	if (spi_only)
		o->flag(st, "spi_only", true);
	if (esn) {
		o->flag(st, "esn", true);
		o->u64(st, "seq_hi", seq_hi);
	}
	if (replay)
		o->flag(st, "replay", true);
}

static void
esp_fields(const struct ds_esp *e, const struct ds_fields_ops *o, void *st)
{
	o->flag(st, "decrypted", e->decrypted);
	sa_fields(e->status, e->icv, e->sa_id, e->sa_label, e->spi_only, e->esn,
	    e->seq_hi, e->is_replay, o, st);
	if (e->sa_id != 0)
		o->u64(st, "icv_len", e->icv_len);
	if (e->status != DS_SAS_OK && e->status != DS_SAS_BAD_PADDING)
		return;
	/* opened: the trailer was read */
	o->u64(st, "iv_len", e->iv_len);
	o->u64(st, "pad_len", e->pad_len);
	o->u64(st, "nxt", e->nxt);
	if (!e->decrypted)
		return;
	o->u64(st, "plain_len", e->plain.len);
	if (e->tfc_len > 0)
		o->u64(st, "tfc_len", e->tfc_len);
	if (e->is_dummy)
		o->flag(st, "dummy", true);
}

void
ds_fields_sa(const struct ds_layer *l, const struct ds_fields_ops *o,
    void *st)
{
	const struct ds_ah *ah = &l->u.ah;

	if (l->proto == DS_P_ESP)
		esp_fields(&l->u.esp, o, st);
	else if (l->proto == DS_P_AH)
		sa_fields(ah->status, ah->icv_verdict, ah->sa_id,
		    ah->sa_label, ah->spi_only, ah->esn, ah->seq_hi,
		    ah->is_replay, o, st);
}

bool
ds_frame_keyed(const struct ds_frame *f)
{
	return f->eng != NULL && ds_engine_keyring(f->eng) != NULL;
}

void
ds_fields_layer(const struct ds_layer *l, const struct ds_fields_ops *o,
    void *st)
{
	const char *x;

	switch (l->proto) {
	case DS_P_ETH:
		mac(o, st, "src", l->u.eth.src);
		mac(o, st, "dst", l->u.eth.dst);
		o->hex(st, "type", l->u.eth.type, 4);
		break;
	case DS_P_VLAN:
		o->hex(st, "tpid", l->u.vlan.tpid, 4);
		o->u64(st, "vid", l->u.vlan.tci & 0x0fff);
		o->u64(st, "pcp", l->u.vlan.tci >> 13);
		o->u64(st, "dei", (l->u.vlan.tci >> 12) & 1);
		o->hex(st, "type", l->u.vlan.type, 4);
		break;
	case DS_P_SLL:
	case DS_P_SLL2:
		o->u64(st, "pkttype", l->u.sll.pkttype);
		o->u64(st, "hatype", l->u.sll.hatype);
		o->bytes(st, "addr", l->u.sll.addr,
		    l->u.sll.halen < 8 ? l->u.sll.halen : 8);
		o->hex(st, "type", l->u.sll.proto, 4);
		if (l->proto == DS_P_SLL2)
			o->u64(st, "ifindex", l->u.sll.ifindex);
		break;
	case DS_P_NULL:
		o->u64(st, "family", l->u.null.family);
		break;
	case DS_P_IPV4:
		o->addr(st, "src", &l->u.ip4.src);
		o->addr(st, "dst", &l->u.ip4.dst);
		o->u64(st, "hlen", l->u.ip4.hlen);
		o->hex(st, "tos", l->u.ip4.tos, 2);
		o->u64(st, "totlen", l->u.ip4.totlen);
		o->hex(st, "id", l->u.ip4.id, 4);
		o->flag(st, "df", l->u.ip4.frag & 0x4000);
		o->flag(st, "mf", l->u.ip4.frag & 0x2000);
		o->u64(st, "frag_off", (uint64_t)(l->u.ip4.frag & 0x1fff) * 8);
		o->u64(st, "ttl", l->u.ip4.ttl);
		o->u64(st, "proto", l->u.ip4.proto);
		o->hex(st, "cksum", l->u.ip4.cksum, 4);
		if (l->u.ip4.is_fragment)
			o->flag(st, "fragment", true);
		if (l->u.ip4.is_reassembled) {
			o->flag(st, "reassembled", true);
			o->u64(st, "fragments", l->u.ip4.nfrags);
		}
		break;
	case DS_P_IPV6:
		o->addr(st, "src", &l->u.ip6.src);
		o->addr(st, "dst", &l->u.ip6.dst);
		o->hex(st, "tclass", (l->u.ip6.vtc_flow >> 20) & 0xff, 2);
		o->hex(st, "flow", l->u.ip6.vtc_flow & 0xfffff, 5);
		o->u64(st, "plen", l->u.ip6.plen);
		o->u64(st, "nxt", l->u.ip6.nxt);
		o->u64(st, "hlim", l->u.ip6.hlim);
		if (l->u.ip6.next_count > 0)
			o->list(st, "ext", l->u.ip6.ext,
			    l->u.ip6.next_count < DS_MAX_V6EXT ?
			    l->u.ip6.next_count : DS_MAX_V6EXT);
		o->u64(st, "proto", l->u.ip6.proto);
		if (l->u.ip6.is_fragment) {
			o->flag(st, "fragment", true);
			o->hex(st, "frag_id", l->u.ip6.frag_id, 8);
			o->u64(st, "frag_off", l->u.ip6.frag_off);
			o->flag(st, "mf", l->u.ip6.frag_more);
		}
		if (l->u.ip6.is_reassembled) {
			o->flag(st, "reassembled", true);
			o->u64(st, "fragments", l->u.ip6.nfrags);
		}
		break;
	case DS_P_UDP:
		o->u64(st, "sport", l->u.udp.sport);
		o->u64(st, "dport", l->u.udp.dport);
		o->u64(st, "len", l->u.udp.len);
		o->hex(st, "cksum", l->u.udp.cksum, 4);
		break;
	case DS_P_TCP:
		o->u64(st, "sport", l->u.tcp.sport);
		o->u64(st, "dport", l->u.tcp.dport);
		o->u64(st, "seq", l->u.tcp.seq);
		o->u64(st, "ack", l->u.tcp.ack);
		o->hex(st, "flags", l->u.tcp.flags, 2);
		o->u64(st, "hlen", l->u.tcp.hlen);
		break;
	case DS_P_ICMP:
	case DS_P_ICMPV6:
		o->u64(st, "type", l->u.icmp.type);
		o->u64(st, "code", l->u.icmp.code);
		if (l->u.icmp.is_error)
			o->flag(st, "error", true);
		break;
	case DS_P_NATT:
		o->str(st, "kind", l->u.natt.kind == DS_NATT_KEEPALIVE ?
		    "keepalive" : "non-esp-marker");
		break;
	case DS_P_ESP:
		o->hex(st, "spi", l->u.esp.spi, 8);
		o->u64(st, "seq", l->u.esp.seq);
		o->u64(st, "len", l->u.esp.payload_len);
		o->flag(st, "udp_encap", l->u.esp.in_udp);
		break;
	case DS_P_AH:
		o->u64(st, "nxt", l->u.ah.nxt);
		o->u64(st, "len", l->u.ah.len);
		o->hex(st, "spi", l->u.ah.spi, 8);
		o->u64(st, "seq", l->u.ah.seq);
		o->u64(st, "icv_len", l->u.ah.icv_len);
		if (l->u.ah.icv.p != NULL)
			o->bytes(st, "icv_value", l->u.ah.icv.p,
			    l->u.ah.icv.len);
		break;
	case DS_P_IPCOMP:
		o->u64(st, "nxt", l->u.ipcomp.nxt);
		o->hex(st, "flags", l->u.ipcomp.flags, 2);
		o->hex(st, "cpi", l->u.ipcomp.cpi, 4);
		if ((x = ds_ipcomp_cpi_name(l->u.ipcomp.cpi)) != NULL)
			o->str(st, "cpi_name", x);
		o->u64(st, "len", l->u.ipcomp.payload_len);
		if (l->u.ipcomp.inflated) {
			o->flag(st, "inflated", true);
			o->u64(st, "plain_len", l->u.ipcomp.plain.len);
		}
		break;
	case DS_P_ISAKMP:
		ike_fields(&l->u.ike, false, o, st);
		break;
	case DS_P_IKEV2:
		ike_fields(&l->u.ike, true, o, st);
		break;
	case DS_P_DATA:
		o->u64(st, "len", l->bytes.len);
		break;
	case DS_P_COUNT_:
		break;
	}
}
