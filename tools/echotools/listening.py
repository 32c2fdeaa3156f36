"""Reading a server's announcement lines ("listening tcp 127.0.0.1:PORT", then
"listening udp ..." where it serves UDP) from its standard output, within a deadline.

echo-server, the yardstick server and the peers that bind port 0 print these lines. A
server that prints nothing, or fewer lines than expected, must not hang its launcher: the
pipe is read with select() and the time left, never with a blocking readline() (which
waits for as long as the server keeps its standard output open).

Example:
    process = subprocess.Popen([server, "0"], stdout=subprocess.PIPE)
    lines = read_listening(process.stdout, want=2, seconds=20)
    # ["listening tcp 127.0.0.1:41234", "listening udp 127.0.0.1:41234"]
"""
import os
import select
import time

PREFIX = "listening "


class StartError(Exception):
    """A server that could not be started; the message says why."""


def read_listening(stream, want, seconds):
    """The first `want` announcement lines printed on `stream` (a pipe; other lines are
    skipped). Raises StartError when the stream ends first ("exited before it listened")
    or when `seconds` pass first ("... in S s"); either way the message says how many of
    the lines came. Reads the descriptor directly, so do not read `stream` before this."""
    fd, end = stream.fileno(), time.monotonic() + seconds
    pending, lines = b"", []
    while len(lines) < want:
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise StartError(f"printed {len(lines)} of {want} listening lines in {seconds:g} s")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise StartError(f"exited before it listened (printed {len(lines)} of {want} "
                             "listening lines)")
        *complete, pending = (pending + chunk).split(b"\n")
        for raw in complete:
            line = raw.decode(errors="replace").strip()
            if line.startswith(PREFIX) and len(lines) < want:
                lines.append(line)
    return lines
