"""Removing a folder the kit made read-only in part (a kernels' view of the datasets, an
autograded folder nbgrader wrote with its own permissions)."""

from __future__ import annotations

import contextlib
import shutil
import stat
from pathlib import Path


def remove_tree(root: Path) -> None:
    """Remove ``root`` and everything under it, read-only folders included; a folder that is
    not there is no error."""
    root = Path(root)
    if not root.exists():
        return
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        with contextlib.suppress(OSError):
            folder.chmod(folder.stat().st_mode | stat.S_IRWXU)
    shutil.rmtree(root, ignore_errors=True)
