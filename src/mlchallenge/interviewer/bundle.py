"""`mlchallenge bundle`: the zip a candidate receives for an interview.

The bundle holds, per assignment, what nbgrader released (the student notebooks and the public
data), the self-contained ``hints.py`` and empty ``hints_used.json`` that ``mlchallenge start``
puts beside them; and a README.md with the time limit,
how to install what the notebooks import and how to hand the work back. It never holds a
solution, a hidden test, hidden data or the interviewer's parts of a manifest (follow-up
questions): the files come from release/ only, and each notebook is checked again here.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from mlchallenge.core import timing
from mlchallenge.core.course import Course
from mlchallenge.core.errors import KitError
from mlchallenge.core.text_table import plain_name, printable
from mlchallenge.interviewer import bank
from mlchallenge.kernel.datasets import DATASETS

# Text that must never reach a candidate: nbgrader's solution and hidden-test markers, and the
# kit's grading helpers, which only hidden tests import.
FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden_split",
             "hidden_features", "grading_fold", "mlchallenge.kernel", "mlchallenge.judging")
IGNORED_PARTS = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}
# import name -> the package pip installs it from
PIP_NAMES = {"sklearn": "scikit-learn", "matplotlib": "matplotlib", "pandas": "pandas",
             "numpy": "numpy", "scipy": "scipy", "seaborn": "seaborn"}
# installed with another package already on the list
COMES_WITH = {"numpy": "pandas", "scipy": "scikit-learn"}


@dataclass
class Bundle:
    path: Path
    assignments: list[str]
    minutes: int
    packages: list[str]  # what the README tells the candidate to pip install
    files: list[str]
    bundle_id: str = ""  # recorded in the course (.mlchallenge/bundles/) and in each timing.json


def notebook_imports(path: Path) -> set[str]:
    """Top-level modules a notebook's code cells import."""
    notebook = nbformat.read(path, as_version=4)
    found: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w., ]+?)\s*(?:#.*)?$)", line)
            if not match:
                continue
            if match[1]:
                found.add(match[1].split(".")[0])
            else:
                found.update(part.split()[0].split(".")[0] for part in match[2].split(",") if part.strip())
    return found


def packages_for(modules: set[str]) -> list[str]:
    """The pip packages a candidate installs, JupyterLab first: third-party modules mapped to
    their package names, without those another listed package brings along."""
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m != "__future__"}
    names = {PIP_NAMES.get(m, m) for m in third_party}
    for module, carrier in COMES_WITH.items():
        if carrier in names:
            names.discard(PIP_NAMES[module])
    return ["jupyterlab", *sorted(names)]


def _release_files(course: Course, assignment: str) -> list[Path]:
    folder = course.root / "release" / assignment
    if not folder.is_dir() or not any(folder.glob("*.ipynb")):
        raise KitError(f"release/{assignment}/ has no notebook; run `mlchallenge release {assignment}`")
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part in IGNORED_PARTS for part in p.relative_to(folder).parts))


def _check_public(path: Path, assignment: str) -> None:
    """Refuse a file that would give something away."""
    if path.name in {spec.filename for spec in DATASETS.values()}:
        raise KitError(f"release/{assignment}/ holds the full dataset {path.name}; "
                       f"run `mlchallenge release {assignment}`")
    if path.suffix in (".ipynb", ".py"):
        text = path.read_text(encoding="utf-8")
        for marker in FORBIDDEN:
            if marker in text:
                raise KitError(f"release/{assignment}/{path.name} contains {marker!r}; regenerate it "
                               f"with `mlchallenge release {assignment}`")


def _hints_files(course: Course, assignment: str) -> dict[str, bytes]:
    """The self-contained hints.py a candidate's workspace gets (with the manifest's [hints]
    tiers) and an empty hints_used.json, as `mlchallenge start` writes them."""
    import tempfile

    from mlchallenge.candidate import hints as hints_mod
    from mlchallenge.candidate.workspace import manifest_hints

    with tempfile.TemporaryDirectory(prefix="mlchallenge-bundle-") as scratch:
        folder = Path(scratch)
        hints_mod.write_hints_file(folder, assignment, manifest_hints(course, assignment))
        hints_mod.write_used(folder, {"assignment": assignment, "used": []})
        written = {p.name: p for p in folder.iterdir() if p.is_file()}
        for path in written.values():
            _check_public(path, assignment)
        return {name: path.read_bytes() for name, path in written.items()}


def _readme(challenges: list[bank.Challenge], minutes: int, packages: list[str],
            notebooks: dict[str, list[str]], extras: dict[str, list[str]]) -> str:
    from mlchallenge.interviewer.pages import template_environment

    return template_environment().get_template("bundle_readme.md").render(
        challenges=challenges, minutes=minutes, packages=packages, notebooks=notebooks,
        extras=extras)


def build_bundle(course: Course, assignments: list[str], out: Path,
                 minutes: int | None = None) -> Bundle:
    """Write the candidate's zip for ``assignments`` to ``out``."""
    out = _checked_arguments(assignments, Path(out), minutes)
    challenges = [bank.load_challenge(course, name) for name in assignments]
    return _bundle_body(course, assignments, out, minutes, challenges)


def _checked_arguments(assignments: list[str], out: Path, minutes: int | None) -> Path:
    """``out``, once the arguments are known to make a bundle; else one line saying why not."""
    if not assignments:
        raise KitError("name at least one assignment to bundle (see `mlchallenge list`)")
    if len(set(assignments)) != len(assignments):
        raise KitError("an assignment is named twice")
    if out.suffix.lower() != ".zip":
        raise KitError(f"--out {printable(out)} should end in .zip")
    if not plain_name(out.name):
        raise KitError(f"--out {printable(out.name)}: the name holds bytes that are not UTF-8 or control "
                       "characters, and it names the bundle's folder; choose a plain file name")
    if minutes is not None and minutes < 1:
        raise KitError(f"--minutes must be 1 or more, got {minutes}")
    return out


def _bundle_body(course: Course, assignments: list[str], out: Path, minutes: int | None,
                 challenges: list) -> Bundle:
    total = minutes if minutes is not None else sum(c.minutes for c in challenges)
    top = out.stem
    members: dict[str, bytes] = {}
    modules: set[str] = set()
    notebooks: dict[str, list[str]] = {}
    extras: dict[str, list[str]] = {}
    for challenge in challenges:
        name = challenge.name
        release = course.root / "release" / name
        for path in _release_files(course, name):
            rel = path.relative_to(release).as_posix()
            if not plain_name(rel):
                raise KitError(f"release/{name}/{printable(rel)}: a file name that is not UTF-8 or holds "
                               "control characters cannot go into a bundle; rename it and release again")
            if rel == "manifest.toml":  # the interviewer's (follow-up questions): never shipped
                continue
            _check_public(path, name)
            if path.suffix == ".ipynb":
                modules |= notebook_imports(path)
                notebooks.setdefault(name, []).append(rel)
            elif path.suffix == ".py":
                extras.setdefault(name, []).append(rel)
            members[f"{top}/{name}/{rel}"] = path.read_bytes()
        for rel, data in _hints_files(course, name).items():
            if f"{top}/{name}/{rel}" not in members:
                members[f"{top}/{name}/{rel}"] = data
                if rel.endswith(".py"):
                    extras.setdefault(name, []).append(rel)
    packages = packages_for(modules)
    members[f"{top}/README.md"] = _readme(challenges, total, packages, notebooks, extras).encode()
    # when the bundle was made, on the interviewer's clock: the report measures time from it
    record = timing.new_bundle(course.root, [c.name for c in challenges], total, out.name)
    for challenge in challenges:
        members[f"{top}/{challenge.name}/{timing.TIMING_FILE}"] = json.dumps(
            {"assignment": challenge.name, "bundle": record["bundle"],
             "bundle_made_at": record["made_at"]}, indent=2).encode() + b"\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in sorted(members.items()):
            archive.writestr(member, data)
    return Bundle(path=out, assignments=list(assignments), minutes=total, packages=packages,
                  files=sorted(members), bundle_id=record["bundle"])
