# Helpers for interop tests with real EAP clients (eapol_test, hostapd + wpa_supplicant).
# Builds on tests/proto/lib.sh (latchd start/stop, ports, counters). Sourced by the tests.
. "$(dirname "$0")/../proto/lib.sh"

if ! command -v eapol_test >/dev/null 2>&1; then
	echo "eapol_test not found: install the Debian package eapoltest (./scripts/test does)"
	exit 77
fi

# write_eap_config ALG [extra lines for the tls section [extra lines for the eap section]]:
# a configuration with EAP-TLS enabled.
write_eap_config() {
	local alg=$1 extra=${2:-} eap_extra=${3:-}
	write_config "eap {
	$eap_extra
	tls {
		certificate_file = $PKI/$alg/server-chain.pem
		private_key_file = $PKI/$alg/server.key
		ca_file = $PKI/$alg/ca.pem
		crl_file = $PKI/$alg/crl-bundle.pem
		check_crl = leaf
		$extra
	}
}"
}

# eapol_conf NAME ALG CLIENT [extra network lines]: a wpa_supplicant network block.
eapol_conf() {
	local name=$1 alg=$2 client=$3 extra=${4:-}
	cat >"$WORK/$name.conf" <<CONF
network={
	key_mgmt=IEEE8021X
	eapol_flags=0
	eap=TLS
	identity="$client@example.test"
	ca_cert="$PKI/$alg/ca.pem"
	client_cert="$PKI/$alg/$client-chain.pem"
	private_key="$PKI/$alg/$client.key"
	$extra
}
CONF
	echo "$WORK/$name.conf"
}

# run_eapol NAME CONF [eapol_test args]: runs eapol_test, log in $WORK/NAME.log; returns its rc.
run_eapol() {
	local name=$1 conf=$2
	shift 2
	timeout 30 eapol_test -c "$conf" -a 127.0.0.1 -p "$AUTH_PORT" -s "$SECRET" -t 10 "$@" \
		>"$WORK/$name.log" 2>&1
}

# Number of RADIUS round trips (Access-Requests sent) in an eapol_test log.
round_trips() {
	grep -c 'RADIUS message: code=1 (Access-Request)' "$1"
}

# hexdump value of the first line matching $2 in log $1, without spaces.
hexof() { grep -m1 "$2" "$1" | sed 's/.*hexdump(len=[0-9]*)://' | tr -d ' '; }

# The MSK eapol_test derived equals MS-MPPE-Recv-Key || MS-MPPE-Send-Key from the Accept.
keys_match() {
	local log=$1 msk recv send
	msk=$(hexof "$log" 'Derived key - hexdump(len=64)')
	recv=$(hexof "$log" 'MS-MPPE-Recv-Key')
	send=$(hexof "$log" 'MS-MPPE-Send-Key')
	[ ${#msk} -eq 128 ] && [ "$msk" = "$recv$send" ]
}

# accepted NAME / rejected NAME: the outcome of run_eapol NAME (a reject carries no keys).
accepted() { grep -q '^SUCCESS$' "$WORK/$1.log" && grep -q 'code=2 (Access-Accept)' "$WORK/$1.log"; }
rejected() {
	! grep -q '^SUCCESS$' "$WORK/$1.log" && grep -q 'code=3 (Access-Reject)' "$WORK/$1.log" &&
		! grep -q 'MS-MPPE' "$WORK/$1.log"
}
