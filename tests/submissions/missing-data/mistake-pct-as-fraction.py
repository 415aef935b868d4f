# Reports pct_missing as a fraction (0 to 1) where the contract asks for a percentage.
# Loses the profile test (2 points).
# expect: 13
# base: reference
# %% cell: profile
def missingness_profile(df):
    return pd.DataFrame({"n_missing": df.isna().sum(), "pct_missing": df.isna().mean()})
