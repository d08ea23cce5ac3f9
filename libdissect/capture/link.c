/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB: link layers (replaced by the real dissectors). */
#include "dissect/dissect.h"

void
ds_link_dissect(struct ds_frame *f, struct ds_cur *c)
{
	(void)c;
	ds_frame_note(f, DS_N_UNSUPPORTED_LINK);
}

void
ds_vlan_dissect(struct ds_frame *f, struct ds_cur *c, uint16_t tpid)
{
	(void)tpid;
	ds_data_dissect(f, c);
}
