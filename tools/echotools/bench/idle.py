"""The idle-connection test of tools/bench-peers: open N connections to a fresh server
and read its process tree's resident memory before and after.

Example:
    outcome = idle_connections(server, 10000)
    # (5200, 10800): RSS in KiB before and after; or a string saying what went wrong,
    # with a census of the server's descriptors ("20,000 descriptors open (limit ...")
"""
import socket
import time

from ..proc import descriptors_in_use, process_tree_rss_kib

LINGER_RESET = b"\x01\x00\x00\x00\x00\x00\x00\x00"  # SO_LINGER on, 0 s: close sends RST


def idle_connections(server, count, deadline_s=60.0):
    """Opens `count` idle connections; returns (rss_before_kib, rss_after_kib) or an error."""
    host, port = server.target.rsplit(":", 1)
    before = process_tree_rss_kib(server.pids)
    sockets, end = [], time.monotonic() + deadline_s
    try:
        for _ in range(count):
            s = socket.create_connection((host, int(port)), timeout=5)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
            sockets.append(s)
            if time.monotonic() > end:
                return (f"only {len(sockets)} connections in {deadline_s:.0f} s; "
                        + descriptors_in_use(server.pids))
        # An echo on the last connections: accepted in order, so all were accepted.
        for s in sockets[-5:]:
            s.settimeout(max(1.0, end - time.monotonic()))
            s.sendall(b"x")
            if s.recv(1) != b"x":
                return "no echo on an idle connection; " + descriptors_in_use(server.pids)
        time.sleep(0.5)  # let the server finish bookkeeping: the figure, not a synchronisation
        return before, process_tree_rss_kib(server.pids)
    except OSError as error:
        return f"after {len(sockets)} connections: {error}; " + descriptors_in_use(server.pids)
    finally:
        for s in sockets:
            s.close()


def idle_record(count, before, after):
    """The JSON record of a successful idle test."""
    return {"connections": count, "rss_before_kib": before, "rss_after_kib": after,
            "per_connection_bytes": (after - before) * 1024 / count}
