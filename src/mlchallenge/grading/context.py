"""One grading context per run: everything a grading worker needs to know, built once by the
grading process and handed as it is to every worker, local or on Dask.

A worker turns the context into its course's nbgrader configuration (:func:`configure`), the way
nbgrader's own plug-ins take their settings: the kernels' view of the datasets and its checksum
(``GradingExecute``), the full dataset files the scoring step reads (``ScoreHiddenPredictions``),
the folder its kernels' sandboxes and its private gradebook go in. No setting travels through
the environment, a module's globals or ``tempfile.tempdir``.

Before any of that, a local run starts the first worker's kernel factory (:func:`factory_offer`),
so that its imports run beside the workers' server's; the context names where to take it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mlchallenge.core import dataset_specs as specs
from mlchallenge.core.course import Course
from mlchallenge.core.files import remove_tree
from mlchallenge.sandbox.dataset_view import kernel_view
from mlchallenge.sandbox.environment import datasets_source
from mlchallenge.sandbox.factory import can_fork_kernels
from mlchallenge.sandbox.offer import FactoryOffer
from mlchallenge.sandbox.options import configured_settings
from mlchallenge.sandbox.settings import sandbox_problem

SCRATCH_PREFIX = "mlc-grade-"  # then the grading process's id: mlc-grade-<pid>-<random>


@dataclass(frozen=True)
class GradingContext:
    """What every worker of one run shares (picklable; paths are absolute)."""

    course_root: str
    assignment: str
    sandbox: bool
    expected: tuple[str, ...]  # the assignment's notebooks, by name
    datasets: str  # the full dataset files the scoring step reads labels from
    kernel_view: str  # the kernels' view of them: no hidden-test labels
    view_sha256: str  # lets a kernel check its view was not changed
    scratch: str  # the run's folder: each worker's gradebook and kernels go under it
    factory_offer: str | None = None  # a kernel factory for the first worker that takes it


@contextlib.contextmanager
def grading_context(course: Course, assignment: str, *, sandbox: bool,
                    expected: list[str] | tuple[str, ...],
                    offer: FactoryOffer | None = None) -> Iterator[GradingContext]:
    """The run's context: its scratch folder and the kernels' view of the datasets (written
    from ``datasets_source(course)``), removed when the block ends. What a grading process
    killed before it could remove its own left behind is removed here. With ``offer``, the
    first worker takes that kernel factory."""
    _remove_stale()
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        context = local_context(course, assignment, scratch, sandbox=sandbox, expected=expected)
        if offer is not None:
            context = dataclasses.replace(context, factory_offer=str(offer.address))
        yield context
    finally:
        remove_tree(scratch)


def _remove_stale() -> None:
    """Scratch folders of grading processes that are gone (killed before they could remove
    them): named after their process, which must no longer run."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            remove_tree(folder)
        except OSError:  # alive under another user, or unreadable: not ours to remove
            continue


def local_context(course: Course, assignment: str, scratch: Path, *, sandbox: bool,
                  expected: list[str] | tuple[str, ...]) -> GradingContext:
    """A context for a run whose folder is ``scratch`` (the caller removes it). A sandboxed run
    takes the kernel view kept from an earlier run of the same datasets, or keeps the one it
    writes (:mod:`mlchallenge.sandbox.dataset_view`); another writes its view into ``scratch``."""
    source = datasets_source(course).resolve()
    view = kernel_view(source, scratch, keep=sandbox)
    return GradingContext(course_root=str(course.root.resolve()), assignment=assignment,
                          sandbox=sandbox, expected=tuple(expected), datasets=str(source),
                          kernel_view=str(view), view_sha256=specs.view_sha256(view),
                          scratch=str(scratch.resolve()))


def configure(course: Course, context: GradingContext, private: Path) -> None:
    """Point ``course``'s nbgrader configuration at a worker's own folder ``private`` (its
    gradebook copy there, its staged submissions, its kernels' folders) and at the context's
    datasets."""
    config = course.config
    config.CourseDirectory.db_url = f"sqlite:///{private / 'gradebook.db'}"
    # nbgrader reads each submission from a staged copy (an absolute submitted_directory wins
    # over the course root), so the submission itself is only ever read, once, by the copy
    config.CourseDirectory.submitted_directory = str(private / "submitted")
    config.GradingExecute.sandbox = context.sandbox
    config.GradingExecute.kernel_datasets = context.kernel_view
    config.GradingExecute.kernel_datasets_sha256 = context.view_sha256
    config.GradingExecute.scratch_dir = str(private)
    config.ScoreHiddenPredictions.datasets_dir = context.datasets


@contextlib.contextmanager
def factory_offer(course: Course, *, sandbox: bool) -> Iterator[FactoryOffer | None]:
    """A kernel factory for the run's first local worker, started now, before the workers
    exist, so its imports run beside theirs (:mod:`mlchallenge.sandbox.offer`); ended and
    removed when the block ends. None where kernels are not forked from a factory, or the
    course's kernel settings cannot be read before nbgrader is loaded: the workers then start
    their own, as they do anyway when the settings differ from the ones they make."""
    if not sandbox or sandbox_problem():
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    offer = None
    try:
        source = datasets_source(course).resolve()
        view = kernel_view(source, folder, keep=True)
        settings = configured_settings(course.config, sandbox=True, kernel_datasets=str(view),
                                       kernel_datasets_sha256=specs.view_sha256(view),
                                       scratch_dir=str(folder))
        if settings is not None and can_fork_kernels(settings):
            offer = FactoryOffer(settings, [course.root.resolve()], folder)
    except Exception:  # noqa: BLE001 - the workers start their own, and say why if they cannot
        offer = None
    try:
        yield offer
    finally:
        if offer is not None:
            offer.close()
        remove_tree(folder)
