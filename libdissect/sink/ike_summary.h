/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-IKE-SA view of the summary, as text and as JSON. */
#ifndef DISSECT_SINK_IKE_SUMMARY_H
#define DISSECT_SINK_IKE_SUMMARY_H

#include <stdio.h>

#include "dissect/buf.h"
#include "dissect/ike.h"

/* A block of lines per IKE SA, in the order they were first seen. */
void	ds_ike_summary_text(FILE *, const struct ds_ike_table *);
/* A JSON array with an object per IKE SA (the caller writes the key). */
void	ds_ike_summary_json(struct ds_buf *, const struct ds_ike_table *);

#endif
