/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-frame arena (core/arena.c). */
#ifndef DISSECT_CORE_ARENA_H
#define DISSECT_CORE_ARENA_H

#include <stddef.h>

struct ds_arena;

struct ds_arena	*ds_arena_new(void);
void		 ds_arena_free(struct ds_arena *);
/* 16-byte aligned; NULL when memory runs out. */
void		*ds_arena_alloc(struct ds_arena *, size_t);
void		 ds_arena_reset(struct ds_arena *);

#endif
