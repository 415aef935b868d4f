"""A forked kernel's own view, set up by the kernel factory (:mod:`mlchallenge.kernel.zygote`):
its mount namespace (the other kernels' folders detached, new /tmp and $HOME), its work folder
(a tmpfs with caps on bytes and files), and the submission copied in as the kernel's user.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import stat

from mlchallenge.kernel.boot import _drop_privileges

SANDBOX_HOME = "/home/candidate"
SANDBOX_WORK = f"{SANDBOX_HOME}/work"

_CLONE_NEWNS, _CLONE_NEWIPC = 0x00020000, 0x08000000
# what a kernel's own /tmp, $HOME and /dev/shm hold at most when the request does not say
DEFAULT_TMP_BYTES, DEFAULT_TMP_INODES = 512 << 20, 20_000
DEFAULT_WORK_BYTES, DEFAULT_WORK_INODES = 512 << 20, 20_000
_MS_NOSUID, _MS_NODEV, _MS_BIND, _MS_REC, _MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
_MNT_DETACH = 2
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    def enc(text: str | None) -> bytes | None:
        return text.encode() if text is not None else None

    _check(_libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {target}")


def _mounts_under(folder: str) -> list[str]:
    """The mount points strictly under ``folder`` (from this namespace's mountinfo), the
    outermost ones only."""
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8") as info:
        for line in info:
            point = line.split()[4].replace("\\040", " ").replace("\\011", "\t")
            point = point.replace("\\012", "\n").replace("\\134", "\\")
            if point.startswith(folder.rstrip("/") + "/"):
                points.append(point)
    points.sort(key=len)
    outer: list[str] = []
    for point in points:
        if not any(point == o or point.startswith(o + "/") for o in outer):
            outer.append(point)
    return outer


def _own_view(root: str, kernel: str, limits: dict | None = None) -> None:
    """In a new mount namespace and a new IPC namespace (System V and POSIX shared memory of
    its own, gone with it): fresh /tmp, $HOME and /dev/shm, each a tmpfs of at most
    ``tmp_bytes`` and ``tmp_inodes`` files, this kernel's work folder at SANDBOX_WORK, its
    connection folder where the grader expects it, and nothing else of ROOT. What the sandbox
    bound read-only under /tmp (the Python environment or the kit, when they live there) is
    bound again on the fresh /tmp."""
    limits = limits or {}
    _check(_libc.unshare(_CLONE_NEWNS | _CLONE_NEWIPC), "unshare")
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    fresh = _MS_NOSUID | _MS_NODEV
    capped = (f"mode=1777,size={int(limits.get('tmp_bytes') or DEFAULT_TMP_BYTES)},"
              f"nr_inodes={int(limits.get('tmp_inodes') or DEFAULT_TMP_INODES)}")
    own = os.path.join(root, kernel)
    _mount("tmpfs", SANDBOX_HOME, "tmpfs", fresh, capped)
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", fresh, capped)
    os.mkdir(SANDBOX_WORK, 0o755)
    _mount(os.path.join(own, "work"), SANDBOX_WORK, None, _MS_BIND | _MS_REC)
    for point in _mounts_under(root):  # the work folders of the others (and its own, bound
        _check(_libc.umount2(point.encode(), _MNT_DETACH), "umount")  # above): not held here
    staging = os.path.join(SANDBOX_HOME, ".keep")
    os.mkdir(staging, 0o700)
    kept = [(os.path.join(own, "ipc"), os.path.join(own, "ipc"))]
    kept += [(point, point) for point in _mounts_under("/tmp")
             if not (point == root or point.startswith(root.rstrip("/") + "/")
                     or root.startswith(point.rstrip("/") + "/"))]
    staged = []
    for number, (source, target) in enumerate(kept):
        place = os.path.join(staging, str(number))
        os.mkdir(place, 0o700)
        _mount(source, place, None, _MS_BIND | _MS_REC)  # keeps the read-only flags
        staged.append((place, target))
    _mount("tmpfs", "/tmp", "tmpfs", fresh, capped)
    if os.path.isdir(root):  # the other kernels' folders: gone
        _mount("tmpfs", root, "tmpfs", fresh, "mode=0755")
    for place, target in staged:
        os.makedirs(target, 0o755, exist_ok=True)
        _mount(place, target, None, _MS_BIND | _MS_REC)
        _check(_libc.umount2(place.encode(), _MNT_DETACH), "umount")
        os.rmdir(place)
    os.rmdir(staging)


def _mount_work(folder: str, uid: int, limits: dict | None) -> None:
    """A kernel's work folder as a tmpfs of its own, owned by its user: what the kernel writes
    there stops at ``work_bytes`` and ``work_inodes``, and is gone with it."""
    limits = limits or {}
    os.makedirs(folder, 0o755, exist_ok=True)
    _mount("tmpfs", folder, "tmpfs", _MS_NOSUID | _MS_NODEV,
           f"mode=0755,uid={uid},gid={uid},"
           f"size={int(limits.get('work_bytes') or DEFAULT_WORK_BYTES)},"
           f"nr_inodes={int(limits.get('work_inodes') or DEFAULT_WORK_INODES)}")


def _copy_tree(source: str, target: str) -> None:
    """Copy the folder ``source`` into ``target``: folders and regular files, symbolic links as
    links (never followed), nothing else (a FIFO would block the copy). An error names the file
    by its path inside the folder."""
    for folder, dirs, files in os.walk(source):
        inside = os.path.relpath(folder, source)
        into = target if inside == "." else os.path.join(target, inside)
        os.makedirs(into, exist_ok=True)
        for name in dirs + files:
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
                if stat.S_ISLNK(mode):
                    os.symlink(os.readlink(path), os.path.join(into, name))
                elif stat.S_ISREG(mode):
                    shutil.copy2(path, os.path.join(into, name), follow_symlinks=False)
            except OSError as exc:
                where = os.path.normpath(os.path.join(inside, name))
                raise OSError(exc.errno, f"{where}: {exc.strerror}") from None


def _in_child(work) -> str | None:
    """Run ``work()`` in a forked child of the factory; returns why it failed (sent back through
    a pipe), or None. The child ends with it: whatever it changed (its user, its mounts) is
    gone with it."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        message = b""
        try:
            work()
        except OSError as exc:
            message = str(exc.strerror or exc).encode(errors="replace")
        except BaseException as exc:  # noqa: BLE001 - reported to the grader
            message = f"{type(exc).__name__}: {exc}".encode(errors="replace")
        with contextlib.suppress(OSError):
            os.write(write, message[:1000])
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        problem = pipe.read().decode(errors="replace")
    os.waitpid(pid, 0)
    return problem or None


def _copy_as(uid: int, source: str, target: str) -> str | None:
    """Copy ``source`` into ``target`` in a child that became ``uid``: the files are the kernel
    user's, and the work folder's caps apply. Returns why it failed, or None."""
    def copy() -> None:
        _drop_privileges(uid, uid)
        if os.path.isdir(source):
            _copy_tree(source, target)

    return _in_child(copy)
