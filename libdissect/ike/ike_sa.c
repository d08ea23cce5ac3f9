/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB: the per-IKE-SA table (being written). */
#include <stdlib.h>

#include "dissect/dissect.h"
#include "dissect/ike.h"

struct ds_ike_table {
	unsigned	 n;
};

struct ds_ike_table *
ds_ike_table_new(const struct ds_engine_cfg *cfg)
{
	(void)cfg;
	return calloc(1, sizeof(struct ds_ike_table));
}

void
ds_ike_table_free(struct ds_ike_table *t)
{
	free(t);
}

void
ds_ike_sa_observe(struct ds_frame *f, struct ds_layer *l)
{
	(void)f;
	(void)l;
}

unsigned
ds_ike_table_count(const struct ds_ike_table *t)
{
	return t->n;
}

const struct ds_ike_sa *
ds_ike_table_get(const struct ds_ike_table *t, unsigned i)
{
	(void)t;
	(void)i;
	return NULL;
}

uint64_t
ds_ike_table_dropped(const struct ds_ike_table *t)
{
	(void)t;
	return 0;
}
