"""`mlchallenge grade --self`: practice grading of a workspace with the hidden tests, in a scratch
course, with nbgrader's feedback."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mlchallenge.candidate.check import error_message, first_error, read_notebook
from mlchallenge.candidate.workspace import default_workspace
from mlchallenge.core import cells as nbcells
from mlchallenge.core import text_table
from mlchallenge.core.errors import KitError

if TYPE_CHECKING:  # `check` and `submit` do not import nbgrader (seconds of start-up)
    from mlchallenge.core.course import Course



@dataclass
class SelfGrade:
    score: float
    max_score: float
    rows: list[tuple[str, str, str, str]]  # task, points, status, message
    feedback: list[Path]
    error: str | None = None


def _cell_messages(notebook_path: Path) -> dict[str, str]:
    """Each grade cell's error message ("" when it raised none), in notebook order."""
    messages = {}
    for cell in read_notebook(notebook_path).cells:
        task = nbcells.nbgrader(cell).get("grade_id")
        if task and nbcells.nbgrader(cell).get("grade"):
            error = first_error(cell)
            messages[task] = "" if error is None else error_message(error)
    return messages


def grade_self(course: Course, assignment: str, workspace: Path | None = None, *,
               sandbox: bool = True) -> SelfGrade:
    """Grade the workspace's notebooks with the hidden tests, as the interviewer would
    (nbgrader's autograde with the kit's sandboxed kernel), in a scratch course; write
    nbgrader's feedback report into <workspace>/feedback/."""
    course.require_assignment(assignment)
    folder = Path(workspace) if workspace else default_workspace(assignment)
    if not any(folder.glob("*.ipynb")):
        raise KitError(f"no notebook in {folder}; run `mlchallenge start {assignment}` first, "
                       "or pass --dir")
    from mlchallenge.core.course import scratch_course
    from mlchallenge.grading.results import reason_from_log
    from mlchallenge.grading.service import (
        grade,  # nbgrader: seconds to import, so after the input is checked
    )
    with tempfile.TemporaryDirectory(prefix="mlchallenge-self-") as scratch_dir:
        scratch = Path(scratch_dir)
        practice_course = scratch_course(course, scratch, [assignment], link_datasets=True)
        submitted = scratch / "submitted" / "me" / assignment
        shutil.copytree(folder, submitted, ignore=shutil.ignore_patterns(
            ".ipynb_checkpoints", "feedback", "__pycache__"))
        [result] = grade(practice_course, assignment, ["me"], workers=1, sandbox=sandbox,
                         regrade=True)
        if not result.graded:
            return SelfGrade(0, 0, [], [], error=result.error)
        autograded = scratch / "autograded" / "me" / assignment
        messages: dict[str, str] = {}
        for notebook in sorted(autograded.glob("*.ipynb")):
            messages.update(_cell_messages(notebook))
        order = {name: position for position, name in enumerate(messages)}
        rows = []
        for task in sorted(result.tasks, key=lambda t: order.get(t.name, len(order))):
            if not task.autograded:
                rows.append((task.name, f"-/{task.max_score:g}", "graded by a person", ""))
                continue
            score = task.score or 0.0
            if score >= task.max_score - 1e-9:
                status = "passed"
            elif score > 0:
                status = "partial"
            else:
                status = "failed"
            rows.append((task.name, f"{score:g}/{task.max_score:g}", status,
                         messages.get(task.name, "")))
        outcome = practice_course.api().generate_feedback(assignment, "me", force=True)
        if not outcome["success"]:
            raise KitError(f"nbgrader could not write the feedback report: "
                           f"{reason_from_log(outcome.get('log', ''))}")
        (folder / "feedback").mkdir(exist_ok=True)
        feedback = []
        for page in sorted((scratch / "feedback" / "me" / assignment).glob("*.html")):
            kept = folder / "feedback" / page.name
            shutil.copy2(page, kept)
            feedback.append(kept)
    return SelfGrade(result.auto_score, result.max_auto_score, rows, feedback)


def format_self_grade(graded: SelfGrade) -> str:
    lines = [text_table.render(("task", "points", "status", "message"), graded.rows),
             f"\nautograded: {graded.score:g} of {graded.max_score:g} points"]
    lines += [f"feedback report: {path}" for path in graded.feedback]
    return "\n".join(lines)


# ---- submit ------------------------------------------------------------------------------
