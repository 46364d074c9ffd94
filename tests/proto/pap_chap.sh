#!/usr/bin/env bash
# PAP and CHAP against the users file, with radclient as the (independent) client.
. "$(dirname "$0")/lib.sh"
pick_ports
write_config
start_latchd

MA='Message-Authenticator = 0x00'
out=$(rc "User-Name = bob, User-Password = hello, $MA")
check "PAP good password is accepted" grep -q 'Received Access-Accept' <<<"$out"
check "Accept carries the users-file reply attributes" grep -q 'Reply-Message = "Hello, bob"' <<<"$out"
check "Accept carries Session-Timeout" grep -q 'Session-Timeout = 3600' <<<"$out"

out=$(rc "User-Name = bob, User-Password = wrong, $MA")
check "PAP wrong password is rejected" grep -q 'Received Access-Reject' <<<"$out"
check "log says why (wrong password)" grep -q 'Access-Reject for user "bob": wrong password (PAP)' "$WORK/latchd.log"

out=$(rc "User-Name = nobody, User-Password = hello, $MA")
check "unknown user is rejected" grep -q 'Received Access-Reject' <<<"$out"
check "log says unknown user" grep -q 'user "nobody": unknown user' "$WORK/latchd.log"

out=$(rc "User-Name = blocked, User-Password = x, $MA")
check "Auth-Type := Reject rejects" grep -q 'Received Access-Reject' <<<"$out"

out=$(rc "User-Name = bob, CHAP-Password = hello, $MA")
check "CHAP good password is accepted" grep -q 'Received Access-Accept' <<<"$out"
out=$(rc "User-Name = bob, CHAP-Password = nothello, $MA")
check "CHAP wrong password is rejected" grep -q 'Received Access-Reject' <<<"$out"

out=$(rc "User-Name = vlanuser, User-Password = vlanpass, $MA")
check "VLAN user accepted" grep -q 'Received Access-Accept' <<<"$out"
check "VLAN attributes in the Accept" grep -q 'Tunnel-Private-Group-Id:0 = "10"' <<<"$out"

out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob hello)
check "Message-Authenticator is the first attribute of an Accept" test "$out" = "Access-Accept ma-first"
out=$("$RADSEND" pap "$AUTH_PORT" "$SECRET" bob bad)
check "Message-Authenticator is the first attribute of a Reject" test "$out" = "Access-Reject ma-first"

check "password not in the log" bash -c "! grep -q 'hello' '$WORK/latchd.log'"
finish
