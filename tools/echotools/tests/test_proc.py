import os
import unittest

from echotools import proc

STATUS = """Name:\techo-server
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
PPid:\t1
VmRSS:\t    5400 kB
Threads:\t2
Cpus_allowed:\t3
Cpus_allowed_list:\t0-1
"""

# The command name holds a space and a ')': fields are counted after the last ')'.
STAT = ("4242 (echo )server) S 17 4242 4242 0 -1 4194560 125 0 0 0 31 12 0 0 20 0 2 0 "
        "987654 12345678 1350 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0")

LIMITS = """Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            20000                1048576              files
Max locked memory         8388608              8388608              bytes
"""


class StatusTest(unittest.TestCase):
    def test_fields_as_the_kernel_writes_them(self):
        fields = proc.parse_status(STATUS)
        self.assertEqual(fields["Cpus_allowed_list"], "0-1")
        self.assertEqual(fields["VmRSS"], "5400 kB")
        self.assertEqual(fields["State"], "S (sleeping)")
        self.assertNotIn("VmSwap", fields)

    def test_reads_this_process(self):
        self.assertEqual(proc.status_field(os.getpid(), "Pid"), str(os.getpid()))
        self.assertIsNone(proc.status_field(os.getpid(), "NoSuchField"))

    def test_a_process_that_is_gone_has_no_fields(self):
        self.assertIsNone(proc.status_field(2 ** 22 + 1, "Pid"))  # above pid_max's limit


class StatTest(unittest.TestCase):
    def test_parent_start_time_and_cpu_ticks(self):
        self.assertEqual(proc.parse_stat(STAT), (17, 987654, 31 + 12))

    def test_refuses_text_that_is_not_a_stat_line(self):
        with self.assertRaises(ValueError):
            proc.parse_stat("4242 (x) S 1 2")

    def test_this_process_is_in_the_table_with_its_parent(self):
        stats = proc.proc_stats()
        self.assertEqual(stats[os.getpid()][0], os.getppid())


class ProcessTreeTest(unittest.TestCase):
    STATS = {1: (0, 0, 0), 10: (1, 5, 0), 11: (10, 6, 0), 12: (10, 7, 0), 13: (12, 8, 0),
             20: (1, 9, 0)}

    def test_a_process_and_all_its_descendants(self):
        self.assertEqual(sorted(proc.process_tree([10], self.STATS)), [10, 11, 12, 13])
        self.assertEqual(sorted(proc.process_tree([12, 20], self.STATS)), [12, 13, 20])

    def test_pids_not_in_the_table_are_left_out(self):
        self.assertEqual(proc.process_tree([99], self.STATS), [])

    def test_this_process_resident_memory_and_cpu(self):
        self.assertGreater(proc.process_tree_rss_kib([os.getpid()]), 1000)
        ticks = proc.tree_cpu_ticks([os.getpid()])
        self.assertEqual([pid for pid, _ in ticks], [os.getpid()])


class DescriptorsTest(unittest.TestCase):
    def test_open_files_limit_is_the_soft_one(self):
        self.assertEqual(proc.open_files_limit(LIMITS), 20000)
        self.assertIsNone(proc.open_files_limit("Limit  Soft Limit\n"))

    def test_kinds(self):
        self.assertEqual(proc.descriptor_kind("pipe:[123]"), "pipe")
        self.assertEqual(proc.descriptor_kind("socket:[456]"), "socket")
        self.assertEqual(proc.descriptor_kind("/dev/null"), "other")

    def test_census_most_common_first(self):
        self.assertEqual(proc.describe_descriptors({"socket": 6670, "pipe": 13327}, 20000),
                         "19,997 descriptors open (limit 20,000): 13,327 pipes, 6,670 sockets")
        self.assertEqual(proc.describe_descriptors({"pipe": 2}, None), "2 pipes")

    def test_census_of_this_process_counts_new_pipes(self):
        def pipes():
            said = proc.descriptors_in_use([os.getpid()])
            return int(said.split(": ", 1)[1].split(" pipes")[0].split(", ")[-1]) \
                if " pipes" in said else 0
        before = pipes()
        opened = [os.pipe() for _ in range(2)]
        try:
            self.assertEqual(pipes() - before, 4)
        finally:
            for pair in opened:
                for fd in pair:
                    os.close(fd)


if __name__ == "__main__":
    unittest.main()
