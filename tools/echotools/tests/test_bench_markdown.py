"""The report text, held to what the implementation before the package wrote for the same
results (tests/data/bench_report.md, bench_chart.svg and bench_headline.txt were rendered
from bench_results.json by the old tools/bench-peers)."""
import json
import unittest
from pathlib import Path

from echotools.bench.chart import bar_chart_svg
from echotools.bench.figures import cpu_summary, summary, targets
from echotools.bench.markdown import headline, render, run_line, shown_value, throughput_lines
from echotools.bench.placement import Placement

DATA = Path(__file__).resolve().parent / "data"
LOADS = ["pp50", "pipe16", "bulk1", "udp"]


class GoldenReportTest(unittest.TestCase):
    def setUp(self):
        self.results = json.loads((DATA / "bench_results.json").read_text())
        self.placement = Placement.from_json(self.results["machine"]["placement"])

    def test_markdown_is_unchanged(self):
        self.maxDiff = None
        self.assertEqual(render(self.results, LOADS, self.placement, reps=2, duration=2.0,
                                warmup=0.5), (DATA / "bench_report.md").read_text())

    def test_chart_is_unchanged(self):
        table, _ = summary(self.results, LOADS)
        m = self.results["machine"]
        svg = bar_chart_svg(table, LOADS, {"pp50": "msg/s", "pipe16": "msg/s", "bulk1": "MB/s",
                                           "udp": "msg/s"},
                            f"{m['nproc']} CPUs, {m['cpu']}, Linux {m['kernel']}, {m['date']}")
        self.assertEqual(svg, (DATA / "bench_chart.svg").read_text())

    def test_headline_is_unchanged(self):
        table, calibration = summary(self.results, LOADS)
        rows = targets(table, calibration, self.results["idle"], cpu_summary(self.results, LOADS))
        self.assertEqual("\n".join(headline(rows)) + "\n",
                         (DATA / "bench_headline.txt").read_text())


class TableTest(unittest.TestCase):
    def test_cells_mark_bound_failed_stalled_and_missing_figures(self):
        results = {"runs": {"pp1": {"a": [{"messages": {"per_second": 1234.4}}],
                                    "b": [{"error": "exit 1: x"}],
                                    "c": [{"messages": {"per_second": 0}, "error": "stall"}]}},
                   "skipped_loads": {}}
        table = {"pp1": {"a": 1234.4, "b": None, "c": 0}}
        cpu = {"bound": {"pp1": {"a": True, "b": False, "c": False}}}
        lines = throughput_lines(results, ["pp1"], ["a", "b", "c", "d"], table, cpu)
        self.assertEqual(lines[:6], ["| contender | pp1 (msg/s) |", "|---|---:|",
                                     "| a | 1,234 † |", "| b | fail (!) |",
                                     "| c | 0 (stalled) (!) |", "| d |  |"])

    def test_shown_values(self):
        self.assertEqual(shown_value(1.234, "x", False), "1.23x")
        self.assertEqual(shown_value(1.5, "x Go", True), "1.50 x Go †")
        self.assertEqual(shown_value(None, "MiB", True), "n/a")

    def test_run_line(self):
        result = {"messages": {"per_second": 61000.4},
                  "server_cpu": {"us_per_message": 8.2, "cores": 0.5},
                  "load_generator": {"us_per_message": 8.0, "core_share": 0.95, "bound": True}}
        self.assertEqual(run_line("pp50", result), "61,000 msg/s; server 8.20 us/msg (50 % of a "
                         "core); echo-bench 8.00 us/msg (95 % bound)")
        self.assertEqual(run_line("pp50", {"error": "echo-bench timed out"}),
                         "-  (echo-bench timed out)")


if __name__ == "__main__":
    unittest.main()
