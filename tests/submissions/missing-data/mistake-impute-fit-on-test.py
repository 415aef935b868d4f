# Fills the test rows with the test rows' own medians and modes: leakage from the rows
# being evaluated. Loses the leakage test (2 points).
# expect: 13
# base: reference
# flag: leakage
# %% cell: impute
def _fills(frame):
    return {c: frame[c].median() if pd.api.types.is_numeric_dtype(frame[c]) else frame[c].mode().iloc[0]
            for c in frame.columns}

def impute(train, test):
    return train.fillna(_fills(train)), test.fillna(_fills(test))
