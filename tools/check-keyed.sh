#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Checks samples/esp-keyed.pcap with tshark, tcpdump and the Python
# cryptography package, each reading its own key file, and
# samples/ah-keyed.pcap with scapy; prints what each decrypted or verified
# and exits 1 when one disagrees with samples/README.md.
#
#	tools/check-keyed.sh [SAMPLES_DIR]

set -u
dir=${1:-samples}
cap=$dir/esp-keyed.pcap
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {	# LABEL GOT WANT
	if [ "$2" = "$3" ]; then
		echo "check-keyed: $1: $2"
	else
		echo "check-keyed: $1: got '$2', want '$3'"
		fail=1
	fi
}

if command -v tshark >/dev/null 2>&1; then
	cp "$dir/esp-keyed.esp_sa" "$tmp/esp_sa"
	printf 'esp.enable_encryption_decode: TRUE\n%s\n' \
	    'esp.enable_authentication_check: TRUE' >"$tmp/preferences"
	WIRESHARK_CONFIG_DIR=$tmp tshark -n -r "$cap" -T fields \
	    -e frame.number -e esp.icv_good -e esp.pad_len 2>/dev/null \
	    >"$tmp/ts"
	expect "tshark decrypted" "$(awk '$3 != "" || ($2 != "" && \
	    $1 == 25) { printf "%s ", $1 }' "$tmp/ts")" \
	    "$(echo $(seq 1 8) $(seq 13 37)) "
	expect "tshark ICV good" "$(awk '$2 == 1 { printf "%s ", $1 }' \
	    "$tmp/ts")" "$(echo $(seq 1 8) $(seq 13 26) $(seq 28 33)) "
else
	echo "check-keyed: tshark not installed: skipped"
fi

if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -n -# -r "$cap" -E "file $dir/esp-keyed.tcpdump-secrets" \
	    2>/dev/null | grep -E 'length [0-9]+: (IP|[0-9]+ >)' |
	    awk '{ printf "%s ", $1 }' >"$tmp/td"
	expect "tcpdump decrypted" "$(cat "$tmp/td")" \
	    "$(echo $(seq 17 20) $(seq 28 33)) "
else
	echo "check-keyed: tcpdump not installed: skipped"
fi

if /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then
	"$(dirname "$0")/check-keyed.py" "$cap" "$dir/esp-keyed.keys" \
	    >"$tmp/py"
	expect "cryptography not ok" "$(awk '$4 != "ok" { printf "%s:%s ", \
	    $1, $4 }' "$tmp/py")" "27:icv-bad 38:no-key 39:no-key "
else
	echo "check-keyed: python3 cryptography missing: skipped"
fi
if /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	"$(dirname "$0")/check-ah-keyed.py" "$dir/ah-keyed.pcap" \
	    "$dir/ah-keyed.keys" >"$tmp/ah"
	expect "scapy AH ICV bad" "$(awk '$3 != "ok" { printf "%s:%s ", \
	    $1, $3 }' "$tmp/ah")" "9:bad "
	expect "scapy AH frames" "$(wc -l <"$tmp/ah")" 11
else
	echo "check-keyed: scapy missing: AH skipped"
fi
exit $fail
