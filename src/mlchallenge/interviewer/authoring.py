"""A course of one's own: ``mlchallenge init DIR`` writes the course the kit ships with, and
``mlchallenge new NAME`` starts a challenge in a course (a notebook with a solution cell, a
public and a hidden test, its judge, a manifest, and the attempts that prove it)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mlchallenge.core.course import CONFIG_FILE, Course, course_files
from mlchallenge.core.errors import KitError

# what `init` copies from the kit's own course, relative to its root
COURSE_PARTS = (CONFIG_FILE, "source", "release", "datasets", "tests/submissions")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def init_course(target: Path) -> Path:
    """Write a new course into ``target`` (a new or empty folder): the kit's nbgrader
    configuration, its challenges (source/ and release/), datasets and catalogued attempts."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise KitError(f"{target} is a file; give a new or empty folder for the course")
    if target.is_dir() and any(target.iterdir()):
        what = "a course" if (target / CONFIG_FILE).exists() else "files"
        raise KitError(f"{target} already holds {what}; give a new or empty folder, nothing was "
                       "written")
    origin = course_files()
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for part in COURSE_PARTS:
        source = origin / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def new_challenge(course: Course, name: str) -> list[Path]:
    """Start challenge ``name`` in ``course``: the files written. The skeleton is a complete
    challenge (release it, grade its reference to full marks); replace its task with yours."""
    if not NAME.match(name):
        raise KitError(f"{name!r} cannot name a challenge: use lower-case letters, digits and "
                       "single hyphens, starting with a letter (e.g. 'feature-scaling')")
    folder = course.root / "source" / name
    attempts = course.root / "tests" / "submissions" / name
    for existing in (folder, attempts):
        if existing.exists():
            raise KitError(f"{existing} already exists; choose another name, nothing was written")
    import nbformat

    folder.mkdir(parents=True)
    attempts.mkdir(parents=True)
    notebook = folder / f"{name}.ipynb"
    nbformat.write(_skeleton_notebook(name), notebook)
    written = [notebook]
    for path, text in ((folder / "judges.py", JUDGES), (folder / "manifest.toml", _manifest(name)),
                       (attempts / "reference.py", REFERENCE), (attempts / "blank.py", BLANK),
                       (attempts / "mistake-population-std.py", MISTAKE),
                       (attempts / "alternative-statistics-module.py", ALTERNATIVE)):
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _cell(kind: str, source: str, grade_id: str, *, solution=False, grade=False, points=None,
          locked=True):
    import nbformat.v4 as v4

    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = float(points)
    cell = v4.new_markdown_cell(source) if kind == "markdown" else v4.new_code_cell(source)
    cell.metadata["nbgrader"] = meta
    return cell


def _skeleton_notebook(name: str):
    import nbformat.v4 as v4

    title = name.replace("-", " ").capitalize()
    cells = [
        _cell("markdown", f"# {title}\n\nWhat the candidate is asked, and why it matters. This "
              "skeleton's task (standardising a list of numbers) shows each part of a challenge; "
              "replace it with yours.", "intro"),
        _cell("code", "import numpy as np", "setup"),
        _cell("markdown", "## 1. Standardise  (3 points)\n\nWrite `standardise(values)` returning "
              "a numpy array of `(x - mean) / std` for each value, where `std` is the sample "
              "standard deviation (divisor n - 1).", "standardise-task"),
        _cell("code", "def standardise(values):\n    ### BEGIN SOLUTION\n"
              "    values = np.asarray(values, dtype=float)\n"
              "    return (values - values.mean()) / values.std(ddof=1)\n    ### END SOLUTION",
              "standardise", solution=True, locked=False),
        # each graded cell: a public part the candidate sees (and runs with `mlchallenge
        # check`), then a hidden part that only builds inputs and emits what the candidate's
        # function returns; its judge in judges.py decides, in the grading process
        _cell("code", "_z = np.asarray(standardise([1.0, 2.0, 4.0]), dtype=float)\n"
              "assert abs(_z.mean()) < 1e-9, \"standardised values should have mean 0\"\n"
              "### BEGIN HIDDEN TESTS\nimport numpy as np\n\nfrom mlchallenge.kernel import emit\n\n"
              "emit(\"centred\", standardise, np.random.default_rng(1).gamma(2.0, 3.0, size=25))\n"
              "### END HIDDEN TESTS", "test-standardise-centred", grade=True, points=1),
        _cell("code", "assert np.asarray(standardise([1.0, 2.0, 4.0])).shape == (3,), "
              "\"one standardised value per input value\"\n"
              "### BEGIN HIDDEN TESTS\nimport numpy as np\n\nfrom mlchallenge.kernel import emit\n\n"
              "_values = np.random.default_rng(0).normal(50.0, 10.0, size=40)\n"
              "emit(\"standardise\", standardise, _values)\n### END HIDDEN TESTS",
              "test-standardise", grade=True, points=2),
    ]
    return v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"}})


def _manifest(name: str) -> str:
    title = name.replace("-", " ").capitalize()
    return f'''title = "{title}"
skills = ["normalisation"]
minutes = 15
difficulty = "introductory"

[follow_up]
test-standardise = "When would you standardise with the population standard deviation instead?"

# Which skills each graded cell measures (its points are split evenly between them).
[skills_by_task]
test-standardise-centred = ["normalisation"]
test-standardise = ["normalisation"]

# Tiered hints per test cell: a nudge, then the idea, then the method; never the code.
[hints]
test-standardise-centred = [
    "Each value minus the mean, divided by the standard deviation.",
    "Subtracting the mean of the values you were given centres them on 0.",
    "Method: convert to a float array and subtract its mean before dividing.",
]
test-standardise = [
    "The hidden test uses other numbers than the public one.",
    "The sample standard deviation divides by n - 1.",
    "Method: np.asarray(values, dtype=float), then (x - x.mean()) / x.std(ddof=1).",
]
'''


JUDGES = '''"""Judges of this challenge's hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here, and raises
``Wrong`` with a message a candidate learns from, or returns the fraction of the points earned.
"""

import numpy as np

from mlchallenge.judging import Wrong, compare, judge


@judge("test-standardise-centred")
def centred(case):
    (values,) = case.args("centred")
    got = compare.float_array(case.returned("centred"), "standardise()")
    if got.shape != values.shape:
        raise Wrong(f"standardise() of {len(values)} values returned {got.size} values")
    if not abs(got.mean()) < 1e-9:
        raise Wrong(f"standardised values should have mean 0, not {got.mean():.3g}")
    if not np.array_equal(np.argsort(got, kind="stable"), np.argsort(values, kind="stable")):
        raise Wrong("standardising should keep the values' order")


@judge("test-standardise")
def standardise(case):
    (values,) = case.args("standardise")
    got = compare.float_array(case.returned("standardise"), "standardise()")
    expected = (values - values.mean()) / values.std(ddof=1)
    if got.shape != expected.shape:
        raise Wrong(f"standardise() of {len(values)} values returned {got.size} values")
    compare.allclose(got, expected, "each value should become (x - mean) / std, with the "
                     "sample standard deviation (ddof=1)")
'''

REFERENCE = """# The source notebook's solution, as a candidate would type it.
# expect: 3
# base: reference
"""

BLANK = """# The release notebook, untouched.
# expect: 0
# base: blank
"""

MISTAKE = """# Divides by the population standard deviation (numpy's default ddof=0): centred and in
# order (1 point), but not the values the task asks for.
# expect: 1
# base: reference
# %% cell: standardise
def standardise(values):
    values = np.asarray(values, dtype=float)
    return (values - values.mean()) / values.std()
"""

ALTERNATIVE = """# The standard library's statistics module instead of numpy.
# expect: 3
# base: reference
# %% cell: standardise
import statistics


def standardise(values):
    mean, std = statistics.mean(values), statistics.stdev(values)
    return np.array([(x - mean) / std for x in values])
"""
