"""A server's CPU time while echo-bench runs: a thread samples the process tree's CPU
ticks from /proc every SAMPLE_INTERVAL_S; cpu_in_window() then takes the samples inside
echo-bench's measured window as echo-bench reports it (window_monotonic_ns), not a window
guessed from the launch time: connecting can take seconds (servers with a short listen
backlog drop SYNs), and at its very end echo-bench closes its connections and a forking
server's children exit, taking their CPU time with them.

Example:
    sampler = CpuSampler(server.pids)
    ... run echo-bench ...
    sampler.finish()
    sampler.window(start_ns, end_ns)   # {"seconds": 1.9, "sampled_s": 2.7, "processes": 1, ...}
"""
import os
import threading
import time

from ..proc import tree_cpu_ticks

SAMPLE_INTERVAL_S = 0.1  # a /proc scan costs ~1-2 ms of bench-peers' CPU
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_in_window(samples, start_ns, end_ns, clock_ticks=CLOCK_TICKS):
    """The tree's CPU between the first and the last sample inside [start, end], trimmed by
    5 % at each end, or {"error": ...} if they cover less than 40 % of it. `samples`:
    [(monotonic ns, {(pid, start time): ticks})] in time order."""
    margin = (end_ns - start_ns) // 20
    inside = [s for s in samples if start_ns + margin <= s[0] <= end_ns - margin]
    if len(inside) < 2 or inside[-1][0] - inside[0][0] < (end_ns - start_ns) * 0.4:
        return {"error": f"{len(inside)} CPU samples inside the measured window"}
    (t0, before), (t1, after) = inside[0], inside[-1]
    # A process that exited between the samples takes its CPU with it: counted as 0.
    ticks = sum(t - before.get(key, 0) for key, t in after.items())
    return {"seconds": ticks / clock_ticks, "sampled_s": (t1 - t0) / 1e9,
            "processes": len(after), "exited": len(before.keys() - after.keys())}


class CpuSampler:
    """Samples the CPU ticks of the trees under `pids` in a thread until finish()."""

    def __init__(self, pids, interval_s=SAMPLE_INTERVAL_S):
        self.pids, self.interval_s = pids, interval_s
        self.samples = []  # (time.monotonic_ns(), {(pid, start time): ticks})
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            self.samples.append((time.monotonic_ns(), tree_cpu_ticks(self.pids)))
            if self._stop.wait(self.interval_s):
                return

    def finish(self):
        self._stop.set()
        self._thread.join()

    def window(self, start_ns, end_ns):
        return cpu_in_window(self.samples, start_ns, end_ns)
