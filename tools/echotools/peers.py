"""Third-party echo servers, started on free loopback ports for comparison.

Each peer is a widely used echo implementation from a Debian package (or a
few lines of a widely used runtime, in tools/peers/). start() runs it on
127.0.0.1, waits until it listens (at most READY_SECONDS) and returns a Running
peer whose `announcements` are the lines the reference server prints
("listening tcp 127.0.0.1:PORT", and "listening udp ..." where the peer serves
UDP). stop() ends it and everything it started. A peer that cannot be started
raises StartError (echotools.listening) saying why.

Example:
    peer = PEERS["socat"]
    if peer.missing(): print("skipped:", peer.missing())
    running = peer.start(work_dir)
    print(running.target)        # "127.0.0.1:41234"
    running.stop()

Ports: peers that cannot print the port they were given (socat, ncat, xinetd,
tcpserver) get one from free_port(), which binds 127.0.0.1:0 for TCP and UDP,
reads the port and closes both. Another program could take that port before
the peer binds it; the peer then fails to start and start() tries again with
a new port (up to ATTEMPTS times). The Node.js, Python and Go peers bind port
0 themselves and print it, so they have no such race.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .listening import StartError, read_listening
from .paths import TOOLS

PROGRAMS = TOOLS / "peers"  # the peers' own programs: echo_server.js, .go, echo_asyncio.py
HOST = "127.0.0.1"
ATTEMPTS = 5
READY_SECONDS = 60.0  # building the Go peer the first time takes a while


def free_port() -> int:
    """A port free for both TCP and UDP on 127.0.0.1 at the time of the call."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind((HOST, 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((HOST, port))
                except OSError:
                    continue
                return port
    raise StartError("no port free for both TCP and UDP on 127.0.0.1")


def _bound_ports(table: str, listening_only: bool) -> set[int]:
    """Local ports on 127.0.0.1 in /proc/net/tcp or /proc/net/udp."""
    ports = set()
    with open(f"/proc/net/{table}") as lines:
        next(lines)
        for line in lines:
            fields = line.split()
            address, port = fields[1].split(":")
            if address != "0100007F":
                continue
            if listening_only and fields[3] != "0A":  # TCP_LISTEN
                continue
            ports.add(int(port, 16))
    return ports


def _die_with_parent() -> None:
    """In the child: SIGTERM when the launcher dies, so no peer outlives it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)  # each peer process leads a group of its own
    except ProcessLookupError:
        pass


@dataclass
class Running:
    name: str
    port: int
    announcements: list[str]
    processes: list[subprocess.Popen]

    @property
    def target(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def udp(self) -> bool:
        return any(line.startswith("listening udp") for line in self.announcements)

    def exited(self) -> subprocess.Popen | None:
        """A process of the peer that has exited, if any."""
        return next((p for p in self.processes if p.poll() is not None), None)

    def stop(self, timeout: float = 5.0) -> None:
        for process in self.processes:
            _signal_group(process, signal.SIGTERM)  # also the children it forked
        end = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.wait(max(0.0, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        for process in self.processes:
            _signal_group(process, signal.SIGKILL)  # forked children that ignored SIGTERM


@dataclass
class Peer:
    name: str
    package: str  # the Debian package that provides it
    programs: list[str]  # what must be on PATH
    udp: bool  # whether it serves UDP as well
    summary: str
    # Commands for a port (port 0 for peers that print their own), given the work dir.
    commands: Callable[[int, Path], list[list[str]]]
    prints_port: bool = False  # the program prints "listening tcp/udp HOST:PORT" itself
    prepare: Callable[[Path], None] | None = None  # e.g. building the Go peer
    env: dict[str, str] = field(default_factory=dict)

    def missing(self) -> list[str]:
        return [p for p in self.programs if shutil.which(p) is None]

    def start(self, work: Path) -> Running:
        work.mkdir(parents=True, exist_ok=True)
        if self.prepare:
            self.prepare(work)
        errors = []
        for _ in range(ATTEMPTS):
            try:
                return self._start_once(work)
            except StartError as error:
                errors.append(str(error))
        raise StartError(f"{self.name} did not start: " + "; ".join(errors))

    def _spawn(self, command: list[str], work: Path, log_name: str) -> subprocess.Popen:
        log = open(work / log_name, "ab")
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if self.prints_port else log, stderr=log,
            cwd=work, env={**os.environ, **self.env},
            # A process group, not a session: a session is a scheduling autogroup of its
            # own (echotools/bench/contenders.py says why that must not be).
            process_group=0, preexec_fn=_die_with_parent)

    def _start_once(self, work: Path) -> Running:
        port = 0 if self.prints_port else free_port()
        processes = [self._spawn(command, work, f"{self.name}.log")
                     for command in self.commands(port, work)]
        running = Running(self.name, port, [], processes)
        try:
            if self.prints_port:
                self._read_announcements(running)
            else:
                self._await_listening(running)
        except StartError:
            running.stop()
            raise
        return running

    def _read_announcements(self, running: Running) -> None:
        (process,) = running.processes
        try:
            running.announcements = read_listening(process.stdout, 2 if self.udp else 1,
                                                   READY_SECONDS)
        except StartError as error:
            raise StartError(f"{self.name} {error} (see its log)") from None
        running.port = int(running.announcements[0].rsplit(":", 1)[1])

    def _await_listening(self, running: Running) -> None:
        end = time.monotonic() + READY_SECONDS
        while True:
            tcp = running.port in _bound_ports("tcp", listening_only=True)
            udp = not self.udp or running.port in _bound_ports("udp", listening_only=False)
            if tcp and udp:
                break
            if running.exited():
                raise StartError(f"{self.name} exited before it listened on port {running.port}")
            if time.monotonic() > end:
                raise StartError(f"{self.name} not listening on port {running.port} after "
                                f"{READY_SECONDS:.0f} s")
            time.sleep(0.02)  # polling the kernel's socket table, not a synchronisation guess
        running.announcements = [f"listening tcp {running.target}"]
        if self.udp:
            running.announcements.append(f"listening udp {running.target}")


# --- the peers ---------------------------------------------------------------

def _socat(port: int, work: Path) -> list[list[str]]:
    return [["socat", f"TCP4-LISTEN:{port},bind={HOST},reuseaddr,fork", "PIPE"],
            ["socat", f"UDP4-RECVFROM:{port},bind={HOST},fork", "PIPE"]]


def _ncat(port: int, work: Path) -> list[list[str]]:
    return [["ncat", "--listen", "--keep-open", "--exec", "/bin/cat", HOST, str(port)],
            ["ncat", "--udp", "--listen", "--keep-open", "--exec", "/bin/cat", HOST, str(port)]]


XINETD_SERVICE = """service echo
{{
  type        = INTERNAL UNLISTED
  id          = echo-{socket_type}
  socket_type = {socket_type}
  protocol    = {protocol}
  wait        = {wait}
  user        = root
  bind        = {host}
  port        = {port}
}}
"""


def _xinetd(port: int, work: Path) -> list[list[str]]:
    config = work / "xinetd.conf"
    text = f"defaults\n{{\n  log_type = FILE {work / 'xinetd-services.log'}\n}}\n"
    text += XINETD_SERVICE.format(socket_type="stream", protocol="tcp", wait="no", host=HOST,
                                  port=port)
    text += XINETD_SERVICE.format(socket_type="dgram", protocol="udp", wait="yes", host=HOST,
                                  port=port)
    config.write_text(text)
    return [["xinetd", "-dontfork", "-f", str(config), "-pidfile", str(work / "xinetd.pid")]]


def _tcpserver(port: int, work: Path) -> list[list[str]]:
    # -H -R -l: no DNS or ident look-ups (no network here); otherwise defaults.
    return [["tcpserver", "-H", "-R", "-l", "localhost", HOST, str(port), "cat"]]


def _node(port: int, work: Path) -> list[list[str]]:
    return [["node", str(PROGRAMS / "echo_server.js"), HOST, str(port)]]


def _python(port: int, work: Path) -> list[list[str]]:
    return [[sys.executable, str(PROGRAMS / "echo_asyncio.py"), HOST, str(port)]]


def _go_binary(work: Path) -> Path:
    return work / "go-echo"


def _build_go(work: Path) -> None:
    """Builds echo_server.go once (standard library only: nothing is downloaded)."""
    binary, source = _go_binary(work), PROGRAMS / "echo_server.go"
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": "", "GO111MODULE": "off",
           "GOCACHE": str(work / "go-cache")}
    built = subprocess.run(["go", "build", "-o", str(binary), str(source)], env=env, cwd=work,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    if built.returncode != 0:
        raise StartError("go build failed: " + built.stdout.decode(errors="replace").strip())


def _go(port: int, work: Path) -> list[list[str]]:
    return [[str(_go_binary(work)), HOST, str(port)]]


PEERS: dict[str, Peer] = {peer.name: peer for peer in [
    Peer("socat", "socat", ["socat"], True,
         "socat TCP4-LISTEN,fork PIPE and UDP4-RECVFROM,fork PIPE", _socat),
    Peer("ncat", "ncat", ["ncat"], True,
         "ncat --listen --keep-open --exec /bin/cat (TCP and --udp)", _ncat),
    Peer("xinetd", "xinetd", ["xinetd"], True,
         "xinetd's built-in echo service (type = INTERNAL), stream and dgram", _xinetd),
    Peer("tcpserver", "ucspi-tcp", ["tcpserver"], False,
         "ucspi-tcp tcpserver running cat (TCP only)", _tcpserver),
    Peer("node", "nodejs", ["node"], True,
         "Node.js net socket.pipe(socket) and dgram (tools/peers/echo_server.js)", _node,
         prints_port=True),
    Peer("python-asyncio", "python3", [], True,
         "Python asyncio start_server and DatagramProtocol (tools/peers/echo_asyncio.py)",
         _python, prints_port=True),
    Peer("go", "golang-go", ["go"], True,
         "Go net io.Copy(conn, conn) and ReadFrom/WriteTo (tools/peers/echo_server.go)", _go,
         prints_port=True, prepare=_build_go),
]}
