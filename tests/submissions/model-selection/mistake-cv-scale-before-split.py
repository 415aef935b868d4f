# Fits the preprocessing before the split: standardises the numeric columns with all rows'
# means once, "to save time", then cross-validates. The test rows shape the training data.
# Loses the clean-CV test (1 point); the scores may still agree.
# expect: 18
# base: reference
# flag: leakage
# %% cell: cv
def cross_val(model, X, y, folds, scoring):
    X = X.copy()
    numeric = X.select_dtypes("number").columns
    X[numeric] = (X[numeric] - X[numeric].mean()) / X[numeric].std()
    scores = []
    for train_idx, test_idx in folds:
        fitted = clone(model).fit(X.iloc[train_idx], y.iloc[train_idx])
        scores.append(scoring(fitted, X.iloc[test_idx], y.iloc[test_idx]))
    return np.array(scores, dtype=float)
