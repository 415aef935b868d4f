"""A kernel factory inside the sandbox: import the common libraries once, then fork a fresh
process for every kernel.

Run as ``python -m mlchallenge.kernel.zygote ROOT`` under bubblewrap, as root with only the
capabilities it needs to set each kernel up (SETUID, SETGID, SYS_ADMIN, KILL). ``ROOT`` holds one
folder per kernel, ``ROOT/<id>/work`` and ``ROOT/<id>/ipc``. The grader talks to it over
stdin/stdout, one JSON object a line:

- ``{"op": "spawn", "id": ID, "uid": UID, "limits": {...}, "argv": [...]}``: fork a kernel;
  answers ``{"op": "spawned", "id": ID, "pid": PID}``.
- ``{"op": "adopt", "id": ID}``: copy the submission the grader put in ``ROOT/<id>/stage`` into
  the kernel's work folder, as the kernel's user; answers ``{"op": "adopted", "id": ID,
  "error": null or why not}``.
- ``{"op": "signal", "id": ID, "signal": N}``: send the kernel a signal (an interrupt, say).
- ``{"op": "reap", "id": ID}``: kill the kernel and every process it started (everything its
  user runs); answers ``{"op": "reaped", "id": ID}``.
- when a kernel ends: ``{"op": "exit", "id": ID, "returncode": N}`` (negative: the signal).

Each forked kernel, before it runs anything of a candidate's, gets what a kernel launched on its
own gets (:mod:`mlchallenge.kernel.boot`) and a view of its own: a mount namespace where
``/home/candidate/work`` is its own submission, ``/tmp`` and ``$HOME`` are new and empty, and the
other kernels' folders are not there. The work folder is a tmpfs of its own too (``work_bytes``,
``work_inodes``), mounted by the factory on ``ROOT/<id>/work`` before the fork: the grader cannot
write into it from outside, so it stages the submission and asks the factory to ``adopt`` it.
Then the kernel becomes a user of its own, which drops every capability, and takes its resource
limits. A fork is a new process: nothing of another
candidate's ever ran in it. What it shares with its siblings is what the factory imported before
any candidate code ran.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import select
import signal
import sys
import time
import traceback

from mlchallenge.kernel.boot import COMMON_IMPORTS, _drop_privileges, _set_limits
from mlchallenge.kernel.views import (
    _MNT_DETACH,
    _PR_SET_CHILD_SUBREAPER,
    _PR_SET_PDEATHSIG,
    SANDBOX_WORK,
    _check,
    _copy_as,
    _in_child,
    _libc,
    _mount_work,
    _own_view,
)


def _become_kernel(root: str, request: dict, wakeup: tuple[int, int]) -> None:
    """In the forked child: set the kernel up, then run ipykernel until it is shut down."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for fd in wakeup:
            os.close(fd)
        for number in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(number, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(null, fd)
        os.setsid()
        _own_view(root, request["id"], request.get("limits"))
        uid = int(request["uid"])
        _drop_privileges(uid, uid)
        from mlchallenge.kernel import clock

        clock.OWN_USER = True  # every process of this user id is this kernel's
        os.chdir(SANDBOX_WORK)  # as its user: the factory's root may not read a private folder
        # after the change of user, which clears it: die with the factory
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _set_limits(request.get("limits") or {})
        if "numpy" in sys.modules:  # a fresh process draws fresh random numbers
            sys.modules["numpy"].random.seed()
        from ipykernel import kernelapp

        os.dup2(null, 2)  # the factory's log, kept until here for a setup that fails
        os.close(null)
        kernelapp.launch_new_instance(argv=list(request["argv"]))
        code = 0
    except BaseException:  # noqa: BLE001 - the child must never return into the factory
        with contextlib.suppress(Exception):
            traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _start_killer(uid: int) -> int:
    """Start killing every process of ``uid`` (a kernel's, and all it started), from a helper
    that becomes that user: kill(-1) as a user reaches exactly that user's processes. Returns
    the helper's pid; it ends as soon as none of them is alive (or after 200 rounds). The caller
    reaps the killed ones meanwhile."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            for _ in range(200):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
                # kill(-1) succeeds while any other process is there (the factory counts, if
                # only as "not permitted"): done when none of this user's is still running
                if not _running_as(uid):
                    break
                time.sleep(0.002)
        finally:
            os._exit(0)
    return pid


def _running_as(uid: int) -> bool:
    """Whether a process of ``uid`` other than this one is alive (a zombie is not)."""
    me = os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/status", encoding="ascii", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:  # ended meanwhile
            continue
        if fields.get("State", "").strip()[:1] in ("Z", "X"):
            continue
        if str(uid) in fields.get("Uid", "").split():
            return True
    return False


def _probe(root: str) -> str | None:
    """Set a throw-away kernel's view up once, in a child: where the system does not allow it
    (mounts refused, say), the grader starts each kernel on its own instead."""
    folder = os.path.join(root, ".probe")
    for name in ("work", "ipc"):
        os.makedirs(os.path.join(folder, name), exist_ok=True)
    try:  # the work folder's own tmpfs, in the factory's view
        _mount_work(os.path.join(folder, "work"), 65534, {"work_bytes": 1 << 20})
        _check(_libc.umount2(os.path.join(folder, "work").encode(), _MNT_DETACH), "umount")
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    def view() -> None:
        _own_view(root, ".probe")
        _drop_privileges(65534, 65534)

    return _in_child(view)


class Factory:
    def __init__(self, root: str) -> None:
        self.root = root
        self.kernels: dict[int, dict] = {}  # pid -> request, while the kernel runs
        self.by_id: dict[str, int] = {}
        self.users: dict[str, int] = {}  # id -> uid, until reaped (what it started may outlive it)
        self.mounted: set[str] = set()  # ids whose work folder is a tmpfs of the factory's

    def send(self, message: dict) -> None:
        os.write(1, (json.dumps(message) + "\n").encode())

    def spawn(self, request: dict, wakeup: tuple[int, int]) -> None:
        try:
            _mount_work(self.work(request["id"]), int(request["uid"]), request.get("limits"))
            self.mounted.add(request["id"])
        except OSError as exc:  # the probe mounted one: not expected; the kernel is not started
            sys.stderr.write(f"kernel {request['id']}: its work folder: {exc}\n")
            self.send({"op": "exit", "id": request["id"], "returncode": 1})
            return
        pid = os.fork()
        if pid == 0:
            _become_kernel(self.root, request, wakeup)
        self.kernels[pid] = request
        self.by_id[request["id"]] = pid
        self.users[request["id"]] = int(request["uid"])
        self.send({"op": "spawned", "id": request["id"], "pid": pid})

    def work(self, kernel: str) -> str:
        if os.sep in kernel or kernel in ("", ".", ".."):
            raise ValueError(f"not a kernel id: {kernel!r}")
        return os.path.join(self.root, kernel, "work")

    def adopt(self, request: dict) -> None:
        kernel = request["id"]
        uid = self.users.get(kernel)
        if uid is None or kernel not in self.mounted:
            error: str | None = "the kernel is not running"
        else:
            error = _copy_as(uid, os.path.join(self.root, kernel, "stage"), self.work(kernel))
        self.send({"op": "adopted", "id": kernel, "error": error})

    def unmount(self, kernel: str) -> None:
        if kernel in self.mounted:
            self.mounted.discard(kernel)
            with contextlib.suppress(OSError):
                _check(_libc.umount2(self.work(kernel).encode(), _MNT_DETACH), "umount")

    def signal(self, request: dict) -> None:
        pid = self.by_id.get(request["id"])
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, int(request["signal"]))

    def reap(self, request: dict) -> None:
        pid = self.by_id.get(request["id"])
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):  # also before it became its user
                os.kill(pid, signal.SIGKILL)
        uid = self.users.pop(request["id"], None)
        if uid is not None:
            self.kill_user(uid)
        if pid is not None:
            self.collect(block_for=pid)
        self.unmount(request["id"])
        self.send({"op": "reaped", "id": request["id"]})

    def kill_user(self, uid: int) -> None:
        """Kill every process of ``uid``, reaping the killed (kernels, and orphans of theirs
        handed to us) while the helper works, until the helper is done."""
        helper = _start_killer(uid)
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                return
            if pid == helper:
                return
            self._ended(pid, status)

    def _ended(self, pid: int, status: int) -> None:
        request = self.kernels.pop(pid, None)
        if request is not None:
            self.by_id.pop(request["id"], None)
            self.send({"op": "exit", "id": request["id"],
                       "returncode": os.waitstatus_to_exitcode(status)})

    def collect(self, block_for: int | None = None) -> None:
        """Wait for ended children (kernels, and orphans of theirs handed to us)."""
        while True:
            try:
                pid, status = os.waitpid(-1, 0 if block_for in self.kernels else os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self._ended(pid, status)
            if pid == block_for:
                block_for = None

    def stop(self) -> None:
        for uid in set(self.users.values()):
            self.kill_user(uid)
        self.collect()
        for kernel in list(self.mounted):
            self.unmount(kernel)


def _import_debugger() -> None:
    """ipykernel's debugger module, which every kernel imports when it starts (debugpy and its
    pydevd, some 140 modules and 0.1 s of CPU a kernel), imported once here instead. Importing
    it starts no thread and sets no trace function; pydevd's note on frozen modules, printed
    when it is imported, is turned off for the import (it is about breakpoints, which grading
    kernels never set)."""
    quiet = "PYDEVD_DISABLE_FILE_VALIDATION"
    before = os.environ.get(quiet)
    os.environ[quiet] = "1"
    try:
        with contextlib.suppress(ImportError):
            import ipykernel.debugger  # noqa: F401
    finally:
        if before is None:
            del os.environ[quiet]
        else:
            os.environ[quiet] = before


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: python -m mlchallenge.kernel.zygote ROOT")
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    for name in COMMON_IMPORTS:
        with contextlib.suppress(ImportError):
            __import__(name)
    import ipykernel.kernelapp  # noqa: F401 - imported once, here
    _import_debugger()

    _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    factory = Factory(argv[1])
    problem = _probe(argv[1])
    if problem:
        factory.send({"op": "ready", "ok": False, "error": problem})
        return
    wakeup = os.pipe()
    for fd in wakeup:
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(wakeup[1])
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    factory.send({"op": "ready", "ok": True})
    _serve(factory, wakeup)
    factory.stop()


def _serve(factory: Factory, wakeup: tuple[int, int]) -> None:
    """Answer the grader's requests (one JSON object a line on stdin) until it closes stdin,
    and collect ended children whenever a signal wakes the loop."""
    buffer = b""
    while True:
        try:
            ready, _, _ = select.select([0, wakeup[0]], [], [])
        except InterruptedError:
            continue
        if wakeup[0] in ready:
            try:
                while os.read(wakeup[0], 512):
                    pass
            except BlockingIOError:
                pass
            factory.collect()
        if 0 in ready:
            try:
                chunk = os.read(0, 65536)
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                raise
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                op = request.get("op")
                if op == "spawn":
                    factory.spawn(request, wakeup)
                elif op == "adopt":
                    factory.adopt(request)
                elif op == "signal":
                    factory.signal(request)
                elif op == "reap":
                    factory.reap(request)


if __name__ == "__main__":
    main(sys.argv)
