"""Shared fixtures: the repository as a course, and one demo run grading every attempt."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from mlchallenge.core.course import Course

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"


# fixtures that bring a slow or special part with them mark every test that uses them, so
# `make test-fast` (-m "not slow and not ...") leaves those tests out without a list to keep
MARKS_BY_FIXTURE = {
    "demo_rows": ("slow", "sandbox"),
    "serial_scores": ("slow", "sandbox"),
    "postgres": ("postgres",),
}


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT)


# The catalogue demo (``demo_rows``) is most of the suite's CPU time, and the other tests leave
# a third of the machine idle (they wait on limits, kills, servers and a browser). So the demo
# is started in the background when the session begins, at a lower priority (nice 10: it takes
# mostly what the other tests leave, and they still slow down when both want the cores), and
# the tests that read it run last.
DEMO_NICENESS = 10
DEMO_JOB = """
import os, pickle, sys, warnings
from pathlib import Path

os.nice(int(sys.argv[4]))
warnings.filterwarnings("ignore", message=".*not in session.*")
from mlchallenge.core.course import Course
from mlchallenge.dev.demo import run_demo

rows = run_demo(Course(sys.argv[1]), None, Path(sys.argv[2]), jobs=os.cpu_count() or 1)
Path(sys.argv[3]).write_bytes(pickle.dumps(rows))
"""


def _uses_demo(item) -> bool:
    return "demo_rows" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            for mark in MARKS_BY_FIXTURE.get(fixture, ()):
                item.add_marker(mark)
    # the demo's readers last (a stable sort: every other test keeps its place)
    items.sort(key=_uses_demo)


@pytest.fixture(scope="session")
def demo_workdir(tmp_path_factory) -> Path:
    """Where ``demo_rows`` grades: one scratch course per assignment, its autograded notebooks
    kept for the tests that read them."""
    return tmp_path_factory.mktemp("demo-course")


@pytest.fixture(scope="session", autouse=True)
def demo_job(request, demo_workdir):
    """The catalogue demo, started before the first test when the session has a test that reads
    it, in a process group of its own (ended with the session, finished or not)."""
    if request.config.option.collectonly or not any(map(_uses_demo, request.session.items)):
        yield None
        return
    out = demo_workdir / "rows.pickle"
    log = open(demo_workdir / "demo.log", "wb")  # noqa: SIM115 - closed when the session ends
    job = subprocess.Popen(
        [sys.executable, "-c", DEMO_JOB, str(ROOT), str(demo_workdir), str(out), str(DEMO_NICENESS)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    job.out, job.log = out, demo_workdir / "demo.log"
    try:
        yield job
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
        job.wait()
        log.close()


@pytest.fixture(scope="session")
def demo_rows(demo_job):
    """Every catalogued attempt of every assignment, graded once by real nbgrader autograding
    in a scratch course (the same code path as `mlchallenge demo`)."""
    from mlchallenge.dev.demo import format_matrix, format_rows

    if demo_job is None:
        pytest.fail("demo_rows is read by a test the session did not see at collection")
    if demo_job.wait() != 0:
        tail = demo_job.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        pytest.fail(f"the catalogue demo failed (exit {demo_job.returncode}):\n{tail}")
    rows = pickle.loads(demo_job.out.read_bytes())
    # the same tables `make demo` prints, kept for whoever reads a test run (build/ is ignored)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "demo-report.txt").write_text(format_rows(rows) + "\n\n" + format_matrix(rows) + "\n")
    return {(row.attempt.assignment, row.attempt.name): row for row in rows}


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server (Debian's `postgresql`) on a loopback port and a temporary data
    directory, for the whole test session; tests create their own databases in it."""
    from mlchallenge.core.errors import KitError
    from mlchallenge.dev.local_services import local_postgres

    try:
        with local_postgres() as server:
            yield server
    except KitError as exc:
        pytest.fail(f"the PostgreSQL gradebook tests need a PostgreSQL server: {exc}")


def use_database(course_root: Path, db_url: str) -> Course:
    """Point a scratch course's nbgrader config at ``db_url`` (nbgrader's
    CourseDirectory.db_url) and load it again."""
    with open(course_root / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(f"\nc.CourseDirectory.db_url = {db_url!r}\n")
    return Course(course_root)


def code_scores(db_url: str) -> dict[str, float]:
    """Each student's autograded points, read with SQL from the gradebook (SQLite or PostgreSQL)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT student.id, SUM(COALESCE(grade.auto_score, 0)) FROM grade "
                "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
                "JOIN student ON submitted_assignment.student_id = student.id "
                "JOIN grade_cells ON grade.cell_id = grade_cells.id "
                "JOIN base_cell ON grade_cells.id = base_cell.id "
                "WHERE base_cell.type = 'GradeCell' AND grade_cells.cell_type = 'code' "
                "GROUP BY student.id")).fetchall()
    finally:
        engine.dispose()
    return {student: float(score) for student, score in rows}


def count_rows(db_url: str, sql: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


RUNNER_ASSIGNMENT = "missing-data"
RUNNER_ATTEMPTS = ("reference", "blank", "mistake-pct-as-fraction", "mistake-impute-fit-on-test",
                   "mistake-indicators-per-frame", "trick-always-equal")
# the Dask test's share of them (with two attacks), to keep its batch short
CLUSTER_ATTEMPTS = ("reference", "blank", "mistake-pct-as-fraction", "trick-always-equal")


def runner_course(where: Path, db_url: str | None = None, names=RUNNER_ATTEMPTS):
    """A scratch course with ``names`` (attempts of RUNNER_ASSIGNMENT) submitted, its gradebook
    at ``db_url`` (default: SQLite beside it). Returns (course, attempts by name)."""
    from mlchallenge.dev.demo import make_scratch_course
    from mlchallenge.grading.service import release
    from mlchallenge.interviewer.attempts import catalogue, write_submission

    course = make_scratch_course(Course(ROOT), where)
    if db_url:
        course = use_database(course.root, db_url)
    release(course, [RUNNER_ASSIGNMENT])
    attempts = {a.name: a for a in catalogue(SUBMISSIONS, RUNNER_ASSIGNMENT)
                if a.name in names}
    for attempt in attempts.values():
        write_submission(attempt, course.root)
    return course, attempts


def score_table(results) -> dict[str, tuple[float, list]]:
    return {r.student: (r.auto_score, [(t.name, t.score) for t in r.tasks]) for r in results}


@pytest.fixture(scope="session")
def serial_scores(tmp_path_factory):
    """RUNNER_ATTEMPTS graded locally by one worker (one submission at a time) into SQLite: what
    every other way of grading them must give. (The demo grades them so too, but it runs in the
    background until the end of the session.)"""
    from mlchallenge.grading.service import grade

    warnings.filterwarnings("ignore", message=".*not in session.*")
    course, _ = runner_course(tmp_path_factory.mktemp("serial") / "course")
    return score_table(grade(course, RUNNER_ASSIGNMENT, workers=1))
