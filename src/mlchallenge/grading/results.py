"""One result per graded submission, summed as nbgrader's gradebook sums it, and the table
``mlchallenge grade`` prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from nbgrader.api import Grade, Gradebook

from mlchallenge.core import text_table


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


def reason_from_log(log: str) -> str:
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


@dataclass(frozen=True)
class CellInfo:
    """A graded cell of the assignment: its points, and whether nbgrader counts it in the code
    (automatic) score: a code cell with tests."""

    max_score: float
    code: bool


# notebook -> cell -> what it is worth
AssignmentCells = dict[str, dict[str, CellInfo]]


def assignment_cells(gradebook: Gradebook, assignment: str) -> AssignmentCells:
    cells: AssignmentCells = {}
    for notebook in gradebook.find_assignment(assignment).notebooks:
        ours = cells[notebook.name] = {}
        for cell in notebook.grade_cells:
            ours[cell.name] = CellInfo(float(cell.max_score), cell.cell_type == "code")
        for cell in notebook.task_cells:
            ours[cell.name] = CellInfo(float(cell.max_score), False)
    return cells


def _grade_score(grade: Grade) -> float:
    """nbgrader's ``Grade.score``: the manual score when there is one, else the automatic one,
    plus any extra credit; 0 when neither was given."""
    base = grade.manual_score if grade.manual_score is not None else grade.auto_score
    return 0.0 if base is None else float(base) + float(grade.extra_credit or 0.0)


def result_of(student: str, assignment: str, grades: Iterable[tuple[str, Grade]],
              cells: AssignmentCells) -> SubmissionResult:
    """A submission's result from its grades (nbgrader's rows, with the name of the notebook
    each belongs to), summed as nbgrader's gradebook sums them: the score, the code score and
    their maxima, whether any grade waits for a person. Reads the rows' own columns only."""
    every = [info for notebook in cells.values() for info in notebook.values()]
    rows = sorted(((notebook, grade.name, grade) for notebook, grade in grades),
                  key=lambda row: row[:2])
    result = SubmissionResult(
        student=student, assignment=assignment,
        max_score=float(sum(info.max_score for info in every)),
        max_auto_score=float(sum(info.max_score for info in every if info.code)),
        needs_manual_grade=any(bool(grade.needs_manual_grade) for _, _, grade in rows),
    )
    for notebook, name, grade in rows:
        info = cells.get(notebook, {}).get(name, CellInfo(0.0, False))
        score = _grade_score(grade)
        result.score += score
        if info.code:
            result.auto_score += score
        result.tasks.append(TaskScore(name=name, score=score, max_score=info.max_score,
                                      autograded=info.code))
    return result


def read_result(gradebook: Gradebook, assignment: str, student: str,
                cells: AssignmentCells | None = None) -> SubmissionResult:
    """A submission's result as the gradebook holds it (graded in an earlier run)."""
    submission = gradebook.find_submission(assignment, student)
    grades = [(notebook.name, grade) for notebook in submission.notebooks
              for grade in notebook.grades]
    return result_of(student, assignment, grades,
                     cells if cells is not None else assignment_cells(gradebook, assignment))


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

