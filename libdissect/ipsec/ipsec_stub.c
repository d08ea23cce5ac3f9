/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB */
#include "dissect/dissect.h"

void ds_natt_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_esp_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_ah_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_ipcomp_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_ike_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
