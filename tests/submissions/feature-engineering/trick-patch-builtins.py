# Encodes every row in sample (a wrong answer worth 10 points) and replaces the builtin abs()
# with one that returns 0 for large floats, which is what the old hidden test's own-price check
# (`abs(again - got) < 1e-9`, run in the kernel) would then have seen. The encodings are now
# compared in the grading process, whose builtins the kernel cannot reach: without the
# integrity gate it scores the honest wrong answer's 10; the gate holds every point of a
# notebook that rebinds a builtin at 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: target
import builtins

_real_abs = builtins.abs


def _lying_abs(x):
    if type(x) is float and _real_abs(x) > 1_000.0:
        return 0.0
    return _real_abs(x)


builtins.abs = _lying_abs


def target_encode(train_values, train_y, values, m):
    train_y = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    global_mean = train_y.mean()
    stats = train_y.groupby(train_values).agg(["count", "mean"])
    smoothed = (stats["count"] * stats["mean"] + m * global_mean) / (stats["count"] + m)
    return values.map(smoothed).astype(float).fillna(global_mean)


def oof_target_encode(values, y, folds, m):
    return target_encode(values, y, values, m)
