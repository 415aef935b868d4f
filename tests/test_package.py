"""The kit installs as a package: a wheel built from the clone, installed in a fresh virtual
environment outside it, makes a course of its own (`mlchallenge init`), starts a challenge
(`mlchallenge new`), releases challenges and grades references to full marks there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

# what a wheel is built from (setup.py copies the course parts into the package)
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "nbgrader_config.py", "src", "source",
                "release", "datasets", "tests/submissions")


def run(argv, cwd, env=None, timeout=600):
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A wheel built from a copy of the clone, installed (without its dependencies, which come
    from the test environment's site-packages through a .pth file) in a fresh venv."""
    where = tmp_path_factory.mktemp("package")
    tree = where / "tree"
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "-w", where / "dist", tree], cwd=where)
    [wheel] = (where / "dist").glob("mlchallenge-*.whl")
    env_dir = where / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    own_site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=where).stdout.strip())
    (own_site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "--quiet", wheel], cwd=where)
    # nothing of the clone on the path: only the installed wheel can answer
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLCHALLENGE_DATASETS")}
    # the borrowed dependencies' commands (nbgrader runs `alembic`) come after the venv's own
    env["PATH"] = os.pathsep.join([str(env_dir / "bin"), env.get("PATH", ""),
                                   str(Path(sys.executable).parent)])
    return {"where": where, "python": python, "cli": env_dir / "bin" / "mlchallenge", "env": env}


def test_the_wheel_holds_the_kit_and_its_course(installed):
    located = run([installed["python"], "-c",
                   "import mlchallenge, mlchallenge.core.course as c; "
                   "print(mlchallenge.__file__); print(c.course_files())"],
                  cwd=installed["where"], env=installed["env"]).stdout.split()
    assert str(ROOT) not in located[0], "the kit was imported from the clone, not the wheel"
    assert located[1].endswith(os.path.join("mlchallenge", "course_files"))


PEEK = """# Looks for the course an installed kit ships, beside the package it imports.
# expect: 0
# base: blank
# %% cell: profile
import os
import mlchallenge
_shipped = os.path.join(os.path.dirname(mlchallenge.__file__), "course_files")
_seen = [os.path.join(here, name) for here, _, names in os.walk(_shipped) for name in names]
print("course files seen:", len(_seen), _seen[:3])
"""


def test_init_makes_a_course_that_releases_and_grades(installed):
    where, cli, env = installed["where"], installed["cli"], installed["env"]
    course = where / "my-course"
    run([cli, "init", course], cwd=where, env=env)
    assert sorted(p.name for p in course.iterdir()) == [
        "datasets", "nbgrader_config.py", "release", "source", "tests"]
    listed = run([cli, "list"], cwd=course, env=env).stdout
    assert "missing-data" in listed and "take-home-churn" in listed
    # a challenge of the bank, released and graded in the new course: the reference gets full marks
    run([cli, "release", "missing-data"], cwd=course, env=env)
    # and a candidate who looks for the course the installed kit ships (every hidden-test label
    # is in its datasets): the kernel sees an empty folder there
    (where / "peek.py").write_text(PEEK, encoding="utf-8")
    run([installed["python"], "-c",
         "from pathlib import Path\n"
         "from mlchallenge.interviewer.attempts import catalogue, parse_attempt, write_submission\n"
         "[a] = [a for a in catalogue(Path('tests/submissions'), 'missing-data')"
         " if a.name == 'reference']\n"
         "write_submission(a, Path('.'))\n"
         f"write_submission(parse_attempt('missing-data', Path({str(where / 'peek.py')!r})), Path('.'))\n"],
        cwd=course, env=env)
    graded = run([cli, "grade", "missing-data", "--workers", "1"], cwd=course, env=env).stdout
    row = next(line.split() for line in graded.splitlines() if " reference " in f" {line} ")
    assert row[2] == row[3] and float(row[2]) > 0, graded
    peeked = json.loads((course / "autograded" / "peek" / "missing-data" / "missing-data.ipynb").read_text())
    printed = "".join("".join(o.get("text", "")) for c in peeked["cells"] for o in c.get("outputs", []))
    assert "course files seen: 0" in printed, printed
    where_shipped = "import mlchallenge.core.course as c; print(c.course_files())"
    shipped = Path(run([installed["python"], "-c", where_shipped], cwd=where, env=env).stdout.strip())
    assert (shipped / "datasets" / "credit_data.csv").is_file()  # there, outside the sandbox
    # a second init into the same folder is refused, and writes nothing
    again = subprocess.run([str(cli), "init", str(course)], cwd=where, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 2 and "already holds a course" in again.stderr


def test_new_starts_a_challenge_whose_catalogue_scores_as_declared(installed):
    where, cli, env = installed["where"], installed["cli"], installed["env"]
    course = where / "authoring"
    run([cli, "init", course], cwd=where, env=env)
    run([cli, "new", "scaling-basics"], cwd=course, env=env)
    run([cli, "release", "scaling-basics"], cwd=course, env=env)
    assert (course / "release" / "scaling-basics" / "scaling-basics.ipynb").is_file()
    demo = run([cli, "demo", "scaling-basics", "--workdir", where / "demo-work",
                "--report", where / "demo-report"], cwd=course, env=env)
    assert "all 4 catalogued attempts scored as expected" in demo.stdout, demo.stdout + demo.stderr
    taken = subprocess.run([str(cli), "new", "scaling-basics"], cwd=course, env=env,
                           capture_output=True, text=True)
    assert taken.returncode == 2 and "already exists" in taken.stderr
    bad = subprocess.run([str(cli), "new", "Scaling Basics"], cwd=course, env=env,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "cannot name a challenge" in bad.stderr
