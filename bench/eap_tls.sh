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
AUTHS=${AUTHS:-200}
PARALLEL=${PARALLEL:-4}
MAX_SECONDS=${MAX_SECONDS:-300}
TAIL=${TAIL:-6}
FLOOR_N=${FLOOR_N:-500}
SERVERS=${SERVERS:-latchd fr1024 frmtu}
CASES=${CASES:-rsa-1.2 rsa-1.3 ecdsa-1.2 ecdsa-1.3}
FR_FRAG=${FR_FRAG:-1420}
SECRET=${SECRET:-benchsecret}
PROFILE=${PROFILE:-}
PROFILE_CASE=${PROFILE_CASE:-rsa-1.2}
LATCHD=$BUILD/src/server/latchd
DICTDIR=${DICTDIR:-$SRCDIR/dictionaries}
FR_SRC=/etc/freeradius/3.0
TICK=$(getconf CLK_TCK)

die() { echo "eap_tls.sh: $*" >&2; exit 1; }
note() { echo "eap_tls.sh: $*" >&2; }

# --- cleanup: every process this script started in the background is stopped by its PID ----
PIDS=()
WORK=$(mktemp -d /tmp/latchd-eapbench.XXXXXX)
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "${KEEP_WORK:-}" ]; then note "kept $WORK"; else rm -rf "$WORK"; fi
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
command -v eapol_test >/dev/null || need_pkgs+=(eapoltest)
[ -f /usr/include/openssl/ssl.h ] || need_pkgs+=(libssl-dev)
if [ -n "$PROFILE" ] && ! command -v perf >/dev/null; then need_pkgs+=(linux-perf); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
	note "installing ${need_pkgs[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_pkgs[@]}" >&2 ||
		die "cannot install ${need_pkgs[*]}"
fi
[ -d "$FR_SRC" ] || die "$FR_SRC missing (package freeradius)"
[ "$AUTHS" -ge 1 ] && [ "$AUTHS" -le 100000 ] || die "AUTHS must be 1..100000"
[ "$PARALLEL" -ge 1 ] && [ "$PARALLEL" -le 64 ] || die "PARALLEL must be 1..64"

# The floor program, built here with the project's warning flags.
FLOOR=$WORK/tls_floor
${CC:-cc} -std=c11 -O2 -g -Wall -Wextra -Werror -o "$FLOOR" "$SRCDIR/bench/tls_floor.c" \
	-lssl -lcrypto || die "cannot build bench/tls_floor.c"

# The lab PKI: both chains, made once (a reused PKI_DIR is left as it is).
PKI=${PKI_DIR:-$WORK/pki}
"$SRCDIR/scripts/pki" "$PKI" both >"$WORK/pki.log" 2>&1 ||
	{ cat "$WORK/pki.log" >&2; die "scripts/pki failed"; }

# --- helpers (as in bench/pap.sh) ----------------------------------------------------------
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

# "utime stime" of a process in microseconds (the split of cpu_us, for the notes).
cpu_split() {
	sed 's/^.*) //' "/proc/$1/stat" |
		awk -v t="$TICK" '{ printf "%d %d\n", $12 * 1000000 / t, $13 * 1000000 / t }'
}

# Run time of the process's current threads in ns (/proc/PID/task/*/schedstat, exact, but
# blind to threads that exit: the caller compares the thread lists), then the thread list.
sched_ns() {
	local t sum=0 v tids=
	for t in /proc/"$1"/task/*; do
		read -r v _ <"$t/schedstat" 2>/dev/null || continue
		sum=$((sum + v))
		tids="$tids${t##*/},"
	done
	echo "$sum $tids"
}

wait_listen() {
	local pid=$1 port=$2 _
	for _ in $(seq 1 150); do
		kill -0 "$pid" 2>/dev/null || return 1
		ss -Hlun "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

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

# --- configurations ------------------------------------------------------------------------
# latchd: one auth listener, one client, EAP-TLS with the ALG chain; CRLs not checked (as in
# FreeRADIUS's stock check_crl = no); everything else at its defaults (fragment_size 1400).
write_latchd_conf() {
	local dir=$1 port=$2 alg=$3
	mkdir -p "$dir"
	cat >"$dir/latchd.conf" <<-CONF
	# Written by bench/eap_tls.sh
	${LATCHD_WORKERS:+server { workers = $LATCHD_WORKERS \}}
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $port
	}
	eap {
		default_method = tls
		tls {
			certificate_file = $PKI/$alg/server-chain.pem
			private_key_file = $PKI/$alg/server.key
			ca_file = $PKI/$alg/ca.pem
		}
	}
	CONF
	printf 'client bench {\n\tipaddr = 127.0.0.1\n\tsecret = %s\n}\n' "$SECRET" \
		>"$dir/clients.conf"
	: >"$dir/users"
}

# A private copy of the stock FreeRADIUS configuration; every change is listed in
# bench/README.md. Changes 1-6 are bench/pap.sh's; 7-11 make it an EAP-TLS server.
write_freeradius_conf() {
	local dir=$1 port=$2 alg=$3 frag=$4 r=$1/raddb eap
	mkdir -p "$dir/log" "$dir/run"
	cp -a "$FR_SRC" "$r"
	sed -i -e "s|^raddbdir = .*|raddbdir = $r|" -e "s|^logdir = .*|logdir = $dir/log|" \
		-e "s|^run_dir = .*|run_dir = $dir/run|" \
		-e 's/^\(\s*\)\(user\|group\) = freerad/\1#\2 = freerad/' \
		-e 's/^proxy_requests\s*=.*/proxy_requests = no/' \
		-e 's/^[$]INCLUDE proxy.conf/#&/' "$r/radiusd.conf"
	awk -v port="$port" -f "$SRCDIR/bench/fr-listen.awk" "$FR_SRC/sites-available/default" \
		>"$r/sites-enabled/default.new"
	awk -f "$SRCDIR/bench/fr-listen.awk" "$FR_SRC/sites-available/inner-tunnel" \
		>"$r/sites-enabled/inner-tunnel.new"
	rm -f "$r/sites-enabled/default" "$r/sites-enabled/inner-tunnel"
	mv "$r/sites-enabled/default.new" "$r/sites-enabled/default"
	mv "$r/sites-enabled/inner-tunnel.new" "$r/sites-enabled/inner-tunnel"
	printf 'client bench {\n\tipaddr = 127.0.0.1\n\tsecret = %s\n}\n' "$SECRET" \
		>"$r/clients.conf"
	# 7. default_eap_type = tls (stock md5: the client would NAK first, one more round
	# trip); 8. the lab PKI's server chain, key and CA (stock: snakeoil and the system
	# bundle), no ca_path (stock: ${cadir}), no private_key_password; 9. tls_max_version
	# = "1.3" (stock 1.2); 10. fragment_size = FRAG (stock 1024, commented out).
	eap=$r/mods-available/eap
	sed -i -e 's/^\(\s*default_eap_type\s*=\s*\)md5/\1tls/' \
		-e "s|^\(\s*\)private_key_file = .*|\1private_key_file = $PKI/$alg/server.key|" \
		-e "s|^\(\s*\)certificate_file = .*|\1certificate_file = $PKI/$alg/server-chain.pem|" \
		-e "s|^\(\s*\)ca_file = .*|\1ca_file = $PKI/$alg/ca.pem|" \
		-e 's|^\(\s*\)\(ca_path = \)|\1#\2|' \
		-e 's|^\(\s*\)\(private_key_password = \)|\1#\2|' \
		-e 's/^\(\s*tls_max_version\s*=\s*\)"1.2"/\1"1.3"/' \
		-e "s/^\(\s*\)#\s*fragment_size = 1024/\1fragment_size = $frag/" "$eap"
	# The ttls/peap sub-sections keep default_eap_type = md5/mschapv2 (inner methods):
	# only the first (top-level) default_eap_type was meant to change.
	sed -i -e '/^\s*ttls\s*{/,/^\s*}/s/default_eap_type = tls/default_eap_type = md5/' "$eap"
	grep -q "^\s*default_eap_type = tls" "$eap" && grep -q "fragment_size = $frag" "$eap" &&
		grep -q 'tls_max_version = "1.3"' "$eap" ||
		die "FreeRADIUS's eap module did not take the bench settings (check the sed)"
	freeradius -C -d "$r" >"$dir/check.log" 2>&1 ||
		{ cat "$dir/check.log" >&2; die "FreeRADIUS rejects the bench configuration"; }
}

# --- one batch -----------------------------------------------------------------------------
# batch NAME PID PORT CASE: probe, then AUTHS authentications, PARALLEL at a time; writes
# "rt_min rt_max ok cpu_us cpu_run_us seconds cipher" to $WORK/result.
batch() {
	local name=$1 pid=$2 port=$3 case=$4 alg=${4%-*} v=${4#*-} d c0 c1 c2 t0 t1 ok rts
	local cipher idle0 idle1 perfpid='' u0 s0 u1 s1 n0 n1 tids0 tids1 sched
	d=$WORK/runs/$name-$case
	rm -rf "$d"
	mkdir -p "$d"
	eapol_conf "$alg" "$v" >"$d/net.conf"
	cat >"$d/one.sh" <<-ONE
	#!/bin/bash
	timeout -k 2 30 eapol_test -c "$d/net.conf" -a 127.0.0.1 -p $port -s "$SECRET" -t 10 \\
		>"$d/\$1.log" 2>&1
	echo \$? >"$d/\$1.rc"
	ONE
	chmod +x "$d/one.sh"
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
	sleep 1
	idle0=$(cpu_us "$pid"); sleep 1; idle1=$(cpu_us "$pid")
	[ $((idle1 - idle0)) -le 20000 ] ||
		note "$name: WARNING idle server used $((idle1 - idle0)) us of CPU in 1 s"
	if [ "$PROFILE" = perf ] && [ "$name" = latchd ] && [ "$case" = "$PROFILE_CASE" ]; then
		perf record -q -F 2000 -g -p "$pid" -o "$WORK/perf-$case.data" \
			>"$WORK/perf.log" 2>&1 &
		perfpid=$!
		PIDS+=("$perfpid")
		sleep 1
	fi
	note "$name $case: $AUTHS authentications, $PARALLEL in parallel"
	t0=$(date +%s.%N)
	read -r u0 s0 < <(cpu_split "$pid")
	read -r n0 tids0 < <(sched_ns "$pid")
	c0=$(cpu_us "$pid")
	seq 1 "$AUTHS" | timeout -k 5 "$MAX_SECONDS" xargs -P "$PARALLEL" -n 1 "$d/one.sh" ||
		note "$name $case: batch not clean (time limit $MAX_SECONDS s or failures)"
	c1=$(cpu_us "$pid")
	read -r n1 tids1 < <(sched_ns "$pid")
	read -r u1 s1 < <(cpu_split "$pid")
	t1=$(date +%s.%N)
	if [ -n "$perfpid" ]; then
		kill -INT "$perfpid" 2>/dev/null || true
		wait "$perfpid" 2>/dev/null || true
		stop_pid "$perfpid"
	fi
	sleep "$TAIL"
	c2=$(cpu_us "$pid")
	ok=$(grep -lx 0 "$d"/[0-9]*.rc 2>/dev/null | wc -l)
	[ "$ok" -eq "$AUTHS" ] || note "$name $case: only $ok of $AUTHS authentications succeeded"
	rts=$(for f in "$d"/[0-9]*.log "$d/probe.log"; do
		grep -c 'RADIUS message: code=1 (Access-Request)' "$f" || true
	done | sort -n | uniq -c | awk '{ printf "%s%dx%d", sep, $1, $2; sep = "," }')
	sched=$(awk -v d="$((n1 - n0))" -v ok="$ok" 'BEGIN { printf "%.3f", ok ? d / ok / 1e6 : 0 }')
	[ "$tids0" = "$tids1" ] || sched=-1	# a thread came or went: not comparable
	note "$name $case: round trips (count x auths) $rts; ok $ok/$AUTHS;" \
		"user $(((u1 - u0) / (ok > 0 ? ok : 1))) us/auth," \
		"system $(((s1 - s0) / (ok > 0 ? ok : 1))) us/auth (batch only)"
	awk -v p="$(grep -c 'RADIUS message: code=1 (Access-Request)' "$d/probe.log")" \
		-v ok="$ok" -v c="$((c2 - c0))" -v cr="$((c1 - c0))" -v s="$(echo "$t1 - $t0" | bc)" \
		-v ci="${cipher:-?}" -v m="$(max_eap "$d/probe.log")" -v sc="$sched" \
		'BEGIN { printf "%d %d %d %d %.1f %s %d %s\n", p, ok, c, cr, s, ci, m, sc }' \
		>"$WORK/result"
}

# The largest EAP packet the server sent in an eapol_test log: per Access-Challenge, the sum
# of its EAP-Message attributes' lengths less their 2-octet headers.
max_eap() {
	awk '/RADIUS message: code=/ { ch = ($3 == "code=11") ; sum = 0 }
		/Attribute 79 \(EAP-Message\)/ && ch { sub(/.*length=/, ""); sum += $1 - 2
			if (sum > max) max = sum }
		END { print max + 0 }' "$1"
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
	[ -x "$LATCHD" ] || { note "latchd: $LATCHD not built"; return 1; }
	port=$(free_port)
	write_latchd_conf "$conf" "$port" "$alg"
	"$LATCHD" -d "$conf" -D "$DICTDIR" >"$WORK/latchd-$alg.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	if ! wait_listen "$pid" "$port"; then
		tail -5 "$WORK/latchd-$alg.log" >&2 || true
		stop_pid "$pid"
		note "latchd did not start"
		return 1
	fi
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
	freeradius -f -d "$dir/raddb" -l "$dir/log/radius.log" &
	pid=$!
	PIDS+=("$pid")
	if ! wait_listen "$pid" "$port"; then
		tail -5 "$dir/log/radius.log" >&2
		stop_pid "$pid"
		note "FreeRADIUS did not start"
		return 1
	fi
	for k in $(cases_of_alg "$alg"); do
		batch "$name" "$pid" "$port" "$k" && record "$name" "$k"
	done
	stop_pid "$pid"
	sed -n 's/^.* : \(Error\|Warning\): /\1: /p' "$dir/log/radius.log" |
		cut -c1-70 | sort | uniq -c | sort -rn | head -5 >&2 || true
}

# --- main ----------------------------------------------------------------------------------
load() { uptime | sed 's/.*load average: //'; }
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
