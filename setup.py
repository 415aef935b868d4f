"""The wheel carries the course the kit ships with (nbgrader_config.py, source/, release/,
datasets/ and the catalogued attempts in tests/submissions/) as package data under
``mlchallenge/course_files/``, from which ``mlchallenge init`` writes a new course. A clone
(an editable install) reads them from the clone itself. Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

COURSE_FILES = ("nbgrader_config.py", "source", "release", "datasets", "tests/submissions")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


class BuildWithCourse(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "mlchallenge" / "course_files"
        shutil.rmtree(target, ignore_errors=True)
        for name in COURSE_FILES:
            source = here / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=IGNORED)
            else:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithCourse})
