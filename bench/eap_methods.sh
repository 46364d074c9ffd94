#!/bin/bash
# EAP methods benchmark: latchd against FreeRADIUS 3.2.1 for EAP-TTLS/PAP, PEAPv0/EAP-MSCHAPv2
# and resumed EAP-TLS (session resumption) against full EAP-TLS, RSA chain of scripts/pki,
# driven by eapol_test. Per server and case: the RADIUS round trips of one authentication
# (the Access-Requests in eapol_test's log) and the server CPU per successful authentication
# over a bounded batch (utime+stime of the whole process from /proc/PID/stat, batch + TAIL s).
# Resumed EAP-TLS: RESUME_PROCS eapol_test processes with -r RESUME_R (1 full + R resumed
# each); CPU per resumed auth = (batch CPU - full auths x CPU per full auth of the full-only
# batch just before, same server and configuration) / resumed auths. Server "tlsfloor": for
# TTLS and PEAP, bench/tls_tcp_floor.c, a bare TLS 1.2 server over TCP doing only the
# handshake those methods need, with fresh `openssl s_client` processes as clients (what any
# such server spends at least); for tls-V, bench/tls_floor.c -r in memory: OpenSSL's full
# EAP-TLS handshake and its own resumed one (the lowest resumed / full ratio). Loopback only. Not part of the tests. Shared helpers:
# bench/lib.sh. See bench/README.md ("EAP methods benchmark").
#
# usage: bench/eap_methods.sh [BUILD_DIR]        (default ./build)
# environment: AUTHS (200: full authentications per batch) PARALLEL (4) MAX_SECONDS (300)
#              TAIL (6) RESUME_PROCS (20) RESUME_R (20) SERVERS ("latchd frmtu tlsfloor";
#              also fr1024) FLOOR_N (500: tls_floor -r handshakes)
#              CASES ("ttls-pap peap tls-1.2 tls-1.3") FR_FRAG (1420) FR_CACHE (no; yes:
#              eap cache { enable = yes } and a resume batch for FreeRADIUS's tls-V cases)
#              PKI_DIR SECRET KEEP_WORK LATCHD_WORKERS
set -euo pipefail

BUILD=$(cd "${1:-./build}" && pwd)
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BENCH_NAME=eap_methods.sh
AUTHS=${AUTHS:-200}
RESUME_PROCS=${RESUME_PROCS:-20}
RESUME_R=${RESUME_R:-20}
SERVERS=${SERVERS:-latchd frmtu tlsfloor}
CASES=${CASES:-ttls-pap peap tls-1.2 tls-1.3}
FR_FRAG=${FR_FRAG:-1420}
FR_CACHE=${FR_CACHE:-no}
. "$SRCDIR/bench/lib.sh"

bench_prereqs
[ "$AUTHS" -ge 1 ] && [ "$AUTHS" -le 100000 ] || die "AUTHS must be 1..100000"
[ "$RESUME_PROCS" -ge 1 ] && [ "$RESUME_PROCS" -le 10000 ] || die "RESUME_PROCS: 1..10000"
[ "$RESUME_R" -ge 1 ] && [ "$RESUME_R" -le 100 ] || die "RESUME_R must be 1..100"
# One eapol_test with -r R runs R + 1 authentications in a row.
EAPOL_TIMEOUT=$((30 + 3 * RESUME_R))
make_pki
FLOOR=$WORK/tls_tcp_floor
MEM_FLOOR=$WORK/tls_floor
FLOOR_N=${FLOOR_N:-500}
case " $SERVERS " in
*" tlsfloor "*)
	for f in tls_tcp_floor tls_floor; do
		${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Werror -o "$WORK/$f" \
			"$SRCDIR/bench/$f.c" -lssl -lcrypto || die "cannot build bench/$f.c"
	done ;;
esac

# net_conf CASE: the wpa_supplicant network block of a case (TLS 1.2 unless tls-1.3).
net_conf() {
	local tls12='tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_3=1'
	local tls13='tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1'
	echo 'network={'
	printf '\tkey_mgmt=IEEE8021X\n\teapol_flags=0\n\tca_cert="%s"\n' "$PKI/rsa/ca.pem"
	case $1 in
	ttls-pap)
		printf '\teap=TTLS\n\tidentity="bench"\n\tpassword="benchpass"\n'
		printf '\tphase2="auth=PAP"\n\tphase1="%s"\n' "$tls12" ;;
	peap)
		printf '\teap=PEAP\n\tidentity="bench"\n\tpassword="benchpass"\n'
		printf '\tphase2="auth=MSCHAPV2"\n\tphase1="peapver=0 %s"\n' "$tls12" ;;
	tls-1.2 | tls-1.3)
		printf '\teap=TLS\n\tidentity="alice@example.test"\n'
		printf '\tclient_cert="%s"\n\tprivate_key="%s"\n' "$PKI/rsa/good-chain.pem" \
			"$PKI/rsa/good.key"
		if [ "$1" = tls-1.3 ]; then
			printf '\tphase1="tls_disable_session_ticket=0 %s %s"\n' "$tls13" \
				tls_disable_tlsv1_3=0
		else
			printf '\tphase1="tls_disable_session_ticket=0 %s"\n' "$tls12"
		fi ;;
	*) die "unknown case $1" ;;
	esac
	echo '}'
}

method_of() { case $1 in ttls-*) echo ttls ;; peap) echo peap ;; *) echo tls ;; esac; }
ver_of() { case $1 in tls-1.3) echo 1.3 ;; *) echo 1.2 ;; esac; }
accepts() { cat "$@" 2>/dev/null | grep -c 'code=2 (Access-Accept)' || true; }
# Authentications (Access-Accepts) whose handshake was resumed (TLS 1.3 logs it twice).
resumed() {
	awk '/Handshake finished - resumed=1/ { r = 1 }
		/code=2 \(Access-Accept\)/ { n += r; r = 0 } END { print n + 0 }' "$@"
}

# probe NAME CASE D [eapol_test args]: one run that must succeed with the case's TLS version.
probe() {
	local name=$1 case=$2 d=$3
	"$d/one.sh" probe
	[ "$(cat "$d/probe.rc")" = 0 ] || {
		grep -E 'FAIL|alert|Reject|EAP-FAILURE' "$d/probe.log" | head -5 >&2
		note "$name $case: probe authentication failed ($d/probe.log)"
		return 1
	}
	grep -q "Using TLS version TLSv$(ver_of "$case")" "$d/probe.log" ||
		{ note "$name $case: not TLS $(ver_of "$case")"; return 1; }
}

# row NAME KIND RT OK RUNS CPU_US RESUMED: appends to $WORK/table
# "server kind rt ok runs cpu_ms_per_auth seconds resumed user_ms sys_ms".
row() {
	awk -v n="$1" -v k="$2" -v rt="$3" -v ok="$4" -v a="$5" -v c="$6" -v r="$7" \
		-v s="$B_SECONDS" -v u="$B_USER" -v sy="$B_SYS" 'BEGIN {
		if (u < 0) { us = "-"; ss = "-" } else if (ok) {
			us = sprintf("%.3f", u / ok / 1000); ss = sprintf("%.3f", sy / ok / 1000)
		} else { us = "0"; ss = "0" }
		printf "%s %s %s %d %d %.3f %.1f %d %s %s\n", n, k, rt, ok, a,
			ok ? c / ok / 1000 : 0, s, r, us, ss
	}' >>"$WORK/table"
	note "$(tail -1 "$WORK/table")"
}

# full_batch NAME PID PORT CASE: AUTHS fresh eapol_test runs (full handshakes).
full_batch() {
	local name=$1 pid=$2 port=$3 case=$4 d=$WORK/runs/$1-$4 rts
	rm -rf "$d"
	mkdir -p "$d"
	net_conf "$case" >"$d/net.conf"
	write_one "$d" "$port"
	probe "$name" "$case" "$d" || return 1
	idle_check "$name" "$pid"
	note "$name $case: $AUTHS authentications, $PARALLEL in parallel"
	timed_batch "$d" "$pid" "$AUTHS"
	[ "$B_OK" -eq "$AUTHS" ] || note "$name $case: only $B_OK of $AUTHS succeeded"
	rts=$(for f in "$d"/[0-9]*.log "$d/probe.log"; do
		round_trips "$f"
	done | sort -n | uniq -c | awk '{ printf "%s%dx%d", sep, $1, $2; sep = "," }')
	note "$name $case: round trips (count x auths) $rts"
	FULL_CPU_AUTH=$(awk -v c="$B_CPU" -v ok="$B_OK" 'BEGIN { printf "%.1f", ok ? c / ok : 0 }')
	row "$name" "$case" "$(round_trips "$d/probe.log")" "$B_OK" "$AUTHS" "$B_CPU" \
		"$(resumed "$d"/[0-9]*.log)"
}

# resume_batch NAME PID PORT CASE: RESUME_PROCS runs of eapol_test -r RESUME_R; needs
# FULL_CPU_AUTH from full_batch of the same server and case.
resume_batch() {
	local name=$1 pid=$2 port=$3 case=$4 d=$WORK/runs/$1-$4-r full_rt rt ok res full_us
	rm -rf "$d"
	mkdir -p "$d"
	net_conf "$case" >"$d/net.conf"
	write_one "$d" "$port" -r "$RESUME_R"
	probe "$name" "$case" "$d" || return 1
	full_rt=$(awk '/RADIUS message: code=1 \(Access-Request\)/ { n++ }
		/code=2 \(Access-Accept\)/ { print n; exit }' "$d/probe.log")
	res=$(resumed "$d/probe.log")
	[ "$res" -ge 1 ] || { note "$name $case: no resumed handshake in the probe"; return 1; }
	rt=$(awk -v t="$(round_trips "$d/probe.log")" -v f="$full_rt" -v r="$RESUME_R" \
		'BEGIN { printf "%.1f", (t - f) / r }')
	idle_check "$name" "$pid"
	note "$name $case: $RESUME_PROCS x (1 + $RESUME_R) authentications, $PARALLEL in parallel"
	timed_batch "$d" "$pid" "$RESUME_PROCS"
	ok=$(accepts "$d"/[0-9]*.log)
	res=$(resumed "$d"/[0-9]*.log)
	[ "$ok" -eq $((RESUME_PROCS * (RESUME_R + 1))) ] ||
		note "$name $case: only $ok of $((RESUME_PROCS * (RESUME_R + 1))) accepted"
	row "$name" "$case+r$RESUME_R" "$rt" "$ok" $((RESUME_PROCS * (RESUME_R + 1))) "$B_CPU" \
		"$res"
	# The resumed ones alone: the batch less its full handshakes at the full-only rate.
	full_us=$(awk -v f="$FULL_CPU_AUTH" -v n="$((ok - res))" 'BEGIN { printf "%d", f * n }')
	B_USER=-1 B_SYS=-1	# not split for the difference
	row "$name" "$case-resumed" "$rt" "$res" "$res" "$((B_CPU - full_us))" "$res"
}

# start_floor PORT LOG: bench/tls_tcp_floor on 127.0.0.1:PORT (TCP); SERVER_PID is its PID.
start_floor() {
	local port=$1 log=$2 _
	"$FLOOR" -c "$PKI/rsa/server-chain.pem" -k "$PKI/rsa/server.key" -p "$port" >"$log" 2>&1 &
	SERVER_PID=$!
	PIDS+=("$SERVER_PID")
	for _ in $(seq 1 50); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$log" >&2
	stop_pid "$SERVER_PID"
	note "tls_tcp_floor did not start"
	return 1
}

# floor_batch PID PORT CASE: AUTHS fresh `openssl s_client` handshakes, PARALLEL at a time;
# a run succeeds when the server's certificate verified and its "x" line arrived.
floor_batch() {
	local pid=$1 port=$2 case=$3 d=$WORK/runs/tlsfloor-$3
	rm -rf "$d"
	mkdir -p "$d"
	cat >"$d/one.sh" <<-ONE
	#!/bin/bash
	timeout -k 2 $EAPOL_TIMEOUT openssl s_client -connect 127.0.0.1:$port -tls1_2 \
		-CAfile "$PKI/rsa/ca.pem" -verify_return_error -quiet </dev/null >"$d/\$1.log" 2>&1
	grep -qx x "$d/\$1.log"
	echo \$? >"$d/\$1.rc"
	ONE
	chmod +x "$d/one.sh"
	"$d/one.sh" probe
	[ "$(cat "$d/probe.rc")" = 0 ] ||
		{ note "tlsfloor: the probe handshake failed ($d/probe.log)"; return 1; }
	idle_check tlsfloor "$pid"
	note "tlsfloor $case: $AUTHS handshakes, $PARALLEL in parallel"
	timed_batch "$d" "$pid" "$AUTHS"
	[ "$B_OK" -eq "$AUTHS" ] || note "tlsfloor $case: only $B_OK of $AUTHS succeeded"
	row tlsfloor "$case" - "$B_OK" "$AUTHS" "$B_CPU" 0
}

# floor_resume CASE: tls_floor -r in memory for tls-V: rows "tlsfloor tls-V" (OpenSSL's full
# EAP-TLS handshake) and "tlsfloor tls-V-resumed" (its resumed one), server CPU only.
floor_resume() {
	local case=$1 out full res
	out=$("$MEM_FLOOR" -c "$PKI/rsa/server-chain.pem" -k "$PKI/rsa/server.key" \
		-a "$PKI/rsa/ca.pem" -C "$PKI/rsa/good-chain.pem" -K "$PKI/rsa/good.key" \
		-v "$(ver_of "$case")" -n "$FLOOR_N" -r) || { note "tls_floor -r failed"; return 1; }
	note "tls_floor -r: $out"
	full=$(sed -n 's/.* server_ms=\([0-9.]*\).*/\1/p' <<<"$out")
	res=$(sed -n 's/.* resumed_ms=\([0-9.]*\).*/\1/p' <<<"$out")
	B_SECONDS=0 B_USER=-1 B_SYS=-1
	row tlsfloor "$case" mem "$FLOOR_N" "$FLOOR_N" \
		"$(awk -v m="$full" -v n="$FLOOR_N" 'BEGIN { printf "%d", m * 1000 * n }')" 0
	row tlsfloor "$case-resumed" mem "$FLOOR_N" "$FLOOR_N" \
		"$(awk -v m="$res" -v n="$FLOOR_N" 'BEGIN { printf "%d", m * 1000 * n }')" "$FLOOR_N"
}

# run_case SERVER CASE: a fresh server configured for the case, its batches, stopped.
run_case() {
	local s=$1 case=$2 method port dir frag cache=no pid
	method=$(method_of "$case")
	port=$(free_port)
	dir=$WORK/$s-$case
	case $s in
	tlsfloor)
		if [ "$method" = tls ]; then
			floor_resume "$case" || true
			return 0
		fi
		start_floor "$port" "$dir.log" || return 1
		floor_batch "$SERVER_PID" "$port" "$case" || true
		stop_pid "$SERVER_PID"
		return 0 ;;
	latchd)
		write_latchd_conf "$dir" "$port" rsa "$method"
		start_latchd "$dir" "$port" "$dir.log" || return 1 ;;
	fr1024 | frmtu)
		frag=$FR_FRAG
		[ "$s" = frmtu ] || frag=1024
		[ "$method" != tls ] || cache=$FR_CACHE
		write_freeradius_conf "$dir" "$port" rsa "$frag" "$method" "$cache"
		start_freeradius "$dir" "$port" || return 1 ;;
	*) die "unknown server $s" ;;
	esac
	pid=$SERVER_PID
	if full_batch "$s" "$pid" "$port" "$case" && [ "$method" = tls ] &&
		{ [ "$s" = latchd ] || [ "$cache" = yes ]; }; then
		resume_batch "$s" "$pid" "$port" "$case" || true
	fi
	stop_pid "$pid"
	[ "$s" = latchd ] || fr_log_summary "$dir/log/radius.log"
}

# --- main ----------------------------------------------------------------------------------
note "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), load: $(load)"
: >"$WORK/table"
for k in $CASES; do
	for s in $SERVERS; do
		run_case "$s" "$k" || true
	done
done
note "load after the runs: $(load)"

echo
echo "Per server and case (CPU per auth includes ${TAIL}s after the batch; RSA chain;"
echo "case+rN: the whole -r batch; case-resumed: its resumed auths alone, see the header)"
echo "| server | case | round trips | ok/runs | CPU ms/auth | user ms | system ms |" \
	"batch s | resumed |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
awk '{ printf "| %s | %s | %s | %d/%d | %.3f | %s | %s | %.1f | %d |\n",
	$1, $2, $3, $4, $5, $6, $9, $10, $7, $8 }' "$WORK/table"
echo
echo "| case | server | latchd ÷ server (CPU/auth) | resumed ÷ full (CPU/auth) |"
echo "|---|---|---:|---:|"
awk '{ cpu[$1 " " $2] = $6; if (!($1 in seen)) { seen[$1] = 1; sv[++ns] = $1 }
	if (!($2 in kseen)) { kseen[$2] = 1; ks[++nk] = $2 } }
	END {
		for (i = 1; i <= nk; i++) {
			k = ks[i]
			if (k ~ /\+r/ || k ~ /-resumed$/) continue
			for (j = 1; j <= ns; j++) {
				s = sv[j]
				if (!((s " " k) in cpu)) continue
				l = "-"
				if (s != "latchd" && (("latchd " k) in cpu) && cpu[s " " k] > 0)
					l = sprintf("%.3f", cpu["latchd " k] / cpu[s " " k])
				r = "-"
				if (((s " " k "-resumed") in cpu) && cpu[s " " k] > 0)
					r = sprintf("%.3f", cpu[s " " k "-resumed"] / cpu[s " " k])
				printf "| %s | %s | %s | %s |\n", k, s, l, r
			}
		}
	}' "$WORK/table"
