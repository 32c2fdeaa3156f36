import subprocess
import sys
import time
import unittest

from echotools.listening import StartError, read_listening


class ReadListeningTest(unittest.TestCase):
    def run_child(self, command, want, seconds):
        """read_listening() on `command`'s standard output: (lines or error, seconds taken)."""
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.addCleanup(process.wait)
        self.addCleanup(process.kill)
        self.addCleanup(process.stdout.close)
        start = time.monotonic()
        try:
            return read_listening(process.stdout, want, seconds), time.monotonic() - start
        except StartError as error:
            return error, time.monotonic() - start

    def test_a_server_that_prints_nothing_times_out_at_the_deadline(self):
        # The child keeps its standard output open and silent for 10 s: a blocking read
        # would wait until it exits; the deadline is 0.5 s.
        error, took = self.run_child(["sleep", "10"], 2, 0.5)
        self.assertIsInstance(error, StartError)
        self.assertEqual(str(error), "printed 0 of 2 listening lines in 0.5 s")
        self.assertGreaterEqual(took, 0.5)
        self.assertLess(took, 5.0)

    def test_fewer_lines_than_wanted_time_out_too(self):
        error, took = self.run_child(
            ["sh", "-c", "echo 'listening tcp 127.0.0.1:7'; exec sleep 10"], 2, 2.0)
        self.assertEqual(str(error), "printed 1 of 2 listening lines in 2 s")
        self.assertLess(took, 5.0)

    def test_returns_the_wanted_lines_skipping_others(self):
        program = ("import sys, time\n"
                   "print('starting up')\n"
                   "sys.stdout.write('listening tcp 127.0.0.1:41234\\nlisten'); sys.stdout.flush()\n"
                   "time.sleep(0.05)\n"  # the second line arrives in two pieces
                   "print('ing udp 127.0.0.1:41234', flush=True)\n"
                   "time.sleep(10)")
        lines, _ = self.run_child([sys.executable, "-c", program], 2, 30.0)
        self.assertEqual(lines, ["listening tcp 127.0.0.1:41234", "listening udp 127.0.0.1:41234"])

    def test_a_server_that_exits_first_is_reported_at_once(self):
        error, took = self.run_child(["sh", "-c", "echo 'usage: no'"], 1, 30.0)
        self.assertEqual(str(error), "exited before it listened (printed 0 of 1 listening lines)")
        self.assertLess(took, 10.0)


if __name__ == "__main__":
    unittest.main()
