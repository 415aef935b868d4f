"""Starting grading kernels: one on its own under bubblewrap, or forked from a factory that
imported the common libraries once; and a pool per grading process that keeps the next one
ready.
"""

from __future__ import annotations

import atexit
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

from mlchallenge.sandbox.cgroups import remove_parents
from mlchallenge.sandbox.factory import KernelFactory, can_fork_kernels, die_with_parent
from mlchallenge.sandbox.kernels import ForkedKernel, PreparedKernel, _refuse_course_inside, launch_kernel
from mlchallenge.sandbox.offer import take_offer
from mlchallenge.sandbox.settings import (
    KernelSettings,
    python_roots,
)

__all__ = ["ForkedKernel", "KernelFactory", "KernelPool", "PreparedKernel", "can_fork_kernels",
           "close_pools", "die_with_parent", "launch_kernel", "pool_for"]


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
                self._stop_forking(problem)
                return launch_kernel(self.settings, not_inside)
        return self._factory.launch()

    def _stop_forking(self, problem: str) -> None:
        warnings.warn(f"grading kernels are started one by one: they cannot be forked here "
                      f"({problem})", RuntimeWarning, stacklevel=3)
        if self._factory is not None:
            self._factory.close()
        self._factory = None
        self._fork = False

    def prepare(self, not_inside: Sequence[Path] = (), offer: str | None = None) -> None:
        """Start the kernel factory now, without waiting for it, and ask it for the first
        kernel: its imports run while the caller goes on, the kernel is forked as soon as they
        are done, and the first ``take`` waits for what is left. With ``offer`` (the address of
        a :class:`mlchallenge.sandbox.offer.FactoryOffer`), take the factory offered there when
        it is still to be had, for these settings. Call it from the thread that takes the
        kernels (the factory ends with the thread that started it). Whatever fails here is met
        again, and reported, by ``take``."""
        with self._lock:
            if not self._fork or self._factory is not None:
                return
            try:
                handed = take_offer(offer, self.settings)
                self._factory = KernelFactory(self.settings, list(not_inside), handed)
                self._checked = False
                self._next = self._factory.launch()
            except Exception:  # noqa: BLE001 - take() starts one again and says why it cannot
                if self._factory is not None:
                    self._factory.close()
                self._factory = self._next = None

    def take(self, not_inside: Sequence[Path] = ()) -> PreparedKernel:
        with self._lock:
            kernel, self._next = self._next, None
            if kernel is not None and isinstance(kernel.process, ForkedKernel) and not self._checked:
                # asked for before the factory was seen to make kernels (``prepare``)
                self._checked = True
                problem = self._factory.usable() if self._factory is not None else "it ended"
                if problem:
                    kernel.remove()
                    kernel = None
                    self._stop_forking(problem)
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

