"""CPU seconds of the kernel and of every process it started, for time budgets.

``time.process_time()`` counts this process; ``RUSAGE_CHILDREN`` counts child processes once
they have ended and been waited for. Work handed to processes that are still running when a
budget is read (a process pool kept alive, a child started in a session of its own and never
waited for) is counted from ``/proc``: the CPU time of every live process descended from this
one, and of every other live process of this user where the kernel has a user id of its own
(the grading sandbox's kernel factory gives each kernel one and sets ``OWN_USER``; a double
fork cannot leave it). A live process's count holds its own time and the time of the children
it has waited for (``cutime``/``cstime``): a pool worker that runs work in processes of its own
and reaps them keeps that work on the clock.
"""

from __future__ import annotations

import os
import resource
import time

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Set by the kernel factory in a kernel that runs as a user id of its own (no other process
# of that user is anyone else's).
OWN_USER = False


def _processes() -> dict[int, tuple[int, int, float]]:
    """pid -> (parent pid, uid, CPU seconds) of every process /proc shows: its own user and
    system time and that of the children it has ended and waited for."""
    found: dict[int, tuple[int, int, float]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        try:
            ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
            found[int(entry)] = (int(fields[1]), uid, ticks / _TICKS)
        except (IndexError, ValueError):
            continue
    return found


def live_children_seconds() -> float:
    """CPU seconds of the live processes this kernel started (see the module's docstring)."""
    me = os.getpid()
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    counted, todo = set(), list(children.get(me, ()))
    while todo:
        pid = todo.pop()
        if pid not in counted:
            counted.add(pid)
            todo.extend(children.get(pid, ()))
    if OWN_USER:
        uid = os.getuid()
        counted |= {pid for pid, (_, owner, _) in table.items() if owner == uid and pid != me}
    return sum(table[pid][2] for pid in counted)


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads), of its ended children and of the live ones."""
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ended.ru_utime + ended.ru_stime + live_children_seconds()
