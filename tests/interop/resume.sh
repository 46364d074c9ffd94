#!/usr/bin/env bash
# TLS session resumption for EAP-TLS with eapol_test -r 3 (three re-authentications with the
# same supplicant state): abbreviated handshakes, fewer round trips than the full one, and the
# MS-MPPE keys matching eapol_test's MSK every time; TLS 1.2 and TLS 1.3.
# (Resumption across two servers sharing a ticket key file, and a certificate revoked since
# the full handshake, are covered by tests/unit/test_tls_resume.c.)
. "$(dirname "$0")/lib.sh"
make_pki
pick_ports
head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$WORK/ticket.key"
chmod 600 "$WORK/ticket.key"
write_eap_config rsa "ticket_key_file = $WORK/ticket.key"
start_latchd

for v in 12 13; do
	ph='tls_disable_session_ticket=0'
	[ $v = 13 ] && ph="$ph tls_disable_tlsv1_3=0"
	run_eapol "r$v" "$(eapol_conf "r$v" rsa good "phase1=\"$ph\"")" -r 3
	log="$WORK/r$v.log"
	check "TLS 1.$((v - 10)): four authentications, keys match each time" \
		grep -q 'MPPE keys OK: 4  mismatch: 0' "$log"
	check "TLS 1.$((v - 10)): three abbreviated handshakes" \
		test "$(grep -c 'Handshake finished - resumed=1' "$log")" -ge 3
	total=$(round_trips "$log")
	echo "TLS 1.$((v - 10)): $total round trips for 1 full + 3 resumed authentications"
	# Full: 6 (RSA chain). Resumed: identity, ClientHello (the ticket holds no certificate,
	# so it fits one fragment), the client's Finished; TLS 1.3 adds the commitment's ACK.
	rt=3
	[ $v = 13 ] && rt=4
	check "TLS 1.$((v - 10)): resumed authentications take at most $rt round trips" \
		test "$total" -le $((6 + 3 * rt))
done
check "resumption logged" grep -q 'Access-Accept for EAP identity.*tls=1.[23] resumed subject=' "$WORK/latchd.log"
check "latchd survived" kill -0 "$LATCHD_PID"
finish
