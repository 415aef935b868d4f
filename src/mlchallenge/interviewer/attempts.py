"""Catalogued attempts: tests/submissions/<assignment>/<attempt>.py turned into submissions.

An attempt file says what a candidate handed in, as edits to the release notebook::

    # expect: 11            (points the autograder must give; or a range, 9.5-12)
    # base: reference       (start from the reference solution, or from blank)
    # flag: similarity      (what grading shows: tampering, rule, similarity, held for a
                            trick; leakage for any attempt whose answer is a leak's;
                            renamed where a model needs its category names)
    # %% cell: impute       (replace the solution cell with grade id `impute` by the code below)
    def impute(train, test):
        ...

`reference` fills every solution cell with the source notebook's solution;
`blank` leaves the release notebook untouched.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlchallenge.core import cells as nbcells
from mlchallenge.core.errors import KitError

CELL_MARKER = re.compile(r"^# %% cell: (?P<id>[\w-]+)\s*$")
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


@dataclass(frozen=True)
class Attempt:
    assignment: str
    name: str
    path: Path
    expect_low: float
    expect_high: float
    base: str
    cells: dict[str, str] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()  # what a trick declares the grading process shows

    @property
    def kind(self) -> str:
        """reference, blank, alternative, mistake or trick: the prefix of the attempt's name."""
        return self.name.split("-", 1)[0]

    def expects(self, score: float) -> bool:
        return self.expect_low - 1e-6 <= score <= self.expect_high + 1e-6

    @property
    def expected_text(self) -> str:
        if self.expect_low == self.expect_high:
            return f"{self.expect_low:g}"
        return f"{self.expect_low:g}-{self.expect_high:g}"


def parse_attempt(assignment: str, path: Path) -> Attempt:
    text = path.read_text(encoding="utf-8")
    expect = base = None
    flags: set[str] = set()
    cells: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        marker = CELL_MARKER.match(line)
        if marker:
            current = cells.setdefault(marker["id"], [])
            continue
        if current is not None:
            current.append(line)
        elif line.startswith("# expect:"):
            expect = line.split(":", 1)[1].strip()
        elif line.startswith("# base:"):
            base = line.split(":", 1)[1].strip()
        elif line.startswith("# flag:"):
            flags.add(line.split(":", 1)[1].strip())
        elif line.strip() and not line.startswith("#"):
            raise KitError(f"{path}:{number}: code before the first '# %% cell: ID' marker")
    if expect is None or base not in ("reference", "blank"):
        raise KitError(f"{path}: needs '# expect: POINTS' and '# base: reference|blank' lines")
    low, _, high = expect.partition("-")
    try:
        expect_low, expect_high = float(low), float(high or low)
    except ValueError:
        raise KitError(f"{path}: '# expect: {expect}' is not a number or a range a-b") from None
    return Attempt(
        assignment=assignment,
        name=path.stem,
        path=path,
        expect_low=expect_low,
        expect_high=expect_high,
        base=base,
        cells={k: "\n".join(v).strip("\n") for k, v in cells.items()},
        flags=frozenset(flags),
    )


def catalogue(submissions_dir: Path, assignment: str) -> list[Attempt]:
    folder = submissions_dir / assignment
    if not folder.is_dir():
        return []
    return [parse_attempt(assignment, p) for p in sorted(folder.glob("*.py"))]


def _solution_source(source_cell) -> str:
    lines = [ln for ln in source_cell.source.splitlines() if not SOLUTION_MARKER.match(ln)]
    return "\n".join(lines)


def build_notebook(attempt: Attempt, source_nb: Path, release_nb: Path):
    """The notebook the candidate of ``attempt`` hands in: the release notebook, edited."""
    release = nbformat.read(release_nb, as_version=4)
    source = nbformat.read(source_nb, as_version=4)
    solutions = {
        nbcells.grade_id(cell): cell
        for cell in source.cells
        if nbcells.is_solution(cell)
    }
    remaining = dict(attempt.cells)
    for cell in release.cells:
        grade_id = nbcells.grade_id(cell)
        if grade_id in remaining:
            cell.source = remaining.pop(grade_id)
        elif attempt.base == "reference" and grade_id in solutions:
            cell.source = _solution_source(solutions[grade_id])
    if remaining:
        raise KitError(
            f"{attempt.path}: no solution cell with grade id {', '.join(sorted(remaining))} "
            f"in {release_nb.name}"
        )
    return release


def write_submission(attempt: Attempt, course_root: Path, student: str | None = None) -> Path:
    """Write the attempt as nbgrader's submitted/<student>/<assignment>/, with the public data."""
    student = student or attempt.name
    release_dir = course_root / "release" / attempt.assignment
    source_dir = course_root / "source" / attempt.assignment
    target = course_root / "submitted" / student / attempt.assignment
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(release_dir, target)
    for release_nb in sorted(release_dir.glob("*.ipynb")):
        notebook = build_notebook(attempt, source_dir / release_nb.name, release_nb)
        nbformat.write(notebook, target / release_nb.name)
    return target
