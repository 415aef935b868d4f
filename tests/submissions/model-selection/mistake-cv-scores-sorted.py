# Returns the right scores sorted from best to worst (to read them more easily), not in the
# folds' order. Loses both cross-validation tests (3 points), with a message that says the
# order is wrong: no leak.
# expect: 16
# base: reference
# %% cell: cv
def cross_val(model, X, y, folds, scoring):
    scores = []
    for train_idx, test_idx in folds:
        fitted = clone(model).fit(X.iloc[train_idx], y.iloc[train_idx])
        scores.append(scoring(fitted, X.iloc[test_idx], y.iloc[test_idx]))
    return np.sort(np.array(scores, dtype=float))[::-1]
