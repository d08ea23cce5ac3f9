/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB */
#include "dissect/dissect.h"

void ds_ipv6_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_ipv6_ext_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
