# Fills with the mean where the contract asks for the median, and makes pandas' median return
# the mean, so a test that computed its expected fills in the kernel would expect the mean
# (on the old main: 12 -> 15). The expected fills are computed in the grading process, whose
# pandas the candidate never touched; the gate holds the notebook for review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: impute
pd.Series.median = pd.Series.mean

def impute(train, test):
    fill = {c: train[c].mean() if pd.api.types.is_numeric_dtype(train[c]) else train[c].mode().iloc[0]
            for c in train.columns}
    return train.fillna(fill), test.fillna(fill)
