"""`mlchallenge report`'s pages: the cohort page (distribution, skills heatmap, item statistics),
one page per candidate, cohort.csv and items.csv, from what ``reports.gather`` read."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from mlchallenge.core.course import Course
from mlchallenge.core.errors import KitError
from mlchallenge.core.text_table import csv_cell
from mlchallenge.interviewer.figures import png as _png
from mlchallenge.interviewer.figures import pyplot as _pyplot
from mlchallenge.interviewer.item_stats import (
    item_statistics,
    plot_items,
    tasks_from_notebook,
    write_items_csv,
)
from mlchallenge.interviewer.reports import MODES, CandidateReport, gather
from mlchallenge.interviewer.similarity import DEFAULT_THRESHOLD


def cohort_columns(reports: list[CandidateReport]) -> tuple[list[str], list[str]]:
    """(skills, tasks) in first-seen order; tasks as assignment/grade_id."""
    skills = list(dict.fromkeys(s for r in reports for s in r.skills()))
    tasks = list(dict.fromkeys(f"{t.assignment}/{t.grade_id}" for r in reports for t in r.tasks))
    return skills, tasks


def write_cohort_csv(reports: list[CandidateReport], path: Path) -> Path:
    """One row per candidate: totals, each skill as a percentage of its points graded so far,
    each task's points (empty while waiting for manual grading)."""
    skills, tasks = cohort_columns(reports)
    assignments = list(dict.fromkeys(a.name for r in reports for a in r.assignments))
    header = (["candidate", "assignments", "points", "max_points", "percent",
               "manual_pending_points", "leakage_flags", "review_flags", "hints_used",
               "over_time_self_reported", "max_similarity_percent", "most_similar_to",
               "same_predictions_as"]
              + [f"skill: {s} (%)" for s in skills] + tasks
              + [f"{a}: minutes taken" for a in assignments]
              + [f"{a}: time source" for a in assignments])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(cell) for cell in header])
        for report in reports:
            by_skill = report.skills()
            by_task = {f"{t.assignment}/{t.grade_id}": t for t in report.tasks}
            row = [report.candidate, " ".join(a.name for a in report.assignments),
                   f"{report.score:g}", f"{report.max_score:g}", f"{report.percent:.1f}",
                   f"{report.pending_points:g}", len(report.leakage), len(report.review_flags),
                   sum(len(a.hints_used) for a in report.assignments), len(report.over_time)]
            top = report.similar[0] if report.similar else None
            row += ["" if top is None else f"{top.percent:.0f}",
                    "" if top is None else f"{top.kind}: {top.other} ({top.assignment}/{top.cell})"]
            row.append("; ".join(f"{', '.join(g.others(report.candidate))} ({g.assignment}/{g.cell})"
                                 for g in report.same_predictions))
            for skill in skills:
                points, max_points = by_skill.get(skill, (0.0, 0.0))
                row.append(f"{100 * points / max_points:.1f}" if max_points else "")
            for name in tasks:
                task = by_task.get(name)
                row.append("" if task is None or task.score is None else f"{task.score:g}")
            times = {a.name: a.time for a in report.assignments}
            row += ["" if (t := times.get(a)) is None or t.minutes is None else f"{t.minutes:.0f}"
                    for a in assignments]
            row += ["" if (t := times.get(a)) is None else t.source for a in assignments]
            writer.writerow([csv_cell(cell) for cell in row])
    return path


# ---- plots ------------------------------------------------------------------------------


def plot_distribution(reports: list[CandidateReport], highlight: CandidateReport | None = None) -> str:
    """The cohort's total scores (percent of the points graded so far) as a histogram; base64 PNG."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 2.8))
    axes.hist([r.percent for r in reports], bins=list(range(0, 101, 10)), color="#8da0cb",
              edgecolor="white")
    if highlight is not None:
        axes.axvline(highlight.percent, color="#d95f02", linewidth=2,
                     label=f"{highlight.candidate}: {highlight.percent:.0f} %")
        axes.legend(loc="upper left", frameon=False)
    axes.set_xlim(0, 100)
    axes.set_xlabel("score (% of the points graded so far)")
    axes.set_ylabel("candidates")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"score distribution ({len(reports)} candidates)")
    return _png(figure)


def plot_skills_heatmap(reports: list[CandidateReport]) -> str:
    """Candidates by skills, each cell the percent of that skill's points; base64 PNG."""
    import numpy as np

    plt = _pyplot()
    skills, _ = cohort_columns(reports)
    values = np.full((len(reports), len(skills)), np.nan)
    for i, report in enumerate(reports):
        for j, skill in enumerate(skills):
            points, top = report.skills().get(skill, (0.0, 0.0))
            if top:
                values[i, j] = 100 * points / top
    figure, axes = plt.subplots(figsize=(1.0 + 0.55 * len(skills), 1.2 + 0.32 * len(reports)))
    image = axes.imshow(np.ma.masked_invalid(values), cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
    axes.set_xticks(range(len(skills)), skills, rotation=45, ha="right")
    axes.set_yticks(range(len(reports)), [r.candidate for r in reports])
    if len(reports) * len(skills) <= 400:
        for i in range(len(reports)):
            for j in range(len(skills)):
                if not np.isnan(values[i, j]):
                    axes.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=7)
    figure.colorbar(image, ax=axes, label="% of the skill's points")
    axes.set_title("skills by candidate")
    return _png(figure)


def plot_skills(report: CandidateReport) -> str:
    """One candidate's points per skill as horizontal bars; base64 PNG."""
    plt = _pyplot()
    skills = report.skills()
    names = list(skills)
    figure, axes = plt.subplots(figsize=(6, 0.6 + 0.35 * max(len(names), 1)))
    tops = [skills[n][1] for n in names]
    got = [skills[n][0] for n in names]
    axes.barh(names, tops, color="#e0e0e0", label="available")
    axes.barh(names, got, color="#1b9e77", label="earned")
    axes.invert_yaxis()
    axes.set_xlabel("points")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 - 0.5 / max(len(names), 1)), ncol=2,
                frameon=False)
    axes.set_title(f"{report.candidate}: points per skill")
    return _png(figure)


# ---- HTML -------------------------------------------------------------------------------


def template_environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("mlchallenge.interviewer", "templates"),
                       autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def page_name(candidate: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", candidate) + ".html"


@dataclass
class Written:
    index: Path
    csv: Path
    pages: dict[str, Path]
    items: Path | None = None  # items.csv: the item statistics


def task_map(course: Course, assignments: Iterable[str]) -> dict[tuple[str, str], str]:
    """(assignment, graded cell) -> its task (the solution cell it follows), from source/."""
    found: dict[tuple[str, str], str] = {}
    for name in assignments:
        path = course.root / "source" / name / f"{name}.ipynb"
        if path.is_file():
            found.update(tasks_from_notebook(name, nbformat.read(path, as_version=4)))
    return found


def write_reports(reports: list[CandidateReport], out: Path, mode: str = "interview",
                  task_of: dict[tuple[str, str], str] | None = None,
                  threshold: float = DEFAULT_THRESHOLD) -> Written:
    """index.html (the cohort, with the item statistics), one page per candidate, cohort.csv and
    items.csv in ``out``. ``task_of``: each graded cell's task (``task_map``)."""

    if mode not in MODES:
        raise KitError(f"unknown report mode {mode!r}; choose one of {', '.join(MODES)}")
    out.mkdir(parents=True, exist_ok=True)
    environment = template_environment()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    pages = {}
    for report in reports:
        html = environment.get_template("candidate.html").render(
            report=report, mode=mode, generated=stamp, skills=report.skills(),
            skills_png=plot_skills(report), distribution_png=plot_distribution(reports, report),
            cohort_size=len(reports), threshold=threshold)
        path = out / page_name(report.candidate)
        path.write_text(html, encoding="utf-8")
        pages[report.candidate] = path
    csv_path = write_cohort_csv(reports, out / "cohort.csv")
    items = item_statistics(reports, task_of)
    items_path = write_items_csv(items, out / "items.csv")
    skills, _ = cohort_columns(reports)
    same = list({(g.assignment, g.cell, tuple(g.candidates)): g
                 for r in reports for g in r.same_predictions}.values())
    index = out / "index.html"
    index.write_text(environment.get_template("cohort.html").render(
        reports=reports, skills=skills, mode=mode, generated=stamp, page_name=page_name,
        same_predictions=same,
        distribution_png=plot_distribution(reports), heatmap_png=plot_skills_heatmap(reports),
        csv_name=csv_path.name, items=items, items_name=items_path.name, threshold=threshold,
        items_png=plot_items(items) if items else None), encoding="utf-8")
    return Written(index=index, csv=csv_path, pages=pages, items=items_path)


def report(course: Course, assignments: Iterable[str] | None = None,
           candidates: Iterable[str] | None = None, out: Path | None = None,
           mode: str = "interview", known: Path | None = None,
           threshold: float | None = None) -> tuple[list[CandidateReport], Written]:
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    reports = gather(course, assignments, candidates, mode, known, threshold)
    names = sorted({a.name for r in reports for a in r.assignments})
    written = write_reports(reports, Path(out) if out else course.root / "reports", mode,
                            task_map(course, names), threshold)
    return reports, written


def format_summary(reports: list[CandidateReport]) -> str:
    """The terminal table `mlchallenge report` prints: one row per candidate."""
    from mlchallenge.core import text_table

    rows = []
    for r in reports:
        weakest = sorted(((p / m if m else 1.0), s) for s, (p, m) in r.skills().items())
        rows.append((r.candidate, " ".join(a.name for a in r.assignments), f"{r.score:g}",
                     f"{r.max_score:g}", f"{r.percent:.0f}%", f"{r.pending_points:g}",
                     str(len(r.leakage)), str(len(r.follow_ups)),
                     ", ".join(f"{s} {100 * f:.0f}%" for f, s in weakest[:2] if f < 1.0) or "-"))
    return text_table.render(("candidate", "assignments", "points", "max", "score",
                              "manual pending", "leakage", "follow-ups", "weakest skills"), rows)
