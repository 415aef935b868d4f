"""The hostile corpus (tests/submissions/hostile/) graded in one batch with honest submissions,
by `mlchallenge grade --workers 2` as an interviewer runs it, in a sandbox, into a PostgreSQL
gradebook (`--db`, a real server; the SQLite writer is tested in test_grading_runner.py and by
the demo). The course's SQLite gradebook.db stays beside it, as the target the gradebook attacks
look for: it must come out unchanged too.

Each case is an attempt at missing-data (see mlchallenge.interviewer.attempts), plus an optional
``# transform:`` line for damage done to the notebook file itself. A hostile cell prints
"LEAK:" when its attack works; nothing it does may gain points, change the gradebook, touch a
submission, reach the network, leave a process behind or stop the batch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SUBMISSIONS, code_scores, count_rows, use_database

from mlchallenge.core.course import CONFIG_FILE, Course
from mlchallenge.dev.demo import make_scratch_course
from mlchallenge.grading.service import release
from mlchallenge.interviewer.attempts import catalogue, parse_attempt, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

ASSIGNMENT = "missing-data"
HOSTILE = SUBMISSIONS / "hostile"
HONEST = ("reference", "blank", "mistake-pct-as-fraction", "alternative-sklearn-throughout")
BIN = Path(sys.executable).parent

# short limits, so the loops and sleeps end quickly
LIMITS = """
c.GradingExecute.timeout = 10
c.GradingExecute.notebook_timeout = 90
c.GradingExecute.memory_mb = 2048
c.GradingExecute.max_processes = 48
c.GradingExecute.max_output_kb = 512
c.GradingExecute.max_tmp_mb = 64
c.GradingExecute.max_work_mb = 64
"""


def _transform(path: Path) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# transform:"):
            return line.split(":", 1)[1].strip()
    return None


def _grade_cells(nb):
    return [c for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]


def damage(folder: Path, how: str) -> None:
    """Do to the submitted notebook what a careless or crafty candidate did."""
    path = folder / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    if how == "truncate-json":
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: len(text) // 2], encoding="utf-8")
        return
    if how == "nbformat-3":
        nbformat.write(nbformat.convert(nb, 3), path)
        return
    if how == "remove-notebook":
        path.unlink()
        return
    if how == "extra-notebook":
        scratch = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        nbformat.write(scratch, folder / "scratch.ipynb")
        return
    if how == "symlink-gradebook":
        (folder / "stolen.db").symlink_to(folder.parents[2] / "gradebook.db")
        (folder / "stolen-source").symlink_to(folder.parents[2] / "source")
        return
    if how == "rename-notebook":
        path.rename(folder / f"{ASSIGNMENT} (1).ipynb")
        return
    tests = _grade_cells(nb)
    if how == "delete-tests":
        nb.cells = [c for c in nb.cells if c not in tests]
    elif how == "duplicate-test":
        at = nb.cells.index(tests[0])
        nb.cells.insert(at, nbformat.from_dict(json.loads(json.dumps(tests[0]))))
    elif how == "rename-test-ids":
        for cell in tests:
            cell.metadata["nbgrader"]["grade_id"] += "-mine"
    elif how == "inflate-points":
        for cell in tests:
            cell.metadata["nbgrader"]["points"] = 100
    elif how == "empty-tests":
        for cell in tests:
            cell.source = "pass"
    else:
        raise ValueError(f"unknown transform {how!r}")
    nbformat.write(nb, path)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            digest.update(str(path.relative_to(folder)).encode() + os.readlink(path).encode())
        elif path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


class Listener:
    """A TCP port on loopback that records whether anyone connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


def _sleepers() -> int:
    out = subprocess.run(["pgrep", "-f", "sleep 300"], capture_output=True, text=True)
    return len(out.stdout.split())


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory, postgres):
    db_url = postgres.create_database("hostile")
    course = make_scratch_course(Course(ROOT), tmp_path_factory.mktemp("hostile") / "course")
    with open(course.root / CONFIG_FILE, "a", encoding="utf-8") as handle:
        handle.write(LIMITS)
    release(Course(course.root), [ASSIGNMENT])
    listener = Listener()
    cases = {}
    for path in sorted(HOSTILE.glob("*.py")):
        attempt = parse_attempt(ASSIGNMENT, path)
        cells = {k: v.replace("PORT", str(listener.port)) for k, v in attempt.cells.items()}
        attempt = dataclasses.replace(attempt, cells=cells)
        folder = write_submission(attempt, course.root)
        how = _transform(path)
        if how:
            damage(folder, how)
        cases[attempt.name] = attempt
    honest = {a.name: a for a in catalogue(SUBMISSIONS, ASSIGNMENT) if a.name in HONEST}
    for attempt in honest.values():
        write_submission(attempt, course.root, student=f"honest-{attempt.name}")
    submitted = course.root / "submitted"
    before = {p.name: _digest(p) for p in submitted.iterdir()}
    sqlite_before = hashlib.sha256((course.root / "gradebook.db").read_bytes()).hexdigest()
    sleepers_before = _sleepers()
    done = subprocess.run(
        [str(BIN / "mlchallenge"), "grade", ASSIGNMENT, "--workers", "2", "--db", db_url],
        cwd=course.root, capture_output=True, text=True, timeout=1800,
    )
    listener.close()
    return {
        "course": course.root, "db_url": db_url, "run": done, "cases": cases, "honest": honest,
        "sqlite_before": sqlite_before,
        "sqlite_after": hashlib.sha256((course.root / "gradebook.db").read_bytes()).hexdigest(),
        "before": before, "after": {p.name: _digest(p) for p in submitted.iterdir()},
        "connections": listener.connections,
        "new_sleepers": _sleepers() - sleepers_before,
    }


def test_corpus_has_at_least_25_cases():
    assert len(list(HOSTILE.glob("*.py"))) >= 25


def test_batch_completes_and_reports_what_could_not_be_graded(hostile_batch):
    run = hostile_batch["run"]
    # malformed JSON and a folder without a notebook cannot be graded: exit 1, with reasons
    assert run.returncode == 1, run.stdout + run.stderr
    assert "malformed-json" in run.stderr and "not a valid notebook" in run.stderr
    assert "missing-notebook" in run.stderr and "no notebook" in run.stderr
    rows = {line.split()[1]: line for line in run.stdout.splitlines() if line.startswith(ASSIGNMENT)}
    ungraded = sorted(name for name, row in rows.items() if "NOT GRADED" in row)
    # every other attack ends as a graded submission (points only for what passed)
    assert ungraded == ["malformed-json", "missing-notebook"], [rows[n] for n in ungraded]
    students = set(code_scores(hostile_batch["db_url"]))
    expected = set(hostile_batch["cases"]) | {f"honest-{n}" for n in hostile_batch["honest"]}
    assert expected <= students, f"dropped: {sorted(expected - students)}"


def test_honest_submissions_keep_their_scores(hostile_batch):
    scores = code_scores(hostile_batch["db_url"])
    for name, attempt in hostile_batch["honest"].items():
        assert attempt.expects(scores[f"honest-{name}"]), (name, scores[f"honest-{name}"])


def test_hostile_submissions_gain_nothing(hostile_batch):
    scores = code_scores(hostile_batch["db_url"])
    wrong = {name: scores.get(name) for name, attempt in hostile_batch["cases"].items()
             if scores.get(name) is None or not attempt.expects(scores[name])}
    assert not wrong, f"scored outside their catalogued range: {wrong}"


def _declared_flag(attempt) -> str | None:
    for line in attempt.path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# flag:"):
            return line.split(":", 1)[1].strip()
    return None


def test_tampering_is_flagged_with_its_lines_and_nothing_else_is(hostile_batch):
    """Code that reaches into the grader's machinery is flagged in the grade table (the offending
    line quoted) and its points held; no honest submission and no other attack is flagged."""
    rows = {line.split()[1]: line for line in hostile_batch["run"].stdout.splitlines()
            if line.startswith(ASSIGNMENT)}
    for name, attempt in hostile_batch["cases"].items():
        flagged = "tampering flagged" in rows.get(name, "")
        assert flagged == (_declared_flag(attempt) == "tampering"), rows.get(name)
    for name in hostile_batch["honest"]:
        assert "tampering flagged" not in rows[f"honest-{name}"]
    assert "builtins.len = _lying_len" in rows["lying-builtin"]


def test_the_report_shows_the_flag_and_never_the_hidden_tests(hostile_batch):
    out = hostile_batch["course"] / "report"
    use_database(hostile_batch["course"], hostile_batch["db_url"])  # where the batch was graded
    done = subprocess.run([str(BIN / "mlchallenge"), "report", ASSIGNMENT, "--out", str(out),
                           "--mode", "interview"],
                          cwd=hostile_batch["course"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    page = (out / "input-transformer.html").read_text(encoding="utf-8")
    assert "Flags for review" in page and "input_transformers_post" in page
    assert "points held for review" in page
    for path in out.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN" not in text and "emit(" not in text, path.name


def test_no_attack_reached_anything(hostile_batch):
    leaks = []
    for path in (hostile_batch["course"] / "autograded").rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        # what the attack printed (a traceback quotes the cell's source, which names LEAK too)
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                          if o.get("output_type") == "stream")
        if any(line.startswith("LEAK:") for line in printed.splitlines()):
            leaks.append(path.parent.parent.name)
    assert not leaks
    assert hostile_batch["connections"] == 0
    assert not list(hostile_batch["course"].rglob("PWNED"))


def test_gradebook_holds_no_change_the_hostile_code_made(hostile_batch):
    db_url = hostile_batch["db_url"]
    assert count_rows(db_url, "SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL") == 0
    points = count_rows(db_url, "SELECT SUM(max_score) FROM grade_cells")
    assert points == 18  # 15 autograded + 3 manual: no cell's points were changed
    assert hostile_batch["sqlite_before"] == hostile_batch["sqlite_after"]


def test_submissions_are_never_modified(hostile_batch):
    assert hostile_batch["before"] == hostile_batch["after"]


def test_no_process_outlives_the_batch(hostile_batch):
    assert hostile_batch["new_sleepers"] <= 0


def test_limits_and_crashes_are_reasons_in_the_report(hostile_batch):
    out = hostile_batch["run"].stdout
    rows = {line.split()[1]: line for line in out.splitlines() if line.startswith(ASSIGNMENT)}
    assert "kernel" in rows["os-exit"] and "exited" in rows["os-exit"]
    assert "segmentation fault" in rows["segfault"]
    assert "renamed" in rows["renamed-notebook"]
    assert "output" in rows["output-flood"] and "dropped" in rows["output-flood"]
    for case in ("output-flood", "display-update-flood"):
        flooded = hostile_batch["course"] / "autograded" / case / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert flooded.stat().st_size < 3 * 1024 * 1024, case
        assert "widgets" not in nbformat.read(flooded, as_version=4).metadata, case
    assert "output" in rows["display-update-flood"] and "dropped" in rows["display-update-flood"]


def test_sandbox_is_required_unless_asked_otherwise(tmp_path):
    """Without bubblewrap on PATH, grading refuses with a clear message (exit 2)."""
    course = make_scratch_course(Course(ROOT), tmp_path / "course")
    release(Course(course.root), [ASSIGNMENT])
    attempt = next(a for a in catalogue(SUBMISSIONS, ASSIGNMENT) if a.name == "reference")
    write_submission(attempt, course.root)
    env = {"PATH": f"{BIN}:/nonexistent", "HOME": str(tmp_path)}
    done = subprocess.run([str(BIN / "mlchallenge"), "grade", ASSIGNMENT], cwd=course.root,
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 2
    assert "bubblewrap" in done.stderr and "--no-sandbox" in done.stderr
