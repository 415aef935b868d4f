# Claims the random forest needs scaling (a wrong answer worth 12 points) and replaces the
# builtin sorted() with one that returns an empty list for the model names, which is what a
# check computing `sorted(wrong answers)` in the kernel (as this test once did) would then see.
# The integrity gate flags the builtins import and holds every point at 0 for review. Without
# the gate it would gain nothing: the answers are judged in the grading process, whose
# builtins the kernel cannot touch, so it scores the honest wrong answer's 12.
# flag: tampering
# expect: 0
# base: reference
# %% cell: needs-scaling
import builtins

_real_sorted = builtins.sorted


def _lying_sorted(iterable, *args, **kwargs):
    out = _real_sorted(iterable, *args, **kwargs)
    if out and all(isinstance(x, str) and x in {"knn", "svm", "tree", "forest"} for x in out):
        return []
    return out


builtins.sorted = _lying_sorted
NEEDS_SCALING = {"knn": True, "svm": True, "tree": False, "forest": True}
