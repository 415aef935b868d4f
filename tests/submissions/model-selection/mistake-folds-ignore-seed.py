# Shuffles with an unseeded generator: the same seed gives other folds every call, so results
# cannot be reproduced. Loses the seed test (1 point).
# expect: 18
# base: reference
# %% cell: folds
def stratified_kfold_indices(y, n_splits=5, seed=0):
    labels = np.asarray(y)
    rng = np.random.default_rng()
    fold_of = np.empty(len(labels), dtype=int)
    offset = 0
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        fold_of[members] = (offset + np.arange(len(members))) % n_splits
        offset += len(members)
    positions = np.arange(len(labels))
    return [(positions[fold_of != k], positions[fold_of == k]) for k in range(n_splits)]
