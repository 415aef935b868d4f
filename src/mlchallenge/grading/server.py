"""The server process local grading workers are forked from (multiprocessing's forkserver): what
it imports once for them, and starting it early (:func:`prepare_workers`, before the grading
process imports nbgrader and the libraries itself, so the two import side by side).

Imported first by that server: the server ends when the grading process that started it ends,
however it ends. Its workers end with it (``die_with_parent``), and
their kernels' sandboxes with them. Without this the server would wait for its workers, and they
for work that never comes: each holds the pipe whose end the server watches for its client.

Imported anywhere else, this module only defines the functions below: it stays light (no
nbgrader, no numerical library), so a command can start the server before it loads them."""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from pathlib import Path

from mlchallenge.sandbox.settings import THREAD_VARIABLES

_PR_SET_PDEATHSIG = 1


def _is_forkserver() -> bool:
    try:
        command = Path("/proc/self/cmdline").read_bytes()
    except OSError:
        return False
    return b"multiprocessing.forkserver import main" in command


if _is_forkserver():
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the grading process was gone already
        os._exit(1)
    # numerical libraries read their thread count when they load, below: one thread each in
    # the workers (several grade side by side), unless whoever started the grading chose
    for _name in THREAD_VARIABLES:
        os.environ.setdefault(_name, "1")


# What a grading worker imports to grade: loaded once, in the process the workers are forked
# from (multiprocessing's forkserver), not once per worker
WORKER_PRELOAD = ["mlchallenge.grading.server", "mlchallenge.grading.worker", "nbgrader.apps.api",
                  "mlchallenge.preprocessors.execute", "mlchallenge.preprocessors.judge",
                  "mlchallenge.preprocessors.score", "mlchallenge.sandbox.launch"]


def process_context():
    """Where local grading workers come from: a fork of a server process that imported what
    they need once. Everything a worker needs to know comes with its pool's ``GradingContext``."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_PRELOAD)
    return context


def prepare_workers() -> None:
    """Start the workers' server now, so its imports run while this process loads its own and
    stages the run (reads the gradebook, writes the kernels' view of the datasets). Starting it
    again does nothing."""
    from multiprocessing import forkserver

    process_context()
    forkserver.ensure_running()
