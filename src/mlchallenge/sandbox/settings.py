"""Grading kernels: sandboxed with bubblewrap, limited, and started ahead of time.

A grading kernel sees a read-only system and Python environment, a private /tmp, no network,
and one writable folder: a fresh copy of the submission it grades. The gradebook, source/,
the full datasets, other candidates' folders and the rest of the machine are simply not there.
Its hidden-data view (``MLCHALLENGE_DATASETS``) is handed in read-only.

Each kernel is a new process. The next one is launched as soon as the current one is taken, so
it starts and imports numpy / pandas / scikit-learn (:mod:`mlchallenge.kernel.boot`) while the
current submission runs; the submission's files are copied into its empty working folder only
when it is taken.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mlchallenge.core.course import COURSE_FILES
from mlchallenge.core.errors import KitError

# numerical libraries read these when they load: one thread per grading kernel (and worker)
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

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


def sandbox_user() -> tuple[int, int]:
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
    work_mb: int = 512  # the kernel's work folder, submission included (forked kernels: a tmpfs)
    work_files: int = 20_000  # files the work folder holds (forked kernels)


@dataclass(frozen=True)
class KernelSettings:
    sandbox: bool
    limits: Limits
    datasets: str | None = None  # host folder handed to the kernel as MLCHALLENGE_DATASETS
    threads: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    fork: bool = True  # fork sandboxed kernels from a factory that imported the libraries once
    scratch: str | None = None  # where the kernels' folders are made (else the temporary folder)


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


def is_root() -> bool:
    return os.getuid() == 0


def _privilege_args() -> list[str]:
    # Root: no user namespace (it would map the sandbox back to root, which is exempt from the
    # process limit); keep only what kernel.boot needs to become "nobody", which drops them.
    if is_root():  # (bwrap run by root would otherwise keep every capability)
        return ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return ["--unshare-user"]


def python_roots() -> list[Path]:
    """Folders the kernel needs read-only: this Python, its environment, and the kit."""
    import mlchallenge

    candidates = {Path(p).resolve() for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    candidates.add(Path(mlchallenge.__file__).resolve().parents[1])
    candidates.add(Path(os.path.realpath(sys.executable)).parent)
    # site folders a .pth file added (an environment that borrows another's packages)
    candidates.update(Path(entry).resolve() for entry in sys.path
                      if Path(entry).name in ("site-packages", "dist-packages") and Path(entry).is_dir())
    usr = Path("/usr")
    roots: list[Path] = []
    for path in sorted(candidates, key=lambda p: len(p.parts)):
        if path == usr or usr in path.parents:
            continue
        if any(root == path or root in path.parents for root in roots):
            continue
        roots.append(path)
    return roots


def hidden_package_data(exposed: list[Path]) -> list[Path]:
    """What the kernel must not see inside the folders it gets: an installed kit's own course
    (``mlchallenge/course_files``: the full datasets with every hidden-test label, the hidden
    tests and the judges), shown as an empty folder, and every installed file that holds a
    challenge's rows (``installed_copies`` of the datasets: scikit-learn's breast cancer
    data), shown as an empty file."""
    import importlib.util

    import mlchallenge
    from mlchallenge.core.dataset_specs import DATASETS

    found = [Path(mlchallenge.__file__).resolve().parent / COURSE_FILES]
    for spec in DATASETS.values():
        for copy in spec.installed_copies:
            package, _, inside = copy.partition("/")
            module = importlib.util.find_spec(package)
            for folder in (module.submodule_search_locations or []) if module else []:
                found.append(Path(folder).resolve() / inside)
    return [path for path in found if path.exists()
            and any(root == path or root in path.parents for root in exposed)]


_EMPTY: dict[str | None, Path] = {}


def _empty_file(folder: str | None = None) -> Path:
    """An empty read-only file to show in place of a hidden one (a device such as /dev/null
    cannot be read through the sandbox's read-only binds, which are nodev), in ``folder`` (the
    run's scratch folder, removed with it) or the temporary folder. Made again when gone."""
    known = _EMPTY.get(folder)
    if known is None or not known.is_file():
        handle, name = tempfile.mkstemp(prefix="mlchallenge-empty-", dir=folder)
        os.close(handle)
        os.chmod(name, 0o444)
        atexit.register(_remove_quietly, name)
        known = _EMPTY[folder] = Path(name)
    return known


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(name)


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
        cmd += [*_dirs_for(root, made), "--ro-bind", str(root), str(root)]
    for hidden in hidden_package_data(exposed):
        if hidden.is_dir():
            cmd += ["--perms", "0555", "--tmpfs", str(hidden)]
        else:
            cmd += ["--ro-bind", str(_empty_file(settings.scratch)), str(hidden)]
    cmd += [*_dirs_for(ipc, made), "--bind", str(ipc), str(ipc)]
    if work is not None:
        cmd += ["--bind", str(work), SANDBOX_WORK]
    if settings.datasets:
        cmd += [*_dirs_for(Path(SANDBOX_DATA), made), "--ro-bind", settings.datasets, SANDBOX_DATA]
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


def limits_argument(settings: KernelSettings, user: tuple[int, int] | None) -> str:
    limits = settings.limits
    spec: dict[str, int | list[int]] = {
        "memory_bytes": limits.memory_mb * 1024 * 1024,
        "processes": limits.processes,
        "file_bytes": limits.file_mb * 1024 * 1024,
        "open_files": 1024,
        "tmp_bytes": limits.tmp_mb * 1024 * 1024,
        "tmp_inodes": limits.tmp_files,
        "work_bytes": limits.work_mb * 1024 * 1024,
        "work_inodes": limits.work_files,
    }
    if user is not None:
        spec["drop_to"] = list(user)
    return json.dumps(spec)

