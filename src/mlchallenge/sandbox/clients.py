"""Kernel clients that are ready as soon as the kernel has shown it is.

A client is ready once the kernel answered ``kernel_info`` on the shell channel and IOPub carried
the idle status that follows that request: IOPub is then connected, and everything the kernel
published before it has been read. jupyter_client's own ``wait_for_ready`` goes on reading IOPub
until it has been silent for 0.2 s, which every graded notebook (and every ``mlchallenge check``)
would spend idle, and which a kernel that keeps printing never gives it. A kernel whose IOPub
missed the status (the client was not yet subscribed) is asked again, as jupyter_client asks
again. Messages that answer nothing of the client's are dropped on the way, as nbclient drops
them: it reads only the replies to its own requests.

- :class:`GradingKernelClient` (asynchronous): what the grading kernels' manager makes.
- :class:`ReadyKernelClient` (blocking): what ``mlchallenge check``'s kernel manager makes.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_core.utils import ensure_async, run_sync

IOPUB_WAIT = 0.2  # seconds for IOPub to show it is connected, as jupyter_client waits
SHELL_WAIT = 1.0  # seconds for a kernel_info reply before asking again, as jupyter_client does


async def wait_until_ready(client, timeout: float | None = None) -> None:
    """Return once ``client``'s kernel is ready (above); raise RuntimeError, with
    jupyter_client's messages, if it died first or did not answer within ``timeout``."""
    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    while True:
        request = client.kernel_info()
        reply = await _answer(client.shell_channel, request, "kernel_info_reply", SHELL_WAIT)
        if reply is not None and await _answer(client.iopub_channel, request, "status",
                                               IOPUB_WAIT, state="idle"):
            client._handle_kernel_info_reply(reply)  # the protocol version, as jupyter_client
            return
        if not await ensure_async(client.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


async def _answer(channel, request: str, kind: str, wait: float,
                  state: str | None = None) -> dict[str, Any] | None:
    """The first message of type ``kind`` on ``channel`` answering ``request`` (with
    ``execution_state`` ``state``, when given) within ``wait`` seconds, or None."""
    end = time.monotonic() + wait
    while (left := end - time.monotonic()) > 0:
        try:
            message = await ensure_async(channel.get_msg(timeout=left))
        except Empty:
            return None
        if (message.get("msg_type") == kind
                and message.get("parent_header", {}).get("msg_id") == request
                and (state is None or message.get("content", {}).get("execution_state") == state)):
            return message
    return None


class GradingKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, ready as soon as the kernel has shown it is."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        await wait_until_ready(self, timeout)


class ReadyKernelClient(BlockingKernelClient):
    """jupyter_client's blocking client, ready as soon as the kernel has shown it is."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        run_sync(wait_until_ready)(self, timeout)
