"""Where the servers and the load generators run: CPU lists (--server-cpus 0,
--bench-cpus 1-7), echo-bench's thread count, and the epoll server's event loops.

Without CPU sets, echo-bench (one thread by default) needs a core of its own and the
epoll server gets one event loop per remaining core (its default, one per core, would
make two loops and the load generator fight over 2 CPUs: 10-20 % slower at pp50,
docs/performance.md). One Placement is made from the options and passed to whatever
starts a process; nothing global.

Example:
    placement = placement_from(1, "0", "1-7", usable={0, 1, 2, 3, 4, 5, 6, 7})
    placement.server_loops                 # 1
    with placement.on(placement.bench_cpus):
        subprocess.Popen(["echo-bench", ...])   # inherits CPUs 1-7
"""
import contextlib
import os


def cpu_set(text):
    """'0-2,5' -> {0, 1, 2, 5}; ValueError naming what was wrong."""
    cpus = set()
    for part in text.split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()) or int(last or first) < int(first):
            raise ValueError(f"'{text}' is not a CPU list (expected e.g. 0 or 1-3,6)")
        cpus.update(range(int(first), int(last or first) + 1))
    return cpus


def cpu_list(cpus):
    """{0, 1, 2, 5} -> '0,1,2,5'."""
    return ",".join(str(c) for c in sorted(cpus))


class Placement:
    """Where each side runs: `server_cpus` and `bench_cpus` are sets of CPUs or None (the
    scheduler decides), `bench_threads` echo-bench's threads, `server_loops` the epoll
    server's event loops (one per server CPU, else the CPUs echo-bench leaves)."""

    def __init__(self, bench_threads=1, server_cpus=None, bench_cpus=None, cpu_count=None):
        self.bench_threads = bench_threads
        self.server_cpus, self.bench_cpus = server_cpus, bench_cpus
        cpu_count = cpu_count or os.cpu_count() or 1
        self.server_loops = len(server_cpus) if server_cpus else max(1, cpu_count - bench_threads)

    @classmethod
    def from_json(cls, data):
        """The Placement a results file recorded (as_json()), to render it again."""
        sets = {key: cpu_set(data[key]) if data.get(key) else None
                for key in ("server_cpus", "bench_cpus")}
        placement = cls(data["bench_threads"], sets["server_cpus"], sets["bench_cpus"])
        placement.server_loops = data["server_loops"]
        return placement

    def as_json(self):
        return {"bench_threads": self.bench_threads, "server_loops": self.server_loops,
                "server_cpus": cpu_list(self.server_cpus) if self.server_cpus else None,
                "bench_cpus": cpu_list(self.bench_cpus) if self.bench_cpus else None}

    def describe(self):
        text = f"echo-bench with {self.bench_threads} thread{'s' * (self.bench_threads > 1)}"
        if self.server_cpus:
            text += f"; servers on CPUs {cpu_list(self.server_cpus)}"
        if self.bench_cpus:
            text += f"; load generators on CPUs {cpu_list(self.bench_cpus)}"
        return text

    @staticmethod
    @contextlib.contextmanager
    def on(cpus):
        """Processes started inside (from this thread) inherit `cpus` as their affinity."""
        if not cpus:
            yield
            return
        saved = os.sched_getaffinity(0)
        os.sched_setaffinity(0, cpus)
        try:
            yield
        finally:
            os.sched_setaffinity(0, saved)


def placement_from(bench_threads, server_cpus, bench_cpus, usable=None, cpu_count=None):
    """The Placement the options ask for (CPU lists as text, or None); ValueError naming
    the option that is wrong. `usable`: the CPUs this process may use (its affinity)."""
    if not 1 <= bench_threads <= 256:
        raise ValueError(f"--bench-threads {bench_threads}: expected 1 to 256")
    usable = os.sched_getaffinity(0) if usable is None else usable
    sets = {}
    for option, text in (("--server-cpus", server_cpus), ("--bench-cpus", bench_cpus)):
        if text is None:
            continue
        try:
            cpus = cpu_set(text)
        except ValueError as error:
            raise ValueError(f"{option}: {error}") from None
        if not cpus <= usable:
            raise ValueError(f"{option} {text}: CPUs {cpu_list(cpus - usable)} are not available "
                             f"here (expected some of {cpu_list(usable)})")
        sets[option] = cpus
    return Placement(bench_threads, sets.get("--server-cpus"), sets.get("--bench-cpus"), cpu_count)
