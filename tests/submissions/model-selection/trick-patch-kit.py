# Scans the thresholds from the lowest up (a wrong answer worth 17 points) and rebinds the kit's
# emit machinery in the kernel (mlchallenge.kernel.emit's call_and_record) so that a call of
# threshold_for_recall is recorded as the answer of a correct scan hidden in the forger: a
# forged "right" answer. The forged record is data like any other, so without the integrity
# gate it would win the threshold test's 2 points back (19); the gate flags sys.modules and the
# assigned kit attribute and holds every point at 0 for review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: threshold
import sys


def threshold_for_recall(is_positive, scores, target_recall):
    is_positive = np.asarray(is_positive, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    for t in np.unique(scores):
        called = scores >= t
        if (called & is_positive).sum() / is_positive.sum() >= target_recall:
            return float(t), float((called & is_positive).sum() / called.sum())


def _forging(original):
    def call_and_record(key, function, args, kwargs, seconds=None):
        if getattr(function, "__name__", "") == "threshold_for_recall":
            def function(is_positive, scores, target_recall):
                is_positive = np.asarray(is_positive, dtype=bool)
                scores = np.asarray(scores, dtype=float)
                for t in np.unique(scores)[::-1]:
                    called = scores >= t
                    if (called & is_positive).sum() / is_positive.sum() >= target_recall:
                        return float(t), float((called & is_positive).sum() / called.sum())
        return original(key, function, args, kwargs, seconds)
    return call_and_record


_kit = sys.modules["mlchallenge.kernel.emit"]
_kit.call_and_record = _forging(_kit.call_and_record)
