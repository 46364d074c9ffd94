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
COUNT=${COUNT:-200000}
WARMUP=${WARMUP:-20000}
WINDOW=${WINDOW:-256}
MAX_SECONDS=${MAX_SECONDS:-60}
TAIL=${TAIL:-6}		# seconds after the run still counted (cleanup of finished requests)
SERVERS=${SERVERS:-latchd freeradius}
SECRET=${SECRET:-benchsecret}
LATCHD=$BUILD/src/server/latchd
LOAD=$BUILD/src/tools/latchd-load
DICTDIR=${DICTDIR:-$SRCDIR/dictionaries}
FR_SRC=/etc/freeradius/3.0
TICK=$(getconf CLK_TCK)

die() { echo "pap.sh: $*" >&2; exit 1; }

# --- cleanup: every server this script started is stopped by its PID --------------------
PIDS=()
WORK=$(mktemp -d /tmp/latchd-bench.XXXXXX)
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

stop_pid() {
	local pid=$1 p keep=()
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for p in "${PIDS[@]}"; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	PIDS=("${keep[@]}")
}

# --- prerequisites -------------------------------------------------------------------------
need_pkgs=()
command -v freeradius >/dev/null || need_pkgs+=(freeradius)
command -v radclient >/dev/null || need_pkgs+=(freeradius-utils)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	echo "pap.sh: installing ${need_pkgs[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_pkgs[@]}" >&2 ||
		die "cannot install ${need_pkgs[*]}"
fi
[ -x "$LOAD" ] || die "$LOAD not built (make in $BUILD)"
[ -d "$FR_SRC" ] || die "$FR_SRC missing (package freeradius)"

# --- helpers -------------------------------------------------------------------------------
# A free UDP port on 127.0.0.1 in 20000-59999 (and the next two free as well).
free_port() {
	local p _ busy
	busy=$(ss -Hlun 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if ! grep -qxE "$p|$((p + 1))|$((p + 2))" <<<"$busy"; then
			echo "$p"
			return 0
		fi
	done
	die "no free UDP port found"
}

# CPU time (utime+stime, all threads, exited ones included) of a process, in microseconds.
cpu_us() {
	local rest
	rest=$(sed 's/^.*) //' "/proc/$1/stat") || die "process $1 is gone"
	awk -v t="$TICK" '{ printf "%d\n", ($12 + $13) * 1000000 / t }' <<<"$rest"
}

# Wait until something listens on 127.0.0.1:PORT/udp and the process is still alive.
wait_listen() {
	local pid=$1 port=$2 _
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 1
		ss -Hlun "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# --- configurations ------------------------------------------------------------------------
write_latchd_conf() {
	local dir=$1 port=$2
	mkdir -p "$dir"
	cat >"$dir/latchd.conf" <<-CONF
	# Written by bench/pap.sh
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $port
	}
	CONF
	cat >"$dir/clients.conf" <<-CONF
	client bench {
		ipaddr = 127.0.0.1
		secret = $SECRET
	}
	CONF
	printf 'bench\tCleartext-Password := "benchpass"\n' >"$dir/users"
}

# A private copy of the stock FreeRADIUS configuration, made a fair PAP server; every
# change is listed in bench/README.md.
write_freeradius_conf() {
	local dir=$1 port=$2 r=$1/raddb
	mkdir -p "$dir/log" "$dir/run"
	cp -a "$FR_SRC" "$r"
	# 1. paths into the copy; 2. run as the invoking user (no switch to freerad, which
	# could not read the copy); 3. no proxying and no proxy listener.
	sed -i -e "s|^raddbdir = .*|raddbdir = $r|" -e "s|^logdir = .*|logdir = $dir/log|" \
		-e "s|^run_dir = .*|run_dir = $dir/run|" \
		-e 's/^\(\s*\)\(user\|group\) = freerad/\1#\2 = freerad/' \
		-e 's/^proxy_requests\s*=.*/proxy_requests = no/' \
		-e 's/^[$]INCLUDE proxy.conf/#&/' "$r/radiusd.conf"
	# 4. the default server listens for auth on 127.0.0.1:PORT only (stock: auth+acct on
	# every IPv4 and IPv6 address); 5. the inner-tunnel server keeps working for EAP but
	# loses its 127.0.0.1:18120 listener.
	awk -v port="$port" -f "$SRCDIR/bench/fr-listen.awk" "$FR_SRC/sites-available/default" \
		>"$r/sites-enabled/default.new"
	awk -f "$SRCDIR/bench/fr-listen.awk" "$FR_SRC/sites-available/inner-tunnel" \
		>"$r/sites-enabled/inner-tunnel.new"
	rm -f "$r/sites-enabled/default" "$r/sites-enabled/inner-tunnel"
	mv "$r/sites-enabled/default.new" "$r/sites-enabled/default"
	mv "$r/sites-enabled/inner-tunnel.new" "$r/sites-enabled/inner-tunnel"
	# 6. one client, 127.0.0.1; 7. the bench user first in the users file.
	printf 'client bench {\n\tipaddr = 127.0.0.1\n\tsecret = %s\n}\n' "$SECRET" \
		>"$r/clients.conf"
	local users=$r/mods-config/files/authorize
	{ printf 'bench\tCleartext-Password := "benchpass"\n\n'; cat "$users"; } >"$users.new"
	mv "$users.new" "$users"
	freeradius -C -d "$r" >"$dir/check.log" 2>&1 ||
		{ cat "$dir/check.log" >&2; die "FreeRADIUS rejects the bench configuration"; }
}

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
	local port conf=$WORK/latchd pid
	[ -x "$LATCHD" ] || { echo "latchd: $LATCHD not built: row left to fill" >&2; return 1; }
	[ -f "$DICTDIR/dictionary" ] ||
		{ echo "latchd: no $DICTDIR/dictionary (set DICTDIR): row left to fill" >&2; return 1; }
	port=$(free_port)
	write_latchd_conf "$conf" "$port"
	"$LATCHD" -d "$conf" -D "$DICTDIR" >"$WORK/latchd.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	if ! wait_listen "$pid" "$port"; then
		echo "latchd: not listening on 127.0.0.1:$port (not ready yet?): row left to fill" >&2
		tail -5 "$WORK/latchd.log" >&2 || true
		stop_pid "$pid"
		return 1
	fi
	measure latchd "$pid" "$port"
	stop_pid "$pid"
}

run_freeradius() {
	local port dir=$WORK/freeradius pid
	port=$(free_port)
	write_freeradius_conf "$dir" "$port"
	freeradius -f -d "$dir/raddb" -l "$dir/log/radius.log" &
	pid=$!
	PIDS+=("$pid")
	if ! wait_listen "$pid" "$port"; then
		tail -5 "$dir/log/radius.log" >&2
		die "FreeRADIUS did not start"
	fi
	measure freeradius "$pid" "$port"
	stop_pid "$pid"
	# "Dropping request (N is too many)", conflicting packets...: worth knowing.
	sed -n 's/^.* : \(Error\|Warning\): /\1: /p' "$dir/log/radius.log" |
		grep -v 'Ignoring "' | cut -c1-60 | sort | uniq -c | sort -rn | head -5 >&2 || true
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
