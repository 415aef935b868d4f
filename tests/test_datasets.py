"""datasets/ is checksum-verified, documented, and split the same way everywhere."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from conftest import ROOT

from mlchallenge import datasets
from mlchallenge.errors import KitError

PUBLIC_COPIES = {
    "credit_data": ROOT / "source" / "missing-data" / "data" / "credit_train.csv",
    "breast_cancer": ROOT / "source" / "normalisation" / "data" / "cancer_train.csv",
    "telco_churn": ROOT / "source" / "take-home-churn" / "data" / "churn_train.csv",
    "ames_housing": ROOT / "source" / "take-home-ames" / "data" / "ames_train.csv",
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
    with pytest.raises(KitError, match="sha256 .* expected .*git checkout -- datasets/"):
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
def test_public_and_hidden_splits_partition_the_rows(name):
    full = datasets.load(name)
    public, hidden = datasets.public_split(name), datasets.hidden_split(name)
    assert len(public) + len(hidden) == len(full)
    merged = pd.concat([public, hidden]).sort_values(list(full.columns)).reset_index(drop=True)
    pd.testing.assert_frame_equal(merged, full.sort_values(list(full.columns)).reset_index(drop=True))


def test_grading_fold_scores_only_hidden_rows():
    fold = datasets.grading_fold("credit_data", seed=1)
    public = datasets.public_split("credit_data").drop(columns="Status")
    keys = set(map(tuple, public.astype(str).to_numpy()))
    test_keys = set(map(tuple, fold.X_test.astype(str).to_numpy()))
    assert len(test_keys & keys) <= 2, "the scored rows should come from the hidden split"
    assert fold.y_test.nunique() == 2


def test_regression_targets_split_without_stratifying():
    fold = datasets.grading_fold("ames_housing", seed=0)
    assert len(fold.X_test) + len(fold.X_train) == len(datasets.load("ames_housing"))
    assert "Sale_Price" not in fold.X_test.columns
