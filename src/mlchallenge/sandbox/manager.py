"""``SandboxKernelManager``: the jupyter_client kernel manager nbgrader's Execute uses, taking its
kernels from the pool; its clients are :class:`mlchallenge.sandbox.clients.GradingKernelClient`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import uuid
from pathlib import Path
from typing import cast

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type

from mlchallenge.sandbox.clients import GradingKernelClient
from mlchallenge.sandbox.launch import ForkedKernel, KernelPool, PreparedKernel


class SandboxKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, but the kernel comes from a :class:`KernelPool`: launched
    ahead of time (sandboxed or not), and handed this notebook's folder when taken. Its clients
    are :class:`GradingKernelClient`."""

    client_class = DottedObjectName("mlchallenge.sandbox.clients.GradingKernelClient", config=True)
    client_factory = Type(klass=GradingKernelClient, config=True)
    pool: KernelPool | None = None
    not_inside: tuple[Path, ...] | list[Path] = ()
    prepared: PreparedKernel | None = None

    async def _async_pre_start_kernel(self, **kw):
        self.shutting_down = False
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        self._launch_args = kw.copy()
        self.provisioner = LocalProvisioner(kernel_id=self.kernel_id, kernel_spec=None, parent=self)
        return [], kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.pool is None:
            raise RuntimeError("SandboxKernelManager needs a pool")
        prepared = self.pool.take(self.not_inside)
        try:
            prepared.adopt_files(kw.get("cwd"))
        except BaseException:
            prepared.remove()  # a submission that does not fit: its kernel ends here
            raise
        self.prepared = prepared
        provisioner = cast(LocalProvisioner, self.provisioner)  # set by _async_pre_start_kernel
        # a ForkedKernel has the part of Popen's interface the provisioner uses, but is no Popen
        provisioner.process = prepared.process  # type: ignore[assignment]
        # a forked kernel has no pid of ours: it is signalled through its factory
        provisioner.pid = provisioner.pgid = prepared.process.pid
        provisioner.connection_info = prepared.info
        self.connection_file = str(prepared.connection_file)
        self.load_connection_info(prepared.info)
        self._connection_file_written = True

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        with contextlib.suppress(Exception):
            await super()._async_cleanup_resources(restart=restart)
        if self.prepared is not None:
            self.prepared.remove()

    async def _async_signal_kernel(self, signum: int) -> None:
        """Signal the kernel itself: inside a sandbox it runs in a session of its own under
        bubblewrap, which does not pass signals on, so an interrupt sent to the process we
        started would never reach the cell it is meant to stop."""
        prepared = self.prepared
        if prepared is not None and isinstance(prepared.process, ForkedKernel):
            prepared.process.send_signal(signum)
            return
        if prepared is not None and prepared.settings.sandbox:
            assert prepared.process.pid is not None  # a forked kernel (no pid) returned above
            for pid in sandboxed_processes(prepared.process.pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signum)
            return
        await super()._async_signal_kernel(signum)

    def exit_reason(self) -> str:
        """Why the kernel process ended, in words a candidate understands."""
        prepared = self.prepared
        if prepared is None:
            return "the kernel died"
        with contextlib.suppress(subprocess.TimeoutExpired):
            prepared.process.wait(timeout=5)
        code = prepared.process.returncode
        if code is None:
            return "the kernel stopped answering"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            if name == "SIGKILL":
                return ("the kernel was killed (SIGKILL), usually because it ran out of memory "
                        f"(limit {self.pool.settings.limits.memory_mb} MB)" if self.pool else
                        "the kernel was killed (SIGKILL)")
            if name == "SIGSEGV":
                return "the kernel crashed (segmentation fault)"
            return f"the kernel was killed by {name}"
        return f"the kernel exited with code {code} (os._exit or a crash in native code)"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def sandboxed_processes(pid: int) -> list[int]:
    """The processes running under the bubblewrap process ``pid``, bubblewrap's own left out."""
    result, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        todo += _children(child)
        with contextlib.suppress(OSError):
            if Path(f"/proc/{child}/comm").read_text().strip() != "bwrap":
                result.append(child)
    return result

