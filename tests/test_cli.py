"""The CLI as a user runs it: real processes, real nbgrader, exit codes and one-line errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SUBMISSIONS

from mlchallenge.core.course import CONFIG_FILE
from mlchallenge.interviewer.attempts import parse_attempt, write_submission

BIN = Path(sys.executable).parent


def run(*args, cwd=ROOT):
    return subprocess.run([str(BIN / "mlchallenge"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_list_shows_the_bank():
    out = run("list")
    assert out.returncode == 0, out.stderr
    assert "missing-data" in out.stdout and "normalisation" in out.stdout
    assert "15 + 3 manual" in out.stdout  # points from the notebooks' grade cells


def test_help_says_what_each_command_does():
    out = run("--help")
    assert out.returncode == 0
    for command in ("list", "release", "grade", "demo"):
        assert command in out.stdout


@pytest.mark.parametrize(
    ("args", "cwd", "message"),
    [
        (("grade", "missing-dat"), ROOT, "unknown assignment 'missing-dat'; did you mean 'missing-data'"),
        (("release", "nope"), ROOT, "unknown assignment 'nope'"),
        (("list",), Path("/"), "is not an mlchallenge course"),
        (("grade", "normalisation", "--student", "nobody"), ROOT, "no submission of 'normalisation'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, cwd, message):
    out = run(*args, cwd=cwd)
    assert out.returncode == 2
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_demo_refuses_a_job_count_below_one():
    out = run("demo", "--jobs", "0", cwd=ROOT)
    assert out.returncode == 2
    assert "expected 1 or more, got 0" in out.stderr and "Traceback" not in out.stderr


def test_demo_refuses_a_workdir_holding_other_files_and_changes_nothing(tmp_path):
    kept = tmp_path / "missing-data" / "notes.txt"
    kept.parent.mkdir()
    kept.write_text("mine")
    out = run("demo", "missing-data", "--workdir", str(tmp_path), cwd=ROOT)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "is not empty and is not a scratch course made by mlchallenge" in out.stderr
    assert "Traceback" not in out.stderr
    assert [p.name for p in kept.parent.iterdir()] == ["notes.txt"] and kept.read_text() == "mine"


def test_a_scratch_course_made_again_in_its_folder_starts_from_nothing(tmp_path):
    """A gradebook left by the last run would keep the hidden tests it stored then."""
    from mlchallenge.core.course import Course, scratch_course

    first = scratch_course(Course(ROOT), tmp_path / "c", ["normalisation"])
    (first.root / "gradebook.db").write_text("stale")
    (first.root / "autograded").mkdir()
    again = scratch_course(Course(ROOT), tmp_path / "c", ["missing-data"])
    assert not (again.root / "gradebook.db").exists() and not (again.root / "autograded").exists()
    assert [p.name for p in (again.root / "source").iterdir()] == ["missing-data"]


@pytest.fixture()
def scratch_course(tmp_path):
    shutil.copy2(ROOT / CONFIG_FILE, tmp_path / CONFIG_FILE)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copytree(ROOT / "release", tmp_path / "release")
    return tmp_path


@pytest.mark.slow
@pytest.mark.sandbox
def test_grade_goes_on_past_a_broken_notebook_and_says_why(scratch_course):
    reference = parse_attempt("normalisation", SUBMISSIONS / "normalisation" / "reference.py")
    write_submission(reference, scratch_course, student="alice")
    broken = write_submission(reference, scratch_course, student="bob")
    (broken / "normalisation.ipynb").write_text('{"cells": [ this is not json')
    # dave answers NEEDS_SCALING wrongly and deletes the test cell that grades it
    wrong = parse_attempt("normalisation", SUBMISSIONS / "normalisation" / "mistake-needs-scaling-forest.py")
    deleted = write_submission(wrong, scratch_course, student="dave") / "normalisation.ipynb"
    notebook = nbformat.read(deleted, as_version=4)
    notebook.cells = [c for c in notebook.cells if c.get("metadata", {}).get("nbgrader", {})
                      .get("grade_id") != "test-needs-scaling"]
    nbformat.write(notebook, deleted)
    out = run("--course", str(scratch_course), "grade", "normalisation")
    assert out.returncode == 1, out.stdout + out.stderr
    lines = {line.split()[1]: line for line in out.stdout.splitlines()[1:] if line.strip()}
    assert lines["alice"].split()[2:4] == ["14", "14"], out.stdout
    assert "NOT GRADED" in lines["bob"]
    assert lines["dave"].split()[2] == "12", "the deleted test cell was not restored and graded"
    assert "could not be graded" in out.stderr


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("assignment", ["missing-data", "neural-networks", "data-cleaning"])
def test_plain_nbgrader_generates_and_autogrades_this_course(scratch_course, assignment):
    """No kit command: nbgrader's own CLI on the course, with the kit's config plugged in. The
    reference gets full marks and the release notebook untouched gets 0 (the two newest
    challenges, and one that refits a model on hidden rows)."""
    shutil.rmtree(scratch_course / "release")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    nbgrader = [str(BIN / "nbgrader")]
    made = subprocess.run([*nbgrader, "generate_assignment", assignment], cwd=scratch_course,
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    for student, attempt in (("carol", "reference"), ("dave", "blank")):
        write_submission(parse_attempt(assignment, SUBMISSIONS / assignment / f"{attempt}.py"),
                         scratch_course, student=student)
    graded = subprocess.run([*nbgrader, "autograde", assignment], cwd=scratch_course,
                            env=env, capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stderr
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{scratch_course / 'gradebook.db'}") as gradebook:
        reference = gradebook.find_submission(assignment, "carol")
        assert reference.code_score == reference.max_code_score > 0
        assert gradebook.find_submission(assignment, "dave").code_score == 0


@pytest.mark.sandbox
def test_grading_kernel_imports_the_emit_side_before_candidate_code_over_ipc(tmp_path):
    """The prelude runs in every grading kernel before the first cell (the kernel side of the
    hidden tests is loaded before any candidate code); the kernel talks over Unix sockets, not
    TCP."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from mlchallenge.preprocessors.execute import GradingExecute

    probe = (
        "import sys\n"
        "from ipykernel.kernelapp import IPKernelApp\n"
        "print('mlchallenge.kernel.emit' in sys.modules, IPKernelApp.instance().transport)"
    )
    nb = new_notebook(cells=[new_code_cell(probe)])
    GradingExecute().preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert nb.cells[0].outputs[0]["text"].split() == ["True", "ipc"]
    nbformat.validate(nb)


def _config(**sections):
    from traitlets.config import Config

    config = Config()
    for section, values in sections.items():
        for name, value in values.items():
            setattr(config[section], name, value)
    return config


@pytest.mark.parametrize("sections", [
    {"GradingExecute": {"timeout": 120}},
    {"Execute": {"timeout": 45}, "GradingExecute": {"memory_mb": 2048, "max_processes": 16}},
    {"NotebookClient": {"timeout": 10}, "GradingExecute": {"timeout": 99, "fork_kernels": False}},
    {"ExecutePreprocessor": {"timeout": None}, "Execute": {"max_tmp_mb": 64}},
    {"NotebookClient": {"timeout": 5}, "Configurable": {"max_work_files": 7}},
])
def test_the_command_reads_the_kernel_settings_nbgrader_s_execute_makes(sections, tmp_path):
    """The grading command starts the first kernel factory before it loads nbgrader, from the
    kernel settings it reads itself: the same as GradingExecute's for the same configuration
    (a worker takes the factory only when they are, and starts its own otherwise)."""
    from mlchallenge.preprocessors.execute import GradingExecute
    from mlchallenge.sandbox.options import EXECUTE_SECTIONS, configured_settings

    assert tuple(reversed(GradingExecute.section_names())) == EXECUTE_SECTIONS
    chosen = {"kernel_datasets": str(tmp_path), "kernel_datasets_sha256": "ab" * 32,
              "scratch_dir": str(tmp_path / "s")}
    config = _config(**sections)
    for name, value in chosen.items():
        setattr(config.GradingExecute, name, value)
    assert configured_settings(_config(**sections), **chosen) == GradingExecute(config=config).settings()


def test_kernel_settings_the_command_cannot_read_without_nbgrader_are_left_to_the_workers(tmp_path):
    from mlchallenge.sandbox.options import configured_settings

    view = {"kernel_datasets": str(tmp_path)}
    assert configured_settings(_config(), **view) is None  # the cell timeout's default is nbgrader's
    assert configured_settings(_config(GradingExecute={"timeout": 5, "memory_mb": "lots"}), **view) is None
    assert configured_settings(_config(GradingExecute={"timeout": "5"}), **view) is None
    assert configured_settings(_config(GradingExecute={"timeout": 5})) is None  # no datasets view
    assert configured_settings(_config(GradingExecute={"timeout": 5}), **view) is not None


def test_the_grading_command_starts_its_first_kernel_factory_before_loading_nbgrader():
    """What the command runs to start the factory (reading the settings, the sandbox's hidden
    files) loads none of the libraries that take seconds to import."""
    code = ("import sys; import mlchallenge.api as api; api.factory_offer\n"
            "from mlchallenge.sandbox.options import configured_settings\n"
            "from mlchallenge.sandbox.settings import hidden_package_data, python_roots\n"
            f"config = api.Course({str(ROOT)!r}).config\n"
            "assert configured_settings(config, kernel_datasets='/tmp') is not None\n"
            "hidden_package_data(python_roots())\n"
            "print(sorted({'nbgrader', 'nbconvert', 'pandas', 'sklearn'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr
