# Selects the fold's rows with .loc: index labels instead of positions, so the model trains and
# is scored on the wrong rows. Loses both cross-validation tests (3 points).
# expect: 16
# base: reference
# %% cell: cv
def cross_val(model, X, y, folds, scoring):
    scores = []
    for train_idx, test_idx in folds:
        fitted = clone(model).fit(X.loc[train_idx], y.loc[train_idx])
        scores.append(scoring(fitted, X.loc[test_idx], y.loc[test_idx]))
    return np.array(scores, dtype=float)
