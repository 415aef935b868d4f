"""Model tasks: refit the candidate's pipeline in the kernel and emit its predictions.

A hidden test cell that grades a model ends with one literal call of ``grade_pipeline`` (or
``submit_predictions`` for a model the notebook fitted), whose keywords are the scoring spec
(dataset, metric, positive label, seed, baseline and reference scores, tolerance). In the
kernel the call fits the estimator ``build()`` returns on the grading fold's training rows and
emits its predictions for the hidden-test rows, whose labels the kernel never holds, as a
display output of type ``PREDICTIONS_MIME``. In the grading process
``mlchallenge.preprocessors.score.ScoreHiddenPredictions`` reads the spec from the cell's source (as nbgrader
restored it), scores the predictions against the labels and writes the points.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from IPython.display import display as _display
from sklearn.base import clone as _clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted as _check_is_fitted

from mlchallenge.kernel.clock import cpu_seconds
from mlchallenge.kernel.datasets import grading_fold
from mlchallenge.kernel.outputs import METRICS, PREDICTIONS_MIME

_asarray = np.asarray
_isfinite = np.isfinite
_isinstance = isinstance
_len = len
_float = float
_min = min
_type = type


def call(function: Callable, *args, name: str | None = None, **kwargs):
    """Call the candidate's function; a stub or a crash becomes a teaching message."""
    label = name or getattr(function, "__name__", "your function")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*args, **kwargs)
    except NotImplementedError:
        raise NotImplementedError(
            f"{label}() is not attempted yet: it still raises NotImplementedError"
        ) from None
    except AssertionError as exc:
        raise AssertionError(f"{label}() raised AssertionError: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any crash of candidate code is a failed check
        raise AssertionError(f"{label}() raised {type(exc).__name__}: {exc}") from None


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


# The permuted-label refit shuffles the training labels with this seed (plus the fold's): a
# model that learns from its labels falls to chance; one whose score survives did not learn
# from them (a lookup of the rows, memorised data, target statistics frozen outside fit).
PERMUTATION_SEED = 7919


def shuffled_labels(y: pd.Series, seed: int) -> pd.Series:
    """``y``'s values in an order shuffled by a fixed seed: the same labels (the same classes and
    counts, the same prices), each on a row it does not belong to."""
    order = np.random.default_rng(PERMUTATION_SEED + seed).permutation(_len(y))
    return pd.Series(y.to_numpy()[order], index=y.index, name=y.name)


def _text_columns(X: pd.DataFrame) -> list:
    return [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]


def renamed_categories(X_train: pd.DataFrame, X_test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copies of both frames with every category of every text column renamed, the same way in
    both and in the same sorted order ("category 0003" for the fourth category of a column, in
    training and test rows alike; missing values stay missing). Encoders that learn categories
    from the rows they are fitted on (one-hot, ordinal, target encoding) see the same columns
    in the same order, so a pipeline made of them predicts exactly what it predicted before;
    category names written into its code, or statistics fixed before it was fitted, no longer
    match."""
    train, test = X_train.copy(), X_test.copy()
    for column in _text_columns(train):
        values = sorted({str(v) for frame in (train, test) for v in frame[column].dropna().tolist()})
        names = {value: f"category {i:04d}" for i, value in enumerate(values)}
        for frame in (train, test):
            frame[column] = [v if pd.isna(v) else names[str(v)] for v in frame[column]]
    return train, test


def _predict_hidden(estimator, dataset: str, metric: str, positive, seed: int, label: str,
                    with_unseen_categories: bool, fit: bool, shuffled: bool = False,
                    renamed: bool = False) -> list:
    fold = grading_fold(dataset, seed)
    X_train = fold.X_train
    X_test = unseen_categories(fold.X_test, seed) if with_unseen_categories else fold.X_test
    if renamed:
        X_train, X_test = renamed_categories(X_train, X_test)
    y_train = shuffled_labels(fold.y_train, seed) if shuffled else fold.y_train
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fit:
                estimator.fit(X_train.copy(), y_train.copy())
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


def shuffled_refit(build: Callable[[], object], dataset: str, metric: str, *, positive=None,
                   seed: int = 0, label: str = "build_pipeline",
                   with_unseen_categories: bool = False) -> dict:
    """A second estimator from ``build()``, fitted on the same training rows with their labels
    shuffled (``shuffled_labels``), and its predictions for the hidden-test rows:
    ``{"predictions": [...]}``, or ``{"error": why}`` when it could not be fitted or used."""
    try:
        estimator = _clone(call(build, name=label))
        return {"predictions": _predict_hidden(estimator, dataset, metric, positive, seed, label,
                                               with_unseen_categories, fit=True, shuffled=True)}
    except Exception as exc:  # noqa: BLE001 - the grading process decides what a failure means
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def renamed_refit(build: Callable[[], object], dataset: str, metric: str, *, positive=None,
                  seed: int = 0, label: str = "build_pipeline",
                  with_unseen_categories: bool = False) -> dict | None:
    """A third estimator from ``build()``, fitted on the same rows and labels with every
    category renamed (``renamed_categories``), and its predictions for the hidden-test rows,
    renamed the same way: ``{"predictions": [...]}``, ``{"error": why}``, or None when the rows
    have no text column."""
    if not _text_columns(grading_fold(dataset, seed).X_train):
        return None
    try:
        estimator = _clone(call(build, name=label))
        return {"predictions": _predict_hidden(estimator, dataset, metric, positive, seed, label,
                                               with_unseen_categories, fit=True, renamed=True)}
    except Exception as exc:  # noqa: BLE001 - shown to a person, never scored
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def prediction_bundle(predictions: list, *, dataset: str, metric: str, positive=None,
                      seed: int = 0, unseen_categories: bool = False,
                      shuffled: dict | None = None, renamed: dict | None = None) -> dict:
    """The output a hidden test cell emits for the grading process to score (``shuffled``: what
    ``shuffled_refit`` gave, for a model the grader refits; ``renamed``: what
    ``renamed_refit`` gave, where the rows have categories)."""
    bundle = {"format": 1, "dataset": dataset, "metric": metric, "positive": positive,
              "seed": seed, "unseen_categories": unseen_categories, "predictions": predictions}
    if shuffled is not None:
        bundle["shuffled"] = shuffled
    if renamed is not None:
        bundle["renamed"] = renamed
    return bundle


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
    ceiling: float | None = None,
    positive=None,
    seed: int = 0,
    label: str = "build_pipeline",
    unseen_categories: bool = False,
) -> None:
    """Refit ``build()``'s estimator on the grading fold and emit its predictions for the
    hidden-test rows, with those of a second one refitted on the same rows with their labels
    shuffled, and of a third with every category renamed (where the rows have categories).
    The keywords, literals in the hidden test cell, are the scoring spec the grading process
    reads from the cell's source: ``baseline`` and ``reference`` are the metric's
    values for the baseline and reference models (full credit within ``tolerance`` of the
    reference), ``ceiling`` the best score sound solutions reach, with a margin (a score beyond
    it is held for review); the kernel uses only the dataset, metric, positive label and seed."""
    predictions = refit_and_predict(build, dataset, metric, positive=positive, seed=seed,
                                    label=label, with_unseen_categories=unseen_categories)
    shuffled = shuffled_refit(build, dataset, metric, positive=positive, seed=seed, label=label,
                              with_unseen_categories=unseen_categories)
    renamed = renamed_refit(build, dataset, metric, positive=positive, seed=seed, label=label,
                            with_unseen_categories=unseen_categories)
    _emit(prediction_bundle(predictions, dataset=dataset, metric=metric, positive=positive,
                            seed=seed, unseen_categories=unseen_categories, shuffled=shuffled,
                            renamed=renamed))


def submit_predictions(
    model,
    *,
    dataset: str,
    metric: str,
    baseline: float,
    reference: float,
    tolerance: float,
    ceiling: float | None = None,
    positive=None,
    seed: int = 0,
    label: str = "the model",
    unseen_categories: bool = False,
    cpu_budget: float | None = None,
    cpu_since: float | None = None,
) -> None:
    """Emit an already fitted model's predictions for the hidden-test rows; the keywords are
    the scoring spec, as for ``grade_pipeline``. With ``cpu_since`` (a ``cpu_seconds()``
    reading taken before the model was built), the bundle carries the CPU seconds spent since,
    predictions included, and the grading process holds them to the spec's ``cpu_budget``."""
    assert_fitted(model, label)
    predictions = _predict_hidden(model, dataset, metric, positive, seed, label,
                                  unseen_categories, fit=False)
    bundle = prediction_bundle(predictions, dataset=dataset, metric=metric, positive=positive,
                               seed=seed, unseen_categories=unseen_categories)
    if cpu_since is not None:
        bundle["cpu_seconds"] = cpu_seconds() - cpu_since
    _emit(bundle)
