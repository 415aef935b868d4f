"""The writer side: the course's gradebook, written by one process only (SQLite or PostgreSQL
through nbgrader's Gradebook API).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import nbgrader
from nbgrader.api import Base, Grade, Gradebook

from mlchallenge.core import cells as nbcells
from mlchallenge.core.course import Course
from mlchallenge.grading.results import (
    AssignmentCells,
    SubmissionResult,
    assignment_cells,
    result_of,
)
from mlchallenge.grading.worker import SubmissionGrades


@functools.cache
def alembic_head() -> str | None:
    """The head revision of nbgrader's gradebook schema, read from its own migration files
    (``revision`` and ``down_revision`` in nbgrader/alembic/versions/): the revision no other
    one revises. None when the files do not name exactly one."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (Path(nbgrader.__file__).parent / "alembic" / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and \
                    len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name, value = node.targets[0].id, node.value.value
                if name == "revision" and isinstance(value, str):
                    revisions.add(value)
                elif name == "down_revision" and isinstance(value, str):
                    revised.add(value)
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def prepare_gradebook(db_url: str) -> None:
    """Create an empty database's gradebook tables as nbgrader's Gradebook does on first use,
    stamped with the schema's head revision, but without the ``alembic heads`` subprocess it
    runs to learn that revision (a Python start and alembic's imports: 2-3 s of CPU for every
    new gradebook: each release of a new course, each grading worker's private copy). A
    database that has tables is left to nbgrader; so is everything when the head is unknown."""
    from sqlalchemy import create_engine, inspect, text

    head = alembic_head()
    if head is None:
        return
    engine = create_engine(db_url, future=True)
    try:
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
                               {"head": head})
    finally:
        engine.dispose()


class GradebookWriter:
    """The one writer: results go into the course's gradebook (SQLite or PostgreSQL, nbgrader's
    ``db_url``) through nbgrader's Gradebook API, one connection for the whole run. Each write
    hands back the submission's result as it now stands in the gradebook (manual grades a person
    gave earlier included), summed from the rows it wrote: the gradebook is never read back for
    the results. ``cells`` is the assignment's graded cells, read once for the run."""

    def __init__(self, db_url: str, course_id: str = "default_course",
                 cells: dict[str, AssignmentCells] | None = None) -> None:
        self.gradebook = Gradebook(db_url, course_id=course_id)
        self.cells = cells or {}

    def _cells(self, assignment: str) -> AssignmentCells:
        if assignment not in self.cells:
            self.cells[assignment] = assignment_cells(self.gradebook, assignment)
        return self.cells[assignment]

    def __enter__(self) -> GradebookWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.gradebook.close()

    def write(self, assignment: str, student: str, grades: SubmissionGrades) -> SubmissionResult:
        """One submission's autograde results (manual grades already recorded are kept)."""
        target = self.gradebook
        cells = self._cells(assignment)
        rows: list[tuple[str, Grade]] = []
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
                    # as nbgrader's autograde does: a grade a person gave is to be looked at
                    # again (the worker's scratch gradebook holds no manual grades)
                    ours[name].needs_manual_grade = needs_manual or \
                        ours[name].manual_score is not None
                rows += [(notebook.name, grade) for grade in ours.values()]
                theirs = {comment.name: comment for comment in into.comments}
                for name, comment in notebook.comments.items():
                    theirs[name].auto_comment = comment
                into.late_submission_penalty = notebook.late_submission_penalty
            result = result_of(student, assignment, rows, cells)  # before the commit expires them
            target.db.commit()
        except BaseException:
            target.db.rollback()
            raise
        return result

    def unreadable(self, assignment: str, student: str) -> SubmissionResult:
        """A submission nbgrader could not grade still appears in the gradebook, with no points."""
        target = self.gradebook
        cells = self._cells(assignment)
        rows: list[tuple[str, Grade]] = []
        try:
            target.update_or_create_student(student)
            submission = target.update_or_create_submission(assignment, student)
            for notebook in submission.notebooks:
                code = {name for name, info in cells.get(notebook.name, {}).items() if info.code}
                for grade in notebook.grades:
                    grade.auto_score = 0 if grade.name in code or grade.auto_score else None
                rows += [(notebook.name, grade) for grade in notebook.grades]
            result = result_of(student, assignment, rows, cells)
            target.db.commit()
        except BaseException:
            target.db.rollback()
            raise
        return result


def copy_assignment(source_url: str, target_url: str, assignment: str, course_id: str,
                    order: dict[str, list[str]] | None = None) -> None:
    """Copy an assignment's structure (notebooks, cells, points, sources, due date) from the
    course's gradebook into a fresh one, through nbgrader's Gradebook API: what autograde
    needs, without any candidate's grades. ``order`` gives each notebook's cells in notebook
    order (nbgrader puts deleted test cells back by that order; a server database returns
    rows in no particular order)."""
    order = order or {}
    prepare_gradebook(target_url)
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
        order[path.stem] = [gid for c in notebook.cells if (gid := nbcells.grade_id(c))]
    return order


# ---- the run -----------------------------------------------------------------------------

