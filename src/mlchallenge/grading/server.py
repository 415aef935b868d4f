"""Imported first by the server process local grading workers are forked from (multiprocessing's
forkserver, :func:`mlchallenge.grading.runner.worker_context`): the server ends when the grading
process that started it ends, however it ends. Its workers end with it (``die_with_parent``), and
their kernels' sandboxes with them. Without this the server would wait for its workers, and they
for work that never comes: each holds the pipe whose end the server watches for its client.

Imported anywhere else, it does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
from pathlib import Path

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
