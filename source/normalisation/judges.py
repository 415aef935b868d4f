"""Judges of normalisation's hidden tests, run by the grading process (never by the kernel).

Each judge gets the inputs its hidden test built (the grader's own copies) and what the
candidate's function returned in the kernel, computes the expected values here with the
grader's own scikit-learn, and raises ``Wrong`` with a teaching message or returns the fraction
of the points earned. Where a test exists to catch one wrong answer (the sample standard
deviation, statistics from the test rows, clipping, ...), the judge computes that wrong answer
too and refuses to run (``SpecError``) if the test's data cannot tell it from the right one.
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

from mlchallenge.judging import SpecError, Wrong, compare, judge
from mlchallenge.judging.verdicts import NotebookName
from mlchallenge.kernel.emit import fingerprint


# ---------------------------------------------------------------------------
# Helpers


def _scaled_pair(case, key: str, name: str, train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two arrays a scaler returned, checked to be numpy arrays of the inputs' shapes."""
    got_train, got_test = compare.pair(case.returned(key), f"{name}()")
    for got, source, what in [(got_train, train, "train_scaled"), (got_test, test, "test_scaled")]:
        if not isinstance(got, np.ndarray):
            raise Wrong(f"{what} should be a numpy array, got {type(got).__name__}")
        array = compare.float_array(got, what)
        if array.shape != source.shape:
            raise Wrong(f"{what} has shape {array.shape} where the array passed in has "
                        f"{source.shape}: scale every value, keep rows and columns")
    return compare.float_array(got_train, "train_scaled"), compare.float_array(got_test, "test_scaled")


def _differs(wrong, right) -> bool:
    """Whether a wrong answer is told apart from the right one by the judge's comparison."""
    with np.errstate(all="ignore"):
        return not compare.is_close(wrong, right)


def _probe(grade_id: str, label: str, wrong, right) -> None:
    """No blind probe: the wrong answer the test exists for must differ from the right one."""
    if not _differs(wrong, right):
        raise SpecError(f"{grade_id}: the probe cannot tell {label} on its data")


def _unchanged_args(case, key: str, message: str) -> None:
    """``case.unchanged`` for a call whose arguments include the candidate's function (a helper
    emitted with the function as its first argument): the data arguments are compared, the
    function is not (``fingerprint`` of a notebook name refuses in the replay)."""
    args = case.args(key)
    after = case.record(key).get("args")
    if not isinstance(after, list) or len(after) != len(args):
        raise Wrong(message)
    for mine, theirs in zip(args, after, strict=True):
        if isinstance(mine, NotebookName):
            continue
        if fingerprint(mine) != theirs:
            raise Wrong(message)
    kwafter = case.record(key).get("kwargs") or {}
    for name, value in case.kwargs(key).items():
        if fingerprint(value) != kwafter.get(name):
            raise Wrong(message)


def _population_std_scaled(train: np.ndarray, other: np.ndarray, ddof: int) -> np.ndarray:
    scale = train.std(axis=0, ddof=ddof)
    scale[scale == 0] = 1.0
    return (other - train.mean(axis=0)) / scale


# ---------------------------------------------------------------------------
# 1. Standardisation


@judge("test-standardize")
def standardize(case):
    for key in ("large", "small"):
        train, test = case.args(key)
        got_train, got_test = _scaled_pair(case, key, "standardize", train, test)
        scaler = StandardScaler().fit(train)
        want_train, want_test = scaler.transform(train), scaler.transform(test)
        # the wrong answers this test exists for, which must stay visible on its data
        if key == "small":
            _probe("test-standardize", "the sample standard deviation (ddof=1)",
                   _population_std_scaled(train, train, ddof=1), want_train)
        with np.errstate(all="ignore"):
            by_zero = (train - train.mean(axis=0)) / train.std(axis=0)
        _probe("test-standardize", "a division by a zero standard deviation", by_zero, want_train)
        compare.allclose(got_train, want_train,
                         "standardised training rows differ from StandardScaler's (check the mean, "
                         "the standard deviation's convention and constant columns)", what="train_scaled")
        compare.allclose(got_test, want_test, "standardised test rows differ from StandardScaler's",
                         what="test_scaled")
        case.unchanged(key, "standardize should not modify its inputs")


@judge("test-standardize-leakage")
def standardize_leakage(case):
    train, test = case.args("shifted")
    _, got_test = _scaled_pair(case, "shifted", "standardize", train, test)
    want_test = StandardScaler().fit(train).transform(test)
    leaks = {"the test rows' own": StandardScaler().fit(test).transform(test),
             "train and test rows'": StandardScaler().fit(np.vstack([train, test])).transform(test)}
    for label, leaky in leaks.items():
        _probe("test-standardize-leakage", f"statistics of {label}", leaky, want_test)
    # a leak is named only where the answer is the leak's: another wrong answer accuses no one
    for label, leaky in leaks.items():
        if not _differs(got_test, leaky):
            raise Wrong(f"test rows were scaled with {label} statistics: the test rows leaked into "
                        "the scaling; use the training rows' mean and standard deviation only")
    compare.allclose(got_test, want_test,
                     "standardised test rows differ from StandardScaler fitted on the training rows",
                     what="test_scaled")


# ---------------------------------------------------------------------------
# 2. Min-max scaling


@judge("test-minmax")
def minmax(case):
    train, test = case.args("minmax")
    got_train, got_test = _scaled_pair(case, "minmax", "min_max_scale", train, test)
    scaler = MinMaxScaler().fit(train)
    want_train, want_test = scaler.transform(train), scaler.transform(test)
    _probe("test-minmax", "clipped test values", np.clip(want_test, 0.0, 1.0), want_test)
    with np.errstate(all="ignore"):
        by_zero = (train - train.min(axis=0)) / (train.max(axis=0) - train.min(axis=0))
    _probe("test-minmax", "a division by a zero range", by_zero, want_train)
    _probe("test-minmax", "the test rows' own minimum and range",
           MinMaxScaler().fit(test).transform(test), want_test)
    compare.allclose(got_train, want_train,
                     "scaled training rows differ from MinMaxScaler's (check constant columns)",
                     what="train_scaled")
    compare.allclose(got_test, want_test,
                     "scaled test rows differ from MinMaxScaler's: use the training minimum and range, "
                     "and do not clip test values", what="test_scaled")


# ---------------------------------------------------------------------------
# 3. Robust scaling


@judge("test-robust")
def robust(case):
    train, test = case.args("robust")
    got_train, got_test = _scaled_pair(case, "robust", "robust_scale", train, test)
    scaler = RobustScaler().fit(train)
    want_train, want_test = scaler.transform(train), scaler.transform(test)
    median = np.median(train, axis=0)
    std = train.std(axis=0)
    std[std == 0] = 1.0
    _probe("test-robust", "a division by the standard deviation", (train - median) / std, want_train)
    for method in ("lower", "higher", "nearest", "midpoint"):
        q75, q25 = np.percentile(train, [75, 25], axis=0, method=method)
        iqr = q75 - q25
        iqr[iqr == 0] = 1.0
        _probe("test-robust", f"the {method!r} percentile interpolation", (train - median) / iqr, want_train)
    q75, q25 = np.percentile(train, [75, 25], axis=0)
    with np.errstate(all="ignore"):
        _probe("test-robust", "a division by a zero IQR", (train - median) / (q75 - q25), want_train)
    iqr = np.where(q75 - q25 == 0, 1.0, q75 - q25)
    _probe("test-robust", "centring on the mean", (train - train.mean(axis=0)) / iqr, want_train)
    _probe("test-robust", "the test rows' own median and IQR", RobustScaler().fit(test).transform(test), want_test)
    compare.allclose(got_train, want_train,
                     "robust-scaled training rows differ from RobustScaler's (median, IQR with linear "
                     "interpolation, IQR of 0)", what="train_scaled")
    compare.allclose(got_test, want_test,
                     "robust-scaled test rows differ from RobustScaler's: use the training median and IQR",
                     what="test_scaled")


# ---------------------------------------------------------------------------
# 4. Which models need scaling


def _accuracies(model, X_train, y_train, X_test, y_test) -> dict[str, float]:
    """The right pair, and the leaky scaled accuracies this test exists to catch."""

    def scaled_by(scaler_rows_train, scaler_rows_test) -> float:
        m = clone(model).fit(StandardScaler().fit(scaler_rows_train).transform(X_train), y_train)
        return float(accuracy_score(y_test, m.predict(StandardScaler().fit(scaler_rows_test).transform(X_test))))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = float(accuracy_score(y_test, clone(model).fit(X_train, y_train).predict(X_test)))
        scaled = float(accuracy_score(
            y_test, make_pipeline(StandardScaler(), clone(model)).fit(X_train, y_train).predict(X_test)))
        both = pd.concat([X_train, X_test])
        together = scaled_by(both, both)
        own_rows = scaled_by(X_train, X_test)
    return {"raw": raw, "scaled": scaled, "together": together, "own-rows": own_rows}


@judge("test-effect")
def effect(case):
    expected = {}
    for key in ("knn", "svm"):
        _, model, X_train, y_train, X_test, y_test = case.args(key)
        expected[key] = _accuracies(model, X_train, y_train, X_test, y_test)
    for leak, label in [("together", "a scaler fitted on train and test together"),
                        ("own-rows", "a scaler refitted on the test rows")]:
        for key, e in expected.items():
            if np.isclose(e[leak], e["scaled"], rtol=1e-6):
                raise SpecError(f"test-effect: the probe cannot tell {label} on its data ({key})")
    for key in ("knn", "svm"):
        got = case.returned(key)
        got = compare.mapping(got, ["result", "fitted_attributes"], "the hidden test's record")
        _unchanged_args(case, key, "scaling_effect should not fit or change the model passed in: clone it")
        if got["fitted_attributes"]:
            raise Wrong("scaling_effect should not fit or change the model passed in: clone it")
        raw, scaled = compare.pair(got["result"], "scaling_effect()")
        compare.allclose([compare.number(raw, "accuracy_raw")], [expected[key]["raw"]],
                         "the raw accuracy should come from the model fitted on unscaled training rows",
                         what="accuracy_raw")
        compare.allclose([compare.number(scaled, "accuracy_scaled")], [expected[key]["scaled"]],
                         "the scaled accuracy should come from a StandardScaler fitted on the training rows "
                         "only, then the model", what="accuracy_scaled")


@judge("test-needs-scaling")
def needs_scaling(case):
    answers = case.returned("answers")
    if not isinstance(answers, dict):
        raise Wrong("NEEDS_SCALING should be a dict with the keys knn, svm, tree and forest")
    if set(answers) != {"knn", "svm", "tree", "forest"}:
        raise Wrong("NEEDS_SCALING should keep the keys knn, svm, tree and forest")
    right = {"knn": True, "svm": True, "tree": False, "forest": False}
    wrong = sorted(k for k, v in right.items() if answers[k] is not v)
    assert not wrong, f"look again at what scaling changed for: {', '.join(wrong)}"
