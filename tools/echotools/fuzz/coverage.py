"""Line coverage of the fuzzed code: replays the corpora under the coverage preset.

  tools/fuzz-coverage [--workdir DIR] [--targets a,b]

Builds the `coverage` preset (clang source-based coverage, replay driver) into
DIR/build/coverage, replays corpora/<target>/ plus the working corpora of
tools/fuzz-overnight found in DIR, merges the profiles with llvm-profdata and
writes an llvm-cov HTML report to DIR/report/coverage/index.html and per-module
line coverage to DIR/coverage/summary.json. The fuzz harnesses themselves
(fuzz/) and tests are left out of the figures. Targets are named with or
without the _fuzzer suffix. Exit 2 on bad arguments.
"""
import argparse
import collections
import functools
import json
import os
import pathlib
import shutil
import subprocess

from .. import cli
from ..paths import ROOT
from .corpus import corpus_files
from .targets import known_targets, parse_targets

# Left out of the figures: system headers, the harnesses, tests. Not "/build/": a build whose
# compiler ran under ccache with CCACHE_BASEDIR names its sources relative to the build folder
# (WORKDIR/build/coverage/../../core/x.cc), which that pattern would drop; summarise() keeps
# only files inside the checkout.
IGNORE = r"(^/usr/|/fuzz/|_test\.cc$)"
fail = functools.partial(cli.fail, "fuzz-coverage")


def llvm_tool(name):
    for candidate in (f"{name}-14", name):
        if shutil.which(candidate):
            return candidate
    fail(f"{name} not found (package llvm)")


def inputs_of(workdir, target):
    """Folders and files to replay for one target."""
    found = [ROOT / "corpora" / target]
    libfuzzer = workdir / "libfuzzer" / target / "corpus"
    if libfuzzer.is_dir():
        found.append(libfuzzer)
    found += sorted((workdir / "afl" / target / "sync").glob("*/queue"))
    return [p for p in found if p.exists()]


def replay(binary, folder, profile_dir, target):
    """Replays a folder (regressions left out); on a crash, file by file, skipping crashers."""
    env = dict(os.environ, LLVM_PROFILE_FILE=str(profile_dir / f"{target}-%p-%m.profraw"))
    files = corpus_files(folder)
    if not files:
        return 0
    if subprocess.run([str(binary), *map(str, files)], capture_output=True, env=env).returncode == 0:
        return 0
    skipped = 0
    for path in files:
        if subprocess.run([str(binary), str(path)], capture_output=True, env=env).returncode != 0:
            skipped += 1
    return skipped


def module_of(path, root=ROOT):
    """The folder of a source file relative to the checkout ('core/codec'), or None for a
    file outside it or in its build folders."""
    try:
        relative = pathlib.Path(os.path.normpath(path)).relative_to(root)
    except ValueError:
        return None
    return None if relative.parts[0] in ("build", "out") else str(relative.parent)


def summarise(export, root=ROOT):
    """Per-module line coverage of an `llvm-cov export -summary-only` document."""
    modules = collections.defaultdict(lambda: [0, 0])
    for data in export["data"]:
        for entry in data["files"]:
            name = module_of(entry["filename"], root)
            if name is None:
                continue
            lines = entry["summary"]["lines"]
            module = modules[name]
            module[0] += lines["covered"]
            module[1] += lines["count"]
    return {name: {"covered": c, "lines": n, "percent": round(100.0 * c / n, 1) if n else 0.0}
            for name, (c, n) in sorted(modules.items())}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fuzz-coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=pathlib.Path, default=ROOT / "build" / "fuzz-overnight")
    parser.add_argument("--targets", help="comma-separated targets (default: all)")
    args = parser.parse_args(argv)
    try:
        targets = parse_targets(args.targets, known_targets())
    except ValueError as error:
        fail(str(error))
    workdir = args.workdir.resolve()
    profdata_tool, cov_tool = llvm_tool("llvm-profdata"), llvm_tool("llvm-cov")
    build = workdir / "build" / "coverage"
    for command in (["cmake", "--preset", "coverage", "-B", str(build), "-DECHO_BUILD_TESTS=OFF"],
                    ["cmake", "--build", str(build), "--target", *targets]):
        if subprocess.run(command, cwd=ROOT, capture_output=True).returncode != 0:
            fail(f"building the coverage preset failed: {' '.join(command)}")
    profiles = workdir / "coverage" / "profiles"
    shutil.rmtree(profiles, ignore_errors=True)
    profiles.mkdir(parents=True)
    for target in targets:
        skipped = sum(replay(build / "bin" / target, folder, profiles, target)
                      for folder in inputs_of(workdir, target))
        note = f" ({skipped} crashing inputs left out)" if skipped else ""
        print(f"fuzz-coverage: replayed {target}{note}")
    profdata = workdir / "coverage" / "fuzz.profdata"
    raw = sorted(map(str, profiles.glob("*.profraw")))
    subprocess.run([profdata_tool, "merge", "-sparse", "-o", str(profdata), *raw], check=True)
    objects = [str(build / "bin" / targets[0])]
    for target in targets[1:]:
        objects += ["-object", str(build / "bin" / target)]
    common = [f"-instr-profile={profdata}", f"-ignore-filename-regex={IGNORE}", *objects]
    html = workdir / "report" / "coverage"
    subprocess.run([cov_tool, "show", "-format=html", f"-output-dir={html}",
                    "-show-line-counts-or-regions", *common], check=True, capture_output=True)
    export = subprocess.run([cov_tool, "export", "-summary-only", *common], check=True,
                            capture_output=True, text=True).stdout
    summary = {"targets": targets, "modules": summarise(json.loads(export))}
    (workdir / "coverage" / "summary.json").write_text(json.dumps(summary, indent=1))
    for module, figures in summary["modules"].items():
        print(f"fuzz-coverage: {module:24} {figures['percent']:5.1f}% of {figures['lines']} lines")
    print(f"fuzz-coverage: HTML report in {html}/index.html")
    return 0
