#!/usr/bin/env python3
""".clusterfuzzlite/build.sh run the way OSS-Fuzz's base-builder runs it.

base-builder calls build.sh from $SRC/<project> with the compilers and flags of
the chosen sanitizer and engine in the environment ($CC, $CXX, $CFLAGS,
$CXXFLAGS with -fsanitize=fuzzer-no-link, $LIB_FUZZING_ENGINE=-fsanitize=fuzzer)
and collects what lands in $OUT. This test does the same with Debian's clang
(base-builder's own clang and libc++ are not Debian packages: CXXFLAGS here
lack -stdlib=libc++), then checks that every fuzz target of fuzz/ is in $OUT
with its .options file, its seed corpus zip (when corpora/<target>/ exists) and
its dictionary (when corpora/<target>.dict exists), and that each runs: every
seed once, then a few hundred fuzzing runs with the flags of its .options.

  cflite_build_test.py SOURCE_DIR SCRATCH_DIR
"""
import configparser
import glob
import os
import shutil
import subprocess
import sys
import time
import zipfile

# base-builder's flags for SANITIZER=address, FUZZING_ENGINE=libfuzzer.
SANITIZER_FLAGS = ("-O1 -fno-omit-frame-pointer -gline-tables-only "
                   "-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION "
                   "-fsanitize=address -fsanitize-address-use-after-scope "
                   "-fsanitize=fuzzer-no-link")


def main():
    source_dir, scratch = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    shutil.rmtree(scratch, ignore_errors=True)
    src, out, work = (os.path.join(scratch, name) for name in ("src", "out", "work"))
    for folder in (src, out, work):
        os.makedirs(folder)
    project = os.path.join(src, "echo-conformance")
    os.symlink(source_dir, project)
    env = dict(os.environ, SRC=src, OUT=out, WORK=work, CC="clang", CXX="clang++",
               CFLAGS=SANITIZER_FLAGS, CXXFLAGS=SANITIZER_FLAGS,
               LIB_FUZZING_ENGINE="-fsanitize=fuzzer", SANITIZER="address",
               FUZZING_ENGINE="libfuzzer", FUZZING_LANGUAGE="c++", ARCHITECTURE="x86_64")
    started = time.monotonic()
    build = subprocess.run(["bash", "-eu", os.path.join(source_dir, ".clusterfuzzlite/build.sh")],
                           cwd=project, env=env, capture_output=True, text=True, timeout=1500)
    print(f"build.sh: exit {build.returncode} in {time.monotonic() - started:.0f} s")
    if build.returncode != 0:
        print(build.stdout[-4000:], build.stderr[-4000:])
        return 1

    problems = []
    targets = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(source_dir, "fuzz/*_fuzzer.cc")))
    if not targets:
        problems.append("no fuzz/*_fuzzer.cc")
    corpora = os.path.join(source_dir, "corpora")
    for target in targets:
        binary = os.path.join(out, target)
        if not os.access(binary, os.X_OK):
            problems.append(f"{target}: not in $OUT")
            continue
        options_path = os.path.join(out, target + ".options")
        options = configparser.ConfigParser()
        if not options.read(options_path) or "libfuzzer" not in options:
            problems.append(f"{target}: no [libfuzzer] section in {target}.options")
            continue
        flags = [f"-{key}={value}" for key, value in options["libfuzzer"].items()]
        if os.path.isfile(os.path.join(corpora, target + ".dict")):
            if not os.path.isfile(os.path.join(out, target + ".dict")):
                problems.append(f"{target}: {target}.dict not in $OUT")
            flags = [f"-dict={os.path.join(out, target + '.dict')}" if f.startswith("-dict=") else f
                     for f in flags]
            if not any(f.startswith("-dict=") for f in flags):
                problems.append(f"{target}: .options does not name its dictionary")
        seeds = os.path.join(work, "seeds", target)
        os.makedirs(seeds)
        if os.path.isdir(os.path.join(corpora, target)):
            archive = os.path.join(out, target + "_seed_corpus.zip")
            if not os.path.isfile(archive):
                problems.append(f"{target}: no {target}_seed_corpus.zip in $OUT")
                continue
            with zipfile.ZipFile(archive) as z:
                names = [n for n in z.namelist() if not n.endswith("/")]
                if not names or any(n.startswith("regressions/") for n in names):
                    problems.append(f"{target}: seed zip holds {len(names)} files (regressions excluded)")
                z.extractall(seeds)
        for runs in (["-runs=0"], ["-runs=300", "-seed=1"]):
            run = subprocess.run([binary, *flags, *runs, seeds], capture_output=True, text=True,
                                 timeout=120)
            if run.returncode != 0:
                problems.append(f"{target} {runs[0]}: exit {run.returncode}\n{run.stderr[-2000:]}")
        shipped = sorted(n for n in os.listdir(out) if n.startswith(target) and n != target)
        print(f"{target}: runs; shipped with {' '.join(shipped)}")
    for text in problems:
        print("FAIL:", text)
    print(f"{len(targets)} targets, {len(problems)} problems, {time.monotonic() - started:.0f} s in all")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
