"""The kernel side of a hidden test: call the candidate's function, emit what it returned.

``emit(key, function, *args, **kwargs)`` calls ``function(*args, **kwargs)`` with warnings
silenced and shows one display output of type ``EMIT_MIME`` holding:

- ``key``: the name the hidden test gave this call;
- ``status``: ``returned``, ``raised``, ``not-attempted`` (the stub's NotImplementedError),
  ``timeout`` (past ``seconds=``), ``too-large`` or ``unencodable`` (a result nested too
  deeply to send);
- ``value``: what the function returned, encoded as data (``encode``): numbers, strings,
  arrays, frames, series, indexes, nested lists / tuples / dicts of those, estimators and
  cross-validation splitters as their class and parameters; anything else only by its class
  name. Never pickle: the grading process rebuilds plain data and never runs the candidate's
  code;
- ``args``: a fingerprint of each argument *after* the call, so the judge can tell whether the
  function changed the caller's data (it fingerprints its own untouched copies the same way);
- ``cpu`` and ``wall``: the call's CPU seconds (this process, all threads, and the processes it
  started: ``clock.cpu_seconds``) and wall seconds;
- ``fresh``: true when the call ran in a process of its own (``fresh=True``).

``fresh=True`` runs the call in a child forked from the kernel as it is at that moment, and
keeps nothing the call did: a hidden test that makes all its calls fresh (a label-flip probe)
gives each one the same starting state, so no call can see what another one computed (a cache,
a counter, a remembered answer). What the child sends back is only the record.

Nothing emitted is trusted for what it claims: the judge rebuilds the inputs itself and
compares what came back with what it computes.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import signal
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from IPython.display import display

from mlchallenge.kernel.clock import cpu_seconds
from mlchallenge.kernel.fresh import FreshFailed, run_fresh
from mlchallenge.kernel.outputs import EMIT_MIME

# How much one emitted result may hold (numbers, strings and labels counted one each).
MAX_ITEMS = 4_000_000
MAX_STRING = 100_000  # characters of one string kept
MAX_ERROR = 2_000  # characters of an error message kept


class TooLarge(Exception):
    """The result holds more than MAX_ITEMS values."""


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so candidate code's ``except Exception`` lets it by."""


class _Budget:
    def __init__(self, items: int) -> None:
        self.left = items

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise TooLarge(f"the result holds more than {MAX_ITEMS:,} values")


def _qualname(cls: type) -> str:
    return f"{type.__getattribute__(cls, '__module__')}.{type.__getattribute__(cls, '__qualname__')}"


def _plain_scalar(value):
    """An exact bool / int / float / str, or None when ``value`` is not a scalar of those."""
    kind = type(value)
    if kind in (bool, int, float, str) or value is None:
        return value
    # subclasses (an always-equal str, an int that lies about itself) become their plain value
    if isinstance(value, bool):
        return bool.__bool__(value)
    if isinstance(value, int):
        return int.__add__(value, 0)
    if isinstance(value, float):
        return float.__add__(value, 0.0)
    if isinstance(value, str):
        return str.__getitem__(value, slice(None))
    return _NOT_SCALAR


_NOT_SCALAR = object()


def _scalar(value, budget: _Budget):
    budget.take(1)
    plain = _plain_scalar(value)
    if plain is not _NOT_SCALAR:
        if type(value) not in (bool, int, float, str, type(None)):
            return {"t": "sub", "class": _qualname(type(value)), "v": _scalar(plain, budget)}
        if type(plain) is float and not np.isfinite(plain):
            return {"t": "float", "v": repr(plain)}
        if type(plain) is str and len(plain) > MAX_STRING:
            raise TooLarge(f"a string of over {MAX_STRING:,} characters")
        return plain
    if isinstance(value, np.generic):
        array = np.asarray(value)
        return {"t": "np", "dtype": str(array.dtype), "v": _array(array.reshape(1), budget)}
    if isinstance(value, pd.Timestamp | _dt.datetime | _dt.date):
        return {"t": "timestamp", "v": pd.Timestamp(value).isoformat()}
    if isinstance(value, pd.Timedelta | _dt.timedelta):
        return {"t": "timedelta", "v": int(pd.Timedelta(value).value)}
    if value is pd.NaT:
        return {"t": "nat"}
    if value is pd.NA:
        return {"t": "na"}
    return _NOT_SCALAR


def _array(array: np.ndarray, budget: _Budget) -> dict:
    """A numpy array: numbers and booleans as little-endian bytes, anything else element by
    element."""
    array = np.ndarray.view(array, np.ndarray)
    budget.take(int(array.size))
    dtype = array.dtype
    shape = [int(n) for n in array.shape]
    if dtype.kind in "biufcmM":
        data = np.ascontiguousarray(array).astype(dtype.newbyteorder("<"), copy=False)
        return {"t": "array", "dtype": dtype.str.replace(">", "<"), "shape": shape,
                "b64": base64.b64encode(data.tobytes()).decode("ascii")}
    flat = []
    plain = 0
    for v in array.reshape(-1).tolist():
        # a plain str is its own encoding (what encode_value gives it, without the calls)
        if type(v) is str and len(v) <= MAX_STRING:
            flat.append(v)
            plain += 1
        else:
            flat.append(encode_value(v, budget))
    budget.take(plain)
    return {"t": "array", "dtype": "object", "shape": shape, "v": flat}


def _index(index: pd.Index, budget: _Budget) -> dict:
    if isinstance(index, pd.MultiIndex):
        return {"t": "multiindex", "names": [encode_value(n, budget) for n in index.names],
                "v": [encode_value(tuple(v), budget) for v in index.tolist()]}
    if isinstance(index, pd.RangeIndex):
        return {"t": "range", "start": int(index.start), "stop": int(index.stop),
                "step": int(index.step), "name": encode_value(index.name, budget)}
    return {"t": "index", "dtype": str(index.dtype), "name": encode_value(index.name, budget),
            "v": _values(index, budget)}


def _values(values, budget: _Budget) -> dict:
    """The values of a Series or Index: a numpy array where pandas holds one, else objects."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        return _array(values.to_numpy(), budget)
    return _array(values.to_numpy(dtype=object), budget)


def _series(series: pd.Series, budget: _Budget) -> dict:
    encoded = {"t": "series", "name": encode_value(series.name, budget), "dtype": str(series.dtype),
               "index": _index(series.index, budget), "v": _values(series, budget)}
    if isinstance(series.dtype, pd.CategoricalDtype):
        encoded["categories"] = _index(series.dtype.categories, budget)
        encoded["ordered"] = bool(series.dtype.ordered)
    return encoded


def _frame(frame: pd.DataFrame, budget: _Budget) -> dict:
    columns = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        columns.append(_series(column, budget))
    return {"t": "frame", "columns": _index(frame.columns, budget),
            "index": _index(frame.index, budget), "data": columns}


def _is_estimator(value) -> bool:
    return callable(getattr(type(value), "get_params", None)) and callable(getattr(type(value), "fit", None))


def _is_splitter(value) -> bool:
    return callable(getattr(type(value), "split", None)) and \
        callable(getattr(type(value), "get_n_splits", None))


def _init_params(value) -> dict:
    """A cross-validation splitter's constructor arguments, read back from its attributes (as
    scikit-learn's own repr of a splitter does)."""
    import inspect

    try:
        names = [p.name for p in inspect.signature(type(value).__init__).parameters.values()
                 if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (TypeError, ValueError):
        return {}
    return {name: getattr(value, name) for name in names if hasattr(value, name)}


def encode_value(value, budget: _Budget):
    """``value`` as JSON-ready data (see the module's docstring)."""
    scalar = _scalar(value, budget)
    if scalar is not _NOT_SCALAR:
        return scalar
    if isinstance(value, pd.DataFrame):
        return _frame(value, budget)
    if isinstance(value, pd.Series):
        return _series(value, budget)
    if isinstance(value, pd.Index):
        return _index(value, budget)
    if isinstance(value, np.ndarray):
        return _array(value, budget)
    if isinstance(value, list | tuple):
        budget.take(1)
        kind = "tuple" if isinstance(value, tuple) else "list"
        encoded = {"t": kind, "v": [encode_value(v, budget) for v in list.__iter__(list(value))]}
        if type(value) not in (list, tuple):
            encoded["class"] = _qualname(type(value))
        return encoded
    if isinstance(value, set | frozenset):
        budget.take(1)
        return {"t": "set", "v": [encode_value(v, budget) for v in list(value)]}
    if isinstance(value, dict):
        budget.take(1)
        items = list(dict.items(value))
        encoded = {"t": "dict", "k": [encode_value(k, budget) for k, _ in items],
                   "v": [encode_value(v, budget) for _, v in items]}
        if type(value) is not dict:
            encoded["class"] = _qualname(type(value))
        return encoded
    if _is_estimator(value):
        budget.take(1)
        try:
            params = value.get_params(deep=False)
        except Exception:  # noqa: BLE001 - a custom estimator whose get_params fails
            params = {}
        return {"t": "estimator", "class": _qualname(type(value)),
                "params": encode_value(dict(params), budget)}
    if _is_splitter(value):
        budget.take(1)
        return {"t": "estimator", "class": _qualname(type(value)),
                "params": encode_value(_init_params(value), budget)}
    budget.take(1)
    if callable(value):
        return {"t": "callable", "name": str(getattr(value, "__qualname__", type(value).__name__))[:200]}
    # anything else is named, not sent: the judge sees an object it cannot compare
    return {"t": "object", "name": _qualname(type(value))[:200]}


def encode(value, max_items: int = MAX_ITEMS):
    return encode_value(value, _Budget(max_items))


def fingerprint(value) -> str:
    """A digest of ``value``'s encoding: equal values, equal fingerprints."""
    try:
        encoded = encode(value)
    except (TooLarge, RecursionError):
        return "unencodable"
    text = json.dumps(encoded, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _error_text(exc: BaseException) -> str:
    try:
        text = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails
        text = type(exc).__name__
    return text[:MAX_ERROR]


def call_and_record(key: str, function: Callable, args: tuple, kwargs: dict,
                    seconds: float | None = None) -> dict:
    """Call ``function`` and return the record ``emit`` shows (see the module's docstring)."""
    record: dict = {"key": key, "status": "returned"}
    value = None
    previous = None
    if seconds:
        def expire(signum, frame):
            raise _Expired

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    cpu, wall = cpu_seconds(), time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = function(*args, **kwargs)
    except NotImplementedError:
        record["status"] = "not-attempted"
    except _Expired:
        record["status"] = "timeout"
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure of candidate code
        record["status"] = "raised"
        record["error"] = _error_text(exc)
    finally:
        record["cpu"] = cpu_seconds() - cpu
        record["wall"] = time.perf_counter() - wall
        if seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    record["args"] = [fingerprint(a) for a in args]
    record["kwargs"] = {name: fingerprint(v) for name, v in kwargs.items()}
    if record["status"] == "returned":
        try:
            record["value"] = encode(value)
        except TooLarge as exc:
            record["status"], record["error"] = "too-large", str(exc)
        except RecursionError:
            record["status"], record["error"] = "unencodable", "the result nests too deeply"
    return record


def call_in_fresh_process(key: str, function: Callable, args: tuple, kwargs: dict,
                          seconds: float | None = None) -> dict:
    """``call_and_record`` in a child forked now; the child's state dies with it."""
    try:
        record = run_fresh(lambda: call_and_record(key, function, args, kwargs, seconds), seconds)
    except FreshFailed as exc:
        record = {"key": key, "status": "raised", "cpu": 0.0, "wall": 0.0, "args": [], "kwargs": {},
                  "error": str(exc)}
    record["fresh"] = True
    return record


def emit(key: str, function: Callable, *args, seconds: float | None = None, fresh: bool = False,
         **kwargs) -> None:
    """Call ``function(*args, **kwargs)`` and emit what happened for the judge to read.
    ``seconds``: stop the call after that many seconds of wall time (status ``timeout``).
    ``fresh``: run the call in a process of its own that ends with it (see the module's
    docstring)."""
    if fresh:
        record = call_in_fresh_process(key, function, args, kwargs, seconds)
    else:
        record = call_and_record(key, function, args, kwargs, seconds)
    display({EMIT_MIME: record}, raw=True)
