"""The interviewer's side: bundle, collect, report, manual grades from the gradebook.

One small cohort of missing-data (the reference, the untouched release notebook, one leakage
mistake, the reference saved under another name and a notebook that is not JSON) is graded
once, by real nbgrader in the sandbox, and shared by the report tests.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, SUBMISSIONS

from mlchallenge import api
from mlchallenge.candidate.hints import read_hints_file
from mlchallenge.candidate.workspace import manifest_hints
from mlchallenge.cli import main
from mlchallenge.core import cells as nbcells
from mlchallenge.core import timing
from mlchallenge.core.course import CONFIG_FILE, Course
from mlchallenge.core.errors import KitError
from mlchallenge.interviewer import attempts, pages, reports, similarity
from mlchallenge.interviewer.bundle import build_bundle, notebook_imports
from mlchallenge.interviewer.collect import candidate_from_filename, collect
from mlchallenge.kernel.datasets import DATASETS, load, public_split

ASSIGNMENT = "missing-data"
LEAKY = "mistake-impute-fit-on-test"
FORMULA_ID = "=2+5"


def _scratch_course(where: Path, assignments: list[str]) -> Course:
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / CONFIG_FILE, where / CONFIG_FILE)
    for name in assignments:
        shutil.copytree(ROOT / "source" / name, where / "source" / name)
        shutil.copytree(ROOT / "release" / name, where / "release" / name)
    return Course(where)


def _hidden_lines(assignment: str) -> list[str]:
    """Lines of the hidden tests long enough to be recognisable (an import line a solution
    cell also holds is the candidate's own code when it shows, not the hidden test's)."""
    notebook = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    solutions = {line.strip() for cell in notebook.cells if nbcells.is_solution(cell)
                 for line in cell.source.splitlines()}
    lines = []
    for cell in notebook.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) >= 30 and line.strip() not in solutions:
                lines.append(line.strip())
    assert lines, "the assignment should have hidden tests"
    return lines


# ---- bundle -----------------------------------------------------------------------------

def _rows(frame: pd.DataFrame) -> set[tuple]:
    return set(map(tuple, frame.astype(str).to_numpy()))


def test_bundle_holds_release_notebooks_public_data_and_readme_only(course, tmp_path):
    out = tmp_path / "ada.zip"
    made = build_bundle(course, [ASSIGNMENT, "dimensionality-reduction"], out)
    assert made.minutes == 60 + 45
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / "ada"
    assert "ada/README.md" in names
    for name in (ASSIGNMENT, "dimensionality-reduction"):
        carried = json.loads((root / name / "timing.json").read_text())
        assert carried["bundle"] == made.bundle_id and carried["assignment"] == name
    assert "ada/missing-data/missing-data.ipynb" in names
    assert "ada/missing-data/data/credit_train.csv" in names
    assert "ada/dimensionality-reduction/dimensionality-reduction.ipynb" in names
    assert "ada/missing-data/hints_used.json" in names
    # when the bundle was made, on the interviewer's clock: recorded in the course, and its id
    # travels with each assignment folder
    record = json.loads((course.root / ".mlchallenge" / "bundles" / f"{made.bundle_id}.json").read_text())
    assert record["minutes"] == 105 and record["assignments"] == [ASSIGNMENT, "dimensionality-reduction"]
    # the hints the candidate can open: the manifest's tiers, in the self-contained hints.py
    assert read_hints_file(root / ASSIGNMENT / "hints.py") == (ASSIGNMENT, manifest_hints(course, ASSIGNMENT))
    assert not [n for n in names if n.endswith("manifest.toml")], "the manifest is the interviewer's"

    readme = (root / "README.md").read_text()
    assert "105 minutes" in readme
    install = re.search(r"pip install ([^\n]+)", readme)[1].split()
    # every module the notebooks import is installed by the README's line (numpy comes with
    # pandas, scipy with scikit-learn)
    provided = {"jupyterlab", *install, "numpy", "scipy"}
    if "scikit-learn" in install:
        provided.add("sklearn")
    for notebook in root.rglob("*.ipynb"):
        for module in notebook_imports(notebook):
            assert module in sys.stdlib_module_names or module in provided, \
                f"{notebook.name} imports {module}, which the README does not install"
    assert "matplotlib" in install, "the notebooks plot with matplotlib"
    assert "mlchallenge submit" in readme and "zip" in readme

    follow_ups = [q for name in (ASSIGNMENT, "dimensionality-reduction")
                  for q in tomllib.loads(
                      (ROOT / "source" / name / "manifest.toml").read_text())["follow_up"].values()]
    full_files = {spec.filename for spec in DATASETS.values()}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        assert path.name not in full_files, f"the full dataset {path.name} is in the bundle"
        if path.suffix in (".ipynb", ".md", ".toml", ".py"):
            text = path.read_text()
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN", "hidden_split", "Rubric", "follow_up",
                           "skills_by_task", *follow_ups):
                assert marker not in text, f"{path.relative_to(root)} gives away {marker!r}"
        if path.suffix == ".csv":
            shipped = pd.read_csv(path)
            for name in DATASETS:
                full = load(name)
                if set(full.columns) == set(shipped.columns):
                    columns = list(shipped.columns)
                    hidden = _rows(full[columns]) - _rows(public_split(name)[columns])
                    assert not hidden & _rows(shipped), f"{path.name} holds hidden-split rows"


def test_bundle_takes_minutes_and_released_helpers_and_refuses_bad_input(tmp_path, capsys):
    scratch = _scratch_course(tmp_path / "course", [ASSIGNMENT])
    (scratch.root / "release" / ASSIGNMENT / "plotting.py").write_text("COLOURS = []\n")
    made = build_bundle(scratch, [ASSIGNMENT], tmp_path / "b.zip", minutes=30)
    with zipfile.ZipFile(made.path) as archive:
        assert "b/missing-data/plotting.py" in archive.namelist()
        assert "**Time limit: 30 minutes**" in archive.read("b/README.md").decode()
    assert main(["--course", str(scratch.root), "bundle", "no-such", "--out", str(tmp_path / "x.zip")]) == 2
    assert "unknown assignment 'no-such'" in capsys.readouterr().err
    (scratch.root / "release" / ASSIGNMENT / "plotting.py").write_text("### BEGIN SOLUTION\n")
    assert main(["--course", str(scratch.root), "bundle", ASSIGNMENT, "--out", str(tmp_path / "y.zip")]) == 2
    assert "BEGIN SOLUTION" in capsys.readouterr().err
    assert not (tmp_path / "y.zip").exists()
    # names with bytes that are not UTF-8 or with control characters: a one-line reason, no zip
    (scratch.root / "release" / ASSIGNMENT / "plotting.py").write_text("COLOURS = []\n")
    odd = tmp_path / os.fsdecode(b"z\xff\x1b[2A.zip")
    assert main(["--course", str(scratch.root), "bundle", ASSIGNMENT, "--out", str(odd)]) == 2
    err = capsys.readouterr().err
    assert "\\xff\\x1b[2A" in err and "\x1b" not in err and not odd.exists()
    (scratch.root / "release" / ASSIGNMENT / os.fsdecode(b"notes-\xff.txt")).write_text("x")
    assert main(["--course", str(scratch.root), "bundle", ASSIGNMENT, "--out", str(tmp_path / "w.zip")]) == 2
    assert "notes-\\xff.txt" in capsys.readouterr().err and not (tmp_path / "w.zip").exists()


# ---- collect ----------------------------------------------------------------------------

def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_candidate_id_from_zip_name():
    known = ["missing-data", "model-selection"]
    assert candidate_from_filename(Path("ada.zip"), known) == "ada"
    assert candidate_from_filename(Path("ben_missing-data_2026-11-24.zip"), known) == "ben"
    assert candidate_from_filename(Path("missing-data-20261124T101500Z (1).zip"), known) == ""
    assert candidate_from_filename(Path("Cleo Smith - submission.zip"), known) == "Cleo-Smith"


def test_collect_good_and_bad_zips_in_one_call(tmp_path, capsys):
    scratch = _scratch_course(tmp_path / "course", [ASSIGNMENT, "normalisation"])
    notebook = (ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    data = (ROOT / "release" / ASSIGNMENT / "data" / "credit_train.csv").read_bytes()
    other = (ROOT / "release" / "normalisation" / "normalisation.ipynb").read_bytes()
    z = tmp_path / "zips"
    z.mkdir()
    hints = json.dumps({"assignment": ASSIGNMENT,
                        "used": [{"task": "impute", "tier": 1, "at": "2026-11-24T10:00:00Z"}]})
    zips = [
        _zip(z / "ada.zip", {"some/dir/missing-data/missing-data.ipynb": notebook,
                             "some/dir/missing-data/data/credit_train.csv": data,
                             "__MACOSX/some/._missing-data.ipynb": b"junk"}),
        _zip(z / "ben_missing-data_2026-11-24.zip", {"work/missing-data (1).ipynb": notebook}),
        _zip(z / "cleo.zip", {"Untitled.ipynb": notebook}),
        _zip(z / "dan-submission.zip", {
            "missing-data/missing-data.ipynb": notebook,
            "missing-data/hints_used.json": hints.encode(),
            "missing-data/collected.json": b'{"collected_at": "2020-01-01T00:00:00Z"}',
            "MANIFEST.json": json.dumps({"files": {
                "missing-data/missing-data.ipynb": hashlib.sha256(notebook).hexdigest()}}).encode()}),
        _zip(z / "eve.zip", {"missing-data/missing-data.ipynb": notebook,
                             "normalisation/normalisation.ipynb": other}),
        _zip(z / "empty.zip", {"notes.txt": b"I ran out of time"}),
        _zip(z / "broken.zip", {"missing-data.ipynb": b"{not json"}),
        _zip(z / "stranger.zip", {"homework.ipynb": json.dumps(nbformat.v4.new_notebook()).encode()}),
    ]
    (z / "notazip.zip").write_text("hello")
    zips.append(z / "notazip.zip")

    results = collect(scratch, zips)
    outcome = {(r.zip.name, r.assignment): r for r in results}
    submitted = scratch.root / "submitted"
    for who in ("ada", "ben", "cleo", "dan", "eve"):
        folder = submitted / who / ASSIGNMENT
        assert (folder / f"{ASSIGNMENT}.ipynb").read_bytes() == notebook, who
        assert (folder / "data" / "credit_train.csv").read_bytes() == data, who
    assert (submitted / "eve" / "normalisation" / "normalisation.ipynb").read_bytes() == other
    assert not list((submitted / "ben" / ASSIGNMENT).glob("*(1)*"))
    assert "renamed" in " ".join(outcome[("cleo.zip", ASSIGNMENT)].notes)
    # when each zip arrived, on the interviewer's clock; a collected.json in a zip is replaced
    for who in ("ada", "dan"):
        arrived = json.loads((submitted / who / ASSIGNMENT / "collected.json").read_text())
        assert timing.parse(arrived["collected_at"]) is not None
    used = json.loads((submitted / "dan" / ASSIGNMENT / "hints_used.json").read_text())["used"]
    assert used[0]["tier"] == 1
    assert "checksums match" in " ".join(outcome[("dan-submission.zip", ASSIGNMENT)].notes)
    assert json.loads((submitted / "dan" / ASSIGNMENT / "collected.json").read_text())[
        "collected_at"] != "2020-01-01T00:00:00Z"
    rejected = {r.zip.name: r.error for r in results if not r.ok}
    assert set(rejected) == {"empty.zip", "broken.zip", "stranger.zip", "notazip.zip"}
    assert "no notebook" in rejected["empty.zip"]
    assert "not a valid notebook" in rejected["broken.zip"]
    assert "matches no assignment" in rejected["stranger.zip"]
    assert "not a zip" in rejected["notazip.zip"]
    assert all("\n" not in reason for reason in rejected.values())

    # nothing is overwritten silently: the CLI refuses, exits 1, and --replace replaces
    (submitted / "ada" / ASSIGNMENT / "mine.txt").write_text("keep")
    assert main(["--course", str(scratch.root), "collect", str(zips[0])]) == 1
    assert "already exists" in capsys.readouterr().out
    assert (submitted / "ada" / ASSIGNMENT / "mine.txt").exists()
    assert main(["--course", str(scratch.root), "collect", "--replace", "--candidate", "ada",
                 str(zips[2])]) == 0
    assert "collected" in capsys.readouterr().out
    assert not (submitted / "ada" / ASSIGNMENT / "mine.txt").exists()
    assert main(["--course", str(scratch.root), "collect", "--candidate", "../x", str(zips[0])]) == 2


def test_collect_takes_any_bytes_in_names_and_never_prints_control_characters(tmp_path, capsys):
    """A zip whose entry is marked UTF-8 but is not, before a good zip: one line for it, the good
    one collected. A notebook named with terminal escape sequences: collected, and the table
    shows the escapes as text."""
    scratch = _scratch_course(tmp_path / "course", [ASSIGNMENT])
    notebook = (ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    z = tmp_path / "zips"
    z.mkdir()
    liar = _zip(z / "liar.zip", {"caf\u00e9.ipynb": notebook})  # zipfile marks the name UTF-8
    raw = liar.read_bytes()
    assert raw.count("caf\u00e9".encode()) == 2  # the local header and the central directory
    liar.write_bytes(raw.replace("caf\u00e9".encode(), b"caf\xff\xfe"))
    escapes = _zip(z / "eve.zip", {"\x1b]0;PWNED\x07\x1b[2Amissing-data.ipynb": notebook})
    good = _zip(z / "ada.zip", {"missing-data/missing-data.ipynb": notebook})

    assert main(["--course", str(scratch.root), "collect", str(liar), str(escapes), str(good)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b]0;PWNED\\x07" in out  # shown, as text
    line = next(row for row in out.splitlines() if row.startswith("liar.zip"))
    assert "REJECTED" in line and "marked UTF-8" in line
    for who in ("ada", "eve"):
        collected = scratch.root / "submitted" / who / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert collected.read_bytes() == notebook, who


# ---- report -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Course:
    """reference, blank, a leakage mistake, the reference under another name and a notebook
    that is not JSON, graded."""
    # laid out as `mlchallenge demo` lays out its scratch courses: <workdir>/<assignment>/
    scratch = _scratch_course(tmp_path_factory.mktemp("interviewer-demo") / ASSIGNMENT, [ASSIGNMENT])
    catalogued = {a.name: a for a in attempts.catalogue(SUBMISSIONS, ASSIGNMENT)}
    for name in ("reference", "blank", LEAKY):
        attempts.write_submission(catalogued[name], scratch.root)
    renamed = attempts.write_submission(catalogued["reference"], scratch.root, student="renamed")
    (renamed / f"{ASSIGNMENT}.ipynb").rename(renamed / f"{ASSIGNMENT} (1).ipynb")
    (scratch.root / "submitted" / LEAKY / ASSIGNMENT / "hints_used.json").write_text(json.dumps(
        {"assignment": ASSIGNMENT, "used": [{"task": "impute", "tier": 2, "at": "2026-11-24T10:00:00Z"}]}))
    broken = scratch.root / "submitted" / "broken" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text("{not json")
    # names with any bytes: a file named with a byte that is not UTF-8 is graded with its
    # submission; a folder named so (or with control characters) cannot name a candidate and
    # gets a reason; an id a spreadsheet would read as a formula is graded
    (scratch.root / "submitted" / "renamed" / ASSIGNMENT / os.fsdecode(b"notes-\xff.txt")).write_text("x")
    for odd in (os.fsdecode(b"x\xff"), "\x1b[2Aevil", FORMULA_ID):
        folder = scratch.root / "submitted" / odd / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy2(ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder)
    results = api.grade(scratch, ASSIGNMENT, workers=2)
    failed = {r.student: r.error for r in results if not r.graded}
    assert set(failed) == {"broken", os.fsdecode(b"x\xff"), "\x1b[2Aevil"}, failed
    assert "\\xff" in failed[os.fsdecode(b"x\xff")] and "rename the folder" in failed["\x1b[2Aevil"]
    assert {r.student for r in results if r.graded} >= {"reference", "renamed", FORMULA_ID}
    return scratch


def _images(page: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', page)]


@pytest.mark.slow
@pytest.mark.sandbox
def test_report_pages_skills_messages_follow_ups_and_no_hidden_source(graded, tmp_path):
    cohort, written = pages.report(graded, [ASSIGNMENT], out=tmp_path / "interview")
    by_name = {r.candidate: r for r in cohort}
    assert set(by_name) == {"reference", "blank", LEAKY, "renamed", "broken", FORMULA_ID}
    with open(written.csv, newline="", encoding="utf-8") as handle:
        ids = [row["candidate"] for row in csv.DictReader(handle)]
    assert "'" + FORMULA_ID in ids and FORMULA_ID not in ids, "a spreadsheet must not read a formula"
    assert not by_name["broken"].leakage and by_name["broken"].score == 0
    assert "is not a valid notebook" in html.unescape(written.pages["broken"].read_text())

    leaky = by_name[LEAKY]
    skills = leaky.skills()
    # the mistake lost test-impute-leakage only (2 points: imputation and leakage, 1 each);
    # leakage is also half of test-compare-leakage (1 point), which it passed
    assert skills["leakage"] == pytest.approx((0.5, 1.5))
    assert skills["pipelines"][0] == pytest.approx(skills["pipelines"][1])
    assert skills["imputation"][1] - skills["imputation"][0] == pytest.approx(1.0)
    assert [t.grade_id for t in leaky.leakage] == ["test-impute-leakage"]
    assert not by_name["blank"].leakage, "tasks never attempted are not leakage"
    assert {t.status for t in by_name["blank"].tasks if t.kind == "auto"} == {"not attempted"}

    page = (written.pages[LEAKY]).read_text()
    text = html.unescape(page)
    assert '<tr class="skill"><td>leakage</td><td class="num">0.50</td><td class="num">1.50</td>' in page
    assert ("the test rows' own values went into the median that filled their gaps: the test rows "
            "leaked") in text
    follow_up = ("Walk me through what goes wrong if the test rows' own median fills their gaps. "
                 "When would you notice in production?")
    assert follow_up in text
    assert "waiting for manual grading" in text, "the written answer waits for a person"
    assert "hint tier 2, self-reported" in text and "Hints used (self-reported)" in text
    assert "the notebook was renamed" in html.unescape(written.pages["renamed"].read_text())
    for line in _hidden_lines(ASSIGNMENT):
        for candidate_page in written.pages.values():
            assert line not in html.unescape(candidate_page.read_text()), line

    # practice mode shows the failing tests' tracebacks
    _, practice = pages.report(graded, [ASSIGNMENT], candidates=[LEAKY], out=tmp_path / "practice",
                                 mode="practice")
    practice_text = html.unescape(practice.pages[LEAKY].read_text())
    assert "<summary>traceback</summary>" in practice_text
    assert any(line in practice_text for line in _hidden_lines(ASSIGNMENT)), \
        "practice mode quotes the failing hidden test, so the interview-mode check above can fail"
    assert "<summary>traceback</summary>" not in page

    for path, count in ((written.index, 3), (written.pages[LEAKY], 2)):
        images = _images(path.read_text())
        assert len(images) == count and all(i.startswith(b"\x89PNG") for i in images)

    with open(written.csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["candidate"] for r in rows] == \
        ["'" + FORMULA_ID, "blank", "broken", LEAKY, "reference", "renamed"]
    header = rows[0].keys()
    for skill in ("missing data", "imputation", "leakage", "pipelines", "cross-validation"):
        assert f"skill: {skill} (%)" in header
    graded_cells = {c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(
        ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade")}
    assert {h.split("/", 1)[1] for h in header if h.startswith(f"{ASSIGNMENT}/")} == graded_cells
    row = {r["candidate"]: r for r in rows}
    assert row["reference"]["percent"] == "100.0"
    assert row[LEAKY][f"{ASSIGNMENT}/test-impute-leakage"] == "0"
    assert row[LEAKY]["skill: leakage (%)"] == "33.3"
    assert row[LEAKY][f"{ASSIGNMENT}/mechanism"] == "", "a written answer not graded yet has no points"


@pytest.mark.slow
@pytest.mark.sandbox
def test_manual_score_set_in_the_gradebook_shows_in_the_report(graded, tmp_path, capsys):
    from nbgrader.api import Gradebook

    with Gradebook(graded.db_url) as gradebook:
        grade = gradebook.find_grade("mechanism", ASSIGNMENT, ASSIGNMENT, "renamed")
        grade.manual_score = 2.5  # what the formgrader's grade API does when a person grades
        grade.needs_manual_grade = False
        comment = gradebook.find_comment("mechanism", ASSIGNMENT, ASSIGNMENT, "renamed")
        comment.manual_comment = "MNAR example missing"
        gradebook.db.commit()
    assert main(["--course", str(graded.root), "report", "--candidate", "renamed",
                 "--out", str(tmp_path)]) == 0
    assert "renamed" in capsys.readouterr().out
    text = html.unescape((tmp_path / "renamed.html").read_text())
    assert "(2.5 / 3)" in text and "MNAR example missing" in text
    with open(tmp_path / "cohort.csv", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row[f"{ASSIGNMENT}/mechanism"] == "2.5" and row["manual_pending_points"] == "0"
    assert row["points"] == "17.5" and row["max_points"] == "18"


@pytest.mark.slow
@pytest.mark.sandbox
def test_the_report_shows_time_taken_and_flags_only_the_self_reported_overrun(graded, tmp_path):
    folder = graded.root / "submitted" / "reference" / ASSIGNMENT
    (folder / "MANIFEST.json").write_text(json.dumps(
        {"started_at": "2026-12-01T10:00:00Z", "submitted_at": "2026-12-01T11:35:00Z", "files": {}}))
    try:
        _, written = pages.report(graded, [ASSIGNMENT], out=tmp_path)
    finally:
        (folder / "MANIFEST.json").unlink()
    page = html.unescape((tmp_path / "reference.html").read_text())
    assert "Time taken: 95 minutes (limit 60)" in page
    assert "over the time limit (self-reported)" in page
    quiet = html.unescape((tmp_path / f"{LEAKY}.html").read_text())
    assert "Time taken: not known" in quiet and "over the time limit" not in quiet
    with open(written.csv, newline="") as handle:
        rows = {row["candidate"]: row for row in csv.DictReader(handle)}
    assert rows["reference"]["over_time_self_reported"] == "1"
    assert rows["reference"][f"{ASSIGNMENT}: minutes taken"] == "95"
    assert rows[LEAKY]["over_time_self_reported"] == "0"


@pytest.mark.slow
@pytest.mark.sandbox
def test_demo_report_takes_the_catalogued_attempts_as_candidates(graded, tmp_path):
    from mlchallenge.dev.demo import DemoRow, format_report_summary, write_demo_report

    catalogued = {a.name: a for a in attempts.catalogue(SUBMISSIONS, ASSIGNMENT)}
    results = api.grade(graded, ASSIGNMENT)  # already graded: read back, not run again
    rows = [DemoRow(catalogued[r.student], r) for r in results if r.student in catalogued]
    cohort, written = write_demo_report(rows, graded.root.parent, tmp_path)
    assert {r.candidate for r in cohort} == {"reference", "blank", LEAKY, "renamed", "broken", FORMULA_ID}
    summary = format_report_summary(cohort, written)
    assert "6 candidates" in summary and "1 with leakage flags" in summary
    assert written.index.is_file() and written.csv.is_file()
    # behaviour: the reference under another file name predicts what the reference predicts
    by_name = {r.candidate: r for r in cohort}
    same = [g.others("renamed") for g in by_name["renamed"].same_predictions]
    assert any("reference" in others for others in same), same
    assert "Same predictions" in written.index.read_text(encoding="utf-8")
    with open(written.csv, newline="", encoding="utf-8") as handle:
        rows = {row["candidate"]: row for row in csv.DictReader(handle)}
    assert "reference" in rows["renamed"]["same_predictions_as"]
    assert "test-pipeline" in rows["renamed"]["same_predictions_as"]
    assert rows["blank"]["same_predictions_as"] == ""


@pytest.mark.slow
@pytest.mark.sandbox
def test_report_refuses_what_was_not_graded(graded, capsys):
    assert main(["--course", str(graded.root), "report", "--candidate", "nobody"]) == 2
    assert "no graded submission for nobody" in capsys.readouterr().err
    assert main(["--course", str(graded.root), "report", "normalisation"]) == 2
    assert "unknown assignment" in capsys.readouterr().err


def test_every_graded_cell_counts_for_named_skills(course):
    """The skills in the report come from [skills_by_task]: every graded cell is listed there,
    and every skill a manifest names is measured by some cell."""
    from mlchallenge.interviewer import bank

    for challenge in bank.catalogue(course):
        cells = bank.grade_ids(course.root / "source" / challenge.name)
        assert set(challenge.skills_by_task) == cells, challenge.name
        measured = {s for skills in challenge.skills_by_task.values() for s in skills}
        assert measured == set(challenge.skills), challenge.name


@pytest.mark.parametrize(("command", "says"), [
    ("bundle", "the candidate's zip"),
    ("collect", "submitted/<candidate>/<assignment>/"),
    ("report", "one page per candidate"),
])
def test_each_interviewer_command_says_what_it_does(command, says, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert says in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["--help"])
    assert command in capsys.readouterr().out


# ---- item statistics ----------------------------------------------------------------------

def _constructed_cohort():
    """Ten candidates of rising ability: cells a1, a2 (task a) and b follow ability, cell
    "backwards" is passed by the weakest only (a broken answer key), "everyone" by all."""
    cohort = []
    for ability in range(10):
        tasks = [
            reports.Task("quiz", "test-a1", "auto", 1.0 if ability >= 3 else 0.0, 1.0, ["x"]),
            reports.Task("quiz", "test-a2", "auto", 2.0 if ability >= 5 else 0.0, 2.0, ["x"]),
            reports.Task("quiz", "test-b", "auto", 1.0 if ability >= 4 else 0.0, 1.0, ["x"],
                         attempted=ability >= 2),
            reports.Task("quiz", "test-backwards", "auto", 1.0 if ability <= 3 else 0.0, 1.0, ["x"]),
            reports.Task("quiz", "test-everyone", "auto", 1.0, 1.0, ["x"]),
        ]
        result = reports.AssignmentResult("quiz", "Quiz", sum(t.score for t in tasks), 6.0, tasks, [],
                                          None, [])
        cohort.append(reports.CandidateReport(f"c{ability}", [result]))
    return cohort


def test_item_statistics_flag_an_item_that_discriminates_backwards(tmp_path):
    from scipy import stats

    from mlchallenge.interviewer.item_stats import cronbach_alpha, item_statistics

    cohort = _constructed_cohort()
    task_of = {("quiz", "test-a1"): "a", ("quiz", "test-a2"): "a", ("quiz", "test-b"): "b",
               ("quiz", "test-backwards"): "backwards", ("quiz", "test-everyone"): "everyone"}
    (group,) = item_statistics(cohort, task_of)
    cells = {i.item: i for i in group.items if i.level == "cell"}
    tasks = {i.item: i for i in group.items if i.level == "task"}
    assert [i.item for i in group.flagged if i.level == "cell"] == ["test-backwards"]
    assert cells["test-backwards"].discrimination < 0 and "answer key" in cells["test-backwards"].why
    assert cells["test-a1"].discrimination > 0.5 and not cells["test-a1"].flagged
    assert np.isnan(cells["test-everyone"].discrimination) and not cells["test-everyone"].flagged
    assert cells["test-a1"].difficulty == pytest.approx(0.7)
    assert cells["test-b"].not_attempted == pytest.approx(0.2)
    # the corrected item-total correlation, computed by hand for one cell
    matrix = np.array([[t.score / t.max_score for t in r.assignments[0].tasks] for r in cohort])
    rest = matrix.sum(axis=1) - matrix[:, 1]
    assert cells["test-a2"].discrimination == pytest.approx(stats.pearsonr(matrix[:, 1], rest).statistic)
    assert group.alpha == pytest.approx(cronbach_alpha(matrix))
    k = matrix.shape[1]
    assert group.alpha == pytest.approx(
        k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1)))
    assert set(tasks) == {"a", "b", "backwards", "everyone"} and tasks["a"].points == 3.0

    written = pages.write_reports(cohort, tmp_path, task_of=task_of)
    with open(written.items, newline="", encoding="utf-8") as handle:
        rows = {(r["level"], r["item"]): r for r in csv.DictReader(handle)}
    assert rows[("cell", "test-backwards")]["flagged"] == "yes" and rows[("cell", "test-a1")]["flagged"] == ""
    page = html.unescape(written.index.read_text())
    assert "Items: which cells tell strong candidates from weak ones" in page
    assert tasks["backwards"].flagged and f"{len(group.flagged)} flagged" in page
    assert len(_images(written.index.read_text())) == 3


# ---- time taken --------------------------------------------------------------------------

def test_time_taken_is_self_reported_or_an_unflagged_upper_bound(tmp_path):
    """Started to submitted (the candidate's clock) is compared with the limit and flagged when
    over; bundle made to collected (the interviewer's clocks, delivery included) is only shown."""
    course_root = tmp_path / "course"
    made = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    record = timing.new_bundle(course_root, [ASSIGNMENT], 60, "ada.zip", now=made)

    def submission(name, **files):
        folder = tmp_path / name
        folder.mkdir()
        for file_name, data in files.items():
            (folder / f"{file_name}.json").write_text(data if isinstance(data, str) else json.dumps(data))
        return timing.time_taken(course_root, folder, 45)

    over = submission("over", timing={"started_at": "2026-12-01T10:00:00Z", "bundle": record["bundle"]},
                      MANIFEST={"submitted_at": "2026-12-01T11:30:00Z"})
    assert (over.minutes, over.limit, over.over, over.self_reported) == (90, 60, True, True)
    assert "self-reported" in over.source
    within = submission("within", MANIFEST={"started_at": "2026-12-01T10:00:00Z",
                                            "submitted_at": "2026-12-01T10:40:00Z"})
    assert (within.minutes, within.limit, within.over) == (40, 45, False)
    # three hours between bundle and collection: shown as an upper bound, never a flag
    bound = submission("bound", timing={"bundle": record["bundle"]},
                       collected={"collected_at": "2026-12-01T12:00:00Z"})
    assert (bound.minutes, bound.limit, bound.over, bound.self_reported) == (180, 60, False, False)
    assert "at most" in bound.source
    # nothing to tell it from, or records that cannot be read: not known, and no error
    for name, files in {"none": {}, "garbage": {"timing": "{not json", "MANIFEST": "[1, 2]"},
                        "backwards": {"MANIFEST": {"started_at": "2026-12-01T11:00:00Z",
                                                   "submitted_at": "2026-12-01T10:00:00Z"}},
                        "forged-id": {"timing": {"bundle": "../../etc/passwd"},
                                      "collected": {"collected_at": "2026-12-01T12:00:00Z"}}}.items():
        unknown = submission(name, **files)
        assert unknown.minutes is None and not unknown.over, name


# ---- similarity --------------------------------------------------------------------------

def _submission(course: Course, who: str, cells: dict[str, str], base: str = "reference") -> None:
    path = course.root / "tests" / "submissions" / f"{who}.py"
    lines = ["# a constructed submission", "# expect: 0-15", f"# base: {base}"]
    for cell, code in cells.items():
        lines += [f"# %% cell: {cell}", code]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    attempts.write_submission(attempts.parse_attempt(ASSIGNMENT, path), course.root, student=who)
    path.unlink()


def test_similarity_finds_renamed_copies_and_shared_code_but_not_stubs_or_independent_work(tmp_path):
    scratch = _scratch_course(tmp_path / "course", [ASSIGNMENT])
    shutil.copytree(ROOT / "tests" / "submissions" / ASSIGNMENT,
                    scratch.root / "tests" / "submissions" / ASSIGNMENT)
    independent = attempts.parse_attempt(
        ASSIGNMENT, ROOT / "tests" / "submissions" / ASSIGNMENT / "alternative-pandas-loops.py")
    disguised = attempts.parse_attempt(
        ASSIGNMENT, ROOT / "tests" / "submissions" / ASSIGNMENT / "trick-copy-reference-disguised.py")
    _submission(scratch, "copier", {"impute": disguised.cells["impute"]})
    _submission(scratch, "stub", {}, base="blank")
    _submission(scratch, "amy", {"impute": independent.cells["impute"]}, base="blank")
    _submission(scratch, "bob", {"impute": independent.cells["impute"]}, base="blank")
    own = ("def impute(train, test):\n    train, test = train.copy(), test.copy()\n"
           "    for name in train.columns:\n        column = train[name]\n"
           "        if column.dtype.kind in 'if':\n            value = float(np.nanmedian(column))\n"
           "        else:\n            value = column.dropna().value_counts().index[0]\n"
           "        train[name] = column.where(column.notna(), value)\n"
           "        test[name] = test[name].where(test[name].notna(), value)\n    return train, test\n")
    _submission(scratch, "own", {"impute": own}, base="blank")
    known = tmp_path / "known"
    known.mkdir()
    (known / "forum-post.py").write_text(own)
    found = similarity.similarities(scratch, ASSIGNMENT, ["amy", "bob", "copier", "own", "stub"],
                                    known=known)
    by = {(m.candidate, m.cell, m.kind, m.other): m for m in found}
    # the reference with every name changed is still the reference
    assert by[("copier", "impute", "reference", "reference")].percent >= 90
    assert "<mark>" in by[("copier", "impute", "reference", "reference")].mine
    # two candidates with the same code: listed both ways, and as the catalogue's attempt
    assert ("amy", "impute", "cohort", "bob") in by and ("bob", "impute", "cohort", "amy") in by
    assert ("amy", "impute", "catalogue", "alternative-pandas-loops") in by
    # a known solution found on the web
    assert ("own", "impute", "known", "forum-post.py") in by
    # untouched stubs match nothing; independent work does not match the reference
    assert not [m for m in found if m.candidate == "stub"]
    assert not [m for m in found if m.candidate in ("amy", "own") and m.kind == "reference"]
    # the other candidates wrote one cell; the rest of their notebooks are untouched stubs
    assert not [m for m in found if m.cell != "impute" and m.candidate != "copier"]


def test_code_is_compared_as_python_reads_it_and_any_code_is_read():
    plain = "def f(a, b):\n    return a + b\n\nimport numpy as np\n"
    dressed = ('import numpy as np  # numbers\n\ndef f(a: int,\n      b: int) -> int:\n'
               '    """Add."""\n    return (a + b)\n')
    assert similarity.canonical(plain) == similarity.canonical(dressed)
    # what does not parse, or nests beyond the walk, is compared as written, never an error
    for odd in ("%timeit f(1, 2)", "(" * 5000 + ")" * 5000, "x = " + "[" * 400 + "]" * 400):
        assert isinstance(similarity.canonical(odd), str)


def _graded_predictions(course: Course, who: str, cells: dict[str, tuple[str, list]]) -> None:
    """An autograded notebook of ASSIGNMENT whose test cells carry scored predictions."""
    notebook = nbformat.v4.new_notebook()
    for gid, (metric, values) in cells.items():
        cell = nbformat.v4.new_code_cell("")
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 1.0, "grade_id": gid}
        cell.metadata["mlchallenge"] = {"predictions": {"metric": metric, "values": values}}
        notebook.cells.append(cell)
    folder = course.root / "autograded" / who / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")


def test_same_predictions_on_every_row_are_grouped_and_nothing_else_is(tmp_path):
    (tmp_path / CONFIG_FILE).write_text("")
    (tmp_path / "source").mkdir()
    course = Course(tmp_path)
    mine = [0.25, 0.5, 0.75, 0.125]
    _graded_predictions(course, "amy", {"t": ("roc_auc", mine), "c": ("roc_auc", [0.5] * 4)})
    _graded_predictions(course, "bob", {"t": ("roc_auc", list(mine)), "c": ("roc_auc", [0.5] * 4)})
    _graded_predictions(course, "cat", {"t": ("roc_auc", [0.25, 0.5, 0.75, 0.126])})
    _graded_predictions(course, "dan", {"l": ("accuracy", ["a", "b", "a", "a"])})
    _graded_predictions(course, "eve", {"l": ("accuracy", ["a", "b", "a", "a"])})
    groups = similarity.same_predictions(course, ASSIGNMENT, ["amy", "bob", "cat", "dan", "eve"])
    # one value different is not the same; constant predictions say nothing; labels are left out
    assert [(g.cell, g.rows, g.candidates, g.scored) for g in groups] == [("t", 4, ["amy", "bob"], 3)]
    assert groups[0].others("amy") == ["bob"]
    labels = similarity.same_predictions(course, ASSIGNMENT, ["dan", "eve"], labels=True)
    assert [(g.cell, g.candidates) for g in labels] == [("l", ["dan", "eve"])]


def _course_with_manifest_tail(tmp_path: Path, tail: str):
    from mlchallenge.dev.demo import make_scratch_course

    course = make_scratch_course(Course(ROOT), tmp_path / "course")
    manifest = course.root / "source" / "model-selection" / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + tail, encoding="utf-8")
    return course


def test_follow_up_when_picks_the_question_for_the_failure_and_refuses_bad_entries(tmp_path):
    from mlchallenge.interviewer.bank import load_challenge

    challenge = load_challenge(Course(ROOT), "model-selection")
    own = challenge.follow_up["test-cv-clean"]
    assert challenge.follow_up_for("test-cv-clean", "the scores leak: scaled with all rows") == own
    # case and line breaks in the message do not matter
    by_order = challenge.follow_up_for("test-cv-clean", "these are the right scores in ANOTHER\norder")
    assert by_order != own and "order" in by_order
    assert challenge.follow_up_for("test-compare", "anything") == challenge.follow_up["test-compare"]
    assert challenge.follow_up_for("test-folds-seed", "anything") == ""  # a task with no question

    course = _course_with_manifest_tail(
        tmp_path / "a", '\n[[follow_up_when]]\ntask = "test-nope"\nmessage = "x"\nquestion = "q?"\n')
    with pytest.raises(KitError, match=r"\[\[follow_up_when\]\] names test-nope, which is not a graded cell"):
        load_challenge(course, "model-selection")
    course = _course_with_manifest_tail(
        tmp_path / "b", '\n[[follow_up_when]]\ntask = "test-cv-clean"\nmessage = "x"\n')
    with pytest.raises(KitError, match="needs task, message and question"):
        load_challenge(course, "model-selection")
