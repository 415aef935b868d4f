"""Where a small batch's start-up goes: `mlchallenge grade` on K submissions, with every process of
the run sampled from /proc every 10 ms.

Prints each process of the run (the command, the workers' server and the workers forked from it,
the kernel factories, the kernels they fork), when it appeared and ended (seconds after the
command started) and the CPU it used, then when the workers were forked, when the first kernel
was forked and when the first cell ran (nbclient's execution timestamps). The processes are told
apart by their command lines; a process seen for under 10 ms may be missed.

    .venv/bin/python benchmarks/startup.py [--assignment missing-data] [-k 6] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mlchallenge.core.text_table import render

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading import BIN, _prepare, first_cell_at

TICKS = os.sysconf("SC_CLK_TCK")
# command-line marks of the run's processes, the first that matches names the kind
KINDS = (
    ("multiprocessing.forkserver import main", "server / worker"),
    ("mlchallenge.kernel.zygote", "factory / kernel"),
    ("mlchallenge.kernel.boot", "kernel (started on its own)"),
    ("bwrap", "bubblewrap"),
    ("mlchallenge grade", "command"),
)


@dataclass
class Seen:
    kind: str
    parent: int
    first: float
    last: float
    cpu: float = 0.0


def _kind(command: str) -> str | None:
    return next((kind for mark, kind in KINDS if mark in command), None)


def _sample(started: float, seen: dict[int, Seen], stop: threading.Event) -> None:
    while not stop.is_set():
        now = time.monotonic() - started
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                command = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode(
                    errors="replace")
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            kind = _kind(command)
            if kind is None:
                continue
            entry = seen.setdefault(int(name), Seen(kind, int(fields[1]), now, now))
            entry.last = now
            entry.cpu = (int(fields[11]) + int(fields[12])) / TICKS
        stop.wait(0.01)


def _label(pid: int, seen: dict[int, Seen]) -> str:
    """What a sampled process is, from its kind and its parent's: a worker is forked from the
    server; a factory is the busy process under bubblewrap; a kernel is forked from a factory."""
    entry = seen[pid]
    parent = seen.get(entry.parent)
    if entry.kind == "server / worker":
        return "worker" if parent is not None and parent.kind == entry.kind else "workers' server"
    if entry.kind == "factory / kernel":
        if parent is not None and parent.kind == entry.kind and parent.cpu > 1.0:
            return "kernel (forked)"
        return "kernel factory" if entry.cpu > 1.0 else "bubblewrap"
    return entry.kind


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="missing-data")
    parser.add_argument("-k", type=int, default=6, help="submissions to grade (default 6)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    with tempfile.TemporaryDirectory() as scratch:
        course = _prepare(Path(scratch) / "kit", args.assignment, args.k, plain=False)
        seen: dict[int, Seen] = {}
        stop = threading.Event()
        began, started = datetime.now(UTC), time.monotonic()
        sampler = threading.Thread(target=_sample, args=(started, seen, stop), daemon=True)
        sampler.start()
        done = subprocess.run([str(BIN / "mlchallenge"), "grade", args.assignment,
                               "--workers", str(args.workers)],
                              cwd=course.root, capture_output=True, text=True)
        wall = time.monotonic() - started
        stop.set()
        sampler.join()
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
            return 1
        first = first_cell_at(course.root / "autograded")
    labels = {pid: _label(pid, seen) for pid in seen}
    rows = [(str(pid), labels[pid], str(entry.parent), f"{entry.first:.2f}", f"{entry.last:.2f}",
             f"{entry.cpu:.2f}")
            for pid, entry in sorted(seen.items(), key=lambda item: item[1].first)]
    print(render(("pid", "process", "parent", "seen from s", "to s", "CPU s"), rows))
    workers = [seen[pid].first for pid, label in labels.items() if label == "worker"]
    kernels = [seen[pid].first for pid, label in labels.items() if label == "kernel (forked)"]
    print(f"\n{args.k} submissions of {args.assignment}, {args.workers} workers: wall {wall:.1f} s")
    print(f"workers forked: {min(workers):.2f} s" if workers else "workers forked: not seen")
    print(f"first kernel forked: {min(kernels):.2f} s" if kernels else "first kernel: not seen "
          "(kernels started one by one, not forked from a factory)")
    print(f"first cell: {(first - began).total_seconds():.2f} s" if first else "first cell: -")
    return 0


if __name__ == "__main__":
    sys.exit(main())
