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

# A worker stuck writing the detail file (a FIFO that nobody reads): reloads do not wait for
# it, and the configurations they replaced are freed once it moves on.
write_config
sed -i "s/workers = 2/workers = 1/; s|detail = $WORK/detail|detail = $WORK/detail.fifo|" \
	"$WORK/raddb/latchd.conf"
mkfifo "$WORK/detail.fifo"
exec 7<>"$WORK/detail.fifo" # a reader that does not read: the pipe fills up
start_latchd
# the FIFO's descriptors in latchd (it also inherited this shell's fd 7)
fifo_fds() { find "/proc/$LATCHD_PID/fd" -lname "$WORK/detail.fifo" 2>/dev/null | wc -l; }
base=$(fifo_fds)
class=0x$(printf '%0400d' 0) # 200 octets, printed as 400 hex digits in the record
for i in $(seq 1 80); do
	printf 'Acct-Status-Type = Interim-Update, Acct-Session-Id = "fill-%d", ' "$i"
	printf 'Class = %s, Class = %s, Class = %s, Class = %s\n\n' "$class" "$class" "$class" \
		"$class"
done >"$WORK/acct.req"
radclient -f "$WORK/acct.req" -p 80 -t 1 -r 1 "127.0.0.1:$ACCT_PORT" acct "$SECRET" \
	>/dev/null 2>&1 &
RADCLIENT_PID=$!
# the 64 KiB pipe holds ~40 such records; once it is full, the worker is stuck in write()
pipe_bytes() {
	python3 -c 'import array, fcntl, termios; b = array.array("i", [0]); fcntl.ioctl(7, termios.FIONREAD, b); print(b[0])'
}
last=-1
for _ in $(seq 1 100); do # full: over 40 KB and no longer growing
	now=$(pipe_bytes)
	[ "$now" -ge 40000 ] && [ "$now" -eq "$last" ] && break
	last=$now
	sleep 0.2
done
echo "detail FIFO holds $now octets"
check "the detail FIFO is full (the worker is stuck writing to it)" test "$now" -ge 40000
for i in 1 2 3; do
	kill -HUP "$LATCHD_PID"
	for _ in $(seq 1 60); do
		[ "$(grep -c 'reloaded' "$WORK/latchd.log")" -ge "$i" ] && break
		sleep 0.05
	done
done
check "three reloads done while the worker is stuck" \
	test "$(grep -c 'reloaded' "$WORK/latchd.log")" -eq 3
check "meanwhile the four configurations keep their detail files" \
	test "$(fifo_fds)" -eq $((base + 3))
timeout 10 cat <&7 >/dev/null &
DRAIN_PID=$!
for _ in $(seq 1 100); do [ "$(fifo_fds)" -eq "$base" ] && break; sleep 0.05; done
check "once the worker moves on, the replaced configurations are freed" \
	test "$(fifo_fds)" -eq "$base"
# Stuck again, then SIGTERM: latchd gives the worker 5 s, says so, and exits anyway.
kill "$DRAIN_PID" "$RADCLIENT_PID" 2>/dev/null
wait "$DRAIN_PID" "$RADCLIENT_PID" 2>/dev/null
radclient -f "$WORK/acct.req" -p 80 -t 1 -r 1 "127.0.0.1:$ACCT_PORT" acct "$SECRET" \
	>/dev/null 2>&1 &
RADCLIENT_PID=$!
last=-1
for _ in $(seq 1 100); do
	now=$(pipe_bytes)
	[ "$now" -ge 40000 ] && [ "$now" -eq "$last" ] && break
	last=$now
	sleep 0.2
done
kill -TERM "$LATCHD_PID"
for _ in $(seq 1 300); do # bounded: 15 s
	kill -0 "$LATCHD_PID" 2>/dev/null || break
	sleep 0.05
done
if kill -0 "$LATCHD_PID" 2>/dev/null; then
	fail "SIGTERM with a stuck worker still ends latchd: it hangs"
	kill -KILL "$LATCHD_PID"
fi
wait "$LATCHD_PID"
rc=$?
LATCHD_PID=
check "SIGTERM with a stuck worker still ends latchd (exit status 1)" test "$rc" -eq 1
check "and says which worker it left behind" \
	grep -q 'worker 0 did not stop within 5 s (blocked writing the detail file?)' \
	"$WORK/latchd.log"
kill "$RADCLIENT_PID" 2>/dev/null
wait "$RADCLIENT_PID" 2>/dev/null
exec 7>&-

# A start-up that hangs (the detail file a FIFO without a reader: open() waits) still stops
# on SIGTERM, as before latchd blocked its signals for the signal loop.
write_config
sed -i "s|detail = $WORK/detail|detail = $WORK/noreader.fifo|" "$WORK/raddb/latchd.conf"
mkfifo "$WORK/noreader.fifo"
: >"$WORK/latchd.log"
"$LATCHD" -X -d "$WORK/raddb" -D "$top_srcdir/dictionaries" >>"$WORK/latchd.log" 2>&1 &
LATCHD_PID=$!
for _ in $(seq 1 200); do # until it waits in open() on the FIFO
	find "/proc/$LATCHD_PID/task" -maxdepth 2 -name wchan -exec cat {} + 2>/dev/null |
		grep -q fifo && break
	sleep 0.02
done
kill -TERM "$LATCHD_PID"
for _ in $(seq 1 100); do kill -0 "$LATCHD_PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$LATCHD_PID" 2>/dev/null; then
	fail "SIGTERM stops a start-up that hangs: still running"
	kill -KILL "$LATCHD_PID"
else
	ok "SIGTERM stops a start-up that hangs"
fi
wait "$LATCHD_PID" 2>/dev/null
LATCHD_PID=

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
