"""Readers of /proc: a process's status fields and scheduling group, the process tree under some pids, its
resident memory and CPU time, and a census of its open descriptors.

The parsers take the text of a /proc file (so tests feed them fixtures); the readers
open the files and treat a process that ended meanwhile as absent.

Example:
    status_field(os.getpid(), "Cpus_allowed_list")     # "0-1"
    autogroup(os.getpid())                             # "/autogroup-477"
    tree = process_tree([server_pid], proc_stats())    # the server and its children
    process_tree_rss_kib([server_pid])                 # 5400
"""
import os
from pathlib import Path

PROC = Path("/proc")


def parse_status(text):
    """/proc/PID/status text -> {field: value as the kernel writes it ('0-1', '5400 kB')}."""
    fields = {}
    for line in text.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name] = value.strip()
    return fields


def status_field(pid, name):
    """A field of /proc/PID/status, or None (no such field: a kernel thread; or gone)."""
    try:
        return parse_status((PROC / str(pid) / "status").read_text()).get(name)
    except OSError:
        return None  # the process ended meanwhile


def autogroup(pid):
    """The scheduling autogroup of a process ("/autogroup-477", without its nice), or None
    (a kernel without CONFIG_SCHED_AUTOGROUP; or the process is gone). Linux gives each
    session one: the CPU is shared between the runnable groups first, whatever the nice
    value of the processes in them."""
    try:
        return (PROC / str(pid) / "autogroup").read_text().split()[0]
    except (OSError, IndexError):
        return None


def parse_stat(text):
    """/proc/PID/stat text -> (ppid, start time, utime + stime), times in clock ticks.
    The command name may hold spaces and parentheses: fields are counted after the last ')'.
    Raises ValueError on text that is not a stat line."""
    try:
        fields = text.rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[19]), int(fields[11]) + int(fields[12])
    except IndexError:
        raise ValueError(f"not a /proc/PID/stat line: {text[:60]!r}") from None


def proc_stats():
    """{pid: (ppid, start time, CPU ticks)} of every process.

    Listing /proc yields processes, not threads, and /proc/PID/stat of a process covers
    all its threads (live and exited), so each process counts once."""
    stats = {}
    for path in PROC.glob("[0-9]*/stat"):
        try:
            stats[int(path.parent.name)] = parse_stat(path.read_text())
        except (OSError, ValueError):
            continue
    return stats


def process_tree(pids, stats):
    """The processes and all their descendants: a list of pids found in `stats`."""
    children = {}
    for pid, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [p for p in pids if p in stats]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def process_tree_rss_kib(pids):
    """Resident memory of the processes and all their descendants, KiB."""
    rss = (status_field(pid, "VmRSS") for pid in process_tree(pids, proc_stats()))
    return sum(int(value.split()[0]) for value in rss if value)


def tree_cpu_ticks(pids):
    """{(pid, start time): CPU ticks} of the process tree; the start time tells a recycled
    pid apart."""
    stats = proc_stats()
    return {(pid, stats[pid][1]): stats[pid][2] for pid in process_tree(pids, stats)}


def open_files_limit(limits_text):
    """The soft 'Max open files' of /proc/PID/limits text, or None."""
    for line in limits_text.splitlines():
        words = line.split()
        if line.startswith("Max open files") and len(words) > 3 and words[3].isdigit():
            return int(words[3])
    return None


def descriptor_kind(link):
    """What an /proc/PID/fd entry points at: 'pipe', 'socket', 'anon_inode' or 'other'."""
    return link.split(":", 1)[0] if ":[" in link else "other"


def describe_descriptors(kinds, limit):
    """'N descriptors open (limit L): P pipes, S sockets' (most common first)."""
    detail = ", ".join(f"{n:,} {kind}s" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    if limit is None:
        return detail
    return f"{sum(kinds.values()):,} descriptors open (limit {limit:,}): {detail}"


def descriptors_in_use(pids):
    """Why a server may stop accepting: its process tree's open descriptors by kind and the
    lowest RLIMIT_NOFILE among them, as describe_descriptors() words it."""
    kinds, limit = {}, None
    for pid in process_tree(pids, proc_stats()):
        try:
            entries = list((PROC / str(pid) / "fd").iterdir())
            soft = open_files_limit((PROC / str(pid) / "limits").read_text())
        except OSError:
            continue  # the process ended meanwhile
        for entry in entries:
            try:
                kind = descriptor_kind(os.readlink(entry))
            except OSError:
                continue  # closed meanwhile (or the listing's own descriptor)
            kinds[kind] = kinds.get(kind, 0) + 1
        if soft is not None:
            limit = soft if limit is None else min(limit, soft)
    return describe_descriptors(kinds, limit)
