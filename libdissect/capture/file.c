/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Our own pcap and pcapng readers (files or standard input), and the
 * ds_source_* calls, which hand live sources on to live.c.
 *
 * Formats: pcap, draft-ietf-opsawg-pcap 4 (file header) and 5 (record
 * header); pcapng, draft-ietf-opsawg-pcapng 3.1 (block structure), 3.5
 * (options), 4.1 (SHB), 4.2 (IDB, if_tsresol, if_tsoffset), 4.3 (EPB),
 * 4.4 (SPB) and Appendix A (the obsolete Packet Block).
 *
 * The input is read with read(2) into one large buffer and packets are
 * handed out as views into it: a record that is wholly in the buffer costs
 * no copy and no system call.  Nothing seeks, so pipes work.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dissect/cur.h"
#include "capture/capture_int.h"

#define BUF_SIZE	(1u << 20)	/* grows for a larger record */
#define PCAP_MAX_CAP	262144u		/* libpcap's largest snapshot */
#define CAP_MAX_SNAP	(16u << 20)	/* the largest snaplen believed */
#define NG_MAX_BLOCK	(CAP_MAX_SNAP + 65536u)	/* data + options */
#define NG_MAX_IFACES	65536u

/* pcap magic numbers as the first four bytes read big-endian */
#define PCAP_MAGIC_US		0xa1b2c3d4u	/* microsecond timestamps */
#define PCAP_MAGIC_NS		0xa1b23c4du	/* nanosecond timestamps */
#define PCAP_MAGIC_MOD		0xa1b2cd34u	/* Kuznetzov's modified */
#define PCAP_MAGIC_US_SW	0xd4c3b2a1u	/* the same, little-endian */
#define PCAP_MAGIC_NS_SW	0x4d3cb2a1u
#define PCAP_MAGIC_MOD_SW	0x34cdb2a1u
#define PCAP_HDR_LEN		24
#define PCAP_REC_LEN		16
#define PCAP_MOD_REC_LEN	24	/* + ifindex, protocol, type, pad */

#define NG_SHB		0x0a0d0d0au	/* reads the same in both orders */
#define NG_IDB		1
#define NG_PB		2		/* obsolete Packet Block */
#define NG_SPB		3
#define NG_EPB		6
#define NG_BOM		0x1a2b3c4du
#define NG_BOM_SW	0x4d3c2b1au
#define NG_OPT_END	0
#define NG_IF_TSRESOL	9
#define NG_IF_TSOFFSET	14

/* A pcapng interface: how to read its packets' link layer and clock. */
struct ng_if {
	int		 linktype;
	uint32_t	 snaplen;	/* 0: none */
	bool		 is_pow2; /* resolution 2^-exp s, else 10^-exp s */
	uint8_t		 exp;
	uint64_t	 units;		/* 10^exp: ticks per second */
	uint64_t	 scale;		/* nsec = frac * scale (exp <= 9) or
					   frac / scale (exp > 9) */
	int64_t		 tsoffset;	/* seconds added (if_tsoffset) */
};

struct ds_file {
	int		 fd;
	bool		 owns_fd;
	bool		 be;		/* fields are big-endian */
	bool		 eof;
	bool		 failed;	/* err is repeated by every next call */
	bool		 is_ng;		/* pcapng, else pcap */
	volatile sig_atomic_t *stop;
	char		 name[256];	/* for messages */
	uint8_t		*buf;
	size_t		 bufsz;
	size_t		 pos;		/* next unread byte */
	size_t		 end;		/* end of the bytes read */
	uint64_t	 base;		/* file offset of buf[0] */
	uint64_t	 nrec;		/* records (pcap) or blocks started */
	uint64_t	 npkts;		/* packets read, before filtering */
	/* pcap */
	bool		 nano;
	uint16_t	 minor;		/* format version 2.minor */
	size_t		 rechdr;	/* record header length */
	uint32_t	 maxcap; /* larger captured lengths are corrupt */
	int		 linktype;
	/* pcapng: the current section's interfaces */
	struct ng_if	*ifs;
	uint32_t	 nifs;
	uint32_t	 ifcap;
	struct ds_filter *filt;
	struct ds_errinfo err;
};

static inline size_t
avail(const struct ds_file *f)
{
	return f->end - f->pos;
}

static inline uint16_t
rd16(struct ds_cur *c, bool be)
{
	return be ? ds_be16(c) : ds_le16(c);
}

static inline uint32_t
rd32(struct ds_cur *c, bool be)
{
	return be ? ds_be32(c) : ds_le32(c);
}

static inline uint64_t
rd64(struct ds_cur *c, bool be)
{
	uint64_t lo;

	if (be)
		return ds_be64(c);
	if (!ds_need(c, 8))
		return 0;
	lo = ds_le32(c);
	return (uint64_t)ds_le32(c) << 32 | lo;
}

/* The unread bytes of the buffer, n of them at most. */
static inline struct ds_cur
at_pos(const struct ds_file *f, size_t n)
{
	return ds_cur_make(f->buf + f->pos, n, n);
}

/* Records the failure; every later ds_source_next() repeats it. */
static int
failed(struct ds_file *f, struct ds_errinfo *ei)
{
	f->failed = true;
	if (ei != NULL)
		*ei = f->err;
	return -1;
}

#define FILE_FAIL(f, ei, code, ...)					\
	((void)DS_FAIL(&(f)->err, (code), __VA_ARGS__), failed((f), (ei)))

static const char *
rec_word(const struct ds_file *f)
{
	return f->is_ng ? "block" : "record";
}

static const char *
earlier(const struct ds_file *f)
{
	return f->npkts > 0 ? "; earlier packets were read" : "";
}

/* The input ends inside the current record or block. */
static int
truncated(struct ds_file *f, struct ds_errinfo *ei, size_t got, size_t want)
{
	return FILE_FAIL(f, ei, DS_ETRUNC,
	    "%s: truncated %s %" PRIu64 " (got %zu of %zu bytes)%s",
	    f->name, rec_word(f), f->nrec, got, want, earlier(f));
}

static int	corrupt(struct ds_file *, struct ds_errinfo *, const char *,
		    ...) DS_PRINTF(3, 4);

/* The current record or block contradicts itself. */
static int
corrupt(struct ds_file *f, struct ds_errinfo *ei, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return FILE_FAIL(f, ei, DS_EFORMAT,
	    "%s: corrupt %s %" PRIu64 " at offset %" PRIu64 ": %s%s",
	    f->name, rec_word(f), f->nrec, f->base + f->pos, what,
	    earlier(f));
}

/*
 * Makes n bytes available from pos, reading as much as the buffer holds.
 * Returns 1 (then avail() < n only at the end of the input), 0 when
 * ds_source_break() interrupted a read, -1 on a read error.  Views into
 * the buffer taken before the call are invalid after it.
 */
static int
refill(struct ds_file *f, size_t n, struct ds_errinfo *ei)
{
	size_t have = avail(f), sz;
	uint8_t *nb;
	ssize_t r;

	if (n > f->bufsz) {
		for (sz = f->bufsz; sz < n; sz *= 2)
			continue;
		if ((nb = realloc(f->buf, sz)) == NULL)
			return FILE_FAIL(f, ei, DS_ENOMEM,
			    "%s: no memory for a record of %zu bytes",
			    f->name, n);
		f->buf = nb;
		f->bufsz = sz;
	}
	if (f->pos > 0) {
		memmove(f->buf, f->buf + f->pos, have);
		f->base += f->pos;
		f->pos = 0;
		f->end = have;
	}
	while (f->end < n && !f->eof) {
		r = read(f->fd, f->buf + f->end, f->bufsz - f->end);
		if (r < 0) {
			if (errno == EINTR) {
				if (*f->stop)
					return 0;
				continue;
			}
			return FILE_FAIL(f, ei, DS_EIO, "%s: %s", f->name,
			    strerror(errno));
		}
		if (r == 0)
			f->eof = true;
		f->end += (size_t)r;
	}
	return 1;
}

static inline int
fill(struct ds_file *f, size_t n, struct ds_errinfo *ei)
{
	if (avail(f) >= n || f->eof)
		return 1;
	return refill(f, n, ei);
}

/*
 * pcap file header (draft-ietf-opsawg-pcap 4), in the writer's byte order:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                          Magic Number                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Major Version        |         Minor Version         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           Reserved1                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                           Reserved2                           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                            SnapLen                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | FCS |f|0 0 0 0 0 0 0 0 0 0 0 0|         LinkType              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static bool
pcap_open(struct ds_file *f, uint32_t magic, struct ds_errinfo *ei)
{
	struct ds_cur c;
	uint16_t major;
	uint32_t snaplen, lt;

	f->be = magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS ||
	    magic == PCAP_MAGIC_MOD;
	f->nano = magic == PCAP_MAGIC_NS || magic == PCAP_MAGIC_NS_SW;
	f->rechdr = magic == PCAP_MAGIC_MOD || magic == PCAP_MAGIC_MOD_SW ?
	    PCAP_MOD_REC_LEN : PCAP_REC_LEN;
	if (fill(f, PCAP_HDR_LEN, ei) != 1)
		return false;
	if (avail(f) < PCAP_HDR_LEN) {
		DS_FAIL(ei, DS_EFORMAT, "%s: truncated pcap file header "
		    "(got %zu of %d bytes)", f->name, avail(f), PCAP_HDR_LEN);
		return false;
	}
	c = at_pos(f, PCAP_HDR_LEN);
	(void)ds_skip(&c, 4);
	major = rd16(&c, f->be);
	f->minor = rd16(&c, f->be);
	(void)ds_skip(&c, 8);		/* time zone and accuracy: unused */
	snaplen = rd32(&c, f->be);
	lt = rd32(&c, f->be);
	/* pcap 4: only 2.4 is written; 2.0-2.3 differ in one detail */
	if (major != 2 || f->minor > 4) {
		DS_FAIL(ei, DS_EUNSUPP, "%s: unsupported pcap version %u.%u",
		    f->name, major, f->minor);
		return false;
	}
	/* pcap 4: the FCS bits sit above the 16-bit link type */
	f->linktype = (int)(lt & 0xffff);
	f->maxcap = PCAP_MAX_CAP;
	if (snaplen > f->maxcap)
		f->maxcap = snaplen < CAP_MAX_SNAP ? snaplen : CAP_MAX_SNAP;
	f->pos += PCAP_HDR_LEN;
	return true;
}

/*
 * pcap record header (draft-ietf-opsawg-pcap 5); the modified format adds
 * 8 bytes (interface index, protocol, packet type, padding):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      Timestamp (Seconds)                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            Timestamp (Microseconds or nanoseconds)            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Captured Packet Length                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Original Packet Length                     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   /                          Packet Data                          /
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static int
pcap_rec(struct ds_file *f, struct ds_pkt *pkt, struct ds_errinfo *ei)
{
	struct ds_cur c;
	struct ds_view v;
	uint32_t sec, frac, caplen, wirelen, t;
	uint64_t nsec;
	size_t need;
	int r;

	if ((r = fill(f, f->rechdr, ei)) != 1)
		return r;
	if (avail(f) == 0)
		return 0;
	f->nrec++;
	if (avail(f) < f->rechdr)
		return truncated(f, ei, avail(f), f->rechdr);
	c = at_pos(f, f->rechdr);
	sec = rd32(&c, f->be);
	frac = rd32(&c, f->be);
	caplen = rd32(&c, f->be);
	wirelen = rd32(&c, f->be);
	/* versions before 2.3, and some 2.3 writers, swapped the lengths */
	if (f->minor < 3 || (f->minor == 3 && caplen > wirelen)) {
		t = caplen;
		caplen = wirelen;
		wirelen = t;
	}
	/* a larger length is garbage, not a packet: stop before reading it */
	if (caplen > f->maxcap)
		return corrupt(f, ei, "captured length %" PRIu32
		    " exceeds the maximum %" PRIu32, caplen, f->maxcap);
	need = f->rechdr + caplen;
	if ((r = fill(f, need, ei)) != 1)
		return r;
	if (avail(f) < need)
		return truncated(f, ei, avail(f), need);
	c = at_pos(f, need);
	(void)ds_skip(&c, f->rechdr);
	(void)ds_take(&c, caplen, &v);
	nsec = f->nano ? frac : (uint64_t)frac * 1000;
	pkt->data = v.p;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen < caplen ? caplen : wirelen;
	pkt->ts_sec = (int64_t)sec + (int64_t)(nsec / 1000000000u);
	pkt->ts_nsec = (uint32_t)(nsec % 1000000000u);
	pkt->linktype = f->linktype;
	pkt->ifindex = 0;
	f->pos += need;
	f->npkts++;
	return 1;
}

/*
 * Checks the framing of a pcapng block of `len` bytes at pos and gives
 * its body (draft-ietf-opsawg-pcapng 3.1):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                          Block Type                           |
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   /                          Block Body                           /
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 */
static int
ng_frame(struct ds_file *f, uint32_t len, uint32_t min, bool be,
    struct ds_cur *body, struct ds_errinfo *ei)
{
	struct ds_cur c;
	uint32_t trail;
	int r;

	/* 3.1: the total length counts the 12 framing bytes, in 4s */
	if (len % 4 != 0)
		return corrupt(f, ei, "block length %" PRIu32
		    " is not a multiple of 4", len);
	if (len < min)
		return corrupt(f, ei, "block length %" PRIu32
		    " is below the minimum %" PRIu32, len, min);
	if (len > NG_MAX_BLOCK)
		return corrupt(f, ei, "block length %" PRIu32
		    " exceeds the maximum %u", len, NG_MAX_BLOCK);
	if ((r = fill(f, len, ei)) != 1)
		return r;
	if (avail(f) < len)
		return truncated(f, ei, avail(f), len);
	c = at_pos(f, len);
	(void)ds_skip(&c, 8);
	(void)ds_sub(&c, len - 12, body);
	trail = rd32(&c, be);
	/* 3.1: the trailing copy lets a reader walk backwards */
	if (trail != len)
		return corrupt(f, ei, "trailing length %" PRIu32
		    " differs from the leading %" PRIu32, trail, len);
	return 1;
}

/*
 * Section Header Block (4.1); the byte-order magic decides how this and
 * every later block of the section is read:
 *
 *   +---------------------------------------------------------------+
 *   |                   Block Type = 0x0A0D0D0A                     |
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   |                      Byte-Order Magic                         |
 *   +---------------------------------------------------------------+
 *   |          Major Version        |         Minor Version         |
 *   +---------------------------------------------------------------+
 *   |                                                               |
 *   |                          Section Length                       |
 *   +---------------------------------------------------------------+
 *   /                      Options (variable)                       /
 *   +---------------------------------------------------------------+
 */
static int
ng_shb(struct ds_file *f, struct ds_errinfo *ei)
{
	struct ds_cur c, body;
	uint32_t bom, len;
	uint16_t major, minor;
	bool be;
	int r;

	if ((r = fill(f, 12, ei)) != 1)
		return r;
	if (avail(f) < 12)
		return truncated(f, ei, avail(f), 12);
	c = at_pos(f, 12);
	(void)ds_skip(&c, 8);
	bom = ds_be32(&c);
	if (bom == NG_BOM)
		be = true;
	else if (bom == NG_BOM_SW)
		be = false;
	else
		return corrupt(f, ei, "section header byte-order magic "
		    "0x%08" PRIx32 " is invalid", bom);
	c = at_pos(f, 8);
	(void)ds_skip(&c, 4);
	len = rd32(&c, be);
	if ((r = ng_frame(f, len, 28, be, &body, ei)) != 1)
		return r;
	(void)ds_skip(&body, 4);
	major = rd16(&body, be);
	minor = rd16(&body, be);
	/* 4.1: a new major version is not readable by this reader */
	if (major != 1)
		return FILE_FAIL(f, ei, DS_EUNSUPP, "%s: unsupported pcapng "
		    "version %u.%u (block %" PRIu64 ")", f->name, major,
		    minor, f->nrec);
	f->be = be;
	f->nifs = 0;			/* 4.1: interfaces are per section */
	f->pos += len;
	return 2;
}

/* Sets the clock from if_tsresol (4.2): 10^-v s, or 2^-(v & 0x7f) s. */
static bool
ng_set_resol(struct ng_if *ifp, uint8_t v)
{
	uint64_t p = 1;
	unsigned i, e = v & 0x7f;

	ifp->is_pow2 = (v & 0x80) != 0;
	ifp->exp = (uint8_t)e;
	if (ifp->is_pow2)
		return e <= 63;
	if (e > 19)			/* 10^20 does not fit 64 bits */
		return false;
	for (i = 0; i < e; i++)
		p *= 10;
	ifp->units = p;
	for (p = 1, i = 0; i < (e <= 9 ? 9 - e : e - 9); i++)
		p *= 10;
	ifp->scale = p;
	return true;
}

/*
 * Interface Description Block (4.2):
 *
 *   +---------------------------------------------------------------+
 *   |                    Block Type = 0x00000001                    |
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   |           LinkType            |           Reserved            |
 *   +---------------------------------------------------------------+
 *   |                            SnapLen                            |
 *   +---------------------------------------------------------------+
 *   /                      Options (variable)                       /
 *   +---------------------------------------------------------------+
 *
 * Each option (3.5): Option Code (16), Option Length (16), value padded
 * to 32 bits.
 */
static int
ng_idb(struct ds_file *f, struct ds_cur *b, struct ds_errinfo *ei)
{
	struct ng_if ifc, *nifs;
	struct ds_cur o;
	uint16_t code, olen;
	uint32_t n;

	memset(&ifc, 0, sizeof ifc);
	ifc.linktype = rd16(b, f->be);
	(void)ds_skip(b, 2);
	ifc.snaplen = rd32(b, f->be);
	if (!ds_ok(b))
		return corrupt(f, ei, "interface description block too short");
	(void)ng_set_resol(&ifc, 6);	/* 4.2: microseconds by default */
	while (ds_left(b) >= 4) {
		code = rd16(b, f->be);
		olen = rd16(b, f->be);
		if (code == NG_OPT_END)
			break;
		/* 3.5: the value and its padding lie inside the block */
		if (!ds_sub(b, olen, &o))
			return corrupt(f, ei, "interface option %u of %u bytes "
			    "runs past the block", code, olen);
		n = (4 - olen % 4) % 4;
		(void)ds_skip(b, n < ds_left(b) ? n : ds_left(b));
		if (code == NG_IF_TSRESOL && (olen != 1 ||
		    !ng_set_resol(&ifc, ds_u8(&o))))
			/* 4.2: one byte, and the clock must fit 64 bits */
			return corrupt(f, ei, "if_tsresol of %u bytes or "
			    "beyond 10^-19 or 2^-63 s", olen);
		if (code == NG_IF_TSOFFSET) {
			/* 4.2: if_tsoffset is a 64-bit integer */
			if (olen != 8)
				return corrupt(f, ei, "if_tsoffset of %u bytes",
				    olen);
			ifc.tsoffset = (int64_t)rd64(&o, f->be);
		}
	}
	if (f->nifs == NG_MAX_IFACES)
		return corrupt(f, ei, "more than %u interfaces", NG_MAX_IFACES);
	if (f->nifs == f->ifcap) {
		n = f->ifcap * 2;
		if ((nifs = realloc(f->ifs, n * sizeof *nifs)) == NULL)
			return FILE_FAIL(f, ei, DS_ENOMEM, "%s: out of memory",
			    f->name);
		f->ifs = nifs;
		f->ifcap = n;
	}
	f->ifs[f->nifs++] = ifc;
	return 2;
}

/* Ticks of the interface's clock to seconds and nanoseconds. */
static void
ng_ts(const struct ng_if *ifp, uint64_t ts, struct ds_pkt *pkt)
{
	uint64_t sec, frac, nsec;
	unsigned e = ifp->exp;

	if (ifp->is_pow2) {
		sec = e < 64 ? ts >> e : 0;
		frac = e == 0 ? 0 : ts & ((UINT64_C(1) << e) - 1);
		if (e > 32) {		/* keep frac * 10^9 in 64 bits */
			frac >>= e - 32;
			e = 32;
		}
		nsec = (frac * 1000000000u) >> e;
	} else {
		sec = ts / ifp->units;
		frac = ts % ifp->units;
		nsec = e <= 9 ? frac * ifp->scale : frac / ifp->scale;
	}
	pkt->ts_sec = (int64_t)sec + ifp->tsoffset;
	pkt->ts_nsec = (uint32_t)nsec;
}

/* The packet part common to the EPB and the obsolete PB. */
static int
ng_packet(struct ds_file *f, struct ds_cur *b, struct ds_pkt *pkt,
    uint32_t ifid, uint64_t ts, uint32_t caplen, uint32_t wirelen,
    struct ds_errinfo *ei)
{
	const struct ng_if *ifp;
	struct ds_view v;

	/* 4.3: the interface is one of this section's IDBs, in order */
	if (ifid >= f->nifs)
		return corrupt(f, ei, "interface id %" PRIu32 " out of range "
		    "(%" PRIu32 " interfaces in this section)", ifid, f->nifs);
	if (!ds_take(b, caplen, &v))
		return corrupt(f, ei, "captured length %" PRIu32
		    " runs past the block", caplen);
	ifp = &f->ifs[ifid];
	pkt->data = v.p;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen < caplen ? caplen : wirelen;
	pkt->linktype = ifp->linktype;
	pkt->ifindex = ifid;
	ng_ts(ifp, ts, pkt);
	f->npkts++;
	return 1;
}

/*
 * Enhanced Packet Block (4.3); the obsolete Packet Block (Appendix A) has
 * a 16-bit Interface ID followed by a 16-bit drops count instead:
 *
 *   +---------------------------------------------------------------+
 *   |                    Block Type = 0x00000006                    |
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   |                         Interface ID                          |
 *   +---------------------------------------------------------------+
 *   |                        Timestamp (High)                       |
 *   +---------------------------------------------------------------+
 *   |                        Timestamp (Low)                        |
 *   +---------------------------------------------------------------+
 *   |                    Captured Packet Length                     |
 *   +---------------------------------------------------------------+
 *   |                    Original Packet Length                     |
 *   +---------------------------------------------------------------+
 *   /                 Packet Data, padded to 32 bits                /
 *   +---------------------------------------------------------------+
 *   /                      Options (variable)                       /
 *   +---------------------------------------------------------------+
 */
static int
ng_epb(struct ds_file *f, struct ds_cur *b, bool is_old, struct ds_pkt *pkt,
    struct ds_errinfo *ei)
{
	uint32_t ifid, hi, lo, caplen, wirelen;

	if (is_old) {
		ifid = rd16(b, f->be);
		(void)ds_skip(b, 2);
	} else
		ifid = rd32(b, f->be);
	hi = rd32(b, f->be);
	lo = rd32(b, f->be);
	caplen = rd32(b, f->be);
	wirelen = rd32(b, f->be);
	if (!ds_ok(b))
		return corrupt(f, ei, "packet block too short");
	return ng_packet(f, b, pkt, ifid, (uint64_t)hi << 32 | lo, caplen,
	    wirelen, ei);
}

/*
 * Simple Packet Block (4.4): interface 0, no timestamp; the captured
 * length is what the block holds, at most the interface's SnapLen.
 *
 *   +---------------------------------------------------------------+
 *   |                    Block Type = 0x00000003                    |
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   |                    Original Packet Length                     |
 *   +---------------------------------------------------------------+
 *   /                 Packet Data, padded to 32 bits                /
 *   +---------------------------------------------------------------+
 */
static int
ng_spb(struct ds_file *f, struct ds_cur *b, struct ds_pkt *pkt,
    struct ds_errinfo *ei)
{
	uint32_t wirelen, caplen;

	wirelen = rd32(b, f->be);
	if (!ds_ok(b))
		return corrupt(f, ei, "simple packet block too short");
	/* 4.4: an SPB belongs to the section's first interface */
	if (f->nifs == 0)
		return corrupt(f, ei, "simple packet block before any "
		    "interface description");
	caplen = wirelen;
	if (caplen > ds_left(b))
		caplen = (uint32_t)ds_left(b);
	if (f->ifs[0].snaplen != 0 && caplen > f->ifs[0].snaplen)
		caplen = f->ifs[0].snaplen;
	return ng_packet(f, b, pkt, 0, 0, caplen, wirelen, ei);
}

/*
 * Reads one block: 1 when it was a packet, 2 for any other block, 0 at
 * the end of the input, -1 on an error.
 */
static int
ng_block(struct ds_file *f, struct ds_pkt *pkt, struct ds_errinfo *ei)
{
	struct ds_cur c, body;
	uint32_t type, len;
	int r;

	if ((r = fill(f, 8, ei)) != 1)
		return r;
	if (avail(f) == 0)
		return 0;
	f->nrec++;
	if (avail(f) < 8)
		return truncated(f, ei, avail(f), 8);
	c = at_pos(f, 8);
	type = rd32(&c, f->be);
	if (type == NG_SHB)
		return ng_shb(f, ei);
	len = rd32(&c, f->be);
	switch (type) {
	case NG_IDB:
		r = ng_frame(f, len, 20, f->be, &body, ei);
		if (r == 1)
			r = ng_idb(f, &body, ei);
		break;
	case NG_EPB:
	case NG_PB:
		r = ng_frame(f, len, 32, f->be, &body, ei);
		if (r == 1)
			r = ng_epb(f, &body, type == NG_PB, pkt, ei);
		break;
	case NG_SPB:
		r = ng_frame(f, len, 16, f->be, &body, ei);
		if (r == 1)
			r = ng_spb(f, &body, pkt, ei);
		break;
	default:			/* 3.1: skip what we do not know */
		r = ng_frame(f, len, 12, f->be, &body, ei);
		if (r == 1)
			r = 2;
		break;
	}
	if (r > 0)
		f->pos += len;
	return r;
}

static int
ng_next(struct ds_file *f, struct ds_pkt *pkt, struct ds_errinfo *ei)
{
	int r;

	while ((r = ng_block(f, pkt, ei)) == 2)
		if (*f->stop)
			return 0;
	return r;
}

/*
 * Reads the blocks before the first packet (the interfaces), so that a
 * filter can be checked against the first link type.  Errors stay for
 * ds_source_next() to report.
 */
static void
ng_prime(struct ds_file *f)
{
	struct ds_cur c;
	uint32_t type;

	while (!f->failed && fill(f, 8, NULL) == 1 && avail(f) >= 8) {
		c = at_pos(f, 8);
		type = rd32(&c, f->be);
		if (type == NG_EPB || type == NG_SPB || type == NG_PB)
			return;
		if (ng_block(f, NULL, NULL) != 2)
			return;
	}
}

static void
file_free(struct ds_file *f)
{
	if (f == NULL)
		return;
	if (f->owns_fd && f->fd >= 0)
		close(f->fd);
	ds_filter_free(f->filt);
	free(f->ifs);
	free(f->buf);
	free(f);
}

struct ds_source *
ds_source_open_file(const char *path, struct ds_errinfo *ei)
{
	struct ds_source *s;
	struct ds_file *f;
	struct ds_cur c;
	uint32_t magic;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (f = s->file = calloc(1, sizeof *f)) == NULL) {
		free(s);
		DS_FAIL(ei, DS_ENOMEM, "%s: out of memory", path);
		return NULL;
	}
	f->fd = -1;
	f->stop = &s->stop;
	if (strcmp(path, "-") == 0) {
		snprintf(f->name, sizeof f->name, "standard input");
		f->fd = STDIN_FILENO;
		if (isatty(f->fd)) {
			DS_FAIL(ei, DS_EUSAGE, "%s: is a terminal, not a "
			    "capture", f->name);
			goto fail;
		}
	} else {
		snprintf(f->name, sizeof f->name, "%s", path);
		if ((f->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			DS_FAIL(ei, DS_EIO, "%s: %s", f->name,
			    strerror(errno));
			goto fail;
		}
		f->owns_fd = true;
		(void)posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	f->bufsz = BUF_SIZE;
	if ((f->buf = malloc(f->bufsz)) == NULL) {
		DS_FAIL(ei, DS_ENOMEM, "%s: out of memory", f->name);
		goto fail;
	}
	if (fill(f, 4, ei) != 1)
		goto fail;
	if (avail(f) == 0) {
		DS_FAIL(ei, DS_EFORMAT, "%s: empty file", f->name);
		goto fail;
	}
	if (avail(f) < 4) {
		DS_FAIL(ei, DS_EFORMAT, "%s: not a pcap or pcapng file "
		    "(only %zu bytes)", f->name, avail(f));
		goto fail;
	}
	c = at_pos(f, 4);
	magic = ds_be32(&c);
	switch (magic) {
	case PCAP_MAGIC_US:
	case PCAP_MAGIC_NS:
	case PCAP_MAGIC_MOD:
	case PCAP_MAGIC_US_SW:
	case PCAP_MAGIC_NS_SW:
	case PCAP_MAGIC_MOD_SW:
		s->kind = DS_SRC_PCAP;
		if (!pcap_open(f, magic, ei))
			goto fail;
		break;
	case NG_SHB:
		s->kind = DS_SRC_PCAPNG;
		f->is_ng = true;
		f->ifcap = 4;
		if ((f->ifs = calloc(f->ifcap, sizeof *f->ifs)) == NULL) {
			DS_FAIL(ei, DS_ENOMEM, "%s: out of memory", f->name);
			goto fail;
		}
		if (ng_block(f, NULL, ei) != 2)
			goto fail;
		break;
	default:
		DS_FAIL(ei, DS_EFORMAT, "%s: not a pcap or pcapng file "
		    "(magic 0x%08" PRIx32 ")%s", f->name, magic,
		    magic >> 16 == 0x1f8b ? "; gzip-compressed?" : "");
		goto fail;
	}
	if (ei != NULL) {
		ei->code = DS_OK;
		ei->msg[0] = '\0';
	}
	return s;
fail:
	file_free(f);
	free(s);
	return NULL;
}

enum ds_err
ds_source_set_filter(struct ds_source *s, const char *expr,
    struct ds_errinfo *ei)
{
	struct ds_file *f = s->file;
	struct ds_filter *filt = NULL;
	int lt;

	if (s->kind == DS_SRC_LIVE)
		return ds_live_set_filter(s->live, expr, ei);
	if (expr != NULL) {
		lt = f->linktype;
		if (s->kind == DS_SRC_PCAPNG) {
			ng_prime(f);
			lt = f->nifs > 0 ? f->ifs[0].linktype : 1;
		}
		if ((filt = ds_filter_new(expr, lt, ei)) == NULL)
			return ei != NULL ? ei->code : DS_EUSAGE;
	}
	ds_filter_free(f->filt);
	f->filt = filt;
	return DS_OK;
}

int
ds_source_next(struct ds_source *s, struct ds_pkt *pkt,
    struct ds_errinfo *ei)
{
	struct ds_file *f = s->file;
	struct ds_errinfo fe;
	int r;

	if (s->kind == DS_SRC_LIVE)
		return ds_live_next(s->live, pkt, &s->stop, ei);
	if (f->failed)
		return failed(f, ei);
	for (;;) {
		if (s->stop)
			return 0;
		r = s->kind == DS_SRC_PCAPNG ? ng_next(f, pkt, ei) :
		    pcap_rec(f, pkt, ei);
		if (r != 1 || f->filt == NULL)
			return r;
		if ((r = ds_filter_match(f->filt, pkt, &fe)) == 1)
			return 1;
		if (r < 0)
			return FILE_FAIL(f, ei, fe.code, "%.100s: %.200s",
			    f->name, fe.msg);
	}
}

void
ds_source_break(struct ds_source *s)
{
	s->stop = 1;
	if (s->kind == DS_SRC_LIVE)
		ds_live_break(s->live);
}

const char *
ds_source_kind(const struct ds_source *s)
{
	switch (s->kind) {
	case DS_SRC_PCAP:
		return "pcap";
	case DS_SRC_PCAPNG:
		return "pcapng";
	case DS_SRC_LIVE:
		return "live";
	}
	return "?";
}

bool
ds_source_drops(struct ds_source *s, uint64_t *recv, uint64_t *drop)
{
	if (s->kind == DS_SRC_LIVE)
		return ds_live_drops(s->live, recv, drop);
	return false;
}

void
ds_source_close(struct ds_source *s)
{
	if (s == NULL)
		return;
	if (s->kind == DS_SRC_LIVE)
		ds_live_close(s->live);
	else
		file_free(s->file);
	free(s);
}
