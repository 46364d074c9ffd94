#!/usr/bin/env bash
# Hostile datagrams: truncated, oversized, malformed. No crash, each counted, and the next
# good request is answered.
. "$(dirname "$0")/lib.sh"
pick_ports
write_config
start_latchd

send() { "$RADSEND" raw "$AUTH_PORT" "$1"; }
hdr="01aa"
zeros16="00000000000000000000000000000000"
check "3-octet datagram: no reply" test "$(send 010203)" = "no reply"
check "Length 19: no reply" test "$(send "${hdr}0013${zeros16}")" = "no reply"
check "Length 4097: no reply" test "$(send "${hdr}1001${zeros16}")" = "no reply"
check "Length beyond the datagram: no reply" test "$(send "${hdr}0040${zeros16}")" = "no reply"
check "attribute length 0: no reply" test "$(send "${hdr}0016${zeros16}0100")" = "no reply"
check "attribute length 1: no reply" test "$(send "${hdr}0016${zeros16}0101")" = "no reply"
check "attribute past the end: no reply" test "$(send "${hdr}0017${zeros16}01ff41")" = "no reply"
check "Message-Authenticator of 15 octets: no reply" \
	test "$(send "${hdr}0025${zeros16}5011$(printf '%030d' 0)")" = "no reply"
check "unknown code: no reply" test "$(send "63aa0014${zeros16}")" = "no reply"
big=$(head -c 5000 /dev/zero | od -An -v -tx1 | tr -d ' \n')
check "oversized 5000-octet datagram: no reply" test "$(send "01aa1388${big:8}")" = "no reply"
# Random garbage, bounded count.
check "2000 random datagrams sent" "$RADSEND" junk "$AUTH_PORT" 2000
check "latchd still running" kill -0 "$LATCHD_PID"
check "malformed datagrams counted" test "$(counter malformed)" -ge 9
out=$(rc "User-Name = bob, User-Password = hello, Message-Authenticator = 0x00")
check "next good request is answered" grep -q 'Received Access-Accept' <<<"$out"
check "clean exit on SIGTERM" stop_latchd
finish
