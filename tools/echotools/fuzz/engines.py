"""The fuzzing engines of tools/fuzz-overnight, one class each with the same surface:
seed(), run() a slice while reporting progress, crashes(), merge() into a corpus, stop().

libFuzzer runs one `-fork=JOBS` process; AFL++ runs a -M main and -S secondaries, the
first of them CMPLOG (with one job, the main gets -c). Working corpora, logs and sync
folders live in WORKDIR/<engine>/<target>/.

Example:
    engine = LibFuzzer(jobs=2, binaries=bins, workdir=workdir)
    engine.seed("address_fuzzer", record)
    final = engine.run("address_fuzzer", 60, on_progress=print)   # {"execs": ..., ...}
"""
import os
import shutil
import signal
import subprocess
import time

from ..paths import ROOT
from .corpus import corpus_files
from .log import log
from .stats import afl_progress, libfuzzer_progress
from .triage import reproduce, triage

PROGRESS_SECONDS = 5


class Engine:
    name = None

    def __init__(self, jobs, binaries, workdir, cmplog_binaries=None):
        self.jobs, self.bin, self.workdir = jobs, binaries, workdir
        self.cmplog_bin = cmplog_binaries  # AFL++ only
        self.processes = []

    def binary(self, target):
        return self.bin / target

    def folder(self, target):
        path = self.workdir / self.name / target
        path.mkdir(parents=True, exist_ok=True)
        return path

    def dict_args(self, target):
        path = ROOT / "corpora" / f"{target}.dict"
        if not path.exists():
            return []
        return [f"-dict={path}"] if self.name == "libfuzzer" else ["-x", str(path)]

    def seed(self, target, record):
        """Copies corpora/<target> inputs not seen before into the working corpus, leaving
        out (and filing) any that crash."""
        seeded = set(record["seeded"])
        corpus = self.corpus(target)
        corpus.mkdir(parents=True, exist_ok=True)
        for path in corpus_files(ROOT / "corpora" / target):
            if path.name in seeded:
                continue
            seeded.add(path.name)
            if reproduce(self.binary(target), path, self.name)[0]:
                shutil.copy(path, corpus / path.name)
            else:
                triage(path, target, self.name, self.binary(target), self.workdir, record)
        record["seeded"] = sorted(seeded)
        if not corpus_files(corpus):
            (corpus / "empty-seed").write_bytes(b"\n")

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes = []

    def spawn(self, command, log_path, env=None):
        # A process group of its own (stop() signals the whole group; a terminal's
        # Ctrl-C reaches only the campaign), not a session: a new session would be
        # a scheduling group of its own (Linux autogroups), out of reach of the
        # campaign's nice value.
        with open(log_path, "ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                       cwd=self.workdir, env=env, process_group=0)
        self.processes.append(process)
        return process


class LibFuzzer(Engine):
    name = "libfuzzer"

    def corpus(self, target):
        return self.folder(target) / "corpus"

    def crashes(self, target):
        folder = self.folder(target) / "artifacts"
        return [p for p in folder.glob("*")
                if p.name.split("-")[0] in ("crash", "leak", "timeout", "oom")]

    def run(self, target, seconds, on_progress):
        artifacts = self.folder(target) / "artifacts"
        artifacts.mkdir(exist_ok=True)
        log_path = self.folder(target) / "fuzz.log"
        start = log_path.stat().st_size if log_path.exists() else 0
        command = [str(self.binary(target)), f"-fork={self.jobs}", "-ignore_crashes=1",
                   "-ignore_timeouts=1", "-ignore_ooms=1", "-timeout=25", "-rss_limit_mb=2048",
                   f"-max_total_time={max(1, int(seconds))}", f"-artifact_prefix={artifacts}/",
                   *self.dict_args(target), str(self.corpus(target))]
        process = self.spawn(command, log_path)
        while process.poll() is None:
            time.sleep(PROGRESS_SECONDS)  # a progress report, not a synchronisation
            on_progress(self.progress(log_path, start))
        self.processes.remove(process)
        return self.progress(log_path, start)

    @staticmethod
    def progress(log_path, start):
        """The slice's progress: its part of the log begins at byte `start`."""
        with log_path.open("rb") as handle:
            handle.seek(start)
            return libfuzzer_progress(handle.read().decode(errors="replace"))

    def merge(self, target, into):
        """Merges the working corpus into `into` (holding the current corpora inputs)."""
        command = [str(self.binary(target)), "-merge=1", "-rss_limit_mb=2048", "-timeout=25",
                   str(into), str(self.corpus(target))]
        subprocess.run(command, capture_output=True, cwd=self.workdir)


class Afl(Engine):
    name = "afl"

    def corpus(self, target):
        return self.folder(target) / "in"

    def sync_dir(self, target):
        return self.folder(target) / "sync"

    def instances(self):
        names = ["main"]
        if self.jobs >= 2:
            names.append("cmplog")
        names += [f"s{i}" for i in range(2, self.jobs)]
        return names

    def crashes(self, target):
        return sorted(self.sync_dir(target).glob("*/crashes/id:*"))

    def run(self, target, seconds, on_progress):
        env = dict(os.environ, AFL_AUTORESUME="1", AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1",
                   AFL_NO_AFFINITY="1", AFL_SKIP_CRASHES="1", AFL_IMPORT_FIRST="1",
                   AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1")
        cmplog = self.cmplog_bin / target
        for name in self.instances():
            role = ["-M", name] if name == "main" else ["-S", name]
            extra = ["-c", str(cmplog)] if name == "cmplog" or self.jobs == 1 else []
            command = ["afl-fuzz", *role, *extra, "-V", str(max(1, int(seconds))), "-t", "25000+",
                       "-i", str(self.corpus(target)), "-o", str(self.sync_dir(target)),
                       *self.dict_args(target), "--", str(self.binary(target))]
            self.spawn(command, self.folder(target) / f"{name}.log", env)
        deadline = time.monotonic() + seconds + 120
        while any(p.poll() is None for p in self.processes) and time.monotonic() < deadline:
            time.sleep(PROGRESS_SECONDS)  # a progress report, not a synchronisation
            on_progress(self.progress(target))
        self.stop()
        return self.progress(target)

    def progress(self, target):
        return afl_progress(p.read_text(errors="replace")
                            for p in self.sync_dir(target).glob("*/fuzzer_stats"))

    def merge(self, target, into):
        queue = self.folder(target) / "merge-input"
        shutil.rmtree(queue, ignore_errors=True)
        queue.mkdir()
        for path in corpus_files(into):
            shutil.copy(path, queue / f"old-{path.name}")
        for i, path in enumerate(sorted(self.sync_dir(target).glob("*/queue/id:*"))):
            shutil.copy(path, queue / f"new-{i}")
        minimal = self.folder(target) / "merge-output"
        shutil.rmtree(minimal, ignore_errors=True)
        env = dict(os.environ, AFL_SKIP_CRASHES="1")
        result = subprocess.run(["afl-cmin", "-i", str(queue), "-o", str(minimal), "--",
                                 str(self.binary(target))], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            log(f"  afl-cmin failed for {target}: {result.stdout.strip().splitlines()[-1:]}")
            return
        for path in corpus_files(minimal):
            if path.name.startswith("new-"):
                shutil.copy(path, into / path.name)


ENGINES = {engine.name: engine for engine in (LibFuzzer, Afl)}
