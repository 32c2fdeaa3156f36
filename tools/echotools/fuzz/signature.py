"""A crash's signature, to tell distinct bugs apart: its kind (sanitizer and error type,
the broken FUZZ_CHECK property, UBSan's check, out-of-memory or timeout) and the top
three frames of the stack that are in this project (fuzz/replay_main left out). Crashes
with the same signature are one bug; the key is a short hash of it.

Example:
    kind, frames = crash_signature(asan_report, root)
    # ("AddressSanitizer heap-buffer-overflow", ["echo::RingBuffer::commit", ...])
    signature_key(kind, frames)   # "3f9a0c1b2d4e"
"""
import hashlib
import os
import re

from ..paths import ROOT

FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ in (.+?) (/\S+?):(\d+)")
TOP_FRAMES = 3


def crash_kind(output):
    if m := re.search(r"property broken: .*", output):
        return "property " + m.group(0)[len("property broken: "):][:80]
    if m := re.search(r"ERROR: (\w+Sanitizer): ([\w-]+)", output):
        return f"{m.group(1)} {m.group(2)}"
    if m := re.search(r"(\S+:\d+:\d+): runtime error: ([^\n]{0,60})", output):
        return "UBSan " + re.sub(r"\d+", "N", m.group(2))
    if "out-of-memory" in output:
        return "out-of-memory"
    if "timeout" in output.lower():
        return "timeout"
    return "crash"


def project_frames(output, root=ROOT):
    """The first TOP_FRAMES distinct functions of the stack that are in `root`, without
    argument lists and anonymous namespaces."""
    frames = []
    for function, path, _line in FRAME.findall(output):
        # A build under ccache with CCACHE_BASEDIR names sources relative to the build
        # folder: /w/build/fuzz-libfuzzer/../../core/x.cc is /w/core/x.cc.
        path = os.path.normpath(path)
        if not path.startswith(str(root) + "/") or "/fuzz/replay_main" in path:
            continue
        name = re.sub(r"\(.*", "", function.replace("(anonymous namespace)::", ""))
        if name not in frames:
            frames.append(name)
        if len(frames) == TOP_FRAMES:
            break
    return frames


def crash_signature(output, root=ROOT):
    """(kind, top project frames) of a sanitizer / FUZZ_CHECK / libFuzzer report."""
    return crash_kind(output), project_frames(output, root)


def signature_key(kind, frames):
    """12 hex digits naming a signature: the crash's folder and its key in state.json."""
    return hashlib.sha1(f"{kind}|{'|'.join(frames)}".encode()).hexdigest()[:12]
