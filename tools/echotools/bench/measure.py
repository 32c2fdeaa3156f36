"""The measurements of tools/bench-peers: one echo-bench run against a server (with the
server's CPU sampled in echo-bench's window), the calibration clients (yardstick-client,
iperf3), and the machine it ran on. Each side runs on the placement's CPUs.

Example:
    result = run_bench(bindir, server.target, LOADS["pp50"].args, 3.0, 1.0, placement,
                       server.pids)
    result["messages"]["per_second"], result["window"]["seconds"], result["cpus_allowed"]
    result["autogroups"]   # {"server": "/autogroup-477", "bench": "/autogroup-477"}
"""
import datetime
import json
import os
import platform
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from ..proc import autogroup, status_field
from .sampler import CpuSampler


def run_bench(bindir, target, args, duration, warmup, placement, server_pids=()):
    """echo-bench's JSON result, plus the server tree's CPU in the window as `window`,
    where each side was allowed to run as `cpus_allowed` and each side's scheduling group
    as `autogroups` (the same one, or the kernel weighs them apart: contenders.py);
    {"error": ...} if it failed."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [str(bindir / "echo-bench"), target, *args, "-d", str(duration), "-w",
                   str(warmup), "-t", str(placement.bench_threads), "--quiet", "--json", out.name]
        with placement.on(placement.bench_cpus):
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # Where each side was allowed to run, as the kernel says (--server-cpus, --bench-cpus).
        placed = {"server": status_field(server_pids[0], "Cpus_allowed_list") if server_pids
                  else None, "bench": status_field(process.pid, "Cpus_allowed_list")}
        groups = {"server": autogroup(server_pids[0]) if server_pids else None,
                  "bench": autogroup(process.pid)}
        sampler = CpuSampler(server_pids)
        try:
            output, _ = process.communicate(timeout=duration + warmup + 60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return {"error": "echo-bench timed out"}
        finally:
            sampler.finish()
        try:
            result = json.loads(Path(out.name).read_text())
        except (OSError, ValueError):
            said = output.decode(errors="replace").strip().splitlines()
            return {"error": f"exit {process.returncode}: {said[-1] if said else 'no output'}"}
    if process.returncode != 0:
        result["error"] = f"exit {process.returncode}: {result['errors']['first']}"
    start_ns, end_ns = result.get("window_monotonic_ns", (0, 0))
    result["window"] = sampler.window(start_ns, end_ns)
    result["cpus_allowed"] = placed
    result["autogroups"] = groups
    return result


def run_yardstick_client(bindir, target, connections, seconds, placement):
    """yardstick-client's msg/s against `target`, or None if it failed."""
    host, port = target.rsplit(":", 1)
    with placement.on(placement.bench_cpus):
        done = subprocess.run([str(bindir / "yardstick-client"), host, port, str(connections),
                               "64", str(seconds)], stdout=subprocess.PIPE, timeout=seconds + 60)
    return float(done.stdout.split()[0]) if done.returncode == 0 else None


def run_iperf3(seconds, placement):
    """iperf3's one-way loopback MB/s, or None if it failed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with placement.on(placement.server_cpus):
        server = subprocess.Popen(["iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):  # the server needs a moment to listen: retry the client
            with placement.on(placement.bench_cpus):
                done = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-t",
                                       str(seconds), "-J"], stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, timeout=seconds + 30)
            if done.returncode == 0:
                try:
                    data = json.loads(done.stdout)
                    return data["end"]["sum_received"]["bits_per_second"] / 8 / 1e6
                except (ValueError, KeyError, TypeError):
                    return None  # a calibration figure, not worth ending the run for
            time.sleep(0.05)
        return None
    finally:
        server.kill()
        server.wait()


def machine():
    """What the run ran on, for the report's header."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "load_average": os.getloadavg()[0],
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}
