# Divides by the sample standard deviation (ddof=1) where StandardScaler uses the
# population one. Loses both standardisation tests (3 points).
# expect: 11
# base: reference
# %% cell: standardize
def standardize(train, test):
    mean = train.mean(axis=0)
    std = train.std(axis=0, ddof=1)
    std[std == 0] = 1.0
    return (train - mean) / std, (test - mean) / std
