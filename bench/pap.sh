#!/bin/bash
# PAP benchmark: latchd against FreeRADIUS 3.2.1 under the same UDP load from latchd-load.
# Measures requests/s and the server's CPU time per request (utime+stime of the whole
# process from /proc/PID/stat, all threads included). Loopback only. Not part of the tests.
#
# usage: bench/pap.sh [BUILD_DIR]        (default ./build)
# environment: COUNT (200000) WARMUP (20000) WINDOW (256) MAX_SECONDS (60) TAIL (6)
#              SERVERS ("latchd freeradius") SECRET (benchsecret)
set -euo pipefail

BUILD=$(cd "${1:-./build}" && pwd)
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BENCH_NAME=pap.sh
COUNT=${COUNT:-200000}
WARMUP=${WARMUP:-20000}
WINDOW=${WINDOW:-256}
MAX_SECONDS=${MAX_SECONDS:-60}
TAIL=${TAIL:-6}		# seconds after the run still counted (cleanup of finished requests)
SERVERS=${SERVERS:-latchd freeradius}
LOAD=$BUILD/src/tools/latchd-load
# Shared helpers (work directory, clean-up by PID, ports, /proc CPU, both servers'
# configurations): bench/lib.sh.
. "$SRCDIR/bench/lib.sh"

# --- prerequisites -------------------------------------------------------------------------
need_pkgs=()
command -v freeradius >/dev/null || need_pkgs+=(freeradius)
command -v radclient >/dev/null || need_pkgs+=(freeradius-utils)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	note "installing ${need_pkgs[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_pkgs[@]}" >&2 ||
		die "cannot install ${need_pkgs[*]}"
fi
[ -x "$LOAD" ] || die "$LOAD not built (make in $BUILD)"
[ -d "$FR_SRC" ] || die "$FR_SRC missing (package freeradius)"

field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# --- one server under load -----------------------------------------------------------------
# measure NAME PID PORT: writes "NAME rps cpu_us_per_req run_cpu_us_per_req client_cpu answered"
# to $WORK/result (no command substitution: the servers must stay in this shell's PIDS).
measure() {
	local name=$1 pid=$2 port=$3 out c0 c1 c2 idle0 idle1 ans
	out=$("$LOAD" -s "$SECRET" -n 1 -t 5 "127.0.0.1:$port") ||
		die "$name: no Access-Accept for the bench user: $out"
	echo "$name: warm-up, $WARMUP requests" >&2
	out=$("$LOAD" -s "$SECRET" -n "$WARMUP" -w "$WINDOW" -t "$MAX_SECONDS" \
		"127.0.0.1:$port") || echo "$name: warm-up not clean: $out" >&2
	sleep "$TAIL"
	idle0=$(cpu_us "$pid"); sleep 1; idle1=$(cpu_us "$pid")
	[ $((idle1 - idle0)) -le 20000 ] ||
		echo "$name: WARNING idle server used $((idle1 - idle0)) us of CPU in 1 s" >&2
	echo "$name: measured run, $COUNT requests, window $WINDOW" >&2
	c0=$(cpu_us "$pid")
	out=$("$LOAD" -s "$SECRET" -n "$COUNT" -w "$WINDOW" -t "$MAX_SECONDS" \
		"127.0.0.1:$port") || echo "$name: run not clean (timeouts or bad replies)" >&2
	c1=$(cpu_us "$pid")
	sleep "$TAIL"
	c2=$(cpu_us "$pid")
	echo "$name: $out" >&2
	ans=$(field answered "$out")
	[ "${ans:-0}" -gt 0 ] || die "$name: no answers"
	awk -v n="$name" -v rps="$(field rps "$out")" -v c="$((c2 - c0))" -v run="$((c1 - c0))" \
		-v a="$ans" -v cl="$(field client_cpu_us_per_req "$out")" \
		'BEGIN { printf "%s %d %.2f %.2f %s %d\n", n, rps, c / a, run / a, cl, a }' \
		>"$WORK/result"
}

run_latchd() {
	local port conf=$WORK/latchd
	[ -f "$DICTDIR/dictionary" ] ||
		{ note "latchd: no $DICTDIR/dictionary (set DICTDIR): row left to fill"; return 1; }
	port=$(free_port)
	write_latchd_conf "$conf" "$port" -
	start_latchd "$conf" "$port" "$WORK/latchd.log" ||
		{ note "latchd: not listening on 127.0.0.1:$port: row left to fill"; return 1; }
	measure latchd "$SERVER_PID" "$port"
	stop_pid "$SERVER_PID"
}

# FreeRADIUS made a fair PAP server: changes 1-7 of bench/README.md.
run_freeradius() {
	local port dir=$WORK/freeradius
	port=$(free_port)
	fr_base_conf "$dir" "$port"
	fr_bench_user "$dir"
	fr_check "$dir"
	start_freeradius "$dir" "$port" || die "FreeRADIUS did not start"
	measure freeradius "$SERVER_PID" "$port"
	stop_pid "$SERVER_PID"
	# "Dropping request (N is too many)", conflicting packets...: worth knowing.
	fr_log_summary "$dir/log/radius.log"
}

# --- main ----------------------------------------------------------------------------------
echo "pap.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)" >&2
declare -A RPS CPU RUNCPU CLIENT
for s in $SERVERS; do
	case $s in
	latchd) run_latchd || continue ;;
	freeradius) run_freeradius ;;
	*) die "unknown server $s" ;;
	esac
	read -r n rps cpu runcpu client _ <"$WORK/result"
	RPS[$n]=$rps CPU[$n]=$cpu RUNCPU[$n]=$runcpu CLIENT[$n]=$client
done

echo
printf '| server | requests/s | server CPU us/request | (during run only) |'
echo ' generator CPU us/request |'
echo "|---|---:|---:|---:|---:|"
for s in $SERVERS; do
	[ -n "${RPS[$s]:-}" ] || { echo "| $s | - | - | - | - |"; continue; }
	echo "| $s | ${RPS[$s]} | ${CPU[$s]} | ${RUNCPU[$s]} | ${CLIENT[$s]} |"
done
if [ -n "${CPU[latchd]:-}" ] && [ -n "${CPU[freeradius]:-}" ]; then
	awk -v l="${CPU[latchd]}" -v f="${CPU[freeradius]}" -v lr="${RPS[latchd]}" \
		-v fr="${RPS[freeradius]}" 'BEGIN {
		printf "\nCPU per request, latchd / FreeRADIUS: %.3f (1/%.1f; target <= 1/8)\n",
			l / f, f / l
		printf "requests/s, latchd / FreeRADIUS: %.2f\n", lr / fr }'
fi
