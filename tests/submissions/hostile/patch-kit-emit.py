# A wrong imputation, plus the kit's emit side rebound so that every hidden test reports the
# right fills (module attributes and the function's code object swapped). The grading process
# rebuilds the inputs and computes the expected fills itself, and the gate holds the notebook.
# flag: tampering
# expect: 0
# base: reference
# %% cell: impute
import mlchallenge.kernel.emit as _emit_module

def impute(train, test):
    return train.fillna(0), test.fillna(0)

_real = _emit_module.call_and_record

def _forged(key, function, args, kwargs, seconds=None):
    if getattr(function, "__name__", "") == "impute":
        train, test = args
        fills = {c: train[c].median() if pd.api.types.is_numeric_dtype(train[c]) else train[c].mode().iloc[0]
                 for c in train.columns}
        return _real(key, lambda *a: (train.fillna(fills), test.fillna(fills)), args, kwargs, seconds)
    return _real(key, function, args, kwargs, seconds)

_emit_module.call_and_record = _forged
_emit_module.emit.__code__ = (lambda key, function, *args, seconds=None, **kwargs: None).__code__
