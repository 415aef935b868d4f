"""`mlchallenge demo`: the interviewer's loop (release, grade, report) on the catalogued attempts."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from mlchallenge.core import text_table
from mlchallenge.core.course import Course, quiet_gradebook_warnings, require_scratch_folder, scratch_course
from mlchallenge.core.errors import KitError
from mlchallenge.grading.results import SubmissionResult
from mlchallenge.grading.service import grade, release
from mlchallenge.interviewer import attempts as attempts_mod
from mlchallenge.interviewer import pages, reports


@dataclass
class DemoRow:
    attempt: attempts_mod.Attempt
    result: SubmissionResult

    @property
    def as_expected(self) -> bool:
        return self.result.graded and self.attempt.expects(self.result.auto_score)


def make_scratch_course(course: Course, where: Path) -> Course:
    """A copy of the course's configuration, source/ and datasets/ (no gradebook, no
    submissions)."""
    return scratch_course(course, where)


def run_demo(course: Course, assignments: list[str] | None, workdir: Path,
             progress: Callable[[str], None] | None = None, jobs: int = 1) -> list[DemoRow]:
    """Release, submit every catalogued attempt, autograde with nbgrader, compare with the
    expected scores. Each assignment is graded in its own scratch course, ``workdir/<name>``;
    with ``jobs`` > 1 that many assignments are graded at once, in separate processes (each
    has its own gradebook, so nothing is shared between them)."""
    submissions = course.root / "tests" / "submissions"
    if not submissions.is_dir():
        raise KitError(f"no catalogued attempts in {submissions}; run the demo in the clone, "
                       "or in a course made by `mlchallenge init`")
    names = assignments or [a for a in course.assignments() if (submissions / a).is_dir()]
    for name in names:
        course.require_assignment(name)
        if not attempts_mod.catalogue(submissions, name):
            raise KitError(f"{submissions / name} holds no attempts")
        require_scratch_folder(workdir / name)  # before any grading, so nothing is half done
    if jobs <= 1 or len(names) == 1:
        return [row for name in names
                for row in _demo_one(course.root, name, workdir / name, progress)]
    # the longest catalogues first, so no worker is left with a long one at the end
    order = sorted(names, key=lambda n: -len(attempts_mod.catalogue(submissions, n)))
    report = _print_flush if progress is not None else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = {name: pool.submit(_demo_one, course.root, name, workdir / name, report)
                   for name in order}
        return [row for name in names for row in futures[name].result()]


def _print_flush(line: str) -> None:
    print(line, flush=True)


def _demo_one(course_root: Path, name: str, workdir: Path,
              progress: Callable[[str], None] | None) -> list[DemoRow]:
    """One assignment's catalogued attempts, graded in a scratch course of its own."""
    # a spawned worker starts with default warning filters: nbgrader's gradebook code triggers
    # SQLAlchemy warnings that say nothing to a user
    quiet_gradebook_warnings()
    submissions = course_root / "tests" / "submissions"
    scratch = make_scratch_course(Course(course_root), workdir)
    release(scratch, [name])
    catalogued = attempts_mod.catalogue(submissions, name)
    for attempt in catalogued:
        attempts_mod.write_submission(attempt, scratch.root)
    results = {r.student: r for r in grade(scratch, name, progress=progress)}
    return [DemoRow(a, results[a.name]) for a in catalogued]


def format_rows(rows: list[DemoRow]) -> str:
    header = ("assignment", "attempt", "score", "max", "expected", "verdict")
    table = []
    for row in rows:
        r = row.result
        score = f"{r.auto_score:g}" if r.graded else "-"
        top = f"{r.max_auto_score:g}" if r.graded else "-"
        verdict = "ok" if row.as_expected else (
            "NOT GRADED: " + (r.error or "") if not r.graded else "UNEXPECTED")
        table.append((row.attempt.assignment, row.attempt.name, score, top,
                      row.attempt.expected_text, verdict))
    return text_table.render(header, table)


def format_matrix(rows: list[DemoRow]) -> str:
    """Per assignment: which graded test cell each attempt lost points on (x = lost)."""
    out = []
    for assignment in dict.fromkeys(r.attempt.assignment for r in rows):
        subset = [r for r in rows if r.attempt.assignment == assignment and r.result.graded]
        if not subset:
            continue
        tasks = [t.name for t in subset[0].result.tasks if t.autograded]
        out.append(f"{assignment}: points lost per test cell (x = lost some, . = full)")
        width = max(len(r.attempt.name) for r in subset)
        out.append(" " * (width + 2) + " ".join(f"{i:>2}" for i in range(1, len(tasks) + 1)))
        for r in subset:
            by_name = {t.name: t for t in r.result.tasks}
            marks = ["x" if (by_name[t].score or 0) < by_name[t].max_score - 1e-9 else "."
                     for t in tasks]
            out.append(f"{r.attempt.name.ljust(width)}  " + " ".join(f"{m:>2}" for m in marks))
        out.append("  " + ", ".join(f"{i}={t}" for i, t in enumerate(tasks, start=1)))
    return "\n".join(out)


def write_demo_report(rows: list[DemoRow], workdir: Path, out: Path) -> tuple[
        list[reports.CandidateReport], pages.Written]:
    """The interviewer's report on the demo cohort: each catalogued attempt is a candidate (an
    attempt name used in several assignments, such as reference, is one candidate who took
    them all), read from each assignment's scratch course in ``workdir``."""
    cohorts = []
    task_of: dict[tuple[str, str], str] = {}
    for name in dict.fromkeys(r.attempt.assignment for r in rows):
        if any(r.attempt.assignment == name and r.result.graded for r in rows):
            cohorts.append(reports.gather(Course(workdir / name), [name]))
            task_of.update(pages.task_map(Course(workdir / name), [name]))
    cohort = reports.merge(*cohorts)
    return cohort, pages.write_reports(cohort, out, task_of=task_of)


def format_report_summary(cohort: list[reports.CandidateReport], written: pages.Written) -> str:
    if not cohort:
        return "demo cohort: no attempt could be graded, so the report is empty (see the table above)"
    median = statistics.median(r.percent for r in cohort)
    flagged = sum(1 for r in cohort if r.leakage)
    return (f"demo cohort: {len(cohort)} candidates, median score {median:.0f} %, "
            f"{flagged} with leakage flags, "
            f"{sum(len(r.follow_ups) for r in cohort)} follow-up questions\n"
            f"report: {_shown(written.index)}\ncohort CSV: {_shown(written.csv)}")


def _shown(path: Path) -> Path:
    """A path relative to the current folder when it is under it (shorter to read)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
