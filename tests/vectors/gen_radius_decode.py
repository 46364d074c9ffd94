#!/usr/bin/env python3
# Generates radius_decode.txt: RADIUS datagrams with the expected decode result, for the unit
# test driver (tests/unit/test_radius_vectors.c) and as fuzz seeds. Authenticators and
# Message-Authenticators are computed here with hashlib/hmac, independently of the C code.
# Not part of the build; rerun by hand: python3 gen_radius_decode.py > radius_decode.txt
import hashlib
import hmac

SECRET = b"xyzzy5461"
h = bytes.fromhex


def attr(t, v):
    return bytes([t, len(v) + 2]) + v


def pkt(code, ident, vector, attrs, length=None):
    body = b"".join(attrs)
    n = 20 + len(body) if length is None else length
    return bytes([code, ident]) + n.to_bytes(2, "big") + vector + body


def with_ma(code, ident, vector, attrs, auth_field, secret=SECRET):
    """Message-Authenticator first (RFC 3579 3.2), signed over auth_field."""
    p = pkt(code, ident, auth_field, [attr(80, bytes(16))] + attrs)
    mac = hmac.new(secret, p, hashlib.md5).digest()
    return p[:4] + vector + p[20:22] + mac + p[38:]


def acct_auth(p, secret=SECRET):
    """RFC 2866 3: MD5 over the packet with a zero authenticator, then the secret."""
    md = hashlib.md5(p[:4] + bytes(16) + p[20:] + secret).digest()
    return p[:4] + md + p[20:]


recs = []


def rec(name, data, expect="ok", **kw):
    recs.append((name, data, expect, kw))


RA71 = h("0f403f9473978057bd83d5cb98f4227a")
rec("rfc2865-7.1-access-request", pkt(1, 0, RA71, [attr(1, b"nemo"),
    attr(2, h("0dbe708d93d413ce3196e43f782a0aee")), attr(4, h("c0a80110")),
    attr(5, h("00000003"))]), attrs=4, ma="absent")
rec("rfc2865-7.1-access-accept", pkt(2, 0, h("86fe220e7624ba2a1005f6bf9b55e0b2"),
    [attr(6, h("00000001")), attr(15, h("00000000")), attr(14, h("c0a80103"))]),
    attrs=3, response_auth=RA71.hex() + " ok")
rec("rfc2865-7.1-access-accept-wrong-request", pkt(2, 0, h("86fe220e7624ba2a1005f6bf9b55e0b2"),
    [attr(6, h("00000001")), attr(15, h("00000000")), attr(14, h("c0a80103"))]),
    attrs=3, response_auth=bytes(16).hex() + " bad")
rec("rfc2865-7.2-chap-request", pkt(1, 1, h("2aee86f08d0d55969ca5978e0d3367a2"),
    [attr(1, b"flopsy"), attr(3, h("16e97557c316185895f293ff6344077275")),
     attr(4, h("c0a80110")), attr(5, h("00000014")), attr(6, h("00000002")),
     attr(7, h("00000001"))]), attrs=6, attr=["1 0 3 17"])
rec("rfc2865-7.3-access-challenge", pkt(11, 2, h("36f3c8764ae8c71157403c0c71ff9c45"),
    [attr(18, b"Challenge 32769430.  Enter response at prompt."), attr(24, b"32769430")]),
    attrs=2)
rec("too-short", pkt(1, 0, RA71, [])[:19], "too-short")
rec("empty", b"", "too-short")
rec("length-19", pkt(1, 0, RA71, [], length=19), "bad-length")
rec("length-4097", pkt(1, 0, RA71, [], length=4097), "bad-length")
rec("length-past-datagram", pkt(1, 0, RA71, [attr(1, b"bob")], length=30), "truncated")
rec("padding-ignored", pkt(1, 0, RA71, [attr(1, b"bob")]) + b"\xff\xff\xff\x00", attrs=1)
rec("attr-length-0", pkt(1, 0, RA71, [b"\x01\x00\x00\x00"]), "attr-length")
rec("attr-length-1", pkt(1, 0, RA71, [attr(1, b"bob"), b"\x01\x01"]), "attr-length")
rec("attr-past-end", pkt(1, 0, RA71, [b"\x01\x10bob"]), "attr-overflow")
rec("attr-header-past-end", pkt(1, 0, RA71, [attr(1, b"bob"), b"\x01"]), "attr-overflow")
rec("ma-15-octets", pkt(1, 0, RA71, [attr(80, bytes(15))]), "ma-length")
rec("ma-17-octets", pkt(1, 0, RA71, [attr(80, bytes(17))]), "ma-length")
rec("two-ma", pkt(1, 0, RA71, [attr(80, bytes(16)), attr(80, bytes(16))]), "dup-ma")
rec("unknown-code-6", pkt(6, 0, RA71, []), "unknown-code")
rec("unknown-code-0", pkt(0, 0, RA71, []), "unknown-code")
rec("unknown-code-255", pkt(255, 0, RA71, []), "unknown-code")
rec("status-server-no-attrs", pkt(12, 9, RA71, []), attrs=0)

ms = (311).to_bytes(4, "big")
rec("vsa-microsoft-two-subattrs", pkt(2, 3, RA71, [attr(26, ms + b"\x0b\x06abcd" +
    b"\x1a\x04xy")]), attrs=2, attr=["0 311 11 4", "1 311 26 2"])
rec("vsa-sub-length-past-end", pkt(2, 3, RA71, [attr(26, ms + b"\x0b\x09abcd")]),
    attrs=1, invalid=1, attr=["0 0 26 10"])
rec("vsa-sub-length-1", pkt(2, 3, RA71, [attr(26, ms + b"\x0b\x01abcd")]), attrs=1, invalid=1)
rec("vsa-too-short", pkt(1, 3, RA71, [attr(26, b"\x00\x00\x01")]), attrs=1, invalid=1)
rec("vsa-no-subattr", pkt(1, 3, RA71, [attr(26, ms)]), attrs=1, invalid=1)
rec("vsa-pen-high-octet", pkt(1, 3, RA71, [attr(26, b"\x01\x00\x01\x37\x01\x03x")]),
    attrs=1, invalid=1)
rec("vsa-unknown-vendor-default-format", pkt(1, 3, RA71, [attr(26, (99999).to_bytes(4, "big") +
    b"\x01\x05abc"), attr(1, b"bob")]), attrs=2, attr=["0 99999 1 3", "1 0 1 3"])
rec("extended-241-kept-raw", pkt(1, 4, RA71, [attr(241, b"\x01abc"), attr(245, b"\x01\x00x"),
    attr(1, b"bob")]), attrs=3, attr=["0 0 241 4", "1 0 245 3"])
rec("extended-241-empty", pkt(1, 4, RA71, [attr(241, b"")]), attrs=1)
eap = bytes((i * 7) & 0xff for i in range(300))
rec("eap-message-joined", pkt(1, 5, RA71, [attr(1, b"bob"), attr(79, eap[:253]),
    attr(79, eap[253:]), attr(24, b"st")]), attrs=3, attr=["1 0 79 300", "2 0 24 2"])
rec("eap-message-not-consecutive", pkt(1, 5, RA71, [attr(79, b"\x02\x01\x00\x05\x01"),
    attr(1, b"bob"), attr(79, b"xx")]), attrs=3)
rec("proxy-state", pkt(1, 6, RA71, [attr(33, b"ps1"), attr(1, b"bob")]), attrs=2,
    proxy_state="yes")

req = with_ma(1, 7, RA71, [attr(1, b"bob"), attr(79, b"\x02\x07\x00\x06\x01b")], RA71)
rec("access-request-ma-valid", req, attrs=3, ma="valid", ma_offset=22)
bad = bytearray(req)
bad[-1] ^= 1
rec("access-request-ma-tampered", bytes(bad), attrs=3, ma="invalid")
acc = with_ma(11, 7, bytes(16), [attr(79, b"\x01\x08\x00\x06\x0d\x20")], RA71)
acc = acc[:4] + hashlib.md5(acc[:4] + RA71 + acc[20:] + SECRET).digest() + acc[20:]
rec("access-challenge-ma-valid", acc, attrs=2, ma="valid", response_auth=RA71.hex() + " ok")
acct = acct_auth(pkt(4, 8, bytes(16), [attr(1, b"bob"), attr(40, h("00000001")),
    attr(44, b"sess-1")]))
rec("accounting-request-auth", acct, attrs=3, request_auth="ok", ma="absent")
acct_bad = bytearray(acct)
acct_bad[-1] ^= 0x20
rec("accounting-request-auth-tampered", bytes(acct_bad), attrs=3, request_auth="bad")
acct_ma = with_ma(4, 9, bytes(16), [attr(1, b"bob"), attr(40, h("00000002"))], bytes(16))
acct_ma = acct_auth(acct_ma)
rec("accounting-request-ma", acct_ma, attrs=3, request_auth="ok", ma="valid")
coa = acct_auth(with_ma(43, 10, bytes(16), [attr(1, b"bob")], bytes(16)))
rec("coa-request-ma", coa, attrs=2, request_auth="ok", ma="valid")

print("# RADIUS decode vectors; generated by gen_radius_decode.py (see it for the format).")
print("# name NAME | hex OCTETS (may repeat) | expect ok|<rad_decode_error_name>")
print("# attrs N | invalid N | attr INDEX VENDOR TYPE LEN | proxy-state yes|no")
print("# secret TEXT | ma absent|valid|invalid | ma-offset N | request-auth ok|bad")
print("# response-auth REQUEST-VECTOR ok|bad")
for name, data, expect, kw in recs:
    print(f"\nname {name}")
    for i in range(0, len(data), 32):
        print("hex " + data[i:i + 32].hex())
    if not data:
        print("hex")
    print(f"expect {expect}")
    if any(k in kw for k in ("ma", "request_auth", "response_auth")):
        print(f"secret {SECRET.decode()}")
    for k, v in kw.items():
        for item in (v if isinstance(v, list) else [v]):
            print(f"{k.replace('_', '-')} {item}")
