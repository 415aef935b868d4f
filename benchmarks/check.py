"""How long `mlchallenge check` takes, next to the notebook's own run time and `nbgrader validate`.

For each assignment: the release notebook with the reference solution typed in, in a scratch
workspace. Each timing is the best of --repeat runs:

- kernel: launching the notebook's kernel until it answers (nbclient, as Jupyter does);
- cells: from the first cell's start to the last cell's end in that kernel;
- own run: kernel + cells, what "Restart Kernel and Run All Cells" costs in JupyterLab
  (measured in the same run, so the best run of the two together);
- check: `mlchallenge check NOTEBOOK` as a candidate runs it (a new process: start-up, one
  kernel, the report, the kernel ended);
- nbgrader validate: `nbgrader validate NOTEBOOK`, the same question asked of plain nbgrader;
- overhead: check - own run, what the kit adds to running the notebook.

    .venv/bin/python benchmarks/check.py [ASSIGNMENT ...] [--repeat 3]

Default: every assignment of the course.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from mlchallenge.core.course import Course
from mlchallenge.core.text_table import render
from mlchallenge.interviewer.attempts import build_notebook, parse_attempt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_runtime import TimedClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def own_run(path: Path) -> tuple[float, float]:
    """(kernel start, cells) of one run of the notebook; the kernel's shut-down is not counted."""
    notebook = nbformat.read(path, as_version=4)
    client = TimedClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}},
                         extra_arguments=["--IPKernelApp.log_level=ERROR"])
    client.execute()
    launched, ready = client.launched_at, client.ready_at
    first, last = client.first_cell_at, client.last_cell_done_at
    assert launched is not None and ready is not None and first is not None and last is not None
    return ready - launched, last - first


def command_seconds(command: list[str], cwd: Path, expect: int | None = 0) -> float:
    start = time.perf_counter()
    out = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if expect is not None and out.returncode != expect:
        raise SystemExit(f"{' '.join(command)} exited with {out.returncode}:\n{out.stdout}{out.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    course = Course(ROOT)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.assignments or course.assignments():
            course.require_assignment(name)
            attempt = parse_attempt(name, ROOT / "tests" / "submissions" / name / "reference.py")
            for release_nb in sorted((ROOT / "release" / name).glob("*.ipynb")):
                workspace = Path(scratch) / name
                workspace.mkdir(exist_ok=True)
                shutil.copytree(ROOT / "release" / name / "data", workspace / "data",
                                dirs_exist_ok=True)
                path = workspace / release_nb.name
                nbformat.write(build_notebook(attempt, ROOT / "source" / name / release_nb.name,
                                              release_nb), path)
                kernel, cells = min((own_run(path) for _ in range(args.repeat)), key=sum)
                check = min(command_seconds([str(BIN / "mlchallenge"), "check", path.name], workspace)
                            for _ in range(args.repeat))
                validate = min(command_seconds([str(BIN / "nbgrader"), "validate", path.name],
                                               workspace, expect=None)
                               for _ in range(args.repeat))
                rows.append((f"{name}/{path.name}", f"{kernel:.2f}", f"{cells:.2f}",
                             f"{kernel + cells:.2f}", f"{check:.2f}", f"{validate:.1f}",
                             f"{check - kernel - cells:+.2f}"))
                print(" ".join(rows[-1]), file=sys.stderr, flush=True)
    print(render(("notebook", "kernel (s)", "cells (s)", "own run (s)", "check (s)",
                  "nbgrader validate (s)", "overhead (s)"), rows))


if __name__ == "__main__":
    main()
