"""Starts one third-party echo server on a free loopback port.

  tools/peers/start-peer NAME [--work DIR]   start NAME, print its listening lines,
                                             run until SIGTERM/SIGINT or until it dies
  tools/peers/start-peer --list              the peers, and which are installed

It prints what the reference echo-server prints, so the same code finds it:
  listening tcp 127.0.0.1:41234
  listening udp 127.0.0.1:41234      (for peers that serve UDP)
Exit codes: 0 stopped by a signal, 1 the peer died or failed to start,
2 usage error, 3 the peer is not installed (tools/setup --peers installs it).
"""
import argparse
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .listening import StartError
from .peers import PEERS


def list_peers() -> int:
    for peer in PEERS.values():
        missing = peer.missing()
        state = "installed" if not missing else f"not installed ({', '.join(missing)} missing)"
        transports = "tcp+udp" if peer.udp else "tcp"
        print(f"{peer.name:15} {transports:8} {state:30} {peer.summary}")
    return 0


def run(name: str, work: Path) -> int:
    peer = PEERS[name]
    if peer.missing():
        print(f"start-peer: {name} is not installed ({', '.join(peer.missing())} missing; "
              f"'tools/setup --peers' installs package {peer.package})", file=sys.stderr)
        return 3
    try:
        running = peer.start(work)
    except StartError as error:
        print(f"start-peer: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    for line in running.announcements:
        print(line, flush=True)
    while not stop.wait(0.2) and not running.exited():
        pass  # wakes five times a second to notice a peer that died
    died = running.exited() if not stop.is_set() else None
    running.stop()
    if died:
        print(f"start-peer: {name} exited with status {died.returncode}", file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", choices=sorted(PEERS), metavar="NAME",
                        help="one of: " + ", ".join(PEERS))
    parser.add_argument("--list", action="store_true", help="list the peers and exit")
    parser.add_argument("--work", type=Path, help="folder for configs, logs and builds "
                        "(default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.list:
        return list_peers()
    if not args.name:
        parser.error("a peer NAME or --list is required")
    if args.work:
        return run(args.name, args.work)
    with tempfile.TemporaryDirectory(prefix="peer-") as work:
        return run(args.name, Path(work))

