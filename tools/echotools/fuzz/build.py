"""Getting the fuzz binaries: checking that an engine is installed, building a preset into
the campaign's workdir, and reading back whether that build has sanitizers.

Example:
    problem = engine_problem("libfuzzer")   # None, or what is missing
    bins = build("fuzz-libfuzzer", workdir, ["address_fuzzer"])   # workdir/build/.../bin
    sanitizers_of_build(bins.parent)        # "address,undefined"
"""
import os
import re
import shutil
import subprocess
import sys

from ..paths import ROOT
from .log import log


class SetupError(Exception):
    """The environment cannot run the campaign; the message says why."""


def check_writable(folder):
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise SetupError(f"cannot write to {folder}: {error.strerror}") from None


def check_engine(engine):
    needed = ["cmake", "ninja", "clang++"]
    if engine == "afl":
        needed += ["afl-clang-fast++", "afl-fuzz", "afl-cmin", "afl-tmin"]
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        raise SetupError(f"{engine} is not installed: {', '.join(missing)} not found "
                         "(tools/setup installs it)")
    if engine == "libfuzzer":
        runtime = subprocess.run(["clang++", "-print-file-name=libclang_rt.fuzzer-x86_64.a"],
                                 capture_output=True, text=True).stdout.strip()
        if not os.path.isabs(runtime) or not os.path.exists(runtime):
            raise SetupError("libFuzzer is not installed: libclang_rt.fuzzer is missing "
                             "(package libclang-rt-14-dev)")


def build(preset, workdir, targets):
    """Configures and builds `targets` of `preset` in WORKDIR/build/<preset>; its bin/."""
    folder = workdir / "build" / preset
    log(f"building {preset} in {folder}")
    configure = ["cmake", "--preset", preset, "-B", str(folder), "-DECHO_BUILD_TESTS=OFF"]
    for command in (configure, ["cmake", "--build", str(folder), "--target", *targets]):
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
            raise SetupError(f"building preset {preset} failed: {' '.join(command)}")
    return folder / "bin"


def sanitizers_of(cache_text):
    """The sanitizers a CMakeCache.txt builds with ("address,undefined"; "" for none), from
    ECHO_SANITIZE and any -fsanitize= of the compiler flags other than the fuzzer's own."""
    found = []
    for line in cache_text.splitlines():
        name, _, value = line.partition("=")
        if name.startswith("ECHO_SANITIZE:"):
            found += value.split(",")
        elif name.startswith(("CMAKE_CXX_FLAGS:", "CMAKE_C_FLAGS:")):
            for flag in re.findall(r"-fsanitize=(\S+)", value):
                found += flag.split(",")
    kept = []
    for name in (n.strip() for n in found):
        if name and not name.startswith("fuzzer") and name not in kept:
            kept.append(name)
    return ",".join(kept)


def sanitizers_of_build(folder):
    """sanitizers_of() the build folder's CMakeCache.txt, or None without one."""
    cache = folder / "CMakeCache.txt"
    return sanitizers_of(cache.read_text(errors="replace")) if cache.exists() else None


SANITIZER_NAMES = {"address": "ASan", "undefined": "UBSan", "thread": "TSan", "memory": "MSan",
                   "leak": "LSan"}


def sanitizer_label(sanitizers):
    """'address,undefined' -> 'ASan+UBSan'; '' -> 'none'; None (not recorded) -> '?'."""
    if sanitizers is None:
        return "?"
    names = [SANITIZER_NAMES.get(s, s) for s in sanitizers.split(",") if s]
    return "+".join(names) if names else "none"
