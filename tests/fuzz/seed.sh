#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Fills DIR with seed inputs for fuzzer NAME, one per frame of the captures
# in samples/ and tests/data/corpus/ (deduplicated, at most SEED_MAX files).
#
#	tests/fuzz/seed.sh NAME DIR

set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 NAME DIR" >&2
	exit 2
fi
name=$1
dir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3

extra=
case $name in
fuzz_ike)
	# IKE messages (UDP payloads of 500 and 4500): tests/fuzz/fuzz_ike.c
	links='*'
	extra=--ike
	;;
fuzz_file)
	# whole capture files, the small ones
	mkdir -p "$dir"
	find "$top/samples" "$top/tests/data/corpus" "$top/tests/data/capture" \
	    -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) \
	    -size -64k -exec cp {} "$dir/" \; 2>/dev/null
	exit 0
	;;
fuzz_esp_open)
	# selector, sequence, ESP bytes of the scapy reference vectors
	# (tests/fuzz/fuzz_esp_open.c; selector: index in its SA table)
	mkdir -p "$dir"
	"$python" - "$top/tests/data/corpus/scapy/ipsec_uts_vectors.json" \
	    "$dir" <<'PY'
import json, os, sys
sel = {"transport-aes-cbc-hmac-sha2-256-128-esn": 0,
       "transport-aes-gcm-null": 1, "transport-aes-ccm-null": 2,
       "transport-aes-null-gmac-null-esn": 3, "transport-aes-cbc-null": 11}
for v in json.load(open(sys.argv[1]))["vectors"]:
    if v["id"] not in sel:
        continue
    pk = bytes.fromhex(v["packet_hex"])
    esp = pk[(pk[0] & 15) * 4:]
    with open(os.path.join(sys.argv[2], v["id"] + ".bin"), "wb") as f:
        f.write(bytes([sel[v["id"]]]) + esp[4:])
PY
	exit 0
	;;
fuzz_keys)
	# key files, selector byte 0 (detect the format) and each format's
	# own number (enum ks_format) before the text
	mkdir -p "$dir"
	i=0
	find "$top/tests/data/corpus" "$top/tests/data/keys" -type f \
	    \( -name 'esp_sa*' -o -name 'ikev2_decryption_table' \
	    -o -name '*secrets*' -o -name '*.keys' \) 2>/dev/null | sort |
	while read -r f; do
		case $f in
		*.keys) sel='\001' ;;
		*esp_sa*) sel='\002' ;;
		*ikev2_decryption_table) sel='\003' ;;
		*) sel='\004' ;;
		esac
		i=$((i + 1))
		{ printf '\000'; cat "$f"; } >"$dir/keys-$i-auto"
		{ printf "$sel"; cat "$f"; } >"$dir/keys-$i-fmt"
	done
	exit 0
	;;
fuzz_esp)
	# mode byte, then ESP plaintext (tests/fuzz/fuzz_esp.c): tunnel IPv4
	# ICMP, transport ICMP, a dummy, transport UDP to IKE port 500
	mkdir -p "$dir"
	printf '\000\105\000\000\034\000\007\000\000\100\001\000\000'\
'\012\001\000\001\012\002\000\001\010\000\367\376\000\001\000\000'\
'\000\000\000\000\001\002\002\004' >"$dir/tunnel4"
	printf '\002\010\000\367\376\000\001\000\000\001\002\002\001' \
	    >"$dir/icmp"
	printf '\004\001\002\003\004\000\073' >"$dir/dummy"
	printf '\001\001\364\001\364\000\044\000\000'\
'\001\002\003\004\005\006\007\010\000\000\000\000\000\000\000\000'\
'\000\040\042\010\000\000\000\000\000\000\000\034\001\002\002\021' \
	    >"$dir/ike"
	exit 0
	;;
fuzz_keys_log)
	# selector byte 0: ip xfrm state, 1: strongSwan log (fuzz_keys_log.c)
	mkdir -p "$dir"
	for f in "$top"/tests/data/xfrm/*.txt; do
		[ -f "$f" ] || continue
		{ printf '\000'; cat "$f"; } >"$dir/xfrm-$(basename "$f")"
	done
	# the lines of each charon log the loader reads, not the whole log
	for f in "$top"/tests/data/corpus/strongswan/*/*/charon.log; do
		[ -f "$f" ] || continue
		s=$(echo "$f" | sed 's|.*/strongswan/||; s|/charon.log||; s|/|-|')
		{ printf '\001'; grep -E 'parsed|selected proposal|using |key =>|\[CHD\].* +[0-9]+: [0-9A-F][0-9A-F] |adding (in|out)bound|SPI 0x|established with' "$f"; } \
		    >"$dir/sw-$s.log"
	done
	exit 0
	;;
fuzz_lzs)
	# LZS streams: tests/fuzz/fuzz_lzs.c (cap byte, then the stream)
	mkdir -p "$dir"
	printf '\000\060\230\214\170\075\300\000' >"$dir/abc.bin"
	printf '\010\300\000' >"$dir/end.bin"
	for f in "$top/tests/data/fuzz/lzs"-*.bin; do
		[ -f "$f" ] && cp "$f" "$dir/"
	done
	exit 0
	;;
fuzz_frame)
	# Selector byte -> link type; keep in step with link_tab[] in
	# tests/fuzz/fuzz_frame.c.  '*' is the unsupported entry.
	links=1,101,228,229,113,276,0,108,'*'
	;;
*)
	echo "$0: no seeds for fuzzer '$name'" >&2
	exit 2
	;;
esac

mkdir -p "$dir"
# inputs that once failed, named <fuzzer without fuzz_>-*.bin
for f in "$top/tests/data/fuzz/${name#fuzz_}"-*.bin; do
	[ -f "$f" ] && cp "$f" "$dir/"
done
caps=$(mktemp)
trap 'rm -f "$caps"' EXIT INT TERM
for d in "$top/samples" "$top/tests/data/corpus"; do
	[ -d "$d" ] || continue
	find "$d" -type f \( -name '*.pcap' -o -name '*.pcapng' \
	    -o -name '*.cap' \) -print
done | sort >"$caps"

if [ ! -s "$caps" ]; then
	echo "seed.sh: no captures in samples/ or tests/data/corpus/;" \
	    "starting from an empty corpus" >&2
	exit 0
fi
tr '\n' '\0' <"$caps" | xargs -0 "$python" "$top/tests/fuzz/pcap2seeds.py" \
    --links "$links" $extra --max-total "${SEED_MAX:-4000}" "$dir"
