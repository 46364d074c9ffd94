#!/usr/bin/env bash
# Shared secrets, BlastRADIUS rules (CVE-2024-3596) and duplicate detection (RFC 5080 2.2.2).
. "$(dirname "$0")/lib.sh"
pick_ports
write_config
start_latchd

out=$(rc "User-Name = bob, User-Password = hello, Message-Authenticator = 0x00" auth "$AUTH_PORT" wrongsecret)
check "wrong shared secret gets no answer" bash -c "! grep -q 'Received' <<<'$out'"
check "invalid Message-Authenticator counted" test "$(counter message_authenticator_invalid)" -ge 1

out=$(rc "User-Name = bob, User-Password = hello")
check "request without Message-Authenticator is dropped" bash -c "! grep -q 'Received' <<<'$out'"
check "missing Message-Authenticator counted" test "$(counter message_authenticator_missing)" -ge 1
out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob hello noma)
check "radsend without MA from a strict client: no reply" test "$out" = "no reply"

out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob hello noma src=127.0.0.2)
check "client with require_message_authenticator = no: answered" test "$out" = "Access-Accept ma-first"
out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob hello noma proxystate src=127.0.0.2)
check "Proxy-State without MA dropped (limit_proxy_state)" test "$out" = "no reply"
check "Proxy-State drop counted" test "$(counter proxy_state_without_message_authenticator)" -ge 1
out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob hello noma proxystate src=127.0.0.3)
check "Proxy-State without MA from a proxy client: answered" test "$out" = "Access-Accept ma-first"

out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob hello src=127.0.0.9)
check "unknown client gets no answer" test "$out" = "no reply"
check "unknown client counted" test "$(counter unknown_client)" -ge 1

before=$(counter access_accept)
out=$("$RADSEND" dup "$AUTH_PORT" "$SECRET" bob hello)
check "retransmission gets a byte-identical reply" test "$out" = "identical"
check "retransmission counted as duplicate" test "$(counter duplicate)" -ge 1
check "retransmission not processed twice" test "$(counter access_accept)" -eq $((before + 1))
finish
