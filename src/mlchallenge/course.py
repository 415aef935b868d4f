"""The course: a folder with nbgrader_config.py, source/, release/, submitted/, autograded/."""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .errors import KitError

# nbgrader and the dataset loaders (pandas) take seconds to import: only the commands that grade
# need them, not a candidate's `mlchallenge start`
if TYPE_CHECKING:
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

CONFIG_FILE = "nbgrader_config.py"


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _environment_scripts_on_path() -> None:
    """nbgrader runs `alembic` (to create or upgrade the gradebook) as a command, so the
    scripts folder of the environment the kit runs in must be on PATH even when the kit was
    started as `.venv/bin/mlchallenge` without activating the environment."""
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "").split(os.pathsep)
    if scripts not in path:
        os.environ["PATH"] = os.pathsep.join([scripts, *path])


class Course:
    """An nbgrader course directory, with its own nbgrader configuration loaded."""

    def __init__(self, root: str | os.PathLike[str] = ".") -> None:
        self.root = Path(root).resolve()
        if not (self.root / CONFIG_FILE).is_file():
            raise KitError(
                f"{self.root} is not an mlchallenge course (no {CONFIG_FILE}); run the command "
                "from the course root (the clone of mlchallenge) or pass --course DIR"
            )
        if not (self.root / "source").is_dir():
            raise KitError(f"{self.root} has no source/ folder; is this the course root?")
        self.config = self._load_config()
        _environment_scripts_on_path()

    def _load_config(self) -> Config:
        try:
            config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        except Exception as exc:  # noqa: BLE001 - any error in the user's config file
            raise KitError(f"{self.root / CONFIG_FILE} could not be loaded: {exc}") from None
        config.CourseDirectory.root = str(self.root)
        return config

    @property
    def coursedir(self) -> CourseDirectory:
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(config=self.config)

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def api(self) -> NbGraderAPI:
        from nbgrader.apps.api import NbGraderAPI

        return NbGraderAPI(coursedir=self.coursedir, config=self.config)

    def assignments(self) -> list[str]:
        source = self.root / "source"
        return sorted(
            p.name for p in source.iterdir()
            if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb"))
        )

    def require_assignment(self, name: str) -> Path:
        known = self.assignments()
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise KitError(
                f"unknown assignment {name!r}; {hint}available: {', '.join(known) or 'none'} "
                "(see `mlchallenge list`)"
            )
        return self.root / "source" / name

    def datasets_source(self) -> Path:
        """Where the grading process reads the full dataset files: this course's datasets/ when
        it has one, else ``datasets_dir()`` ($MLCHALLENGE_DATASETS, else the clone's)."""
        from .kernel import datasets as datasets_mod

        own = self.root / "datasets"
        return own if own.is_dir() else datasets_mod.datasets_dir()

    @contextlib.contextmanager
    def kernel_environment(self) -> Iterator[None]:
        """Grading kernels inherit this process's environment: point them at a view of the
        datasets without the hidden test labels (written from ``datasets_source()`` into a
        temporary folder, removed afterwards), and keep numerical libraries to one thread per
        kernel (the challenges ask for n_jobs=1; several kernels grading at once should not
        fight over cores). Thread settings the caller made are left alone; the environment is
        restored afterwards."""
        from .kernel import datasets as datasets_mod

        wanted = {name: "1" for name in THREAD_VARIABLES}
        added = [name for name in wanted if name not in os.environ]
        source = self.datasets_source()
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
