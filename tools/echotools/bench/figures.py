"""The figures of tools/bench-peers, from the runs' JSON: CPU per message, medians over
repetitions, the load-generator-bound rule (†), echo-bench's ceiling per load, and the
target ratios. Pure functions of the results: no I/O.

The † rule: a run whose echo-bench used >= BOUND_SHARE of its cores in the measured window
is load-generator bound (its throughput is echo-bench's limit, not the server's); a median
figure is bound when the median share is. Ratios with a bound throughput are capped.

Example:
    add_cpu_figures("pp50", result)          # adds server_cpu and load_generator
    table, calibration = summary(results, ["pp50"])
    cpu = cpu_summary(results, ["pp50"])
    rows = targets(table, calibration, results["idle"], cpu)
    # [("ping-pong 50 conns 64 B >= 2x Go", 1.59, False, "x Go", True), ...]
"""
import statistics

from .loads import cpu_key, cpu_unit, figure

# echo-bench at this share of its cores or more: the throughput is its limit.
BOUND_SHARE = 0.9
IMPLAUSIBLE_CORES = 0.02  # a server tree using less while echoing is not being accounted


def add_cpu_figures(load, result):
    """Adds `server_cpu` and `load_generator` to an echo-bench result (in place), from its
    `window` (the sampled server CPU), which it removes."""
    window = result.pop("window", None)
    if "messages" not in result:
        return
    measured = result["measured_s"]
    echoed = (result["bytes"]["received"] / 1e6 if cpu_unit(load) == "MB"
              else result["messages"]["received"])
    bench_s = result["cpu"]["seconds"]
    share = bench_s / measured / result.get("threads", 1)
    result["load_generator"] = {"core_share": share, "bound": share >= BOUND_SHARE,
                                cpu_key(load): bench_s * 1e6 / echoed if echoed else None}
    if not window or "error" in window or window["sampled_s"] <= 0:
        result["server_cpu"] = {"error": (window or {}).get("error", "not sampled")}
        return
    cores = window["seconds"] / window["sampled_s"]
    if cores < IMPLAUSIBLE_CORES and echoed:
        # Echoes flowed but the tree used next to no CPU: the work was done by
        # processes outside it. Better no figure than a wrong one.
        result["server_cpu"] = {**window, "error": "implausible: the server's process tree "
                                f"used {cores:.1%} of a core while echoing"}
        return
    # Scaled to echo-bench's window length: the sampling thread may wake a little late.
    result["server_cpu"] = {**window, "cores": cores,
                            cpu_key(load): cores * measured * 1e6 / echoed if echoed else None}


def median(values):
    """The median of the values that are not None, or None."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def medians_of(results, loads, pick):
    """{load: {contender: median of pick(load, run) over its runs}}."""
    return {load: {name: median([pick(load, r) for r in rs])
                   for name, rs in results["runs"].get(load, {}).items()} for load in loads}


def summary(results, loads):
    """Medians: {load: {contender: throughput}}, and the calibration medians."""
    table = medians_of(results, loads, figure)
    calibration = {k: median(v) for k, v in results["calibration"].items()}
    return table, calibration


def cpu_summary(results, loads):
    """Medians of the CPU figures, each {load: {contender: value}}: "server" and "bench"
    (us per message or MB), "server_cores" and "bench_share" (of one core); and "bound":
    whether the median echo-bench share is >= BOUND_SHARE."""
    def pick(section, field):
        return lambda load, run: run.get(section, {}).get(field or cpu_key(load))
    out = {"server": medians_of(results, loads, pick("server_cpu", None)),
           "server_cores": medians_of(results, loads, pick("server_cpu", "cores")),
           "bench": medians_of(results, loads, pick("load_generator", None)),
           "bench_share": medians_of(results, loads, pick("load_generator", "core_share"))}
    out["bound"] = {load: {name: share is not None and share >= BOUND_SHARE
                           for name, share in shares.items()}
                    for load, shares in out["bench_share"].items()}
    return out


def ceiling(load, table, cpu, threads):
    """What echo-bench can drive at most in `load` with `threads` cores to itself, from its
    cheapest CPU per message in the run (its cost depends on the server: a slow one means
    more wake-ups per message); None without figures. {"cheapest": contender, "cost": us,
    "ceiling": per second, "go": Go's figure or None}."""
    costs = {n: c for n, c in cpu["bench"][load].items() if c}
    if not costs:
        return None
    cheapest = min(costs, key=costs.get)
    return {"cheapest": cheapest, "cost": costs[cheapest],
            "ceiling": threads * 1e6 / costs[cheapest], "go": table[load].get("go")}


def ratio(a, b):
    return a / b if a and b else None


def targets(table, calibration, idle, cpu):
    """Rows (name, value, met, unit, capped): met is None for an informational row;
    capped when a throughput in the ratio was load-generator bound."""
    def get(kind, load, name):
        return kind.get(load, {}).get(name)

    def bound(load, *names):
        return any(get(cpu["bound"], load, n) for n in names)

    def throughput(name, load, other, goal, unit):
        value = ratio(get(table, load, "ref-epoll"), get(table, load, other))
        met = None if goal is None else value is not None and value >= goal
        return (name, value, met, unit, bound(load, "ref-epoll", other))

    def cpu_ratio(label, load, other, shown):
        # Other / reference: above 1 the reference spends less CPU per message.
        return (f"{label}: server CPU per {cpu_unit(load)}, {shown} / reference",
                ratio(get(cpu["server"], load, other), get(cpu["server"], load, "ref-epoll")),
                None, "x", False)

    rows = [
        throughput("ping-pong 50 conns 64 B >= 2x Go", "pp50", "go", 2.0, "x Go"),
        cpu_ratio("ping-pong 50", "pp50", "go", "Go"),
        throughput("ping-pong 50 conns 64 B >= C yardstick server", "pp50", "yardstick", 1.0,
                   "x yardstick"),
        cpu_ratio("ping-pong 50", "pp50", "yardstick", "yardstick"),
        throughput("pipelined depth 16 >= 1.5x Go", "pipe16", "go", 1.5, "x Go"),
        cpu_ratio("pipelined depth 16", "pipe16", "go", "Go"),
    ]
    bulk = ratio(get(table, "bulk1", "ref-epoll"), calibration.get("iperf3 one-way MB/s"))
    rows.append(("bulk 1 conn >= 60% of iperf3 one-way", bulk, bulk is not None and bulk >= 0.6,
                 "of iperf3", bound("bulk1", "ref-epoll")))
    rows += [
        throughput("UDP 64 B >= 2x Go's UDP echo", "udp", "go", 2.0, "x Go"),
        cpu_ratio("UDP 64 B", "udp", "go", "Go"),
        throughput("UDP 64 B, echo-bench with GSO (udp-gso): reference / Go", "udp-gso", "go",
                   None, "x Go"),
        cpu_ratio("UDP 64 B with GSO", "udp-gso", "go", "Go"),
    ]
    rss = idle.get("ref-epoll", {}).get("rss_after_kib")
    if rss is not None:
        # The target is for 10,000; with fewer (--idle N) the figure is shown, not judged.
        opened = idle["ref-epoll"]["connections"]
        rows.append((f"10,000 idle connections <= 100 MiB server RSS ({opened:,} opened)",
                     rss / 1024, rss / 1024 <= 100 if opened >= 10000 else None, "MiB", False))
    return rows


def contender_order(table, loads):
    """The contenders in the order they first appear in the loads."""
    names = []
    for load in loads:
        names += [n for n in table.get(load, {}) if n not in names]
    return names
