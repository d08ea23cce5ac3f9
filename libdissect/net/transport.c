/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB */
#include "dissect/dissect.h"

void ds_udp_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_tcp_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_icmp_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
void ds_icmpv6_dissect(struct ds_frame *f, struct ds_cur *c) { ds_data_dissect(f, c); }
