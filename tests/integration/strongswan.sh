#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Live interoperation: two strongSwan charon daemons in private network
# namespaces joined by a veth pair, ESP done in userspace by the
# kernel-libipsec plugin (so always UDP-encapsulated, RFC 3948), charon
# logging its keys at level 4.  One IKEv2 SA (AES-GCM, ECP-256) carries two
# Child SAs, one AES-GCM-16 (RFC 4106) and one AES-CBC with
# HMAC-SHA2-256-128 (RFC 3602, RFC 4868); pings and UDP datagrams go through
# both while tcpdump captures the veth.  Then
#     ipsec-dump -K charon.log -r capture.pcap --json
# must decrypt every ESP packet with a good ICV, and the inner packets must
# be the pings and datagrams sent.
#
# Usage: tests/integration/strongswan.sh [IPSEC_DUMP]
# Exit status: 0 passed, 1 failed, 77 skipped (the reason on stdout).
# Everything lives in a temporary directory (KEEP=1 keeps it); namespaces
# and daemons go on exit; every wait is bounded and the whole run stops
# after 55 seconds.

set -u

DUMP=${1:-${IPSEC_BIN:-build/bin}/ipsec-dump}
CHARON=/usr/lib/ipsec/charon
PLUGINS=/usr/lib/ipsec/plugins
PING_COUNT=3
UDP_COUNT=3

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
say() { echo "strongswan.sh: $*"; }

[ "$(id -u)" = 0 ] || skip "not root: network namespaces need CAP_NET_ADMIN"
for t in ip tcpdump swanctl timeout ping mount; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not installed"
done
[ -x "$CHARON" ] || skip "$CHARON not installed (strongswan-charon)"
for p in kernel-libipsec gcm openssl vici; do
	[ -e "$PLUGINS/libstrongswan-$p.so" ] ||
	    skip "strongSwan plugin $p not installed"
done
[ -c /dev/net/tun ] || skip "no /dev/net/tun for kernel-libipsec"
[ -x "$DUMP" ] || fail "$DUMP: not found"
"$DUMP" --help 2>&1 | grep -q -- '-K FILE' || fail "$DUMP: no -K option"

T=$(mktemp -d /tmp/ipsec-swan.XXXXXX) || fail "mktemp"
NI=ipsec-swan-i-$$
NR=ipsec-swan-r-$$
VI=swi$$
VR=swr$$
PIDS=""
WATCHDOG=""

stop_pid() {
	local p=$1 i
	kill -TERM "$p" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
}

cleanup() {
	local p
	trap - EXIT INT TERM HUP
	for p in $PIDS; do
		stop_pid "$p"
	done
	[ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
	ip netns del "$NI" 2>/dev/null
	ip netns del "$NR" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then
		say "kept $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 1' INT TERM HUP

# The whole run is bounded: past 55 s the watchdog ends it (cleanup runs).
# It holds no descriptor of ours, and takes its sleep with it when killed.
(
	trap 'kill "$sp" 2>/dev/null; exit 0' TERM
	sleep 55 &
	sp=$!
	wait "$sp" && kill -TERM $$
) >/dev/null 2>&1 </dev/null &
WATCHDOG=$!

# Polls (every 0.1 s, at most $1 seconds) until the command succeeds.
wait_for() {
	local n=$(( $1 * 10 ))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

ns() { local n=$1; shift; ip netns exec "$n" "$@"; }

# ---- network: 192.0.2.10 <-> 192.0.2.20 on a veth, inner hosts on lo ----
ip netns add "$NI" 2>"$T/netns.err" && ip netns add "$NR" 2>>"$T/netns.err" ||
    skip "cannot make network namespaces here: $(head -1 "$T/netns.err")"
ip link add "$VI" netns "$NI" type veth peer name "$VR" netns "$NR" ||
    fail "ip link add veth"
ns "$NI" ip link set lo up
ns "$NR" ip link set lo up
ns "$NI" ip addr add 192.0.2.10/24 dev "$VI"
ns "$NR" ip addr add 192.0.2.20/24 dev "$VR"
ns "$NI" ip link set "$VI" up
ns "$NR" ip link set "$VR" up
ns "$NI" ip addr add 198.51.100.1/32 dev lo
ns "$NI" ip addr add 198.51.100.2/32 dev lo
ns "$NR" ip addr add 203.0.113.1/32 dev lo
ns "$NR" ip addr add 203.0.113.2/32 dev lo
wait_for 5 ns "$NI" ping -c 1 -W 1 192.0.2.20 || fail "veth does not pass"

# ---- daemons ---------------------------------------------------------
LOAD="random nonce openssl aes sha1 sha2 hmac gcm kdf"
LOAD="$LOAD kernel-libipsec kernel-netlink socket-default vici"

conf() {	# $1: directory; writes strongswan.conf
	cat >"$1/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = $LOAD
  install_virtual_ip = no
  retransmit_tries = 2
  filelog {
    charon {
      path = $1/charon.log
      time_format = %Y-%m-%d %H:%M:%S
      ike_name = yes
      append = no
      flush_line = yes
      # level 4 for ike and chd: the DH secret, SK_* and the CHILD_SA keys
      default = 1
      ike = 4
      chd = 4
      cfg = 2
      knl = 2
      net = 2
      enc = 1
      esp = 1
    }
  }
  plugins {
    vici {
      socket = unix://$1/charon.vici
    }
  }
}
swanctl {
  load = random
}
CONF
}

swconf() {	# $1: dir, $2: local, $3: remote, $4/$5: TS of gcm, $6/$7: cbc
	cat >"$1/swanctl.conf" <<CONF
connections {
  live {
    version = 2
    local_addrs = $2
    remote_addrs = $3
    proposals = aes128gcm16-prfsha256-ecp256
    local {
      auth = psk
      id = $2
    }
    remote {
      auth = psk
      id = $3
    }
    children {
      gcm {
        local_ts = $4
        remote_ts = $5
        esp_proposals = aes128gcm16
        mode = tunnel
      }
      cbc {
        local_ts = $6
        remote_ts = $7
        esp_proposals = aes256-sha256
        mode = tunnel
      }
    }
  }
}
secrets {
  ike-live {
    id-1 = 192.0.2.10
    id-2 = 192.0.2.20
    secret = "made-up-live-test-psk"
  }
}
CONF
}

mkdir "$T/i" "$T/r"
conf "$T/i"
conf "$T/r"
swconf "$T/i" 192.0.2.10 192.0.2.20 198.51.100.1/32 203.0.113.1/32 \
    198.51.100.2/32 203.0.113.2/32
swconf "$T/r" 192.0.2.20 192.0.2.10 203.0.113.1/32 198.51.100.1/32 \
    203.0.113.2/32 198.51.100.2/32

start_charon() {	# $1: namespace, $2: directory
	# A private /run per daemon: each writes /run/charon.pid.
	ip netns exec "$1" bash -c 'mount -t tmpfs tmpfs /run &&
	    cd "$1" && STRONGSWAN_CONF="$1/strongswan.conf" exec "$2"' \
	    charon "$2" "$CHARON" >"$2/charon.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 test -S "$2/charon.vici" ||
	    fail "charon in $1 did not start: $(tail -5 "$2/charon.out")"
}

swan() {	# $1: directory, $2: swanctl command, then its options
	local d=$1 c=$2
	shift 2
	STRONGSWAN_CONF="$d/strongswan.conf" timeout 20 swanctl "$c" \
	    --uri "unix://$d/charon.vici" "$@"
}

ns "$NI" tcpdump -i "$VI" -U -s 0 -w "$T/capture.pcap" \
    'udp port 500 or udp port 4500 or ip proto 50' >"$T/tcpdump.out" 2>&1 &
TCPDUMP=$!
PIDS="$PIDS $TCPDUMP"
wait_for 10 grep -q 'listening on' "$T/tcpdump.out" ||
    fail "tcpdump did not start: $(cat "$T/tcpdump.out")"

start_charon "$NR" "$T/r"
start_charon "$NI" "$T/i"
for d in "$T/r" "$T/i"; do
	swan "$d" --load-all --file "$d/swanctl.conf" >"$d/load.out" 2>&1 ||
	    fail "swanctl --load-all: $(tail -3 "$d/load.out")"
done
for c in gcm cbc; do
	swan "$T/i" --initiate --child "$c" --timeout 15 \
	    >"$T/i/initiate-$c.out" 2>&1 ||
	    fail "initiate $c: $(tail -5 "$T/i/initiate-$c.out")"
done

# ---- traffic -------------------------------------------------------------
for n in 1 2; do
	ns "$NI" timeout 10 ping -n -q -c "$PING_COUNT" -i 0.2 -W 2 \
	    -p a5c3e1f00f1e3ca5 -I "198.51.100.$n" "203.0.113.$n" \
	    >"$T/ping$n.out" 2>&1 ||
	    fail "ping through child $n: $(cat "$T/ping$n.out")"
	ns "$NI" timeout 5 bash -c 'for i in $(seq "$1"); do
	    echo "ipsec-dump live udp $i" >/dev/udp/"$2"/5001; sleep 0.1
	    done' udp "$UDP_COUNT" "203.0.113.$n" ||
	    fail "udp through child $n"
done
sleep 0.5
stop_pid "$TCPDUMP"
for p in $PIDS; do
	stop_pid "$p"
done
PIDS=""

# ---- what ipsec-dump makes of it -----------------------------------------
timeout 20 "$DUMP" -K "$T/i/charon.log" -r "$T/capture.pcap" --json \
    >"$T/dump.json" 2>"$T/dump.err"
rc=$?
[ "$rc" -le 1 ] || fail "ipsec-dump exit $rc: $(head -5 "$T/dump.err")"

# One JSON object per frame, each on a line starting {"frame": (then the
# summary, whose per-SA rows also say "proto":"esp").
grep '^{"frame":' "$T/dump.json" >"$T/frames.json"
# Frames matching $1, leaving out ICMP errors (they quote what they answer).
count() { grep -v '"quoted":true' "$T/frames.json" | grep -c -E -- "$1"; }
esp_objs() {
	grep -o -E -- '\{"proto":"esp"[^}]*\}' "$T/frames.json" |
	    grep -v '"quoted":true'
}
esp=$(esp_objs | grep -c .)
good=$(esp_objs | grep '"decrypted":true' | grep -c '"icv":"good"')
say "$esp ESP packets, $good decrypted with a good ICV"
[ "$esp" -ge $((2 * (2 * PING_COUNT + UDP_COUNT))) ] ||
    fail "only $esp ESP packets captured"
[ "$good" -eq "$esp" ] || {
	esp_objs | grep -v '"icv":"good"' | head -3
	fail "$((esp - good)) ESP packets not decrypted and verified"
}

IP4='"proto":"ipv4"[^}]*"src":"%s","dst":"%s".*'
ECHO='"proto":"icmp",[^}]*"type":%d,'
UDP='"proto":"udp",[^}]*"dport":5001,'
for n in 1 2; do
	i=198.51.100.$n
	r=203.0.113.$n
	# shellcheck disable=SC2059
	req=$(count "$(printf "$IP4$ECHO" "$i" "$r" 8)")
	# shellcheck disable=SC2059
	rep=$(count "$(printf "$IP4$ECHO" "$r" "$i" 0)")
	# shellcheck disable=SC2059
	udp=$(count "$(printf "$IP4$UDP" "$i" "$r")")
	say "child $n: $req echo requests, $rep replies, $udp UDP datagrams"
	[ "$req" -eq "$PING_COUNT" ] || fail "child $n: $req echo requests"
	[ "$rep" -eq "$PING_COUNT" ] || fail "child $n: $rep echo replies"
	[ "$udp" -eq "$UDP_COUNT" ] || fail "child $n: $udp UDP datagrams"
done
say "passed"
exit 0
