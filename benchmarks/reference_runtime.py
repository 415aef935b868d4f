"""Run time of each challenge's reference solution, per notebook (AUTHORING.md: 15 s or less).

Two runs per notebook, each with a real kernel (nbclient) in a scratch copy of its folder:
the candidate's (the release notebook with the reference solution typed in, public tests
only) and the grader's (the source notebook: solution plus hidden tests, which refit models
on hidden data). Prints the time spent running cells (kernel start excluded) and the wall
time with kernel start, each the best of --repeat runs.

    .venv/bin/python benchmarks/reference_runtime.py [ASSIGNMENT ...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from mlchallenge.core.course import Course
from mlchallenge.core.text_table import render
from mlchallenge.grading.service import release
from mlchallenge.interviewer.attempts import parse_attempt, write_submission

ROOT = Path(__file__).resolve().parents[1]


class TimedClient(NotebookClient):
    """Records when the kernel is launched and ready, when the first cell starts and when the
    last one ends, so kernel start-up and shut-down can be told apart from the cells."""

    first_cell_at: float | None = None
    last_cell_done_at: float | None = None
    launched_at: float | None = None
    ready_at: float | None = None

    async def async_start_new_kernel(self, **kwargs):
        self.launched_at = time.perf_counter()
        return await super().async_start_new_kernel(**kwargs)

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        self.ready_at = time.perf_counter()
        return client

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if self.first_cell_at is None:
            self.first_cell_at = time.perf_counter()
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        finally:
            self.last_cell_done_at = time.perf_counter()


def time_notebook(path: Path) -> tuple[float, float]:
    notebook = nbformat.read(path, as_version=4)
    client = TimedClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}},
                         extra_arguments=["--IPKernelApp.log_level=ERROR"])
    start = time.perf_counter()
    client.execute()
    end = time.perf_counter()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    if errors:
        raise SystemExit(f"{path.name}: the reference raised {errors[0]['ename']}")
    return end - (client.first_cell_at or start), end - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    course = Course(ROOT)
    names = args.assignments or course.assignments()
    with tempfile.TemporaryDirectory() as scratch:
        scratch_root = Path(scratch)
        (scratch_root / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
        shutil.copytree(ROOT / "source", scratch_root / "source")
        release(Course(scratch_root), names)
        rows = []
        for name in names:
            attempt = parse_attempt(name, ROOT / "tests" / "submissions" / name / "reference.py")
            folder = write_submission(attempt, scratch_root, student="timing")
            for notebook in sorted(folder.glob("*.ipynb")):
                graded = scratch_root / "source" / name / notebook.name
                for run, path in (("candidate", notebook), ("grading", graded)):
                    runs = [time_notebook(path) for _ in range(args.repeat)]
                    cells = min(r[0] for r in runs)
                    total = min(r[1] for r in runs)
                    rows.append((f"{name}/{notebook.name}", run, f"{cells:.1f}", f"{total:.1f}"))
                    print(f"{rows[-1][0]} {run}: {cells:.1f} s", file=sys.stderr, flush=True)
        print(render(("notebook", "run", "cells (s)", "with kernel start (s)"), rows))

if __name__ == "__main__":
    main()
