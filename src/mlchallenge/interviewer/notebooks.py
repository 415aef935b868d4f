"""What the report reads from notebooks: a source notebook's graded cells (their order, the
solution cell each test checks, the task text above a manual answer), a graded test cell's
message from the autograded notebook's outputs, and the manifest's follow-up question for the
way a task failed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from mlchallenge.core import cells as nbcells
from mlchallenge.interviewer import bank

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MESSAGE_CHARS = 600


def clean(text: str, limit: int = _MESSAGE_CHARS) -> str:
    text = _ANSI.sub("", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def outputs_text(cell) -> tuple[str, str]:
    """(message, traceback) of a graded test cell from its outputs in the autograded notebook:
    the error's type and message, else what the test printed."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        last = errors[-1]
        message = f"{last.get('ename', 'Error')}: {last.get('evalue', '')}".rstrip(": ")
        traceback = "\n".join(_ANSI.sub("", line) for line in last.get("traceback", []))
        return clean(message), traceback
    printed = "".join(o.get("text", "") for o in cell.get("outputs", [])
                      if o.get("output_type") == "stream")
    return clean(printed), ""


@dataclass
class NotebookLayout:
    """What the source notebook says about its graded cells."""

    order: list[str]  # grade ids in notebook order
    group: dict[str, str]  # test cell -> the solution cell it checks (the one above it)
    question: dict[str, str]  # manual answer cell -> the task text above it


def read_layout(path: Path) -> NotebookLayout:
    notebook = nbformat.read(path, as_version=4)
    layout = NotebookLayout([], {}, {})
    solution = None
    previous_text = ""
    for cell in notebook.cells:
        meta = nbcells.nbgrader(cell)
        grade_id = meta.get("grade_id")
        if meta.get("solution"):
            solution = grade_id
        if meta.get("grade") and grade_id:
            layout.order.append(grade_id)
            if solution:
                layout.group[grade_id] = solution
            if cell.cell_type == "markdown":
                layout.question[grade_id] = previous_text
        if cell.cell_type == "markdown" and not meta.get("solution"):
            previous_text = cell.source
    return layout


def follow_up(challenge: bank.Challenge, layout: NotebookLayout, grade_id: str,
               message: str) -> str:
    """The manifest's question for the way this cell failed (its message), else the cell's
    own, else the one for another test cell that checks the same solution cell."""
    group = layout.group.get(grade_id)
    siblings = [other for other in layout.order
                if other != grade_id and group and layout.group.get(other) == group]
    for name in [grade_id, *siblings]:
        question = challenge.follow_up_for(name, message)
        if question:
            return question
    return ""
