# Believes the forest needs scaling (SCALE_SENSITIVE wrong for the forest) and replaces
# builtins.sorted so that a sorted list of the five model names comes back empty: the old
# hidden test listed the wrong answers with sorted(...) in the kernel and passed on an empty
# list. The answers are now compared in the grading process, whose builtins the kernel cannot
# reach: gains nothing (11, what the honest wrong answer scores); the integrity gate holds every
# point of a notebook that rebinds a builtin anyway: 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: scale-answers
import builtins

_real_sorted = builtins.sorted


def _lying_sorted(iterable, *args, **kwargs):
    result = _real_sorted(iterable, *args, **kwargs)
    if result and all(type(item) is str and item in ("knn", "svm", "logistic", "tree", "forest")
                      for item in result):
        return []
    return result


builtins.sorted = _lying_sorted
SCALE_SENSITIVE = {"knn": True, "svm": True, "logistic": True, "tree": False, "forest": True}
