#!/usr/bin/env bash
# EAP-TLS against the real daemon with eapol_test (wpa_supplicant's test client): good and bad
# client certificates, TLS 1.2 and 1.3, fragmentation, ECDSA, EAP-Key-Name, server checks by
# the client, and all 64 octets of the MSK compared with the MS-MPPE keys latchd sent.
. "$(dirname "$0")/lib.sh"
make_pki
pick_ports
write_eap_config rsa
start_latchd

run_eapol good "$(eapol_conf good rsa good)"
check "good RSA certificate accepted (default TLS)" accepted good
check "all 64 octets of the MSK match the MS-MPPE keys" keys_match "$WORK/good.log"
echo "round trips (RSA, TLS 1.2 default): $(round_trips "$WORK/good.log")"
check "decision logged with the certificate" grep -q 'Access-Accept for EAP identity "good@example.test".*subject="CN=alice@example.test' "$WORK/latchd.log"

run_eapol tls12 "$(eapol_conf tls12 rsa good 'phase1="tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_3=1"')"
check "TLS 1.2 forced: accepted" accepted tls12
check "TLS 1.2: MSK matches" keys_match "$WORK/tls12.log"
check "TLS 1.2 was used" grep -q 'Using TLS version TLSv1.2' "$WORK/tls12.log"

run_eapol tls13 "$(eapol_conf tls13 rsa good 'phase1="tls_disable_tlsv1_3=0"')"
check "TLS 1.3: accepted" accepted tls13
check "TLS 1.3 was used" grep -q 'Using TLS version TLSv1.3' "$WORK/tls13.log"
check "TLS 1.3: MSK matches (RFC 9190 exporter)" keys_match "$WORK/tls13.log"
echo "round trips (RSA, TLS 1.3): $(round_trips "$WORK/tls13.log")"

run_eapol frag "$(eapol_conf frag rsa good 'fragment_size=500')"
check "client fragment_size=500: accepted" accepted frag
check "fragmented: MSK matches" keys_match "$WORK/frag.log"

run_eapol mtu "$(eapol_conf mtu rsa good)" -N 12:d:600
check "Framed-MTU 600 from the NAS: accepted" accepted mtu
check "Framed-MTU 600: every Access-Challenge fits" \
	bash -c "! grep -E 'code=11 \(Access-Challenge\) identifier=[0-9]+ length=([7-9][0-9]{2}|[0-9]{4})' '$WORK/mtu.log'"

run_eapol keyname "$(eapol_conf keyname rsa good)" -e
check "-e: accepted" accepted keyname
sid=$(hexof "$WORK/keyname.log" 'EAP: Session-Id - hexdump')
check "Session-Id is 0x0d followed by 64 octets" bash -c "[ \${#1} -eq 130 ] && [ \${1:0:2} = 0d ]" _ "$sid"
check "EAP-Key-Name from latchd (67-octet attribute) equals the Session-Id" \
	grep -q 'Locally derived EAP Session-Id matches EAP-Key-Name from server' "$WORK/keyname.log"
check "EAP-Key-Name attribute present in the Accept" grep -q 'Attribute 102 (EAP-Key-Name) length=67' "$WORK/keyname.log"
run_eapol nokeyname "$(eapol_conf nokeyname rsa good)"
check "without -e no EAP-Key-Name is sent" grep -q 'No EAP-Key-Name received from server' "$WORK/nokeyname.log"

run_eapol domain "$(eapol_conf domain rsa good 'domain_match="radius.example.test"')"
check "client checks the server (ca_cert + domain_match): accepted" accepted domain
run_eapol wrongdomain "$(eapol_conf wrongdomain rsa good 'domain_match="other.example.test"')"
check "client expecting another server name refuses" \
	bash -c "! grep -q '^SUCCESS$' '$WORK/wrongdomain.log' && grep -q 'Domain mismatch\|CTRL-EVENT-EAP-TLS-CERT-ERROR\|certificate verify failed' '$WORK/wrongdomain.log'"

for bad in expired revoked unknown noclientauth; do
	run_eapol "$bad" "$(eapol_conf "$bad" rsa "$bad")"
	check "$bad certificate rejected with no keys" rejected "$bad"
done
check "expired: reason logged" grep -q 'identity "expired@example.test".*expired' "$WORK/latchd.log"
check "revoked: reason logged" grep -q 'identity "revoked@example.test".*revoked' "$WORK/latchd.log"
check "revoked: the reject line names the TLS version" \
	grep -q 'identity "revoked@example.test".*tls=1\.[23] ' "$WORK/latchd.log"
check "unknown CA: reason logged" grep -qi 'identity "unknown@example.test".*unknown CA\|identity "unknown@example.test".*issuer' "$WORK/latchd.log"
check "no clientAuth EKU: reason logged" grep -qi 'identity "noclientauth@example.test".*EKU' "$WORK/latchd.log"
check "the alert reached the client before the Failure" grep -q 'TLS: Failed\|SSL3 alert\|alert' "$WORK/revoked.log"
check "latchd survived" kill -0 "$LATCHD_PID"
stop_latchd

# user_name = cert_cn: the Accept's User-Name (and the users-file lookup) use the certificate.
write_eap_config rsa "" "user_name = cert_cn"
printf 'alice@example.test\tAuth-Type := Accept\n\tTunnel-Type = VLAN,\n\tTunnel-Medium-Type = IEEE-802,\n\tTunnel-Private-Group-Id = "42"\n' >>"$WORK/raddb/users"
start_latchd
run_eapol cn "$(eapol_conf cn rsa good)"
check "user_name = cert_cn: accepted" accepted cn
check "User-Name in the Accept is the certificate CN" grep -q 'User-Name = "alice@example.test"' "$WORK/latchd.log"
check "users-file VLAN for the certificate's name" grep -q 'Tunnel-Private-Group-Id.* = "42"' "$WORK/latchd.log"
stop_latchd

# ECDSA PKI.
write_eap_config ecdsa
start_latchd
run_eapol ec "$(eapol_conf ec ecdsa good)"
check "ECDSA: accepted" accepted ec
check "ECDSA: MSK matches" keys_match "$WORK/ec.log"
echo "round trips (ECDSA, TLS 1.2 default): $(round_trips "$WORK/ec.log")"
run_eapol ec13 "$(eapol_conf ec13 ecdsa good 'phase1="tls_disable_tlsv1_3=0"')"
check "ECDSA TLS 1.3: accepted" accepted ec13
check "ECDSA TLS 1.3: MSK matches" keys_match "$WORK/ec13.log"
run_eapol ecrev "$(eapol_conf ecrev ecdsa revoked)"
check "ECDSA revoked: rejected" rejected ecrev
echo "round trips (ECDSA, TLS 1.3, CA names sent): $(round_trips "$WORK/ec13.log")"
stop_latchd

# send_ca_names = no: the TLS 1.3 first flight fits one fragment with ECDSA.
write_eap_config ecdsa "send_ca_names = no"
start_latchd
run_eapol ec13n "$(eapol_conf ec13n ecdsa good 'phase1="tls_disable_tlsv1_3=0"')"
check "ECDSA TLS 1.3, send_ca_names = no: accepted" accepted ec13n
check "ECDSA TLS 1.3, send_ca_names = no: 4 round trips" test "$(round_trips "$WORK/ec13n.log")" -eq 4
run_eapol ec12n "$(eapol_conf ec12n ecdsa good)"
check "ECDSA TLS 1.2, send_ca_names = no: 4 round trips" test "$(round_trips "$WORK/ec12n.log")" -eq 4
finish
