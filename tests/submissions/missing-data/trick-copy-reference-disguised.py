# The reference solution, disguised: every name changed, definitions reordered, comments
# rewritten, the code reformatted. It earns what the reference earns; what catches it is the
# report's similarity to the reference (a person asks about it), not the score.
# expect: 15
# base: reference
# flag: similarity
# %% cell: profile
def missingness_profile(frame):
    # count the gaps of each column, then as a share of the rows
    gaps = frame.isna().sum()
    return pd.DataFrame({"n_missing": gaps.astype(int),
                         "pct_missing": 100.0 * gaps / len(frame)}, index=frame.columns)
# %% cell: impute
def impute(tr, te):
    # the filling value of every column, from the training rows only
    values = {}
    for col in tr.columns:
        if pd.api.types.is_numeric_dtype(tr[col]):
            values[col] = tr[col].median()
        else:
            values[col] = tr[col].mode().iloc[0]
    return (tr.fillna(values),
            te.fillna(values))
# %% cell: indicators
def add_missing_indicators(tr, te):
    out_tr, out_te = tr.copy(), te.copy()
    with_gaps = [col for col in tr.columns if tr[col].isna().any()]
    for col in with_gaps:
        out_tr[f"{col}_missing"] = tr[col].isna().astype(int)
        out_te[f"{col}_missing"] = te[col].isna().astype(int)
    return out_tr, out_te
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def build_pipeline():
    cats = make_pipeline(SimpleImputer(strategy="most_frequent"),
                         OneHotEncoder(handle_unknown="ignore"))
    nums = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    both = ColumnTransformer([
        ("numeric", nums, make_column_selector(dtype_include="number")),
        ("categorical", cats, make_column_selector(dtype_exclude="number")),
    ])
    return make_pipeline(both, LogisticRegression(max_iter=1000))
