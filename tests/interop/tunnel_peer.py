#!/usr/bin/env python3
"""Hostile EAP-TTLS / PEAPv0 peer for latchd's interop tests (stdlib only, loopback only).

Speaks RADIUS (RFC 2865, RFC 3579: EAP-Message split at 253 octets, Message-Authenticator,
State echoed, every reply's Response Authenticator and Message-Authenticator checked), EAP
(RFC 3748: Identity, Nak to the wanted Type), the EAP-TTLS/PEAP framing (RFC 5281 9.1: L/M
flags, ACKs, our messages fragmented at 1000 octets) and TLS 1.2 through ssl.MemoryBIO, then
sends one hostile (or, as a control, one good) payload inside the tunnel.

    tunnel_peer.py --port P --secret S --method ttls|peap --scenario NAME [--ca CAFILE]

Prints "result: accept|reject|none" and "round trips: N". Exit 0 when the scenario ran to a
RADIUS answer (or silence) after its payload was sent; 1 with "result: challenge" when a
loop scenario (30 inner rounds) never got an outcome; 2 on a tool error (no tunnel, a reply
that fails verification, a protocol step the tool does not understand).
"""
import argparse
import hashlib
import hmac
import os
import socket
import ssl
import struct
import sys
import time

TIMEOUT = 2.0
MAX_ROUNDS = 100		# Access-Requests per run, whatever happens
FRAG = 1000			# our TLS data per EAP packet
FL_L, FL_M, FL_S = 0x80, 0x40, 0x20
EAP_REQUEST, EAP_RESPONSE, EAP_SUCCESS, EAP_FAILURE = 1, 2, 3, 4
T_IDENTITY, T_NAK, T_TTLS, T_PEAP, T_MSCHAPV2 = 1, 3, 21, 25, 26
A_USER_NAME, A_STATE, A_EAP_MESSAGE, A_MSG_AUTH = 1, 24, 79, 80
ACCESS_REQUEST, ACCESS_ACCEPT, ACCESS_REJECT, ACCESS_CHALLENGE = 1, 2, 3, 11
NAMES = {ACCESS_ACCEPT: "accept", ACCESS_REJECT: "reject", ACCESS_CHALLENGE: "challenge"}


class ToolError(Exception):
	pass


class Final(Exception):
	"""The conversation ended: Access-Accept, Access-Reject or silence ("none")."""

	def __init__(self, result):
		super().__init__(result)
		self.result = result


def log(msg):
	print("tunnel_peer: " + msg, file=sys.stderr)


# ---------------------------------------------------------------- RADIUS

def attrs_parse(buf):
	"""(type, value) list; raises ToolError on a malformed attribute."""
	out, off = [], 0
	while off < len(buf):
		if len(buf) - off < 2 or buf[off + 1] < 2 or off + buf[off + 1] > len(buf):
			raise ToolError("malformed attribute at offset %d of a reply" % off)
		out.append((buf[off], buf[off + 2:off + buf[off + 1]]))
		off += buf[off + 1]
	return out


class Radius:
	def __init__(self, port, secret, user):
		self.addr = ("127.0.0.1", port)
		self.secret = secret
		self.user = user
		self.state = None
		self.ident = os.urandom(1)[0]
		self.rounds = 0
		self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		self.sock.bind(("127.0.0.1", 0))

	def request(self, eap):
		"""Send one EAP packet; return (code, EAP-Message) or raise Final("none")."""
		if self.rounds >= MAX_ROUNDS:
			raise ToolError("more than %d round trips" % MAX_ROUNDS)
		self.rounds += 1
		self.ident = (self.ident + 1) & 0xff
		auth = os.urandom(16)
		attrs = bytes([A_USER_NAME, 2 + len(self.user)]) + self.user
		for i in range(0, max(len(eap), 1), 253):
			chunk = eap[i:i + 253]
			attrs += bytes([A_EAP_MESSAGE, 2 + len(chunk)]) + chunk
		if self.state is not None:
			attrs += bytes([A_STATE, 2 + len(self.state)]) + self.state
		attrs += bytes([A_MSG_AUTH, 18]) + bytes(16)
		pkt = bytearray(struct.pack("!BBH", ACCESS_REQUEST, self.ident, 20 + len(attrs)))
		pkt += auth + attrs
		pkt[-16:] = hmac.new(self.secret, bytes(pkt), hashlib.md5).digest()
		self.sock.sendto(bytes(pkt), self.addr)
		return self.receive(auth)

	def receive(self, auth):
		deadline = time.monotonic() + TIMEOUT
		for _ in range(16):	# stray datagrams are skipped, a few at most
			left = deadline - time.monotonic()
			if left <= 0:
				break
			self.sock.settimeout(left)
			try:
				data, src = self.sock.recvfrom(4096)
			except socket.timeout:
				break
			if src != self.addr or len(data) < 20 or data[1] != self.ident:
				continue
			return self.verify(data, auth)
		raise Final("none")

	def verify(self, data, auth):
		code, _, length = struct.unpack("!BBH", data[:4])
		if length < 20 or length > len(data):
			raise ToolError("reply Length %d, datagram %d octets" % (length, len(data)))
		data = data[:length]
		want = hashlib.md5(data[:4] + auth + data[20:] + self.secret).digest()
		if not hmac.compare_digest(want, data[4:20]):
			raise ToolError("reply fails the Response Authenticator check")
		attrs = attrs_parse(data[20:])
		off, ma = 20, None
		for t, v in attrs:
			if t == A_MSG_AUTH:
				ma = off
			off += 2 + len(v)
		if ma is None or data[ma + 1] != 18:
			raise ToolError("reply without a valid Message-Authenticator")
		z = bytearray(data)
		z[4:20] = auth
		z[ma + 2:ma + 18] = bytes(16)
		if not hmac.compare_digest(hmac.new(self.secret, bytes(z), hashlib.md5).digest(),
					   data[ma + 2:ma + 18]):
			raise ToolError("reply's Message-Authenticator is wrong")
		if code not in NAMES:
			raise ToolError("reply code %d" % code)
		states = [v for t, v in attrs if t == A_STATE]
		self.state = states[0] if states else None
		return code, b"".join(v for t, v in attrs if t == A_EAP_MESSAGE)


# ---------------------------------------------------------------- EAP and its TLS framing

def eap_pkt(code, ident, typ, data=b""):
	return struct.pack("!BBHB", code, ident, 5 + len(data), typ) + data


class Peer:
	"""The outer EAP conversation: one pending server request at a time."""

	def __init__(self, radius, method):
		self.r = radius
		self.type = T_TTLS if method == "ttls" else T_PEAP
		self.req_id = 0

	def exchange(self, typ, data):
		"""Send a Response; return the server's next Request as (type, type-data)."""
		code, eap = self.r.request(eap_pkt(EAP_RESPONSE, self.req_id, typ, data))
		if code != ACCESS_CHALLENGE:
			raise Final(NAMES[code])
		if len(eap) < 5 or eap[0] != EAP_REQUEST or eap[2:4] != struct.pack("!H", len(eap)):
			raise ToolError("Access-Challenge without a usable EAP Request")
		self.req_id = eap[1]
		return eap[4], eap[5:]

	def start(self, identity):
		typ, data = self.exchange(T_IDENTITY, identity)
		for _ in range(3):
			if typ == self.type:
				if not data or not data[0] & FL_S:
					raise ToolError("first Request of our Type is no Start")
				return
			log("server offers Type %d: Nak proposing %d" % (typ, self.type))
			typ, data = self.exchange(T_NAK, bytes([self.type]))
		raise ToolError("server never offered Type %d" % self.type)

	def send_tls(self, msg):
		"""Send one TLS message (fragmented); return the server's reassembled reply."""
		frags = [msg[i:i + FRAG] for i in range(0, len(msg), FRAG)] or [b""]
		for i, frag in enumerate(frags):
			flags = 0
			if len(frags) > 1 and i == 0:
				flags |= FL_L
			if i < len(frags) - 1:
				flags |= FL_M
			head = bytes([flags])
			if flags & FL_L:
				head += struct.pack("!I", len(msg))
			typ, data = self.exchange(self.type, head + frag)
			if i < len(frags) - 1 and (typ != self.type or data != b"\x00"):
				raise ToolError("server did not ACK our fragment %d" % i)
		return self.receive_tls(typ, data)

	def receive_tls(self, typ, data):
		out = b""
		for _ in range(200):
			if typ != self.type or not data:
				raise ToolError("server sent Type %d in the tunnel" % typ)
			flags, data = data[0], data[1:]
			if flags & FL_L:
				if len(data) < 4:
					raise ToolError("server's L flag without a length")
				data = data[4:]
			out += data
			if not flags & FL_M:
				return out
			typ, data = self.exchange(self.type, b"\x00")	# ACK
		raise ToolError("server's message has too many fragments")


class Tunnel:
	def __init__(self, peer, ca):
		ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
		ctx.check_hostname = False
		ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
		if ca:
			ctx.load_verify_locations(ca)
		else:
			ctx.verify_mode = ssl.CERT_NONE
		self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
		self.tls = ctx.wrap_bio(self.inc, self.out, server_side=False)
		self.peer = peer
		self.pending = b""	# application data that came with the last flight

	def handshake(self):
		for _ in range(10):
			try:
				self.tls.do_handshake()
				self.pending = self.read_app()
				log("TLS handshake done: %s %s" % (self.tls.version(),
								   self.tls.cipher()[0]))
				return
			except ssl.SSLWantReadError:
				pass
			except ssl.SSLError as e:
				raise ToolError("TLS handshake: %s" % e)
			msg = self.out.read()
			if not msg:
				raise ToolError("TLS wants data but has nothing to send")
			self.inc.write(self.peer.send_tls(msg))
		raise ToolError("TLS handshake did not finish in 10 flights")

	def read_app(self):
		buf = b""
		for _ in range(64):
			try:
				chunk = self.tls.read(16384)
			except ssl.SSLWantReadError:
				return buf
			except ssl.SSLError as e:
				raise ToolError("tunnel read: %s" % e)
			if not chunk:
				return buf
			buf += chunk
		return buf

	def send(self, data):
		"""Write data into the tunnel, send it; return what the server put in the tunnel."""
		self.tls.write(data)
		self.inc.write(self.peer.send_tls(self.out.read()))
		return self.read_app()


# ---------------------------------------------------------------- scenarios

def avp(code, data, flags=0x40, vendor=None, length=None):
	"""A Diameter AVP (RFC 5281 10.1), padded to 4; length overrides the AVP Length."""
	head = 8 if vendor is None else 12
	n = head + len(data) if length is None else length
	if vendor is not None:
		flags |= 0x80
	out = struct.pack("!IB", code, flags) + struct.pack("!I", n)[1:]
	if vendor is not None:
		out += struct.pack("!I", vendor)
	out += data
	return out + bytes(-len(out) % 4)


def pap(user, password):
	pw = password.encode()
	return avp(1, user.encode()) + avp(2, pw + bytes(-len(pw) % 16 or 0))


GOOD = ("carol", "carolpass")
SCENARIOS = {
	"ttls": ("good-pap", "bad-pap", "avp-len-0", "avp-past-end", "avp-nested-lie",
		 "unknown-mandatory", "many-avps", "inner-eap-loop"),
	"peap": ("bad-inner-type", "inner-nak", "junk-tlv", "too-many-rounds", "wrong-password"),
}


def ttls_scenario(t, name):
	good = pap(*GOOD)
	one_shot = {
		"good-pap": good,
		"bad-pap": pap("carol", "wrongpass"),
		# Each hostile payload carries carol's good credentials first: a parser that let
		# the bad part through would accept, so only the check under test can reject.
		"avp-len-0": good + struct.pack("!IBBH", 1, 0x40, 0, 0),
		"avp-past-end": good + avp(1, b"carol", length=100),
		"avp-nested-lie": good + avp(26, b"\x00" * 8, vendor=311, length=10),
		"unknown-mandatory": good + avp(9999, b"x"),
		"many-avps": good + b"".join(avp(9998, b"%03d" % i, flags=0) for i in range(298)),
	}
	if name in one_shot:
		back = t.send(one_shot[name])
		raise ToolError("tunnel answered %d octets where an outcome was due" % len(back))
	if name == "inner-eap-loop":
		inner_id = 0
		for _ in range(30):
			back = t.send(avp(A_EAP_MESSAGE, eap_pkt(EAP_RESPONSE, inner_id, T_IDENTITY,
								 b"carol")))
			if len(back) >= 14 and struct.unpack("!I", back[:4])[0] == A_EAP_MESSAGE:
				inner_id = back[8 + 1] if back[4] & 0x80 == 0 else back[12 + 1]
		raise Final("challenge")
	raise ToolError("unknown ttls scenario " + name)


def mschapv2_response(challenge):
	"""A well-formed EAP-MSCHAPv2 Response to the server's Challenge, wrong NT-Response."""
	if len(challenge) < 5 or challenge[1] != 1:
		raise ToolError("expected an MS-CHAPv2 Challenge, got %r" % challenge[:8])
	name = GOOD[0].encode()
	body = bytes([49]) + os.urandom(16) + bytes(8) + os.urandom(24) + b"\x00" + name
	return bytes([T_MSCHAPV2, 2, challenge[2]]) + struct.pack("!H", 4 + len(body)) + body


def peap_scenario(t, name):
	if len(t.pending) < 5 or t.pending[0] != EAP_REQUEST or t.pending[4] != T_IDENTITY:
		raise ToolError("no inner Identity request after the handshake: %r" % t.pending[:8])
	ident = bytes([T_IDENTITY]) + GOOD[0].encode()
	if name == "bad-inner-type":
		t.send(bytes([99]) + b"hostile")
	elif name == "too-many-rounds":
		for _ in range(30):
			t.send(ident)
		raise Final("challenge")
	elif name == "inner-nak":
		t.send(ident)
		t.send(bytes([T_NAK, 4]))
	elif name in ("junk-tlv", "wrong-password"):
		chal = t.send(ident)
		fail = t.send(mschapv2_response(chal))
		if fail[:2] != bytes([T_MSCHAPV2, 4]):
			raise ToolError("expected an MS-CHAPv2 Failure request, got %r" % fail[:8])
		res = t.send(bytes([T_MSCHAPV2, 4]))
		if len(res) != 11 or res[4] != 33:
			raise ToolError("expected a Result TLV request, got %r" % res[:12])
		if name == "wrong-password":	# control: a correct Result TLV (failure)
			tlv = struct.pack("!HHH", 0x8003, 2, 2)
		else:			# a Result TLV claiming 1024 octets, then junk
			tlv = struct.pack("!HH", 0x8003, 1024) + os.urandom(6)
		t.send(eap_pkt(EAP_RESPONSE, res[1], 33, tlv))
	else:
		raise ToolError("unknown peap scenario " + name)
	raise ToolError("tunnel went on where an outcome was due")


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--port", type=int, required=True)
	ap.add_argument("--secret", required=True)
	ap.add_argument("--method", choices=("ttls", "peap"), required=True)
	ap.add_argument("--scenario", required=True)
	ap.add_argument("--ca")
	ap.add_argument("--identity", default="anonymous@example.test")
	a = ap.parse_args()
	if a.scenario not in SCENARIOS[a.method]:
		ap.error("%s scenarios: %s" % (a.method, ", ".join(SCENARIOS[a.method])))
	r = Radius(a.port, a.secret.encode(), a.identity.encode())
	peer = Peer(r, a.method)
	stage = "setup"
	try:
		peer.start(a.identity.encode())
		t = Tunnel(peer, a.ca)
		t.handshake()
		stage = "scenario"
		(ttls_scenario if a.method == "ttls" else peap_scenario)(t, a.scenario)
	except Final as f:
		print("result: %s" % f.result)
		print("round trips: %d" % r.rounds)
		if stage != "scenario":
			log("conversation ended (%s) before the scenario could run" % f.result)
			return 2
		return 0 if f.result != "challenge" else 1
	except (ToolError, OSError, ssl.SSLError) as e:
		log("error (%s, round trip %d): %s" % (stage, r.rounds, e))
		print("result: error")
		print("round trips: %d" % r.rounds)
		return 2
	return 2


if __name__ == "__main__":
	sys.exit(main())
