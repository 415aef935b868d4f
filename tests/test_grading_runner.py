"""`mlchallenge grade` in parallel and after a kill: the same scores, nothing lost or doubled.

The killed run uses a PostgreSQL gradebook (a real server, nbgrader's CourseDirectory.db_url in
the course's config), the others SQLite; the hostile batch (test_hostile.py) and the Dask
cluster (test_scale.py) grade into PostgreSQL too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import RUNNER_ASSIGNMENT, count_rows, runner_course, score_table
from nbgrader.api import Gradebook

from mlchallenge.core.course import Course
from mlchallenge.grading.context import factory_offer
from mlchallenge.grading.journal import Journal
from mlchallenge.grading.service import grade

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

ASSIGNMENT = RUNNER_ASSIGNMENT
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def small_course(tmp_path_factory):
    return runner_course(tmp_path_factory.mktemp("runner") / "course")


@pytest.fixture(scope="module")
def postgres_course(tmp_path_factory, postgres):
    course, attempts = runner_course(tmp_path_factory.mktemp("runner-pg") / "course",
                                     postgres.create_database("runner"))
    assert course.db_url.startswith("postgresql://")
    return course, attempts


def _submissions(course: Course) -> int:
    return count_rows(course.db_url, "SELECT COUNT(*) FROM submitted_assignment")


def _nbgrader_sums(course: Course, student: str) -> tuple:
    """A submission's figures as nbgrader's own gradebook computes them (its SQL)."""
    with Gradebook(course.db_url) as gradebook:
        submitted = gradebook.find_submission(ASSIGNMENT, student)
        tasks = sorted((g.name, float(g.score), float(g.max_score))
                       for notebook in submitted.notebooks for g in notebook.grades)
        return (float(submitted.score), float(submitted.max_score),
                float(submitted.code_score), float(submitted.max_code_score),
                bool(submitted.needs_manual_grade), tasks)


def _sums(result) -> tuple:
    return (result.score, result.max_score, result.auto_score, result.max_auto_score,
            result.needs_manual_grade,
            sorted((t.name, t.score, t.max_score) for t in result.tasks))


def test_two_workers_give_the_scores_of_one(small_course, serial_scores):
    course, attempts = small_course
    # the first worker takes the kernel factory the run started before the workers existed
    with factory_offer(course, sandbox=True) as offer:
        results = grade(course, ASSIGNMENT, workers=2, regrade=True, offer=offer)
        if os.getuid() == 0:
            assert offer is not None and offer.taken
            assert offer.started is not None
            factory, folder = offer.started.process, offer.address.parent
    if os.getuid() == 0:
        assert factory.poll() is not None and not folder.exists(), "ended and removed with the run"
    parallel = score_table(results)
    assert parallel == serial_scores
    # each result is what the writer wrote, never read back: it is what nbgrader's gradebook
    # now holds, summed nbgrader's way
    for result in results:
        assert _sums(result) == _nbgrader_sums(course, result.student), result.student
    for name, attempt in attempts.items():
        assert attempt.expects(parallel[name][0]), (name, parallel[name][0])
    assert _submissions(course) == len(attempts)


def test_a_second_run_skips_what_is_graded_and_regrades_changed_files(small_course):
    course, attempts = small_course
    grade(course, ASSIGNMENT, workers=2)
    lines = []
    results = grade(course, ASSIGNMENT, workers=2, progress=lines.append)
    assert any("already graded" in line for line in lines)
    assert not any("/6" in line for line in lines), lines  # nothing was run again
    assert {r.student for r in results} == set(attempts)
    # a person grades a manual task of blank's (1 point and 0.5 extra credit) and overrides
    # one test's automatic 0 with 0.5
    with Gradebook(course.db_url) as gradebook:
        submitted = gradebook.find_submission(ASSIGNMENT, "blank")
        grades = [g for notebook in submitted.notebooks for g in notebook.grades]
        manual = next(g for g in grades if g.cell.cell_type == "markdown")
        manual.manual_score, manual.extra_credit, manual.needs_manual_grade = 1.0, 0.5, False
        override = next(g for g in grades if g.cell.cell_type == "code")
        override.manual_score, override.needs_manual_grade = 0.5, False
        override_name = override.name
        gradebook.db.commit()
    # a changed submission is graded again, the others are not
    notebook = course.root / "submitted" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    lines.clear()
    [blank] = [r for r in grade(course, ASSIGNMENT, workers=2, progress=lines.append)
               if r.student == "blank"]
    graded = [line for line in lines if "/1 " in line]
    assert len(graded) == 1 and "blank" in graded[0], lines
    # the person's grade is kept, and the result handed back counts it as nbgrader does
    assert _sums(blank) == _nbgrader_sums(course, "blank")
    assert blank.auto_score == pytest.approx(0.5) and blank.score == pytest.approx(2.0)
    with Gradebook(course.db_url) as gradebook:
        submitted = gradebook.find_submission(ASSIGNMENT, "blank")
        grades = [g for notebook in submitted.notebooks for g in notebook.grades]
        # as nbgrader's own autograde does, a test a person overrode is marked for review again
        assert [g.needs_manual_grade for g in grades if g.name == override_name] == [True]
        for g in grades:  # the module's later tests expect blank at 0
            g.manual_score = g.extra_credit = None
        gradebook.db.commit()


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_killed_run_finishes_the_rest_when_started_again(postgres_course):
    course, attempts = postgres_course
    journal = course.root / "autograded" / ".mlchallenge" / f"{ASSIGNMENT}.jsonl"
    journal.unlink(missing_ok=True)
    first = subprocess.Popen([str(BIN / "mlchallenge"), "grade", ASSIGNMENT, "--workers", "1",
                              "--regrade"], cwd=course.root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if journal.is_file() and len(journal.read_text().splitlines()) >= 2:
            break
        time.sleep(0.2)
    spawned = _descendants(first.pid)  # its workers, their kernel sandboxes and kernels
    assert spawned, "the run has worker processes"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    left = spawned
    for _ in range(100):  # nothing of the killed run lives on
        left = [pid for pid in left if _running(pid)]
        if not left:
            break
        time.sleep(0.1)
    assert not left, f"processes of the killed run still running: {left}"
    done_before = {json.loads(line)["student"] for line in journal.read_text().splitlines()}
    assert 2 <= len(done_before) < len(attempts), "the kill should land mid-batch"
    # its scratch folders (the kernels' view of the datasets, the workers' gradebooks, and the
    # folder of the kernel factory it started for its first worker, when sandboxed) are left
    # behind, until the next grading run removes them
    scratch = list(Path(tempfile.gettempdir()).glob(f"mlc-grade-{first.pid}-*"))
    assert scratch, "the killed run leaves its scratch folder"

    second = subprocess.run([str(BIN / "mlchallenge"), "grade", ASSIGNMENT, "--workers", "2"],
                            cwd=course.root, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr
    assert f"{len(done_before)} submission(s) already graded" in second.stderr
    assert not [folder for folder in scratch if folder.exists()], \
        "the killed run's scratch folders are removed by the next run"
    entries = Journal(Course(course.root), ASSIGNMENT).entries
    assert set(entries) == set(attempts)
    assert _submissions(Course(course.root)) == len(attempts)  # none lost, none doubled
    rows = {line.split()[1]: line.split() for line in second.stdout.splitlines()
            if line.startswith(ASSIGNMENT)}
    for name, attempt in attempts.items():
        assert attempt.expects(float(rows[name][2])), rows[name]


def _worker_processes(pid: int) -> list[int]:
    """The grading workers of a `mlchallenge grade` process: the pool processes its forkserver
    (a child of its own) forked."""
    def command(process: int) -> bytes:
        try:
            return Path(f"/proc/{process}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            return b""

    def parent(process: int) -> str:
        try:
            return Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[-1].split()[1]
        except OSError:
            return ""

    servers = [c for c in _descendants(pid)
               if b"forkserver" in command(c) and parent(c) == str(pid)]
    return [c for c in _descendants(pid) if parent(c) in {str(s) for s in servers}
            and b"forkserver" in command(c)]


def test_a_worker_that_dies_costs_no_submission(small_course):
    """A grading worker killed mid-batch (as the machine's out-of-memory killer would): the
    submissions it had not handed back are graded by a new worker, in the same run."""
    course, attempts = small_course
    run = subprocess.Popen([str(BIN / "mlchallenge"), "grade", ASSIGNMENT, "--workers", "2",
                            "--regrade"], cwd=course.root, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _worker_processes(run.pid)
        time.sleep(0.2)
    assert len(workers) == 2, "the run has two workers"
    time.sleep(3)  # both are grading by now
    os.kill(workers[0], signal.SIGKILL)
    out, err = run.communicate(timeout=900)
    assert run.returncode == 0, err
    rows = {line.split()[1]: line.split() for line in out.splitlines() if line.startswith(ASSIGNMENT)}
    assert set(rows) == set(attempts), out
    for name, attempt in attempts.items():
        assert attempt.expects(float(rows[name][2])), rows[name]
    assert "NOT GRADED" not in out + err and "died" not in out
    assert _submissions(course) == len(attempts)
