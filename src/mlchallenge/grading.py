"""Grading around nbgrader: the kit's execute step, and one result per submission.

nbgrader stays the engine. The course's ``nbgrader_config.py`` lists
``GradingExecute`` in ``Autograde.autograde_preprocessors``, so plain
``nbgrader autograde`` and ``mlchallenge grade`` run the same pipeline.
``grade()`` calls nbgrader's API once per submission, so one broken
submission never stops the batch, and reads the scores back from the gradebook.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import Execute, OverwriteCells
from traitlets import Bool, Integer

from . import text_table
from .course import THREAD_VARIABLES, Course
from .errors import KitError
from .kernel.emit import EMIT_MIME
from .kernel.predictions import PREDICTIONS_MIME
from .sandbox import KernelSettings, Limits, SandboxKernelManager, pool_for, require_sandbox
from .text_table import plain_name, printable

# Imported in the grading kernel before any candidate code runs: the kernel side of the hidden
# tests (emit, and the model refit that emits predictions). Nothing there decides a grade: a
# candidate who rewrites it changes only what the kernel produces, and the grading process
# judges (mlchallenge.judging); the integrity gate flags code that tries.
KERNEL_PRELUDE = "import mlchallenge.kernel.emit, mlchallenge.kernel.predictions"

# What grading noticed about each notebook it ran (kernel death, time limit, truncated output),
# by notebook path; the runner reads it back to give every submission its reasons.
NOTES: dict[str, list[str]] = {}


RESULT_TYPES = (EMIT_MIME, PREDICTIONS_MIME)


def _is_result(content: dict) -> bool:
    """A display output holding what a hidden test emitted for the grading process."""
    data = content.get("data")
    return isinstance(data, dict) and any(kind in data for kind in RESULT_TYPES)


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class GradingExecute(Execute):
    """nbgrader's Execute, with the kernel sandboxed, limited and started ahead of time.

    - The kernel runs under bubblewrap (:mod:`mlchallenge.sandbox`); ``sandbox = False`` runs it
      unconfined, for trusted notebooks on machines without bubblewrap.
    - It talks to the grader over Unix sockets in a private folder (``transport="ipc"``), never
      over TCP ports that any local process could reach.
    - The kit's prelude is imported in each fresh kernel before any candidate code.
    - Limits: ``timeout`` per cell, ``notebook_timeout`` for the notebook, memory, processes and
      file size as rlimits, and ``max_output_kb`` of output kept per notebook.
    - A kernel that dies (``os._exit``, a segfault, out of memory) or a notebook that runs out of
      time ends with an error in that cell and "not run" errors in the cells after it, so the
      notebook is still graded: points only for what passed before.
    - Library warnings on stderr in a graded test cell do not cost its points (nbgrader zeroes a
      test cell with any stderr); an error still does.
    """

    sandbox = Bool(True, help="Run grading kernels in a bubblewrap sandbox.").tag(config=True)
    notebook_timeout = Integer(900, help="Seconds one notebook may run in all.").tag(config=True)
    memory_mb = Integer(4096, help="Address-space limit of the kernel, in MB.").tag(config=True)
    max_processes = Integer(64, help="Processes the kernel's user may run.").tag(config=True)
    max_output_kb = Integer(1024, help="Output kept per notebook, in kB.").tag(config=True)
    max_result_kb = Integer(65536, help="Results the hidden tests emit for the judges (and model "
                            "predictions), kept per notebook, in kB.").tag(config=True)
    max_file_mb = Integer(512, help="Largest file the kernel may write, in MB.").tag(config=True)
    max_tmp_mb = Integer(512, help="Size of each of the kernel's own /tmp, $HOME and /dev/shm "
                         "(tmpfs, held in memory), in MB.").tag(config=True)
    max_tmp_files = Integer(20000, help="Files each of the kernel's /tmp, $HOME and /dev/shm may "
                            "hold (kernels forked from a factory).").tag(config=True)
    fork_kernels = Bool(True, help="Fork sandboxed kernels from one process per grading worker "
                        "that imported the common libraries once (needs root; otherwise each "
                        "kernel is started on its own).").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)

    def settings(self) -> KernelSettings:
        limits = Limits(cell_seconds=self.timeout or 0, notebook_seconds=self.notebook_timeout,
                        memory_mb=self.memory_mb, processes=self.max_processes,
                        output_kb=self.max_output_kb, file_mb=self.max_file_mb,
                        tmp_mb=self.max_tmp_mb, tmp_files=self.max_tmp_files)
        from .kernel.datasets import VIEW_SHA256_VARIABLE

        threads = tuple((name, os.environ.get(name, "1")) for name in THREAD_VARIABLES)
        if os.environ.get(VIEW_SHA256_VARIABLE):  # lets the kernel check its datasets view
            threads += ((VIEW_SHA256_VARIABLE, os.environ[VIEW_SHA256_VARIABLE]),)
        return KernelSettings(sandbox=self.sandbox, limits=limits,
                              datasets=kernel_datasets(), threads=threads, fork=self.fork_kernels)

    def create_kernel_manager(self):
        if self.sandbox:
            require_sandbox()
        km = super().create_kernel_manager()
        km.pool = pool_for(self.settings())
        path = (self.resources or {}).get("metadata", {}).get("path")
        km.not_inside = [Path(path).resolve()] if path else []
        return km

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._stopped: str | None = None
        self._output_bytes = 0
        self._result_bytes = 0
        self._output_truncated = False
        self._notes: list[str] = []
        path = (resources or {}).get("metadata", {}).get("path") or ""
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            name = (resources or {}).get("unique_key") or "notebook"
            key = str(Path(path) / f"{name}.ipynb") if path else name
            NOTES[key] = list(self._notes)
            for note in self._notes:
                self.log.warning("%s: %s", printable(key), printable(note))

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        msg_id = kc.execute(KERNEL_PRELUDE, silent=True, store_history=False)
        reply = await self.async_wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            raise RuntimeError(
                "the grading kernel could not import mlchallenge.kernel; install the kit "
                "(`make demo` or `pip install -e .`) in the environment that grades"
            )
        return kc

    # nbconvert's preprocess() sets the kernel up and runs cells through synchronous wrappers,
    # which nbclient binds to its own coroutines at class creation: bind them to ours.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        remaining = int(self._deadline - time.monotonic()) + 1
        return max(1, min(timeout, remaining) if timeout else remaining)

    def _not_run(self, cell) -> None:
        if cell.cell_type == "code" and cell.source.strip():
            cell.outputs = [_error_output("NotRun", f"this cell did not run: {self._stopped}")]

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if self._stopped:
            self._not_run(cell)
            return cell
        if time.monotonic() >= self._deadline:
            self._stopped = f"the notebook ran out of time (limit {self.notebook_timeout} s)"
            self._notes.append(f"{self._stopped}; stopped before cell {cell_index + 1}")
            self._not_run(cell)
            return cell
        self._executing_cell_index = cell_index
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except CellTimeoutError:
            # the cell ran past its limit and the interrupt did not stop it: stop the kernel
            await ensure_async(self.km.shutdown_kernel(now=True))
            self._stopped = (f"cell {cell_index + 1} ran past its time limit and could not be "
                             "interrupted, so its kernel was stopped")
            self._notes.append(self._stopped)
            cell.outputs = list(cell.get("outputs", [])) + [
                _error_output("CellTimeoutError", self._stopped)]
            return cell
        except DeadKernelError:
            reason = self.km.exit_reason() if hasattr(self.km, "exit_reason") else "the kernel died"
            self._stopped = f"{reason} in cell {cell_index + 1}"
            self._notes.append(self._stopped)
            cell.outputs = list(cell.get("outputs", [])) + [_error_output("DeadKernelError", reason)]
            return cell
        if time.monotonic() >= self._deadline and any(
            o.get("ename") == "CellTimeoutError" for o in cell.outputs
        ):
            self._stopped = f"the notebook ran out of time (limit {self.notebook_timeout} s)"
            self._notes.append(f"{self._stopped} in cell {cell_index + 1}")
        return cell

    execute_cell = run_sync(async_execute_cell)

    def _over_output_budget(self, size: int, cell_index: int, outs=None) -> bool:
        """Count ``size`` bytes against max_output_kb; True (and a note, once) when over."""
        if self._output_bytes + size <= self.max_output_kb * 1024:
            self._output_bytes += size
            return False
        if not self._output_truncated:
            self._output_truncated = True
            self._notes.append(f"output over {self.max_output_kb} kB was dropped "
                               f"(from cell {cell_index + 1})")
            if outs is not None:
                outs.append(NotebookNode(
                    output_type="stream", name="stdout",
                    text=f"[output truncated: over {self.max_output_kb} kB]\n"))
        return True

    def _update_display_id(self, display_id, msg):
        """An update of a display id rewrites every output that carries it: its size counts
        once per output it rewrites (updates are output too, and could otherwise grow the
        notebook past max_output_kb without limit). Results the hidden tests emit never carry
        a display id the grader keeps."""
        if _is_result(msg.get("content", {})):
            return None
        targets = sum(len(indices) for indices in self._display_id_map.get(display_id, {}).values())
        if targets:
            size = len(json.dumps(msg.get("content", {}), default=str)) * targets
            if self._over_output_budget(size, self._current_cell_index()):
                return None
        return super()._update_display_id(display_id, msg)

    def _current_cell_index(self) -> int:
        return int(getattr(self, "_executing_cell_index", 0) or 0)

    def handle_comm_msg(self, outs, msg, cell_index):
        """Grading opens no comm and keeps no widget state: a notebook's widgets (or comm
        messages made to look like them) cannot grow the graded notebook or the grader's memory."""
        return None

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(json.dumps(content, default=str))
        if _is_result(content):
            # what a hidden test emitted for the judge has its own budget, so a notebook's own
            # output cannot crowd it out (nor can it pass for it: the judge refuses stray results)
            if self._result_bytes + size > self.max_result_kb * 1024:
                self._notes.append(f"a hidden test's result was dropped: over {self.max_result_kb} kB "
                                   f"of results (cell {cell_index + 1})")
                return None
            self._result_bytes += size
            return super().output(outs, msg, display_id, cell_index)
        if self._over_output_budget(size, cell_index, outs):
            return None
        return super().output(outs, msg, display_id, cell_index)

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell = kwargs["cell"]
        grade = cell.metadata.get("nbgrader", {})
        if not (grade.get("grade") and not grade.get("solution")):
            return
        # a warning a library printed is not a failure; an error (output or reply) still is
        for output in cell.outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
                output["text"] = "".join(f"[stderr] {line}" for line in
                                         output.get("text", "").splitlines(keepends=True))


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, with deleted test cells put back in place even when the cell
    before them in the source is a read-only one, and re-labelled or duplicated test cells
    tolerated (nbgrader 0.9.6 fails with a KeyError in both cases, and the whole submission
    goes ungraded)."""

    def preprocess(self, nb, resources):
        # a pasted second copy of a cell is dropped: the first one is the candidate's
        seen: set[str] = set()
        kept = []
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id is not None and grade_id in seen:
                self.log.warning("Dropping a second copy of cell %s", printable(grade_id))
                continue
            if grade_id is not None:
                seen.add(grade_id)
            kept.append(cell)
        nb.cells = kept
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        # nbgrader removes the grade id of a cell the gradebook does not know but keeps the rest
        # of its nbgrader metadata, which then fails validation: make it a plain cell (the real
        # test cell is put back by add_missing_cells)
        meta = cell.metadata.get("nbgrader")
        if meta is not None and "grade_id" not in meta:
            del cell.metadata["nbgrader"]
        return cell, resources

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_id in source_ids:
            present = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
            if grade_id not in grade_cells or grade_id in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", printable(grade_id))
            position = source_ids.index(grade_id)
            cell = self.missing_cell_transform(
                source_nb.source_cells[position], grade_cells[grade_id].max_score,
                is_solution=grade_id in solution_ids)
            insert_at = 0
            for earlier in reversed(source_ids[:position]):
                if earlier in present:
                    insert_at = present.index(earlier) + 1
                    break
            nb.cells.insert(insert_at, cell)
        return nb, resources

    def add_missing_task_cells(self, nb, resources):
        # nbgrader drops the grade id of a cell it does not know (a re-labelled or pasted test
        # cell) but keeps its nbgrader metadata, then reads that id here: a KeyError, and the
        # submission went ungraded
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        for task in source_nb.task_cells:
            if task.name not in present:
                nb.cells.append(self.missing_cell_transform(
                    source_nb.source_cells[source_ids.index(task.name)], task.max_score,
                    is_task=True))
        return nb, resources


def kernel_datasets() -> str | None:
    """The folder grading kernels get as MLCHALLENGE_DATASETS: the caller's choice, else a view
    without the hidden test labels when the kit can make one, else the course's datasets/."""
    chosen = os.environ.get("MLCHALLENGE_DATASETS")
    if chosen:
        return str(Path(chosen).resolve())
    return _default_kernel_datasets()


@lru_cache(maxsize=1)
def _default_kernel_datasets() -> str | None:
    from .kernel import datasets

    writer = getattr(datasets, "write_kernel_view", None)
    if writer is not None:
        folder = Path(tempfile.mkdtemp(prefix="mlchallenge-data-"))
        atexit.register(shutil.rmtree, folder, True)
        return str(Path(writer(folder)).resolve())
    folder = datasets.datasets_dir()
    return str(folder.resolve()) if folder.is_dir() else None


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
    notes: list[str] = field(default_factory=list)  # what grading noticed: kernel death, limits

    @property
    def graded(self) -> bool:
        return self.error is None


def _reason_from_log(log: str) -> str:
    """The most telling line of nbgrader's captured log for a failed autograde."""
    generic = ("There was an error processing", "Please see the", "Traceback")
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"^[\w.]+(Error|Exception): \S", line)
              and not any(g in line for g in generic)]
    if raised:
        return raised[-1][:300]
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


def check_gradebook(db_url: str) -> None:
    """Open the gradebook once (nbgrader creates its tables in an empty database), or say in one
    line why it cannot be opened."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    try:
        shown = make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        raise KitError(f"{db_url!r} is not a database URL (e.g. sqlite:///gradebook.db or "
                       "postgresql://USER@HOST:PORT/DB)") from None
    try:
        with Gradebook(db_url):
            pass
    except ModuleNotFoundError as exc:
        raise KitError(f"cannot open the gradebook at {shown}: no driver ({exc})") from None
    except SQLAlchemyError as exc:
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        raise KitError(f"cannot open the gradebook at {shown}: {detail}") from None


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


def unusable_student_id(name: str) -> str | None:
    """Why a folder under submitted/ cannot name a candidate in the gradebook (bytes that are
    not UTF-8, control characters), or None."""
    if not plain_name(name):
        return (f"the folder name submitted/{printable(name)}/ holds bytes that are not "
                "UTF-8 or control characters, so it cannot name a candidate: rename the folder "
                "(letters, digits, '.', '_', '-') and grade again")
    return None


def unreadable_notebook(folder: Path) -> str | None:
    """Why a submission folder's notebooks cannot be read, or None if they all can."""
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        return f"no notebook (.ipynb) in {folder.parent.name}/{folder.name}/"
    for path in notebooks:
        try:
            nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is a reason, not a crash
            detail = " ".join(str(exc).split()) or type(exc).__name__
            return f"{path.name} is not a valid notebook ({detail[:120]})"
    return None


def grade(course: Course, assignment: str, students: list[str] | None = None,
          progress: Callable[[str], None] | None = None, *, workers: int = 1,
          sandbox: bool = True, regrade: bool = False,
          scheduler: str | None = None) -> list[SubmissionResult]:
    """Autograde each submission of ``assignment`` with nbgrader, ``workers`` at a time (or on
    the Dask cluster whose scheduler is at ``scheduler``), and return a result per submission;
    a submission that fails is reported, never stops the batch. Submissions already graded with
    the same files (the journal in autograded/) are skipped unless ``regrade``."""
    from . import runner

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
    if sandbox and not scheduler:
        require_sandbox()  # on a cluster, each worker is checked before it gets a task
    check_gradebook(course.db_url)
    _ensure_generated(course, assignment)
    unusable = {s: reason for s in chosen if (reason := unusable_student_id(s))}
    chosen = [s for s in chosen if s not in unusable]
    unreadable = {}
    for student in chosen:
        problem = unreadable_notebook(course.root / "submitted" / student / assignment)
        if problem:
            unreadable[student] = problem
    notes, failures = {}, {}
    if chosen:
        with course.kernel_environment():
            notes, failures = runner.run(course, assignment, chosen, workers=workers, sandbox=sandbox,
                                         regrade=regrade, progress=progress, unreadable=unreadable,
                                         scheduler=scheduler)
    results: list[SubmissionResult] = [SubmissionResult(s, assignment, error=reason)
                                       for s, reason in unusable.items()]
    with Gradebook(course.db_url) as gradebook:
        for student in chosen:
            try:
                result = _read_result(gradebook, assignment, student)
            except MissingEntry:
                result = SubmissionResult(student, assignment,
                                          error="nbgrader finished but recorded no grade")
            if student in failures:
                result.error = failures[student]
            result.notes = notes.get(student, [])
            results.append(result)
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
            status = "graded" + (f" ({'; '.join(r.notes)})" if r.notes else "")
            rows.append((r.assignment, r.student, f"{r.auto_score:g}", f"{r.max_auto_score:g}",
                         manual, status))
        else:
            rows.append((r.assignment, r.student, "-", "-", "-", f"NOT GRADED: {r.error}"))
    return text_table.render(header, rows)

