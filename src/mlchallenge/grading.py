"""Grading around nbgrader: the kit's execute step, and one result per submission.

nbgrader stays the engine. The course's ``nbgrader_config.py`` lists
``GradingExecute`` in ``Autograde.autograde_preprocessors``, so plain
``nbgrader autograde`` and ``mlchallenge grade`` run the same pipeline.
``grade()`` calls nbgrader's API once per submission, so one broken
submission never stops the batch, and reads the scores back from the gradebook.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.util import run_sync
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import Execute

from . import text_table
from .course import Course
from .errors import KitError

# Imported in the grading kernel before any candidate code runs: the hidden tests'
# comparison helpers bind numpy / scikit-learn functions at import, so a candidate who
# later monkeypatches numpy or scikit-learn does not change what the hidden tests compare with.
KERNEL_PRELUDE = "import mlchallenge.checks"


class GradingExecute(Execute):
    """nbgrader's Execute, plus the kit's prelude in each fresh grading kernel.

    The kernel talks to the grader over Unix sockets in a private temporary folder
    (``transport="ipc"``) rather than TCP ports on localhost that any local process could reach.
    """

    _ipc_dir: str | None = None

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        self._ipc_dir = tempfile.mkdtemp(prefix="mlchallenge-kernel-")
        km.transport = "ipc"
        km.ip = os.path.join(self._ipc_dir, "kernel")
        return km

    def preprocess(self, nb, resources=None, km=None):
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            if self._ipc_dir:
                shutil.rmtree(self._ipc_dir, ignore_errors=True)
                self._ipc_dir = None

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        msg_id = kc.execute(KERNEL_PRELUDE, silent=True, store_history=False)
        reply = await self.async_wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            raise RuntimeError(
                "the grading kernel could not import mlchallenge.checks; install the kit "
                "(`make demo` or `pip install -e .`) in the environment that grades"
            )
        return kc

    # nbconvert's preprocess() sets the kernel up through the synchronous wrapper, which
    # nbclient binds to its own coroutine at class creation: bind it to ours.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)


@dataclass
class TaskScore:
    """One graded cell of one submission."""

    name: str
    score: float | None
    max_score: float
    autograded: bool


@dataclass
class SubmissionResult:
    """What grading one submission produced; ``error`` is set when it could not be graded."""

    student: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    auto_score: float = 0.0
    max_auto_score: float = 0.0
    needs_manual_grade: bool = False
    tasks: list[TaskScore] = field(default_factory=list)
    error: str | None = None

    @property
    def graded(self) -> bool:
        return self.error is None


def _reason_from_log(log: str) -> str:
    """The most telling line of nbgrader's captured log for a failed autograde."""
    generic = ("There was an error processing", "Please see the error log", "Traceback")
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [
        re.sub(r"^\[[^\]]*\]\s*", "", line)
        for line in lines
        if ("ERROR" in line or "Error" in line) and not any(g in line for g in generic)
    ]
    if errors:
        return errors[0][:300]
    return (lines[-1] if lines else "nbgrader reported a failure without a message")[:300]


def _read_result(gradebook: Gradebook, assignment: str, student: str) -> SubmissionResult:
    submission = gradebook.find_submission(assignment, student)
    result = SubmissionResult(
        student=student,
        assignment=assignment,
        score=float(submission.score),
        max_score=float(submission.max_score),
        auto_score=float(submission.code_score),
        max_auto_score=float(submission.max_code_score),
        needs_manual_grade=bool(submission.needs_manual_grade),
    )
    for notebook in submission.notebooks:
        for grade in sorted(notebook.grades, key=lambda g: g.name):
            autograded = grade.cell.cell_type == "code"
            result.tasks.append(
                TaskScore(
                    name=grade.name,
                    score=None if grade.score is None else float(grade.score),
                    max_score=float(grade.max_score),
                    autograded=autograded,
                )
            )
    return result


def _ensure_generated(course: Course, assignment: str) -> None:
    """autograde needs the assignment's cells in the gradebook; nbgrader records them
    when it generates the release, so generate it once if this gradebook lacks it."""
    with Gradebook(course.db_url) as gradebook:
        try:
            known = gradebook.find_assignment(assignment)
            if known.notebooks:
                return
        except MissingEntry:
            pass
    outcome = course.api().generate_assignment(assignment, force=True, create=True)
    if not outcome["success"]:
        raise KitError(
            f"could not generate assignment {assignment!r} from source/: "
            f"{_reason_from_log(outcome.get('log', '') + outcome.get('error', ''))}"
        )


def submitted_students(course: Course, assignment: str) -> list[str]:
    submitted = course.root / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(
        entry.name
        for entry in submitted.iterdir()
        if (entry / assignment).is_dir() and not entry.name.startswith(".")
    )


def unreadable_notebook(folder: Path) -> str | None:
    """Why a submission folder's notebooks cannot be read, or None if they all can."""
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        return f"no notebook (.ipynb) in {folder.parent.name}/{folder.name}/"
    for path in notebooks:
        try:
            nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is a reason, not a crash
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return f"{path.name} is not a valid notebook ({detail[:200]})"
    return None


def grade(course: Course, assignment: str, students: list[str] | None = None,
          progress: Callable[[str], None] | None = None) -> list[SubmissionResult]:
    """Autograde each submission of ``assignment`` with nbgrader, one at a time, and return a
    result per submission; a submission that fails is reported, never stops the batch."""
    course.require_assignment(assignment)
    available = submitted_students(course, assignment)
    if students:
        missing = [s for s in students if s not in available]
        if missing:
            raise KitError(
                f"no submission of {assignment!r} for {', '.join(missing)} in "
                f"{course.root / 'submitted'}; expected submitted/<student>/{assignment}/"
            )
        chosen = students
    else:
        chosen = available
    if not chosen:
        raise KitError(
            f"nothing to grade: no folder submitted/<student>/{assignment}/ under {course.root}"
        )
    _ensure_generated(course, assignment)
    api = course.api()
    results: list[SubmissionResult] = []
    outcomes: dict[str, dict] = {}
    unreadable: dict[str, str] = {}
    with course.kernel_environment():
        for number, student in enumerate(chosen, start=1):
            started = time.perf_counter()
            problem = unreadable_notebook(course.root / "submitted" / student / assignment)
            if problem:
                unreadable[student] = problem
            else:
                outcomes[student] = api.autograde(assignment, student, force=True, create=True)
            if progress:
                status = "not graded" if problem or not outcomes[student]["success"] else "graded"
                progress(f"[{number}/{len(chosen)}] {assignment}/{student}: {status} "
                         f"({time.perf_counter() - started:.1f} s)")
    with Gradebook(course.db_url) as gradebook:
        for student in chosen:
            if student in unreadable:
                results.append(SubmissionResult(student, assignment, error=unreadable[student]))
                continue
            outcome = outcomes[student]
            if not outcome["success"]:
                reason = _reason_from_log(outcome.get("log", "") + "\n" + outcome.get("error", ""))
                results.append(SubmissionResult(student, assignment, error=reason))
                continue
            try:
                results.append(_read_result(gradebook, assignment, student))
            except MissingEntry:
                results.append(SubmissionResult(
                    student, assignment, error="nbgrader finished but recorded no grade"))
    return results


def release(course: Course, assignments: list[str] | None = None) -> list[Path]:
    """Regenerate release/<assignment>/ from source/ with nbgrader; the written folders."""
    names = assignments or course.assignments()
    for name in names:
        course.require_assignment(name)
    written = []
    api = course.api()
    for name in names:
        outcome = api.generate_assignment(name, force=True, create=True)
        if not outcome["success"]:
            raise KitError(
                f"nbgrader could not generate {name!r}: "
                f"{_reason_from_log(outcome.get('log', '') + outcome.get('error', ''))}; "
                f"fix source/{name}/ and run `mlchallenge release {name}` again"
            )
        written.append(course.root / "release" / name)
    return written


def format_table(results: list[SubmissionResult]) -> str:
    """A plain-text score table: one row per submission."""
    header = ("assignment", "student", "auto", "max", "manual", "status")
    rows = []
    for r in results:
        if r.graded:
            manual = "pending" if r.needs_manual_grade else "-"
            rows.append((r.assignment, r.student, f"{r.auto_score:g}", f"{r.max_auto_score:g}",
                         manual, "graded"))
        else:
            rows.append((r.assignment, r.student, "-", "-", "-", f"NOT GRADED: {r.error}"))
    return text_table.render(header, rows)

