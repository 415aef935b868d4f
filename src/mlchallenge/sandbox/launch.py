"""Starting grading kernels: one on its own under bubblewrap, or forked from a factory that
imported the common libraries once; and a pool per grading process that keeps the next one
ready.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from jupyter_client.connect import KernelConnectionInfo, write_connection_file

from mlchallenge.core.errors import KitError
from mlchallenge.sandbox.cgroups import Group, group_for, remove_parents
from mlchallenge.sandbox.settings import (
    KernelSettings,
    bwrap_command,
    is_root,
    kernel_environment,
    limits_argument,
    python_roots,
    sandbox_user,
)


@dataclass
class PreparedKernel:
    """A kernel process launched ahead of time, with its own empty working folder."""

    base: Path
    work: Path
    connection_file: Path
    info: KernelConnectionInfo
    process: subprocess.Popen | ForkedKernel
    settings: KernelSettings
    user: tuple[int, int] | None = None
    group: Group | None = None  # its control group, when it is a sandbox of its own

    def adopt_files(self, folder: str | os.PathLike[str] | None) -> None:
        """Copy the submission's folder (notebook and data) into the kernel's working folder. A
        forked kernel's is a tmpfs in its factory's view: the files are staged beside it and the
        factory copies them in, as the kernel's user, within the folder's caps."""
        forked = isinstance(self.process, ForkedKernel)
        target = self.base / "stage" if forked else self.work
        if folder and Path(folder).is_dir():
            shutil.copytree(folder, target, dirs_exist_ok=True, symlinks=True)
        if self.user is not None and target.is_dir():
            for path in [target, *target.rglob("*")]:
                with contextlib.suppress(OSError):
                    os.chown(path, *self.user, follow_symlinks=False)
        if isinstance(self.process, ForkedKernel):
            try:
                problem = self.process.factory.adopt(self.process.kernel_id)
            finally:
                shutil.rmtree(target, ignore_errors=True)
            if problem:
                limits = self.settings.limits
                raise KitError(
                    f"the submission's files do not fit the kernel's work folder ({problem}): "
                    f"it holds {limits.work_mb} MB and {limits.work_files} files "
                    "(GradingExecute.max_work_mb and max_work_files in nbgrader_config.py)")

    def kill(self) -> None:
        """End the kernel and every process it started."""
        if isinstance(self.process, ForkedKernel):
            self.process.kill()
            return
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.base, ignore_errors=True)
        if self.group is not None:
            self.group.remove()


def _refuse_course_inside(exposed: list[Path], not_inside: list[Path]) -> None:
    for folder in not_inside:
        for root in exposed:
            if root == folder or root in folder.parents:
                raise KitError(
                    f"cannot sandbox the grading kernel: the Python environment or the kit at "
                    f"{root} contains {folder}, so the kernel would see the course; install the "
                    "kit in an environment outside the course folder"
                )


def _socket_safe_mkdtemp(prefix: str) -> Path:
    """A new private folder for kernel sockets: under the process's temporary folder when the
    sockets' paths fit the Unix limit (107 bytes), else directly under /tmp (a Dask worker's
    scratch space, for one, is nested too deep)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if len(str(path)) + len("/k999999/ipc/k-5") > 107 and Path("/tmp").is_dir():
        path.rmdir()
        path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    return path


def _kernel_folders(base: Path) -> tuple[Path, Path, str, KernelConnectionInfo]:
    """A kernel's empty working folder and its connection folder and file (ipc transport)."""
    ipc = base / "ipc"
    work = base / "work"
    ipc.mkdir()
    work.mkdir()
    connection_file, written = write_connection_file(
        fname=str(ipc / "kernel.json"), ip=str(ipc / "k"), transport="ipc",
        key=secrets.token_hex(32).encode(), signature_scheme="hmac-sha256",
        kernel_name="python3",
    )
    info: dict[str, Any] = dict(written)
    if isinstance(info.get("key"), bytes):
        info["key"] = info["key"].decode()
    return work, ipc, connection_file, cast(KernelConnectionInfo, info)  # its key a str, as typed


def _hand_over(user: tuple[int, int], *paths: Path) -> None:
    for path in paths:
        os.chown(path, *user)


KERNEL_ARGS = ("--HistoryManager.hist_file=:memory:",)


def launch_kernel(settings: KernelSettings, not_inside: Sequence[Path] = ()) -> PreparedKernel:
    """Launch a fresh kernel process now, in a sandbox of its own; it answers once its imports
    are done."""
    base = _socket_safe_mkdtemp("k-")
    os.chmod(base, 0o711)
    work, ipc, connection_file, info = _kernel_folders(base)
    user = sandbox_user() if settings.sandbox and is_root() else None
    argv = [sys.executable, "-m", "mlchallenge.kernel.boot", limits_argument(settings, user),
            "-f", connection_file, *KERNEL_ARGS]
    if settings.sandbox:
        exposed = python_roots()
        _refuse_course_inside(exposed, list(not_inside))
        if user is not None:
            _hand_over(user, ipc, work, Path(connection_file))
            os.chmod(ipc, 0o700)
        argv = bwrap_command(settings, work, ipc, exposed) + ["--clearenv"] + [
            part for name, value in kernel_environment(settings).items()
            for part in ("--setenv", name, value)
        ] + ["--", *argv]
        env = None
        cwd = None
    else:
        env = kernel_environment(settings)
        cwd = str(work)
    group = _group(settings, factory=False) if settings.sandbox else None
    process = subprocess.Popen(
        group.wrap(argv) if group is not None else argv, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True,
    )
    return PreparedKernel(base=base, work=work, connection_file=Path(connection_file), info=info,
                          process=process, settings=settings, user=user, group=group)


def _group(settings: KernelSettings, *, factory: bool) -> Group:
    limits = settings.limits
    return group_for(limits.memory_mb, limits.tmp_mb, limits.processes, factory=factory,
                     work_mb=limits.work_mb if factory else 0)


class ForkedKernel:
    """subprocess.Popen's interface for a kernel that a :class:`KernelFactory` forked. It has no
    pid of the grader's: it is signalled and ended through the factory."""

    stdin = stdout = stderr = None
    pid = None

    def __init__(self, factory: KernelFactory, kernel_id: str) -> None:
        self.factory = factory
        self.kernel_id = kernel_id

    @property
    def returncode(self) -> int | None:
        return self.factory.returncode(self.kernel_id)

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        return self.factory.wait_exit(self.kernel_id, timeout)

    def send_signal(self, signum: int) -> None:
        self.factory.request({"op": "signal", "id": self.kernel_id, "signal": int(signum)})

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.factory.reap(self.kernel_id)


class KernelFactory:
    """One sandbox per grading process in which :mod:`mlchallenge.kernel.zygote` has imported
    numpy, pandas, scikit-learn and the checks once, and forks a fresh kernel process for each
    notebook: each with its own mount namespace (its own work folder, /tmp and $HOME, the other
    kernels' folders hidden), its own user and its own limits. Saves each notebook the two
    seconds of imports a kernel started from scratch spends. Needs root (to give each kernel a
    user of its own); :func:`launch_kernel` is used otherwise."""

    CAPS = ("CAP_SYS_ADMIN", "CAP_KILL")  # besides SETUID and SETGID: mounts, and reaping

    def __init__(self, settings: KernelSettings, not_inside: list[Path]) -> None:
        exposed = python_roots()
        _refuse_course_inside(exposed, not_inside)
        self.settings = settings
        self.root = _socket_safe_mkdtemp("z-")
        os.chmod(self.root, 0o711)
        self._count = 0
        self._cond = threading.Condition()
        self._write = threading.Lock()
        self._exits: dict[str, int] = {}
        self._reaped: set[str] = set()
        self._adopted: dict[str, str | None] = {}
        self._alive: set[str] = set()
        self._ready: dict | None = None
        self.dead = False
        argv = bwrap_command(settings, None, self.root, exposed, caps=self.CAPS) + ["--clearenv"] + [
            part for name, value in kernel_environment(settings).items()
            for part in ("--setenv", name, value)
        ] + ["--", sys.executable, "-m", "mlchallenge.kernel.zygote", str(self.root)]
        # what the factory and a kernel that fails to start say, for whoever debugs the grader
        self.log = self.root.with_suffix(".log")
        # the factory and every kernel it forks: a CPU share, memory and processes of their own
        self.group = _group(settings, factory=True)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(self.group.wrap(argv), stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=log, start_new_session=True)
        self._reader = threading.Thread(target=self._read, name="kernel-factory", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None  # started with stdout=PIPE
        for line in self.process.stdout:
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
            if self.dead or self.process.stdin is None:
                return
            try:
                self.process.stdin.write((json.dumps(message) + "\n").encode())
                self.process.stdin.flush()
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
        return not self.dead and self.process.poll() is None

    def close(self) -> None:
        with self._write, contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.group.remove()
        shutil.rmtree(self.root, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.log.unlink()


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


class KernelPool:
    """Keeps one kernel launched ahead of time for the next notebook of these settings."""

    def __init__(self, settings: KernelSettings) -> None:
        self.settings = settings
        self._next: PreparedKernel | None = None
        self._lock = threading.Lock()
        self._factory: KernelFactory | None = None
        self._checked = False  # whether the factory was seen to make kernels
        self._fork = can_fork_kernels(settings)

    def _launch(self, not_inside: Sequence[Path]) -> PreparedKernel:
        if not self._fork:
            return launch_kernel(self.settings, not_inside)
        if self._factory is None or not self._factory.alive():
            if self._factory is not None:
                self._factory.close()
            self._factory = KernelFactory(self.settings, list(not_inside))
            self._checked = False
        else:
            _refuse_course_inside(python_roots(), list(not_inside))
        if not self._checked:
            self._checked = True
            problem = self._factory.usable()
            if problem:
                warnings.warn(f"grading kernels are started one by one: they cannot be forked "
                              f"here ({problem})", RuntimeWarning, stacklevel=2)
                self._factory.close()
                self._factory = None
                self._fork = False
                return launch_kernel(self.settings, not_inside)
        return self._factory.launch()

    def prepare(self, not_inside: Sequence[Path] = ()) -> None:
        """Start the kernel factory now, without waiting for it: its imports run while the
        caller goes on, and the first ``take`` waits for what is left. Call it from the thread
        that takes the kernels (the factory ends with the thread that started it). Whatever
        fails here is met again, and reported, by ``take``."""
        with self._lock:
            if not self._fork or self._factory is not None:
                return
            try:
                self._factory = KernelFactory(self.settings, list(not_inside))
                self._checked = False
            except Exception:  # noqa: BLE001 - take() starts one again and says why it cannot
                self._factory = None

    def take(self, not_inside: Sequence[Path] = ()) -> PreparedKernel:
        with self._lock:
            kernel, self._next = self._next, None
            if kernel is None or kernel.process.poll() is not None:
                if kernel is not None:
                    kernel.remove()
                kernel = self._launch(not_inside)
            self._next = self._launch(not_inside)
            return kernel

    def close(self) -> None:
        with self._lock:
            if self._next is not None:
                self._next.remove()
                self._next = None
            if self._factory is not None:
                self._factory.close()
                self._factory = None


_POOLS: dict[KernelSettings, KernelPool] = {}


def pool_for(settings: KernelSettings) -> KernelPool:
    pool = _POOLS.get(settings)
    if pool is None:
        pool = _POOLS[settings] = KernelPool(settings)
    return pool


@atexit.register
def close_pools() -> None:
    for pool in _POOLS.values():
        pool.close()
    _POOLS.clear()
    remove_parents()

