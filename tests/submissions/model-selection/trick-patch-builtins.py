# Fits the model it was given in every fold instead of a clone (the caller gets back a fitted
# model: worth 18 points honestly) and replaces the builtin hasattr() with one that denies a
# pipeline's classes_, which is what the public test and the old hidden test
# (`hasattr(model, "classes_")`, run in the kernel) looked at. The hidden test now asks the model
# passed in to predict after the call, with no builtin in the way, and judges the answer in the
# grading process: without the integrity gate it scores the honest wrong answer's 18; the gate
# holds every point of a notebook that rebinds a builtin at 0.
# flag: tampering
# expect: 0
# base: reference
# %% cell: cv
import builtins

_real_hasattr = builtins.hasattr


def _lying_hasattr(obj, name):
    if name == "classes_" and type(obj).__name__ == "Pipeline":
        return False
    return _real_hasattr(obj, name)


builtins.hasattr = _lying_hasattr


def cross_val(model, X, y, folds, scoring):
    scores = []
    for train_idx, test_idx in folds:
        model.fit(X.iloc[train_idx], y.iloc[train_idx])
        scores.append(scoring(model, X.iloc[test_idx], y.iloc[test_idx]))
    return np.array(scores, dtype=float)
