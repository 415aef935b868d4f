"""`mlchallenge check`: run a workspace's notebooks in a local kernel and say, per public test,
passed, failed (with the message) or not attempted (the solution cell still holds nbgrader's
stub)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mlchallenge.candidate import hints as hints_mod
from mlchallenge.core import cells as nbcells
from mlchallenge.core import text_table
from mlchallenge.core.errors import KitError

if TYPE_CHECKING:  # `check` and `submit` do not import nbgrader (seconds of start-up)
    pass



WORKSPACE = "workspace"
PASSED, FAILED, NOT_ATTEMPTED = "passed", "failed", "not attempted"


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


def _is_test(cell) -> bool:
    return cell.cell_type == "code" and nbcells.is_graded(cell) and not nbcells.is_solution(cell)


def _is_solution(cell) -> bool:
    return cell.cell_type == "code" and nbcells.is_solution(cell)


def _untouched(cell) -> bool:
    """Still the release's stub (``raise NotImplementedError()``), not uncommented away."""
    return nbcells.not_attempted(cell.source)


def first_error(cell) -> dict | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output
    return None


def error_message(error: dict) -> str:
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


def read_notebook(path: Path):
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
    # its client is ready once the kernel says so, not after 0.2 s of silence on IOPub
    km = KernelManager(kernel_name=name, client_class="mlchallenge.sandbox.clients.ReadyKernelClient")
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
        _end_kernel(km)


def _end_kernel(km) -> None:
    """Kill the kernel and wait for it in steps of a few milliseconds: nothing of it is kept,
    and ``shutdown_kernel`` alone polls every 0.1 s (a tenth of a second on every check)."""
    import signal

    try:
        if km.has_kernel:
            km.signal_kernel(signal.SIGKILL)
            deadline = time.monotonic() + 5
            while km.is_alive() and time.monotonic() < deadline:
                time.sleep(0.005)
    finally:
        km.shutdown_kernel(now=True)


def _run_and_read(path: Path, km, timeout: int) -> CheckResult:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    notebook = read_notebook(path)
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
        error = first_error(cell)
        task = nbcells.grade_id(cell) or "?"
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
            result.tasks.append(TaskResult(task, FAILED, error_message(error)))
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
