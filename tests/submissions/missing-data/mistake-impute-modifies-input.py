# Right values, but fills the caller's frames in place. Loses the contract test (1 point).
# expect: 14
# base: reference
# %% cell: impute
def impute(train, test):
    fill = {c: train[c].median() if pd.api.types.is_numeric_dtype(train[c]) else train[c].mode().iloc[0]
            for c in train.columns}
    train.fillna(fill, inplace=True)
    test.fillna(fill, inplace=True)
    return train, test
