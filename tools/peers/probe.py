#!/usr/bin/env python3
"""Tiny hand probes of an echo server, to verify what the checker's matrix says
(docs/peers.md quotes their output). Independent of the checker: plain sockets.

  probe.py stream HOST:PORT BYTES        send BYTES while reading the echo concurrently
  probe.py half-close HOST:PORT TEXT     send TEXT, shut down writing, read to the end
  probe.py connect-burst HOST:PORT N     open N connections at once, time each connect
  probe.py udp-sizes HOST:PORT SIZE...   one datagram of each size, one at a time
  probe.py udp-burst HOST:PORT SIZE...   all datagrams back to back, then collect replies
  probe.py udp-from HOST:PORT SRC:PORT... one datagram from each source address and port
                                         (ports below 1024 need root), one at a time
Every wait is bounded (5 s without progress).
"""
import os
import selectors
import socket
import sys
import time

WAIT = 5.0


def address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def stream(target, total):
    payload = os.urandom(total)
    s = socket.create_connection(target, timeout=WAIT)
    s.setblocking(False)
    sent, got = 0, bytearray()
    selector = selectors.DefaultSelector()
    selector.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    start = last = time.monotonic()
    while len(got) < total and time.monotonic() - last < WAIT:
        for _, events in selector.select(timeout=0.1):
            if events & selectors.EVENT_WRITE and sent < total:
                sent += s.send(payload[sent:sent + 65536])
                last = time.monotonic()
                if sent == total:
                    selector.modify(s, selectors.EVENT_READ)
            if events & selectors.EVENT_READ:
                chunk = s.recv(65536)
                if not chunk:
                    print(f"FIN after {len(got)} bytes")
                    return
                got += chunk
                last = time.monotonic()
    state = "complete" if got == payload else f"STALLED {time.monotonic() - last:.1f} s"
    print(f"sent {sent} of {total}, echoed {len(got)}, intact prefix "
          f"{got == payload[:len(got)]}: {state} after {time.monotonic() - start:.2f} s")


def half_close(target, text):
    s = socket.create_connection(target, timeout=WAIT)
    s.sendall(text.encode())
    s.shutdown(socket.SHUT_WR)
    start, got = time.monotonic(), b""
    try:
        while chunk := s.recv(65536):
            got += chunk
        end = "FIN"
    except ConnectionResetError:
        end = "RST"
    except socket.timeout:
        end = "nothing more (timed out)"
    print(f"received {got!r} then {end} after {time.monotonic() - start:.3f} s")


def connect_burst(target, count):
    sockets, slow, failed = [], [], 0
    for i in range(count):
        start = time.monotonic()
        try:
            sockets.append(socket.create_connection(target, timeout=WAIT))
        except OSError as error:
            failed += 1
            print(f"connection {i + 1}: {error}")
            continue
        took = time.monotonic() - start
        if took > 0.5:
            slow.append((i + 1, round(took, 2)))
    echoed = 0
    for s in sockets:
        s.settimeout(WAIT)
        try:
            s.sendall(b"ping")
            echoed += s.recv(16) == b"ping"
        except OSError:
            pass
    print(f"{len(sockets)} of {count} connected ({failed} failed); connects over 0.5 s "
          f"(number, seconds): {slow}; {echoed} echoed 'ping'")


def udp(target, sizes, burst):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    sent = [os.urandom(size) for size in sizes]

    def collect():
        replies = []
        try:
            while True:
                data, peer = s.recvfrom(65536)
                match = [i + 1 for i, d in enumerate(sent) if d == data]
                replies.append(f"{len(data)} bytes from port {peer[1]}"
                               + (f" = datagram {match[0]}" if match else " (matches none)"))
        except socket.timeout:
            return replies

    if burst:
        for data in sent:
            s.sendto(data, target)
        print(f"sent {sizes} back to back; replies: {collect()}")
        return
    for data in sent:
        s.sendto(data, target)
        print(f"sent {len(data)} bytes; replies: {collect()}")


def udp_from(target, sources):
    for source in sources:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(1.0)
        try:
            s.bind(address(source))
        except OSError as error:
            print(f"from {source}: cannot bind ({error.strerror})")
            continue
        s.sendto(b"a datagram from " + source.encode(), target)
        try:
            data, peer = s.recvfrom(65536)
            print(f"from {source}: answered, {len(data)} bytes from port {peer[1]}")
        except socket.timeout:
            print(f"from {source}: no reply in 1 s")
        s.close()


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    command, target, rest = sys.argv[1], address(sys.argv[2]), sys.argv[3:]
    if command == "stream":
        stream(target, int(rest[0]))
    elif command == "half-close":
        half_close(target, rest[0])
    elif command == "connect-burst":
        connect_burst(target, int(rest[0]))
    elif command in ("udp-sizes", "udp-burst"):
        udp(target, [int(n) for n in rest], burst=command == "udp-burst")
    elif command == "udp-from":
        udp_from(target, rest)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
