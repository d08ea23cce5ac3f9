#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes tests/data/decrypt-facts.tsv: per ESP packet of every keyed
corpus capture, what the reference implementations decrypted.

Usage: /usr/bin/python3 tests/data/mkdecrypt_facts.py [CORPUS_DIR]

The default corpus is ../shared/corpus beside the repository.  Sources of
truth, by capture:

- tshark 4.0 (expected/<id>.tshark.json) for the tcpdump and Wireshark
  wiki captures: decrypted flag, ICV verdict, next header, inner IP;
- scapy 2.5.0 and the independent check of the corpus MANIFEST
  (scapy_vector_checks) for the scapy reference vectors, where tshark 4.0
  has no ESN, AES-CCM or AES-GMAC; tshark's verdict is kept beside it;
- facts.json of the strongSwan scenarios (every ESP packet decrypted by
  the generator and matched with charon's own log); the decrypted inner
  packet is decrypted again here with scapy and its SHA-256 recorded,
  after checking it against the facts (length, addresses, protocol,
  payload).

It also copies the key files the test needs under tests/data/corpus/ with
their corpus-relative paths.  Needs scapy (python3-scapy); the tests never
run it.
"""

import hashlib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "decrypt-facts.tsv")
DEST = os.path.join(HERE, "corpus")

# Capture id -> key files (relative to the corpus), as published.
KEYS = {
    "tcpdump.02-sunrise-sunset-esp":
        ["wsconf/tcpdump.02-sunrise-sunset-esp/esp_sa"],
    "tcpdump.08-sunrise-sunset-esp2": ["tcpdump/esp-secrets.txt"],
    "tcpdump.08-sunrise-sunset-aes": ["tcpdump/esp-secrets.txt"],
    "tcpdump.espudp1": ["wsconf/tcpdump.espudp1/esp_sa"],
    "wiki.ipsec_esp_capture_1":
        ["wireshark-wiki/ipsec_esp_capture_1/esp_sa"],
    "wiki.ipsec_esp_capture_2":
        ["wireshark-wiki/ipsec_esp_capture_2/esp_sa"],
    "wiki.ipsec_esp_capture_3":
        ["wireshark-wiki/ipsec_esp_capture_3/esp_sa"],
    "wiki.ipsec_esp_capture_5":
        ["wireshark-wiki/ipsec_esp_capture_5/esp_sa"],
    "wiki.ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc":
        ["wireshark-wiki/ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc/esp_sa"],
}

# Scapy vectors whose SA no Wireshark esp_sa row expresses (ESN, AES-CCM,
# AES-GMAC): their key file is the MANIFEST's neutral_key in the native
# format (docs/keys.md), tests/data/corpus/keys/<id>.keys.
NATIVE_ALG = {
    "DES-CBC": "des-cbc", "3DES-CBC": "3des-cbc", "AES-CBC": "aes-cbc",
    "AES-CTR": "aes-ctr", "BLOWFISH-CBC": "blowfish-cbc",
    "CAST-CBC": "cast128-cbc", "AES-GCM-16": "aes-gcm-16",
    "AES-CCM-8": "aes-ccm-8", "AES-NULL-GMAC": "aes-gmac",
    "HMAC-SHA2-256-128": "hmac-sha2-256-128",
}


def native_key(nk):
    """One native-format SA line for a MANIFEST neutral_key."""
    words = ["esp", "spi=%s" % nk["spi"], "src=%s" % nk["src"],
             "dst=%s" % nk["dst"], "enc=%s" % NATIVE_ALG[nk["enc_alg"]],
             "enc-key=0x%s" % nk["enc_key_hex"]]
    if nk.get("auth_alg") not in (None, "NULL"):
        words += ["integ=%s" % NATIVE_ALG[nk["auth_alg"]],
                  "integ-key=0x%s" % nk["auth_key_hex"]]
    if nk.get("esn"):
        words += ["esn=yes", "seq-hi=%d" % nk["esn_high_order_bits"]]
    return " ".join(words) + "\n"


def inner_summary(nh, ip):
    s = "nh=%d" % nh
    if ip:
        s += ";ip%s,%s,%s,%s" % (ip["v"], ip["src"], ip["dst"], ip["proto"])
    return s


def copy(corpus, rel):
    dst = os.path.join(DEST, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(os.path.join(corpus, rel), dst)


def tshark_rows(corpus, cid, file, keys, truth="tshark"):
    with open(os.path.join(corpus, "expected", cid + ".tshark.json")) as f:
        t = json.load(f)
    rows = []
    for fr in t["frames"]:
        for k, e in enumerate(fr.get("esp", [])):
            rows.append({
                "id": cid, "file": file, "keys": ",".join(keys),
                "frame": fr["n"], "idx": k, "spi": int(e["spi"], 16),
                "seq": e["seq"], "decrypted": int(bool(e["decrypted"])),
                "icv": e.get("icv") or "none",
                "inner": inner_summary(e["next_header"], e.get("inner_ip"))
                if e["decrypted"] else "-",
                "sha": "-", "truth": truth,
                "tshark": "%d/%s" % (int(bool(e["decrypted"])),
                                     e.get("icv") or "none"),
            })
    return rows


def scapy_decrypt_esp(esp_bytes, src, dst, crypt, ckey, auth, akey,
                      icv_size=None, esn=None):
    """The inner packet scapy decrypts from one ESP header and payload."""
    from scapy.layers.inet import IP
    from scapy.layers.ipsec import ESP, SecurityAssociation
    spi = int.from_bytes(esp_bytes[:4], "big")
    kw = {}
    if icv_size:
        kw["crypt_icv_size"] = icv_size
    if esn is not None:
        kw["esn_en"] = True
        kw["esn"] = esn
    sa = SecurityAssociation(ESP, spi=spi, crypt_algo=crypt,
                             crypt_key=bytes.fromhex(ckey),
                             auth_algo=auth,
                             auth_key=bytes.fromhex(akey) if akey else None,
                             tunnel_header=IP(src=dst, dst=src), **kw)
    pkt = IP(src=src, dst=dst, proto=50) / ESP(esp_bytes)
    pkt = IP(bytes(pkt))
    return bytes(sa.decrypt(pkt))


def cut_ip(b):
    """An IP datagram cut to the length its header gives."""
    if b[0] >> 4 == 4:
        return b[:int.from_bytes(b[2:4], "big")]
    return b[:40 + int.from_bytes(b[4:6], "big")]


SS_ENC = {"AES_GCM_16": ("AES-GCM", 16), "AES_CBC": ("AES-CBC", None),
          "CHACHA20_POLY1305": ("CHACHA20-POLY1305", None)}
SS_INT = {None: "NULL", "HMAC_SHA2_256_128": "SHA2-256-128"}


def strongswan_rows(corpus, scen):
    from scapy.utils import rdpcap
    from scapy.layers.inet import UDP
    base = os.path.join(corpus, "strongswan", scen)
    with open(os.path.join(base, "facts.json")) as f:
        facts = json.load(f)
    sas = {}
    for c in facts["child_sas"]:
        for sa in c["sas"]:
            sas[sa["spi"]] = sa
    pkts = rdpcap(os.path.join(base, "capture.pcap"))
    cid = "strongswan." + scen
    file = "strongswan/%s/capture.pcap" % scen
    log = "strongswan/%s/initiator/charon.log" % scen
    rows = []
    for p in facts["esp_packets"]:
        sa = sas[p["spi"]]
        enc, icv = SS_ENC[sa["encryption"]]
        raw = bytes(pkts[p["frame"] - 1][UDP].payload)
        inner = cut_ip(scapy_decrypt_esp(
            raw, p["outer_src"], p["outer_dst"], enc, sa["enc_key"],
            SS_INT[sa["integrity"]], sa["integ_key"], icv))
        want = p["inner"]
        # The second implementation agrees with the generator's facts.
        assert len(inner) == want["length"], (cid, p["frame"])
        assert inner[9] == want["protocol"], (cid, p["frame"])
        if want["l4"] == "udp":
            assert inner.endswith(want["payload"].encode()), (cid, p)
        if want["l4"] == "icmp":
            assert inner.endswith(bytes.fromhex(want["icmp_data"])), cid
        assert p["decrypt"] == "ok"
        rows.append({
            "id": cid, "file": file, "keys": log, "frame": p["frame"],
            "idx": 0, "spi": int(p["spi"], 16), "seq": p["seq"],
            "decrypted": 1, "icv": "good",
            "inner": "nh=%d;ip%d,%s,%s,%d" % (
                want["next_header"], want["ip_version"], want["src"],
                want["dst"], want["protocol"]),
            "sha": hashlib.sha256(inner).hexdigest()[:32],
            "truth": "strongswan+scapy", "tshark": "-",
        })
    return rows, [log]


def vector_rows(corpus, manifest, vec):
    cid = "scapy.vector." + vec["id"]
    file = vec["pcap"]
    checks = {c["id"]: c for c in manifest["scapy_vector_checks"]}
    chk = checks[vec["id"]]
    wsconf = "wsconf/%s/esp_sa" % cid
    nk = vec["neutral_key"]
    needs_native = (nk.get("esn") or nk["enc_alg"] in
                    ("AES-CCM-8", "AES-NULL-GMAC") or
                    not os.path.exists(os.path.join(corpus, wsconf)))
    keys = ["keys/%s.keys" % cid] if needs_native else [wsconf]
    rows = tshark_rows(corpus, cid, file, keys)
    assert len(rows) == 1
    r = rows[0]
    ind = chk.get("independent_check", {})
    sa = vec["scapy_sa"]
    if chk["scapy_decrypt"] == "ok":
        pkt = bytes.fromhex(vec["packet_hex"])
        hl = (pkt[0] & 15) * 4
        inner = scapy_decrypt_esp(
            pkt[hl:], nk["src"], nk["dst"], sa["crypt_algo"],
            sa["crypt_key_hex"], sa["auth_algo"], sa["auth_key_hex"],
            sa.get("crypt_icv_size"),
            sa.get("esn") if sa.get("esn_en") else None)
        r["sha"] = hashlib.sha256(cut_ip(inner)).hexdigest()[:32]
        r["truth"] = "scapy"
    else:
        r["truth"] = "crypto"
    if "icv_valid" in ind:
        assert ind["icv_valid"]
        r["decrypted"] = 1
        r["icv"] = "good" if nk.get("auth_alg") not in (None, "NULL") or \
            nk["enc_alg"].startswith(("AES-GCM", "AES-CCM", "AES-NULL")) \
            else "none"
        if "inner_ipv4" in ind:
            a, _, b = ind["inner_ipv4"].partition(" > ")
            b, _, proto = b.partition(" proto ")
            r["inner"] = "nh=%d;ip4,%s,%s,%s" % (ind["next_header"], a, b,
                                                  proto)
        else:
            r["inner"] = "nh=%d" % ind["next_header"]
    elif r["truth"] == "scapy":
        r["decrypted"] = 1
        r["icv"] = "none"
    return rows, keys, needs_native


COLS = ("id", "file", "keys", "frame", "idx", "spi", "seq", "decrypted",
        "icv", "inner", "sha", "truth", "tshark")


def write_facts(path, rows):
    """The facts file: a header line, then one row per ESP header."""
    with open(path, "w") as f:
        f.write("#" + "\t".join(COLS) + "\n")
        for r in rows:
            r = dict(r, spi="0x%08x" % r["spi"])
            f.write("\t".join(str(r[c]) for c in COLS) + "\n")


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.path.dirname(TOP), "shared", "corpus")
    with open(os.path.join(corpus, "MANIFEST.json")) as f:
        manifest = json.load(f)
    with open(os.path.join(corpus, "scapy", "ipsec_uts_vectors.json")) as f:
        vectors = json.load(f)["vectors"]
    rows = []
    files = {c["id"]: c["file"] for c in manifest["captures"]}
    for cid, keys in KEYS.items():
        rows += tshark_rows(corpus, cid, files[cid], keys)
        for k in keys:
            copy(corpus, k)
    for vec in vectors:
        r, keys, native = vector_rows(corpus, manifest, vec)
        rows += r
        if native:
            path = os.path.join(DEST, keys[0])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write("# %s: the SA of the scapy reference vector, from "
                        "the corpus MANIFEST neutral_key\n" % vec["id"])
                f.write(native_key(vec["neutral_key"]))
        else:
            copy(corpus, keys[0])
    for scen in sorted(os.listdir(os.path.join(corpus, "strongswan"))):
        if not os.path.isdir(os.path.join(corpus, "strongswan", scen)):
            continue
        r, keys = strongswan_rows(corpus, scen)
        rows += r
        for k in keys:
            copy(corpus, k)
    write_facts(OUT, rows)
    print("%s: %d ESP packets" % (OUT, len(rows)))


if __name__ == "__main__":
    main()
