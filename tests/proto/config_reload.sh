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

# What a reload cannot change says so; an eap section added by a reload works.
write_config
start_latchd
eap_identity="EAP-Message = 0x0201000801626f62, Message-Authenticator = 0x00"
out=$(rc "User-Name = bob, $eap_identity")
check "EAP before the eap section: Access-Reject" grep -q 'Received Access-Reject' <<<"$out"
make_pki
sed -i 's/workers = 2/workers = 3/' "$WORK/raddb/latchd.conf"
cat >>"$WORK/raddb/latchd.conf" <<CONF
eap {
	tls {
		certificate_file = $PKI/rsa/server-chain.pem
		private_key_file = $PKI/rsa/server.key
		ca_file = $PKI/rsa/ca.pem
	}
}
CONF
kill -HUP "$LATCHD_PID"
for _ in $(seq 1 40); do grep -q 'reloaded' "$WORK/latchd.log" && break; sleep 0.05; done
check "a reload names the settings that take a restart" \
	grep -q 'reload: server { workers } changed; that takes a restart' "$WORK/latchd.log"
out=$(rc "User-Name = bob, $eap_identity")
check "EAP after an eap section was added by a reload: Access-Challenge" \
	grep -q 'Received Access-Challenge' <<<"$out"
check "clean exit after the reloads" stop_latchd

# A SIGHUP while latchd is still loading its configuration (a reload racing a restart) is
# handled once it runs, not fatal: a users file large enough to take a while to load.
write_config
for i in $(seq 1 30000); do printf 'user%d\tCleartext-Password := "p%d"\n\n' "$i" "$i"; done \
	>>"$WORK/raddb/users"
: >"$WORK/latchd.log"
"$LATCHD" -X -d "$WORK/raddb" -D "$top_srcdir/dictionaries" >>"$WORK/latchd.log" 2>&1 &
LATCHD_PID=$!
for _ in $(seq 1 2000); do # until main() runs (its first -X line), then signal at once
	grep -q 'loading the dictionaries' "$WORK/latchd.log" && break
	sleep 0.002
done
kill -HUP "$LATCHD_PID"
loaded=no
for _ in $(seq 1 200); do
	grep -q 'ready:' "$WORK/latchd.log" && loaded=yes && break
	kill -0 "$LATCHD_PID" 2>/dev/null || break
	sleep 0.05
done
check "a SIGHUP during start-up does not kill latchd" test "$loaded" = yes
check "it is handled as a reload once running" bash -c \
	"for _ in \$(seq 1 100); do grep -q reloaded '$WORK/latchd.log' && exit 0; sleep 0.05; done; exit 1"
if [ "$loaded" = yes ]; then check "clean exit" stop_latchd; else LATCHD_PID=; fi

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
