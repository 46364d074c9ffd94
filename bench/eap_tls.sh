#!/bin/bash
# EAP-TLS benchmark: latchd against FreeRADIUS 3.2.1 with the same lab PKI (scripts/pki),
# RSA and ECDSA chains, TLS 1.2 and 1.3, driven by eapol_test (Debian package eapoltest).
# Per server and case it reports the RADIUS round trips of one full authentication (the
# Access-Requests in eapol_test's log) and the server's CPU per successful authentication
# over a bounded batch (utime+stime of the whole process from /proc/PID/stat); and, for the
# same certificates and versions, the OpenSSL floor from bench/tls_floor.c (server-side CPU
# of one in-memory handshake). Loopback only. Not part of the tests. See bench/README.md.
#
# usage: bench/eap_tls.sh [BUILD_DIR]        (default ./build)
# environment: AUTHS (200) PARALLEL (4) MAX_SECONDS (300, per batch) TAIL (6) FLOOR_N (500)
#              SERVERS ("latchd fr1024 frmtu") CASES ("rsa-1.2 rsa-1.3 ecdsa-1.2 ecdsa-1.3")
#              FR_FRAG (1420: fragment_size of the frmtu server; FreeRADIUS 3.2.1 sends EAP
#              packets of fragment_size - 20 octets, so 1420 matches latchd's 1400)
#              PKI_DIR (a scripts/pki output to reuse; default: made in the temporary
#              directory) SECRET (benchsecret) KEEP_WORK (set: keep the logs)
#              PROFILE (perf: record latchd during its batch of PROFILE_CASE, rsa-1.2)
#              LATCHD_WORKERS (latchd's server { workers }; default: latchd's own, one per CPU)
set -euo pipefail

BUILD=$(cd "${1:-./build}" && pwd)
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BENCH_NAME=eap_tls.sh
AUTHS=${AUTHS:-200}
FLOOR_N=${FLOOR_N:-500}
SERVERS=${SERVERS:-latchd fr1024 frmtu}
CASES=${CASES:-rsa-1.2 rsa-1.3 ecdsa-1.2 ecdsa-1.3}
FR_FRAG=${FR_FRAG:-1420}
PROFILE=${PROFILE:-}
PROFILE_CASE=${PROFILE_CASE:-rsa-1.2}
. "$SRCDIR/bench/lib.sh"

# --- prerequisites -------------------------------------------------------------------------
if [ -n "$PROFILE" ] && ! command -v perf >/dev/null; then
	bench_prereqs linux-perf
else
	bench_prereqs
fi
[ "$AUTHS" -ge 1 ] && [ "$AUTHS" -le 100000 ] || die "AUTHS must be 1..100000"

# The floor program, built here with the project's warning flags.
FLOOR=$WORK/tls_floor
${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Werror -o "$FLOOR" "$SRCDIR/bench/tls_floor.c" \
	-lssl -lcrypto || die "cannot build bench/tls_floor.c"
make_pki

# eapol_conf ALG VERSION: the wpa_supplicant network block of a case, on stdout.
eapol_conf() {
	local alg=$1 v=$2 phase1
	if [ "$v" = 1.3 ]; then
		phase1='tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0'
	else
		phase1='tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_3=1'
	fi
	cat <<-CONF
	network={
		key_mgmt=IEEE8021X
		eapol_flags=0
		eap=TLS
		identity="alice@example.test"
		ca_cert="$PKI/$alg/ca.pem"
		client_cert="$PKI/$alg/good-chain.pem"
		private_key="$PKI/$alg/good.key"
		phase1="$phase1"
	}
	CONF
}

# --- one batch -----------------------------------------------------------------------------
PERFPID=
stop_perf() {
	[ -n "$PERFPID" ] || return 0
	kill -INT "$PERFPID" 2>/dev/null || true
	wait "$PERFPID" 2>/dev/null || true
	stop_pid "$PERFPID"
	PERFPID=
}

# batch NAME PID PORT CASE: probe, then AUTHS authentications, PARALLEL at a time; writes
# "rt ok cpu_us cpu_run_us seconds cipher max_eap sched" to $WORK/result.
batch() {
	local name=$1 pid=$2 port=$3 case=$4 alg=${4%-*} v=${4#*-} d cipher rts sched ok
	d=$WORK/runs/$name-$case
	rm -rf "$d"
	mkdir -p "$d"
	eapol_conf "$alg" "$v" >"$d/net.conf"
	write_one "$d" "$port"
	"$d/one.sh" probe
	[ "$(cat "$d/probe.rc")" = 0 ] || {
		grep -E 'FAIL|alert|Reject|EAP-FAILURE' "$d/probe.log" | head -5 >&2
		note "$name $case: probe authentication failed"
		return 1
	}
	grep -q "Using TLS version TLSv$v" "$d/probe.log" ||
		{ note "$name $case: not TLS $v"; return 1; }
	cipher=$(sed -n 's/.*Server selected cipher suite \(0x[0-9a-f]*\).*/\1/p' "$d/probe.log" |
		head -1)
	idle_check "$name" "$pid"
	if [ "$PROFILE" = perf ] && [ "$name" = latchd ] && [ "$case" = "$PROFILE_CASE" ]; then
		perf record -q -F 2000 -g -p "$pid" -o "$WORK/perf-$case.data" \
			>"$WORK/perf.log" 2>&1 &
		PERFPID=$!
		PIDS+=("$PERFPID")
		sleep 1
	fi
	note "$name $case: $AUTHS authentications, $PARALLEL in parallel"
	timed_batch "$d" "$pid" "$AUTHS" stop_perf
	ok=$B_OK
	[ "$ok" -eq "$AUTHS" ] || note "$name $case: only $ok of $AUTHS authentications succeeded"
	rts=$(for f in "$d"/[0-9]*.log "$d/probe.log"; do
		round_trips "$f"
	done | sort -n | uniq -c | awk '{ printf "%s%dx%d", sep, $1, $2; sep = "," }')
	sched=$(awk -v d="$B_SCHED" -v ok="$ok" 'BEGIN { printf "%.3f", ok ? d / ok / 1e6 : 0 }')
	[ "$B_SCHED" != -1 ] || sched=-1	# a thread came or went: not comparable
	note "$name $case: round trips (count x auths) $rts; ok $ok/$AUTHS;" \
		"user $((B_USER / (ok > 0 ? ok : 1))) us/auth," \
		"system $((B_SYS / (ok > 0 ? ok : 1))) us/auth (batch only)"
	awk -v p="$(round_trips "$d/probe.log")" \
		-v ok="$ok" -v c="$B_CPU" -v cr="$B_RUN" -v s="$B_SECONDS" \
		-v ci="${cipher:-?}" -v m="$(max_eap "$d/probe.log")" -v sc="$sched" \
		'BEGIN { printf "%d %d %d %d %.1f %s %d %s\n", p, ok, c, cr, s, ci, m, sc }' \
		>"$WORK/result"
}

# results: one line per server and case in $WORK/table: SERVER CASE RT OK N CPU_MS CIPHER
record() {
	local name=$1 case=$2 rt ok c cr s ci m sc
	read -r rt ok c cr s ci m sc <"$WORK/result"
	awk -v n="$name" -v k="$case" -v rt="$rt" -v ok="$ok" -v c="$c" -v cr="$cr" -v s="$s" \
		-v ci="$ci" -v a="$AUTHS" -v m="$m" -v sc="$sc" 'BEGIN {
		printf "%s %s %d %d %d %.3f %.3f %.1f %s %d %s\n", n, k, rt, ok, a,
		ok ? c / ok / 1000 : 0, ok ? cr / ok / 1000 : 0, s, ci, m, sc }' >>"$WORK/table"
	note "$name $case: $(tail -1 "$WORK/table")"
}

algs_of_cases() { tr ' ' '\n' <<<"$CASES" | sed 's/-.*//' | sort -u; }
cases_of_alg() { tr ' ' '\n' <<<"$CASES" | grep "^$1-" || true; }

run_latchd() {
	local alg=$1 port conf=$WORK/latchd-$1 pid k
	port=$(free_port)
	write_latchd_conf "$conf" "$port" "$alg"
	start_latchd "$conf" "$port" "$WORK/latchd-$alg.log" || return 1
	pid=$SERVER_PID
	for k in $(cases_of_alg "$alg"); do
		batch latchd "$pid" "$port" "$k" && record latchd "$k"
	done
	stop_pid "$pid"
}

run_freeradius() {
	local name=$1 alg=$2 frag dir port pid k
	case $name in
	fr1024) frag=1024 ;;
	frmtu) frag=$FR_FRAG ;;
	*) die "unknown server $name" ;;
	esac
	dir=$WORK/$name-$alg
	port=$(free_port)
	write_freeradius_conf "$dir" "$port" "$alg" "$frag"
	start_freeradius "$dir" "$port" || return 1
	pid=$SERVER_PID
	for k in $(cases_of_alg "$alg"); do
		batch "$name" "$pid" "$port" "$k" && record "$name" "$k"
	done
	stop_pid "$pid"
	fr_log_summary "$dir/log/radius.log"
}

# --- main ----------------------------------------------------------------------------------
note "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), load: $(load)"
: >"$WORK/table"
for alg in $(algs_of_cases); do
	for s in $SERVERS; do
		case $s in
		latchd) run_latchd "$alg" || true ;;
		fr1024 | frmtu) run_freeradius "$s" "$alg" || true ;;
		*) die "unknown server $s" ;;
		esac
	done
done
: >"$WORK/floor"
for k in $CASES; do
	alg=${k%-*}
	out=$("$FLOOR" -c "$PKI/$alg/server-chain.pem" -k "$PKI/$alg/server.key" \
		-a "$PKI/$alg/ca.pem" -C "$PKI/$alg/good-chain.pem" -K "$PKI/$alg/good.key" \
		-v "${k#*-}" -n "$FLOOR_N") || die "tls_floor failed for $k"
	note "floor $k: $out"
	echo "$k $(sed 's/.*server_ms=\([^ ]*\).*/\1/' <<<"$out")" >>"$WORK/floor"
done
note "load after the runs: $(load)"

echo
echo "Per server and case (CPU per auth includes ${TAIL}s after the batch; run = batch only):"
echo "(schedstat: run time of the live threads during the batch, ns-exact; - if threads came"
echo "or went)"
echo "| server | case | round trips | largest EAP packet | ok/auths | CPU ms/auth |" \
	"(run only) | schedstat ms/auth | batch s | cipher |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
awk '{ printf "| %s | %s | %d | %d | %d/%d | %.3f | %.3f | %s | %.1f | %s |\n",
	$1, $2, $3, $10, $4, $5, $6, $7, $11 == "-1" ? "-" : $11, $8, $9 }' "$WORK/table"
echo
printf '| case | round trips latchd / FR 1024 / FR %s |' "$FR_FRAG"
printf ' CPU ms/auth latchd / FR 1024 / FR %s / floor |' "$FR_FRAG"
printf ' latchd ÷ floor | FR ÷ latchd (1024, %s) |\n' "$FR_FRAG"
echo "|---|---|---|---:|---|"
for k in $CASES; do
	awk -v k="$k" -v fl="$(awk -v k="$k" '$1 == k { print $2 }' "$WORK/floor")" '
	$2 == k { rt[$1] = $3; cpu[$1] = $6 }
	function r(s) { return (s in rt) ? rt[s] : "-" }
	function c(s) { return (s in cpu) ? sprintf("%.2f", cpu[s]) : "-" }
	function q(a, b) {
		if ((a in cpu) && (b in cpu) && cpu[b] > 0)
			return sprintf("%.2f", cpu[a] / cpu[b])
		return "-"
	}
	END {
		lf = "-"
		if (("latchd" in cpu) && fl > 0)
			lf = sprintf("%.2f", cpu["latchd"] / fl)
		printf "| %s | %s / %s / %s | %s / %s / %s / %.2f | %s | %s, %s |\n", k,
			r("latchd"), r("fr1024"), r("frmtu"), c("latchd"), c("fr1024"),
			c("frmtu"), fl, lf, q("fr1024", "latchd"), q("frmtu", "latchd")
	}' "$WORK/table"
done
if [ "$PROFILE" = perf ] && [ -f "$WORK/perf-$PROFILE_CASE.data" ]; then
	pdata=${PERF_OUT:-/tmp/latchd-eapbench-perf.data}
	cp "$WORK/perf-$PROFILE_CASE.data" "$pdata"
	note "perf data kept in $pdata (perf report -i $pdata)"
	echo
	echo "perf profile of latchd during its $PROFILE_CASE batch: self time by DSO, then top symbols"
	perf report -i "$pdata" --no-children -g none --sort dso --stdio 2>/dev/null |
		grep '%' | head -12 || true
	perf report -i "$pdata" --no-children -g none --sort dso,symbol --stdio 2>/dev/null |
		grep '%' | head -30 || true
fi
