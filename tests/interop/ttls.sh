#!/usr/bin/env bash
# EAP-TTLS (RFC 5281, RFC 9427) against the real daemon with eapol_test: inner PAP, CHAP,
# MS-CHAP and MS-CHAPv2, good and bad passwords, TLS 1.2 and 1.3, an anonymous outer
# identity, an NT-Password user, and the MSK compared in full with the MS-MPPE keys.
. "$(dirname "$0")/lib.sh"
make_pki
pick_ports
write_eap_config rsa "" "default_method = ttls"
nthash=$(printf 'ntpass' | iconv -f utf-8 -t utf-16le | openssl dgst -md4 -provider legacy \
	-provider default -r | cut -d' ' -f1)
cat >>"$WORK/raddb/users" <<USERS

carol	Cleartext-Password := "carolpass"
	Tunnel-Type = VLAN,
	Tunnel-Medium-Type = IEEE-802,
	Tunnel-Private-Group-Id = "30"

dave	NT-Password := $nthash
USERS
start_latchd

# hexof, keys_match, accepted, rejected: tests/interop/lib.sh

# ttls_conf NAME USER PASSWORD PHASE2 [extra]
ttls_conf() {
	cat >"$WORK/$1.conf" <<CONF
network={
	key_mgmt=IEEE8021X
	eapol_flags=0
	eap=TTLS
	identity="$2"
	anonymous_identity="anonymous@example.test"
	password="$3"
	ca_cert="$PKI/rsa/ca.pem"
	phase2="$4"
	${5:-}
}
CONF
	echo "$WORK/$1.conf"
}

for inner in PAP CHAP MSCHAP MSCHAPV2; do
	n=$(echo "$inner" | tr 'A-Z' 'a-z')
	run_eapol "$n" "$(ttls_conf "$n" carol carolpass "auth=$inner")"
	check "TTLS-$inner: good password accepted" accepted "$n"
	check "TTLS-$inner: MSK matches the MS-MPPE keys" keys_match "$WORK/$n.log"
	run_eapol "$n-bad" "$(ttls_conf "$n-bad" carol wrongpass "auth=$inner")"
	check "TTLS-$inner: wrong password rejected" rejected "$n-bad"
	for v in 13; do
		run_eapol "$n-13" "$(ttls_conf "$n-13" carol carolpass "auth=$inner" 'phase1="tls_disable_tlsv1_3=0"')"
		check "TTLS-$inner over TLS 1.3: accepted" accepted "$n-13"
		check "TTLS-$inner over TLS 1.3: TLS 1.3 used" grep -q 'Using TLS version TLSv1.3' "$WORK/$n-13.log"
		check "TTLS-$inner over TLS 1.3: MSK matches" keys_match "$WORK/$n-13.log"
		run_eapol "$n-13-bad" "$(ttls_conf "$n-13-bad" carol wrongpass "auth=$inner" 'phase1="tls_disable_tlsv1_3=0"')"
		check "TTLS-$inner over TLS 1.3: wrong password rejected" rejected "$n-13-bad"
	done
done
# Inner EAP: EAP-MSCHAPv2 in EAP-Message AVPs (RFC 5281 11.2.1).
for v in 12 13; do
	ph=""
	[ $v = 13 ] && ph='phase1="tls_disable_tlsv1_3=0"'
	run_eapol "eap$v" "$(ttls_conf "eap$v" carol carolpass "autheap=MSCHAPV2" "$ph")"
	check "TTLS-EAP-MSCHAPv2 (TLS 1.$((v - 10))): accepted" accepted "eap$v"
	check "TTLS-EAP-MSCHAPv2 (TLS 1.$((v - 10))): MSK matches" keys_match "$WORK/eap$v.log"
	run_eapol "eap$v-bad" "$(ttls_conf "eap$v-bad" carol wrongpass "autheap=MSCHAPV2" "$ph")"
	check "TTLS-EAP-MSCHAPv2 (TLS 1.$((v - 10))): wrong password rejected" rejected "eap$v-bad"
done
check "TTLS-EAP-MSCHAPv2: wrong password reason logged" \
	grep -q 'inner EAP: mschapv2: wrong password' "$WORK/latchd.log"
echo "round trips (TTLS-PAP, RSA chain, TLS 1.2): $(round_trips "$WORK/pap.log")"
check "TTLS-PAP in at most 5 round trips" test "$(round_trips "$WORK/pap.log")" -le 5
check "wrong password: reason logged" grep -q 'inner PAP: wrong password for carol' "$WORK/latchd.log"
check "anonymous outer identity; the Accept's User-Name is the inner one" \
	grep -q 'User-Name = "carol"' "$WORK/latchd.log"
check "users-file VLAN of the inner user" grep -q 'Tunnel-Private-Group-Id.* = "30"' "$WORK/latchd.log"
check "outer identity was anonymous" grep -q 'Access-Accept for EAP identity "anonymous@example.test".*inner="carol"' "$WORK/latchd.log"

run_eapol nt "$(ttls_conf nt dave ntpass auth=MSCHAPV2)"
check "NT-Password user: TTLS-MSCHAPv2 accepted" accepted nt
run_eapol ntpap "$(ttls_conf ntpap dave ntpass auth=PAP)"
check "NT-Password user: TTLS-PAP accepted (hash of the given password)" accepted ntpap
run_eapol unknown "$(ttls_conf unknown nobody x auth=PAP)"
check "unknown inner user rejected" rejected unknown
check "unknown inner user: reason logged" grep -q 'unknown user nobody' "$WORK/latchd.log"
check "latchd survived" kill -0 "$LATCHD_PID"
stop_latchd

# Session resumption (tickets) for TTLS, eapol_test -r 2: three authentications in a row.
# TTLS peers skip the inner method on a resumed session (RFC 5281 lets the server skip it;
# wpa_supplicant then sends no credentials), so a TTLS session resumes only from a TLS 1.3
# ticket sent after the inner method succeeded, holding the inner identity, and only with
# resume_skip_inner = yes. Otherwise (= no, or TLS 1.2, whose ticket is issued before the
# inner method) every authentication is a full handshake and runs the inner method.
mark=0
since_mark() { tail -n +$((mark + 1)) "$WORK/latchd.log"; }
accepts_with() { test "$(since_mark | grep -c "Access-Accept for EAP identity.*$1")" -eq "$2"; }
resumed_count() { test "$(grep -c 'Handshake finished - resumed=1' "$WORK/$1.log")" -eq "$2"; }
for skip in no yes; do
	write_eap_config rsa "resume_skip_inner = $skip" "default_method = ttls"
	printf '\ncarol\tCleartext-Password := "carolpass"\n' >>"$WORK/raddb/users"
	start_latchd
	for v in 12 13; do
		for ph2 in auth=PAP auth=MSCHAPV2 autheap=MSCHAPV2; do
			m=$(echo "${ph2#*=}" | tr 'A-Z' 'a-z')
			[ "${ph2%%=*}" = autheap ] && m=eap
			n="res-$skip-$v-$m"
			ph="tls_disable_session_ticket=0 tls_disable_tlsv1_3=$((v == 12))"
			mark=$(wc -l <"$WORK/latchd.log")
			conf=$(ttls_conf "$n" carol carolpass "$ph2" "phase1=\"$ph\"")
			run_eapol "$n" "$conf" -r 2
			what="TTLS $ph2 TLS 1.$((v - 10)) resume_skip_inner=$skip"
			check "$what: 3 authentications, keys OK" \
				grep -q 'MPPE keys OK: 3  mismatch: 0' "$WORK/$n.log"
			if [ $skip = yes ] && [ $v = 13 ]; then
				check "$what: 2 resumed" resumed_count "$n" 2
				skipped='inner="carol" inner_method=resumed tls=1.3 resumed'
				check "$what: inner method skipped when resumed" \
					accepts_with "$skipped" 2
				check "$what: inner method ran in the full one" \
					accepts_with "inner_method=$m" 1
				check "$what: the Accept's User-Name is the inner identity" \
					test "$(since_mark | grep -c 'User-Name = "carol"')" -ge 3
			else
				check "$what: no resumption without the inner identity" \
					resumed_count "$n" 0
				check "$what: inner method ran every time" \
					accepts_with "inner_method=$m" 3
			fi
			echo "$what: $(round_trips "$WORK/$n.log") round trips, 3 authentications"
		done
	done
	[ $skip = yes ] || stop_latchd
done
for m in pap mschapv2 eap; do
	yes=$(round_trips "$WORK/res-yes-13-$m.log")
	no=$(round_trips "$WORK/res-no-13-$m.log")
	check "TTLS TLS 1.3 $m: skipping the inner method saves round trips ($yes < $no)" \
		test "$yes" -lt "$no"
done
# A user deleted or set to Auth-Type := Reject since the full handshake is not resumed in:
# tests/unit/test_tunnel_resume.c (eapol_test keeps its tickets only within one process).
check "latchd survived" kill -0 "$LATCHD_PID"
stop_latchd
finish
