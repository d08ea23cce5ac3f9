#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes ESP captures made by scapy's SecurityAssociation, their key
files and tests/data/gen/facts.tsv (what scapy, and tshark where it can,
make of every packet).

Usage: /usr/bin/python3 tests/data/gen/mkscapy.py [--no-tshark]

One capture per case, tests/data/gen/<case>.pcap, with <case>.keys: every
cipher and integrity algorithm scapy has, tunnel and transport mode, IPv4
and IPv6, NAT-T (UDP 4500), ESN sequence numbers crossing 2^32, packets
with a corrupted ICV, and SAs whose key file has the wrong key.  Key files
are in the native format (docs/keys.md).  The
output is the same on every run: IVs, addresses, identifiers and time
stamps are fixed, and scapy pads with 1, 2, 3 ...  The keys are made up.

The facts file has the columns of tests/data/decrypt-facts.tsv; `truth`
is scapy's decryption of the packet with the key file's key, `tshark` is
tshark 4.0's verdict ("decrypted/icv") or "-" where it has no such
algorithm or no ESN.
"""

import hashlib
import os
import subprocess
import sys
import tempfile

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import Ether
from scapy.layers.inet6 import IPv6, ICMPv6EchoRequest
from scapy.layers.ipsec import ESP, IPSecIntegrityError, SecurityAssociation
from scapy.packet import Raw
from scapy.utils import wrpcap

HERE = os.path.dirname(os.path.abspath(__file__))
FACTS = os.path.join(HERE, "facts.tsv")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(HERE))
from mkdecrypt_facts import write_facts  # noqa: E402

# scapy name -> (native name, Wireshark esp_sa name or None, key octets)
CRYPT = {
    "NULL": ("null", "NULL", 0),
    "AES-CBC": ("aes-cbc", "AES-CBC [RFC3602]", 16),
    "AES-CBC-256": ("aes-cbc", "AES-CBC [RFC3602]", 32),
    "AES-CTR": ("aes-ctr", "AES-CTR [RFC3686]", 20),
    "AES-GCM": ("aes-gcm-16", "AES-GCM with 16 octet ICV [RFC4106]", 20),
    "AES-GCM-256": ("aes-gcm-16", "AES-GCM with 16 octet ICV [RFC4106]",
                    36),
    "AES-GCM-8": ("aes-gcm-8", "AES-GCM with 8 octet ICV [RFC4106]", 20),
    "AES-CCM": ("aes-ccm-16", None, 19),
    "CHACHA20-POLY1305": ("chacha20-poly1305", None, 36),
    "DES": ("des-cbc", "DES-CBC [RFC2405]", 8),
    "3DES": ("3des-cbc", "TripleDES-CBC [RFC2451]", 24),
    "CAST": ("cast128-cbc", "CAST5-CBC [RFC2144]", 16),
    "Blowfish": ("blowfish-cbc", "BLOWFISH-CBC [RFC2451]", 16),
}
AUTH = {
    "NULL": ("none", "NULL", 0),
    "HMAC-MD5-96": ("hmac-md5-96", "HMAC-MD5-96 [RFC2403]", 16),
    "HMAC-SHA1-96": ("hmac-sha1-96", "HMAC-SHA-1-96 [RFC2404]", 20),
    "SHA2-256-128": ("hmac-sha2-256-128", "HMAC-SHA-256-128 [RFC4868]", 32),
    "SHA2-384-192": ("hmac-sha2-384-192", "HMAC-SHA-384-192 [RFC4868]", 48),
    "SHA2-512-256": ("hmac-sha2-512-256", "HMAC-SHA-512-256 [RFC4868]", 64),
    "AES-CMAC-96": ("aes-cmac-96", None, 16),
}
AEAD = ("AES-GCM", "AES-GCM-256", "AES-GCM-8", "AES-CCM",
        "CHACHA20-POLY1305")

ADDR = {4: ("192.0.2.1", "192.0.2.2"), 6: ("2001:db8::1", "2001:db8::2")}
INNER = {4: ("10.1.0.1", "10.2.0.1"), 6: ("2001:db8:1::1", "2001:db8:2::1")}


def case(name, crypt, auth="NULL", mode="tunnel", af=4, natt=False,
         esn=None, corrupt=(), wrong_key=False):
    return dict(name=name, crypt=crypt, auth=auth, mode=mode, af=af,
                natt=natt, esn=esn, corrupt=corrupt, wrong_key=wrong_key)


def cases():
    out = []
    for c in CRYPT:
        if c == "NULL":
            continue
        a = "NULL" if c in AEAD else "HMAC-SHA1-96"
        out.append(case("enc-%s" % c.lower(), c, a))
    for a in AUTH:
        out.append(case("auth-%s" % a.lower(), "AES-CBC", a))
    out.append(case("null-hmac-sha1-96", "NULL", "HMAC-SHA1-96"))
    out += [
        case("transport4-aes-cbc-sha256", "AES-CBC", "SHA2-256-128",
             mode="transport"),
        case("transport4-aes-gcm", "AES-GCM", mode="transport"),
        case("tunnel6-aes-gcm", "AES-GCM", af=6),
        case("tunnel6-aes-cbc-sha1", "AES-CBC", "HMAC-SHA1-96", af=6),
        case("transport6-3des-md5", "3DES", "HMAC-MD5-96", af=6,
             mode="transport"),
        case("transport6-chacha20", "CHACHA20-POLY1305", af=6,
             mode="transport"),
        case("natt4-aes-gcm", "AES-GCM", natt=True),
        case("natt4-aes-cbc-sha256-transport", "AES-CBC", "SHA2-256-128",
             natt=True, mode="transport"),
        case("natt6-aes-ctr-sha1", "AES-CTR", "HMAC-SHA1-96", natt=True,
             af=6),
        case("esn-aes-gcm", "AES-GCM", esn=True),
        case("esn-chacha20", "CHACHA20-POLY1305", esn=True),
        case("esn-aes-ccm-natt", "AES-CCM", esn=True, natt=True),
        case("badicv-aes-cbc-sha1", "AES-CBC", "HMAC-SHA1-96",
             corrupt=(1,)),
        case("badicv-aes-gcm", "AES-GCM", corrupt=(0, 2)),
        case("badicv-3des-sha256", "3DES", "SHA2-256-128", corrupt=(2,)),
        case("wrongkey-aes-cbc-sha256", "AES-CBC", "SHA2-256-128",
             wrong_key=True),
        case("wrongkey-aes-gcm", "AES-GCM", wrong_key=True),
        case("wrongkey-chacha20", "CHACHA20-POLY1305", wrong_key=True),
    ]
    return out


def made_up(label, n):
    """n octets derived from a label: fixed, and different per case."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s/%d" % (label.encode(), i)).digest()
        i += 1
    return out[:n]


def scapy_crypt(c):
    return {"AES-CBC-256": "AES-CBC", "AES-GCM-256": "AES-GCM",
            "AES-GCM-8": "AES-GCM"}.get(c, c)


def icv_size(c):
    return 8 if c == "AES-GCM-8" else None


def make_sa(cs, spi, ckey, akey, src, dst):
    af = cs["af"]
    kw = {}
    if cs["mode"] == "tunnel":
        kw["tunnel_header"] = (IP if af == 4 else IPv6)(src=src, dst=dst)
    if cs["natt"]:
        kw["nat_t_header"] = UDP(sport=4500, dport=4500)
    if cs["esn"]:
        kw["esn_en"] = True
    if icv_size(cs["crypt"]):
        kw["crypt_icv_size"] = icv_size(cs["crypt"])
    return SecurityAssociation(
        ESP, spi=spi, crypt_algo=scapy_crypt(cs["crypt"]), crypt_key=ckey,
        auth_algo=cs["auth"], auth_key=akey or None, **kw)


def inner_packets(af, mode):
    """ICMP echo, UDP and TCP, inner (tunnel) or end to end (transport)."""
    if mode == "tunnel":
        s, d = INNER[af]
    else:
        s, d = ADDR[af]
    ip = (lambda: IP(src=s, dst=d, id=7, ttl=64)) if af == 4 else \
        (lambda: IPv6(src=s, dst=d, hlim=64))
    icmp = ICMP(id=0x1234, seq=1) if af == 4 else \
        ICMPv6EchoRequest(id=0x1234, seq=1)
    pkts = [ip() / icmp / Raw(b"ping-payload-0123456789abcdef"),
            ip() / UDP(sport=40000, dport=5001) / Raw(b"udp datagram"),
            ip() / TCP(sport=40001, dport=80, flags="S", seq=1000)]
    return [p.__class__(bytes(p)) for p in pkts]


def sequence(cs):
    """(seq_hi, seq_lo) of each packet."""
    if cs["esn"]:
        return [(0, 0xfffffffd), (0, 0xfffffffe), (0, 0xffffffff),
                (1, 0), (1, 1), (1, 2)]
    return [(0, 1), (0, 2), (0, 3)]


def iv_of(cs, k):
    c = scapy_crypt(cs["crypt"])
    n = {"NULL": 0, "AES-CBC": 16, "DES": 8, "3DES": 8, "CAST": 8,
         "Blowfish": 8}.get(c, 8)
    return made_up("%s/iv/%d" % (cs["name"], k), n) if n else None


def keys_text(cs, spi, ckey, akey, src, dst, fmt):
    cn, cw, _ = CRYPT[cs["crypt"]]
    an, aw, _ = AUTH[cs["auth"]]
    if fmt == "esp_sa":
        return '"IPv%d","%s","%s","0x%08x","%s","%s","%s","%s"\n' % (
            cs["af"], src, dst, spi, cw, "0x" + ckey.hex() if ckey else "",
            aw, "0x" + akey.hex() if akey else "")
    words = ["esp", "spi=0x%08x" % spi, "src=%s" % src, "dst=%s" % dst,
             "enc=%s" % cn]
    if ckey:
        words.append("enc-key=0x%s" % ckey.hex())
    if cs["auth"] != "NULL":
        words += ["integ=%s" % an, "integ-key=0x%s" % akey.hex()]
    if cs["esn"]:
        words.append("esn=yes")
    if cs["natt"]:
        words.append("encap=udp")
    return " ".join(words) + "\n"


def wireshark_can(cs):
    """Has tshark 4.0 an esp_sa row for the SA (algorithms, no ESN)?"""
    return CRYPT[cs["crypt"]][1] is not None and \
        AUTH[cs["auth"]][1] is not None and not cs["esn"]


def summary(cs, plain):
    if cs["mode"] == "tunnel":
        p = plain
        if cs["af"] == 4:
            return "nh=4;ip4,%s,%s,%d" % (p.src, p.dst, p.proto), bytes(p)
        return "nh=41;ip6,%s,%s,%d" % (p.src, p.dst, p.nh), bytes(p)
    return "nh=%d" % (plain.proto if cs["af"] == 4 else plain.nh), \
        bytes(plain.payload)


def fix_udp_len(raw, af):
    """scapy 2.5.0 sizes the NAT-T UDP header before the ESP is added
    (UDP length 8): the length is set here to what follows it."""
    hl = (raw[0] & 15) * 4 if af == 4 else 40
    raw[hl + 4:hl + 6] = (len(raw) - hl).to_bytes(2, "big")
    raw[hl + 6:hl + 8] = b"\0\0"


def unwrap_natt(p):
    """IP/UDP/ESP as IP/ESP: scapy decrypts ESP only under IP."""
    if UDP not in p:
        return p
    esp = bytes(p[UDP].payload)
    if p.version == 4:
        q = IP(src=p.src, dst=p.dst, id=p.id, ttl=p.ttl, proto=50)
    else:
        q = IPv6(src=p.src, dst=p.dst, hlim=p.hlim, nh=50)
    return q.__class__(bytes(q / ESP(esp)))


def build(cs, tshark):
    name = cs["name"]
    spi = int.from_bytes(made_up(name + "/spi", 4), "big") | 0x100
    ckey = made_up(name + "/enc", CRYPT[cs["crypt"]][2])
    akey = made_up(name + "/auth", AUTH[cs["auth"]][2])
    src, dst = ADDR[cs["af"]]
    tx = make_sa(cs, spi, ckey, akey, src, dst)
    rkey_c, rkey_a = ckey, akey
    if cs["wrong_key"]:
        rkey_c = made_up(name + "/other-enc", len(ckey))
        rkey_a = made_up(name + "/other-auth", len(akey))
    rx = make_sa(cs, spi, rkey_c, rkey_a, src, dst)
    inner = inner_packets(cs["af"], cs["mode"])
    seqs = sequence(cs)
    wire, rows = [], []
    for k, (hi, lo) in enumerate(seqs):
        p = inner[k % len(inner)]
        if cs["mode"] == "transport":
            p = p.copy()
        e = tx.encrypt(p, seq_num=lo, iv=iv_of(cs, k),
                       esn_en=bool(cs["esn"]), esn=hi)
        raw = bytearray(bytes(e))
        if cs["natt"]:
            fix_udp_len(raw, cs["af"])
        if k in cs["corrupt"]:
            raw[-1] ^= 0x5a
        e = e.__class__(bytes(raw))
        frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / e
        frame.time = 1700000000 + k
        wire.append(frame)
        row = {"frame": k + 1, "spi": spi, "seq": lo}
        try:
            rx.esn = hi
            plain = rx.decrypt(unwrap_natt(e.__class__(bytes(raw))))
            row["inner"], body = summary(cs, plain)
            row["decrypted"] = 1
            row["icv"] = "none" if cs["auth"] == "NULL" and \
                cs["crypt"] not in AEAD else "good"
            row["sha"] = hashlib.sha256(body).hexdigest()[:32]
        except IPSecIntegrityError:
            row.update(decrypted=0, icv="bad", inner="-", sha="-")
        rows.append(row)
    wrpcap(os.path.join(HERE, name + ".pcap"), wire)
    with open(os.path.join(HERE, name + ".keys"), "w") as f:
        f.write("# %s: made up by tests/data/gen/mkscapy.py\n" % name)
        f.write(keys_text(cs, spi, rkey_c, rkey_a, src, dst, "native"))
    verdicts = tshark_verdicts(cs, name, spi, rkey_c, rkey_a, src, dst) \
        if tshark and wireshark_can(cs) else {}
    for r in rows:
        r.update(id="gen." + name, file=name + ".pcap", keys=name + ".keys",
                 idx=0, truth="scapy",
                 tshark=verdicts.get(r["frame"], "-"))
    return rows


def tshark_verdicts(cs, name, spi, ckey, akey, src, dst):
    row = keys_text(cs, spi, ckey, akey, src, dst, "esp_sa").strip()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, WIRESHARK_CONFIG_DIR=home)
        out = subprocess.run(
            ["tshark", "-n", "-r", os.path.join(HERE, name + ".pcap"),
             "-o", "esp.enable_encryption_decode:TRUE",
             "-o", "esp.enable_authentication_check:TRUE",
             "-o", "uat:esp_sa:" + row, "-T", "fields",
             "-e", "frame.number", "-e", "esp.pad_len",
             "-e", "esp.icv_good", "-e", "esp.icv_bad"],
            env=env, capture_output=True, text=True, check=True).stdout
    v = {}
    for line in out.splitlines():
        n, pad, good, bad = (line.split("\t") + ["", "", ""])[:4]
        icv = "good" if good == "1" else "bad" if bad == "1" else "none"
        v[int(n)] = "%d/%s" % (1 if pad else 0, icv)
    return v


def main():
    tshark = "--no-tshark" not in sys.argv[1:]
    rows = []
    for cs in cases():
        rows += build(cs, tshark)
    write_facts(FACTS, rows)
    print("%s: %d packets in %d captures" % (FACTS, len(rows),
                                             len(cases())))


if __name__ == "__main__":
    main()
