/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ESP: the clear header that names the SA and orders its packets; the rest
 * stays opaque until keys are known.
 * RFC 4303 2 (packet format), 2.1 (SPI), 2.2 (sequence number);
 * RFC 3948 2.1 (ESP in UDP).
 */
#include "dissect/dissect.h"

#define ESP_HDR_LEN		8	/* SPI and sequence number */
#define ESP_SPI_IANA_MAX	255	/* RFC 4303 2.1: 1..255 are IANA's */

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

void
ds_esp_dissect(struct ds_frame *f, struct ds_cur *c)
{
	const uint8_t *start = c->p;
	size_t got = ds_left(c);
	struct ds_layer *l;
	struct ds_esp esp;
	struct ds_cur t;
	enum ds_err e;
	bool in_udp;

	/* RFC 3948 2.1: ESP right after a UDP header is encapsulated */
	in_udp = f->nlayers > 0 &&
	    f->layer[f->nlayers - 1].proto == DS_P_UDP;
	e = ds_esp_parse(c, &esp);
	if (e != DS_OK) {
		/* The SPI alone still names the SA: keep it when captured. */
		t = *c;
		esp.spi = ds_be32(&t);
		if (!ds_ok(&t)) {
			esp_note_err(f, e);
			return;
		}
		esp.seq = 0;
		esp.payload_len = 0;
	}
	if ((l = ds_frame_push(f, DS_P_ESP, start, got)) == NULL)
		return;
	esp.in_udp = in_udp;
	l->u.esp = esp;
	esp_note_spi(f, esp.spi);
	if (e != DS_OK) {
		esp_note_err(f, e);
		return;
	}
	/* The payload is needed whole to check the ICV and decrypt. */
	if (ds_left(c) < c->rep)
		esp_note_err(f, DS_ETRUNC);
	(void)ds_rest(c);
}
