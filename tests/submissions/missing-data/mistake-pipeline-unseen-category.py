# A one-hot encoder that raises on a category it has not seen in training: the pipeline
# breaks on new applicants. Loses the pipeline test (4 points).
# expect: 11
# base: reference
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

def build_pipeline():
    return make_pipeline(ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
         make_column_selector(dtype_include="number")),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()),
         make_column_selector(dtype_exclude="number")),
    ]), LogisticRegression(max_iter=1000))
