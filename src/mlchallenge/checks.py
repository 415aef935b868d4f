"""What hidden tests import: refit on hidden data and emit predictions, robust comparisons.

Every failed check raises ``AssertionError`` with a message that names the
property that failed and teaches, without revealing the expected value.
A task the candidate has not started (the stub still raises
``NotImplementedError``) is reported as not attempted.

The grading kernel imports this module before any candidate code runs (see
``mlchallenge.grading.GradingExecute``), so the numpy / scikit-learn functions
it compares with are bound here, before a candidate could monkeypatch them.
"""

from __future__ import annotations

import builtins
import enum
import hashlib
import re
import signal
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from IPython.display import display as _display
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import confusion_matrix, roc_auc_score
from sklearn.model_selection import cross_val_score
from sklearn.utils.validation import check_is_fitted

from .kernel.datasets import grading_fold

# Bound at import, before candidate code can replace the module attributes.
_asarray = np.asarray
_isfinite = np.isfinite
_roc_auc = roc_auc_score
_clone = clone
_check_is_fitted = check_is_fitted
_isinstance = builtins.isinstance
_len = builtins.len
_float = builtins.float
_min = builtins.min
_type = builtins.type
_frame_equals = pd.DataFrame.equals
_unique = np.unique
_sha256 = hashlib.sha256
_re_sub = re.sub
_perf_counter = time.perf_counter

# What hidden tests compare with: scikit-learn's own functions, as they were before any
# candidate code ran (a notebook that replaces sklearn.model_selection.cross_val_score does
# not change these).
reference_cross_val_score = cross_val_score
reference_confusion_matrix = confusion_matrix
reference_roc_auc_score = roc_auc_score
reference_clone = clone
_PLAIN_LABEL_TYPES = (str, int, float, bool, type(None), np.str_, np.int64, np.float64, np.bool_)


class Outcome(enum.Enum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    message: str


class NotAttempted(AssertionError):
    """The candidate's function still raises NotImplementedError."""


def evaluate(check: Callable[[], object]) -> CheckResult:
    """Run one check and say correct / incorrect / not attempted, with its message."""
    try:
        check()
    except NotAttempted as exc:
        return CheckResult(Outcome.NOT_ATTEMPTED, str(exc))
    except NotImplementedError:
        return CheckResult(Outcome.NOT_ATTEMPTED, "not attempted yet: the stub still raises")
    except AssertionError as exc:
        return CheckResult(Outcome.INCORRECT, str(exc))
    return CheckResult(Outcome.CORRECT, "correct")


def call(function: Callable, *args, name: str | None = None, **kwargs):
    """Call the candidate's function; a stub becomes NotAttempted, a crash a teaching message."""
    label = name or getattr(function, "__name__", "your function")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*args, **kwargs)
    except NotImplementedError:
        raise NotAttempted(
            f"{label}() is not attempted yet: it still raises NotImplementedError"
        ) from None
    except AssertionError as exc:
        raise AssertionError(f"{label}() raised AssertionError: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any crash of candidate code is a failed check
        raise AssertionError(
            f"{label}() raised {type(exc).__name__}: {exc}"
        ) from None


def float_array(value, what: str) -> np.ndarray:
    """A numeric numpy array of ``value``, or a failed check naming ``what``."""
    if _isinstance(value, pd.DataFrame | pd.Series):
        value = value.to_numpy()
    if not _isinstance(value, np.ndarray | list | tuple):
        raise AssertionError(f"{what} should be a numpy array, got {type(value).__name__}")
    try:
        array = _asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should hold numbers only") from None
    if type(array) is not np.ndarray:
        raise AssertionError(f"{what} should be a plain numpy array")
    return array


def assert_allclose(
    actual,
    expected,
    message: str,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    what: str = "the result",
) -> None:
    """``actual`` equals ``expected`` within tolerances, NaN where NaN; else ``message``."""
    got = float_array(actual, what)
    want = _asarray(expected, dtype=float)
    if got.shape != want.shape:
        raise AssertionError(f"{what} has shape {got.shape}; {message}")
    got_nan = ~_isfinite(got)
    want_nan = ~_isfinite(want)
    if (got_nan != want_nan).any():
        raise AssertionError(f"{what} has missing or infinite values where it should not; {message}")
    finite = ~want_nan
    diff = (got[finite] - want[finite]).__abs__()
    bound = atol + rtol * want[finite].__abs__()
    if (diff > bound).any():
        raise AssertionError(message)


def assert_unchanged(before: pd.DataFrame, after: pd.DataFrame, message: str) -> None:
    """``after`` holds exactly the values, dtypes, index and columns of ``before``."""
    if not _frame_equals(before, after):
        raise AssertionError(message)


def assert_same_labels(actual, expected, message: str, what: str = "the result") -> None:
    """Category labels equal one by one, compared as plain values: an object that claims to
    equal everything is not a label."""
    got = list(actual.tolist() if hasattr(actual, "tolist") else actual)
    want = list(expected.tolist() if hasattr(expected, "tolist") else expected)
    if _len(got) != _len(want):
        raise AssertionError(f"{what} has {_len(got)} values instead of {_len(want)}; {message}")
    for value in got:
        if _type(value) not in _PLAIN_LABEL_TYPES:
            raise AssertionError(
                f"{what} should hold plain labels (str or numbers), found {_type(value).__name__}"
            )
    for g, w in zip(got, want, strict=True):
        if _is_missing(g) and _is_missing(w):
            continue
        both_numbers = _isinstance(g, (int, float)) and _isinstance(w, (int, float))
        if not (_type(g) is _type(w) or both_numbers) or str(g) != str(w):
            raise AssertionError(message)


def _is_missing(value) -> bool:
    return value is None or (_isinstance(value, float) and value != value)


# ---------------------------------------------------------------------------
# Refit on hidden data and hand the predictions to the grading process
#
# The kernel never sees the hidden-test labels, so it does not score: a hidden test cell ends
# with one literal call of ``grade_pipeline`` or ``submit_predictions``, whose keywords are the
# scoring spec (dataset, metric, positive label, seed, baseline and reference scores,
# tolerance). In the kernel the call emits the predictions for the hidden-test rows as a
# display output of type PREDICTIONS_MIME; in the grading process
# ``mlchallenge.scoring.ScoreHiddenPredictions`` reads the spec from the cell's own source (as
# nbgrader restored it), scores the predictions against the labels and writes the points.

PREDICTIONS_MIME = "application/vnd.mlchallenge.predictions+json"
METRICS = ("roc_auc", "accuracy", "rmse_log")


def _positive_scores(model, X: pd.DataFrame, positive) -> np.ndarray:
    classes = list(getattr(model, "classes_", []))
    if hasattr(model, "predict_proba") and positive in classes:
        return _asarray(model.predict_proba(X), dtype=float)[:, classes.index(positive)]
    if hasattr(model, "decision_function") and _len(classes) == 2:
        scores = _asarray(model.decision_function(X), dtype=float)
        return scores if classes[1] == positive else -scores
    raise AssertionError(
        "the fitted model needs predict_proba (or decision_function) to be scored by ROC AUC"
    )


def roc_auc(positive) -> Callable[[pd.Series, object, pd.DataFrame], float]:
    """ROC AUC of the positive class, from predict_proba or decision_function (for checks on
    labelled rows; hidden-test rows are scored by the grading process)."""

    def metric(y_true: pd.Series, model, X: pd.DataFrame) -> float:
        scores = _positive_scores(model, X, positive)
        return _float(_roc_auc(_asarray(y_true) == positive, scores))

    metric.__name__ = "ROC AUC"
    return metric


def _plain_label(value):
    if _isinstance(value, np.generic):
        value = value.item()
    if _type(value) not in (str, int, float, bool):
        raise AssertionError(
            f"predict should return plain labels (str or numbers), found {_type(value).__name__}"
        )
    return value


def predictions_for(model, X: pd.DataFrame, metric: str, positive=None) -> list:
    """What the grading process scores for ``metric``: positive-class scores (ROC AUC), labels
    (accuracy) or predicted prices (RMSE of log price), one per row of X, as plain values."""
    if metric == "roc_auc":
        values = _positive_scores(model, X, positive)
    elif metric == "accuracy":
        labels = _asarray(model.predict(X))
        if labels.shape != (_len(X),):
            raise AssertionError("predict should return one label per row")
        return [_plain_label(v) for v in labels.tolist()]
    elif metric == "rmse_log":
        values = _asarray(model.predict(X), dtype=float)
    else:
        raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    if values.shape != (_len(X),):
        raise AssertionError("predict should return one value per row")
    if not _isfinite(values).all():
        raise AssertionError("the predictions hold missing or infinite values")
    return [_float(v) for v in values.tolist()]


def unseen_categories(X: pd.DataFrame, seed: int, rows: int = 5) -> pd.DataFrame:
    """A copy of X with a few categorical cells set to a category no training row has."""
    out = X.copy()
    categorical = [c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])]
    rng = np.random.default_rng(seed)
    for column in categorical:
        picks = rng.choice(_len(out), size=_min(rows, _len(out)), replace=False)
        out.loc[out.index[picks], column] = "never-seen-in-training"
    return out


def _predict_hidden(estimator, dataset: str, metric: str, positive, seed: int, label: str,
                    with_unseen_categories: bool, fit: bool) -> list:
    fold = grading_fold(dataset, seed)
    X_test = unseen_categories(fold.X_test, seed) if with_unseen_categories else fold.X_test
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fit:
                estimator.fit(fold.X_train.copy(), fold.y_train.copy())
            return predictions_for(estimator, X_test.copy(), metric, positive)
    except AssertionError as exc:
        raise AssertionError(f"the model from {label}: {exc}") from None
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(
            f"the estimator from {label}() failed when fitted on new training rows and used on "
            f"new test rows ({type(exc).__name__}: {exc}); make sure it handles missing values, "
            "text categories and categories it has not seen in training"
        ) from None


def refit_and_predict(
    build: Callable[[], object],
    dataset: str,
    metric: str,
    *,
    positive=None,
    seed: int = 0,
    label: str = "build_pipeline",
    with_unseen_categories: bool = False,
) -> list:
    """``build()``'s estimator (unfitted, cloneable) fitted on the grading fold's training rows;
    its predictions for the hidden-test rows (see ``predictions_for``)."""
    estimator = call(build, name=label)
    if not hasattr(estimator, "fit") or not hasattr(estimator, "predict"):
        raise AssertionError(
            f"{label}() should return a scikit-learn estimator (with fit and predict), "
            f"got {type(estimator).__name__}"
        )
    try:
        _check_is_fitted(estimator)
    except NotFittedError:
        pass
    except TypeError:
        pass
    else:
        raise AssertionError(
            f"{label}() should return an unfitted estimator: the grader fits it on its own rows"
        )
    try:
        estimator = _clone(estimator)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(
            f"{label}() returned an estimator scikit-learn cannot clone ({exc}); "
            "build it from scikit-learn parts with their parameters in __init__"
        ) from None
    return _predict_hidden(estimator, dataset, metric, positive, seed, label,
                           with_unseen_categories, fit=True)


def prediction_bundle(predictions: list, *, dataset: str, metric: str, positive=None,
                      seed: int = 0, unseen_categories: bool = False) -> dict:
    """The output a hidden test cell emits for the grading process to score."""
    return {"format": 1, "dataset": dataset, "metric": metric, "positive": positive,
            "seed": seed, "unseen_categories": unseen_categories, "predictions": predictions}


def _emit(bundle: dict) -> None:
    _display({PREDICTIONS_MIME: bundle}, raw=True)


def assert_fitted(estimator, label: str) -> None:
    """``estimator`` is a fitted scikit-learn estimator, else a failed check naming ``label``."""
    try:
        _check_is_fitted(estimator)
    except (NotFittedError, TypeError):
        raise AssertionError(
            f"{label} should return a fitted estimator (call fit before returning it)"
        ) from None


def grade_pipeline(
    build: Callable[[], object],
    *,
    dataset: str,
    metric: str,
    baseline: float,
    reference: float,
    tolerance: float,
    positive=None,
    seed: int = 0,
    label: str = "build_pipeline",
    unseen_categories: bool = False,
) -> None:
    """Refit ``build()``'s estimator on the grading fold and emit its predictions for the
    hidden-test rows. The keywords, literals in the hidden test cell, are the scoring spec the
    grading process reads from the cell's source: ``baseline`` and ``reference`` are the
    metric's values for the baseline and reference models (full credit within ``tolerance`` of
    the reference); the kernel uses only the dataset, metric, positive label and seed."""
    predictions = refit_and_predict(build, dataset, metric, positive=positive, seed=seed,
                                    label=label, with_unseen_categories=unseen_categories)
    _emit(prediction_bundle(predictions, dataset=dataset, metric=metric, positive=positive,
                            seed=seed, unseen_categories=unseen_categories))


def submit_predictions(
    model,
    *,
    dataset: str,
    metric: str,
    baseline: float,
    reference: float,
    tolerance: float,
    positive=None,
    seed: int = 0,
    label: str = "the model",
    unseen_categories: bool = False,
) -> None:
    """Emit an already fitted model's predictions for the hidden-test rows; the keywords are
    the scoring spec, as for ``grade_pipeline``."""
    assert_fitted(model, label)
    predictions = _predict_hidden(model, dataset, metric, positive, seed, label,
                                  unseen_categories, fit=False)
    _emit(prediction_bundle(predictions, dataset=dataset, metric=metric, positive=positive,
                            seed=seed, unseen_categories=unseen_categories))


def expect_keys(result: Mapping, keys: Iterable[str], what: str) -> None:
    if not _isinstance(result, Mapping):
        raise AssertionError(f"{what} should be a dict, got {type(result).__name__}")
    missing = [k for k in keys if k not in result]
    if missing:
        raise AssertionError(f"{what} is missing the keys {missing}")


# ---------------------------------------------------------------------------
# Cross-validation folds written by the candidate


def _fold_positions(value, n_rows: int, what: str) -> np.ndarray:
    """``value`` as an array of row positions (integers in 0..n_rows-1), or a failed check."""
    array = _asarray(value)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise AssertionError(f"{what} should be a 1-D numpy array of integer row positions")
    if _len(array) and (array.min() < 0 or array.max() >= n_rows):
        raise AssertionError(
            f"{what} holds values outside 0..{n_rows - 1}: return positions (for .iloc), "
            "not index labels"
        )
    return array


def _fold_arrays(folds, n_rows: int, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    try:
        pairs = list(folds)
    except TypeError:
        raise AssertionError("return a list of (train_idx, test_idx) pairs") from None
    if _len(pairs) != n_splits:
        raise AssertionError(f"asked for {n_splits} folds, got {_len(pairs)}")
    out = []
    for k, pair in enumerate(pairs):
        try:
            train, test = pair
        except (TypeError, ValueError):
            raise AssertionError(f"fold {k} should be a (train_idx, test_idx) pair") from None
        out.append((_fold_positions(train, n_rows, f"train_idx of fold {k}"),
                    _fold_positions(test, n_rows, f"test_idx of fold {k}")))
    return out


def assert_folds_partition(folds, n_rows: int, n_splits: int) -> None:
    """The test folds hold every row exactly once; each train fold is all the other rows."""
    pairs = _fold_arrays(folds, n_rows, n_splits)
    counts = np.zeros(n_rows, dtype=int)
    for k, (train, test) in enumerate(pairs):
        np.add.at(counts, test, 1)
        if _len(_unique(test)) != _len(test) or _len(_unique(train)) != _len(train):
            raise AssertionError(f"fold {k} lists a row more than once")
        if np.intersect1d(train, test).size:
            raise AssertionError(f"fold {k} has rows in both train_idx and test_idx")
        if _len(train) + _len(test) != n_rows:
            raise AssertionError(
                f"fold {k}: train_idx and test_idx together should cover all {n_rows} rows"
            )
    if (counts != 1).any():
        raise AssertionError(
            "the test folds should partition the rows: every row in exactly one test fold "
            f"({int((counts == 0).sum())} rows in none, {int((counts > 1).sum())} in several)"
        )


def assert_folds_stratified(folds, y, n_splits: int) -> None:
    """Each class with n rows puts floor(n/k) or ceil(n/k) of them in every test fold."""
    labels = _asarray(y)
    pairs = _fold_arrays(folds, _len(labels), n_splits)
    for label in _unique(labels):
        n = int((labels == label).sum())
        low, high = n // n_splits, -(-n // n_splits)
        for k, (_, test) in enumerate(pairs):
            held = int((labels[test] == label).sum())
            if not low <= held <= high:
                raise AssertionError(
                    f"test fold {k} holds {held} of the {n} rows of class {label!r}: a stratified "
                    f"split spreads each class evenly over the folds ({low} or {high} per fold here)"
                )


def same_folds(a, b) -> bool:
    """True when two fold lists hold the same test rows in the same order of folds."""
    a_pairs, b_pairs = list(a), list(b)
    if _len(a_pairs) != _len(b_pairs):
        return False
    return all(np.array_equal(np.sort(_asarray(x[1])), np.sort(_asarray(z[1])))
               for x, z in zip(a_pairs, b_pairs, strict=True))


# ---------------------------------------------------------------------------
# Time budgets


class OverBudget(AssertionError):
    """The candidate's function ran past its time budget."""


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so candidate code's ``except Exception`` lets it by."""


def time_limited(function: Callable, seconds: float, *args, name: str | None = None,
                 hint: str = "", **kwargs):
    """Call ``function`` (through ``call``); a failed check if it runs past ``seconds``,
    whose message ends with ``hint`` (what to do about it).

    An alarm (SIGALRM) stops Python code running in the main thread, which is where a
    notebook cell runs; a call that swallows the alarm still fails on its measured time.
    Returns ``(result, elapsed_seconds)``.
    """
    label = name or getattr(function, "__name__", "your function")
    message = f"{label}() ran past its time budget of {seconds:g} s" + (f": {hint}" if hint else "")

    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = _perf_counter()
    try:
        result = call(function, *args, name=label, **kwargs)
    except _Expired:
        raise OverBudget(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = _perf_counter() - start
    if elapsed > seconds:
        raise OverBudget(message)
    return result, elapsed


# ---------------------------------------------------------------------------
# Short answers graded against hashed keys


def normalise_answer(answer) -> str:
    """Lower case, outer spaces and a final full stop dropped, inner runs of spaces, hyphens
    and underscores made one space: "High-variance." and "high variance" are the same answer."""
    if _type(answer) is not str:
        raise AssertionError(f"answer with a string, got {_type(answer).__name__}")
    text = _re_sub(r"[\s_\-]+", " ", answer.strip().lower())
    return text.rstrip(".!").strip()


def answer_digest(question: str, answer: str) -> str:
    """The key stored for ``answer`` to ``question``: sha256 of the question id and the
    normalised answer, so the same word hashes differently in each question."""
    return _sha256(f"{question}\n{normalise_answer(answer)}".encode()).hexdigest()


def check_short_answer(question: str, answer, accepted: Iterable[str], message: str) -> None:
    """``answer`` hashes to one of the ``accepted`` digests, else ``message``; a stub left at
    None is not attempted."""
    if answer is None:
        raise NotAttempted(f"{question} is not answered yet")
    digest = answer_digest(question, answer)
    if not any(_type(key) is str and key == digest for key in accepted):
        raise AssertionError(message)
