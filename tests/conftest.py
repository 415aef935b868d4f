"""Shared fixtures: the repository as a course, and one demo run grading every attempt."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from mlchallenge.course import Course

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT)


@pytest.fixture(scope="session")
def demo_rows(course, tmp_path_factory):
    """Every catalogued attempt of every assignment, graded once by real nbgrader autograding
    in a scratch course (the same code path as `mlchallenge demo`)."""
    from mlchallenge.demo import format_matrix, format_rows, run_demo

    warnings.filterwarnings("ignore", message=".*not in session.*")
    rows = run_demo(course, None, tmp_path_factory.mktemp("demo-course"), jobs=os.cpu_count() or 1)
    # the same tables `make demo` prints, kept for whoever reads a test run (build/ is ignored)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "demo-report.txt").write_text(format_rows(rows) + "\n\n" + format_matrix(rows) + "\n")
    return {(row.attempt.assignment, row.attempt.name): row for row in rows}
