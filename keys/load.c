/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Key files: read, format detected from the content, handed to the loader
 * of that format.  The sniffers run most specific first: a strongSwan log
 * or xfrm dump is recognised by words no other format has; the native
 * format is the fallback only when it recognises its own keywords.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "load_int.h"

#define KS_FILE_MAX	(64u << 20)	/* a charon log can be large */

static const struct {
	enum ks_format	 fmt;
	const char	*name;
	bool		(*sniff)(const char *, size_t);
	enum ds_err	(*load)(struct ks_store *, const char *,
			    const char *, size_t, struct ds_errinfo *);
} loaders[] = {
#define X(f, str, fn)	{ f, str, ks_sniff_##fn, ks_load_##fn },
	KS_LOADER_LIST(X)
#undef X
};

const char *
ks_format_name(enum ks_format f)
{
	size_t i;

	for (i = 0; i < DS_NELEM(loaders); i++)
		if (loaders[i].fmt == f)
			return loaders[i].name;
	return "auto";
}

void
ks_lines_init(struct ks_lines *l, const char *text, size_t len)
{
	l->p = text;
	l->end = text + len;
	l->lineno = 0;
}

bool
ks_lines_next(struct ks_lines *l, const char **line, size_t *len)
{
	const char *nl;
	size_t n;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	n = nl != NULL ? (size_t)(nl - l->p) : (size_t)(l->end - l->p);
	*line = l->p;
	*len = n > 0 && l->p[n - 1] == '\r' ? n - 1 : n;
	l->p += n + (nl != NULL);
	l->lineno++;
	return true;
}

enum ks_format
ks_detect_format(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < DS_NELEM(loaders); i++)
		if (loaders[i].sniff(text, len))
			return loaders[i].fmt;
	return KS_FMT_AUTO;
}

enum ds_err
ks_store_load_buf(struct ks_store *ks, const char *name, const char *text,
    size_t len, enum ks_format fmt, struct ds_errinfo *ei)
{
	size_t i;

	if (fmt == KS_FMT_AUTO && (fmt = ks_detect_format(text, len)) ==
	    KS_FMT_AUTO)
		return DS_FAIL(ei, DS_EFORMAT, "%s: not a key file in a known "
		    "format (native, Wireshark esp_sa or "
		    "ikev2_decryption_table, tcpdump -E, ip xfrm state, "
		    "strongSwan charon log)", name);
	for (i = 0; i < DS_NELEM(loaders); i++)
		if (loaders[i].fmt == fmt)
			return loaders[i].load(ks, name, text, len, ei);
	return DS_FAIL(ei, DS_EUSAGE, "%s: no loader for format %d", name,
	    (int)fmt);
}

enum ds_err
ks_store_load(struct ks_store *ks, const char *path, struct ds_errinfo *ei)
{
	struct stat sb;
	char *text = NULL;
	size_t len = 0;
	ssize_t n;
	enum ds_err e;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return DS_FAIL(ei, DS_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return DS_FAIL(ei, DS_EIO, "%s: not a regular file", path);
	}
	if ((size_t)sb.st_size > KS_FILE_MAX) {
		close(fd);
		return DS_FAIL(ei, DS_EFORMAT, "%s: larger than %u MiB", path,
		    KS_FILE_MAX >> 20);
	}
	/* Secrets readable by others are a leak the user should hear of. */
	if (sb.st_mode & (S_IRGRP | S_IROTH))
		ks_store_warn(ks, "%s: key file is readable by %s (chmod 600)",
		    path, sb.st_mode & S_IROTH ? "others" : "its group");
	if ((text = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return DS_FAIL(ei, DS_ENOMEM, "%s: out of memory", path);
	}
	while (len < (size_t)sb.st_size) {
		n = read(fd, text + len, (size_t)sb.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	e = ks_store_load_buf(ks, path, text, len, KS_FMT_AUTO, ei);
	OPENSSL_cleanse(text, len);
	free(text);
	return e;
}
