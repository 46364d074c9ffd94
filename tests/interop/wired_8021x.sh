#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions called through check and the EXIT trap
# A real wired 802.1X port (IEEE 802.1X-2004 authenticator and supplicant PAEs) in front of
# latchd: two network namespaces joined by a veth pair. Namespace B runs latchd on its own
# loopback and hostapd (driver=wired) as the authenticator and RADIUS client (RFC 3579/3580);
# namespace A runs wpa_supplicant -Dwired with EAP-TLS (RFC 5216). The good client's port
# gets authorized; the revoked client's port does not. Needs root; exits 77 (skip) without.
# Nothing is created in the root namespace except the temporary directory.

if [ "$(id -u)" -ne 0 ]; then
	echo "not root: network namespaces need root (skipping)"
	exit 77
fi

. "$(dirname "$0")/lib.sh"
PATH=$PATH:/usr/sbin:/sbin # hostapd and wpa_supplicant live in sbin

for tool in hostapd:hostapd hostapd_cli:hostapd wpa_supplicant:wpasupplicant; do
	if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
		echo "${tool%%:*} not found: install the Debian packages hostapd and wpasupplicant"
		exit 77
	fi
done

# Longest wait for any one event, in seconds (ASan builds are slower); WAIT drops to 2 s for
# the checks that follow a failed key event, so a broken setup still ends in about a minute.
WAIT_FULL=${WIRED_WAIT:-20}
WAIT=$WAIT_FULL
NSA="latchd-wa-$$"
NSB="latchd-wb-$$"
IFA=vethA
IFB=vethB
MAC_A=02:00:00:00:0a:01
HOSTAPD_PID=
WPAS_PID=
NS_MADE=

# stop_pid PID: TERM, wait up to 5 s, then KILL. Only our own children, by PID.
stop_pid() {
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

wired_cleanup() {
	stop_pid "$WPAS_PID"
	stop_pid "$HOSTAPD_PID"
	stop_pid "$LATCHD_PID"
	WPAS_PID=
	HOSTAPD_PID=
	LATCHD_PID=
	if [ -n "$NS_MADE" ]; then
		ip netns del "$NSA" 2>/dev/null
		ip netns del "$NSB" 2>/dev/null
	fi
	cleanup # the lib's: removes $WORK
}
trap wired_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for FILE PATTERN [PID]: poll until grep -E finds PATTERN in FILE, for at most WAIT
# seconds; gives up early if process PID (the one writing FILE) has exited.
wait_for() {
	local end=$((SECONDS + WAIT))
	while [ "$SECONDS" -le "$end" ]; do
		if grep -qE "$2" "$1" 2>/dev/null; then return 0; fi
		if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then
			grep -qE "$2" "$1" 2>/dev/null
			return
		fi
		sleep 0.1
	done
	return 1
}

# Namespaces, veth pair (created directly inside them), loopbacks up.
NS_MADE=1
if ! ip netns add "$NSA" 2>"$WORK/netns.err" || ! ip netns add "$NSB" 2>>"$WORK/netns.err"; then
	echo "cannot create network namespaces ($(cat "$WORK/netns.err")): skipping"
	exit 77
fi
if ! ip -n "$NSA" link add "$IFA" address "$MAC_A" type veth peer name "$IFB" netns "$NSB" \
	2>"$WORK/netns.err"; then
	echo "cannot create a veth pair ($(cat "$WORK/netns.err")): skipping"
	exit 77
fi
if ! { ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up &&
	ip -n "$NSA" link set "$IFA" up && ip -n "$NSB" link set "$IFB" up; }; then
	echo "cannot bring the links up in the namespaces"
	exit 99
fi

# latchd in namespace B, on B's loopback; `ip netns exec` execs it, so $! is latchd's PID.
make_pki
pick_ports
write_eap_config rsa
: >"$WORK/latchd.log"
ip netns exec "$NSB" "$LATCHD" -X -d "$WORK/raddb" -D "$top_srcdir/dictionaries" \
	>>"$WORK/latchd.log" 2>&1 &
LATCHD_PID=$!
if ! wait_for "$WORK/latchd.log" 'ready:' "$LATCHD_PID"; then
	echo "latchd did not start in $NSB; its log:"
	cat "$WORK/latchd.log"
	exit 99
fi

CTRL="$WORK/hostapd-ctrl"
cat >"$WORK/hostapd.conf" <<CONF
interface=$IFB
driver=wired
ctrl_interface=$CTRL
logger_stdout=-1
logger_stdout_level=0
ieee8021x=1
eapol_version=2
use_pae_group_addr=1
eap_reauth_period=0
own_ip_addr=127.0.0.1
nas_identifier=latchd-wired-test
auth_server_addr=127.0.0.1
auth_server_port=$AUTH_PORT
auth_server_shared_secret=$SECRET
acct_server_addr=127.0.0.1
acct_server_port=$ACCT_PORT
acct_server_shared_secret=$SECRET
CONF

# start_hostapd NAME: hostapd in B, log in $WORK/hostapd-NAME.log, wait until enabled.
start_hostapd() {
	HLOG="$WORK/hostapd-$1.log"
	ip netns exec "$NSB" hostapd -dd -t "$WORK/hostapd.conf" >"$HLOG" 2>&1 &
	HOSTAPD_PID=$!
	if ! wait_for "$HLOG" 'AP-ENABLED' "$HOSTAPD_PID"; then
		echo "hostapd did not come up; its log:"
		cat "$HLOG"
		exit 99
	fi
}

# start_wpas NAME CLIENT: wpa_supplicant in A with the lab PKI's CLIENT, log $WORK/wpas-NAME.log.
start_wpas() {
	local net
	net=$(eapol_conf "net-$1" rsa "$2")
	{
		echo "ap_scan=0"
		echo "eapol_version=2"
		cat "$net"
	} >"$WORK/wpas-$1.conf"
	SLOG="$WORK/wpas-$1.log"
	ip netns exec "$NSA" wpa_supplicant -Dwired -i "$IFA" -c "$WORK/wpas-$1.conf" -dd -t \
		>"$SLOG" 2>&1 &
	WPAS_PID=$!
}

stop_both() {
	stop_pid "$WPAS_PID"
	stop_pid "$HOSTAPD_PID"
	WPAS_PID=
	HOSTAPD_PID=
}

sta_flags() { ip netns exec "$NSB" hostapd_cli -p "$CTRL" -i "$IFB" sta "$MAC_A" 2>&1; }
authorized() { sta_flags | grep -q '^flags=.*\[AUTHORIZED\]'; }
# not_authorized: hostapd knows the station (first line of `sta` is its MAC) but has not
# authorized its port.
not_authorized() {
	local out
	out=$(sta_flags)
	echo "$out" | grep -E '^(flags|dot1xAuthPaeState|dot1xAuthBackendAuthState)=' || true
	echo "$out" | head -n 1 | grep -qi "^$MAC_A\$" && ! echo "$out" | grep -q 'AUTHORIZED'
}
# poll_authorized: hostapd marks the port a moment after it sends EAP-Success.
poll_authorized() {
	local end=$((SECONDS + WAIT))
	while [ "$SECONDS" -le "$end" ]; do
		if authorized; then return 0; fi
		sleep 0.1
	done
	return 1
}

# stop_latchd_bounded: like the lib's stop_latchd (true if latchd exits 0 on SIGTERM), but
# gives up after WAIT seconds (the EXIT trap then kills it).
stop_latchd_bounded() {
	local rc end=$((SECONDS + WAIT))
	kill -TERM "$LATCHD_PID" || return 1
	while [ "$SECONDS" -le "$end" ]; do
		kill -0 "$LATCHD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$LATCHD_PID" 2>/dev/null && return 1
	wait "$LATCHD_PID"
	rc=$?
	LATCHD_PID=
	return "$rc"
}

# key_check "description" command...: a check whose failure makes the next waits short.
key_check() {
	local before=$FAILS
	check "$@"
	if [ "$FAILS" -gt "$before" ]; then WAIT=2; fi
}

# Run 1: the good client gets the port.
start_hostapd good
start_wpas good good
key_check "good client: CTRL-EVENT-EAP-SUCCESS in the supplicant log" \
	wait_for "$SLOG" 'CTRL-EVENT-EAP-SUCCESS' "$WPAS_PID"
check "good client: hostapd_cli sta shows [AUTHORIZED]" poll_authorized
check "good client: AP-STA-CONNECTED in hostapd's log" wait_for "$HLOG" "AP-STA-CONNECTED $MAC_A"
check "good client: supplicant reports the port authorized" \
	wait_for "$SLOG" 'CTRL-EVENT-CONNECTED|EAPOL: SUPP_PAE entering state AUTHENTICATED'
check "latchd logged the Access-Accept" \
	grep -q 'Access-Accept for EAP identity "good@example.test"' "$WORK/latchd.log"
check "hostapd's Accounting-Request Start reached latchd's detail file" \
	wait_for "$WORK/detail" 'Acct-Status-Type = Start'
echo "--- hostapd_cli sta $MAC_A (good) ---"
sta_flags | grep -E '^(flags|dot1xAuthSessionUserName|dot1xAuthSessionAuthenticMethod)=' || true
stop_both
WAIT=$WAIT_FULL

# Run 2: the revoked client does not.
start_hostapd revoked
start_wpas revoked revoked
key_check "revoked client: CTRL-EVENT-EAP-FAILURE in the supplicant log" \
	wait_for "$SLOG" 'CTRL-EVENT-EAP-FAILURE' "$WPAS_PID"
check "revoked client: no CTRL-EVENT-EAP-SUCCESS" \
	bash -c "! grep -q 'CTRL-EVENT-EAP-SUCCESS' '$SLOG'"
check "revoked client: hostapd knows the station, no [AUTHORIZED]" not_authorized
check "revoked client: no AP-STA-CONNECTED in hostapd's log" \
	bash -c "! grep -q 'AP-STA-CONNECTED' '$HLOG'"
check "latchd logged the revocation" \
	grep -q 'identity "revoked@example.test".*revoked' "$WORK/latchd.log"
stop_both
WAIT=$WAIT_FULL

check "latchd survived both runs" kill -0 "$LATCHD_PID"
check "latchd stops cleanly" stop_latchd_bounded
if [ "$FAILS" -ne 0 ]; then
	for f in "$WORK"/hostapd-*.log "$WORK"/wpas-*.log; do
		echo "--- $(basename "$f") (last 30 lines) ---"
		tail -n 30 "$f"
	done
fi
finish
