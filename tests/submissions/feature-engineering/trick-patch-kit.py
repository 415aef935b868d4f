# Encodes every row in sample (a wrong answer worth 10 points) and rebinds the kit's emit
# machinery in the kernel (mlchallenge.kernel.emit's call_and_record) so that a call of
# oof_target_encode is recorded as the answer of a correct out-of-fold loop hidden in the
# forger: a forged "right" answer. The forged record is data like any other, so without the
# integrity gate it would earn the out-of-fold test's 2 points (12); the gate flags
# sys.modules and the assigned kit attribute and holds every point at 0 for review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: target
import sys


def target_encode(train_values, train_y, values, m):
    train_y = pd.Series(np.asarray(train_y, dtype=float), index=train_values.index)
    global_mean = train_y.mean()
    stats = train_y.groupby(train_values).agg(["count", "mean"])
    smoothed = (stats["count"] * stats["mean"] + m * global_mean) / (stats["count"] + m)
    return values.map(smoothed).astype(float).fillna(global_mean)


def oof_target_encode(values, y, folds, m):
    return target_encode(values, y, values, m)


def _forging(original):
    def call_and_record(key, function, args, kwargs, seconds=None):
        if getattr(function, "__name__", "") == "oof_target_encode":
            def function(values, y, folds, m):
                out = pd.Series(np.nan, index=values.index, dtype=float)
                for train_idx, test_idx in folds:
                    out.iloc[test_idx] = target_encode(values.iloc[train_idx], y.iloc[train_idx],
                                                       values.iloc[test_idx], m).to_numpy()
                return out
        return original(key, function, args, kwargs, seconds)
    return call_and_record


_kit = sys.modules["mlchallenge.kernel.emit"]
_kit.call_and_record = _forging(_kit.call_and_record)
