"""Checks widely used third-party echo servers side by side with the reference.

  tools/compare-peers [--out DIR] [--peers a,b] [--checker PATH] [--install]
                      [-- EXTRA ECHO-CONFORMANCE ARGS]

Starts every installed peer of tools/peers (socat, ncat, xinetd, tcpserver,
Node.js, Python asyncio, Go) on a free 127.0.0.1 port, runs ONE
`echo-conformance check NAME=127.0.0.1:PORT ...` with all of them as targets
plus --with-reference, so each matrix column is named after its peer, and
writes the matrix to DIR (default build/peers/): matrix.html, matrix.json,
matrix.xml (JUnit), and peers.json (each peer's address, package and how it
runs). Then it stops every peer and says where the matrix is.
Peers not installed are skipped with a line saying so (--install runs
`tools/setup --peers` first). See docs/peers.md for what the matrix shows.

Exit codes: 0 the matrix was written (whatever the peers' verdicts),
2 no checker, no peer started, or the checker could not make the run.
"""
import argparse
import json
import subprocess
from pathlib import Path

from .listening import StartError
from .paths import ROOT
from .peers import PEERS

CHECK_SECONDS = 1800  # a bound on the whole checker run; its cases have their own deadlines


def find_checker(given: Path | None) -> Path | None:
    """--checker, else the most recently built build/*/bin/echo-conformance."""
    if given:
        return given if given.is_file() else None
    built = [p for p in (ROOT / "build").glob("*/bin/echo-conformance") if p.is_file()]
    return max(built, key=lambda p: p.stat().st_mtime, default=None)


def start_peers(names: list[str], work: Path) -> list:
    running = []
    for name in names:
        peer = PEERS[name]
        if peer.missing():
            print(f"compare-peers: skipped {name}: not installed ({', '.join(peer.missing())} "
                  f"missing; 'tools/setup --peers' installs package {peer.package})")
            continue
        try:
            started = peer.start(work / name)
        except StartError as error:
            print(f"compare-peers: skipped {name}: {error}")
            continue
        transports = "tcp+udp" if started.udp else "tcp only"
        print(f"compare-peers: started {name} at {started.target} ({transports}): {peer.summary}")
        running.append(started)
    return running


def write_legend(running: list, out: Path) -> list[str]:
    """peers.json; returns one line per peer for the closing message."""
    legend = [{"peer": r.name, "target": r.target, "udp": r.udp,
               "package": PEERS[r.name].package, "summary": PEERS[r.name].summary}
              for r in running]
    (out / "peers.json").write_text(json.dumps(legend, indent=2) + "\n")
    (out / "peers.txt").unlink(missing_ok=True)  # older runs' name mapping, now in the matrix
    return [f"  {e['peer']:15} {e['target']:22} {e['summary']}" for e in legend]


def target_argument(peer) -> str:
    """NAME=HOST:PORT: the checker names the peer's column after it."""
    return f"{peer.name}={peer.target}"


def run_checker(checker: Path, running: list, out: Path, extra: list[str]) -> int:
    command = [str(checker), "check", *[target_argument(r) for r in running], "--with-reference",
               "--report", f"html={out / 'matrix.html'}",
               "--report", f"json={out / 'matrix.json'}",
               "--report", f"junit={out / 'matrix.xml'}", *extra]
    print("compare-peers: " + " ".join(command), flush=True)
    try:
        return subprocess.run(command, stdin=subprocess.DEVNULL, timeout=CHECK_SECONDS).returncode
    except subprocess.TimeoutExpired:
        print(f"compare-peers: the checker ran longer than {CHECK_SECONDS} s and was stopped")
        return 2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "peers",
                        help="where the matrix goes (default build/peers/)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="comma-separated peers (default all: %(default)s)")
    parser.add_argument("--checker", type=Path, help="the echo-conformance binary "
                        "(default: the newest build/*/bin/echo-conformance)")
    parser.add_argument("--install", action="store_true", help="run tools/setup --peers first")
    parser.add_argument("extra", nargs="*", help="more echo-conformance arguments, after --")
    args = parser.parse_args(argv)

    names = [n for n in args.peers.split(",") if n]
    unknown = [n for n in names if n not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {', '.join(unknown)}; peers: {', '.join(PEERS)}")
    checker = find_checker(args.checker)
    if checker is None:
        print("compare-peers: no echo-conformance binary (build the project, or --checker PATH)")
        return 2
    if args.install:
        subprocess.run([str(ROOT / "tools" / "setup"), "--peers"], check=True)

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    running = start_peers(names, out / "work")
    try:
        if not running:
            print("compare-peers: no peer started; nothing to compare")
            return 2
        legend = write_legend(running, out)
        status = run_checker(checker, running, out, args.extra)
        for peer in running:
            if died := peer.exited():
                print(f"compare-peers: note: {peer.name} exited during the run "
                      f"(status {died.returncode})")
    finally:
        for peer in running:
            peer.stop()
    if status not in (0, 1):
        print(f"compare-peers: the checker could not make the run (exit {status})")
        return 2
    print(f"compare-peers: matrix in {out}/: matrix.html, matrix.json, matrix.xml (JUnit), "
          f"peers.json; its columns are the peers:")
    print("\n".join(legend))
    return 0

