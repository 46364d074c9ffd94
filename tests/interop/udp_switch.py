#!/usr/bin/env python3
"""A tiny RADIUS switch for tests/interop/resume_shared.sh (stdlib only, loopback only).

udp_switch.py LISTEN_PORT PORT_A PORT_B SECONDS

Listens on 127.0.0.1:LISTEN_PORT and forwards every datagram from the client to server A
(127.0.0.1:PORT_A) until A has answered with an Access-Accept (code 2) and that Accept has
been relayed back; from then on every datagram goes to server B (127.0.0.1:PORT_B). Replies
from either server are relayed to the client's address, unchanged (the RADIUS authenticators
stay valid: both servers share the client's secret and see the same source address).

Bounded: exits after SECONDS, on SIGTERM/SIGINT, or when a datagram "quit" arrives on the
listening port from 127.0.0.1. Prints "ready" once listening, one line per relayed datagram
and a summary line "summary: to_a=N to_b=N from_a=N from_b=N switched=yes|no" at exit.
"""
import select
import signal
import socket
import sys
import time

LOOPBACK = "127.0.0.1"
MAX_DATAGRAM = 4096  # RFC 2865 3: at most 4096 octets
ACCESS_ACCEPT = 2


def port(text):
    value = int(text)
    if not 1 <= value <= 65535:
        raise ValueError("port out of range: %s" % text)
    return value


def main(argv):
    if len(argv) != 5:
        print("usage: udp_switch.py LISTEN_PORT PORT_A PORT_B SECONDS", file=sys.stderr)
        return 2
    listen_port, port_a, port_b = port(argv[1]), port(argv[2]), port(argv[3])
    deadline = time.monotonic() + min(float(argv[4]), 600.0)
    servers = {(LOOPBACK, port_a): "a", (LOOPBACK, port_b): "b"}
    counts = {"to_a": 0, "to_b": 0, "from_a": 0, "from_b": 0}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind((LOOPBACK, listen_port))
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind((LOOPBACK, 0))
    client = None
    switched = False
    print("ready", flush=True)

    while not stop:
        left = deadline - time.monotonic()
        if left <= 0:
            print("timeout", flush=True)
            break
        try:
            readable, _, _ = select.select([front, back], [], [], min(left, 0.5))
        except InterruptedError:
            continue
        if front in readable:
            data, peer = front.recvfrom(MAX_DATAGRAM)
            if peer[0] != LOOPBACK:
                continue
            if data == b"quit":
                print("told to quit", flush=True)
                break
            client = peer
            target = "b" if switched else "a"
            back.sendto(data, (LOOPBACK, port_b if switched else port_a))
            counts["to_" + target] += 1
            print("client -> %s code=%d len=%d" % (target, data[0] if data else -1, len(data)),
                  flush=True)
        if back in readable:
            data, peer = back.recvfrom(MAX_DATAGRAM)
            source = servers.get(peer)
            if source is None or client is None or not data:
                continue
            front.sendto(data, client)
            counts["from_" + source] += 1
            print("%s -> client code=%d len=%d" % (source, data[0], len(data)), flush=True)
            if source == "a" and data[0] == ACCESS_ACCEPT and not switched:
                switched = True
                print("switched to b", flush=True)
    print("summary: to_a=%(to_a)d to_b=%(to_b)d from_a=%(from_a)d from_b=%(from_b)d" % counts
          + " switched=%s" % ("yes" if switched else "no"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
