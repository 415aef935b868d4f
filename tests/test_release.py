"""release/ is what nbgrader generates from source/, and gives nothing away."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from conftest import ROOT

from mlchallenge.course import CONFIG_FILE, Course
from mlchallenge.datasets import DATASETS, hidden_split, public_split
from mlchallenge.grading import release

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())


def _comparable(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return notebook


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("release-course")
    shutil.copy2(ROOT / CONFIG_FILE, scratch / CONFIG_FILE)
    shutil.copytree(ROOT / "source", scratch / "source")
    release(Course(scratch))
    return scratch / "release"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_in_sync_with_source(assignment, regenerated):
    committed = ROOT / "release" / assignment
    fresh = regenerated / assignment
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert committed_files == fresh_files, "release/ holds other files than source/ generates"
    for rel in fresh_files:
        if rel.suffix == ".ipynb":
            same = _comparable(committed / rel) == _comparable(fresh / rel)
        else:
            same = (committed / rel).read_bytes() == (fresh / rel).read_bytes()
        assert same, f"release/{assignment}/{rel} is out of date: run `mlchallenge release`"


def _rows(frame: pd.DataFrame) -> set[tuple]:
    return set(map(tuple, frame.astype(str).to_numpy()))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_hidden_test_or_hidden_data(assignment):
    for path in (ROOT / "release" / assignment).rglob("*"):
        if path.suffix == ".ipynb":
            text = path.read_text(encoding="utf-8")
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "hidden_split", "mlchallenge",
                           "Rubric"):
                assert marker not in text, f"{path.name} gives away {marker!r}"
        assert path.name not in {spec.filename for spec in DATASETS.values()}, "full dataset released"
        if path.suffix == ".csv":
            shipped = pd.read_csv(path)
            for name in DATASETS:
                hidden = hidden_split(name)
                if set(hidden.columns) == set(shipped.columns):
                    public_rows = _rows(public_split(name)[list(shipped.columns)])
                    leaked = (_rows(hidden[list(shipped.columns)]) - public_rows) & _rows(shipped)
                    assert not leaked, f"{path.name} holds {len(leaked)} rows of the hidden split"
