"""Grading around nbgrader: the kit's execute step, and one result per submission.

nbgrader stays the engine. The course's ``nbgrader_config.py`` lists
``GradingExecute`` (``mlchallenge.preprocessors``) in ``Autograde.autograde_preprocessors``, so plain
``nbgrader autograde`` and ``mlchallenge grade`` run the same pipeline.
``grade()`` calls nbgrader's API once per submission, so one broken
submission never stops the batch, and returns each submission's result as it was written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from mlchallenge.core.course import Course
from mlchallenge.core.errors import KitError
from mlchallenge.core.text_table import plain_name, printable
from mlchallenge.grading.context import factory_offer
from mlchallenge.grading.results import SubmissionResult, reason_from_log
from mlchallenge.grading.writer import prepare_gradebook
from mlchallenge.sandbox.offer import FactoryOffer
from mlchallenge.sandbox.settings import require_sandbox


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
        prepare_gradebook(db_url)
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
            f"{reason_from_log(outcome.get('log', '') + outcome.get('error', ''))}"
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
          sandbox: bool = True, regrade: bool = False, scheduler: str | None = None,
          offer: FactoryOffer | None = None) -> list[SubmissionResult]:
    """Autograde each submission of ``assignment`` with nbgrader, ``workers`` at a time (or on
    the Dask cluster whose scheduler is at ``scheduler``), and return a result per submission;
    a submission that fails is reported, never stops the batch. Submissions already graded with
    the same files (the journal in autograded/) are skipped unless ``regrade``. The first local
    worker takes the kernel factory ``offer`` (a command starts it before it loads nbgrader:
    ``factory_offer``), or one started here."""
    from mlchallenge.grading import runner, server

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
    if not scheduler:
        server.prepare_workers()  # their imports overlap with staging the run
    # the first worker's kernel factory, whose imports overlap with the workers' server's
    offered = contextlib.nullcontext(offer) if offer is not None else \
        factory_offer(course, sandbox=sandbox and not scheduler)
    with offered as offer:
        check_gradebook(course.db_url)
        _ensure_generated(course, assignment)
        unusable = {s: reason for s in chosen if (reason := unusable_student_id(s))}
        chosen = [s for s in chosen if s not in unusable]
        unreadable = {}
        for student in chosen:
            problem = unreadable_notebook(course.root / "submitted" / student / assignment)
            if problem:
                unreadable[student] = problem
        graded = runner.run(course, assignment, chosen, workers=workers, sandbox=sandbox,
                            regrade=regrade, progress=progress, unreadable=unreadable,
                            scheduler=scheduler, offer=offer) if chosen else {}
    results = [SubmissionResult(s, assignment, error=reason) for s, reason in unusable.items()]
    return results + [graded[s] for s in chosen]


def release(course: Course, assignments: list[str] | None = None) -> list[Path]:
    """Regenerate release/<assignment>/ from source/ with nbgrader; the written folders."""
    names = assignments or course.assignments()
    for name in names:
        course.require_assignment(name)
    written = []
    check_gradebook(course.db_url)  # a new one is made here, without nbgrader's alembic subprocess
    api = course.api()
    for name in names:
        outcome = api.generate_assignment(name, force=True, create=True)
        if not outcome["success"]:
            raise KitError(
                f"nbgrader could not generate {name!r}: "
                f"{reason_from_log(outcome.get('log', '') + outcome.get('error', ''))}; "
                f"fix source/{name}/ and run `mlchallenge release {name}` again"
            )
        written.append(course.root / "release" / name)
    return written

