#!/usr/bin/env python3
"""Smoke test of tools/bench-peers: a short run against the reference server and
the yardstick (no third-party peers needed), then checks of what it wrote.

  bench_peers_test.py BIN_DIR OUT_DIR

Fails (exit 1, one line per problem) if bench-peers fails, if a throughput or the
reference server's CPU per message is missing, or if the udp-gso load did not
actually send with GSO, if the idle test's descriptor census miscounts, if a server
ran in another scheduling autogroup than echo-bench (contenders.py: a new session is
one, and the kernel weighs it apart), or if --server-cpus / --bench-cpus do not pin the
server and echo-bench."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from echotools.proc import descriptors_in_use  # noqa: E402

LOADS = ["pp1", "pp50", "udp", "udp-gso"]


def census_problems() -> list:
    """descriptors_in_use() explains a server that stopped accepting (Go's io.Copy holds a
    splice pipe per connection): three more pipes here must show as six more pipe ends."""
    def pipes():
        said = descriptors_in_use([os.getpid()])
        found = re.search(r"([\d,]+) pipes", said)
        return int(found.group(1).replace(",", "")) if found else 0, said

    before, _ = pipes()
    opened = [os.pipe() for _ in range(3)]
    after, said = pipes()
    for pair in opened:
        for fd in pair:
            os.close(fd)
    if after - before != 6 or "(limit " not in said:
        return [f"descriptors_in_use: {before} then {after} pipe ends after opening 3 pipes ({said})"]
    return []


def placement_problems(bindir: str, out: str) -> list:
    """--server-cpus / --bench-cpus: the kernel must report each side on its own CPU."""
    usable = sorted(os.sched_getaffinity(0))
    server_cpu, bench_cpu = usable[0], usable[-1]
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bench-peers"), "--bin", bindir, "--out", out,
         "--only", "ref-epoll", "--loads", "pp1", "--reps", "1", "--duration", "0.3",
         "--warmup", "0.1", "--no-idle", "--server-cpus", str(server_cpu),
         "--bench-cpus", str(bench_cpu)],
        capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return [f"pinned bench-peers exited {done.returncode}:\n{done.stdout[-2000:]}"]
    results = json.loads(max(Path(out).glob("bench-peers-*.json")).read_text())
    placed = results["runs"]["pp1"]["ref-epoll"][0].get("cpus_allowed")
    want = {"server": str(server_cpu), "bench": str(bench_cpu)}
    problems = [] if placed == want else [f"pinned run placed {placed}, expected {want}"]
    if results["machine"]["placement"]["server_loops"] != 1:
        problems.append(f"pinned run: {results['machine']['placement']} (expected 1 event loop)")
    return problems


def main(bindir: str, out: str) -> int:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bench-peers"), "--bin", bindir, "--out", out,
         "--only", "ref-epoll,yardstick", "--loads", ",".join(LOADS), "--reps", "1",
         # 1 s: the 0.1 s CPU sampler still gets its samples on a busy machine
         "--duration", "1.0", "--warmup", "0.1", "--no-idle"],
        capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        print(f"bench-peers exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return 1
    problems = census_problems() + placement_problems(bindir, str(Path(out) / "pinned"))
    results = json.loads(max(Path(out).glob("bench-peers-*.json")).read_text())
    for load in LOADS:
        for name in ("ref-epoll", "yardstick"):
            runs = results["runs"].get(load, {}).get(name, [])
            if not runs or runs[0].get("messages", {}).get("per_second", 0) <= 0:
                problems.append(f"{load} {name}: no throughput ({runs[0] if runs else 'no run'})")
            groups = runs[0].get("autogroups", {}) if runs else {}
            if groups.get("bench") and groups.get("server") != groups["bench"]:
                problems.append(f"{load} {name}: the server ran in another scheduling "
                                f"autogroup than echo-bench ({groups})")
        reference = results["runs"].get(load, {}).get("ref-epoll", [{}])[0]
        if not reference.get("server_cpu", {}).get("us_per_message"):
            problems.append(f"{load} ref-epoll: no server CPU per message "
                            f"({reference.get('server_cpu')})")
    gso = results["runs"]["udp-gso"]["ref-epoll"][0].get("udp", {})
    if not gso.get("gso_sends"):
        problems.append(f"udp-gso: echo-bench sent nothing with GSO ({gso})")
    markdown = (Path(out) / "latest.md").read_text()
    for heading in ("| ref-epoll |", "Server CPU per message", "Targets"):
        if heading not in markdown:
            problems.append(f"latest.md has no '{heading}'")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
