#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Checks a keyed sample with the Python cryptography package alone.

    tools/check-keyed.py CAPTURE.pcap KEYS.keys

Reads the native key file (esp lines only), then for every ESP frame over
Ethernet/IPv4 (plain or in UDP 4500) checks the ICV and the padding and
prints one line: frame, SPI, 64-bit sequence number, verdict, next header.
ESN high bits start at 0 and follow RFC 4303 Appendix A (window 64).
Independent of tshark and tcpdump: it also covers ChaCha20-Poly1305 and
ESN, which tshark 4.0 cannot.
"""
import hashlib
import hmac
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

ENC = {  # name: (iv octets, block, salt octets)
    "null": (0, 4, 0), "aes-cbc": (16, 16, 0), "3des-cbc": (8, 8, 0),
    "aes-ctr": (8, 4, 4), "aes-gcm-16": (8, 4, 4),
    "chacha20-poly1305": (8, 4, 4),
}
INTEG = {"none": (None, 0), "hmac-sha1-96": (hashlib.sha1, 12),
         "hmac-sha2-256-128": (hashlib.sha256, 16)}


def load_keys(path):
    sas = {}
    for line in open(path):
        w = line.split()
        if not w or w[0] != "esp":
            continue
        kv = dict(x.split("=", 1) for x in w[1:])
        kv["enc-key"] = bytes.fromhex(kv.get("enc-key", "0x")[2:])
        kv["integ-key"] = bytes.fromhex(kv.get("integ-key", "0x")[2:])
        kv.setdefault("integ", "none")
        kv["hi"], kv["top"] = 0, None
        sas[int(kv["spi"], 16)] = kv
    return sas


def seq64(sa, lo):
    # RFC 4303 Appendix A2.2, window 64
    if sa.get("esn") != "yes":
        return lo
    top = sa["top"] if sa["top"] is not None else lo
    tl, th = top & 0xffffffff, top >> 32
    if tl >= 63:
        hi = th + 1 if lo < tl - 63 else th
    else:
        hi = th - 1 if lo >= tl - 63 + 2**32 else th
    s = hi << 32 | lo
    sa["top"] = max(top, s)
    return s


def open_esp(sa, esp):
    spi, lo = struct.unpack("!II", esp[:8])
    s = seq64(sa, lo)
    hi = struct.pack("!I", s >> 32)
    ivl, blk, saltl = ENC[sa["enc"]]
    key = sa["enc-key"]
    ek, salt = key[:len(key) - saltl], key[len(key) - saltl:]
    iv = esp[8:8 + ivl]
    if sa["enc"] in ("aes-gcm-16", "chacha20-poly1305"):
        aad = esp[:4] + (hi if sa.get("esn") == "yes" else b"") + esp[4:8]
        a = AESGCM(ek) if sa["enc"] == "aes-gcm-16" else ChaCha20Poly1305(ek)
        try:
            pt = a.decrypt(salt + iv, esp[8 + ivl:], aad)
        except Exception:
            return s, "icv-bad", None
    else:
        md, icvl = INTEG[sa["integ"]]
        body, icv = esp[:len(esp) - icvl], esp[len(esp) - icvl:]
        if md is not None:
            m = hmac.new(sa["integ-key"], body +
                         (hi if sa.get("esn") == "yes" else b""), md)
            if not hmac.compare_digest(m.digest()[:icvl], icv):
                return s, "icv-bad", None
        ct = body[8 + ivl:]
        if sa["enc"] == "null":
            pt = ct
        elif sa["enc"] == "aes-ctr":
            ctr = salt + iv + b"\0\0\0\1"
            d = Cipher(algorithms.AES(ek), modes.CTR(ctr)).decryptor()
            pt = d.update(ct) + d.finalize()
        else:
            alg = (algorithms.AES(ek) if sa["enc"] == "aes-cbc" else
                   algorithms.TripleDES(ek))
            d = Cipher(alg, modes.CBC(iv)).decryptor()
            pt = d.update(ct) + d.finalize()
        if len(ct) % blk:
            return s, "bad-length", None
    padl, nh = pt[-2], pt[-1]
    pad = pt[-2 - padl:-2]
    if pad != bytes(range(1, padl + 1)):
        return s, "bad-padding", nh
    return s, "ok", nh


def main():
    sas = load_keys(sys.argv[2])
    buf = open(sys.argv[1], "rb").read()
    off, n, bad = 24, 0, 0
    while off + 16 <= len(buf):
        incl = struct.unpack("<I", buf[off + 8:off + 12])[0]
        f = buf[off + 16:off + 16 + incl]
        off += 16 + incl
        n += 1
        if f[12:14] != b"\x08\x00":
            continue
        ipp = f[14:]
        hl, proto = (ipp[0] & 15) * 4, ipp[9]
        esp = ipp[hl:struct.unpack("!H", ipp[2:4])[0]]
        if proto == 17 and b"\x11\x94" in (esp[0:2], esp[2:4]) and \
                len(esp) > 16 and esp[8:12] != b"\0\0\0\0":
            esp = esp[8:]
        elif proto != 50:
            continue
        spi, lo = struct.unpack("!II", esp[:8])
        if spi not in sas:
            print("%d 0x%08x %d no-key" % (n, spi, lo))
            continue
        s, verdict, nh = open_esp(sas[spi], esp)
        print("%d 0x%08x %d %s %s" % (n, spi, s, verdict, nh))
        bad += verdict != "ok"
    return 0


if __name__ == "__main__":
    sys.exit(main())
