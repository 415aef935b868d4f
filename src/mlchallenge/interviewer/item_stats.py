"""Item statistics over a cohort: which test cells and tasks tell strong candidates from weak ones.

Classical test theory, per assignment, over the candidates with a graded submission of it:

- an **item** is a graded cell (a test cell, or a written answer once a person graded it), and a
  **task** is the group of graded cells that follow one solution cell in the source notebook
  (``test-knn`` and ``test-knn-fast`` are task ``knn``);
- **difficulty**: the mean fraction of the item's points earned (1.0: everyone got it);
- **discrimination**: the corrected item-total correlation, Pearson's r (``scipy.stats``)
  between the item's fraction and the candidate's total on the *other* items of the
  assignment; undefined (shown as "-") when the item or the rest does not vary;
- **not attempted**: the share of candidates whose solution above the item still held the stub;
- **flagged**: discrimination below ``FLAG_BELOW`` with at least ``MIN_CANDIDATES`` candidates:
  the item does not separate strong from weak candidates, or separates them the wrong way
  (check its answer key, its hidden data, its tolerance);
- **reliability**: Cronbach's alpha of the assignment's items (``k / (k - 1) * (1 - sum of item
  variances / variance of the total)``); undefined below two items or without spread.

Cells still waiting for manual grading are left out for the candidates concerned.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlchallenge.core import cells as nbcells
from mlchallenge.core.text_table import csv_cell
from mlchallenge.interviewer.figures import png, pyplot

FLAG_BELOW = 0.1
MIN_CANDIDATES = 5


@dataclass
class ItemStat:
    assignment: str
    level: str  # "cell" or "task"
    item: str
    points: float
    candidates: int
    difficulty: float
    discrimination: float  # NaN when undefined
    not_attempted: float

    @property
    def flagged(self) -> bool:
        return self.candidates >= MIN_CANDIDATES and not math.isnan(self.discrimination) and \
            self.discrimination < FLAG_BELOW

    @property
    def why(self) -> str:
        if not self.flagged:
            return ""
        if self.discrimination < 0:
            return "candidates who do well elsewhere do worse here: check the answer key and the tolerance"
        return "does not separate strong from weak candidates"


@dataclass
class AssignmentStats:
    assignment: str
    candidates: int
    alpha: float  # NaN when undefined
    items: list[ItemStat]

    @property
    def flagged(self) -> list[ItemStat]:
        return [i for i in self.items if i.flagged]


def _corrected_r(item: np.ndarray, rest: np.ndarray) -> float:
    import warnings

    from scipy import stats

    if len(item) < 3 or np.ptp(item) == 0 or np.ptp(rest) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few distinct values: r is still what it is
        return float(stats.pearsonr(item, rest).statistic)


def cronbach_alpha(matrix: np.ndarray) -> float:
    """Cronbach's alpha of a candidates x items matrix of fractions."""
    k = matrix.shape[1]
    if k < 2 or matrix.shape[0] < 2:
        return float("nan")
    total_variance = matrix.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total_variance))


def _stats_for(assignment: str, level: str, names: list[str], points: dict[str, float],
               rows: list[dict[str, tuple[float, bool]]]) -> tuple[list[ItemStat], np.ndarray]:
    """rows: per candidate, item -> (fraction earned, attempted)."""
    complete = [r for r in rows if all(n in r for n in names)]
    matrix = np.array([[r[n][0] for n in names] for r in complete], dtype=float).reshape(len(complete),
                                                                                       len(names))
    found = []
    for j, name in enumerate(names):
        scored = [r for r in rows if name in r]
        fractions = np.array([r[name][0] for r in scored], dtype=float)
        if len(complete):
            rest = matrix.sum(axis=1) - matrix[:, j]
            discrimination = _corrected_r(matrix[:, j], rest)
        else:
            discrimination = float("nan")
        found.append(ItemStat(
            assignment=assignment, level=level, item=name, points=points[name], candidates=len(scored),
            difficulty=float(fractions.mean()) if len(fractions) else float("nan"),
            discrimination=discrimination,
            not_attempted=float(np.mean([not r[name][1] for r in scored])) if scored else 0.0))
    return found, matrix


def item_statistics(reports, task_of: dict[tuple[str, str], str] | None = None) -> list[AssignmentStats]:
    """Per assignment, the statistics of its graded cells and of its tasks (see the module).
    ``reports``: ``CandidateReport`` objects; ``task_of``: (assignment, grade id) -> task name
    (default: each cell is its own task)."""
    task_of = task_of or {}
    by_assignment: dict[str, list] = {}
    for report in reports:
        for result in report.assignments:
            if result.error is None and result.tasks:
                by_assignment.setdefault(result.name, []).append(result)
    found = []
    for assignment, results in sorted(by_assignment.items()):
        names: list[str] = []
        points: dict[str, float] = {}
        cells: list[dict[str, tuple[float, bool]]] = []
        for result in results:
            row = {}
            for task in result.tasks:
                if task.score is None or task.max_score <= 0:
                    continue
                if task.grade_id not in points:
                    names.append(task.grade_id)
                    points[task.grade_id] = task.max_score
                row[task.grade_id] = (task.score / task.max_score, task.attempted)
            cells.append(row)
        cell_stats, matrix = _stats_for(assignment, "cell", names, points, cells)
        # tasks: the points of their cells added up
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(task_of.get((assignment, name), name), []).append(name)
        task_stats: list[ItemStat] = []
        if any(len(members) > 1 for members in groups.values()):
            task_points = {t: sum(points[n] for n in members) for t, members in groups.items()}
            task_rows = []
            for row in cells:
                task_row = {}
                for t, members in groups.items():
                    if all(n in row for n in members):
                        earned = sum(row[n][0] * points[n] for n in members)
                        task_row[t] = (earned / task_points[t], any(row[n][1] for n in members))
                task_rows.append(task_row)
            task_stats, _ = _stats_for(assignment, "task", list(groups), task_points, task_rows)
        found.append(AssignmentStats(assignment, len(results), cronbach_alpha(matrix),
                                     cell_stats + task_stats))
    return found


def tasks_from_notebook(assignment: str, notebook) -> dict[tuple[str, str], str]:
    """(assignment, graded cell) -> the solution cell it follows, from the source notebook."""
    task_of: dict[tuple[str, str], str] = {}
    current = None
    for cell in notebook.cells:
        meta = nbcells.nbgrader(cell)
        grade_id: Any = meta.get("grade_id")  # as the notebook's JSON holds it
        if meta.get("solution"):
            current = grade_id
            if meta.get("grade"):  # a written answer is a task of its own
                task_of[(assignment, grade_id)] = grade_id
        elif meta.get("grade") and grade_id:
            task_of[(assignment, grade_id)] = current or grade_id
    return task_of


def write_items_csv(stats: list[AssignmentStats], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "level", "item", "points", "candidates", "difficulty",
                         "discrimination", "not_attempted", "flagged", "why", "assignment_alpha"])
        for group in stats:
            for item in group.items:
                writer.writerow([csv_cell(v) for v in (
                    item.assignment, item.level, item.item, f"{item.points:g}", item.candidates,
                    _number(item.difficulty), _number(item.discrimination),
                    f"{item.not_attempted:.2f}", "yes" if item.flagged else "", item.why,
                    _number(group.alpha))])
    return path


def _number(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.2f}"


def plot_items(stats: list[AssignmentStats]) -> str:
    """Difficulty against discrimination of every graded cell, flagged ones marked; base64 PNG."""
    plt = pyplot()
    figure, axes = plt.subplots(figsize=(6, 3.4))
    markers = "os^Dv<>ph*"
    plotted = False
    for number, group in enumerate(stats):
        cells = [i for i in group.items if i.level == "cell" and not math.isnan(i.discrimination)]
        if not cells:
            continue
        plotted = True
        axes.scatter([i.difficulty for i in cells], [i.discrimination for i in cells],
                     marker=markers[number % len(markers)], label=group.assignment, alpha=0.8)
        for item in cells:
            if item.flagged:
                axes.annotate(item.item, (item.difficulty, item.discrimination), fontsize=7,
                              color="#b2182b")
    axes.axhline(FLAG_BELOW, color="#b2182b", linewidth=1, linestyle="--")
    axes.set_xlim(-0.05, 1.05)
    axes.set_ylim(-1.05, 1.05)
    axes.set_xlabel("difficulty (mean fraction of the points earned)")
    axes.set_ylabel("discrimination (item-rest r)")
    axes.set_title("graded cells: below the dashed line, flagged")
    if plotted:
        axes.legend(fontsize=7, frameon=False, loc="lower left")
    return png(figure)
