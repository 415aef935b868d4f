# Scales the test rows with the test rows' own mean and standard deviation: leakage.
# Loses both standardisation tests (3 points).
# expect: 11
# base: reference
# flag: leakage
# %% cell: standardize
def _scale(a):
    std = a.std(axis=0)
    std[std == 0] = 1.0
    return (a - a.mean(axis=0)) / std

def standardize(train, test):
    return _scale(train), _scale(test)
