/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB: IKEv1 fragment reassembly (being written). */
#include <stdlib.h>

#include "ike_int.h"

struct ds_ike_frag {
	unsigned	 n;
};

struct ds_ike_frag *
ds_ike_frag_new(const struct ds_engine_cfg *cfg)
{
	(void)cfg;
	return calloc(1, sizeof(struct ds_ike_frag));
}

void
ds_ike_frag_free(struct ds_ike_frag *t)
{
	free(t);
}
