import json
import unittest
from pathlib import Path

from echotools.bench.figures import (BOUND_SHARE, add_cpu_figures, ceiling, cpu_summary,
                                     median, ratio, summary, targets)
from echotools.bench.loads import figure, missing_options, suits
from echotools.bench.sampler import cpu_in_window

DATA = Path(__file__).resolve().parent / "data"


def bench_result(share, window, messages=100000, seconds=2.0, threads=1):
    """An echo-bench result whose load generator used `share` of its cores."""
    return {"measured_s": seconds, "threads": threads,
            "messages": {"received": messages, "per_second": messages / seconds},
            "bytes": {"received": messages * 64, "received_mb_per_s": messages * 64 / 1e6 / seconds},
            "cpu": {"seconds": share * seconds * threads}, "window": window}


class CpuFiguresTest(unittest.TestCase):
    def test_the_dagger_rule_is_a_share_of_at_least_bound_share(self):
        self.assertEqual(BOUND_SHARE, 0.9)
        for share, bound in ((0.9, True), (0.95, True), (0.899, False), (0.2, False)):
            result = bench_result(share, {"seconds": 1.0, "sampled_s": 2.0})
            add_cpu_figures("pp50", result)
            with self.subTest(share=share):
                self.assertEqual(result["load_generator"]["bound"], bound)
                self.assertAlmostEqual(result["load_generator"]["core_share"], share)

    def test_the_share_is_per_thread(self):
        result = bench_result(0.5, {"seconds": 1.0, "sampled_s": 2.0}, threads=4)
        add_cpu_figures("pp50", result)
        self.assertAlmostEqual(result["load_generator"]["core_share"], 0.5)

    def test_server_cpu_per_message_is_scaled_to_the_measured_window(self):
        result = bench_result(0.5, {"seconds": 1.0, "sampled_s": 2.0, "processes": 1, "exited": 0})
        add_cpu_figures("pp50", result)
        self.assertNotIn("window", result)
        self.assertAlmostEqual(result["server_cpu"]["cores"], 0.5)
        # 0.5 cores x 2 s = 1 s of CPU for 100,000 messages: 10 us each.
        self.assertAlmostEqual(result["server_cpu"]["us_per_message"], 10.0)
        self.assertAlmostEqual(result["load_generator"]["us_per_message"], 10.0)

    def test_bulk_loads_are_per_mb(self):
        result = bench_result(0.5, {"seconds": 1.0, "sampled_s": 2.0})
        add_cpu_figures("bulk1", result)
        self.assertIn("us_per_mb", result["server_cpu"])
        self.assertAlmostEqual(result["server_cpu"]["us_per_mb"], 1e6 / 6.4)

    def test_an_implausibly_idle_server_tree_gets_no_figure(self):
        result = bench_result(0.5, {"seconds": 0.01, "sampled_s": 2.0})
        add_cpu_figures("pp50", result)
        self.assertRegex(result["server_cpu"]["error"], "implausible.*0.5% of a core")
        self.assertNotIn("us_per_message", result["server_cpu"])

    def test_a_window_that_was_not_sampled_says_so(self):
        result = bench_result(0.5, {"error": "1 CPU samples inside the measured window"})
        add_cpu_figures("pp50", result)
        self.assertEqual(result["server_cpu"], {"error": "1 CPU samples inside the measured window"})
        failed = {"error": "echo-bench timed out", "window": None}
        add_cpu_figures("pp50", failed)
        self.assertEqual(failed, {"error": "echo-bench timed out"})


class CpuWindowTest(unittest.TestCase):
    S = 1_000_000_000

    def test_takes_the_samples_inside_the_trimmed_window(self):
        samples = [(t * self.S // 10, {(1, 5): t * 10, (2, 6): t}) for t in range(0, 31)]
        # window 1 s .. 3 s, trimmed by 0.1 s: samples at 1.1 .. 2.9 s
        window = cpu_in_window(samples, self.S, 3 * self.S, clock_ticks=100)
        self.assertAlmostEqual(window["sampled_s"], 1.8)
        self.assertAlmostEqual(window["seconds"], (29 - 11) * 11 / 100)
        self.assertEqual((window["processes"], window["exited"]), (2, 0))

    def test_an_exited_process_counts_nothing_and_a_new_one_from_zero(self):
        samples = [(0, {(1, 5): 100, (2, 6): 50}), (self.S, {(1, 5): 150, (3, 7): 20})]
        window = cpu_in_window(samples, -self.S // 10, self.S + self.S // 10, clock_ticks=100)
        self.assertAlmostEqual(window["seconds"], (50 + 20) / 100)
        self.assertEqual(window["exited"], 1)

    def test_too_few_samples_is_an_error(self):
        samples = [(self.S, {(1, 5): 1}), (self.S + 1000, {(1, 5): 2})]
        self.assertEqual(cpu_in_window(samples, 0, 3 * self.S),
                         {"error": "2 CPU samples inside the measured window"})
        self.assertEqual(cpu_in_window([], 0, 3 * self.S)["error"],
                         "0 CPU samples inside the measured window")


class RatiosTest(unittest.TestCase):
    def setUp(self):
        self.results = json.loads((DATA / "bench_results.json").read_text())
        self.loads = ["pp50", "pipe16", "bulk1", "udp"]
        self.table, self.calibration = summary(self.results, self.loads)
        self.cpu = cpu_summary(self.results, self.loads)
        self.rows = {row[0]: row[1:] for row in targets(self.table, self.calibration,
                                                        self.results["idle"], self.cpu)}

    def test_medians_leave_out_failed_runs(self):
        self.assertEqual(median([3, None, 1, 2]), 2)
        self.assertIsNone(median([None]))
        self.assertEqual(self.table["udp"]["go"], 100000)  # the timed-out run is left out
        self.assertEqual(self.table["pp50"]["yardstick"], 60500)  # a stalled run counts as 0
        self.assertEqual(self.calibration["yardstick-client pp50 -> ref-epoll"], 108000)

    def test_bound_follows_the_median_share(self):
        self.assertTrue(self.cpu["bound"]["pp50"]["ref-epoll"])  # 0.95, 0.93
        self.assertFalse(self.cpu["bound"]["pp50"]["go"])  # 0.88, 0.87
        self.assertTrue(self.cpu["bound"]["pipe16"]["go"])  # 0.9 exactly

    def test_a_ratio_with_a_bound_throughput_is_capped(self):
        value, met, unit, capped = self.rows["ping-pong 50 conns 64 B >= 2x Go"]
        self.assertAlmostEqual(value, 119000 / 73500)
        self.assertEqual((met, unit, capped), (False, "x Go", True))
        value, met, _, capped = self.rows["UDP 64 B >= 2x Go's UDP echo"]
        self.assertEqual((value, met, capped), (3.05, True, False))

    def test_cpu_rows_are_information_other_over_reference(self):
        value, met, unit, capped = self.rows["ping-pong 50: server CPU per message, Go / reference"]
        self.assertAlmostEqual(value, 13.55 / 8.25)
        self.assertEqual((met, unit, capped), (None, "x", False))

    def test_missing_figures_give_no_ratio_and_an_unmet_target(self):
        self.assertIsNone(ratio(None, 2.0))
        self.assertIsNone(ratio(1.0, 0))
        value, met, _, _ = self.rows["UDP 64 B, echo-bench with GSO (udp-gso): reference / Go"]
        self.assertEqual((value, met), (None, None))

    def test_idle_memory_is_judged_only_at_10000_connections(self):
        value, met, _, _ = self.rows["10,000 idle connections <= 100 MiB server RSS (10,000 opened)"]
        self.assertAlmostEqual(value, 9500 / 1024)
        self.assertTrue(met)
        idle = {"ref-epoll": {"connections": 500, "rss_after_kib": 4000}}
        rows = targets(self.table, self.calibration, idle, self.cpu)
        self.assertEqual(rows[-1][0], "10,000 idle connections <= 100 MiB server RSS (500 opened)")
        self.assertIsNone(rows[-1][2])

    def test_the_load_generator_ceiling_uses_its_cheapest_cost(self):
        limit = ceiling("pp50", self.table, self.cpu, threads=1)
        self.assertEqual(limit["cheapest"], "yardstick")  # 8.0 us (the failed run has none)
        self.assertAlmostEqual(limit["ceiling"], 125000)
        self.assertEqual(limit["go"], 73500)
        self.assertAlmostEqual(ceiling("pp50", self.table, self.cpu, threads=4)["ceiling"], 500000)


class LoadsTest(unittest.TestCase):
    def test_options_an_older_echo_bench_lacks(self):
        old_help = "Options:\n  -c,--connections N\n  --udp  UDP\n  --json FILE\n"
        self.assertEqual(missing_options(old_help, ["pp1", "udp", "udp-gso"]),
                         {"udp-gso": ["--gso"]})
        self.assertEqual(missing_options(old_help + "  --gso  send with GSO\n", ["udp-gso"]), {})

    def test_which_contender_runs_which_load(self):
        self.assertFalse(suits("ref-iterative", "pp50", udp=True))
        self.assertTrue(suits("ref-iterative", "pp1", udp=True))
        self.assertFalse(suits("tcpserver", "udp", udp=False))
        self.assertTrue(suits("tcpserver", "pp50", udp=False))

    def test_figure_is_the_load_unit_or_none_on_failure(self):
        result = {"messages": {"per_second": 5.0}, "bytes": {"received_mb_per_s": 7.0}}
        self.assertEqual(figure("pp1", result), 5.0)
        self.assertEqual(figure("bulk4", result), 7.0)
        self.assertIsNone(figure("pp1", {"error": "exit 2: usage"}))
        self.assertEqual(figure("pp1", {**result, "error": "exit 1: reset"}), 5.0)


if __name__ == "__main__":
    unittest.main()
