/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB */
#include "dissect/dissect.h"

void ds_ipv4_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_ip_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
