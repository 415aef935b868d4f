# Returns the Series' index labels instead of positions: right on a 0..n-1 index, wrong rows
# (or a KeyError with .iloc) on any other. Loses the partition and stratification tests (4 points).
# expect: 15
# base: reference
# %% cell: folds
def stratified_kfold_indices(y, n_splits=5, seed=0):
    y = pd.Series(y)
    rng = np.random.default_rng(seed)
    fold_of = pd.Series(0, index=y.index)
    for label in y.unique():
        members = rng.permutation(y.index[y == label].to_numpy())
        fold_of[members] = np.arange(len(members)) % n_splits
    return [(fold_of.index[fold_of != k].to_numpy(), fold_of.index[fold_of == k].to_numpy()) for k in range(n_splits)]
