"""The loads of tools/bench-peers: echo-bench's arguments for each, the unit of its
figure, and which contenders it suits.

Example:
    LOADS["pp50"].args        # ["-c", "50", "-s", "64", "-p", "1"]
    figure("bulk1", result)   # MB/s echoed, from echo-bench's JSON
    missing_options(help_text, ["udp-gso"])   # {"udp-gso": ["--gso"]} on an old echo-bench
"""
import re
import subprocess
from typing import NamedTuple


class Load(NamedTuple):
    args: list  # echo-bench arguments
    unit: str  # "msg/s" or "MB/s"
    description: str


LOADS = {
    "pp1": Load(["-c", "1", "-s", "64", "-p", "1"], "msg/s", "ping-pong, 1 connection, 64 B"),
    "pp50": Load(["-c", "50", "-s", "64", "-p", "1"], "msg/s", "ping-pong, 50 connections, 64 B"),
    "pipe16": Load(["-c", "50", "-s", "64", "-p", "16"], "msg/s",
                   "pipelined depth 16, 50 connections, 64 B"),
    "bulk1": Load(["-c", "1", "-s", "65536", "-p", "8"], "MB/s",
                  "bulk stream, 1 connection, 64 KiB messages x 8 in flight (MB/s each way)"),
    "bulk4": Load(["-c", "4", "-s", "65536", "-p", "8"], "MB/s",
                  "bulk stream, 4 connections (MB/s each way)"),
    "udp": Load(["--udp", "-c", "8", "-s", "64", "-p", "8"], "msg/s",
                "UDP 64 B datagrams, 8 sockets x 8 in flight"),
    "udp-gso": Load(["--udp", "--gso", "-c", "8", "-s", "64", "-p", "8"], "msg/s",
                    "as udp, echo-bench sending with UDP GSO (--gso)"),
}
# Loads the iterative model can serve sensibly (one connection at a time).
ITERATIVE_LOADS = {"pp1", "bulk1", "udp", "udp-gso"}
# Peers whose UDP side forks a process per datagram or per peer: not a load test.
NO_UDP = {"socat", "ncat"}
# Loads with a yardstick-client calibration (ping-pong, same connection count).
CALIBRATED_LOADS = ("pp1", "pp50")


def is_udp(load):
    return "--udp" in LOADS[load].args


def connections(load):
    return int(LOADS[load].args[LOADS[load].args.index("-c") + 1])


def cpu_unit(load):
    """What CPU time is divided by: 'message', or 'MB' (echoed) for the bulk loads."""
    return "MB" if LOADS[load].unit == "MB/s" else "message"


def cpu_key(load):
    """The key of the CPU-per-unit figure in a run's JSON."""
    return "us_per_mb" if cpu_unit(load) == "MB" else "us_per_message"


def suits(name, load, udp):
    """Whether contender `name` (serving UDP or not) runs `load`."""
    if name == "ref-iterative" and load not in ITERATIVE_LOADS:
        return False
    return udp or not is_udp(load)


def figure(load, result):
    """The throughput of one echo-bench result in the load's unit; None when it failed."""
    if "error" in result and "messages" not in result:
        return None
    if LOADS[load].unit == "MB/s":
        return result["bytes"]["received_mb_per_s"]
    return result["messages"]["per_second"]


def missing_options(help_text, loads):
    """{load: [long options of its echo-bench arguments that `help_text` does not name]}."""
    known = set(re.findall(r"--[\w-]+", help_text))
    missing = {load: [a for a in LOADS[load].args if a.startswith("--") and a not in known]
               for load in loads}
    return {load: options for load, options in missing.items() if options}


def unknown_options(echo_bench, loads):
    """missing_options() of this echo-bench binary: echo-bench grows options (--gso), and an
    older binary exits 2 on an unknown one, so such loads are found before anything runs."""
    done = subprocess.run([str(echo_bench), "--help"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=30)
    return missing_options(done.stdout.decode(errors="replace"), loads)
