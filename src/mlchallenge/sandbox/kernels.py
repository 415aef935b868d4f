"""A grading kernel prepared before a notebook needs it, and one started on its own under
bubblewrap (:func:`launch_kernel`): its folders, connection file, user and cgroup."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

from jupyter_client.connect import KernelConnectionInfo, write_connection_file

from mlchallenge.core.errors import KitError
from mlchallenge.sandbox.cgroups import Group, group_for
from mlchallenge.sandbox.settings import (
    KernelSettings,
    bwrap_command,
    is_root,
    kernel_environment,
    limits_argument,
    python_roots,
    sandbox_user,
)


class Factory(Protocol):
    """What a forked kernel asks of its factory (:class:`mlchallenge.sandbox.factory.KernelFactory`)."""

    def returncode(self, kernel_id: str) -> int | None: ...
    def wait_exit(self, kernel_id: str, timeout: float | None = None) -> int: ...
    def request(self, message: dict) -> None: ...
    def reap(self, kernel_id: str, timeout: float = 30) -> None: ...
    def adopt(self, kernel_id: str, timeout: float = 120) -> str | None: ...


class ForkedKernel:
    """subprocess.Popen's interface for a kernel that a :class:`KernelFactory` forked. It has no
    pid of the grader's: it is signalled and ended through the factory."""

    stdin = stdout = stderr = None
    pid = None

    def __init__(self, factory: Factory, kernel_id: str) -> None:
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


def _socket_safe_mkdtemp(prefix: str, scratch: str | None = None) -> Path:
    """A new private folder for kernel sockets: under ``scratch`` (else the temporary folder)
    when the sockets' paths fit the Unix limit (107 bytes), else directly under /tmp (a Dask
    worker's scratch space, for one, is nested too deep)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch))
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
    base = _socket_safe_mkdtemp("k-", settings.scratch)
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
