"""Judges of missing-data's hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here, and raises
``Wrong`` with a teaching message or returns the fraction of the points earned.
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from mlchallenge.judging import SpecError, Wrong, compare, judge, memo


def _fills(train: pd.DataFrame) -> dict:
    """The contract's fills: each numeric column's training median, each other column's most
    frequent training value."""
    return {c: train[c].median() if pd.api.types.is_numeric_dtype(train[c]) else train[c].mode().iloc[0]
            for c in train.columns}


def _column(frame: pd.DataFrame, name, what: str) -> pd.Series:
    if name not in frame.columns:
        raise Wrong(f"{what} has no column {name!r}")
    column = frame[name]
    if isinstance(column, pd.DataFrame):
        raise Wrong(f"{what} has the column {name!r} more than once")
    return column


def _expect_filled(got: pd.DataFrame, frame: pd.DataFrame, fills: dict, what: str, message: str) -> None:
    for c in frame.columns:
        column = _column(got, c, what)
        want = frame[c].fillna(fills[c])
        if len(column) != len(want):
            raise Wrong(f"{what} has {len(column)} rows instead of {len(want)}: keep every row")
        if pd.api.types.is_numeric_dtype(frame[c]):
            compare.allclose(column, want, f"column {c}: {message}", what=c)
        else:
            compare.same_labels(column, want, f"column {c}: {message}", what=c)


@judge("test-profile")
def profile(case):
    for key in ("credit", "edge-cases"):
        (frame,) = case.args(key)
        got = compare.frame(case.returned(key), "missingness_profile()")
        assert list(got.index) == list(frame.columns), \
            "the profile should have one row per column, in the frame's column order"
        counts = frame.isna().sum().to_numpy()
        compare.allclose(_column(got, "n_missing", "the profile"), counts,
                         "n_missing does not count the missing cells of every column", what="n_missing")
        compare.allclose(_column(got, "pct_missing", "the profile"), 100.0 * counts / len(frame),
                         "pct_missing should be the percentage of rows missing in each column",
                         what="pct_missing")
        case.unchanged(key, "missingness_profile modified the frame passed in; leave the caller's "
                            "data untouched")


@judge("test-impute-train")
def impute_train(case):
    train, _ = case.args("impute")
    got_train, _ = compare.pair(case.returned("impute"), "impute()")
    got_train = compare.frame(got_train, "the imputed training frame")
    assert list(got_train.columns) == list(train.columns), \
        "the imputed training frame should keep the same columns in the same order"
    assert int(got_train.isna().sum().sum()) == 0, "the imputed training rows still have missing values"
    fills = _fills(train)
    for c in train.columns:
        kind = "the training median" if pd.api.types.is_numeric_dtype(train[c]) else \
            "the most frequent training category"
        _expect_filled(got_train, train[[c]], fills, "the imputed training frame",
                       f"missing training values should become {kind}")


@judge("test-impute-leakage")
def impute_leakage(case):
    train, test = case.args("impute")
    _, got_test = compare.pair(case.returned("impute"), "impute()")
    got_test = compare.frame(got_test, "the imputed test frame")
    assert int(got_test.isna().sum().sum()) == 0, "the imputed test rows still have missing values"
    fills = _fills(train)
    for c in train.columns:
        if pd.api.types.is_numeric_dtype(train[c]):
            message = "test rows were filled with statistics that did not come from the training rows alone"
        else:
            message = "test rows were filled with a category that is not the training rows' most frequent"
        _expect_filled(got_test, test[[c]], fills,
                       "the imputed test frame", message)


@judge("test-impute-contract")
def impute_contract(case):
    train, test = case.args("impute")
    case.unchanged("impute", "a frame passed in was modified; work on a copy")
    got_train, got_test = compare.pair(case.returned("impute"), "impute()")
    got_train = compare.frame(got_train, "the imputed training frame")
    got_test = compare.frame(got_test, "the imputed test frame")
    assert len(got_train) == len(train) and len(got_test) == len(test), "impute should keep every row"
    assert got_train.index.equals(train.index) and got_test.index.equals(test.index), \
        "the imputed frames should keep the index of the frames passed in"
    assert int(got_train.isna().sum().sum()) == 0 and int(got_test.isna().sum().sum()) == 0, \
        "the returned frames still have missing values"
    for c in train.columns:
        if pd.api.types.is_numeric_dtype(train[c]):
            column_train = _column(got_train, c, "the imputed training frame")
            column_test = _column(got_test, c, "the imputed test frame")
            assert pd.api.types.is_numeric_dtype(column_train) and pd.api.types.is_numeric_dtype(column_test), \
                f"column {c} should stay numeric after imputation"


@judge("test-indicators")
def indicators(case):
    train, test = case.args("indicators")
    case.unchanged("indicators", "a frame passed in was modified; work on a copy")
    got_train, got_test = compare.pair(case.returned("indicators"), "add_missing_indicators()")
    got_train = compare.frame(got_train, "the training frame returned")
    got_test = compare.frame(got_test, "the test frame returned")
    flagged = [c for c in train.columns if train[c].isna().any()]
    want_columns = list(train.columns) + [f"{c}_missing" for c in flagged]
    assert list(got_train.columns) == want_columns, \
        "the training frame should get one indicator per column with missing training values, after " \
        "the original columns"
    assert list(got_test.columns) == want_columns, \
        "the test frame should get the indicator columns chosen from the training rows, no more and no fewer"
    for got, source in [(got_train, train), (got_test, test)]:
        for c in flagged:
            compare.allclose(got[f"{c}_missing"], source[c].isna().astype(int),
                             f"{c}_missing should be 1 exactly where {c} is missing", what=f"{c}_missing")
        compare.frames_equal(got[list(source.columns)], source,
                             "the original columns should be returned unchanged (not imputed, same "
                             "dtypes and index)")


def _expected_scores(X: pd.DataFrame, y: pd.Series, model, cv) -> tuple[float, float, int]:
    """Both expected scores (once per grading process: the hidden test's inputs are the same
    for every submission)."""
    return memo.once(_expected_scores_now, X, y, model, cv)


def _expected_scores_now(X: pd.DataFrame, y: pd.Series, model, cv) -> tuple[float, float, int]:
    complete = X.notna().all(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        drop = cross_val_score(clone(model), X[complete], y[complete], cv=cv, scoring="roc_auc").mean()
        impute = cross_val_score(make_pipeline(SimpleImputer(strategy="median"), clone(model)), X, y,
                                 cv=cv, scoring="roc_auc").mean()
    return float(drop), float(impute), int(complete.sum())


def _comparison(case) -> dict:
    return compare.mapping(case.returned("compare"), ["drop", "impute", "rows_kept_by_drop"], "the result")


@judge("test-compare-values")
def compare_values(case):
    X, y, model, cv = case.args("compare")
    got = _comparison(case)
    want_drop, want_impute, kept = _expected_scores(X, y, model, cv)
    assert compare.number(got["rows_kept_by_drop"], "rows_kept_by_drop") == kept, \
        "rows_kept_by_drop should count the rows with no missing value"
    compare.allclose([compare.number(got["drop"], "drop")], [want_drop],
                     "the drop score should be the mean cross-validated ROC AUC on the complete rows only",
                     rtol=1e-6, what="drop")
    compare.allclose([compare.number(got["impute"], "impute")], [want_impute],
                     "the impute score should be the mean cross-validated ROC AUC on all rows, "
                     "median-imputed within each training fold", rtol=1e-6, what="impute")


def _leaky_score(X: pd.DataFrame, y: pd.Series, model, cv) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cross_val_score(clone(model), X.fillna(X.median()), y, cv=cv, scoring="roc_auc").mean())


@judge("test-compare-leakage")
def compare_leakage(case):
    X, y, model, cv = case.args("compare")
    got = _comparison(case)
    _, want_impute, _ = _expected_scores(X, y, model, cv)
    # the leak this test exists for: the medians of all rows filled in before the folds split
    leaky = memo.once(_leaky_score, X, y, model, cv)
    if np.isclose(leaky, want_impute, rtol=1e-6):
        raise SpecError("test-compare-leakage: the probe cannot tell the leak on its data")
    got_impute = compare.number(got["impute"], "impute")
    # a leak is named only where the score is the leak's: another wrong score accuses no one
    if np.isclose(got_impute, leaky, rtol=1e-6):
        raise Wrong("a training fold was filled with a median computed from rows outside it, so "
                    "those rows leaked into the fold: impute inside each fold, after the split")
    compare.allclose([got_impute], [want_impute],
                     "the score with imputation is not the one imputing each training fold with its "
                     "own medians gives: fit the imputer inside each fold, after the split",
                     rtol=1e-6, what="impute")
