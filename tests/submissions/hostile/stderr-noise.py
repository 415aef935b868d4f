# A correct answer that prints library-style warnings on stderr: keeps its points.
# expect: 15
# base: reference
# %% cell: profile
import sys, warnings
warnings.simplefilter("always")
def missingness_profile(df):
    print("UserWarning: something a library says", file=sys.stderr)
    warnings.warn("a warning from a library")
    n_missing = df.isna().sum()
    return pd.DataFrame(
        {"n_missing": n_missing.astype(int), "pct_missing": 100.0 * n_missing / len(df)},
        index=df.columns,
    )
