/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB: IKEv2 payloads (being written). */
#include "ike_int.h"

void
ds_ikev2_payloads(struct ds_frame *f, struct ds_layer *l, struct ds_cur *c)
{
	(void)f;
	(void)l;
	(void)c;
}
