"""N submissions graded by `mlchallenge grade` on local workers and on a local Dask cluster, and
the gradebook writer on its own: the figures docs/scale.md projects from.

The submissions are copies of the assignment's catalogued attempts (reference, alternatives,
mistakes, blank; tests/submissions/<assignment>/) under distinct candidate ids. Runs, each in a
scratch copy of this course:

1. `mlchallenge grade A --workers W` (local worker processes, SQLite gradebook);
2. `mlchallenge grade A --scheduler tcp://... --db postgresql://...` on a Dask cluster of this
   machine (`dask scheduler` + W `dask worker --nthreads 1` processes) writing to a PostgreSQL
   server of this machine (durable settings: fsync on);
3. the writer alone: every graded submission's results written again through the kit's
   GradebookWriter into a fresh SQLite file and a fresh PostgreSQL database.

The scores of 1 and 2 must be identical. Prints notebooks per minute, the per-notebook overhead
(worker time per notebook beyond the notebook's own cell time, each distinct notebook run once
more alone in a plain kernel) and gradebook writes per second.

    .venv/bin/python benchmarks/scale.py [-n 200] [--assignment dimensionality-reduction] [--workers 2]
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
from pathlib import Path

from nbgrader.api import Gradebook

from mlchallenge.core.course import Course
from mlchallenge.core.text_table import render
from mlchallenge.dev.demo import make_scratch_course
from mlchallenge.dev.local_services import local_dask, local_postgres
from mlchallenge.grading.service import release
from mlchallenge.grading.worker import read_grades
from mlchallenge.grading.writer import GradebookWriter
from mlchallenge.interviewer.attempts import catalogue, write_submission

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading import own_time

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _prepare(where: Path, assignment: str, n: int) -> tuple[Course, dict[str, str]]:
    course = make_scratch_course(Course(ROOT), where)
    release(course, [assignment])
    attempts = [a for a in catalogue(ROOT / "tests" / "submissions", assignment)
                if a.kind in ("reference", "alternative", "mistake", "blank")]
    which = {}
    for number in range(n):
        attempt = attempts[number % len(attempts)]
        student = f"c{number:05d}"
        write_submission(attempt, course.root, student=student)
        which[student] = attempt.name
    return course, which


def _grade(course: Course, assignment: str, extra: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "mlchallenge"), "grade", assignment, *extra],
                          cwd=course.root, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"mlchallenge grade {' '.join(extra)} failed ({done.returncode})")
    return wall


def _scores(db_url: str, assignment: str) -> dict[str, float]:
    with Gradebook(db_url) as gradebook:
        return {s.student.id: round(float(s.code_score), 6)
                for s in gradebook.find_assignment(assignment).submissions}


def _writes_per_second(source: Course, target_url: str, assignment: str, students: list[str],
                       grades: dict) -> float:
    """The writer alone: each submission's results written again into ``target_url``."""
    from mlchallenge.grading.writer import cell_order, copy_assignment

    copy_assignment(source.db_url, target_url, assignment, source.coursedir.course_id,
                    cell_order(source, assignment))
    with GradebookWriter(target_url, source.coursedir.course_id) as writer:
        started = time.perf_counter()
        for student in students:
            writer.write(assignment, student, grades[student])
        return len(students) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions (default 200)")
    # the shortest grading run among the assignments without wall-clock limits in their tests
    # (algorithms-from-scratch is shorter, but its time-limited tests make a score depend on
    # how busy the machine is, so two runs on a shared machine need not agree)
    parser.add_argument("--assignment", default="dimensionality-reduction")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="local worker processes, and Dask workers (default: the cores)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    assignment, n, workers = args.assignment, args.n, args.workers
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="mlc-scale-") as scratch, \
            local_postgres(fast=False) as postgres:
        base = Path(scratch)
        local, which = _prepare(base / "local", assignment, n)
        cluster_course, _ = _prepare(base / "cluster", assignment, n)

        print(f"{n} submissions of {assignment}: {workers} local workers ...", file=sys.stderr,
              flush=True)
        local_wall = _grade(local, assignment, ["--workers", str(workers)])

        print(f"... a Dask cluster of {workers} workers, PostgreSQL gradebook ...",
              file=sys.stderr, flush=True)
        db_url = postgres.create_database("cluster")
        with local_dask(workers=workers) as cluster:
            cluster_wall = _grade(cluster_course, assignment,
                                  ["--scheduler", cluster.address, "--db", db_url])

        local_scores, cluster_scores = _scores(local.db_url, assignment), _scores(db_url, assignment)
        differ = {s: (local_scores.get(s), cluster_scores.get(s))
                  for s in set(local_scores) | set(cluster_scores)
                  if local_scores.get(s) != cluster_scores.get(s)}

        print("... the writer alone ...", file=sys.stderr, flush=True)
        students = sorted(which)
        grades = {s: read_grades(local.db_url, assignment, s) for s in students}
        sqlite_rate = _writes_per_second(local, f"sqlite:///{base / 'writer.db'}", assignment,
                                         students, grades)
        postgres_rate = _writes_per_second(local, postgres.create_database("writer"), assignment,
                                           students, grades)
        with Gradebook(local.db_url) as gradebook:
            cells = sum(len(nb.grade_cells) for nb in gradebook.find_assignment(assignment).notebooks)

        print("... each distinct notebook's own cell time", file=sys.stderr, flush=True)
        times: dict[str, float] = {}
        for student, attempt in sorted(which.items()):
            if attempt not in times:
                copy = base / "own" / attempt
                shutil.copytree(local.root / "autograded" / student / assignment, copy)
                times[attempt] = own_time(next(copy.glob("*.ipynb")))
        own = sum(times[which[s]] for s in students) / n

    rows = [
        (f"local workers (--workers {workers}), SQLite", f"{local_wall:.1f}", str(workers),
         f"{60 * n / local_wall:.1f}", f"{local_wall * workers / n - own:.2f}"),
        (f"Dask cluster ({workers} workers), PostgreSQL", f"{cluster_wall:.1f}", str(workers),
         f"{60 * n / cluster_wall:.1f}", f"{cluster_wall * workers / n - own:.2f}"),
    ]
    print(render(("run", "wall s", "workers", "notebooks/min", "overhead s/notebook"), rows))
    print(f"\nmean own cell time of a graded notebook (plain kernel, one at a time): {own:.2f} s")
    print(f"gradebook writer alone ({cells} graded cells a submission): "
          f"SQLite {sqlite_rate:.0f} submissions/s, PostgreSQL {postgres_rate:.0f} submissions/s")
    print(f"{len(times)} distinct attempts, {n} submissions, {os.cpu_count()} cores; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other work on the machine)")
    print(f"scores identical for all {n} submissions" if not differ else f"SCORES DIFFER: {differ}")
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
