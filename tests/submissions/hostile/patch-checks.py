# Replaces the kit's comparison helpers with ones that always pass, on top of a wrong answer.
# flag: tampering
# expect: 0
# base: reference
# %% cell: profile
import mlchallenge.checks as _c
for _name in dir(_c):
    if _name.startswith("assert"):
        setattr(_c, _name, lambda *a, **k: None)
def missingness_profile(df):
    return pd.DataFrame({"n_missing": df.isna().sum(), "pct_missing": df.isna().mean()})
