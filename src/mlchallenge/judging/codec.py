"""What a kernel emitted, rebuilt as plain data in the grading process (the inverse of
``mlchallenge.kernel.emit.encode``). Nothing of the candidate's is run: classes are names."""

from __future__ import annotations

import base64
import contextlib
from dataclasses import dataclass

import numpy as np
import pandas as pd


class Malformed(Exception):
    """An emitted value that is not in the kernel's encoding."""


@dataclass(frozen=True)
class Opaque:
    """Something the kernel could only name: a callable, or an instance of a class."""

    kind: str
    name: str


@dataclass(frozen=True)
class EstimatorSpec:
    """An estimator as its class path and its parameters (``get_params(deep=False)``)."""

    cls: str
    params: dict

    @property
    def class_name(self) -> str:
        return self.cls.rsplit(".", 1)[-1]


def _array(data: dict) -> np.ndarray:
    shape = tuple(int(n) for n in data.get("shape", []))
    if "b64" in data:
        dtype = np.dtype(data["dtype"])
        raw = base64.b64decode(data["b64"])
        array = np.frombuffer(raw, dtype=dtype).copy()
    else:
        values = [decode(v) for v in data.get("v", [])]
        array = np.empty(len(values), dtype=object)
        array[:] = values
    if int(np.prod(shape, dtype=np.int64)) != array.size:
        raise Malformed("an array whose shape does not match its values")
    return array.reshape(shape)


def _index(data: dict) -> pd.Index:
    kind = data.get("t")
    if kind == "range":
        return pd.RangeIndex(data["start"], data["stop"], data["step"], name=decode(data["name"]))
    if kind == "multiindex":
        names = [decode(n) for n in data["names"]]
        return pd.MultiIndex.from_tuples([decode(v) for v in data["v"]], names=names)
    if kind == "index":
        values = _array(data["v"])
        dtype = data.get("dtype")
        try:
            return pd.Index(values, dtype=dtype, name=decode(data["name"]))
        except (TypeError, ValueError):
            return pd.Index(values, name=decode(data["name"]))
    raise Malformed(f"an index of unknown kind {kind!r}")


def _series(data: dict) -> pd.Series:
    values = _array(data["v"])
    index = _index(data["index"])
    dtype = data.get("dtype")
    if "categories" in data:
        categories = _index(data["categories"])
        kind = pd.CategoricalDtype(categories, ordered=bool(data.get("ordered")))
        return pd.Series(pd.Categorical(values, dtype=kind), index=index, name=decode(data["name"]))
    series = pd.Series(values, index=index, name=decode(data["name"]))
    if dtype and str(series.dtype) != dtype:
        # an extension dtype that does not round-trip: keep the values
        with contextlib.suppress(TypeError, ValueError):
            series = series.astype(dtype)
    return series


def _frame(data: dict) -> pd.DataFrame:
    columns = _index(data["columns"])
    index = _index(data["index"])
    series = [_series(s) for s in data["data"]]
    if len(series) != len(columns):
        raise Malformed("a frame whose columns do not match its data")
    if not series:
        return pd.DataFrame(index=index, columns=columns)
    frame = pd.concat([s.reset_index(drop=True) for s in series], axis=1, ignore_index=True)
    frame.columns = columns
    frame.index = index
    return frame


def decode(data):
    """Plain Python, numpy and pandas objects from the kernel's encoding."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if isinstance(data, list):
        raise Malformed("a bare list in an emitted value")
    if not isinstance(data, dict):  # nbformat reads JSON objects as NotebookNode (a dict)
        raise Malformed(f"unexpected {type(data).__name__} in an emitted value")
    kind = data.get("t")
    if not isinstance(kind, str) or kind not in _DECODERS:
        raise Malformed(f"an emitted value of unknown kind {kind!r}")
    return _DECODERS[kind](data)


def _dict(data) -> dict:
    keys = [_hashable(decode(k)) for k in data["k"]]
    return dict(zip(keys, [decode(v) for v in data["v"]], strict=True))


def _estimator(data) -> EstimatorSpec:
    params = decode(data["params"])
    return EstimatorSpec(str(data["class"]), params if isinstance(params, dict) else {})


_DECODERS = {
    "sub": lambda data: decode(data["v"]),
    "float": lambda data: float(data["v"]),
    "np": lambda data: _array(data["v"]).reshape(())[()],
    "timestamp": lambda data: pd.Timestamp(data["v"]),
    "timedelta": lambda data: pd.Timedelta(int(data["v"])),
    "nat": lambda data: pd.NaT,
    "na": lambda data: pd.NA,
    "array": lambda data: _array(data),
    "index": lambda data: _index(data),
    "range": lambda data: _index(data),
    "multiindex": lambda data: _index(data),
    "series": lambda data: _series(data),
    "frame": lambda data: _frame(data),
    "list": lambda data: [decode(v) for v in data["v"]],
    "tuple": lambda data: tuple(decode(v) for v in data["v"]),
    "set": lambda data: {_hashable(decode(v)) for v in data["v"]},
    "dict": _dict,
    "estimator": _estimator,
    "callable": lambda data: Opaque(data["t"], str(data.get("name", ""))),
    "object": lambda data: Opaque(data["t"], str(data.get("name", ""))),
}


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
