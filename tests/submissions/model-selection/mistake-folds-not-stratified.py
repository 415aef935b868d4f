# Forgets to stratify: shuffles all rows and cuts them into k chunks, so the share of churners
# drifts from fold to fold. Loses the stratification test (2 points).
# expect: 17
# base: reference
# %% cell: folds
def stratified_kfold_indices(y, n_splits=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(y))
    everything = np.arange(len(y))
    return [(np.setdiff1d(everything, chunk), np.sort(chunk)) for chunk in np.array_split(order, n_splits)]
