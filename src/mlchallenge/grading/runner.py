"""`mlchallenge grade`: nbgrader's autograde, run for several submissions at once.

- The unit of work is :func:`grade_submission`: nbgrader's own ``autograde`` for one submission,
  against a worker's private gradebook (a copy of the assignment's cells), so workers never
  write to the course's gradebook. It runs on local worker processes (:class:`LocalBackend`)
  or, with ``--scheduler``, on a Dask cluster (:class:`mlchallenge.cluster.DaskBackend`), where
  the submission's files travel with the task and the autograded folder comes back.
- The parent process is the gradebook's only writer (:class:`GradebookWriter`, SQLite or
  PostgreSQL through nbgrader's Gradebook API): it writes each finished submission's grades,
  then records the submission (with a hash of its files) in a journal. A run that is killed and
  started again skips what the journal and the gradebook both hold, and grades the rest; a
  submission whose files changed since is graded again.
- Submissions are read, never written: nbgrader grades a staged copy.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from mlchallenge.core.course import Course
from mlchallenge.core.files import remove_tree
from mlchallenge.core.text_table import printable
from mlchallenge.grading.context import GradingContext, grading_context
from mlchallenge.grading.journal import Journal, submission_digest
from mlchallenge.grading.results import SubmissionResult, assignment_cells, read_result
from mlchallenge.grading.server import process_context
from mlchallenge.grading.worker import (
    Files,
    GradingTask,
    TaskResult,
    WorkerOutcome,
    worker_grade,
    worker_init,
    write_files,
)
from mlchallenge.grading.writer import GradebookWriter, cell_order, copy_assignment
from mlchallenge.sandbox.offer import FactoryOffer


@dataclass
class Progress:
    total: int
    report: Callable[[str], None] | None
    done: int = 0
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = time.monotonic()
        self.tty = self.report is None and sys.stderr.isatty()

    def step(self, line: str) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        width = 24
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        text = (f"[{bar}] {self.done}/{self.total} {printable(line)} | elapsed {elapsed:.0f} s, "
                f"ETA {eta:.0f} s")
        if self.report is not None:
            self.report(text)
        else:
            end = "\n" if self.done == self.total or not self.tty else ""
            print(("\r\x1b[2K" if self.tty else "") + text, end=end, file=sys.stderr, flush=True)


def run(course: Course, assignment: str, students: list[str], *, workers: int, sandbox: bool,
        regrade: bool = False, progress: Callable[[str], None] | None = None,
        unreadable: dict[str, str] | None = None, scheduler: str | None = None,
        offer: FactoryOffer | None = None) -> dict[str, SubmissionResult]:
    """Grade ``students``' submissions of ``assignment``; returns a result per student (with
    its notes, and its reason when it could not be graded). ``unreadable`` names submissions
    that are recorded with no points and not run. The tasks run on ``workers`` local processes,
    or on the Dask cluster whose scheduler is at ``scheduler`` (tcp://HOST:PORT); either way
    this process alone writes the gradebook, and hands back what it wrote. ``offer`` is a
    kernel factory started for the first local worker (:func:`context.factory_offer`)."""
    journal = Journal(course, assignment)
    digests = {s: submission_digest(course.root / "submitted" / s / assignment) for s in students}
    results: dict[str, SubmissionResult] = {}
    with Gradebook(course.db_url) as gradebook:
        cells = assignment_cells(gradebook, assignment)
        for student in students:  # graded in an earlier run, with the same files
            entry = journal.entries.get(student, {})
            if regrade or not journal.done(student, digests[student]):
                continue
            try:
                result = read_result(gradebook, assignment, student, cells)
            except MissingEntry:
                continue
            result.error = entry.get("error")
            result.notes = [r for r in entry.get("reasons", []) if r != entry.get("error")]
            results[student] = result
    todo = [s for s in students if s not in results]
    bar = Progress(total=len(todo), report=progress)
    if results and progress is not None:
        progress(f"{len(results)} submission(s) already graded (journal {journal.path.name}); "
                 "grading the rest (use --regrade to grade all again)")
    unreadable = unreadable or {}
    with GradebookWriter(course.db_url, course.coursedir.course_id,
                         {assignment: cells}) as writer:
        for student in [s for s in todo if s in unreadable]:
            result = writer.unreadable(assignment, student)
            result.error = unreadable[student]
            results[student] = result
            journal.record(student, digests[student], [], result.error)
            bar.step(f"{student}: NOT GRADED ({result.error})")
        todo = [s for s in todo if s not in unreadable]
        if not todo:
            return results
        backend: DaskBackend | LocalBackend
        if scheduler:
            from mlchallenge.grading.cluster import DaskBackend

            backend = DaskBackend(scheduler)
        else:
            backend = LocalBackend(workers)
        with grading_context(course, assignment, sandbox=sandbox, expected=list(cells),
                             offer=None if scheduler else offer) as context:
            for student, done in backend.grade(course, context, todo):
                results[student] = result = _store(writer, course, assignment, student, done)
                journal.record(student, digests[student], result.notes, result.error)
                seconds = done.outcome.seconds if isinstance(done, TaskResult) else 0.0
                status = "graded" if result.graded else f"NOT GRADED ({result.error})"
                bar.step(f"{student}: {status} ({seconds:.1f} s)")
    return results


def _store(writer: GradebookWriter, course: Course, assignment: str, student: str,
           done: TaskResult | BaseException) -> SubmissionResult:
    """Write one finished task into the gradebook; the submission's result as written."""
    if isinstance(done, BaseException):
        done = TaskResult(WorkerOutcome(
            student, False, f"the grading worker failed: {_describe(done)}", [], 0.0))
    outcome = done.outcome
    if outcome.success and done.grades is not None:
        result = writer.write(assignment, student, done.grades)
        if done.autograded is not None:
            _replace_folder(course.root / "autograded" / student / assignment, done.autograded)
    else:
        result = writer.unreadable(assignment, student)
        result.error = outcome.reason or "not graded"
    result.notes = outcome.notes
    return result


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _replace_folder(folder: Path, files: Files) -> None:
    """Put a remote worker's autograded folder where nbgrader would have written it."""
    remove_tree(folder)
    folder.mkdir(parents=True)
    write_files(files, folder)


class LocalBackend:
    """Grading tasks on worker processes of this machine (they share the course's folder)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def grade(self, course: Course, context: GradingContext,
              students: list[str]) -> Iterator[tuple[str, TaskResult | BaseException]]:
        """Each student's result as it comes. A worker process that dies (killed, out of
        memory) breaks its pool: the submissions that had not come back are graded again by a
        new pool; those caught in a second break are graded one at a time, so the one whose
        grading kills a worker is the only one that gets the reason. Every worker starts from
        ``context``, and a copy of the assignment's cells in the run's scratch folder."""
        assignment = context.assignment
        copy_assignment(course.db_url, f"sqlite:///{Path(context.scratch) / 'gradebook.db'}",
                        assignment, course.coursedir.course_id, cell_order(course, assignment))
        initargs = (context,)
        processes = process_context()

        def task(student: str) -> GradingTask:
            return GradingTask(assignment, student,
                               source=str(course.root / "submitted" / student / assignment))

        todo = students
        for _ in range(2):  # everyone, then whoever a broken pool left without a result
            if not todo:
                return
            broken: list[str] = []
            workers = max(1, min(self.workers, len(todo)))
            with ProcessPoolExecutor(max_workers=workers, mp_context=processes,
                                     initializer=worker_init, initargs=initargs) as pool:
                pending = {pool.submit(worker_grade, task(s)): s for s in todo}
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        student = pending.pop(future)
                        try:
                            yield student, future.result()
                        except BrokenProcessPool:
                            broken.append(student)
                        except Exception as exc:  # noqa: BLE001 - a failed task is a reason
                            yield student, exc
            todo = broken
        for student in todo:  # one at a time: a break names its submission
            with ProcessPoolExecutor(max_workers=1, mp_context=processes,
                                     initializer=worker_init, initargs=initargs) as pool:
                try:
                    yield student, pool.submit(worker_grade, task(student)).result()
                except BrokenProcessPool:
                    yield student, WorkerDied(
                        "the grading worker process died while grading this submission (it "
                        "was killed or ran out of memory), twice; the other submissions were "
                        "graded by new workers")
                except Exception as exc:  # noqa: BLE001
                    yield student, exc


class WorkerDied(Exception):
    """A grading worker process ended while grading one submission."""

