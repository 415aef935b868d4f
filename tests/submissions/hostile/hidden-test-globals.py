# A wrong profile, plus notebook globals named like what a hidden test uses (emit, the dataset
# loaders, the test's own variables) set to forgeries. Each hidden part imports what it uses
# and builds its own inputs, so the forgeries are never read: it scores what the wrong profile
# scores (nothing on the profile, everything else right). Nothing here reaches into the kit.
# expect: 13
# base: reference
# %% cell: profile
def missingness_profile(df):
    n = df.isna().sum()
    return pd.DataFrame({"n_missing": n, "pct_missing": n / len(df)}, index=df.columns)

def emit(key, function, *args, **kwargs):
    print("LEAK: the notebook's emit was used")

def hidden_features(name):
    print("LEAK: the notebook's loader was used")
    return pd.DataFrame({"a": [1.0]})

_hidden = pd.DataFrame({"a": [1.0]})
