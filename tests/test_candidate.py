"""The candidate's commands as a candidate runs them: start, check, hints, submit, grade --self.

Real processes, real kernels, real nbgrader. The kernel-running tests use
algorithms-from-scratch, the fastest notebook (under a second of cell time).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import time
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SUBMISSIONS

from mlchallenge.candidate import hints as hints_mod
from mlchallenge.candidate.check import check_notebook
from mlchallenge.candidate.workspace import start
from mlchallenge.core import timing
from mlchallenge.interviewer.attempts import build_notebook, parse_attempt

BIN = Path(sys.executable).parent
FAST = "algorithms-from-scratch"
NOTEBOOK = f"{FAST}.ipynb"
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())


def run(*args, cwd):
    return subprocess.run([str(BIN / "mlchallenge"), "--course", str(ROOT), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def one_line_error(out, message):
    assert out.returncode == 2, out.stdout + out.stderr
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def write_attempt(name: str, workspace: Path, assignment: str = FAST) -> Path:
    """The catalogued attempt ``name`` of ``assignment``, as the candidate's workspace notebook."""
    attempt = parse_attempt(assignment, SUBMISSIONS / assignment / f"{name}.py")
    notebook = build_notebook(attempt, ROOT / "source" / assignment / f"{assignment}.ipynb",
                              ROOT / "release" / assignment / f"{assignment}.ipynb")
    path = workspace / f"{assignment}.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture()
def workspace(tmp_path, course):
    """A workspace made by `start` (in this process: the command's start-up costs seconds)."""
    return start(course, FAST, tmp_path / "workspace" / FAST)


# ---- start -------------------------------------------------------------------------------

def test_start_copies_the_release_with_hints_and_no_manifest(tmp_path):
    out = run("start", FAST, "--no-lab", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    workspace = tmp_path / "workspace" / FAST
    assert out.stdout.strip() == f"workspace: {workspace}"
    release = ROOT / "release" / FAST
    assert (workspace / NOTEBOOK).read_bytes() == (release / NOTEBOOK).read_bytes()
    for data in (release / "data").iterdir():
        assert (workspace / "data" / data.name).read_bytes() == data.read_bytes()
    assert json.loads((workspace / "hints_used.json").read_text()) == {"assignment": FAST, "used": []}
    assert (workspace / "hints.py").is_file()
    assert not (workspace / "manifest.toml").exists()


def test_start_again_keeps_an_untouched_workspace_and_refuses_to_overwrite_work(workspace):
    used = workspace / "hints_used.json"
    used.write_text(json.dumps({"assignment": FAST, "used": [
        {"task": "test-knn", "tier": 1, "at": "2026-01-01T00:00:00Z"}]}))
    out = run("start", FAST, "--no-lab", cwd=workspace.parents[1])
    assert out.returncode == 0, out.stderr
    assert "test-knn" in used.read_text(), "starting again reset the hints taken"

    notebook = workspace / NOTEBOOK
    notebook.write_text(notebook.read_text().replace("raise NotImplementedError()", "return 1", 1))
    before = notebook.read_bytes()
    out = run("start", FAST, "--no-lab", cwd=workspace.parents[1])
    one_line_error(out, "already holds your work")
    assert notebook.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("start", "algorithms", "--no-lab"), "unknown assignment 'algorithms'"),
        (("check",), "no notebook in"),
        (("check", "nothing.ipynb"), "nothing.ipynb does not exist"),
        (("submit", FAST, "--no-check"), "no notebook in"),
        (("grade", "--self", FAST, "--no-sandbox"), "no notebook in"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    one_line_error(run(*args, cwd=tmp_path), message)


def test_check_rejects_a_broken_notebook(tmp_path):
    (tmp_path / "broken.ipynb").write_text('{"cells": [ not json')
    one_line_error(run("check", "broken.ipynb", cwd=tmp_path), "broken.ipynb is not a valid notebook")


def test_help_says_what_each_candidate_command_does():
    for command, words in (("start", "never overwritten"), ("check", "not attempted"),
                           ("submit", "MANIFEST.json"), ("grade", "--self")):
        out = run(command, "--help", cwd=ROOT)
        assert out.returncode == 0 and words in " ".join(out.stdout.split()), command


# ---- check -------------------------------------------------------------------------------

def test_check_passes_the_reference_solution(workspace):
    write_attempt("reference", workspace)
    out = run("check", cwd=workspace)  # no NOTEBOOK: the notebooks of the current folder
    assert out.returncode == 0, out.stdout + out.stderr
    rows = re.findall(r"^(test-[\w-]+)\s+(passed|failed|not attempted)", out.stdout, re.MULTILINE)
    assert len(rows) == 9 and {status for _, status in rows} == {"passed"}
    assert "9 of 9 public tests pass" in out.stdout


def test_check_says_a_blank_notebook_is_not_attempted(workspace):
    result = check_notebook(workspace / NOTEBOOK)
    assert [t.status for t in result.tasks] == ["not attempted"] * 9
    assert not result.passed
    assert (workspace / NOTEBOOK).read_bytes() == (ROOT / "release" / FAST / NOTEBOOK).read_bytes()


def test_check_names_the_failed_task_with_its_message(workspace):
    write_attempt("mistake-knn-tie-first-seen", workspace)
    out = run("check", str(workspace / NOTEBOOK), cwd=workspace.parents[1])
    assert out.returncode == 1, out.stdout + out.stderr
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("test-knn "))
    assert "failed" in line and "a tied vote should go to the smallest label" in line
    assert "8 of 9 public tests pass, 1 failed, 0 not attempted" in out.stdout


def test_check_marks_only_unwritten_tasks_not_attempted(workspace):
    notebook = nbformat.read(ROOT / "release" / FAST / NOTEBOOK, as_version=4)
    reference = nbformat.read(write_attempt("reference", workspace), as_version=4)
    written = {c.metadata["nbgrader"]["grade_id"]: c.source for c in reference.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "logistic":
            cell.source = written["logistic"]
    # a hint call left in the notebook: checking it takes no new tier
    notebook.cells.append(nbformat.v4.new_code_cell("from hints import hint\nhint('test-knn')"))
    nbformat.write(notebook, workspace / NOTEBOOK)
    statuses = {t.task: t.status for t in check_notebook(workspace / NOTEBOOK).tasks}
    assert statuses.pop("test-logistic") == "passed"
    assert set(statuses.values()) == {"not attempted"}
    assert json.loads((workspace / "hints_used.json").read_text())["used"] == []


def test_check_ends_the_kernel_and_what_the_notebook_started(workspace):
    """The kernel is killed at the end, with its process group: a process the notebook left
    running (a pool worker, a server) does not outlive the check."""
    notebook = nbformat.read(write_attempt("reference", workspace), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import os, subprocess, sys\n"
        "_child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "open('pids.txt', 'w').write(f'{os.getpid()} {_child.pid}')"))
    nbformat.write(notebook, workspace / NOTEBOOK)
    assert check_notebook(workspace / NOTEBOOK).passed
    pids = [int(p) for p in (workspace / "pids.txt").read_text().split()]
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in pids):
        assert time.monotonic() < deadline, f"still running after check: {pids}"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return "Z"


# ---- hints -------------------------------------------------------------------------------

def _manifest_hints(assignment):
    manifest = tomllib.loads((ROOT / "source" / assignment / "manifest.toml").read_text())
    return manifest.get("hints", {})


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_autograded_task_has_tiered_hints_that_hold_no_solution_line(assignment):
    notebook = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    meta = [(c, c.metadata.get("nbgrader", {})) for c in notebook.cells]
    tests = {m["grade_id"] for c, m in meta
             if c.cell_type == "code" and m.get("grade") and not m.get("solution")}
    hints = _manifest_hints(assignment)
    assert set(hints) == tests, "[hints] should cover exactly the autograded test cells"
    solution_lines = {line.strip() for c, m in meta if m.get("solution")
                      for line in c.source.split("### BEGIN SOLUTION")[-1].splitlines()
                      if len(line.strip()) > 30 and "SOLUTION" not in line}
    for task, tiers in hints.items():
        assert len(tiers) >= 2 and len(set(tiers)) == len(tiers), task
        for tier in tiers:
            assert not any(line in tier for line in solution_lines), f"{task} quotes the solution"


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hints_come_in_tiers_and_are_recorded(workspace, capsys):
    tiers = _manifest_hints(FAST)["test-split"]
    text = (workspace / "hints.py").read_text()
    assert not any(tier[:40] in text for tier in tiers), "hints are readable at a glance"
    hints = _load(workspace / "hints.py", "candidate_hints")
    hints.hint("test-split")
    assert tiers[0] in capsys.readouterr().out  # hint() prints: a notebook shows it once
    assert tiers[1] in hints.hint_text("split")  # the test- prefix may be left out
    assert tiers[0] in hints.hint_text("test-split", tier=1)  # seen again: not recorded again
    with pytest.raises(ValueError, match="in order"):
        hints.hint_text("test-knn", tier=2)
    with pytest.raises(ValueError, match="no hints for 'test-nope'"):
        hints.hint_text("test-nope")
    record = json.loads((workspace / "hints_used.json").read_text())
    assert record["assignment"] == FAST
    assert [(u["task"], u["tier"]) for u in record["used"]] == [("test-split", 1), ("test-split", 2)]
    for used in record["used"]:
        assert datetime.fromisoformat(used["at"].replace("Z", "+00:00")).utcoffset().total_seconds() == 0
    assert tiers[2] in hints.hint_text("test-split")
    assert "last hint" in hints.hint_text("test-split")  # past the last tier: shown, not recorded
    assert len(json.loads((workspace / "hints_used.json").read_text())["used"]) == 3
    assert "test-split: 3 of 3 taken" in hints.hint_text()


def test_hints_need_nothing_but_python(workspace):
    """A bundle's candidate has no mlchallenge: hints.py runs on the standard library alone
    (-S: no site-packages at all), from the notebook's folder."""
    code = "from hints import hint; hint('test-knn')"
    out = subprocess.run([sys.executable, "-S", "-c", code], cwd=workspace, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert _manifest_hints(FAST)["test-knn"][0] in out.stdout
    # and through the installed kit, from the same folder: the next tier
    code = "from mlchallenge.candidate.hints import hint; hint('test-knn')"
    out = subprocess.run([sys.executable, "-c", code], cwd=workspace, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert _manifest_hints(FAST)["test-knn"][1] in out.stdout
    used = json.loads((workspace / "hints_used.json").read_text())["used"]
    assert [(u["task"], u["tier"]) for u in used] == [("test-knn", 1), ("test-knn", 2)]


def test_hints_file_round_trips(tmp_path):
    hints = {"test-a": ["one", "two \"quoted\" \u00e9"], "test-b": ["only"]}
    path = hints_mod.write_hints_file(tmp_path, "demo", hints)
    assert hints_mod.read_hints_file(path) == ("demo", hints)


# ---- submit ------------------------------------------------------------------------------

def test_submit_writes_a_zip_with_checksums_hints_and_versions(workspace, tmp_path):
    write_attempt("reference", workspace)
    hints = _load(workspace / "hints.py", "submit_hints")
    hints.hint("test-kmeans")
    out = run("submit", FAST, cwd=workspace.parents[1])
    assert out.returncode == 0, out.stdout + out.stderr
    path = Path(out.stdout.strip().splitlines()[-1].removeprefix("submission: "))
    assert path.parent == workspace.parent
    assert re.fullmatch(rf"{FAST}-\d{{8}}T\d{{6}}Z\.zip", path.name)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read(f"{FAST}/MANIFEST.json"))
        assert {f"{FAST}/{NOTEBOOK}", f"{FAST}/hints_used.json", f"{FAST}/MANIFEST.json"} <= names
        assert not any("hints.py" in n or "manifest.toml" in n for n in names)
        assert set(manifest["files"]) == {n.removeprefix(f"{FAST}/") for n in names} - {"MANIFEST.json"}
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(archive.read(f"{FAST}/{name}")).hexdigest() == digest, name
        used = json.loads(archive.read(f"{FAST}/hints_used.json"))
    assert [(u["task"], u["tier"]) for u in used["used"]] == [("test-kmeans", 1)]
    assert manifest["assignment"] == FAST
    # when `start` made the workspace and when it was submitted, on this machine's clock
    assert timing.parse(manifest["started_at"]) <= timing.parse(manifest["submitted_at"])
    assert f"{FAST}/timing.json" in names
    env = manifest["environment"]
    assert env["python"] == ".".join(map(str, sys.version_info[:3]))
    for package in ("numpy", "pandas", "scikit-learn", "jupyterlab"):
        assert re.match(r"\d+\.\d+", env[package]), package
    assert set(manifest["check"][NOTEBOOK].values()) == {"passed"}


def test_submit_warns_but_still_submits_failing_work(workspace, tmp_path):
    write_attempt("mistake-knn-tie-first-seen", workspace)
    out = run("submit", FAST, "--dir", str(workspace), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "not every public test passes" in out.stderr
    [path] = (tmp_path / "out").glob("*.zip")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(f"{FAST}/MANIFEST.json"))
    assert manifest["check"][NOTEBOOK]["test-knn"] == "failed"


# ---- grade --self ------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.sandbox
def test_grade_self_gives_the_reference_full_marks_and_a_feedback_report(tmp_path, course):
    # model-tradeoffs: fast to grade, and no hidden test with a wall-clock budget (those of
    # algorithms-from-scratch can fail on a machine busy with other work)
    assignment = "model-tradeoffs"
    workspace = start(course, assignment, tmp_path / "workspace" / assignment)
    write_attempt("reference", workspace, assignment)
    out = run("grade", "--self", assignment, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "autograded: 13 of 13 points" in out.stdout, out.stdout
    rows = re.findall(r"^(test-[\w-]+)\s+(\S+)\s+(\w+)", out.stdout, re.MULTILINE)
    assert len(rows) == 10 and {status for _, _, status in rows} == {"passed"}, out.stdout
    assert re.search(r"^tradeoffs\s+-/3\s+graded by a person", out.stdout, re.MULTILINE)
    report = workspace / "feedback" / f"{assignment}.html"
    assert f"feedback report: {report}" in out.stdout
    assert "test-scale-answers" in report.read_text()

