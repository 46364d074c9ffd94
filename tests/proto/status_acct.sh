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

# The detail file reaches a file size limit (ulimit -f; LimitFSIZE= under systemd): the
# record that does not fit is not answered (the NAS retries), the reason is logged, and the
# server lives on (SIGXFSZ would otherwise kill it).
stop_latchd
: >"$WORK/detail"
LATCHD_FSIZE_KB=1 start_latchd
for i in $(seq 1 12); do # ~200 octets per record: 1 KiB is full within 12
	out=$(rc "Acct-Status-Type = Interim-Update, Acct-Session-Id = \"fill-$i\", User-Name = bob" acct "$ACCT_PORT")
	grep -q 'Received Accounting-Response' <<<"$out" || break
done
check "a record past the file size limit gets no answer" bash -c "! grep -q 'Received Accounting-Response' <<<'$out'"
check "the server lives on" kill -0 "$LATCHD_PID"
check "the refusal is logged with its reason" \
	grep -q 'cannot write the accounting record to .*: File too large' "$WORK/latchd.log"
check "a record cut short by the limit says so" grep -q 'the record was cut short' "$WORK/latchd.log"
check "refusals counted" test "$(counter accounting_failed)" -ge 1
out=$(rc "Message-Authenticator = 0x00" status "$ACCT_PORT")
check "Status-Server is still answered" grep -q 'Received Accounting-Response' <<<"$out"
# Room again (the limit lifted): the next record is answered and starts on a line of its own
# after the cut one's fragment, not glued to it.
prlimit --pid "$LATCHD_PID" --fsize=unlimited: # the soft limit, up to the hard one
out=$(rc "Acct-Status-Type = Interim-Update, Acct-Session-Id = \"after-room\", User-Name = bob" acct "$ACCT_PORT")
check "with room again, the next record is answered" \
	grep -q 'Received Accounting-Response' <<<"$out"
check "and starts after a blank line, clear of the cut record's fragment" python3 -c '
import re, sys
text = open(sys.argv[1], errors="replace").read()
at = text.find("Acct-Session-Id = \"after-room\"")
dates = [m.start() for m in re.finditer(r"[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]{8} [0-9]{4} UTC", text[:at])]
sys.exit(0 if at > 0 and dates and text[dates[-1] - 2:dates[-1]] == "\n\n" else 1)
' "$WORK/detail"
finish
