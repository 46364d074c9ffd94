#!/usr/bin/env bash
# Status-Server on both ports (RFC 5997) and accounting written to the detail file (RFC 2866).
. "$(dirname "$0")/lib.sh"
pick_ports
write_config
start_latchd

out=$(rc "Message-Authenticator = 0x00" status "$AUTH_PORT")
check "Status-Server on the auth port gets Access-Accept" grep -q 'Received Access-Accept' <<<"$out"
out=$(rc "Message-Authenticator = 0x00" status "$ACCT_PORT")
check "Status-Server on the acct port gets Accounting-Response" grep -q 'Received Accounting-Response' <<<"$out"

out=$(rc "Acct-Status-Type = Start, Acct-Session-Id = \"sess-4711\", User-Name = bob, NAS-IP-Address = 192.0.2.1" acct "$ACCT_PORT")
check "Accounting-Request is answered" grep -q 'Received Accounting-Response' <<<"$out"
check "record written to the detail file" grep -q 'Acct-Session-Id = "sess-4711"' "$WORK/detail"
check "record has the status type" grep -q 'Acct-Status-Type = Start' "$WORK/detail"

out=$(rc "Acct-Status-Type = Stop, Acct-Session-Id = \"sess-4711\", User-Name = bob" acct "$ACCT_PORT" wrongsecret)
check "Accounting-Request with a wrong secret gets no answer" bash -c "! grep -q 'Received Accounting-Response' <<<'$out'"
check "and is not written" bash -c "! grep -q 'Acct-Status-Type = Stop' '$WORK/detail'"
check "bad authenticator counted" test "$(counter bad_request_authenticator)" -ge 1

out=$(rc "User-Name = bob, User-Password = hello, Message-Authenticator = 0x00" auth "$ACCT_PORT")
check "Access-Request on the acct port is dropped" bash -c "! grep -q 'Received' <<<'$out'"
check "wrong port counted" test "$(counter wrong_port)" -ge 1
finish
