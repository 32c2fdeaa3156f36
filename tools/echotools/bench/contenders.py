"""Starting the contenders of tools/bench-peers: the reference echo-server in each model
(ref-epoll, ref-fork, ref-iterative), the yardstick server, and the peers of
echotools.peers, each on 127.0.0.1 port 0 and on the placement's server CPUs.

Each contender gets a process group of its own (so a Ctrl-C at the terminal does not
reach it) but stays in bench-peers' session: a new session would also be a new
scheduling autogroup (proc.autogroup()), which the kernel weighs against echo-bench's as
a whole, whatever either's nice value. Then the server's CPU share depends on how many
other groups are runnable and on their autogroup nice, not on the priority the run was
given; a server in a group reniced to 19 on a busy machine went unscheduled for seconds
(a 2 s UDP probe unanswered, next to no server CPU in the window).

Example:
    server = start_contender("ref-epoll", bindir, work, placement)
    server.target    # "127.0.0.1:41234"
    server.stop()
"""
import subprocess

from ..listening import StartError, read_listening
from ..peers import PEERS
from .loads import NO_UDP

REFERENCE_MODELS = ("epoll", "fork", "iterative")
LISTEN_SECONDS = 20.0


class Server:
    """A running contender: its TCP/UDP target and the processes to measure and stop."""

    def __init__(self, name, target, udp, stop, pids):
        self.name, self.target, self.udp, self.stop, self.pids = name, target, udp, stop, pids


def start_program(name, command, seconds=LISTEN_SECONDS):
    """Runs a server that prints its listening lines (tcp and udp); StartError if it does
    not within `seconds`."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, process_group=0)
    try:
        lines = read_listening(process.stdout, 2, seconds)
    except StartError as error:
        process.kill()
        process.wait()
        raise StartError(f"{name} {error}") from None

    def stop():
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    tcp = [line.split()[2] for line in lines if line.split()[1] == "tcp"]
    if not tcp:
        stop()
        raise StartError(f"{name} printed no 'listening tcp' line")
    return Server(name, tcp[0], any(" udp " in line for line in lines), stop, [process.pid])


def contenders_available():
    """Every contender in the order they run: the reference models, the yardstick, then
    the installed peers."""
    return ([f"ref-{model}" for model in REFERENCE_MODELS] + ["yardstick"]
            + [name for name, peer in PEERS.items() if not peer.missing()])


def start_contender(name, bindir, work, placement):
    with placement.on(placement.server_cpus):
        if name.startswith("ref-"):
            model = name[4:]
            threads = ["--threads", str(placement.server_loops)] if model == "epoll" else []
            return start_program(name, [str(bindir / "echo-server"), "--listen", "127.0.0.1:0",
                                        "--model", model, "--quiet"] + threads)
        if name == "yardstick":
            return start_program(name, [str(bindir / "yardstick-server"), "0"])
        running = PEERS[name].start(work / name)
    return Server(name, running.target, running.udp and name not in NO_UDP, running.stop,
                  [p.pid for p in running.processes])
