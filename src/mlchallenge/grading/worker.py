"""The worker side: one submission autograded by nbgrader into the worker's private gradebook,
the same function on a local worker process and on a Dask worker. What travels between the
writer and a worker is picklable.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook

from mlchallenge.core.course import Course, quiet_gradebook_warnings
from mlchallenge.grading.context import GradingContext, configure
from mlchallenge.grading.results import reason_from_log


@dataclass
class WorkerOutcome:
    student: str
    success: bool
    reason: str | None
    notes: list[str]
    seconds: float


# ---- what travels between the writer and a worker (picklable) -----------------------------


# relative path -> (mode, bytes)
Files = dict[str, tuple[int, bytes]]


@dataclass
class GradingTask:
    """One submission to grade: its files travel with the task (a remote worker may not share
    the course's file system); ``source`` instead names the folder when the worker shares it."""

    assignment: str
    student: str
    files: Files | None = None
    links: tuple[str, ...] = ()
    source: str | None = None


@dataclass
class NotebookGrades:
    name: str
    flagged: bool
    late_submission_penalty: float | None
    grades: dict[str, tuple[float | None, bool]]  # cell -> (auto_score, needs_manual_grade)
    comments: dict[str, str | None]  # cell -> auto_comment


@dataclass
class SubmissionGrades:
    """One submission's autograde results, read out of a worker's scratch gradebook."""

    timestamp: datetime | None
    notebooks: list[NotebookGrades]


@dataclass
class TaskResult:
    outcome: WorkerOutcome
    grades: SubmissionGrades | None = None
    autograded: Files | None = None  # the autograded folder, when the worker made it elsewhere


def read_submission(folder: Path) -> tuple[Files, tuple[str, ...]]:
    """A submission's files, and the symbolic links in it (never followed: a link could point
    at the gradebook or another candidate's folder)."""
    files: Files = {}
    links: list[str] = []
    for here, dirs, names in os.walk(folder):
        for name in sorted(dirs):
            if os.path.islink(os.path.join(here, name)):
                links.append(name)
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(here, d)))
        for name in sorted(names):
            path = Path(here) / name
            if path.is_symlink():
                links.append(name)
                continue
            if path.is_file():
                files[str(path.relative_to(folder))] = (path.stat().st_mode & 0o777, path.read_bytes())
    return files, tuple(links)


def write_files(files: Files, folder: Path) -> None:
    for relative, (mode, data) in files.items():
        target = folder / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            raise ValueError(f"refusing to write {relative!r} outside {folder}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(mode | 0o600)


def read_grades(db_url: str, assignment: str, student: str) -> SubmissionGrades:
    with Gradebook(db_url) as gradebook:
        submitted = gradebook.find_submission(assignment, student)
        return SubmissionGrades(
            timestamp=submitted.timestamp,
            notebooks=[NotebookGrades(
                name=notebook.name, flagged=bool(notebook.flagged),
                late_submission_penalty=notebook.late_submission_penalty,
                grades={g.name: (g.auto_score, bool(g.needs_manual_grade)) for g in notebook.grades},
                comments={c.name: c.auto_comment for c in notebook.comments},
            ) for notebook in submitted.notebooks])


# ---- worker side: the same per-submission function for local and Dask workers -------------


@dataclass
class WorkerContext:
    """A worker's own course view: ``course`` reads its private scratch gradebook."""

    course: Course
    private: Path
    expected: set[str]
    return_files: bool = False  # a remote worker sends the autograded folder back


_WORKER: dict = {}


def worker_init(context: GradingContext) -> None:
    """A local worker process: the run's context, a private copy of the run's gradebook (the
    assignment's cells) in a folder of its own under the run's scratch folder, which the
    grading process removes however the worker ends."""
    from mlchallenge.sandbox.launch import die_with_parent

    die_with_parent()
    quiet_gradebook_warnings()
    private = Path(context.scratch) / f"w{os.getpid()}"
    private.mkdir()
    shutil.copy2(Path(context.scratch) / "gradebook.db", private / "gradebook.db")
    _WORKER["context"] = worker_context(context, private)
    # the kernel factory's imports overlap with nbgrader's first steps on the first submission
    from mlchallenge.preprocessors.execute import prepare_kernels

    course = _WORKER["context"].course
    prepare_kernels(course.config, [course.root.resolve()], context.factory_offer)


def worker_context(context: GradingContext, private: Path, *, return_files: bool = False,
                   course_id: str | None = None) -> WorkerContext:
    """The course as one worker grades it: nbgrader configured from the run's context."""
    course = Course(context.course_root)
    if course_id is not None:
        course.config.CourseDirectory.course_id = course_id
    configure(course, context, private)
    return WorkerContext(course=course, private=private, expected=set(context.expected),
                         return_files=return_files)


def grade_submission(context: WorkerContext, task: GradingTask) -> TaskResult:
    """Autograde one submission with nbgrader in the worker's private gradebook: the unit of
    work, the same on a local worker process and on a Dask worker."""
    from mlchallenge.preprocessors import execute

    course = context.course
    started = time.perf_counter()
    stage = context.private / "submitted" / task.student / task.assignment
    if task.files is None:
        assert task.source is not None  # a task carries its files or names its folder
        files, links = read_submission(Path(task.source))
    else:
        files, links = task.files, task.links
    renamed = _stage(files, links, stage, context.expected)
    execute.NOTES.clear()
    outcome = course.api().autograde(task.assignment, task.student, force=True, create=True)
    folder = course.root / "autograded" / task.student / task.assignment
    notes = renamed + [f"{Path(key).name}: {note}" for key, items in execute.NOTES.items()
                       if key.startswith(str(folder)) for note in items]
    reason = None
    grades = autograded = None
    if outcome["success"]:
        grades = read_grades(course.db_url, task.assignment, task.student)
        if context.return_files and folder.is_dir():
            autograded, _ = read_submission(folder)
    else:
        reason = reason_from_log(outcome.get("log", "") + "\n" + outcome.get("error", ""))
    shutil.rmtree(stage, ignore_errors=True)
    return TaskResult(WorkerOutcome(task.student, bool(outcome["success"]), reason, notes,
                                    time.perf_counter() - started), grades, autograded)


def worker_grade(task: GradingTask) -> TaskResult:
    return grade_submission(_WORKER["context"], task)


def _stage(files: Files, links: tuple[str, ...], stage: Path, expected: set[str]) -> list[str]:
    """Write a submission's files for nbgrader to read; a lone notebook under another name than
    the assignment's lone missing one is graded as that one. Returns what was noticed."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    write_files(files, stage)
    noticed = [f"symbolic link {name} ignored" for name in links]
    present = {p.stem: p for p in stage.glob("*.ipynb")}
    missing = sorted(expected - set(present))
    unknown = sorted(set(present) - expected)
    if len(missing) == 1 and len(unknown) == 1:
        present[unknown[0]].rename(stage / f"{missing[0]}.ipynb")
        return [*noticed, f"{unknown[0]}.ipynb graded as {missing[0]}.ipynb (the notebook was renamed)"]
    return noticed + [f"{name}.ipynb is missing: no points for it" for name in missing]
