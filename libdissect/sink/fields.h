/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One description of every layer's fields, written once and used by the
 * JSON sink and by the verbose text sink, so that the two never disagree.
 */
#ifndef DISSECT_SINK_FIELDS_H
#define DISSECT_SINK_FIELDS_H

#include "dissect/engine.h"
#include "dissect/frame.h"

struct ds_fields_ops {
	void	(*u64)(void *, const char *name, uint64_t);
	/* A number shown as "0x..." with `digits` hex digits (a string in JSON). */
	void	(*hex)(void *, const char *name, uint64_t, unsigned digits);
	void	(*str)(void *, const char *name, const char *);
	void	(*addr)(void *, const char *name, const struct ds_addr *);
	void	(*bytes)(void *, const char *name, const uint8_t *, size_t);
	void	(*flag)(void *, const char *name, bool);
	/* A list of small numbers (IPv6 extension header types). */
	void	(*list)(void *, const char *name, const uint8_t *, size_t);
};

void	ds_fields_layer(const struct ds_layer *, const struct ds_fields_ops *,
	    void *);
/*
 * An ESP or AH layer's SA verdict and, for opened ESP, its trailer; the
 * sinks add them after ds_fields_layer() when the frame was dissected
 * with a keyring (ds_frame_keyed()), so that output without keys stays as
 * it was.
 */
void	ds_fields_sa(const struct ds_layer *, const struct ds_fields_ops *,
	    void *);
bool	ds_frame_keyed(const struct ds_frame *);
/* "ipsec", "other", "fragment", "unsupported-link", "undecoded" */
const char *ds_frame_class_name(enum ds_frame_class);

#endif
