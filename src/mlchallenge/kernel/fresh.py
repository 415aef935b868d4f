"""Work run in a process of its own: forked from the kernel as it is now, gone after it.

``run_fresh(work, seconds)`` forks; the child runs ``work()`` (which returns a JSON-ready dict),
sends the dict back through a pipe and ends with ``os._exit``, never returning into the
kernel. Nothing the work did (a cache filled, a counter moved, a module patched) survives it,
so calls run this way all start from the same state. The child's own output streams and
displays go nowhere (the kernel's sockets belong to the parent). ``FreshFailed`` says why no
result came back: no process could be started, or it ended without one (it exited, crashed,
ran out of memory, or ran past ``seconds`` + 30, when the parent kills it).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable

DEFAULT_SECONDS = 600  # how long fresh work may run when the caller sets no limit


class FreshFailed(Exception):
    """No result came back from the fresh process."""


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _mute_displays() -> None:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return
    if shell is not None and getattr(shell, "display_pub", None) is not None:
        shell.display_pub.publish = lambda *args, **kwargs: None


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _child(work: Callable[[], dict], write_end: int) -> None:
    status = 1
    try:
        sys.stdout = sys.stderr = io.StringIO()
        _mute_displays()
        view = memoryview(json.dumps(work()).encode())
        while view:
            view = view[os.write(write_end, view):]
        status = 0
    finally:
        os._exit(status)


def run_fresh(work: Callable[[], dict], seconds: float | None = None) -> dict:
    """``work()`` in a child forked now (see the module's docstring)."""
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "multi-threaded process, fork() may deadlock"
            pid = os.fork()
    except OSError as exc:
        os.close(read_end)
        os.close(write_end)
        raise FreshFailed(f"the hidden test could not start a process for this call ({exc}); stop "
                          "the processes your code left running") from None
    if pid == 0:
        os.close(read_end)
        _child(work, write_end)
    os.close(write_end)
    killer = threading.Timer((seconds or DEFAULT_SECONDS) + 30, lambda: _kill(pid))
    killer.daemon = True
    killer.start()
    try:
        data = _read_all(read_end)
    finally:
        killer.cancel()
        os.close(read_end)
        _kill(pid)
        os.waitpid(pid, 0)
    try:
        result = json.loads(data)
    except ValueError:
        result = None
    if not isinstance(result, dict):
        raise FreshFailed("the call's process ended without a result (it exited, crashed, ran out of "
                          "memory or ran past its time)")
    return result
