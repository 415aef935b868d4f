"""datasets/ is checksum-verified, documented, and split the same way everywhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from mlchallenge.core.errors import KitError
from mlchallenge.kernel import datasets

PUBLIC_COPIES = {
    "credit_data": ROOT / "source" / "missing-data" / "data" / "credit_train.csv",
    "breast_cancer": ROOT / "source" / "normalisation" / "data" / "cancer_train.csv",
    "telco_churn": ROOT / "source" / "take-home-churn" / "data" / "churn_train.csv",
    "ames_housing": ROOT / "source" / "take-home-ames" / "data" / "ames_train.csv",
    "digits": ROOT / "source" / "neural-networks" / "data" / "digits_train.csv",
    "reported_heights": ROOT / "source" / "data-cleaning" / "data" / "heights_train.csv",
}


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_file_matches_recorded_checksum_and_sources_md(name):
    spec = datasets.DATASETS[name]
    path = ROOT / "datasets" / spec.filename
    assert datasets.sha256_of(path) == spec.sha256
    sources = (ROOT / "datasets" / "SOURCES.md").read_text(encoding="utf-8")
    assert spec.sha256 in sources, f"SOURCES.md does not record the sha256 of {spec.filename}"
    frame = datasets.load(name)
    assert re.search(rf"{frame.shape[0]:,} rows|{frame.shape[0]} rows", sources)


def test_a_changed_file_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    target = tmp_path / "datasets" / "credit_data.csv"
    target.write_text(target.read_text().replace("good", "bad", 1))
    monkeypatch.setenv("MLCHALLENGE_DATASETS", str(tmp_path / "datasets"))
    with pytest.raises(KitError, match=r"sha256 .* expected .*git checkout -- datasets/"):
        datasets.load("credit_data")


def test_a_missing_file_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("MLCHALLENGE_DATASETS", str(tmp_path))
    with pytest.raises(KitError, match="is missing"):
        datasets.load("breast_cancer")


@pytest.mark.parametrize("name", sorted(PUBLIC_COPIES))
def test_public_data_in_source_is_the_public_split(name):
    shipped = pd.read_csv(PUBLIC_COPIES[name])
    pd.testing.assert_frame_equal(shipped, datasets.public_split(name))


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_public_hidden_train_and_hidden_test_partition_the_rows(name):
    spec = datasets.DATASETS[name]
    full = datasets.load(name)
    public, hidden_train = datasets.public_split(name), datasets.hidden_split(name)
    fold = datasets.grading_fold(name)
    hidden_test = fold.X_test.assign(**{spec.target: datasets.hidden_test_labels(name)})
    assert len(public) + len(hidden_train) + len(hidden_test) == len(full)
    assert abs(len(hidden_test) - len(hidden_train)) <= 1
    merged = pd.concat([public, hidden_train, hidden_test[list(full.columns)]])
    order = list(full.columns)
    pd.testing.assert_frame_equal(merged.sort_values(order).reset_index(drop=True),
                                  full.sort_values(order).reset_index(drop=True))
    features = datasets.hidden_features(name)
    assert len(features) == len(hidden_train) + len(hidden_test) and spec.target not in features


def test_grading_fold_trains_on_labelled_rows_and_predicts_hidden_test_rows():
    fold = datasets.grading_fold("credit_data", seed=1)
    assert not hasattr(fold, "y_test")
    labelled = len(datasets.public_split("credit_data")) + len(datasets.hidden_split("credit_data"))
    assert len(fold.X_train) == labelled
    public = datasets.public_split("credit_data").drop(columns="Status")
    keys = set(map(tuple, public.astype(str).to_numpy()))
    test_keys = set(map(tuple, fold.X_test.astype(str).to_numpy()))
    assert len(test_keys & keys) <= 2, "the scored rows should come from the hidden split"
    other = datasets.grading_fold("credit_data", seed=2)
    pd.testing.assert_frame_equal(other.X_test, fold.X_test)  # the seed only reorders training rows
    rows = [sorted(pd.util.hash_pandas_object(f.X_train, index=False)) for f in (fold, other)]
    assert rows[0] == rows[1]


def test_regression_targets_split_without_stratifying():
    fold = datasets.grading_fold("ames_housing", seed=0)
    assert len(fold.X_test) + len(fold.X_train) == len(datasets.load("ames_housing"))
    assert "Sale_Price" not in fold.X_test.columns
    assert fold.y_train.dtype == "int64"


@pytest.fixture()
def kernel_view(tmp_path):
    view = datasets.write_kernel_view(tmp_path / "view")
    yield view
    for path in [view, *view.iterdir()]:
        path.chmod(0o755)


def test_a_kernel_view_gives_the_same_splits_without_the_hidden_test_labels(kernel_view, monkeypatch):
    full = {name: (datasets.public_split(name), datasets.hidden_split(name),
                   datasets.hidden_features(name), datasets.grading_fold(name, 3),
                   datasets.hidden_test_labels(name))
            for name in datasets.DATASETS}
    monkeypatch.setenv("MLCHALLENGE_DATASETS", str(kernel_view))
    monkeypatch.setenv(datasets.VIEW_SHA256_VARIABLE, datasets.view_sha256(kernel_view))
    for name, (public, hidden_train, features, fold, labels) in full.items():
        spec = datasets.DATASETS[name]
        pd.testing.assert_frame_equal(datasets.public_split(name), public)
        pd.testing.assert_frame_equal(datasets.hidden_split(name), hidden_train)
        pd.testing.assert_frame_equal(datasets.hidden_features(name), features)
        in_view = datasets.grading_fold(name, 3)
        pd.testing.assert_frame_equal(in_view.X_train, fold.X_train)
        pd.testing.assert_series_equal(in_view.y_train, fold.y_train)
        pd.testing.assert_frame_equal(in_view.X_test, fold.X_test)
        with pytest.raises(KitError, match="hidden test labels"):
            datasets.hidden_test_labels(name)
        with pytest.raises(KitError, match="kernel's view"):
            datasets.load(name)
        # the file itself: every hidden-test row's target cell is blank
        raw = pd.read_csv(kernel_view / spec.filename)
        assert raw[spec.target].isna().sum() == len(labels)
    assert not (kernel_view.stat().st_mode & 0o222), "the view should be read-only"


def test_a_changed_kernel_view_is_refused(kernel_view, monkeypatch):
    monkeypatch.setenv("MLCHALLENGE_DATASETS", str(kernel_view))
    monkeypatch.setenv(datasets.VIEW_SHA256_VARIABLE, datasets.view_sha256(kernel_view))
    path = kernel_view / "breast_cancer.csv"
    path.chmod(0o644)
    path.write_text(path.read_text().replace("benign", "malignant", 1))
    with pytest.raises(KitError, match="sha256"):
        datasets.hidden_split("breast_cancer")
    manifest = kernel_view / datasets.VIEW_MANIFEST
    manifest.chmod(0o644)
    kernel_view.chmod(0o755)
    manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 1 '))
    with pytest.raises(KitError, match="changed after the grader wrote it"):
        datasets.hidden_split("breast_cancer")


DATA_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".data", ".dat", ".arff", ".arff.gz", ".txt")


def _tokens(line: str) -> set[str]:
    """A line's cells, normalised: numbers by value (12.0 and 12 are one), text in lower case."""
    cells = set()
    for cell in re.split(r"[,;\t]", line):
        cell = cell.strip().strip("\"'").lower()
        if cell:
            try:
                cells.add(f"{float(cell):.6g}")
            except ValueError:
                cells.add(cell)
    return cells


def _lines(path) -> list[set[str]]:
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            # lines of five cells or more (a row of a table)
            return [_tokens(line) for line in handle
                    if line.count(",") + line.count("\t") + line.count(";") >= 4]
    except (OSError, EOFError):
        return []


def _holds_rows(lines: list[set[str]], rows: list[set[str]]) -> bool:
    """Whether these lines hold these rows: most of them each in one line, whatever the order,
    the separator or the way the label is written."""
    everything = set().union(*lines)
    rows = [row for row in rows if len(row & everything) >= 0.9 * len(row)]  # most files: none
    found = sum(any(len(row & line) >= 0.9 * len(row) for line in lines) for row in rows)
    return found >= 10


def test_every_installed_copy_of_a_challenge_s_rows_is_hidden_from_kernels():
    """Every file in the folders a grading kernel sees (this Python, its packages, the kit)
    that holds the rows of a challenge's dataset (its features, with the label written in any
    way) is declared in that dataset's ``installed_copies`` and so hidden from the kernel: a
    notebook cannot look its hidden-test labels up there."""
    from mlchallenge.sandbox.settings import hidden_package_data, python_roots

    roots = python_roots()
    hidden = set(hidden_package_data(roots))
    samples = {}
    for name, spec in datasets.DATASETS.items():
        frame = datasets.load(name).drop(columns=[spec.target])
        rows = frame.sample(20, random_state=0).astype(str).to_numpy()
        samples[name] = [set().union(*(_tokens(str(cell)) for cell in row)) for row in rows]
    copies = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.name.endswith(DATA_SUFFIXES) or not path.is_file() or path.is_symlink():
                continue
            if not 100 < path.stat().st_size < 50_000_000:
                continue
            if any(h == path.resolve() or h in path.resolve().parents for h in hidden):
                continue
            lines = _lines(path)
            copies += [(name, str(path)) for name, rows in samples.items() if _holds_rows(lines, rows)]
    assert not copies, f"installed files that hold a challenge's rows, not hidden from kernels: {copies}"
    # and the check finds a copy where there is one
    import sklearn

    shipped = Path(sklearn.__file__).resolve().parent / "datasets" / "data" / "breast_cancer.csv"
    assert shipped in hidden
    assert _holds_rows(_lines(shipped), samples["breast_cancer"])
    assert not _holds_rows(_lines(shipped), samples["credit_data"])


def _writable(folder: Path) -> None:
    for path in [folder, *folder.iterdir()]:
        path.chmod(0o755)


def test_a_sandboxed_run_keeps_its_kernel_view_and_the_next_run_takes_it(tmp_path, monkeypatch):
    """The view a sandboxed run writes is kept in the cache folder; a run of the same datasets
    takes it as it is (not written again), and it equals a view written afresh."""
    from mlchallenge.sandbox import dataset_view as views

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = datasets.datasets_dir()
    first = views.kernel_view(source, tmp_path / "run-1", keep=True)
    assert first.parent == tmp_path / "cache" / "mlchallenge" / "kernel-views"
    assert not (tmp_path / "run-1").exists(), "nothing of a kept view goes in the run's folder"
    written = (first / datasets.VIEW_MANIFEST).stat().st_mtime_ns
    again = views.kernel_view(source, tmp_path / "run-2", keep=True)
    assert again == first and (first / datasets.VIEW_MANIFEST).stat().st_mtime_ns == written
    fresh = datasets.write_kernel_view(tmp_path / "fresh", source)
    assert datasets.view_sha256(fresh) == datasets.view_sha256(first)
    for name in (datasets.VIEW_MANIFEST, *(s.filename for s in datasets.DATASETS.values())):
        assert (fresh / name).read_bytes() == (first / name).read_bytes(), name
    _writable(first)


def test_a_kept_view_that_was_changed_is_written_again(tmp_path, monkeypatch):
    from mlchallenge.sandbox import dataset_view as views

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = datasets.datasets_dir()
    view = views.kernel_view(source, tmp_path / "run-1", keep=True)
    manifest = (view / datasets.VIEW_MANIFEST).read_bytes()
    changed = view / "credit_data.csv"
    view.chmod(0o755)
    changed.chmod(0o644)
    changed.write_text(changed.read_text().replace("good", "bad", 1))
    assert not views.intact(view)
    again = views.kernel_view(source, tmp_path / "run-2", keep=True)
    assert again == view and views.intact(again)
    assert (again / datasets.VIEW_MANIFEST).read_bytes() == manifest
    _writable(again)


def test_a_view_s_key_changes_with_the_dataset_files(tmp_path):
    from mlchallenge.sandbox import dataset_view as views

    fewer = tmp_path / "datasets"
    fewer.mkdir()
    shutil.copy(ROOT / "datasets" / "credit_data.csv", fewer)
    assert views.view_key(fewer) != views.view_key(ROOT / "datasets")
    assert views.view_key(fewer) == views.view_key(fewer)


def test_an_unconfined_run_or_an_unwritable_cache_writes_the_run_s_own_view(tmp_path, monkeypatch):
    """Kernels run without the sandbox are the grader's own user: their view is never kept. A
    cache folder that cannot be made, or a library version that cannot be read, is no error
    either: the run writes its own."""
    from mlchallenge.sandbox import dataset_view as views

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = datasets.datasets_dir()
    own = views.kernel_view(source, tmp_path / "run-1", keep=False)
    assert own == (tmp_path / "run-1" / "datasets").resolve() and views.intact(own)
    assert not (tmp_path / "cache").exists()
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    fallback = views.kernel_view(source, tmp_path / "run-2", keep=True)
    assert fallback == (tmp_path / "run-2" / "datasets").resolve() and views.intact(fallback)
    # a library whose version cannot be read: a kept view could outlive its upgrade
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(views, "LIBRARIES", (*views.LIBRARIES, "no-such-distribution-here"))
    unknown = views.kernel_view(source, tmp_path / "run-3", keep=True)
    assert unknown == (tmp_path / "run-3" / "datasets").resolve() and views.intact(unknown)
    assert not (tmp_path / "cache").exists()
    for view in (own, fallback, unknown):
        _writable(view)
