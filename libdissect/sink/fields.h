/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One description of every layer's fields, written once and used by the
 * JSON sink and by the verbose text sink, so that the two never disagree.
 */
#ifndef DISSECT_SINK_FIELDS_H
#define DISSECT_SINK_FIELDS_H

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
/* "ipsec", "other", "fragment", "unsupported-link", "undecoded" */
const char *ds_frame_class_name(enum ds_frame_class);

#endif
