"""The candidate's side: start a workspace, check it with the public tests, grade it with the
hidden tests (practice), and submit it as a zip with checksums.

A workspace is a folder holding one assignment's student notebooks and public data, copied
from release/<assignment>/, plus ``hints.py`` (the challenge's tiered hints) and
``hints_used.json`` (which hints were taken). By default it is ``workspace/<assignment>/`` under
the folder the command runs in.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tomllib
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from mlchallenge.candidate import hints as hints_mod
from mlchallenge.candidate.check import WORKSPACE, CheckResult, read_notebook
from mlchallenge.core import timing
from mlchallenge.core.errors import KitError

if TYPE_CHECKING:  # `check` and `submit` do not import nbgrader (seconds of start-up)
    from mlchallenge.core.course import Course

# what `submit` records about the environment the notebooks were solved in
PACKAGES = ("numpy", "pandas", "scikit-learn", "scipy", "matplotlib", "jupyterlab", "notebook",
            "ipykernel", "nbformat", "nbclient", "mlchallenge")


def default_workspace(assignment: str) -> Path:
    return Path.cwd() / WORKSPACE / assignment


def _release_folder(course: Course, assignment: str) -> Path:
    course.require_assignment(assignment)
    folder = course.root / "release" / assignment
    if not any(folder.glob("*.ipynb")):
        raise KitError(f"release/{assignment}/ holds no notebook; run "
                       f"`mlchallenge release {assignment}` first")
    return folder


# ---- hints -------------------------------------------------------------------------------

def manifest_hints(course: Course, assignment: str) -> dict[str, list[str]]:
    """The ``[hints]`` table of source/<assignment>/manifest.toml: tiers per test cell."""
    path = course.require_assignment(assignment) / "manifest.toml"
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KitError(f"{path} could not be read: {exc}") from None
    table = manifest.get("hints", {})
    if not isinstance(table, dict) or not all(
        isinstance(tiers, list) and tiers and all(isinstance(t, str) and t.strip() for t in tiers)
        for tiers in table.values()
    ):
        raise KitError(f"{path}: [hints] must map each test cell to a list of hint texts")
    return {str(k): list(v) for k, v in table.items()}


# ---- start -------------------------------------------------------------------------------

def start(course: Course, assignment: str, folder: Path | None = None) -> Path:
    """Copy the student notebooks and public data of ``assignment`` into a workspace, with
    hints.py and an empty hints_used.json. Work already there is never overwritten: a notebook
    that differs from the release is a KitError; an untouched one is left as it is, and only
    missing files are added."""
    release = _release_folder(course, assignment)
    target = Path(folder) if folder else default_workspace(assignment)
    if target.exists() and not target.is_dir():
        raise KitError(f"{target} is a file, not a folder; pass --dir with another place")
    for notebook in sorted(release.glob("*.ipynb")):
        mine = target / notebook.name
        if mine.exists() and mine.read_bytes() != notebook.read_bytes():
            raise KitError(
                f"{mine} already holds your work; open it with `jupyter lab {mine}` "
                "(nothing was copied), or pass --dir for a fresh copy elsewhere"
            )
    hints = manifest_hints(course, assignment)
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(release.rglob("*")):
        rel = path.relative_to(release)
        destination = target / rel
        if path.is_dir():
            destination.mkdir(exist_ok=True)
        elif rel.name != "manifest.toml" and not destination.exists():
            shutil.copy2(path, destination)
    hints_mod.write_hints_file(target, assignment, hints)
    if not (target / hints_mod.USED_FILE).exists():
        hints_mod.write_used(target, {"assignment": assignment, "used": []})
    timing.start_record(target, assignment)  # when the work began, on this machine's clock
    return target


def open_lab(workspace: Path) -> int:
    """JupyterLab on the workspace, opened at its first notebook; returns when it stops. Stopping
    this command (Ctrl-C, or a SIGTERM) stops JupyterLab too."""
    notebooks = sorted(p.name for p in workspace.glob("*.ipynb"))
    command = [sys.executable, "-m", "jupyterlab", *notebooks[:1]]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container's root user: Jupyter refuses
        command.append("--allow-root")
    try:
        process = subprocess.Popen(command, cwd=workspace)
    except OSError as exc:
        raise KitError(f"could not start JupyterLab ({exc}); `pip install jupyterlab`") from None
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait(timeout=30)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.kill()


# ---- check -------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def environment() -> dict[str, str]:
    versions = {"python": platform.python_version(), "platform": platform.platform()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def submission_files(workspace: Path) -> list[Path]:
    """What goes in the zip: the notebooks, hints_used.json, timing.json and the data/ folder."""
    files = sorted(workspace.glob("*.ipynb"))
    for name in (hints_mod.USED_FILE, timing.TIMING_FILE):
        if (workspace / name).is_file():
            files.append(workspace / name)
    if (workspace / "data").is_dir():
        files += sorted(p for p in (workspace / "data").rglob("*")
                        if p.is_file() and not p.is_symlink()
                        and ".ipynb_checkpoints" not in p.parts)
    return files


def submit(assignment: str, workspace: Path | None = None, out: Path | None = None,
           checked: list[CheckResult] | None = None, now: datetime | None = None) -> Path:
    """Write <assignment>-<UTC timestamp>.zip: the notebooks, hints_used.json, the public data
    and MANIFEST.json (sha256 of every file, the environment's package versions, and the
    outcome of ``check`` when it ran). Returns the zip's path."""
    folder = Path(workspace) if workspace else default_workspace(assignment)
    if not any(folder.glob("*.ipynb")):
        raise KitError(f"no notebook in {folder}; run `mlchallenge start {assignment}` first, "
                       "or pass --dir")
    for notebook in folder.glob("*.ipynb"):
        read_notebook(notebook)
    used = folder / hints_mod.USED_FILE
    if used.is_file():
        try:
            record = json.loads(used.read_text(encoding="utf-8"))
        except ValueError:
            raise KitError(f"{used} is not valid JSON; restore it from the hints you took") from None
        if record.get("assignment") not in (None, assignment):
            raise KitError(f"{folder} is a workspace of {record.get('assignment')!r}, "
                           f"not {assignment!r}")
    else:
        hints_mod.write_used(folder, {"assignment": assignment, "used": []})
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    out = Path(out) if out else folder.parent
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{assignment}-{stamp}.zip"
    if target.exists():
        raise KitError(f"{target} already exists; wait a second and submit again")
    files = submission_files(folder)
    started = timing.read_json(folder / timing.TIMING_FILE)
    manifest = {
        "assignment": assignment,
        "submitted_at": timing.stamp(now),
        # self-reported, like submitted_at: this machine's clock
        "started_at": started.get("started_at"),
        "bundle": started.get("bundle"),
        "files": {p.relative_to(folder).as_posix(): _sha256(p) for p in files},
        "environment": environment(),
        "check": None if checked is None else {
            r.notebook.name: {t.task: t.status for t in r.tasks} for r in checked},
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, f"{assignment}/{path.relative_to(folder).as_posix()}")
        archive.writestr(f"{assignment}/MANIFEST.json", json.dumps(manifest, indent=2) + "\n")
    return target
