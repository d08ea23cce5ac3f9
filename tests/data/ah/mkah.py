#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes AH test captures with scapy's own AH implementation (its ICV
input, RFC 4302 3.3.3.1, is computed independently of libdissect's), and
the made-up keys that verify them, into this directory:

    ah-ipv4.pcap  IPv4 transport mode: no options, then one packet per
                  option kind (RFC 4302 Appendix A.1)
    ah-ipv6.pcap  IPv6 transport mode: plain, hop-by-hop options with
                  mutable and immutable options, destination options and
                  routing type 0, routing type 2
    ah-mix.pcap   tunnel mode (IPv4, IPv6), AH outside ESP, ESN, and AH
                  datagrams sent in fragments (IPv4, IPv6)
    keys.txt      one SA a line: SPI (hex), algorithm, key (hex), ESN high
                  half or "-" (for tests/unit/test_ah_icv.c)
    ah.keys       the same SAs for ipsec-dump -K (docs/keys.md)

Run: /usr/bin/python3 tests/data/ah/mkah.py   (scapy 2.5, python3-scapy)
"""
import os
import sys

from scapy.all import (AH, ESP, ICMP, IP, IPOption, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, HBHOptUnknown, RouterAlert, Raw,
                       UDP, Ether, PcapWriter, SecurityAssociation, fragment,
                       fragment6)
from scapy.layers.ipsec import zero_mutable_fields

HERE = os.path.dirname(os.path.abspath(__file__))
A4, B4 = "192.0.2.10", "198.51.100.20"
A6, B6 = "2001:db8:1::10", "2001:db8:2::20"
KEYS = {
    "HMAC-SHA1-96": bytes(range(0x10, 0x10 + 20)),
    "SHA2-256-128": bytes(range(0x40, 0x40 + 32)),
    "HMAC-MD5-96": bytes(range(0x70, 0x70 + 16)),
    "AES-CMAC-96": bytes(range(0x90, 0x90 + 16)),
}
NAME = {
    "HMAC-SHA1-96": "hmac-sha1-96",
    "SHA2-256-128": "hmac-sha2-256-128",
    "HMAC-MD5-96": "hmac-md5-96",
    "AES-CMAC-96": "aes-cmac-96",
}
keylines = []
spi_next = [0x1000]


def sa(alg, tunnel=None, esn=None):
    spi = spi_next[0]
    spi_next[0] += 1
    kw = {}
    if tunnel is not None:
        kw["tunnel_header"] = tunnel
    if esn is not None:
        kw["esn_en"] = True
        kw["esn"] = esn
    s = SecurityAssociation(AH, spi=spi, auth_algo=alg, auth_key=KEYS[alg],
                            **kw)
    keylines.append("%08x %s %s %s" % (spi, NAME[alg], KEYS[alg].hex(),
                                       "-" if esn is None else "%x" % esn))
    return s


def write(name, pkts):
    w = PcapWriter(os.path.join(HERE, name), linktype=1, sync=True)
    t = 1700000000
    for i, p in enumerate(pkts):
        e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / p
        e.time = t + i
        w.write(e)
    w.close()


def udp4(a=A4, b=B4, **kw):
    return IP(src=a, dst=b, ttl=64, **kw) / UDP(sport=5000, dport=5001) / \
        Raw(b"scapy AH test payload")


def ipv4():
    out = []
    out.append(sa("HMAC-SHA1-96").encrypt(
        IP(src=A4, dst=B4, tos=0x28, id=7) / ICMP() / Raw(b"ping")))
    opts = [
        b"\x94\x04\x00\x00",                    # router alert (immutable)
        b"\x82\x0b" + bytes(range(1, 10)),      # security (immutable)
        b"\x85\x04\x01\x02",                    # extended security
        b"\x86\x06\x00\x00\x00\x01",            # commercial security
        b"\x95\x06\x0a\x0b\x0c\x0d",            # SDMDD (immutable)
        b"\x07\x0b\x04" + bytes(8),             # record route (mutable)
        b"\x44\x0c\x05\x00" + bytes(8),         # timestamp (mutable)
        b"\x83\x07\x08\xc0\x00\x02\x63",        # LSRR, route done
        b"\x89\x07\x08\xc0\x00\x02\x64",        # SSRR, route done
        b"\x01\x01\x01\x00",                    # NOP, NOP, NOP, EOL
        b"\x1e\x04\xaa\xbb",                    # unknown (mutable)
    ]
    algs = ["SHA2-256-128", "HMAC-MD5-96", "HMAC-SHA1-96", "AES-CMAC-96"]
    for i, o in enumerate(opts):
        s = sa(algs[i % len(algs)])
        pad = b"\x00" * (-len(o) % 4)
        out.append(s.encrypt(udp4(options=[IPOption(o + pad)])))
    return out


def udp6(*ext, a=A6, b=B6):
    p = IPv6(src=a, dst=b, hlim=64, tc=0xb8, fl=0x12345)
    for x in ext:
        p = p / x
    return p / UDP(sport=5000, dport=5001) / Raw(b"scapy AH test payload")


def ipv6():
    out = []
    out.append(sa("HMAC-MD5-96").encrypt(udp6()))
    hbh = IPv6ExtHdrHopByHop(options=[
        RouterAlert(),                          # 0x05: immutable
        HBHOptUnknown(otype=0x3e, optdata=b"\x11\x22\x33\x44"),  # mutable
    ])
    out.append(sa("SHA2-256-128").encrypt(udp6(hbh)))
    dst = IPv6ExtHdrDestOpt(options=[
        HBHOptUnknown(otype=0x1e, optdata=b"\x55\x66"),   # immutable
        HBHOptUnknown(otype=0x3f, optdata=b"\x77\x88"),   # mutable
    ])
    rt0 = IPv6ExtHdrRouting(type=0, segleft=2,
                            addresses=["2001:db8:3::1", "2001:db8:4::1"])
    out.append(sa("HMAC-SHA1-96").encrypt(udp6(hbh, dst, rt0)))
    rt2 = IPv6ExtHdrRouting(type=2, segleft=1, addresses=["2001:db8:5::9"])
    out.append(sa("AES-CMAC-96").encrypt(udp6(rt2)))
    return out


def ah_over_esp(s, pkt):
    # scapy's sign() takes any packet with an ESP layer for ESP (and
    # re-dissects raw bytes into ESP): put AH in front of the ESP bytes by
    # hand and sign with scapy's own zeroing and MAC
    ip = IP(src=pkt[IP].src, dst=pkt[IP].dst, ttl=64, id=3)
    ah = AH(nh=50, spi=s.spi, seq=1, icv=b"\x00" * 12, payloadlen=4)
    p = IP(bytes(ip / ah / Raw(bytes(pkt[ESP]))))
    p[AH].remove_payload()
    p[AH].add_payload(Raw(bytes(pkt[ESP])))
    clone = zero_mutable_fields(p.copy(), sending=True)
    mac = s.auth_algo.new_mac(s.auth_key)
    mac.update(bytes(clone))
    p[AH].icv = mac.finalize()[:s.auth_algo.icv_size]
    return p


def frag6(p, size):
    p = IPv6(bytes(p))
    hdr = p.copy()
    hdr.remove_payload()
    del hdr.nh
    del hdr.plen
    return fragment6(hdr / IPv6ExtHdrFragment(id=0x4242) / p.payload, size)


def mix():
    out = []
    s = sa("HMAC-SHA1-96", tunnel=IP(src="203.0.113.1", dst="203.0.113.2"))
    out.append(s.encrypt(udp4()))
    s = sa("SHA2-256-128", tunnel=IPv6(src="2001:db8:ff::1",
                                       dst="2001:db8:ff::2"))
    out.append(s.encrypt(udp6()))
    esp = SecurityAssociation(ESP, spi=0x2000, crypt_algo="AES-CBC",
                              crypt_key=bytes(16), auth_algo="HMAC-SHA1-96",
                              auth_key=bytes(20))
    inner = esp.encrypt(udp4(), iv=bytes(16))
    out.append(ah_over_esp(sa("HMAC-SHA1-96"), inner))
    s = sa("HMAC-SHA1-96", esn=1)
    out.append(s.encrypt(udp4()))
    big = IP(src=A4, dst=B4, id=0x99) / UDP(sport=5000, dport=5001) / \
        Raw(bytes(range(256)) * 6)
    out.extend(fragment(IP(bytes(sa("SHA2-256-128").encrypt(big))), 600))
    big6 = IPv6(src=A6, dst=B6) / UDP(sport=5000, dport=5001) / \
        Raw(bytes(range(256)) * 6)
    out.extend(frag6(sa("HMAC-SHA1-96").encrypt(big6), 700))
    return out


def main():
    write("ah-ipv4.pcap", ipv4())
    write("ah-ipv6.pcap", ipv6())
    write("ah-mix.pcap", mix())
    with open(os.path.join(HERE, "keys.txt"), "w") as f:
        f.write("# spi algorithm key esn-high (made-up keys, mkah.py)\n")
        for line in keylines:
            f.write(line + "\n")
    # the same SAs in the keystore's native format (docs/keys.md)
    with open(os.path.join(HERE, "ah.keys"), "w") as f:
        f.write("# made-up keys for ah-*.pcap, written by mkah.py\n")
        for line in keylines:
            spi, alg, key, esn = line.split()
            f.write("ah spi=0x%s dst=* integ=%s integ-key=0x%s%s\n" %
                    (spi, alg, key, "" if esn == "-" else " esn=yes"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
