# A linear model on raw prices: it chases the expensive houses and misjudges the cheap ones,
# which the log metric punishes. Loses part of the pipeline points: on the hidden-test rows its
# RMSE of log price is about 0.153 against the reference's 0.143, a small loss (a fold holding
# the few huge partial sales costs it far more, which the old three-fold average reflected).
# expect: 9.5-9.95
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

def build_pipeline():
    return make_pipeline(ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="ignore", min_frequency=5), make_column_selector(dtype_exclude="number")),
    ]), Ridge(alpha=10.0))
