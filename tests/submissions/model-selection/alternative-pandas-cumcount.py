# Sound, written with pandas: the rows shuffled once, then numbered within their class with
# groupby().cumcount() so each class is dealt round-robin over the folds; a random forest chosen.
# Full or near-full marks.
# expect: 18.5-19
# base: reference
# %% cell: folds
def stratified_kfold_indices(y, n_splits=5, seed=0):
    frame = pd.DataFrame({"label": np.asarray(y)})
    shuffled = frame.iloc[np.random.default_rng(seed).permutation(len(frame))]
    fold = (shuffled.groupby("label").cumcount() % n_splits).sort_index().to_numpy()
    return [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(n_splits)]
# %% cell: cv
def cross_val(model, X, y, folds, scoring):
    return np.array([
        scoring(clone(model).fit(X.iloc[tr], y.iloc[tr]), X.iloc[te], y.iloc[te]) for tr, te in folds
    ])
# %% cell: chosen
CHOSEN = "forest"
