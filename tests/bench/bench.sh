#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Measures ipsec-dump against tcpdump (and tshark, once) on a large capture
# of mostly ESP, NAT-T ESP and IKE traffic over Ethernet, then decrypting:
# ipsec-dump -K against tcpdump -E on an AES-CBC + HMAC-SHA1-96 capture and
# against tshark on an AES-GCM one.
#
#	tests/bench/bench.sh BUILD_DIR
#
# The captures are made once and kept in BUILD_DIR/bench/.  Times are the
# best of BENCH_RUNS (5) runs, by hyperfine when installed.  Environment:
# BENCH_FRAMES (200000), BENCH_DEC_FRAMES (200000, the keyed captures),
# BENCH_RUNS (5), BENCH_HYPERFINE (0: the shell's time even when hyperfine
# is installed), BENCH_TSHARK_FRAMES (tshark runs once, on that many first
# frames; 0, the default, for all of them), BENCH_CALLGRIND_FRAMES (20000;
# 0 to skip).

set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
B=$1
bin=$B/bin
dir=$B/bench
frames=${BENCH_FRAMES:-200000}
runs=${BENCH_RUNS:-5}
tshark_frames=${BENCH_TSHARK_FRAMES:-0}
cg_frames=${BENCH_CALLGRIND_FRAMES:-20000}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
dump=$bin/ipsec-dump
cap=$dir/big.pcap
stamp=$dir/big.src

mkdir -p "$dir"
if [ ! -x "$dump" ]; then
	echo "bench: $dump not built (make B=$B all)" >&2
	exit 1
fi

# --- the capture ---------------------------------------------------------
# Prefers `mksamples --bench`; the fallback below writes a similar mix
# with the Python standard library.  The stamp says which made the file, so
# a fallback capture is replaced once mksamples can do it.
have_mksamples() {
	[ -x "$bin/mksamples" ] &&
	    "$bin/mksamples" --bench "$dir/probe.pcap" 10 >/dev/null 2>&1 &&
	    [ -s "$dir/probe.pcap" ]
}

fallback_capture() {	# FILE N
	"$py" - "$1" "$2" <<'EOF'
import random
import struct
import sys

path, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(4303)


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident):
    ident &= 0xFFFF
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                    0x4000, 64, proto, 0, bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(src, dst, nxt, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, 64,
                       bytes(src), bytes(dst)) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def eth(et, payload):
    return (b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01" +
            struct.pack("!H", et) + payload)


def esp(spi, seq, body_len):
    # IV, ciphertext and a 16-byte ICV; random-looking, fixed per size
    return struct.pack("!II", spi, seq) + noise[:body_len]


def ike(exch, flags, msgid, body_len, ispi, rspi):
    body = noise[:body_len]
    # one opaque payload (type 46, SK) covering the body
    pl = struct.pack("!BBH", 0, 0, 4 + len(body)) + body
    return (ispi + rspi + struct.pack("!BBBBII", 46, 0x20, exch, flags,
            msgid, 28 + len(pl)) + pl)


noise = bytes(rnd.getrandbits(8) for _ in range(2048))
a4 = [[10, 0, 0, 1], [10, 0, 0, 2], [192, 0, 2, 1], [198, 51, 100, 7]]
a6 = [bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [i]) for i in (1, 2)]
sizes = [48, 64, 96, 128, 256, 512, 1024, 1200, 1400]
weights = [20, 15, 10, 10, 10, 10, 10, 5, 10]
seq = {}

out = open(path, "wb")
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
t = 1700000000.0
for i in range(n):
    r = rnd.random()
    size = rnd.choices(sizes, weights)[0]
    s, d = rnd.sample(a4, 2)
    if r < 0.55:			# ESP over IPv4
        spi = 0xC0000000 | rnd.randrange(8)
        seq[spi] = seq.get(spi, 0) + 1
        f = eth(0x0800, ipv4(s, d, 50, esp(spi, seq[spi], size), i))
    elif r < 0.80:			# NAT-T ESP, UDP 4500
        spi = 0xD0000000 | rnd.randrange(8)
        seq[spi] = seq.get(spi, 0) + 1
        f = eth(0x0800, ipv4(s, d, 17, udp(4500, 4500,
                esp(spi, seq[spi], size)), i))
    elif r < 0.86:			# ESP over IPv6
        spi = 0xE0000000 | rnd.randrange(4)
        seq[spi] = seq.get(spi, 0) + 1
        f = eth(0x86DD, ipv6(a6[0], a6[1], 50, esp(spi, seq[spi], size)))
    elif r < 0.92:			# IKEv2 on 500 and after a marker on 4500
        ispi = struct.pack("!Q", 0x1111000000000000 | rnd.randrange(64))
        rspi = struct.pack("!Q", 0x2222000000000000 | rnd.randrange(64))
        m = ike(rnd.choice([34, 35, 36, 37]), rnd.choice([0x08, 0x20]),
                rnd.randrange(16), rnd.choice([80, 200, 400]), ispi, rspi)
        if rnd.random() < 0.5:
            f = eth(0x0800, ipv4(s, d, 17, udp(500, 500, m), i))
        else:
            f = eth(0x0800, ipv4(s, d, 17, udp(4500, 4500,
                    b"\0\0\0\0" + m), i))
    elif r < 0.94:			# NAT-T keepalive
        f = eth(0x0800, ipv4(s, d, 17, udp(4500, 4500, b"\xff"), i))
    else:				# other traffic
        tcp = struct.pack("!HHIIBBHHH", 443, 50000 + i % 1000, i, 0,
                          0x50, 0x10, 65535, 0, 0) + noise[:size]
        f = eth(0x0800, ipv4(s, d, 6, tcp, i))
    t += rnd.expovariate(20000.0)
    sec = int(t)
    out.write(struct.pack("<IIII", sec, int((t - sec) * 1e6), len(f),
                          len(f)))
    out.write(f)
out.close()
EOF
}

# Copies the first N records of a pcap file.
pcap_prefix() {		# IN OUT N
	"$py" - "$@" <<'EOF'
import struct
import sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, "rb") as f:
    buf = f.read()
e = "<" if buf[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
off = 24
for _ in range(n):
    if off + 16 > len(buf):
        break
    incl = struct.unpack(e + "I", buf[off + 8:off + 12])[0]
    off += 16 + incl
with open(dst, "wb") as f:
    f.write(buf[:off])
EOF
}

pcap_count() {		# FILE
	"$py" - "$1" <<'EOF'
import struct
import sys

with open(sys.argv[1], "rb") as f:
    buf = f.read()
e = "<" if buf[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
off, n = 24, 0
while off + 16 <= len(buf):
    off += 16 + struct.unpack(e + "I", buf[off + 8:off + 12])[0]
    n += 1
print(n)
EOF
}

want=fallback
have_mksamples && want=mksamples
rm -f "$dir/probe.pcap"
if [ ! -s "$cap" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want $frames" ]
then
	echo "bench: writing $cap ($frames frames, by $want)"
	rm -f "$cap" "$dir"/prefix-*.pcap
	if [ "$want" = mksamples ]; then
		"$bin/mksamples" --bench "$cap" "$frames"
	else
		fallback_capture "$cap" "$frames"
	fi
	echo "$want $frames" >"$stamp"
fi
nframes=$(pcap_count "$cap")
bytes=$(stat -c %s "$cap")
echo "bench: $cap: $nframes frames, $bytes bytes (made by $want)"

# --- timing ----------------------------------------------------------------
# best_time NAME COMMAND: sets $best (seconds) to the fastest of $runs runs
# and $cpu to the CPU time (user + system) of a run, on average by
# hyperfine, of the fastest run otherwise.  On a busy machine the CPU time
# is the steadier of the two.
best_time() {
	local cmd=$2 json=$dir/hf-$1.json t

	if [ "${BENCH_HYPERFINE:-1}" != 0 ] &&
	    command -v hyperfine >/dev/null 2>&1; then
		# -N: no shell in between; hyperfine discards the output
		hyperfine -N -i --style none --runs "$runs" --warmup 1 \
		    --export-json "$json" "$cmd" >/dev/null 2>&1 ||
		    hyperfine -i --style none --runs "$runs" --warmup 1 \
		    --export-json "$json" "$cmd >/dev/null 2>&1" >/dev/null
		read -r best cpu < <("$py" -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
print(min(r["times"]), r["user"] + r["system"])' "$json")
	else
		best=
		for _ in $(seq "$runs"); do
			one_time "$cmd"
			if [ -z "$best" ] || "$py" -c \
			    'import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))' \
			    "$t1" "$best"; then
				best=$t1 cpu=$c1
			fi
		done
	fi
}

# one_time COMMAND: one run; sets $t1 (wall) and $c1 (user + system).
one_time() {
	local r u s
	TIMEFORMAT='%R %U %S'
	read -r r u s < <( { time bash -c "$1" >/dev/null 2>&1; } 2>&1)
	t1=$r
	c1=$("$py" -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$u" "$s")
}

rows=()
row() {		# LABEL SECONDS CPU FRAMES BYTES
	rows+=("$("$py" -c 'import sys
l, s, c = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
n, b = int(sys.argv[4]), int(sys.argv[5])
print("%-32s %8.3f %8.3f %11.0f %8.1f" % (l, s, c, n / s, b / s / 1e6))' "$@")")
}

# measure NAME LABEL FRAMES BYTES COMMAND: times it, adds its row, sets
# t_NAME and c_NAME.
measure() {
	best_time "$1" "$5"
	eval "t_$1=\$best c_$1=\$cpu"
	row "$2" "$best" "$cpu" "$3" "$4"
}

echo "bench: best of $runs runs each"
measure dump "ipsec-dump" "$nframes" "$bytes" "$dump -r $cap"
measure all "ipsec-dump --all" "$nframes" "$bytes" "$dump --all -r $cap"
measure json "ipsec-dump --json" "$nframes" "$bytes" "$dump --json -r $cap"

t_tcpdump=
if command -v tcpdump >/dev/null 2>&1; then
	measure tcpdump "tcpdump -n" "$nframes" "$bytes" "tcpdump -nr $cap"
else
	echo "bench: tcpdump not installed: skipped"
fi

if command -v tshark >/dev/null 2>&1; then
	tcap=$cap tn=$nframes
	if [ "$tshark_frames" -gt 0 ] && [ "$nframes" -gt "$tshark_frames" ]
	then
		tcap=$dir/prefix-$tshark_frames.pcap
		[ -s "$tcap" ] || pcap_prefix "$cap" "$tcap" "$tshark_frames"
		tn=$tshark_frames
	fi
	one_time "tshark -nr $tcap"
	t_tshark=$t1
	row "tshark -n (1 run, $tn)" "$t_tshark" "$c1" "$tn" \
	    "$(stat -c %s "$tcap")"
else
	echo "bench: tshark not installed: skipped"
fi

# --- decryption ------------------------------------------------------------------
# Two all-ESP captures with their keys (mksamples --bench-gcm/--bench-cbc):
# AES-GCM-16-128, against tshark; AES-CBC-128 + HMAC-SHA1-96, against
# tcpdump -E (which checks no ICV; ipsec-dump checks every one).
t_dcbc= t_dgcm= t_tdcbc= t_tsgcm=
keyed() {		# gcm|cbc: makes $dir/$1.pcap and its key files
	local f=$dir/$1.pcap st=$dir/$1.src
	if [ ! -s "$f" ] || [ "$(cat "$st" 2>/dev/null)" != "$dec_frames" ]
	then
		echo "bench: writing $f ($dec_frames frames)"
		"$bin/mksamples" --bench-$1 "$f" "$dec_frames" || return 1
		echo "$dec_frames" >"$st"
	fi
}

# One tshark profile per capture: preferences and its esp_sa table.
ts_profile() {		# gcm|cbc
	local p=$dir/wsconf-$1

	mkdir -p "$p"
	cp "$dir/$1.esp_sa" "$p/esp_sa"
	printf '%s\n' 'esp.enable_encryption_decode: TRUE' \
	    'esp.enable_authentication_check: TRUE' >"$p/preferences"
	echo "$p"
}

dec_frames=${BENCH_DEC_FRAMES:-200000}
if ! "$bin/mksamples" --bench-gcm "$dir/probe.pcap" 1 >/dev/null 2>&1; then
	echo "bench: mksamples cannot write keyed captures: decryption skipped"
elif ! "$dump" -K "$dir/probe.keys" -r "$dir/probe.pcap" >/dev/null 2>&1
then
	echo "bench: $dump has no working -K: decryption skipped"
else
	keyed gcm && keyed cbc
	for c in gcm cbc; do
		eval "n_$c=\$(pcap_count \"\$dir/\$c.pcap\")"
		eval "b_$c=\$(stat -c %s \"\$dir/\$c.pcap\")"
	done
	echo "bench: $dir/gcm.pcap: $n_gcm frames, $b_gcm bytes (AES-GCM-16-128)"
	echo "bench: $dir/cbc.pcap: $n_cbc frames, $b_cbc bytes" \
	    "(AES-CBC-128 + HMAC-SHA1-96)"

	# Each tool must really decrypt.  ipsec-dump: its summary, over the
	# whole capture, counts every frame decrypted with a good ICV.
	for c in gcm cbc; do
		"$dump" -K "$dir/$c.keys" -r "$dir/$c.pcap" \
		    2>"$dir/check-dump-$c.txt" >/dev/null || true
		eval "want=\$n_$c"
		got=$(awk '/^ security associations:/ { t = 1; next }
		    t && $1 == "esp" { g += $6 } /^ decrypted:/ { t = 0 }
		    END { print g + 0 }' "$dir/check-dump-$c.txt")
		if [ "$got" = "$want" ]; then
			echo "bench: ipsec-dump decrypts the $c capture, ICVs" \
			    "good ($got of $want)"
		else
			echo "bench: ipsec-dump: $got of $want frames with a" \
			    "good ICV (see $dir/check-dump-$c.txt)" >&2
			exit 1
		fi
	done
	# tcpdump and tshark: the first 20 frames once.
	if command -v tcpdump >/dev/null 2>&1; then
		n=$(tcpdump -n -c 20 -r "$dir/cbc.pcap" \
		    -E "file $dir/cbc.tcpdump-secrets" 2>/dev/null |
		    grep -cE 'length [0-9]+: IP 10\.' || true)
		if [ "$n" = 20 ]; then
			echo "bench: tcpdump decrypts the CBC capture (20 of 20)"
		else
			echo "bench: tcpdump decrypted $n of 20 frames" >&2
			exit 1
		fi
	fi
	if command -v tshark >/dev/null 2>&1; then
		p=$(ts_profile gcm)
		n=$(WIRESHARK_CONFIG_DIR=$p tshark -n -c 20 -r "$dir/gcm.pcap" \
		    -Y 'esp.icv_good == 1 && ip.src == 10.0.0.0/8' \
		    2>/dev/null | wc -l)
		if [ "$n" = 20 ]; then
			echo "bench: tshark decrypts the GCM capture, ICVs good" \
			    "(20 of 20)"
		else
			echo "bench: tshark decrypted $n of 20 frames" >&2
			exit 1
		fi
	fi

	measure dcbc "ipsec-dump -K (CBC)" "$n_cbc" "$b_cbc" \
	    "$dump -K $dir/cbc.keys -r $dir/cbc.pcap"
	measure djcbc "ipsec-dump -K --json (CBC)" "$n_cbc" "$b_cbc" \
	    "$dump -K $dir/cbc.keys --json -r $dir/cbc.pcap"
	if command -v tcpdump >/dev/null 2>&1; then
		measure tdcbc "tcpdump -n -E (CBC)" "$n_cbc" "$b_cbc" \
		    "tcpdump -n -r $dir/cbc.pcap -E file\ $dir/cbc.tcpdump-secrets"
	fi
	measure dgcm "ipsec-dump -K (GCM)" "$n_gcm" "$b_gcm" \
	    "$dump -K $dir/gcm.keys -r $dir/gcm.pcap"
	if command -v tshark >/dev/null 2>&1; then
		tcap=$dir/gcm.pcap tn=$n_gcm
		if [ "$tshark_frames" -gt 0 ] && [ "$n_gcm" -gt "$tshark_frames" ]
		then
			tcap=$dir/gcm-prefix-$tshark_frames.pcap
			[ -s "$tcap" ] || pcap_prefix "$dir/gcm.pcap" "$tcap" \
			    "$tshark_frames"
			tn=$tshark_frames
		fi
		one_time "WIRESHARK_CONFIG_DIR=$p tshark -n -r $tcap"
		row "tshark esp_sa (GCM, 1 run)" "$t1" "$c1" "$tn" \
		    "$(stat -c %s "$tcap")"
		# per frame, so that a shorter tshark run still compares
		read -r t_tsgcm c_tsgcm < <("$py" -c 'import sys
k = int(sys.argv[4]) / int(sys.argv[3])
print(float(sys.argv[1]) * k, float(sys.argv[2]) * k)' \
		    "$t1" "$c1" "$tn" "$n_gcm")
	fi
fi
rm -f "$dir"/probe.*

# frames/s counts every frame read, printed or not (ipsec-dump prints
# IPsec frames only unless --all); MB/s is the capture file's size.
printf '\n%-32s %8s %8s %11s %8s\n' "command" "best s" "cpu s" "frames/s" \
    "MB/s"
printf '%s\n' "${rows[@]}"
echo
ratio() {	# WHAT TARGET OURS_WALL OURS_CPU THEIRS_WALL THEIRS_CPU
	"$py" -c 'import sys
w, t = sys.argv[1], sys.argv[2]
a, b, c, d = (float(x) for x in sys.argv[3:7])
print("%s: %.2fx wall, %.2fx cpu (target >= %s)" % (w, c / a, d / b, t))' "$@"
}
if [ -n "$t_tcpdump" ]; then
	ratio "ipsec-dump / tcpdump -n" 3x "$t_dump" "$c_dump" \
	    "$t_tcpdump" "$c_tcpdump"
	ratio "ipsec-dump --all / tcpdump -n" 3x "$t_all" "$c_all" \
	    "$t_tcpdump" "$c_tcpdump"
	ratio "ipsec-dump --json / tcpdump -n" 3x "$t_json" "$c_json" \
	    "$t_tcpdump" "$c_tcpdump"
fi
if [ -n "$t_dcbc" ] && [ -n "$t_tdcbc" ]; then
	ratio "decrypting, ipsec-dump -K / tcpdump -E (CBC)" 5x \
	    "$t_dcbc" "$c_dcbc" "$t_tdcbc" "$c_tdcbc"
fi
if [ -n "$t_dgcm" ] && [ -n "$t_tsgcm" ]; then
	ratio "decrypting, ipsec-dump -K / tshark (GCM)" 25x \
	    "$t_dgcm" "$c_dgcm" "$t_tsgcm" "$c_tsgcm"
fi

# --- instruction counts (deterministic) ---------------------------------------
if [ "$cg_frames" -gt 0 ] && command -v valgrind >/dev/null 2>&1; then
	pcap=$dir/prefix-$cg_frames.pcap
	[ -s "$pcap" ] || pcap_prefix "$cap" "$pcap" "$cg_frames"
	n=$(pcap_count "$pcap")
	echo
	echo "callgrind, instructions per frame over the first $n frames:"
	irs() {		# LABEL COMMAND...
		local label=$1 log ir
		shift
		log=$dir/callgrind-${label//[ -]/}.log
		valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		    --vgdb=no --log-file="$log" "$@" >/dev/null 2>&1 || true
		ir=$(sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' "$log" | tr -d ,)
		if [ -n "$ir" ]; then
			printf '%-28s %12d\n' "$label" $((ir / n))
		else
			echo "$label: no count (see $log)"
		fi
	}
	irs "ipsec-dump" "$dump" -r "$pcap"
	irs "ipsec-dump --json" "$dump" --json -r "$pcap"
	if command -v tcpdump >/dev/null 2>&1; then
		irs "tcpdump -n" tcpdump -nr "$pcap"
	fi
	if [ -n "$t_dcbc" ]; then
		for c in cbc gcm; do
			[ -s "$dir/$c-prefix-$cg_frames.pcap" ] ||
			    pcap_prefix "$dir/$c.pcap" \
			    "$dir/$c-prefix-$cg_frames.pcap" "$cg_frames"
		done
		n=$(pcap_count "$dir/cbc-prefix-$cg_frames.pcap")
		irs "ipsec-dump -K (CBC)" "$dump" -K "$dir/cbc.keys" \
		    -r "$dir/cbc-prefix-$cg_frames.pcap"
		if command -v tcpdump >/dev/null 2>&1; then
			irs "tcpdump -n -E (CBC)" tcpdump -n \
			    -r "$dir/cbc-prefix-$cg_frames.pcap" \
			    -E "file $dir/cbc.tcpdump-secrets"
		fi
		irs "ipsec-dump -K (GCM)" "$dump" -K "$dir/gcm.keys" \
		    -r "$dir/gcm-prefix-$cg_frames.pcap"
	fi
fi
exit 0
