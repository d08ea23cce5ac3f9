#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Splits pcap and pcapng captures into fuzzer seeds, one file per frame.

Each seed is: link selector byte, cut byte, frame bytes (the input format
described at the top of tests/fuzz/fuzz_frame.c).  Files are named by the
SHA-1 of their content, so seeds are deduplicated and running twice over the
same directory adds nothing.  IP frames from the first few records of each
capture are also written again under every other supported link type, so
the fuzzer starts with realistic packets on each of them.

Formats: pcap (both byte orders, micro- and nanosecond magic) and pcapng
(Section Header, Interface Description, Enhanced, Simple and obsolete
Packet Blocks).  Standard library only.
"""

import argparse
import hashlib
import os
import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_SLL = 113
LINKTYPE_SLL2 = 276
LINKTYPE_NULL = 0
LINKTYPE_LOOP = 108
# DLT_RAW as some platforms write it in pcap files (pcap-common.c)
RAW_ALIASES = {12: LINKTYPE_RAW, 14: LINKTYPE_RAW}

MAX_FRAME = 65536 - 2		# fuzz-run uses -max_len=65536


class FormatError(Exception):
    pass


def read_pcap(buf):
    """Yields (linktype, caplen_bytes, wirelen) from a pcap file."""
    magic = buf[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise FormatError("not pcap")
    if len(buf) < 24:
        raise FormatError("short pcap header")
    # the upper bits of the link type field carry FCS information
    linktype = struct.unpack(e + "I", buf[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(buf):
        _, _, incl, orig = struct.unpack(e + "IIII", buf[off:off + 16])
        off += 16
        if incl > len(buf) - off:
            break			# truncated last record
        yield linktype, buf[off:off + incl], orig
        off += incl


def read_pcapng(buf):
    """Yields (linktype, caplen_bytes, wirelen) from a pcapng file."""
    off = 0
    e = "<"
    links = []			# per interface: (linktype, snaplen)
    while off + 12 <= len(buf):
        btype = struct.unpack(e + "I", buf[off:off + 4])[0]
        if buf[off:off + 4] == b"\x0a\x0d\x0d\x0a":
            bom = buf[off + 8:off + 12]
            if bom == b"\x4d\x3c\x2b\x1a":
                e = "<"
            elif bom == b"\x1a\x2b\x3c\x4d":
                e = ">"
            else:
                raise FormatError("bad byte-order magic")
            btype = 0x0A0D0D0A
            links = []
        blen = struct.unpack(e + "I", buf[off + 4:off + 8])[0]
        if blen < 12 or blen % 4 or blen > len(buf) - off:
            break
        body = buf[off + 8:off + blen - 4]
        off += blen
        if btype == 1 and len(body) >= 8:		# Interface Description
            lt, _, snap = struct.unpack(e + "HHI", body[:8])
            links.append(lt)
        elif btype == 6 and len(body) >= 20:		# Enhanced Packet
            ifid, _, _, incl, orig = struct.unpack(e + "IIIII", body[:20])
            if ifid < len(links) and incl <= len(body) - 20:
                yield links[ifid], body[20:20 + incl], orig
        elif btype == 3 and len(body) >= 4 and links:	# Simple Packet
            orig = struct.unpack(e + "I", body[:4])[0]
            data = body[4:4 + orig]
            yield links[0], data, orig
        elif btype == 2 and len(body) >= 20:		# Packet (obsolete)
            ifid, _, _, _, incl, orig = struct.unpack(e + "HHIIII",
                                                      body[:20])
            if ifid < len(links) and incl <= len(body) - 20:
                yield links[ifid], body[20:20 + incl], orig


def read_capture(path):
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:4] == b"\x0a\x0d\x0d\x0a":
        return list(read_pcapng(buf))
    return list(read_pcap(buf))


def ip_payload(linktype, data):
    """The IP packet of an untagged Ethernet or raw-IP frame, or None."""
    if linktype == LINKTYPE_ETHERNET and len(data) >= 14:
        et = struct.unpack(">H", data[12:14])[0]
        if et in (0x0800, 0x86DD):
            return data[14:]
    elif linktype in (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6):
        return data
    return None


def reencap(ip):
    """The IP packet under every supported link type."""
    v = ip[0] >> 4 if ip else 4
    et = b"\x86\xdd" if v == 6 else b"\x08\x00"
    mac = b"\x02\x00\x00\x00\x00\x01"
    out = [
        (LINKTYPE_ETHERNET, b"\x02\x00\x00\x00\x00\x02" + mac + et + ip),
        (LINKTYPE_RAW, ip),
        (LINKTYPE_IPV6 if v == 6 else LINKTYPE_IPV4, ip),
        # SLL: packet type, ARPHRD_ETHER, address length, address, protocol
        (LINKTYPE_SLL, b"\x00\x00\x00\x01\x00\x06" + mac + b"\x00\x00" +
         et + ip),
        # SLL2: protocol, reserved, ifindex, ARPHRD_ETHER, type, len, addr
        (LINKTYPE_SLL2, et + b"\x00\x00\x00\x00\x00\x02\x00\x01\x00\x06" +
         mac + b"\x00\x00" + ip),
        # NULL: AF_ value in the capturing host's order; LOOP: network order
        (LINKTYPE_NULL, struct.pack("<I", 30 if v == 6 else 2) + ip),
        (LINKTYPE_LOOP, struct.pack(">I", 24 if v == 6 else 2) + ip),
    ]
    return out


def ike_seeds(linktype, data):
    """Seeds for fuzz_ike: (selector, UDP payload) of IKE on 500 or 4500.

    The selector is byte 0 of the fuzz_ike.c input: bit 0 IPv6, bit 1 port
    4500 after a non-ESP marker (stripped here); bit 3 set as well gives
    the same bytes to the IKE dissector on their own.
    """
    linktype = RAW_ALIASES.get(linktype, linktype)
    ip = None
    if linktype == LINKTYPE_ETHERNET and len(data) >= 14:
        off = 12
        while off + 2 <= len(data) and data[off:off + 2] in (
                b"\x81\x00", b"\x88\xa8", b"\x91\x00"):
            off += 4
        if data[off:off + 2] in (b"\x08\x00", b"\x86\xdd"):
            ip = data[off + 2:]
    elif linktype in (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6):
        ip = data
    elif linktype in (LINKTYPE_NULL, LINKTYPE_LOOP):
        ip = data[4:]
    elif linktype == LINKTYPE_SLL:
        ip = data[16:]
    elif linktype == LINKTYPE_SLL2:
        ip = data[20:]
    if not ip:
        return []
    sel = 0
    if ip[0] >> 4 == 4 and len(ip) >= 20:
        hl = (ip[0] & 15) * 4
        frag = struct.unpack(">H", ip[6:8])[0] & 0x1FFF
        if ip[9] != 17 or frag != 0:
            return []
        udp = ip[hl:]
    elif ip[0] >> 4 == 6 and len(ip) >= 40:
        if ip[6] != 17:
            return []
        sel |= 1
        udp = ip[40:]
    else:
        return []
    if len(udp) < 8:
        return []
    sport, dport = struct.unpack(">HH", udp[:4])
    pl = udp[8:]
    if 4500 in (sport, dport) and pl[:4] == b"\x00\x00\x00\x00":
        sel |= 2
        pl = pl[4:]
    elif 500 not in (sport, dport):
        return []
    pl = pl[:MAX_FRAME]
    return [(sel, pl), (sel | 8, pl)]


def cut_byte(caplen, wirelen):
    """Byte 1 of a seed: how much more the wire carried, in 16-byte units."""
    d = wirelen - caplen
    if d <= 0:
        return 0
    return min(127, (d + 15) // 16)


class Writer:
    def __init__(self, outdir, links, max_total):
        self.outdir = outdir
        self.links = links
        self.max_total = max_total
        self.seen = set()
        self.written = 0

    def selector(self, linktype):
        linktype = RAW_ALIASES.get(linktype, linktype)
        if linktype in self.links:
            return self.links.index(linktype)
        if None in self.links:
            return self.links.index(None)
        return None

    def full(self):
        return len(self.seen) >= self.max_total

    def add(self, linktype, data, wirelen):
        sel = self.selector(linktype)
        if sel is None or self.full():
            return
        data = data[:MAX_FRAME]
        self.add_seed(bytes([sel, cut_byte(len(data), wirelen)]) + data)

    def add_seed(self, seed):
        name = hashlib.sha1(seed).hexdigest()
        if name in self.seen:
            return
        self.seen.add(name)
        path = os.path.join(self.outdir, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(seed)
            self.written += 1


def parse_links(s):
    out = []
    for x in s.split(","):
        out.append(None if x == "*" else int(x))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--links", required=True,
                    help="link types by selector index, '*' for any other")
    ap.add_argument("--per-file", type=int, default=128,
                    help="frames taken from each capture")
    ap.add_argument("--reencap", type=int, default=8,
                    help="IP frames per capture written under every link")
    ap.add_argument("--max-total", type=int, default=4000)
    ap.add_argument("--ike", action="store_true",
                    help="seeds for fuzz_ike: IKE messages, not frames")
    ap.add_argument("outdir")
    ap.add_argument("captures", nargs="*")
    a = ap.parse_args()

    w = Writer(a.outdir, parse_links(a.links), a.max_total)
    os.makedirs(a.outdir, exist_ok=True)
    if a.ike:
        return main_ike(a, w)
    # an empty frame on every link, the unsupported one included
    for sel in range(len(w.links)):
        w.add_seed(bytes([sel, 0]))
    bad = 0
    for path in sorted(a.captures):
        try:
            frames = read_capture(path)
        except (OSError, FormatError, struct.error) as ex:
            print(f"pcap2seeds: {path}: {ex}", file=sys.stderr)
            bad += 1
            continue
        nre = 0
        for lt, data, orig in frames[:a.per_file]:
            w.add(lt, data, orig)
            ip = ip_payload(lt, data)
            if ip is not None and nre < a.reencap:
                nre += 1
                for lt2, d2 in reencap(ip):
                    w.add(lt2, d2, len(d2) + orig - len(data))
        if w.full():
            print(f"pcap2seeds: stopped at {a.max_total} seeds",
                  file=sys.stderr)
            break
    print(f"pcap2seeds: {len(w.seen)} seeds ({w.written} new) from "
          f"{len(a.captures) - bad} captures", file=sys.stderr)
    return 0


def main_ike(a, w):
    """Seeds for fuzz_ike (tests/fuzz/fuzz_ike.c)."""
    for sel in range(16):
        w.add_seed(bytes([sel]))
    for path in sorted(a.captures):
        try:
            frames = read_capture(path)
        except (OSError, FormatError, struct.error) as ex:
            print(f"pcap2seeds: {path}: {ex}", file=sys.stderr)
            continue
        for lt, data, _ in frames[:a.per_file]:
            for sel, pl in ike_seeds(lt, data):
                if not w.full():
                    w.add_seed(bytes([sel]) + pl)
    print(f"pcap2seeds: {len(w.seen)} IKE seeds ({w.written} new)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
