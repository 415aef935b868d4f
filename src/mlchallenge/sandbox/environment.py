"""Where the grading process reads the full dataset files, and the thread variables kernels
get (one thread per numerical library)."""

from __future__ import annotations

from pathlib import Path

from mlchallenge.core import dataset_specs as specs
from mlchallenge.core.course import Course
from mlchallenge.sandbox.settings import THREAD_VARIABLES

__all__ = ["THREAD_VARIABLES", "datasets_source"]


def datasets_source(course: Course) -> Path:
    """Where the grading process reads the full dataset files: this course's datasets/ when
    it has one, else ``datasets_dir()`` ($MLCHALLENGE_DATASETS, else the clone's)."""
    own = course.root / "datasets"
    return own if own.is_dir() else specs.datasets_dir()
