"""Comparisons a judge makes in the grading process, on what the kernel emitted.

Each raises ``Wrong`` (an AssertionError) with the judge's teaching message, which names the
property that failed and never the expected value. The values compared are plain data rebuilt
by ``codec.decode``, and the libraries used are the grading process's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from mlchallenge.judging.codec import EstimatorSpec, Opaque


class Wrong(AssertionError):
    """The candidate's result fails a property; the message says which, without the answer."""


class NotAttempted(AssertionError):
    """The candidate's function still raises NotImplementedError."""


def _type_name(value) -> str:
    if isinstance(value, EstimatorSpec):
        return value.class_name
    if isinstance(value, Opaque):
        return value.name or value.kind
    return type(value).__name__


def float_array(value, what: str) -> np.ndarray:
    """``value`` (an array, list, tuple, Series or frame of numbers) as a float array."""
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        value = value.to_numpy()
    if not isinstance(value, np.ndarray | list | tuple):
        raise Wrong(f"{what} should be a numpy array, got {_type_name(value)}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should hold numbers only") from None


def number(value, what: str) -> float:
    """``value`` as a float: a plain or numpy number, or a one-element array."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number | np.ndarray):
        raise Wrong(f"{what} should be a number, got {_type_name(value)}")
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise Wrong(f"{what} should be one number, got {array.size} values")
    return float(array.reshape(-1)[0])


def allclose(actual, expected, message: str, *, rtol: float = 1e-6, atol: float = 1e-8,
             what: str = "the result") -> None:
    """``actual`` equals ``expected`` within tolerances, NaN where NaN; else ``message``."""
    got = float_array(actual, what)
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        raise Wrong(f"{what} has shape {got.shape}; {message}")
    got_missing, want_missing = ~np.isfinite(got), ~np.isfinite(want)
    if (got_missing != want_missing).any():
        raise Wrong(f"{what} has missing or infinite values where it should not; {message}")
    finite = ~want_missing
    if (np.abs(got[finite] - want[finite]) > atol + rtol * np.abs(want[finite])).any():
        raise Wrong(message)


def is_close(actual, expected, *, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """Whether ``allclose`` would pass (for judges that tell several wrong answers apart)."""
    try:
        allclose(actual, expected, "", rtol=rtol, atol=atol)
    except Wrong:
        return False
    return True


_PLAIN_LABELS = (str, int, float, bool, np.str_, np.integer, np.floating, np.bool_)


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float | np.floating) and value != value)


def same_labels(actual, expected, message: str, what: str = "the result") -> None:
    """Category labels equal one by one, as plain values of the same kind."""
    if isinstance(actual, pd.Series | pd.Index | np.ndarray):
        got = list(actual.tolist())
    elif isinstance(actual, list | tuple):
        got = list(actual)
    else:
        raise Wrong(f"{what} should be a sequence of labels, got {_type_name(actual)}")
    want = list(expected.tolist() if hasattr(expected, "tolist") else expected)
    if len(got) != len(want):
        raise Wrong(f"{what} has {len(got)} values instead of {len(want)}; {message}")
    for g, w in zip(got, want, strict=True):
        if _missing(g) and _missing(w):
            continue
        if not isinstance(g, _PLAIN_LABELS):
            raise Wrong(f"{what} should hold plain labels (str or numbers), found {_type_name(g)}")
        numbers = isinstance(g, int | float | np.number) and isinstance(w, int | float | np.number)
        same_number = numbers and float(g) == float(w)
        same_value = type(g) is type(w) and g == w
        same_text = isinstance(g, str) and isinstance(w, str) and str(g) == str(w)
        if not (same_number or same_value or same_text):
            raise Wrong(message)


def frame(value, what: str) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise Wrong(f"{what} should be a pandas DataFrame, got {_type_name(value)}")
    return value


def series(value, what: str) -> pd.Series:
    if not isinstance(value, pd.Series):
        raise Wrong(f"{what} should be a pandas Series, got {_type_name(value)}")
    return value


def pair(value, what: str) -> tuple:
    """A two-element tuple or list."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise Wrong(f"{what} should return a pair (two values)")
    return tuple(value)


def mapping(value, keys: Iterable[str], what: str) -> Mapping:
    """A dict with exactly ``keys``."""
    if not isinstance(value, dict):
        raise Wrong(f"{what} should be a dict, got {_type_name(value)}")
    wanted = list(keys)
    missing = [k for k in wanted if k not in value]
    extra = [k for k in value if k not in wanted]
    if missing or extra:
        raise Wrong(f"{what} should have exactly the keys {', '.join(map(repr, wanted))}")
    return value


def frames_equal(actual, expected: pd.DataFrame, message: str) -> None:
    """The same values, dtypes, index and columns."""
    if not isinstance(actual, pd.DataFrame) or not expected.equals(actual) or \
            list(map(str, actual.dtypes)) != list(map(str, expected.dtypes)):
        raise Wrong(message)


# Packages whose estimators the grading process may rebuild from an emitted spec and fit itself:
# their code is the grader's own install, never the candidate's.
REBUILDABLE = ("sklearn.",)


def rebuild(value):
    """A fresh, unfitted estimator built in the grading process from an emitted
    ``EstimatorSpec`` (nested specs in the parameters rebuilt too, lists and dicts walked), or
    ``Wrong`` when some class is not scikit-learn's own (a custom class cannot be rebuilt here:
    the grader never runs the candidate's code)."""
    import importlib

    if isinstance(value, EstimatorSpec):
        module_name, _, class_name = value.cls.rpartition(".")
        if not module_name.startswith(REBUILDABLE):
            raise Wrong(f"{value.class_name} is not a scikit-learn class, so the grader cannot rerun it")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            raise Wrong(f"{value.cls} is not a class the grader can find") from None
        params = {name: rebuild(v) for name, v in value.params.items()}
        try:
            return cls(**params)
        except TypeError as exc:
            raise Wrong(f"{value.class_name} cannot be rebuilt from its parameters ({exc})") from None
    if isinstance(value, list):
        return [rebuild(v) for v in value]
    if isinstance(value, tuple):
        return tuple(rebuild(v) for v in value)
    if isinstance(value, dict):
        return {k: rebuild(v) for k, v in value.items()}
    if isinstance(value, Opaque):
        raise Wrong(f"{value.name or value.kind} is code, not data the grader can rebuild")
    return value
