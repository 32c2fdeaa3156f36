"""Writes the morning report of a tools/fuzz-overnight campaign.

  tools/fuzz-report WORKDIR [--engine libfuzzer|afl]

Reads WORKDIR/state.json, WORKDIR/stats/*.jsonl and WORKDIR/coverage/summary.json
(tools/fuzz-coverage) and writes WORKDIR/report/report.md and a self-contained
WORKDIR/report/report.html: per target the build (sanitizers, jobs), the time
fuzzed, executions, exec/s (average over the campaign, and the last slice's),
corpus size, coverage, crashes with reproducers, and a coverage-over-time plot
(inline SVG, also saved as report/plots/*.svg for the Markdown). Exit 2 on bad
arguments.

Example:
    rows = target_rows(json.loads(Path("build/fuzz-overnight/state.json").read_text()))
"""
import argparse
import html
import json
import pathlib

from ..cli import fail
from .build import sanitizer_label
from .state import load_series, series_path
from .stats import average_exec_per_sec

WIDTH, HEIGHT, PAD = 360, 140, 34


def svg_plot(series, title):
    """A small line chart of coverage against fuzzing time, as standalone SVG text."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="10">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white" stroke="#ccc"/>',
             f'<text x="{PAD}" y="12">{html.escape(title)}</text>']
    if not series:
        parts.append(f'<text x="{PAD}" y="{HEIGHT / 2}">no data yet</text></svg>')
        return "".join(parts)
    t_max = max(t for t, _ in series) or 1
    c_min = min(c for _, c in series)
    c_max = max(c for _, c in series)
    span = (c_max - c_min) or 1
    left, right, top, bottom = PAD, WIDTH - 10, 20, HEIGHT - 20

    def xy(t, c):
        return (left + (right - left) * t / t_max, bottom - (bottom - top) * (c - c_min) / span)

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(t, c) for t, c in series))
    parts += [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>',
              f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#888"/>',
              f'<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="{points}"/>',
              f'<text x="2" y="{top + 8}">{c_max}</text>',
              f'<text x="2" y="{bottom}">{c_min}</text>',
              f'<text x="{left}" y="{HEIGHT - 6}">0</text>',
              f'<text x="{right}" y="{HEIGHT - 6}" text-anchor="end">{t_max / 60:.1f} min</text>',
              "</svg>"]
    return "".join(parts)


def minutes(seconds):
    return f"{seconds / 60:.1f} min"


def build_label(record):
    """'ASan+UBSan, 2 jobs': the build's sanitizers and the jobs of its last slice."""
    jobs = record.get("jobs")
    return sanitizer_label(record.get("sanitizers")) + (f", {jobs} job{'s' * (jobs > 1)}"
                                                        if jobs else "")


def exec_rate(value):
    return f"{value:,.0f}" if value is not None else "-"


def target_rows(state):
    rows = []
    for record in sorted(state["targets"].values(), key=lambda r: (r["engine"], r["target"])):
        crashes = record["crashes"]
        rows.append([record["target"], record["engine"], build_label(record),
                     minutes(record["seconds"]), f"{record['execs']:,}",
                     exec_rate(average_exec_per_sec(record)), f"{record['exec_per_sec']:,}",
                     str(record["corpus"]),
                     str(record["coverage"])
                     + (f" / {record['features']} ft" if record["features"] else ""),
                     str(record["added_to_corpora"]), str(len(crashes))])
    return rows


HEADER = ["target", "engine", "build", "fuzzed", "execs", "exec/s", "exec/s (last slice)",
          "corpus", "coverage", "added to corpora/", "distinct crashes"]
BUILD_NOTE = ("exec/s is the executions over the time fuzzed, all jobs together (libFuzzer "
              "-fork=JOBS, or the AFL++ instances), start-up and merging included; the last "
              "slice's is the engine's own figure at its end. A build with sanitizers (ASan+UBSan) "
              "runs several times slower than one without: docs/fuzzing.md has both, per target, "
              "for a single process.")


def crash_items(state):
    items = []
    for record in state["targets"].values():
        for key, crash in sorted(record["crashes"].items()):
            items.append((record["target"], key, crash))
    return items


def markdown(state, coverage, plots):
    lines = [f"# Fuzzing report ({state.get('engine', '?')}, finished {state.get('finished', '?')})", "",
             "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in target_rows(state)]
    lines += ["", "Coverage is libFuzzer's `cov` (edges) and `ft` (features), or AFL++'s "
              "`edges_found`. " + BUILD_NOTE, "", "## Crashes", ""]
    items = crash_items(state)
    if not items:
        lines.append("None.")
    for target, key, crash in items:
        lines += [f"- **{target}** `{key}`: {crash['kind']} at "
                  f"`{' < '.join(crash['frames']) or '?'}` (seen {crash['count']}x, first "
                  f"{crash['first_seen']}; minimised to {crash['minimised_size']} bytes)",
                  f"  reproduce: `{crash['reproduce']}`"]
    lines += ["", "## Regressions (corpora/*/regressions)", ""]
    regressions = state.get("regressions", {})
    lines += [f"- `{name}`: {'passes' if r['ok'] else 'FAILS: ' + r['result']}"
              for name, r in sorted(regressions.items())] or ["None."]
    lines += ["", "## Line coverage of the fuzzed code (llvm-cov)", ""]
    if coverage:
        lines += ["| module | lines covered | % |", "|---|---|---|"]
        lines += [f"| {m} | {f['covered']} / {f['lines']} | {f['percent']} |"
                  for m, f in coverage["modules"].items()]
        lines += ["", "Full report: [coverage/index.html](coverage/index.html)"]
    else:
        lines.append("Not measured (run tools/fuzz-coverage).")
    lines += ["", "## Coverage over time", ""]
    lines += [f"![{name}](plots/{name}.svg)" for name in plots]
    return "\n".join(lines) + "\n"


def html_report(state, coverage, plots):
    esc = html.escape
    out = ["<!doctype html><html><head><meta charset='utf-8'><title>Fuzzing report</title><style>",
           "body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
           "td:first-child,th:first-child{text-align:left}.bad{color:#b00}"
           ".plots{display:flex;flex-wrap:wrap;gap:1em}code{background:#f4f4f4}",
           "</style></head><body>",
           f"<h1>Fuzzing report ({esc(state.get('engine', '?'))}, finished "
           f"{esc(state.get('finished', '?'))})</h1><table><tr>"]
    out += [f"<th>{esc(h)}</th>" for h in HEADER] + ["</tr>"]
    for row in target_rows(state):
        cls = " class='bad'" if row[-1] != "0" else ""
        out.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    out.append(f"</table><p>{esc(BUILD_NOTE)}</p><h2>Crashes</h2>")
    items = crash_items(state)
    out.append("<ul>" + "".join(
        f"<li class='bad'><b>{esc(t)}</b> <code>{esc(k)}</code>: {esc(c['kind'])} at "
        f"<code>{esc(' < '.join(c['frames']) or '?')}</code> (seen {c['count']}x, minimised to "
        f"{c['minimised_size']} bytes)<br>reproduce: <code>{esc(c['reproduce'])}</code></li>"
        for t, k, c in items) + "</ul>" if items else "<p>None.</p>")
    out.append("<h2>Regressions</h2><ul>")
    for name, r in sorted(state.get("regressions", {}).items()):
        verdict = "passes" if r["ok"] else "FAILS: " + r["result"]
        out.append(f"<li{'' if r['ok'] else ' class=bad'}><code>{esc(name)}</code>: {esc(verdict)}</li>")
    out.append("</ul><h2>Line coverage of the fuzzed code</h2>")
    if coverage:
        out.append("<table><tr><th>module</th><th>lines covered</th><th>%</th></tr>")
        out += [f"<tr><td>{esc(m)}</td><td>{f['covered']} / {f['lines']}</td><td>{f['percent']}</td></tr>"
                for m, f in coverage["modules"].items()]
        out.append("</table><p><a href='coverage/index.html'>llvm-cov report</a></p>")
    else:
        out.append("<p>Not measured.</p>")
    out.append("<h2>Coverage over time</h2><div class='plots'>")
    out += list(plots.values())
    out.append("</div></body></html>")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fuzz-report", description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=pathlib.Path)
    parser.add_argument("--engine", help="only this engine's targets")
    args = parser.parse_args(argv)
    state_path = args.workdir / "state.json"
    if not state_path.exists():
        fail("fuzz-report", f"{state_path} not found: not a tools/fuzz-overnight workdir")
    state = json.loads(state_path.read_text())
    if args.engine:
        state["targets"] = {k: v for k, v in state["targets"].items() if v["engine"] == args.engine}
    summary = args.workdir / "coverage" / "summary.json"
    coverage = json.loads(summary.read_text()) if summary.exists() else None
    report = args.workdir / "report"
    (report / "plots").mkdir(parents=True, exist_ok=True)
    plots = {}
    for record in sorted(state["targets"].values(), key=lambda r: r["target"]):
        name = f"{record['engine']}-{record['target']}"
        series = load_series(series_path(args.workdir, record["engine"], record["target"]))
        plots[name] = svg_plot(series, f"{record['target']} ({record['engine']}): coverage")
        (report / "plots" / f"{name}.svg").write_text(plots[name])
    (report / "report.md").write_text(markdown(state, coverage, plots))
    (report / "report.html").write_text(html_report(state, coverage, plots))
    print(f"fuzz-report: {report / 'report.md'} and {report / 'report.html'}")
    return 0
