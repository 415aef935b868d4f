"""The kernel factory: one sandbox per grading process that imported the common libraries
once and forks a fresh kernel for each notebook (:mod:`mlchallenge.kernel.zygote` inside)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from mlchallenge.core.errors import KitError
from mlchallenge.sandbox.cgroups import Group
from mlchallenge.sandbox.kernels import (
    KERNEL_ARGS,
    ForkedKernel,
    PreparedKernel,
    _group,
    _hand_over,
    _kernel_folders,
    _refuse_course_inside,
    _socket_safe_mkdtemp,
)
from mlchallenge.sandbox.settings import (
    KernelSettings,
    bwrap_command,
    is_root,
    kernel_environment,
    limits_argument,
    python_roots,
    sandbox_user,
)


class KernelFactory:
    """One sandbox per grading process in which :mod:`mlchallenge.kernel.zygote` has imported
    numpy, pandas, scikit-learn and the checks once, and forks a fresh kernel process for each
    notebook: each with its own mount namespace (its own work folder, /tmp and $HOME, the other
    kernels' folders hidden), its own user and its own limits. Saves each notebook the two
    seconds of imports a kernel started from scratch spends. Needs root (to give each kernel a
    user of its own); :func:`launch_kernel` is used otherwise."""

    CAPS = ("CAP_SYS_ADMIN", "CAP_KILL")  # besides SETUID and SETGID: mounts, and reaping

    def __init__(self, settings: KernelSettings, not_inside: list[Path],
                 handed: HandedFactory | None = None) -> None:
        """Start a factory of this process's own, or take the running one ``handed`` over by
        the process that started it (:mod:`mlchallenge.sandbox.offer`), which waits for it to
        end and removes its control group and folder."""
        self.settings = settings
        self._count = 0
        self._cond = threading.Condition()
        self._write = threading.Lock()
        self._exits: dict[str, int] = {}
        self._reaped: set[str] = set()
        self._adopted: dict[str, str | None] = {}
        self._alive: set[str] = set()
        self._ready: dict | None = None
        self.dead = False
        self.process: subprocess.Popen | None = None
        self.group: Group | None = None
        if handed is None:
            started = start_factory(settings, not_inside)
            self.process, self.root, self.log, self.group = (started.process, started.root,
                                                             started.log, started.group)
            assert self.process.stdin is not None and self.process.stdout is not None
            self._stdin, self._stdout = self.process.stdin, self.process.stdout
            self.pid = self.process.pid
        else:
            try:
                _refuse_course_inside(python_roots(), not_inside)
            except BaseException:
                for fd in (handed.stdin, handed.stdout):  # the factory ends with them
                    with contextlib.suppress(OSError):
                        os.close(fd)
                raise
            self.root, self.log, self.pid = handed.root, handed.log, handed.pid
            self._stdin = os.fdopen(handed.stdin, "wb")
            self._stdout = os.fdopen(handed.stdout, "rb")
        self._reader = threading.Thread(target=self._read, name="kernel-factory", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                if message.get("op") == "ready":
                    self._ready = message
                elif message.get("op") == "exit":
                    self._exits[message["id"]] = int(message["returncode"])
                    self._alive.discard(message["id"])
                elif message.get("op") == "reaped":
                    self._reaped.add(message["id"])
                elif message.get("op") == "adopted":
                    self._adopted[message["id"]] = message.get("error")
                self._cond.notify_all()
        with self._cond:  # the factory is gone, and its kernels with it
            self.dead = True
            for kernel_id in self._alive:
                self._exits.setdefault(kernel_id, -signal.SIGKILL)
            self._alive.clear()
            self._cond.notify_all()

    def request(self, message: dict) -> None:
        with self._write:
            if self.dead or self._stdin.closed:
                return
            try:
                self._stdin.write((json.dumps(message) + "\n").encode())
                self._stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass

    def usable(self, timeout: float = 120) -> str | None:
        """Wait until the factory has imported the libraries and set a kernel up once; returns
        why it cannot make kernels, or None."""
        with self._cond:
            self._cond.wait_for(lambda: self._ready is not None or self.dead, timeout)
            if self._ready is None:
                return "the kernel factory did not start" if self.dead else \
                    "the kernel factory did not answer"
            return None if self._ready.get("ok") else str(self._ready.get("error"))

    def launch(self) -> PreparedKernel:
        self._count += 1
        kernel_id = f"k{self._count}"
        base = self.root / kernel_id
        base.mkdir(mode=0o711)
        work, ipc, connection_file, info = _kernel_folders(base)
        user = sandbox_user()
        _hand_over(user, ipc, work, Path(connection_file))
        os.chmod(ipc, 0o700)
        limits = json.loads(limits_argument(self.settings, None))
        with self._cond:
            self._alive.add(kernel_id)
        self.request({"op": "spawn", "id": kernel_id, "uid": user[0], "limits": limits,
                      "argv": ["-f", connection_file, *KERNEL_ARGS]})
        if self.dead:
            self._exits.setdefault(kernel_id, -signal.SIGKILL)
        return PreparedKernel(base=base, work=work, connection_file=Path(connection_file),
                              info=info, process=ForkedKernel(self, kernel_id),
                              settings=self.settings, user=user)

    def returncode(self, kernel_id: str) -> int | None:
        with self._cond:
            return self._exits.get(kernel_id)

    def wait_exit(self, kernel_id: str, timeout: float | None = None) -> int:
        with self._cond:
            if not self._cond.wait_for(lambda: kernel_id in self._exits, timeout):
                assert timeout is not None  # with none, wait_for returns only once it holds
                raise subprocess.TimeoutExpired(f"kernel {kernel_id}", timeout)
            return self._exits[kernel_id]

    def adopt(self, kernel_id: str, timeout: float = 120) -> str | None:
        """Have the factory copy ``<root>/<id>/stage`` into the kernel's work folder; returns why
        the files did not fit, or None. A factory that ended or does not answer is no fault of
        the files: that raises."""
        self.request({"op": "adopt", "id": kernel_id})
        with self._cond:
            self._cond.wait_for(lambda: kernel_id in self._adopted or self.dead, timeout)
            if kernel_id in self._adopted:
                return self._adopted.pop(kernel_id)
            what = "ended" if self.dead else f"did not answer in {timeout:g} s"
            raise KitError(f"the grading kernels' factory {what} before the submission's files "
                           f"were copied in (its log: {self.log}); grade the submission again")

    def reap(self, kernel_id: str, timeout: float = 30) -> None:
        """Kill the kernel and every process it started, and wait until they are gone."""
        self.request({"op": "reap", "id": kernel_id})
        with self._cond:
            self._cond.wait_for(lambda: kernel_id in self._reaped or self.dead, timeout)

    def alive(self) -> bool:
        return not self.dead and (self.process is None or self.process.poll() is None)

    def close(self) -> None:
        """End the factory (it ends when its requests end) and every kernel it forked."""
        with self._write, contextlib.suppress(OSError):
            self._stdin.close()
        if self.process is None:  # handed over: its starter waits for it and removes the rest
            self._reader.join(15)
            if self._reader.is_alive():
                with contextlib.suppress(OSError):
                    os.killpg(self.pid, signal.SIGKILL)
                self._reader.join(10)
            return
        assert self.group is not None  # started here, with a group
        stop_factory(Started(self.process, self.root, self.log, self.group))


@dataclass
class Started:
    """A factory process this process started: what it must end and remove."""

    process: subprocess.Popen
    root: Path
    log: Path
    group: Group


@dataclass
class HandedFactory:
    """A running factory handed to this process: its request and answer pipes (file
    descriptors now this process's own) and what it was started with."""

    stdin: int
    stdout: int
    pid: int
    root: Path
    log: Path


def start_factory(settings: KernelSettings, not_inside: list[Path]) -> Started:
    """Start a kernel factory in a sandbox of its own, talking over pipes to this process."""
    exposed = python_roots()
    _refuse_course_inside(exposed, not_inside)
    root = _socket_safe_mkdtemp("z-", settings.scratch)
    os.chmod(root, 0o711)
    argv = bwrap_command(settings, None, root, exposed, caps=KernelFactory.CAPS) + ["--clearenv"] + [
        part for name, value in kernel_environment(settings).items()
        for part in ("--setenv", name, value)
    ] + ["--", sys.executable, "-m", "mlchallenge.kernel.zygote", str(root)]
    # what the factory and a kernel that fails to start say, for whoever debugs the grader
    log = root.with_suffix(".log")
    # the factory and every kernel it forks: a CPU share, memory and processes of their own
    group = _group(settings, factory=True)
    with open(log, "wb") as handle:
        process = subprocess.Popen(group.wrap(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=handle, start_new_session=True)
    return Started(process, root, log, group)


def stop_factory(started: Started) -> None:
    """Wait for a factory whose requests have ended (it ends with them), or kill it; then
    remove its control group and its folder."""
    try:
        started.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(started.process.pid, signal.SIGKILL)
        started.process.wait(timeout=10)
    started.group.remove()
    shutil.rmtree(started.root, ignore_errors=True)
    with contextlib.suppress(OSError):
        started.log.unlink()


def die_with_parent() -> None:
    """In a grading worker: end when the process that started it ends, however it ends (a grader
    killed with SIGKILL would otherwise leave its workers, and their kernels, waiting for work
    that never comes). The kernels' sandboxes die with the worker in turn."""
    import ctypes
    import ctypes.util
    import multiprocessing

    starter = multiprocessing.parent_process()
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if starter is None or starter.pid is None or os.getppid() == starter.pid:
        return
    # forked by multiprocessing's forkserver, which ends when the grading process does (and
    # this worker with it, by the signal above): the grading process must be there now
    try:
        os.kill(starter.pid, 0)
    except ProcessLookupError:
        os._exit(1)
    except PermissionError:
        pass


def can_fork_kernels(settings: KernelSettings) -> bool:
    return settings.sandbox and settings.fork and is_root()
