"""The course: a folder with nbgrader_config.py, source/, release/, submitted/, autograded/."""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from mlchallenge.core.errors import KitError

# nbgrader and the dataset loaders (pandas) take seconds to import: only the commands that grade
# need them, not a candidate's `mlchallenge start`
if TYPE_CHECKING:
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

CONFIG_FILE = "nbgrader_config.py"
# The file that marks a folder as a scratch course (``scratch_course``), which may be remade.
SCRATCH_MARK = ".mlchallenge-scratch"
COURSE_FILES = "course_files"  # in an installed kit: the course it ships with (setup.py)


def course_files() -> Path:
    """The course the kit ships with (nbgrader_config.py, source/, release/, datasets/, the
    catalogued attempts): the package's course_files/ in an installed kit, else the clone the
    package is in."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / COURSE_FILES
    if (packaged / CONFIG_FILE).is_file():
        return packaged
    clone = here.parents[3]
    if (clone / CONFIG_FILE).is_file() and (clone / "source").is_dir():
        return clone
    raise KitError("this installation of mlchallenge holds no course files: install it from a "
                   "wheel built with `pip wheel .` (or `pip install .`) in a clone")



def _environment_scripts_on_path() -> None:
    """nbgrader runs `alembic` (to create or upgrade the gradebook) as a command, so the
    scripts folder of the environment the kit runs in must be on PATH even when the kit was
    started as `.venv/bin/mlchallenge` without activating the environment."""
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "").split(os.pathsep)
    if scripts not in path:
        os.environ["PATH"] = os.pathsep.join([scripts, *path])


def quiet_gradebook_warnings() -> None:
    """nbgrader's gradebook code triggers SQLAlchemy warnings that say nothing to a user; every
    process that grades or reads a gradebook (the command, a worker, a Dask worker) sets this."""
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*not in session.*")


def require_scratch_folder(where: Path) -> None:
    """``KitError`` unless ``where`` may hold a scratch course: new, empty, or one made before."""
    where = Path(where)
    if where.exists() and not where.is_dir():
        raise KitError(f"{where} is a file: choose a new or empty folder for the scratch course")
    if where.is_dir() and any(where.iterdir()) and not (where / SCRATCH_MARK).is_file():
        raise KitError(f"{where} is not empty and is not a scratch course made by mlchallenge: "
                       "choose a new or empty folder (nothing in it was changed)")


def scratch_course(course: Course, where: Path, assignments: list[str] | None = None,
                   link_datasets: bool = False) -> Course:
    """A course in ``where`` with ``course``'s configuration and source/ (every assignment, or
    ``assignments``), and its datasets/ copied (or linked): no gradebook, no submissions.

    ``where`` is new or empty, or a scratch course made here before, which is made again from
    nothing (its gradebook would otherwise keep the hidden tests of the last run). Any other
    folder with files in it is refused and left as it is."""
    where = Path(where)
    require_scratch_folder(where)
    if where.is_dir() and any(where.iterdir()):
        shutil.rmtree(where)
    where.mkdir(parents=True, exist_ok=True)
    (where / SCRATCH_MARK).write_text("A scratch course made by mlchallenge: made again from nothing "
                                      "when one is made here again.\n", encoding="utf-8")
    shutil.copy2(course.root / CONFIG_FILE, where / CONFIG_FILE)
    for name in assignments or (None,):
        part = "source" if name is None else f"source/{name}"
        shutil.copytree(course.root / part, where / part, dirs_exist_ok=True)
    datasets = course.root / "datasets"
    if datasets.is_dir():
        if link_datasets:
            (where / "datasets").symlink_to(datasets)
        else:
            shutil.copytree(datasets, where / "datasets", dirs_exist_ok=True)
    return Course(where)


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
