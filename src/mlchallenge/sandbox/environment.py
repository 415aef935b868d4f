"""What grading kernels inherit from the grading process: a view of the datasets without the
hidden test labels, and one thread per numerical library."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mlchallenge.core.course import Course
from mlchallenge.kernel import datasets as datasets_mod
from mlchallenge.sandbox.settings import THREAD_VARIABLES

__all__ = ["THREAD_VARIABLES", "datasets_source", "kernel_environment"]


def datasets_source(course: Course) -> Path:
    """Where the grading process reads the full dataset files: this course's datasets/ when
    it has one, else ``datasets_dir()`` ($MLCHALLENGE_DATASETS, else the clone's)."""
    own = course.root / "datasets"
    return own if own.is_dir() else datasets_mod.datasets_dir()


@contextlib.contextmanager
def kernel_environment(course: Course) -> Iterator[None]:
    """Grading kernels inherit this process's environment: point them at a view of the
    datasets without the hidden test labels (written from ``datasets_source(course)`` into a
    temporary folder, removed afterwards), and keep numerical libraries to one thread per
    kernel (the challenges ask for n_jobs=1; several kernels grading at once should not
    fight over cores). Thread settings the caller made are left alone; the environment is
    restored afterwards."""
    wanted = {name: "1" for name in THREAD_VARIABLES}
    added = [name for name in wanted if name not in os.environ]
    source = datasets_source(course)
    scratch = Path(tempfile.mkdtemp(prefix="mlchallenge-datasets-"))
    saved = {name: os.environ.get(name) for name in
             ("MLCHALLENGE_DATASETS", datasets_mod.VIEW_SHA256_VARIABLE)}
    try:
        view = datasets_mod.write_kernel_view(scratch / "datasets", source)
        for name in added:
            os.environ[name] = wanted[name]
        os.environ["MLCHALLENGE_DATASETS"] = str(view)
        os.environ[datasets_mod.VIEW_SHA256_VARIABLE] = datasets_mod.view_sha256(view)
        with datasets_mod.host_datasets(source):
            yield
    finally:
        for name in added:
            os.environ.pop(name, None)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _remove_read_only_tree(scratch)


def _remove_read_only_tree(root: Path) -> None:
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        folder.chmod(folder.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)
    shutil.rmtree(root, ignore_errors=True)
