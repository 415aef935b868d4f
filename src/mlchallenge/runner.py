"""`mlchallenge grade`: nbgrader's autograde, run for several submissions at once.

- Each worker process runs nbgrader's own ``autograde`` for one submission at a time, against a
  private copy of the gradebook, so workers never write to the course's gradebook.
- The parent process is the gradebook's only writer: it copies each finished submission's grades
  from the worker's copy into the course's gradebook through nbgrader's Gradebook API, then
  records the submission (with a hash of its files) in a journal. A run that is killed and
  started again skips what the journal and the gradebook both hold, and grades the rest; a
  submission whose files changed since is graded again.
- Submissions are read, never written: nbgrader copies them to autograded/ and grades the copy.
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
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from .course import Course
from .errors import KitError

JOURNAL_DIR = ".mlchallenge"


def submission_digest(folder: Path) -> str:
    """sha256 over a submission folder's file names and contents."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():  # never followed: see _stage
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + os.readlink(path).encode())
            continue
        if not path.is_file():
            continue
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
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


# ---- worker side -------------------------------------------------------------------------

_WORKER: dict = {}


def _worker_init(course_root: str, base_db: str, sandbox: bool, expected: list[str],
                 host_datasets: str) -> None:
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
    from . import datasets

    block = datasets.host_datasets(Path(host_datasets))
    block.__enter__()
    _WORKER["host_datasets"] = block  # kept: a collected block would leave on its own
    course.config.CourseDirectory.db_url = f"sqlite:///{private / 'gradebook.db'}"
    course.config.GradingExecute.sandbox = sandbox
    # nbgrader reads each submission from a staged copy (an absolute submitted_directory wins
    # over the course root), so the submission itself is only ever read, once, by the copy
    course.config.CourseDirectory.submitted_directory = str(private / "submitted")
    _WORKER.update(course=course, private=private, expected=set(expected))


def _worker_grade(assignment: str, student: str) -> tuple[WorkerOutcome, str]:
    from . import grading

    course: Course = _WORKER["course"]
    started = time.perf_counter()
    renamed = _stage(course.root / "submitted" / student / assignment,
                     _WORKER["private"] / "submitted" / student / assignment, _WORKER["expected"])
    grading.NOTES.clear()
    outcome = course.api().autograde(assignment, student, force=True, create=True)
    folder = str(course.root / "autograded" / student / assignment)
    notes = renamed + [f"{Path(key).name}: {note}" for key, items in grading.NOTES.items()
                       if key.startswith(folder) for note in items]
    reason = None
    if not outcome["success"]:
        reason = grading._reason_from_log(outcome.get("log", "") + "\n" + outcome.get("error", ""))
    return (WorkerOutcome(student, bool(outcome["success"]), reason, notes,
                          time.perf_counter() - started),
            course.db_url)


def _stage(submitted: Path, stage: Path, expected: set[str]) -> list[str]:
    """Copy a submission for nbgrader to read; a lone notebook under another name than the
    assignment's lone missing one is graded as that one. Returns what was noticed."""
    if stage.exists():
        shutil.rmtree(stage)
    links: list[str] = []

    def skip_links(folder: str, names: list[str]) -> list[str]:
        found = [n for n in names if os.path.islink(os.path.join(folder, n))]
        links.extend(found)
        return found

    # a symbolic link is never followed: it could point at the gradebook or another candidate
    shutil.copytree(submitted, stage, ignore=skip_links)
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

def copy_grades(source_url: str, target_url: str, assignment: str, student: str) -> None:
    """Write one submission's autograde results from a worker's gradebook into the course's,
    through nbgrader's Gradebook API (manual grades already in the course's are kept)."""
    with Gradebook(source_url) as source, Gradebook(target_url) as target:
        submitted = source.find_submission(assignment, student)
        target.update_or_create_student(student)
        if submitted.timestamp:
            mine = target.update_or_create_submission(assignment, student,
                                                      timestamp=submitted.timestamp)
        else:
            mine = target.update_or_create_submission(assignment, student)
        for notebook in submitted.notebooks:
            into = target.find_submission_notebook(notebook.name, assignment, student)
            into.flagged = notebook.flagged
            for grade in notebook.grades:
                ours = target.find_grade(grade.name, notebook.name, assignment, student)
                ours.auto_score = grade.auto_score
                ours.needs_manual_grade = grade.needs_manual_grade
            for comment in notebook.comments:
                ours = target.find_comment(comment.name, notebook.name, assignment, student)
                ours.auto_comment = comment.auto_comment
            into.late_submission_penalty = notebook.late_submission_penalty
        del mine
        target.db.commit()


def record_unreadable(target_url: str, assignment: str, student: str) -> None:
    """A submission nbgrader could not grade still appears in the gradebook, with no points."""
    with Gradebook(target_url) as target:
        target.update_or_create_student(student)
        submission = target.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0 if grade.cell.cell_type == "code" or grade.auto_score else None
        target.db.commit()


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
        text = (f"[{bar}] {self.done}/{self.total} {line} | elapsed {elapsed:.0f} s, "
                f"ETA {eta:.0f} s")
        if self.report is not None:
            self.report(text)
        else:
            end = "\n" if self.done == self.total or not self.tty else ""
            print(("\r\x1b[2K" if self.tty else "") + text, end=end, file=sys.stderr, flush=True)


def run(course: Course, assignment: str, students: list[str], *, workers: int, sandbox: bool,
        regrade: bool = False, progress: Callable[[str], None] | None = None,
        unreadable: dict[str, str] | None = None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Grade ``students``' submissions of ``assignment``; returns (notes, failures) by student.
    ``unreadable`` names submissions that are recorded with no points and not run."""
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
    for student in [s for s in todo if s in unreadable]:
        record_unreadable(course.db_url, assignment, student)
        failures[student] = unreadable[student]
        notes[student] = []
        journal.record(student, digests[student], notes[student], failures[student])
        bar.step(f"{student}: NOT GRADED ({unreadable[student]})")
    todo = [s for s in todo if s not in unreadable]
    if not todo:
        return notes, failures

    base = Path(tempfile.mkdtemp(prefix="mlc-grade-"))
    try:
        shutil.copy2(course.root / "gradebook.db", base / "gradebook.db") \
            if course.db_url == f"sqlite:///{course.root / 'gradebook.db'}" else \
            _copy_database(course.db_url, base / "gradebook.db")
        workers = max(1, min(workers, len(todo)))
        with Gradebook(course.db_url) as gradebook:
            expected = [nb.name for nb in gradebook.find_assignment(assignment).notebooks]
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                 initializer=_worker_init,
                                 initargs=(str(course.root), str(base / "gradebook.db"),
                                           sandbox, expected,
                                           str(_host_datasets()))) as pool:
            pending = {pool.submit(_worker_grade, assignment, s): s for s in todo}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    student = pending.pop(future)
                    try:
                        outcome, worker_db = future.result()
                    except Exception as exc:  # noqa: BLE001 - a worker that died is a reason
                        outcome, worker_db = WorkerOutcome(
                            student, False, f"the grading worker failed: {exc}", [], 0.0), None
                    if outcome.success and worker_db:
                        copy_grades(worker_db, course.db_url, assignment, student)
                        status = "graded"
                    else:
                        record_unreadable(course.db_url, assignment, student)
                        failures[student] = outcome.reason or "not graded"
                        status = f"NOT GRADED ({failures[student]})"
                    notes[student] = outcome.notes
                    journal.record(student, digests[student], notes[student], failures.get(student))
                    bar.step(f"{student}: {status} ({outcome.seconds:.1f} s)")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return notes, failures


def _host_datasets() -> Path:
    """The full dataset files: the folder the caller's ``Course.kernel_environment()`` block
    recorded (MLCHALLENGE_DATASETS is the kernels' view by then)."""
    from . import datasets

    return datasets.host_datasets_dir()


def _copy_database(db_url: str, target: Path) -> None:
    raise KitError(f"parallel grading needs a SQLite gradebook file; {db_url} is not one")
