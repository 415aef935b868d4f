# Learns the medians and modes from train and test stacked together: the test rows leak
# into the statistics. Loses the training-rows and leakage tests (3 points).
# expect: 12
# base: reference
# flag: leakage
# %% cell: impute
def impute(train, test):
    both = pd.concat([train, test])
    fill = {c: both[c].median() if pd.api.types.is_numeric_dtype(both[c]) else both[c].mode().iloc[0]
            for c in both.columns}
    return train.fillna(fill), test.fillna(fill)
