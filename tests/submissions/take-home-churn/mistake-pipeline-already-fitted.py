# Returns a pipeline already fitted on the training data (with the preprocessing learned
# from all of it) instead of an unfitted one. Loses the pipeline points (8).
# expect: 4
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

_model = make_pipeline(ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
    ("cat", OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
]), LogisticRegression(max_iter=2000)).fit(X, y)

def build_pipeline():
    return _model
