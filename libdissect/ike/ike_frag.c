/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reassembly of IKEv1 messages split by IKE fragmentation (the Cisco
 * scheme strongSwan and Windows also speak: payload 132 carrying a
 * fragment ID, a fragment number and a last-fragment flag), owned by the
 * engine, bounded in bytes and in messages, and timed out in capture time.
 * The fragments' data, joined in number order, is a whole ISAKMP message,
 * header included.
 */
#include <stdlib.h>
#include <string.h>

#include "ike_int.h"

#define FRAG_MAX_NUM	32	/* fragment numbers 1-32 are kept */
#define FRAG_MAX_MSGS	256	/* messages being reassembled, at most */

/*
 * One message being reassembled.  `have` has bit n-1 set once fragment n
 * is held; `last` is the number of the fragment that carried the last
 * flag (0 until it is seen).  The message is complete when every bit up
 * to `last` is set.
 */
struct frag_msg {
	bool		 used;
	uint8_t		 ispi[8], rspi[8];
	uint16_t	 id;
	uint8_t		 last;
	uint32_t	 have;
	int64_t		 first_ts;
	uint64_t	 seq;		/* arrival order, for ties */
	size_t		 bytes;
	uint8_t		*part[FRAG_MAX_NUM];
	uint16_t	 plen[FRAG_MAX_NUM];
};

struct ds_ike_frag {
	struct frag_msg	*msg;
	unsigned	 nmsg;		/* slots */
	size_t		 mem, mem_max;
	size_t		 msg_max;	/* largest message built */
	uint32_t	 timeout;	/* seconds; 0: never */
	uint64_t	 dropped;
	uint64_t	 seq;
};

struct ds_ike_frag *
ds_ike_frag_new(const struct ds_engine_cfg *cfg)
{
	struct ds_engine_cfg def;
	struct ds_ike_frag *t;

	if (cfg == NULL) {
		ds_engine_cfg_default(&def);
		cfg = &def;
	}
	if ((t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->nmsg = cfg->frag_max_pending < FRAG_MAX_MSGS ?
	    cfg->frag_max_pending : FRAG_MAX_MSGS;
	t->mem_max = cfg->frag_mem_max;
	t->msg_max = cfg->frag_max_datagram;
	t->timeout = cfg->frag_timeout_sec;
	if (t->nmsg > 0 &&
	    (t->msg = calloc(t->nmsg, sizeof *t->msg)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

static void
frag_release(struct ds_ike_frag *t, struct frag_msg *m)
{
	unsigned i;

	for (i = 0; i < FRAG_MAX_NUM; i++)
		free(m->part[i]);
	t->mem -= m->bytes;
	memset(m, 0, sizeof *m);
}

void
ds_ike_frag_free(struct ds_ike_frag *t)
{
	unsigned i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nmsg; i++)
		if (t->msg[i].used)
			frag_release(t, &t->msg[i]);
	free(t->msg);
	free(t);
}

uint64_t
ds_ike_frag_dropped(const struct ds_ike_frag *t)
{
	return t == NULL ? 0 : t->dropped;
}

/* Messages whose first fragment is older than the timeout are dropped. */
static void
frag_expire(struct ds_ike_frag *t, int64_t now)
{
	unsigned i;

	if (t->timeout == 0)
		return;
	for (i = 0; i < t->nmsg; i++)
		if (t->msg[i].used &&
		    now - t->msg[i].first_ts > (int64_t)t->timeout) {
			frag_release(t, &t->msg[i]);
			t->dropped++;
		}
}

/* The message these fragments belong to, or a slot for it (or NULL). */
static struct frag_msg *
frag_find(struct ds_ike_frag *t, const struct ds_ike *h, uint16_t id,
    int64_t now)
{
	struct frag_msg *m, *free_slot = NULL, *oldest = NULL;
	unsigned i;

	for (i = 0; i < t->nmsg; i++) {
		m = &t->msg[i];
		if (!m->used) {
			if (free_slot == NULL)
				free_slot = m;
			continue;
		}
		if (m->id == id && memcmp(m->ispi, h->ispi, 8) == 0 &&
		    memcmp(m->rspi, h->rspi, 8) == 0)
			return m;
		if (oldest == NULL || m->first_ts < oldest->first_ts ||
		    (m->first_ts == oldest->first_ts && m->seq < oldest->seq))
			oldest = m;
	}
	if (free_slot == NULL) {
		/* full: the oldest message gives way */
		if (oldest == NULL)
			return NULL;
		frag_release(t, oldest);
		t->dropped++;
		free_slot = oldest;
	}
	free_slot->used = true;
	memcpy(free_slot->ispi, h->ispi, 8);
	memcpy(free_slot->rspi, h->rspi, 8);
	free_slot->id = id;
	free_slot->first_ts = now;
	free_slot->seq = ++t->seq;
	return free_slot;
}

/* Joins the parts into the frame arena; false when the arena is full. */
static bool
frag_build(struct ds_frame *f, struct frag_msg *m, struct ds_view *out)
{
	uint8_t *p;
	size_t off = 0;
	unsigned i;

	if ((p = ds_frame_alloc(f, m->bytes > 0 ? m->bytes : 1)) == NULL)
		return false;
	for (i = 0; i < m->last; i++) {
		memcpy(p + off, m->part[i], m->plen[i]);
		off += m->plen[i];
	}
	out->p = p;
	out->len = off;
	return true;
}

enum ds_err
ds_ike_frag_add(struct ds_ike_frag *t, struct ds_frame *f,
    const struct ds_ike *h, uint16_t id, uint8_t num, bool last,
    struct ds_view data, struct ds_view *msg)
{
	struct frag_msg *m;
	uint32_t bit, want;
	uint8_t *copy;
	enum ds_err e;

	msg->p = NULL;
	msg->len = 0;
	if (t == NULL || t->nmsg == 0)
		return DS_ENOMEM;
	/* fragments are numbered from 1 */
	if (num == 0)
		return DS_EMALFORMED;
	if (num > FRAG_MAX_NUM || data.len > UINT16_MAX) {
		t->dropped++;
		return DS_ENOMEM;
	}
	frag_expire(t, f->ts_sec);
	if ((m = frag_find(t, h, id, f->ts_sec)) == NULL)
		return DS_ENOMEM;
	bit = 1u << (num - 1);
	/* one last fragment, and none numbered after it */
	if ((last && m->last != 0 && m->last != num) ||
	    (last && num < FRAG_MAX_NUM && (m->have >> num) != 0) ||
	    (!last && m->last != 0 && num > m->last))
		return DS_EMALFORMED;
	if ((m->have & bit) != 0)
		return DS_EFRAG;		/* a retransmitted fragment */
	if (t->mem + data.len > t->mem_max ||
	    m->bytes + data.len > t->msg_max) {
		t->dropped++;
		frag_release(t, m);
		return DS_ENOMEM;
	}
	if ((copy = malloc(data.len > 0 ? data.len : 1)) == NULL) {
		t->dropped++;
		return DS_ENOMEM;
	}
	if (data.len > 0)
		memcpy(copy, data.p, data.len);
	m->part[num - 1] = copy;
	m->plen[num - 1] = (uint16_t)data.len;
	m->have |= bit;
	m->bytes += data.len;
	t->mem += data.len;
	if (last)
		m->last = num;
	if (m->last == 0)
		return DS_EFRAG;
	want = m->last == 32 ? UINT32_MAX : (1u << m->last) - 1;
	if ((m->have & want) != want)
		return DS_EFRAG;
	e = frag_build(f, m, msg) ? DS_OK : DS_ENOMEM;
	frag_release(t, m);
	return e;
}
