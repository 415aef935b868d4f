"""A kernel factory started by the grading command itself, before its workers exist, and handed
to the first worker that asks for it.

A factory's imports (numpy, pandas, scikit-learn, ipykernel: over a second of CPU) would
otherwise start only once a worker is forked, after the workers' server has imported nbgrader;
started by the command, they run beside that server's imports. The first worker takes the
factory's request and answer pipes over a Unix socket in the run's folder (the descriptors
themselves, ``SCM_RIGHTS``); from then on it is that worker's factory, as if it had started it,
and the command holds nothing of it. Any other worker starts one of its own.

The command keeps what the worker cannot: it waits for the factory to end (the factory ends
when its worker closes its requests, or ends), kills it if it does not, and removes its control
group and folder (:meth:`FactoryOffer.close`). The factory dies with the command (bubblewrap's
``--die-with-parent``). Only a process of the command's own user may take it, once.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import threading
from dataclasses import asdict
from pathlib import Path

from mlchallenge.sandbox.cgroups import remove_parents
from mlchallenge.sandbox.factory import HandedFactory, Started, start_factory, stop_factory
from mlchallenge.sandbox.settings import KernelSettings

SOCKET_NAME = "factory.sock"
TAKE_SECONDS = 10.0


def _comparable(settings: KernelSettings, scratch: str | None) -> str:
    """Settings as the factory depends on them: where each process makes its own kernels'
    folders (``scratch``) aside."""
    fields = asdict(settings)
    fields["scratch"] = scratch
    return json.dumps(fields, sort_keys=True)


class FactoryOffer:
    """A kernel factory started now, with ``settings``, and offered at :attr:`address` (a Unix
    socket in ``folder``) to the first process of this user that takes it."""

    def __init__(self, settings: KernelSettings, not_inside: list[Path], folder: Path) -> None:
        self.settings = settings
        self.address = folder / SOCKET_NAME
        self.taken = False
        self._lock = threading.Lock()
        self._closed = False
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._listener.bind(str(self.address))
            os.chmod(self.address, 0o600)
            self._listener.listen(4)
        except OSError:
            self._listener.close()
            raise
        try:
            self.started: Started | None = start_factory(settings, not_inside)
        except BaseException:
            self._stop_listening()
            raise
        self._thread = threading.Thread(target=self._serve, name="factory-offer", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed: the offer is over
                return
            with connection:
                if self._hand_over(connection):
                    self._stop_listening()
                    return

    def _hand_over(self, connection: socket.socket) -> bool:
        """Send the factory's pipes to the process at ``connection`` if it is of this user."""
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                            struct.calcsize("3i"))
        _, uid, _ = struct.unpack("3i", credentials)
        with self._lock:
            started = self.started
            if uid != os.getuid() or self._closed or started is None or self.taken:
                return False
            assert started.process.stdin is not None and started.process.stdout is not None
            about = {"pid": started.process.pid, "root": str(started.root), "log": str(started.log),
                     "settings": _comparable(self.settings, None)}
            self.taken = True  # before the taker hears of it
            try:
                socket.send_fds(connection, [json.dumps(about).encode()],
                                [started.process.stdin.fileno(), started.process.stdout.fileno()])
            except OSError:
                self.taken = False
                return False
            # the taker holds the pipes now: the factory ends when it closes them, or ends
            started.process.stdin.close()
            started.process.stdout.close()
            return True

    def _stop_listening(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with contextlib.suppress(OSError):
            self.address.unlink()

    def close(self) -> None:
        """End the offer; wait for the factory to end (untaken, it ends now), or kill it; remove
        its control group and folder."""
        with self._lock:
            self._closed = True
            started, self.started = self.started, None
        self._stop_listening()
        self._thread.join(5)
        if started is None:
            return
        for pipe in (started.process.stdin, started.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        if not self.taken:  # no kernel of anyone's in it: no need to wait for its imports
            with contextlib.suppress(OSError):
                os.killpg(started.process.pid, signal.SIGKILL)
        stop_factory(started)
        remove_parents()  # the control groups' parent of this process, once empty


def take_offer(address: str | Path | None, settings: KernelSettings) -> HandedFactory | None:
    """The factory offered at ``address``, if there is one to take and it was started with
    ``settings`` (where kernels' folders go aside); else None, and whoever asked starts its
    own."""
    if not address:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(TAKE_SECONDS)
        try:
            connection.connect(str(address))
            message, fds, _, _ = socket.recv_fds(connection, 65536, 2)
        except OSError:
            return None
    try:
        for fd in fds:  # this process's own from now on, and none of its children's
            os.set_inheritable(fd, False)
        about = json.loads(message)
        if len(fds) != 2 or about["settings"] != _comparable(settings, None):
            raise ValueError("not the factory these settings make")
        return HandedFactory(stdin=fds[0], stdout=fds[1], pid=int(about["pid"]),
                             root=Path(about["root"]), log=Path(about["log"]))
    except (ValueError, KeyError, TypeError, OSError):
        for fd in fds:  # the factory ends once these are closed
            with contextlib.suppress(OSError):
                os.close(fd)
        return None
