#!/usr/bin/env python3
"""The Debian package end to end, as a user gets it.

Builds the .deb with cpack from the build tree, checks its control fields
(version, shlibdeps dependencies, description), unpacks it into a scratch root
with dpkg -x (no root needed), then: each installed program answers --version
with the project version; each man page renders with man -l and carries the
program's options and exit codes; each program has its bash completion; and the
installed echo-conformance passes against the installed echo-server (port 0 on
loopback, the port read back from its "listening tcp" line).

  installed_package_test.py --cpack CPACK --build-dir BUILD --scratch DIR
                            --version X.Y.Z PROGRAM...
"""
import argparse
import glob
import os
import re
import selectors
import shutil
import subprocess
import sys
import time

DEADLINE_SECONDS = 120


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True,
                          timeout=DEADLINE_SECONDS, **kwargs)


def build_package(cpack, build_dir, scratch):
    out_dir = os.path.join(scratch, "deb")
    started = time.monotonic()
    run([cpack, "-G", "DEB", "--config", os.path.join(build_dir, "CPackConfig.cmake"),
         "-B", out_dir])
    debs = glob.glob(os.path.join(out_dir, "*.deb"))
    assert len(debs) == 1, f"expected one .deb in {out_dir}, found {debs}"
    print(f"built {os.path.basename(debs[0])}: {os.path.getsize(debs[0])} bytes "
          f"in {time.monotonic() - started:.1f} s")
    return debs[0]


def check_control(deb, version):
    fields = {}
    for name in ("Package", "Version", "Depends", "Description", "Section"):
        fields[name] = run(["dpkg-deb", "-f", deb, name]).stdout.strip()
    print("control:", fields)
    assert fields["Package"] == "echo-conformance", fields
    assert fields["Version"] == version, fields
    # dpkg-shlibdeps found the C and C++ runtimes the programs link.
    for library in ("libc6", "libstdc++6"):
        assert re.search(rf"\b{re.escape(library)} \(>=", fields["Depends"]), \
            f"Depends lacks {library} (shlibdeps): {fields['Depends']!r}"
    assert "echo server" in fields["Description"], fields["Description"]


def check_program(root, program, version):
    binary = os.path.join(root, "usr/bin", program)
    first_line = run([binary, "--version"]).stdout.splitlines()[0]
    assert first_line.startswith(f"{program} {version}"), first_line

    page = os.path.join(root, "usr/share/man/man1", program + ".1")
    env = dict(os.environ, MANWIDTH="100")
    env.pop("MAN_KEEP_FORMATTING", None)
    rendered = run(["man", "-P", "cat", "-l", page], env=env).stdout
    for expected in ("NAME", program, "SYNOPSIS", "--help", "--version", "EXAMPLES"):
        assert expected in rendered, f"{program}.1 lacks {expected!r}"
    assert re.search(r"Exit\s+codes", rendered), f"{program}.1 lacks the exit codes"
    if program == "echo-conformance":
        assert "echo-conformance check" in rendered and "--report" in rendered, rendered

    completion = os.path.join(root, "usr/share/bash-completion/completions", program)
    assert os.path.isfile(completion), completion


def read_listening_port(server):
    """The port of the server's "listening tcp 127.0.0.1:PORT" line, within a deadline."""
    selector = selectors.DefaultSelector()
    selector.register(server.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 10
    buffered = ""
    while time.monotonic() < deadline:
        if not selector.select(timeout=deadline - time.monotonic()):
            break
        chunk = os.read(server.stdout.fileno(), 4096).decode()
        if not chunk:
            break
        buffered += chunk
        match = re.search(r"^listening tcp 127\.0\.0\.1:(\d+)$", buffered, re.MULTILINE)
        if match:
            return int(match.group(1))
    raise AssertionError(f"echo-server printed no listening line: {buffered!r}")


def check_conformance(root, scratch):
    bin_dir = os.path.join(root, "usr/bin")
    server = subprocess.Popen([os.path.join(bin_dir, "echo-server"), "--listen", "127.0.0.1:0",
                               "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        port = read_listening_port(server)
        junit = os.path.join(scratch, "report.xml")
        started = time.monotonic()
        checker = subprocess.run(
            [os.path.join(bin_dir, "echo-conformance"), "check", f"127.0.0.1:{port}",
             "--no-progress", "--quiet", "--report", f"junit={junit}"],
            capture_output=True, text=True, timeout=DEADLINE_SECONDS)
        print(f"installed echo-conformance against installed echo-server (port {port}): "
              f"exit {checker.returncode} in {time.monotonic() - started:.1f} s")
        assert checker.returncode == 0, checker.stdout + checker.stderr
        assert "<testsuite" in open(junit).read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpack", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("programs", nargs="+")
    args = parser.parse_args()

    shutil.rmtree(args.scratch, ignore_errors=True)
    os.makedirs(args.scratch)
    deb = build_package(args.cpack, args.build_dir, args.scratch)
    check_control(deb, args.version)
    root = os.path.join(args.scratch, "root")
    run(["dpkg", "-x", deb, root])
    for program in args.programs:
        check_program(root, program, args.version)
    for unit in ("echo-server.socket", "echo-server.service"):
        path = os.path.join(root, "usr/lib/systemd/system", unit)
        assert os.path.isfile(path), f"the package lacks the systemd unit {path}"
    check_conformance(root, args.scratch)
    print("package: all checks passed")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        detail = getattr(error, "stderr", None) or ""
        print(f"FAIL: {error}\n{detail}", file=sys.stderr)
        sys.exit(1)
