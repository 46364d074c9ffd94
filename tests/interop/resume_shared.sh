#!/usr/bin/env bash
# EAP-TLS session resumption across two latchd servers, with eapol_test -r 1 behind a UDP
# switch (udp_switch.py) that sends the first authentication to server A and, once A's
# Access-Accept has gone back, everything after it to server B:
#  1. A and B share a ticket key file: B resumes A's session (TLS 1.2 and 1.3), keys match;
#  2. B has another key file: a full handshake on B, which still succeeds;
#  3. B has the same key file but a CRL that revokes the client certificate since the full
#     handshake: no resumption, an Access-Reject for the revoked certificate, no MS-MPPE keys.
# shellcheck disable=SC2317 # cleanup_all and handshakes are called indirectly (trap, check)
. "$(dirname "$0")/lib.sh"

if ! command -v python3 >/dev/null 2>&1; then
	echo "python3 not found (needed for tests/interop/udp_switch.py)"
	exit 77
fi
SWITCH="$top_srcdir/tests/interop/udp_switch.py"
SERVER_PIDS=()
SWITCH_PID=

# Stop every latchd and the switch we started, by PID, then the lib's cleanup.
cleanup_all() {
	local pid
	for pid in "${SERVER_PIDS[@]}" $SWITCH_PID; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		fi
	done
	cleanup
}
trap cleanup_all EXIT

make_pki
R="$PKI/rsa"
newkey() { # newkey FILE: a ticket key file (64 hex digits)
	(umask 077 && head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$1")
}
newkey "$WORK/key1"
newkey "$WORK/key2"

# A CRL of the intermediate that also revokes "good", made from a private copy of the lab
# CA database (the shared PKI is not touched), bundled with the root's CRL.
mkdir -p "$WORK/cadb"
cp -r "$R/db/root" "$R/db/int" "$WORK/cadb/"
sed -e "s#^dir = .*/db/root\$#dir = $WORK/cadb/root#" \
	-e "s#^dir = .*/db/int\$#dir = $WORK/cadb/int#" "$R/db/openssl.cnf" >"$WORK/cadb/openssl.cnf"
if ! (export OPENSSL_CONF=/dev/null
	openssl ca -batch -config "$WORK/cadb/openssl.cnf" -name int_ca -revoke "$R/good.pem" &&
	openssl ca -batch -config "$WORK/cadb/openssl.cnf" -name int_ca -gencrl \
		-out "$WORK/crl-good-revoked.pem") >"$WORK/ca.log" 2>&1; then
	cat "$WORK/ca.log"
	exit 99
fi
cat "$R/db/root-crl.pem" "$WORK/crl-good-revoked.pem" >"$WORK/crl-bundle-revoked.pem"
if ! openssl verify -CAfile "$R/ca.pem" -untrusted "$R/intermediate.pem" -crl_check \
	-CRLfile "$WORK/crl-good-revoked.pem" "$R/good.pem" 2>&1 | grep -q 'error 23 at' ||
	cmp -s "$R/db/int/index.txt" "$WORK/cadb/int/index.txt"; then
	echo "the new CRL does not revoke good.pem, or the shared CA database changed"
	exit 99
fi

# start_server NAME KEYFILE CRLFILE: a latchd with EAP-TLS in $WORK/NAME on fresh ports,
# logging to $WORK/NAME.log; sets PORT_NAME and PID_NAME (also kept in SERVER_PIDS).
start_server() {
	local name=$1 key=$2 crl=$3 pid
	pick_ports
	write_config "eap {
	tls {
		certificate_file = $R/server-chain.pem
		private_key_file = $R/server.key
		ca_file = $R/ca.pem
		crl_file = $crl
		check_crl = leaf
		ticket_key_file = $key
	}
}"
	sed -i "s#^\tdetail = .*#\tdetail = $WORK/detail-$name#" "$WORK/raddb/latchd.conf"
	mv "$WORK/raddb" "$WORK/$name"
	: >"$WORK/$name.log"
	"$LATCHD" -X -d "$WORK/$name" -D "$top_srcdir/dictionaries" >>"$WORK/$name.log" 2>&1 &
	pid=$!
	SERVER_PIDS+=("$pid")
	printf -v "PORT_$name" '%s' "$AUTH_PORT"
	printf -v "PID_$name" '%s' "$pid"
	for _ in $(seq 1 200); do
		if grep -q 'ready:' "$WORK/$name.log"; then return 0; fi
		if ! kill -0 "$pid" 2>/dev/null; then break; fi
		sleep 0.05
	done
	echo "latchd $name did not start; its log:"
	cat "$WORK/$name.log"
	exit 99
}

start_server A "$WORK/key1" "$R/crl-bundle.pem"
start_server Bsame "$WORK/key1" "$R/crl-bundle.pem"
start_server Bother "$WORK/key2" "$R/crl-bundle.pem"
start_server Brevoked "$WORK/key1" "$WORK/crl-bundle-revoked.pem"
pick_ports
SWITCH_PORT=$AUTH_PORT

lines() { wc -l <"$1"; }
since() { tail -n "+$(($2 + 1))" "$1"; } # since FILE MARK: the lines after MARK
count() { grep -c -- "$1" || true; }     # count PATTERN: matching lines of stdin

# scenario NAME VERSION B: eapol_test -r 1 through a fresh switch to A then server B; leaves
# $WORK/NAME.log (eapol_test; NAME.1 and NAME.2 its first and second authentication),
# $WORK/NAME.sw (switch), $WORK/NAME.A and $WORK/NAME.B (the servers' log lines written
# meanwhile) and EAPOL_RC.
scenario() {
	local name=$1 v=$2 b=$3 ma mb bport ph='tls_disable_session_ticket=0'
	local -n bport_ref="PORT_$b"
	bport=$bport_ref
	[ "$v" = 13 ] && ph="$ph tls_disable_tlsv1_3=0" || ph="$ph tls_disable_tlsv1_3=1"
	ma=$(lines "$WORK/A.log")
	mb=$(lines "$WORK/$b.log")
	python3 "$SWITCH" "$SWITCH_PORT" "$PORT_A" "$bport" 60 >"$WORK/$name.sw" 2>&1 &
	SWITCH_PID=$!
	for _ in $(seq 1 100); do
		grep -q '^ready' "$WORK/$name.sw" && break
		sleep 0.05
	done
	EAPOL_RC=0
	AUTH_PORT=$SWITCH_PORT run_eapol "$name" "$(eapol_conf "$name" rsa good "phase1=\"$ph\"")" \
		-r 1 || EAPOL_RC=$?
	sleep 0.2 # the servers' last log lines
	kill -TERM "$SWITCH_PID" 2>/dev/null
	wait "$SWITCH_PID" 2>/dev/null
	SWITCH_PID=
	since "$WORK/A.log" "$ma" >"$WORK/$name.A"
	since "$WORK/$b.log" "$mb" >"$WORK/$name.B"
	awk -v f1="$WORK/$name.1" -v f2="$WORK/$name.2" \
		'/Triggering EAP reauthentication/ { n++ } { print > (n ? f2 : f1) }' "$WORK/$name.log"
	touch "$WORK/$name.2"
	echo "--- $name: eapol_test rc=$EAPOL_RC, $(grep '^summary' "$WORK/$name.sw")," \
		"$(round_trips "$WORK/$name.log") round trips"
}

# handshakes FILE RESUMED: the eapol_test log part FILE has finished TLS handshakes, all with
# resumed=RESUMED (with TLS 1.3 each is logged twice).
handshakes() {
	local all want
	all=$(count 'Handshake finished - resumed=' <"$1")
	want=$(count "Handshake finished - resumed=$2" <"$1")
	test "$want" -ge 1 && test "$want" = "$all"
}

# mppe_in FILE CODE: how many MS-MPPE key attributes the replies with CODE (Access-Accept,
# Access-Reject) in a latchd -X log carry ("sending CODE, N octets" then tab-indented lines).
mppe_in() {
	awk -v code="$2" '/: sending Access-/ { on = index($0, "sending " code ",") > 0; next }
		/^\t/ { if (on && /^\tMS-MPPE-(Recv|Send)-Key = /) n++; next }
		{ on = 0 } END { print n + 0 }' "$1"
}

ID='EAP identity "good@example.test"'
SUBJECT='subject="CN=alice@example.test,'

# Checks common to every scenario: the switch handed over after A's Accept, and A did the
# first authentication as one full handshake with the version asked for, keys included.
check_first() {
	local name=$1 v=$2 t="TLS 1.$(($2 - 10))"
	check "$name: the switch sent the first authentication to A, the second to B" \
		grep -Eq '^summary: to_a=[1-9][0-9]* to_b=[1-9][0-9]* .* switched=yes$' "$WORK/$name.sw"
	check "$name: eapol_test re-authenticated once" \
		test "$(count 'Triggering EAP reauthentication' <"$WORK/$name.log")" = 1
	check "$name: A accepted one full $t handshake" \
		test "$(count "Access-Accept for $ID.* tls=1\.$((v - 10)) $SUBJECT" <"$WORK/$name.A")" = 1
	check "$name: A rejected nothing, resumed nothing" \
		test "$(grep -Ec 'Access-Reject for| resumed subject=' "$WORK/$name.A")" = 0
	check "$name: A's Accept carried the MS-MPPE keys" \
		test "$(mppe_in "$WORK/$name.A" Access-Accept)" = 2
	check "$name: the first authentication was a full handshake (supplicant)" \
		handshakes "$WORK/$name.1" 0
	check "$name: the first authentication got MS-MPPE keys (supplicant)" \
		grep -q 'MS-MPPE-Recv-Key (crypt)' "$WORK/$name.1"
}

for v in 12 13; do
	t="TLS 1.$((v - 10))"
	# 1. shared ticket key file: B resumes A's session.
	n="shared$v"
	scenario "$n" "$v" Bsame
	check_first "$n" "$v"
	check "$n: eapol_test succeeded" test "$EAPOL_RC" = 0
	check "$n: two authentications, keys match each time" \
		grep -q 'MPPE keys OK: 2  mismatch: 0' "$WORK/$n.log"
	check "$n: the second authentication was resumed (supplicant)" handshakes "$WORK/$n.2" 1
	check "$n: B accepted it as a resumed $t session" \
		test "$(count "Access-Accept for $ID.* tls=1\.$((v - 10)) resumed $SUBJECT" \
			<"$WORK/$n.B")" = 1
	check "$n: B's Accept carried the MS-MPPE keys" \
		test "$(mppe_in "$WORK/$n.B" Access-Accept)" = 2

	# 2. another key file on B: a full handshake there, which succeeds.
	n="other$v"
	scenario "$n" "$v" Bother
	check_first "$n" "$v"
	check "$n: eapol_test succeeded" test "$EAPOL_RC" = 0
	check "$n: two authentications, keys match each time" \
		grep -q 'MPPE keys OK: 2  mismatch: 0' "$WORK/$n.log"
	check "$n: the second authentication was a full handshake (supplicant)" \
		handshakes "$WORK/$n.2" 0
	check "$n: B accepted a full $t handshake, saying why it did not resume" \
		test "$(count "Access-Accept for $ID.* tls=1\.$((v - 10)) resume_refused=\"[^\"]*\" $SUBJECT" \
			<"$WORK/$n.B")" = 1
	check "$n: B resumed nothing" test "$(count ' resumed subject=' <"$WORK/$n.B")" = 0
	sed -n 's/.*\(resume_refused="[^"]*"\).*/B: \1/p' "$WORK/$n.B" | head -n 1

	# 3. same key file, but B's CRL revokes the certificate: no resumption, a reject.
	n="revoked$v"
	scenario "$n" "$v" Brevoked
	check_first "$n" "$v"
	check "$n: eapol_test failed" test "$EAPOL_RC" != 0
	check "$n: keys for the first authentication only" \
		grep -q 'MPPE keys OK: 1  mismatch: 1' "$WORK/$n.log"
	# (with TLS 1.3 the client's side of the full handshake finishes before the server
	# has checked its certificate: resumed=0 then an alert)
	check "$n: the second authentication was not resumed (supplicant)" \
		test "$(count 'Handshake finished - resumed=1' <"$WORK/$n.2")" = 0
	check "$n: the supplicant got the certificate revoked alert" \
		grep -q 'remote TLS alert (param=certificate revoked)' "$WORK/$n.2"
	check "$n: the supplicant got an Access-Reject and EAP-Failure, no MS-MPPE keys" \
		eval "grep -q 'RADIUS message: code=3 (Access-Reject)' '$WORK/$n.2' &&
			grep -q 'EAP: Received EAP-Failure' '$WORK/$n.2' &&
			! grep -q 'MS-MPPE-' '$WORK/$n.2'"
	check "$n: B rejected the revoked certificate" \
		grep -q "Access-Reject for $ID.*: tls: client certificate revoked at .*$SUBJECT" \
		"$WORK/$n.B"
	check "$n: B accepted nothing, resumed nothing" \
		test "$(grep -Ec 'Access-Accept| resumed subject=' "$WORK/$n.B")" = 0
	sed -n 's/.*\(resume_refused="[^"]*"\).*/B: \1/p' "$WORK/$n.B" | head -n 1
	check "$n: B logged that it refused the ticket because of the revocation" \
		grep -q 'Access-Reject for .*resume_refused="[^"]*revoked' "$WORK/$n.B"
	check "$n: B's Access-Reject carries no MS-MPPE keys" \
		eval "grep -q 'sending Access-Reject' '$WORK/$n.B' &&
			test \"\$(grep -c 'MS-MPPE' '$WORK/$n.B')\" = 0"
done

# Stop every server by PID: each must still run, exit with status 0 and (ASan/UBSan builds)
# report nothing.
for s in A Bsame Bother Brevoked; do
	pid_var="PID_$s"
	pid=${!pid_var}
	check "latchd $s survived" kill -0 "$pid"
	kill -TERM "$pid" 2>/dev/null
	st=0
	wait "$pid" || st=$?
	check "latchd $s exits cleanly (status 0)" test "$st" = 0
	check "latchd $s: no sanitizer report" \
		eval "! grep -E -q 'AddressSanitizer|LeakSanitizer|runtime error:' '$WORK/$s.log'"
done
if [ "$FAILS" -ne 0 ]; then
	for s in Bsame Bother Brevoked; do
		echo "--- latchd $s log (last 30 lines) ---"
		tail -n 30 "$WORK/$s.log"
	done
fi
cp "$WORK/A.log" "$WORK/latchd.log" # what finish shows on failure
finish
