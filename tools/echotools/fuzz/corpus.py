"""Corpus folders: their inputs, and adding inputs named by the SHA-256 of their content
(corpora/<target>/<sha256>, regressions/<name>-<sha12>), so adding twice adds nothing.

Example:
    added, present = add_by_hash(ROOT / "corpora" / "address_fuzzer", input_files([folder]))
"""
import hashlib


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_files(folder):
    """Top-level inputs of a corpus folder (no regressions/, no dotfiles)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def input_files(paths):
    """The files among `paths`, folders read recursively (dotfiles and dot-folders skipped);
    ValueError for a path that is neither a file nor a folder."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            found.append(path)
        else:
            raise ValueError(f"{path} is neither a file nor a folder")
    return found


def add_by_hash(folder, files, prefix=None):
    """Copies each file into `folder` as <sha256> (or <prefix>-<first 12 hex digits>);
    returns (added, already present)."""
    added = present = 0
    for path in files:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        dest = folder / (f"{prefix}-{digest[:12]}" if prefix else digest)
        if dest.exists():
            present += 1
            continue
        dest.write_bytes(data)
        added += 1
    return added, present
