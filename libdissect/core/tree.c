/* SPDX-License-Identifier: BSD-2-Clause */
/* Field trees in the frame arena (see dissect/tree.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "dissect/tree.h"

static struct ds_field *
field_new(struct ds_frame *f, const char *name, enum ds_fkind kind)
{
	struct ds_field *n;

	if ((n = ds_frame_alloc(f, sizeof *n)) == NULL)
		return NULL;
	memset(n, 0, sizeof *n);
	n->name = name;
	n->kind = (uint8_t)kind;
	return n;
}

static struct ds_field *
append(struct ds_frame *f, struct ds_field *parent, const char *name,
    enum ds_fkind kind)
{
	struct ds_field *n;

	if (parent == NULL || (parent->kind != DS_FK_OBJ &&
	    parent->kind != DS_FK_LIST))
		return NULL;
	if ((n = field_new(f, name, kind)) == NULL)
		return NULL;
	if (parent->tail != NULL)
		parent->tail->next = n;
	else
		parent->child = n;
	parent->tail = n;
	return n;
}

struct ds_field *
ds_tree_root(struct ds_frame *f, enum ds_fkind kind)
{
	return field_new(f, "", kind);
}

struct ds_field *
ds_tree_obj(struct ds_frame *f, struct ds_field *parent, const char *name)
{
	return append(f, parent, name, DS_FK_OBJ);
}

struct ds_field *
ds_tree_list(struct ds_frame *f, struct ds_field *parent, const char *name)
{
	return append(f, parent, name, DS_FK_LIST);
}

struct ds_field *
ds_tree_u64(struct ds_frame *f, struct ds_field *parent, const char *name,
    uint64_t v)
{
	struct ds_field *n = append(f, parent, name, DS_FK_U64);

	if (n != NULL)
		n->v.u = v;
	return n;
}

struct ds_field *
ds_tree_hex(struct ds_frame *f, struct ds_field *parent, const char *name,
    uint64_t v, unsigned digits)
{
	struct ds_field *n = append(f, parent, name, DS_FK_HEX);

	if (n != NULL) {
		n->v.u = v;
		n->digits = (uint8_t)(digits > 16 ? 16 : digits);
	}
	return n;
}

struct ds_field *
ds_tree_str(struct ds_frame *f, struct ds_field *parent, const char *name,
    const char *s)
{
	struct ds_field *n = append(f, parent, name, DS_FK_STR);

	if (n != NULL)
		n->v.s = s != NULL ? s : "";
	return n;
}

struct ds_field *
ds_tree_strf(struct ds_frame *f, struct ds_field *parent, const char *name,
    const char *fmt, ...)
{
	struct ds_field *n;
	va_list ap;
	char tmp[512], *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	if ((size_t)len >= sizeof tmp)
		len = sizeof tmp - 1;
	if ((s = ds_frame_alloc(f, (size_t)len + 1)) == NULL)
		return NULL;
	memcpy(s, tmp, (size_t)len + 1);
	s[len] = '\0';
	if ((n = append(f, parent, name, DS_FK_STR)) != NULL)
		n->v.s = s;
	return n;
}

struct ds_field *
ds_tree_bytes(struct ds_frame *f, struct ds_field *parent, const char *name,
    struct ds_view b)
{
	struct ds_field *n = append(f, parent, name, DS_FK_BYTES);

	if (n != NULL)
		n->v.b = b;
	return n;
}

struct ds_field *
ds_tree_addr(struct ds_frame *f, struct ds_field *parent, const char *name,
    const struct ds_addr *a)
{
	struct ds_field *n = append(f, parent, name, DS_FK_ADDR);

	if (n != NULL)
		n->v.a = *a;
	return n;
}

struct ds_field *
ds_tree_flag(struct ds_frame *f, struct ds_field *parent, const char *name,
    bool v)
{
	struct ds_field *n = append(f, parent, name, DS_FK_FLAG);

	if (n != NULL)
		n->v.f = v;
	return n;
}
