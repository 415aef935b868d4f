"""Throwaway services on this machine, for the tests and benchmarks/scale.py: a PostgreSQL server
(Debian's `postgresql` package, a fresh data directory, a loopback port) and a Dask cluster
(`dask scheduler` and `dask worker` processes on loopback). Both are the real programs, started
as subprocesses and stopped (with their data) when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mlchallenge.core.errors import KitError

POSTGRES_HINT = ("install Debian's postgresql package (`make postgres` does it as root, or "
                 "`sudo apt-get install postgresql`)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path:
    """The newest PostgreSQL server programs Debian installed (initdb, pg_ctl)."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not found:
        on_path = shutil.which("initdb")
        if on_path:
            return Path(os.path.realpath(on_path)).parent
        raise KitError(f"PostgreSQL's initdb was not found under /usr/lib/postgresql: {POSTGRES_HINT}")
    return found[-1]


@dataclass
class LocalPostgres:
    """A PostgreSQL server on 127.0.0.1, trust authentication, as the `postgres` system user when
    run as root (the server refuses to run as root)."""

    base: Path
    port: int
    bindir: Path
    user: str | None  # the system user the server runs as (None: this process's user)
    fast: bool = True  # fsync off: for tests; a benchmark of writes keeps the durable defaults

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = list(argv)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=self.base)

    def start(self) -> None:
        done = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        if done.returncode != 0:
            raise KitError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' "
                   "-c max_connections=200")
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                         str(self.base / "server.log"), "-w", "-t", "60", "-o", options, "start")
        if done.returncode != 0:
            log = (self.base / "server.log").read_text(errors="replace")[-2000:] \
                if (self.base / "server.log").exists() else ""
            raise KitError(f"PostgreSQL did not start: {done.stderr.strip()} {log}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                      "stop")

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def local_postgres(fast: bool = True) -> Iterator[LocalPostgres]:
    bindir = postgres_bindir()
    base = Path(tempfile.mkdtemp(prefix="mlc-postgres-"))
    user = None
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise KitError(f"no `postgres` system user to run the server as: {POSTGRES_HINT}") from None
        os.chown(base, account.pw_uid, account.pw_gid)
        user = "postgres"
    server = LocalPostgres(base=base, port=free_port(), bindir=bindir, user=user, fast=fast)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class LocalDask:
    """A `dask scheduler` and `dask worker` processes on loopback, each worker one thread."""

    address: str
    base: Path
    scheduler: subprocess.Popen
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start_worker(self, name: str) -> subprocess.Popen:
        # its own process group: killing it takes its nanny, worker process and kernels at once
        log = open(self.base / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "dask"), "worker", self.address, "--name", name,
             "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
             "--local-directory", str(self.base / name)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            cwd=self.base)
        log.close()
        self.workers[name] = process
        return process

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker's whole process group: a machine that is gone."""
        process = self.workers.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30, set_as_default=False)

    def wait_for_workers(self, count: int, timeout: float = 120) -> None:
        with self.client() as client:
            client.wait_for_workers(count, timeout=timeout)

    def stop(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in [*self.workers.values(), self.scheduler]:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@contextlib.contextmanager
def local_dask(workers: int = 2) -> Iterator[LocalDask]:
    base = Path(tempfile.mkdtemp(prefix="mlc-dask-"))
    port = free_port()
    log = open(base / "scheduler.log", "wb")  # noqa: SIM115 - closed with the process
    scheduler = subprocess.Popen(
        [str(Path(sys.executable).parent / "dask"), "scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        cwd=base)
    log.close()
    cluster = LocalDask(address=f"tcp://127.0.0.1:{port}", base=base, scheduler=scheduler)
    try:
        for number in range(workers):
            cluster.start_worker(f"w{number}")
        cluster.wait_for_workers(workers)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
