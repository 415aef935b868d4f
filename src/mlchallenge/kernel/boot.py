"""Start a grading kernel: drop privileges, apply the limits, import the common libraries, then
run ipykernel in this same process.

Run as ``python -m mlchallenge.kernel.boot LIMITS_JSON -f CONNECTION_FILE`` (inside the sandbox
when there is one). Nothing a candidate wrote has run yet when the libraries and the kernel side
of the hidden tests (:mod:`mlchallenge.kernel`) are imported here; the kernel is ready for the
first cell as soon as it answers, which is what lets the grader start the next kernel while the
current one is busy. (Nothing in the kernel decides a grade: the grading process judges.)
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys

# Imported before the kernel answers, so the next submission does not wait for them.
# matplotlib.font_manager finds the machine's fonts when first imported (a font cache written to
# $HOME, which is new in every kernel): a kernel forked from a factory inherits the list instead.
# Neither it nor matplotlib.pyplot picks a plotting backend (pyplot loads it at the first figure,
# in the kernel), so the kernel's inline plots are set up as they would be without. pyplot and
# the scikit-learn modules below are what the bank's notebooks import beyond the rest: about
# 0.4 s a kernel.
COMMON_IMPORTS = ("numpy", "pandas", "scipy", "sklearn", "matplotlib", "matplotlib.font_manager",
                  "matplotlib.pyplot", "sklearn.compose", "sklearn.impute", "sklearn.ensemble",
                  "mlchallenge.kernel.emit", "mlchallenge.kernel.predictions")


def _drop_privileges(uid: int, gid: int) -> None:
    """Under a root-run sandbox, become an unprivileged user: that drops every capability and
    makes the process limit count (the kernel exempts root from RLIMIT_NPROC)."""
    if os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("mlchallenge.kernel.boot: could not drop root privileges")


def _set_limits(limits: dict) -> None:
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "processes": resource.RLIMIT_NPROC,
        "file_bytes": resource.RLIMIT_FSIZE,
        "open_files": resource.RLIMIT_NOFILE,
    }
    for key, which in pairs.items():
        value = limits.get(key)
        if value:
            resource.setrlimit(which, (int(value), int(value)))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit("usage: python -m mlchallenge.kernel.boot LIMITS_JSON -f CONNECTION_FILE")
    limits = json.loads(argv[1])
    if limits.get("drop_to"):
        uid, gid = limits["drop_to"]
        _drop_privileges(int(uid), int(gid))
    _set_limits(limits)
    for name in COMMON_IMPORTS:
        with contextlib.suppress(ImportError):  # a head start: the notebook imports what it needs
            __import__(name)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=argv[2:])


if __name__ == "__main__":
    main(sys.argv)
