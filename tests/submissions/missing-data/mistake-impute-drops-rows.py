# Drops the rows with missing values instead of imputing them, which the task says to keep.
# Loses all three imputation tests (4 points).
# expect: 11
# base: reference
# %% cell: impute
def impute(train, test):
    return train.dropna(), test.dropna()
