"""release/ is what nbgrader generates from source/, and gives nothing away."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from mlchallenge.core.course import CONFIG_FILE, Course
from mlchallenge.grading.service import release
from mlchallenge.kernel.datasets import DATASETS, load, public_split

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


@pytest.mark.slow
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
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "hidden_split", "hidden_features",
                           "mlchallenge", "Rubric"):
                assert marker not in text, f"{path.name} gives away {marker!r}"
        assert path.name not in {spec.filename for spec in DATASETS.values()}, "full dataset released"
        if path.suffix == ".csv":
            shipped = pd.read_csv(path)
            for name in DATASETS:
                full = load(name)
                if set(full.columns) == set(shipped.columns):
                    public_rows = _rows(public_split(name)[list(shipped.columns)])
                    leaked = (_rows(full[list(shipped.columns)]) - public_rows) & _rows(shipped)
                    assert not leaked, f"{path.name} holds {len(leaked)} rows of the hidden split"


def test_model_selection_curve_answer_key_matches_the_data():
    """test-curve-best accepts the depths whose mean validation ROC AUC is within 0.005 of the
    peak of the curve the candidate sees; the key is written in the test's judge (recomputing
    the curve would cost every submission 4 s), so recompute it here."""
    import re

    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import StratifiedKFold, train_test_split, validation_curve
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    judges = (ROOT / "source" / "model-selection" / "judges.py").read_text(encoding="utf-8")
    key = [int(d) for d in re.search(r"GOOD_DEPTHS = \(([\d, ]+)\)", judges).group(1).split(",") if d.strip()]

    data = public_split("telco_churn")
    X_dev, _, y_dev, _ = train_test_split(data.drop(columns="churn"), data["churn"], test_size=0.25,
                                          stratify=data["churn"], random_state=0)
    prep = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include="number")),
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    )
    depths = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15]
    _, valid = validation_curve(
        make_pipeline(prep, DecisionTreeClassifier(random_state=0)), X_dev, y_dev,
        param_name="decisiontreeclassifier__max_depth", param_range=depths,
        cv=list(StratifiedKFold(5, shuffle=True, random_state=0).split(X_dev, y_dev)), scoring="roc_auc",
    )
    means = valid.mean(axis=1)
    assert key == [d for d, m in zip(depths, means, strict=True) if m >= means.max() - 0.005]


def test_a_new_gradebook_is_the_one_nbgrader_makes_without_its_alembic_subprocess(tmp_path, monkeypatch):
    """The kit makes new gradebooks itself (nbgrader's tables and the schema's head revision,
    read from nbgrader's migration files) so that no release or grading worker pays for the
    `alembic heads` subprocess nbgrader runs: the result is what nbgrader makes."""
    from nbgrader.api import Gradebook, get_alembic_version
    from sqlalchemy import create_engine, inspect, text

    from mlchallenge.grading.writer import alembic_head, prepare_gradebook

    def schema(url):
        engine = create_engine(url)
        try:
            found = inspect(engine)
            tables = {t: sorted(c["name"] for c in found.get_columns(t)) for t in found.get_table_names()}
            with engine.connect() as connection:
                version = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            return tables, version
        finally:
            engine.dispose()

    # nbgrader runs the `alembic` command of the environment it is installed in
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    assert alembic_head() == get_alembic_version()
    ours, theirs = f"sqlite:///{tmp_path / 'ours.db'}", f"sqlite:///{tmp_path / 'theirs.db'}"
    prepare_gradebook(ours)
    with Gradebook(theirs):
        pass
    assert schema(ours) == schema(theirs)
    with Gradebook(ours) as gradebook:  # nbgrader takes it as its own and writes to it
        gradebook.add_assignment("a")
    prepare_gradebook(ours)  # a gradebook with tables is left alone
    with Gradebook(ours) as gradebook:
        assert [a.name for a in gradebook.assignments] == ["a"]
    assert schema(ours) == schema(theirs)


def _metadata_breakages():
    """Ways a cell's nbgrader metadata can be wrong, each applied to one cell of a notebook."""
    def points_text(meta, cell):
        meta["points"] = "two"

    def no_solution_key(meta, cell):
        del meta["solution"]

    def too_old(meta, cell):
        meta["schema_version"] = 2

    def too_new(meta, cell):
        meta["schema_version"] = 4

    def cell_type_changed(meta, cell):
        cell["cell_type"] = "markdown" if cell["cell_type"] == "code" else "code"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
        if cell["cell_type"] == "code":
            cell.update(outputs=[], execution_count=None)

    def extra_key(meta, cell):
        meta["surprise"] = True

    def grade_without_points(meta, cell):
        meta.update(grade=True, solution=False)
        meta.pop("points", None)

    return [points_text, no_solution_key, too_old, too_new, cell_type_changed, extra_key,
            grade_without_points]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_kit_s_metadata_check_decides_as_nbgrader_s(assignment):
    """The kit's CheckCellMetadata (nbgrader's schema checked once per process) passes and fails
    exactly the notebooks nbgrader's own CheckCellMetadata does, with the same error."""
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator

    from mlchallenge.preprocessors.metadata import _Validator

    def outcome(validator, notebook):
        try:
            validator.validate_nb(notebook)
        except Exception as exc:  # noqa: BLE001 - the error is what is compared
            return type(exc), str(exc)
        return None

    path = ROOT / "source" / assignment / f"{assignment}.ipynb"
    original = nbformat.read(path, as_version=4)
    assert outcome(_Validator(), original) is outcome(MetadataValidator(), original) is None
    graded = [i for i, c in enumerate(original.cells) if c.metadata.get("nbgrader", {}).get("grade")]
    failures = 0
    for breakage in _metadata_breakages():
        for index in (graded[0], graded[-1]):
            notebook = nbformat.read(path, as_version=4)
            cell = notebook.cells[index]
            breakage(cell.metadata["nbgrader"], cell)
            ours, theirs = outcome(_Validator(), notebook), outcome(MetadataValidator(), notebook)
            assert ours == theirs, (breakage.__name__, index)
            failures += theirs is not None
    assert failures >= 10  # the breakages are caught, not only passed alike
    # the preprocessors themselves: the same error for a broken notebook, nothing for a sound one
    from nbgrader.preprocessors import CheckCellMetadata as Theirs

    from mlchallenge.preprocessors.metadata import CheckCellMetadata as Ours

    broken = nbformat.read(path, as_version=4)
    broken.cells[graded[0]].metadata["nbgrader"]["points"] = "two"
    assert Ours().preprocess(original, {})[0] is original
    errors = []
    for check in (Ours(), Theirs()):
        with pytest.raises(Exception) as caught:
            check.preprocess(broken, {})
        errors.append((type(caught.value), str(caught.value)))
    assert errors[0] == errors[1]
