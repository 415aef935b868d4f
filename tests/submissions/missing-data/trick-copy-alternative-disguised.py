# Another candidate's work (the catalogue's alternative-pandas-loops), disguised: names
# changed and the code reformatted. It earns what that work earns; the report lists its
# similarity to the catalogued attempt (and, in a cohort, to the candidate it came from).
# expect: 14.5-15
# base: reference
# flag: similarity
# %% cell: profile
def missingness_profile(data):
    table = {}
    for name in data.columns:
        count = int(pd.isnull(data[name]).sum())
        table[name] = {"n_missing": count,
                       "pct_missing": count * 100.0 / len(data)}
    return pd.DataFrame.from_dict(table, orient="index")[["n_missing", "pct_missing"]]
# %% cell: impute
def impute(first, second):
    numbers = first.select_dtypes(include="number").columns
    values = {col: first[col].median() for col in numbers}
    values.update({col: first[col].value_counts().idxmax()
                   for col in first.columns if col not in numbers})
    return first.fillna(value=values), second.fillna(value=values)
