# Shell helpers shared by the EAP benchmarks (bench/eap_tls.sh, bench/eap_methods.sh): work
# directory and clean-up (every background process stopped by its PID), prerequisites, the lab
# PKI, free loopback ports, a process's CPU time from /proc, the latchd and FreeRADIUS 3.2.1
# configurations, and one timed batch of eapol_test runs. Sourced, not run; the caller sets
# BENCH_NAME (for messages), SRCDIR and BUILD, and uses `set -euo pipefail`.
# See bench/README.md ("EAP-TLS benchmark", "EAP methods benchmark").

TICK=$(getconf CLK_TCK)
SECRET=${SECRET:-benchsecret}
DICTDIR=${DICTDIR:-$SRCDIR/dictionaries}
LATCHD=$BUILD/src/server/latchd
FR_SRC=/etc/freeradius/3.0
TAIL=${TAIL:-6}
MAX_SECONDS=${MAX_SECONDS:-300}
PARALLEL=${PARALLEL:-4}
EAPOL_TIMEOUT=${EAPOL_TIMEOUT:-30}

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
note() { echo "$BENCH_NAME: $*" >&2; }
load() { uptime | sed 's/.*load average: //'; }

# --- clean-up: every process started in the background is stopped by its PID --------------
PIDS=()
WORK=$(mktemp -d "/tmp/latchd-$BENCH_NAME.XXXXXX")
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

# --- prerequisites and the lab PKI ---------------------------------------------------------
# bench_prereqs [extra Debian packages]: freeradius, eapoltest, libssl-dev and the extras.
bench_prereqs() {
	local need=("$@")
	command -v freeradius >/dev/null || need+=(freeradius)
	command -v eapol_test >/dev/null || need+=(eapoltest)
	[ -f /usr/include/openssl/ssl.h ] || need+=(libssl-dev)
	if [ ${#need[@]} -gt 0 ]; then
		note "installing ${need[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >&2 ||
			die "cannot install ${need[*]}"
	fi
	[ -d "$FR_SRC" ] || die "$FR_SRC missing (package freeradius)"
	[ "$PARALLEL" -ge 1 ] && [ "$PARALLEL" -le 64 ] || die "PARALLEL must be 1..64"
}

# The lab PKI, both chains, in PKI (a reused PKI_DIR is left as it is).
make_pki() {
	PKI=${PKI_DIR:-$WORK/pki}
	"$SRCDIR/scripts/pki" "$PKI" both >"$WORK/pki.log" 2>&1 ||
		{ cat "$WORK/pki.log" >&2; die "scripts/pki failed"; }
}

# --- ports, processes, CPU -----------------------------------------------------------------
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

# Access-Requests (RADIUS round trips) in an eapol_test log.
round_trips() { grep -c 'RADIUS message: code=1 (Access-Request)' "$1" || true; }

# The largest EAP packet the server sent in an eapol_test log: per Access-Challenge, the sum
# of its EAP-Message attributes' lengths less their 2-octet headers.
max_eap() {
	awk '/RADIUS message: code=/ { ch = ($3 == "code=11") ; sum = 0 }
		/Attribute 79 \(EAP-Message\)/ && ch { sub(/.*length=/, ""); sum += $1 - 2
			if (sum > max) max = sum }
		END { print max + 0 }' "$1"
}

# --- latchd --------------------------------------------------------------------------------
# write_latchd_conf DIR PORT ALG [METHOD]: one auth listener, one client, the eap section
# with default_method = METHOD (tls) and the ALG chain; CRLs not checked (as FreeRADIUS's
# stock check_crl = no); everything else at its defaults (fragment_size 1400, resumption
# with a per-process ticket key). ALG "-": no eap section (the PAP benchmark). users: the
# bench user (for PAP, TTLS and PEAP).
write_latchd_conf() {
	local dir=$1 port=$2 alg=$3 method=${4:-tls} eap=
	mkdir -p "$dir"
	[ "$alg" = - ] || eap="eap {
	default_method = $method
	tls {
		certificate_file = $PKI/$alg/server-chain.pem
		private_key_file = $PKI/$alg/server.key
		ca_file = $PKI/$alg/ca.pem
	}
}"
	cat >"$dir/latchd.conf" <<-CONF
	# Written by bench/lib.sh
	${LATCHD_WORKERS:+server { workers = $LATCHD_WORKERS \}}
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $port
	}
	$eap
	CONF
	printf 'client bench {\n\tipaddr = 127.0.0.1\n\tsecret = %s\n}\n' "$SECRET" \
		>"$dir/clients.conf"
	printf 'bench\tCleartext-Password := "benchpass"\n' >"$dir/users"
}

# start_latchd CONFDIR PORT LOG: starts latchd in the background; SERVER_PID is its PID.
start_latchd() {
	local conf=$1 port=$2 log=$3
	[ -x "$LATCHD" ] || { note "latchd: $LATCHD not built"; return 1; }
	"$LATCHD" -d "$conf" -D "$DICTDIR" >"$log" 2>&1 &
	SERVER_PID=$!
	PIDS+=("$SERVER_PID")
	wait_listen "$SERVER_PID" "$port" && return 0
	tail -5 "$log" >&2 || true
	stop_pid "$SERVER_PID"
	note "latchd did not start"
	return 1
}

# --- FreeRADIUS 3.2.1 ----------------------------------------------------------------------
# fr_base_conf DIR PORT: DIR/raddb, a private copy of the stock configuration with changes
# 1-6 of bench/README.md (paths into the copy; the invoking user; no proxy; one auth
# listener on 127.0.0.1:PORT; the inner-tunnel server without its listener; one client).
fr_base_conf() {
	local dir=$1 port=$2 r=$1/raddb
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
}

# fr_bench_user DIR: the bench user as the first entry of the users file
# (mods-config/files/authorize, read by the default and the inner-tunnel servers).
fr_bench_user() {
	local users=$1/raddb/mods-config/files/authorize
	{ printf 'bench\tCleartext-Password := "benchpass"\n\n'
		cat "$FR_SRC/mods-config/files/authorize"
	} >"$users"
}

# fr_check DIR: FreeRADIUS must accept the configuration in DIR/raddb.
fr_check() {
	freeradius -C -d "$1/raddb" >"$1/check.log" 2>&1 ||
		{ cat "$1/check.log" >&2; die "FreeRADIUS rejects the bench configuration"; }
}

# write_freeradius_conf DIR PORT ALG FRAG [METHOD [CACHE]]: the base copy (changes 1-6,
# fr_base_conf); 7-10 make it an EAP-TLS server (method offered first: METHOD, default tls);
# with METHOD ttls or peap, 11 adds the bench user; with CACHE = yes, 12 enables the TLS
# session cache. Every change is listed in bench/README.md.
write_freeradius_conf() {
	local dir=$1 port=$2 alg=$3 frag=$4 method=${5:-tls} cache=${6:-no} r=$1/raddb eap
	fr_base_conf "$dir" "$port"
	# 7. default_eap_type = METHOD (stock md5: the client would NAK first, one more round
	# trip); 8. the lab PKI's server chain, key and CA (stock: snakeoil and the system
	# bundle), no ca_path (stock: ${cadir}), no private_key_password; 9. tls_max_version
	# = "1.3" (stock 1.2); 10. fragment_size = FRAG (stock 1024, commented out).
	eap=$r/mods-available/eap
	local chain=$PKI/$alg/server-chain.pem
	sed -i -e "s/^\(\s*default_eap_type\s*=\s*\)md5/\1$method/" \
		-e "s|^\(\s*\)private_key_file = .*|\1private_key_file = $PKI/$alg/server.key|" \
		-e "s|^\(\s*\)certificate_file = .*|\1certificate_file = $chain|" \
		-e "s|^\(\s*\)ca_file = .*|\1ca_file = $PKI/$alg/ca.pem|" \
		-e 's|^\(\s*\)\(ca_path = \)|\1#\2|' \
		-e 's|^\(\s*\)\(private_key_password = \)|\1#\2|' \
		-e 's/^\(\s*tls_max_version\s*=\s*\)"1.2"/\1"1.3"/' \
		-e "s/^\(\s*\)#\s*fragment_size = 1024/\1fragment_size = $frag/" "$eap"
	# The ttls/peap sub-sections keep default_eap_type = md5/mschapv2 (inner methods):
	# only the first (top-level) default_eap_type was meant to change.
	sed -i -e "/^\s*ttls\s*{/,/^\s*}/s/default_eap_type = $method/default_eap_type = md5/" \
		"$eap"
	# 12. cache { enable = yes } in tls-common (stock no): TLS session resumption.
	if [ "$cache" = yes ]; then
		sed -i -e '/^\s*cache\s*{/,/^\s*}/s/^\(\s*enable\s*=\s*\)no/\1yes/' "$eap"
		sed -n '/^\s*cache\s*{/,/^\s*}/p' "$eap" | grep -q 'enable = yes' ||
			die "FreeRADIUS's eap cache was not enabled (check the sed)"
	fi
	[ "$(grep -c "^\s*default_eap_type = $method" "$eap")" = 1 ] &&
		grep -q "fragment_size = $frag" "$eap" &&
		grep -q 'tls_max_version = "1.3"' "$eap" ||
		die "FreeRADIUS's eap module did not take the bench settings (check the sed)"
	# 11. the bench user (TTLS, PEAP)
	[ "$method" = tls ] || fr_bench_user "$dir"
	fr_check "$dir"
}

# start_freeradius DIR PORT: `freeradius -f` on the configuration in DIR; SERVER_PID.
start_freeradius() {
	local dir=$1 port=$2
	freeradius -f -d "$dir/raddb" -l "$dir/log/radius.log" &
	SERVER_PID=$!
	PIDS+=("$SERVER_PID")
	wait_listen "$SERVER_PID" "$port" && return 0
	tail -5 "$dir/log/radius.log" >&2 || true
	stop_pid "$SERVER_PID"
	note "FreeRADIUS did not start"
	return 1
}

# The five most frequent errors and warnings of a FreeRADIUS log, on stderr (not the stock
# "Ignoring \"sql\"" notes of modules without a configuration).
fr_log_summary() {
	sed -n 's/^.* : \(Error\|Warning\): /\1: /p' "$1" | grep -v 'Ignoring "' |
		cut -c1-70 | sort | uniq -c | sort -rn | head -5 >&2 || true
}

# --- one timed batch -----------------------------------------------------------------------
# write_one D PORT [eapol_test args]: D/one.sh N runs one eapol_test with D/net.conf, its log
# in D/N.log, its exit status in D/N.rc.
write_one() {
	local d=$1 port=$2
	shift 2
	cat >"$d/one.sh" <<-ONE
	#!/bin/bash
	timeout -k 2 $EAPOL_TIMEOUT eapol_test -c "$d/net.conf" -a 127.0.0.1 -p $port \\
		-s "$SECRET" -t 10 $* >"$d/\$1.log" 2>&1
	echo \$? >"$d/\$1.rc"
	ONE
	chmod +x "$d/one.sh"
}

# idle_check NAME PID: warns when the server burns CPU while idle (1 s).
idle_check() {
	local idle0 idle1
	sleep 1
	idle0=$(cpu_us "$2"); sleep 1; idle1=$(cpu_us "$2")
	[ $((idle1 - idle0)) -le 20000 ] ||
		note "$1: WARNING idle server used $((idle1 - idle0)) us of CPU in 1 s"
}

# timed_batch D PID COUNT [HOOK]: runs D/one.sh 1..COUNT, PARALLEL at a time (bounded by
# MAX_SECONDS), calls HOOK (if any) right after, waits TAIL seconds; sets B_CPU (us, batch +
# TAIL), B_RUN (us, batch only), B_USER and B_SYS (us, batch only), B_SCHED (ns of the live
# threads' run time, -1 if a thread came or went), B_SECONDS, B_OK (runs with status 0).
timed_batch() {
	local d=$1 pid=$2 count=$3 hook=${4:-} t0 t1 c0 c1 c2 u0 s0 u1 s1 n0 n1 tids0 tids1
	t0=$(date +%s.%N)
	read -r u0 s0 < <(cpu_split "$pid")
	read -r n0 tids0 < <(sched_ns "$pid")
	c0=$(cpu_us "$pid")
	seq 1 "$count" | timeout -k 5 "$MAX_SECONDS" xargs -P "$PARALLEL" -n 1 "$d/one.sh" ||
		note "$d: batch not clean (time limit $MAX_SECONDS s or failures)"
	c1=$(cpu_us "$pid")
	read -r n1 tids1 < <(sched_ns "$pid")
	read -r u1 s1 < <(cpu_split "$pid")
	t1=$(date +%s.%N)
	[ -z "$hook" ] || "$hook"
	sleep "$TAIL"
	c2=$(cpu_us "$pid")
	B_CPU=$((c2 - c0)) B_RUN=$((c1 - c0)) B_USER=$((u1 - u0)) B_SYS=$((s1 - s0))
	B_SCHED=$((n1 - n0))
	[ "$tids0" = "$tids1" ] || B_SCHED=-1
	B_SECONDS=$(echo "$t1 - $t0" | bc)
	B_OK=$(grep -lx 0 "$d"/[0-9]*.rc 2>/dev/null | wc -l)
}
