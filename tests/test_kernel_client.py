"""The clients the grading kernels' manager and `mlchallenge check` make: ready as soon as the
kernel has shown it is."""

from __future__ import annotations

import asyncio
import threading

import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager, KernelManager

from mlchallenge.candidate import check
from mlchallenge.sandbox.clients import GradingKernelClient, ReadyKernelClient
from mlchallenge.sandbox.manager import SandboxKernelManager

CHATTY = """
import threading, time

def chatter():
    while True:
        print("tick", flush=True)
        time.sleep(0.02)

threading.Thread(target=chatter, daemon=True).start()
"""


def _dotted(client_class) -> str:
    return f"{client_class.__module__}.{client_class.__name__}"


async def _outputs(client, code: str) -> str:
    """What ``code`` printed, read from IOPub up to its idle status."""
    request = client.execute(code)
    printed = []
    while True:
        message = await client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != request:
            continue
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return "".join(printed)


async def _ready_beside_a_chatty_kernel(client_class, seconds: float) -> bool:
    """Whether a new client of ``client_class`` is ready within ``seconds`` of a kernel that
    prints on IOPub every 20 ms (another client started the printing)."""
    manager = AsyncKernelManager(client_class=_dotted(client_class))
    await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    first = manager.client()
    first.start_channels()
    try:
        await first.wait_for_ready(timeout=60)
        await _outputs(first, CHATTY)
        second = manager.client()
        second.start_channels()
        try:
            await asyncio.wait_for(second.wait_for_ready(timeout=seconds), seconds)
        except TimeoutError:
            return False
        finally:
            second.stop_channels()
        return True
    finally:
        first.stop_channels()
        await manager.shutdown_kernel(now=True)


def test_the_grading_managers_make_grading_clients():
    assert SandboxKernelManager().client_factory is GradingKernelClient
    assert isinstance(SandboxKernelManager().client(), GradingKernelClient)


def test_a_grading_client_is_ready_once_the_kernel_answers_not_once_iopub_is_silent():
    """jupyter_client's own client is ready only after 0.2 s without any IOPub message, which a
    kernel that keeps printing never gives it; a grading client is ready once the kernel has
    answered kernel_info and IOPub carried the idle status after it, and then runs code."""
    assert asyncio.run(_ready_beside_a_chatty_kernel(GradingKernelClient, 20))
    # (jupyter_client's never is: its wait for silence has no end)
    assert not asyncio.run(_ready_beside_a_chatty_kernel(AsyncKernelClient, 3))


def test_a_ready_grading_client_reads_a_cell_s_output_and_nothing_from_before():
    async def run() -> tuple[str, bool]:
        manager = AsyncKernelManager(client_class=_dotted(GradingKernelClient))
        await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            # the kernel_info request's busy and idle statuses were read by the wait
            left_over = await client.iopub_channel.msg_ready()
            return await _outputs(client, "print(6 * 7)"), left_over
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    printed, left_over = asyncio.run(run())
    assert printed == "42\n"
    assert not left_over


def _blocking_ready_beside_a_chatty_kernel(client_class, seconds: float) -> bool:
    """As ``_ready_beside_a_chatty_kernel``, for a blocking client of a blocking manager (what
    `mlchallenge check` uses): its wait runs in a thread, given up after ``seconds``; only a wait
    that returned counts (one that raised does not)."""
    manager = KernelManager(client_class=_dotted(client_class))
    manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    first = manager.client()
    first.start_channels()
    second = None
    ready = threading.Event()
    try:
        first.wait_for_ready(timeout=60)
        first.execute_interactive(CHATTY, timeout=60, output_hook=lambda message: None)
        second = manager.client()
        second.start_channels()
        client = second

        def wait() -> None:
            client.wait_for_ready(timeout=seconds)
            ready.set()

        threading.Thread(target=wait, daemon=True).start()
        return ready.wait(seconds)
    finally:
        for client in (first, second):
            if client is not None:
                client.stop_channels()
        manager.shutdown_kernel(now=True)


# jupyter_client's waiter, given up on, fails once its channels are closed under it
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_check_s_blocking_client_is_ready_once_the_kernel_answers():
    assert _blocking_ready_beside_a_chatty_kernel(ReadyKernelClient, 20)
    assert not _blocking_ready_beside_a_chatty_kernel(BlockingKernelClient, 3)


def test_check_runs_the_notebook_with_a_ready_kernel_client(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    manager = check._start_kernel(notebook)
    try:
        assert isinstance(manager.client(), ReadyKernelClient)
    finally:
        check._end_kernel(manager)
