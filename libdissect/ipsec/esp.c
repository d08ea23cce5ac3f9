/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ESP: the clear header that names the SA and orders its packets, and,
 * when the engine has a keyring, the SA's verdict on the packet and the
 * plaintext it protects, dissected one level deeper.
 * RFC 4303 2 (packet format), 2.1 (SPI), 2.2 (sequence number), 2.4
 * (padding), 2.6 (dummy packets), 2.7 (TFC padding), 3.4 (inbound
 * processing); RFC 3948 2.1 (ESP in UDP).
 */
#include <string.h>

#include "ipsec/ipsec_int.h"

#define ESP_HDR_LEN		8	/* SPI and sequence number */
#define ESP_SPI_IANA_MAX	255	/* RFC 4303 2.1: 1..255 are IANA's */
#define ESP_TRAILER_LEN		2	/* Pad Length and Next Header */
#define ESP_IPV4_MIN		20	/* RFC 791 3.1 */
#define ESP_IPV6_HDR		40	/* RFC 8200 3 */

/*
 * RFC 4303 2:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Security Parameters Index (SPI)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Payload Data* (variable)                   |
 * ~                                                               ~
 * |               |     Padding (0-255 bytes)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Pad Length   | Next Header   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Integrity Check Value-ICV   (variable)                |
 * ~                                                               ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Only the first 8 octets are in the clear.  Everything after them, up to
 * the end the enclosing header claims, is payload_len octets of ciphertext,
 * trailer and ICV, which only the SA can tell apart.
 */
enum ds_err
ds_esp_parse(struct ds_cur *c, struct ds_esp *esp)
{
	struct ds_cur t = *c;
	uint32_t spi, seq;

	/* RFC 4303 2: SPI and sequence number are mandatory */
	if (!ds_need(&t, ESP_HDR_LEN))
		return t.err;
	spi = ds_be32(&t);
	seq = ds_be32(&t);
	esp->spi = spi;
	esp->seq = seq;
	esp->payload_len = t.rep > UINT32_MAX ? UINT32_MAX : (uint32_t)t.rep;
	esp->in_udp = false;
	*c = t;
	return DS_OK;
}

/*
 * A quote inside an ICMP error is cut short by design, and a frame already
 * known to be cut is not told so twice.
 */
static void
esp_note_err(struct ds_frame *f, enum ds_err e)
{
	bool quoted = f->nlayers > 0 && f->layer[f->nlayers - 1].quoted;

	if (e == DS_ETRUNC) {
		if (!quoted && !f->is_truncated)
			ds_frame_note(f, DS_N_TRUNCATED);
	} else if (e == DS_EMALFORMED)
		ds_frame_note(f, DS_N_ESP_SHORT);
	else if (e != DS_OK)
		ds_frame_note_err(f, e);
}

static void
esp_note_spi(struct ds_frame *f, uint32_t spi)
{
	/* RFC 4303 2.1: SPI 0 is never sent on the wire */
	if (spi == 0)
		ds_frame_note(f, DS_N_ESP_SPI_ZERO);
	/* RFC 4303 2.1: 1..255 are reserved by IANA for future use */
	else if (spi <= ESP_SPI_IANA_MAX)
		ds_frame_note(f, DS_N_ESP_SPI_RESERVED);
}

/* A verdict other than "opened": the status, and its note if it has one. */
static bool
esp_fail(struct ds_frame *f, struct ds_esp *esp, enum ds_sa_status st,
    enum ds_note_code note)
{
	esp->status = st;
	if (note != DS_N_COUNT_)
		ds_frame_note(f, note);
	return false;
}

/*
 * Tunnel mode (RFC 4303 2.7): the inner IP header says how long the inner
 * packet is; what follows it, before the ESP padding, is TFC padding.  A
 * header that cannot tell (too short, another version, an IPv6 jumbogram,
 * a length past the payload) leaves the whole payload to the inner
 * dissector, which notes what is wrong.
 */
static size_t
esp_inner_len(uint8_t nxt, const struct ds_view *pay)
{
	struct ds_cur c = ds_cur_make(pay->p, pay->len, pay->len);
	size_t n;
	uint8_t v;

	v = ds_u8(&c) >> 4;
	if (nxt == DS_IPPROTO_IPIP && v == 4) {
		(void)ds_skip(&c, 1);
		n = ds_be16(&c);
		/* RFC 791 3.1: Total Length counts the header, 20 at least */
		if (!ds_ok(&c) || n < ESP_IPV4_MIN)
			return pay->len;
	} else if (nxt == DS_IPPROTO_IPV6 && v == 6) {
		(void)ds_skip(&c, 3);
		n = ds_be16(&c);
		/* RFC 2675 3: payload length 0 is a jumbogram's */
		if (!ds_ok(&c) || n == 0)
			return pay->len;
		n += ESP_IPV6_HDR;
	} else
		return pay->len;
	return n < pay->len ? n : pay->len;
}

/*
 * The decrypted Payload Data, Padding, Pad Length and Next Header, read
 * from the tail (RFC 4303 2.4):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Payload Data (tunnel mode: inner packet, then TFC padding)  |
 * ~               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |  Padding 1, 2, 3, ... (0-255 bytes)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Pad Length   | Next Header   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * True when esp->plain holds a packet for the dissector of esp->nxt.  On
 * bad padding nothing is marked decrypted.
 */
static bool
esp_trailer(struct ds_frame *f, struct ds_esp *esp, const struct ds_view *pt)
{
	struct ds_cur c = ds_cur_make(pt->p, pt->len, pt->len), t;
	struct ds_view tr, pad, pay;
	size_t inner;
	unsigned i;

	/* RFC 4303 2.4: the trailer ends every payload, 4-byte aligned */
	if (!ds_take_tail(&c, ESP_TRAILER_LEN, &tr))
		return esp_fail(f, esp, DS_SAS_BAD_LENGTH,
		    DS_N_ESP_BAD_LENGTH);
	t = ds_cur_make(tr.p, tr.len, tr.len);
	esp->pad_len = ds_u8(&t);
	esp->nxt = ds_u8(&t);
	/* RFC 4303 2.4: Pad Length counts bytes of this payload */
	if (!ds_take_tail(&c, esp->pad_len, &pad))
		return esp_fail(f, esp, DS_SAS_BAD_PADDING,
		    DS_N_ESP_BAD_PADDING);
	/* RFC 4303 2.4: the default padding is 1, 2, 3, ... */
	t = ds_cur_make(pad.p, pad.len, pad.len);
	for (i = 1; i <= esp->pad_len; i++)
		if (ds_u8(&t) != i)
			return esp_fail(f, esp, DS_SAS_BAD_PADDING,
			    DS_N_ESP_BAD_PADDING);
	pay = ds_rest(&c);
	esp->status = DS_SAS_OK;
	esp->decrypted = true;
	esp->plain = pay;
	/* RFC 4303 2.6: next header 59 marks a dummy packet, discarded */
	if (esp->nxt == DS_IPPROTO_NONE) {
		esp->is_dummy = true;
		ds_frame_note(f, DS_N_ESP_DUMMY);
		return false;
	}
	if (esp->nxt == DS_IPPROTO_IPIP || esp->nxt == DS_IPPROTO_IPV6) {
		inner = esp_inner_len(esp->nxt, &pay);
		esp->plain.len = inner;
		if (inner < pay.len) {
			esp->tfc_len = pay.len - inner > UINT16_MAX ?
			    UINT16_MAX : (uint16_t)(pay.len - inner);
			ds_frame_note(f, DS_N_ESP_TFC);
		}
	}
	return true;
}

/*
 * Asks the SA to verify and decrypt `pay` (IV, ciphertext, ICV) into the
 * frame arena (RFC 4303 3.4.2-3.4.4: the keyring checks the replay window
 * and the ICV before it decrypts), then reads the trailer.
 */
static bool
esp_open(struct ds_frame *f, struct ds_esp *esp, const struct ds_keyring *kr,
    const struct ds_sa_ref *ref, const struct ds_view *pay)
{
	struct ds_sa_open req;
	enum ds_err e;

	memset(&req, 0, sizeof req);
	req.proto = DS_IPPROTO_ESP;
	req.spi = esp->spi;
	req.seq = esp->seq;
	req.data = *pay;
	req.outcap = pay->len;
	/* one byte at least: an empty payload still gets a verdict */
	if ((req.out = ds_frame_alloc(f, pay->len + 1)) == NULL)
		return false;		/* not tried: out of memory */
	e = kr->open(kr->ctx, ref, &req);
	/* a key bound by trial to an unknown SPI names itself here */
	if (req.sa_id != 0) {
		esp->sa_id = req.sa_id;
		esp->sa_label = req.sa_label;
	}
	esp->iv_len = req.iv_len;
	esp->icv = req.verdict;
	if (esp->esn)
		esp->seq_hi = req.seq_hi;
	esp->is_replay = req.is_replay;
	/* RFC 4303 3.4.3: a replayed packet is shown, and said to be one */
	if (req.is_replay)
		ds_frame_note(f, DS_N_SA_REPLAY);
	switch (e) {
	case DS_OK:
		break;
	case DS_EAUTH:
		esp->icv = DS_ICV_BAD;
		return esp_fail(f, esp, DS_SAS_ICV_FAILED, DS_N_ICV_FAILED);
	case DS_EMALFORMED:
		esp->icv = DS_ICV_UNCHECKED;
		return esp_fail(f, esp, DS_SAS_BAD_LENGTH,
		    DS_N_ESP_BAD_LENGTH);
	case DS_ENOKEY:
		esp->icv = DS_ICV_UNCHECKED;
		return esp_fail(f, esp, DS_SAS_NO_SA, DS_N_SA_NONE);
	default:
		esp->icv = DS_ICV_UNCHECKED;
		return esp_fail(f, esp, DS_SAS_UNSUPPORTED,
		    DS_N_ALG_UNSUPPORTED);
	}
	/* the keyring's contract: the plaintext lies in out */
	if (req.plain.len > req.outcap ||
	    (req.plain.len > 0 && req.plain.p == NULL))
		return esp_fail(f, esp, DS_SAS_BAD_LENGTH,
		    DS_N_ESP_BAD_LENGTH);
	return esp_trailer(f, esp, &req.plain);
}

/*
 * The SA's say on ESP layer i, when the engine has a keyring and the packet
 * is not part of an ICMP quote.  `pay` is the whole payload, or NULL when
 * it was not captured whole (or the header is short: `e`).  True when the
 * layer's plaintext is to be dissected.
 */
static bool
esp_keyed(struct ds_frame *f, unsigned i, const struct ds_view *pay,
    enum ds_err e)
{
	const struct ds_keyring *kr = ds_engine_keyring(f->eng);
	struct ds_esp *esp = &f->layer[i].u.esp;
	static const struct ds_addr none;
	const struct ds_addr *src = &none, *dst = &none;
	struct ds_sa_ref ref;
	unsigned ip;

	if (kr == NULL || kr->lookup == NULL)
		return false;
	esp->icv = DS_ICV_UNCHECKED;
	(void)ds_ipsec_ip_below(f, i, &ip, &src, &dst);
	memset(&ref, 0, sizeof ref);
	/* RFC 4303 3.4.2: the SPI and the addresses select the SA */
	if (!kr->lookup(kr->ctx, DS_IPPROTO_ESP, esp->spi, src, dst, &ref))
		return esp_fail(f, esp, DS_SAS_NO_SA, DS_N_SA_NONE);
	esp->sa_id = ref.id;
	esp->sa_label = ref.label;
	esp->spi_only = ref.spi_only;
	esp->esn = ref.esn;
	esp->icv_len = ref.icv_len;
	if (ref.spi_only)
		ds_frame_note(f, DS_N_SA_SPI_ONLY);
	if (e == DS_EMALFORMED)		/* DS_N_ESP_SHORT says why */
		return esp_fail(f, esp, DS_SAS_BAD_LENGTH, DS_N_COUNT_);
	/* the ICV covers the whole packet: a cut one cannot be checked */
	if (pay == NULL)
		return esp_fail(f, esp, DS_SAS_TRUNCATED, DS_N_COUNT_);
	if (kr->open == NULL)
		return esp_fail(f, esp, DS_SAS_UNSUPPORTED,
		    DS_N_ALG_UNSUPPORTED);
	return esp_open(f, esp, kr, &ref, pay);
}

/*
 * Counts layer i in the per-SA rows and, when it was opened, dissects its
 * plaintext one level deeper: transport mode hands the payload to the
 * protocol of Next Header, tunnel mode the inner packet to IPv4 or IPv6.
 */
static void
esp_finish(struct ds_frame *f, unsigned i, bool opened)
{
	struct ds_layer *l = &f->layer[i];
	struct ds_cur pc;
	uint8_t depth;

	if (f->eng == NULL || l->quoted)
		return;
	ds_engine_count_sa(f->eng, l);
	if (!opened)
		return;
	depth = f->depth;
	f->depth = (uint8_t)(l->depth + 1);
	pc = ds_cur_make(l->u.esp.plain.p, l->u.esp.plain.len,
	    l->u.esp.plain.len);
	ds_ipproto_dispatch(f, l->u.esp.nxt, &pc);
	f->depth = depth;
}

void
ds_esp_dissect(struct ds_frame *f, struct ds_cur *c)
{
	const uint8_t *start = c->p;
	size_t got = ds_left(c), rep;
	struct ds_layer *l;
	struct ds_esp esp;
	struct ds_view pay;
	struct ds_cur t;
	enum ds_err e;
	unsigned i;
	bool in_udp, keyed, opened = false;

	/* RFC 3948 2.1: ESP right after a UDP header is encapsulated */
	in_udp = f->nlayers > 0 &&
	    f->layer[f->nlayers - 1].proto == DS_P_UDP;
	memset(&esp, 0, sizeof esp);
	e = ds_esp_parse(c, &esp);
	if (e != DS_OK) {
		/* The SPI alone still names the SA: keep it when captured. */
		t = *c;
		esp.spi = ds_be32(&t);
		if (!ds_ok(&t)) {
			esp_note_err(f, e);
			return;
		}
	}
	if ((l = ds_frame_push(f, DS_P_ESP, start, got)) == NULL)
		return;
	i = f->nlayers - 1;
	esp.in_udp = in_udp;
	l->u.esp = esp;
	esp_note_spi(f, esp.spi);
	keyed = f->eng != NULL && !l->quoted;
	if (e != DS_OK) {
		esp_note_err(f, e);
		if (keyed)
			(void)esp_keyed(f, i, NULL, e);
		esp_finish(f, i, false);
		return;
	}
	/* The payload is needed whole to check the ICV and decrypt. */
	rep = c->rep;
	pay = ds_rest(c);
	if (pay.len < rep)
		esp_note_err(f, DS_ETRUNC);
	if (keyed)
		opened = esp_keyed(f, i, pay.len == rep ? &pay : NULL, DS_OK);
	esp_finish(f, i, opened);
}
