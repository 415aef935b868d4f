# Logistic regression that updates w, then b from the new w's probabilities (a wrong answer the
# public test cannot see, so the hidden test runs: loses the gradient-descent test, 2 points),
# and the cell rebinds the kit's emit machinery (call_and_record in the
# mlchallenge.kernel.emit module) so that every call of logistic_gd the hidden test makes runs a
# correct hidden copy instead: the kernel emits a forged "right" answer. The grading process
# cannot tell a forged record from a real one (the kernel produces, it only judges), so this
# is the integrity gate's to stop: it flags the sys.modules reach into the kit and holds the
# notebook's points: 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: logistic
import sys


def logistic_gd(X, y, lr, n_iter):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(n_iter):
        w = w - lr * X.T @ (1.0 / (1.0 + np.exp(-(X @ w + b))) - y) / len(y)
        b = b - lr * np.mean(1.0 / (1.0 + np.exp(-(X @ w + b))) - y)
    return w, b


def _right_gd(X, y, lr, n_iter):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(n_iter):
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        w, b = w - lr * X.T @ (p - y) / len(y), b - lr * np.mean(p - y)
    return w, b


_emit_module = sys.modules["mlchallenge.kernel.emit"]
_real_call_and_record = _emit_module.call_and_record


def _forged_call_and_record(key, function, args, kwargs, seconds=None):
    if getattr(function, "__name__", "") == "logistic_gd":
        function = _right_gd
    return _real_call_and_record(key, function, args, kwargs, seconds)


_emit_module.call_and_record = _forged_call_and_record
