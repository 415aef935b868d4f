# Standardises the numeric columns with all rows' means before the split ("to save time"),
# but only when the model it is given is built from stock scikit-learn classes: handed anything
# else (such as a spy subclass defined by a test to record the rows each fit receives) it
# behaves honestly, so a kernel-side spy would have seen clean folds and passed it. The hidden
# test now passes stock models only and judges the scores alone, on data where a scaling learned
# from all rows changes them: it loses the clean-CV test (1 point), exactly like the honest
# mistake (mistake-cv-scale-before-split).
# expect: 18
# base: reference
# flag: leakage
# %% cell: cv
def _stock(estimator):
    """True when the estimator and every estimator inside it are scikit-learn's own classes."""
    if not type(estimator).__module__.startswith("sklearn."):
        return False
    params = estimator.get_params(deep=True)
    return all(type(v).__module__.startswith("sklearn.") for v in params.values() if hasattr(v, "fit"))


def cross_val(model, X, y, folds, scoring):
    if _stock(model):
        X = X.copy()
        numeric = X.select_dtypes("number").columns
        X[numeric] = (X[numeric] - X[numeric].mean()) / X[numeric].std()
    scores = []
    for train_idx, test_idx in folds:
        fitted = clone(model).fit(X.iloc[train_idx], y.iloc[train_idx])
        scores.append(scoring(fitted, X.iloc[test_idx], y.iloc[test_idx]))
    return np.array(scores, dtype=float)
