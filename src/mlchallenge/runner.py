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

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from .course import Course
from .text_table import printable

JOURNAL_DIR = ".mlchallenge"


def submission_digest(folder: Path) -> str:
    """sha256 over a submission folder's file names and contents."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():  # never followed: see _stage
            digest.update(os.fsencode(path.relative_to(folder)) + b"\0" + os.fsencode(os.readlink(path)))
            continue
        if not path.is_file():
            continue
        digest.update(os.fsencode(path.relative_to(folder)) + b"\0")  # any bytes a name holds
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


class Journal:
    """autograded/.mlchallenge/<assignment>.jsonl: one line per submission written to the
    gradebook, with the hash of the files that were graded."""

    def __init__(self, course: Course, assignment: str) -> None:
        self.path = course.root / "autograded" / JOURNAL_DIR / f"{assignment}.jsonl"
        self.entries: dict[str, dict] = {}
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[entry["student"]] = entry
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill: that submission is graded again

    def done(self, student: str, digest: str) -> bool:
        entry = self.entries.get(student)
        return bool(entry) and entry.get("digest") == digest

    def record(self, student: str, digest: str, reasons: list[str], error: str | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"student": student, "digest": digest, "reasons": reasons, "error": error,
                 "at": time.time()}
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.entries[student] = entry


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


def _worker_init(course_root: str, base_db: str, sandbox: bool, expected: list[str],
                 host_datasets: str) -> None:
    """A local worker process: the course's own folder, a private copy of the gradebook."""
    from .sandbox import die_with_parent

    die_with_parent()
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")
    # everything this worker makes (its gradebook copy, its kernels' folders) goes under the
    # run's folder, which the parent removes however the worker ends
    private = Path(base_db).parent / f"w{os.getpid()}"
    private.mkdir()
    tempfile.tempdir = str(private)
    shutil.copy2(base_db, private / "gradebook.db")
    course = Course(course_root)
    # the full dataset files the scoring preprocessor reads labels from, in this process only
    # (the kernels get the view without the hidden-test labels, through their environment)
    from .kernel import datasets

    block = datasets.host_datasets(Path(host_datasets))
    block.__enter__()
    _WORKER["host_datasets"] = block  # kept: a collected block would leave on its own
    _WORKER["context"] = _private_course(course, private, sandbox, expected)


def _private_course(course: Course, private: Path, sandbox: bool, expected: list[str],
                    return_files: bool = False) -> WorkerContext:
    course.config.CourseDirectory.db_url = f"sqlite:///{private / 'gradebook.db'}"
    course.config.GradingExecute.sandbox = sandbox
    # nbgrader reads each submission from a staged copy (an absolute submitted_directory wins
    # over the course root), so the submission itself is only ever read, once, by the copy
    course.config.CourseDirectory.submitted_directory = str(private / "submitted")
    return WorkerContext(course=course, private=private, expected=set(expected),
                         return_files=return_files)


def grade_submission(context: WorkerContext, task: GradingTask) -> TaskResult:
    """Autograde one submission with nbgrader in the worker's private gradebook: the unit of
    work, the same on a local worker process and on a Dask worker."""
    from . import grading

    course = context.course
    started = time.perf_counter()
    stage = context.private / "submitted" / task.student / task.assignment
    if task.files is None:
        files, links = read_submission(Path(task.source))
    else:
        files, links = task.files, task.links
    renamed = _stage(files, links, stage, context.expected)
    grading.NOTES.clear()
    outcome = course.api().autograde(task.assignment, task.student, force=True, create=True)
    folder = course.root / "autograded" / task.student / task.assignment
    notes = renamed + [f"{Path(key).name}: {note}" for key, items in grading.NOTES.items()
                       if key.startswith(str(folder)) for note in items]
    reason = None
    grades = autograded = None
    if outcome["success"]:
        grades = read_grades(course.db_url, task.assignment, task.student)
        if context.return_files and folder.is_dir():
            autograded, _ = read_submission(folder)
    else:
        reason = grading._reason_from_log(outcome.get("log", "") + "\n" + outcome.get("error", ""))
    shutil.rmtree(stage, ignore_errors=True)
    return TaskResult(WorkerOutcome(task.student, bool(outcome["success"]), reason, notes,
                                    time.perf_counter() - started), grades, autograded)


def _worker_grade(task: GradingTask) -> TaskResult:
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
        return noticed + [
            f"{unknown[0]}.ipynb graded as {missing[0]}.ipynb (the notebook was renamed)"]
    return noticed + [f"{name}.ipynb is missing: no points for it" for name in missing]


# ---- writer side -------------------------------------------------------------------------

class GradebookWriter:
    """The one writer: results go into the course's gradebook (SQLite or PostgreSQL, nbgrader's
    ``db_url``) through nbgrader's Gradebook API, one connection for the whole run."""

    def __init__(self, db_url: str, course_id: str = "default_course") -> None:
        self.gradebook = Gradebook(db_url, course_id=course_id)

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.gradebook.close()

    def write(self, assignment: str, student: str, grades: SubmissionGrades) -> None:
        """One submission's autograde results (manual grades already recorded are kept)."""
        target = self.gradebook
        try:
            target.update_or_create_student(student)
            if grades.timestamp:
                target.update_or_create_submission(assignment, student, timestamp=grades.timestamp)
            else:
                target.update_or_create_submission(assignment, student)
            for notebook in grades.notebooks:
                into = target.find_submission_notebook(notebook.name, assignment, student)
                into.flagged = notebook.flagged
                # the notebook's grade and comment rows in one query each, not one per cell
                ours = {grade.name: grade for grade in into.grades}
                for name, (auto_score, needs_manual) in notebook.grades.items():
                    ours[name].auto_score = auto_score
                    ours[name].needs_manual_grade = needs_manual
                theirs = {comment.name: comment for comment in into.comments}
                for name, comment in notebook.comments.items():
                    theirs[name].auto_comment = comment
                into.late_submission_penalty = notebook.late_submission_penalty
            target.db.commit()
        except BaseException:
            target.db.rollback()
            raise

    def unreadable(self, assignment: str, student: str) -> None:
        """A submission nbgrader could not grade still appears in the gradebook, with no points."""
        target = self.gradebook
        try:
            target.update_or_create_student(student)
            submission = target.update_or_create_submission(assignment, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = (0 if grade.cell.cell_type == "code" or grade.auto_score
                                        else None)
            target.db.commit()
        except BaseException:
            target.db.rollback()
            raise


def copy_grades(source_url: str, target_url: str, assignment: str, student: str) -> None:
    """Write one submission's autograde results from a worker's gradebook into the course's."""
    grades = read_grades(source_url, assignment, student)
    with GradebookWriter(target_url) as writer:
        writer.write(assignment, student, grades)


def record_unreadable(target_url: str, assignment: str, student: str) -> None:
    with GradebookWriter(target_url) as writer:
        writer.unreadable(assignment, student)


def copy_assignment(source_url: str, target_url: str, assignment: str, course_id: str,
                    order: dict[str, list[str]] | None = None) -> None:
    """Copy an assignment's structure (notebooks, cells, points, sources, due date) from the
    course's gradebook into a fresh one, through nbgrader's Gradebook API: what autograde
    needs, without any candidate's grades. ``order`` gives each notebook's cells in notebook
    order (nbgrader puts deleted test cells back by that order; a server database returns
    rows in no particular order)."""
    order = order or {}
    with Gradebook(source_url) as source, Gradebook(target_url, course_id=course_id) as target:
        known = source.find_assignment(assignment)
        target.update_or_create_assignment(assignment, duedate=known.duedate)
        for notebook in known.notebooks:
            target.add_notebook(notebook.name, assignment, kernelspec=notebook.kernelspec)
            rank = {name: i for i, name in enumerate(order.get(notebook.name, []))}

            def ordered(cells, rank=rank):
                return sorted(cells, key=lambda c: (rank.get(c.name, len(rank)), c.name))
            for cell in ordered(notebook.grade_cells):
                target.update_or_create_grade_cell(cell.name, notebook.name, assignment,
                                                   max_score=cell.max_score,
                                                   cell_type=cell.cell_type)
            for cell in ordered(notebook.solution_cells):
                target.update_or_create_solution_cell(cell.name, notebook.name, assignment)
            for cell in ordered(notebook.task_cells):
                target.update_or_create_task_cell(cell.name, notebook.name, assignment,
                                                  max_score=cell.max_score,
                                                  cell_type=cell.cell_type)
            for cell in ordered(notebook.source_cells):
                target.update_or_create_source_cell(cell.name, notebook.name, assignment,
                                                    cell_type=cell.cell_type, locked=cell.locked,
                                                    source=cell.source, checksum=cell.checksum)
        target.db.commit()


def cell_order(course: Course, assignment: str) -> dict[str, list[str]]:
    """Each source notebook's nbgrader cell ids, in notebook order."""
    import nbformat

    order = {}
    for path in sorted((course.root / "source" / assignment).glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        order[path.stem] = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
                            if c.metadata.get("nbgrader", {}).get("grade_id")]
    return order


# ---- the run -----------------------------------------------------------------------------

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
        unreadable: dict[str, str] | None = None,
        scheduler: str | None = None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Grade ``students``' submissions of ``assignment``; returns (notes, failures) by student.
    ``unreadable`` names submissions that are recorded with no points and not run. The tasks
    run on ``workers`` local processes, or on the Dask cluster whose scheduler is at
    ``scheduler`` (tcp://HOST:PORT); either way this process alone writes the gradebook."""
    journal = Journal(course, assignment)
    digests = {s: submission_digest(course.root / "submitted" / s / assignment) for s in students}
    with Gradebook(course.db_url) as gradebook:
        def in_gradebook(student: str) -> bool:
            try:
                gradebook.find_submission(assignment, student)
                return True
            except MissingEntry:
                return False
        todo = [s for s in students
                if regrade or not (journal.done(s, digests[s]) and in_gradebook(s))]
        expected = [nb.name for nb in gradebook.find_assignment(assignment).notebooks]
    notes: dict[str, list[str]] = {s: [r for r in journal.entries[s].get("reasons", [])
                                       if r != journal.entries[s].get("error")]
                                   for s in students if s not in todo}
    failures: dict[str, str] = {s: journal.entries[s]["error"] for s in students
                                if s not in todo and journal.entries[s].get("error")}
    bar = Progress(total=len(todo), report=progress)
    skipped = len(students) - len(todo)
    if skipped and progress is not None:
        progress(f"{skipped} submission(s) already graded (journal {journal.path.name}); "
                 "grading the rest (use --regrade to grade all again)")
    unreadable = unreadable or {}
    with GradebookWriter(course.db_url, course.coursedir.course_id) as writer:
        for student in [s for s in todo if s in unreadable]:
            writer.unreadable(assignment, student)
            failures[student] = unreadable[student]
            notes[student] = []
            journal.record(student, digests[student], notes[student], failures[student])
            bar.step(f"{student}: NOT GRADED ({unreadable[student]})")
        todo = [s for s in todo if s not in unreadable]
        if not todo:
            return notes, failures
        if scheduler:
            from .cluster import DaskBackend

            backend = DaskBackend(scheduler)
        else:
            backend = LocalBackend(workers)
        for student, result in backend.grade(course, assignment, todo, sandbox=sandbox,
                                             expected=expected):
            if isinstance(result, BaseException):
                result = TaskResult(WorkerOutcome(
                    student, False, f"the grading worker failed: {_describe(result)}", [], 0.0))
            outcome = result.outcome
            if outcome.success and result.grades is not None:
                writer.write(assignment, student, result.grades)
                if result.autograded is not None:
                    _replace_folder(course.root / "autograded" / student / assignment,
                                    result.autograded)
                status = "graded"
            else:
                writer.unreadable(assignment, student)
                failures[student] = outcome.reason or "not graded"
                status = f"NOT GRADED ({failures[student]})"
            notes[student] = outcome.notes
            journal.record(student, digests[student], notes[student], failures.get(student))
            bar.step(f"{student}: {status} ({outcome.seconds:.1f} s)")
    return notes, failures


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _replace_folder(folder: Path, files: Files) -> None:
    """Put a remote worker's autograded folder where nbgrader would have written it."""
    if folder.exists():
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o700)
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    write_files(files, folder)


class LocalBackend:
    """Grading tasks on worker processes of this machine (they share the course's folder)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def grade(self, course: Course, assignment: str, students: list[str], *, sandbox: bool,
              expected: list[str]) -> Iterator[tuple[str, TaskResult | BaseException]]:
        """Each student's result as it comes. A worker process that dies (killed, out of
        memory) breaks its pool: the submissions that had not come back are graded again by a
        new pool; those caught in a second break are graded one at a time, so the one whose
        grading kills a worker is the only one that gets the reason."""
        base = Path(tempfile.mkdtemp(prefix="mlc-grade-"))
        try:
            copy_assignment(course.db_url, f"sqlite:///{base / 'gradebook.db'}", assignment,
                            course.coursedir.course_id, cell_order(course, assignment))
            initargs = (str(course.root), str(base / "gradebook.db"), sandbox, expected,
                        str(_host_datasets()))

            def task(student: str) -> GradingTask:
                return GradingTask(assignment, student,
                                   source=str(course.root / "submitted" / student / assignment))

            todo = students
            for _ in range(2):  # everyone, then whoever a broken pool left without a result
                if not todo:
                    return
                broken: list[str] = []
                workers = max(1, min(self.workers, len(todo)))
                with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                         initializer=_worker_init, initargs=initargs) as pool:
                    pending = {pool.submit(_worker_grade, task(s)): s for s in todo}
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
                with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"),
                                         initializer=_worker_init, initargs=initargs) as pool:
                    try:
                        yield student, pool.submit(_worker_grade, task(student)).result()
                    except BrokenProcessPool:
                        yield student, WorkerDied(
                            "the grading worker process died while grading this submission (it "
                            "was killed or ran out of memory), twice; the other submissions were "
                            "graded by new workers")
                    except Exception as exc:  # noqa: BLE001
                        yield student, exc
        finally:
            shutil.rmtree(base, ignore_errors=True)


class WorkerDied(Exception):
    """A grading worker process ended while grading one submission."""


def _host_datasets() -> Path:
    """The full dataset files: the folder the caller's ``Course.kernel_environment()`` block
    recorded (MLCHALLENGE_DATASETS is the kernels' view by then)."""
    from .kernel import datasets

    return datasets.host_datasets_dir()
