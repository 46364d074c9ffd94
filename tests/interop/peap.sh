#!/usr/bin/env bash
# PEAPv0 with EAP-MSCHAPv2 against the real daemon with eapol_test: good and wrong passwords,
# unknown users, an NT-Password user, an anonymous outer identity (the Accept names the inner
# one), TLS 1.2 and 1.3, all 64 octets of the MSK compared with the MS-MPPE keys, and the
# number of round trips.
. "$(dirname "$0")/lib.sh"
make_pki
pick_ports

# NT-Password: MD4 of the UTF-16LE password (python3's hashlib may lack md4 on OpenSSL 3).
nt_hash() {
	python3 -c 'import hashlib, sys
print(hashlib.new("md4", sys.argv[1].encode("utf-16le")).hexdigest())' "$1" 2>/dev/null ||
		printf %s "$1" | iconv -t UTF-16LE |
		openssl dgst -md4 -provider legacy -provider default | sed 's/.*= *//'
}

# PEAP offered first saves the peer's Nak round trip.
write_eap_config rsa "" "default_method = peap"
cat >>"$WORK/raddb/users" <<USERS

ntuser	NT-Password := 0x$(nt_hash ntpass)
	Reply-Message = "NT user"

carol	Cleartext-Password := "wonderland"
	Tunnel-Type = VLAN,
	Tunnel-Medium-Type = IEEE-802,
	Tunnel-Private-Group-Id = "77"
USERS
start_latchd

# hexof, keys_match, accepted, rejected: tests/interop/lib.sh

# accept_names NAME: the newest Access-Accept that latchd sent carries User-Name = "NAME".
accept_names() {
	awk '/sending Access-Accept/ { block = ""; on = 1; next } /^[^\t]/ { on = 0 }
		on { block = block $0 "\n" } END { printf "%s", block }' "$WORK/latchd.log" |
		grep -q "User-Name = \"$1\""
}

# peap_conf NAME IDENTITY PASSWORD [extra network lines]: a PEAP-MSCHAPv2 network block.
peap_conf() {
	local name=$1 identity=$2 password=$3 extra=${4:-}
	cat >"$WORK/$name.conf" <<CONF
network={
	key_mgmt=IEEE8021X
	eapol_flags=0
	eap=PEAP
	identity="$identity"
	password="$password"
	ca_cert="$PKI/rsa/ca.pem"
	phase1="peapver=0"
	phase2="auth=MSCHAPV2"
	$extra
}
CONF
	echo "$WORK/$name.conf"
}

run_eapol good "$(peap_conf good bob hello)"
check "PEAP-MSCHAPv2 good password accepted" accepted good
check "all 64 octets of the MSK match the MS-MPPE keys" keys_match "$WORK/good.log"
check "the client saw the MS-CHAPv2 authenticator response as valid" \
	grep -q 'EAP-MSCHAPV2: Authentication succeeded' "$WORK/good.log"
check "the Result TLV said success" grep -q 'EAP-TLV: TLV Result - Success' "$WORK/good.log"
echo "round trips (RSA, PEAP-MSCHAPv2, TLS 1.2 default): $(round_trips "$WORK/good.log")"
check "round trips <= 8 (RSA chain)" test "$(round_trips "$WORK/good.log")" -le 8
check "users-file reply attributes for the inner user" \
	grep -q 'Reply-Message = "Hello, bob"' "$WORK/latchd.log"

run_eapol wrong "$(peap_conf wrong bob nothello)"
check "wrong password rejected with no keys" rejected wrong
check "wrong password: reason logged" grep -q 'peap: wrong password (MS-CHAPv2)' "$WORK/latchd.log"
check "the client got the MS-CHAPv2 failure (E=691)" grep -q 'E=691' "$WORK/wrong.log"

run_eapol unknown "$(peap_conf unknown mallory whatever)"
check "unknown user rejected with no keys" rejected unknown
check "unknown user: reason logged" grep -q 'peap: unknown user' "$WORK/latchd.log"

run_eapol blocked "$(peap_conf blocked blocked whatever)"
check "Auth-Type := Reject user rejected" rejected blocked

run_eapol nt "$(peap_conf nt ntuser ntpass)"
check "NT-Password user accepted" accepted nt
check "NT-Password user: MSK matches" keys_match "$WORK/nt.log"
check "NT-Password user: reply attribute" grep -q 'Reply-Message = "NT user"' "$WORK/latchd.log"

run_eapol anon "$(peap_conf anon carol wonderland 'anonymous_identity="anonymous@example.test"')"
check "anonymous outer identity: accepted" accepted anon
check "anonymous outer identity went out in the clear" \
	grep -q 'anonymous@example.test' "$WORK/anon.log"
check "the Accept's User-Name is the inner identity" accept_names carol
check "the inner user's VLAN is in the Accept" \
	grep -q 'Tunnel-Private-Group-Id.* = "77"' "$WORK/latchd.log"
run_eapol anonbob "$(peap_conf anonbob bob hello 'anonymous_identity="anonymous@example.test"')"
check "anonymous outer identity, inner bob: accepted" accepted anonbob
check "the Accept's User-Name is bob" accept_names bob

run_eapol tls12 "$(peap_conf tls12 bob hello \
	'phase1="peapver=0 tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_3=1"')"
check "TLS 1.2 forced: accepted" accepted tls12
check "TLS 1.2 was used" grep -q 'Using TLS version TLSv1.2' "$WORK/tls12.log"
check "TLS 1.2: MSK matches" keys_match "$WORK/tls12.log"

run_eapol tls13 "$(peap_conf tls13 bob hello 'phase1="peapver=0 tls_disable_tlsv1_3=0"')"
check "TLS 1.3: accepted" accepted tls13
check "TLS 1.3 was used" grep -q 'Using TLS version TLSv1.3' "$WORK/tls13.log"
check "TLS 1.3: MSK matches (RFC 9427 exporter)" keys_match "$WORK/tls13.log"
echo "round trips (RSA, PEAP-MSCHAPv2, TLS 1.3): $(round_trips "$WORK/tls13.log")"
run_eapol wrong13 "$(peap_conf wrong13 bob nothello 'phase1="peapver=0 tls_disable_tlsv1_3=0"')"
check "TLS 1.3: wrong password rejected" rejected wrong13

run_eapol frag "$(peap_conf frag bob hello 'fragment_size=300')"
check "client fragment_size=300: accepted" accepted frag
run_eapol mtu "$(peap_conf mtu bob hello)" -N 12:d:400
check "Framed-MTU 400 from the NAS: accepted" accepted mtu
check "Framed-MTU 400: MSK matches" keys_match "$WORK/mtu.log"

run_eapol reauth \
	"$(peap_conf reauth bob hello 'phase1="peapver=0 tls_disable_session_ticket=0"')" -r 2
check "three authentications in a row (-r 2, tickets offered): all accepted" \
	test "$(grep -c 'code=2 (Access-Accept)' "$WORK/reauth.log")" -eq 3
echo "round trips (3 PEAP authentications with -r 2): $(round_trips "$WORK/reauth.log")"

check "latchd survived" kill -0 "$LATCHD_PID"
stop_latchd

# With EAP-TLS as the default a PEAP peer Naks to PEAP and still gets in.
write_eap_config rsa
start_latchd
run_eapol nak "$(peap_conf nak bob hello)"
check "default tls: PEAP peer Naks and is accepted" accepted nak
echo "round trips (PEAP after a Nak): $(round_trips "$WORK/nak.log")"
stop_latchd

# Session resumption (tickets), eapol_test -r 2: one full and two resumed authentications,
# TLS 1.2 and 1.3. resume_skip_inner = no: EAP-MSCHAPv2 runs inside every time; = yes: a
# resumed TLS 1.3 session gets the Result TLV at once (the ticket, sent after the inner
# success, holds the inner identity); TLS 1.2 tickets are issued before the inner method,
# so TLS 1.2 runs it again (src/tls/tls.h "Tunnel tickets").
mark=0
since_mark() { tail -n +$((mark + 1)) "$WORK/latchd.log"; }
accepts_with() { test "$(since_mark | grep -c "Access-Accept for EAP identity.*$1")" -eq "$2"; }
for skip in no yes; do
	write_eap_config rsa "resume_skip_inner = $skip" "default_method = peap"
	start_latchd
	for v in 12 13; do
		n="res-$skip-$v"
		ph="peapver=0 tls_disable_session_ticket=0 tls_disable_tlsv1_3=$((v == 12))"
		mark=$(wc -l <"$WORK/latchd.log")
		run_eapol "$n" "$(peap_conf "$n" bob hello "anonymous_identity=\"anon@example.test\"
	phase1=\"$ph\"")" -r 2
		what="PEAP TLS 1.$((v - 10)) resume_skip_inner=$skip"
		check "$what: 3 authentications, keys OK" \
			grep -q 'MPPE keys OK: 3  mismatch: 0' "$WORK/$n.log"
		check "$what: 2 resumed" \
			test "$(grep -c 'Handshake finished - resumed=1' "$WORK/$n.log")" -eq 2
		check "$what: the Accept's User-Name is the inner identity" \
			test "$(since_mark | grep -c 'User-Name = "bob"')" -ge 3
		if [ $skip = yes ] && [ $v = 13 ]; then
			skipped='tls=1.3 resumed cert=(none) inner=resumed identity="bob"'
			check "$what: inner method skipped when resumed" accepts_with "$skipped" 2
			check "$what: inner method ran in the full one" \
				accepts_with "inner=mschapv2" 1
		else
			check "$what: inner method ran every time" \
				accepts_with "inner=mschapv2" 3
			check "$what: ... twice in a resumed session" \
				accepts_with "resumed.*inner=mschapv2" 2
		fi
		echo "$what: $(round_trips "$WORK/$n.log") round trips for 3 authentications"
	done
	[ $skip = yes ] || stop_latchd
done
check "PEAP TLS 1.3: skipping the inner method saves round trips" \
	test "$(round_trips "$WORK/res-yes-13.log")" -lt "$(round_trips "$WORK/res-no-13.log")"
# A user deleted or set to Auth-Type := Reject since the full handshake is not resumed in:
# tests/unit/test_tunnel_resume.c (eapol_test keeps its tickets only within one process).
check "latchd survived" kill -0 "$LATCHD_PID"
stop_latchd
finish
