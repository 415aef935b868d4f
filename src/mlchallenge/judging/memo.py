"""What a judge computes again for the same inputs, computed once per grading process.

A judge that fits on the hidden rows (a search rebuilt from the parameters a candidate handed
back, a nested estimate of the grader's own search, the mistake a probe exists to catch) gets
the same result for every submission that hands back the same thing. ``once(compute, *inputs)``
returns ``compute(*inputs)``, keyed on the function and on a digest of the inputs
(``joblib.hash``: their pickled bytes, so an estimator by its class and parameters, a frame by
its values, index and dtypes), and keeps the last ``MAX_ENTRIES`` results of the process.

``compute`` must be a pure function of its inputs (seeded, no clock). The caller gets its own
deep copy, so a judge that changes what it got changes nothing kept; a call that raises is not
kept, and inputs that cannot be pickled are computed every time. Grading results do not
depend on it: ``tests/test_judging.py`` checks that a kept result equals a fresh one.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import joblib

MAX_ENTRIES = 256

_kept: OrderedDict[str, Any] = OrderedDict()
stats = {"hits": 0, "misses": 0}


def digest(*inputs) -> str:
    return joblib.hash(inputs)


def once(compute: Callable, *inputs):
    """``compute(*inputs)``, computed once per process for equal inputs (see the module)."""
    try:
        key = f"{compute.__module__}.{compute.__qualname__}:{digest(*inputs)}"
    except Exception:  # noqa: BLE001 - inputs that cannot be pickled are computed every time
        return compute(*inputs)
    if key in _kept:
        _kept.move_to_end(key)
        stats["hits"] += 1
        return copy.deepcopy(_kept[key])
    stats["misses"] += 1
    # the inputs may be changed by compute (an estimator fitted in place): key first, copy in
    result = compute(*copy.deepcopy(inputs))
    _kept[key] = copy.deepcopy(result)
    while len(_kept) > MAX_ENTRIES:
        _kept.popitem(last=False)
    return result


def forget() -> None:
    _kept.clear()
