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


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            for mark in MARKS_BY_FIXTURE.get(fixture, ()):
                item.add_marker(mark)
    # the tests that wait for the catalogue last: it grades in the background while the rest run
    items[:] = ([item for item in items if not _uses(item, {"demo_rows"})]
                + [item for item in items if _uses(item, {"demo_rows"})])


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT)


@pytest.fixture(scope="session")
def demo_workdir(tmp_path_factory) -> Path:
    """Where ``demo_rows`` grades: one scratch course per assignment, its autograded notebooks
    kept for the tests that read them."""
    return tmp_path_factory.mktemp("demo-course")


def _uses(item, fixtures: set[str]) -> bool:
    return bool(fixtures & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session", autouse=True)
def catalogue_grading(request, demo_workdir, tmp_path_factory):
    """When the session holds a test that needs ``demo_rows``, the catalogue starts grading
    with the session's first test, in a process of its own (tests/grade_catalogue.py), while
    the tests that do not need it run (they come first: ``pytest_collection_modifyitems``).
    Ended with the session if it is still running (a run stopped early)."""
    if not any(_uses(item, {"demo_rows"}) for item in request.session.items):
        yield None
        return
    out = tmp_path_factory.mktemp("catalogue") / "rows.pickle"
    log = out.with_name("grading.log")
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "grade_catalogue.py"), str(demo_workdir), str(out)],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process, out, log
    finally:
        if process.poll() is None:
            end_process_group(process, grace=60)


def end_process_group(process: subprocess.Popen, grace: float) -> None:
    """End a process started in a session of its own, and everything in its group: SIGTERM,
    then SIGKILL if it has not ended within ``grace`` seconds."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def demo_rows(catalogue_grading):
    """Every catalogued attempt of every assignment, graded once by real nbgrader autograding
    in a scratch course (the same code path as `mlchallenge demo`)."""
    from mlchallenge.dev.demo import format_matrix, format_rows

    process, out, log = catalogue_grading
    if process.wait() != 0 or not out.is_file():
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        pytest.fail(f"grading the catalogue failed (exit {process.returncode}):\n{tail}")
    rows = pickle.loads(out.read_bytes())
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
    every other way of grading them must give. (Graded here rather than taken from the
    catalogue's grading, so the tests that compare with it need not wait for the catalogue.)"""
    from mlchallenge.grading.service import grade

    warnings.filterwarnings("ignore", message=".*not in session.*")
    course, _ = runner_course(tmp_path_factory.mktemp("serial") / "course")
    return score_table(grade(course, RUNNER_ASSIGNMENT, workers=1))
