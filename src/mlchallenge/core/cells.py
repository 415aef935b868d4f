"""nbgrader's cells, read one way everywhere: a cell's nbgrader metadata, its grade id, its
points, whether it is a solution or a graded test, and whether a solution cell still holds the
stub the release put there (the one definition of "not attempted")."""

from __future__ import annotations

import re
from typing import Any

# the stub nbgrader leaves in each solution cell of a release notebook (nbgrader_config.py),
# still there when it was not commented or deleted away
STUB = re.compile(r"^\s*raise NotImplementedError\b", re.MULTILINE)


def nbgrader(cell: Any) -> dict:
    """The cell's nbgrader metadata; {} for a cell nbgrader does not know."""
    meta = (cell.get("metadata") or {}).get("nbgrader") if hasattr(cell, "get") else None
    return meta if isinstance(meta, dict) else {}


def grade_id(cell: Any) -> str | None:
    return nbgrader(cell).get("grade_id")


def points(cell: Any) -> float:
    return float(nbgrader(cell).get("points") or 0.0)


def is_solution(cell: Any) -> bool:
    return bool(nbgrader(cell).get("solution"))


def is_graded(cell: Any) -> bool:
    return bool(nbgrader(cell).get("grade"))


def grade_ids(cells: Any) -> set[str]:
    """The grade ids of ``cells`` (a notebook's cells)."""
    return {gid for cell in cells if (gid := grade_id(cell))}


def not_attempted(source: str) -> bool:
    """A solution cell's source still holds the release's stub."""
    return bool(STUB.search(source))
