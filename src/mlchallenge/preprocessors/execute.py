"""``GradingExecute``: nbgrader's Execute step, with the kernel sandboxed, limited and started
ahead of time, and the output it keeps capped.
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute

from mlchallenge.core import cells as nbcells
from mlchallenge.core.files import remove_tree
from mlchallenge.core.text_table import printable
from mlchallenge.kernel.outputs import EMIT_MIME, PREDICTIONS_MIME
from mlchallenge.sandbox.launch import pool_for
from mlchallenge.sandbox.manager import SandboxKernelManager
from mlchallenge.sandbox.options import SandboxOptions
from mlchallenge.sandbox.settings import KernelSettings, require_sandbox, sandbox_problem

# Imported in the grading kernel before any candidate code runs: the kernel side of the hidden
# tests (emit, and the model refit that emits predictions). Nothing there decides a grade: a
# candidate who rewrites it changes only what the kernel produces, and the grading process
# judges (mlchallenge.judging); the integrity gate flags code that tries.
KERNEL_PRELUDE = "import mlchallenge.kernel.emit, mlchallenge.kernel.predictions"


# What grading noticed about each notebook it ran (kernel death, time limit, truncated output,
# what the judges flagged), by notebook path; the runner reads it back to give every submission
# its reasons.
NOTES: dict[str, list[str]] = {}


def notes_key(resources) -> str:
    """The key a notebook's notes are filed under: its path, as nbgrader's resources give it."""
    path = (resources or {}).get("metadata", {}).get("path") or ""
    name = (resources or {}).get("unique_key") or "notebook"
    return str(Path(path) / f"{name}.ipynb") if path else name


def file_notes(resources, notes: list[str]) -> None:
    """Add ``notes`` to what grading noticed about the notebook of ``resources``."""
    NOTES.setdefault(notes_key(resources), []).extend(notes)


RESULT_TYPES = (EMIT_MIME, PREDICTIONS_MIME)


def _is_result(content: dict) -> bool:
    """A display output holding what a hidden test emitted for the grading process."""
    data = content.get("data")
    return isinstance(data, dict) and any(kind in data for kind in RESULT_TYPES)


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class GradingExecute(Execute, SandboxOptions):
    """nbgrader's Execute, with the kernel sandboxed, limited and started ahead of time.

    - The kernel runs under bubblewrap (:mod:`mlchallenge.sandbox`); ``sandbox = False`` runs it
      unconfined, for trusted notebooks on machines without bubblewrap.
    - It talks to the grader over Unix sockets in a private folder (``transport="ipc"``), never
      over TCP ports that any local process could reach.
    - The kit's prelude is imported in each fresh kernel before any candidate code.
    - Limits: ``timeout`` per cell, ``notebook_timeout`` for the notebook, memory, processes and
      file size as rlimits, and ``max_output_kb`` of output kept per notebook.
    - A kernel that dies (``os._exit``, a segfault, out of memory) or a notebook that runs out of
      time ends with an error in that cell and "not run" errors in the cells after it, so the
      notebook is still graded: points only for what passed before.
    - Its kernel options (``sandbox``, the limits, the datasets view) are declared in
      :class:`mlchallenge.sandbox.options.SandboxOptions`, and configured here as its own.
    - Library warnings on stderr in a graded test cell do not cost its points (nbgrader zeroes a
      test cell with any stderr); an error still does.
    """

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)

    def settings(self) -> KernelSettings:
        folder, sha256 = ((self.kernel_datasets, self.kernel_datasets_sha256)
                          if self.kernel_datasets else kernel_datasets())
        return self.kernel_settings(self.timeout, folder, sha256)

    def create_kernel_manager(self):
        if self.sandbox:
            require_sandbox()
        km = super().create_kernel_manager()
        km.pool = pool_for(self.settings())
        path = (self.resources or {}).get("metadata", {}).get("path")
        km.not_inside = [Path(path).resolve()] if path else []
        return km

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._stopped: str | None = None
        self._output_bytes = 0
        self._result_bytes = 0
        self._output_truncated = False
        self._notes: list[str] = []
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            key = notes_key(resources)
            NOTES[key] = list(self._notes)
            for note in self._notes:
                self.log.warning("%s: %s", printable(key), printable(note))

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        msg_id = kc.execute(KERNEL_PRELUDE, silent=True, store_history=False)
        reply = await self.async_wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            raise RuntimeError(
                "the grading kernel could not import mlchallenge.kernel; install the kit "
                "(`make demo` or `pip install -e .`) in the environment that grades"
            )
        return kc

    # nbconvert's preprocess() sets the kernel up and runs cells through synchronous wrappers,
    # which nbclient binds to its own coroutines at class creation: bind them to ours.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        remaining = int(self._deadline - time.monotonic()) + 1
        return max(1, min(timeout, remaining) if timeout else remaining)

    def _not_run(self, cell) -> None:
        if cell.cell_type == "code" and cell.source.strip():
            cell.outputs = [_error_output("NotRun", f"this cell did not run: {self._stopped}")]

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if self._stopped:
            self._not_run(cell)
            return cell
        if time.monotonic() >= self._deadline:
            self._stopped = f"the notebook ran out of time (limit {self.notebook_timeout} s)"
            self._notes.append(f"{self._stopped}; stopped before cell {cell_index + 1}")
            self._not_run(cell)
            return cell
        self._executing_cell_index = cell_index
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except CellTimeoutError:
            # the cell ran past its limit and the interrupt did not stop it: stop the kernel
            await ensure_async(self.km.shutdown_kernel(now=True))
            self._stopped = (f"cell {cell_index + 1} ran past its time limit and could not be "
                             "interrupted, so its kernel was stopped")
            self._notes.append(self._stopped)
            cell.outputs = [*list(cell.get("outputs", [])), _error_output("CellTimeoutError", self._stopped)]
            return cell
        except DeadKernelError:
            reason = self.km.exit_reason() if hasattr(self.km, "exit_reason") else "the kernel died"
            self._stopped = f"{reason} in cell {cell_index + 1}"
            self._notes.append(self._stopped)
            cell.outputs = [*list(cell.get("outputs", [])), _error_output("DeadKernelError", reason)]
            return cell
        if time.monotonic() >= self._deadline and any(
            o.get("ename") == "CellTimeoutError" for o in cell.outputs
        ):
            self._stopped = f"the notebook ran out of time (limit {self.notebook_timeout} s)"
            self._notes.append(f"{self._stopped} in cell {cell_index + 1}")
        return cell

    execute_cell = run_sync(async_execute_cell)

    def _over_output_budget(self, size: int, cell_index: int, outs=None) -> bool:
        """Count ``size`` bytes against max_output_kb; True (and a note, once) when over."""
        if self._output_bytes + size <= self.max_output_kb * 1024:
            self._output_bytes += size
            return False
        if not self._output_truncated:
            self._output_truncated = True
            self._notes.append(f"output over {self.max_output_kb} kB was dropped "
                               f"(from cell {cell_index + 1})")
            if outs is not None:
                outs.append(NotebookNode(
                    output_type="stream", name="stdout",
                    text=f"[output truncated: over {self.max_output_kb} kB]\n"))
        return True

    def _update_display_id(self, display_id, msg):
        """An update of a display id rewrites every output that carries it: its size counts
        once per output it rewrites (updates are output too, and could otherwise grow the
        notebook past max_output_kb without limit). Results the hidden tests emit never carry
        a display id the grader keeps."""
        if _is_result(msg.get("content", {})):
            return None
        targets = sum(len(indices) for indices in self._display_id_map.get(display_id, {}).values())
        if targets:
            size = len(json.dumps(msg.get("content", {}), default=str)) * targets
            if self._over_output_budget(size, self._current_cell_index()):
                return None
        return super()._update_display_id(display_id, msg)

    def _current_cell_index(self) -> int:
        return int(getattr(self, "_executing_cell_index", 0) or 0)

    def handle_comm_msg(self, outs, msg, cell_index):
        """Grading opens no comm and keeps no widget state: a notebook's widgets (or comm
        messages made to look like them) cannot grow the graded notebook or the grader's memory."""
        return None

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(json.dumps(content, default=str))
        if _is_result(content):
            # what a hidden test emitted for the judge has its own budget, so a notebook's own
            # output cannot crowd it out (nor can it pass for it: the judge refuses stray results)
            if self._result_bytes + size > self.max_result_kb * 1024:
                self._notes.append(f"a hidden test's result was dropped: over {self.max_result_kb} kB "
                                   f"of results (cell {cell_index + 1})")
                return None
            self._result_bytes += size
            return super().output(outs, msg, display_id, cell_index)
        if self._over_output_budget(size, cell_index, outs):
            return None
        return super().output(outs, msg, display_id, cell_index)

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell = kwargs["cell"]
        grade = nbcells.nbgrader(cell)
        if not (grade.get("grade") and not grade.get("solution")):
            return
        # a warning a library printed is not a failure; an error (output or reply) still is
        for output in cell.outputs:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
                output["text"] = "".join(f"[stderr] {line}" for line in
                                         output.get("text", "").splitlines(keepends=True))


def prepare_kernels(config, not_inside: list[Path], offer: str | None = None) -> bool:
    """Start the grading kernels' factory now, for a course whose autograde runs
    ``GradingExecute`` with ``config``: its imports then run while nbgrader prepares the first
    notebook. The pool is the one the preprocessor takes its kernels from (the same settings);
    anything that fails is met again, and reported, when the first notebook takes its kernel.
    With ``offer``, the factory offered there is taken if it was started with these settings
    (:mod:`mlchallenge.sandbox.offer`). Call it from the thread that grades. Returns whether it
    started (or took) one."""
    steps = config.Autograde.get("autograde_preprocessors", [])
    if not any(step is GradingExecute or step == f"{__name__}.GradingExecute" for step in steps):
        return False
    step = GradingExecute(config=config)
    if step.sandbox and sandbox_problem():
        return False
    pool_for(step.settings()).prepare(not_inside, offer)
    return True


def kernel_datasets() -> tuple[str | None, str]:
    """The folder grading kernels get as MLCHALLENGE_DATASETS when no grading command chose one
    (plain ``nbgrader autograde``), with its view's checksum: the caller's $MLCHALLENGE_DATASETS,
    else a view of the datasets without the hidden test labels, written once per process."""
    chosen = os.environ.get("MLCHALLENGE_DATASETS")
    if chosen:
        return str(Path(chosen).resolve()), ""
    return _default_kernel_datasets()


@lru_cache(maxsize=1)
def _default_kernel_datasets() -> tuple[str | None, str]:
    from mlchallenge.kernel import datasets

    source = datasets.datasets_dir()
    if not source.is_dir():
        return None, ""
    folder = Path(tempfile.mkdtemp(prefix="mlchallenge-data-"))
    atexit.register(remove_tree, folder)
    view = Path(datasets.write_kernel_view(folder / "datasets", source)).resolve()
    return str(view), datasets.view_sha256(view)

