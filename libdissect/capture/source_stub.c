/* SPDX-License-Identifier: BSD-2-Clause */
/* STUB */
#include "dissect/capture.h"

struct ds_source *ds_source_open_file(const char *path, struct ds_errinfo *ei) { DS_FAIL(ei, DS_EUNSUPP, "%s: not yet", path); return NULL; }
struct ds_source *ds_source_open_live(const char *ifname, const struct ds_live_opts *o, struct ds_errinfo *ei) { (void)o; DS_FAIL(ei, DS_EUNSUPP, "%s: not yet", ifname); return NULL; }
enum ds_err ds_source_set_filter(struct ds_source *s, const char *expr, struct ds_errinfo *ei) { (void)s; (void)expr; (void)ei; return DS_EUNSUPP; }
int ds_source_next(struct ds_source *s, struct ds_pkt *p, struct ds_errinfo *ei) { (void)s; (void)p; (void)ei; return 0; }
void ds_source_break(struct ds_source *s) { (void)s; }
const char *ds_source_kind(const struct ds_source *s) { (void)s; return "none"; }
bool ds_source_drops(struct ds_source *s, uint64_t *r, uint64_t *d) { (void)s; (void)r; (void)d; return false; }
void ds_source_close(struct ds_source *s) { (void)s; }
void ds_source_list_ifaces(char *buf, size_t len) { if (len) buf[0] = 0; }
