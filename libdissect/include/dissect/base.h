/* SPDX-License-Identifier: BSD-2-Clause */
/* Basic types shared by every part of libdissect: views, addresses, errors. */
#ifndef DISSECT_BASE_H
#define DISSECT_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DS_MUST_CHECK	__attribute__((warn_unused_result))
#define DS_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define DS_STR_(x)	#x
#define DS_STR(x)	DS_STR_(x)
#define DS_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A borrowed run of bytes; valid while its owner (frame, file) lives. */
struct ds_view {
	const uint8_t	*p;
	size_t		 len;
};

enum ds_err {
	DS_OK = 0,
	DS_ETRUNC,	/* the capture cut the packet (snaplen): not malformed */
	DS_EMALFORMED,	/* a length or field contradicts its container */
	DS_EFRAG,	/* needs reassembly we do not have (yet) */
	DS_EUNSUPP,	/* valid but not implemented (algorithm, DLT, payload) */
	DS_ENOKEY,
	DS_EAUTH,
	DS_EREPLAY,
	DS_EDEPTH,
	DS_ENOMEM,
	DS_EIO,
	DS_ECRYPTO,
	DS_EUSAGE,
	DS_EFORMAT,	/* a file is not in the format it must be */
};

/* Human context for an error, filled at API boundaries only. */
struct ds_errinfo {
	enum ds_err	 code;
	const char	*where;		/* "capture/file.c:88", set by DS_FAIL() */
	char		 msg[320];	/* "x.pcap: not a pcap or pcapng file" */
};

const char	*ds_err_str(enum ds_err);
enum ds_err	 ds_fail(struct ds_errinfo *, enum ds_err, const char *where,
		    const char *fmt, ...) DS_PRINTF(4, 5);
#define DS_FAIL(ei, code, ...) \
	ds_fail((ei), (code), __FILE__ ":" DS_STR(__LINE__), __VA_ARGS__)

/* An IPv4 or IPv6 address; family 0 means "any" (a wildcard in key files). */
#define DS_AF_ANY	0
#define DS_AF_INET	4
#define DS_AF_INET6	6
struct ds_addr {
	uint8_t		 family;
	uint8_t		 a[16];		/* IPv4 in the first 4 bytes */
};
#define DS_ADDR_STRLEN	46

/* Writes the textual form (RFC 5952 for IPv6) and returns buf. */
char		*ds_addr_fmt(const struct ds_addr *, char *buf, size_t len);
bool		 ds_addr_eq(const struct ds_addr *, const struct ds_addr *);

#endif
