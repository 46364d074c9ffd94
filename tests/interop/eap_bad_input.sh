#!/usr/bin/env bash
# Hostile input on latchd's EAP path, sent with tests/proto/eapsend: malformed EAP packets,
# EAP-TLS framing abuse (16 MiB L, endless M, data beyond L), made-up and finished States,
# EAP without Message-Authenticator, and a flood of EAP starts after which a real user
# (eapol_test, good certificate) must still get in. latchd must stay up, answer nothing with
# an Accept, and keep its memory (VmRSS) bounded by the session table cap.
. "$(dirname "$0")/lib.sh"
EAPSEND="$top_builddir/tests/proto/eapsend"
MAX_SESSIONS=512
if [ ! -x "$EAPSEND" ]; then
	echo "$EAPSEND is missing: make check builds it (or make tests/proto/eapsend)"
	exit 99
fi

# write_bad_config ALG: like write_eap_config, plus eap-level limits (outside tls { }).
write_bad_config() {
	local alg=$1
	write_config "eap {
	default_method = tls
	max_sessions = $MAX_SESSIONS
	max_rounds = 1000
	tls {
		certificate_file = $PKI/$alg/server-chain.pem
		private_key_file = $PKI/$alg/server.key
		ca_file = $PKI/$alg/ca.pem
		crl_file = $PKI/$alg/crl-bundle.pem
		check_crl = leaf
	}
}"
}

# Under ASan, freed memory waits in a 256 MB quarantine: keep it small so that VmRSS still
# shows whether the session table cap holds (use-after-free is still caught within 16 MB).
if grep -q __asan_init "$LATCHD" 2>/dev/null; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=16"
fi

make_pki
pick_ports
write_bad_config rsa
start_latchd

es() { "$EAPSEND" "$AUTH_PORT" "$SECRET" "$@" 2>>"$WORK/eapsend.err"; }
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$LATCHD_PID/status"; }
is() { [ "$1" = "$2" ] || { echo "  got: '$1', want: '$2'"; return 1; }; }
has() { [[ "$1" == *"$2"* ]] || { echo "  got: '$1', want a line '$2'"; return 1; }; }
# logged PATTERN: a latchd log line after the mark matches (waits up to a second for it).
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

# The tool and the server agree on a normal start: EAP-TLS Start (S flag) in a Challenge.
check "identity round: Access-Challenge with an EAP-TLS Start" \
	is "$(es start)" "Access-Challenge eap=request type=13 flags=0x20"

# Malformed EAP packets are silently discarded (RFC 3748 4), first packet or mid-conversation.
# name HEX reason: each sent without State and after the identity round.
while read -r name hex reason; do
	mark
	check "raw $name: no reply" is "$(es raw "$hex")" "none"
	check "raw $name: dropped as $reason" logged "ignored: malformed EAP packet: $reason"
	mark
	check "after start, $name: no reply" is "$(es after-start "$hex")" "none"
	check "after start, $name: dropped as $reason" logged "ignored: malformed EAP packet: $reason"
done <<'CASES'
length-larger-than-data 0201000a0161626364 length-exceeds-data
length-below-4 020100020000 length-too-short
unknown-code 0901000501 unknown-code
type-0 0201000500 type-zero
truncated-header 0201 truncated-header
empty-nak 0201000503 nak-empty
truncated-expanded-type 02010006fe00 expanded-truncated
CASES
mark
check "EAP Request from the peer: no reply" is "$(es after-start 01010006010d)" "none"
check "EAP Request from the peer: dropped as not a Response" logged "only Responses are accepted"
check "EAP Success from the peer: no reply" is "$(es raw 03010004)" "none"

# Well-formed EAP that cannot go on: Access-Reject with EAP-Failure (RFC 3579 2.6.3).
# name HEX (sent after the identity round) log-reason
while read -r name hex reason; do
	mark
	check "after start, $name: Access-Reject" is "$(es after-start "$hex")" "Access-Reject eap=failure"
	check "after start, $name: reason logged" logged "Access-Reject for EAP identity.*$reason"
done <<'CASES'
tls-start-from-peer 020100060d20 peer sent a Start
tls-no-flags 020100050d tls: no-flags
tls-truncated-L 020100070d8000 tls: truncated-length
tls-L-zero 0201000a0d8000000000 tls: zero-length
tls-M-without-L 020100060d40 tls: first-without-l
nak-proposing-nothing 020100060300 proposed only type(s) 0,
identity-again 0201000601ff peer answered tls with type identity
CASES
mark
check "Identity with a NUL octet: Access-Reject" \
	is "$(es raw 0201000801610062)" "Access-Reject eap=failure"
check "Identity with a NUL octet: reason logged" logged 'bad Identity: identity-nul'

# EAP-TLS framing (RFC 5216 2.1.5).
rss0=$(rss_kb)
mark
check "L = 16 MiB with M: Access-Reject" is "$(es bigL)" "Access-Reject eap=failure"
check "L = 16 MiB: refused as too-long" logged 'Access-Reject for EAP identity.*tls: too-long'
rss1=$(rss_kb)
echo "VmRSS around bigL: $rss0 kB -> $rss1 kB"
check "L = 16 MiB: VmRSS grew by less than 4 MB" test $((rss1 - rss0)) -lt 4096

mark
out=$(es endless-m 2000)
echo "endless-m 2000 (1000-octet fragments): $out"
check "endless M: 65 fragments ACKed (65000 octets), then Access-Reject at the 64 KiB L" \
	is "$out" "acked 65 final Access-Reject eap=failure"
check "endless M: refused as beyond-declared" \
	logged 'Access-Reject for EAP identity.*tls: beyond-declared'
mark
out=$(es endless-m 2000 3000)
check "endless M, 3000-octet fragments: 21 ACKed, then Access-Reject" \
	is "$out" "acked 21 final Access-Reject eap=failure"

mark
check "L = 100 then 200 octets: Access-Reject" is "$(es beyond)" "Access-Reject eap=failure"
check "L = 100 then 200 octets: refused as beyond-declared" \
	logged 'Access-Reject for EAP identity.*tls: beyond-declared'

# States latchd never issued, or issued for a conversation that is over.
mark
check "made-up State: Access-Reject" \
	is "$(es state 00112233445566778899aabbccddeeff)" "Access-Reject eap=failure"
check "made-up State: logged as unknown" logged 'unknown or expired State'
check "State of the wrong length: Access-Reject" is "$(es state 0011)" "Access-Reject eap=failure"
mark
out=$(es finished)
check "wrong Type mid-conversation: Access-Reject" has "$out" "first Access-Reject eap=failure"
check "State of a finished conversation: Access-Reject, never Accept" \
	has "$out" "then Access-Reject eap=failure"
check "finished State: logged as unknown" logged 'unknown or expired State'
check "no hostile input got an Accept" test "$(counter access_accept)" -eq 0

# RFC 3579 3.2: EAP-Message without Message-Authenticator is silently discarded, also from
# the client "legacy" (127.0.0.2) that may send other requests without it.
for src in 127.0.0.1 127.0.0.2; do
	ma0=$(counter message_authenticator_missing)
	check "EAP without Message-Authenticator from $src: no reply" is "$(es noma $src)" "none"
	check "EAP without Message-Authenticator from $src: counted" \
		test "$(counter message_authenticator_missing)" -eq $((ma0 + 1))
done

# A conversation belongs to the NAS that started it: another RADIUS client (127.0.0.3, same
# secret) answering with its State is rejected and changes nothing; the owner carries on.
out=$(es hijack 127.0.0.3)
check "another NAS's State: Access-Reject" has "$out" "other Access-Reject eap=failure"
check "another NAS's State: logged" logged 'another NAS (source address) started'
check "the owner's conversation goes on (Nak for TTLS answered with a TTLS Start)" \
	has "$out" "then Access-Challenge eap=request type=21"

# A flood of EAP starts from many source ports, then at once a real user.
received0=$(counter received)
challenges0=$(counter access_challenge)
rss0=$(rss_kb)
out=$(es flood 20000)
check "flood: 20000 EAP starts sent" is "$out" "sent 20000"
# Let latchd drain what the kernel queued (bounded): the table is then full of the flood's
# sessions, and a new user must still get in at once (not a minute later).
prev=-1
for _ in $(seq 1 50); do
	now=$(counter received)
	[ "$now" = "$prev" ] && break
	prev=$now
	sleep 0.2
done
run_eapol good "$(eapol_conf good rsa good)"
check "right after the flood, a good certificate is accepted" \
	bash -c "grep -q '^SUCCESS$' '$WORK/good.log' && grep -q 'code=2 (Access-Accept)' '$WORK/good.log'"
check "latchd is still running" kill -0 "$LATCHD_PID"
sleep 1
received=$(($(counter received) - received0))
challenges=$(($(counter access_challenge) - challenges0))
rss1=$(rss_kb)
echo "flood: latchd received $received datagrams, sent $challenges Challenges;" \
	"VmRSS $rss0 kB -> $rss1 kB (max_sessions = $MAX_SESSIONS)"
check "flood: more starts reached latchd than max_sessions (the cap was exercised)" \
	test "$received" -gt $((MAX_SESSIONS * 2))
check "flood: the only Accept so far is the real user's" test "$(counter access_accept)" -eq 1
check "flood: VmRSS grew by less than 64 MB" test $((rss1 - rss0)) -lt 65536
check "counters: challenges sent during the flood" test "$challenges" -gt "$MAX_SESSIONS"
check "counters: every Reject above counted (16)" test "$(counter access_reject)" -ge 16
check "counters: every silently dropped EAP packet counted (16)" \
	test "$(counter eap_dropped)" -ge 16
stop_latchd
check "latchd exits cleanly (status 0)" test $? -eq 0
check "no sanitizer report in the latchd log" \
	bash -c "! grep -E -q 'AddressSanitizer|LeakSanitizer|runtime error:' '$WORK/latchd.log'"
finish
