"""Crash triage: reproduce a crashing input, take its signature, and file each new
signature once under WORKDIR/crashes/<target>/<key>/ with the input, a minimised input
(-minimize_crash / afl-tmin), the sanitizer report and a reproduce.sh; a known signature
only counts one more sighting.

Example:
    if triage(crash_path, "address_fuzzer", "libfuzzer", binary, workdir, record):
        print("a new bug")
"""
import datetime
import os
import shutil
import subprocess

from .log import log
from .signature import crash_signature, signature_key

REPRODUCE_SECONDS = 60


def reproduce(binary, input_path, engine, timeout=REPRODUCE_SECONDS):
    """(passes, stderr) of one run of the input."""
    env = dict(os.environ, ASAN_OPTIONS="handle_abort=1:symbolize=1:detect_leaks=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    args = [str(binary), str(input_path)]
    if engine == "libfuzzer":
        args.insert(1, "-runs=1")
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env,
                                errors="replace")
    except subprocess.TimeoutExpired:
        return False, f"timeout: the input ran longer than {timeout} s"
    return result.returncode == 0, result.stderr


def minimise(binary, engine, crash, out):
    if engine == "libfuzzer":
        command = [str(binary), "-minimize_crash=1", "-max_total_time=60", "-runs=100000",
                   f"-exact_artifact_path={out}", str(crash)]
    else:
        command = ["afl-tmin", "-i", str(crash), "-o", str(out), "--", str(binary)]
    subprocess.run(command, capture_output=True, timeout=300)
    if not out.exists():
        shutil.copy(crash, out)


def reproduce_script(binary, engine, target, minimised):
    replay = f"build/gcc/bin/{target} {minimised}"
    return ("#!/bin/sh\n# Reproduces the crash; under gdb use the replay driver build:\n"
            f"#   {replay}\n"
            f"# Keep it as a regression once minimised:\n"
            f"#   tools/fuzz-corpus-add --regression WHAT-BREAKS {target} {minimised}\n"
            f"{binary} {'-runs=1 ' if engine == 'libfuzzer' else ''}{minimised}\n")


def triage(crash, target, engine, binary, workdir, record):
    """Files one crashing input under its signature in `record` (the target's state);
    returns True when the signature is new."""
    ok, output = reproduce(binary, crash, engine)
    if ok:
        return False  # flaky or already fixed: nothing to file
    kind, frames = crash_signature(output)
    key = signature_key(kind, frames)
    known = record["crashes"]
    if key in known:
        known[key]["count"] += 1
        return False
    folder = workdir / "crashes" / target / key
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(crash, folder / "input")
    minimised = folder / "minimised"
    minimise(binary, engine, folder / "input", minimised)
    (folder / "report.txt").write_text(reproduce(binary, minimised, engine)[1])
    script = folder / "reproduce.sh"
    script.write_text(reproduce_script(binary, engine, target, minimised))
    script.chmod(0o755)
    known[key] = {"kind": kind, "frames": frames, "count": 1, "folder": str(folder),
                  "minimised_size": minimised.stat().st_size, "reproduce": str(script),
                  "first_seen": datetime.datetime.now().isoformat(timespec="seconds")}
    log(f"  NEW crash in {target}: {kind} at {' < '.join(frames) or '?'} -> {folder}")
    return True
