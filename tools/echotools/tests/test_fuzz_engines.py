import os
import tempfile
import unittest
from pathlib import Path

from echotools.fuzz.engines import LibFuzzer


class SpawnTest(unittest.TestCase):
    def test_a_fuzzer_leads_a_group_in_the_campaigns_session_and_stop_ends_it(self):
        with tempfile.TemporaryDirectory() as workdir:
            engine = LibFuzzer(jobs=1, binaries=Path("/bin"), workdir=Path(workdir))
            process = engine.spawn(["sleep", "60"], Path(workdir) / "log")
            try:
                self.assertEqual(os.getpgid(process.pid), process.pid)  # stop() signals it all
                # Same session, so the same scheduling group: the campaign's nice holds.
                self.assertEqual(os.getsid(process.pid), os.getsid(0))
            finally:
                engine.stop()
            self.assertIsNotNone(process.poll())
            self.assertEqual(engine.processes, [])


if __name__ == "__main__":
    unittest.main()
