# A pipeline that silently drops the categorical columns (home, marital status, job,
# records): the model loses real signal. Partial credit on the pipeline test.
# expect: 13.5-14.7
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

def build_pipeline():
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    return make_pipeline(ColumnTransformer([("numeric", numeric, make_column_selector(dtype_include="number"))]),
                         LogisticRegression(max_iter=1000))
