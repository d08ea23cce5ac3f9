#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs ipsec-dump under valgrind (memcheck, full leak check) over every
# capture in samples/ and tests/data/corpus/, in text and JSON form; fails
# when valgrind reports an error or a leak, or the tool dies on a signal.
#
#	tests/valgrind.sh [BUILD_DIR]		(default: build)
#
# Logs go to BUILD_DIR/valgrind/.  Extra ipsec-dump arguments may be given
# in VG_ARGS (e.g. VG_ARGS=-vv).

set -u

B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
dump=$B/bin/ipsec-dump
logs=$B/valgrind
vgerr=99			# not one of ipsec-dump's own exit codes

if [ ! -x "$dump" ]; then
	echo "valgrind.sh: $dump not built" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind not installed: skipped" >&2
	exit 0
fi
mkdir -p "$logs"

n=0
bad=0
list=$(for d in "$top/samples" "$top/tests/data/corpus"; do
	[ -d "$d" ] && find "$d" -type f \( -name '*.pcap' \
	    -o -name '*.pcapng' -o -name '*.cap' \)
done | sort)
for f in $list; do
	for mode in text json; do
		set -- -r "$f"
		[ "$mode" = json ] && set -- --json "$@"
		name=$(echo "${f#"$top"/}" | tr / _)-$mode
		log=$logs/$name.log
		n=$((n + 1))
		# shellcheck disable=SC2086
		TZ=UTC valgrind -q --error-exitcode=$vgerr --leak-check=full \
		    --errors-for-leak-kinds=definite,indirect,possible \
		    --track-origins=yes --vgdb=no --log-file="$log" \
		    "$dump" ${VG_ARGS:-} "$@" >/dev/null 2>&1
		rc=$?
		if [ "$rc" -eq "$vgerr" ] || [ "$rc" -ge 128 ] ||
		    [ -s "$log" ]; then
			bad=$((bad + 1))
			echo "FAIL ($rc) ${f#"$top"/} $mode: $log"
			head -30 "$log"
		fi
	done
done
echo "valgrind.sh: $n runs, $bad failed"
[ "$bad" -eq 0 ]
