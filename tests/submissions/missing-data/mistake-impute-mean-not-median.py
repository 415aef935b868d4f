# Uses the mean where the contract asks for the median (Income is skewed, so they differ).
# Loses the training-rows and leakage tests (3 points).
# expect: 12
# base: reference
# %% cell: impute
def impute(train, test):
    fill = {c: train[c].mean() if pd.api.types.is_numeric_dtype(train[c]) else train[c].mode().iloc[0]
            for c in train.columns}
    return train.fillna(fill), test.fillna(fill)
