"""The text of tools/bench-peers: the Markdown report (bench/results/*.md), the log line
of each run and the closing headline. Pure functions of the results and the figures.

Example:
    text = render(results, loads, placement, reps=3, duration=3.0, warmup=1.0)
    print("\\n".join(headline(targets(...))))
"""
from .figures import (BOUND_SHARE, ceiling, contender_order, cpu_summary, median, summary,
                      targets)
from .loads import LOADS, cpu_key, cpu_unit, figure

DAGGER = "†"


def table_head(first, columns):
    return [f"| {first} | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]


def table_row(name, cells):
    return f"| {name} | " + " | ".join(cells) + " |"


def throughput_lines(results, loads, names, table, cpu):
    lines = table_head("contender", [f"{l} ({LOADS[l].unit})" for l in loads])
    for name in names:
        cells = []
        for load in loads:
            if name not in table.get(load, {}):
                cells.append("")
                continue
            value = table[load][name]
            failed = any("error" in r for r in results["runs"][load][name])
            cell = "fail" if value is None else "0 (stalled)" if value == 0 else f"{value:,.0f}"
            cell += f" {DAGGER}" if cpu["bound"][load][name] else ""
            cells.append(cell + (" (!)" if failed else ""))
        lines.append(table_row(name, cells))
    lines += ["", "Loads: " + "; ".join(f"**{l}** {LOADS[l].description}" for l in loads) + ". "
              "(!) marks a contender with an error in some run (see the JSON). "
              f"{DAGGER} marks a load-generator-bound figure (below)."]
    for load, reason in results["skipped_loads"].items():
        lines.append(f"Load **{load}** skipped: {reason}.")
    return lines


def latency_lines(results, loads, names):
    lines = ["p99 latency (us) of the same runs:", ""] + table_head("contender", loads)
    for name in names:
        cells = []
        for load in loads:
            p99 = median([r.get("latency_us", {}).get("p99")
                          for r in results["runs"].get(load, {}).get(name, [])])
            cells.append(f"{p99:,.0f}" if p99 is not None else "")
        lines.append(table_row(name, cells))
    return lines


def load_generator_lines(loads, table, cpu, nproc, threads):
    """Why throughput ratios are capped here, with this run's figures."""
    cores = "one core" if threads == 1 else f"{threads} cores"
    lines = [f"Load generator: echo-bench runs {threads} thread{'s' * (threads > 1)}, so it can "
             f"use {cores} (of {nproc} here), and it spends about as much CPU per message as a "
             "good server (per load below). A figure marked "
             f"{DAGGER} had echo-bench at >= {100 * BOUND_SHARE:.0f} % of its cores in the "
             "measured window (median over repetitions): it is echo-bench's limit, and the "
             "server may be faster than shown. Ratios of throughputs between servers are "
             "capped the same way. The server's CPU per message (next table) is not capped: "
             "it is what the server spent per message it echoed.", ""]
    for load in loads:
        limit = ceiling(load, table, cpu, threads)
        if limit is None:
            continue
        unit, most, go = cpu_unit(load), limit["ceiling"], limit["go"]
        text = (f"- {load}: echo-bench spent at least {limit['cost']:,.2f} us of CPU per {unit} "
                f"(against {limit['cheapest']}); with {cores} to itself it drives at most about "
                f"{most:,.0f} {LOADS[load].unit}")
        if go:
            text += (f", {most / go:.2f}x Go's {go:,.0f}: no server can show more than about "
                     f"{most / go:.2f}x Go here")
        servers = [f"{n} {cpu['server'][load][n]:,.2f} us" for n in ("ref-epoll", "go")
                   if cpu["server"][load].get(n) is not None]
        if servers:
            text += f". Server CPU per {unit}: " + ", ".join(servers)
        lines.append(text + ".")
    return lines


def cpu_lines(loads, names, cpu):
    units = {l: "us/MB" if cpu_unit(l) == "MB" else "us/msg" for l in loads}
    lines = ["Server CPU per message (us; lower is better): user + system time of the "
             "server's whole process tree in echo-bench's measured window, divided by the "
             "messages echoed (bulk loads: per MB echoed); medians of the same runs. "
             f"{DAGGER}: the throughput of that run was load-generator bound; this figure is "
             "not.", ""] + table_head("contender", [f"{l} ({units[l]})" for l in loads])
    for name in names:
        cells = []
        for load in loads:
            value = cpu["server"][load].get(name)
            if name not in cpu["server"][load]:
                cells.append("")
            elif value is None:
                cells.append("n/a")
            else:
                cells.append(f"{value:,.2f}" + (f" {DAGGER}" if cpu["bound"][load][name] else ""))
        lines.append(table_row(name, cells))
    lines += ["", "CPU use in the measured window, % of one core: server (process tree, all "
              "threads) / echo-bench (% of one core per thread):", ""]
    lines += table_head("contender", loads)
    for name in names:
        cells = []
        for load in loads:
            server, bench = cpu["server_cores"][load].get(name), cpu["bench_share"][load].get(name)
            if name not in cpu["bench_share"][load]:
                cells.append("")
            elif server is None and bench is None:
                cells.append("n/a")
            else:
                cells.append(f"{percent(server)} / {percent(bench)}"
                             + (f" {DAGGER}" if cpu["bound"][load][name] else ""))
        lines.append(table_row(name, cells))
    return lines


def percent(share):
    return f"{100 * share:.0f}" if share is not None else "?"


def calibration_lines(table, calibration):
    lines = ["Calibration (same run):", ""]
    for key, value in calibration.items():
        lines.append(f"- {key}: {value:,.0f}" if value else f"- {key}: failed")
    for load in ("pp1", "pp50"):
        for server in ("yardstick", "ref-epoll"):
            yc = calibration.get(f"yardstick-client {load} -> {server}")
            eb = table.get(load, {}).get(server)
            if yc and eb:
                lines.append(f"- echo-bench / yardstick-client, {load} against {server}: "
                             f"{eb / yc:.2f}")
    return lines


def idle_lines(idle_results):
    lines = ["Idle connections (server resident memory, process tree):", "",
             "| server | connections | RSS before (MiB) | RSS after (MiB) | per connection |",
             "|---|---:|---:|---:|---:|"]
    for name, idle in idle_results.items():
        if "error" in idle:
            lines.append(f"| {name} | failed: {idle['error']} | | | |")
            continue
        lines.append(f"| {name} | {idle['connections']} | {idle['rss_before_kib'] / 1024:.1f} "
                     f"| {idle['rss_after_kib'] / 1024:.1f} | "
                     f"{idle['per_connection_bytes']:,.0f} B |")
    return lines


def shown_value(value, unit, capped):
    if value is None:
        return "n/a"
    shown = f"{value:.2f}x" if unit == "x" else f"{value:.2f} {unit}"
    return shown + (f" {DAGGER}" if capped else "")


def met_word(met):
    return "info" if met is None else ("yes" if met else "NO")


def target_lines(rows, server_loops):
    loops = f"{server_loops} event loop" + ("s" if server_loops > 1 else "")
    lines = [f"Targets (reference = ref-epoll, {loops}):", "",
             "| target | measured | met |", "|---|---:|:---:|"]
    for name, value, met, unit, capped in rows:
        lines.append(f"| {name} | {shown_value(value, unit, capped)} | {met_word(met)} |")
    lines += ["", f"{DAGGER}: a throughput in the ratio was load-generator bound, so the ratio "
              "is capped by echo-bench, not measured in full. Rows marked info are not targets: "
              "'server CPU per message, X / reference' above 1 means the reference server spends "
              "less CPU per message than X; it is not capped by the load generator."]
    return lines


def render(results, loads, placement, reps, duration, warmup):
    """The whole Markdown report of a run."""
    table, calibration = summary(results, loads)
    cpu = cpu_summary(results, loads)
    rows = targets(table, calibration, results["idle"], cpu)
    names = contender_order(table, loads)
    m = results["machine"]
    lines = [f"# Echo benchmark: reference server vs peers ({m['date']})", "",
             f"Machine: {m['nproc']} CPUs, {m['cpu']}, Linux {m['kernel']}, load average "
             f"{m['load_average']:.2f} at the start (other work shares the CPUs). ",
             f"Command: `{results['command']}` ({reps} repetition(s) of {duration:g} s "
             f"after {warmup:g} s warm-up; medians; {placement.describe()}).", ""]
    lines += throughput_lines(results, loads, names, table, cpu) + [""]
    lines += load_generator_lines(loads, table, cpu, m["nproc"], placement.bench_threads) + [""]
    lines += cpu_lines(loads, names, cpu) + [""]
    lines += latency_lines(results, loads, names) + [""]
    lines += calibration_lines(table, calibration)
    if results["idle"]:
        lines += [""] + idle_lines(results["idle"])
    lines += [""] + target_lines(rows, placement.server_loops)
    return "\n".join(lines) + "\n"


def headline(rows):
    """The closing lines printed after a run: every target row, met or not."""
    lines = ["", "headline:"]
    for name, value, met, unit, capped in rows:
        word = {None: "info   ", True: "met    ", False: "NOT met"}[met]
        lines.append(f"  {word}  {name}: {shown_value(value, unit, capped)}")
    return lines


def run_line(load, result):
    """The log line of one run: throughput, then server and echo-bench CPU."""
    value = figure(load, result)
    shown = f"{value:,.0f} {LOADS[load].unit}" if value is not None else "-"
    server, bench = result.get("server_cpu", {}), result.get("load_generator", {})
    unit = "MB" if cpu_unit(load) == "MB" else "msg"
    if server.get(cpu_key(load)) is not None:
        shown += (f"; server {server[cpu_key(load)]:,.2f} us/{unit} "
                  f"({100 * server['cores']:.0f} % of a core)")
    elif "error" in server:
        shown += f"; server CPU not measured ({server['error']})"
    if bench.get(cpu_key(load)) is not None:
        shown += (f"; echo-bench {bench[cpu_key(load)]:,.2f} us/{unit} "
                  f"({100 * bench['core_share']:.0f} %{' bound' if bench['bound'] else ''})")
    note = f"  ({result['error']})" if "error" in result else ""
    return shown + note
