"""`mlchallenge grade --scheduler tcp://HOST:PORT`: the grading tasks on a Dask cluster.

Each task is :func:`mlchallenge.grading.worker.grade_submission`, the per-submission function local
workers run, on a Dask worker: nbgrader's autograde with the kit's sandboxed, limited kernels,
in a scratch course of the worker's own with a private SQLite gradebook. Nothing is shared
through the file system:

- once per run, a :class:`CourseBundle` (the course's nbgrader config, the assignment's
  ``source/`` folder, the assignment's cells in a SQLite gradebook, the dataset files the
  scoring step reads) is broadcast to every worker;
- each task carries one submission's files; it returns the autograded folder and the grades.

The ``mlchallenge grade`` process stays the gradebook's only writer (SQLite or PostgreSQL) and
keeps the resume journal. A worker that dies mid-task is noticed by the scheduler, which gives
its tasks to another worker (up to ``distributed.scheduler.allowed-failures`` times per task,
3 by default); a task that raises is retried once.

Workers need the kit installed (the same version) and bubblewrap, and should run one task at
a time per process (``dask worker --nthreads 1 --nworkers N``): a process grades one
submission at a time, whatever its thread count.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mlchallenge.core.course import CONFIG_FILE, Course, quiet_gradebook_warnings
from mlchallenge.core.errors import KitError
from mlchallenge.core.files import remove_tree
from mlchallenge.grading.context import GradingContext, local_context
from mlchallenge.grading.worker import (
    Files,
    GradingTask,
    TaskResult,
    WorkerContext,
    grade_submission,
    read_submission,
    worker_context,
    write_files,
)
from mlchallenge.grading.writer import cell_order, copy_assignment

CONNECT_SECONDS = 10
WORKERS_SECONDS = 60


@dataclass
class CourseBundle:
    """What a remote worker needs to grade one assignment of this course: the run's
    ``GradingContext`` with the files its paths name on the grading machine; the worker writes
    them into a folder of its own and makes the context again around that folder."""

    key: str
    assignment: str
    course_id: str
    config: str  # nbgrader_config.py
    source: Files  # source/<assignment>/
    datasets: Files  # the full dataset files the scoring step reads
    gradebook: bytes  # a SQLite gradebook holding the assignment's cells, no grades
    sandbox: bool
    expected: list[str] = field(default_factory=list)


def make_bundle(course: Course, context: GradingContext) -> CourseBundle:
    assignment = context.assignment
    source, _ = read_submission(course.root / "source" / assignment)
    datasets, _ = read_submission(Path(context.datasets))
    with tempfile.TemporaryDirectory(prefix="mlc-bundle-") as scratch:
        db = Path(scratch) / "gradebook.db"
        copy_assignment(course.db_url, f"sqlite:///{db}", assignment, course.coursedir.course_id,
                        cell_order(course, assignment))
        gradebook = db.read_bytes()
    return CourseBundle(key=uuid.uuid4().hex, assignment=assignment,
                        course_id=course.coursedir.course_id,
                        config=(course.root / CONFIG_FILE).read_text(encoding="utf-8"),
                        source=source, datasets=datasets, gradebook=gradebook,
                        sandbox=context.sandbox, expected=list(context.expected))


# ---- worker side -------------------------------------------------------------------------

_LOCK = threading.Lock()
_CONTEXTS: dict[str, tuple[WorkerContext, Path]] = {}


def grade_on_worker(bundle: CourseBundle, task: GradingTask) -> TaskResult:
    """The Dask task: one submission, graded by the same function local workers run."""
    # one submission at a time per process, whatever its thread count: nbgrader's autograde
    # of one submission is not made to run beside another in the same process
    with _LOCK:
        return grade_submission(_context_for(bundle), task)


def worker_problem(sandbox: bool) -> str | None:
    """Run on each worker before grading: why it cannot grade, or None."""
    from mlchallenge.sandbox.settings import sandbox_problem

    return sandbox_problem() if sandbox else None


def _local_directory() -> str | None:
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def _context_for(bundle: CourseBundle) -> WorkerContext:
    known = _CONTEXTS.get(bundle.key)
    if known is not None:
        return known[0]
    for key in list(_CONTEXTS):  # an earlier run's course: its files and kernels go
        _close(key)
    quiet_gradebook_warnings()
    root = Path(tempfile.mkdtemp(prefix="mlc-dask-", dir=_local_directory()))
    course_dir = root / "course"
    (course_dir / "source" / bundle.assignment).mkdir(parents=True)
    (course_dir / CONFIG_FILE).write_text(bundle.config, encoding="utf-8")
    write_files(bundle.source, course_dir / "source" / bundle.assignment)
    (course_dir / "datasets").mkdir()
    write_files(bundle.datasets, course_dir / "datasets")
    private = root / "private"
    private.mkdir()
    (private / "gradebook.db").write_bytes(bundle.gradebook)
    # the run's context around this worker's folder: the kernels' view of the datasets (no
    # hidden-test labels; kept between runs when sandboxed), the scoring step's full files, the
    # kernels' folders
    context = local_context(Course(course_dir), bundle.assignment, root, sandbox=bundle.sandbox,
                            expected=bundle.expected)
    worker = worker_context(context, private, return_files=True, course_id=bundle.course_id)
    _CONTEXTS[bundle.key] = (worker, root)
    return worker


def _close(key: str) -> None:
    from mlchallenge.sandbox.launch import close_pools

    _, root = _CONTEXTS.pop(key)
    close_pools()
    remove_tree(root)


# ---- client side -------------------------------------------------------------------------

class DaskBackend:
    """Grading tasks on a Dask distributed cluster; results stream back to the one writer."""

    def __init__(self, address: str) -> None:
        self.address = address

    def _connect(self):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - a dependency of the kit
            raise KitError(f"--scheduler needs the `distributed` package: {exc}") from None
        try:
            return Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise KitError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None

    def grade(self, course: Course, context: GradingContext,
              students: list[str]) -> Iterator[tuple[str, TaskResult | BaseException]]:
        from distributed import as_completed

        assignment, sandbox = context.assignment, context.sandbox

        client = self._connect()
        try:
            try:
                client.wait_for_workers(1, timeout=WORKERS_SECONDS)
            except TimeoutError:
                raise KitError(f"no Dask worker joined the scheduler at {self.address} within "
                               f"{WORKERS_SECONDS} s; start some with `dask worker "
                               f"{self.address} --nthreads 1`") from None
            problems = {address: problem for address, problem in
                        client.run(worker_problem, sandbox).items() if problem}
            if problems:
                address, problem = sorted(problems.items())[0]
                raise KitError(f"Dask worker {address} cannot grade: {problem}")
            bundle = make_bundle(course, context)
            [shared] = client.scatter([bundle], broadcast=True, hash=False)
            queue = list(students)
            running: dict[str, str] = {}  # future key -> student
            tag = bundle.key[:8]

            def submit(student: str):
                files, links = read_submission(course.root / "submitted" / student / assignment)
                future = client.submit(grade_on_worker, shared,
                                       GradingTask(assignment, student, files=files, links=links),
                                       key=f"grade-{assignment}-{student}-{tag}", retries=1,
                                       pure=False)
                running[future.key] = student
                return future

            # a bounded window of tasks in flight: each carries its submission's files, and the
            # scheduler holds them until a worker takes the task
            window = max(4, 2 * sum(client.nthreads().values()))
            futures = as_completed([submit(queue.pop(0)) for _ in range(min(window, len(queue)))],
                                   loop=client.loop)
            for future in futures:
                student = running.pop(future.key)
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: a reason
                    result = exc
                future.release()
                yield student, result
                window = max(4, 2 * sum(client.nthreads().values()))
                while queue and len(running) < window:
                    futures.add(submit(queue.pop(0)))
        finally:
            client.close()
