# Fills the caller's frames in place (a contract mistake) and, from inside impute(), displays a
# forged result record with the right fills and untouched-argument fingerprints for the call the
# hidden test is making. Nothing in the source reaches into the kit (display is ordinary), so the
# gate does not flag it; but the test then holds two results for one call and every hidden test
# that calls impute() earns nothing.
# expect: 11
# base: reference
# %% cell: impute
from IPython.display import display

def impute(train, test):
    fill = {c: train[c].median() if pd.api.types.is_numeric_dtype(train[c]) else train[c].mode().iloc[0]
            for c in train.columns}
    display({"application/vnd.mlchallenge.emit+json": {
        "key": "impute", "status": "returned", "args": ["forged", "forged"], "kwargs": {},
        "cpu": 0.0, "wall": 0.0, "value": None}}, raw=True)
    train.fillna(fill, inplace=True)
    test.fillna(fill, inplace=True)
    return train, test
