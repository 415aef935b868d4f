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
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from mlchallenge.candidate import hints as hints_mod
from mlchallenge.core import text_table
from mlchallenge.core.errors import KitError

if TYPE_CHECKING:  # `check` and `submit` do not import nbgrader (seconds of start-up)
    from mlchallenge.core.course import Course

WORKSPACE = "workspace"
PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"
# the stub nbgrader leaves in each solution cell of a release notebook (nbgrader_config.py)
STUB = re.compile(r"^\s*raise NotImplementedError\b", re.MULTILINE)
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

@dataclass
class TaskResult:
    """One graded test cell of a notebook: passed, failed or not attempted."""

    task: str
    status: str
    message: str = ""


@dataclass
class CheckResult:
    notebook: Path
    seconds: float
    tasks: list[TaskResult] = field(default_factory=list)
    problem: str | None = None  # the kernel died or a cell ran out of time

    @property
    def passed(self) -> bool:
        return self.problem is None and all(t.status == PASSED for t in self.tasks)


def _grade_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _is_test(cell) -> bool:
    meta = _grade_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _is_solution(cell) -> bool:
    return cell.cell_type == "code" and bool(_grade_meta(cell).get("solution"))


def _untouched(cell) -> bool:
    """Still the release's stub (``raise NotImplementedError()``), not uncommented away."""
    return bool(STUB.search(cell.source))


def _error(cell) -> dict | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def _message(error: dict) -> str:
    name, value = error.get("ename", "Error"), str(error.get("evalue", "")).strip()
    if name == "AssertionError":
        return value or "an assertion failed (it has no message)"
    return f"{name}: {value}" if value else name


def notebooks_to_check(target: Path | None) -> list[Path]:
    """The notebooks ``check`` (and ``submit``) works on: a notebook, every notebook of a
    folder, or without a target those of the current folder, else of ./workspace/*/."""
    if target is not None:
        target = Path(target)
        if target.is_file():
            if target.suffix != ".ipynb":
                raise KitError(f"{target} is not a notebook (.ipynb)")
            return [target]
        if target.is_dir():
            found = sorted(target.glob("*.ipynb"))
            if not found:
                raise KitError(f"no notebook (.ipynb) in {target}")
            return found
        raise KitError(f"{target} does not exist")
    here = Path.cwd()
    found = sorted(here.glob("*.ipynb")) or sorted(here.glob(f"{WORKSPACE}/*/*.ipynb"))
    if not found:
        raise KitError(f"no notebook in {here} or {here / WORKSPACE}/*/: pass NOTEBOOK, or run "
                       "`mlchallenge start ASSIGNMENT` first")
    return found


def _read(path: Path):
    import nbformat  # seconds to import (its JSON-schema checks): only when a notebook is read

    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        detail = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise KitError(f"{path} is not a valid notebook ({detail})") from None


def _start_kernel(path: Path):
    """The notebook's kernel, started before nbformat and nbclient are imported, so it boots
    while they load (seconds each); the notebook's JSON is read only for its kernel's name."""
    from jupyter_client.manager import KernelManager

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        name = raw.get("metadata", {}).get("kernelspec", {}).get("name") or "python3"
    except (ValueError, AttributeError, UnicodeDecodeError) as exc:
        detail = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise KitError(f"{path} is not a valid notebook ({detail})") from None
    km = KernelManager(kernel_name=name)
    # a hint() call left in the notebook must not take a new tier each time it is checked
    env = {**os.environ, hints_mod.NO_NEW_HINTS: "1"}
    try:
        km.start_kernel(cwd=str(path.parent.resolve()), env=env,
                        extra_arguments=["--IPKernelApp.log_level=ERROR"])
    except Exception as exc:  # noqa: BLE001 - no such kernel, or it cannot start
        raise KitError(f"could not start the notebook's kernel {name!r}: {exc}") from None
    return km


def check_notebook(path: Path, timeout: int = 600) -> CheckResult:
    """Run the notebook once, top to bottom, in one kernel (errors do not stop it), and say
    for each graded test cell whether it passed, failed (with its message) or was not
    attempted (its solution cell still holds the stub). The notebook file is not changed."""
    path = Path(path)
    if not path.is_file():
        raise KitError(f"{path} does not exist")
    km = _start_kernel(path)
    try:
        return _run_and_read(path, km, timeout)
    finally:
        km.shutdown_kernel(now=True)


def _run_and_read(path: Path, km, timeout: int) -> CheckResult:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    notebook = _read(path)
    tests = [c for c in notebook.cells if _is_test(c)]
    if not tests:
        raise KitError(f"{path} has no graded test cells; is it a challenge notebook?")
    client = NotebookClient(notebook, km=km, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    problem = None
    started = time.perf_counter()
    try:
        client.execute()
    except DeadKernelError:
        problem = "the kernel died (a crash, or out of memory); the cells after it did not run"
    except CellTimeoutError:
        problem = f"a cell ran longer than {timeout} s and was stopped"
    seconds = time.perf_counter() - started
    result = CheckResult(path, seconds, problem=problem)
    owners: list = []
    pending: list = []
    for cell in notebook.cells:
        if _is_solution(cell):
            pending.append(cell)
            continue
        if not _is_test(cell):
            continue
        if pending:
            owners, pending = pending, []
        error = _error(cell)
        task = _grade_meta(cell).get("grade_id", "?")
        ran = cell.get("execution_count") is not None or error is not None
        if error is None and ran:
            result.tasks.append(TaskResult(task, PASSED))
        elif (error is not None and error.get("ename") == "NotImplementedError") or any(
            _untouched(owner) for owner in owners
        ):
            result.tasks.append(TaskResult(task, NOT_ATTEMPTED))
        elif error is None:
            result.tasks.append(TaskResult(task, FAILED, "this cell did not run"))
        else:
            result.tasks.append(TaskResult(task, FAILED, _message(error)))
    return result


def check(targets: list[Path]) -> list[CheckResult]:
    return [check_notebook(path) for path in targets]


def format_check(results: list[CheckResult]) -> str:
    blocks = []
    for result in results:
        counts = {s: sum(t.status == s for t in result.tasks) for s in (PASSED, FAILED, NOT_ATTEMPTED)}
        lines = [f"{result.notebook.name}: ran in {result.seconds:.1f} s",
                 text_table.render(("task", "status", "message"),
                                   [(t.task, t.status, t.message) for t in result.tasks])]
        if result.problem:
            lines.append(f"stopped early: {result.problem}")
        lines.append(f"{counts[PASSED]} of {len(result.tasks)} public tests pass, "
                     f"{counts[FAILED]} failed, {counts[NOT_ATTEMPTED]} not attempted")
        if counts[FAILED] or counts[NOT_ATTEMPTED]:
            lines.append('stuck? in the notebook: from hints import hint; hint("TASK")')
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ---- grade --self ------------------------------------------------------------------------

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
    for cell in _read(notebook_path).cells:
        task = _grade_meta(cell).get("grade_id")
        if task and _grade_meta(cell).get("grade"):
            error = _error(cell)
            messages[task] = "" if error is None else _message(error)
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
    from mlchallenge.core.course import CONFIG_FILE, Course
    from mlchallenge.grading.results import reason_from_log
    from mlchallenge.grading.service import (
        grade,  # nbgrader: seconds to import, so after the input is checked
    )
    with tempfile.TemporaryDirectory(prefix="mlchallenge-self-") as scratch_dir:
        scratch = Path(scratch_dir)
        shutil.copy2(course.root / CONFIG_FILE, scratch / CONFIG_FILE)
        shutil.copytree(course.root / "source" / assignment, scratch / "source" / assignment)
        if (course.root / "datasets").is_dir():
            (scratch / "datasets").symlink_to(course.root / "datasets")
        submitted = scratch / "submitted" / "me" / assignment
        shutil.copytree(folder, submitted, ignore=shutil.ignore_patterns(
            ".ipynb_checkpoints", "feedback", "__pycache__"))
        scratch_course = Course(scratch)
        [result] = grade(scratch_course, assignment, ["me"], workers=1, sandbox=sandbox,
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
        outcome = scratch_course.api().generate_feedback(assignment, "me", force=True)
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
    """What goes in the zip: the notebooks, hints_used.json and the data/ folder."""
    files = sorted(workspace.glob("*.ipynb"))
    if (workspace / hints_mod.USED_FILE).is_file():
        files.append(workspace / hints_mod.USED_FILE)
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
        _read(notebook)
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
    manifest = {
        "assignment": assignment,
        "submitted_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
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
