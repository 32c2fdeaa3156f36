"""Fuzz target names. A target is fuzz/<name>_fuzzer.cc; the tools take it either as
`address_fuzzer` (the binary's name) or as `address` (the README's name).

Example:
    normalise("address")                                   # "address_fuzzer"
    parse_targets("address,probe_record_fuzzer", known)
    # ["address_fuzzer", "probe_record_fuzzer"]
    parse_targets(None, known)                             # every known target
"""
from ..paths import ROOT

SUFFIX = "_fuzzer"


def known_targets(root=ROOT):
    """Every target of the checkout, sorted: the stems of fuzz/*_fuzzer.cc."""
    return sorted(p.stem for p in (root / "fuzz").glob(f"*{SUFFIX}.cc"))


def normalise(name):
    """`address` or `address_fuzzer` -> `address_fuzzer`."""
    return name if name.endswith(SUFFIX) else name + SUFFIX


def short_name(target):
    """`address_fuzzer` -> `address`."""
    return target[:-len(SUFFIX)] if target.endswith(SUFFIX) else target


def parse_targets(text, known):
    """A comma-separated --targets value (None or empty: all of `known`) as target names,
    each once, in the order given; ValueError naming the first unknown one."""
    if not text:
        return list(known)
    names = []
    for given in (t.strip() for t in text.split(",")):
        if not given:
            continue
        name = normalise(given)
        if name not in known:
            raise ValueError(f"unknown target '{given}' (known: "
                             f"{', '.join(short_name(k) for k in known)}; the {SUFFIX} suffix "
                             "is optional)")
        if name not in names:
            names.append(name)
    if not names:
        raise ValueError(f"no target in --targets '{text}'")
    return names
