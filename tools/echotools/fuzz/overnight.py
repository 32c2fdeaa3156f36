"""Runs every fuzz target for its share of a time budget and writes a morning report.

  tools/fuzz-overnight --hours 8 --jobs 2 [--engine libfuzzer|afl] [--targets a,b]
                       [--workdir DIR] [--minutes M] [--no-merge] [--no-coverage]

Targets are named as in fuzz/ (address_fuzzer) or without the suffix (address).

Builds the fuzz preset it needs into WORKDIR/build/, then fuzzes the targets in
round-robin slices (so an interrupted night still covers every target), each on
all --jobs cores: libFuzzer with -fork=JOBS, AFL++ with a -M main and -S
secondaries, one of them CMPLOG. Running it again with the same WORKDIR resumes:
working corpora, crashes and the time already spent are kept there.

After each slice: crashes are deduplicated by sanitizer type + top project
frames, minimised (-minimize_crash / afl-tmin) and given a reproducer command;
new coverage-increasing inputs are merged back into corpora/<target>/ minimised
(libFuzzer -merge=1 / afl-cmin), named by SHA-256. At the end the report is
written by tools/fuzz-report (WORKDIR/report/report.md and report.html) with an
llvm-cov report of the fuzzed code from tools/fuzz-coverage; it shows exec/s per
target and whether the build had sanitizers.
Exit status: 0 done (crashes are in the report), 2 bad arguments or environment,
130 interrupted (state saved; run again to resume).
"""
import argparse
import datetime
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..cli import fail
from ..paths import ROOT, TOOLS
from .build import SetupError, build, check_engine, check_writable, sanitizers_of_build
from .corpus import add_by_hash, corpus_files
from .engines import ENGINES
from .log import log
from .signature import crash_signature
from .state import State, append_series
from .targets import known_targets, parse_targets
from .triage import reproduce, triage

SLICE_MAX_SECONDS = 15 * 60
PRESETS = {"libfuzzer": "fuzz-libfuzzer", "afl": "fuzz-afl"}
TOOL = "fuzz-overnight"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument("--hours", type=float, help="total budget for all targets")
    budget.add_argument("--minutes", type=float, help="total budget, in minutes")
    parser.add_argument("--jobs", type=int, default=2, help="cores to use (default 2)")
    parser.add_argument("--engine", default="libfuzzer", help="libfuzzer (default) or afl")
    parser.add_argument("--targets", help="comma-separated targets, e.g. address,probe_record "
                        "(the _fuzzer suffix is optional; default: all)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "fuzz-overnight")
    parser.add_argument("--no-merge", action="store_true", help="leave corpora/ untouched")
    parser.add_argument("--no-coverage", action="store_true", help="skip the llvm-cov report")
    args = parser.parse_args(argv)
    seconds = args.hours * 3600 if args.hours is not None else args.minutes * 60
    if seconds < 0:
        fail(TOOL, "the budget must not be negative")
    args.budget = seconds
    if args.jobs < 1:
        fail(TOOL, f"--jobs {args.jobs}: need at least 1 core")
    if args.engine not in PRESETS:
        fail(TOOL, f"unknown engine '{args.engine}' (expected libfuzzer or afl)")
    try:
        args.target_list = parse_targets(args.targets, known_targets())
    except ValueError as error:
        fail(TOOL, str(error))
    args.workdir = args.workdir.resolve()
    try:
        check_writable(args.workdir)
        check_engine(args.engine)
    except SetupError as error:
        fail(TOOL, str(error))
    return args


def merge_back(engine, target, record):
    """Adds the campaign's coverage-increasing inputs to corpora/<target>, named by SHA-256."""
    corpora = ROOT / "corpora" / target
    staging = engine.folder(target) / "merge-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    before = {p.name for p in corpus_files(corpora)}
    for path in corpus_files(corpora):
        shutil.copy(path, staging / path.name)
    engine.merge(target, staging)
    new = [p for p in corpus_files(staging) if p.name not in before]
    if not new:
        return 0
    added, _ = add_by_hash(corpora, new)
    record["added_to_corpora"] += added
    record["seeded"] = sorted(set(record["seeded"]) | {p.name for p in corpus_files(corpora)})
    return added


def record_final(record, engine, final):
    """Folds a slice's last progress into the target's record."""
    # libFuzzer counts each slice from zero; AFL++ keeps counting across resumes.
    record["execs"] = final["execs"] + (record["execs"] if engine.name == "libfuzzer" else 0)
    record["exec_per_sec"] = final["exec_per_sec"]
    record["coverage"] = max(record["coverage"], final["coverage"])
    record["features"] = max(record["features"], final["features"])
    record["corpus"] = final["corpus"]


def run_slice(engine, target, seconds, record, args, index, count):
    done_before = record["seconds"]
    share = args.budget / len(args.target_list)
    started = time.monotonic()

    def on_progress(progress):
        if not progress:
            return
        elapsed = time.monotonic() - started
        append_series(args.workdir, engine.name, target,
                      {"t": round(done_before + elapsed, 1), **progress})
        log(f"[{index}/{count}] {target}: {(done_before + elapsed) / 60:.1f}/{share / 60:.1f} min  "
            f"cov {progress['coverage']}  corpus {progress['corpus']}  "
            f"exec/s {progress['exec_per_sec']}  crashes {progress['crashes']}")

    final = engine.run(target, seconds, on_progress)
    record["seconds"] = done_before + time.monotonic() - started
    record["jobs"], record["sanitizers"] = args.jobs, args.sanitizers
    if final:
        record_final(record, engine, final)
        append_series(args.workdir, engine.name, target, {"t": round(record["seconds"], 1), **final})
    filed = set(record.get("triaged", []))
    for crash in engine.crashes(target):
        name = f"{crash.parent.parent.name}/{crash.name}"
        if name in filed:
            continue
        filed.add(name)
        triage(crash, target, engine.name, engine.binary(target), args.workdir, record)
    record["triaged"] = sorted(filed)


def campaign(args, engine, state):
    share = args.budget / len(args.target_list)
    for target in args.target_list:
        engine.seed(target, state.target(target, engine.name))
    state.save()
    count = len(args.target_list)
    while True:
        pending = [t for t in args.target_list
                   if share - state.target(t, engine.name)["seconds"] >= 1]
        if not pending:
            return
        for target in pending:
            record = state.target(target, engine.name)
            slice_seconds = min(share - record["seconds"], SLICE_MAX_SECONDS)
            index = args.target_list.index(target) + 1
            log(f"[{index}/{count}] {target}: fuzzing {slice_seconds:.0f} s with {engine.name}, "
                f"{args.jobs} job(s)")
            run_slice(engine, target, slice_seconds, record, args, index, count)
            if not args.no_merge:
                added = merge_back(engine, target, record)
                log(f"[{index}/{count}] {target}: {added} new input(s) merged into corpora/{target}")
            state.save()


def check_regressions(args, engine, state):
    """Replays every regression: a failing one is a known bug still present."""
    results = {}
    for target in args.target_list:
        folder = ROOT / "corpora" / target / "regressions"
        for path in corpus_files(folder):
            ok, output = reproduce(engine.binary(target), path, engine.name)
            kind = "passes" if ok else crash_signature(output)[0]
            results[f"{target}/{path.name}"] = {"ok": ok, "result": kind}
    state.data["regressions"] = results


def finish(args, engine, state):
    check_regressions(args, engine, state)
    state.data["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    state.data["engine"] = args.engine
    state.data["targets_run"] = args.target_list
    state.save()
    if not args.no_coverage:
        log("coverage: replaying the corpora under the coverage preset")
        subprocess.run([str(TOOLS / "fuzz-coverage"), "--workdir", str(args.workdir),
                        "--targets", ",".join(args.target_list)])
    subprocess.run([str(TOOLS / "fuzz-report"), str(args.workdir), "--engine", args.engine])


def main(argv=None):
    args = parse_args(argv)
    state = State(args.workdir)
    try:
        bins = build(PRESETS[args.engine], args.workdir, args.target_list)
        cmplog = (build("fuzz-afl-cmplog", args.workdir, args.target_list)
                  if args.engine == "afl" else None)
    except SetupError as error:
        fail(TOOL, str(error))
    args.sanitizers = sanitizers_of_build(bins.parent)
    engine = ENGINES[args.engine](args.jobs, bins, args.workdir, cmplog)

    def interrupted(_signum, _frame):
        engine.stop()
        state.save()
        log("interrupted: state saved; run the same command again to resume")
        sys.exit(130)

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    log(f"{args.engine}: {len(args.target_list)} target(s), {args.budget / 60:.1f} min in all, "
        f"{args.jobs} job(s), workdir {args.workdir}")
    campaign(args, engine, state)
    finish(args, engine, state)
    return 0
