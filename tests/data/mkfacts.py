#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes tests/data/corpus-facts.tsv from the corpus MANIFEST.json.

Usage: tests/data/mkfacts.py [CORPUS_DIR | MANIFEST.json]

The default corpus is ../shared/corpus relative to the top of the
repository.  One line per capture whose file has been copied under
tests/data/corpus/, with the facts that tshark reported for it (see the
header line).  Lists are comma-separated and sorted; "-" stands for an
empty list.  IKE SA SPI pairs are written as VERSION/ISPI/RSPI, where
VERSION is the header's version as tshark shows it ("1.0", "2.0", or the
raw byte such as "0xbe"), and a pair with a zero responder SPI is only
listed when no message of that SA carried a non-zero one.
"""

import json
import os
import sys

COUNTS = (
    "esp",
    "esp_udp_encap",
    "ah",
    "ipcomp",
    "isakmp_v1",
    "isakmp_v2",
    "isakmp_over_4500_non_esp_marker",
    "nat_keepalive",
    "icmp_error_quoting_esp",
    "malformed",
)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def spi_list(values):
    """Sorted 0x%08x strings from tshark's "0x..." or decimal strings."""
    out = set()
    for v in values:
        n = int(v, 16) if v.lower().startswith("0x") else int(v)
        out.add("0x%08x" % n)
    return ",".join(sorted(out)) or "-"


def cpi_list(values):
    out = set()
    for v in values:
        n = int(v, 16) if v.lower().startswith("0x") else int(v)
        out.add("0x%04x" % n)
    return ",".join(sorted(out)) or "-"


def ike_list(pairs):
    out = {"%s/%s/%s" % (p["version"], p["spi_i"].lower(),
                         (p.get("spi_r") or "0" * 16).lower())
           for p in pairs}
    return ",".join(sorted(out)) or "-"


def main(argv):
    src = argv[1] if len(argv) > 1 else os.path.join(TOP, "..", "shared",
                                                     "corpus")
    manifest = src if src.endswith(".json") else os.path.join(
        src, "MANIFEST.json")
    with open(manifest) as f:
        m = json.load(f)
    corpus = os.path.join(HERE, "corpus")
    out_path = os.path.join(HERE, "corpus-facts.tsv")
    rows = []
    for c in m["captures"]:
        if not os.path.exists(os.path.join(corpus, c["file"])):
            print("mkfacts: %s: %s not under tests/data/corpus, skipped"
                  % (c["id"], c["file"]), file=sys.stderr)
            continue
        t = c["expected"]["tshark"]
        pfc = t["protocol_frame_counts"]
        row = [c["id"], c["file"], str(t["frames"])]
        row += [str(pfc[k]) for k in COUNTS]
        row += [spi_list(t["esp_spis"]), spi_list(t["ah_spis"]),
                cpi_list(t["ipcomp_cpis"]), ike_list(t["ike_sa_spi_pairs"])]
        rows.append(row)
    header = (["#id", "file", "frames"] + list(COUNTS) +
              ["esp_spis", "ah_spis", "ipcomp_cpis", "ike_sa_spi_pairs"])
    with open(out_path, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print("mkfacts: %d captures -> %s" % (len(rows), out_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
