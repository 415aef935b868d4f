# Drops every text column (contract type, internet service, payment method...): loses signal.
# Partial credit on the pipeline.
# expect: 11.2-11.9
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

def build_pipeline():
    return make_pipeline(ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
    ]), LogisticRegression(max_iter=2000))
