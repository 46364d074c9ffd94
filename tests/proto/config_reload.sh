#!/usr/bin/env bash
# latchd -C, configuration errors with file:line, SIGHUP reload (good and bad), IPv6.
. "$(dirname "$0")/lib.sh"
pick_ports
write_config
check "latchd -C accepts a good configuration" "$LATCHD" -C -d "$WORK/raddb" -D "$top_srcdir/dictionaries"
check "latchd -C accepts the shipped raddb" "$LATCHD" -C -d "$top_srcdir/raddb" -D "$top_srcdir/dictionaries"

cp "$WORK/raddb/users" "$WORK/users.good"
printf 'carol\tCleartext-Password := "pw"\n\tNo-Such-Attribute = 1\n' >>"$WORK/raddb/users"
out=$("$LATCHD" -C -d "$WORK/raddb" -D "$top_srcdir/dictionaries" 2>&1)
check "latchd -C rejects a bad users file" test $? -ne 0
line=$(grep -n 'No-Such-Attribute' "$WORK/raddb/users" | cut -d: -f1)
check "error names users:$line" grep -q "users:$line" <<<"$out"
cp "$WORK/users.good" "$WORK/raddb/users"

start_latchd
out=$(rc "User-Name = dave, User-Password = pw4, Message-Authenticator = 0x00")
check "dave unknown before reload" grep -q 'Received Access-Reject' <<<"$out"
printf '\ndave\tCleartext-Password := "pw4"\n' >>"$WORK/raddb/users"
kill -HUP "$LATCHD_PID"
for _ in $(seq 1 40); do grep -q 'reloaded' "$WORK/latchd.log" && break; sleep 0.05; done
out=$(rc "User-Name = dave, User-Password = pw4, Message-Authenticator = 0x00")
check "dave accepted after SIGHUP" grep -q 'Received Access-Accept' <<<"$out"

printf 'broken {\n' >>"$WORK/raddb/clients.conf"
kill -HUP "$LATCHD_PID"
for _ in $(seq 1 40); do grep -q 'reload failed' "$WORK/latchd.log" && break; sleep 0.05; done
check "bad reload is reported" grep -q 'reload failed, keeping the running configuration' "$WORK/latchd.log"
out=$(rc "User-Name = dave, User-Password = pw4, Message-Authenticator = 0x00")
check "old configuration still serves after a bad reload" grep -q 'Received Access-Accept' <<<"$out"
check "clean exit" stop_latchd

# IPv6 listener and client on ::1.
if ip -6 addr show dev lo 2>/dev/null | grep -q '::1'; then
	write_config
	sed -i "s/ipaddr = 127.0.0.1\n\tport = $AUTH_PORT//" "$WORK/raddb/latchd.conf"
	cat >>"$WORK/raddb/latchd.conf" <<CONF
listen {
	type = auth
	ipv6addr = ::1
	port = $AUTH_PORT
}
CONF
	printf 'client v6 {\n\tipaddr = ::1\n\tsecret = testing123\n}\n' >>"$WORK/raddb/clients.conf"
	start_latchd
	out=$(echo "User-Name = bob, User-Password = hello, Message-Authenticator = 0x00" |
		radclient -x -t 1 -r 1 "[::1]:$AUTH_PORT" auth "$SECRET" 2>&1)
	check "IPv6: PAP accepted over ::1" grep -q 'Received Access-Accept' <<<"$out"
	stop_latchd
else
	echo "SKIP: no ::1 on lo"
fi
finish
