"""The catalogue: each assignment's manifest (source/<assignment>/manifest.toml) and points."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from mlchallenge.core import cells as nbcells
from mlchallenge.core import text_table
from mlchallenge.core.course import Course
from mlchallenge.core.errors import KitError

REQUIRED = {"title": str, "skills": list, "minutes": int, "difficulty": str}


@dataclass(frozen=True)
class Challenge:
    name: str
    title: str
    skills: list[str]
    minutes: int
    difficulty: str
    auto_points: float
    manual_points: float
    follow_up: dict[str, str] = field(default_factory=dict)
    # which skills each graded cell measures (grade id -> skills); a cell not listed counts
    # for every skill of the challenge
    skills_by_task: dict[str, list[str]] = field(default_factory=dict)

    def task_skills(self, grade_id: str) -> list[str]:
        return self.skills_by_task.get(grade_id) or list(self.skills)


def notebook_points(folder: Path) -> tuple[float, float]:
    """(autograded, manually graded) points of the nbgrader grade cells in a folder's notebooks."""
    auto = manual = 0.0
    for path in sorted(folder.glob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - a broken notebook is a user-facing error
            raise KitError(f"{path} is not a readable notebook ({exc}); fix or restore it") from None
        for cell in notebook.cells:
            meta = nbcells.nbgrader(cell)
            if meta.get("grade"):
                points = float(meta.get("points", 0))
                if cell.cell_type == "code":
                    auto += points
                else:
                    manual += points
    return auto, manual


def grade_ids(folder: Path) -> set[str]:
    """The grade ids of the graded cells of a folder's notebooks."""
    ids = set()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = nbcells.nbgrader(cell)
            if meta.get("grade") and meta.get("grade_id"):
                ids.add(meta["grade_id"])
    return ids


def load_challenge(course: Course, name: str) -> Challenge:
    folder = course.require_assignment(name)
    manifest_path = folder / "manifest.toml"
    if not manifest_path.is_file():
        raise KitError(f"{manifest_path} is missing; every assignment needs a manifest")
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KitError(f"{manifest_path} is not valid TOML: {exc}") from None
    for key, kind in REQUIRED.items():
        if not isinstance(manifest.get(key), kind):
            raise KitError(f"{manifest_path}: '{key}' is missing or not a {kind.__name__}")
    skills_by_task = _skills_by_task(manifest, manifest_path)
    auto, manual = notebook_points(folder)
    unknown = sorted(set(skills_by_task) - grade_ids(folder)) if skills_by_task else []
    if unknown:
        raise KitError(f"{manifest_path}: [skills_by_task] names {', '.join(unknown)}, which is not "
                       "a graded cell of the notebooks")
    return Challenge(
        name=name,
        title=manifest["title"],
        skills=[str(s) for s in manifest["skills"]],
        minutes=manifest["minutes"],
        difficulty=manifest["difficulty"],
        auto_points=auto,
        manual_points=manual,
        follow_up=dict(manifest.get("follow_up", {})),
        skills_by_task=skills_by_task,
    )


def _skills_by_task(manifest: dict, path: Path) -> dict[str, list[str]]:
    table = manifest.get("skills_by_task", {})
    if not isinstance(table, dict):
        raise KitError(f"{path}: [skills_by_task] must be a table of grade id = [skills]")
    known = set(manifest["skills"])
    mapping = {}
    for grade_id, skills in table.items():
        if isinstance(skills, str):
            skills = [skills]
        if not isinstance(skills, list) or not skills:
            raise KitError(f"{path}: skills_by_task.{grade_id} must be a non-empty list of skills")
        unknown = [s for s in skills if s not in known]
        if unknown:
            raise KitError(f"{path}: skills_by_task.{grade_id} names {', '.join(map(repr, unknown))}, "
                           "which is not in the manifest's skills")
        mapping[str(grade_id)] = [str(s) for s in skills]
    return mapping


def catalogue(course: Course) -> list[Challenge]:
    return [load_challenge(course, name) for name in course.assignments()]


def format_catalogue(challenges: list[Challenge]) -> str:
    rows = []
    for c in challenges:
        points = f"{c.auto_points:g}" + (f" + {c.manual_points:g} manual" if c.manual_points else "")
        rows.append((c.name, c.title, ", ".join(c.skills), str(c.minutes), points))
    return text_table.render(("name", "title", "skills", "minutes", "points"), rows)
