# Shared helpers for the protocol tests: start the real latchd on free loopback ports with a
# private configuration, talk to it with radclient, stop it by PID. Sourced by tests/proto/*.sh.
# Environment (set by `make check`): top_srcdir, top_builddir.

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
LATCHD="$top_builddir/src/server/latchd"
RADSEND="$top_builddir/tests/proto/radsend"
SECRET=testing123
FAILS=0
PASSES=0
LATCHD_PID=
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latchd-test.XXXXXX")

cleanup() {
	if [ -n "$LATCHD_PID" ] && kill -0 "$LATCHD_PID" 2>/dev/null; then
		kill -TERM "$LATCHD_PID" 2>/dev/null
		wait "$LATCHD_PID" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v radclient >/dev/null 2>&1; then
	echo "radclient not found: install the Debian package freeradius-utils (./scripts/test does)"
	exit 77
fi

ok() { PASSES=$((PASSES + 1)); echo "PASS: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }
check() { # check "description" command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# A free UDP port pair on 127.0.0.1 (auth, auth+1 for acct), chosen at random.
pick_ports() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + (RANDOM % 20000) * 2))
		if ! ss -Hlun "sport = :$p or sport = :$((p + 1))" | grep -q .; then
			AUTH_PORT=$p
			ACCT_PORT=$((p + 1))
			return 0
		fi
	done
	echo "no free port pair found"
	exit 99
}

# Write a configuration into $WORK/raddb. Extra text for latchd.conf may be given as $1.
write_config() {
	local extra=${1:-}
	mkdir -p "$WORK/raddb"
	cat >"$WORK/raddb/latchd.conf" <<CONF
server {
	workers = 2
	duplicate_ttl = 5
}
listen {
	type = auth
	ipaddr = 127.0.0.1
	port = $AUTH_PORT
}
listen {
	type = acct
	ipaddr = 127.0.0.1
	port = $ACCT_PORT
}
accounting {
	detail = $WORK/detail
}
clients = clients.conf
users = users
$extra
CONF
	cat >"$WORK/raddb/clients.conf" <<'CONF'
client localhost {
	ipaddr = 127.0.0.1
	secret = testing123
}
client legacy {
	ipaddr = 127.0.0.2
	secret = testing123
	require_message_authenticator = no
}
client proxy {
	ipaddr = 127.0.0.3
	secret = testing123
	require_message_authenticator = no
	limit_proxy_state = no
}
CONF
	cat >"$WORK/raddb/users" <<'CONF'
bob	Cleartext-Password := "hello"
	Reply-Message = "Hello, bob",
	Session-Timeout = 3600

vlanuser	Cleartext-Password := "vlanpass"
	Tunnel-Type = VLAN,
	Tunnel-Medium-Type = IEEE-802,
	Tunnel-Private-Group-Id = "10"

blocked	Auth-Type := Reject
CONF
}

# Start latchd in the background on the configuration in $WORK/raddb and wait until ready.
# The lab PKI, made once per build directory by scripts/pki (flock: tests run in parallel).
PKI="$top_builddir/tests/pki"
make_pki() {
	mkdir -p "$PKI"
	flock "$PKI/.lock" "$top_srcdir/scripts/pki" "$PKI" both >"$WORK/pki.log" 2>&1 || {
		cat "$WORK/pki.log"
		exit 99
	}
}

# start_latchd: latchd -X in the background (LATCHD_PID), waits for its ready line. With
# LATCHD_FSIZE_KB set: under that soft file size limit (ulimit -S -f; prlimit can lift it),
# its log through a pipe so that the limit does not cut the log short.
start_latchd() {
	: >"$WORK/latchd.log"
	if [ -n "${LATCHD_FSIZE_KB:-}" ]; then
		(ulimit -S -f "$LATCHD_FSIZE_KB" &&
			exec "$LATCHD" -X -d "$WORK/raddb" -D "$top_srcdir/dictionaries") \
			> >(cat >>"$WORK/latchd.log") 2>&1 &
	else
		"$LATCHD" -X -d "$WORK/raddb" -D "$top_srcdir/dictionaries" >>"$WORK/latchd.log" 2>&1 &
	fi
	LATCHD_PID=$!
	for _ in $(seq 1 100); do
		if grep -q 'ready:' "$WORK/latchd.log"; then return 0; fi
		if ! kill -0 "$LATCHD_PID" 2>/dev/null; then break; fi
		sleep 0.05
	done
	echo "latchd did not start; its log:"
	cat "$WORK/latchd.log"
	exit 99
}

stop_latchd() {
	kill -TERM "$LATCHD_PID"
	wait "$LATCHD_PID"
	local rc=$?
	LATCHD_PID=
	return $rc
}

# Ask latchd for its counters (SIGUSR1) and print the newest counters line.
counters() {
	local before
	before=$(grep -c 'counters (SIGUSR1)' "$WORK/latchd.log")
	kill -USR1 "$LATCHD_PID"
	for _ in $(seq 1 50); do
		if [ "$(grep -c 'counters (SIGUSR1)' "$WORK/latchd.log")" -gt "$before" ]; then break; fi
		sleep 0.05
	done
	grep 'counters (SIGUSR1)' "$WORK/latchd.log" | tail -n 1
}

# counter NAME: the value of one counter (0 when absent).
counter() {
	counters | tr ' ' '\n' | sed -n "s/^$1=//p" | grep . || echo 0
}

# radclient wrapper: rc ATTRS [TYPE [PORT [SECRET [EXTRA radclient args]]]]; prints output.
rc() {
	local attrs=$1 type=${2:-auth} port=${3:-$AUTH_PORT} secret=${4:-$SECRET}
	shift 4 2>/dev/null || shift $#
	echo "$attrs" | radclient -x -t 1 -r 1 "$@" "127.0.0.1:$port" "$type" "$secret" 2>&1
}

finish() {
	echo "$PASSES passed, $FAILS failed"
	if [ "$FAILS" -ne 0 ]; then
		echo "--- latchd log (last 60 lines) ---"
		tail -n 60 "$WORK/latchd.log"
		exit 1
	fi
	exit 0
}
