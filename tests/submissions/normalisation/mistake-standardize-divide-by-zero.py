# Forgets constant columns: 0 / 0 gives NaN. Loses the standardisation test (2 points).
# expect: 12
# base: reference
# %% cell: standardize
def standardize(train, test):
    mean, std = train.mean(axis=0), train.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (train - mean) / std, (test - mean) / std
