"""Fuzzing progress as the engines report it: executions, exec/s, coverage, corpus size
and crashes, from libFuzzer's status lines and AFL++'s fuzzer_stats files.

libFuzzer prints, with -fork=N:
    #52341: cov: 611 ft: 1988 corp: 502 exec/s 5234 oom/timeout/crash: 0/0/0 time: 10s job: 3
and in a single process:
    #65536  pulse  cov: 611 ft: 1988 corp: 502/31Kb lim: 4096 exec/s: 21845 rss: 45Mb
AFL++ writes `execs_done`, `execs_per_sec`, `edges_found`, `corpus_count` and
`saved_crashes` (among others) to each instance's fuzzer_stats.

Example:
    libfuzzer_progress(log_text)   # {"execs": 52341, "exec_per_sec": 5234, "coverage": 611, ...}
    afl_progress([main_stats_text, secondary_stats_text])   # execs and exec/s summed
"""
import re

FORK_STATUS = re.compile(r"#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s (\d+) "
                         r"oom/timeout/crash: (\d+)/(\d+)/(\d+)")
SINGLE_STATUS = re.compile(r"#(\d+)\s+[A-Za-z]+\s+cov: (\d+) ft: (\d+) corp: (\d+)/\S+ .*?"
                           r"exec/s: (\d+)")


def libfuzzer_progress(text):
    """The last status line of a libFuzzer log as {execs, coverage, features, corpus,
    exec_per_sec, crashes}, or None when there is none yet. Crashes are counted in -fork
    mode only (a single process stops at its first)."""
    last = None
    for line in text.splitlines():
        if m := FORK_STATUS.search(line):
            execs, cov, ft, corp, eps, _oom, _timeouts, crashes = map(int, m.groups())
        elif m := SINGLE_STATUS.search(line):
            (execs, cov, ft, corp, eps), crashes = map(int, m.groups()), 0
        else:
            continue
        last = {"execs": execs, "coverage": cov, "features": ft, "corpus": corp,
                "exec_per_sec": eps, "crashes": crashes}
    return last


def parse_fuzzer_stats(text):
    """AFL++'s fuzzer_stats ("key   : value" lines) as {key: value text}."""
    fields = {}
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            fields[key.strip()] = value.strip()
    return fields


def _number(fields, key):
    try:
        return float(fields.get(key, "0").rstrip("%") or 0)
    except ValueError:
        return 0.0


def afl_progress(stats_texts):
    """The instances' fuzzer_stats together: executions, exec/s and crashes summed, coverage
    (edges_found) and corpus the largest; None before the first execution."""
    total = {"execs": 0, "exec_per_sec": 0, "coverage": 0, "corpus": 0, "crashes": 0,
             "features": 0}
    for text in stats_texts:
        fields = parse_fuzzer_stats(text)
        total["execs"] += int(_number(fields, "execs_done"))
        total["exec_per_sec"] += int(_number(fields, "execs_per_sec"))
        total["coverage"] = max(total["coverage"], int(_number(fields, "edges_found")))
        total["corpus"] = max(total["corpus"], int(_number(fields, "corpus_count")))
        total["crashes"] += int(_number(fields, "saved_crashes"))
    return total if total["execs"] else None


def average_exec_per_sec(record):
    """Executions per second over all the time a target was fuzzed (all jobs together), or
    None before any."""
    if not record.get("seconds") or not record["execs"]:
        return None
    return record["execs"] / record["seconds"]
