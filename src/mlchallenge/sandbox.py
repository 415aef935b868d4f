"""Grading kernels: sandboxed with bubblewrap, limited, and started ahead of time.

A grading kernel sees a read-only system and Python environment, a private /tmp, no network,
and one writable folder: a fresh copy of the submission it grades. The gradebook, source/,
the full datasets, other candidates' folders and the rest of the machine are simply not there.
Its hidden-data view (``MLCHALLENGE_DATASETS``) is handed in read-only.

Each kernel is a new process. The next one is launched as soon as the current one is taken, so
it starts and imports numpy / pandas / scikit-learn (:mod:`mlchallenge.kernel_boot`) while the
current submission runs; the submission's files are copied into its empty working folder only
when it is taken.
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
import uuid
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jupyter_client.connect import write_connection_file
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from .cgroups import Group, group_for, remove_parents
from .errors import KitError

SANDBOX_HOME = "/home/candidate"
SANDBOX_WORK = f"{SANDBOX_HOME}/work"
SANDBOX_DATA = "/opt/mlchallenge/datasets"
# A root-run sandbox drops to an unprivileged user of its own: the process limit counts per
# user, so two kernels sharing one (say "nobody") would share it, and one candidate's fork bomb
# would stop the next candidate's kernel from starting. Each process that launches kernels has
# its own block of ids, from a range no account uses, and cycles through it: a kernel's id is
# used again only long after that kernel and all it started were killed (which, for a forked
# kernel, is done by killing every process of its user: two live kernels must never share one).
_UID_BASE = 1_100_000
_UIDS_PER_PROCESS = 16
_launched = 0


def _sandbox_user() -> tuple[int, int]:
    global _launched
    _launched += 1
    uid = (_UID_BASE + (os.getpid() % 200_000) * _UIDS_PER_PROCESS
           + _launched % _UIDS_PER_PROCESS)
    return uid, uid

INSTALL_HINT = (
    "install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`; `make install` does it when "
    "run as root), or pass --no-sandbox to grade trusted submissions without one"
)


@dataclass(frozen=True)
class Limits:
    """What one grading kernel may use. Time limits are enforced by the grader, the others by
    the kernel's resource limits (rlimits)."""

    cell_seconds: int = 120
    notebook_seconds: int = 900
    memory_mb: int = 4096
    processes: int = 64
    output_kb: int = 1024
    file_mb: int = 512
    tmp_mb: int = 512  # each of the kernel's /tmp, $HOME and /dev/shm (tmpfs, in memory)
    tmp_files: int = 20_000  # files each of them holds (forked kernels)


@dataclass(frozen=True)
class KernelSettings:
    sandbox: bool
    limits: Limits
    datasets: str | None = None  # host folder handed to the kernel as MLCHALLENGE_DATASETS
    threads: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    fork: bool = True  # fork sandboxed kernels from a factory that imported the libraries once


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """Why a sandbox cannot be made on this machine, or None when it can."""
    bwrap = bwrap_path()
    if bwrap is None:
        return f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}"
    probe = [bwrap, *(_privilege_args()), "--unshare-net", "--unshare-pid",
             "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not be run ({exc}): {INSTALL_HINT}"
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"bubblewrap cannot create a sandbox here ({detail}); user namespaces may be "
                f"disabled; enable them, or pass --no-sandbox to grade trusted submissions")
    return None


def require_sandbox() -> None:
    problem = sandbox_problem()
    if problem:
        raise KitError(f"cannot sandbox the grading kernels: {problem}")


def _is_root() -> bool:
    return os.getuid() == 0


def _privilege_args() -> list[str]:
    # Root: no user namespace (it would map the sandbox back to root, which is exempt from the
    # process limit); keep only what kernel_boot needs to become "nobody", which drops them.
    if _is_root():  # (bwrap run by root would otherwise keep every capability)
        return ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return ["--unshare-user"]


def python_roots() -> list[Path]:
    """Folders the kernel needs read-only: this Python, its environment, and the kit."""
    import mlchallenge

    candidates = {Path(p).resolve() for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    candidates.add(Path(mlchallenge.__file__).resolve().parents[1])
    candidates.add(Path(os.path.realpath(sys.executable)).parent)
    usr = Path("/usr")
    roots = []
    for path in sorted(candidates, key=lambda p: len(p.parts)):
        if path == usr or usr in path.parents:
            continue
        if any(root == path or root in path.parents for root in roots):
            continue
        roots.append(path)
    return roots


def _dirs_for(path: Path, made: set[str]) -> list[str]:
    """bwrap options that create ``path``'s missing parents, world-traversable."""
    args = []
    for parent in reversed(path.parents):
        text = str(parent)
        if text in ("/", "/usr", "/tmp", "/home") or text in made:
            continue
        made.add(text)
        args += ["--perms", "0755", "--dir", text]
    return args


def bwrap_command(settings: KernelSettings, work: Path | None, ipc: Path, exposed: list[Path],
                  caps: tuple[str, ...] = ()) -> list[str]:
    """The sandbox of one kernel (``work`` bound at SANDBOX_WORK), or of a kernel factory
    (``work`` None: each kernel it forks binds its own; ``caps`` it needs to do so)."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise KitError(f"cannot sandbox the grading kernel: bubblewrap is not installed: {INSTALL_HINT}")
    extra = [part for cap in caps for part in ("--cap-add", cap)]
    cmd = [bwrap, *_privilege_args(), *extra, "--unshare-net", "--unshare-pid", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
           "--hostname", "grading", "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            cmd += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            cmd += ["--ro-bind", str(top), str(top)]
    for name in ("ld.so.cache", "localtime", "fonts", "alternatives", "ssl/certs"):
        cmd += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    size = ["--size", str(settings.limits.tmp_mb * 1024 * 1024)]
    cmd += ["--proc", "/proc", "--dev", "/dev", *size, "--perms", "1777", "--tmpfs", "/dev/shm",
            *size, "--perms", "1777", "--tmpfs", "/tmp",
            "--perms", "0755", "--dir", "/home", *size, "--perms", "1777", "--tmpfs", SANDBOX_HOME]
    made: set[str] = set()
    for root in exposed:
        cmd += _dirs_for(root, made) + ["--ro-bind", str(root), str(root)]
    cmd += _dirs_for(ipc, made) + ["--bind", str(ipc), str(ipc)]
    if work is not None:
        cmd += ["--bind", str(work), SANDBOX_WORK]
    if settings.datasets:
        cmd += _dirs_for(Path(SANDBOX_DATA), made) + ["--ro-bind", settings.datasets, SANDBOX_DATA]
    cmd += ["--chdir", SANDBOX_WORK if work is not None else "/"]
    return cmd


def kernel_environment(settings: KernelSettings) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's (no tokens, no NBGRADER_*)."""
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": SANDBOX_HOME if settings.sandbox else os.environ.get("HOME", "/tmp"),
        "USER": "candidate",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": "/tmp/matplotlib",
    }
    if not settings.sandbox:
        # the kernel exits when the grader does (a sandboxed one dies with bwrap instead)
        env["JPY_PARENT_PID"] = str(os.getpid())
    env.update(dict(settings.threads))
    if settings.datasets:
        env["MLCHALLENGE_DATASETS"] = SANDBOX_DATA if settings.sandbox else settings.datasets
    return env


def _limits_argument(settings: KernelSettings, user: tuple[int, int] | None) -> str:
    limits = settings.limits
    spec = {
        "memory_bytes": limits.memory_mb * 1024 * 1024,
        "processes": limits.processes,
        "file_bytes": limits.file_mb * 1024 * 1024,
        "open_files": 1024,
        "tmp_bytes": limits.tmp_mb * 1024 * 1024,
        "tmp_inodes": limits.tmp_files,
    }
    if user is not None:
        spec["drop_to"] = list(user)
    return json.dumps(spec)


@dataclass
class PreparedKernel:
    """A kernel process launched ahead of time, with its own empty working folder."""

    base: Path
    work: Path
    connection_file: Path
    info: dict
    process: subprocess.Popen | ForkedKernel
    settings: KernelSettings
    user: tuple[int, int] | None = None
    group: Group | None = None  # its control group, when it is a sandbox of its own

    def adopt_files(self, folder: str | os.PathLike[str] | None) -> None:
        """Copy the submission's folder (notebook and data) into the kernel's working folder."""
        if folder and Path(folder).is_dir():
            shutil.copytree(folder, self.work, dirs_exist_ok=True, symlinks=True)
        if self.user is not None:
            for path in [self.work, *self.work.rglob("*")]:
                with contextlib.suppress(OSError):
                    os.chown(path, *self.user, follow_symlinks=False)

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


def _kernel_folders(base: Path) -> tuple[Path, Path, str, dict]:
    """A kernel's empty working folder and its connection folder and file (ipc transport)."""
    ipc = base / "ipc"
    work = base / "work"
    ipc.mkdir()
    work.mkdir()
    connection_file, info = write_connection_file(
        fname=str(ipc / "kernel.json"), ip=str(ipc / "k"), transport="ipc",
        key=secrets.token_hex(32).encode(), signature_scheme="hmac-sha256",
        kernel_name="python3",
    )
    info = dict(info)
    if isinstance(info.get("key"), bytes):
        info["key"] = info["key"].decode()
    return work, ipc, connection_file, info


def _hand_over(user: tuple[int, int], *paths: Path) -> None:
    for path in paths:
        os.chown(path, *user)


KERNEL_ARGS = ("--HistoryManager.hist_file=:memory:",)


def launch_kernel(settings: KernelSettings, not_inside: list[Path] = ()) -> PreparedKernel:
    """Launch a fresh kernel process now, in a sandbox of its own; it answers once its imports
    are done."""
    base = _socket_safe_mkdtemp("k-")
    os.chmod(base, 0o711)
    work, ipc, connection_file, info = _kernel_folders(base)
    user = _sandbox_user() if settings.sandbox and _is_root() else None
    argv = [sys.executable, "-m", "mlchallenge.kernel_boot", _limits_argument(settings, user),
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
    return group_for(limits.memory_mb, limits.tmp_mb, limits.processes, factory=factory)


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
    """One sandbox per grading process in which :mod:`mlchallenge.kernel_zygote` has imported
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
        self._alive: set[str] = set()
        self._ready: dict | None = None
        self.dead = False
        argv = bwrap_command(settings, None, self.root, exposed, caps=self.CAPS) + ["--clearenv"] + [
            part for name, value in kernel_environment(settings).items()
            for part in ("--setenv", name, value)
        ] + ["--", sys.executable, "-m", "mlchallenge.kernel_zygote", str(self.root)]
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
        user = _sandbox_user()
        _hand_over(user, ipc, work, Path(connection_file))
        os.chmod(ipc, 0o700)
        limits = json.loads(_limits_argument(self.settings, None))
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
                raise subprocess.TimeoutExpired(f"kernel {kernel_id}", timeout)
            return self._exits[kernel_id]

    def reap(self, kernel_id: str, timeout: float = 30) -> None:
        """Kill the kernel and every process it started, and wait until they are gone."""
        self.request({"op": "reap", "id": kernel_id})
        with self._cond:
            self._cond.wait_for(lambda: kernel_id in self._reaped or self.dead, timeout)

    def alive(self) -> bool:
        return not self.dead and self.process.poll() is None

    def close(self) -> None:
        with self._write:
            with contextlib.suppress(OSError):
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
    if starter is not None and os.getppid() != starter.pid:  # it was gone already
        os._exit(1)


def can_fork_kernels(settings: KernelSettings) -> bool:
    return settings.sandbox and settings.fork and _is_root()


class KernelPool:
    """Keeps one kernel launched ahead of time for the next notebook of these settings."""

    def __init__(self, settings: KernelSettings) -> None:
        self.settings = settings
        self._next: PreparedKernel | None = None
        self._lock = threading.Lock()
        self._factory: KernelFactory | None = None
        self._fork = can_fork_kernels(settings)

    def _launch(self, not_inside: list[Path]) -> PreparedKernel:
        if not self._fork:
            return launch_kernel(self.settings, not_inside)
        if self._factory is None or not self._factory.alive():
            if self._factory is not None:
                self._factory.close()
            self._factory = KernelFactory(self.settings, list(not_inside))
            problem = self._factory.usable()
            if problem:
                warnings.warn(f"grading kernels are started one by one: they cannot be forked "
                              f"here ({problem})", RuntimeWarning, stacklevel=2)
                self._factory.close()
                self._factory = None
                self._fork = False
                return launch_kernel(self.settings, not_inside)
        else:
            _refuse_course_inside(python_roots(), list(not_inside))
        return self._factory.launch()

    def take(self, not_inside: list[Path] = ()) -> PreparedKernel:
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


class SandboxKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, but the kernel comes from a :class:`KernelPool`: launched
    ahead of time (sandboxed or not), and handed this notebook's folder when taken."""

    pool: KernelPool | None = None
    not_inside: list[Path] = []
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
        self.prepared = prepared
        prepared.adopt_files(kw.get("cwd"))
        provisioner = self.provisioner
        provisioner.process = prepared.process
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
