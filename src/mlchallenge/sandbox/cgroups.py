"""Control groups for grading kernels: a CPU share, a memory bound and a process bound each.

Every kernel factory (one per grading worker, with every kernel it forks: one at a time runs a
notebook) and every kernel started on its own runs in a control group of the kit's own:

- **CPU**: groups get equal shares, so a kernel that starts many busy processes slows only
  itself; an honest notebook graded beside it keeps the CPU of its own group;
- **memory**: ``memory_mb`` plus the kernel's three tmpfs (``/tmp``, ``$HOME``, ``/dev/shm``,
  whose pages the memory controller counts, unlike the address-space rlimit) plus room for
  the factory itself;
- **processes**: twice ``max_processes`` plus the factory's own.

Mechanisms, in order of preference: cgroup v2 (a unified hierarchy whose group for the kit
offers the ``cpu``, ``memory`` and ``pids`` controllers), cgroup v1 (the ``cpu``, ``memory``
and ``pids`` hierarchies, writable by root), none. The kit creates its groups only *under the
groups the grading process is in* (so a bound a machine puts on the grader still holds), in a
parent ``mlchallenge-<pid>`` of its own, and removes them when they are empty; it never writes
to a group it did not create. ``describe()`` says which mechanism is in force, or what is not
bounded without one.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("cpu", "memory", "pids")
FACTORY_MB = 1024  # the factory and a kernel prepared ahead, besides the one at work


@dataclass(frozen=True)
class Mechanism:
    name: str  # "cgroup v2", "cgroup v1" or "none"
    # where the kit's groups go: (controller, folder) per hierarchy ("" for the unified one)
    parents: tuple[tuple[str, Path], ...] = ()
    why_not: str = ""


def _own_groups() -> dict[str, str]:
    """controller (or "" for the unified hierarchy) -> this process's group path."""
    found = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                found[name] = path
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _remove_stale(beside: Path) -> None:
    """Parents the kit left behind (a grader killed before it could remove them), once empty."""
    with contextlib.suppress(OSError):
        for folder in beside.parent.glob("mlchallenge-*"):
            pid = folder.name.removeprefix("mlchallenge-")
            if folder == beside or not pid.isdigit() or _alive(int(pid)):
                continue
            for child in folder.glob("g*"):
                with contextlib.suppress(OSError):
                    child.rmdir()
            with contextlib.suppress(OSError):
                folder.rmdir()


def _try_parent(folder: Path) -> bool:
    """Create the kit's parent group ``folder``; True when it exists and is ours to use."""
    _remove_stale(folder)
    try:
        folder.mkdir(exist_ok=True)
        return True
    except OSError:
        return False


@lru_cache(maxsize=1)
def mechanism() -> Mechanism:
    own = _own_groups()
    parent_name = f"mlchallenge-{os.getpid()}"
    if os.geteuid() != 0:
        return Mechanism("none", why_not="control groups need root")
    unified = ROOT / "cgroup.controllers"
    if unified.is_file() and "" in own:
        base = ROOT / own[""].lstrip("/")
        offered = set((base / "cgroup.controllers").read_text().split()) if \
            (base / "cgroup.controllers").is_file() else set()
        if set(V1_CONTROLLERS) <= offered:
            folder = base / parent_name
            if _try_parent(folder):
                try:
                    (folder / "cgroup.subtree_control").write_text("+cpu +memory +pids")
                    return Mechanism("cgroup v2", (("", folder),))
                except OSError:
                    with contextlib.suppress(OSError):
                        folder.rmdir()
    parents: list[tuple[str, Path]] = []
    for controller in V1_CONTROLLERS:
        hierarchy = ROOT / controller
        if controller not in own or not (hierarchy / "cgroup.procs").is_file():
            return Mechanism("none", why_not=f"no writable cgroup v2 or v1 '{controller}' hierarchy")
        folder = hierarchy / own[controller].lstrip("/") / parent_name
        if not _try_parent(folder):
            for _, made in parents:
                with contextlib.suppress(OSError):
                    made.rmdir()
            return Mechanism("none", why_not=f"cannot create a group in {hierarchy}")
        parents.append((controller, folder))
    return Mechanism("cgroup v1", tuple(parents))


def describe() -> str:
    """What bounds a grading kernel's CPU, memory and processes on this machine."""
    found = mechanism()
    if found.name == "none":
        # kernels are forked (each with a work folder of a capped tmpfs) only when run as root
        work = "" if os.getuid() == 0 else (", the total of its work folder (each file stops at "
                                           "max_file_mb)")
        return (f"kernel resource groups: none ({found.why_not}); not bounded: each kernel's CPU "
                "share, its memory beyond the address-space rlimit (its tmpfs pages), its "
                f"processes beyond the per-user rlimit{work}")
    return f"kernel resource groups: {found.name} (a CPU share, memory and processes per kernel)"


class Group:
    """One group (in each hierarchy of the mechanism) for one kernel factory or kernel."""

    _count = 0

    def __init__(self, memory_bytes: int, processes: int) -> None:
        found = mechanism()
        Group._count += 1
        self.folders: list[Path] = []
        if found.name == "none":
            return
        name = f"g{os.getpid()}-{Group._count}"
        try:
            for controller, parent in found.parents:
                folder = parent / name
                folder.mkdir()
                self.folders.append(folder)
                # cpu: every group keeps the default weight, equal to the others'
                if controller == "":
                    (folder / "memory.max").write_text(str(memory_bytes))
                    (folder / "pids.max").write_text(str(processes))
                elif controller == "memory":
                    (folder / "memory.limit_in_bytes").write_text(str(memory_bytes))
                elif controller == "pids":
                    (folder / "pids.max").write_text(str(processes))
        except OSError:
            self.remove(wait=0)
            self.folders = []

    @property
    def active(self) -> bool:
        return bool(self.folders)

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` run by a shell that first joins this group, so the process and all it
        starts are in it from its first instruction."""
        if not self.folders:
            return argv
        joins = " && ".join(f"echo $$ > {shlex.quote(str(folder / 'cgroup.procs'))}"
                            for folder in self.folders)
        return ["/bin/sh", "-c", f'{joins} && exec "$@"', "mlchallenge-group", *argv]

    def remove(self, wait: float = 5.0) -> None:
        """Remove the group once its processes are gone (waits up to ``wait`` seconds)."""
        deadline = time.monotonic() + wait
        for folder in self.folders:
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.05)


def group_for(memory_mb: int, tmp_mb: int, processes: int, *, factory: bool,
              work_mb: int = 0) -> Group:
    """The group of one kernel factory (``factory``) or one kernel, from the kernel's limits
    (``work_mb``: its work folder, when that is a tmpfs)."""
    memory = (memory_mb + 3 * tmp_mb + work_mb + (FACTORY_MB if factory else 256)) * 1024 * 1024
    return Group(memory, processes * 2 + 32)


def remove_parents() -> None:
    """At the grading process's end: its parent groups, once empty."""
    if not mechanism.cache_info().currsize:  # never looked for: nothing was made
        return
    for _, parent in mechanism().parents:
        with contextlib.suppress(OSError):
            parent.rmdir()
