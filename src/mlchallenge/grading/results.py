"""One result per graded submission, read from the gradebook, and the table ``mlchallenge grade``
prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nbgrader.api import Gradebook

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


def read_result(gradebook: Gradebook, assignment: str, student: str) -> SubmissionResult:
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

