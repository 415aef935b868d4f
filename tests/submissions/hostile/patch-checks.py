# Replaces the kit's comparison helpers (the judging side's, as imported in the kernel) with ones
# that always pass, on top of a wrong answer. The judges run in the grading process, with their
# own copies; the gate holds the notebook for review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: profile
import mlchallenge.judging.compare as _c
for _name in ("allclose", "same_labels", "frames_equal", "frame", "mapping"):
    setattr(_c, _name, lambda *a, **k: None)
def missingness_profile(df):
    return pd.DataFrame({"n_missing": df.isna().sum(), "pct_missing": df.isna().mean()})
