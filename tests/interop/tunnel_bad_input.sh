#!/usr/bin/env bash
# Hostile input inside EAP-TTLS and PEAPv0 tunnels against the real daemon, sent with
# tests/interop/tunnel_peer.py (TLS 1.2 through memory BIOs, in EAP, in RADIUS): malformed
# Diameter AVPs (length 0, past the end, a vendor AVP shorter than its header), an unknown
# mandatory AVP, 300 AVPs, an endless inner EAP Identity loop; in PEAP a wrong inner Type, a
# Nak to EAP-MSCHAPv2, junk instead of the Result TLV and endless inner Identities. Each must
# end in a Reject or silence, never an Accept, with its reason in the log, and latchd must stay
# up. Good and wrong inner PAP passwords are the controls that prove the tool itself works.
. "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "python3 not found"
	exit 77
fi
PEER="$top_srcdir/tests/interop/tunnel_peer.py"

make_pki
pick_ports

# ASan: keep freed memory's quarantine small (many short TLS sessions).
if grep -q __asan_init "$LATCHD" 2>/dev/null; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=16"
fi

MARK=0
mark() { MARK=$(wc -l <"$WORK/latchd.log"); }
logged() {
	for _ in $(seq 1 20); do
		tail -n +"$((MARK + 1))" "$WORK/latchd.log" | grep -q -- "$1" && return 0
		sleep 0.05
	done
	echo "  not in the log since the mark: $1"
	return 1
}
is() { [ "$1" = "$2" ] || { echo "  got: '$1', want: '$2'"; return 1; }; }
one_of() {
	[ "$1" = "$2" ] || [ "$1" = "$3" ] || { echo "  got: '$1', want: '$2' or '$3'"; return 1; }
}

# peer METHOD SCENARIO: runs the tool; sets OUT (its result) and RC (its exit status).
peer() {
	local out
	out=$(timeout 60 python3 "$PEER" --port "$AUTH_PORT" --secret "$SECRET" --method "$1" \
		--scenario "$2" --ca "$PKI/rsa/ca.pem" 2>>"$WORK/peer.err")
	RC=$?
	OUT=$(echo "$out" | sed -n 's/^result: //p')
	TRIPS=$(echo "$out" | sed -n 's/^round trips: //p')
	echo "$1 $2: result $OUT, $TRIPS round trips, exit $RC"
}

# hostile METHOD SCENARIO LOG-REASON: Reject or no answer, never Accept; reason; still up.
hostile() {
	mark
	peer "$1" "$2"
	check "$1 $2: the tool ran the scenario (exit 0)" is "$RC" 0
	check "$1 $2: Access-Reject or no answer" one_of "$OUT" reject none
	check "$1 $2: reason logged" logged "$3"
	check "$1 $2: latchd still running" kill -0 "$LATCHD_PID"
}

for method in ttls peap; do
	write_eap_config rsa "" "default_method = $method"
	printf '\ncarol\tCleartext-Password := "carolpass"\n' >>"$WORK/raddb/users"
	start_latchd
	if [ "$method" = ttls ]; then
		# Controls: the tool speaks TTLS well enough to get in, and a wrong password is
		# refused for that reason (so the hostile checks cannot pass by a broken tool).
		mark
		peer ttls good-pap
		check "ttls good-pap: exit 0" is "$RC" 0
		check "ttls good-pap: Access-Accept" is "$OUT" accept
		check "ttls good-pap: accepted as carol" \
			logged 'Access-Accept for EAP identity.*inner="carol"'
		mark
		peer ttls bad-pap
		check "ttls bad-pap: Access-Reject" is "$OUT" reject
		check "ttls bad-pap: reason logged" logged 'inner PAP: wrong password for carol'
		while read -r scenario reason; do
			hostile ttls "$scenario" "$reason"
		done <<'CASES'
avp-len-0 inner AVPs: length-zero
avp-past-end inner AVPs: length-exceeds-data
avp-nested-lie inner AVPs: vendor-too-short
unknown-mandatory unknown-mandatory: AVP 9999
many-avps inner AVPs: too-many
inner-eap-loop ttls: inner EAP: peer answered mschapv2 with type identity
CASES
	else
		# Control: a full inner EAP-MSCHAPv2 exchange up to a well-formed Result TLV.
		mark
		peer peap wrong-password
		check "peap wrong-password: Access-Reject" is "$OUT" reject
		check "peap wrong-password: reason logged" logged 'wrong password (MS-CHAPv2)'
		while read -r scenario reason; do
			hostile peap "$scenario" "$reason"
		done <<'CASES'
bad-inner-type inner EAP Type 99 where the Identity Response was due
inner-nak peer refused inner EAP-mschapv2 (Nak proposing type(s) 4)
junk-tlv truncated TLV in the peer's Extensions packet
too-many-rounds Access-Reject for EAP identity.*inner EAP Type 1 where 26
CASES
	fi
	check "$method: the only Accept is the control's" \
		test "$(counter access_accept)" -eq "$([ $method = ttls ] && echo 1 || echo 0)"
	stop_latchd
	check "$method: latchd exits cleanly on SIGTERM (status 0)" test $? -eq 0
	check "$method: no sanitizer report in the latchd log" \
		bash -c "! grep -E -q 'AddressSanitizer|LeakSanitizer|runtime error:' \
			'$WORK/latchd.log'"
	cp "$WORK/latchd.log" "$WORK/latchd-$method.log"
done
if [ -s "$WORK/peer.err" ] && [ "$FAILS" -ne 0 ]; then
	echo "--- tunnel_peer.py stderr ---"
	cat "$WORK/peer.err"
fi
finish
