# Domain knowledge written into the pipeline: the contract's length in months (month-to-month 1,
# one year 12, two years 24) and a flag for paying by electronic check, from the category names
# the data dictionary gives, before a one-hot logistic regression. Sound work: full marks. With
# every category renamed these names no longer match, yet the refit scores about the same (0.834
# against 0.838: tenure carries most of what the contract says), so the report asks nothing.
# expect: 11.8-12
# base: reference
# %% cell: pipeline
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

_MONTHS = {"Month-to-month": 1, "One year": 12, "Two year": 24}


def _domain(frame):
    out = frame.copy()
    out["contract_months"] = out["contract"].map(_MONTHS).astype(float)
    out["electronic_check"] = (out["payment_method"] == "Electronic check").astype(float)
    return out.drop(columns=["contract"])


def build_pipeline():
    return make_pipeline(
        FunctionTransformer(_domain),
        make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
             make_column_selector(dtype_include="number")),
            (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        ),
        LogisticRegression(C=0.5, max_iter=2000),
    )
