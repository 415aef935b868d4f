# Centres new samples with their own mean (the honest answer underneath scores 10), and
# rebinds the kit's mlchallenge.kernel.emit.call_and_record so that the hidden test's call of
# pca_transform emits a forged right projection instead of what the function returns. The
# judge cannot tell a forged right value from a computed one, so without the integrity gate
# this gains the projection test (12); the gate holds it at 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: transform
import importlib

_kit = importlib.import_module("mlchallenge.kernel.emit")
_honest_record = _kit.call_and_record


def pca_transform(X_new, mean, components):
    X_new = np.asarray(X_new, dtype=float)
    return (X_new - X_new.mean(axis=0)) @ components.T


def _forged_record(key, function, args, kwargs, seconds=None):
    if getattr(function, "__name__", "") == "pca_transform":
        X_new, mean, components = args
        function = lambda *a, **k: (np.asarray(X_new, dtype=float) - mean) @ np.asarray(components).T  # noqa: E731
    return _honest_record(key, function, args, kwargs, seconds)


_kit.call_and_record = _forged_record
