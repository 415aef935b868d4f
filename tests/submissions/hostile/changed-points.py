# A wrong profile whose test cells claim 100 points each.
# expect: 0-13
# base: reference
# transform: inflate-points
# %% cell: profile
def missingness_profile(df):
    return pd.DataFrame({"n_missing": df.isna().sum(), "pct_missing": df.isna().mean()})
