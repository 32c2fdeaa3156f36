"""Adds inputs to a fuzz target's corpus, each named by the SHA-256 of its content.

  tools/fuzz-corpus-add TARGET FILE_OR_FOLDER...        into corpora/TARGET/
  tools/fuzz-corpus-add --regression NAME TARGET FILE   into corpora/TARGET/regressions/NAME-<sha12>

Folders are read recursively (dotfiles skipped). A file already present under its
hash is skipped, so running it twice adds nothing. TARGET may omit the _fuzzer
suffix (address = address_fuzzer). Exit 2 on bad arguments.
"""
import argparse
import functools
import pathlib
import re

from .. import cli
from ..paths import ROOT
from .corpus import add_by_hash, input_files
from .targets import normalise

fail = functools.partial(cli.fail, "fuzz-corpus-add")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="fuzz-corpus-add", description=__doc__.splitlines()[0])
    parser.add_argument("--regression", metavar="NAME",
                        help="a minimised reproducer: store it under regressions/NAME-<sha12>")
    parser.add_argument("--corpora", type=pathlib.Path, default=ROOT / "corpora",
                        help="the corpora folder (default: corpora/ of this checkout)")
    parser.add_argument("target")
    parser.add_argument("paths", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    target = normalise(args.target)
    if not re.fullmatch(r"[a-z0-9_]+_fuzzer", target):
        fail(f"'{args.target}' is not a fuzz target name (<thing>_fuzzer)")
    if args.regression and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.regression):
        fail(f"regression name '{args.regression}' must be lower-case words joined by '-'")
    folder = args.corpora / target
    if args.regression:
        folder = folder / "regressions"
    try:
        files = input_files(args.paths)
        folder.mkdir(parents=True, exist_ok=True)
        added, present = add_by_hash(folder, files, args.regression)
    except (OSError, ValueError) as error:
        fail(str(error))
    print(f"fuzz-corpus-add: {target}: {added} added, {present} already present")
    return 0
