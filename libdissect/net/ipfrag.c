/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB */
#include <stdlib.h>
#include "dissect/dissect.h"

struct ds_ipfrag { int dummy; };
struct ds_ipfrag *ds_ipfrag_new(const struct ds_engine_cfg *cfg) { (void)cfg; return calloc(1, sizeof(struct ds_ipfrag)); }
void ds_ipfrag_free(struct ds_ipfrag *t) { free(t); }
void ds_ipfrag_finish(struct ds_ipfrag *t, struct ds_stats *st) { (void)t; (void)st; }
