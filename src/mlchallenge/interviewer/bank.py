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
    # questions for one way of failing a task, chosen over follow_up's when the task's
    # message says that way: (grade id, words of the message, question), first match wins
    follow_up_when: list[tuple[str, str, str]] = field(default_factory=list)
    # which skills each graded cell measures (grade id -> skills); a cell not listed counts
    # for every skill of the challenge
    skills_by_task: dict[str, list[str]] = field(default_factory=dict)

    def task_skills(self, grade_id: str) -> list[str]:
        return self.skills_by_task.get(grade_id) or list(self.skills)

    def follow_up_for(self, grade_id: str, message: str) -> str:
        """The question for the way this task failed (its message), else the task's own."""
        said = " ".join(message.lower().split())
        for task, words, question in self.follow_up_when:
            if task == grade_id and words in said:
                return question
        return self.follow_up.get(grade_id, "")


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
    follow_up_when = _follow_up_when(manifest, manifest_path)
    graded = grade_ids(folder) if skills_by_task or follow_up_when else set()
    unknown = sorted(set(skills_by_task) - graded)
    if unknown:
        raise KitError(f"{manifest_path}: [skills_by_task] names {', '.join(unknown)}, which is not "
                       "a graded cell of the notebooks")
    unknown = sorted({task for task, _, _ in follow_up_when} - graded)
    if unknown:
        raise KitError(f"{manifest_path}: [[follow_up_when]] names {', '.join(unknown)}, which is "
                       "not a graded cell of the notebooks")
    return Challenge(
        name=name,
        title=manifest["title"],
        skills=[str(s) for s in manifest["skills"]],
        minutes=manifest["minutes"],
        difficulty=manifest["difficulty"],
        auto_points=auto,
        manual_points=manual,
        follow_up=dict(manifest.get("follow_up", {})),
        follow_up_when=follow_up_when,
        skills_by_task=skills_by_task,
    )


def _follow_up_when(manifest: dict, path: Path) -> list[tuple[str, str, str]]:
    """[[follow_up_when]] entries: task (a grade id), message (words the task's failure message
    holds, matched without regard to case or line breaks) and question."""
    entries = manifest.get("follow_up_when", [])
    if not isinstance(entries, list):
        raise KitError(f"{path}: follow_up_when must be an array of tables ([[follow_up_when]])")
    found = []
    for number, entry in enumerate(entries, 1):
        values = [entry.get(key) if isinstance(entry, dict) else None
                  for key in ("task", "message", "question")]
        strings = [v for v in values if isinstance(v, str) and v.strip()]
        if len(strings) != 3:
            raise KitError(f"{path}: [[follow_up_when]] number {number} needs task, message and "
                           "question, each a non-empty string")
        task, message, question = strings
        found.append((task, " ".join(message.lower().split()), question))
    return found


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
