"""A campaign's memory, so an interrupted night resumes: WORKDIR/state.json (per target:
time spent, executions, coverage, corpus, crash signatures, seeds taken, the build's
sanitizers and jobs) and WORKDIR/stats/<engine>-<target>.jsonl (progress over time).

Example:
    state = State(workdir)
    record = state.target("address_fuzzer", "libfuzzer")
    record["seconds"] += 60
    state.save()
"""
import json


class State:
    """WORKDIR/state.json: {"targets": {"<engine>/<target>": record}, ...}."""

    def __init__(self, workdir):
        self.path = workdir / "state.json"
        self.data = json.loads(self.path.read_text()) if self.path.exists() else {"targets": {}}

    def target(self, name, engine):
        return self.data["targets"].setdefault(f"{engine}/{name}", {
            "target": name, "engine": engine, "seconds": 0.0, "execs": 0, "exec_per_sec": 0,
            "coverage": 0, "features": 0, "corpus": 0, "added_to_corpora": 0, "crashes": {},
            "seeded": []})

    def save(self):
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True))
        tmp.replace(self.path)


def series_path(workdir, engine, target):
    return workdir / "stats" / f"{engine}-{target}.jsonl"


def append_series(workdir, engine, target, point):
    series = series_path(workdir, engine, target)
    series.parent.mkdir(parents=True, exist_ok=True)
    with series.open("a") as out:
        out.write(json.dumps(point) + "\n")


def load_series(path):
    """[(seconds fuzzed, coverage)] of a series file, in time order; [] without one."""
    if not path.exists():
        return []
    points = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return sorted(((p["t"], p["coverage"]) for p in points), key=lambda p: p[0])
