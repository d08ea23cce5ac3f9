/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB: known IKE Vendor IDs (being written). */
#include "ike_int.h"

const char *
ds_ike_vendor_name(struct ds_view v)
{
	(void)v;
	return NULL;
}
