#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Checks every AH ICV of a keyed sample with scapy's AH implementation.

    tools/check-ah-keyed.py CAPTURE.pcap KEYS.keys

Prints one line per AH frame: frame, SPI, ok or bad.  ESN high bits are
taken as 1 below 2^31 for an esn=yes SA (the sample crosses 2^32 once).
"""
import sys
import warnings

warnings.filterwarnings("ignore")
from scapy.all import AH, IP, IPv6, rdpcap  # noqa: E402
from scapy.layers.ipsec import SecurityAssociation  # noqa: E402

ALG = {"hmac-sha1-96": "HMAC-SHA1-96", "hmac-sha2-256-128": "SHA2-256-128"}


def main():
    keys = {}
    for line in open(sys.argv[2]):
        w = line.split()
        if w and w[0] == "ah":
            kv = dict(x.split("=", 1) for x in w[1:])
            keys[int(kv["spi"], 16)] = kv
    for i, p in enumerate(rdpcap(sys.argv[1]), 1):
        if AH not in p:
            continue
        ip = p[IP] if IP in p else p[IPv6]
        ah = p[AH]
        kv = keys.get(ah.spi)
        if kv is None:
            print(i, "0x%08x" % ah.spi, "no-key")
            continue
        esn = kv.get("esn") == "yes"
        sa = SecurityAssociation(
            AH, spi=ah.spi, auth_algo=ALG[kv["integ"]],
            auth_key=bytes.fromhex(kv["integ-key"][2:]), esn_en=esn,
            esn=1 if esn and ah.seq < 0x80000000 else 0)
        try:
            sa.decrypt(ip.__class__(bytes(ip)))
            print(i, "0x%08x" % ah.spi, "ok")
        except Exception:
            print(i, "0x%08x" % ah.spi, "bad")
    return 0


if __name__ == "__main__":
    sys.exit(main())
