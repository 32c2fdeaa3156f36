import unittest

from echotools.bench.placement import Placement, cpu_list, cpu_set, placement_from


class CpuSetTest(unittest.TestCase):
    def test_parses_single_cpus_ranges_and_mixtures(self):
        self.assertEqual(cpu_set("0"), {0})
        self.assertEqual(cpu_set("1-3"), {1, 2, 3})
        self.assertEqual(cpu_set("0-2,5,7-8"), {0, 1, 2, 5, 7, 8})
        self.assertEqual(cpu_set("3,3-4"), {3, 4})

    def test_refuses_what_is_not_a_cpu_list(self):
        for text in ("", "a", "1-", "-1", "3-1", "1,,2", "1-2-3", " 1", "1.5"):
            with self.subTest(text=text), self.assertRaisesRegex(ValueError, "not a CPU list"):
                cpu_set(text)

    def test_formats_sorted_and_round_trips(self):
        self.assertEqual(cpu_list({5, 0, 2, 1}), "0,1,2,5")
        self.assertEqual(cpu_set(cpu_list({7, 3, 4})), {3, 4, 7})


class PlacementTest(unittest.TestCase):
    def test_without_cpu_sets_the_server_gets_the_cores_echo_bench_leaves(self):
        self.assertEqual(Placement(1, cpu_count=2).server_loops, 1)
        self.assertEqual(Placement(1, cpu_count=8).server_loops, 7)
        self.assertEqual(Placement(3, cpu_count=8).server_loops, 5)
        self.assertEqual(Placement(4, cpu_count=2).server_loops, 1)  # never fewer than one

    def test_with_server_cpus_one_loop_per_server_cpu(self):
        self.assertEqual(Placement(7, {0, 1}, {2, 3, 4, 5, 6, 7, 8}, cpu_count=9).server_loops, 2)

    def test_describe_says_where_each_side_runs(self):
        self.assertEqual(Placement(1, cpu_count=2).describe(), "echo-bench with 1 thread")
        self.assertEqual(Placement(7, {0}, set(range(1, 8))).describe(),
                         "echo-bench with 7 threads; servers on CPUs 0; "
                         "load generators on CPUs 1,2,3,4,5,6,7")

    def test_json_round_trip(self):
        placement = Placement(2, {0}, {1, 3}, cpu_count=4)
        data = placement.as_json()
        self.assertEqual(data, {"bench_threads": 2, "server_loops": 1, "server_cpus": "0",
                                "bench_cpus": "1,3"})
        again = Placement.from_json(data)
        self.assertEqual((again.bench_threads, again.server_cpus, again.bench_cpus,
                          again.server_loops), (2, {0}, {1, 3}, 1))
        self.assertEqual(Placement.from_json({"bench_threads": 1, "server_loops": 5,
                                              "server_cpus": None, "bench_cpus": None}).server_loops, 5)


class PlacementFromOptionsTest(unittest.TestCase):
    def test_accepts_available_cpus(self):
        placement = placement_from(3, "0", "1-3", usable={0, 1, 2, 3})
        self.assertEqual((placement.server_cpus, placement.bench_cpus), ({0}, {1, 2, 3}))
        self.assertIsNone(placement_from(1, None, None, usable={0}).server_cpus)

    def test_names_the_option_and_the_unavailable_cpus(self):
        with self.assertRaisesRegex(ValueError, r"--bench-cpus 1-9: CPUs 4,5,6,7,8,9 are not "
                                    r"available here \(expected some of 0,1,2,3\)"):
            placement_from(1, "0", "1-9", usable={0, 1, 2, 3})
        with self.assertRaisesRegex(ValueError, "--server-cpus: 'x' is not a CPU list"):
            placement_from(1, "x", None, usable={0})

    def test_refuses_a_thread_count_out_of_range(self):
        for threads in (0, 257):
            with self.subTest(threads=threads), self.assertRaisesRegex(ValueError, "1 to 256"):
                placement_from(threads, None, None, usable={0})


if __name__ == "__main__":
    unittest.main()
