"""Benchmarks the reference echo server against third-party peers, calibrated.

  tools/bench-peers [--reps N] [--quick] [--duration S] [--bin DIR] [--out DIR]
                    [--only a,b] [--loads a,b] [--idle N] [--no-idle]
                    [--bench-threads N] [--server-cpus LIST --bench-cpus LIST]

Runs the same loads with echo-bench against the reference echo-server (epoll
with one event loop per CPU that echo-bench leaves free, fork and, where it
makes sense, iterative), the yardstick server, and the installed peers of
tools/peers (Go, Node.js, Python asyncio, socat, ncat, xinetd, tcpserver).
Contenders alternate inside each repetition and each figure is the median of
--reps runs. In the same run it calibrates: iperf3
one-way loopback throughput, and yardstick-client against the same servers
(echo-bench must not be the bottleneck). Last, it opens --idle connections
(default 10000) to fresh servers and reports their resident memory.

Besides throughput, every run records the server's CPU time (user + system,
whole process tree) in echo-bench's measured window, per message echoed (per
MB for the bulk loads), and echo-bench's own CPU. echo-bench has one thread
(--bench-threads N for more): when it uses >= 90 % of its cores the throughput
is the load generator's limit, not the server's, and the figure is marked as
load-generator bound. Server CPU per message is not capped that way.

On a machine with cores to spare, give the load generator cores of its own so
that the throughput ratios are the servers' and not echo-bench's, e.g. on 8 CPUs:
  tools/bench-peers --server-cpus 0 --bench-cpus 1-7 --bench-threads 7
Every contender (and the iperf3 server) then runs on --server-cpus, echo-bench,
yardstick-client and the iperf3 client on --bench-cpus (CPU affinity, inherited
by their threads and children), and the epoll server gets one event loop per
server CPU; each run records the CPUs the server and echo-bench were allowed.

A load whose echo-bench options this echo-bench does not have (udp-gso needs
--gso) is skipped with a log line.

Writes bench/results/bench-peers-<date>.{md,svg,json} and latest.{md,svg};
prints the headline. All traffic stays on 127.0.0.1.
Exit codes: 0 done, 2 a needed program is missing or an option is wrong (such
as a CPU list naming CPUs that are not available).
"""
import argparse
import datetime
import json
import resource
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from ..listening import StartError
from ..paths import ROOT
from .chart import bar_chart_svg
from .contenders import contenders_available, start_contender
from .figures import add_cpu_figures, cpu_summary, summary, targets
from .idle import idle_connections, idle_record
from .loads import CALIBRATED_LOADS, LOADS, connections, suits, unknown_options
from .markdown import headline, render, run_line
from .measure import machine, run_bench, run_iperf3, run_yardstick_client
from .placement import placement_from

IDLE_CONTENDERS = ["ref-epoll", "yardstick", "go", "node", "python-asyncio"]
PROGRAMS = ["echo-bench", "echo-server", "yardstick-server", "yardstick-client"]


def log(text):
    print(f"bench-peers: {text}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench-peers", description=__doc__.split("\n")[0],
                                     epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3, help="repetitions (median; default 3)")
    parser.add_argument("--duration", type=float, default=3.0, help="measured s per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up s per run")
    parser.add_argument("--quick", action="store_true",
                        help="about two minutes: 1 repetition of 1 s runs")
    parser.add_argument("--bin", help="folder with echo-bench, echo-server and the yardsticks "
                        "(default: the newest build/*/bin holding all four)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--only", help="comma-separated contenders (default: all installed)")
    parser.add_argument("--loads", help="comma-separated loads: " + ",".join(LOADS))
    parser.add_argument("--idle", type=int, default=10000, help="idle connections (default 10000)")
    parser.add_argument("--no-idle", action="store_true", help="skip the idle-connection test")
    parser.add_argument("--bench-threads", type=int, default=1,
                        help="echo-bench worker threads (default 1)")
    parser.add_argument("--server-cpus", help="CPU list the contenders run on (e.g. 0 or 0-1)")
    parser.add_argument("--bench-cpus", help="CPU list echo-bench and the calibration clients "
                        "run on (e.g. 1-7)")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.duration, args.warmup = 1, 1.0, 0.3
    return args


def find_bin(given):
    """--bin if it holds all PROGRAMS, else the newest build/*/bin that does; or None."""
    if given:
        return Path(given) if all((Path(given) / p).is_file() for p in PROGRAMS) else None
    dirs = [d for d in (ROOT / "build").glob("*/bin") if all((d / p).is_file() for p in PROGRAMS)]
    return max(dirs, key=lambda d: (d / "echo-bench").stat().st_mtime, default=None)


def raise_descriptor_limit(args):
    """RLIMIT_NOFILE to the hard limit (children inherit it); fewer idle connections if
    even that is too low."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < args.idle + 100 and not args.no_idle:
        log(f"RLIMIT_NOFILE hard limit {hard} is below {args.idle} + 100: fewer idle connections")
        args.idle = max(0, hard - 200)


class Run:
    """One bench-peers run: the options, the binaries, the placement and the results so far."""

    def __init__(self, args, bindir, placement, results):
        self.args, self.bindir, self.placement, self.results = args, bindir, placement, results

    def start_all(self, names, work):
        servers = {}
        for name in names:
            try:
                servers[name] = start_contender(name, self.bindir, work, self.placement)
                log(f"started {name} at {servers[name].target}")
            except (StartError, OSError) as error:
                log(f"skipped {name}: {error}")
        return servers

    def repetition(self, rep, servers, loads):
        """Every load against every contender (order reversed every other repetition), the
        yardstick-client calibration of the ping-pong loads, and iperf3."""
        args = self.args
        for load in loads:
            order = list(servers) if rep % 2 == 0 else list(reversed(servers))
            for name in order:
                if suits(name, load, servers[name].udp):
                    self.bench_one(load, servers[name])
            if load in CALIBRATED_LOADS:
                self.yardstick_client(load, servers)
        if shutil.which("iperf3") and (not args.loads or "bulk1" in loads):
            mbps = run_iperf3(max(1, round(args.duration)), self.placement)
            self.results["calibration"].setdefault("iperf3 one-way MB/s", []).append(mbps)
            log(f"  iperf3 one-way loopback: {mbps or 0:,.0f} MB/s")

    def bench_one(self, load, server):
        bench_args = LOADS[load].args
        result = run_bench(self.bindir, server.target, bench_args, self.args.duration,
                           self.args.warmup, self.placement, server.pids)
        add_cpu_figures(load, result)
        if "--gso" in bench_args and result.get("udp", {}).get("gso_sends") == 0:
            result.setdefault("error", "no GSO send went out (kernel refused?)")
        self.results["runs"].setdefault(load, {}).setdefault(server.name, []).append(result)
        log(f"  {load:7} {server.name:15} {run_line(load, result)}")

    def yardstick_client(self, load, servers):
        """Calibration in the same repetition: the C yardstick client."""
        for name in ("yardstick", "ref-epoll"):
            if name in servers:
                rate = run_yardstick_client(self.bindir, servers[name].target, connections(load),
                                            self.args.duration, self.placement)
                self.results["calibration"].setdefault(
                    f"yardstick-client {load} -> {name}", []).append(rate)
                log(f"  {load:7} yardstick-client -> {name}: {rate or 0:,.0f} msg/s")

    def idle(self, contenders, work):
        """The idle-connection test, each contender on a fresh server."""
        count = self.args.idle
        for name in IDLE_CONTENDERS:
            if name not in contenders:
                continue
            try:
                server = start_contender(name, self.bindir, work, self.placement)
            except (StartError, OSError) as error:
                log(f"idle: skipped {name}: {error}")
                continue
            try:
                outcome = idle_connections(server, count)
            finally:
                server.stop()
            if isinstance(outcome, str):
                self.results["idle"][name] = {"error": outcome}
                log(f"  idle {name}: {outcome}")
                continue
            record = idle_record(count, *outcome)
            self.results["idle"][name] = record
            log(f"  idle {name}: {record['rss_after_kib'] / 1024:.1f} MiB RSS with {count} "
                f"connections ({record['per_connection_bytes']:,.0f} B each)")


def write_results(results, loads, args, placement):
    """bench-peers-<stamp>.{md,svg,json} and latest.{md,svg} in --out; prints the headline."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    markdown = render(results, loads, placement, args.reps, args.duration, args.warmup)
    m = results["machine"]
    table, calibration = summary(results, loads)
    svg = bar_chart_svg(table, loads, {l: LOADS[l].unit for l in loads},
                        f"{m['nproc']} CPUs, {m['cpu']}, Linux {m['kernel']}, {m['date']}")
    for name in (f"bench-peers-{stamp}", "latest"):
        (out / f"{name}.md").write_text(markdown)
        (out / f"{name}.svg").write_text(svg)
    (out / f"bench-peers-{stamp}.json").write_text(json.dumps(results, indent=1))
    log(f"wrote {out}/bench-peers-{stamp}.{{md,svg,json}} and latest.{{md,svg}}")
    rows = targets(table, calibration, results["idle"], cpu_summary(results, loads))
    print("\n".join(headline(rows)))


def main(argv=None):
    args = parse_args(argv)
    try:
        placement = placement_from(args.bench_threads, args.server_cpus, args.bench_cpus)
    except ValueError as error:
        log(f"{error}")
        return 2
    bindir = find_bin(args.bin)
    if bindir is None:
        log(f"no {args.bin or 'build/*/bin'} with echo-bench, echo-server, yardstick-server and"
            " yardstick-client; build them first (see docs/performance.md)")
        return 2
    raise_descriptor_limit(args)
    info = machine()
    log(f"{info['nproc']} CPUs ({info['cpu']}), kernel {info['kernel']}, binaries in {bindir}")
    contenders = contenders_available()
    if args.only:
        contenders = [c for c in contenders if c in args.only.split(",")]
    loads = [l for l in LOADS if not args.loads or l in args.loads.split(",")]
    info["placement"] = placement.as_json()
    given = sys.argv[1:] if argv is None else argv
    command = "tools/bench-peers " + " ".join(shlex.quote(a) for a in given)
    results = {"machine": info, "command": command, "runs": {}, "calibration": {}, "idle": {},
               "skipped_loads": {}}
    for load, options in unknown_options(bindir / "echo-bench", loads).items():
        reason = f"echo-bench in {bindir} has no {' '.join(options)} option"
        results["skipped_loads"][load] = reason
        log(f"skipped load {load}: {reason} (it would exit 2 with a usage error)")
    loads = [l for l in loads if l not in results["skipped_loads"]]
    run = Run(args, bindir, placement, results)
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as work_dir:
        work = Path(work_dir)
        servers = run.start_all(contenders, work)
        try:
            for rep in range(args.reps):
                log(f"repetition {rep + 1} of {args.reps}")
                run.repetition(rep, servers, loads)
        finally:
            for server in servers.values():
                server.stop()
        if not args.no_idle and args.idle > 0:
            run.idle(contenders, work / "idle")
    write_results(results, loads, args, placement)
    return 0
