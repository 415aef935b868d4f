"""``SandboxKernelManager``: the jupyter_client kernel manager nbgrader's Execute uses, taking its
kernels from the pool; and ``GradingKernelClient``, the client it makes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any, cast

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type

from mlchallenge.sandbox.launch import ForkedKernel, KernelPool, PreparedKernel

IOPUB_WAIT = 0.2  # seconds for IOPub to show it is connected, as jupyter_client waits


class GradingKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, whose wait for a ready kernel ends as soon as the
    kernel has shown it is: it answered ``kernel_info`` on the shell channel, and IOPub carried
    the idle status that follows that request (so IOPub is connected, and everything the kernel
    published before it has been read). jupyter_client's own wait reads IOPub until it has
    been silent for 0.2 s, which every notebook would spend idle. A kernel whose IOPub missed the
    status (it was not yet subscribed) is asked again, as jupyter_client asks again."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            reply = await self._message(self.shell_channel, request, "kernel_info_reply", 1.0)
            if reply is not None and await self._message(self.iopub_channel, request, "status",
                                                         IOPUB_WAIT, state="idle"):
                self._handle_kernel_info_reply(reply)
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    @staticmethod
    async def _message(channel, request: str, kind: str, wait: float,
                       state: str | None = None) -> dict[str, Any] | None:
        """The first message of type ``kind`` on ``channel`` answering ``request`` (with
        ``execution_state`` ``state``, when given) within ``wait`` seconds; others are read and
        dropped, as nbclient drops what does not answer its own requests."""
        end = time.monotonic() + wait
        while (left := end - time.monotonic()) > 0:
            try:
                message = await channel.get_msg(timeout=left)
            except Empty:
                return None
            if (message.get("msg_type") == kind
                    and message.get("parent_header", {}).get("msg_id") == request
                    and (state is None or message.get("content", {}).get("execution_state") == state)):
                return message
        return None


class SandboxKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, but the kernel comes from a :class:`KernelPool`: launched
    ahead of time (sandboxed or not), and handed this notebook's folder when taken. Its clients
    are :class:`GradingKernelClient`."""

    client_class = DottedObjectName(f"{__name__}.GradingKernelClient", config=True)
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

