/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB: ISAKMP / IKEv1 payloads (being written). */
#include "ike_int.h"

void
ds_isakmp_payloads(struct ds_frame *f, struct ds_layer *l, struct ds_cur *c)
{
	(void)f;
	(void)l;
	(void)c;
}

const char *
ds_isakmp_payload_name(uint8_t t)
{
	(void)t;
	return NULL;
}
