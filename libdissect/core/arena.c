/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-frame arena: reassembled datagrams, and later plaintext and
 * inflated payloads, live here until the frame is done (Wireshark's packet
 * pool).  Chunks are kept across frames so that steady state allocates
 * nothing.
 */
#include <stdlib.h>

#include "arena.h"

#define ARENA_CHUNK	(64 * 1024)

struct ds_arena_chunk {
	struct ds_arena_chunk	*next;
	size_t			 size;
	size_t			 used;
	_Alignas(16) unsigned char mem[];
};

struct ds_arena {
	struct ds_arena_chunk	*head;	/* current chunk first */
};

struct ds_arena *
ds_arena_new(void)
{
	return calloc(1, sizeof(struct ds_arena));
}

void
ds_arena_free(struct ds_arena *a)
{
	struct ds_arena_chunk *c, *n;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void *
ds_arena_alloc(struct ds_arena *a, size_t n)
{
	struct ds_arena_chunk *c;
	size_t size, need;

	need = (n + 15) & ~(size_t)15;
	if (need < n)
		return NULL;
	for (c = a->head; c != NULL; c = c->next)
		if (c->size - c->used >= need) {
			void *p = c->mem + c->used;
			c->used += need;
			return p;
		}
	size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
	if ((c = malloc(sizeof *c + size)) == NULL)
		return NULL;
	c->size = size;
	c->used = need;
	c->next = a->head;
	a->head = c;
	return c->mem;
}

/* Keeps one standard chunk; oversized ones are returned to the system. */
void
ds_arena_reset(struct ds_arena *a)
{
	struct ds_arena_chunk *c, *n, *keep = NULL;

	for (c = a->head; c != NULL; c = n) {
		n = c->next;
		if (keep == NULL && c->size == ARENA_CHUNK) {
			keep = c;
			keep->used = 0;
			keep->next = NULL;
		} else
			free(c);
	}
	a->head = keep;
}
