"""Plain serial `nbgrader autograde` against `mlchallenge grade --workers N`, on the same K
submissions, in one run.

Both grade in scratch copies of this course. The plain run uses the course's configuration with
nbgrader's own Execute and CheckCellMetadata in place of the kit's (no sandbox, no kernels started ahead
of time, one notebook after another); the kit's run is `mlchallenge grade` as an interviewer
runs it (sandboxed, N workers). The scores must be identical. Prints, for each K, wall times,
the ratio, notebooks per minute, the time from the command to its first cell (read from the
cells' execution timestamps nbclient records), the per-notebook overhead (the time a worker
spends per notebook beyond the notebook's own cell time: each graded notebook run again
afterwards, alone, in a plain kernel), and the limit: own cell time / workers a notebook.

    .venv/bin/python benchmarks/grading.py [--assignment missing-data] [-k 6 16] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

from nbgrader.api import Gradebook

from mlchallenge.core.course import Course
from mlchallenge.core.text_table import render
from mlchallenge.dev.demo import make_scratch_course
from mlchallenge.grading.service import release
from mlchallenge.interviewer.attempts import catalogue, write_submission
from mlchallenge.preprocessors.execute import kernel_datasets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_runtime import TimedClient

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

PLAIN_EXECUTE = """
# benchmark baseline: nbgrader's own Execute and CheckCellMetadata in place of the kit's
_plain = {"mlchallenge.preprocessors.execute.GradingExecute": "nbgrader.preprocessors.Execute",
          "mlchallenge.preprocessors.metadata.CheckCellMetadata": "nbgrader.preprocessors.CheckCellMetadata"}
c.Autograde.autograde_preprocessors = [_plain.get(p, p) for p in c.Autograde.autograde_preprocessors]
c.Autograde.sanitize_preprocessors = [_plain.get(p, p) for p in c.Autograde.sanitize_preprocessors]
c.Execute.timeout = 120
"""


def _prepare(where: Path, assignment: str, k: int, plain: bool) -> Course:
    course = make_scratch_course(Course(ROOT), where)
    if plain:
        with open(course.root / "nbgrader_config.py", "a", encoding="utf-8") as handle:
            handle.write(PLAIN_EXECUTE)
        course = Course(course.root)
    release(course, [assignment])
    # honest attempts only: a trick is graded differently without the kit's prelude, on purpose
    attempts = [a for a in catalogue(ROOT / "tests" / "submissions", assignment)
                if a.kind in ("reference", "alternative", "mistake", "blank")]
    for number in range(k):
        attempt = attempts[number % len(attempts)]
        write_submission(attempt, course.root, student=f"s{number:03d}-{attempt.name}")
    return course


def own_time(path: Path) -> float:
    """Seconds a graded notebook spends running its cells, in a plain kernel (errors allowed)."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = TimedClient(notebook, timeout=600, allow_errors=True,
                         resources={"metadata": {"path": str(path.parent)}},
                         extra_arguments=["--IPKernelApp.log_level=ERROR"])
    client.execute()
    return time.perf_counter() - (client.first_cell_at or time.perf_counter())


def first_cell_at(autograded: Path) -> datetime | None:
    """When the first graded cell began, from nbclient's execution timestamps."""
    import nbformat

    stamps = []
    for path in autograded.rglob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            stamp = cell.get("metadata", {}).get("execution", {}).get("iopub.execute_input")
            if stamp:
                stamps.append(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
    return min(stamps, default=None)


def _scores(course: Course, assignment: str) -> dict[str, float]:
    with Gradebook(course.db_url) as gradebook:
        return {s.student.id: round(float(s.code_score), 6)
                for s in gradebook.find_assignment(assignment).submissions}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="missing-data")
    parser.add_argument("-k", type=int, nargs="+", default=[6, 16],
                        help="batch sizes to grade (default 6 16)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    status = 0
    for k in args.k:
        print(f"\nK = {k}")
        status |= run_batch(args.assignment, k, args.workers)
    return status


def run_batch(assignment: str, k: int, workers: int) -> int:
    args = argparse.Namespace(assignment=assignment, k=k, workers=workers)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        datasets, _ = kernel_datasets()
        if datasets:
            env["MLCHALLENGE_DATASETS"] = datasets
        plain = _prepare(base / "plain", args.assignment, args.k, plain=True)
        kit = _prepare(base / "kit", args.assignment, args.k, plain=False)
        print(f"grading {args.k} submissions of {args.assignment}: plain nbgrader autograde ...",
              file=sys.stderr, flush=True)
        started, plain_began = time.perf_counter(), datetime.now(UTC)
        subprocess.run([str(BIN / "nbgrader"), "autograde", args.assignment, "--force"],
                       cwd=plain.root, env=env, check=True, capture_output=True)
        plain_wall = time.perf_counter() - started

        print(f"... and mlchallenge grade --workers {args.workers}", file=sys.stderr, flush=True)
        started, kit_began = time.perf_counter(), datetime.now(UTC)
        done = subprocess.run([str(BIN / "mlchallenge"), "grade", args.assignment,
                               "--workers", str(args.workers)],
                              cwd=kit.root, env=env, capture_output=True, text=True)
        kit_wall = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
            return 1

        # the notebooks' own cell time: each distinct graded notebook (solution + hidden tests)
        # run once more in a plain kernel, after both runs, one at a time
        print("... and each distinct notebook's own cell time", file=sys.stderr, flush=True)
        times: dict[str, float] = {}
        for folder in sorted(f for f in (plain.root / "autograded").iterdir() if f.is_dir()):
            attempt = folder.name.split("-", 1)[1]
            if attempt not in times:
                copy = base / "own" / attempt
                shutil.copytree(folder / args.assignment, copy)
                times[attempt] = own_time(next(copy.glob("*.ipynb")))
        own = sum(times[f.name.split("-", 1)[1]] for f in (plain.root / "autograded").iterdir()
                  if f.is_dir()) / args.k

        plain_scores, kit_scores = _scores(plain, args.assignment), _scores(kit, args.assignment)
        differ = {s: (plain_scores.get(s), kit_scores.get(s))
                  for s in set(plain_scores) | set(kit_scores)
                  if plain_scores.get(s) != kit_scores.get(s)}
        def first(course: Course, began: datetime) -> str:
            at = first_cell_at(course.root / "autograded")
            return f"{(at - began).total_seconds():.1f}" if at else "-"

        rows = [
            ("plain nbgrader autograde (serial)", f"{plain_wall:.1f}", "1",
             f"{60 * args.k / plain_wall:.1f}", first(plain, plain_began),
             f"{plain_wall / args.k - own:.2f}"),
            (f"mlchallenge grade --workers {args.workers}", f"{kit_wall:.1f}", str(args.workers),
             f"{60 * args.k / kit_wall:.1f}", first(kit, kit_began),
             f"{kit_wall * args.workers / args.k - own:.2f}"),
        ]
        print(render(("run", "wall s", "workers", "notebooks/min", "first cell s",
                      "overhead s/notebook"), rows))
        print(f"\nmean own cell time of a graded notebook (plain kernel, one at a time): {own:.2f} s")
        limit = own * args.k / args.workers
        print(f"limit on {args.workers} workers: own cell time / workers = "
              f"{own / args.workers:.2f} s a notebook, {limit:.1f} s for the batch "
              f"(at most {plain_wall / limit:.2f}x plain nbgrader)")
        print(f"speed-up: {plain_wall / kit_wall:.2f}x on {os.cpu_count()} cores")
        print("scores identical for all", args.k, "submissions" if not differ else
              f"SCORES DIFFER: {differ}")
        return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
